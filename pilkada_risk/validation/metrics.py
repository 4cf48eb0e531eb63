"""Forecast-accuracy metrics for ranked areas: hit rate, PAI, PEI* and capture curves.

Every function takes a score per unit (higher = flagged first) and the incidents observed per unit
in the forecast horizon. Units are flagged in order of decreasing score; a NaN score ranks last
(all NaN scores form one tie group).

**Ties.** Units with equal scores are a *tie group*, and the metrics are the **expectation under a
uniformly random order within each tie group**, not the result of one arbitrary order. At step
``k`` a tie group of ``m`` units of which ``j`` are flagged contributes ``j / m`` of its incidents
and ``j / m`` of its area. So a constant score (the ``uniform`` baseline) has expected hit rate
exactly ``k / n`` and PAI exactly 1, whatever the unit codes. The ``kode`` column still lists the
units in a fixed order (ties by label ascending, or position for plain arrays) for display only.

With ``N`` incidents in the horizon, ``n`` of them in the ``k`` flagged units, ``a`` the flagged
area and ``A`` the total area:

- hit rate = n / N (Chainey et al. 2008);
- PAI = (n / N) / (a / A);
- PEI* by count = n / n*, n* = the most incidents any ``k`` units captured;
- PEI* by area = n / n*, n* = the most incidents any set of units with total area <= a captured
  (an exact 0/1 knapsack solved over the integer incident totals, so it stays exact for hundreds
  of units).

Inside a partly flagged tie group, ``n`` and ``a`` are the expected values above: PAI is
E[n]/N over E[a]/A, PEI* by count is E[n] / n*(k) (exactly the expected PEI*, as n*(k) is
fixed), and PEI* by area is E[n] / n*(E[a]), capped at 1 (an approximation: n*(a) is not linear
in a; exact wherever no tie group is split).

When the horizon has no incident (N = 0) these ratios are undefined and the functions return NaN.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from pilkada_risk.validation._summary import LOWER_IS_BETTER, summarize_metrics

__all__ = [
    "LOWER_IS_BETTER",
    "capture_curve",
    "hit_rate",
    "pai",
    "pei_star",
    "poisson_deviance",
    "spearman",
    "summarize_metrics",
    "topk_table",
]

_AREA_TOL = 1e-9


def _as_series(values: ArrayLike | pd.Series, name: str, index: pd.Index | None) -> pd.Series:
    if isinstance(values, pd.Series):
        series = values
        if index is not None:
            extra = series.index.difference(index)
            if len(extra) and name == "counts" and float(series.loc[extra].sum()) != 0:
                raise ValueError(
                    f"{name}: incidents in units {list(extra)[:5]} that have no score; "
                    "score every unit or drop those incidents first"
                )
            series = series.reindex(index, fill_value=0 if name == "counts" else np.nan)
    else:
        arr = np.asarray(values, dtype=float).ravel()
        if index is not None and len(arr) != len(index):
            raise ValueError(
                f"{name}: got {len(arr)} values for {len(index)} units; pass one value per unit "
                "(or pandas Series indexed by kode)"
            )
        series = pd.Series(arr, index=index)
    out = pd.to_numeric(series, errors="raise").astype(float)
    if name != "scores":
        if out.isna().any() or not np.isfinite(out.to_numpy()).all():
            raise ValueError(f"{name}: contains missing or infinite values; fill them first")
        if (out < 0).any():
            raise ValueError(f"{name}: contains negative values ({out.min()}); must be >= 0")
    return out


def _prepare(
    scores: ArrayLike | pd.Series,
    counts: ArrayLike | pd.Series,
    areas: ArrayLike | pd.Series | None = None,
) -> tuple[np.ndarray, np.ndarray | None, pd.Index, np.ndarray]:
    """Counts, areas and labels in flagging order (decreasing score, ties by label), tie groups.

    The last array gives, per position in that order, the id (0, 1, ...) of its tie group.
    """
    s = _as_series(scores, "scores", None)
    if s.index.has_duplicates:
        dup = s.index[s.index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"scores: duplicate unit labels {dup}; one score per unit")
    if len(s) == 0:
        raise ValueError("scores: no units; pass at least one unit")
    c = _as_series(counts, "counts", s.index)
    a = None if areas is None else _as_series(areas, "areas", s.index)
    if a is not None and (a <= 0).any():
        raise ValueError(f"areas: units {list(a.index[a <= 0])[:5]} have area <= 0")
    key = np.where(np.isnan(s.to_numpy()), -np.inf, s.to_numpy())
    if isinstance(scores, pd.Series):
        labels = np.asarray([str(v) for v in s.index])
        tie = np.argsort(np.argsort(labels, kind="stable"), kind="stable")
    else:
        tie = np.arange(len(s))
    order = np.lexsort((tie, -key))
    sorted_key = key[order]
    group = np.concatenate([[0], np.cumsum(sorted_key[1:] != sorted_key[:-1])])
    return (
        c.to_numpy()[order],
        None if a is None else a.to_numpy()[order],
        s.index[order],
        group,
    )


def _expected_cumsum(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Expected cumulative sum at steps k = 1..n under a random order within each tie group.

    A tie group of ``m`` units with ``j`` of them flagged contributes ``j / m`` of its total.
    """
    n = len(values)
    plain = np.cumsum(values)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], n]
    before = np.r_[0.0, plain[ends[:-1] - 1]]  # cumulative total before each group
    totals = plain[ends - 1] - before
    sizes = ends - starts
    k = np.arange(1, n + 1)
    partial = before[group] + (k - starts[group]) / sizes[group] * totals[group]
    return np.where(k == ends[group], plain, partial)  # exact at every group boundary


