"""Rows → records and issues: every cell checked, every problem kept with its sheet, cell and row.

Checks collect issues instead of raising, so one pass reports the whole file (the list is capped;
``collector.Collector.more`` says how many were left out). Rows are the spreadsheet's own 1-based
numbers and columns its letters, for a CSV too. This module holds what every kind of sheet shares
(a cell, an area, a measure, a date, and the file's ``Result``); each kind's rows are read in
``rows/``, which imports this module and never the other way round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from difflib import get_close_matches
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain import areas
from ..domain.areas import normalise_name
from ..domain.errors import Issue, column_letter
from ..domain.indicators import Indicator, IndicatorValue
from ..domain.model import Measure, RiskRating, Roadmap, StatusReport
from ..domain.organisers import Organiser, OrganiserReport, Registry, shipped
from ..rules.grants import Grant
from ..rules.notes import Note
from . import values
from .collector import Collector
from .layout import Layout
from .sheet_dates import Day, has_date_label

if TYPE_CHECKING:
    from ..domain.access import Principal

#: codes of areas.resolve renamed for the import contract
_RENAMED = {"area_code_mismatch": "code_name_mismatch", "missing_area": "missing_value"}


T = TypeVar("T")


@lru_cache(maxsize=4096)
def _resolution(text: object, code: object) -> tuple[str | None, tuple[Issue, ...], str]:
    """(code if found without error, issues, short name) of a (name, code) pair of cells,
    cached: a file repeats the same few."""
    found = areas.resolve(values.text(text) or None, values.text(code) or None)
    name = found.area.short_fi if found.area else ""
    return (found.code if found.ok else None), tuple(found.issues), name


@lru_cache(maxsize=1024)
def cell_date(value: object) -> date | None:
    """A date cell, cached: a file repeats the same few dates on thousands of rows."""
    return values.parse_date(value)


class MeasureIndex:
    """The roadmap's measures by id and by name (names may repeat: then a name is ambiguous).

    Ids are matched without regard to case: ``h-01`` is ``H-01``, in a report and in a roadmap
    row alike, so a typed lower-case id never makes a second measure."""

    def __init__(self, measures: list[Measure]):
        self.by_id: dict[str, Measure] = {}
        self.by_name: dict[str, list[Measure]] = {}
        self._folded: dict[str, Measure] = {}
        for measure in measures:
            self.add(measure)

    def add(self, measure: Measure) -> None:
        old = self._folded.get(measure.id.casefold())
        if old is not None:
            self.by_name[normalise_name(old.name)].remove(old)
            del self.by_id[old.id]
        self.by_id[measure.id] = measure
        self._folded[measure.id.casefold()] = measure
        self.by_name.setdefault(normalise_name(measure.name), []).append(measure)

    def id_key(self, text: str) -> Measure | None:
        return self.by_id.get(text) or self._folded.get(text.strip().casefold())

    def taken(self, candidate: str) -> bool:
        return candidate.casefold() in self._folded

    def suggest(self, text: str) -> str:
        names = {m.name: m for m in self.by_id.values()}
        ids = list(self.by_id)
        close = get_close_matches(text, ids, n=3, cutoff=0.6) or get_close_matches(
            text, list(names), n=3, cutoff=0.5
        )
        return ", ".join(close) or "–"


class SheetValidator:
    """Validation of one understood sheet; records go to the shared ``Result``."""

    def __init__(self, layout: Layout, result: Result):
        self.layout = layout
        self.sheet = layout.sheet
        self.result = result
        self.collector = result.collector

    # --- cells and issues ----------------------------------------------------------------------

    def issue(
        self, code: str, row: int | None, column: int | None, severity="error", /, **params
    ) -> None:
        self.collector.add(
            Issue(
                code,
                severity,
                sheet=self.sheet.name,
                row=None if row is None else row + 1,
                column=None if column is None else column_letter(column),
                params=params,
            )
        )

    def value(self, row: int, column: str) -> tuple[object, int | None]:
        index = self.layout.columns.get(column)
        if index is None:
            return None, None
        cells = self.sheet.rows[row]
        return (cells[index] if index < len(cells) else None), index

    def cell(self, row: int, index: int) -> object:
        cells = self.sheet.rows[row]
        return cells[index] if index < len(cells) else None

    def broken(self, row: int, index: int | None, value: object) -> bool:
        """An Excel error (#REF!, #N/A…) where a value is needed: reported, True."""
        if index is None:
            return False
        # an error cell reads as empty: only an empty cell needs the (lazy) scan for errors
        blank = value is None or value == ""
        error_cell = blank and self.sheet.is_error_cell(row, index)
        if error_cell or (type(value) is str and values.is_excel_error(value)):
            shown = value if values.is_excel_error(value) else "#…"
            self.issue("formula_error", row, index, value=shown)
            return True
        return False

    def required(self, row: int, column: str) -> object | None:
        value, index = self.value(row, column)
        if self.broken(row, index, value):
            return None
        if values.is_blank(value):
            self.issue("missing_value", row, index, column=self.header(index, column))
            return None
        return value

    def word(
        self, row: int, column: str, parse: Callable[[object], T | None], code: str
    ) -> tuple[bool, T | None]:
        """An optional cell read through a word list (``parse``): (True, None) when empty,
        (True, value) when known, (False, None) after reporting an Excel error or, as ``code``,
        a word the list does not know."""
        value, index = self.value(row, column)
        if index is None or values.is_blank(value):
            return True, None
        if self.broken(row, index, value):
            return False, None
        parsed = parse(value)
        if parsed is None:
            self.issue(code, row, index, value=values.text(value))
            return False, None
        return True, parsed

    def header(self, index: int | None, column: str) -> str:
        """The column as the file heads it (for a message), else its canonical name."""
        if index is None or self.layout.header_row is None:
            return column
        header = self.cell(self.layout.header_row, index)
        return values.text(header) or column

    def reported_on(self, row: int) -> date | None:
        """Explicit date > the row's date column > the labelled cell above the header > today."""
        if self.result.explicit_date is not None:
            return self.result.explicit_date
        value, index = self.value(row, "reported_on")
        if index is not None and not values.is_blank(value):
            if self.broken(row, index, value):
                return None
            parsed = cell_date(value)
            if parsed is None:
                self.issue("invalid_date", row, index, value=values.text(value))
            return parsed
        return self.sheet_date()

    def sheet_date(self) -> date | None:
        labelled = self.layout.labelled_date
        if labelled is not None:
            return labelled[0]  # an unreadable labelled date was reported once, at its cell
        if not self.result.defaulted.get(self.sheet.name):
            self.result.defaulted[self.sheet.name] = True
            if "reported_on" in self.layout.columns or has_date_label(self.layout):
                # the sheet has a Tilannepäivä (a column, or a label above the header) left empty:
                # say so, never "no reporting date found"
                self.issue("reported_on_blank", None, None, "warning", date=Day(self.result.today))
            else:
                self.issue(
                    "reported_on_defaulted",
                    None,
                    None,
                    "warning",
                    date=self.result.today.isoformat(),
                )
        return self.result.today

    def resolve_area(
        self, row: int, index: int | None, text: object, code: object
    ) -> tuple[str | None, str]:
        """(code, short name) of an area given by name and/or code, as the registry resolves it;
        its issues are reported at the area cell in this sheet's words (a missing area names the
        area column as the file heads it)."""
        found, issues, name = _resolution(text, code)
        for issue in issues:
            renamed = _RENAMED.get(issue.code, issue.code)
            params = dict(issue.params)
            if renamed == "missing_value":
                params["column"] = self.header(index, "area")
            self.issue(renamed, row, index, issue.severity, **params)
        return found, name

    def area(self, row: int) -> tuple[str | None, bool]:
        """(code, national) for the row's area; issues reported at the area cell."""
        text, text_index = self.value(row, "area")
        code, code_index = self.value(row, "area_code")
        for index, value in ((text_index, text), (code_index, code)):
            if self.broken(row, index, value):
                return None, False
        if self.layout.kind in ("risks", "notes") and values.is_national(text):
            return None, True
        index = text_index if text_index is not None else code_index
        code_found, name = self.resolve_area(row, index, text, code)
        if code_found is not None and code_found not in areas.REFORM_CODES:  # Åland
            self.issue("area_outside_reform", row, index, area=name)
            return None, False
        return code_found, False

    def measure(self, row: int) -> Measure | None:
        index = self.result.measures
        given_id, id_index = self.value(row, "measure_id")
        name, name_index = self.value(row, "measure")
        if self.broken(row, id_index, given_id) or self.broken(row, name_index, name):
            return None
        if type(given_id) is str and given_id in index.by_id:  # the common case, fast
            return index.by_id[given_id]
        if not values.is_blank(given_id):
            text = values.text(given_id)
            found = index.id_key(text)
            if found is None:
                self.issue(
                    "unknown_measure", row, id_index, text=text, candidates=index.suggest(text)
                )
            return found
        if values.is_blank(name):
            column = name_index if name_index is not None else id_index
            self.issue("missing_value", row, column, column=self.header(column, "measure"))
            return None
        text = values.text(name)
        matches = index.by_name.get(normalise_name(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(m.id for m in matches)
            self.issue("ambiguous_measure", row, name_index, text=text, candidates=ids)
        else:
            self.issue(
                "unknown_measure", row, name_index, text=text, candidates=index.suggest(text)
            )
        return None


def _keep_first(
    table: dict[Any, tuple[Any, str, int, int]],
    key: Any,
    item: Any,
    sheet: SheetValidator,
    row: int,
    index: int,
) -> None:
    """Keep the first row of a key (the same values again are no error); a row that says
    otherwise for the same key is ``conflicting_rows``, pointing at the first one's cell."""
    earlier = table.get(key)
    if earlier is None:
        table[key] = (item, sheet.sheet.name, row, index)
    elif earlier[0] != item:
        first = f"{earlier[1]} › {column_letter(earlier[3])}{earlier[2] + 1}"
        sheet.issue("conflicting_rows", row, index, first=first)


class Result:
    """What a whole file yields: records, issues, and the state shared between its sheets."""

    def __init__(
        self,
        filename: str,
        roadmap: Roadmap,
        *,
        explicit_date: date | None,
        today: date,
        max_errors: int,
        principal: Principal | None = None,
        known_risks: dict[tuple[str | None, str], tuple[int, int]] | None = None,
        organiser_registry: Registry | None = None,
    ):
        self.collector = Collector(filename, max_errors)
        #: the organisers in force (shipped and stored), and what the file adds (issue 20)
        self.organiser_registry = organiser_registry or shipped()
        self.organiser_edits: dict[str, tuple[Organiser, str, int, int]] = {}
        self.organiser_reports: dict[tuple[str, str, date], tuple[OrganiserReport, str, int, int]]
        self.organiser_reports = {}
        self.organiser_areas: set[str] = set()
        #: each stored risk's latest scores, for a row that closes a risk without scoring it
        self.known_risks = known_risks or {}
        self.roadmap = roadmap
        #: who uploads: rows of areas they may not report for are errors (None: no limits)
        self.principal = principal
        self._stored = {measure.id: measure for measure in roadmap.measures}
        self._roadmap_refused: set[str] = set()
        self.measures = MeasureIndex(list(roadmap.measures))
        self.explicit_date = explicit_date
        self.today = today
        self.defaulted: dict[str, bool] = {}
        self.new_measures: dict[str, tuple[Measure, str, int]] = {}
        self.status: dict[tuple[str, str, date], tuple[StatusReport, str, int, int]] = {}
        self.risks: dict[tuple[str | None, str, date], tuple[RiskRating, str, int, int]] = {}
        self.indicators: dict[str, Indicator] = {}
        self.indicator_values: dict[tuple[str, str, str, str], tuple[IndicatorValue, str, int, int]]
        self.indicator_values = {}
        self.ignored_levels: dict[str, set[str]] = {}
        self.grants: dict[tuple[str, str, date], tuple[Grant, str, int, int]] = {}
        self.notes: dict[tuple[str | None, date, str], tuple[Note, str, int, int]] = {}
        self._streams = {}
        for stream in roadmap.work_streams:
            for text in (stream.key, stream.name_fi, stream.name_sv, stream.name_en):
                self._streams[normalise_name(text)] = stream.key
        self._next_id = 0

    def work_stream(self, value: object) -> str | None:
        return self._streams.get(normalise_name(values.text(value)))

    def new_measure_id(self) -> str:
        while True:
            self._next_id += 1
            candidate = f"T-{self._next_id:03d}"
            if not self.measures.taken(candidate):
                return candidate

    def _area_cell(self, sheet: SheetValidator, index: int) -> int:
        """The area's own cell in a long-form row (the given cell in a wide sheet)."""
        columns = sheet.layout.columns
        for name in ("area", "area_code"):
            if name in columns and not sheet.layout.wide:
                return columns[name]
        return index

    def _allowed(self, sheet: SheetValidator, row: int, index: int, code: str | None) -> bool:
        principal = self.principal
        if principal is None or principal.may_report_for(code):
            return True
        if code is None:
            sheet.issue("national_risk_not_allowed", row, index, user=principal.user)
        else:
            sheet.issue(
                "area_not_allowed",
                row,
                self._area_cell(sheet, index),
                area=areas.AreaNames((code,)),
                user=principal.user,
            )
        return False

    def add_measure(self, sheet: SheetValidator, row: int, measure: Measure) -> None:
        principal = self.principal
        if (
            principal is not None
            and not principal.can_change_roadmap
            and self._stored.get(measure.id) != measure
        ):
            # the template's roadmap sheet comes back unchanged and passes; a change does not
            if sheet.sheet.name not in self._roadmap_refused:
                self._roadmap_refused.add(sheet.sheet.name)
                sheet.issue("roadmap_not_allowed", row, None, user=principal.user)
            return
        earlier = self.new_measures.get(measure.id)
        if earlier is not None and earlier[0] != measure:
            sheet.issue("conflicting_rows", row, None, first=f"{earlier[1]} {earlier[2] + 1}")
            return
        self.new_measures[measure.id] = (measure, sheet.sheet.name, row)
        self.measures.add(measure)

    def add_status(self, sheet: SheetValidator, row: int, index: int, report: StatusReport) -> None:
        if self.principal is not None and not self._allowed(sheet, row, index, report.area_code):
            return
        key = (report.area_code, report.measure_id, report.reported_on)
        _keep_first(self.status, key, report, sheet, row, index)

    def add_indicator_value(
        self,
        sheet: SheetValidator,
        row: int,
        index: int,
        indicator: Indicator,
        value: IndicatorValue,
    ) -> None:
        if self.principal is not None and not self._allowed(sheet, row, index, value.area_code):
            return
        known = self.indicators.get(indicator.key)
        if known is None:
            self.indicators[indicator.key] = indicator
        else:  # the first name stands; a unit or source a later row gives fills a gap
            self.indicators[indicator.key] = dataclasses.replace(
                known, unit=known.unit or indicator.unit, source=known.source or indicator.source
            )
        key = (value.indicator, value.level, value.region_code, value.period.text)
        _keep_first(self.indicator_values, key, value, sheet, row, index)

    def add_grant(
        self, sheet: SheetValidator, row: int, index: int, grant: Grant, key: str
    ) -> None:
        """One project row; a preparer's row of another area is ``area_not_allowed``."""
        if self.principal is not None and not self._allowed(sheet, row, index, grant.area_code):
            return
        _keep_first(
            self.grants, (grant.area_code, key, grant.reported_on), grant, sheet, row, index
        )

    def add_note(self, sheet: SheetValidator, row: int, index: int, note: Note, key: str) -> None:
        """One note; another area's is ``area_not_allowed``, a national one needs the ministry."""
        principal = self.principal
        if principal is not None and not principal.may_report_for(note.area_code):
            if note.area_code is None:
                where = self._area_cell(sheet, index)  # the "Koko maa" cell
                sheet.issue("national_note_not_allowed", row, where, user=principal.user)
            else:
                self._allowed(sheet, row, index, note.area_code)
            return
        _keep_first(self.notes, (note.area_code, note.noted_on, key), note, sheet, row, index)

    def _organiser_allowed(
        self, sheet: SheetValidator, row: int, index: int, reach: set[str] | tuple[str, ...]
    ) -> bool:
        principal = self.principal
        if principal is None or principal.may_report_for_organiser(reach):
            self.organiser_areas |= set(reach)
            return True
        names = areas.AreaNames(tuple(sorted(reach)))
        sheet.issue("organiser_not_allowed", row, index, areas=names, user=principal.user)
        return False

    def add_organiser(
        self, sheet: SheetValidator, row: int, index: int, organiser: Organiser, reach: set[str]
    ) -> None:
        """An organiser added or corrected; ``reach``: its areas before and after."""
        if self._organiser_allowed(sheet, row, index, reach):
            _keep_first(self.organiser_edits, organiser.id, organiser, sheet, row, index)

    def add_organiser_report(
        self,
        sheet: SheetValidator,
        row: int,
        index: int,
        report: OrganiserReport,
        reach: tuple[str, ...],
    ) -> None:
        """One organiser's handover status; ``reach``: the areas of its members."""
        if self._organiser_allowed(sheet, row, index, reach):
            key = (report.organiser_id, report.topic, report.reported_on)
            _keep_first(self.organiser_reports, key, report, sheet, row, index)

    def risk_known(self, area_code: str | None, risk_id: str) -> bool:
        """Whether a risk of this id is stored or in this file, for the area or national."""
        for area in {area_code, None}:
            if (area, risk_id) in self.known_risks:
                return True
        return any(key[1] == risk_id and key[0] in {area_code, None} for key in self.risks)

    def last_scores(self, area_code: str | None, risk_id: str, day: date) -> tuple[int, int] | None:
        """The likelihood and impact a risk last had before ``day``: in this file, else in the
        store (``known_risks``), else None."""
        earlier = [
            entry[0]
            for key, entry in self.risks.items()
            if key[0] == area_code and key[1] == risk_id and key[2] <= day
        ]
        if earlier:
            last = max(earlier, key=lambda r: r.reported_on)
            return last.likelihood, last.impact
        return self.known_risks.get((area_code, risk_id))

    def add_risk(self, sheet: SheetValidator, row: int, index: int, rating: RiskRating) -> None:
        if self.principal is not None and not self._allowed(sheet, row, index, rating.area_code):
            return
        key = (rating.area_code, rating.risk_id, rating.reported_on)
        _keep_first(self.risks, key, rating, sheet, row, index)
