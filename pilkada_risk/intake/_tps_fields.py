"""Per-field parsers of TPS list intake (:mod:`pilkada_risk.intake.tps`): yes/no flags, TPS
numbers, DPT (a total, or L + P), indicator, khusus and class columns. Problems go to the row
ledger (``RowLog``)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.intake.parsing import is_missing, parse_int
from pilkada_risk.intake.result import RowLog

__all__ = [
    "CLASS_WORDS",
    "DPT_CAP",
    "DPT_MAX",
    "class_column",
    "dpt_columns",
    "flag_columns",
    "khusus_column",
    "parse_class",
    "parse_flag",
    "tps_numbers",
]

#: KPU's cap of voters per TPS, Pilkada 2024 (plan profile ``tps.dpt_batas_kpu``): above it, a
#: PERINGATAN.
DPT_CAP = 600
#: Largest plausible DPT of one TPS (plan profile ``tps.dpt_maks``): above it, quarantined.
DPT_MAX = 1000
#: Class words of a Polda/Polres TPS list (header keys) → class key.
CLASS_WORDS = {
    "kurang_rawan": "kurang_rawan",
    "krg_rawan": "kurang_rawan",
    "kr": "kurang_rawan",
    "less_vulnerable": "kurang_rawan",
    "rawan": "rawan",
    "r": "rawan",
    "vulnerable": "rawan",
    "sangat_rawan": "sangat_rawan",
    "sr": "sangat_rawan",
    "highly_vulnerable": "sangat_rawan",
    "very_vulnerable": "sangat_rawan",
    "khusus": "khusus",
    "tps_khusus": "khusus",
    "k": "khusus",
    "special": "khusus",
}
_YES = frozenset({"ya", "y", "yes", "1", "true", "benar", "v", "\u2713", "\u221a", "ada"})
_NO = frozenset({"tidak", "t", "tdk", "no", "n", "0", "false", "salah", "tidak ada", "x"})
_KHUSUS_WORDS = ("khusus", "loksus", "lapas", "rutan", "panti", "relokasi", "rumah sakit")
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


def _count(value: Any) -> tuple[int | None, str]:
    """A voter count and, when unreadable, why."""
    try:
        return parse_int(value), ""
    except ValueError as exc:
        return None, str(exc)


def dpt_columns(
    raw: pd.DataFrame,
    cols: dict[str, Any],
    rows: RowLog,
    blank: np.ndarray,
    limits: tuple[int, int] = (DPT_CAP, DPT_MAX),
) -> tuple[list[int | None], list[int | None], list[int | None]]:
    """DPT total, men and women per row: the total column, else L + P (both kept).

    Above ``limits[0]`` (the KPU cap) a note (``PERINGATAN``); above ``limits[1]`` or below 1
    the row is quarantined. A total beside L and P that disagrees with their sum is quarantined.
    """
    cap, most = limits
    n = len(raw)
    men = [_count(v)[0] if "dpt_l" in cols else None for v in _values(raw, cols, "dpt_l", n)]
    women = [_count(v)[0] if "dpt_p" in cols else None for v in _values(raw, cols, "dpt_p", n)]
    total_col: Any = cols.get("dpt", cols.get("dpt_l"))
    totals = _values(raw, cols, "dpt", n) if "dpt" in cols else [None] * n
    out: list[int | None] = []
    for i in range(n):
        if blank[i]:
            out.append(None)
            continue
        value: Any = totals[i]
        if "dpt" not in cols:
            parts = [raw[cols[k]].iat[i] for k in ("dpt_l", "dpt_p")]
            if any(is_missing(v) for v in parts) or men[i] is None or women[i] is None:
                j = 0 if men[i] is None else 1
                col = cols[("dpt_l", "dpt_p")[j]]
                lp = f"{parts[0]} + {parts[1]}"
                rows.problem(i, "dpt_lp_tidak_terbaca", col, parts[j], nilai=lp)
                out.append(None)
                continue
            value = int(men[i] or 0) + int(women[i] or 0)
        if is_missing(value):
            rows.problem(i, "dpt_kosong", cols["dpt"], value)
            out.append(None)
            continue
        number, detail = _count(value)
        if number is not None and not 1 <= number <= most:
            detail = f"{number}"
        if detail:
            rows.problem(
                i, "dpt_tidak_wajar", total_col, value, nilai=str(value), detail=detail, maks=most
            )
            out.append(None)
            continue
        if "dpt" in cols and men[i] is not None and women[i] is not None:
            if int(men[i] or 0) + int(women[i] or 0) != number:
                lp = f"{men[i]} + {women[i]}"
                rows.problem(i, "dpt_lp_beda", cols["dpt"], value, nilai=str(value), lp=lp)
                out.append(None)
                continue
        if number is not None and number > cap:
            rows.note(i, "dpt_di_atas_batas", dpt=number, batas=cap)
        out.append(number)
    return out, men, women


def _values(raw: pd.DataFrame, cols: dict[str, Any], key: str, n: int) -> list[Any]:
    return raw[cols[key]].tolist() if key in cols else [None] * n


def parse_class(value: Any) -> str | None:
    """A Polda class word → class key (``"Sangat Rawan"`` → ``sangat_rawan``); None if unknown.

    Examples
    --------
    >>> [parse_class(v) for v in ("Kurang Rawan", "SANGAT RAWAN", "TPS Khusus", "aman")]
    ['kurang_rawan', 'sangat_rawan', 'khusus', None]
    """
    key = "_".join(re.findall(r"[a-z]+", str(value).lower()))
    return CLASS_WORDS.get(key)


def class_column(raw: pd.DataFrame, col: Any, rows: RowLog, blank: np.ndarray) -> list[str | None]:
    """The given class key per row (None: no column or a blank cell); unknown words quarantined."""
    if col is None:
        return [None] * len(raw)
    out: list[str | None] = []
    for i, value in enumerate(raw[col].tolist()):
        key = None if is_missing(value) else parse_class(value)
        if key is None and not is_missing(value) and not blank[i]:
            rows.problem(i, "kelas_tidak_dikenal", col, value, nilai=str(value))
        out.append(key)
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
