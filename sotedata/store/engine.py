"""The database behind the app and the CLI: the roadmap, every status report and risk rating.

History is the point: nothing is overwritten, so "the situation on 15.6.2022" can be rebuilt at any
time (the latest report per area × measure on or before that day, see ``metrics.status_as_of``).
Each write is one transaction: a batch is stored whole or not at all. Opening a database brings its
schema to the newest Alembic revision, so any ``sote`` command works on a new, empty database.
SQL stays portable (SQLAlchemy Core) so PostgreSQL runs it unchanged; the two exceptions are
named where they are (the write lock, and bulk rows sent by SQLite's executemany or PostgreSQL's
COPY).

Several app instances and CLI runs may share one database, so writes take turns: every write
transaction holds the database's one write lock (PostgreSQL: a transaction-level advisory lock;
SQLite: ``BEGIN IMMEDIATE``) until it commits. Two imports never interleave, the check "are these
bytes imported already?" and the insert that follows cannot race, and two instances starting on an
empty database do not both create the schema. Reading does not take the lock.

A file import (``save_import``) writes its measures, status reports, risk ratings, indicator
values, state-grant projects, notes and its import record (file name, sha256, user, counts,
status) in one transaction; ``revert_import`` takes the rows back out and marks the record
reverted, so the history still shows it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Date, Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from ..domain.areas import REFORM_CODES
from ..domain.errors import Issue, SoteError
from ..domain.indicators import VALUE_COLUMNS
from ..domain.model import (
    Measure,
    Phase,
    RiskRating,
    Roadmap,
    StatusReport,
    WorkStream,
    default_phases,
    default_work_streams,
)
from ..domain.settings import load_settings
from . import db

MIGRATIONS = Path(__file__).parent / "migrations"
STATUS_COLUMNS = ["area_code", "measure_id", "status", "reported_on", "comment"]
RISK_COLUMNS = [
    "area_code",
    "risk_id",
    "title",
    "theme",
    "likelihood",
    "impact",
    "score",
    "mitigation",
    "owner",
    "reported_on",
    "closed",
]

#: an indicator value row as it is written and read back (``Store.indicator_values``): the
#: pages' value columns and the import that brought it
INDICATOR_VALUE_COLUMNS = (*VALUE_COLUMNS, "import_id")


#: an indicator's metadata: what each import gives, and a revert puts back
METADATA_FIELDS = ("name", "unit", "source", "licence")


def merged_metadata(indicator: Any, stored: Any) -> dict[str, Any]:
    """The metadata an import gives an indicator already stored: its own fields, the stored
    ones where it leaves a field empty (a file without a unit column does not erase the unit)."""
    return {name: getattr(indicator, name) or getattr(stored, name) for name in METADATA_FIELDS}


#: Alembic's command API keeps module-level state: two threads opening stores must take turns
_MIGRATING = threading.Lock()
#: the PostgreSQL advisory lock every write transaction takes (any fixed number; b"sote")
WRITE_LOCK_KEY = 0x736F7465
#: how long a writer waits for another one's turn before giving up (seconds, both backends)
WRITE_WAIT_SECONDS = 60


def _reason(error: BaseException) -> str:
    """The driver's own words, first line only (a DBAPIError repeats the SQL after it)."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip() or type(original).__name__
    return text.splitlines()[0]


def _public_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _unreachable(url: str, error: BaseException) -> SoteError:
    return SoteError(
        Issue("database_unreachable", params={"url": _public_url(url), "reason": _reason(error)})
    )


def _rejected(error: BaseException) -> SoteError:
    return SoteError(Issue("database_rejected", params={"reason": _reason(error)}))


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file: the scripts shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            # one shared connection, or every checkout would see a new empty database
            options["poolclass"] = StaticPool
        elif not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Streamlit shares one Store between threads; the pool hands a connection to one at a time
        options["connect_args"] = {"check_same_thread": False, "timeout": WRITE_WAIT_SECONDS}
    engine = create_engine(parsed, **options)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
            # SQLite ignores foreign keys unless asked on every connection
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # the driver would begin transactions itself, late and never IMMEDIATE: _begin does
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            # a writer takes the write lock at BEGIN: what it reads first (a file's sha256, the
            # schema's revision) cannot change under it before it writes
            write = connection.get_execution_options().get("sote_write")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def _write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's write lock from its start until it ends (see the
    module docstring): one writer at a time across every process on the database."""
    with engine.connect() as connection:
        connection.execution_options(sote_write=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                wait = f"{int(WRITE_WAIT_SECONDS * 1000)}ms"
                connection.execute(select(func.set_config("lock_timeout", wait, True)))
                connection.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK_KEY)))
            yield connection


def _busy(error: DBAPIError) -> bool:
    """Whether the database gave up waiting for the write lock (another writer held it)."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == "55P03":  # PostgreSQL: lock_not_available
        return True
    return "database is locked" in str(original)


