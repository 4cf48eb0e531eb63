"""Pure parsers for the values found in incident registers (dates, coordinates, counts).

Scalar parsers raise ``ValueError`` whose message (Bahasa Indonesia) says why the value was
rejected. The column helpers of :mod:`pilkada_risk.intake.column_parsing` (``parse_dates`` ...)
build on them.

Rules (documented for analysts in docs/register.md):

* Numeric dates are always **day first** (Indonesian convention): ``03/04/2024`` is 3 April.
  ``yyyy-mm-dd`` (ISO) is recognised by its 4-digit first field. Two-digit years are 20yy when
  below 70, else 19yy.
* Numbers from 20000 to 80000 are Excel serial dates (1954-10-03 .. 2119-01-10).
* Coordinates accept a decimal comma, DMS (``5°11'10"S``, ``5 11 10 LS``) and the hemisphere
  letters N/S/E/W and LU/LS/BT/BB; S, W, LS and BB make the value negative.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "is_missing",
    "parse_coordinate",
    "parse_date",
    "parse_int",
    "split_coordinate_column",
    "split_coordinate_pair",
]

_MISSING = {"", "-", "--", "nan", "nat", "null", "none", "n/a", "na", "#n/a", "?"}

_MONTHS: dict[str, int] = {}
for _num, _names in enumerate(
    [
        "januari jan january",
        "februari pebruari feb peb february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt ags agust aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nopember nov nop",
        "desember des dec december",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _num

_WEEKDAY = re.compile(
    r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b[,\s]*"
)
_TIME = re.compile(
    r"(?:[t\s]+(?:pukul|jam|pkl\.?)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?"
    r"\s*(?:wib|wita|wit|z|[+-]\d{2}:?\d{2})?)$"
)
_NUMERIC = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})$")
_TEXT_DMY = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})$")
_TEXT_MDY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_ISO_ZONED = re.compile(
    r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2})$"
)
#: Time zone in which zoned date-times (e.g. UTC from GeoParquet) are read: WIB.
TIMEZONE = "Asia/Jakarta"


def is_missing(value: Any) -> bool:
    """Return True for None, NaN/NaT and blank placeholders such as ``""``, ``"-"``, ``"n/a"``.

    Examples
    --------
    >>> is_missing(" - "), is_missing("0")
    (True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    if isinstance(value, str):
        return value.strip().lower() in _MISSING
    return False


def _two_digit_year(year: int) -> int:
    return year + (2000 if year < 70 else 1900)


def _build(year: int, month: int, day: int, text: object) -> pd.Timestamp:
    if not 1900 <= year <= 2200:
        raise ValueError(f"tahun {year} pada {text!r} di luar rentang 1900..2200")
    try:
        return pd.Timestamp(dt.date(year, month, day))
    except ValueError:
        raise ValueError(
            f"tanggal {text!r} tidak ada (hari {day}, bulan {month}, tahun {year})"
        ) from None


def _wib_day(stamp: pd.Timestamp) -> pd.Timestamp:
    """Midnight of the day of ``stamp``; a zoned stamp is first converted to WIB."""
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE).tz_localize(None)
    return stamp.normalize()


def _excel_serial(number: float, text: object) -> pd.Timestamp:
    if not 20000 <= number <= 80000:
        raise ValueError(
            f"angka {text!r} bukan tanggal (nomor seri Excel harus antara 20000 dan 80000)"
        )
    return _EXCEL_EPOCH + pd.Timedelta(days=math.floor(number))


