"""Indicators beside the roadmap: THL's Sotkanet and Statistics Finland figures per area or
municipality, with the time each value is for.

Real exports are untidy in known ways, so the parsing lives here, small and tested: a period may be
a year ("2021"), a span of years ("2018-2020", a three-year average), a quarter ("2021Q3"), a month
("2021M05"), an ISO week ("2026W02", "2026/02") or a date; a value may carry a decimal comma, and
"..", "." , "-", "–" or an empty cell mean *missing* (not zero); an area level says whether a row
is a wellbeing services county, a municipality, or something this app does not map (a region, a
sub-region: ignored with a warning, never forced onto an area).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from .areas import normalise_name

#: the text of a missing value in THL's and Statistics Finland's files
MISSING_MARKERS = frozenset({"..", "...", ".", "-", "–", "—", "x", "n/a", "na", "tieto puuttuu"})
AREA_LEVEL = "area"
MUNICIPALITY_LEVEL = "municipality"
#: one stored indicator value's columns, as the store returns them and the views read them
VALUE_COLUMNS = [
    "indicator_key",
    "level",
    "region_code",
    "area_code",
    "period",
    "period_start",
    "period_end",
    "value",
]

_LEVEL_WORDS = {
    AREA_LEVEL: (
        "hyvinvointialue",
        "hyvinvointialueet",
        "hva",
        "valfardsomrade",
        "valfardsomraden",
        "wellbeing services county",
        "wellbeing services counties",
        "hyvinvointialueet ja helsinki",
        "sote-alue",
        "sote-alueet",
    ),
    MUNICIPALITY_LEVEL: ("kunta", "kunnat", "kommun", "kommuner", "municipality", "municipalities"),
}
_LEVELS = {normalise_name(word): level for level, words in _LEVEL_WORDS.items() for word in words}
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")
_SPAN = re.compile(r"^(\d{4})\s*[-–—/]\s*(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[QqKkNn]\s*([1-4])$")
_MONTH = re.compile(r"^(\d{4})\s*[-/ ]?\s*[Mm]\s*(\d{1,2})$")
#: an ISO week: "2026W02", "2026-W02", "2026 vko 2", and "2026/02" as weekly registers write it
_WEEK = re.compile(r"^(\d{4})\s*(?:[-/ ]?\s*(?:[Ww]|vko|vk|v\.|vecka|week)\s*|/)(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """The time a value is for, as written ("2018-2020") and as a date range."""

    text: str
    start: date
    end: date


@dataclass(frozen=True)
class Indicator:
    key: str  # "sotkanet:3064", or a slug of the name for a file's own column
    name: str
    unit: str | None = None
    source: str | None = None
    licence: str | None = None


@dataclass(frozen=True)
class IndicatorValue:
    indicator: str  # Indicator.key
    level: str  # AREA_LEVEL or MUNICIPALITY_LEVEL
    region_code: str  # the area's code, or the municipality's three digits
    area_code: str  # the area the value belongs to (a municipality's own area)
    period: Period
    value: float | None  # None: missing in the source ("..")


def parse_period(value: object) -> Period | None:
    """A year, a span of years, a quarter, a month or a date; None for anything else."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Period(value.isoformat(), value, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= int(value) <= 2100:
            year = int(value)
            return Period(str(year), date(year, 1, 1), date(year, 12, 31))
        return None
    text = str(value or "").strip()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    if match := _SPAN.match(text):
        first, last = int(match.group(1)), int(match.group(2))
        if first > last:
            return None
        return Period(f"{first}-{last}", date(first, 1, 1), date(last, 12, 31))
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        last_month = quarter * 3
        end = date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Period(f"{year}Q{quarter}", date(year, last_month - 2, 1), end)
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return None
        end = date(year, month, calendar.monthrange(year, month)[1])
        return Period(f"{year}M{month:02d}", date(year, month, 1), end)
    if match := _WEEK.match(text):
        return week_period(int(match.group(1)), int(match.group(2)))
    for pattern, order in ((_ISO, (1, 2, 3)), (_DMY, (3, 2, 1))):
        if match := pattern.match(text):
            try:
                day = date(*(int(match.group(i)) for i in order))
            except ValueError:
                return None
            return Period(day.isoformat(), day, day)
    return None


def week_period(year: int, week: int) -> Period | None:
    """ISO week ``week`` of ``year`` ("2026W02", Monday to Sunday), None for a week the year does
    not have. The text sorts with the year's other weeks (two digits), like "2026M02" months."""
    try:
        start = date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return Period(f"{year}W{week:02d}", start, date.fromisocalendar(year, week, 7))


def is_missing(value: object) -> bool:
    """Empty, or a marker the sources use for a value that is not there."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip() or value.strip().lower() in MISSING_MARKERS
    return False


def parse_value(value: object) -> tuple[bool, float | None]:
    """(readable, number): a number, a decimal-comma text, or a missing marker (None)."""
    if is_missing(value):
        return True, None
    if isinstance(value, bool):
        return False, None
    if isinstance(value, int | float):
        return True, float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return True, float(text)
    except ValueError:
        return False, None


def parse_level(value: object) -> str | None:
    """``AREA_LEVEL``, ``MUNICIPALITY_LEVEL``, or None for any other level (a region, …)."""
    return _LEVELS.get(normalise_name(str(value or "")))


def indicator_key(name: str) -> str:
    """A stable key for an indicator a file names (its own column or an indicator cell): the same
    name in two files is the same indicator, whatever its case, accents or spacing."""
    plain = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return f"file:{slug}" if slug else "file:indikaattori"
