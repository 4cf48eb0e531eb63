"""Column parsers of intake: each distinct value parsed once, whole-column fast paths.

:func:`parse_dates` parses the column's dominant date format (ISO or day first) at once and
:func:`parse_coordinates` the plain decimals (point or comma); only the distinct values these
cannot read go through the scalar parsers of :mod:`pilkada_risk.intake.parsing`, and results
are spread back to the rows by their factorize codes. A clean national register thus costs no
per-row Python; a 10,000-row register costs as much as its number of distinct values. Each
returns ``(values, errors)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.intake.parsing import (
    _MISSING,
    is_missing,
    parse_coordinate,
    parse_date,
    parse_int,
)

__all__ = ["missing_mask", "parse_coordinates", "parse_dates", "parse_ints"]


def _factorize(series: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, uniques)`` of a column (-1 for NaN/None), or None when cells are unhashable."""
    if _arrow_text(series):  # text as read from CSV: hashed by Arrow, no Python objects
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        return np.asarray(codes), np.asarray(uniques, dtype=object)
    try:
        codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    except TypeError:
        return None
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def _arrow_text(series: pd.Series) -> bool:
    """True for a column of Arrow-backed text (``pandas.read_csv(dtype=str)``)."""
    return isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow"


def missing_mask(series: pd.Series) -> np.ndarray:
    """:func:`is_missing` of every cell as a boolean array (each distinct value checked once).

    Examples
    --------
    >>> missing_mask(pd.Series(["a", " - ", None, 0, float("nan")])).tolist()
    [False, True, True, False, True]
    """
    found = _factorize(series)
    if found is None:
        return np.array([is_missing(v) for v in series.tolist()], dtype=bool)
    codes, uniques = found
    if pd.api.types.infer_dtype(uniques, skipna=True) == "string":  # all text: one pass
        blank = (v.strip().lower() in _MISSING for v in uniques.tolist())
        flags = np.append(np.fromiter(blank, dtype=bool, count=len(uniques)), True)
    else:
        flags = np.array([is_missing(v) for v in uniques] + [True], dtype=bool)
    return flags[codes]  # code -1 picks the trailing True


def _map_unique(
    series: pd.Series, parser: Callable[[Any], Any], fast: Callable[[np.ndarray], Any] | None = None
) -> tuple[list[Any], list[str | None], np.ndarray]:
    """Parse each distinct value once: ``(values, errors, codes)`` where row ``i`` has
    ``values[codes[i]]`` and ``errors[codes[i]]`` (None = ok; the last entry is for NaN/None).

    ``fast`` parses the array of distinct values at once (the whole-column fast path) and
    returns ``(values, ok)``; only the distinct values it cannot parse go through ``parser``.
    """
    found = _factorize(series)
    if found is None:  # unhashable cells: one by one
        each, each_errors = _map_each(series.tolist(), parser)
        return [*each, None], [*each_errors, None], np.arange(len(each))
    codes, uniques = found
    values: list[Any] = [None] * len(uniques)
    errors: list[str | None] = [None] * len(uniques)
    todo = np.arange(len(uniques))
    if fast is not None and len(uniques):
        parsed, ok = fast(uniques)
        for j in np.flatnonzero(ok).tolist():
            values[j] = parsed[j]
        todo = np.flatnonzero(~ok)
    for j in todo.tolist():
        item = uniques[j]
        if is_missing(item):
            continue
        try:
            values[j] = parser(item)
        except ValueError as exc:
            errors[j] = str(exc)
    values.append(None)  # code -1: NaN/None
    errors.append(None)
    return values, errors, np.where(codes < 0, len(values) - 1, codes)


