"""The SYNTHETIC Polda Lampung demo: 15 kab/kota, real-shaped, labelled SINTETIS.

Shaped on published figures (``../shared/docs/DOMAIN.md``): KPU's TPS and DPT per kab/kota
(Pilkada 2024; 13,281 TPS in the published split plus the one missing TPS given to the largest
kab/kota, 13,282 in all), Polda Lampung's 2024 BKO pools (Pam TPS 364, Brimob 466, Samapta 350)
and reserve (200), and own strengths summing to 3,891. Own strength per Polres is drawn
proportional to TPS, Pesisir Barat (a Polres since 2023, thinly staffed) at half the ratio.
Incident registers are simulated per kabupaten (one clean run over the province's 229 kecamatan,
split by kab/kota; Pesisir Barat's messy demo register is reused); TPS lists are generated at
run time to the KPU counts, already in the shape :func:`pilkada_risk.read_tps` returns.
Nothing here describes real incidents, TPS or personnel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.plan_profile import load_plan_profile
from pilkada_risk.geo.boundaries import load_desa, load_kecamatan
from pilkada_risk.geo.polres import load_polres
from pilkada_risk.synthetic.demo import DEMO_REGIME, load_demo
from pilkada_risk.synthetic.simulate import simulate_incidents
from pilkada_risk.synthetic.tps import _flags, _stations

__all__ = [
    "KPU_LAMPUNG",
    "LAMPUNG_OWN_TOTAL",
    "LAMPUNG_POOLS",
    "ProvinceInputs",
    "load_province_demo",
]

#: KPU, Pilkada 2024, per kab/kota: (DPT, TPS). DOMAIN.md; the split sums to 13,281 TPS.
KPU_LAMPUNG: dict[str, tuple[int, int]] = {
    "18.02": (1_001_344, 1_998),
    "18.07": (823_417, 1_621),
    "18.01": (790_716, 1_592),
    "18.71": (786_182, 1_433),
    "18.03": (470_052, 1_064),
    "18.06": (453_261, 981),
    "18.09": (347_979, 760),
    "18.08": (345_599, 711),
    "18.10": (321_976, 628),
    "18.05": (309_963, 670),
    "18.04": (222_236, 518),
    "18.12": (220_140, 431),
    "18.11": (170_255, 346),
    "18.72": (131_482, 235),
    "18.13": (121_267, 293),
}
LAMPUNG_TPS_TOTAL = 13_282
LAMPUNG_OWN_TOTAL = 3_891
LAMPUNG_POOLS = {"bko_pam_tps": 364, "bko_brimob": 466, "bko_samapta": 350, "cadangan": 200}
#: Own strength per TPS of Pesisir Barat relative to the others (thinly staffed, synthetic).
THIN_POLRES = {"18.13": 0.5}
#: Polda Lampung's TPS classes of Sep 2024 (DOMAIN.md): sangat rawan per kab/kota, and the
#: published rawan / khusus splits; the rest of the 580 rawan and 21 khusus is spread over the
#: other kab/kota by TPS. The demo's TPS lists carry these as the Polda's classes.
POLDA_SANGAT_RAWAN = {"18.06": 22, "18.13": 20, "18.11": 11, "18.09": 10, "18.05": 9}
POLDA_RAWAN_KNOWN = {"18.71": 6, "18.72": 0, "18.01": 60, "18.02": 12, "18.07": 126}
POLDA_KHUSUS_KNOWN = {"18.71": 2, "18.72": 1, "18.01": 6, "18.02": 2, "18.07": 1}
POLDA_RAWAN_TOTAL, POLDA_KHUSUS_TOTAL = 580, 21
#: The shipped demo register's headers, so that every Polres file reads alike.
_HEADERS = {
    "id": "No. LP",
    "tanggal": "Tgl Kejadian",
    "kategori": "Jenis Kejadian",
    "kecamatan": "Kecamatan",
    "desa": "Desa/Pekon",
    "lintang": "Lintang",
    "bujur": "Bujur",
    "korban": "Korban",
    "sumber": "Sumber",
    "keterangan": "Uraian",
}
_NOTE = "SINTETIS: TPS rekaan untuk latihan, bukan data KPU/Bawaslu"


@dataclass(frozen=True)
class ProvinceInputs:
    """Inputs of :func:`pilkada_risk.planning.province.plan_province` for the demo."""

    polres: pd.DataFrame
    areas: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame
    registers: list[pd.DataFrame]
    context: pd.DataFrame
    tps: dict[str, pd.DataFrame]
    strength: dict[str, int]
    pools: dict[str, int]
    name: str = "sintetis_polda_lampung"
    synthetic: bool = True


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    exact = weights / weights.sum() * total
    out = np.floor(exact).astype(int)
    out[np.argsort(-(exact - out), kind="stable")[: total - int(out.sum())]] += 1
    return out


def demo_tps_counts() -> dict[str, int]:
    """TPS per kab/kota: KPU's split plus the one unsplit TPS to the largest kab/kota."""
    counts = {k: v[1] for k, v in KPU_LAMPUNG.items()}
    counts[max(counts, key=counts.__getitem__)] += LAMPUNG_TPS_TOTAL - sum(counts.values())
    return counts


