"""One file in, one report out: parse (pure), then store all or nothing, or say exactly why not.

``parse_file`` needs no database: it reads, understands and validates a file against a roadmap.
``import_file`` adds the store: the roadmap to check against, the duplicate check, and one
transaction for everything (``Store.save_import``). The CLI and the upload page render the same
``ImportReport``; ``ImportReport.to_json`` is the documented ``sote import --json`` shape.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Any, TypeVar

import pandas as pd

from ..domain import areas
from ..domain.access import Principal, Role
from ..domain.errors import Issue, SoteError, column_letter, reading_params
from ..domain.i18n import t
from ..domain.indicators import MUNICIPALITY_LEVEL, Indicator, IndicatorValue
from ..domain.model import Measure, RiskRating, Roadmap, StatusReport, default_roadmap
from ..domain.settings import load_settings
from ..rules.grants import Grant
from ..rules.notes import Note
from ..store import people
from ..store.rows import merged_metadata
from . import values
from .layout import Layout
from .read import read_sheets
from .rows import check_rows
from .sheets import understand, understood_issues
from .validate import Result, SheetValidator

KINDS = ("roadmap", "status", "risks", "indicators", "grants", "notes", "ignored")
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one file may cost; the defaults come from SOTE_MAX_UPLOAD_MB and SOTE_MAX_ROWS."""

    max_bytes: int = field(default_factory=lambda: load_settings().max_upload_bytes)
    max_rows: int = field(default_factory=lambda: load_settings().max_rows)
    max_errors: int = 200


@dataclass(frozen=True)
class SheetInfo:
    name: str
    kind: str  # one of KINDS
    rows: int


@dataclass
class ParsedFile:
    """A file read and checked, nothing stored: what it would add, and what is wrong with it."""

    filename: str
    sha256: str
    sheets: list[SheetInfo] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    status_reports: list[StatusReport] = field(default_factory=list)
    risk_ratings: list[RiskRating] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_values: list[IndicatorValue] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    more_errors: int = 0  # errors beyond the cap
    more_warnings: int = 0  # warnings beyond the cap
    #: indicators whose stored metadata this import leaves alone (``indicator_metadata_kept``)
    kept_metadata: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, Any]:
        """measures upserted, status values (one per area × measure × date), risk ratings,
        indicator values (one per indicator × region × period), the distinct municipalities they
        name, state-grant project rows, notes, and the sorted codes of every area any row touches
        (a national risk or note touches none)."""
        touched = {r.area_code for r in self.status_reports}
        touched |= {r.area_code for r in self.risk_ratings if r.area_code}
        touched |= {v.area_code for v in self.indicator_values}
        touched |= {g.area_code for g in self.grants}
        touched |= {n.area_code for n in self.notes if n.area_code}
        towns = {v.region_code for v in self.indicator_values if v.level == MUNICIPALITY_LEVEL}
        return {
            "measures": len(self.measures),
            "status": len(self.status_reports),
            "risks": len(self.risk_ratings),
            "indicator_values": len(self.indicator_values),
            "municipalities": len(towns),
            "grants": len(self.grants),
            "notes": len(self.notes),
            "areas": sorted(touched),
        }


def _issue_json(issue: Issue, lang: str | None) -> dict[str, Any]:
    return {
        "code": issue.code,
        "sheet": issue.sheet,
        "cell": issue.cell,
        "row": issue.row,
        "column": issue.column,
        "message": issue.message(lang),
        "suggestion": issue.suggestion(lang),
    }


