"""An accepted file against what is stored: the warnings an import adds (a status value another
import reported, an indicator's metadata another person set) and the upload page's preview of what
would change per area. Reads only; the importer stores.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain import areas
from ..domain.access import Principal
from ..domain.errors import Issue
from ..domain.i18n import t
from ..domain.model import RiskRating, Status, StatusReport
from ..store.engine import Store
from ..store.rows import merged_metadata
from .report import ParsedFile

if TYPE_CHECKING:
    import pandas as pd


def check_against_store(
    store: Store, parsed: ParsedFile, principal: Principal | None
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
    if principal is None or principal.can_replace_indicator_metadata or not parsed.indicators:
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


def _overridden(store: Store, reports: list[StatusReport]) -> tuple[int, set[int]]:
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


def preview_changes(store: Store, parsed: ParsedFile) -> pd.DataFrame:
    """Per area the file touches: what would change against the latest stored state."""
    import pandas as pd  # only the upload page previews: `sote import` starts without pandas

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


def current_reports(store: Store, area_code: str) -> dict[str, StatusReport]:
    """The area's latest stored report of each measure, by measure id: what the area template is
    pre-filled with (one query over the area's reports)."""
    latest: dict[str, StatusReport] = {}
    rows = store.status_reports_between(_EVER[0], _EVER[1], [area_code])
    for area, measure, day, status, comment, _import in rows:  # oldest first: the last one wins
        latest[measure] = StatusReport(area, measure, Status(status), day, comment)
    return latest


#: the span of every report, for a query that takes one
_EVER = (date(1900, 1, 1), date(9999, 12, 31))


@dataclasses.dataclass(frozen=True)
class MeasureChange:
    """One measure whose status a file changes: the status stored before (None: never reported
    for the area) and the file's, on the file's date."""

    area_code: str
    measure_id: str
    before: Status | None
    after: Status
    reported_on: date


def measure_changes(store: Store, parsed: ParsedFile) -> list[MeasureChange]:
    """Every measure whose latest status the file changes, area by area (code order), in the
    file's order within an area: the upload preview's "before → after". A row that repeats the
    stored status is no change."""
    if not parsed.status_reports:
        return []
    latest: dict[tuple[str, str], Status] = {}
    rows = store.status_reports_between(
        _EVER[0], _EVER[1], {r.area_code for r in parsed.status_reports}
    )
    for area, measure, _day, status, _comment, _import in rows:
        latest[(area, measure.casefold())] = Status(status)
    newest: dict[tuple[str, str], StatusReport] = {}
    for report in sorted(parsed.status_reports, key=lambda r: r.reported_on):
        newest[(report.area_code, report.measure_id.casefold())] = report
    changes = [
        MeasureChange(
            report.area_code, report.measure_id, latest.get(key), report.status, report.reported_on
        )
        for key, report in newest.items()
        if latest.get(key) != report.status
    ]
    return sorted(changes, key=lambda change: change.area_code)
