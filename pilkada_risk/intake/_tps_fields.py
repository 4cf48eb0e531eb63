"""Per-field parsers of TPS list intake (:mod:`pilkada_risk.intake.tps`): yes/no flags, TPS
numbers, DPT, indicator and khusus columns. Problems go to the row ledger (``RowLog``)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.intake.parsing import is_missing, parse_int
from pilkada_risk.intake.result import RowLog

__all__ = ["DPT_MAX", "dpt_column", "flag_columns", "khusus_column", "parse_flag", "tps_numbers"]

#: Largest plausible DPT of one TPS (KPU caps Pilkada 2024 TPS at 600 voters; margin for lists).
DPT_MAX = 1000
_YES = frozenset({"ya", "y", "yes", "1", "true", "benar", "v", "\u2713", "\u221a", "ada"})
_NO = frozenset({"tidak", "t", "tdk", "no", "n", "0", "false", "salah", "tidak ada", "x"})
_KHUSUS_WORDS = ("khusus", "lapas", "rutan", "panti", "relokasi", "rumah sakit")
_REGULAR_WORDS = frozenset({"reguler", "regular", "biasa", "umum"})
_TPS_NUMBER = re.compile(r"^(?:tps)?\s*[-.:#]?\s*0*(\d{1,3})$")


def parse_flag(value: Any) -> bool | None:
    """Read a yes/no cell: True, False (also for a blank) or None when not recognised.

    Examples
    --------
    >>> [parse_flag(v) for v in ("Ya", "tidak", 1, "0", "", "mungkin")]
    [True, False, True, False, False, None]
    """
    if is_missing(value):
        return False
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().lower()
    if re.fullmatch(r"[01](\.0+)?", text):
        return text.startswith("1")
    return True if text in _YES else False if text in _NO else None


def _khusus_flag(value: Any) -> bool | None:
    flag = parse_flag(value)
    if flag is not None:
        return flag
    text = str(value).strip().lower()
    if any(word in text for word in _KHUSUS_WORDS):
        return True
    return False if text in _REGULAR_WORDS else None


def _tps_number(value: Any) -> int | None:
    if isinstance(value, int | float | np.integer | np.floating) and float(value).is_integer():
        number = int(value)
        return number if 1 <= number <= 999 else None
    match = _TPS_NUMBER.match(str(value).strip().lower())
    return int(match.group(1)) if match and int(match.group(1)) >= 1 else None


def tps_numbers(values: pd.Series, col: Any, rows: RowLog, blank: np.ndarray) -> list[int | None]:
    out: list[int | None] = []
    for i, value in enumerate(values.tolist()):
        number = None if is_missing(value) else _tps_number(value)
        if not blank[i] and is_missing(value):
            rows.problem(i, "tps_kosong", col, value)
        elif not blank[i] and number is None:
            rows.problem(i, "tps_tidak_terbaca", col, value, nilai=str(value))
        out.append(number)
    return out


def dpt_column(values: pd.Series, col: Any, rows: RowLog, blank: np.ndarray) -> list[int | None]:
    out: list[int | None] = []
    for i, value in enumerate(values.tolist()):
        number: int | None = None
        if blank[i]:
            out.append(None)
            continue
        if is_missing(value):
            rows.problem(i, "dpt_kosong", col, value)
        else:
            try:
                number = parse_int(value)
                detail = "" if 1 <= number <= DPT_MAX else f"{number}"
            except ValueError as exc:
                detail = str(exc)
            if detail:
                rows.problem(
                    i, "dpt_tidak_wajar", col, value, nilai=str(value), detail=detail, maks=DPT_MAX
                )
                number = None
        out.append(number)
    return out


def flag_columns(
    raw: pd.DataFrame,
    ind_cols: dict[str, Any],
    spec: dict[str, Any],
    rows: RowLog,
    blank: np.ndarray,
) -> pd.DataFrame:
    out = pd.DataFrame(False, index=raw.index, columns=list(spec))
    for name, col in ind_cols.items():
        for i, value in enumerate(raw[col].tolist()):
            flag = parse_flag(value)
            if flag is None and not blank[i]:
                rows.problem(
                    i, "indikator_tidak_terbaca", col, value, nilai=str(value), indikator=str(col)
                )
            out.iat[i, out.columns.get_loc(name)] = bool(flag)
    return out


def khusus_column(raw: pd.DataFrame, col: Any, rows: RowLog, blank: np.ndarray) -> list[bool]:
    if col is None:
        return [False] * len(raw)
    out = []
    for i, value in enumerate(raw[col].tolist()):
        flag = _khusus_flag(value)
        if flag is None and not blank[i]:
            rows.problem(i, "khusus_tidak_terbaca", col, value, nilai=str(value))
        out.append(bool(flag))
    return out
