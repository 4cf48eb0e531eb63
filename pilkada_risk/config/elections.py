"""Election calendar (campaign, vote and recapitulation windows) kept as data."""

from __future__ import annotations

import os
import tomllib

import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import label
from pilkada_risk.io.files import package_data

__all__ = ["election_phase", "load_elections"]

_DATE_FIELDS = ("campaign_start", "campaign_end", "vote", "recap_end")


def load_elections(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load the election calendar.

    Parameters
    ----------
    path
        A TOML file shaped like ``pilkada_risk/data/elections.toml``; ``None`` for the shipped one.

    Returns
    -------
    pandas.DataFrame
        One row per election: ``key``, ``name_id``, ``name_en``, ``kind``, ``campaign_start``,
        ``campaign_end``, ``vote``, ``recap_end`` (Timestamps), sorted by ``vote``.

    Examples
    --------
    >>> cal = load_elections()
    >>> str(cal.set_index("key").loc["pilkada_2024", "vote"].date())
    '2024-11-27'
    """
    source = package_data("elections.toml") if path is None else path
    with open(source, "rb") as fh:
        doc = tomllib.load(fh)
    rows = doc.get("election", [])
    if not rows:
        raise ValueError(f"{source}: no [[election]] entries found")
    frame = pd.DataFrame(rows)
    validate_columns(
        frame,
        ("key", *_DATE_FIELDS),
        what=f"{source} [[election]]",
        fix=label("columns.saran_contoh", "id", contoh="pilkada_risk/data/elections.toml"),
    )
    for col in _DATE_FIELDS:
        frame[col] = pd.to_datetime(frame[col])
    bad = frame[
        (frame["campaign_start"] > frame["campaign_end"])
        | (frame["campaign_end"] > frame["vote"])
        | (frame["vote"] > frame["recap_end"])
    ]
    if len(bad):
        raise ValueError(
            f"{source}: dates out of order for {list(bad['key'])}; "
            "need campaign_start <= campaign_end <= vote <= recap_end"
        )
    return frame.sort_values("vote", ignore_index=True)


def election_phase(dates: pd.Series, elections: pd.DataFrame | None = None) -> pd.Series:
    """Label each date with its election phase.

    Returns a string Series aligned with ``dates``: ``kampanye`` (campaign), ``tenang`` (quiet
    period between campaign end and the vote), ``pemungutan`` (polling day), ``rekapitulasi``
    (after the vote up to ``recap_end``) or ``""`` outside any window.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2024-10-01", "2024-11-25", "2024-11-27", "2023-01-01"]))
    >>> election_phase(s).tolist()
    ['kampanye', 'tenang', 'pemungutan', '']
    """
    cal = load_elections() if elections is None else elections
    values = pd.to_datetime(dates)
    out = pd.Series("", index=dates.index, dtype=object)
    for row in cal.itertuples():
        out[(values >= row.campaign_start) & (values <= row.campaign_end)] = "kampanye"
        out[(values > row.campaign_end) & (values < row.vote)] = "tenang"
        out[values == row.vote] = "pemungutan"
        out[(values > row.vote) & (values <= row.recap_end)] = "rekapitulasi"
    return out.astype("string")