def demo_strength(polres: pd.DataFrame, counts: dict[str, int]) -> dict[str, int]:
    """Own officers at TPS per Polres (sum 3,891), proportional to TPS, thin Polres at half."""
    tps = polres["kab_kode"].map(counts).fillna(0).to_numpy(float)
    factor = polres["kab_kode"].map(THIN_POLRES).fillna(1.0).to_numpy(float)
    per = pd.Series(tps * factor).groupby(polres["polres"].to_numpy()).sum()
    values = _largest_remainder(per.to_numpy(float), LAMPUNG_OWN_TOTAL)
    return dict(zip(per.index.astype(str), (int(v) for v in values), strict=True))


def demo_polda_classes(counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per kab/kota: how many TPS the Polda classed ``sangat_rawan``, ``rawan``, ``khusus``."""
    rest = [k for k in sorted(counts) if k not in POLDA_RAWAN_KNOWN]
    weights = np.array([counts[k] for k in rest], float)
    rawan = POLDA_RAWAN_TOTAL - sum(POLDA_RAWAN_KNOWN.values())
    khusus = POLDA_KHUSUS_TOTAL - sum(POLDA_KHUSUS_KNOWN.values())
    spread_r = dict(zip(rest, (int(v) for v in _largest_remainder(weights, rawan)), strict=True))
    spread_k = dict(zip(rest, (int(v) for v in _largest_remainder(weights, khusus)), strict=True))
    return {
        k: {
            "sangat_rawan": POLDA_SANGAT_RAWAN.get(k, 0),
            "rawan": POLDA_RAWAN_KNOWN.get(k, spread_r.get(k, 0)),
            "khusus": POLDA_KHUSUS_KNOWN.get(k, spread_k.get(k, 0)),
        }
        for k in counts
    }


def _polda_classes(
    flags: pd.DataFrame, spec: dict[str, Any], given: dict[str, int], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The Polda's class key of every TPS and the khusus mask: khusus at random, then the TPS
    with the most indicator points sangat rawan, the next rawan (ties broken at random)."""
    n = len(flags)
    points = sum(flags[name].to_numpy(float) * float(spec[name]["bobot"]) for name in spec)
    order = np.lexsort((rng.random(n), -np.asarray(points, float)))
    khusus = np.zeros(n, dtype=bool)
    khusus[rng.choice(n, size=min(given["khusus"], n), replace=False)] = True
    keys = np.full(n, "kurang_rawan", dtype=object)
    keys[khusus] = "khusus"
    ranked = [i for i in order if not khusus[i]]
    n_sr = given["sangat_rawan"]
    keys[ranked[:n_sr]] = "sangat_rawan"
    keys[ranked[n_sr : n_sr + given["rawan"]]] = "rawan"
    return keys, khusus


def _accepted_tps(
    context: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    n_tps: int,
    dpt: int,
    seed: int,
    given: dict[str, int] | None = None,
) -> gpd.GeoDataFrame:
    """A generated TPS list of one kab/kota in the shape of ``read_tps(...).accepted``."""
    rng = np.random.default_rng(seed)
    ctx = context.reset_index(drop=True).copy()
    ctx["dpt"] = _largest_remainder(ctx["dpt"].to_numpy(float) + 1.0, dpt)
    stations = _stations(ctx, desa, n_tps, rng)
    spec = load_plan_profile().tps["indikator"]
    remote = ctx.set_index(ctx["kode"].astype(str))["jarak_ibukota_km"]
    flags = _flags(stations, remote, list(spec), rng)
    polda = given is not None  # the demo's lists carry the Polda's classes; tests' lists do not
    keys, khusus = _polda_classes(
        flags, spec, given or {"sangat_rawan": 0, "rawan": 0, "khusus": 1}, rng
    )
    codes = stations["desa_kode"].str.replace(".", "", regex=False)
    out = pd.DataFrame(
        {
            "tps_id": [f"{c}{n:03d}" for c, n in zip(codes, stations["no_tps"], strict=True)],
            "no_tps": stations["no_tps"].to_numpy(),
            "kec_kode": stations["kec_kode"].to_numpy(),
            "desa_kode": stations["desa_kode"].to_numpy(),
            "desa_nama": stations["desa"].to_numpy(),
            "dpt": stations["dpt"].to_numpy(),
            "khusus": khusus,
        }
    )
    for name in spec:
        out[name] = flags[name].to_numpy()
    out["kelas_diberikan"] = keys if polda else None
    out["catatan_intake"] = _NOTE
    points = gpd.points_from_xy(stations["bujur"], stations["lintang"], crs=4326)
    frame = gpd.GeoDataFrame(out, geometry=points, crs=4326)
    frame.attrs.update({"synthetic": True, "source_name": "tps_sintetis (generator)"})
    return frame


def _registers(
    areas: gpd.GeoDataFrame, desa: gpd.GeoDataFrame, seed: int
) -> tuple[list[pd.DataFrame], pd.DataFrame]:
    """One simulated register per kab/kota (Pesisir Barat: its demo register) and the context."""

    # One clean run over the province (kecamatan names repeat across kab/kota, so rows are split
    # by the simulator's own kecamatan codes); Pesisir Barat keeps its messy demo register.
    sim = simulate_incidents(areas, desa=desa, seed=seed, messy=False, regime=DEMO_REGIME)
    places = sim.events["kec_kode"].astype(str).str[:5].reset_index(drop=True)
    registers = []
    for kab in sorted(areas["kab_kode"].unique()):
        if kab == "18.13":
            reg: Any = pd.read_csv(load_demo("18.13", seed=0).register, dtype=str)
        else:
            reg = sim.incidents[places.eq(kab).to_numpy()].rename(columns=_HEADERS)
            reg["No. LP"] = kab + "/" + reg["No. LP"].astype(str)  # LP numbers differ per Polres
        reg.attrs.update({"source_name": f"kejadian_sintetis_{kab}", "synthetic": True})
        registers.append(reg)
    return registers, sim.context


def load_province_demo(*, seed: int = 0) -> ProvinceInputs:
    """The SYNTHETIC Polda Lampung demo (module docstring).

    Examples
    --------
    >>> demo = load_province_demo()  # doctest: +SKIP
    >>> sum(len(t) for t in demo.tps.values()), sum(demo.strength.values())  # doctest: +SKIP
    (13282, 3891)
    """

    polres = load_polres(province="18")
    kabs = list(polres["kab_kode"])
    areas = gpd.GeoDataFrame(pd.concat([load_kecamatan(k) for k in kabs], ignore_index=True))
    desa = gpd.GeoDataFrame(pd.concat([load_desa(k) for k in kabs], ignore_index=True))
    registers, context = _registers(areas, desa, seed)
    counts = demo_tps_counts()
    classes = demo_polda_classes(counts)
    tps = {}
    for i, kab in enumerate(kabs):
        ctx = context[context["kode"].str.startswith(kab + ".")]
        d = desa[desa["kec_kode"].str.startswith(kab + ".")]
        tps[kab] = _accepted_tps(
            ctx, d, counts[kab], KPU_LAMPUNG[kab][0], seed + i, given=classes[kab]
        )
    strength = demo_strength(polres, counts)
    return ProvinceInputs(
        polres, areas, desa, registers, context, tps, strength, dict(LAMPUNG_POOLS)
    )
