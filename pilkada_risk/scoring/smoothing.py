"""Empirical-Bayes rate smoothing (Marshall 1991), vectorised over bootstrap replicates."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["empirical_bayes"]


def empirical_bayes(events: ArrayLike, base: ArrayLike) -> NDArray[np.float64]:
    r"""Shrink raw rates ``events / base`` toward the global rate (Marshall 1991).

    With :math:`r_i = e_i/b_i`, :math:`m = \sum e / \sum b`,
    :math:`s^2 = \sum b_i (r_i - m)^2 / \sum b`, :math:`a = s^2 - m/\bar b` and
    :math:`w_i = a / (a + m/b_i)`, the smoothed rate is :math:`w_i r_i + (1 - w_i) m`.
    This is the formula of ``esda.smoothing.Empirical_Bayes``, with Marshall's rule for a
    negative variance estimate (:math:`a < 0 \Rightarrow a = 0`: every unit takes the global
    rate) and with zero events everywhere giving zero rates instead of NaN.

    Parameters
    ----------
    events
        Event counts (or effective counts), shape ``(n,)`` or ``(replicates, n)``; the last axis
        holds the units.
    base
        Population at risk per unit, shape ``(n,)``, all > 0.

    Returns
    -------
    numpy.ndarray
        Smoothed rates, the shape of ``events``; never NaN.

    Examples
    --------
    >>> empirical_bayes([0, 2, 10, 40], [100, 100, 400, 1000]).round(4).tolist()
    [0.0286, 0.031, 0.0299, 0.0368]
    """
    e = np.asarray(events, dtype=float)
    b = np.asarray(base, dtype=float)
    if b.ndim != 1 or b.shape[0] != e.shape[-1]:
        raise ValueError(f"base has shape {b.shape}; need ({e.shape[-1]},) like events' last axis")
    if not np.all(np.isfinite(b)) or np.any(b <= 0):
        raise ValueError("base (exposure) must be finite and > 0 for every unit")
    if np.any(e < 0) or not np.all(np.isfinite(e)):
        raise ValueError("events must be finite and >= 0")
    b_sum = b.sum()
    m = e.sum(axis=-1, keepdims=True) / b_sum
    rate = e / b
    s2 = (b * (rate - m) ** 2).sum(axis=-1, keepdims=True) / b_sum
    a = np.clip(s2 - m / b.mean(), 0.0, None)
    denom = a + m / b
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(denom > 0, a / denom, 0.0)
    return w * rate + (1.0 - w) * m