def _expand(errors: list[str | None], codes: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(np.array(errors, dtype=object)[codes], index=index, dtype=object)


def _map_each(items: list[Any], parser: Callable[[Any], Any]) -> tuple[list[Any], list[str | None]]:
    values: list[Any] = []
    errors: list[str | None] = []
    for item in items:
        try:
            values.append(None if is_missing(item) else parser(item))
            errors.append(None)
        except ValueError as exc:
            values.append(None)
            errors.append(str(exc))
    return values, errors


def _text_mask(uniques: np.ndarray) -> np.ndarray:
    """Which distinct values are ``str`` (vectorised when all or none are)."""
    kind = pd.api.types.infer_dtype(uniques, skipna=True)
    if kind == "string":
        return np.ones(len(uniques), dtype=bool)
    if kind in ("integer", "floating", "mixed-integer-float", "datetime", "date", "boolean"):
        return np.zeros(len(uniques), dtype=bool)
    return np.array([type(v) is str for v in uniques], dtype=bool)


def _fast_numbers(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plain decimal numbers (``-5.2``, ``103,9``) of the distinct values, vectorised (text is
    matched and converted by Arrow; both give Python's ``float`` of the text)."""
    is_text = _text_mask(uniques)
    values = np.full(len(uniques), np.nan)
    decimal = np.zeros(len(uniques), dtype=bool)
    if (~is_text).any():  # numbers as they are
        other = pd.Series(uniques[~is_text], dtype=object)
        values[~is_text] = pd.to_numeric(other, errors="coerce").to_numpy(dtype=float)
    if is_text.any():
        text = pd.Series(uniques[is_text], dtype="string[pyarrow]").str.strip()
        match = text.str.fullmatch(_PLAIN_DECIMAL).fillna(False).to_numpy(dtype=bool)
        parsed = pd.to_numeric(text[match].str.replace(",", ".", regex=False))
        at = np.flatnonzero(is_text)[match]
        values[at] = parsed.to_numpy(dtype=float)
        decimal[at] = True
    kind = pd.api.types.infer_dtype(uniques, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float"):
        plain = np.ones(len(uniques), dtype=bool)
    elif kind == "string":
        plain = np.zeros(len(uniques), dtype=bool)
    else:
        plain = np.array([type(v) in (int, float, np.int64, np.float64) for v in uniques])
    ok = (decimal | plain) & np.isfinite(values) & (np.abs(values) <= 180)
    return values, ok


#: A plain decimal (point or comma), ASCII digits only (the scalar parser takes the rest).
_PLAIN_DECIMAL = r"[-+]?[0-9]+(?:[.,][0-9]+)?"


#: ``strptime`` formats tried on a whole date column, most common first.
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_DATE_SHAPES = {
    "%Y-%m-%d": r"\d{4}-\d{1,2}-\d{1,2}",
    "%d/%m/%Y": r"\d{1,2}/\d{1,2}/\d{4}",
    "%d-%m-%Y": r"\d{1,2}-\d{1,2}-\d{4}",
    "%d.%m.%Y": r"\d{1,2}\.\d{1,2}\.\d{4}",
}


def _fast_dates(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates of the distinct values in the column's detected format, vectorised."""
    text = pd.Series(uniques, dtype=object)
    text = text.where(_text_mask(uniques)).str.strip()
    best, best_hits = None, 0
    for fmt in _DATE_FORMATS:
        hits = int(text.str.fullmatch(_DATE_SHAPES[fmt], na=False).sum())
        if hits > best_hits:
            best, best_hits = fmt, hits
    values = np.full(len(text), None, dtype=object)
    if best is None:
        return values, np.zeros(len(text), dtype=bool)
    shaped = text.str.fullmatch(_DATE_SHAPES[best], na=False)
    stamps = pd.to_datetime(text.where(shaped), format=best, errors="coerce")
    years = stamps.dt.year
    ok = (shaped & stamps.notna() & years.between(1900, 2200)).to_numpy()
    values[ok] = list(stamps[ok])
    return values, ok


def parse_dates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates; return ``(datetime64 Series, error Series)``.

    Missing cells give ``NaT`` and no error; unreadable cells give ``NaT`` and the reason. The
    column's dominant format (ISO or day first) is parsed at once; other cells one by one.
    """
    values, errors, codes = _map_unique(series, parse_date, _fast_dates)
    distinct = pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    parsed = pd.Series(distinct.to_numpy()[codes], index=series.index)
    return parsed, _expand(errors, codes, series.index)


def parse_coordinates(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of coordinates; return ``(float Series, error Series)``.

    Plain decimals (point or comma) are parsed at once; DMS and hemisphere letters one by one.
    """
    values, errors, codes = _map_unique(series, parse_coordinate, _fast_numbers)
    distinct = np.array([np.nan if v is None else v for v in values], dtype=float)
    return pd.Series(distinct[codes], index=series.index), _expand(errors, codes, series.index)


def parse_ints(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of counts; return ``(Int64 Series, error Series)``."""
    values, errors, codes = _map_unique(series, parse_int)
    distinct = pd.array(values, dtype="Int64")
    parsed = pd.Series(distinct.take(codes), index=series.index, dtype="Int64")
    return parsed, _expand(errors, codes, series.index)
