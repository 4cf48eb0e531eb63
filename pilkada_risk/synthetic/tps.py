"""A SYNTHETIC polling-station (TPS) list that follows published totals, for demos and tests.

:func:`simulate_tps` spreads each kecamatan's TPS and DPT (from the demo context) over the real
desa of the kecamatan, draws each TPS a point inside its desa and sets the Bawaslu TPS-rawan
indicators so that their counts equal the published marginals of Pesisir Barat, Pilkada 2024
(``../shared/docs/DOMAIN.md``: 240 of 293 TPS flagged at least once; disabled voters 67, internet
45, officials living elsewhere 38, ineligible voters 35, hard to reach 16, movers 12, power 12).
Bawaslu did not publish the other indicators: the flagged TPS that none of the published ones
reaches get one of them, drawn with :data:`FILLER_WEIGHTS`. Nothing here describes a real TPS.
"""

from __future__ import annotations

import os
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pilkada_risk.config.plan_profile import load_plan_profile
from pilkada_risk.synthetic.demo import DEMO_DIR, load_demo

__all__ = [
    "DEMO_TPS_FILE",
    "DEMO_TPS_KPU_FILE",
    "FILLER_WEIGHTS",
    "PUBLISHED_FLAGGED",
    "PUBLISHED_MARGINALS",
    "PUBLISHED_TPS",
    "load_demo_tps",
    "simulate_tps",
    "simulate_tps_kpu",
]

