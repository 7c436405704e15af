"""The same program on SQLite and PostgreSQL: the CLI gives the same answers, the app's pages run.

The store's own behaviour on both backends is tested in test_store.py and test_ingest_importer.py
(their ``store`` fixtures take ``db_url``); this file runs what a user runs — ``sote demo``,
``sote summary``, ``sote import`` and the pages — against the session's PostgreSQL server
(tests/support/pg.py) and compares with SQLite.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.cli import main
from sotedata.store.engine import Store, head_revision

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def pg_demo_url(pg_demo_db_url):
    """The run's PostgreSQL database holding the example data (read only; tests/support/pg.py).
    ``sote demo`` itself loads on PostgreSQL in ``test_sote_import_stores_and_refuses…``."""
    return pg_demo_db_url


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_sote_demo_and_summary_give_the_same_figures_on_sqlite_and_postgresql(
    pg_demo_url, demo_db_url, capsys
):
    capsys.readouterr()
    assert main(["summary", "--json", "--db", demo_db_url]) == 0
    on_sqlite = _json(capsys)
    assert main(["summary", "--json", "--db", pg_demo_url]) == 0
    on_postgresql = _json(capsys)
    assert on_postgresql == on_sqlite
    assert main(["summary", "--json", "--as-of", "2022-06-15", "--db", pg_demo_url]) == 0
    halfway_pg = _json(capsys)
    assert main(["summary", "--json", "--as-of", "2022-06-15", "--db", demo_db_url]) == 0
    assert halfway_pg == _json(capsys) != on_sqlite


def test_the_data_reads_back_equal_on_sqlite_and_postgresql(pg_demo_url, demo_db_url):
    with Store.open(pg_demo_url) as pg, Store.open(demo_db_url) as lite:
        assert pg.revision() == lite.revision() == head_revision()
        assert pg.load_roadmap() == lite.load_roadmap()
        assert pg.status_reports().equals(lite.status_reports())
        assert pg.risk_ratings().equals(lite.risk_ratings())
        assert pg.reporting_dates() == lite.reporting_dates()
        assert pg.is_example() and lite.is_example()
        assert isinstance(pg.reporting_dates()[0], date)


def test_sote_import_stores_and_refuses_on_postgresql(pg_url, demo_db_url, tmp_path, capsys):
    assert main(["demo", "--db", pg_url]) == 0
    capsys.readouterr()
    assert main(["summary", "--json", "--db", pg_url]) == 0
    on_postgresql = _json(capsys)
    assert main(["summary", "--json", "--db", demo_db_url]) == 0
    assert on_postgresql == _json(capsys)  # sote demo gives the same figures on both
    with Store.open(pg_url) as store:
        measure = store.load_roadmap().measures[0].id
    good = tmp_path / "tila.csv"
    good.write_text(
        f"Hyvinvointialue;Tunnus;Tila;Tilannepäivä\nLappi;{measure};Valmis;15.1.2023\n"
        f"Kainuu;{measure};Viivästynyt;15.1.2023\n",
        "utf-8",
    )
    bad = tmp_path / "huono.csv"
    bad.write_text(
        f"Hyvinvointialue;Tunnus;Tila;Tilannepäivä\nLappi;{measure};outo;15.1.2023\n", "utf-8"
    )
    capsys.readouterr()
    assert main(["import", str(bad), "--json", "--db", pg_url]) == 1
    assert _json(capsys)["ok"] is False
    assert main(["import", str(good), "--json", "--db", pg_url]) == 0
    body = _json(capsys)
    assert body["ok"] is True and body["counts"]["status"] == 2
    with Store.open(pg_url) as store:
        latest = store.status_reports(date(2023, 1, 15))
        latest = latest[latest["reported_on"] == date(2023, 1, 15)]
        assert sorted(latest["area_code"]) == ["20", "21"]
        history = store.imports()
        assert history.iloc[-1]["id"] == body["import_id"]
        assert history.iloc[-1]["loaded_at"].tzinfo is not None
        store.revert_import(body["import_id"])
        assert store.status_reports(date(2023, 1, 15))["reported_on"].max() < date(2023, 1, 15)


@pytest.mark.parametrize("page", ["pages/national.py", "pages/area.py", "pages/upload.py"])
def test_the_pages_run_on_postgresql(pg_demo_url, monkeypatch, tmp_path, page):
    monkeypatch.setenv("SOTE_DATABASE_URL", pg_demo_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if page != "pages/national.py":
        at.query_params["alue"] = "21"
        at.switch_page(page)
        at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.get("vega_lite_chart") or page == "pages/upload.py"


def test_a_row_the_database_refuses_rejects_the_whole_file_on_both_backends(db_url):
    """The database's own constraints still guard the bulk path (COPY on PostgreSQL): a measure
    removed between the check and the save makes the save a clean rejection, nothing stored."""
    from sotedata.domain.errors import SoteError
    from sotedata.domain.model import Measure, default_roadmap
    from sotedata.ingest import parse_file

    kept, gone = (Measure(i, i, 3, "hallinto", False, None) for i in ("K-01", "G-01"))
    with Store.open(db_url) as store:
        store.save_roadmap(default_roadmap([kept, gone]))
        data = "Hyvinvointialue;Tunnus;Tila;Tilannepäivä\n" + "".join(
            f"{area};{measure};Valmis;15.1.2023\n"
            for area in ("Lappi", "Kainuu")
            for measure in ("K-01", "G-01")
        )
        parsed = parse_file(data.encode(), "tila.csv", roadmap=store.load_roadmap())
        assert parsed.ok
        store.save_roadmap(default_roadmap([kept]))  # G-01 had no reports: it may go
        before = (len(store.status_reports()), len(store.imports()))
        with pytest.raises(SoteError) as raised:
            store.save_import(parsed, user="x")
        assert raised.value.issues[0].code == "database_rejected"
        assert (len(store.status_reports()), len(store.imports())) == before


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_without_postgresql_the_tests_fail_on_ci_and_skip_elsewhere(tmp_path, ci, outcome):
    """With CI=true a missing server is a failure, never a skip (tests/support/pg.py's
    pg_server)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    (tmp_path / "conftest.py").write_text(
        "from tests.support.pg import pg_server, pg_url  # noqa\n"
    )
    (tmp_path / "test_needs_pg.py").write_text("def test_it(pg_url):\n    assert pg_url\n")
    env = {**os.environ, "SOTE_PG_BINDIR": str(tmp_path / "none"), "CI": ci}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in done.stdout, done.stdout
    assert (done.returncode == 0) == (ci != "true")
    if ci == "true":
        assert "CI=true: a missing server is a failure" in done.stdout
