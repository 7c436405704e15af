"""The database behind the app and the CLI: the roadmap, every status report and risk rating.

History is the point: nothing is overwritten, so "the situation on 15.6.2022" can be rebuilt at any
time (the latest report per area × measure on or before that day, see ``metrics.status_as_of``);
the database answers it for one date itself (``snapshot``), so a figure of a date reads at most
one row per area × measure however long the history grows.
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

import ast
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from ..domain.errors import Issue, SoteError
from ..domain.settings import load_settings
from .imports import StoreImports
from .reads import StoreReads
from .rows import public_url, rejected, unreachable
from .snapshot import StoreSnapshot
from .summary import StoreSummary
from .writes import StoreWrites

if TYPE_CHECKING:  # lazy: Alembic loads only when a database needs a migration (start-up time)
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

#: Alembic's command API keeps module-level state: two threads opening stores must take turns
_MIGRATING = threading.Lock()
#: the PostgreSQL advisory lock every write transaction takes (any fixed number; b"sote")
WRITE_LOCK_KEY = 0x736F7465
#: how long a writer waits for another one's turn before giving up (seconds, both backends)
WRITE_WAIT_SECONDS = 60


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ini file: the scripts shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


_ASSIGNED = re.compile(r"^(revision|down_revision)\s*=\s*(.+)$", re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest revision, read from the scripts' own ``revision`` and ``down_revision`` lines
    without Alembic (importing it cost about 0.2 s of every command's start): the one no script
    revises. A test holds it equal to Alembic's own answer."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for name, value in _ASSIGNED.findall(script.read_text(encoding="utf-8")):
            given = ast.literal_eval(value.strip())
            names = given if isinstance(given, tuple) else (given,)
            (revisions if name == "revision" else revised).update(n for n in names if n)
    heads = revisions - revised
    return max(heads) if heads else None


def _revisions(connection: Connection) -> frozenset[str]:
    """The revisions the database is at (none: a new database), read without Alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return frozenset()
    query = text("SELECT version_num FROM alembic_version")
    return frozenset(connection.execute(query).scalars())


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


class Store(StoreReads, StoreSnapshot, StoreSummary, StoreImports, StoreWrites):
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
            raise unreachable(url, error) from error
        try:
            with engine.connect() as connection:
                current = _revisions(connection)
            if current != {head_revision()}:  # at head: no lock, so opening never waits for writers
                from alembic import command

                with _MIGRATING, _write_transaction(engine) as connection:
                    command.upgrade(alembic_config(connection), "head")
        except DBAPIError as error:
            engine.dispose()
            raise (_busy_issue() if _busy(error) else unreachable(url, error)) from error
        return cls(engine, url)

    @property
    def display_url(self) -> str:
        """The URL without its password, for messages."""
        return public_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def revision(self) -> str | None:
        """The Alembic revision the database is at (``head_revision()`` after ``open``)."""
        with self.reading() as connection:
            current = _revisions(connection)
        return max(current) if current else None

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
            raise rejected(error) from error
        except DBAPIError as error:
            raise (_busy_issue() if _busy(error) else unreachable(self.url, error)) from error

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to read on: the open transaction's if this thread is in one (a write sees
        its own rows), else a fresh one without the write lock."""
        if self._connection is not None:
            yield self._connection
            return
        try:
            with self.engine.connect() as connection:
                yield connection
        except DBAPIError as error:
            raise unreachable(self.url, error) from error
