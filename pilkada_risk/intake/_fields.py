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
from pilkada_risk.intake.column_parsing import missing_mask, parse_dates, parse_ints
from pilkada_risk.intake.parsing import is_missing
from pilkada_risk.intake.result import RowLog

__all__ = [
    "check_categories",
    "check_dates",
    "check_ids",
    "check_korban",
    "text_column",
    "weak_ids_repeat",
]


def _as_text(series: pd.Series) -> pd.Series:
    """Every cell as text (missing cells included, as ``"<NA>"``), vectorised."""
    return series.astype(str).fillna("<NA>").astype(object)


def text_column(raw: pd.DataFrame, col: Any) -> pd.Series:
    """The column as text, ``""`` for missing cells."""
    if col is None:
        return pd.Series("", index=raw.index, dtype=str)
    series = raw[col]
    return series.astype(str).where(~missing_mask(series), "").astype(str)


def weak_ids_repeat(values: pd.Series, blank: np.ndarray) -> bool:
    """True when a generic row-number column (``No``) repeats a value: then it is no id."""
    if header_key(values.name) not in WEAK_ID_KEYS:
        return False
    keep = ~blank & ~missing_mask(values)
    return bool(values[keep].astype(str).str.strip().duplicated().any())


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
    values = raw[col]
    active = ~blank
    unreadable = active & errors.notna().to_numpy()
    empty = active & ~unreadable & parsed.isna().to_numpy()
    future = active & (parsed > limit).to_numpy()
    old = active & (parsed < low).to_numpy()
    for i in np.flatnonzero(unreadable).tolist():
        value = values.iat[i]
        rows.problem(i, "tanggal_tidak_terbaca", col, value, nilai=str(value), detail=errors.iat[i])
    for i in np.flatnonzero(empty).tolist():
        rows.problem(i, "tanggal_kosong", col, values.iat[i])
    for i in np.flatnonzero(future).tolist():
        stamp = parsed.iat[i]
        params = {"tanggal": stamp.date(), "batas": limit.date()}
        rows.problem(i, "tanggal_masa_depan", col, values.iat[i], **params)
    for i in np.flatnonzero(old).tolist():
        params = {"tanggal": parsed.iat[i].date(), "batas": low.date(), "cara": cara}
        rows.problem(i, "tanggal_terlalu_lama", col, values.iat[i], **params)
    return parsed


def _category_columns(raw: pd.DataFrame, cols: dict[str, Any], acled: bool) -> tuple[Any, Any]:
    if not acled:
        return cols["kategori"], None
    keys = {header_key(c): c for c in raw.columns}  # sub_event_type is finer
    return keys.get("sub_event_type", keys["event_type"]), keys["event_type"]


def check_categories(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    acled: bool,
    taxonomy: Taxonomy,
    rows: RowLog,
    blank: np.ndarray,
    cara: str,
) -> list[str | None]:
    """Resolve categories through the taxonomy (ACLED: sub-event, else event type); each
    distinct value is resolved once."""
    col, fallback = _category_columns(raw, cols, acled)
    values = raw[col]
    other = raw[fallback] if fallback is not None else pd.Series(None, index=raw.index)
    empty = missing_mask(values) & missing_mask(other)
    key = _as_text(values) + ("\x1f" + _as_text(other) if fallback is not None else "")
    codes, uniques = pd.factorize(key)
    first = np.unique(codes, return_index=True)[1]
    matches: list[Any] = []
    for r in first.tolist():
        value, extra = values.iat[r], other.iat[r]
        match = taxonomy.resolve(value) if not is_missing(value) else None
        if (match is None or match.code is None) and not is_missing(extra):
            match = taxonomy.resolve(extra)
        matches.append(match)
    found = np.array([None if m is None else m.code for m in matches], dtype=object)[codes]
    exact = np.array([m is not None and m.exact for m in matches], dtype=bool)[codes]
    active = ~blank
    for i in np.flatnonzero(active & empty).tolist():
        rows.problem(i, "kategori_kosong", col, values.iat[i])
    suggestions: dict[Any, str] = {}
    for i in np.flatnonzero(active & ~empty & pd.isna(found)).tolist():
        value = values.iat[i]
        text = value if not is_missing(value) else other.iat[i]
        if text not in suggestions:
            suggestions[text] = ", ".join(taxonomy.suggest(text))
        params = {"nilai": str(value), "saran": suggestions[text], "cara": cara}
        rows.problem(i, "kategori_tidak_dikenal", col, value, **params)
    for i in np.flatnonzero(active & ~empty & pd.notna(found) & ~exact).tolist():
        match = matches[codes[i]]
        params = {"nilai": str(values.iat[i]), "kode": match.code, "skor": round(match.score)}
        rows.note(i, "kategori_mirip", **params)
    out = found.copy()
    out[~(active & ~empty)] = None
    codes_out: list[str | None] = out.tolist()
    return codes_out


def check_korban(raw: pd.DataFrame, col: Any, rows: RowLog) -> pd.Series:
    """Victim counts; an unreadable count is noted and left empty (the row is kept)."""
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
    if col is None:
        given = pd.Series(np.nan, index=raw.index, dtype=object)
    else:
        given = raw[col].astype(str).str.strip().where(~missing_mask(raw[col]))
    present = given.notna().to_numpy() & ~blank
    repeated = present & given.duplicated(keep=False).to_numpy()
    first: dict[str, int] = {}
    for i in np.flatnonzero(repeated).tolist():  # only ids that occur more than once
        value = given.iat[i]
        if value in first:
            baris_awal = str(baris.iat[first[value]])
            rows.problem(i, "id_ganda", col or "", value, nilai=value, baris_awal=baris_awal)
        elif not rows.problems.get(i):  # a rejected row does not claim its id: its fix may
            first[value] = i  # come back in a corrected quarantine file
    _identical_rows(raw, baris, rows, blank)
    ids = given.astype(object).tolist()
    for i in np.flatnonzero(given.isna().to_numpy()).tolist():  # "R<baris>" only where needed
        ids[i] = f"R{baris.iat[i]}"
    return ids


def _identical_rows(raw: pd.DataFrame, baris: pd.Series, rows: RowLog, blank: np.ndarray) -> None:
    """Reject a row identical (as text) to an earlier one, naming that row."""
    content = raw.drop(columns=[c for c in BOOKKEEPING if c in raw.columns])
    if not len(content.columns):
        return
    text = pd.DataFrame({k: _as_text(content.iloc[:, k]) for k in range(content.shape[1])})
    hashed = pd.util.hash_pandas_object(text, index=False)
    dup = hashed.duplicated(keep="first").to_numpy() & ~blank
    if not dup.any():
        return
    first_of = {h: i for i, h in reversed(list(enumerate(hashed.tolist())))}
    for i in np.flatnonzero(dup).tolist():
        j = first_of[hashed.iat[i]]
        if rows.has(i, "id_ganda") or not text.iloc[i].equals(text.iloc[j]):
            continue
        rows.problem(i, "baris_ganda", "", "", baris_awal=str(baris.iat[j]))
