"""A sheet made by hand in LibreOffice Calc: a title above the header, an empty row, Swedish
headers, Swedish status words and area names, real date cells. The sheets are written as flat ODS
XML (.fods) and then saved by LibreOffice itself as .ods and .xls (the only positive .xls test:
Python has no .xls writer). A missing ``soffice`` skips these tests, or fails them with CI=true
(``make libreoffice`` installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from sotedata.domain.model import Measure, Status, default_roadmap
from sotedata.ingest import import_file, parse_file
from sotedata.store.engine import Store

pytestmark = pytest.mark.libreoffice

D = date
ROADMAP = default_roadmap(
    [
        Measure("H-01", "Förvaltningsstadga", 3, "hallinto", True, None),
        Measure("I-01", "Datanät", 3, "ict", False, None),
    ]
)
SHEET = "Lägesrapport"
TITLE = "Lägesrapport för välfärdsområdena, hösten 2026"
HEADER = ["Välfärdsområde", "Åtgärd", "Läge", "Rapporteringsdatum", "Kommentar"]
REPORTED = D(2026, 10, 31)
# the header is row 3 as LibreOffice shows it (title in row 1, row 2 empty): data from row 4
GOOD_ROWS = [
    ["Lapplands välfärdsområde", "Förvaltningsstadga", "Klar", REPORTED, None],
    ["Österbottens välfärdsområde", "Datanät", "Pågår", REPORTED, "Väntar på beslut"],
    ["Kajanalands välfärdsområde", "Förvaltningsstadga", "Försenad", REPORTED, None],
    ["Lapplands välfärdsområde", "Datanät", "Inte påbörjad", REPORTED, "Upphandling i vår"],
]
EXPECTED = [
    ("21", "H-01", Status.DONE, REPORTED, None),
    ("17", "I-01", Status.IN_PROGRESS, REPORTED, "Väntar på beslut"),
    ("20", "H-01", Status.DELAYED, REPORTED, None),
    ("21", "I-01", Status.NOT_STARTED, REPORTED, "Upphandling i vår"),
]
# two mistakes a person makes: a status word that is not one (C5), a misspelt area (A6)
BAD_ROWS = [list(row) for row in GOOD_ROWS]
BAD_ROWS[1][2] = "Halvvägs"
BAD_ROWS[2][0] = "Kajanalnds välfärdsområde"

FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:automatic-styles>
  <number:date-style style:name="N1">
   <number:year number:style="long"/><number:text>-</number:text>
   <number:month number:style="long"/><number:text>-</number:text>
   <number:day number:style="long"/>
  </number:date-style>
  <style:style style:name="date" style:family="table-cell" style:data-style-name="N1"/>
  <style:style style:name="bold" style:family="table-cell">
   <style:text-properties fo:font-weight="bold"/>
  </style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
"""
FODS_TAIL = " </office:spreadsheet></office:body>\n</office:document>\n"


