"""Several processes on one database, as several app instances or CLI runs share one in a team.

Real processes (``sote import`` and small Python children), bounded in number and in time: every
wait has a timeout, so a deadlock fails the test instead of hanging the run. ``db_url`` runs each
test on SQLite and on the session's PostgreSQL server (tests/support/pg.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest

from sotedata.domain.areas import reform_areas
from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import import_file, parse_file
from sotedata.store import db
from sotedata.store.engine import Store, head_revision

MEASURES = [Measure(f"M-{i:02}", f"Toimenpide {i}", 3, "hallinto", False, None) for i in range(40)]
ROADMAP = default_roadmap(MEASURES)
AREAS = reform_areas()
DEADLINE = 180  # seconds for any group of children: generous on two shared cores


def _csv(areas, measures, days) -> bytes:
    """A long-form status file: one row per area × measure × day."""
    lines = ["Hyvinvointialue;Tunnus;Tila;Tilannepäivä"]
    for day in days:
        for area in areas:
            for measure in measures:
                lines.append(f"{area.name('fi')};{measure.id};Käynnissä;{day:%d.%m.%Y}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _days(count: int, first: date = date(2026, 1, 1)) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def _sote(*args: str) -> list[str]:
    return [sys.executable, "-m", "sotedata.cli", *args]


def _wait_all(children: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    """Every child's (exit code, stdout, stderr), all within DEADLINE; stragglers are killed."""
    end = time.monotonic() + DEADLINE
    results = []
    try:
        for child in children:
            out, err = child.communicate(timeout=max(1.0, end - time.monotonic()))
            results.append((child.returncode, out, err))
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=30)
    return results


def _with_roadmap(url: str) -> None:
    with Store.open(url) as store:
        store.save_roadmap(ROADMAP)


