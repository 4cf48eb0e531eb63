"""Classes for risk scores: Polri-style kelas (configurable scheme) and Bawaslu IKP bands."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["class_breaks", "classify"]


def class_breaks(
    scores: ArrayLike, *, scheme: str, k: int, cutoffs: Sequence[float] = ()
) -> NDArray[np.float64]:
    """Return the ``k - 1`` inner breaks for ``scores`` on 0..100.

    ``fixed`` returns ``cutoffs``; ``quantiles`` the ``1/k .. (k-1)/k`` quantiles;
    ``fisher_jenks`` the exact Fisher-Jenks breaks (``mapclassify.FisherJenks``, deterministic;
    ``NaturalBreaks`` is not, it runs an unseeded k-means). With fewer distinct scores than
    classes, Fisher-Jenks falls back to quantiles.

    Examples
    --------
    >>> class_breaks([1, 2, 3, 50, 52, 90], scheme="fisher_jenks", k=3).tolist()
    [3.0, 52.0]
    """
    y = np.asarray(scores, dtype=float)
    if scheme == "fixed":
        cuts = np.asarray(cutoffs, dtype=float)
        if cuts.size != k - 1:
            raise ValueError(f"cutoffs={list(cutoffs)!r}: need {k - 1} values for {k} classes")
        return cuts
    if scheme == "fisher_jenks" and np.unique(y).size > k:
        # lazy: mapclassify takes ~2 s to import; only Fisher-Jenks needs it
        import mapclassify

        with warnings.catch_warnings():
            # Without numba mapclassify warns that it uses its (exact) pure-Python version.
            warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
            bins = mapclassify.FisherJenks(y, k=k).bins
        return np.asarray(bins[:-1], dtype=float)
    if scheme in ("quantiles", "fisher_jenks"):
        return np.quantile(y, np.arange(1, k) / k)
    raise ValueError(f"scheme={scheme!r}; allowed: fixed, quantiles, fisher_jenks")


def classify(
    scores: ArrayLike,
    labels: Sequence[str],
    *,
    scheme: str = "fixed",
    cutoffs: Sequence[float] = (),
) -> list[str]:
    """Assign ``labels`` (lowest class first) to ``scores``.

    A score equal to a break belongs to the upper class for ``fixed`` (IKP style: ``sedang``
    starts at 13.47) and to the lower class for the data-driven schemes (mapclassify's upper
    bounds are inclusive).

    Examples
    --------
    >>> classify([5, 13.47, 49.33, 80], ["rendah", "sedang", "tinggi"], cutoffs=[13.47, 49.33])
    ['rendah', 'sedang', 'tinggi', 'tinggi']
    """
    y = np.asarray(scores, dtype=float)
    breaks = class_breaks(y, scheme=scheme, k=len(labels), cutoffs=cutoffs)
    side: Literal["left", "right"] = "right" if scheme == "fixed" else "left"
    idx = np.searchsorted(breaks, y, side=side)  # type: ignore[call-overload]
    return [labels[int(i)] for i in idx]
