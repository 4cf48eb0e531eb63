"""Origins of a backtest: given ones checked and normalised, or the default plan.

Private to :mod:`pilkada_risk.validation`; :func:`~pilkada_risk.validation.backtest.default_origins`
stays in the backtest module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd

from pilkada_risk.config.elections import load_elections
from pilkada_risk.config.i18n import label


def _origins_frame(
    origins: Iterable[Any], elections: pd.DataFrame, h: pd.Timedelta, stop: pd.Timestamp
) -> pd.DataFrame:
    """Custom origins normalised to midnight, each with a horizon fully observed by ``stop``."""
    starts = dict(
        zip(pd.to_datetime(elections["campaign_start"]), elections["key"].astype(str), strict=True)
    )
    stamps = sorted({pd.Timestamp(o).normalize() for o in origins})
    if not stamps:
        raise ValueError(label("backtest.no_custom_origins", "id"))
    late = [t for t in stamps if t + h > stop]
    if late:
        raise ValueError(
            label(
                "backtest.origin_past_end",
                "id",
                origin=late[0].date(),
                end_h=(late[0] + h).date(),
                horizon=f"{h.days}D" if h == pd.Timedelta(days=h.days) else str(h),
                stop=stop.date(),
                n=len(late),
                last_ok=(stop - h).date(),
            )
        )
    kinds = [starts.get(t, "monthly" if t.day == 1 else "custom") for t in stamps]
    return pd.DataFrame({"origin": stamps, "origin_kind": pd.array(kinds, dtype="string")})


def _data_end(data: pd.DataFrame, end: Any) -> pd.Timestamp:
    """``end`` as a Timestamp, or the day after the last incident."""
    if end is not None:
        return pd.Timestamp(end)
    if data.empty:
        raise ValueError("incidents: no dated incident inside areas (column tanggal/kec_kode)")
    return pd.Timestamp(data["tanggal"].max()).normalize() + pd.Timedelta(days=1)


def _plan(
    data: pd.DataFrame,
    origins: Iterable[Any] | None,
    horizon: str,
    min_train: str,
    end: Any,
    default_origins: Callable[..., pd.DataFrame],
) -> pd.DataFrame:
    """The origins to test (default or given), each after the first incident."""
    cal = load_elections()
    stop = _data_end(data, end)
    plan = (
        default_origins(data, horizon=horizon, min_train=min_train, elections=cal, end=stop)
        if origins is None
        else _origins_frame(origins, cal, pd.Timedelta(horizon), stop)
    )
    first = data["tanggal"].min()
    for t in plan["origin"]:
        if pd.isna(first) or t <= first:
            raise ValueError(label("backtest.empty_train", "id", origin=t.date(), first=first))
    return plan
