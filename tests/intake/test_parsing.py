from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pilkada_risk.intake.column_parsing import parse_dates
from pilkada_risk.intake.parsing import (
    is_missing,
    parse_coordinate,
    parse_date,
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


@pytest.mark.parametrize("text", ["-5.19.3", "1.234,5", "5.5 30", "5 11,5 10", "103,9.56 BT"])
def test_only_the_last_dms_part_may_have_decimals(text: str) -> None:
    with pytest.raises(ValueError, match="hanya bagian terakhir"):
        parse_coordinate(text)


@given(
    st.integers(0, 10),
    st.integers(0, 59),
    st.floats(0, 59.99, allow_nan=False).map(lambda v: round(v, 2)),
    st.sampled_from([".", ","]),
)
def test_dms_with_decimal_seconds(deg: int, minute: int, sec: float, mark: str) -> None:
    text = f"{deg} {minute} {sec:.2f}".replace(".", mark) + " LS"
    assert parse_coordinate(text) == pytest.approx(-(deg + minute / 60 + sec / 3600))


@given(st.integers(0, 10), st.integers(1, 99), st.integers(0, 59))
def test_decimal_degrees_followed_by_more_parts_are_rejected(deg: int, frac: int, m: int) -> None:
    with pytest.raises(ValueError, match="derajat menit detik"):
        parse_coordinate(f"{deg}.{frac} {m}")


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1)))
def test_zoned_values_count_in_wib(moment: dt.datetime) -> None:
    wib = (pd.Timestamp(moment) + pd.Timedelta(hours=7)).normalize()
    utc = pd.Timestamp(moment, tz="UTC")
    assert parse_date(utc) == wib
    assert parse_date(utc.isoformat()) == wib
    assert parse_date(utc.strftime("%Y-%m-%dT%H:%M:%SZ")) == wib


def test_zoned_text_and_naive_times() -> None:
    assert parse_date("2024-11-27T23:00:00Z").date() == dt.date(2024, 11, 28)
    assert parse_date("2024-11-27 23:00+07:00").date() == dt.date(2024, 11, 27)
    assert parse_date("2024-11-27 23:00").date() == dt.date(2024, 11, 27)  # naive: as written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LS 5.19 BT 103.93", ("LS 5.19", "BT 103.93")),
        ("LS 5,19, BT 103,93", ("LS 5,19", "BT 103,93")),
        ("S 5°11'10\" E 103°56'", ("S 5°11'10\"", "E 103°56'")),
    ],
)
def test_split_pair_with_leading_hemisphere(text: str, expected: tuple[str, str]) -> None:
    first, second = split_coordinate_pair(text)
    assert (first, second) == expected
    assert parse_coordinate(first) < 0 < parse_coordinate(second)
