"""Summary of tidy per-window metrics (re-exported by :mod:`pilkada_risk.validation.metrics`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["LOWER_IS_BETTER", "summarize_metrics"]

LOWER_IS_BETTER = ("poisson_deviance",)


def summarize_metrics(
    metrics: pd.DataFrame,
    *,
    ks: Sequence[int] | None = None,
    reference: str = "model",
    tol: float = 1e-9,
) -> pd.DataFrame:
    """Summarise tidy per-window metrics and tally ``reference`` against every other method.

    Parameters
    ----------
    metrics
        Tidy frame with ``origin``, ``method``, ``metric``, ``k`` (<NA> when not top-k),
        ``value`` (as :attr:`pilkada_risk.validation.backtest.BacktestResult.metrics`).
    ks
        Keep only these k for the top-k metrics; ``None`` keeps all.
    reference
        The method whose window-by-window record is counted.
    tol
        Differences within ``tol`` count as ties.

    Returns
    -------
    pandas.DataFrame
        ``method``, ``metric``, ``k``, ``mean``, ``std``, ``median``, ``n`` (windows with a
        value), ``model_wins``, ``ties``, ``model_losses`` (the reference's record against that
        method over windows where both have a value; <NA> on the reference's rows). Higher is
        better except for the metrics in ``LOWER_IS_BETTER``.
    """
    m = metrics if ks is None else metrics[metrics["k"].isna() | metrics["k"].isin(list(ks))]
    m = m.assign(kk=m["k"].fillna(0).astype(int))
    keys = ["method", "metric", "kk"]
    stats = m.groupby(keys, sort=False)["value"].agg(["mean", "std", "median", "count"])
    stats = stats.rename(columns={"count": "n"}).reset_index()
    wide = m.set_index(["origin", "metric", "kk", "method"])["value"].unstack("method")
    tallies = []
    if reference in wide.columns:
        sign = np.where(wide.index.get_level_values("metric").isin(LOWER_IS_BETTER), -1.0, 1.0)
        for other in wide.columns.drop(reference):
            d = ((wide[reference] - wide[other]) * sign).dropna()
            flags = pd.DataFrame(
                {"model_wins": d > tol, "ties": d.abs() <= tol, "model_losses": d < -tol}
            )
            tally = flags.groupby(level=["metric", "kk"]).sum().reset_index()
            tallies.append(tally.assign(method=other))
    record = (
        pd.concat(tallies, ignore_index=True)
        if tallies
        else pd.DataFrame(columns=["method", "metric", "kk", "model_wins", "ties", "model_losses"])
    )
    out = stats.merge(record, on=keys, how="left")
    for col in ("model_wins", "ties", "model_losses"):
        out[col] = out[col].astype("Int64")
    out["k"] = out.pop("kk").astype("Int64").mask(lambda k: k == 0)
    cols = ["method", "metric", "k", "mean", "std", "median", "n"]
    return out[[*cols, "model_wins", "ties", "model_losses"]]
