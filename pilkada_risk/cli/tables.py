"""Tables the command line prints for people: words instead of machine codes, numbers in the
user's format (``1.234,5`` in Bahasa Indonesia, ``1,234.5`` in English), ``–`` for a missing
value; never ``<NA>``, ``NaN`` or e-notation such as ``1.172067e-01``.

Words come from ``data/labels/tables.toml`` (``kata_<code>``); a code without an entry is shown
with spaces for underscores.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.io.number_format import number

__all__ = ["cell", "intake_table", "metrics_table", "people_text", "word"]


def word(code: Any, lang: str) -> str:
    """The word people read for the machine ``code`` (``hit_rate`` → ``tingkat tangkap``)."""
    try:
        return label(f"tables.kata_{code}", lang)
    except KeyError:
        return str(code).replace("_", " ")


def cell(value: Any, lang: str, digits: int = 3) -> str:
    """One value as text: integers with thousands separators, floats with ``digits`` decimals.

    >>> cell(0.1172067, "id"), cell(1234, "en"), cell(pd.NA, "id"), cell(float("nan"), "en")
    ('0,117', '1,234', '–', '–')
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (hasattr(value, "is_integer") and _is_int_type(value)):
        return number(float(value), lang, 0)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return number(value, lang, digits)
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    return str(value)


def _is_int_type(value: Any) -> bool:
    # lazy: start-up, --help answers without loading the stages
    import numpy as np

    return isinstance(value, np.integer)


def people_text(frame: pd.DataFrame, lang: str, *, digits: int = 3) -> str:
    """``frame`` as aligned text: headers in words, numbers in ``lang``'s format (right-aligned),
    text left-aligned, no index."""
    columns = []
    for c in frame.columns:
        texts = [word(c, lang)] + [cell(v, lang, digits) for v in frame[c].tolist()]
        width = max(len(t) for t in texts)
        numeric = pd.api.types.is_numeric_dtype(frame[c].dtype)
        columns.append([t.rjust(width) if numeric else t.ljust(width) for t in texts])
    lines = ["  ".join(parts).rstrip() for parts in zip(*columns, strict=True)]
    return "\n".join(lines)


def intake_table(summary: pd.Series, lang: str) -> str:
    """:meth:`IntakeResult.summary` for people: group, item and count in ``lang``."""
    rows = [
        {"kelompok": word(group, lang), "kode": word(code, lang), "jumlah_baris": int(n)}
        for (group, code), n in summary.items()
    ]
    frame = pd.DataFrame(rows, columns=["kelompok", "kode", "jumlah_baris"])
    frame["kelompok"] = frame["kelompok"].where(~frame["kelompok"].duplicated(), "")
    return people_text(frame, lang)


def metrics_table(summary: pd.DataFrame, lang: str) -> str:
    """A backtest summary (:meth:`BacktestResult.summary`) for people."""
    frame = summary.copy()
    if "method" in frame.columns:
        frame["method"] = [_method(m, lang) for m in frame["method"]]
    if "metric" in frame.columns:
        frame["metric"] = [word(m, lang) for m in frame["metric"]]
    return people_text(frame, lang)


def _method(code: Any, lang: str) -> str:
    try:
        return label(f"backtest.method_{code}", lang)
    except KeyError:
        return word(code, lang)
