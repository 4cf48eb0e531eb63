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

from pilkada_risk.synthetic.demo import DEMO_DIR, load_demo

__all__ = [
    "DEMO_TPS_FILE",
    "FILLER_WEIGHTS",
    "PUBLISHED_FLAGGED",
    "PUBLISHED_MARGINALS",
    "PUBLISHED_TPS",
    "load_demo_tps",
    "simulate_tps",
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
    "netralitas": 0.22,
    "dekat_rumah_calon": 0.2,
    "logistik": 0.2,
    "politik_uang": 0.14,
    "rawan_konflik_bencana": 0.08,
    "sara": 0.05,
    "riwayat_psu": 0.04,
    "riwayat_kekerasan": 0.03,
    "intimidasi": 0.02,
    "penolakan": 0.02,
}
DEMO_TPS_FILE = "tps_sintetis_pesisir_barat.csv"
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
        profile (headed by its first alias) and ``Keterangan`` (says SINTETIS).

    Examples
    --------
    >>> from pilkada_risk.geo.boundaries import load_desa
    >>> from pilkada_risk.synthetic.demo import load_demo
    >>> tps = simulate_tps(load_demo("18.13").context, load_desa("18.13"), n_tps=293)
    >>> flags = tps.iloc[:, 8:-1].eq("Ya")  # the indicator columns
    >>> len(tps), int(flags.any(axis=1).sum()), int(flags["Pemilih Disabilitas"].sum())
    (293, 240, 67)
    """
    # lazy: [tps] settings move to the plan profile (issue 18, TPS part)
    from pilkada_risk.config.profile import load_profile

    rng = np.random.default_rng(seed)
    total = int(context["tps"].sum()) if n_tps is None else int(n_tps)
    stations = _stations(context.reset_index(drop=True), desa, total, rng)
    spec = load_profile().section("tps")["indikator"]
    remoteness = context.set_index(context["kode"].astype(str)).get("jarak_ibukota_km")
    remoteness = remoteness if remoteness is not None else pd.Series(dtype=float)
    flags = _flags(stations, remoteness, list(spec), rng)
    khusus = np.zeros(len(stations), dtype=bool)
    first = int((stations["kec_kode"] == stations["kec_kode"].iloc[0]).sum())
    khusus[int(rng.integers(0, first))] = True  # one TPS khusus in the first kecamatan
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
        header = spec[name]["alias"][0].replace("_", " ").title()
        out[header] = np.where(flags[name].to_numpy(), "Ya", "Tidak")
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