def _min_area_for_count(counts: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Least total area needed to capture at least c incidents, for c = 0..N (0/1 knapsack)."""
    if not np.allclose(counts, np.round(counts)):
        raise ValueError("counts: PEI* by area needs whole incident counts; round them first")
    ints = np.round(counts).astype(np.int64)
    total = int(ints.sum())
    best = np.full(total + 1, np.inf)
    best[0] = 0.0
    for c, a in zip(ints, areas, strict=True):
        if c > 0:
            best[c:] = np.minimum(best[c:], best[: total + 1 - c] + a)
    # suffix minimum: capturing "at least c" is never dearer than capturing exactly c' >= c
    return np.minimum.accumulate(best[::-1])[::-1]


def topk_table(
    scores: ArrayLike | pd.Series,
    counts: ArrayLike | pd.Series,
    areas: ArrayLike | pd.Series | None = None,
) -> pd.DataFrame:
    """All top-k metrics at once, for k = 1..n_units.

    Returns
    -------
    pandas.DataFrame
        ``k``, ``kode`` (unit flagged at step k; within a tie group by label, for display),
        ``captured`` (expected n), ``hit_rate``, ``share_area`` (expected a / A), ``pai``,
        ``pei_count``, ``pei_area`` (area columns NaN without ``areas``). Tied scores give
        expectations over a random order within the tie group (see the module docstring).

    Examples
    --------
    >>> units = ["a", "b", "c"]
    >>> t = topk_table(pd.Series([3, 1, 2], index=units), pd.Series([1, 4, 5], index=units))
    >>> t["hit_rate"].round(2).tolist()
    [0.1, 0.6, 1.0]
    """
    c, a, labels, group = _prepare(scores, counts, areas)
    n_units = len(c)
    total = c.sum()
    captured = _expected_cumsum(c, group)
    best_k = np.cumsum(np.sort(c)[::-1])
    with np.errstate(invalid="ignore", divide="ignore"):
        hit = captured / total if total > 0 else np.full(n_units, np.nan)
        pei_count = np.where(best_k > 0, captured / np.where(best_k > 0, best_k, 1), np.nan)
        if total == 0:
            pei_count = np.full(n_units, np.nan)
        if a is not None:
            flagged = _expected_cumsum(a, group)
            share_area = flagged / a.sum()
            pai_k = hit / share_area
            if total > 0:
                need = _min_area_for_count(c, a)
                budget = flagged * (1 + _AREA_TOL) + _AREA_TOL
                n_star = np.searchsorted(need, budget, side="right") - 1
                ratio = np.minimum(captured / np.maximum(n_star, 1), 1.0)
                pei_area = np.where(n_star > 0, ratio, np.nan)
            else:
                pei_area = np.full(n_units, np.nan)
        else:
            share_area = pai_k = pei_area = np.full(n_units, np.nan)
    return pd.DataFrame(
        {
            "k": np.arange(1, n_units + 1),
            "kode": pd.array([str(v) for v in labels], dtype="string"),
            "captured": captured,
            "hit_rate": hit,
            "share_area": share_area,
            "pai": pai_k,
            "pei_count": pei_count,
            "pei_area": pei_area,
        }
    )


def _check_k(k: int, n_units: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= n_units:
        raise ValueError(f"k={k!r}: must be a whole number of units between 1 and {n_units}")
    return int(k)


def hit_rate(scores: ArrayLike | pd.Series, counts: ArrayLike | pd.Series, k: int) -> float:
    """Share of the horizon's incidents inside the ``k`` highest-scored units (n / N).

    Examples
    --------
    >>> hit_rate([0.9, 0.5, 0.1], [6, 3, 1], k=1)
    0.6
    >>> hit_rate([1.0, 1.0, 1.0], [6, 3, 1], k=1)  # all tied: expected share k / n
    0.3333333333333333
    """
    table = topk_table(scores, counts)
    return float(table["hit_rate"].iloc[_check_k(k, len(table)) - 1])


def pai(
    scores: ArrayLike | pd.Series,
    counts: ArrayLike | pd.Series,
    areas: ArrayLike | pd.Series,
    k: int,
) -> float:
    """Predictive Accuracy Index of the top ``k`` units: (n / N) / (a / A).

    Examples
    --------
    >>> round(pai([0.9, 0.5, 0.1], [6, 3, 1], [10, 20, 70], k=1), 6)
    6.0
    >>> round(pai([1.0, 1.0, 1.0], [6, 3, 1], [10, 20, 70], k=1), 6)  # all tied
    1.0
    """
    table = topk_table(scores, counts, areas)
    return float(table["pai"].iloc[_check_k(k, len(table)) - 1])


def pei_star(
    scores: ArrayLike | pd.Series,
    counts: ArrayLike | pd.Series,
    k: int,
    *,
    areas: ArrayLike | pd.Series | None = None,
    by: Literal["count", "area"] = "count",
) -> float:
    """Predictive Efficiency Index n / n* of the top ``k`` units, in [0, 1].

    ``by="count"``: n* is the most incidents any ``k`` units captured. ``by="area"`` (needs
    ``areas``): n* is the most incidents any set of units no larger in total area captured.

    Examples
    --------
    >>> pei_star([0.9, 0.5, 0.1], [3, 2, 2], k=1)
    1.0
    >>> pei_star([0.9, 0.5, 0.1], [3, 2, 2], k=1, areas=[10, 5, 5], by="area")
    0.75
    """
    if by not in ("count", "area"):
        raise ValueError(f"by={by!r}: use 'count' or 'area'")
    if by == "area" and areas is None:
        raise ValueError("by='area' needs areas=: the area of each unit (e.g. area_km2)")
    table = topk_table(scores, counts, areas if by == "area" else None)
    return float(table[f"pei_{by}"].iloc[_check_k(k, len(table)) - 1])


def capture_curve(
    scores: ArrayLike | pd.Series,
    counts: ArrayLike | pd.Series,
    areas: ArrayLike | pd.Series | None = None,
) -> pd.DataFrame:
    """Cumulative share of incidents captured as units are flagged in score order.

    Returns
    -------
    pandas.DataFrame
        Rows k = 0..n_units: ``k``, ``kode`` (``<NA>`` at k = 0), ``share_units``,
        ``share_area`` (NaN without ``areas``), ``share_incidents``.

    Examples
    --------
    >>> capture_curve([2, 1], [1, 3], [1, 1])["share_incidents"].tolist()
    [0.0, 0.25, 1.0]
    """
    t = topk_table(scores, counts, areas)
    n_units = len(t)
    head = pd.DataFrame({"k": [0], "kode": pd.array([pd.NA], dtype="string"), "share_units": [0.0]})
    body = pd.DataFrame({"k": t["k"], "kode": t["kode"], "share_units": t["k"] / n_units})
    out = pd.concat([head, body], ignore_index=True)
    out["share_area"] = np.concatenate([[0.0 if areas is not None else np.nan], t["share_area"]])
    out["share_incidents"] = np.concatenate([[0.0], t["hit_rate"]])
    return out


def spearman(scores: ArrayLike | pd.Series, counts: ArrayLike | pd.Series) -> float:
    """Spearman rank correlation of scores and observed counts; NaN if either is constant.

    Examples
    --------
    >>> spearman([1, 2, 3], [0, 2, 5])
    1.0
    """
    s = _as_series(scores, "scores", None)
    c = _as_series(counts, "counts", s.index)
    sv = np.nan_to_num(s.to_numpy(), nan=-np.inf)
    if len(s) < 2 or np.all(sv == sv[0]) or np.all(c.to_numpy() == c.iloc[0]):
        return float("nan")
    rs = pd.Series(sv).rank().to_numpy()
    rc = pd.Series(c.to_numpy()).rank().to_numpy()
    return float(np.corrcoef(rs, rc)[0, 1])


def poisson_deviance(
    expected: ArrayLike | pd.Series,
    counts: ArrayLike | pd.Series,
    *,
    floor: float = 0.01,
) -> float:
    """Mean Poisson unit deviance 2·[y·log(y/μ) − (y − μ)] of expected vs observed counts.

    Expected counts below ``floor`` are raised to it, so that a forecast of exactly zero for a
    unit that then has incidents costs a large but finite penalty instead of infinity.

    Examples
    --------
    >>> poisson_deviance([1.0, 2.0], [1, 2])
    0.0
    """
    mu = _as_series(expected, "expected", None)
    y = _as_series(counts, "counts", mu.index).to_numpy()
    m = np.maximum(mu.to_numpy(), floor)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / m), 0.0)
    return float(np.mean(2 * (term - (y - m))))
