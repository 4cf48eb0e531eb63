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

**Forecast selection** (``weights="learned"``, :func:`select_forecast`). The candidates are the
all-history count (``laju`` alone, the empirical-Bayes count, plus the election-stage term),
decayed counts at the half-lives of ``learning.count_half_lives_days`` (the ``intensitas`` term
at that half-life alone, the election-stage uplift on its rate) and the learned weights. The
last ``validation_origins`` origins are held out; the learned weights are fitted on the origins
whose horizon ends before the first held-out origin, the counts have nothing to fit. On the
held-out origins each candidate gets the mean of the selection metrics (hit rate at 25% of the
kecamatan and Spearman; with 100 or more kecamatan also hit rate at 1% and 5%). Its *gain* is
the mean over metrics of its difference from the all-history count. :func:`choose_candidate`
keeps the all-history count unless a candidate gains at least ``learning.tie_margin`` without
being worse than it by more than the margin on any metric; among those, the simplest (order:
all-history, longest to shortest half-life, learned weights) whose gain is within the margin of
the best is chosen. Noise on 12 overlapping windows is of the size of the gains (METHODS.md),
hence the margin and the preference for the simpler forecast. With fewer than ``min_origins``
origins nothing can be checked, so the all-history count is used (the expert weights stay
available with ``weights="profile"``). The held-out comparison is the skill reported in
``scores.attrs["skill"]`` (:mod:`pilkada_risk.scoring.skill`).
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
    "candidate_name",
    "choose_candidate",
    "fit_weights",
    "hit_rate",
    "select_forecast",
    "spearman",
    "training_origins",
]


@dataclass(frozen=True)
class Selection:
    """The forecast chosen and why.

    ``mode``: ``learned``, ``count`` (all-history count), ``decayed_count`` or ``profile``;
    ``reason``: ``selected`` (chosen on held-out origins), ``short_history``, ``requested``.
    ``choice`` names the candidate (``count``, ``count_h180``, ``learned``, ``profile``),
    ``half_life`` its half-life in days (decayed counts only), ``runner_up`` the next best
    candidate; ``checks`` holds each candidate's held-out metrics and gain.
    """

    mode: str
    reason: str
    weights: dict[str, float]
    learned: dict[str, float] | None = None
    n_origins: int = 0
    skill: dict[str, Any] | None = None
    checks: dict[str, dict[str, Any]] = field(default_factory=dict)
    choice: str = "count"
    half_life: float | None = None
    runner_up: str | None = None


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


def _beats(mine: dict[str, float], other: dict[str, float]) -> bool:
    diffs = [mine[k] - other[k] for k in mine if np.isfinite(mine[k]) and np.isfinite(other[k])]
    return bool(diffs) and min(diffs) >= -1e-12 and max(diffs) > 1e-12


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


def candidate_name(half_life: float | None) -> str:
    """``count`` (all history) or ``count_h<days>`` for a decayed count.

    Examples
    --------
    >>> candidate_name(None), candidate_name(180.0)
    ('count', 'count_h180')
    """
    return "count" if half_life is None else f"count_h{float(half_life):g}"


def choose_candidate(
    checks: dict[str, dict[str, float]], order: list[str], margin: float
) -> tuple[str, str | None, dict[str, float]]:
    """The selection rule (module docstring): choice, runner-up and each candidate's gain.

    ``checks`` maps a candidate to its held-out metric means, ``order`` lists the candidates
    simplest first (``order[0]``, the all-history count, is the default).

    Examples
    --------
    >>> checks = {"count": {"hit": 0.50, "rho": 0.60}, "count_h365": {"hit": 0.52, "rho": 0.61},
    ...           "count_h90": {"hit": 0.53, "rho": 0.62}, "learned": {"hit": 0.60, "rho": 0.5}}
    >>> choose_candidate(checks, ["count", "count_h365", "count_h90", "learned"], 0.01)[:2]
    ('count_h365', 'count_h90')
    """
    base = checks[order[0]]
    gains: dict[str, float] = {order[0]: 0.0}
    fair = [order[0]]
    for name in order[1:]:
        diffs = [
            checks[name][k] - base[k]
            for k in base
            if np.isfinite(base[k]) and np.isfinite(checks[name].get(k, np.nan))
        ]
        gains[name] = float(np.mean(diffs)) if diffs else float("nan")
        if diffs and min(diffs) >= -margin - 1e-12:
            fair.append(name)
    best = max(gains[n] for n in fair)
    choice = order[0]
    if best >= margin:
        floor = max(margin, best - margin) - 1e-12
        choice = next(n for n in fair if gains[n] >= floor)
    rest = [n for n in order if n != choice and np.isfinite(gains[n])]
    runner = max(rest, key=lambda n: gains[n]) if rest else None
    return choice, runner, gains


def select_forecast(
    terms: NDArray[np.float64],
    decayed: dict[float, NDArray[np.float64]],
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
    """Choose the forecast (module docstring) from the terms at the training origins.

    ``terms`` (origins x units x 6), ``decayed`` the same per grid half-life (its
    ``intensitas`` term at that half-life, the uplift on it), ``y`` (origins x units) the
    incidents after each origin, ``baselines`` the all-history and last-period counts at each
    origin (for the skill).
    """
    m = terms.shape[0]
    n_val = min(settings.validation_origins, m // 2)
    val = slice(m - n_val, m)
    gap = int(np.ceil(horizon / settings.step_days))
    n_train = m - n_val - gap + 1
    rho = min(1.0, settings.step_days / horizon)
    strength = settings.prior_incidents

    def skill(score: NDArray[np.float64]) -> dict[str, Any] | None:
        if n_val == 0:
            return None
        return skill_table(score, baselines[0][val], baselines[1][val], y[val], area)

    if mode == "profile":
        return Selection(
            "profile", "requested", _as_dict(expert), None, m, skill(terms[val] @ expert),
            choice="profile",
        )  # fmt: skip
    if mode == "count":
        return Selection("count", "requested", _as_dict(count), None, m, skill(terms[val] @ count))
    if m < settings.min_origins or n_train < 2:
        # Nothing can be checked yet: the all-history count (METHODS.md), not untested weights.
        return Selection(
            "count", "short_history", _as_dict(count), None, m, skill(terms[val] @ count)
        )
    single = np.array([float(k in ("intensitas", "tren")) for k in COMPONENTS])
    single[COMPONENTS.index("tren")] = count[COMPONENTS.index("tren")]
    halves = sorted(decayed, reverse=True)
    held: dict[str, NDArray[np.float64]] = {"count": terms[val] @ count}
    held |= {candidate_name(h): decayed[h][val] @ single for h in halves}
    w_train = fit_weights(terms[:n_train], y[:n_train], expert, strength=strength, rho=rho)
    held["learned"] = terms[val] @ w_train
    checks = {name: _metrics(_per_origin(score, y[val])) for name, score in held.items()}
    choice, runner, gains = choose_candidate(checks, list(held), settings.tie_margin)
    w_all = fit_weights(terms, y, expert, strength=strength, rho=rho)
    record: dict[str, dict[str, Any]] = {
        name: {**checks[name], "gain": gains[name]} for name in held
    }
    if choice == "learned":
        w, sel_mode, half = w_all, "learned", None
    elif choice == "count":
        w, sel_mode, half = count, "count", None
    else:
        half = next(h for h in halves if candidate_name(h) == choice)
        w, sel_mode = single, "decayed_count"
    return Selection(
        sel_mode, "selected", _as_dict(w), _as_dict(w_all), m, skill(held[choice]), record,
        choice=choice, half_life=half, runner_up=runner,
    )  # fmt: skip
