"""The rows of a *status* sheet: one status of one measure in one area on a date.

The long form (area, measure, status columns) runs a fast path, since a national file repeats the
same few areas, measures, statuses and dates over tens of thousands of rows: a row whose every
key cell was seen before in a row without any issue takes a few dictionary lookups instead of the
full checks. The wide form (a measure column and one column per area) has no fast path: its rows
are as many as the roadmap's measures.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from operator import itemgetter

from ...domain.model import Status, StatusReport
from .. import values
from ..validate import SheetValidator


@lru_cache(maxsize=1024)
def _status(value: object) -> Status | None:
    return values.parse_status(value)


class LongStatusRows:
    """The long form's rows of one sheet, with what the fast path remembers between them."""

    def __init__(self, sheet: SheetValidator):
        # what the fast path needs, looked up once per sheet instead of once per row
        self.sheet = sheet
        self.result = sheet.result
        self.rows = sheet.sheet.rows
        columns = sheet.layout.columns
        area = [columns[n] for n in ("area", "area_code") if n in columns]
        measure = [columns[n] for n in ("measure_id", "measure") if n in columns]
        #: the key cells (area ones, measure ones, status) of the columns the sheet has; at least
        #: three (a sheet missing a column is not validated), so the getter gives a tuple
        self._indexes = [*area, *measure, columns["status"]]
        self._cells = itemgetter(*self._indexes)
        self._width = max(self._indexes) + 1
        self._split = (len(area), len(area) + len(measure))
        self._day_index = columns.get("reported_on")
        self._comment_index = columns.get("comment")
        # each value of a row that raised no issue is clean on its own: remember it
        self._areas: dict[tuple[object, ...], str] = {}
        self._measures: dict[tuple[object, ...], str] = {}
        self._statuses: dict[object, Status] = {}
        self._days: dict[object, date] = {}

    def _keys(self, row: int, cells: list[object]) -> tuple[object, ...] | None:
        """The row's key cells (see ``__init__``); None when an empty one may hide an Excel
        error (the slow path checks those)."""
        if len(cells) >= self._width:
            keys = self._cells(cells)
            if None not in keys and "" not in keys:  # the common case: every key cell filled
                return keys
        else:
            keys = tuple(cells[i] if i < len(cells) else None for i in self._indexes)
        for index, value in zip(self._indexes, keys, strict=True):
            if (value is None or value == "") and self.sheet.sheet.is_error_cell(row, index):
                return None
        return keys

    def _known_report(self, cells: list[object], keys: tuple[object, ...]) -> StatusReport | None:
        """The row's report when its area, measure, status and date cells were each seen before
        in a row without any issue, else None (the row then takes the full checks)."""
        areas_end, measures_end = self._split
        code = self._areas.get(keys[:areas_end])
        measure_id = self._measures.get(keys[areas_end:measures_end])
        status = self._statuses.get(keys[-1])
        if not (code and measure_id and status):
            return None
        width = len(cells)
        if self.result.explicit_date is not None:
            day = self.result.explicit_date
        elif self._day_index is None:
            day = self.sheet.sheet_date()
        else:
            cell = cells[self._day_index] if self._day_index < width else None
            day = self._days.get(cell)
            # only filled date cells are remembered: a miss on a filled one takes the full checks
            if day is None and values.is_blank(cell):
                day = self.sheet.sheet_date()
        if day is None:  # an unreadable labelled date, or a date not seen before
            return None
        index = self._comment_index
        comment = cells[index] if index is not None and index < width else None
        comment = None if values.is_blank(comment) else values.text(comment)
        return StatusReport.checked(code, measure_id, status, day, comment)

    def row(self, row: int) -> None:
        """One long-form status row, by the fast path when it can (see the module's text)."""
        cells = self.rows[row]
        keys = self._keys(row, cells)
        known = None if keys is None else self._known_report(cells, keys)
        if known is not None:
            self.result.add_status(self.sheet, row, self._indexes[-1], known)
            return
        collector = self.sheet.collector
        before = collector.added
        report = _status_report(self.sheet, row)
        if report is not None and keys is not None and collector.added == before:
            areas_end, measures_end = self._split
            self._areas[keys[:areas_end]] = report.area_code
            self._measures[keys[areas_end:measures_end]] = report.measure_id
            self._statuses[keys[-1]] = report.status
            index = self._day_index
            day_cell = cells[index] if index is not None and index < len(cells) else None
            if self.result.explicit_date is None and not values.is_blank(day_cell):
                self._days[day_cell] = report.reported_on


def unknown_status(sheet: SheetValidator, row: int, index: int, value: object) -> None:
    """A status word that is none of ours: ``status_misspelt`` naming the word it is closest to
    ("did you mean Valmis?", in the reader's language), else ``invalid_status``."""
    closest = values.closest_status(value)
    if closest is None:
        sheet.issue("invalid_status", row, index, value=values.text(value))
    else:
        sheet.issue("status_misspelt", row, index, value=values.text(value), closest=closest)


def _not_reported(sheet: SheetValidator, row: int) -> bool:
    """A long-form row whose status cell is empty (no Excel error in it): the measure is not
    reported in this file. One warning for all such rows of the sheet (the collector counts
    them), never an error each: a template row the preparer did not fill is not a mistake."""
    index = sheet.layout.columns["status"]
    value = sheet.cell(row, index)
    if not values.is_blank(value) or sheet.sheet.is_error_cell(row, index):
        return False
    sheet.issue("status_not_reported", row, index, "warning")
    return True


def _status_report(sheet: SheetValidator, row: int) -> StatusReport | None:
    """A long-form row through the full checks; its report once added, else None."""
    if _not_reported(sheet, row):
        return None
    code, _ = sheet.area(row)
    measure = sheet.measure(row)
    value = sheet.required(row, "status")
    status = None
    if value is not None:
        status = _status(value)
        if status is None:
            unknown_status(sheet, row, sheet.layout.columns["status"], value)
    comment = sheet.value(row, "comment")[0]
    comment = None if values.is_blank(comment) else values.text(comment)
    day = sheet.reported_on(row)
    if code and measure and status and day:
        index = sheet.layout.columns["status"]
        report = StatusReport(code, measure.id, status, day, comment)
        sheet.result.add_status(sheet, row, index, report)
        return report
    return None


def wide_row(sheet: SheetValidator, row: int) -> None:
    """One measure's row of the wide form: a status in each area's column."""
    measure = sheet.measure(row)
    day = sheet.reported_on(row)
    for index, code in sheet.layout.area_columns.items():
        value = sheet.cell(row, index)
        if values.is_blank(value) and not sheet.sheet.is_error_cell(row, index):
            continue
        if sheet.broken(row, index, value):
            continue
        status = _status(value)
        if status is None:
            unknown_status(sheet, row, index, value)
            continue
        if measure and day:
            sheet.result.add_status(sheet, row, index, StatusReport(code, measure.id, status, day))
