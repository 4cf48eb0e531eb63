r"""Weights of the additive forecast, learned on the register's own past, and its skill.

Rolling origins :math:`o_1 < \dots < o_m` (every ``step_days``, each with ``min_train_days`` of
history before it and its whole horizon before ``as_of``) give, pooled over origins and
kecamatan, the terms :math:`X_{oik}` (:mod:`pilkada_risk.scoring.forecast`) and the incidents
:math:`y_{oi}` that followed. Non-negative weights minimise the Poisson deviance plus a ridge
toward the profile's expert weights :math:`w^0`:

.. math:: \min_{w \ge 0}\; \rho \sum_{o,i} (\mu_{oi} - y_{oi}\log\mu_{oi})
          + \tfrac{\lambda}{2} \lVert w - w^0 \rVert^2, \qquad \mu = X w,

with :math:`\rho = \min(1, \text{step}/H)` (overlapping horizons count each incident about once)
and :math:`\lambda` = ``prior_incidents``: with a short history the expert weights dominate, with
a long one the data do.

**Selection rule** (``weights="learned"``): the last ``validation_origins`` origins are held out;
weights fitted on the origins whose horizon ends before the first held-out origin are compared
with the plain count (``laju`` alone, the empirical-Bayes all-history count, plus the
election-stage term) on the held-out origins. The learned weights are used (refitted on every
origin) unless they *lose* to the count there: a lower mean on any selection metric — hit rate
at 25% of the kecamatan and Spearman; with 100 or more kecamatan also hit rate at 1% and 5%.
A tie goes to the learned weights: they nest the count, and their expected counts fit better.
The held-out origins won and lost are recorded, not required: on registers of 10-20
kecamatan a per-origin record over 12 overlapping windows is mostly noise, and a stricter
switch (better on every metric and on more origins) threw away the recency the data support
(``docs/metode.md``, simulator backtests). With fewer than ``min_origins`` origins nothing can
be checked against counting, so the count is used (the expert weights stay available with
``weights="profile"``). The held-out comparison is the skill reported in
``scores.attrs["skill"]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import optimize
from scipy.stats import rankdata

from pilkada_risk.config.profile import COMPONENTS
from pilkada_risk.config.sections import Learning

__all__ = [
    "Selection",
    "fit_weights",
    "hit_rate",
    "select_weights",
    "spearman",
    "training_origins",
]


@dataclass(frozen=True)
class Selection:
    """The weight set chosen and why.

    ``mode``: ``learned``, ``count`` or ``profile``; ``reason``: ``not_worse_than_count``,
    ``worse_than_count``, ``short_history``, ``requested``.
    """

    mode: str
    reason: str
    weights: dict[str, float]
    learned: dict[str, float] | None = None
    n_origins: int = 0
    skill: dict[str, Any] | None = None
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)


def training_origins(last: int, first: int, step: int, max_origins: int) -> NDArray[np.int64]:
    """Origin days ``last, last - step, ...`` not before ``first``, at most ``max_origins``."""
    if last < first:
        return np.zeros(0, dtype=np.int64)
    days = last - step * np.arange(max_origins)
    return np.sort(days[days >= first]).astype(np.int64)


def fit_weights(
    terms: NDArray[np.float64],
    y: NDArray[np.float64],
    prior: NDArray[np.float64],
    *,
    strength: float,
    rho: float = 1.0,
) -> NDArray[np.float64]:
    """Non-negative Poisson weights with a ridge toward ``prior`` (module docstring)."""
    x = terms.reshape(-1, terms.shape[-1])
    obs = y.reshape(-1)
    floor = 1e-6 * max(float(obs.mean()), 1e-6)
    # Rows with no term and no incident add a constant: drop them.
    live = (x > 0).any(axis=1) | (obs > 0)
    x, obs = np.ascontiguousarray(x[live]), obs[live]
    pos = obs > 0

    def objective(w: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        mu = x @ w + floor
        loss = rho * float(mu.sum() - obs[pos] @ np.log(mu[pos]))
        loss += 0.5 * strength * float(((w - prior) ** 2).sum())
        grad = rho * (x.T @ (1.0 - obs / mu)) + strength * (w - prior)
        return loss, grad

    res = optimize.minimize(
        objective, prior.copy(), jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * prior.size
    )
    return np.asarray(res.x, dtype=float)


def _topk(
    score: NDArray[np.float64], y: NDArray[np.float64], k: int, area: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Hit rate and PAI per row at ``k`` units, ties at their random-order expectation."""
    hits, pais = np.full(score.shape[0], np.nan), np.full(score.shape[0], np.nan)
    for r in range(score.shape[0]):
        s, obs, total = score[r], y[r], float(y[r].sum())
        if total <= 0:
            continue
        t = np.sort(s)[::-1][k - 1]
        above, tie = s > t, s == t
        share = (k - above.sum()) / tie.sum()
        caught = obs[above].sum() + share * obs[tie].sum()
        flagged = area[above].sum() + share * area[tie].sum()
        hits[r] = caught / total
        pais[r] = hits[r] / (flagged / area.sum()) if flagged > 0 else np.nan
    return hits, pais