def test_eight_parallel_sote_imports_on_postgresql_lose_nothing(pg_url, tmp_path):
    """Eight ``sote import`` processes at once on PostgreSQL, the shared deployment's database
    (on SQLite, test_ingest_importer.py runs two imports at once)."""
    db_url = pg_url
    _with_roadmap(db_url)
    files = []
    for i, area in enumerate(AREAS[:8]):
        path = tmp_path / f"tila-{area.code}.csv"
        path.write_bytes(_csv([area], MEASURES[:10], _days(3, date(2026, 1, 1 + i))))
        files.append(path)
    children = [
        subprocess.Popen(
            _sote("import", str(path), "--db", db_url, "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    results = _wait_all(children)
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    bodies = [json.loads(out) for _, out, _ in results]
    assert all(body["ok"] for body in bodies)
    assert len({body["import_id"] for body in bodies}) == 8
    with Store.open(db_url) as store:
        reports = store.status_reports()
        imports = store.imports()
    assert len(reports) == 8 * 10 * 3
    assert reports.groupby("area_code").size().to_dict() == {a.code: 30 for a in AREAS[:8]}
    files_imported = imports[imports["kind"] == "file"]
    assert sorted(files_imported["id"]) == sorted(body["import_id"] for body in bodies)
    assert set(files_imported["row_count"]) == {30}


def test_the_same_file_saved_by_four_sessions_at_once_is_stored_once(db_url):
    """A re-upload stores nothing new, also when the uploads race each other: four stores (four
    engines, as four app instances have) save the same parsed file at the same moment."""
    _with_roadmap(db_url)
    data = _csv(AREAS[:2], MEASURES[:5], _days(2))
    parsed = parse_file(data, "tila.csv", roadmap=ROADMAP)
    assert parsed.ok
    stores = [Store.open(db_url) for _ in range(4)]
    start = threading.Barrier(len(stores), timeout=60)
    ids: list[int] = []
    failures: list[BaseException] = []

    def save(store: Store) -> None:
        try:
            start.wait()
            ids.append(store.save_import(parsed, user="x"))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=save, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE)
    for store in stores:
        store.close()
    assert not any(thread.is_alive() for thread in threads)
    assert failures == [] and len(ids) == 4 and len(set(ids)) == 1
    with Store.open(db_url) as store:
        assert len(store.status_reports()) == 2 * 5 * 2
        assert (store.imports()["kind"] == "file").sum() == 1


_OPENER = """
import sys, time
from pathlib import Path
from sotedata.store.engine import Store

url, go = sys.argv[1:3]
print("ready", flush=True)
end = time.monotonic() + 120
while not Path(go).exists() and time.monotonic() < end:
    time.sleep(0.005)
with Store.open(url) as store:
    print(store.revision(), flush=True)
"""


def test_instances_starting_at_once_on_a_new_database_all_get_the_schema(db_url, tmp_path):
    """Several app instances started together on an empty database: one creates the schema, the
    others wait for it and find it done (no "table already exists", no half-made schema)."""
    go = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _OPENER, db_url, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for child in children:  # all have imported the program before any opens the database
        assert child.stdout.readline().strip() == "ready"
    go.touch()
    results = _wait_all(children)
    assert [code for code, _, _ in results] == [0] * 3, [err for _, _, err in results]
    assert {out.split()[-1] for _, out, _ in results} == {head_revision()}
    with Store.open(db_url) as store:
        assert store.revision() == head_revision() and store.is_empty()


_INSTANCE = """
import json, sys, time
from pathlib import Path
from sotedata.ingest import import_file
from sotedata.store.engine import Store

url, path, own, other = sys.argv[1:5]
# one Store for the life of the process, as a Streamlit server keeps one (st.cache_resource)
with Store.open(url) as store:
    report = import_file(store, Path(path).read_bytes(), Path(path).name)
    Path(own).touch()
    end = time.monotonic() + 120
    while not Path(other).exists() and time.monotonic() < end:
        time.sleep(0.05)
    imports = store.imports()
    print(json.dumps({
        "ok": report.ok,
        "import_id": report.import_id,
        "imports": sorted(int(i) for i in imports[imports["kind"] == "file"]["id"]),
        "areas": store.status_reports().groupby("area_code").size().to_dict(),
    }))
"""


def test_two_instances_each_see_the_others_import(db_url, tmp_path):
    _with_roadmap(db_url)
    lappi, kainuu = (a for a in AREAS if a.code in ("21", "20"))
    paths = []
    for area in (lappi, kainuu):
        path = tmp_path / f"tila-{area.code}.csv"
        path.write_bytes(_csv([area], MEASURES, _days(5)))
        paths.append(path)
    flags = [tmp_path / "first-done", tmp_path / "second-done"]
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _INSTANCE,
                db_url,
                *map(str, (paths[i], flags[i], flags[1 - i])),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (0, 1)
    ]
    results = _wait_all(children)
    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    views = [json.loads(out) for _, out, _ in results]
    assert all(view["ok"] for view in views)
    both = sorted(view["import_id"] for view in views)
    assert len(set(both)) == 2
    for view in views:  # each sees its own import and the other's, whole
        assert view["imports"] == both
        assert view["areas"] == {"20": 40 * 5, "21": 40 * 5}


def _open_transactions(url: str) -> int:
    """Sessions other than ours inside a transaction that has written (the import record first)."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        ).fetchone()
    return int(row[0])


def test_sote_import_killed_while_storing_leaves_no_trace_on_postgresql(pg_url, tmp_path):
    """kill -9 of a real ``sote import`` once its transaction has started writing (the import
    record is written first, then a large file's rows)."""
    _with_roadmap(pg_url)
    path = tmp_path / "suuri.csv"
    path.write_bytes(_csv(AREAS, MEASURES, _days(60)))  # 22 × 40 × 60 = 52 800 rows
    with Store.open(pg_url) as store:
        before = (len(store.status_reports()), len(store.imports()))
    child = subprocess.Popen(
        _sote("import", str(path), "--db", pg_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        end = time.monotonic() + DEADLINE
        while not _open_transactions(pg_url):
            assert child.poll() is None, "the import finished before it could be killed"
            assert time.monotonic() < end, "the import never started writing"
            time.sleep(0.01)
    finally:
        child.kill()
        child.wait(timeout=30)
    end = time.monotonic() + 60  # the server rolls back once it notices the client is gone
    while _open_transactions(pg_url) and time.monotonic() < end:
        time.sleep(0.05)
    with Store.open(pg_url) as store:
        assert (len(store.status_reports()), len(store.imports())) == before
        with store.engine.connect() as connection:
            files = db.imports.select().where(db.imports.c.kind == "file")
            assert connection.execute(files).all() == []
        # and the dead writer's lock is gone: the next import is stored
        small = import_file(store, _csv(AREAS[:1], MEASURES[:1], _days(1)), "pieni.csv")
        assert small.ok and len(store.status_reports()) == before[0] + 1


def test_a_writer_waits_for_the_other_and_gives_up_cleanly_after_the_wait(db_url, monkeypatch):
    """One writer at a time: a second one waits until the first commits; if the first holds on
    longer than WRITE_WAIT_SECONDS, the second gives up with database_busy and stores nothing."""
    from sotedata.domain.errors import SoteError
    from sotedata.store import engine as store_module

    _with_roadmap(db_url)
    parsed = parse_file(_csv(AREAS[:1], MEASURES[:2], _days(1)), "tila.csv", roadmap=ROADMAP)
    assert parsed.ok

    def hold_the_turn(holder: Store, holding: threading.Event, release: threading.Event, ends):
        with holder.transaction():  # takes the write lock at its start
            holding.set()
            release.wait(timeout=DEADLINE)
        ends.append(time.monotonic())

    def holding_thread(holder: Store):
        holding, release, ends = threading.Event(), threading.Event(), []
        thread = threading.Thread(target=hold_the_turn, args=(holder, holding, release, ends))
        thread.start()
        assert holding.wait(timeout=DEADLINE)
        return thread, release, ends

    monkeypatch.setattr(store_module, "WRITE_WAIT_SECONDS", 1)
    with Store.open(db_url) as holder, Store.open(db_url) as impatient:
        thread, release, _ = holding_thread(holder)
        try:
            with pytest.raises(SoteError) as raised:
                impatient.save_import(parsed, user="x")
        finally:
            release.set()
            thread.join(timeout=DEADLINE)
        assert raised.value.issues[0].code == "database_busy"
        assert impatient.find_import_by_sha256(parsed.sha256) is None

    monkeypatch.setattr(store_module, "WRITE_WAIT_SECONDS", 60)
    with Store.open(db_url) as holder, Store.open(db_url) as patient:
        thread, release, ends = holding_thread(holder)
        saved: list[float] = []
        saver = threading.Thread(
            target=lambda: (patient.save_import(parsed, user="x"), saved.append(time.monotonic()))
        )
        saver.start()
        time.sleep(0.3)  # the saver is waiting for its turn now
        assert saved == []
        release.set()
        thread.join(timeout=DEADLINE)
        saver.join(timeout=DEADLINE)
        assert saved and ends and saved[0] > ends[0]  # it finished after the holder, whole
        assert patient.find_import_by_sha256(parsed.sha256) is not None
        assert len(patient.status_reports()) == 2