def parse_date(value: Any) -> pd.Timestamp:
    """Parse one date as written in Indonesian registers; the time of day is dropped.

    A date-time with a time zone (a zoned Timestamp, ``2024-11-27T23:00:00Z``) is converted to
    WIB (Asia/Jakarta) first, so 23:00 UTC counts on the next day.

    Parameters
    ----------
    value
        A string (ISO, ``dd/mm/yyyy``, ``dd-mm-yy``, ``dd.mm.yyyy``, ``27 Nop 2024``,
        ``27-Nov-24``, ``Rabu, 27 November 2024 14:30``, ``November 27, 2024``), a
        datetime/date/Timestamp, or an Excel serial number (20000-80000).

    Returns
    -------
    pandas.Timestamp
        Midnight of that day.

    Raises
    ------
    ValueError
        With the reason in Bahasa Indonesia when the value is empty or not a date.

    Examples
    --------
    >>> parse_date("27 Nop 2024").date(), parse_date("03/04/2024").date()
    (datetime.date(2024, 11, 27), datetime.date(2024, 4, 3))
    >>> parse_date(45623).date()
    datetime.date(2024, 11, 27)
    """
    if is_missing(value):
        raise ValueError("tanggal kosong")
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"nilai {value!r} bukan tanggal")
    if isinstance(value, pd.Timestamp | dt.datetime | np.datetime64):
        return _wib_day(pd.Timestamp(value))
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return _excel_serial(float(value), value)
    text = " ".join(str(value).strip().lower().split())
    if _ISO_ZONED.match(text):
        return _wib_day(pd.Timestamp(text.upper()))
    text = _WEEKDAY.sub("", text)
    text = _TIME.sub("", text).strip(" ,")
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _excel_serial(float(text), value)
    if re.fullmatch(r"\d{8}", text):
        return _build(int(text[:4]), int(text[4:6]), int(text[6:]), value)
    if m := _NUMERIC.match(text):
        a, b, c = m.groups()
        if len(a) == 4:
            return _build(int(a), int(b), int(c), value)
        if len(c) not in (2, 4):
            raise ValueError(f"tahun pada {value!r} harus 2 atau 4 angka")
        year = int(c) if len(c) == 4 else _two_digit_year(int(c))
        return _build(year, int(b), int(a), value)
    if m := _TEXT_DMY.match(text):
        day, month_name, year_text = m.groups()
    elif m := _TEXT_MDY.match(text):
        month_name, day, year_text = m.groups()
    else:
        raise ValueError(
            f"format tanggal {value!r} tidak dikenal (contoh yang dikenal: 27/11/2024, "
            "2024-11-27, 27 Nop 2024, 27-Nov-24)"
        )
    month = _MONTHS.get(month_name)
    if month is None:
        raise ValueError(f"nama bulan {month_name!r} pada {value!r} tidak dikenal")
    year = int(year_text) if len(year_text) == 4 else _two_digit_year(int(year_text))
    return _build(year, month, int(day), value)


_HEMI = {"LS": -1, "S": -1, "BB": -1, "W": -1, "LU": 1, "N": 1, "BT": 1, "E": 1}
_HEMI_RE = re.compile(r"^(LS|LU|BT|BB|[NSEW])\b\.?|\b(LS|LU|BT|BB|[NSEW])\.?$")
_DECIMAL = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")
_PARTS = re.compile(r"\d+(?:[.,]\d+)?")
_LEADING_HEMI = re.compile(
    r"^((?:LS|LU|[NS])\.?\s*[\d\s.,°º˚'′’‘\"″”“]+?)[\s,]*((?:BT|BB|[EW])\.?\s*\d.*)$", re.IGNORECASE
)


def parse_coordinate(value: Any) -> float:
    """Parse one latitude or longitude in decimal degrees.

    Accepts numbers, strings with a decimal point or comma (``"-5,1912"``), and
    degrees-minutes-seconds with symbols or spaces (``5°11'10"S``, ``5 11 10 LS``,
    ``103°56'BT``). Hemisphere letters S/W/LS/BB make the value negative.

    Raises
    ------
    ValueError
        With the reason in Bahasa Indonesia.

    Examples
    --------
    >>> parse_coordinate("-5,1912")
    -5.1912
    >>> round(parse_coordinate("5°11'10\\"LS"), 4)
    -5.1861
    """
    if is_missing(value):
        raise ValueError("koordinat kosong")
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"nilai {value!r} bukan koordinat")
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
    else:
        number = _parse_coordinate_text(str(value))
    if not math.isfinite(number) or abs(number) > 180:
        raise ValueError(f"koordinat {value!r} di luar rentang -180..180 derajat")
    return number


