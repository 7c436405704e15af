"""Where a sheet's table is and what it holds: header row, columns, and the sheet's kind.

The header row is the row among the first ``HEADER_SEARCH_ROWS`` that names the most known columns
(titles and notes above it are skipped; a merged header cell lends its text to every cell it
covers). The kind follows from the columns found:

* ``risks``: likelihood or impact (needs area, risk, likelihood, impact);
* ``status`` long form: a status column (needs area and measure);
* ``status`` wide form: a measure column and columns headed by area names, a status in each cell;
* ``roadmap``: a measure column with phase, work stream, critical or deadline (needs phase and
  work stream);
* ``indicators``: a time column with an area or municipality column and no measure: long form
  (an indicator column and a value column) or wide form (every other headed column is an
  indicator, a value in each cell);
* ``grants``: a project column with a granted or spent column (state-grant projects; needs area,
  project and granted);
* ``notes``: a note column (dated notes from meetings, interviews, surveys and media; needs area
  and note);
* ``ignored``: anything else, and hidden sheets (drop-down lists live there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..areas import REFORM_CODES, normalise_name
from ..areas import _lookup as _area_codes_named  # the fast lookup, without "did you mean"
from . import values
from .headers import match_header
from .read import RawSheet

HEADER_SEARCH_ROWS = 20
#: the columns each kind cannot do without ("area" is satisfied by a name or a code column)
REQUIRED: dict[str, tuple[str, ...]] = {
    "risks": ("area", "risk", "likelihood", "impact"),
    "status": ("area", "measure", "status"),  # the wide form needs only the measure
    "roadmap": ("measure", "phase", "work_stream"),
    "indicators": ("region", "period"),
    "grants": ("area", "project", "granted"),
    "notes": ("area", "note"),
}
_INDICATOR_META = frozenset({"level", "unit", "source", "comment"})
#: the columns an indicator sheet reads itself; any other headed column is an indicator (wide)
_INDICATOR_OWN = frozenset(
    {"area", "area_code", "municipality", "municipality_code", "period", "indicator", "value"}
    | _INDICATOR_META
)
_ROADMAP_HINTS = frozenset({"phase", "work_stream", "critical", "deadline"})


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
        return column in self.columns

    def data_rows(self) -> list[int]:
        """0-based indexes of the rows holding data: not blank, not a totals row."""
        if self.header_row is None:
            return []
        rows = self.sheet.rows
        found = []
        for index in range(self.header_row + 1, len(rows)):
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


def area_header(cell: object) -> str | None:
    """The area a header cell names (wide form), or None; numbers are never area headers."""
    if not isinstance(cell, str) or values.is_blank(cell) or normalise_name(cell).isdigit():
        return None
    codes = _area_codes_named(cell)
    return next(iter(codes)) if len(codes) == 1 else None


def _read_header(cells: list[object]) -> tuple[dict[str, int], dict[int, str], list[int]]:
    columns: dict[str, int] = {}
    areas: dict[int, str] = {}
    ignored: list[int] = []
    for index, cell in enumerate(cells):
        if values.is_blank(cell):
            continue
        column = match_header(cell)
        if column is not None and column not in columns:
            columns[column] = index
        elif column is None and (code := area_header(cell)) in REFORM_CODES:
            areas[index] = code
        else:
            ignored.append(index)
    return columns, areas, ignored


def _score(columns: dict[str, int], areas: dict[int, str]) -> int:
    measure = "measure" in columns or "measure_id" in columns
    return len(columns) + (len(areas) if measure else 0)


def find_header(sheet: RawSheet) -> int | None:
    """The header row (0-based): the first row naming the most known columns, at least two."""
    best, best_score = None, 1
    for row in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
        columns, areas, _ = _read_header(header_cells(sheet, row))
        score = _score(columns, areas)
        if score > best_score:
            best, best_score = row, score
    return best


def _kind(layout: Layout) -> str:
    cols = set(layout.columns)
    # grants and notes first: their sheets carry a status, a period or a measure id of their own
    if "project" in cols and cols & {"granted", "spent"}:
        return "grants"
    if "note" in cols and not cols & {"likelihood", "impact", "project"}:
        return "notes"
    indicator_like = "period" in cols and layout.has("region") and not layout.has("measure")
    if indicator_like and not cols & {"likelihood", "impact", "status"}:
        return "indicators"
    if cols & {"likelihood", "impact"}:
        return "risks"
    if "status" in cols:
        return "status"
    if layout.has("measure") and layout.area_columns:
        return "status"
    if layout.has("measure") and cols & _ROADMAP_HINTS and not layout.has("area"):
        return "roadmap"
    if layout.has("measure") and layout.has("area"):
        return "status"  # long form without its status column: reported as missing_column
    return "ignored"


def labelled_date(sheet: RawSheet, header_row: int) -> tuple[date | None, int, int] | None:
    """A reporting date written above the header: "Tilannepäivä: 31.10.2026", or the label in one
    cell and the date in the cell to its right (an empty one there means no date was given)."""
    for row in range(header_row):
        cells = sheet.rows[row]
        for column, cell in enumerate(cells):
            if not isinstance(cell, str) or values.is_blank(cell):
                continue
            label, _, rest = cell.partition(":")
            if match_header(label) != "reported_on":
                continue
            if rest.strip():
                return values.parse_date(rest.strip()), row, column
            # the date goes in the cell right of the label; anything further right is a note
            if column + 1 < len(cells) and not values.is_blank(cells[column + 1]):
                return values.parse_date(cells[column + 1]), row, column + 1
    return None


def understand(sheet: RawSheet) -> Layout:
    """The sheet's layout and kind (``ignored`` when no table of ours is found)."""
    layout = Layout(sheet)
    if sheet.hidden:
        return layout
    header = find_header(sheet)
    if header is None:
        return layout
    columns, areas, ignored = _read_header(header_cells(sheet, header))
    layout.header_row, layout.columns = header, columns
    layout.area_columns = areas if "status" not in columns else {}
    layout.kind = _kind(layout)
    if layout.kind == "ignored":
        return layout
    if layout.kind == "indicators":
        return _indicator_layout(layout, header, ignored, areas)
    if layout.kind != "status" or "status" in columns:
        layout.area_columns = {}
        ignored = sorted([*ignored, *areas])
    layout.ignored_columns = ignored
    required = REQUIRED[layout.kind]
    if layout.kind == "status" and layout.wide:
        required = ("measure",)
    layout.missing = [column for column in required if not layout.has(column)]
    layout.labelled_date = labelled_date(sheet, header)
    return layout


def _indicator_layout(
    layout: Layout, header: int, ignored: list[int], areas: dict[int, str]
) -> Layout:
    """Long form: indicator and value columns. Wide form: each other headed column is one
    indicator (its header is the name; a unit in brackets stays part of it)."""
    layout.area_columns = {}
    cells = header_cells(layout.sheet, header)
    if "value" in layout.columns:
        layout.ignored_columns = sorted([*ignored, *areas])
        layout.missing = [] if "indicator" in layout.columns else ["indicator"]
    else:
        # a header that names another kind's column ("Kulut", "Avustus", "Tyyppi") is still an
        # indicator here: only the columns an indicator sheet reads are not
        known = {i for name, i in layout.columns.items() if name in _INDICATOR_OWN}
        foreign = [i for name, i in layout.columns.items() if name not in _INDICATOR_OWN]
        for index in sorted([*ignored, *areas, *foreign]):
            if index in known or values.is_blank(cells[index]):
                continue
            layout.indicator_columns[index] = values.text(cells[index]).strip()
        layout.missing = [] if layout.indicator_columns else ["value"]
    if not layout.has("region"):
        layout.missing.insert(0, "area")
    return layout
