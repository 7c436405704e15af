"""Each area's statuses on each of its reporting dates, kept beside the reports: what the area
page's progress series reads instead of the whole history.

The series (``views.area_progress.progress_series``) needs, per reporting date and area, how many
of the roadmap's measures are done and which are not applicable (a measure never reported is not
started). Those change only on a date the area itself reports, so one row per area × own
reporting date holds them: ``done`` (a count) and ``not_applicable`` (the ids, few), read as
"the latest row on or before the day". Its size grows with the number of reporting dates, never
with the number of reports a date holds, and it does not depend on the roadmap: the deadlines and
the number of measures are read from the roadmap when the series is drawn, so a roadmap change
needs no rebuild.

It is written in the same transaction as every change of ``status_reports`` (an import, a batch of
reports, a revert; ``refresh``), SQLite and PostgreSQL alike: only the dates an import's reports
can change are computed again, from the state on the day before them, up to the first date on
which every measure it touched has a later report of its own (from there on nothing changed).
Revision 0011 builds it for a database that had reports before (``rebuild``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, func, select

from . import db
from .rows import tuples
from .snapshot import status_on_query

#: the columns ``read`` gives, in order
SUMMARY_COLUMNS = ["area_code", "reported_on", "done", "not_applicable"]
DONE = "done"
NOT_APPLICABLE = "not_applicable"


@dataclass
class Reach:
    """What one import's reports of one area span: its first and last date and its measures."""

    first: date
    last: date
    measures: set[str] = field(default_factory=set)


def reach(connection: Connection, import_id: int) -> dict[str, Reach]:
    """Per area, the dates and measures of ``import_id``'s status reports (read before a revert
    deletes them, or after an import stored them)."""
    table = db.status_reports
    query = (
        select(
            table.c.area_code,
            table.c.measure_id,
            func.min(table.c.reported_on),
            func.max(table.c.reported_on),
        )
        .where(table.c.import_id == import_id)
        .group_by(table.c.area_code, table.c.measure_id)
    )  # one row per area x measure, not per report
    spans: dict[str, Reach] = {}
    for area, measure, first, last in tuples(connection.execute(query)):
        span = spans.setdefault(area, Reach(first, last))
        span.first, span.last = min(span.first, first), max(span.last, last)
        span.measures.add(measure)
    return spans


def _rows(area: str, days: Iterable[tuple[date, list[tuple[str, str]]]], state: dict[str, str]):
    """One summary row per date: ``state`` (measure → status) updated by that date's reports,
    which come in load order, so the one stored last wins a tie."""
    for day, reports in days:
        for measure, status in reports:
            state[measure] = status
        yield {
            "area_code": area,
            "reported_on": day,
            "done": sum(1 for status in state.values() if status == DONE),
            "not_applicable": " ".join(
                sorted(m for m, status in state.items() if status == NOT_APPLICABLE)
            ),
        }


def _end(connection: Connection, area: str, span: Reach) -> date | None:
    """The first date from which nothing the import touched can change the area's state: each
    touched measure's first report after the import's last date (None: some has none)."""
    later = db.status_reports
    next_day = (
        select(later.c.reported_on)
        .where(
            later.c.area_code == area,
            later.c.measure_id == db.measures.c.id,
            later.c.reported_on > span.last,
        )
        .order_by(later.c.reported_on)
        .limit(1)
        .correlate(db.measures)
        .scalar_subquery()
    )
    query = select(db.measures.c.id, next_day).where(db.measures.c.id.in_(sorted(span.measures)))
    found = dict(tuples(connection.execute(query)))
    if len(found) < len(span.measures) or any(day is None for day in found.values()):
        return None
    return max(found.values())


def refresh(connection: Connection, spans: dict[str, Reach] | None = None) -> None:
    """Compute again the rows the reports of ``spans`` (``reach`` of an import, taken after it
    was stored or before it was reverted) can have changed, in the caller's transaction; with
    no ``spans``, every row, from every report (revision 0011, for a database with reports)."""
    if spans is None:
        _rebuild(connection)
        return
    if not spans:
        return
    table, reports = db.status_summary, db.status_reports
    ends = {area: _end(connection, area, span) for area, span in spans.items()}
    start = min(span.first for span in spans.values())
    query = (
        select(reports.c.area_code, reports.c.reported_on, reports.c.measure_id, reports.c.status)
        .where(reports.c.area_code.in_(sorted(spans)), reports.c.reported_on >= start)
        .order_by(reports.c.area_code, reports.c.reported_on, reports.c.id)
    )
    if None not in ends.values():
        query = query.where(reports.c.reported_on < max(ends.values()))  # type: ignore[type-var]
    read = tuples(connection.execute(query))
    new: list[dict[str, Any]] = []
    for area, rows in groupby(read, key=itemgetter(0)):
        first, end = spans[area].first, ends[area]
        deleted = table.delete().where(table.c.area_code == area, table.c.reported_on >= first)
        if end is not None:
            deleted = deleted.where(table.c.reported_on < end)
        connection.execute(deleted)
        kept = [r for r in rows if r[1] >= first and (end is None or r[1] < end)]
        before = status_on_query(first - timedelta(days=1), [area])
        state = {r.measure_id: r.status for r in connection.execute(before)}
        days = ((day, [(r[2], r[3]) for r in group]) for day, group in groupby(kept, itemgetter(1)))
        new.extend(_rows(area, days, state))
    for area in set(spans) - {row[0] for row in read}:  # a revert took the area's last reports
        deleted = table.delete().where(
            table.c.area_code == area, table.c.reported_on >= spans[area].first
        )
        if ends[area] is not None:
            deleted = deleted.where(table.c.reported_on < ends[area])
        connection.execute(deleted)
    if new:
        connection.execute(table.insert(), new)


def _rebuild(connection: Connection) -> None:
    """Every row again, from every report."""
    reports = db.status_reports
    connection.execute(db.status_summary.delete())
    query = select(
        reports.c.area_code, reports.c.reported_on, reports.c.measure_id, reports.c.status
    ).order_by(reports.c.area_code, reports.c.reported_on, reports.c.id)
    new: list[dict[str, Any]] = []
    for area, rows in groupby(tuples(connection.execute(query)), key=itemgetter(0)):
        days = ((day, [(r[2], r[3]) for r in group]) for day, group in groupby(rows, itemgetter(1)))
        new.extend(_rows(area, days, {}))
    if new:
        connection.execute(db.status_summary.insert(), new)


def read(connection: Connection, areas: Sequence[str], up_to: date | None = None) -> list[tuple]:
    """The rows of ``areas`` (on or before ``up_to``), by area and date: ``SUMMARY_COLUMNS``."""
    table = db.status_summary
    query = (
        select(*(table.c[name] for name in SUMMARY_COLUMNS))
        .where(table.c.area_code.in_(sorted(set(areas))))
        .order_by(table.c.area_code, table.c.reported_on)
    )
    if up_to is not None:
        query = query.where(table.c.reported_on <= up_to)
    return [tuple(row) for row in connection.execute(query)]


class StoreSummary:
    """``Store``'s read of the summary (a mixin: ``Store`` gives it ``reading``)."""

    def reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover - Store's own method comes first

    def status_summary(self, areas: Sequence[str], up_to: date | None = None) -> list[tuple]:
        """Each of ``areas``' done count and not-applicable measures per own reporting date (see
        ``read``)."""
        with self.reading() as connection:
            return read(connection, areas, up_to)
