r"""Per-kecamatan features and the six score components, vectorised over bootstrap replicates.

Incidents become one sparse design matrix ``X`` (incidents x features); the per-kecamatan
aggregates of a bootstrap replicate are ``weights @ X`` with Poisson(1) weights per incident,
so the bootstrap never loops over incidents. Components (``c_k`` in 0..1, see
the README (section "Skor risiko per kecamatan")):

* intensitas: :math:`I_i = \sum_j s_j` over incidents in the intensity window, scaled by the max.
* kekinian: :math:`R_i = \sum_j s_j\,0.5^{a_j/h}\,e_j` (age :math:`a_j` days, half-life
  :math:`h`, election emphasis :math:`e_j`), scaled by the max.
* laju: empirical-Bayes rate of :math:`R_i/\bar s` (effective incidents) per exposure, by max.
* limpahan: row-standardised spatial lag of the laju rate, scaled by the max.
* struktural: weighted mean of min-max scaled factors (direction -1 flips), missing = 0.5.
* tren: :func:`pilkada_risk.trend.trend_change` on recent vs baseline severity sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from pilkada_risk.elections import election_phase
from pilkada_risk.profile import COMPONENTS, RiskProfile
from pilkada_risk.smoothing import empirical_bayes
from pilkada_risk.spatial import spatial_lag
from pilkada_risk.trend import trend_change

__all__ = [
    "IncidentFeatures",
    "components",
    "exposure_base",
    "incident_features",
    "structural_component",
]

_BLOCKS = ("intensitas", "kekinian", "hitung_decay", "tren_baru", "tren_dasar")


@dataclass(frozen=True)
class IncidentFeatures:
    """Per-incident features and the sparse design matrix (incidents x 5 blocks of units)."""

    unit: NDArray[np.int64]
    severity: NDArray[np.float64]
    decay: NDArray[np.float64]
    emphasis: NDArray[np.float64]
    period: NDArray[np.int64]
    design: sparse.csr_matrix
    n_units: int
    mean_severity: float
    effective_days: float

    def aggregates(self, weights: NDArray[np.float64] | None = None) -> dict[str, NDArray[Any]]:
        """Per-unit sums for each block; ``weights`` (replicates x incidents) for a bootstrap."""
        if weights is None:
            flat = np.asarray(self.design.sum(axis=0)).reshape(1, -1)
        else:
            flat = np.asarray((self.design.T @ weights.T).T)
        cube = flat.reshape(flat.shape[0], len(_BLOCKS), self.n_units)
        return {name: cube[:, k, :] for k, name in enumerate(_BLOCKS)}

    def period_counts(self, n_periods: int) -> NDArray[np.float64]:
        """Counts per unit and period, shape ``(units, n_periods)``, oldest period first."""
        out = np.zeros((self.n_units, n_periods))
        keep = self.period < n_periods
        np.add.at(out, (self.unit[keep], n_periods - 1 - self.period[keep]), 1.0)
        return out


def incident_features(
    unit: NDArray[np.int64],
    tanggal: pd.Series,
    kategori: pd.Series,
    *,
    n_units: int,
    as_of: pd.Timestamp,
    profile: RiskProfile,
) -> IncidentFeatures:
    """Compute severity, decay, election emphasis and trend periods for each incident."""
    sev_map = profile.severity
    severity = kategori.map(sev_map).to_numpy(dtype=float)
    age = (as_of - pd.to_datetime(tanggal)).dt.days.to_numpy(dtype=float)
    time = profile.section("time")
    half = float(time["half_life_days"])
    decay = 0.5 ** (age / half)
    emph_map = {"": 1.0, **{k: float(v) for k, v in profile.section("election_emphasis").items()}}
    phase = election_phase(pd.Series(pd.to_datetime(tanggal).to_numpy()))
    emphasis = phase.map(emph_map).fillna(1.0).to_numpy(dtype=float)
    window = float(time["intensity_window_days"])
    in_window = np.ones_like(age) if window <= 0 else (age < window).astype(float)
    tr = profile.section("trend")
    period = (age // float(tr["period_days"])).astype(np.int64)
    recent = (period < tr["recent_periods"]).astype(float)
    base = ((period >= tr["recent_periods"]) & (period < tr["n_periods"])).astype(float)
    values = [severity * in_window, severity * decay * emphasis, decay, severity * recent]
    values.append(severity * base)
    n = unit.size
    rows = np.tile(np.arange(n), len(_BLOCKS))
    cols = np.concatenate([unit + k * n_units for k in range(len(_BLOCKS))])
    design = sparse.csr_matrix(
        (np.concatenate(values), (rows, cols)), shape=(n, len(_BLOCKS) * n_units)
    )
    span = float(age.max()) + 1.0 if n else 1.0
    # Integral of the decay over the observed span: the "effective days" of decayed counts.
    effective = half / np.log(2) * (1 - 0.5 ** (span / half))
    return IncidentFeatures(
        unit=unit,
        severity=np.asarray(severity, dtype=np.float64),
        decay=decay,
        emphasis=np.asarray(emphasis, dtype=np.float64),
        period=period,
        design=design,
        n_units=n_units,
        mean_severity=float(severity.mean()) if n else 1.0,
        effective_days=float(effective),
    )


def exposure_base(context: pd.DataFrame | None, basis: str) -> tuple[NDArray[np.float64], str]:
    """Return the exposure per unit (aligned with ``context``) and the basis used.

    ``auto`` takes the first of ``dpt``, ``populasi``, ``tps`` present in ``context`` with
    all values > 0, else ``unit`` (1 per kecamatan).
    """
    if basis == "unit" or context is None:
        n = 0 if context is None else len(context)
        return np.ones(n), "unit"
    order = ("dpt", "populasi", "tps") if basis == "auto" else (basis,)
    for col in order:
        if col in context.columns:
            values = pd.to_numeric(context[col], errors="coerce").to_numpy(dtype=float)
            if np.all(np.isfinite(values)) and np.all(values > 0):
                return values, col
        if basis != "auto":
            raise ValueError(
                f"exposure.basis = {basis!r} but context lacks column {col!r} or has values "
                "that are missing or <= 0; supply it or use basis = 'auto'"
            )
    return np.ones(len(context)), "unit"


def structural_component(
    context: pd.DataFrame | None, profile: RiskProfile
) -> tuple[NDArray[np.float64] | None, pd.DataFrame, list[str]]:
    """Structural component per unit from ``context`` (rows aligned with the areas).

    Each profile factor found in ``context`` (by name or alias) is min-max scaled across the
    kecamatan (a constant factor scales to 0.5), flipped when ``direction = -1``, and the
    factors are averaged with their weights. A missing value takes the neutral 0.5. Returns
    ``(values or None when no factor is available, scaled factors, notes)``.
    """
    factors = profile.section("structural").get("factors", {})
    if context is None:
        return None, pd.DataFrame(), []
    scaled: dict[str, NDArray[np.float64]] = {}
    weights: dict[str, float] = {}
    notes: list[str] = []
    for name, spec in factors.items():
        col = next((c for c in (name, *spec.get("aliases", [])) if c in context.columns), None)
        if col is None or float(spec["weight"]) == 0:
            continue
        raw = pd.to_numeric(context[col], errors="coerce").to_numpy(dtype=float)
        lo, hi = np.nanmin(raw, initial=np.inf), np.nanmax(raw, initial=-np.inf)
        unit = (raw - lo) / (hi - lo) if hi > lo else np.full_like(raw, 0.5)
        if spec["direction"] == -1:
            unit = 1.0 - unit
        missing = ~np.isfinite(unit)
        if missing.any():
            notes.append(f"{name}: {int(missing.sum())} nilai kosong -> netral 0,5")
        scaled[name] = np.where(missing, 0.5, unit)
        weights[name] = float(spec["weight"])
    if not scaled:
        return None, pd.DataFrame(), notes
    total = sum(weights.values())
    value = sum(weights[k] * scaled[k] for k in scaled) / total
    return np.asarray(value, dtype=float), pd.DataFrame(scaled), notes


def _by_max(x: NDArray[np.float64]) -> NDArray[np.float64]:
    top = x.max(axis=-1, keepdims=True)
    return np.divide(x, top, out=np.zeros_like(x), where=top > 0)


def components(
    agg: dict[str, NDArray[Any]],
    *,
    exposure: NDArray[np.float64],
    lag_weights: NDArray[np.float64],
    structural: NDArray[np.float64] | None,
    mean_severity: float,
    profile: RiskProfile,
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    """Scaled components, shape ``(replicates, units, 6)`` in :data:`COMPONENTS` order, and raws.

    Raw values (``(replicates, units)`` each): ``intensitas`` severity sum, ``kekinian``
    decayed sum, ``laju`` EB rate per ``exposure.per`` exposure units, ``limpahan`` the lag of
    that rate, ``struktural`` the structural value, ``tren`` the recent share (0.5 = steady).
    """
    tr = profile.section("trend")
    per = float(profile.section("exposure")["per"])
    effective = agg["kekinian"] / max(mean_severity, 1e-12)
    rate = empirical_bayes(effective, exposure) * per
    lag = spatial_lag(lag_weights, rate)
    trend = trend_change(
        agg["tren_baru"],
        agg["tren_dasar"],
        recent_periods=int(tr["recent_periods"]),
        baseline_periods=int(tr["n_periods"] - tr["recent_periods"]),
    )
    shape = agg["intensitas"].shape
    struct = np.zeros(shape) if structural is None else np.broadcast_to(structural, shape)
    raw = {
        "intensitas": agg["intensitas"],
        "kekinian": agg["kekinian"],
        "laju": rate,
        "limpahan": lag,
        "struktural": struct,
        "tren": trend,
    }
    scaled = {
        "intensitas": _by_max(raw["intensitas"]),
        "kekinian": _by_max(raw["kekinian"]),
        "laju": _by_max(rate),
        "limpahan": _by_max(lag),
        "struktural": struct,
        "tren": trend,
    }
    return np.stack([scaled[k] for k in COMPONENTS], axis=-1), raw


def effective_weights(profile: RiskProfile, *, has_structural: bool) -> dict[str, float]:
    """Component weights; without structural data its weight is shared out proportionally."""
    w = profile.component_weights
    if has_structural or w["struktural"] == 0:
        return w
    rest = 1.0 - w["struktural"]
    if rest <= 0:
        raise ValueError(
            "components.struktural = 1 but no structural factor is available in context; "
            "pass context with the profile's factors or lower its weight"
        )
    return {k: (0.0 if k == "struktural" else v / rest) for k, v in w.items()}