def _cell(value: object, style: str | None = None) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, date):
        iso = value.isoformat()
        return (
            '<table:table-cell table:style-name="date" office:value-type="date" '
            f'office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
        )
    styled = f' table:style-name="{style}"' if style else ""
    text = escape(str(value))
    return (
        f'<table:table-cell{styled} office:value-type="string"><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def fods(rows: list[list[object]]) -> str:
    """A one-sheet flat ODS document laid out as a person would: title, empty row, header, data."""
    lines = [f'  <table:table table:name="{escape(SHEET)}">']
    lines.append(f"   <table:table-row>{_cell(TITLE, 'bold')}</table:table-row>")
    lines.append("   <table:table-row><table:table-cell/></table:table-row>")
    lines.append(
        "   <table:table-row>" + "".join(_cell(h, "bold") for h in HEADER) + "</table:table-row>"
    )
    for row in rows:
        lines.append("   <table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>")
    lines.append("  </table:table>")
    return FODS_HEAD + "\n".join(lines) + "\n" + FODS_TAIL


def _soffice() -> str:
    found = shutil.which(os.environ.get("SOTE_SOFFICE", "soffice"))
    if found:
        return found
    message = "LibreOffice (soffice) not found (run `make libreoffice`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def saved_by_libreoffice(tmp_path_factory) -> dict[str, bytes]:
    """``{"good.ods": …, "good.xls": …, "bad.ods": …, "bad.xls": …}`` as LibreOffice saves them."""
    soffice = _soffice()
    work = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for name, rows in (("good", GOOD_ROWS), ("bad", BAD_ROWS)):
        path = work / f"{name}.fods"
        path.write_text(fods(rows), encoding="utf-8")
        sources.append(str(path))
    profile = (work / "profile").as_uri()  # its own profile: runs as root, and beside a desktop one
    out = work / "out"
    for target in ("ods", "xls"):
        result = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                *sources,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        written = [out / f"{Path(s).stem}.{target}" for s in sources]
        assert all(p.exists() for p in written), (result.returncode, result.stdout, result.stderr)
    saved = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    for name in ("good", "bad"):  # really LibreOffice's own formats, not the flat XML renamed
        assert saved[f"{name}.ods"].startswith(b"PK") and b"opendocument" in saved[f"{name}.ods"]
        assert saved[f"{name}.xls"].startswith(bytes.fromhex("d0cf11e0a1b11ae1"))  # BIFF in OLE2
    return saved


def parse(data: bytes, name: str):
    return parse_file(data, name, roadmap=ROADMAP, today=D(2026, 11, 23))


def _rows(parsed):
    return [
        (r.area_code, r.measure_id, r.status, r.reported_on, r.comment)
        for r in parsed.status_reports
    ]


@pytest.mark.parametrize("name", ["good.ods", "good.xls"])
def test_a_hand_made_swedish_sheet_saved_by_libreoffice_imports(saved_by_libreoffice, name):
    parsed = parse(saved_by_libreoffice[name], name)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert [(s.name, s.kind, s.rows) for s in parsed.sheets] == [(SHEET, "status", 4)]
    assert _rows(parsed) == EXPECTED
    assert parsed.counts()["areas"] == ["17", "20", "21"]
    assert "reported_on_defaulted" not in {w.code for w in parsed.warnings}


@pytest.mark.parametrize("name", ["bad.ods", "bad.xls"])
def test_its_mistakes_are_rejected_at_the_cells_libreoffice_shows(saved_by_libreoffice, name):
    parsed = parse(saved_by_libreoffice[name], name)
    assert not parsed.ok
    assert [(e.code, e.sheet, e.cell, e.row, e.column) for e in parsed.errors] == [
        ("invalid_status", SHEET, "C5", 5, "C"),
        ("unknown_area", SHEET, "A6", 6, "A"),
    ]
    # Kajanaland is Kainuu: the suggestion names the right area, in Swedish for a Swedish reader
    assert (parsed.errors[1].suggestion("sv") or "").startswith("Menade du: Kajanaland")
    assert "Kainuu" in (parsed.errors[1].suggestion("fi") or "")


def test_import_stores_the_good_xls_whole_and_nothing_of_the_bad_ods(
    saved_by_libreoffice, tmp_path
):
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as store:
        store.save_roadmap(ROADMAP)
        rejected = import_file(store, saved_by_libreoffice["bad.ods"], "bad.ods")
        assert not rejected.ok and rejected.import_id is None
        assert store.status_reports().empty
        report = import_file(store, saved_by_libreoffice["good.xls"], "good.xls")
        assert report.ok and report.import_id is not None
        assert report.counts == {
            "measures": 0,
            "status": 4,
            "risks": 0,
            "indicator_values": 0,
            "municipalities": 0,
            "grants": 0,
            "notes": 0,
            "areas": ["17", "20", "21"],
            "organisers": 0,
            "organiser_status": 0,
        }
        assert len(store.status_reports()) == 4
