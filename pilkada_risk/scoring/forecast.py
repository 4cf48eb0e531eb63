r"""Expected incidents per kecamatan: an additive model whose terms are simple estimators.

For a forecast origin :math:`o` (a day) and a horizon of :math:`H` days, every term is itself a
forecast of the incidents of kecamatan :math:`i` in :math:`[o, o + H)` (see ``docs/metode.md``):

* ``laju``: the long-run rate, all incidents before :math:`o` smoothed by empirical Bayes
  (Marshall 1991, per exposure) and divided by the past days' uplift-weighted length;
* ``intensitas`` and ``kekinian``: decayed counts :math:`\sum_j 0.5^{a_j/h}` at a long and a
  short half-life :math:`h` (``forecast.half_lives``), divided by the decay-weighted days;
* ``limpahan``: the neighbours' long-run rate (row-standardised spatial lag of ``laju``);
* ``struktural``: the structural index (0..1, from ``context``) times the kabupaten mean rate;
* ``tren``: the election-stage uplift of the coming horizon, ``laju`` times
  :math:`\max(\sum_{d \in [o, o+H)} u_{p(d)} - H, 0)` with :math:`u_p` the factor of each
  day's election phase learned from the history before :math:`o`.

The count terms estimate the *outside-window* daily rate times :math:`H`: the past days are
weighted by their phase factor :math:`u`, so a register full of past campaigns does not inflate
the baseline. Expected incidents are :math:`\mu_i = \sum_k w_k X_{ik}` with weights
:math:`w_k \ge 0` (:mod:`pilkada_risk.scoring.learning`). Every function here works on many
origins (or bootstrap replicates) at once: a leading axis of the arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import sparse

from pilkada_risk.config.elections import election_phase
from pilkada_risk.config.profile import COMPONENTS, PHASES
from pilkada_risk.scoring.smoothing import empirical_bayes
from pilkada_risk.scoring.spatial import Weights, spatial_lag

__all__ = [
    "COUNT_TERMS",
    "History",
    "Sums",
    "bootstrap_sums",
    "counts_before",
    "make_history",
    "origin_sums",
    "term_matrix",
]

#: Terms that estimate a rate (all but the election-stage uplift ``tren``).
COUNT_TERMS = tuple(k for k in COMPONENTS if k != "tren")
_LONG, _SHORT = 0, 1


@dataclass(frozen=True)
class History:
    """Incidents as (unit, day) pairs, days counted from the first incident (day 0).

    ``phase`` holds the election phase code of every day from day 0 to the last day a forecast
    may reach (0 outside windows, 1.. in :data:`pilkada_risk.config.profile.PHASES` order).
    """

    unit: NDArray[np.int64]
    day: NDArray[np.int64]
    start: pd.Timestamp
    n_units: int
    phase: NDArray[np.int64]
    half_lives: tuple[float, float]
    prior: float
    uplift: bool

    def daily_totals(self) -> NDArray[np.float64]:
        return np.bincount(self.day, minlength=self.phase.size).astype(float)


def make_history(
    unit: NDArray[np.int64],
    tanggal: pd.Series,
    *,
    n_units: int,
    end: pd.Timestamp,
    half_lives: tuple[float, float],
    prior: float,
    uplift: bool,
) -> History:
    """Build a :class:`History`; ``end`` is the last day (exclusive) any horizon may reach."""
    dates = pd.to_datetime(tanggal).dt.normalize()
    start = pd.Timestamp(dates.min())
    day = ((dates - start) / pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
    days = pd.Series(pd.date_range(start, end - pd.Timedelta(days=1), freq="D"))
    codes = {"": 0, **{p: i + 1 for i, p in enumerate(PHASES)}}
    phase = election_phase(days).astype(object).map(codes).to_numpy(dtype=np.int64)
    return History(
        unit=np.asarray(unit, dtype=np.int64),
        day=day,
        start=start,
        n_units=n_units,
        phase=phase,
        half_lives=(float(half_lives[0]), float(half_lives[1])),
        prior=float(prior),
        uplift=bool(uplift),
    )


def counts_before(
    hist: History, origins: NDArray[np.int64], weights: NDArray[Any] | None = None
) -> NDArray[Any]:
    """Per (sorted) origin and unit: the sum of ``weights`` (default 1) over incidents before it."""
    weights = np.ones(hist.day.size) if weights is None else weights
    m, n = origins.size, hist.n_units
    slot = np.searchsorted(origins, hist.day, side="right")
    flat = np.bincount(slot * n + hist.unit, weights=weights, minlength=(m + 1) * n)
    return np.cumsum(flat.reshape(m + 1, n), axis=0)[:m]


def uplift_factors(hist: History, origins: NDArray[np.int64]) -> NDArray[np.float64]:
    """Factor per origin and phase code (column 0 = outside windows = 1).

    :math:`u_p = (n_p + a)/(r_0 D_p + a)` over the days before the origin
    (:func:`pilkada_risk.scoring.features.election_uplift`, vectorised over origins).
    """
    n_codes = len(PHASES) + 1
    onehot = np.eye(n_codes)[hist.phase]
    zero = np.zeros((1, n_codes))
    n_cum = np.vstack([zero, np.cumsum(onehot * hist.daily_totals()[:, None], axis=0)])
    d_cum = np.vstack([zero, np.cumsum(onehot, axis=0)])
    n, d = n_cum[origins], d_cum[origins]
    if not hist.uplift:
        return np.ones_like(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = np.where((d[:, 0] > 0) & (n[:, 0] > 0), n[:, 0] / d[:, 0], np.nan)
    u = (n + hist.prior) / (base[:, None] * d + hist.prior)
    u[:, 0] = 1.0
    return np.where(np.isfinite(base)[:, None], u, 1.0)


def _weighted_days(
    hist: History, origins: NDArray[np.int64], u: NDArray[np.float64], half: float | None
) -> NDArray[np.float64]:
    """Per origin: :math:`\\sum_{d<o} w_d u_{p(d)}`, ``w_d = 0.5^{(o-d)/h}`` (1 when no ``h``)."""
    n_codes = u.shape[1]
    onehot = np.eye(n_codes)[hist.phase]
    days = np.arange(hist.phase.size, dtype=float)
    lift = np.ones_like(days) if half is None else 0.5 ** (-days / half)
    cum = np.vstack([np.zeros((1, n_codes)), np.cumsum(onehot * lift[:, None], axis=0)])
    scale = np.ones(origins.size) if half is None else 0.5 ** (origins / half)
    return np.asarray((cum[origins] * u).sum(axis=1) * scale, dtype=float)


@dataclass(frozen=True)
class Sums:
    """Per-unit sums before each origin (leading axis: origins or bootstrap replicates)."""

    counts: NDArray[np.float64]
    decayed: tuple[NDArray[np.float64], NDArray[np.float64]]
    days_all: NDArray[np.float64]
    days_decayed: tuple[NDArray[np.float64], NDArray[np.float64]]
    excess: NDArray[np.float64]


def origin_sums(hist: History, origins: NDArray[np.int64], horizon: int) -> Sums:
    """Counts, decayed counts and their uplift-weighted day totals at each (sorted) origin."""
    u = uplift_factors(hist, origins)
    counts = counts_before(hist, origins, np.ones(hist.day.size))
    decayed = tuple(
        counts_before(hist, origins, 0.5 ** (-hist.day / h)) * (0.5 ** (origins / h))[:, None]
        for h in hist.half_lives
    )
    return Sums(
        counts=counts,
        decayed=(decayed[_LONG], decayed[_SHORT]),
        days_all=_weighted_days(hist, origins, u, None),
        days_decayed=(
            _weighted_days(hist, origins, u, hist.half_lives[_LONG]),
            _weighted_days(hist, origins, u, hist.half_lives[_SHORT]),
        ),
        excess=horizon_excess(hist, origins, u, horizon),
    )


def horizon_excess(
    hist: History, origins: NDArray[np.int64], u: NDArray[np.float64], horizon: float
) -> NDArray[np.float64]:
    """Per origin: :math:`\\max(\\sum_{d \\in [o, o+H)} u_{p(d)} - H, 0)` (last day pro rata)."""
    out = np.empty(origins.size)
    whole = int(np.ceil(horizon))
    for i, o in enumerate(origins):
        f = u[i][hist.phase[o : o + whole]]
        if whole:
            f[-1] *= horizon - (whole - 1)
        out[i] = max(float(f.sum()) - horizon, 0.0)
    return out


def term_rates(
    sums: Sums,
    *,
    exposure: NDArray[np.float64],
    lag_weights: Weights,
    structural: NDArray[np.float64] | None,
) -> dict[str, NDArray[np.float64]]:
    """Outside-window daily rate of each count term, shape of ``sums.counts``."""
    safe = np.maximum(sums.days_all, 1e-12)[..., None]
    laju = empirical_bayes(sums.counts, exposure) * exposure / safe
    rates = {
        "intensitas": sums.decayed[_LONG] / np.maximum(sums.days_decayed[_LONG], 1e-12)[..., None],
        "kekinian": sums.decayed[_SHORT] / np.maximum(sums.days_decayed[_SHORT], 1e-12)[..., None],
        "laju": laju,
        "limpahan": spatial_lag(lag_weights, laju),
    }
    struct = np.zeros(exposure.shape) if structural is None else np.asarray(structural)
    rates["struktural"] = struct * laju.mean(axis=-1, keepdims=True)
    return rates


def term_matrix(
    sums: Sums,
    horizon: float,
    *,
    exposure: NDArray[np.float64],
    lag_weights: Weights,
    structural: NDArray[np.float64] | None,
    uplift_on: str = "laju",
) -> NDArray[np.float64]:
    """Expected incidents in the horizon per term: ``(origins, units, 6)``, COMPONENTS order.

    ``uplift_on`` is the count term whose rate carries the election-stage uplift ``tren``
    (``laju``; ``intensitas`` when the forecast is a decayed count alone, so that the ranking
    stays exactly that count's).
    """
    rates = term_rates(sums, exposure=exposure, lag_weights=lag_weights, structural=structural)
    terms = {k: v * horizon for k, v in rates.items()}
    terms["tren"] = rates[uplift_on] * sums.excess[..., None]
    return np.stack([terms[k] for k in COMPONENTS], axis=-1)


def bootstrap_sums(hist: History, origin: int, point: Sums, weights: NDArray[np.float64]) -> Sums:
    """Sums at one origin under incident weights (replicates x incidents, Poisson(1) each).

    The day totals and the horizon uplift stay those of ``point`` (kabupaten-wide quantities,
    not resampled).
    """
    keep = hist.day < origin
    unit, age = hist.unit[keep], (origin - hist.day[keep]).astype(float)
    onehot = sparse.csr_matrix(
        (np.ones(unit.size), (np.arange(unit.size), unit)), shape=(unit.size, hist.n_units)
    )
    w = weights[:, keep]
    blocks = [np.asarray(onehot.T @ w.T).T]
    blocks += [np.asarray(onehot.T @ (w * 0.5 ** (age / h)).T).T for h in hist.half_lives]
    return Sums(
        counts=blocks[0],
        decayed=(blocks[1], blocks[2]),
        days_all=point.days_all,
        days_decayed=point.days_decayed,
        excess=point.excess,
    )


def _values(hist: History, origin: int) -> tuple[NDArray[np.bool_], NDArray[np.float64]]:
    """Incidents before ``origin`` and their (1, long decay, short decay) values."""
    keep = hist.day < origin
    age = (origin - hist.day[keep]).astype(float)
    values = np.column_stack([np.ones(age.size), *(0.5 ** (age / h) for h in hist.half_lives)])
    return keep, values


def gaussian_bootstrap_sums(
    hist: History,
    origin: int,
    point: Sums,
    rng: np.random.Generator,
    n_reps: int,
    min_incidents: int = 50,
) -> Sums:
    """Bootstrap sums for large registers: moment-matched where a unit has many incidents.

    Per unit the Poisson(1) bootstrap of its three sums (count, long and short decayed count)
    has mean the point sums and covariance :math:`\\sum_j v_j v_j^T`; units with at least
    ``min_incidents`` incidents draw that 3-variate normal (a sum of that many independent
    terms), the others keep the exact Poisson weights per incident. Same mean and covariance as
    :func:`bootstrap_sums`, at a cost that grows with units, not incidents.
    """
    keep, v = _values(hist, origin)
    unit, n_units = hist.unit[keep], hist.n_units
    n_u = np.bincount(unit, minlength=n_units)
    big = n_u >= min_incidents
    out = np.zeros((n_reps, n_units, 3))
    small = ~big[unit]
    if small.any():
        w = rng.poisson(1.0, size=(n_reps, int(small.sum()))).astype(float)
        for c in range(3):
            flat = (w * v[small, c]) @ _onehot(unit[small], n_units)
            out[:, :, c] = flat
    idx = np.flatnonzero(big)
    if idx.size:
        cov = np.zeros((n_units, 3, 3))
        for a in range(3):
            for b in range(a, 3):
                cov[:, a, b] = cov[:, b, a] = np.bincount(
                    unit, weights=v[:, a] * v[:, b], minlength=n_units
                )
        mean = np.stack([point.counts[0], point.decayed[_LONG][0], point.decayed[_SHORT][0]], -1)
        chol = np.linalg.cholesky(cov[idx] + 1e-9 * np.eye(3))
        z = rng.standard_normal((n_reps, idx.size, 3))
        draw = mean[idx] + np.einsum("uab,rub->rua", chol, z)
        out[:, idx, :] = np.maximum(draw, 0.0)
    return Sums(
        counts=out[..., 0],
        decayed=(out[..., 1], out[..., 2]),
        days_all=point.days_all,
        days_decayed=point.days_decayed,
        excess=point.excess,
    )


def _onehot(unit: NDArray[np.int64], n_units: int) -> Any:
    return sparse.csr_matrix(
        (np.ones(unit.size), (np.arange(unit.size), unit)), shape=(unit.size, n_units)
    )
