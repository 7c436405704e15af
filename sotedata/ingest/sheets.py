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
* ``organisers``: an organiser column with members or a type (the registry's additions and
  corrections; needs organiser and members);
* ``organiser_status``: an organiser column with a handover topic (needs organiser, topic and
  status);
* ``ignored``: anything else, and hidden sheets (drop-down lists live there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.areas import REFORM_CODES, codes_named, normalise_name
from ..domain.errors import Issue, column_letter
from ..domain.i18n import t
from . import indicator_layout, values
from .headers import match_header
from .indicator_layout import (
    MAX_SPLIT,
    headerless_sotkanet,
    is_numeric,
    looks_like_region,
    period_in_header,
)
from .layout import Layout, header_cells
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
    "organisers": ("organiser", "members"),
    "organiser_status": ("organiser", "topic", "status"),
}
_INDICATOR_META = frozenset({"level", "unit", "source", "comment"})
#: the columns an indicator sheet reads itself; any other headed column is an indicator (wide)
_INDICATOR_OWN = frozenset(
    {"area", "area_code", "municipality", "municipality_code", "period", "indicator", "value"}
    | {"region_title", "week", "month"}
    | _INDICATOR_META
)
_ROADMAP_HINTS = frozenset({"phase", "work_stream", "critical", "deadline"})


def area_header(cell: object) -> str | None:
    """The area a header cell names (wide form), or None; numbers are never area headers."""
    if not isinstance(cell, str) or values.is_blank(cell) or normalise_name(cell).isdigit():
        return None
    codes = codes_named(cell)
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


def _score(columns: dict[str, int], areas: dict[int, str], cells: list[object] = ()) -> int:  # type: ignore[assignment]
    """Known columns, plus the area-headed ones beside a measure (wide status) and the
    time-headed ones beside a region (a PxWeb download: "Alue", "2019 Väestö 31.12.", …)."""
    measure = "measure" in columns or "measure_id" in columns
    score = len(columns) + (len(areas) if measure else 0)
    if columns.keys() & {"area", "area_code", "municipality", "municipality_code"}:
        taken = set(columns.values())
        score += sum(1 for i, cell in enumerate(cells) if i not in taken and period_in_header(cell))
    return score


def find_header(sheet: RawSheet) -> int | None:
    """The header row (0-based): the first row naming the most known columns, at least two."""
    best, best_score = None, 1
    for row in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
        cells = header_cells(sheet, row)
        columns, areas, _ = _read_header(cells)
        score = _score(columns, areas, cells)
        if score > best_score:
            best, best_score = row, score
    return best


#: the columns each kind reads: how well a sheet fits a kind is how many of its columns these are
_VOCABULARY: dict[str, frozenset[str]] = {
    "grants": frozenset(
        {"area", "area_code", "project", "programme", "granted", "spent", "start", "end"}
        | {"measures", "status", "reported_on", "comment", "period"}
    ),
    "notes": frozenset(
        {"area", "area_code", "note", "source_type", "link", "tags", "reported_on", "measures"}
        | {"comment"}
    ),
    "indicators": _INDICATOR_OWN,
    "risks": frozenset(
        {"area", "area_code", "risk", "risk_id", "likelihood", "impact", "mitigation", "owner"}
        | {"reported_on", "status", "comment"}
    ),
    "status": frozenset({"area", "area_code", "measure", "measure_id", "status"})
    | {"reported_on", "comment"},
    "roadmap": frozenset({"measure", "measure_id", "phase", "work_stream", "critical"})
    | {"deadline", "comment"},
    "organisers": frozenset({"organiser", "organiser_id", "organiser_type", "name_sv", "members"})
    | {"comment"},
    "organiser_status": frozenset({"organiser", "organiser_id", "topic", "status", "comment"})
    | {"reported_on"},
}
#: the order of the kinds when two fit equally well (the order they were decided in before)
_PRIORITY = (
    *("organiser_status", "organisers"),
    *("grants", "notes", "indicators", "risks", "status", "roadmap"),
)
#: data rows looked at to tell a column of numbers when scoring the kinds
_SCORE_ROWS = 200


