"""Indicator values as real exports write them: periods, missing markers, levels."""

from datetime import date, datetime

import pytest

from sotedata.domain.indicators import (
    AREA_LEVEL,
    MUNICIPALITY_LEVEL,
    indicator_key,
    parse_level,
    parse_period,
    parse_value,
)


@pytest.mark.parametrize(
    ("given", "text", "start", "end"),
    [
        ("2021", "2021", date(2021, 1, 1), date(2021, 12, 31)),
        (2021, "2021", date(2021, 1, 1), date(2021, 12, 31)),
        (2021.0, "2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("2018-2020", "2018-2020", date(2018, 1, 1), date(2020, 12, 31)),
        ("2018–2020", "2018-2020", date(2018, 1, 1), date(2020, 12, 31)),
        ("2021Q3", "2021Q3", date(2021, 7, 1), date(2021, 9, 30)),
        ("2021 K1", "2021Q1", date(2021, 1, 1), date(2021, 3, 31)),
        ("2021M02", "2021M02", date(2021, 2, 1), date(2021, 2, 28)),
        ("23.11.2026", "2026-11-23", date(2026, 11, 23), date(2026, 11, 23)),
        (datetime(2022, 6, 15), "2022-06-15", date(2022, 6, 15), date(2022, 6, 15)),
    ],
)
def test_periods_as_the_sources_write_them(given, text, start, end):
    period = parse_period(given)
    assert (period.text, period.start, period.end) == (text, start, end)


@pytest.mark.parametrize("given", ["2020-2018", "vuosi", "2021Q5", "2021M13", "31.2.2021", 12.5])
def test_anything_else_is_no_period(given):
    assert parse_period(given) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("12,5", (True, 12.5)),
        ("1 234,5", (True, 1234.5)),
        (7, (True, 7.0)),
        ("..", (True, None)),
        ("-", (True, None)),
        ("", (True, None)),
        (None, (True, None)),
        ("-3,2", (True, -3.2)),
        ("paljon", (False, None)),
    ],
)
def test_values_keep_missing_apart_from_zero(given, expected):
    assert parse_value(given) == expected


@pytest.mark.parametrize(
    ("given", "level"),
    [
        ("Hyvinvointialue", AREA_LEVEL),
        ("Hyvinvointialueet", AREA_LEVEL),
        ("Välfärdsområde", AREA_LEVEL),
        ("Kunnat", MUNICIPALITY_LEVEL),
        ("KUNTA", MUNICIPALITY_LEVEL),
        ("Maakunnat", None),
        ("Seutukunnat", None),
        ("Koko maa", None),
    ],
)
def test_levels(given, level):
    assert parse_level(given) == level


def test_one_name_is_one_indicator_whatever_its_spelling():
    assert indicator_key("Huoltosuhde, demografinen") == indicator_key("huoltosuhde,  DEMOGRAFINEN")
    assert indicator_key("Sairastavuusindeksi") == "file:sairastavuusindeksi"
