"""Trend per kecamatan: Mann-Kendall test and Emerging-Hot-Spot-style labels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

__all__ = [
    "MIN_PERIODS",
    "TREND_LABELS",
    "MannKendall",
    "mann_kendall",
    "trend_change",
    "trend_labels",
]

TREND_LABELS = ("baru", "meningkat", "menetap", "menurun", "sporadis", "tidak_ada", "data_kurang")

#: Fewest observed periods for a trend label or a trend component other than neutral.
MIN_PERIODS = 4


@dataclass(frozen=True)
class MannKendall:
    """Result of :func:`mann_kendall`: ``s``, ``var_s`` (tie-corrected), ``z``, ``p``, ``tau``."""

    s: float
    var_s: float
    z: float
    p: float
    tau: float


def mann_kendall(series: ArrayLike, *, continuity: bool = True) -> MannKendall:
    r"""Mann-Kendall trend test with the tie correction.

    :math:`S = \sum_{i<j} \operatorname{sign}(x_j - x_i)`;
    :math:`\operatorname{Var}(S) = [n(n-1)(2n+5) - \sum_t t(t-1)(2t+5)] / 18` over tie groups
    of size :math:`t`; :math:`z = (S - \operatorname{sign}(S)) / \sqrt{\operatorname{Var}(S)}`
    with the continuity correction (``continuity=False`` drops it); two-sided
    :math:`p = 2(1 - \Phi(|z|))`; :math:`\tau = S / (n(n-1)/2)` (tau-a).

    Examples
    --------
    >>> r = mann_kendall([1, 2, 2, 4])
    >>> r.s, round(r.var_s, 4)
    (5.0, 7.6667)
    >>> round(r.z, 4), round(r.p, 4)
    (1.4446, 0.1486)
    """
    x = np.asarray(series, dtype=float)
    n = x.size
    if n < 2:
        return MannKendall(0.0, 0.0, 0.0, 1.0, 0.0)
    diff = np.sign(x[None, :] - x[:, None])
    s = float(np.triu(diff, k=1).sum())
    _, ties = np.unique(x, return_counts=True)
    var_s = float((n * (n - 1) * (2 * n + 5) - (ties * (ties - 1) * (2 * ties + 5)).sum()) / 18)
    if var_s <= 0:
        return MannKendall(s, var_s, 0.0, 1.0, 0.0)
    num = s - np.sign(s) if continuity else s
    z = float(num / np.sqrt(var_s))
    p = float(2 * norm.sf(abs(z)))
    return MannKendall(s, var_s, z, p, s / (n * (n - 1) / 2))


def _mann_kendall_rows(x: NDArray[np.float64]) -> list[MannKendall]:
    """:func:`mann_kendall` of every row of ``x`` (units x periods), vectorised."""
    n = x.shape[-1]
    if n < 2:
        return [MannKendall(0.0, 0.0, 0.0, 1.0, 0.0) for _ in range(x.shape[0])]
    diff = np.sign(x[:, None, :] - x[:, :, None])
    s = np.triu(diff, k=1).sum(axis=(1, 2))
    # Each member of a tie group of size t adds (t - 1)(2t + 5): the group adds t(t-1)(2t+5).
    t = (x[:, :, None] == x[:, None, :]).sum(axis=2)
    ties = ((t - 1) * (2 * t + 5)).sum(axis=1)
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18
    ok = var_s > 0
    num = s - np.sign(s)
    z = np.divide(num, np.sqrt(np.where(ok, var_s, 1.0)), out=np.zeros_like(num), where=ok)
    p = np.where(ok, 2 * norm.sf(np.abs(z)), 1.0)
    tau = np.where(ok, s / (n * (n - 1) / 2), 0.0)
    return [
        MannKendall(float(a), float(b), float(c), float(d), float(e))
        for a, b, c, d, e in zip(s, var_s, z, p, tau, strict=True)
    ]


def trend_labels(
    counts: ArrayLike,
    *,
    recent_periods: int = 2,
    mk_alpha: float = 0.1,
    persistent_share: float = 0.9,
    min_periods: int = MIN_PERIODS,
) -> tuple[list[str], list[MannKendall]]:
    """Label each unit's per-period incident counts, in the spirit of Emerging Hot Spot Analysis.

    ``counts`` has shape ``(units, periods)``, oldest period first, and holds only observed
    periods (:meth:`pilkada_risk.scoring.features.IncidentFeatures.period_counts` drops those before
    the first incident of the register). With fewer than ``min_periods`` periods (or not more
    than ``recent_periods``) every unit is ``data_kurang`` (insufficient data). ArcGIS EHSA
    labels a location from its Gi* hot-spot series plus a Mann-Kendall test; with about ten
    kecamatan a per-period Gi* is too noisy, so the same rules are applied to the counts themselves:

    =========== ======================================================== ===============
    label       rule (first match wins)                                  EHSA analogue
    =========== ======================================================== ===============
    data_kurang fewer than ``min_periods`` observed periods              (none)
    tidak_ada   no incident in any period                                no pattern
    baru        incidents only in the ``recent_periods`` newest periods  new
    meningkat   Mann-Kendall p <= ``mk_alpha`` and S > 0                 intensifying
    menurun     Mann-Kendall p <= ``mk_alpha`` and S < 0                 diminishing
    menetap     incidents in >= ``persistent_share`` of the periods      persistent
    sporadis    anything else (on-and-off)                               sporadic
    =========== ======================================================== ===============

    Examples
    --------
    >>> labels, _ = trend_labels([[0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 2],
    ...                           [0, 1, 1, 2, 3, 5], [3, 3, 2, 3, 3, 3], [1, 0, 0, 2, 0, 0]])
    >>> labels
    ['tidak_ada', 'baru', 'meningkat', 'menetap', 'sporadis']
    """
    x = np.asarray(counts, dtype=float)
    labels: list[str] = []
    tests: list[MannKendall] = []
    short = x.shape[-1] < max(min_periods, recent_periods + 1)
    for row, mk in zip(x, _mann_kendall_rows(x), strict=True):
        tests.append(mk)
        nonzero = row > 0
        if short:
            labels.append("data_kurang")
        elif not nonzero.any():
            labels.append("tidak_ada")
        elif not nonzero[: row.size - recent_periods].any():
            labels.append("baru")
        elif mk.p <= mk_alpha and mk.s > 0:
            labels.append("meningkat")
        elif mk.p <= mk_alpha and mk.s < 0:
            labels.append("menurun")
        elif nonzero.mean() >= persistent_share:
            labels.append("menetap")
        else:
            labels.append("sporadis")
    return labels, tests


def trend_change(
    recent: ArrayLike, baseline: ArrayLike, *, recent_periods: int, baseline_periods: int
) -> NDArray[np.float64]:
    r"""Share of recent activity, :math:`(\bar r_i + \alpha) / (\bar r_i + \bar b_i + 2\alpha)`.

    ``recent`` and ``baseline`` are per-unit totals (severity-weighted) over the
    ``recent_periods`` newest periods and the ``baseline_periods`` before them, shape ``(n,)``
    or ``(replicates, n)``; :math:`\bar r, \bar b` are per-period means. The pseudo-count
    :math:`\alpha` is the kabupaten mean per-period baseline level (floored at 1e-9), so a unit
    with little data is pulled toward 0.5. 0.5 = steady, toward 1 = rising or new, toward 0 =
    fading. It equals the logistic of the (smoothed) log ratio recent/baseline, bounded in
    (0, 1) without any cross-unit scaling.

    Examples
    --------
    >>> trend_change([4.0, 0.0, 2.0], [8.0, 8.0, 8.0], recent_periods=2, baseline_periods=8)
    array([0.6       , 0.33333333, 0.5       ])
    """
    r = np.asarray(recent, dtype=float) / recent_periods
    b = np.asarray(baseline, dtype=float) / baseline_periods
    alpha = np.maximum(b.mean(axis=-1, keepdims=True), 1e-9)
    return (r + alpha) / (r + b + 2 * alpha)