def _fitting(layout: Layout, numbers: int, period_headers: int) -> list[str]:
    """The kinds whose own columns the sheet has (before asking how well each fits)."""
    cols = set(layout.columns)
    found = []
    if layout.has("organiser") and "topic" in cols:
        found.append("organiser_status")
    if layout.has("organiser") and cols & {"members", "organiser_type"}:
        found.append("organisers")
    if "project" in cols and cols & {"granted", "spent"}:
        found.append("grants")
    if "note" in cols:
        found.append("notes")
    if (
        layout.has("region")
        and ("period" in cols or period_headers)
        and (numbers or "value" in cols)
    ):
        found.append("indicators")
    if cols & {"likelihood", "impact"}:
        found.append("risks")
    if "status" in cols or (layout.has("measure") and (layout.area_columns or layout.has("area"))):
        found.append("status")
    if layout.has("measure") and cols & _ROADMAP_HINTS and not layout.has("area"):
        found.append("roadmap")
    return found


def _numeric_columns(layout: Layout, cells: list[object]) -> tuple[int, int]:
    """(columns of numbers that an indicator sheet would read as indicators, of them headed by a
    period), from rows spread over the sheet."""
    known = {i for name, i in layout.columns.items() if name in _INDICATOR_OWN}
    rows = layout.data_rows()
    rows = rows[:: max(1, len(rows) // _SCORE_ROWS)]  # spread over the sheet, not its top
    numbers = period_headers = 0
    for index, cell in enumerate(cells):
        if index in known or values.is_blank(cell):
            continue
        column = [
            layout.sheet.rows[r][index] if index < len(layout.sheet.rows[r]) else None for r in rows
        ]
        if is_numeric(column):
            numbers += 1
            period_headers += period_in_header(cell) is not None
    return numbers, period_headers


def _kind(layout: Layout) -> str:
    """The kind whose columns fit the sheet best: every column it can read counts (a number
    column no kind names counts for indicators, an area-headed column for the wide status form),
    so that one stray synonym ("id", "Tila") does not decide; a tie goes by ``_PRIORITY``."""
    cells = header_cells(layout.sheet, layout.header_row)  # type: ignore[arg-type]
    numbers, period_headers = _numeric_columns(layout, cells)
    fitting = _fitting(layout, numbers, period_headers)
    if not fitting:
        return "ignored"
    cols = set(layout.columns)
    scores = {}
    for kind in fitting:
        score = len(cols & _VOCABULARY[kind])
        if kind == "indicators":
            score += numbers
        if kind == "status" and layout.area_columns:
            score += len(layout.area_columns)
        scores[kind] = score
    ranked = sorted(fitting, key=lambda kind: (-scores[kind], _PRIORITY.index(kind)))
    layout.fits = [(kind, scores[kind]) for kind in ranked]
    return ranked[0]


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
        layout = headerless_sotkanet(layout)
        return layout if layout.kind != "ignored" else _stacked_layout(layout)
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
    """Long form: indicator and value columns. Wide form: each column of numbers is one indicator
    (its header is the name; a unit in brackets stays part of it), or, in a PxWeb download, each
    column headed by a time ("2019 Väestö 31.12.") is the indicator its header names for that
    time. Text columns are dimensions or ignored (see ``indicator_layout``)."""
    layout.area_columns = {}
    cells = layout.header_texts()
    rows = layout.data_rows()
    layout.sotkanet_index = indicator_layout.sotkanet_index(layout, rows)
    layout.region_hint = indicator_layout.region_hint(layout, rows)
    # a header that names another kind's column ("Kulut", "Avustus", "Tyyppi") is still an
    # indicator here: only the columns an indicator sheet reads are not
    known = {i for name, i in layout.columns.items() if name in _INDICATOR_OWN}
    foreign = [i for name, i in layout.columns.items() if name not in _INDICATOR_OWN]
    candidates = [
        index
        for index in sorted({*ignored, *areas, *foreign})
        if index not in known and index < len(cells) and not values.is_blank(cells[index])
    ]
    numeric = [
        i
        for i in candidates
        if indicator_layout.is_numeric(indicator_layout.cells_of(layout, rows, i))
    ]
    text = [i for i in candidates if i not in numeric]
    copies = indicator_layout.region_copies(layout, rows, numeric)  # Sotkanet's id repeated in "id"
    dimensions, plain = indicator_layout.dimensions(layout, rows, text)
    dimensions, labels = indicator_layout.labels_of(layout, rows, dimensions)  # a class's names
    plain += labels
    # not figures: a code that is the same on every row (Kela's ATC_TASO in a one-level file), or
    # one that only follows a dimension's class (ATC_TASO beside ATC_KOODI)
    codes = indicator_layout.constants(layout, rows, numeric) + indicator_layout.attributes(
        layout, rows, numeric, dimensions
    )
    numeric = [i for i in numeric if i not in copies and i not in codes]
    layout.ignored_columns = sorted({*copies, *codes})
    if "value" in layout.columns and "indicator" not in layout.columns:
        # a figure column ("Arvo", "Luku") and no indicator column: alone under a title, the
        # title names the indicator; otherwise it is one indicator column among the others
        index = layout.columns.pop("value")
        title = _title_above(layout)
        if numeric or title == layout.sheet.name:
            numeric = sorted([*numeric, index])  # one column of figures among others
        else:
            layout.indicator_columns[index] = title
    if "value" in layout.columns:
        layout.ignored_columns += numeric  # a second figure (Sotkanet's absolute value)
        layout.missing = []
    elif "period" not in layout.columns:
        _period_headed(layout, cells, numeric)
        for index in [i for i in layout.indicator_columns if i not in layout.period_columns]:
            del layout.indicator_columns[index]  # figures with no time of their own: not read
        timeless = [i for i in numeric if period_in_header(cells[i]) is None]
        layout.ignored_columns += [i for i in timeless if i not in layout.ignored_columns]
    elif not layout.indicator_columns:
        for index in numeric:
            layout.indicator_columns[index] = values.text(cells[index]).strip()
    else:
        layout.ignored_columns += numeric  # beside the one figure column ("Arvo"): not read
    if "value" not in layout.columns:
        layout.missing = [] if layout.indicator_columns else ["value"]
        if "period" not in layout.columns and not layout.period_columns:
            layout.missing.append("period")
    if not layout.has("region"):
        layout.missing.insert(0, "area")
    for index in sorted(plain):
        header_text = values.text(cells[index])
        layout.notes.append(("ignored_text_column", "warning", index, {"header": header_text}))
    _split_dimensions(layout, rows, dimensions)
    return layout


def _period_headed(layout: Layout, cells: list[object], numeric: list[int]) -> None:
    """PxWeb's wide layout: the time, and the values of any variable before it, in the header.
    "Yhteensä 2019 Väestö 31.12." beside "Miehet 2019 Väestö 31.12.": the total column is kept
    (named "Väestö 31.12.") and its siblings left out with one warning."""
    headed = {i: p for i in numeric if (p := period_in_header(cells[i])) is not None}
    measures: set[str] = set()
    for _, rest in headed.values():
        words = rest.split(" ")
        for cut in (1, 2):
            if len(words) > cut and values.is_dimension_total(" ".join(words[:cut])):
                measures.add(" ".join(words[cut:]))
    dropped: list[str] = []
    title = _title_above(layout)
    for index, (period, rest) in headed.items():
        words = rest.split(" ")
        name = rest
        for cut in (1, 2):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            if len(words) > cut and tail in measures:
                if values.is_dimension_total(head):
                    name = tail
                else:
                    name = ""
                    dropped.append(head)
                break
        if name or not rest:
            layout.period_columns[index] = period
            layout.indicator_columns[index] = name or title
    if dropped:
        shown = ", ".join(dict.fromkeys(dropped))
        layout.notes.append(("dimension_in_header", "warning", None, {"values": shown}))


def _title_above(layout: Layout) -> str:
    """The first text above the header (a PxWeb download's table title), else the sheet's name:
    the indicator's name when the headers give only years."""
    for row in layout.sheet.rows[: layout.header_row or 0]:
        for cell in row:
            if isinstance(cell, str) and not values.is_blank(cell):
                return " ".join(cell.split())
    return layout.sheet.name


def _split_dimensions(layout: Layout, rows: list[int], dimensions: list[Any]) -> None:
    """A dimension with a total keeps the total; one without makes an indicator of each value,
    unless that would make more than ``MAX_SPLIT`` indicators (then the sheet is refused)."""
    if "indicator" in layout.columns:
        index = layout.columns["indicator"]
        names = {
            values.text(layout.sheet.rows[r][index])
            for r in rows
            if index < len(layout.sheet.rows[r])
        }
        count = max(1, len(names))
    else:
        count = max(1, len(layout.indicator_columns))
    layout.dimensions = dimensions
    for dimension in dimensions:
        params: dict[str, Any] = {"header": dimension.header, "count": len(dimension.values)}
        if dimension.total is not None:
            params["total"] = dimension.total or "–"
            layout.notes.append(("dimension_total", "warning", dimension.index, params))
            continue
        count *= len(dimension.values)
        if count > MAX_SPLIT:
            params |= {"indicators": count, "limit": MAX_SPLIT}
            layout.notes.append(("too_many_dimension_values", "error", dimension.index, params))
            return
        layout.notes.append(("dimension_split", "warning", dimension.index, params))


def understood_issues(layout: Layout) -> list[Issue]:
    """What understanding the sheet has to tell, at the header's cells: the kind chosen when two
    fitted, dimensions and columns left out."""
    found = []
    row = None if layout.header_row is None else layout.header_row + 1
    close = len(layout.fits) > 1 and layout.fits[1][1] * 3 >= layout.fits[0][1] * 2
    if close:  # a runner-up with two thirds of the winner's columns: say which was chosen, why
        (chosen, score), (other, other_score) = layout.fits[:2]
        params = {
            "chosen": KindName(chosen),
            "score": score,
            "other": KindName(other),
            "other_score": other_score,
        }
        found.append(
            Issue("kind_chosen", "warning", sheet=layout.sheet.name, row=row, params=params)
        )
    for code, severity, index, params in layout.notes:
        column = None if index is None else column_letter(index)
        found.append(
            Issue(code, severity, sheet=layout.sheet.name, row=row, column=column, params=params)  # type: ignore[arg-type]
        )
    return found


@dataclass(frozen=True)
class KindName:
    """A sheet kind named in a message in the message's language."""

    kind: str

    def localise(self, lang: str | None) -> str:
        return t(f"ingest.kind.{self.kind}", lang)

    def __str__(self) -> str:
        return self.localise(None)


def _stacked_layout(layout: Layout) -> Layout:
    """PxWeb's xlsx download: a title, then the column variables on rows of their own (the years
    above the measure, merged across the measure's columns) and an unheaded region column (the
    stub) on the left. The rows are joined per column ("2019 Väestö 31.12.") when the cell under
    the stub names a region and some joined header names a time."""
    sheet = layout.sheet
    rows = sheet.rows
    for top in range(min(HEADER_SEARCH_ROWS, len(rows))):
        for depth in (1, 2, 3):
            last = top + depth - 1
            if last + 1 >= len(rows):
                break
            parts = [header_cells(sheet, row) for row in range(top, last + 1)]
            width = max(len(part) for part in parts)
            joined: list[object] = []
            for column in range(width):
                texts = [
                    values.text(part[column])
                    for part in parts
                    if column < len(part) and not values.is_blank(part[column])
                ]
                joined.append(" ".join(texts) if texts else None)
            timed = [i for i, cell in enumerate(joined) if i and period_in_header(cell)]
            if not timed:
                continue
            stub = min(timed) - 1
            below = [  # the stub cells of rows with a figure (not the notes under the table)
                row[stub]
                for row in rows[last + 1 : last + 11]
                if stub < len(row)
                and not values.is_blank(row[stub])
                and any(i < len(row) and not values.is_blank(row[i]) for i in timed)
            ]
            named = sum(1 for cell in below if looks_like_region(cell))
            if not below or named * 5 < len(below) * 4:  # the stub's cells name regions
                continue
            first = rows[last + 1]
            if stub >= len(first) or values.is_blank(first[stub]):
                continue  # the next row is still the header (the measures under the years)
            columns, _areas, ignored = _read_header(joined)
            columns = {name: i for name, i in columns.items() if i != stub}
            columns.setdefault("area", stub)
            layout.header_row, layout.columns, layout.stacked = last, columns, joined
            layout.kind = "indicators"
            ignored = [i for i in ignored if i != stub]
            return _indicator_layout(layout, last, ignored, {})
    return layout
