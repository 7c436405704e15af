"""The rows of a *grants* sheet (hankeseuranta): one state-grant project of one area per row.

Money is read as preparers write it ("1 234 567,89 €"); a period is a span of years or dates
("2022–2024", "1.3.2022–31.12.2024") or separate start and end columns; the measures a project
serves are roadmap ids separated by commas, and an id the roadmap does not know is a warning at
its cell (the project is kept, without that link), not a reason to refuse the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ...domain.areas import normalise_name
from ...rules.grants import Grant
from .. import values
from ..validate import SheetValidator

_DAY = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{4}"
_SPAN = re.compile(rf"^({_DAY})\s*(?:[-–—/]|\.\.)\s*({_DAY})$")
_ID_SPLIT = re.compile(r"[,;\n]+")
_YEAR = re.compile(r"^\s*(\d{4})\.?\s*$")


def _day(value: object, *, end: bool) -> date | None:
    """A date, or a year (2022, "2022") as its first or, for an end, its last day."""
    year = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1990 <= value <= 2100:
            year = int(value)
    elif isinstance(value, str) and (match := _YEAR.match(value)):
        year = int(match.group(1))
    if year is not None:
        return date(year, 12, 31) if end else date(year, 1, 1)
    return values.parse_date(value)


def parse_grant_period(value: object) -> tuple[date, date] | None:
    """(start, end) of "2022–2024", "2022", "1.3.2022–31.12.2024" or "2022-03-01 – 2024-12-31";
    None when unreadable or when it ends before it starts."""
    if values.is_blank(value):
        return None
    if isinstance(value, int | float | date | datetime) and not isinstance(value, bool):
        start, end = _day(value, end=False), _day(value, end=True)
    else:
        raw = " ".join(str(value).split())
        match = _SPAN.match(raw)
        if match:
            start, end = _day(match.group(1), end=False), _day(match.group(2), end=True)
        else:
            start, end = _day(raw, end=False), _day(raw, end=True)
    if start is None or end is None or end < start:
        return None
    return start, end


def _money(
    sheet: SheetValidator, row: int, column: str, required: bool
) -> tuple[bool, float | None]:
    """(readable, euros) of a money cell; an unreadable or missing required one is reported."""
    if required:
        value = sheet.required(row, column)
        if value is None:
            return False, None
    else:
        value, index = sheet.value(row, column)
        if index is None or values.is_blank(value):
            return True, None
        if sheet.broken(row, index, value):
            return False, None
    euros = values.parse_money(value)
    if euros is None:
        sheet.issue("invalid_money", row, sheet.layout.columns[column], value=values.text(value))
        return False, None
    return True, euros


def _period(sheet: SheetValidator, row: int) -> tuple[bool, date | None, date | None, str | None]:
    """(readable, start, end, as written) from the period column or the start and end columns."""
    value, index = sheet.value(row, "period")
    if index is not None and not values.is_blank(value):
        if sheet.broken(row, index, value):
            return False, None, None, None
        found = parse_grant_period(value)
        if found is None:
            sheet.issue("invalid_grant_period", row, index, value=values.text(value))
            return False, None, None, None
        return True, found[0], found[1], values.text(value)
    days: list[date | None] = []
    for column, end in (("start", False), ("end", True)):
        cell, where = sheet.value(row, column)
        if where is None or values.is_blank(cell):
            days.append(None)
            continue
        if sheet.broken(row, where, cell):
            return False, None, None, None
        day = _day(cell, end=end)
        if day is None:
            sheet.issue("invalid_grant_period", row, where, value=values.text(cell))
            return False, None, None, None
        days.append(day)
    start, end = days
    if start and end and end < start:
        where = sheet.layout.columns["end"]
        sheet.issue("invalid_grant_period", row, where, value=f"{start}–{end}")
        return False, None, None, None
    return True, start, end, None


def _measures(sheet: SheetValidator, row: int) -> tuple[str, ...]:
    """The roadmap ids the project serves; an unknown one is a warning naming the cell."""
    value, index = sheet.value(row, "measures")
    if index is None or values.is_blank(value) or sheet.broken(row, index, value):
        return ()
    found: list[str] = []
    known = sheet.result.measures
    for part in _ID_SPLIT.split(values.text(value)):
        text = part.strip()
        if not text:
            continue
        measure = known.id_key(text)
        if measure is None:
            sheet.issue(
                "unknown_grant_measure",
                row,
                index,
                "warning",
                text=text,
                candidates=known.suggest(text),
            )
        elif measure.id not in found:
            found.append(measure.id)
    return tuple(found)


def grant_row(sheet: SheetValidator, row: int) -> None:
    """One project: area, name, programme, money, period, state and the measures it serves."""
    code, _national = sheet.area(row)
    project = sheet.required(row, "project")
    programme = values.text(sheet.value(row, "programme")[0]) or None
    granted_ok, granted = _money(sheet, row, "granted", required=True)
    spent_ok, spent = _money(sheet, row, "spent", required=False)
    period_ok, start, end, period_text = _period(sheet, row)
    status_ok, status = sheet.word(row, "status", values.parse_grant_status, "invalid_grant_status")
    measures = _measures(sheet, row)
    day = sheet.reported_on(row)
    if not (code and project is not None and granted_ok and spent_ok and period_ok and status_ok):
        return
    if day is None or granted is None:
        return
    if spent is not None and spent > granted:
        sheet.issue(
            "spent_over_granted",
            row,
            sheet.layout.columns["spent"],
            "warning",
            spent=values.text(spent),
            granted=values.text(granted),
        )
    name = values.text(project)
    grant = Grant(
        area_code=code,
        project=name,
        programme=programme,
        granted=granted,
        spent=spent,
        start=start,
        end=end,
        period_text=period_text,
        status=status,
        measures=measures,
        reported_on=day,
    )
    index = sheet.layout.columns["granted"]
    sheet.result.add_grant(sheet, row, index, grant, normalise_name(name))
