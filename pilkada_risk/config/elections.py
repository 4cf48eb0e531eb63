"""Election calendar (campaign, vote and recapitulation windows) kept as data."""

from __future__ import annotations

import os
import tomllib
from typing import Any

import pandas as pd

from pilkada_risk.config.columns import validate_columns
from pilkada_risk.config.i18n import label
from pilkada_risk.io.files import package_data

__all__ = ["STAGE_FIELDS", "election_dates", "election_phase", "load_elections", "load_operations"]

_DATE_FIELDS = ("campaign_start", "campaign_end", "vote", "recap_end")
#: Optional stage dates (PKPU 2/2024 for Pilkada 2024), in calendar order of their start.
STAGE_FIELDS = (
    "registration_start",
    "registration_end",
    "candidates_fixed",
    "number_draw",
    "recap_kecamatan_start",
    "recap_kecamatan_end",
    "recap_kabkota_start",
    "recap_kabkota_end",
    "recap_provinsi_start",
    "recap_provinsi_end",
)
_ORDER = (
    ("registration_start", "registration_end"),
    ("registration_end", "candidates_fixed"),
    ("candidates_fixed", "number_draw"),
    ("number_draw", "campaign_start"),
    ("vote", "recap_kecamatan_start"),
    ("recap_kecamatan_start", "recap_kecamatan_end"),
    ("recap_kabkota_start", "recap_kabkota_end"),
    ("recap_provinsi_start", "recap_provinsi_end"),
    ("recap_kecamatan_start", "recap_kabkota_start"),
    ("recap_kabkota_start", "recap_provinsi_start"),
)


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
    doc, source = _doc(path)
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
    for col in (*_DATE_FIELDS, *STAGE_FIELDS):
        frame[col] = pd.to_datetime(frame[col]) if col in frame else pd.NaT
    for a, b in _ORDER:
        late = frame[frame[a].notna() & frame[b].notna() & (frame[a] > frame[b])]
        if len(late):
            raise ValueError(f"{source}: {a} after {b} for {list(late['key'])}")
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


def _doc(path: str | os.PathLike[str] | None) -> tuple[dict, object]:
    source = package_data("elections.toml") if path is None else path
    with open(source, "rb") as fh:
        return tomllib.load(fh), source


def load_operations(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Police operations per Polda (``[[operation]]`` of the calendar): ``key``, ``name``,
    ``polda``, ``prov_kode``, ``election``, ``start``, ``end``.

    Examples
    --------
    >>> op = load_operations().iloc[0]
    >>> op["name"], str(op["start"].date()), str(op["end"].date())
    ('Operasi Mantap Praja Krakatau 2024', '2024-08-27', '2024-12-31')
    """
    doc, _ = _doc(path)
    columns = ["key", "name", "polda", "prov_kode", "election", "start", "end"]
    frame = pd.DataFrame(doc.get("operation", []), columns=columns)
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def _days(row: pd.Series, doc: dict, key: str, default: int) -> int:
    """An election's own H-n, else the calendar's, else ``default``."""
    value = row.get(key)
    return int(value) if value is not None and pd.notna(value) else int(doc.get(key, default))


def election_dates(
    election: str | None = None, path: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The plan's dates of one election (default: the latest): every stage date of the
    calendar, ``quiet_start``/``quiet_end``, ``bko`` (H-``h_bko``), ``rilis_bawaslu`` (the
    usual TPS-rawan release, H-``h_bawaslu``) and the election's ``operations``.

    Examples
    --------
    >>> d = election_dates("pilkada_2024")
    >>> [str(d[k].date()) for k in ("number_draw", "quiet_start", "bko", "rilis_bawaslu")]
    ['2024-09-23', '2024-11-24', '2024-11-25', '2024-11-20']
    >>> str(d["recap_kabkota_start"].date()), d["operations"][0]["name"]
    ('2024-11-29', 'Operasi Mantap Praja Krakatau 2024')
    """
    doc, _ = _doc(path)
    cal = load_elections(path)
    if election is None:
        row = cal.iloc[-1]
    else:
        found = cal[cal["key"] == election]
        if found.empty:
            raise ValueError(
                f"election={election!r} is not in the calendar; use one of {list(cal['key'])}"
            )
        row = found.iloc[0]
    day = pd.Timedelta(days=1)
    h_bko = _days(row, doc, "bko_days_before", 2)
    h_baw = _days(row, doc, "bawaslu_release_days_before", 7)
    out: dict[str, Any] = {k: row[k] for k in ("key", *_DATE_FIELDS, *STAGE_FIELDS)}
    ops = load_operations(path)
    out |= {
        "quiet_start": row["campaign_end"] + day,
        "quiet_end": row["vote"] - day,
        "h_bko": h_bko,
        "bko": row["vote"] - pd.Timedelta(days=h_bko),
        "h_bawaslu": h_baw,
        "rilis_bawaslu": row["vote"] - pd.Timedelta(days=h_baw),
        "operations": ops[ops["election"] == row["key"]].to_dict("records"),
    }
    return out


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