def _busy_issue() -> SoteError:
    return SoteError(Issue("database_busy", params={"seconds": WRITE_WAIT_SECONDS}))


def _tuples(result: Any) -> list[tuple[Any, ...]]:
    """Plain tuples: pandas probes each SQLAlchemy Row for attributes, which is slow."""
    return [tuple(row) for row in result]


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """A measure's values as JSON can hold them (a deadline as ISO text)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _from_jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if out.get("deadline"):
        out["deadline"] = date.fromisoformat(out["deadline"])
    if "critical" in out:
        out["critical"] = bool(out["critical"])
    return out


def _same(stored: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return bool(stored) == value
    return stored == value


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _copy_rows(connection: Connection, table_name: str, rows: InsertRows) -> None:
    """PostgreSQL's COPY … FROM STDIN inside the open transaction: the rows stream in one
    command. ``executemany`` sent them row by row: a 50 000-row file took ten times as long to
    store as on SQLite. Constraints are checked as for INSERT; a violation rejects the file."""
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
        raise _rejected(error) from error
    except psycopg.Error as error:  # SQLAlchemy did not send this one, so it cannot wrap it
        raise _unreachable(connection.engine.url.render_as_string(), error) from error


@dataclass(frozen=True)
class InsertRows:
    """Rows for one bulk INSERT: the column names once, then one tuple of values per row."""

    names: tuple[str, ...]
    values: list[tuple[Any, ...]]


class Store:
    """One database, opened with ``Store.open(url)``: atomic writes, reads as DataFrames."""

    #: rows per INSERT batch; an error in any batch still undoes the earlier ones
    chunk_size = 5000

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        # the open transaction belongs to one thread: Streamlit shares a Store between sessions
        self._local = threading.local()

    @property
    def _connection(self) -> Connection | None:
        return getattr(self._local, "connection", None)

    @_connection.setter
    def _connection(self, connection: Connection | None) -> None:
        self._local.connection = connection

    # --- opening and closing -----------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """The store at ``url`` (default: the SOTE_DATABASE_URL setting), schema brought to head."""
        url = url or load_settings().database_url
        try:
            engine = _engine(url)
        except (ArgumentError, NoSuchModuleError, ImportError, OSError, ValueError) as error:
            raise _unreachable(url, error) from error
        try:
            with engine.connect() as connection:
                current = MigrationContext.configure(connection).get_current_revision()
            if current != head_revision():  # at head: no lock, so opening never waits for writers
                with _MIGRATING, _write_transaction(engine) as connection:
                    command.upgrade(alembic_config(connection), "head")
        except DBAPIError as error:
            engine.dispose()
            raise (_busy_issue() if _busy(error) else _unreachable(url, error)) from error
        return cls(engine, url)

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        return _public_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def revision(self) -> str | None:
        """The Alembic revision the database is at (``head_revision()`` after ``open``)."""
        with self._reading() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    # --- transactions ------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Group several writes into one all-or-nothing unit (``load_demo`` replaces everything).
        Holds the write lock until the end: other writers, in any process, wait for it."""
        if self._connection is not None:
            yield self._connection
            return
        try:
            with _write_transaction(self.engine) as connection:
                self._connection = connection
                try:
                    yield connection
                finally:
                    self._connection = None
        except IntegrityError as error:
            raise _rejected(error) from error
        except DBAPIError as error:
            raise (_busy_issue() if _busy(error) else _unreachable(self.url, error)) from error

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        if self._connection is not None:
            yield self._connection
            return
        try:
            with self.engine.connect() as connection:
                yield connection
        except DBAPIError as error:
            raise _unreachable(self.url, error) from error

    def _record_import(self, connection: Connection, kind: str, source: str) -> int:
        result = connection.execute(
            db.imports.insert().values(
                kind=kind, source=source, loaded_at=datetime.now(UTC), row_count=0
            )
        )
        return int(result.inserted_primary_key[0])

    def _finish_import(self, connection: Connection, import_id: int, rows: int) -> None:
        connection.execute(
            db.imports.update().where(db.imports.c.id == import_id).values(row_count=rows)
        )

    # --- writing -----------------------------------------------------------------------------

    def set_dataset(self, *, is_example: bool, description: str | None = None) -> None:
        """Say what the data is; the pages label example data as such everywhere."""
        with self.transaction() as connection:
            connection.execute(db.dataset.delete())
            connection.execute(
                db.dataset.insert().values(
                    id=1,
                    is_example=is_example,
                    description=description,
                    loaded_at=datetime.now(UTC),
                )
            )

    def clear(self) -> None:
        """Remove every row (the schema stays)."""
        with self.transaction() as connection:
            for table in db.TABLES_CHILD_FIRST:
                connection.execute(table.delete())

    def save_roadmap(self, roadmap: Roadmap, *, source: str = "roadmap") -> None:
        """Make ``roadmap`` the stored one. Rows are updated in place so that reports keep their
        measures; removing a measure that still has reports is refused (``database_rejected``)."""
        with self.transaction() as connection:
            gone_phases = self._upsert(
                connection,
                db.phases.c.number,
                [
                    {"number": p.number, "start_date": p.start, "end_date": p.end}
                    for p in roadmap.phases
                ],
            )
            gone_streams = self._upsert(
                connection,
                db.work_streams.c.key,
                [
                    {
                        "key": w.key,
                        "position": i,
                        "name_fi": w.name_fi,
                        "name_sv": w.name_sv,
                        "name_en": w.name_en,
                    }
                    for i, w in enumerate(roadmap.work_streams)
                ],
            )
            gone_measures = self._upsert(
                connection,
                db.measures.c.id,
                [
                    {
                        "id": m.id,
                        "position": i,
                        "name": m.name,
                        "phase": m.phase,
                        "work_stream": m.work_stream,
                        "critical": bool(m.critical),
                        "deadline": m.deadline,
                    }
                    for i, m in enumerate(roadmap.measures)
                ],
            )
            # children first, so that no foreign key points at a deleted row
            for column, gone in (
                (db.measures.c.id, gone_measures),
                (db.phases.c.number, gone_phases),
                (db.work_streams.c.key, gone_streams),
            ):
                if gone:
                    connection.execute(column.table.delete().where(column.in_(sorted(gone))))
            import_id = self._record_import(connection, "roadmap", source)
            self._finish_import(connection, import_id, len(roadmap.measures))

    @staticmethod
    def _upsert(connection: Connection, key: Any, rows: list[dict[str, Any]]) -> set[Any]:
        """Portable upsert of a small table: update the rows that exist, insert the rest.
        Returns the keys that exist but are no longer wanted (the caller deletes them in order)."""
        table = key.table
        existing = set(connection.execute(select(key)).scalars())
        for row in rows:
            if row[key.name] in existing:
                connection.execute(table.update().where(key == row[key.name]).values(**row))
        new = [row for row in rows if row[key.name] not in existing]
        if new:
            connection.execute(table.insert(), new)
        return existing - {row[key.name] for row in rows}

    def add_status_reports(self, reports: Iterable[StatusReport], *, source: str = "") -> int:
        """Add a batch of reports (kept beside the earlier ones); the number of rows stored."""
        codes = set(REFORM_CODES)

        def row(report: StatusReport, import_id: int) -> dict[str, Any]:
            if report.area_code not in codes:
                raise SoteError(
                    Issue("database_rejected", params={"reason": f"area {report.area_code!r}"})
                )
            return {
                "area_code": report.area_code,
                "measure_id": report.measure_id,
                "status": str(report.status),
                "reported_on": report.reported_on,
                "comment": report.comment,
                "import_id": import_id,
            }

        return self._add_rows(db.status_reports, "status", source, reports, row)

    def add_risk_ratings(self, ratings: Iterable[RiskRating], *, source: str = "") -> int:
        """Add a batch of risk ratings (a re-rating is a new row; the latest one counts)."""
        codes = set(REFORM_CODES)

        def row(rating: RiskRating, import_id: int) -> dict[str, Any]:
            if rating.area_code is not None and rating.area_code not in codes:
                raise SoteError(
                    Issue("database_rejected", params={"reason": f"area {rating.area_code!r}"})
                )
            return {
                "area_code": rating.area_code,
                "risk_id": rating.risk_id,
                "title": rating.title,
                "theme": rating.theme,
                "likelihood": rating.likelihood,
                "impact": rating.impact,
                "mitigation": rating.mitigation,
                "owner": rating.owner,
                "reported_on": rating.reported_on,
                "closed": rating.closed,
                "import_id": import_id,
            }

        return self._add_rows(db.risk_ratings, "risks", source, ratings, row)

    def _add_rows(self, table: Any, kind: str, source: str, items: Iterable[Any], to_row) -> int:
        count = 0
        with self.transaction() as connection:
            import_id = self._record_import(connection, kind, source)
            for chunk in _chunks(items, self.chunk_size):
                connection.execute(table.insert(), [to_row(item, import_id) for item in chunk])
                count += len(chunk)
            self._finish_import(connection, import_id, count)
        return count

    # --- file imports ------------------------------------------------------------------------

    def find_import_by_sha256(self, sha256: str) -> int | None:
        """The active import of the very same bytes, if any (a re-upload stores nothing new)."""
        table = db.imports
        query = (
            select(table.c.id)
            .where(table.c.sha256 == sha256, table.c.status == "active")
            .order_by(table.c.id)
        )
        with self._reading() as connection:
            return connection.execute(query).scalars().first()

    def save_import(self, parsed: Any, *, user: str | None = None) -> int:
        """Store an accepted ``ingest.ParsedFile`` whole, in ONE transaction: its measures (upserted
        by id), status reports, risk ratings and the import record. Returns the import's id; the
        same bytes already imported and active → that import's id, nothing stored."""
        counts = parsed.counts()
        with self.transaction() as connection:
            table = db.imports
            earlier = (
                None
                if parsed.sha256 is None  # not from a file (example data): nothing to match
                else connection.execute(
                    select(table.c.id).where(
                        table.c.sha256 == parsed.sha256, table.c.status == "active"
                    )
                ).scalar()
            )
            if earlier is not None:  # another upload of the same bytes won the race
                return int(earlier)
            rows = counts["measures"] + counts["status"] + counts["risks"]
            import_id = int(
                connection.execute(
                    table.insert().values(
                        kind="file",
                        source=parsed.filename,
                        loaded_at=datetime.now(UTC),
                        row_count=rows,
                        file_name=parsed.filename,
                        sha256=parsed.sha256,
                        imported_by=user,
                        counts=json.dumps(counts, ensure_ascii=False),
                        status="active",
                    )
                ).inserted_primary_key[0]
            )
            if parsed.measures:
                self._ensure_roadmap_frame(connection)
                self._upsert_measures(connection, parsed.measures, import_id)
            codes = set(REFORM_CODES)
            for report in parsed.status_reports:
                if report.area_code not in codes:
                    raise _rejected(ValueError(f"area {report.area_code!r}"))
            # one tuple per row, not a dict: a file may hold tens of thousands of reports
            status_rows = InsertRows(
                ("area_code", "measure_id", "status", "reported_on", "comment", "import_id"),
                [
                    (r.area_code, r.measure_id, str(r.status), r.reported_on, r.comment, import_id)
                    for r in parsed.status_reports
                ],
            )
            self._bulk_insert(connection, db.status_reports, status_rows)
            risk_rows = InsertRows(
                (
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
                ),
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
            self._bulk_insert(connection, db.risk_ratings, risk_rows)
            self._save_indicators(connection, parsed, import_id)
            self._save_grants(connection, getattr(parsed, "grants", ()), import_id)
            for note in getattr(parsed, "notes", ()):
                self._insert_note(connection, note, user, import_id)
        return import_id

    @staticmethod
    def _save_grants(connection: Connection, grants: Iterable[Any], import_id: int) -> None:
        """An import's project rows, each with the measures it serves (a few hundred rows at
        most: one INSERT each, for the id its links need)."""
        codes = set(REFORM_CODES)
        for grant in grants:
            if grant.area_code not in codes:
                raise _rejected(ValueError(f"area {grant.area_code!r}"))
            grant_id = connection.execute(
                db.grants.insert().values(
                    area_code=grant.area_code,
                    project_key=grant.key,
                    project=grant.project,
                    programme=grant.programme,
                    granted=grant.granted,
                    spent=grant.spent,
                    start_date=grant.start,
                    end_date=grant.end,
                    period=(grant.period_text or None) and grant.period_text[:60],
                    status=grant.status,
                    reported_on=grant.reported_on,
                    import_id=import_id,
                )
            ).inserted_primary_key[0]
            if grant.measures:
                connection.execute(
                    db.grant_measures.insert(),
                    [{"grant_id": grant_id, "measure_id": m} for m in grant.measures],
                )

    @staticmethod
    def _insert_note(
        connection: Connection, note: Any, user: str | None, import_id: int | None
    ) -> int:
        if note.area_code is not None and note.area_code not in set(REFORM_CODES):
            raise _rejected(ValueError(f"area {note.area_code!r}"))
        result = connection.execute(
            db.notes.insert().values(
                area_code=note.area_code,
                noted_on=note.noted_on,
                text=note.text,
                source_type=note.source_type,
                link=note.link,
                tags=", ".join(note.tags),
                measure_id=note.measure_id,
                risk_id=note.risk_id,
                created_at=datetime.now(UTC),
                created_by=user,
                import_id=import_id,
            )
        )
        return int(result.inserted_primary_key[0])

    def add_note(self, note: Any, *, user: str | None = None) -> int:
        """One note added on a page (no import); returns its id. ``notes.add_note`` checks the
        person's right and writes the audit row in the same transaction."""
        with self.transaction() as connection:
            return self._insert_note(connection, note, user, None)

    def _save_indicators(self, connection: Connection, parsed: Any, import_id: int) -> None:
        """An import's indicators and their values, beside earlier values: as with reports,
        nothing is overwritten, and the newest import's value of a region and period counts.

        Metadata follows the same rule: the newest import's name, unit, source and licence count
        (a field it leaves empty keeps the earlier one), and each import's metadata is kept in
        ``indicator_metadata`` so that reverting it puts the earlier metadata back. Keys in
        ``parsed.kept_metadata`` (a preparer's change to metadata another person's import set,
        refused with a warning by the importer) get their values but no metadata of this import.
        """
        values = getattr(parsed, "indicator_values", None)
        if not values:
            return
        table = db.indicators
        kept = set(getattr(parsed, "kept_metadata", ()))
        known = {
            row.key: row
            for row in connection.execute(
                select(table).where(table.c.key.in_([i.key for i in parsed.indicators]))
            )
        }
        versions = []
        for indicator in parsed.indicators:
            row = known.get(indicator.key)
            if row is None:
                meta = {name: getattr(indicator, name) for name in METADATA_FIELDS}
                connection.execute(
                    table.insert().values(key=indicator.key, import_id=import_id, **meta)
                )
            elif indicator.key in kept:
                continue
            else:
                meta = merged_metadata(indicator, row)
                if any(getattr(row, name) != value for name, value in meta.items()):
                    connection.execute(table.update().where(table.c.key == row.key).values(**meta))
            versions.append({"indicator_key": indicator.key, "import_id": import_id, **meta})
        if versions:
            connection.execute(db.indicator_metadata.insert(), versions)
        rows = InsertRows(
            INDICATOR_VALUE_COLUMNS,
            [
                (
                    v.indicator,
                    v.level,
                    v.region_code,
                    v.area_code,
                    v.period.text,
                    v.period.start,
                    v.period.end,
                    v.value,
                    import_id,
                )
                for v in values
            ],
        )
        self._bulk_insert(connection, db.indicator_values, rows)

    def _bulk_insert(self, connection: Connection, table: Any, rows: InsertRows) -> None:
        """Many rows into ``table``. On SQLite straight through the driver's ``executemany`` (the
        same plain INSERT, without SQLAlchemy's per-row parameter processing, which costs more than
        the insert itself); on PostgreSQL by COPY; elsewhere through SQLAlchemy Core."""
        if not rows.values:
            return
        names = rows.names
        if connection.dialect.name == "postgresql":
            _copy_rows(connection, table.name, rows)
            return
        if connection.dialect.name != "sqlite":
            for chunk in _chunks(rows.values, self.chunk_size):
                connection.execute(
                    table.insert(), [dict(zip(names, row, strict=True)) for row in chunk]
                )
            return
        quote = connection.dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        # dates as SQLAlchemy's SQLite Date type stores them: ISO text (a file repeats a few dates)
        dates = [i for i, n in enumerate(names) if isinstance(table.c[n].type, Date)]
        iso: dict[date, str] = {}

        def as_text(day: date | None) -> str | None:
            if day is None:
                return None
            if day not in iso:
                iso[day] = day.isoformat()
            return iso[day]

        for chunk in _chunks(rows.values, self.chunk_size):
            if dates:
                converted = []
                for row in chunk:
                    cells = list(row)
                    for i in dates:
                        cells[i] = as_text(cells[i])
                    converted.append(tuple(cells))
                chunk = converted
            connection.exec_driver_sql(sql, chunk)

    @staticmethod
    def _ensure_roadmap_frame(connection: Connection) -> None:
        """A new database gets the default phases and work streams before its first measure."""
        if connection.execute(select(func.count()).select_from(db.phases)).scalar_one():
            return
        connection.execute(
            db.phases.insert(),
            [
                {"number": p.number, "start_date": p.start, "end_date": p.end}
                for p in default_phases()
            ],
        )
        if not connection.execute(select(func.count()).select_from(db.work_streams)).scalar_one():
            connection.execute(
                db.work_streams.insert(),
                [
                    {
                        "key": w.key,
                        "position": i,
                        "name_fi": w.name_fi,
                        "name_sv": w.name_sv,
                        "name_en": w.name_en,
                    }
                    for i, w in enumerate(default_work_streams())
                ],
            )

    @staticmethod
    def _upsert_measures(connection: Connection, measures: list[Measure], import_id: int) -> None:
        """Insert new measures, update known ones; what an update changed is kept on the import
        record so that reverting the import can put the old values back."""
        table = db.measures
        fields = ("name", "phase", "work_stream", "critical", "deadline")
        existing = {
            row.id: {name: getattr(row, name) for name in fields}
            for row in connection.execute(select(table.c.id, *(table.c[n] for n in fields)))
        }
        position = connection.execute(select(func.max(table.c.position))).scalar()
        position = -1 if position is None else int(position)
        new = []
        edits = []
        for measure in measures:
            values = {
                "name": measure.name,
                "phase": measure.phase,
                "work_stream": measure.work_stream,
                "critical": bool(measure.critical),
                "deadline": measure.deadline,
            }
            before = existing.get(measure.id)
            if before is None:
                position += 1
                new.append(
                    {"id": measure.id, "position": position, "import_id": import_id, **values}
                )
            elif {**before, "critical": bool(before["critical"])} != values:
                connection.execute(table.update().where(table.c.id == measure.id).values(**values))
                edits.append(
                    {"id": measure.id, "before": _jsonable(before), "after": _jsonable(values)}
                )
        if new:
            connection.execute(table.insert(), new)
        if edits:
            connection.execute(
                db.imports.update()
                .where(db.imports.c.id == import_id)
                .values(measure_edits=json.dumps(edits, ensure_ascii=False))
            )

    @staticmethod
    def _undo_measure_edits(connection: Connection, import_id: int) -> None:
        """Put back the values an import overwrote, where the measure still holds what the import
        wrote (a later import's edit of the same measure is not the revert's to undo)."""
        raw = connection.execute(
            select(db.imports.c.measure_edits).where(db.imports.c.id == import_id)
        ).scalar()
        table = db.measures
        for edit in json.loads(raw) if raw else []:
            current = connection.execute(select(table).where(table.c.id == edit["id"])).first()
            if current is None:
                continue
            after = _from_jsonable(edit["after"])
            if not all(_same(getattr(current, k), v) for k, v in after.items()):
                continue
            connection.execute(
                table.update()
                .where(table.c.id == edit["id"])
                .values(**_from_jsonable(edit["before"]))
            )

    @staticmethod
    def _undo_indicator_metadata(connection: Connection, import_id: int) -> None:
        """After an import's values are gone: the indicators it created and nothing measures
        any more go too, and those whose metadata it gave fall back to the newest metadata an
        import still standing gave (an earlier one, or a later one that stays in force)."""
        versions = db.indicator_metadata
        touched = list(
            connection.execute(
                select(versions.c.indicator_key).where(versions.c.import_id == import_id).distinct()
            ).scalars()
        )
        connection.execute(versions.delete().where(versions.c.import_id == import_id))
        still_measured = select(db.indicator_values.c.indicator_key).distinct()
        gone = select(db.indicators.c.key).where(
            db.indicators.c.import_id == import_id, db.indicators.c.key.not_in(still_measured)
        )
        gone_keys = set(connection.execute(gone).scalars())
        if gone_keys:
            connection.execute(versions.delete().where(versions.c.indicator_key.in_(gone_keys)))
            connection.execute(db.indicators.delete().where(db.indicators.c.key.in_(gone_keys)))
        for key in touched:
            if key in gone_keys:
                continue
            newest = connection.execute(
                select(*(versions.c[name] for name in METADATA_FIELDS))
                .where(versions.c.indicator_key == key)
                .order_by(versions.c.id.desc())
                .limit(1)
            ).first()
            if newest is not None:
                connection.execute(
                    db.indicators.update()
                    .where(db.indicators.c.key == key)
                    .values(**dict(newest._mapping))
                )

    def revert_import(self, import_id: int) -> None:
        """Take an import back: its rows go (and the measures it created, unless something else
        reports on them); the import stays in the history, marked reverted."""
        table = db.imports
        with self.transaction() as connection:
            status = connection.execute(
                select(table.c.status).where(table.c.id == import_id)
            ).scalar()
            if status is None:
                raise SoteError(Issue("import_not_found", params={"import_id": import_id}))
            if status == "reverted":
                raise SoteError(Issue("import_already_reverted", params={"import_id": import_id}))
            own_grants = select(db.grants.c.id).where(db.grants.c.import_id == import_id)
            connection.execute(
                db.grant_measures.delete().where(db.grant_measures.c.grant_id.in_(own_grants))
            )
            for child in (
                db.status_reports,
                db.risk_ratings,
                db.indicator_values,
                db.grants,
                db.notes,
            ):
                connection.execute(child.delete().where(child.c.import_id == import_id))
            self._undo_indicator_metadata(connection, import_id)
            connection.execute(
                db.indicators.update()
                .where(db.indicators.c.import_id == import_id)
                .values(import_id=None)
            )
            self._undo_measure_edits(connection, import_id)
            still_used = select(db.status_reports.c.measure_id).distinct()
            connection.execute(
                db.measures.delete().where(
                    db.measures.c.import_id == import_id, db.measures.c.id.not_in(still_used)
                )
            )
            connection.execute(
                db.measures.update()
                .where(db.measures.c.import_id == import_id)
                .values(import_id=None)
            )
            connection.execute(
                table.update()
                .where(table.c.id == import_id)
                .values(status="reverted", reverted_at=datetime.now(UTC))
            )

    # --- reading -----------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """Nothing loaded yet: no roadmap, no reports, no risks."""
        with self._reading() as connection:
            for table in (db.measures, db.status_reports, db.risk_ratings):
                if connection.execute(select(func.count()).select_from(table)).scalar_one():
                    return False
        return True

    def is_example(self) -> bool:
        with self._reading() as connection:
            value = connection.execute(select(db.dataset.c.is_example)).scalar()
        return bool(value)

    def dataset(self) -> dict[str, Any] | None:
        """What the data is (is_example, description, loaded_at), or None before any load."""
        with self._reading() as connection:
            row = connection.execute(
                select(db.dataset.c.is_example, db.dataset.c.description, db.dataset.c.loaded_at)
            ).first()
        return dict(row._mapping) if row else None

    def load_roadmap(self) -> Roadmap:
        with self._reading() as connection:
            phases = tuple(
                Phase(r.number, r.start_date, r.end_date)
                for r in connection.execute(select(db.phases).order_by(db.phases.c.number))
            )
            streams = tuple(
                WorkStream(r.key, r.name_fi, r.name_sv, r.name_en)
                for r in connection.execute(
                    select(db.work_streams).order_by(db.work_streams.c.position)
                )
            )
            measures = tuple(
                Measure(r.id, r.name, r.phase, r.work_stream, bool(r.critical), r.deadline)
                for r in connection.execute(select(db.measures).order_by(db.measures.c.position))
            )
        return Roadmap(phases, streams, measures)

    def status_reports(self, until: date | None = None) -> pd.DataFrame:
        """Every report on or before ``until`` (all by default), oldest first, in load order."""
        table = db.status_reports
        query = select(*(table.c[name] for name in STATUS_COLUMNS)).order_by(
            table.c.reported_on, table.c.id
        )
        if until is not None:
            query = query.where(table.c.reported_on <= until)
        with self._reading() as connection:
            rows = _tuples(connection.execute(query))
        return pd.DataFrame(rows, columns=STATUS_COLUMNS, dtype=object)

    def status_reports_between(
        self, first: date, last: date, area_codes: Iterable[str]
    ) -> list[tuple[Any, ...]]:
        """(area_code, measure_id, reported_on, status, comment, import_id) of every report of
        these areas dated ``first``…``last``, oldest first in load order: what an import about to
        be stored is compared with (``ingest.check_against_store``). One query."""
        table = db.status_reports
        query = (
            select(
                table.c.area_code,
                table.c.measure_id,
                table.c.reported_on,
                table.c.status,
                table.c.comment,
                table.c.import_id,
            )
            .where(
                table.c.reported_on >= first,
                table.c.reported_on <= last,
                table.c.area_code.in_(sorted(set(area_codes))),
            )
            .order_by(table.c.reported_on, table.c.id)
        )
        with self._reading() as connection:
            return _tuples(connection.execute(query))

    def risk_ratings(self, until: date | None = None) -> pd.DataFrame:
        """Every risk rating on or before ``until``, oldest first; ``area_code`` None = national."""
        table = db.risk_ratings
        names = [name for name in RISK_COLUMNS if name != "score"]
        query = select(*(table.c[name] for name in names)).order_by(table.c.reported_on, table.c.id)
        if until is not None:
            query = query.where(table.c.reported_on <= until)
        with self._reading() as connection:
            rows = _tuples(connection.execute(query))
        frame = pd.DataFrame(rows, columns=names, dtype=object)
        frame["likelihood"] = frame["likelihood"].astype("int64")
        frame["impact"] = frame["impact"].astype("int64")
        frame["score"] = frame["likelihood"] * frame["impact"]
        frame["closed"] = frame["closed"].astype(bool)
        return frame[RISK_COLUMNS]

    def indicators(self) -> pd.DataFrame:
        """Every indicator with its metadata (key, name, unit, source, licence)."""
        table = db.indicators
        names = ["key", "name", "unit", "source", "licence"]
        with self._reading() as connection:
            rows = _tuples(connection.execute(select(*(table.c[n] for n in names))))
        return pd.DataFrame(rows, columns=names, dtype=object)

    def indicator_metadata(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored metadata of these indicators (those known), each with ``set_by``: who
        imported the metadata in force (None when unknown: example data, or from before the
        metadata was kept per import). One query."""
        keys = list(keys)
        if not keys:
            return {}
        versions = db.indicator_metadata
        table = db.indicators
        newest = (
            select(versions.c.indicator_key, func.max(versions.c.id).label("id"))
            .group_by(versions.c.indicator_key)
            .subquery()
        )
        query = (
            select(table.c.key, *(table.c[n] for n in METADATA_FIELDS), db.imports.c.imported_by)
            .select_from(table)
            .outerjoin(newest, newest.c.indicator_key == table.c.key)
            .outerjoin(versions, versions.c.id == newest.c.id)
            .outerjoin(db.imports, db.imports.c.id == versions.c.import_id)
            .where(table.c.key.in_(keys))
        )
        with self._reading() as connection:
            rows = connection.execute(query).all()
        return {
            row.key: {**{n: getattr(row, n) for n in METADATA_FIELDS}, "set_by": row.imported_by}
            for row in rows
        }

    def indicator_values(self, indicator: str | None = None) -> pd.DataFrame:
        """Indicator values, oldest import first (the last one of a region and period counts)."""
        table = db.indicator_values
        names = list(INDICATOR_VALUE_COLUMNS)
        query = select(*(table.c[n] for n in names)).order_by(table.c.import_id, table.c.id)
        if indicator is not None:
            query = query.where(table.c.indicator_key == indicator)
        with self._reading() as connection:
            rows = _tuples(connection.execute(query))
        return pd.DataFrame(rows, columns=names, dtype=object)

    def grants(self) -> pd.DataFrame:
        """Every state-grant project row (``grants.GRANT_COLUMNS``; ``measures`` a tuple of the
        measure ids it serves), oldest import first."""
        from ..rules.grants import GRANT_COLUMNS

        table = db.grants
        names = [name for name in GRANT_COLUMNS if name != "measures"]
        query = select(*(table.c[n] for n in names)).order_by(table.c.import_id, table.c.id)
        links = select(db.grant_measures.c.grant_id, db.grant_measures.c.measure_id).order_by(
            db.grant_measures.c.id
        )
        with self._reading() as connection:
            rows = _tuples(connection.execute(query))
            served: dict[int, list[str]] = {}
            for grant_id, measure_id in connection.execute(links):
                served.setdefault(grant_id, []).append(measure_id)
        frame = pd.DataFrame(rows, columns=names, dtype=object)
        frame["granted"] = frame["granted"].astype(float)
        frame["spent"] = pd.to_numeric(frame["spent"], errors="coerce").astype(float)
        frame["measures"] = [tuple(served.get(i, ())) for i in frame["id"]]
        return frame[GRANT_COLUMNS]

    def notes(self) -> pd.DataFrame:
        """Every note (``notes.NOTE_COLUMNS``; ``area_code`` None = national; ``tags`` comma-
        separated), in the order they were stored."""
        from ..rules.notes import NOTE_COLUMNS

        table = db.notes
        query = select(*(table.c[n] for n in NOTE_COLUMNS)).order_by(table.c.id)
        with self._reading() as connection:
            rows = _tuples(connection.execute(query))
        return pd.DataFrame(rows, columns=NOTE_COLUMNS, dtype=object)

    def reporting_dates(self) -> list[date]:
        table = db.status_reports
        query = select(table.c.reported_on).distinct().order_by(table.c.reported_on)
        with self._reading() as connection:
            return list(connection.execute(query).scalars())

    def imports(self) -> pd.DataFrame:
        """What was loaded, when and from where (newest last)."""
        table = db.imports
        with self._reading() as connection:
            rows = _tuples(connection.execute(select(table).order_by(table.c.id)))
        return pd.DataFrame(rows, columns=[c.name for c in table.columns])