def hit_rate(score: NDArray[np.float64], y: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """Share of each row's incidents in its ``k`` highest-scored units (NaN without incidents).

    Examples
    --------
    >>> hit_rate(np.array([[3.0, 2.0, 1.0]]), np.array([[1.0, 0.0, 3.0]]), 1).tolist()
    [0.25]
    """
    return _topk(score, y, k, np.ones(score.shape[-1]))[0]


def spearman(score: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """Spearman correlation of each row of ``score`` with the same row of ``y`` (NaN if flat).

    Examples
    --------
    >>> spearman(np.array([[1.0, 2.0, 3.0]]), np.array([[0.0, 1.0, 5.0]])).tolist()
    [1.0]
    """
    rs, ry = rankdata(score, axis=1), rankdata(y, axis=1)
    rs, ry = rs - rs.mean(axis=1, keepdims=True), ry - ry.mean(axis=1, keepdims=True)
    den = np.sqrt((rs**2).sum(axis=1) * (ry**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (rs * ry).sum(axis=1) / den, np.nan)


def _ks(n: int) -> dict[str, int]:
    ks = {"k25": max(1, round(0.25 * n))}
    if n >= 100:
        ks |= {"k01": max(1, round(0.01 * n)), "k05": max(1, round(0.05 * n))}
    return ks


def _per_origin(score: NDArray[np.float64], y: NDArray[np.float64]) -> dict[str, NDArray[Any]]:
    out = {f"hit_{name}": hit_rate(score, y, k) for name, k in _ks(len(y[0])).items()}
    out["spearman"] = spearman(score, y)
    return out


def _metrics(per: dict[str, NDArray[Any]]) -> dict[str, float]:
    return {
        k: float(np.nanmean(v)) if np.isfinite(v).any() else float("nan") for k, v in per.items()
    }


def _record(mine: dict[str, NDArray[Any]], other: dict[str, NDArray[Any]]) -> tuple[int, int]:
    """Held-out origins won and lost (sum of the metric differences of each origin)."""
    diff = np.nansum(np.vstack([mine[k] - other[k] for k in mine]), axis=0)
    return int((diff > 1e-12).sum()), int((diff < -1e-12).sum())


def _beats(mine: dict[str, float], other: dict[str, float]) -> bool:
    diffs = [mine[k] - other[k] for k in mine if np.isfinite(mine[k]) and np.isfinite(other[k])]
    return bool(diffs) and min(diffs) >= -1e-12 and max(diffs) > 1e-12


def _loses(mine: dict[str, float], other: dict[str, float]) -> bool:
    """A lower mean than ``other`` on any metric both have (the selection rule).

    With no metric to compare (no incident after any held-out origin) nothing shows the learned
    weights do not lose, so they count as losing and the count is used.
    """
    both = [k for k in mine if np.isfinite(mine[k]) and np.isfinite(other[k])]
    return not both or any(mine[k] < other[k] - 1e-12 for k in both)


def skill_table(
    model: NDArray[np.float64],
    all_history: NDArray[np.float64],
    last_period: NDArray[np.float64],
    y: NDArray[np.float64],
    area: NDArray[np.float64],
) -> dict[str, Any]:
    """Hit rate, PAI and Spearman at ``k`` = 25% of units for three rankings (mean over rows)."""
    k = max(1, round(0.25 * y.shape[1]))
    out: dict[str, Any] = {"k": k, "n_origins": int(y.shape[0])}
    for metric in ("hit_rate", "pai", "spearman"):
        out[metric] = {}
    for name, score in (
        ("model", model),
        ("all_history", all_history),
        ("last_period", last_period),
    ):
        hits, pais = _topk(score, y, k, area)
        out["hit_rate"][name] = float(np.nanmean(hits)) if np.isfinite(hits).any() else float("nan")
        out["pai"][name] = float(np.nanmean(pais)) if np.isfinite(pais).any() else float("nan")
        rho = spearman(score, y)
        out["spearman"][name] = float(np.nanmean(rho)) if np.isfinite(rho).any() else float("nan")
    # Better than counting: at least as good as both counts on hit rate and Spearman, and
    # strictly better than each on one of them.
    out["beats_counting"] = all(
        _beats(
            {m: out[m]["model"] for m in ("hit_rate", "spearman")},
            {m: out[m][base] for m in ("hit_rate", "spearman")},
        )
        for base in ("all_history", "last_period")
    )
    return out


def _as_dict(w: NDArray[np.float64]) -> dict[str, float]:
    return {k: float(v) for k, v in zip(COMPONENTS, w, strict=True)}


def select_weights(
    terms: NDArray[np.float64],
    y: NDArray[np.float64],
    baselines: tuple[NDArray[np.float64], NDArray[np.float64]],
    *,
    expert: NDArray[np.float64],
    count: NDArray[np.float64],
    mode: str,
    settings: Learning,
    horizon: int,
    area: NDArray[np.float64],
) -> Selection:
    """Choose the weights (module docstring) from the terms at the training origins.

    ``terms`` (origins x units x 6), ``y`` (origins x units) the incidents after each origin,
    ``baselines`` the all-history and last-period counts at each origin (for the skill).
    """
    m = terms.shape[0]
    n_val = min(settings.validation_origins, m // 2)
    val = slice(m - n_val, m)
    gap = int(np.ceil(horizon / settings.step_days))
    n_train = m - n_val - gap + 1
    rho = min(1.0, settings.step_days / horizon)
    strength = settings.prior_incidents

    def skill(w: NDArray[np.float64]) -> dict[str, Any] | None:
        if n_val == 0:
            return None
        score = terms[val] @ w
        return skill_table(score, baselines[0][val], baselines[1][val], y[val], area)

    if mode == "profile":
        return Selection("profile", "requested", _as_dict(expert), None, m, skill(expert))
    if mode == "count":
        return Selection("count", "requested", _as_dict(count), None, m, skill(count))
    if m < settings.min_origins or n_train < 2:
        # Nothing can be checked against counting yet: count (METHODS.md), not untested weights.
        return Selection("count", "short_history", _as_dict(count), None, m, skill(count))
    w_train = fit_weights(terms[:n_train], y[:n_train], expert, strength=strength, rho=rho)
    per_mine = _per_origin(terms[val] @ w_train, y[val])
    per_base = _per_origin(terms[val] @ count, y[val])
    mine, base = _metrics(per_mine), _metrics(per_base)
    wins, losses = _record(per_mine, per_base)
    w_all = fit_weights(terms, y, expert, strength=strength, rho=rho)
    checks: dict[str, dict[str, Any]] = {
        "learned": mine,
        "count": base,
        "origins": {"won": wins, "lost": losses},
    }
    if not _loses(mine, base):
        return Selection(
            "learned", "not_worse_than_count", _as_dict(w_all), _as_dict(w_all), m,
            skill(w_train), checks,
        )  # fmt: skip
    return Selection(
        "count", "worse_than_count", _as_dict(count), _as_dict(w_all), m, skill(count), checks
    )
