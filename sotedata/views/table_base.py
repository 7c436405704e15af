"""What every dataset's builder shares: the column and the sources a table is built from, the
area names, the search and the day and moment of a stored value.

Below the reform's tables (``reform_tables``), the imported datasets (``tables_data``), the query
(``query``) and the registry (``tables``), so that each imports it and none of them another
module upwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..domain import areas
from ..domain.i18n import t
from ..rules import metrics


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    header: str


@dataclass(frozen=True)
class Sources:
    """What the tables are built from: the store's frames, its import history and its facts."""

    frames: metrics.Frames
    imports: pd.DataFrame | None = None
    audit: pd.DataFrame | None = None  # only read for those who may see it
    reporting_dates: tuple[date, ...] = ()
    grants: pd.DataFrame | None = None  # the state-grant projects' rows (store.grants())
    population: Mapping[str, float] | None = None  # area code → inhabitants, for € per head
    example: bool = False
    indicators: pd.DataFrame | None = None  # store.indicators(), for the indicator table
    indicator_values: pd.DataFrame | None = None  # store.indicator_values(), oldest first
    notes: pd.DataFrame | None = None  # store.notes(), for the notes table
    #: the organisers in force and every organiser report, oldest first (the organisers table)
    organisers: tuple[Any, Any] | None = None


#: the clock the people reading the times go by: moments are stored in UTC, and every table on
#: the pages and in the exports shows them as Finland's wall clock, its header naming the zone
LOCAL_ZONE = "Europe/Helsinki"


def dataset_columns(specs: Sequence[tuple[str, str]], lang: str | None) -> tuple[Column, ...]:
    """The columns of a dataset, a moment's header naming its zone ("Ladattu (Suomen aikaa)")."""
    return tuple(
        Column(key, kind, t(f"{'zone' if kind == 'datetime' else 'tables'}.col.{key}", lang))
        for key, kind in specs
    )


def area_names(codes: Iterable[Any], lang: str | None) -> list[str]:
    registry = areas.by_code()
    return [
        registry[code].short(lang) if code in registry else t("tables.national", lang)
        for code in codes
    ]


def search_rows(frame: pd.DataFrame, text: str, columns: Sequence[str]) -> pd.DataFrame:
    """Rows where any of ``columns`` contains ``text`` (case and accents as written: ä ≠ a)."""
    needle = text.strip().casefold()
    if not needle or frame.empty:
        return frame
    keep = np.zeros(len(frame), dtype=bool)
    for column in columns:
        values = frame[column].astype(object).where(frame[column].notna(), "")
        keep |= np.array([needle in str(v).casefold() for v in values], dtype=bool)
    return frame[keep]


def text_cells(values: Iterable[Any]) -> list[str]:
    """A text column as shown: a missing value (None, NaN, NA) is an empty cell, never the word
    "None" that a data frame or a Markdown table would draw for it."""
    return [
        "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        for value in values
    ]


def to_day(value: Any) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def to_moment(value: Any) -> datetime | None:
    """A stored moment (UTC; naive means UTC) as Finland's wall clock (``LOCAL_ZONE``), naive and
    to the second: spreadsheets know no time zones, so the header names it."""
    if value is None or (not isinstance(value, datetime) and pd.isna(value)):
        return None
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    moment = moment.tz_convert(LOCAL_ZONE).tz_localize(None)
    return moment.to_pydatetime().replace(microsecond=0)
