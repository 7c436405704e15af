"""A sheet understood, as a record: where its header is, which column is which, and its kind.

Its own module, below both ``sheets`` (which finds the layout) and ``indicator_layout`` (which
reads an indicator sheet's dimensions into it), so neither has to import the other to name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import values
from .read import RawSheet


@dataclass
class Layout:
    """A sheet understood: where its header is, which column is which, and its kind."""

    sheet: RawSheet
    kind: str = "ignored"
    header_row: int | None = None  # 0-based index into ``sheet.rows``
    columns: dict[str, int] = field(default_factory=dict)  # canonical column → 0-based index
    area_columns: dict[int, str] = field(default_factory=dict)  # wide form: index → area code
    indicator_columns: dict[int, str] = field(default_factory=dict)  # wide indicators: → name
    ignored_columns: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required columns that are absent
    labelled_date: tuple[date | None, int, int] | None = None  # (date, row, column) above header
    # indicators read from their cells (see indicator_layout)
    period_columns: dict[int, str] = field(default_factory=dict)  # index → period in its header
    dimensions: list[Any] = field(default_factory=list)  # indicator_layout.Dimension
    sotkanet_index: int | None = None  # the column of Sotkanet's own region ids
    indicator_id_index: int | None = None  # the column of Sotkanet's indicator ids
    headerless: bool = False  # Sotkanet's CSV download: no header row, columns in a known order
    #: a header written over several rows (PxWeb's xlsx: years above measures), joined per column
    stacked: list[object] | None = None
    region_hint: str | None = None  # "municipality": the area column names municipalities
    #: what understanding the sheet found to tell: (code, severity, 0-based column or None, params)
    notes: list[tuple[str, str, int | None, dict[str, Any]]] = field(default_factory=list)
    #: the kinds that fitted, best first, with their scores (the warning when two fitted)
    fits: list[tuple[str, int]] = field(default_factory=list)

    def header_texts(self) -> list[object]:
        """The header's cells: the header row (merged cells lent out), or the stacked header."""
        if self.stacked is not None:
            return self.stacked
        return header_cells(self.sheet, self.header_row) if self.header_row is not None else []

    @property
    def refused(self) -> bool:
        """Understanding found an error (too many indicators from a dimension): not validated."""
        return any(severity == "error" for _, severity, _, _ in self.notes)

    @property
    def wide(self) -> bool:
        return bool(self.area_columns)

    def has(self, column: str) -> bool:
        if column == "area":
            return "area" in self.columns or "area_code" in self.columns
        if column == "measure":
            return "measure" in self.columns or "measure_id" in self.columns
        if column == "region":
            return self.has("area") or self.has("municipality")
        if column == "municipality":
            return "municipality" in self.columns or "municipality_code" in self.columns
        if column == "organiser":
            return "organiser" in self.columns or "organiser_id" in self.columns
        return column in self.columns

    def data_rows(self) -> list[int]:
        """0-based indexes of the rows holding data: not blank, not a totals row."""
        if self.header_row is None and not self.headerless:
            return []
        rows = self.sheet.rows
        found = []
        start = 0 if self.header_row is None else self.header_row + 1
        for index in range(start, len(rows)):
            cells = rows[index]
            head = cells[0] if cells else None
            if type(head) is str and head and not head.isspace():
                first = head  # the common case, without a scan: a filled text cell in column A
            else:
                first = next((cell for cell in cells if not values.is_blank(cell)), None)
            if first is None or values.is_totals(first):
                continue
            found.append(index)
        return found


def header_cells(sheet: RawSheet, row: int) -> list[object]:
    """The header row's cells, a merged cell's text copied into every cell it covers."""
    cells = list(sheet.rows[row]) if row < len(sheet.rows) else []
    for (top, left), (bottom, right) in sheet.merged:
        if not top <= row <= bottom or top >= len(sheet.rows):
            continue
        origin = sheet.rows[top][left] if left < len(sheet.rows[top]) else None
        if values.is_blank(origin):
            continue
        while len(cells) <= right:
            cells.append(None)
        for column in range(left, right + 1):
            if values.is_blank(cells[column]):
                cells[column] = origin
    return cells
