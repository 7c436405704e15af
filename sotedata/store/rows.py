"""What the store's engine, reads and writes share: the driver's errors as the app's messages,
rows in batches, and the columns of an indicator value and its metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..domain.errors import Issue, SoteError
from ..domain.indicators import VALUE_COLUMNS, Indicator
from .batch import ImportBatch

#: an indicator value row as it is written and read back (``Store.indicator_values``): the
#: pages' value columns and the import that brought it
INDICATOR_VALUE_COLUMNS = (*VALUE_COLUMNS, "import_id")


#: an indicator's metadata: what each import gives, and a revert puts back
METADATA_FIELDS = ("name", "unit", "source", "licence")


def merged_metadata(indicator: Indicator, stored: Any) -> dict[str, Any]:
    """The metadata an import gives an indicator already stored: its own fields, the stored
    ones where it leaves a field empty (a file without a unit column does not erase the unit)."""
    return {name: getattr(indicator, name) or getattr(stored, name) for name in METADATA_FIELDS}


def _reason(error: BaseException) -> str:
    """The driver's own words, first line only (a DBAPIError repeats the SQL after it)."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip() or type(original).__name__
    return text.splitlines()[0]


def public_url(url: str) -> str:
    """The URL without its password: what messages and the CLI may show."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def unreachable(url: str, error: BaseException) -> SoteError:
    return SoteError(
        Issue("database_unreachable", params={"url": public_url(url), "reason": _reason(error)})
    )


def rejected(error: BaseException) -> SoteError:
    return SoteError(Issue("database_rejected", params={"reason": _reason(error)}))


def tuples(result: Any) -> list[tuple[Any, ...]]:
    """Plain tuples: pandas probes each SQLAlchemy Row for attributes, which is slow."""
    return [tuple(row) for row in result]


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def copy_rows(connection: Connection, table_name: str, rows: InsertRows) -> None:
    """PostgreSQL's COPY … FROM STDIN inside the open transaction: the rows stream in one
    command. ``executemany`` sent them row by row: a 50 000-row file took ten times as long to
    store as on SQLite. Constraints are checked as for INSERT; a violation rejects the file."""
    # loaded here, on PostgreSQL only: a SQLite store (every CLI run on a file) never pays for
    # the driver's import; no cycle is dodged
    import psycopg
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table_name), sql.SQL(", ").join(map(sql.Identifier, rows.names))
    )
    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows.values:
                copy.write_row(row)
    except psycopg.errors.IntegrityError as error:
        raise rejected(error) from error
    except psycopg.Error as error:  # SQLAlchemy did not send this one, so it cannot wrap it
        raise unreachable(connection.engine.url.render_as_string(), error) from error


@dataclass(frozen=True)
class InsertRows:
    """Rows for one bulk INSERT: the column names once, then one tuple of values per row."""

    names: tuple[str, ...]
    values: list[tuple[Any, ...]]


def status_rows(parsed: ImportBatch, import_id: int) -> InsertRows:
    """A file's status reports as one bulk INSERT: a tuple per row, not a dict (a file may hold
    tens of thousands of reports)."""
    return InsertRows(
        ("area_code", "measure_id", "status", "reported_on", "comment", "import_id"),
        [
            (r.area_code, r.measure_id, str(r.status), r.reported_on, r.comment, import_id)
            for r in parsed.status_reports
        ],
    )


RISK_ROW_COLUMNS = (
    "area_code",
    "risk_id",
    "title",
    "theme",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "reported_on",
    "closed",
    "import_id",
)


def risk_rows(parsed: ImportBatch, import_id: int) -> InsertRows:
    """A file's risk ratings as one bulk INSERT (the score is computed on reading, not stored)."""
    return InsertRows(
        RISK_ROW_COLUMNS,
        [
            (
                r.area_code,
                r.risk_id,
                r.title,
                r.theme,
                r.likelihood,
                r.impact,
                r.mitigation,
                r.owner,
                r.reported_on,
                r.closed,
                import_id,
            )
            for r in parsed.risk_ratings
        ],
    )
