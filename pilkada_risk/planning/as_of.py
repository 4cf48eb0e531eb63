"""The forecast date of a plan: never silently after the stage it plans for.

A plan is made *before* its stage. Without an explicit ``as_of`` the model would score as of
the end of the data, which for a register that runs past the vote is after the vote the plan is
for. :func:`plan_as_of` chooses and explains the date:

* ``as_of`` given: kept; when it lies more than the forecast horizon after the last incident,
  a warning says the scores only carry old data forward (no forecast is known there);
* no ``as_of`` and the stage of an election in the calendar is still ahead of the data: the
  end of the data (the model's default, the day after the last incident);
* no ``as_of`` and the data reach past the start of the stage of the latest election in the
  calendar: the day before that stage starts.

Stage starts come from :func:`pilkada_risk.config.elections.load_elections`: ``kampanye`` =
``campaign_start``, ``tenang`` = the day after ``campaign_end``, ``pemungutan`` = ``vote``,
``rekapitulasi`` = the day after ``vote``; a calendar column ``<stage>_start`` (or ``<stage>``)
names the start of any other stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pilkada_risk.config.elections import load_elections
from pilkada_risk.config.i18n import label

__all__ = ["PlanDate", "plan_as_of", "stage_starts", "stage_word"]

_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class PlanDate:
    """The chosen forecast date and why: ``note`` and ``warning`` per language (may be empty)."""

    as_of: pd.Timestamp | None
    note: dict[str, str] = field(default_factory=dict)
    warning: dict[str, str] = field(default_factory=dict)


def stage_starts(stage: str, elections: pd.DataFrame | None = None) -> pd.DataFrame:
    """``key``, ``name_id``, ``name_en`` and ``start`` of ``stage`` per election, by start.

    >>> s = stage_starts("pemungutan").set_index("key")
    >>> str(s.loc["pilkada_2024", "start"].date())
    '2024-11-27'
    """
    cal = load_elections() if elections is None else elections
    builtin = {
        "kampanye": lambda c: c["campaign_start"],
        "tenang": lambda c: c["campaign_end"] + _DAY,
        "pemungutan": lambda c: c["vote"],
        "rekapitulasi": lambda c: c["vote"] + _DAY,
    }
    if stage in builtin:
        start = builtin[stage](cal)
    else:
        column = next((c for c in (f"{stage}_start", stage) if c in cal.columns), None)
        if column is None:
            raise ValueError(f"stage {stage!r} has no start date in the election calendar")
        start = pd.to_datetime(cal[column])
    out = pd.DataFrame({"key": cal["key"], "start": pd.to_datetime(start)})
    for col in ("name_id", "name_en"):
        out[col] = cal[col] if col in cal.columns else cal["key"]
    return out.dropna(subset=["start"]).sort_values("start", ignore_index=True)


def stage_word(stage: str, lang: str = "id") -> str:
    """The stage as people say it (``pemungutan`` → ``pemungutan suara`` / ``voting day``).

    >>> stage_word("tenang", "en")
    'quiet period'
    """
    try:
        return label(f"plan.tahap_{stage}", lang)
    except KeyError:  # a stage the labels do not know yet
        return stage.replace("_", " ")


def _day(value: Any) -> str:
    return pd.Timestamp(value).date().isoformat()


def plan_as_of(
    last_date: Any,
    stage: str,
    *,
    as_of: Any = None,
    horizon_days: int = 90,
    elections: pd.DataFrame | None = None,
) -> PlanDate:
    """Choose the forecast date of a plan for ``stage`` (see the module docstring).

    Parameters
    ----------
    last_date
        Date of the last incident used (``None`` or NaT when there is none).
    stage
        Stage being planned (``kampanye``, ``tenang``, ``pemungutan``, ``rekapitulasi``, ...).
    as_of
        The analyst's ``--as-of``; ``None`` lets this function choose.
    horizon_days
        The forecast horizon (profile ``[forecast] horizon_days``).
    elections
        The calendar (default: the shipped one).

    Returns
    -------
    PlanDate
        ``as_of`` (``None``: the model's default, the end of the data), a ``note`` saying which
        date is used and why, and a ``warning`` when ``as_of`` is beyond data + horizon.

    Examples
    --------
    >>> d = plan_as_of("2024-12-31", "pemungutan")
    >>> str(d.as_of.date()), d.note["en"][:38]
    ('2024-11-26', 'No --as-of: the forecast date is 2024-')
    """
    last = pd.Timestamp(last_date) if last_date is not None else pd.NaT
    if as_of is not None:
        chosen = pd.Timestamp(as_of).normalize()
        if pd.isna(last) or chosen <= last.normalize() + pd.Timedelta(days=horizon_days):
            return PlanDate(chosen)
        fmt = {"as_of": _day(chosen), "last": _day(last), "horizon": horizon_days}
        warning = {g: label("plan.asof_jauh", g, **fmt) for g in ("id", "en")}
        return PlanDate(chosen, warning=warning)
    if pd.isna(last):
        return PlanDate(None)
    starts = stage_starts(stage, elections)
    ahead = starts[starts["start"] > last.normalize()]
    if len(ahead) or starts.empty:
        nxt = ahead.iloc[0] if len(ahead) else None
        note = {
            g: label(
                "plan.asof_akhir_data",
                g,
                last=_day(last),
                tahap=stage_word(stage, g),
                pemilu="-" if nxt is None else nxt[f"name_{g}"],
                mulai="-" if nxt is None else _day(nxt["start"]),
            )
            for g in ("id", "en")
        }
        return PlanDate(None, note=note)
    row = starts.iloc[-1]
    chosen = pd.Timestamp(row["start"]) - _DAY
    note = {
        g: label(
            "plan.asof_sebelum_tahap",
            g,
            as_of=_day(chosen),
            tahap=stage_word(stage, g),
            pemilu=row[f"name_{g}"],
            mulai=_day(row["start"]),
            last=_day(last),
        )
        for g in ("id", "en")
    }
    return PlanDate(chosen, note=note)
