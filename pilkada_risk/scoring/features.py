r"""Per-kecamatan features and the six score components, vectorised over bootstrap replicates.

Incidents become one sparse design matrix ``X`` (incidents x features); the per-kecamatan
aggregates of a bootstrap replicate are ``weights @ X`` with Poisson(1) weights per incident,
so the bootstrap never loops over incidents. Components (``c_k`` in 0..1, see
docs/metode.md):

* intensitas: :math:`I_i = \sum_j s_j` over incidents in the intensity window, scaled by the max.
* kekinian: :math:`R_i = \sum_j s_j\,0.5^{a_j/h}\,e_j` (age :math:`a_j` days, half-life
  :math:`h`, election emphasis :math:`e_j`), scaled by the max.
* laju: empirical-Bayes rate :math:`r_i` of :math:`R_i/\bar s` (effective incidents) per
  exposure, on a relative-risk scale: :math:`c_i = RR_i/(1+RR_i)` with
  :math:`RR_i = r_i/\bar r` and :math:`\bar r` the kabupaten rate (so the kabupaten mean
  maps to 0.5, half the mean to 1/3, twice the mean to 2/3).
* limpahan: row-standardised spatial lag :math:`L_i` of the laju rate, scaled like laju:
  :math:`(L_i/\bar r)/(1 + L_i/\bar r)`.
* struktural: weighted mean of min-max scaled factors (direction -1 flips), missing = 0.5.
* tren: :func:`pilkada_risk.scoring.trend.trend_change` on recent vs baseline severity sums, over
  the trend periods observed in full (after the first incident); 0.5 with fewer than
  :data:`pilkada_risk.scoring.trend.MIN_PERIODS` of them.

Intensitas and kekinian measure volume and stay divided by the kabupaten maximum; the two
rates are divided by the kabupaten mean instead, because empirical Bayes shrinks every rate
toward that mean and, with thin data, the maximum is barely above it (every unit would score
near 1).

Context alignment, exposure and the structural component live in
:mod:`pilkada_risk.scoring.context`.

Expected counts only (not the score): :func:`election_uplift`, factors per election phase.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from pilkada_risk.config.elections import election_phase
from pilkada_risk.config.profile import COMPONENTS, PHASES, RiskProfile
from pilkada_risk.scoring.smoothing import empirical_bayes
from pilkada_risk.scoring.spatial import Weights, spatial_lag
from pilkada_risk.scoring.trend import MIN_PERIODS, trend_change

__all__ = [
    "IncidentFeatures",
    "components",
    "day_uplift",
    "election_uplift",
    "incident_features",
    "mean_past_uplift",
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
    observed_periods: int

    def aggregates(self, weights: NDArray[np.float64] | None = None) -> dict[str, NDArray[Any]]:
        """Per-unit sums for each block; ``weights`` (replicates x incidents) for a bootstrap."""
        if weights is None:
            flat = np.asarray(self.design.sum(axis=0)).reshape(1, -1)
        else:
            flat = np.asarray((self.design.T @ weights.T).T)
        cube = flat.reshape(flat.shape[0], len(_BLOCKS), self.n_units)
        return {name: cube[:, k, :] for k, name in enumerate(_BLOCKS)}

    def period_counts(self, n_periods: int) -> NDArray[np.float64]:
        """Counts per unit and period, oldest period first.

        Only the newest ``min(n_periods, observed_periods)`` periods are returned (shape
        ``(units, that number)``): a period that starts before the first incident in the data
        is not observed (a register that starts later is not a rise from zero).
        """
        n_obs = min(int(n_periods), self.observed_periods)
        out = np.zeros((self.n_units, n_obs))
        keep = self.period < n_obs
        np.add.at(out, (self.unit[keep], n_obs - 1 - self.period[keep]), 1.0)
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
    # Periods fully inside [first incident, as_of): the first incident has the largest age.
    span_periods = age.max() // float(tr["period_days"]) if age.size else 0
    observed = int(min(tr["n_periods"], span_periods))
    recent = (period < tr["recent_periods"]).astype(float)
    base = ((period >= tr["recent_periods"]) & (period < observed)).astype(float)
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
        observed_periods=observed,
    )


def _by_max(x: NDArray[np.float64]) -> NDArray[np.float64]:
    top = x.max(axis=-1, keepdims=True)
    return np.divide(x, top, out=np.zeros_like(x), where=top > 0)


def _relative_risk(x: NDArray[np.float64], mean: NDArray[np.float64]) -> NDArray[np.float64]:
    """``RR / (1 + RR)`` with ``RR = x / mean`` (0 where the mean is 0); the mean maps to 0.5."""
    rr = np.divide(x, mean, out=np.zeros_like(x), where=mean > 0)
    return rr / (1.0 + rr)


def components(
    agg: dict[str, NDArray[Any]],
    *,
    exposure: NDArray[np.float64],
    lag_weights: Weights,
    structural: NDArray[np.float64] | None,
    mean_severity: float,
    profile: RiskProfile,
    observed_periods: int | None = None,
) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    """Scaled components, shape ``(replicates, units, 6)`` in :data:`COMPONENTS` order, and raws.

    Raw values (``(replicates, units)`` each): ``intensitas`` severity sum, ``kekinian``
    decayed sum, ``laju`` EB rate per ``exposure.per`` exposure units, ``limpahan`` the lag of
    that rate, ``struktural`` the structural value, ``tren`` the recent share (0.5 = steady).
    Scaling: intensitas and kekinian divided by the kabupaten maximum; laju and limpahan
    ``RR/(1+RR)`` with ``RR`` = value / kabupaten rate (total effective incidents per total
    exposure); tren as is, or 0.5 everywhere when ``observed_periods`` (trend periods observed
    in full, :attr:`IncidentFeatures.observed_periods`; ``None`` = ``trend.n_periods``) is
    below :data:`pilkada_risk.scoring.trend.MIN_PERIODS`.

    Examples
    --------
    A flat register (same rate everywhere) puts every unit at the kabupaten mean, 0.5:

    >>> from pilkada_risk.config.profile import load_profile
    >>> agg = {k: np.full((1, 3), 2.0) for k in ("intensitas", "kekinian", "tren_baru")}
    >>> agg["tren_dasar"] = np.full((1, 3), 10.0)
    >>> w = np.array([[0, 1.0, 0], [0.5, 0, 0.5], [0, 1.0, 0]])
    >>> c, _ = components(agg, exposure=np.ones(3), lag_weights=w, structural=None,
    ...                   mean_severity=2.0, profile=load_profile())
    >>> c[0, :, COMPONENTS.index("laju")].tolist()
    [0.5, 0.5, 0.5]
    """
    tr = profile.section("trend")
    per = float(profile.section("exposure")["per"])
    effective = agg["kekinian"] / max(mean_severity, 1e-12)
    rate = empirical_bayes(effective, exposure) * per
    lag = spatial_lag(lag_weights, rate)
    mean_rate = effective.sum(axis=-1, keepdims=True) / max(float(exposure.sum()), 1e-12) * per
    n_obs = int(tr["n_periods"]) if observed_periods is None else int(observed_periods)
    recent_periods = int(tr["recent_periods"])
    if n_obs < max(MIN_PERIODS, recent_periods + 1):
        trend = np.full(agg["tren_baru"].shape, 0.5)
    else:
        trend = trend_change(
            agg["tren_baru"],
            agg["tren_dasar"],
            recent_periods=recent_periods,
            baseline_periods=n_obs - recent_periods,
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
        "laju": _relative_risk(rate, mean_rate),
        "limpahan": _relative_risk(lag, mean_rate),
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


def day_uplift(
    start: Any, n_days: int, uplift: Mapping[str, float], elections: pd.DataFrame | None = None
) -> NDArray[np.float64]:
    """Uplift factor of each of the ``n_days`` days from ``start`` (1 outside election windows).

    Examples
    --------
    >>> day_uplift("2024-11-26", 3, {"tenang": 1.5, "pemungutan": 3.0}).tolist()
    [1.5, 3.0, 1.0]
    """
    days = pd.Series(pd.date_range(pd.Timestamp(start).normalize(), periods=n_days, freq="D"))
    phase = election_phase(days, elections).astype(object)
    factors = {"": 1.0, **{k: float(v) for k, v in uplift.items()}}
    return np.array(phase.map(factors).fillna(1.0), dtype=float)


def election_uplift(
    tanggal: pd.Series,
    *,
    start: Any,
    as_of: Any,
    prior: float,
    elections: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Kabupaten-wide incident uplift per election phase, shrunk toward 1.

    Over the days of ``[start, as_of)``, with :math:`n_p` incidents on :math:`D_p` days of
    phase :math:`p` and :math:`n_0, D_0` outside every window, the baseline daily rate is
    :math:`r_0 = n_0/D_0`, the count expected without uplift :math:`E_p = r_0 D_p`, and

    .. math:: u_p = (n_p + a) / (E_p + a),

    the posterior mean of :math:`u_p` under :math:`n_p \sim \mathrm{Poisson}(u_p E_p)` with a
    Gamma(:math:`a`, :math:`a`) prior (mean 1, sd :math:`1/\sqrt a`), ``a = prior``. A phase
    with few expected incidents stays near 1; with :math:`E_p \gg a` it is the raw ratio
    :math:`n_p/E_p`. Without outside-window days or incidents (no baseline) every factor is 1.

    Parameters
    ----------
    tanggal, start, as_of
        Incident dates; those in ``[start, as_of)`` (the history) are used.
    prior
        Prior strength :math:`a` (> 0), in expected incidents.
    elections
        Calendar (:func:`pilkada_risk.config.elections.load_elections` by default).

    Returns
    -------
    pandas.DataFrame
        Index ``fase`` (:data:`pilkada_risk.config.profile.PHASES`), columns ``hari`` (days),
        ``kejadian`` (incidents), ``harapan`` (:math:`E_p`), ``rasio_mentah``
        (:math:`n_p/E_p`, NaN when :math:`E_p = 0`) and ``faktor`` (:math:`u_p`).

    Examples
    --------
    >>> dates = pd.Series(pd.to_datetime(["2024-05-01", "2024-10-01", "2024-10-02"]))
    >>> t = election_uplift(dates, start="2024-04-01", as_of="2025-01-01", prior=2.0)
    >>> t.loc["kampanye", ["hari", "kejadian"]].tolist()
    [60.0, 2.0]
    """
    if not np.isfinite(prior) or prior <= 0:
        raise ValueError(f"prior = {prior!r}: must be > 0 (forecast.uplift_prior)")
    t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(as_of).normalize()
    days = pd.Series(pd.date_range(t0, t1 - pd.Timedelta(days=1), freq="D"))
    day_phase = election_phase(days, elections).astype(object)
    inc = pd.to_datetime(tanggal).dt.normalize()
    inc_phase = election_phase(inc[(inc >= t0) & (inc < t1)], elections).astype(object)
    n_days = day_phase.value_counts().reindex(["", *PHASES], fill_value=0).astype(float)
    n_inc = inc_phase.value_counts().reindex(["", *PHASES], fill_value=0).astype(float)
    base = n_inc[""] / n_days[""] if n_days[""] > 0 and n_inc[""] > 0 else np.nan
    table = pd.DataFrame({"hari": n_days[list(PHASES)], "kejadian": n_inc[list(PHASES)]})
    table["harapan"] = table["hari"] * base
    table["rasio_mentah"] = (table["kejadian"] / table["harapan"]).where(table["harapan"] > 0)
    shrunk = (table["kejadian"] + prior) / (table["harapan"] + prior)
    table["faktor"] = shrunk if np.isfinite(base) else 1.0
    return table.rename_axis("fase")


def mean_past_uplift(
    start: Any,
    as_of: Any,
    uplift: Mapping[str, float],
    *,
    half_life: float,
    elections: pd.DataFrame | None = None,
) -> float:
    r"""Recency-weighted mean uplift of the days in ``[start, as_of)``.

    :math:`\bar u = \sum_d 0.5^{a_d/h} u_d / \sum_d 0.5^{a_d/h}` with :math:`a_d` the age of
    day :math:`d` at ``as_of``. Decayed counts divided by (effective days × :math:`\bar u`)
    estimate the *outside-window* daily rate. 1.0 when the period is empty.

    Examples
    --------
    >>> mean_past_uplift("2024-11-27", "2024-11-28", {"pemungutan": 3.0}, half_life=365)
    3.0
    """
    t0, t1 = pd.Timestamp(start).normalize(), pd.Timestamp(as_of).normalize()
    n_days = max((t1 - t0).days, 0)
    if n_days == 0:
        return 1.0
    factors = day_uplift(t0, n_days, uplift, elections)
    weights = 0.5 ** (np.arange(n_days, 0, -1) / float(half_life))
    return float(weights @ factors / weights.sum())
