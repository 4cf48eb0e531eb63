"""Space-time point process of the synthetic incidents (private to
:mod:`pilkada_risk.synthetic.simulate`).

Background and election-surge events as an inhomogeneous Poisson process per kecamatan and day,
uniform points inside desa polygons, and ETAS-like offspring (near-repeat clustering).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

__all__ = [
    "CAMPAIGN_MIX",
    "KORBAN_MEAN",
    "ROUTINE_MIX",
    "SURGE",
    "VOTE_MIX",
    "background_events",
    "events_frame",
    "sample_points",
    "seed_clusters",
    "self_excite",
]

# First day of Ramadan (approximate, Kemenag); the month is taken as 30 days.
_RAMADAN_START = tuple(
    pd.Timestamp(d)
    for d in (
        "2015-06-18", "2016-06-06", "2017-05-27", "2018-05-16", "2019-05-06", "2020-04-24",
        "2021-04-13", "2022-04-02", "2023-03-23", "2024-03-11", "2025-03-01", "2026-02-18",
        "2027-02-08", "2028-01-28", "2029-01-16", "2030-01-06",
    )
)  # fmt: skip
SURGE = {"kampanye": 1.7, "tenang": 1.7, "pemungutan": 3.0, "rekapitulasi": 3.0}
# Category mix outside election surges (shares, normalised); election codes are rare here.
ROUTINE_MIX = {
    "curat": 20, "curanmor": 14, "penganiayaan": 12, "narkotika": 9, "penipuan": 8,
    "curas": 5, "perjudian": 5, "penggelapan": 4, "perusakan": 4, "pemerasan": 3,
    "pemerkosaan": 3, "pembakaran": 2, "premanisme": 2, "pembalakan_liar": 2,
    "penangkapan_ikan_ilegal": 2, "konflik_sosial": 2, "unjuk_rasa": 2, "pembunuhan": 1,
    "penambangan_ilegal": 1, "bentrok_massa": 1, "penyelundupan": 0.5, "hoaks_sara": 0.5,
    "unjuk_rasa_anarkis": 0.3, "kerusuhan": 0.2, "perdagangan_orang": 0.2,
    "politik_uang": 0.2, "netralitas": 0.2,
}  # fmt: skip
# Mix of the extra (surge) incidents: campaign and quiet period, then polling and recapitulation.
CAMPAIGN_MIX = {
    "politik_uang": 20, "perusakan_apk": 16, "hoaks_sara": 14, "netralitas": 10,
    "intimidasi": 8, "pengerahan_massa": 7, "unjuk_rasa": 8, "bentrok_massa": 5,
    "penganiayaan": 6, "kerusuhan": 2, "perusakan": 4,
}  # fmt: skip
VOTE_MIX = {
    "keberatan_saksi": 16, "politik_uang": 14, "unjuk_rasa": 14, "intimidasi": 10,
    "tuntutan_psu": 8, "penolakan_pemungutan": 6, "netralitas": 6, "bentrok_massa": 8,
    "kerusuhan": 6, "unjuk_rasa_anarkis": 4, "hoaks_sara": 4, "penganiayaan": 4,
}  # fmt: skip
# Mean casualties per incident (Poisson); categories not listed have none.
KORBAN_MEAN = {
    "penganiayaan": 1.1, "curas": 0.6, "pembunuhan": 1.2, "pemerkosaan": 1.0,
    "kerusuhan": 2.0, "bentrok_massa": 1.5, "unjuk_rasa_anarkis": 1.0, "intimidasi": 0.3,
    "pembakaran": 0.2, "premanisme": 0.3,
}  # fmt: skip


def _seasonality(days: pd.DatetimeIndex, p: dict[str, float]) -> np.ndarray:
    doy = days.day_of_year.to_numpy(dtype=float)
    s = 1 + p["season_amplitude"] * np.sin(2 * np.pi * (doy - 105) / 365.25)
    ramadan = np.zeros(len(days), dtype=bool)
    for r0 in _RAMADAN_START:
        ramadan |= (days >= r0) & (days < r0 + pd.Timedelta(days=30))
    s = s * (1 + p["ramadan_bump"] * ramadan)
    return s / s.mean()


def _draw_categories(mix: Mapping[str, float], n: int, rng: np.random.Generator) -> np.ndarray:
    codes = np.array(list(mix), dtype=object)
    w = np.array(list(mix.values()), dtype=float)
    return codes[rng.choice(len(codes), size=n, p=w / w.sum())]


def background_events(
    lam: np.ndarray,
    days: pd.DatetimeIndex,
    phase: np.ndarray,
    units: gpd.GeoDataFrame,
    rng: np.random.Generator,
    p: dict[str, float],
    mult: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Background and election-surge events; ``mult`` (kecamatan x day) drifts the intensity."""
    s = _seasonality(days, p)
    m = np.array([SURGE.get(str(ph), 1.0) for ph in phase])
    parts: list[dict[str, np.ndarray]] = []
    for asal, tw in (("latar", s), ("pemilu", s * (m - 1))):
        if tw.sum() <= 0:
            continue
        if mult is None:
            n_kec = rng.poisson(lam / 365.25 * tw.sum())
            kec = np.repeat(np.arange(len(lam)), n_kec)
            day = rng.choice(len(days), size=len(kec), p=tw / tw.sum())
        else:
            kec, day = _drifting_days(lam, tw, mult, rng)
        if asal == "latar":
            cat = _draw_categories(ROUTINE_MIX, len(kec), rng)
        else:
            vote = np.isin(phase[day], ["pemungutan", "rekapitulasi"])
            cat = np.where(
                vote,
                _draw_categories(VOTE_MIX, len(kec), rng),
                _draw_categories(CAMPAIGN_MIX, len(kec), rng),
            )
        parts.append({"day": day, "kec": kec, "cat": cat, "asal": np.full(len(kec), asal)})
    ev = {k: np.concatenate([q[k] for q in parts]) for k in ("day", "kec", "cat", "asal")}
    ev["unit"] = _choose_units(ev["kec"], units, rng, p)
    ev["gen"] = np.zeros(len(ev["day"]), dtype=int)
    return ev


