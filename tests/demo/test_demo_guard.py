"""``sote demo`` never destroys what a person stored, and ``make run`` (which calls it) keeps it."""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sotedata.cli import main
from sotedata.demo.generator import build_indicators
from sotedata.domain.access import Principal
from sotedata.domain.i18n import t
from sotedata.ingest.report import ParsedFile
from sotedata.rules import notes
from sotedata.rules.grants import Grant
from sotedata.store import holdings as demo_guard
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from tests.support.pg import BACKENDS

ROOT = Path(__file__).resolve().parents[2]
OPENING = Principal.open("asennus", channel="cli")


def _note(store: Store) -> None:
    note = notes.Note("21", date(2026, 10, 1), "Lapin kokouksen muistiinpano", "meeting")
    accounts.add_note(store, OPENING, note)


def _indicators(store: Store) -> None:
    indicators, values = build_indicators(random.Random(1))
    first = [v for v in values if v.indicator == indicators[0].key][:5]
    store.save_import(
        ParsedFile(
            "indikaattorit.csv", "a" * 64, indicators=[indicators[0]], indicator_values=first
        )
    )


def _grants(store: Store) -> None:
    grant = Grant("21", "Lapin hyvinvointikeskus", 120000.0, date(2026, 9, 30))
    store.save_import(ParsedFile("avustukset.xlsx", "b" * 64, grants=[grant]))


def _user(store: Store) -> None:
    accounts.set_user(store, OPENING, "paa@stm.fi", "yllapitaja")


FILLERS = {"notes": _note, "indicators": _indicators, "grants": _grants, "users": _user}


@pytest.fixture
def url(tmp_path, monkeypatch):
    monkeypatch.delenv("SOTE_USER", raising=False)
    return f"sqlite:///{tmp_path / 'sote.sqlite'}"


@pytest.fixture
def example_url(demo_copy_url, monkeypatch):
    """A database holding the example data as ``load_demo`` leaves it (a copy of the run's)."""
    monkeypatch.delenv("SOTE_USER", raising=False)
    return demo_copy_url


def _snapshot(url: str) -> dict[str, int]:
    with Store.open(url) as store:
        return demo_guard.holdings(store)


