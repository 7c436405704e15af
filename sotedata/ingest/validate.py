"""Rows → records and issues: every cell checked, every problem kept with its sheet, cell and row.

Checks collect issues instead of raising, so one pass reports the whole file (the list is capped;
``Collector.more`` says how many were left out). Rows are the spreadsheet's own 1-based numbers and
columns its letters, for a CSV too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from difflib import get_close_matches
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain import areas
from ..domain.areas import normalise_name
from ..domain.errors import Issue, column_letter
from ..domain.indicators import Indicator, IndicatorValue
from ..domain.model import Measure, RiskRating, Roadmap, Status, StatusReport
from ..rules.grants import Grant
from ..rules.notes import Note
from . import values
from .layout import Layout

if TYPE_CHECKING:
    from ..domain.access import Principal

#: codes of areas.resolve renamed for the import contract
_RENAMED = {"area_code_mismatch": "code_name_mismatch", "missing_area": "missing_value"}


T = TypeVar("T")


class Collector:
    """Errors and warnings of one file, each list capped at ``limit``.

    A file with a national total coded 99 on twenty thousand rows used to give twenty thousand
    identical errors and hide every other problem behind the cap. The same problem (code, sheet,
    column and parameters) on many rows is therefore one entry that counts the rows and names the
    first cells, and the lists take one entry of each kind of problem before a second of any
    (file order within a kind) when the cap must leave some out, so it keeps the most different
    problems."""

    #: the further cells a repeated entry lists
    ALSO = 5
    #: the parameter whose value a repeated entry quotes, the first one a problem has
    _VALUE_PARAMS = ("value", "text", "code", "level", "header", "name")

    def __init__(self, filename: str, limit: int):
        self.filename = filename
        self.limit = limit
        self.added = 0  # every issue added, repeats included: "did this row report anything"
        self._buckets: dict[tuple[str, str], list[list[Any]]] = {}  # (severity, code) → entries
        self._groups: dict[tuple[object, ...], list[Any]] = {}
        self._overflow = {"error": 0, "warning": 0}

    def add(self, issue: Issue) -> None:
        self.added += 1
        group = None
        if issue.row is not None and issue.column is not None:
            try:
                params = tuple(sorted(issue.params.items()))
                group = (issue.severity, issue.code, issue.sheet, issue.column, params)
                hash(group)
            except TypeError:  # a parameter that cannot be compared: never grouped
                group = None
        if group is not None and (entry := self._groups.get(group)) is not None:
            entry[1] += 1
            if len(entry[2]) < self.ALSO:
                entry[2].append(f"{issue.column}{issue.row}")
            return
        bucket = self._buckets.setdefault((issue.severity, issue.code), [])
        if len(bucket) >= self.limit:
            self._overflow[issue.severity] += 1
            return
        entry = [dataclasses.replace(issue, file=self.filename), 0, [], self.added]
        bucket.append(entry)
        if group is not None:
            self._groups[group] = entry

    def _entries(self, severity: str) -> list[Issue]:
        """In file order when every entry fits under the cap (the list then reads like the file);
        else a round robin over the kinds of problem, in the order each kind first came up, so
        that what the cap leaves out is more of the same."""
        buckets = [b for (level, _), b in self._buckets.items() if level == severity]
        if self._total(severity) <= self.limit:
            found = [entry for bucket in buckets for entry in bucket]
            found.sort(key=lambda entry: entry[3])
            return [_materialise(entry) for entry in found]
        ordered: list[Issue] = []
        depth = 0
        while len(ordered) < self.limit and any(len(b) > depth for b in buckets):
            for bucket in buckets:
                if depth < len(bucket) and len(ordered) < self.limit:
                    ordered.append(_materialise(bucket[depth]))
            depth += 1
        return ordered

    def _total(self, severity: str) -> int:
        entries = sum(len(b) for (level, _), b in self._buckets.items() if level == severity)
        return entries + self._overflow[severity]

    @property
    def errors(self) -> list[Issue]:
        return self._entries("error")

    @property
    def warnings(self) -> list[Issue]:
        return self._entries("warning")

    @property
    def more(self) -> int:
        """Error entries left out by the cap."""
        return max(0, self._total("error") - self.limit)

    @property
    def more_warnings(self) -> int:
        return max(0, self._total("warning") - self.limit)

    @property
    def error_count(self) -> int:
        return self._total("error")


def _materialise(entry: list[Any]) -> Issue:
    issue, repeats, also, _ = entry
    if not repeats:
        return issue
    value = next(
        (str(issue.params[name]) for name in Collector._VALUE_PARAMS if issue.params.get(name)),
        "",
    )
    return dataclasses.replace(issue, repeats=repeats, also=tuple(also), repeated_value=value)


@lru_cache(maxsize=4096)
def _resolution(text: object, code: object) -> tuple[str | None, tuple[Issue, ...], str]:
    """(code if found without error, issues, short name) of a (name, code) pair of cells,
    cached: a file repeats the same few."""
    found = areas.resolve(values.text(text) or None, values.text(code) or None)
    name = found.area.short_fi if found.area else ""
    return (found.code if found.ok else None), tuple(found.issues), name


@lru_cache(maxsize=1024)
def _status(value: object) -> Status | None:
    return values.parse_status(value)


@lru_cache(maxsize=1024)
def _date(value: object) -> date | None:
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
            self.issue("missing_value", row, index, column=self._header(index, column))
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

    def _header(self, index: int | None, column: str) -> str:
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
            parsed = _date(value)
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
            self.issue(
                "reported_on_defaulted", None, None, "warning", date=self.result.today.isoformat()
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
                params["column"] = self._header(index, "area")
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
            self.issue("missing_value", row, column, column=self._header(column, "measure"))
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

    # --- the kinds -----------------------------------------------------------------------------

    def run(self) -> int:
        """Validate every data row; returns the number of rows."""
        layout = self.layout
        labelled = layout.labelled_date
        if labelled is not None and labelled[0] is None and self.result.explicit_date is None:
            self.issue("invalid_date", labelled[1], labelled[2], value=self.cell(*labelled[1:]))
        rows = layout.data_rows()
        handler: Callable[[int], None] = {
            "roadmap": self.roadmap_row,
            "risks": self.risk_row,
            "status": self.wide_row if layout.wide else self.status_row,
            "indicators": self.indicator_row,
            "grants": self.grant_row,
            "notes": self.note_row,
        }[layout.kind]
        if layout.kind == "status" and not layout.wide:
            self._fast_setup()
        for row in rows:
            handler(row)
        return len(rows)

    def _issue_count(self) -> int:
        return self.collector.added

    def _fast_setup(self) -> None:
        """What the long-form fast path needs, looked up once per sheet instead of once per row."""
        columns = self.layout.columns
        area = [columns[n] for n in ("area", "area_code") if n in columns]
        measure = [columns[n] for n in ("measure_id", "measure") if n in columns]
        #: the key cells (area ones, measure ones, status) of the columns the sheet has; at least
        #: three (a sheet missing a column is not validated), so the getter gives a tuple
        self._fast_indexes = [*area, *measure, columns["status"]]
        self._fast_cells = itemgetter(*self._fast_indexes)
        self._fast_width = max(self._fast_indexes) + 1
        self._fast_split = (len(area), len(area) + len(measure))
        self._day_index = columns.get("reported_on")
        self._comment_index = columns.get("comment")
        # each value of a row that raised no issue is clean on its own: remember it
        self._fast_areas: dict[tuple[object, ...], str] = {}
        self._fast_measures: dict[tuple[object, ...], str] = {}
        self._fast_statuses: dict[object, Status] = {}
        self._fast_days: dict[object, date] = {}

    def _fast_keys(self, row: int, cells: list[object]) -> tuple[object, ...] | None:
        """The row's key cells (see ``_fast_setup``); None when an empty one may hide an Excel
        error (the slow path checks those)."""
        if len(cells) >= self._fast_width:
            keys = self._fast_cells(cells)
            if None not in keys and "" not in keys:  # the common case: every key cell filled
                return keys
        else:
            keys = tuple(cells[i] if i < len(cells) else None for i in self._fast_indexes)
        for index, value in zip(self._fast_indexes, keys, strict=True):
            if (value is None or value == "") and self.sheet.is_error_cell(row, index):
                return None
        return keys

    def _known_report(self, cells: list[object], keys: tuple[object, ...]) -> StatusReport | None:
        """The row's report when its area, measure, status and date cells were each seen before
        in a row without any issue, else None (the row then takes the full checks)."""
        areas_end, measures_end = self._fast_split
        code = self._fast_areas.get(keys[:areas_end])
        measure_id = self._fast_measures.get(keys[areas_end:measures_end])
        status = self._fast_statuses.get(keys[-1])
        if not (code and measure_id and status):
            return None
        width = len(cells)
        if self.result.explicit_date is not None:
            day = self.result.explicit_date
        elif self._day_index is None:
            day = self.sheet_date()
        else:
            cell = cells[self._day_index] if self._day_index < width else None
            day = self._fast_days.get(cell)
            # only filled date cells are remembered: a miss on a filled one takes the full checks
            if day is None and values.is_blank(cell):
                day = self.sheet_date()
        if day is None:  # an unreadable labelled date, or a date not seen before
            return None
        index = self._comment_index
        comment = cells[index] if index is not None and index < width else None
        comment = None if values.is_blank(comment) else values.text(comment)
        return StatusReport.checked(code, measure_id, status, day, comment)

    def status_row(self, row: int) -> None:
        """One long-form status row. A row whose every value was seen before in a row without any
        issue takes the fast path: a few dictionary lookups instead of the full checks."""
        cells = self.sheet.rows[row]
        keys = self._fast_keys(row, cells)
        known = None if keys is None else self._known_report(cells, keys)
        if known is not None:
            self.result.add_status(self, row, self._fast_indexes[-1], known)
            return
        before = self._issue_count()
        report = self._status_row(row)
        if report is not None and keys is not None and self._issue_count() == before:
            areas_end, measures_end = self._fast_split
            self._fast_areas[keys[:areas_end]] = report.area_code
            self._fast_measures[keys[areas_end:measures_end]] = report.measure_id
            self._fast_statuses[keys[-1]] = report.status
            index = self._day_index
            day_cell = cells[index] if index is not None and index < len(cells) else None
            if self.result.explicit_date is None and not values.is_blank(day_cell):
                self._fast_days[day_cell] = report.reported_on

    def _status_row(self, row: int) -> StatusReport | None:
        code, _ = self.area(row)
        measure = self.measure(row)
        value = self.required(row, "status")
        status = None
        if value is not None:
            status = _status(value)
            if status is None:
                index = self.layout.columns["status"]
                self.issue("invalid_status", row, index, value=values.text(value))
        comment = self.value(row, "comment")[0]
        comment = None if values.is_blank(comment) else values.text(comment)
        day = self.reported_on(row)
        if code and measure and status and day:
            index = self.layout.columns["status"]
            report = StatusReport(code, measure.id, status, day, comment)
            self.result.add_status(self, row, index, report)
            return report
        return None

    def wide_row(self, row: int) -> None:
        measure = self.measure(row)
        day = self.reported_on(row)
        for index, code in self.layout.area_columns.items():
            value = self.cell(row, index)
            if values.is_blank(value) and not self.sheet.is_error_cell(row, index):
                continue
            if self.broken(row, index, value):
                continue
            status = _status(value)
            if status is None:
                self.issue("invalid_status", row, index, value=values.text(value))
                continue
            if measure and day:
                self.result.add_status(
                    self, row, index, StatusReport(code, measure.id, status, day)
                )

    def indicator_row(self, row: int) -> None:
        from .rows.indicators import indicator_row

        indicator_row(self, row)

    def grant_row(self, row: int) -> None:
        from .rows.grants import grant_row

        grant_row(self, row)

    def note_row(self, row: int) -> None:
        from .rows.notes import note_row

        note_row(self, row)

    def roadmap_row(self, row: int) -> None:
        result = self.result
        given_id, id_index = self.value(row, "measure_id")
        name, name_index = self.value(row, "measure")
        if self.broken(row, id_index, given_id) or self.broken(row, name_index, name):
            return
        measure_id = values.text(given_id)
        name_text = values.text(name)
        existing = None
        if measure_id:
            existing = result.measures.id_key(measure_id)
        elif name_text and "measure_id" not in self.layout.columns:
            matches = result.measures.by_name.get(normalise_name(name_text), [])
            if len(matches) > 1:
                ids = ", ".join(m.id for m in matches)
                self.issue("ambiguous_measure", row, name_index, text=name_text, candidates=ids)
                return
            existing = matches[0] if matches else None
        if not measure_id and not name_text:
            column = name_index if name_index is not None else id_index
            self.issue("missing_value", row, column, column=self._header(column, "measure"))
            return
        if existing is None and not name_text:
            self.issue("missing_value", row, name_index, column=self._header(name_index, "measure"))
            return
        phase = self._field(row, "phase", values.parse_phase, "invalid_phase", existing)
        stream = self._field(
            row, "work_stream", result.work_stream, "unknown_work_stream", existing
        )
        critical = self._optional(row, "critical", values.parse_bool, "invalid_critical")
        deadline = self._optional(row, "deadline", _date, "invalid_date")
        if phase is None or stream is None or critical is _INVALID or deadline is _INVALID:
            return
        measure = Measure(
            # a known measure keeps its stored id whatever the case the row writes it in
            id=existing.id if existing else (measure_id or result.new_measure_id()),
            name=name_text or existing.name,  # type: ignore[union-attr]
            phase=phase,
            work_stream=stream,
            critical=(existing.critical if existing else False) if critical is None else critical,
            deadline=(existing.deadline if existing else None) if deadline is None else deadline,
        )
        result.add_measure(self, row, measure)

    def _field(self, row, column, parse, code, existing):
        value, index = self.value(row, column)
        if self.broken(row, index, value):
            return None
        if values.is_blank(value):
            if existing is not None:
                return getattr(existing, column)
            self.issue("missing_value", row, index, column=self._header(index, column))
            return None
        parsed = parse(value)
        if parsed is None:
            self.issue(code, row, index, value=values.text(value))
        return parsed

    def _optional(self, row, column, parse, code):
        value, index = self.value(row, column)
        if index is None or values.is_blank(value):
            return None
        if self.broken(row, index, value):
            return _INVALID
        parsed = parse(value)
        if parsed is None:
            self.issue(code, row, index, value=values.text(value))
            return _INVALID
        return parsed

    def risk_row(self, row: int) -> None:
        code, national = self.area(row)
        title = self.required(row, "risk")
        closed = self._risk_closed(row)
        if closed is None:
            return
        scores: list[int | None] = []
        unreadable = False
        for column in ("likelihood", "impact"):
            value, index = self.value(row, column)
            if closed and values.is_blank(value):  # closing needs no new scores
                scores.append(None)
                continue
            value = self.required(row, column)
            score = None if value is None else values.parse_score(value)
            if value is not None and score is None:
                self.issue("invalid_score", row, index, value=values.text(value))
            unreadable = unreadable or score is None
            scores.append(score)
        day = self.reported_on(row)
        if not (code or national) or title is None or unreadable or day is None:
            return
        title_text = values.text(title)
        # a risk's id: its own column, else a plain "Tunnus"/"ID" column, else its title
        given = self.value(row, "risk_id")[0]
        if values.is_blank(given):
            given = self.value(row, "measure_id")[0]
        risk_id = (values.text(given) or normalise_name(title_text)[:40])[:40]
        if None in scores:  # a closing row: the scores the risk last had
            known = self.result.last_scores(code, risk_id, day)
            if known is None:
                index = self.layout.columns.get("status")
                self.issue("unknown_risk_to_close", row, index, risk=title_text)
                return
            scores = [s if s is not None else k for s, k in zip(scores, known, strict=True)]
        rating = RiskRating(
            area_code=code,
            risk_id=risk_id,
            title=title_text,
            theme=values.text(self.value(row, "work_stream")[0]),
            likelihood=scores[0],  # type: ignore[arg-type]
            impact=scores[1],  # type: ignore[arg-type]
            mitigation=values.text(self.value(row, "mitigation")[0]) or None,
            owner=values.text(self.value(row, "owner")[0]) or None,
            reported_on=day,
            closed=closed,
        )
        self.result.add_risk(self, row, self.layout.columns["likelihood"], rating)

    def _risk_closed(self, row: int) -> bool | None:
        """False for an open risk (no status column, an empty cell, "Avoin"), True for a closing
        one ("Suljettu"); None after reporting an unreadable cell."""
        value, index = self.value(row, "status")
        if index is None or values.is_blank(value):
            return False
        if self.broken(row, index, value):
            return None
        closed = values.parse_risk_closed(value)
        if closed is None:
            self.issue("invalid_risk_status", row, index, value=values.text(value))
        return closed


_INVALID = object()


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
    ):
        self.collector = Collector(filename, max_errors)
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