def _parse_coordinate_text(raw: str) -> float:
    text = raw.strip().upper()
    for symbol in "°º˚":
        text = text.replace(symbol, " ")
    for symbol in "'′’‘\"″”“":
        text = text.replace(symbol, " ")
    text = " ".join(text.split())
    sign = 1.0
    if m := _HEMI_RE.search(text):
        token = m.group(1) or m.group(2)
        sign = float(_HEMI[token])
        text = (text[: m.start()] + text[m.end() :]).strip()
    if text.startswith("-"):
        sign, text = -1.0, text[1:].strip()
    elif text.startswith("+"):
        text = text[1:].strip()
    if _DECIMAL.match(text):
        return sign * float(text.replace(",", "."))
    if not re.fullmatch(r"[\d.,\s]+", text):
        raise ValueError(f"koordinat {raw!r} tidak terbaca (contoh: -5.1912, -5,1912, 5°11'10\"LS)")
    found = _PARTS.findall(text)
    if not 1 <= len(found) <= 3:
        raise ValueError(f"koordinat {raw!r} tidak terbaca (derajat menit detik?)")
    if any(not p.isdigit() for p in found[:-1]):  # "-5.19.3", "1.234,5": not D M S
        raise ValueError(
            f"koordinat {raw!r} tidak terbaca: hanya bagian terakhir dari derajat menit detik "
            "yang boleh berdesimal (contoh: 5 11 10,5 LS atau -5.1912)"
        )
    parts = [float(p.replace(",", ".")) for p in found]
    for part in parts[1:]:
        if part >= 60:
            raise ValueError(f"menit/detik pada {raw!r} harus di bawah 60")
    degrees = parts[0] + sum(p / 60**i for i, p in enumerate(parts[1:], start=1))
    return sign * degrees


def split_coordinate_pair(value: Any) -> tuple[str, str]:
    """Split a single "koordinat" cell into its two parts (first, second), as written.

    Examples
    --------
    >>> split_coordinate_pair("-5.19, 103.93")
    ('-5.19', '103.93')
    >>> split_coordinate_pair("-5,19; 103,93")
    ('-5,19', '103,93')
    >>> split_coordinate_pair("5°11'10\\"S 103°56'E")
    ('5°11\\'10"S', "103°56'E")
    >>> split_coordinate_pair("LS 5.19 BT 103.93")
    ('LS 5.19', 'BT 103.93')
    """
    if is_missing(value):
        raise ValueError("koordinat kosong")
    text = str(value).strip().strip("()[]")
    for sep in (";", "/", "|"):
        if sep in text:
            first, _, second = text.partition(sep)
            return first.strip(), second.strip()
    if m := _LEADING_HEMI.match(text):  # "LS 5.19 BT 103.93"
        return m.group(1).strip(), m.group(2).strip()
    if m := re.match(r"^(.*?(?:LS|LU|[NS]))\b[\s,]*(.+)$", text, flags=re.IGNORECASE):
        return m.group(1).strip(), m.group(2).strip()
    numbers = re.findall(r"[-+]?\d+(?:[.,]\d+)?", text)
    if len(numbers) == 2:
        return numbers[0], numbers[1]
    raise ValueError(f"koordinat {value!r} tidak bisa dipisah menjadi lintang dan bujur")


def split_coordinate_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude text of a single ``koordinat`` column, cell by cell.

    A cell that :func:`split_coordinate_pair` cannot split keeps its text as the latitude (so the
    quarantine shows it) and an empty longitude.

    >>> lat, lon = split_coordinate_column(pd.Series(["-5,1; 103,9", "x"]))
    >>> list(lat), list(lon)
    (['-5,1', 'x'], ['103,9', ''])
    """
    pairs = []
    for value in values.tolist():
        try:
            pairs.append(split_coordinate_pair(value))
        except ValueError:
            pairs.append(("" if is_missing(value) else str(value), ""))
    lat = pd.Series([a for a, _ in pairs], index=values.index, dtype=object)
    return lat, pd.Series([b for _, b in pairs], index=values.index, dtype=object)


def parse_int(value: Any) -> int:
    """Parse a non-negative count such as casualties (``"2"``, ``"2 orang"``, ``2.0``).

    Examples
    --------
    >>> parse_int("3 orang")
    3
    """
    if is_missing(value):
        raise ValueError("jumlah kosong")
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        number = float(value)
    else:
        m = re.fullmatch(
            r"\s*(\d+)(?:[.,]0+)?\s*(?:orang|org|jiwa|korban|people)?\.?\s*",
            str(value),
            flags=re.IGNORECASE,
        )
        if m is None:
            raise ValueError(f"jumlah {value!r} bukan bilangan bulat")
        number = float(m.group(1))
    if not math.isfinite(number) or number < 0 or number != int(number):
        raise ValueError(f"jumlah {value!r} harus bilangan bulat >= 0")
    return int(number)