def _drifting_days(
    lam: np.ndarray, tw: np.ndarray, mult: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Event kecamatan and days when each kecamatan has its own daily intensity profile."""
    kecs, days = [], []
    for k in range(len(lam)):
        w = tw * mult[k]
        total = float(w.sum())
        n = rng.poisson(lam[k] / 365.25 * total) if total > 0 else 0
        if n:
            kecs.append(np.full(n, k))
            days.append(rng.choice(len(tw), size=n, p=w / total))
    if not kecs:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return np.concatenate(kecs), np.concatenate(days)


def _choose_units(
    kec: np.ndarray, units: gpd.GeoDataFrame, rng: np.random.Generator, p: dict[str, float]
) -> np.ndarray:
    w = units["area_km2"].to_numpy() ** 0.5 * np.exp(p["desa_sd"] * rng.standard_normal(len(units)))
    out = np.empty(len(kec), dtype=int)
    kec_of_unit = units["kec_idx"].to_numpy()
    for k in np.unique(kec):
        idx = np.flatnonzero(kec_of_unit == k)
        sel = kec == k
        out[sel] = rng.choice(idx, size=int(sel.sum()), p=w[idx] / w[idx].sum())
    return out


def seed_clusters(
    ev: dict[str, np.ndarray], units: gpd.GeoDataFrame, days: pd.DatetimeIndex
) -> dict[str, np.ndarray]:
    riot = pd.Timestamp("2020-12-15")
    in_krui = np.flatnonzero(units["kec_kode"].to_numpy() == "18.13.01")
    if not len(in_krui) or riot not in days:
        return ev
    names = units["desa_nama"].to_numpy()[in_krui]
    pasar = [i for i, n in zip(in_krui, names, strict=True) if "pasar krui" in str(n).lower()]
    unit = pasar[0] if pasar else in_krui[0]
    cats = ["kerusuhan", "kerusuhan", "kerusuhan", "perusakan", "penganiayaan", "keberatan_saksi"]
    n = len(cats)
    add = {
        "day": np.full(n, days.get_loc(riot)),
        "kec": np.full(n, units["kec_idx"].iloc[unit]),
        "cat": np.array(cats, dtype=object),
        "asal": np.full(n, "klaster"),
        "unit": np.full(n, unit),
        "gen": np.zeros(n, dtype=int),
    }
    return {k: np.concatenate([ev[k], add[k]]) for k in ev}


def sample_points(
    geoms: gpd.GeoSeries, unit: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points inside ``geoms[unit[k]]`` for every k, vectorised per unit."""
    counts = np.bincount(unit, minlength=len(geoms))
    x = np.empty(len(unit))
    y = np.empty(len(unit))
    if not len(unit):
        return x, y
    pts = geoms.sample_points(counts, rng=rng)
    coords = shapely.get_coordinates(pts.to_numpy()[counts > 0])
    order = np.argsort(unit, kind="stable")
    x[order], y[order] = coords[:, 0], coords[:, 1]
    return x, y


def self_excite(
    ev: dict[str, np.ndarray],
    units: gpd.GeoDataFrame,
    n_days: int,
    rng: np.random.Generator,
    p: dict[str, float],
) -> dict[str, np.ndarray]:
    out = [ev]
    parents = ev
    kec_of_unit = units["kec_idx"].to_numpy()
    for gen in range(1, 50):
        n_off = rng.poisson(p["branching"], size=len(parents["day"]))
        if not n_off.sum():
            break
        src = np.repeat(np.arange(len(n_off)), n_off)
        day = parents["day"][src] + np.floor(rng.exponential(p["offspring_days"], len(src))).astype(
            int
        )
        x = parents["x"][src] + rng.normal(0, p["offspring_km"] * 1000, len(src))
        y = parents["y"][src] + rng.normal(0, p["offspring_km"] * 1000, len(src))
        keep_cat = rng.random(len(src)) < p["offspring_same_category"]
        cat = np.where(keep_cat, parents["cat"][src], _draw_categories(ROUTINE_MIX, len(src), rng))
        unit = np.full(len(src), -1)
        hit_pt, hit_unit = units.sindex.query(gpd.points_from_xy(x, y), predicate="within")
        unit[hit_pt[::-1]] = hit_unit[::-1]  # first match wins
        lost = unit < 0
        unit[lost] = parents["unit"][src][lost]
        fx, fy = sample_points(units.geometry, unit[lost], rng)
        x[lost], y[lost] = fx, fy
        alive = day < n_days
        child = {
            "day": day, "kec": kec_of_unit[unit], "cat": cat,
            "asal": np.full(len(src), "turunan"), "unit": unit,
            "gen": np.full(len(src), gen), "x": x, "y": y,
        }  # fmt: skip
        child = {k: v[alive] for k, v in child.items()}
        out.append(child)
        parents = child
    return {k: np.concatenate([q[k] for q in out]) for k in ev}


def events_frame(
    ev: dict[str, np.ndarray],
    units: gpd.GeoDataFrame,
    days: pd.DatetimeIndex,
    phase: np.ndarray,
    crs: Any,
    rng: np.random.Generator,
) -> pd.DataFrame:
    order = np.lexsort((np.arange(len(ev["day"])), ev["day"]))
    ev = {k: v[order] for k, v in ev.items()}
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(ev["x"], ev["y"])
    unit = ev["unit"]
    cats = ev["cat"].astype(str)
    mean = np.array([KORBAN_MEAN.get(c, 0.0) for c in cats])
    korban = rng.poisson(mean)
    korban[cats == "pembunuhan"] = np.maximum(korban[cats == "pembunuhan"], 1)
    desa_kode = units["kode"].to_numpy()[unit] if units["desa_nama"].ne("").any() else ""
    return pd.DataFrame(
        {
            "tanggal": days[ev["day"]],
            "kategori": cats,
            "kec_kode": units["kec_kode"].to_numpy()[unit].astype(str),
            "kecamatan": units["kec_nama"].to_numpy()[unit].astype(str),
            "desa_kode": desa_kode,
            "desa": units["desa_nama"].to_numpy()[unit].astype(str),
            "lintang": np.round(lat, 6),
            "bujur": np.round(lon, 6),
            "korban": korban.astype(int),
            "asal": ev["asal"].astype(str),
            "generasi": ev["gen"].astype(int),
            "fase": phase[ev["day"]].astype(str),
        }
    )
