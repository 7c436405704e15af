"""``sote users`` and ``sote revert``, and the rights the command line acts with."""

import json
from datetime import date

import pytest

from sotedata.cli import main
from sotedata.domain.model import Measure, StatusReport, default_roadmap
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

HEADER = ["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"]


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("SOTE_USER", raising=False)
    url = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    with Store.open(url) as store:
        store.save_roadmap(
            default_roadmap([Measure("H-01", "Hallintosääntö", 3, "hallinto", True, None)])
        )
        store.add_status_reports([StatusReport("21", "H-01", "in_progress", date(2026, 9, 30))])
    return url


def _file(tmp_path, name, area):
    path = tmp_path / name
    path.write_bytes(xlsx({"Tila": [HEADER, [area, "H-01", "Valmis", "31.10.2026"]]}))
    return str(path)


def _audit(url):
    with Store.open(url) as store:
        return accounts.audit_log(store)


def test_the_first_administrator_is_added_in_the_open_mode_then_a_user_is_needed(db, capsys):
    assert main(["users", "add", "paa@stm.fi", "--role", "ylläpitäjä", "--db", db]) == 0
    assert main(["users", "add", "x@y.fi", "--role", "lukija", "--db", db]) == 1
    assert "SOTE_USER" in capsys.readouterr().err
    assert (
        main(["users", "add", "x@y.fi", "--role", "lukija", "--user", "paa@stm.fi", "--db", db])
        == 0
    )
    assert main(["users", "list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [(u["username"], u["role"]) for u in listed] == [
        ("paa@stm.fi", "yllapitaja"),
        ("x@y.fi", "lukija"),
    ]
    trail = _audit(db)
    assert set(trail["channel"]) == {"cli"} and list(trail["action"]) == ["role", "role"]


def test_a_preparer_imports_their_own_area_but_not_others_from_the_cli(
    db, tmp_path, capsys, monkeypatch
):
    main(["users", "add", "paa@stm.fi", "--role", "yllapitaja", "--db", db])
    monkeypatch.setenv("SOTE_USER", "paa@stm.fi")
    main(["users", "add", "lappi@x.fi", "--role", "valmistelija", "--area", "Lappi", "--db", db])
    capsys.readouterr()
    other = _file(tmp_path, "kainuu.xlsx", "Kainuu")
    assert main(["import", other, "--json", "--user", "lappi@x.fi", "--db", db]) == 1
    result = json.loads(capsys.readouterr().out)
    assert [(e["code"], e["cell"]) for e in result["errors"]] == [("area_not_allowed", "A2")]
    own = _file(tmp_path, "lappi.xlsx", "Lappi")
    assert main(["import", own, "--json", "--user", "lappi@x.fi", "--db", db]) == 0
    import_id = json.loads(capsys.readouterr().out)["import_id"]
    last = _audit(db).iloc[0]
    assert (last["action"], last["actor"], last["target"]) == (
        "import",
        "lappi@x.fi",
        str(import_id),
    )


def test_a_reader_may_not_import_and_an_unknown_name_is_refused(db, tmp_path, capsys, monkeypatch):
    main(["users", "add", "paa@stm.fi", "--role", "yllapitaja", "--db", db])
    monkeypatch.setenv("SOTE_USER", "paa@stm.fi")
    main(["users", "add", "lukija@x.fi", "--role", "lukija", "--db", db])
    capsys.readouterr()
    path = _file(tmp_path, "lappi.xlsx", "Lappi")
    assert main(["import", path, "--user", "lukija@x.fi", "--db", db]) == 1
    assert "tiedoston tuonti" in capsys.readouterr().err
    assert main(["import", path, "--user", "kuka@x.fi", "--db", db]) == 1
    assert "kuka@x.fi" in capsys.readouterr().err
    with Store.open(db) as store:
        assert len(store.imports()) == 2  # the fixture's own two


def test_revert_from_the_cli_is_checked_and_audited(db, tmp_path, capsys, monkeypatch):
    path = _file(tmp_path, "kainuu.xlsx", "Kainuu")
    assert main(["import", path, "--json", "--db", db]) == 0  # open mode: anyone, audited
    import_id = json.loads(capsys.readouterr().out)["import_id"]
    main(["users", "add", "paa@stm.fi", "--role", "yllapitaja", "--db", db])
    monkeypatch.setenv("SOTE_USER", "paa@stm.fi")
    main(["users", "add", "lappi@x.fi", "--role", "valmistelija", "--area", "21", "--db", db])
    assert main(["revert", str(import_id), "--user", "lappi@x.fi", "--db", db]) == 1
    assert main(["revert", str(import_id), "--db", db]) == 0
    actions = list(_audit(db)["action"])
    assert actions[0] == "revert" and actions[-1] == "import"


def test_replacing_the_data_with_the_example_needs_an_administrator(db, capsys, monkeypatch):
    assert main(["demo", "--force", "--db", db]) == 0  # open mode: anyone
    main(["users", "add", "paa@stm.fi", "--role", "yllapitaja", "--db", db])
    main(["users", "add", "stm@stm.fi", "--role", "ministerio", "--user", "paa@stm.fi", "--db", db])
    monkeypatch.setenv("SOTE_USER", "stm@stm.fi")
    capsys.readouterr()
    assert main(["demo", "--db", db]) == 1
    assert "esimerkkiaineistolla" in capsys.readouterr().err
    monkeypatch.setenv("SOTE_USER", "paa@stm.fi")
    assert main(["demo", "--db", db]) == 0
    with Store.open(db) as store:
        assert len(accounts.users(store)) == 2  # people and their trail outlive the data
        log = accounts.audit_log(store)
    # each load of the example data is audited too, under who loaded it
    assert list(log["action"]) == ["demo", "role", "role", "demo"]
    assert log.iloc[0]["actor"] == "paa@stm.fi" and log.iloc[0]["channel"] == "cli"


def test_every_export_from_the_cli_leaves_its_audit_row(db, tmp_path, capsys):
    out = tmp_path / "tila.csv"
    args = ["export", "--table", "status", "--format", "csv", "--area", "Lappi", "--db", db]
    assert main([*args, "--out", str(out)]) == 0
    row = _audit(db).iloc[0]
    assert (row["action"], row["target"], row["channel"]) == ("export", "status", "cli")
    details = json.loads(row["details"])
    assert details["format"] == "csv" and details["filters"]["alue"] == "21"
    assert details["rows"] == len(out.read_text(encoding="utf-8").splitlines()) - 1


def test_a_person_without_rights_cannot_export_from_the_cli(db, tmp_path, capsys, monkeypatch):
    main(["users", "add", "paa@stm.fi", "--role", "yllapitaja", "--db", db])
    out = tmp_path / "tila.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--db", db]) == 1
    assert "SOTE_USER" in capsys.readouterr().err and not out.exists()


def test_the_audit_trail_exports_like_any_table_for_those_who_may_read_it(
    db, tmp_path, capsys, monkeypatch
):
    main(["users", "add", "paa@stm.fi", "--role", "yllapitaja", "--db", db])
    monkeypatch.setenv("SOTE_USER", "paa@stm.fi")
    main(["users", "add", "lukija@x.fi", "--role", "lukija", "--db", db])
    capsys.readouterr()
    assert main(["export", "--table", "audit", "--format", "csv", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Aika (Suomen aikaa),Tekijä,Kanava,Toiminto") and len(lines) == 3
    assert "lukija@x.fi" in lines[1]  # newest first: the second role given
    out = tmp_path / "loki.csv"
    args = ["export", "--table", "audit", "--format", "csv", "--out", str(out)]
    assert main([*args, "--user", "lukija@x.fi", "--db", db]) == 1
    assert "tapahtumalokin lukeminen" in capsys.readouterr().err and not out.exists()