@dataclass
class ImportReport:
    """The outcome of ``import_file``: the same for the CLI (``--json``) and the upload page.

    ``import_id`` is the new import's id; for a ``duplicate_file`` it is the earlier import of the
    same bytes; None when rejected or a dry run. Errors beyond ``Limits.max_errors`` are summed up
    in one last ``too_many_errors`` entry, so the JSON shape stays the documented one.
    """

    ok: bool
    file: str
    sha256: str
    dry_run: bool
    sheets: list[SheetInfo]
    counts: dict[str, Any]
    errors: list[Issue]
    warnings: list[Issue]
    import_id: int | None

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The documented ``sote import --json`` object, exactly."""
        return {
            "ok": self.ok,
            "file": self.file,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "sheets": [{"name": s.name, "kind": s.kind, "rows": s.rows} for s in self.sheets],
            "counts": {
                "measures": self.counts["measures"],
                "status": self.counts["status"],
                "risks": self.counts["risks"],
                "indicator_values": self.counts["indicator_values"],
                "municipalities": self.counts["municipalities"],
                # a report built without a parse (an unreachable database) may lack the newer ones
                "grants": self.counts.get("grants", 0),
                "notes": self.counts.get("notes", 0),
                "areas": list(self.counts["areas"]),
            },
            "errors": [_issue_json(issue, lang) for issue in self.errors],
            "warnings": [_issue_json(issue, lang) for issue in self.warnings],
            "import_id": self.import_id,
        }


def _sheet_issue(code: str, layout: Layout, severity: str = "error", **params: Any) -> Issue:
    return Issue(code, severity, sheet=layout.sheet.name, params=params)  # type: ignore[arg-type]


def _has_content(layout: Layout) -> bool:
    return any(not values.is_blank(cell) for row in layout.sheet.rows for cell in row)


def _nonblank_rows(layout: Layout) -> int:
    return sum(1 for row in layout.sheet.rows if any(not values.is_blank(c) for c in row))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a file is read, checked and stored.

    A 50 000-row sheet makes a few hundred thousand small objects (cells, rows, reports) that all
    stay alive; each collection pass walks them again, and on such a file the passes took a
    third of the whole import (measured: parsing 0,90 s with the collector, 0,58 s without). They
    hold no reference cycles, so nothing is lost by collecting once, after the import."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _collector_paused(function: Callable[..., T]) -> Callable[..., T]:
    """``function`` run with the collector paused (see ``gc_paused``)."""

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> T:
        with gc_paused():
            return function(*args, **kwargs)

    return run


@_collector_paused
def parse_file(
    data: bytes,
    filename: str,
    *,
    roadmap: Roadmap,
    reported_on: date | None = None,
    limits: Limits | None = None,
    today: date | None = None,
    principal: Principal | None = None,
    known_risks: dict[tuple[str | None, str], tuple[int, int]] | None = None,
) -> ParsedFile:
    """Read and check ``data`` against ``roadmap``; pure (no store), never raises for bad input.
    With ``principal``, rows they may not store (another area's, a national risk, a roadmap
    change) are errors at their cells; ``known_risks`` gives a closing row its last scores."""
    limits = limits or Limits()
    parsed = ParsedFile(filename, hashlib.sha256(data).hexdigest())
    result = Result(
        filename,
        roadmap,
        explicit_date=reported_on,
        today=today or date.today(),
        max_errors=limits.max_errors,
        principal=principal,
        known_risks=known_risks,
    )
    collector = result.collector
    try:
        raw = read_sheets(data, filename, max_bytes=limits.max_bytes, max_rows=limits.max_rows)
    except SoteError as error:
        for issue in error.issues:
            collector.add(issue)
        return _finish(parsed, result)
    total = sum(len(sheet.rows) for sheet in raw)
    if total > limits.max_rows:
        collector.add(
            Issue("too_many_rows", params=reading_params({"rows": total, "limit": limits.max_rows}))
        )
        return _finish(parsed, result)
    layouts = [understand(sheet) for sheet in raw]
    if not any(_has_content(layout) for layout in layouts):
        collector.add(Issue("empty_file", params={"file": filename}))
        return _finish(parsed, result)

    known = [layout for layout in layouts if layout.kind != "ignored"]
    for layout in layouts:
        if layout.kind == "ignored":
            collector.add(_sheet_issue("ignored_sheet", layout, "warning", sheet=layout.sheet.name))
            continue
        for issue in understood_issues(layout):
            collector.add(issue)
        for column in layout.missing:
            collector.add(
                Issue(
                    "missing_column",
                    sheet=layout.sheet.name,
                    row=layout.header_row + 1,  # type: ignore[operator]
                    params={
                        "column": t(f"ingest.column.{column}"),
                        "kind": t(f"ingest.kind.{layout.kind}"),
                    },
                )
            )
        for index in layout.ignored_columns:
            header = layout.sheet.rows[layout.header_row][index]  # type: ignore[index]
            collector.add(
                Issue(
                    "ignored_column",
                    "warning",
                    sheet=layout.sheet.name,
                    row=layout.header_row + 1,  # type: ignore[operator]
                    column=column_letter(index),
                    params={"header": values.text(header)},
                )
            )
    if not known:
        names = ", ".join(layout.sheet.name for layout in layouts)
        collector.add(Issue("no_known_sheet", params={"sheets": names}))

    rows: dict[str, int] = {}
    # roadmap sheets first: a status sheet of the same file may report on a new measure
    for layout in sorted(known, key=lambda lay: lay.kind != "roadmap"):
        if layout.missing or layout.refused:
            rows[layout.sheet.name] = len(layout.data_rows())
            continue
        rows[layout.sheet.name] = check_rows(SheetValidator(layout, result))
    parsed.sheets = [
        SheetInfo(
            layout.sheet.name,
            layout.kind,
            # counted only where not validated (a default argument would count every sheet)
            rows[layout.sheet.name] if layout.sheet.name in rows else _nonblank_rows(layout),
        )
        for layout in layouts
    ]
    return _finish(parsed, result)


def _finish(parsed: ParsedFile, result: Result) -> ParsedFile:
    collector = result.collector
    parsed.errors = list(collector.errors)
    parsed.warnings = list(collector.warnings)
    parsed.more_errors = collector.more
    parsed.more_warnings = collector.more_warnings
    if parsed.errors:
        return parsed  # a rejected file carries no records: nothing of it may be stored
    parsed.measures = [entry[0] for entry in result.new_measures.values()]
    parsed.status_reports = [entry[0] for entry in result.status.values()]
    parsed.risk_ratings = [entry[0] for entry in result.risks.values()]
    parsed.indicator_values = [entry[0] for entry in result.indicator_values.values()]
    used = {value.indicator for value in parsed.indicator_values}
    parsed.indicators = [i for key, i in result.indicators.items() if key in used]
    parsed.grants = [entry[0] for entry in result.grants.values()]
    parsed.notes = [entry[0] for entry in result.notes.values()]
    stored = {measure.id: measure for measure in result.roadmap.measures}
    changes_roadmap = any(stored.get(m.id) != m for m in parsed.measures)
    if not (
        parsed.status_reports
        or parsed.risk_ratings
        or parsed.indicator_values
        or parsed.grants
        or parsed.notes
        or changes_roadmap
    ):
        # an unfilled template or a header with no rows: "accepted" would tell the preparer that
        # something was saved
        issue = Issue("nothing_to_import", file=parsed.filename, params={"file": parsed.filename})
        parsed.errors = [issue]
        parsed.measures, parsed.status_reports, parsed.risk_ratings = [], [], []
        parsed.indicators, parsed.indicator_values = [], []
        parsed.grants, parsed.notes = [], []
    return parsed


def stored_risk_scores(store: Any) -> dict[tuple[str | None, str], tuple[int, int]]:
    """Each stored risk's latest likelihood and impact: what a row closing it without scores
    keeps."""
    ratings = store.risk_ratings()
    latest = ratings.drop_duplicates(["area_code", "risk_id"], keep="last")  # oldest first
    return {
        (None if pd.isna(r.area_code) else r.area_code, r.risk_id): (
            int(r.likelihood),
            int(r.impact),
        )
        for r in latest.itertuples()
    }


def store_roadmap(store: Any) -> Roadmap:
    """The stored roadmap, or the default frame (no measures) for a new database."""
    roadmap = store.load_roadmap()
    return roadmap if roadmap.phases and roadmap.work_streams else default_roadmap()


def import_file(
    store: Any,
    data: bytes,
    filename: str,
    *,
    reported_on: date | None = None,
    dry_run: bool = False,
    user: str | None = None,
    limits: Limits | None = None,
    principal: Principal | None = None,
) -> ImportReport:
    """Check ``data`` and, when it has no error, store all of it in one transaction.

    With ``principal`` the person's rights are checked (``forbidden`` when they may not upload at
    all; an error per row they may not store) and the import is written to the audit trail in
    the same transaction as its rows."""
    if principal is not None:
        principal.require(principal.can_upload, "import")
        user = user or principal.user
    parsed = parse_file(
        data,
        filename,
        roadmap=store_roadmap(store),
        reported_on=reported_on,
        limits=limits,
        principal=principal,
        known_risks=stored_risk_scores(store),
    )
    return store_parsed(store, parsed, dry_run=dry_run, user=user, principal=principal)


def store_parsed(
    store: Any,
    parsed: ParsedFile,
    *,
    dry_run: bool = False,
    user: str | None = None,
    principal: Principal | None = None,
) -> ImportReport:
    """The second half of an import, shared by files and by fetches from an API: an accepted
    ``parsed`` is stored whole in one transaction with its audit row, a duplicate is recognised
    by its bytes' sha256, and the report says what happened."""
    filename = parsed.filename
    if principal is not None:
        user = user or principal.user
    errors = list(parsed.errors)
    if parsed.more_errors:
        errors.append(Issue("too_many_errors", file=filename, params={"count": parsed.more_errors}))
    warnings = list(parsed.warnings)
    if parsed.more_warnings:
        more = {"count": parsed.more_warnings}
        warnings.append(Issue("too_many_warnings", "warning", file=filename, params=more))
    import_id = None
    if not errors:
        parsed, found = check_against_store(store, parsed, principal)
        warnings.extend(found)
        earlier = store.find_import_by_sha256(parsed.sha256)
        if earlier is not None:
            warnings.append(
                Issue("duplicate_file", "warning", file=filename, params={"import_id": earlier})
            )
            import_id = earlier
        elif not dry_run:
            with gc_paused(), store.transaction():
                import_id = store.save_import(parsed, user=user)
                if principal is not None:
                    counts = parsed.counts()
                    people.record(
                        store, principal, "import", str(import_id), file=filename, **counts
                    )
    return ImportReport(
        ok=not errors,
        file=filename,
        sha256=parsed.sha256,
        dry_run=dry_run,
        sheets=parsed.sheets,
        counts=parsed.counts(),
        errors=errors,
        warnings=warnings,
        import_id=import_id,
    )