@pytest.mark.parametrize("kind", sorted(FILLERS))
def test_if_empty_keeps_a_database_holding_only_one_kind_of_thing(kind, url, capsys):
    with Store.open(url) as store:
        FILLERS[kind](store)
        before = demo_guard.holdings(store)
    assert kind in before and "measures" not in before  # no roadmap: the old check saw "empty"
    capsys.readouterr()
    assert main(["demo", "--if-empty", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "ei ladattu" in out and f"{t(f'rights.held.{kind}', 'fi')}: " in out
    assert _snapshot(url) == before  # nothing replaced, nothing added (not even an audit row)
    with Store.open(url) as store:
        assert not store.is_example()


def test_the_reason_is_given_in_the_chosen_language(url, capsys):
    with Store.open(url) as store:
        _note(store)
    assert main(["demo", "--if-empty", "--db", url, "--kieli", "en"]) == 0
    out = capsys.readouterr().out
    assert "was not loaded and nothing was replaced" in out and "notes: 1" in out


@pytest.mark.parametrize("kind", ["notes", "indicators", "grants"])
def test_without_force_data_that_is_not_example_data_is_refused(kind, url, capsys):
    with Store.open(url) as store:
        FILLERS[kind](store)
    before = _snapshot(url)
    capsys.readouterr()
    assert main(["demo", "--db", url]) == 1
    err = capsys.readouterr().err
    assert "--force" in err and t(f"rights.held.{kind}", "fi") in err
    assert _snapshot(url) == before


def test_a_database_of_only_users_gets_the_example_from_an_administrator_only(url, capsys):
    """Nothing is destroyed (users stay), but the database is in use: loading is an act the
    administrator answers for, by name."""
    with Store.open(url) as store:
        _user(store)
        accounts.set_user(store, OPENING, "stm@stm.fi", "ministerio")
    assert main(["demo", "--db", url]) == 1  # nobody named
    assert main(["demo", "--user", "stm@stm.fi", "--db", url]) == 1
    assert "esimerkkiaineistolla" in capsys.readouterr().err
    assert "measures" not in _snapshot(url)
    assert main(["demo", "--user", "paa@stm.fi", "--db", url]) == 0
    with Store.open(url) as store:
        assert store.is_example() and len(accounts.users(store)) == 2


def test_force_by_a_non_administrator_is_refused_and_by_an_administrator_audited(
    url, capsys, monkeypatch
):
    with Store.open(url) as store:
        _note(store)
        _user(store)
        accounts.set_user(store, OPENING, "lappi@x.fi", "valmistelija", ["21"])
    before = _snapshot(url)
    monkeypatch.setenv("SOTE_USER", "lappi@x.fi")
    assert main(["demo", "--force", "--db", url]) == 1
    assert "lappi@x.fi" in capsys.readouterr().err
    assert _snapshot(url) == before
    monkeypatch.setenv("SOTE_USER", "paa@stm.fi")
    assert main(["demo", "--force", "--db", url]) == 0
    with Store.open(url) as store:
        assert store.is_example()
        row = accounts.audit_log(store).iloc[0]
        assert list(store.notes()["text"]).count("Lapin kokouksen muistiinpano") == 0
    assert (row["actor"], row["channel"], row["action"]) == ("paa@stm.fi", "cli", "demo")
    details = json.loads(row["details"])
    assert details["forced"] is True and details["replaced"]["notes"] == 1
    assert row["target"] == "2021"  # the seed


def test_example_data_is_reloaded_without_force_but_a_note_on_top_of_it_needs_force(
    example_url, capsys
):
    url = example_url
    with Store.open(url) as store:
        assert demo_guard.at_risk(store) == {}
    assert main(["demo", "--db", url]) == 0  # only example data: replaced as before
    with Store.open(url) as store:
        _note(store)  # written on the area page (no import)
        assert demo_guard.at_risk(store) == {"notes": 1}
    assert main(["demo", "--db", url]) == 1
    assert "muistiinpanot: 1" in capsys.readouterr().err
    assert main(["demo", "--force", "--db", url]) == 0


def test_a_file_imported_on_top_of_the_example_is_at_risk(example_url):
    with Store.open(example_url) as store:
        _grants(store)
        assert demo_guard.at_risk(store) == {"grants": 1, "imports": 1}


def test_loading_into_an_empty_database_writes_an_audit_row(url):
    assert main(["demo", "--if-empty", "--db", url]) == 0
    with Store.open(url) as store:
        assert store.is_example()
        log = accounts.audit_log(store)
    assert list(log["action"]) == ["demo"] and list(log["channel"]) == ["cli"]
    assert json.loads(log.iloc[0]["details"]) == {"forced": False, "replaced": {}}


def test_every_table_name_in_the_message_has_text_in_every_language():
    for lang in ("fi", "sv", "en"):
        for name in demo_guard.HELD_TABLES:
            assert t(f"rights.held.{name}", lang) != f"rights.held.{name}"


# --- make run -------------------------------------------------------------------------------


def _make_run(env: dict[str, str]) -> list[str]:
    if shutil.which("make") is None:  # pragma: no cover - make is part of the documented setup
        pytest.skip("make is not installed")
    done = subprocess.run(
        ["make", "-n", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    joined = done.stdout.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip()]


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("SOTE_", "MAKE"))}


def test_make_run_loads_only_if_empty_and_listens_on_this_machine_unless_told():
    lines = _make_run(_clean_env())
    demo = next(i for i, line in enumerate(lines) if " demo" in line)
    serve = next(i for i, line in enumerate(lines) if "streamlit run app.py" in line)
    assert demo < serve and "--if-empty" in lines[demo].split()
    words = lines[serve].split()
    assert words[words.index("--server.address") + 1] == "127.0.0.1"
    lines = _make_run({**_clean_env(), "SOTE_ADDRESS": "10.1.2.3"})
    words = next(line for line in lines if "streamlit run app.py" in line).split()
    assert words[words.index("--server.address") + 1] == "10.1.2.3"


def test_make_runs_own_demo_command_keeps_a_database_with_only_notes(tmp_path):
    """The very command line ``make run`` starts with, on a database holding one note."""
    url = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    with Store.open(url) as store:
        _note(store)
    env = {**_clean_env(), "SOTE_DATABASE_URL": url}
    command = next(line for line in _make_run(env) if " demo" in line)
    words = shlex.split(command)
    words[0] = str(Path(sys.executable).with_name("sote"))  # the venv's, wherever BIN points
    done = subprocess.run(words, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ei ladattu" in done.stdout
    with Store.open(url) as store:
        assert list(store.notes()["text"]) == ["Lapin kokouksen muistiinpano"]
        assert not store.is_example() and store.load_roadmap().measures == ()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_guard_counts_alike_on_sqlite_and_postgresql(backend, request, tmp_path, monkeypatch):
    """An empty database, then one holding the example data as ``load_demo`` leaves it (a copy
    of the run's, tests/support/pg.py), on each backend."""
    monkeypatch.delenv("SOTE_USER", raising=False)
    sqlite = backend == "sqlite"
    empty = (
        f"sqlite:///{tmp_path / 'empty.sqlite'}" if sqlite else request.getfixturevalue("pg_url")
    )
    with Store.open(empty) as store:
        assert demo_guard.holdings(store) == {} and demo_guard.at_risk(store) == {}
    db_url = request.getfixturevalue("demo_copy_url" if sqlite else "pg_demo_copy_url")
    with Store.open(db_url) as store:
        assert demo_guard.at_risk(store) == {}
        _note(store)
        _grants(store)
        assert demo_guard.at_risk(store) == {"grants": 1, "notes": 1, "imports": 1}
        assert demo_guard.holdings(store)["notes"] > 1
    assert main(["demo", "--if-empty", "--db", db_url]) == 0
    assert main(["demo", "--db", db_url]) == 1
    assert main(["demo", "--force", "--db", db_url]) == 0
    with Store.open(db_url) as store:
        assert demo_guard.at_risk(store) == {}
        assert list(accounts.audit_log(store)["action"]).count("demo") == 1
