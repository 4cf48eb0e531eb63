"""Spreadsheet-safe tables: every CSV/XLSX the project writes goes through :func:`write_table`.

Registers come from outside (news, ACLED, other units), so a cell such as ``=HYPERLINK(...)``
or ``@SUM(...)`` may reach a file an analyst opens in Excel or LibreOffice, which would evaluate
it (CSV/formula injection). Following the OWASP guidance, :func:`neutralise_cells` prefixes a
single quote to every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (also after leading spaces, and their full-width forms), unless the text is a plain
number such as ``-7.5``. Numbers stored as numbers are never touched.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from pilkada_risk.io.files import atomic_path

__all__ = ["TABLE_SUFFIXES", "csv_style", "is_live_cell", "neutralise_cells", "write_table"]

#: File suffixes :func:`write_table` can write.
TABLE_SUFFIXES = (".csv", ".xlsx")

_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"^\s*[+-]?(\d[\d.,]*|[.,]\d+)([eE][+-]?\d+)?\s*$")
# Characters openpyxl refuses in a cell (XML 1.0 control characters).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def csv_style(lang: str) -> dict[str, str]:
    """CSV ``sep`` and ``decimal`` Excel expects in the user's regional settings.

    Excel under Indonesian settings splits CSV columns on ``;`` and reads ``0,25`` as a number
    (``0.25`` becomes text or a date); English settings use ``,`` and ``0.25``.

    >>> csv_style("id"), csv_style("en")
    ({'sep': ';', 'decimal': ','}, {'sep': ',', 'decimal': '.'})
    """
    return {"sep": ";", "decimal": ","} if lang == "id" else {"sep": ",", "decimal": "."}


def is_live_cell(value: Any) -> bool:
    """True when a spreadsheet could evaluate ``value`` as a formula (text only).

    Examples
    --------
    >>> is_live_cell("=1+1"), is_live_cell("  @SUM(A1)"), is_live_cell("-7.5"), is_live_cell(-7)
    (True, True, False, False)
    """
    if not isinstance(value, str):
        return False
    head = value.lstrip(" ")
    if not head:
        return value[:1] in _TRIGGERS
    return (head[0] in _TRIGGERS or value[0] in _TRIGGERS) and not _NUMBER.match(value)


def _neutralise(value: Any) -> Any:
    return "'" + value if is_live_cell(value) else value


def neutralise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and column names cannot run as formulas.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (after optional
    spaces) gets a leading ``'``; numbers, dates and booleans are kept as they are. The input is
    not modified; a ``geometry`` column becomes WKT text.

    Examples
    --------
    >>> neutralise_cells(pd.DataFrame({"a": ["=cmd|' /C calc'!A0", "ok", "-3"]}))["a"].tolist()
    ["'=cmd|' /C calc'!A0", 'ok', '-3']
    """
    out = pd.DataFrame(frame).copy()
    for col in list(out.columns):
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if hasattr(series, "geom_type") or str(series.dtype) == "geometry":
            series = pd.Series(
                [None if g is None else g.wkt for g in series], index=out.index, dtype=object
            )
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            series = series.astype(object).map(_neutralise)
        out[col] = series
    out.columns = [_neutralise(str(c)) if isinstance(c, str) else c for c in out.columns]
    return pd.DataFrame(out)


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel cannot hold tz-aware datetimes or XML control characters."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[col] = series.dt.tz_localize(None)
        elif series.dtype == object:
            out[col] = series.map(lambda v: _ILLEGAL_XML.sub("", v) if isinstance(v, str) else v)
    return out


def write_table(
    frame: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    sep: str = ",",
    sheet_name: str = "data",
    kind: str | None = None,
    decimal: str = ".",
) -> Path:
    """Write ``frame`` (without its index) to ``.csv`` or ``.xlsx``, neutralised and atomically.

    Parameters
    ----------
    frame
        Table to write; not modified.
    path
        Target file; the suffix chooses the writer (``.csv``: UTF-8 with BOM so Excel detects
        the encoding; ``.xlsx``: openpyxl). Missing folders are created.
    sep
        CSV delimiter (``";"`` for Excel under Indonesian regional settings).
    sheet_name
        Sheet name in an ``.xlsx``.
    kind
        ``"csv"`` or ``"xlsx"`` to choose the writer whatever the suffix (default: by suffix).
    decimal
        CSV decimal mark of numbers (``","`` with ``sep=";"`` for Excel under Indonesian
        regional settings, see :func:`csv_style`); text cells are written as they are.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        For any other suffix.
    """
    path = Path(path)
    suffix = f".{kind}" if kind else path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ValueError(
            f"cannot write a table to {path.name!r}: use one of {', '.join(TABLE_SUFFIXES)}"
        )
    safe = neutralise_cells(frame)
    with atomic_path(path) as tmp:
        if suffix == ".csv":
            # CRLF rows: a cell holding a bare CR or LF is then always quoted, so no text after
            # a line break inside a cell can start a row of its own in Excel.
            safe.to_csv(
                tmp,
                index=False,
                sep=sep,
                decimal=decimal,
                encoding="utf-8-sig",
                lineterminator="\r\n",
            )
        else:
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                _for_excel(safe).to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return path
