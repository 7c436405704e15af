"""A throwaway PostgreSQL server for the tests, and the ``db_url`` fixture over both backends.

The store, import and concurrency tests must pass on SQLite *and* on PostgreSQL, so ``db_url`` is
parametrised ``["sqlite", "postgresql"]``. The PostgreSQL half runs on a real server: Debian's
programs (``scripts/ensure-postgres.sh`` installs them) start ONE server per test session on
loopback, in a temporary data directory, with durability switched off (nothing here must survive a
crash); each test gets a new, empty database and drops it afterwards. ``initdb`` refuses to run
as root, so as root the server runs as the ``postgres`` user (``runuser``).

Without the programs the PostgreSQL tests are skipped, except with ``CI=true``: there a missing
server fails the run. ``SOTE_PG_BINDIR`` names another folder of ``initdb`` and ``pg_ctl``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

USER = "sote"
BACKENDS = ["sqlite", "postgresql"]


def find_bindir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: $SOTE_PG_BINDIR, Debian's newest, or the PATH's."""
    named = os.environ.get("SOTE_PG_BINDIR")
    if named:
        return Path(named) if (Path(named) / "initdb").exists() else None
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.parent.name)] or [0],
    )
    if debian:
        return debian[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One server on 127.0.0.1, trust authentication for user ``sote``, in a temporary folder."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.as_user: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="sote-pg-"))
        if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres user
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres")
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = 0
        self._names = itertools.count(1)

    def _run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, capture_output=True, text=True, timeout=timeout
        )

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        for attempt in range(3):  # the free port may be taken between the probe and the start
            self.port = _free_port()
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories='{self.folder}' "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c max_connections=60"
            )
            try:
                self._run(
                    str(self.bindir / "pg_ctl"),
                    "start",
                    "-w",
                    "-t",
                    "60",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                )
                return
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, FileNotFoundError):
            self._run(str(self.bindir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=USER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)

    def create_database(self) -> str:
        """A new empty database (from ``template0``); returns its SQLAlchemy URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def copy_database(self, url: str) -> str:
        """A new database as a copy of the one at ``url`` (PostgreSQL's ``CREATE DATABASE …
        TEMPLATE``: the server copies the files, far cheaper than loading the rows again). Nobody
        may be connected to the original meanwhile."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{url.rsplit("/", 1)[1]}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (started on first use, stopped at the end)."""
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL (initdb, pg_ctl) is missing: run scripts/ensure-postgres.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: a missing server is a failure)", pytrace=False)
        pytest.skip(message)
    try:
        server = PostgresServer(bindir)  # as root: needs the postgres user and runuser
    except (LookupError, OSError) as error:
        pytest.fail(f"PostgreSQL cannot be started here: {error}", pytrace=False)
    try:
        server.start()
    except (subprocess.SubprocessError, OSError) as error:
        log = server.log.read_text(errors="replace") if server.log.exists() else ""
        server.stop()
        detail = getattr(error, "stderr", "") or ""
        pytest.fail(f"PostgreSQL did not start: {error}\n{detail}\n{log}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:
    """A fresh empty PostgreSQL database for one test, dropped afterwards."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """An empty database on each backend: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sote.sqlite'}"
    return request.getfixturevalue("pg_url")


# --- the example data on PostgreSQL, loaded once per run (per worker) --------------------------


@pytest.fixture(scope="session")
def pg_example_template(pg_server) -> str:
    """The example data on the session's server, loaded once (``load_demo``, as for the SQLite
    ``demo_db_url``) into a database nobody else connects to: the template of the two fixtures
    below (PostgreSQL copies a database only while nobody is connected to it)."""
    from sotedata.demo.generator import load_demo
    from sotedata.store.engine import Store

    url = pg_server.create_database()
    with Store.open(url) as store:
        load_demo(store)
    return url


@pytest.fixture(scope="session")
def pg_demo_db_url(pg_server, pg_example_template) -> str:
    """The example data on PostgreSQL, shared by the tests of the run that only read it (a test
    that writes takes ``pg_demo_copy_url``)."""
    return pg_server.copy_database(pg_example_template)


@pytest.fixture
def pg_demo_copy_url(pg_server, pg_example_template) -> Iterator[str]:
    """The example data on PostgreSQL as this test's own database, to write to."""
    url = pg_server.copy_database(pg_example_template)
    yield url
    pg_server.drop_database(url)


@pytest.fixture(params=BACKENDS)
def demo_copy_db_url(request) -> str:
    """``db_url`` holding the example data: this test's own copy on each backend (SQLite: of
    ``demo_db_url``, tests/conftest.py)."""
    name = "demo_copy_url" if request.param == "sqlite" else "pg_demo_copy_url"
    return request.getfixturevalue(name)
