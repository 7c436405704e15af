"""The organisers' rows in the store: registry corrections and handover reports (issue 20).

An ``organisers`` sheet stores one row per organiser it adds or corrects (``organiser_edits``);
the registry in force is the shipped one (``domain/organisers.py``) with the newest stored row of
each id laid over it. An ``organiser_status`` sheet stores one report per organiser × handover
topic × date (``organiser_status``); as for measures, the latest report on or before a date
counts. Both are written in the import's transaction and deleted by its revert.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, select

from ..domain import organisers
from ..domain.model import Status
from ..domain.organisers import Organiser, OrganiserReport, Registry
from . import db


def save(
    connection: Connection,
    edits: Iterable[Organiser],
    reports: Iterable[OrganiserReport],
    import_id: int,
) -> None:
    """An import's organiser rows, in the caller's transaction."""
    edit_rows = [
        {
            "organiser_id": o.id,
            "type": o.type,
            "name_fi": o.name_fi,
            "name_sv": o.name_sv or None,
            "member_codes": " ".join(o.member_codes),
            "import_id": import_id,
        }
        for o in edits
    ]
    if edit_rows:
        connection.execute(db.organiser_edits.insert(), edit_rows)
    report_rows = [
        {
            "organiser_id": r.organiser_id,
            "topic": r.topic,
            "status": r.status.value,
            "reported_on": r.reported_on,
            "comment": r.comment,
            "import_id": import_id,
        }
        for r in reports
    ]
    if report_rows:
        connection.execute(db.organiser_status.insert(), report_rows)


def delete_import(connection: Connection, import_id: int) -> None:
    """A revert: the import's organiser rows go."""
    for table in (db.organiser_status, db.organiser_edits):
        connection.execute(table.delete().where(table.c.import_id == import_id))


def registry(connection: Connection) -> Registry:
    """The registry in force: the shipped one, each id's newest stored correction laid over it."""
    table = db.organiser_edits
    newest: dict[str, Organiser] = {}
    for row in connection.execute(select(table).order_by(table.c.id)):
        members = tuple(sorted(row.member_codes.split()))
        newest[row.organiser_id] = Organiser(
            id=row.organiser_id,
            type=row.type,
            name_fi=row.name_fi,
            name_sv=row.name_sv or row.name_fi,
            member_codes=members,
            area_codes=organisers.area_codes_of(members),
            source="import",
        )
    shipped = [newest.pop(o.id, o) for o in organisers.registry()]
    return Registry([*shipped, *newest.values()])


def latest_reports(connection: Connection, as_of: date | None = None) -> list[OrganiserReport]:
    """Each organiser × topic's latest report on or before ``as_of`` (all dates when None); of
    one day the row stored last wins, as for measures."""
    table = db.organiser_status
    query = select(table).order_by(table.c.reported_on, table.c.id)
    if as_of is not None:
        query = query.where(table.c.reported_on <= as_of)
    latest: dict[tuple[str, str], OrganiserReport] = {}
    for row in connection.execute(query):
        latest[(row.organiser_id, row.topic)] = OrganiserReport(
            row.organiser_id, row.topic, Status(row.status), row.reported_on, row.comment
        )
    return sorted(latest.values(), key=lambda r: (r.organiser_id, r.topic))


def done_shares(connection: Connection, as_of: date | None) -> dict[str, float | None]:
    """Per area the share of its organisers' handover pairs done on ``as_of``."""
    return organisers.done_by_area(registry(connection), latest_reports(connection, as_of))


def history(connection: Connection) -> list[OrganiserReport]:
    """Every organiser report, oldest first (of one day, in the order stored)."""
    table = db.organiser_status
    query = select(table).order_by(table.c.reported_on, table.c.id)
    return [
        OrganiserReport(r.organiser_id, r.topic, Status(r.status), r.reported_on, r.comment)
        for r in connection.execute(query)
    ]


def reporting_dates(connection: Connection) -> list[date]:
    """The dates organisers reported on, oldest first."""
    table = db.organiser_status
    return list(
        connection.execute(
            select(table.c.reported_on).distinct().order_by(table.c.reported_on)
        ).scalars()
    )