def check_against_store(
    store: Any, parsed: ParsedFile, principal: Principal | None
) -> tuple[ParsedFile, list[Issue]]:
    """What an accepted file does to what is stored, as warnings (the file is still stored):

    * ``overrides_earlier``: status values that another import reported for the same area,
      measure and date and that this file changes (the later import wins, as always);
    * ``indicator_metadata_kept``: a preparer's file would change an indicator's name, unit,
      source or licence that another person's import set; those stay, the values land.

    Returns ``parsed`` with ``kept_metadata`` set, and the warnings."""
    warnings: list[Issue] = []
    changed, imports = _overridden(store, parsed.status_reports)
    if changed:
        ordered = [str(i) for i in sorted(imports)]
        ids = ", ".join(ordered[:10]) + (", …" if len(ordered) > 10 else "")
        params = {"count": changed, "imports": ids}
        warnings.append(Issue("overrides_earlier", "warning", file=parsed.filename, params=params))
    if principal is None or principal.role is not Role.PREPARER or not parsed.indicators:
        return parsed, warnings
    stored = store.indicator_metadata(i.key for i in parsed.indicators)
    kept = set()
    for indicator in parsed.indicators:
        current = stored.get(indicator.key)
        if current is None or current["set_by"] == principal.user:
            continue
        meta = merged_metadata(indicator, _Fields(current))
        if all(current[name] == value for name, value in meta.items()):
            continue
        kept.add(indicator.key)
        owner = current["set_by"] or _UnknownOwner()
        warnings.append(
            Issue(
                "indicator_metadata_kept",
                "warning",
                file=parsed.filename,
                params={"indicator": current["name"], "owner": owner, "user": principal.user},
            )
        )
    if kept:
        parsed = dataclasses.replace(parsed, kept_metadata=frozenset(kept))
    return parsed, warnings


