"""``sote export --table indicators|notes`` (the page's bytes for the same filters, files that
open in Excel, readers may export them) and what ``sote export`` refuses: an empty ``--area`` or
``--out``, a comparison date after the as-of date, the database file, an existing file without
``--force`` — each with exit 2 and the files left as they were."""

from __future__ import annotations

import hashlib
import io
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sotedata.cli import main
from sotedata.domain.access import Principal
from sotedata.domain.i18n import t
from sotedata.exports.files import export_bytes
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, sources_from_store, with_table_data
from tests.support.example_db import copy_of

NOW = "2026-11-23T10:15:00"


@pytest.fixture
def demo_db_url(demo_db_url, tmp_path_factory) -> str:
    """The run's example database as a copy per test: an export or a pack that succeeds writes
    its row into the audit trail."""
    return copy_of(demo_db_url, tmp_path_factory.mktemp("example"))


def page_bytes(url: str, params: dict, fmt: str, lang: str = "fi") -> bytes:
    """What the tables page offers for these URL parameters."""
    query, issues = TableQuery.from_query(params)
    assert not issues
    with Store.open(url) as store:
        sources = with_table_data(sources_from_store(store), store, query.table)
    table = build_table(query, sources, lang)
    return export_bytes(table, fmt, datetime.fromisoformat(NOW), lang=lang)


@pytest.fixture
def own_db(demo_db_url, tmp_path):
    target = tmp_path / "sote.sqlite"
    shutil.copyfile(demo_db_url.removeprefix("sqlite:///"), target)
    return f"sqlite:///{target}"


# --- the two tables -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-fi"])
def test_indicator_values_export_like_the_page(demo_db_url, tmp_path, fmt, capsys):
    out = tmp_path / f"arvot.{fmt}"
    args = ["export", "--db", demo_db_url, "--table", "indicators", "--format", fmt]
    filters = [
        "--indicator",
        "demo:toimeentulotuki",
        "--level",
        "kunta",
        "--area",
        "Lappi",
        "--period-from",
        "2021",
        "--period-to",
        "2022",
    ]
    assert main([*args, *filters, "--out", str(out), "--now", NOW]) == 0
    assert "Kirjoitettu" in capsys.readouterr().out
    params = {
        "taulu": "indikaattorit",
        "indikaattori": "demo:toimeentulotuki",
        "taso": "kunta",
        "alue": "21",
        "jaksosta": "2021",
        "jaksoon": "2022",
    }
    assert out.read_bytes() == page_bytes(demo_db_url, params, fmt)


def test_an_indicator_workbook_opens_with_numbers_codes_and_its_information_sheet(
    demo_db_url, tmp_path
):
    out = tmp_path / "arvot.xlsx"
    args = ["export", "--db", demo_db_url, "--table", "indicators", "--level", "kunta"]
    assert main([*args, "--area", "21", "--out", str(out), "--kieli", "en"]) == 0
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Indicators", t("tables.sheet.info", "en")]
    rows = list(book["Indicators"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:5] == ["Indicator key", "Indicator", "Level", "Region code", "Region"]
    code, value = header.index("Region code"), header.index("Value")
    assert all(isinstance(r[code], str) and len(r[code]) == 3 for r in rows[1:])
    assert any(r[code] == "047" for r in rows[1:])  # Enontekiö keeps its leading zero
    assert all(isinstance(r[value], int | float) for r in rows[1:] if r[value] is not None)
    info = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True)}
    filters = info[t("tables.info.filters", "en")]
    assert "Municipality" in filters and "Lapland" in filters


def test_notes_export_to_stdout_with_their_filters(demo_db_url, capsysbinary):
    args = ["export", "--db", demo_db_url, "--table", "notes", "--format", "csv"]
    assert main([*args, "--source-type", "kokous", "--tag", "ICT"]) == 0
    data = capsysbinary.readouterr().out
    params = {"taulu": "muistiinpanot", "lahdetyyppi": "meeting", "tunniste": "ICT"}
    assert data == page_bytes(demo_db_url, params, "csv")
    lines = data.decode().splitlines()
    assert lines[0].startswith("Aluekoodi,Alue,Päivämäärä,Lähdetyyppi,Muistiinpano")
    assert len(lines) > 1 and all(",Kokous," in line for line in lines[1:])


