"""Baseline forecasts of the backtest and the exposure of its ``eb_rate`` baseline.

Each baseline gives a score and expected counts per kecamatan for one origin and horizon; the
baselines themselves are described in :mod:`pilkada_risk.validation.backtest`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pilkada_risk.config.profile import load_profile
from pilkada_risk.scoring.context import align_context, exposure_base
from pilkada_risk.scoring.model import RiskModel
from pilkada_risk.scoring.smoothing import empirical_bayes


def _counts(frame: pd.DataFrame, kodes: pd.Index) -> pd.Series:
    return frame["kec_kode"].value_counts().reindex(kodes, fill_value=0).astype(float)


def _eb_exposure(areas: pd.DataFrame, context: Any, model: Any) -> tuple[pd.Series, str]:
    """The exposure the model would use per kecamatan (index ``kode``) and its basis."""
    kodes = pd.Index(areas["kode"].astype(str))
    if context is None:
        return pd.Series(1.0, index=kodes), "unit"
    # the model's profile (a RiskModel's with its overrides); other models carry none
    prof = load_profile(getattr(model, "profile", None))
    if isinstance(model, RiskModel):
        prof = prof.with_overrides(**(model.overrides or {}))
    aligned = align_context(context, areas.assign(kode=kodes.to_numpy()))
    values, basis = exposure_base(aligned, prof.exposure.basis)
    return pd.Series(values, index=kodes, dtype=float), basis


def _baseline(
    name: str,
    train: pd.DataFrame,
    origin: pd.Timestamp,
    h: pd.Timedelta,
    exposure: pd.Series,
) -> tuple[pd.Series, pd.Series]:
    kodes = exposure.index
    span = max((origin - train["tanggal"].min()) / pd.Timedelta(days=1), 1.0)
    scale = (h / pd.Timedelta(days=1)) / span
    if name == "last_period":
        recent = _counts(train[train["tanggal"] >= origin - h], kodes)
        return recent, recent
    counts = _counts(train, kodes)
    if name == "all_history":
        return counts, counts * scale
    if name == "uniform":
        flat = pd.Series(float(counts.mean()) * scale, index=kodes)
        return pd.Series(0.0, index=kodes), flat
    rate = pd.Series(empirical_bayes(counts.to_numpy(), exposure.to_numpy()), index=kodes)
    return rate, rate * exposure * scale
