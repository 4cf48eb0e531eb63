"""Per-field checks of intake: dates, categories, victims, ids (each row's problems and notes).

Every function reads the raw frame and writes problems/notes into the :class:`RowLog`; none
drops a row. Used by :func:`pilkada_risk.intake.incidents.read_incidents`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.taxonomy import Taxonomy
from pilkada_risk.intake._headers import WEAK_ID_KEYS, header_key
from pilkada_risk.intake._sources import BOOKKEEPING
from pilkada_risk.intake.parsing import is_missing, parse_dates, parse_ints
from pilkada_risk.intake.result import RowLog

__all__ = [
    "check_categories",
    "check_dates",
    "check_ids",
    "check_korban",
    "text_column",
    "weak_ids_repeat",
]


def text_column(raw: pd.DataFrame, col: Any) -> pd.Series:
    if col is None:
        return pd.Series("", index=raw.index, dtype=str)
    return raw[col].map(lambda v: "" if is_missing(v) else str(v)).astype(str)


def weak_ids_repeat(values: pd.Series, blank: np.ndarray) -> bool:
    """True when a generic row-number column (``No``) repeats a value: then it is no id."""
    if header_key(values.name) not in WEAK_ID_KEYS:
        return False
    given = [str(v).strip() for v, b in zip(values.tolist(), blank, strict=True) if not b]
    given = [v for v in given if not is_missing(v)]
    return len(set(given)) < len(given)


def check_dates(
    raw: pd.DataFrame,
    col: Any,
    rows: RowLog,
    blank: np.ndarray,
    limits: tuple[pd.Timestamp, pd.Timestamp],
    cara: str,
) -> pd.Series:
    """Parse the date column; reject empty, unreadable, future and too-old dates."""
    low, limit = limits
    parsed, errors = parse_dates(raw[col])
    values = raw[col].tolist()
    stamps: list[Any] = parsed.tolist()
    reasons: list[Any] = errors.tolist()
    for i in np.flatnonzero(~blank).tolist():
        value, stamp = values[i], stamps[i]
        if reasons[i] is not None:
            rows.problem(
                i, "tanggal_tidak_terbaca", col, value, nilai=str(value), detail=reasons[i]
            )
        elif pd.isna(stamp):
            rows.problem(i, "tanggal_kosong", col, value)
        elif stamp > limit:
            rows.problem(
                i, "tanggal_masa_depan", col, value, tanggal=stamp.date(), batas=limit.date()
            )
        elif stamp < low:
            params = {"tanggal": stamp.date(), "batas": low.date(), "cara": cara}
            rows.problem(i, "tanggal_terlalu_lama", col, value, **params)
    return parsed


def check_categories(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    acled: bool,
    taxonomy: Taxonomy,
    rows: RowLog,
    blank: np.ndarray,
    cara: str,
) -> list[str | None]:
    """Resolve categories through the taxonomy (ACLED: sub-event, else event type)."""
    col = cols["kategori"]
    fallback = None
    if acled:  # sub_event_type is finer; event_type is the fallback
        keys = {header_key(c): c for c in raw.columns}
        col = keys.get("sub_event_type", keys["event_type"])
        fallback = keys["event_type"]
    cache: dict[Any, Any] = {}
    out: list[str | None] = []
    values = raw[col].tolist()
    extra = raw[fallback].tolist() if fallback is not None else [None] * len(raw)
    for i, (value, other) in enumerate(zip(values, extra, strict=True)):
        if blank[i]:
            out.append(None)
            continue
        if is_missing(value) and is_missing(other):
            rows.problem(i, "kategori_kosong", col, value)
            out.append(None)
            continue
        if (value, other) not in cache:
            match = taxonomy.resolve(value) if not is_missing(value) else None
            if (match is None or match.code is None) and not is_missing(other):
                match = taxonomy.resolve(other)
            cache[(value, other)] = match
        match = cache[(value, other)]
        if match is None or match.code is None:
            text = value if not is_missing(value) else other
            if ("saran", text) not in cache:
                cache[("saran", text)] = ", ".join(taxonomy.suggest(text))
            saran = cache[("saran", text)]
            params = {"nilai": str(value), "saran": saran, "cara": cara}
            rows.problem(i, "kategori_tidak_dikenal", col, value, **params)
            out.append(None)
            continue
        if not match.exact:
            rows.note(
                i, "kategori_mirip", nilai=str(value), kode=match.code, skor=round(match.score)
            )
        out.append(match.code)
    return out


def check_korban(raw: pd.DataFrame, col: Any, rows: RowLog) -> pd.Series:
    if col is None:
        return pd.Series(pd.NA, index=raw.index, dtype="Int64")
    parsed, errors = parse_ints(raw[col])
    for i in np.flatnonzero(errors.notna().to_numpy()).tolist():
        rows.note(i, "korban_tidak_terbaca", nilai=str(raw[col].iat[i]), detail=errors.iat[i])
    return parsed


def check_ids(
    raw: pd.DataFrame, col: Any, baris: pd.Series, rows: RowLog, blank: np.ndarray
) -> list[str]:
    """Source ids (``R<baris>`` when missing); later repeats of an id, and rows identical to
    an earlier one, are rejected naming the first row.

    Only a row without other problems claims its id, so a register read together with its
    corrected quarantine accepts the corrected row; columns saying where a row came from
    (``berkas``, ``lembar``, ``baris_karantina``) do not make rows different."""
    given = [
        None if col is None or is_missing(v) else str(v).strip()
        for v in (raw[col].tolist() if col is not None else [None] * len(raw))
    ]
    first: dict[str, int] = {}
    numbers: list[Any] = baris.tolist()
    for i, value in enumerate(given):
        if value is None or blank[i]:
            continue
        if value in first:
            rows.problem(
                i, "id_ganda", col or "", value, nilai=value, baris_awal=numbers[first[value]]
            )
        elif not rows.problems[i]:  # a rejected row does not claim its id: its fix may
            first[value] = i  # come back in a corrected quarantine file
    content = raw.drop(columns=[c for c in BOOKKEEPING if c in raw.columns])
    text = content.astype(object).map(str)
    dup = text.duplicated(keep="first").to_numpy() & ~blank
    if dup.any():
        keys: list[str] = text.apply(lambda r: "\x1f".join(r), axis=1).tolist()
        first_of = {k: i for i, k in reversed(list(enumerate(keys)))}
        for i in np.flatnonzero(dup).tolist():
            if not rows.has(i, "id_ganda"):
                rows.problem(i, "baris_ganda", "", "", baris_awal=numbers[first_of[keys[i]]])
    return [v if v is not None else f"R{numbers[i]}" for i, v in enumerate(given)]
