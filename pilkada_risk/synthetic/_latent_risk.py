"""Structural factors and latent risk per kecamatan of the synthetic world (private to
:mod:`pilkada_risk.synthetic.simulate`).

:func:`choose_capital` picks the kabupaten capital, :func:`build_context` the factors an analyst
would supply (population, voters, TPS, land disputes, distance to the capital) and
:func:`build_truth` the latent log-risk: a Gaussian field with exponential covariance between
centroids plus the structural effects, and the background rate per kecamatan. The model is
documented in :func:`pilkada_risk.synthetic.simulate.simulate_incidents`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from pilkada_risk.config.columns import validate_columns

__all__ = ["build_context", "build_truth", "choose_capital"]

# Kabupaten capitals (ibukota): Krui lies in Pesisir Tengah, Kalianda is its own kecamatan.
_KNOWN_CAPITALS = {"18.13": "18.13.01", "18.01": "18.01.06"}
# PT KCMU palm-oil land dispute (DOMAIN.md): Pesisir Selatan, Ngambur, Ngaras.
_KNOWN_LAND_DISPUTES = frozenset({"18.13.02", "18.13.09", "18.13.10"})


def choose_capital(areas_utm: gpd.GeoDataFrame, capital_kode: str | None) -> str:
    """Kecamatan ``kode`` of the capital: ``capital_kode``, a known one, or the most central."""
    codes = list(areas_utm["kode"])
    if capital_kode is not None:
        if capital_kode not in codes:
            raise ValueError(f"capital_kode={capital_kode!r} is not among areas['kode']: {codes}")
        return capital_kode
    kabs = {str(k)[:5] for k in codes}
    for kab in sorted(kabs):  # sorted: set order varies between processes
        if _KNOWN_CAPITALS.get(kab) in codes:
            return _KNOWN_CAPITALS[kab]
    centre = areas_utm.geometry.union_all().centroid
    return str(codes[int(np.argmin(areas_utm.geometry.distance(centre).to_numpy()))])


def _zscore(v: np.ndarray) -> np.ndarray:
    sd = float(np.std(v))
    return (v - v.mean()) / sd if sd > 0 else np.zeros_like(v, dtype=float)


def build_context(
    areas_utm: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    capital: str,
    rng: np.random.Generator,
    p: dict[str, float],
    override: pd.DataFrame | None,
) -> pd.DataFrame:
    """Structural factors per kecamatan (``SimulationResult.context``), ``override`` merged in."""
    cen = areas_utm.geometry.centroid
    cap = cen[areas_utm["kode"] == capital].iloc[0]
    jarak = cen.distance(cap).to_numpy() / 1000.0
    n_desa = np.bincount(units["kec_idx"], minlength=len(areas_utm))
    w = n_desa * areas_utm["area_km2"].to_numpy() ** 0.3 * np.exp(-jarak / 60.0)
    total_pop = p["density_per_km2"] * float(areas_utm["area_km2"].sum())
    populasi = np.round(total_pop * w / w.sum()).astype(int)
    dpt = np.round(p["dpt_share"] * populasi).astype(int)
    tps = np.maximum(1, np.ceil(dpt / p["voters_per_tps"])).astype(int)
    p_rawan = np.clip(0.55 + 0.2 * _zscore(jarak), 0.2, 0.95)
    tps_rawan = rng.binomial(tps, p_rawan)
    known = np.array([k in _KNOWN_LAND_DISPUTES for k in areas_utm["kode"]])
    draws = rng.random(len(areas_utm)) < 0.25
    sengketa = np.where(known.any(), known, draws).astype(int)
    ctx = pd.DataFrame(
        {
            "kode": areas_utm["kode"].astype(str),
            "nama": areas_utm["nama"].astype(str),
            "n_desa": n_desa,
            "populasi": populasi,
            "dpt": dpt,
            "tps": tps,
            "tps_rawan": tps_rawan,
            "sengketa_lahan": sengketa,
            "jarak_ibukota_km": np.round(jarak, 3),
            "area_km2": np.round(areas_utm["area_km2"].to_numpy(), 3),
        }
    )
    if override is not None:
        validate_columns(override, ("kode",), what="context", source="load_kecamatan")
        extra = [c for c in override.columns if c not in ctx.columns]
        if extra:
            raise ValueError(f"context: unknown columns {extra}; allowed: {list(ctx.columns)}")
        upd = override.set_index("kode")
        for col in upd.columns:
            if col == "nama":
                continue
            mapped = ctx["kode"].map(upd[col])
            ctx[col] = mapped.where(mapped.notna(), ctx[col]).astype(ctx[col].dtype)
    return ctx


def build_truth(
    areas_utm: gpd.GeoDataFrame,
    ctx: pd.DataFrame,
    rng: np.random.Generator,
    p: dict[str, float],
    n_per_year: float | None,
) -> pd.DataFrame:
    """Latent field, log-risk, relative risk and yearly background rate per kecamatan."""
    cen = areas_utm.geometry.centroid
    xy = np.column_stack([cen.x, cen.y]) / 1000.0
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    cov = p["field_sd"] ** 2 * np.exp(-d / p["field_range_km"]) + 1e-9 * np.eye(len(d))
    u = np.linalg.cholesky(cov) @ rng.standard_normal(len(d))
    share = ctx["tps_rawan"].to_numpy() / np.maximum(ctx["tps"].to_numpy(), 1)
    sengketa = ctx["sengketa_lahan"].to_numpy(dtype=float)
    eta = (
        u
        + p["beta_remote"] * _zscore(ctx["jarak_ibukota_km"].to_numpy(dtype=float))
        + p["beta_sengketa"] * (sengketa - sengketa.mean())
        + p["beta_tps"] * _zscore(share)
    )
    risk = np.exp(eta) / np.exp(eta).mean()
    pop = ctx["populasi"].to_numpy(dtype=float)
    exposure = pop / pop.sum()
    total = p["rate_per_1000"] * pop.sum() / 1000.0 if n_per_year is None else float(n_per_year)
    if total <= 0:
        raise ValueError(f"n_per_year={n_per_year!r} must be positive")
    lam = total * exposure * risk / (exposure * risk).sum()
    truth = ctx.copy()
    truth.insert(2, "risk_true", risk)
    truth.insert(3, "lambda_year", lam)
    truth.insert(4, "exposure", exposure)
    truth.insert(5, "field", u)
    truth.insert(6, "log_risk", eta)
    truth["tps_rawan_share"] = share
    return truth
