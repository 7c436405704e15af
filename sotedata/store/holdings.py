"""What ``sote demo`` would find, and destroy, in a database: the check before example data goes in.

``make run`` calls ``sote demo --if-empty`` on every start, so "empty" must mean that nobody has
stored anything: a database with one note, one indicator, one grant or one user in it is in use,
even while it has no roadmap (a measures-only check once replaced such databases with example
data). ``holdings`` counts every table a person can fill; ``at_risk`` counts what loading the
example data would delete that is not itself example data (users and the audit trail are never
deleted by it, so they are not at risk, though they make the database non-empty).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Table, and_, func, or_, select

from ..domain.i18n import fmt_number, t
from . import db
from .engine import Store

#: what the example data's own imports are called (``sote demo`` stores them so; no file, no
#: person): how the check tells the example's rows from a person's
DEMO_SOURCE = "demo"

#: every table a person's act can fill, in the order a message names them
HELD_TABLES = (
    "measures",
    "status_reports",
    "risk_ratings",
    "indicators",
    "indicator_values",
    "grants",
    "notes",
    "imports",
    "users",
    "audit",
)
#: the rows ``Store.clear`` leaves: people and the trail outlive any load of example data
_KEPT = {"users", "audit"}


def _count(connection: Connection, table: Table, *where: ColumnElement[bool]) -> int:
    query = select(func.count()).select_from(table)
    if where:
        query = query.where(*where)
    return int(connection.execute(query).scalar_one())


def holdings(store: Store) -> dict[str, int]:
    """Rows per table, only the tables that hold any: empty means nobody stored anything."""
    with store.reading() as connection:
        counts = {name: _count(connection, db.metadata.tables[name]) for name in HELD_TABLES}
    return {name: n for name, n in counts.items() if n}


def _is_example(connection: Connection) -> bool:
    return bool(connection.execute(select(db.dataset.c.is_example)).scalar())


def at_risk(store: Store) -> dict[str, int]:
    """Rows that loading the example data would delete and that the example data did not bring.

    In a database marked as example data, only rows of other imports (a file brought in on top of
    the example) and notes written on the area page count; anywhere else every row counts.
    """
    with store.reading() as connection:
        if not _is_example(connection):
            counts = {
                name: _count(connection, db.metadata.tables[name])
                for name in HELD_TABLES
                if name not in _KEPT
            }
            return {name: n for name, n in counts.items() if n}
        imports = db.imports
        example = select(imports.c.id).where(
            imports.c.source == DEMO_SOURCE,
            imports.c.sha256.is_(None),
            imports.c.imported_by.is_(None),
        )
        counts = {
            "imports": _count(connection, imports, imports.c.id.not_in(example)),
            # a measure without an import is the example roadmap's (or one loaded with it)
            "measures": _count(
                connection,
                db.measures,
                and_(db.measures.c.import_id.is_not(None), db.measures.c.import_id.not_in(example)),
            ),
        }
        for name in HELD_TABLES:
            if name in _KEPT or name in counts:
                continue  # people and the trail are kept; imports and measures counted above
            # every other table's rows name their import: one of no import is a person's
            table = db.metadata.tables[name]
            column = table.c.import_id
            counts[name] = _count(connection, table, or_(column.is_(None), column.not_in(example)))
    return {name: counts[name] for name in HELD_TABLES if counts.get(name)}


def describe(counts: dict[str, int], lang: str | None = None) -> str:
    """``counts`` for a message: "muistiinpanot: 3, käyttäjät: 1"."""
    return ", ".join(
        t(
            "rights.held.item",
            lang,
            label=t(f"rights.held.{name}", lang),
            count=fmt_number(n, 0, lang),
        )
        for name, n in counts.items()
    )