#: Pesisir Barat, Pilkada 2024 (DOMAIN.md).
PUBLISHED_TPS = 293
PUBLISHED_FLAGGED = 240
PUBLISHED_MARGINALS = {
    "pemilih_disabilitas": 67,
    "internet": 45,
    "penyelenggara_domisili_lain": 38,
    "tidak_memenuhi_syarat": 35,
    "sulit_dijangkau": 16,
    "pemilih_pindahan": 12,
    "listrik": 12,
}
#: Indicators drawn toward remote kecamatan (distance to the capital).
_REMOTE = frozenset({"sulit_dijangkau", "internet", "listrik"})
#: Relative weights of the unpublished indicators given to otherwise unflagged TPS (synthetic).
FILLER_WEIGHTS = {
    "netralitas": 0.16,
    "potensi_dpk": 0.12,
    "dekat_rumah_calon": 0.12,
    "logistik_kurang_lebih": 0.08,
    "logistik_terlambat": 0.06,
    "logistik_rusak": 0.04,
    "dekat_lembaga_pendidikan": 0.08,
    "politik_uang": 0.1,
    "rawan_bencana": 0.05,
    "rawan_konflik": 0.04,
    "dekat_wilayah_kerja": 0.03,
    "kpps_berkampanye": 0.02,
    "sara": 0.03,
    "riwayat_psu": 0.03,
    "riwayat_kekerasan": 0.02,
    "intimidasi": 0.01,
    "penolakan": 0.01,
}
DEMO_TPS_FILE = "tps_sintetis_pesisir_barat.csv"
#: The same SYNTHETIC TPS in KPU's shape (13-digit codes, DPT as L + P, no coordinates).
DEMO_TPS_KPU_FILE = "tps_kpu_sintetis_pesisir_barat.csv"
_NOTE = "SINTETIS: TPS rekaan untuk latihan, bukan data KPU/Bawaslu"


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``weights`` that add up to ``total`` (Hamilton's method)."""
    exact = weights / weights.sum() * total
    out = np.floor(exact).astype(int)
    order = np.argsort(-(exact - out), kind="stable")
    out[order[: total - int(out.sum())]] += 1
    return out


def _point_in(geom: Any, rng: np.random.Generator) -> tuple[float, float]:
    """A uniform random point inside ``geom`` (rejection sampling in its bounds)."""
    west, south, east, north = geom.bounds
    for _ in range(1000):
        x, y = rng.uniform(west, east), rng.uniform(south, north)
        if geom.contains(shapely.Point(x, y)):
            return round(float(y), 6), round(float(x), 6)
    point = geom.representative_point()
    return round(point.y, 6), round(point.x, 6)


def _per_desa(n_tps: int, desa_codes: list[str], rng: np.random.Generator) -> list[str]:
    """Desa code of each of ``n_tps`` TPS: every desa one TPS when there are enough."""
    if n_tps < len(desa_codes):
        return sorted(rng.choice(desa_codes, size=n_tps, replace=False).tolist())
    extra = rng.multinomial(n_tps - len(desa_codes), rng.dirichlet(np.full(len(desa_codes), 2.0)))
    return [c for c, k in zip(desa_codes, extra + 1, strict=True) for _ in range(int(k))]


def _stations(
    context: pd.DataFrame, desa: gpd.GeoDataFrame, n_tps: int, rng: np.random.Generator
) -> pd.DataFrame:
    counts = _largest_remainder(context["tps"].to_numpy(dtype=float), n_tps)
    geoms = dict(zip(desa["kode"].astype(str), desa.geometry.to_crs(4326), strict=True))
    names = dict(zip(desa["kode"].astype(str), desa["nama"].astype(str), strict=True))
    rows = []
    for kec, n_k, dpt_k in zip(context["kode"].astype(str), counts, context["dpt"], strict=True):
        if n_k == 0:
            continue
        codes = sorted(desa.loc[desa["kec_kode"].astype(str) == kec, "kode"].astype(str))
        placed = _per_desa(int(n_k), codes, rng)
        dpt = _largest_remainder(rng.uniform(0.6, 1.4, size=len(placed)), int(dpt_k))
        number: dict[str, int] = {}
        for code, voters in zip(placed, dpt, strict=True):
            number[code] = number.get(code, 0) + 1
            lat, lon = _point_in(geoms[code], rng)
            rows.append((kec, code, names[code], number[code], int(voters), lat, lon))
    return pd.DataFrame(
        rows, columns=["kec_kode", "desa_kode", "desa", "no_tps", "dpt", "lintang", "bujur"]
    )


def _flags(
    stations: pd.DataFrame, remoteness: pd.Series, indicators: list[str], rng: np.random.Generator
) -> pd.DataFrame:
    """Indicator flags whose column sums are the (scaled) published marginals."""
    n = len(stations)
    scale = n / PUBLISHED_TPS
    flagged = np.sort(rng.choice(n, size=round(PUBLISHED_FLAGGED * scale), replace=False))
    remote = stations["kec_kode"].map(remoteness).fillna(0).to_numpy(dtype=float)[flagged] + 5.0
    flags = pd.DataFrame(False, index=stations.index, columns=indicators)
    for name, count in PUBLISHED_MARGINALS.items():
        p = remote / remote.sum() if name in _REMOTE else None
        chosen = rng.choice(flagged, size=round(count * scale), replace=False, p=p)
        flags.loc[chosen, name] = True
    empty = flagged[~flags.loc[flagged].any(axis=1).to_numpy()]
    names = list(FILLER_WEIGHTS)
    weights = np.array(list(FILLER_WEIGHTS.values()))
    picks = rng.choice(len(names), size=len(empty), p=weights / weights.sum())
    for i, pick in zip(empty, picks, strict=True):
        flags.loc[i, names[pick]] = True
    return flags


def _simulate(
    context: pd.DataFrame, desa: gpd.GeoDataFrame, n_tps: int | None, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray, dict[str, Any]]:
    """Stations, indicator flags, khusus mask and indicator spec (one draw per seed)."""

    rng = np.random.default_rng(seed)
    total = int(context["tps"].sum()) if n_tps is None else int(n_tps)
    stations = _stations(context.reset_index(drop=True), desa, total, rng)
    spec = load_plan_profile().tps["indikator"]
    remoteness = context.set_index(context["kode"].astype(str)).get("jarak_ibukota_km")
    remoteness = remoteness if remoteness is not None else pd.Series(dtype=float)
    flags = _flags(stations, remoteness, list(spec), rng)
    khusus = np.zeros(len(stations), dtype=bool)
    first = int((stations["kec_kode"] == stations["kec_kode"].iloc[0]).sum())
    # one TPS khusus in the first kecamatan, among the flagged ones (its "Lokasi Khusus" flag then
    # keeps the published count of TPS flagged at least once)
    pool = np.flatnonzero(flags.iloc[:first].any(axis=1).to_numpy())
    pool = pool if len(pool) else np.arange(first)
    khusus[int(pool[int(rng.integers(0, len(pool)))])] = True
    if "lokasi_khusus" in flags:
        flags["lokasi_khusus"] = khusus  # Bawaslu's "Lokasi Khusus" is that TPS khusus
    return stations, flags, khusus, spec


def simulate_tps_kpu(
    context: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    *,
    n_tps: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """The TPS of :func:`simulate_tps` (same seed, same TPS) in the shape KPU publishes.

    Columns ``kode_tps`` (13 digits: Kemendagri desa code without dots + TPS number),
    ``nama_tps`` ("TPS 001"), ``nama_kecamatan``, ``nama_kelurahan``, ``pemilih_dpt_l``,
    ``pemilih_dpt_p`` (their sum is the DPT of :func:`simulate_tps`; no total column), no
    coordinates, no indicators, and ``keterangan`` (says SINTETIS).

    Examples
    --------
    >>> from pilkada_risk.geo.boundaries import load_desa
    >>> from pilkada_risk.synthetic.demo import load_demo
    >>> kpu = simulate_tps_kpu(load_demo("18.13").context, load_desa("18.13"), n_tps=293)
    >>> len(kpu), kpu["kode_tps"].str.len().unique().tolist()
    (293, [13])
    """
    stations, _, _, _ = _simulate(context, desa, n_tps, seed)
    rng = np.random.default_rng([seed, 13])  # its own stream: the TPS stay those of simulate_tps
    men = rng.binomial(stations["dpt"].to_numpy(int), 0.5)
    kec_names = dict(zip(context["kode"].astype(str), context["nama"].astype(str), strict=True))
    digits = stations["desa_kode"].str.replace(".", "", regex=False)
    return pd.DataFrame(
        {
            "kode_tps": [f"{d}{n:03d}" for d, n in zip(digits, stations["no_tps"], strict=True)],
            "nama_tps": [f"TPS {n:03d}" for n in stations["no_tps"]],
            "nama_kecamatan": stations["kec_kode"].map(kec_names).str.upper(),
            "nama_kelurahan": stations["desa"].str.upper(),
            "pemilih_dpt_l": men,
            "pemilih_dpt_p": stations["dpt"].to_numpy(int) - men,
            "keterangan": _NOTE,
        }
    )


def simulate_tps(
    context: pd.DataFrame,
    desa: gpd.GeoDataFrame,
    *,
    n_tps: int | None = None,
    seed: int = 0,
) -> pd.DataFrame:
    """Generate a SYNTHETIC TPS list shaped like a KPU/Bawaslu table.

    Parameters
    ----------
    context
        Per-kecamatan ``kode``, ``nama``, ``dpt``, ``tps`` (the demo context); ``jarak_ibukota_km``
        (optional) draws hard-to-reach, power and internet flags toward remote kecamatan.
    desa
        The real desa layer of the kabupaten (``kode``, ``nama``, ``kec_kode``, geometry).
    n_tps
        Number of TPS; ``None``: the context's total. The kecamatan keep their shares of
        ``tps`` (largest remainder) and their exact DPT totals.
    seed
        Seed of the generator.

    Returns
    -------
    pandas.DataFrame
        Columns ``No``, ``Kecamatan``, ``Desa/Kelurahan``, ``No TPS``, ``DPT``, ``Lintang``,
        ``Bujur``, ``TPS Khusus``, one ``Ya``/``Tidak`` column per indicator of the default
        plan profile (headed by Bawaslu's short header, ``judul``) and ``Keterangan`` (says
        SINTETIS).

    Examples
    --------
    >>> from pilkada_risk.geo.boundaries import load_desa
    >>> from pilkada_risk.synthetic.demo import load_demo
    >>> tps = simulate_tps(load_demo("18.13").context, load_desa("18.13"), n_tps=293)
    >>> flags = tps.iloc[:, 8:-1].eq("Ya")  # the indicator columns
    >>> len(tps), int(flags.any(axis=1).sum()), int(flags["Pemilih Disabilitas"].sum())
    (293, 240, 67)
    """
    stations, flags, khusus, spec = _simulate(context, desa, n_tps, seed)
    kec_names = dict(zip(context["kode"].astype(str), context["nama"].astype(str), strict=True))
    out = pd.DataFrame(
        {
            "No": np.arange(1, len(stations) + 1),
            "Kecamatan": stations["kec_kode"].map(kec_names),
            "Desa/Kelurahan": stations["desa"],
            "No TPS": [f"{n:03d}" for n in stations["no_tps"]],
            "DPT": stations["dpt"],
            "Lintang": stations["lintang"],
            "Bujur": stations["bujur"],
            "TPS Khusus": np.where(khusus, "Ya", "Tidak"),
        }
    )
    for name in spec:
        out[spec[name]["judul"]] = np.where(flags[name].to_numpy(), "Ya", "Tidak")
    out["Keterangan"] = _NOTE
    return out


def load_demo_tps(kab_kode: str = "18.13", *, seed: int = 0) -> str | pd.DataFrame:
    """The demo TPS list: the shipped CSV for Pesisir Barat (seed 0), else generated in memory.

    Returns a path (for :func:`pilkada_risk.read_tps`) or a DataFrame of the same shape. Other
    kabupaten get their context's TPS total and marginals scaled from Pesisir Barat's.
    """
    shipped = DEMO_DIR / DEMO_TPS_FILE
    if kab_kode == "18.13" and seed == 0 and shipped.exists():
        return os.fspath(shipped)
    demo = load_demo(kab_kode, seed=seed)
    n = PUBLISHED_TPS if kab_kode == "18.13" else None
    return simulate_tps(demo.context, demo.desa, n_tps=n, seed=seed)
