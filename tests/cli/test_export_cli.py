"""``sote export``: exit codes, the same bytes as the page for the same filters, and the round
trip (an exported status table imports back through ``sote import`` and changes nothing)."""

from __future__ import annotations

import io
import json
import shutil
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from sotedata.cli import main
from sotedata.exports.files import export_bytes
from sotedata.ingest import parse_file, preview_changes
from sotedata.ingest.importer import store_roadmap
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, sources_from_store
from tests.support.example_db import copy_of

NOW = "2026-11-23T10:15:00"


@pytest.fixture
def demo_db_url(demo_db_url, tmp_path_factory) -> str:
    """The run's example database as a copy per test: an export or a pack that succeeds writes
    its row into the audit trail."""
    return copy_of(demo_db_url, tmp_path_factory.mktemp("example"))


@pytest.fixture
def own_db(demo_db_url, tmp_path):
    """A private copy of the example database (the round trip writes to it)."""
    source = demo_db_url.removeprefix("sqlite:///")
    target = tmp_path / "sote.sqlite"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def page_bytes(url: str, params: dict, fmt: str) -> bytes:
    """What the tables page offers for these URL parameters (the same calls the page makes)."""
    with Store.open(url) as store:
        sources = sources_from_store(store)
    query, issues = TableQuery.from_query(params, sources.frames.work_streams)
    assert not issues
    return export_bytes(build_table(query, sources, "fi"), fmt, datetime.fromisoformat(NOW))


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-fi"])
def test_cli_writes_the_same_bytes_as_the_page(demo_db_url, tmp_path, fmt, capsys):
    out = tmp_path / f"out.{fmt}"
    code = main(
        [
            "export",
            "--db",
            demo_db_url,
            "--format",
            fmt,
            "--area",
            "Lappi",
            "01",
            "--phase",
            "3",
            "--as-of",
            "2022-06-15",
            "--out",
            str(out),
            "--now",
            NOW,
        ]
    )
    assert code == 0
    assert "Kirjoitettu" in capsys.readouterr().out
    params = {"alue": ["21", "Itä-Uusimaa"], "vaihe": "3", "pvm": "2022-06-15"}
    assert out.read_bytes() == page_bytes(demo_db_url, params, fmt)


def test_csv_goes_to_stdout_without_out(demo_db_url, capsysbinary):
    code = main(
        ["export", "--db", demo_db_url, "--table", "risks", "--format", "csv", "--risk-min", "15"]
    )
    assert code == 0
    data = capsysbinary.readouterr().out
    assert data == page_bytes(demo_db_url, {"taulu": "riskit", "riski": "15"}, "csv")
    assert data.startswith(b"Aluekoodi,Alue,Riskin tunnus")


def test_xlsx_without_out_gets_its_descriptive_name(demo_db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", demo_db_url, "--area", "21", "--phase", "3"]) == 0
    written = tmp_path / "tilannekuva_2022-12-15_lappi_vaihe-3.xlsx"
    assert written.exists(), list(tmp_path.iterdir())
    assert str(written.name) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "Atlantis"], "Atlantis"),
        (["--area", "Ahvenanmaa"], "Ahvenanmaa"),
        (["--as-of", "15.6.2022"], "15.6.2022"),
        (["--work-stream", "avaruus"], "avaruus"),
        (["--status", "melkein"], "melkein"),
        (["--risk-min", "30"], "1–25"),
        (["--now", "huomenna"], "huomenna"),
    ],
)
def test_values_that_name_nothing_are_usage_errors(demo_db_url, capsys, args, message):
    assert main(["export", "--db", demo_db_url, "--format", "csv", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_bad_option_values_are_usage_errors(demo_db_url, capsys):
    assert main(["export", "--db", demo_db_url, "--table", "kaikki"]) == 2
    assert main(["export", "--db", demo_db_url, "--phase", "7"]) == 2


def test_empty_database_is_a_data_problem(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'tyhja.sqlite'}"
    assert main(["export", "--db", url, "--format", "csv"]) == 1
    assert "sote demo" in capsys.readouterr().err


def test_unwritable_output_is_reported_without_a_traceback(demo_db_url, tmp_path, capsys):
    blocker = tmp_path / "tiedosto"
    blocker.write_text("x")
    code = main(["export", "--db", demo_db_url, "--out", str(blocker / "alla.xlsx")])
    assert code == 2
    assert "alla.xlsx" in capsys.readouterr().err


# --- the round trip -------------------------------------------------------------------------------


def _picture(url: str) -> dict:
    """Every area × measure status on every reporting date, and the import count."""
    with Store.open(url) as store:
        frames = metrics.load_frames(store)
        dates = store.reporting_dates()
        imports = len(store.imports())
    return {
        day: metrics.status_as_of(frames.measures, frames.reports, day)[
            ["area_code", "measure_id", "status", "reported_on", "comment"]
        ]
        for day in dates
    } | {"imports": imports}


@pytest.mark.parametrize("fmt", ["xlsx", "csv-fi"])
def test_exported_status_table_imports_back_and_changes_nothing(own_db, tmp_path, fmt, capsys):
    out = tmp_path / f"tilanne.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    assert main(["export", "--db", own_db, "--format", fmt, "--out", str(out)]) == 0
    data = out.read_bytes()
    with Store.open(own_db) as store:
        parsed = parse_file(data, out.name, roadmap=store_roadmap(store))
        assert parsed.ok, [e.render() for e in parsed.errors]
        preview = preview_changes(store, parsed)
        measures = len(store.load_roadmap().measures)
    assert len(parsed.status_reports) == 22 * measures
    assert int(preview["statuses_changed"].sum()) == 0
    assert int(preview["new_measures_reported"].sum()) == 0
    assert len(preview) == 22  # every area was read
    before = _picture(own_db)
    capsys.readouterr()
    assert main(["import", str(out), "--db", own_db, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["errors"] == []
    assert report["counts"]["status"] == len(parsed.status_reports)
    assert not [w for w in report["warnings"] if w["code"] != "ignored_sheet"]
    after = _picture(own_db)
    assert after.pop("imports") == before.pop("imports") + 1
    assert after.keys() == before.keys()
    for day, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[day])


def test_round_trip_file_holds_what_the_table_shows(own_db, tmp_path):
    out = tmp_path / "lappi.xlsx"
    assert main(["export", "--db", own_db, "--area", "21", "--out", str(out)]) == 0
    sheet = load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]
    statuses = {row[8] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"Ei aloitettu", "Käynnissä", "Valmis", "Viivästynyt", "Ei koske"}


def test_postgresql_exports_the_same_bytes_as_sqlite(pg_demo_copy_url, demo_db_url, tmp_path):
    """The same example data on both backends gives byte-identical files (``sote demo`` on
    PostgreSQL: tests/store/test_store_backends.py)."""
    pg_url = pg_demo_copy_url  # its own: every export writes an audit row
    cases = [
        ["--format", "xlsx", "--area", "21", "--as-of", "2022-06-15"],
        ["--table", "risks", "--format", "csv-fi"],
        ["--table", "changes", "--format", "csv", "--phase", "2"],
    ]
    for number, args in enumerate(cases):
        files = []
        for name, url in (("sqlite", demo_db_url), ("pg", pg_url)):
            out = tmp_path / f"{name}-{number}"
            assert main(["export", "--db", url, *args, "--out", str(out), "--now", NOW]) == 0
            files.append(out.read_bytes())
        assert files[0] == files[1], args
