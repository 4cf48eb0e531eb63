from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilkada_risk.parsing import (
    is_missing,
    parse_coordinate,
    parse_date,
    parse_dates,
    parse_int,
    split_coordinate_pair,
)

DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
ID_MONTHS = [
    "Januari",
    "Peb",
    "Maret",
    "Apr",
    "Mei",
    "Juni",
    "Juli",
    "Agt",
    "Sept",
    "Okt",
    "Nop",
    "Des",
]
EN_MONTHS = [
    "Jan",
    "February",
    "Mar",
    "April",
    "May",
    "Jun",
    "July",
    "Aug",
    "September",
    "Oct",
    "Nov",
    "Dec",
]


@given(DATES, st.sampled_from(["/", "-", "."]))
def test_numeric_dates_are_day_first(day: dt.date, sep: str) -> None:
    text = f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
    assert parse_date(text).date() == day


@given(DATES, st.booleans())
def test_month_names_indonesian_and_english(day: dt.date, english: bool) -> None:
    month = (EN_MONTHS if english else ID_MONTHS)[day.month - 1]
    assert parse_date(f"{day.day} {month} {day.year}").date() == day
    assert parse_date(f"{day.day:02d}-{month[:3]}-{day.year}").date() == day


@given(DATES)
def test_iso_datetime_and_excel_serial_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()).date() == day
    assert parse_date(dt.datetime(day.year, day.month, day.day, 14, 30)).date() == day
    serial = (pd.Timestamp(day) - pd.Timestamp("1899-12-30")).days
    if 20000 <= serial <= 80000:
        assert parse_date(serial).date() == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27 Nop 2024", "2024-11-27"),
        ("27-Nov-24", "2024-11-27"),
        ("03/04/2024", "2024-04-03"),
        ("Rabu, 27 November 2024 14:30 WIB", "2024-11-27"),
        ("45623", "2024-11-27"),
        ("November 27, 2024", "2024-11-27"),
        ("27.11.2024", "2024-11-27"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert str(parse_date(text).date()) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("31/02/2024", "tidak ada"),
        ("kemarin", "tidak dikenal"),
        ("", "kosong"),
        ("27 Foo 2024", "bulan"),
        (123, "Excel"),
    ],
)
def test_bad_dates_say_why(text: object, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_date(text)


@given(st.floats(min_value=-11, max_value=6, allow_nan=False).map(lambda v: round(v, 6)))
def test_decimal_comma_equals_point(value: float) -> None:
    text = f"{value:.6f}"
    assert parse_coordinate(text.replace(".", ",")) == pytest.approx(value)
    assert parse_coordinate(text) == pytest.approx(value)


@given(
    st.integers(0, 10),
    st.integers(0, 59),
    st.integers(0, 59),
    st.sampled_from([("S", -1), ("LS", -1), ("N", 1), ("LU", 1), ("BB", -1), ("E", 1)]),
)
def test_dms_with_hemisphere(deg: int, minute: int, sec: int, hemi: tuple[str, int]) -> None:
    expected = hemi[1] * (deg + minute / 60 + sec / 3600)
    assert parse_coordinate(f"{deg}°{minute}'{sec}\"{hemi[0]}") == pytest.approx(expected)
    assert parse_coordinate(f"{deg} {minute} {sec} {hemi[0]}") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "match"),
    [("abc", "tidak terbaca"), ("5 70 0 S", "60"), ("200", "rentang"), ("", "kosong")],
)
def test_bad_coordinates(text: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_coordinate(text)


def test_split_pair_and_ints() -> None:
    assert split_coordinate_pair("-5,19, 103,93") == ("-5,19", "103,93")
    assert split_coordinate_pair("-5.19;103.93") == ("-5.19", "103.93")
    assert parse_int("2 orang") == 2
    with pytest.raises(ValueError, match="bilangan bulat"):
        parse_int("dua")
    assert is_missing("  ") and is_missing(float("nan")) and not is_missing(0)


@given(st.lists(st.one_of(st.none(), st.text(max_size=12), DATES.map(str)), max_size=30))
def test_parse_dates_never_raises_and_keeps_length(values: list[object]) -> None:
    series = pd.Series(values, dtype=object)
    before = series.copy()
    parsed, errors = parse_dates(series)
    assert len(parsed) == len(errors) == len(series)
    assert (parsed.isna() | errors.isna()).all()
    pd.testing.assert_series_equal(series, before)