class _UnknownOwner:
    """Who set metadata nobody is recorded for (example data), in the message's language."""

    def localise(self, lang: str | None) -> str:
        return t("ingest.metadata.unknown_owner", lang)


class _Fields:
    """A stored metadata dict read by attribute, as ``merged_metadata`` reads a row."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def _overridden(store: Any, reports: list[StatusReport]) -> tuple[int, set[int]]:
    """How many of ``reports`` change the latest stored status value (or comment) of the same
    area, measure and date, and the imports that reported those: one query over the file's
    areas and date span, compared here."""
    if not reports:
        return 0, set()
    days = {r.reported_on for r in reports}
    stored = store.status_reports_between(min(days), max(days), {r.area_code for r in reports})
    latest: dict[tuple[str, str, date], tuple[str, Any, Any]] = {}
    for area, measure, day, status, comment, import_id in stored:  # oldest first
        latest[(area, measure.casefold(), day)] = (str(status), comment, import_id)
    changed = 0
    imports: set[int] = set()
    for report in reports:
        before = latest.get((report.area_code, report.measure_id.casefold(), report.reported_on))
        if before is None:
            continue
        if before[0] != str(report.status) or (before[1] or None) != (report.comment or None):
            changed += 1
            if before[2] is not None:
                imports.add(int(before[2]))
    return changed, imports


PREVIEW_COLUMNS = [
    "code",
    "name",
    "statuses_changed",
    "new_measures_reported",
    "risks_new",
    "risks_rerated",
]


def preview_changes(store: Any, parsed: ParsedFile) -> pd.DataFrame:
    """Per area the file touches: what would change against the latest stored state."""
    current_status: dict[tuple[str, str], str] = {}
    frame = store.status_reports()
    for area, measure, status in zip(
        frame["area_code"], frame["measure_id"], frame["status"], strict=True
    ):
        current_status[(area, measure)] = str(status)  # oldest first: the last one wins
    current_risk: dict[tuple[Any, str], tuple[int, int]] = {}
    risks = store.risk_ratings()
    for area, risk, likelihood, impact in zip(
        risks["area_code"], risks["risk_id"], risks["likelihood"], risks["impact"], strict=True
    ):
        current_risk[(area, risk)] = (int(likelihood), int(impact))

    latest: dict[tuple[str, str], StatusReport] = {}
    for report in sorted(parsed.status_reports, key=lambda r: r.reported_on):
        latest[(report.area_code, report.measure_id)] = report
    latest_risk: dict[tuple[Any, str], RiskRating] = {}
    for rating in sorted(parsed.risk_ratings, key=lambda r: r.reported_on):
        latest_risk[(rating.area_code, rating.risk_id)] = rating

    rows: dict[str, dict[str, Any]] = {}

    def row(code: str | None) -> dict[str, Any]:
        key = code or ""
        if key not in rows:
            name = areas.get(code).short_fi if code else t("ingest.national")
            rows[key] = dict.fromkeys(PREVIEW_COLUMNS, 0) | {"code": key, "name": name}
        return rows[key]

    for (area, measure), report in latest.items():
        before = current_status.get((area, measure))
        if before is None:
            row(area)["new_measures_reported"] += 1
        elif before != str(report.status):
            row(area)["statuses_changed"] += 1
        else:
            row(area)
    for (area, risk), rating in latest_risk.items():
        before_risk = current_risk.get((area, risk))
        if before_risk is None:
            row(area)["risks_new"] += 1
        elif before_risk != (rating.likelihood, rating.impact):
            row(area)["risks_rerated"] += 1
        else:
            row(area)
    ordered = [rows[key] for key in sorted(rows, key=lambda k: (k == "", k))]
    return pd.DataFrame(ordered, columns=PREVIEW_COLUMNS)
