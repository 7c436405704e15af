"""The `sote import` contract: exit codes 0/1/2, one JSON object, the same JSON as the API."""

import json
import subprocess
import sys
from datetime import date

import pytest

from sotedata.cli import main
from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import import_file
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

ROADMAP = default_roadmap([Measure("H-01", "Hallintosääntö", 3, "hallinto", True, None)])


def _tila(rows) -> bytes:
    return xlsx({"Tila": rows})


HEADER = ["Alue", "Aluekoodi", "Tunnus", "Tila", "Pvm"]
GOOD = _tila(
    [
        HEADER,
        ["Lappi", "21", "H-01", "Valmis", "31.10.2026"],
        ["Kainuu", "", "H-01", "Kesken", "31.10.2026"],
    ]
)
BAD = _tila([HEADER, ["Lapin hyvinvoitialue", "", "H-01", "Valmis", "31.10.2026"]])


@pytest.fixture
def files(tmp_path, db_url):
    url = db_url  # SQLite and PostgreSQL (tests/support/pg.py)
    with Store.open(url) as store:
        store.save_roadmap(ROADMAP)
    (tmp_path / "hyva.xlsx").write_bytes(GOOD)
    (tmp_path / "huono.xlsx").write_bytes(BAD)
    return tmp_path, url


def _json(capsys) -> dict:
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object, one line
    return json.loads(out)


def test_accepted_file_exits_0_and_is_stored(files, capsys):
    folder, url = files
    assert main(["import", str(folder / "hyva.xlsx"), "--db", url, "--json"]) == 0
    body = _json(capsys)
    assert body["ok"] and body["import_id"] == 2 and body["counts"]["areas"] == ["20", "21"]
    with Store.open(url) as store:
        assert len(store.status_reports()) == 2


def test_dry_run_exits_0_and_stores_nothing(files, capsys):
    folder, url = files
    assert main(["import", str(folder / "hyva.xlsx"), "--db", url, "--dry-run", "--json"]) == 0
    body = _json(capsys)
    assert body["ok"] and body["dry_run"] and body["import_id"] is None
    with Store.open(url) as store:
        assert store.status_reports().empty


def test_rejected_file_exits_1_with_the_cell_and_the_suggestion(files, capsys):
    folder, url = files
    assert main(["import", str(folder / "huono.xlsx"), "--db", url, "--json"]) == 1
    error = _json(capsys)["errors"][0]
    assert (error["code"], error["cell"]) == ("unknown_area", "A2")
    assert "Lappi" in error["suggestion"]


def test_text_output_names_the_cell(files, capsys):
    folder, url = files
    assert main(["import", str(folder / "huono.xlsx"), "--db", url]) == 1
    err = capsys.readouterr().err
    assert "huono.xlsx › Tila › A2" in err and "Mitään ei tallennettu" in err


@pytest.mark.parametrize(
    "args",
    [
        ["import", "ei-ole.xlsx"],
        ["import", "{folder}/hyva.xlsx", "--reported-on", "31.10.2026"],
        ["import"],
        ["import", "{folder}/hyva.xlsx", "--no-such-option"],
    ],
)
def test_usage_errors_exit_2(files, args, capsys):
    folder, url = files
    argv = [a.format(folder=folder) for a in args] + ["--db", url]
    assert main(argv) == 2
    assert capsys.readouterr().out == ""


def test_reported_on_sets_every_date(files, capsys):
    folder, url = files
    argv = ["import", str(folder / "hyva.xlsx"), "--db", url, "--reported-on", "2026-01-15"]
    assert main(argv) == 0
    with Store.open(url) as store:
        assert set(store.status_reports()["reported_on"]) == {date(2026, 1, 15)}


def test_cli_json_equals_the_python_api(files, tmp_path, capsys):
    folder, url = files
    for name in ("hyva.xlsx", "huono.xlsx"):
        main(["import", str(folder / name), "--db", url, "--dry-run", "--json"])
        from_cli = _json(capsys)
        with Store.open(url) as store:
            data = (folder / name).read_bytes()
            from_api = import_file(store, data, name, dry_run=True).to_json()
        assert from_cli == from_api


def test_sote_import_as_a_process(files):
    folder, url = files
    command = [sys.executable, "-m", "sotedata.cli", "import", str(folder / "huono.xlsx")]
    done = subprocess.run(
        [*command, "--db", url, "--json"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1, done.stderr
    body = json.loads(done.stdout)
    assert body["ok"] is False and body["errors"][0]["cell"] == "A2"
    good = [sys.executable, "-m", "sotedata.cli", "import", str(folder / "hyva.xlsx")]
    done = subprocess.run([*good, "--db", url], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "tuotiin" in done.stdout


def test_an_unreachable_database_is_still_one_json_object(files, capsys):
    folder, _ = files
    argv = ["import", str(folder / "hyva.xlsx"), "--db", "nosuchdriver://x", "--json"]
    assert main(argv) == 1
    body = _json(capsys)
    assert body["ok"] is False and body["errors"][0]["code"] == "database_unreachable"


def test_a_folder_is_not_a_file(files, capsys):
    folder, url = files
    assert main(["import", str(folder), "--db", url]) == 2