def test_a_reader_may_export_indicators_and_notes(own_db, tmp_path, capsys, monkeypatch):
    with Store.open(own_db) as store:
        admin = Principal.open("asennus")
        accounts.set_user(store, admin, "paa@stm.fi", "yllapitaja")
        accounts.set_user(store, admin, "lukija@x.fi", "lukija")
    for table in ("indicators", "notes"):
        out = tmp_path / f"{table}.csv"
        args = ["export", "--db", own_db, "--table", table, "--format", "csv", "--out", str(out)]
        assert main([*args, "--user", "lukija@x.fi"]) == 0, capsys.readouterr().err
        assert len(out.read_text(encoding="utf-8").splitlines()) > 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--table", "indicators", "--indicator", "ei-tallennettu"], "ei-tallennettu"),
        (["--table", "indicators", "--level", "maakunta"], "maakunta"),
        (["--table", "indicators", "--period-from", "ensi vuonna"], "ensi vuonna"),
        (["--table", "indicators", "--period-from", "2022", "--period-to", "2019"], "2022"),
        (["--table", "notes", "--source-type", "huhu"], "huhu"),
    ],
)
def test_data_filters_that_name_nothing_are_usage_errors(demo_db_url, capsys, args, message):
    assert main(["export", "--db", demo_db_url, "--format", "csv", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""
    assert "Traceback" not in captured.err


# --- refusals -----------------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--area", ""], "--area"),
        (["--area", " , "], "--area"),
        (["--out", ""], "--out"),
        (["--as-of", "2022-06-15", "--since", "2022-12-15"], "2022-12-15"),
        (["--table", "changes", "--since", "2030-01-01"], "2030-01-01"),
        (["--table", "moves", "--since", "2030-01-01"], "2030-01-01"),
    ],
)
def test_empty_values_and_a_comparison_date_after_the_as_of_date_are_refused(
    demo_db_url, tmp_path, monkeypatch, capsys, args, words
):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", demo_db_url, *args]) == 2
    captured = capsys.readouterr()
    assert words in captured.err and captured.out == ""
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a default-named file


def test_an_existing_file_is_replaced_only_with_force(demo_db_url, tmp_path, capsys):
    out = tmp_path / "oma.csv"
    out.write_text("tärkeä taulukko\n", encoding="utf-8")
    args = ["export", "--db", demo_db_url, "--format", "csv", "--out", str(out)]
    assert main(args) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "tärkeä taulukko\n"
    assert main([*args, "--force"]) == 0
    assert out.read_bytes().startswith(b"Aluekoodi,Alue")


def test_a_second_export_to_the_default_name_does_not_replace_the_first(
    demo_db_url, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--db", demo_db_url, "--area", "21", "--now", NOW]) == 0
    (written,) = tmp_path.iterdir()
    before = _digest(written)
    assert main(["export", "--db", demo_db_url, "--area", "21", "--now", "2026-11-24T08:00"]) == 2
    assert written.name in capsys.readouterr().err
    assert _digest(written) == before


def test_the_database_file_is_never_written_over_even_with_force(own_db, tmp_path, capsys):
    database = Path(own_db.removeprefix("sqlite:///"))
    before = _digest(database)
    for extra in ([], ["--force"]):
        args = ["export", "--db", own_db, "--format", "csv", "--out", str(database), *extra]
        assert main(args) == 2
        assert "tietokanta" in capsys.readouterr().err
    # the same file by another way of writing its name
    other = tmp_path / "." / database.name
    assert main(["export", "--db", own_db, "--out", str(other), "--force"]) == 2
    (tmp_path / "linkki.xlsx").symlink_to(database)
    (tmp_path / "kova.xlsx").hardlink_to(database)
    for name in ("linkki.xlsx", "kova.xlsx"):
        assert main(["export", "--db", own_db, "--out", str(tmp_path / name), "--force"]) == 2
    assert _digest(database) == before
    with Store.open(own_db) as store:
        assert not store.is_empty()


def test_the_default_database_is_protected_too(own_db, tmp_path, monkeypatch, capsys):
    """Without ``--db`` the database is the ``SOTE_DATABASE_URL`` one."""
    monkeypatch.setenv("SOTE_DATABASE_URL", own_db)
    database = Path(own_db.removeprefix("sqlite:///"))
    before = _digest(database)
    assert main(["export", "--format", "csv", "--out", str(database), "--force"]) == 2
    assert _digest(database) == before


def test_refusals_are_explained_in_swedish_and_english(demo_db_url, capsys):
    for lang, word in (("sv", "tomt"), ("en", "empty")):
        assert main(["export", "--db", demo_db_url, "--area", "", "--kieli", lang]) == 2
        assert word in capsys.readouterr().err
