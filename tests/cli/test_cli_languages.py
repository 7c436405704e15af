"""``sote … --kieli sv|en`` (or ``SOTE_KIELI``): exports, templates and meeting packs
in the language asked for, with the texts the catalogs give; a run's choice never leaks out."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from sotedata.cli import main
from sotedata.domain import areas
from sotedata.domain.i18n import normalise_language, t
from sotedata.ingest.template import SHEETS, sheet_name
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


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch, tmp_path):
    """No language from the machine running the tests; shipped boundaries, no network."""
    for name in ("SOTE_KIELI", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)


def _headers(url: str, table: str, lang: str) -> list[str]:
    with Store.open(url) as store:
        sources = sources_from_store(store)
    query, issues = TableQuery.from_query({"taulu": table}, sources.frames.work_streams)
    assert not issues
    return build_table(query, sources, lang).headers()


def _csv_header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(("option", "lang"), [(["--kieli", "sv"], "sv"), (["--kieli=en"], "en")])
def test_export_csv_has_the_headers_of_the_language_asked(demo_db_url, tmp_path, option, lang):
    out = tmp_path / "riskit.csv"
    argv = ["export", "--db", demo_db_url, "--table", "risks", "--format", "csv"]
    assert main([*argv, "--out", str(out), *option]) == 0
    header = _csv_header(out.read_bytes())
    assert header == _headers(demo_db_url, "risks", lang)
    assert header != _headers(demo_db_url, "risks", "fi")
    assert t("tables.col.likelihood", lang) in header


def test_export_language_from_sote_kieli(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_KIELI", "sv")
    out = tmp_path / "tila.csv"
    assert main(["export", "--db", demo_db_url, "--format", "csv", "--out", str(out)]) == 0
    assert _csv_header(out.read_bytes()) == _headers(demo_db_url, "status", "sv")


def test_swedish_xlsx_export_names_its_sheets_and_metadata_in_swedish(demo_db_url, tmp_path):
    out = tmp_path / "tila.xlsx"
    argv = ["export", "--db", demo_db_url, "--now", NOW, "--out", str(out), "--kieli", "sv"]
    assert main(argv) == 0
    book = load_workbook(out)
    assert book.sheetnames == [t("tables.sheet.status", "sv"), t("tables.sheet.info", "sv")]
    data = book.worksheets[0]
    assert [c.value for c in data[1]] == _headers(demo_db_url, "status", "sv")
    labels = [row[0].value for row in book.worksheets[1].iter_rows()]
    assert t("tables.info.source", "sv") in labels
    assert t("exports_alone.info.exported", "sv") in labels


def test_a_runs_language_does_not_outlive_it(demo_db_url, tmp_path):
    out = tmp_path / "x.csv"
    argv = ["export", "--db", demo_db_url, "--format", "csv", "--out", str(out), "--kieli", "en"]
    assert main(argv) == 0
    assert normalise_language(None) == "fi"


def test_template_in_english(tmp_path, capsys):
    out = tmp_path / "template.xlsx"
    assert main(["template", str(out), "--db", "sqlite://", "--kieli", "en"]) == 0
    assert load_workbook(out).sheetnames == [sheet_name(key, "en") for key in SHEETS]
    printed = capsys.readouterr().out.strip()
    assert printed.startswith(t("cli.template.written.example", "en").split("{")[0].strip())


def test_pack_in_swedish(demo_db_url, tmp_path):
    out = tmp_path / "mote.pptx"
    argv = ["pack", "--db", demo_db_url, "--as-of", "2022-06-15", "--since", "2022-03-15"]
    assert main([*argv, "--area", "21", "--out", str(out), "--kieli", "sv"]) == 0
    deck = Presentation(io.BytesIO(out.read_bytes()))
    first = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame]
    assert t("pack.title", "sv") in first
    last = [s.text_frame.text for s in deck.slides[-1].shapes if s.has_text_frame]
    assert last[0] == areas.get("21").name("sv")
    assert deck.core_properties.title == t("pack.title", "sv")
    texts = " ".join(
        s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame
    )
    assert "15.6.2022" in texts  # the Swedish date is written d.m.yyyy like the Finnish one


def test_an_unknown_language_is_a_usage_error(capsys):
    assert main(["export", "--kieli", "de"]) == 2
    assert "de" in capsys.readouterr().err


def test_the_summary_names_the_areas_in_the_language(demo_db_url, monkeypatch, capsys):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    assert main(["summary", "--kieli", "sv"]) == 0
    swedish = capsys.readouterr().out
    assert areas.get("21").short("sv") in swedish and areas.get("19").short("sv") in swedish
    assert areas.get("19").short("fi") not in swedish  # Pohjois-Pohjanmaa, not Norra Österbotten
