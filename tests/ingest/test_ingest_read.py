"""The tolerant reader: CSV encodings and delimiters, ODS, formulas' values, leading zeros, merged
and hidden cells, wide sheets, and headers and values in three languages."""

import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from sotedata.domain.model import Measure, Status, default_roadmap
from sotedata.ingest import parse_file
from sotedata.ingest.headers import match_header, synonyms
from sotedata.ingest.read import decode_text, read_sheets, sniff_delimiter
from sotedata.ingest.values import parse_bool, parse_date, parse_phase, parse_score, parse_status

D = date
ROADMAP = default_roadmap(
    [
        Measure("H-01", "Hallintosääntö", 3, "hallinto", True, None),
        Measure("I-01", "Tietoliikenneverkko", 3, "ict", False, None),
    ]
)


def parse(data, name):
    return parse_file(data, name, roadmap=ROADMAP, today=D(2026, 11, 23))


def _book(rows, prepare=None) -> bytes:
    book = Workbook()
    book.active.title = "Tila"
    for row in rows:
        book.active.append(row)
    if prepare:
        prepare(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ";"), ("utf-8", ","), ("cp1252", ";"), ("cp1252", "\t"), ("utf-8", "\t")],
)
def test_csv_in_every_encoding_and_delimiter_excel_writes(encoding, delimiter):
    rows = [
        ["Välfärdsområde", "Åtgärdskod", "Status", "Datum", "Kommentar"],
        ["Österbotten", "H-01", "Pågår", "31.10.2026", "Väntar; på, beslut"],
        ["Lappland", "I-01", "Klar", "2026-10-31", ""],
    ]
    text = "\r\n".join(
        delimiter.join(f'"{c}"' if (delimiter in c or "," in c or ";" in c) else c for c in row)
        for row in rows
    )
    parsed = parse(text.encode(encoding), "läge.csv")
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert [(r.area_code, r.status, r.comment) for r in parsed.status_reports] == [
        ("17", Status.IN_PROGRESS, "Väntar; på, beslut"),
        ("21", Status.DONE, None),
    ]


def test_windows_1252_is_the_fallback_and_a_bom_is_dropped():
    assert decode_text("Päijät-Häme".encode("cp1252")) == "Päijät-Häme"
    assert decode_text("\ufeffAlue".encode()) == "Alue"
    assert sniff_delimiter("a;b;c\n1,5;2,5;3\n") == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","


def test_csv_positions_are_spreadsheet_rows_and_letters():
    text = "Alue;Tunnus;Tila;Pvm\nLappi;H-01;Valmis;31.10.2026\n\nKainuu;H-01;Valmiss;31.10.2026\n"
    issue = parse(text.encode(), "tila.csv").errors[0]
    assert (issue.code, issue.cell, issue.row, issue.column) == ("status_misspelt", "C4", 4, "C")


def test_decimal_comma_scores_in_a_semicolon_csv():
    text = "Alue;Riski;Todennäköisyys;Vaikutus;Pvm\nLappi;Rekry;4,0;3;31.10.2026\n"
    parsed = parse(text.encode(), "riskit.csv")
    assert not parsed.errors
    assert (parsed.risk_ratings[0].likelihood, parsed.risk_ratings[0].impact) == (4, 3)


def test_an_excel_error_exported_to_csv_is_a_formula_error():
    text = "Alue;Tunnus;Tila;Pvm\n#REF!;H-01;Valmis;31.10.2026\n"
    issue = parse(text.encode(), "tila.csv").errors[0]
    assert (issue.code, issue.cell) == ("formula_error", "A2")


# --- workbooks --------------------------------------------------------------------------------


def test_area_codes_keep_their_leading_zero_as_text_and_as_numbers():
    rows = [["Aluekoodi", "Tunnus", "Tila", "Pvm"], ["05", "H-01", "Valmis", D(2026, 10, 31)]]
    rows.append([5, "I-01", "Valmis", D(2026, 10, 31)])
    parsed = parse(_book(rows), "tila.xlsx")
    assert not parsed.errors
    assert {r.area_code for r in parsed.status_reports} == {"05"}


def test_a_formula_is_read_for_its_cached_value_and_an_error_cell_is_a_formula_error():
    data = _book([["Alue", "Tunnus", "Tila", "Pvm"], ["Lappi", "H-01", "x", "31.10.2026"]])

    def with_formula(name, part):
        if name == "xl/worksheets/sheet1.xml":
            part = re.sub(
                rb'<c r="C2"[^>]*>.*?</c>',
                b'<c r="C2" t="str"><f>PROPER("valmis")</f><v>Valmis</v></c>',
                part,
            )
        return part

    parsed = parse(_rezip(data, with_formula), "tila.xlsx")
    assert not parsed.errors and parsed.status_reports[0].status == Status.DONE
    broken = _book([["Alue", "Tunnus", "Tila", "Pvm"], ["Lappi", "H-01", "#REF!", "31.10.2026"]])
    issue = parse(broken, "tila.xlsx").errors[0]
    assert (issue.code, issue.cell) == ("formula_error", "C2")


def _rezip(data, change):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def test_merged_two_row_header_blank_rows_totals_and_hidden_columns():
    def prepare(sheet):
        sheet.merge_cells("A2:A3")
        sheet.merge_cells("B2:B3")
        sheet.merge_cells("C2:D2")
        sheet.column_dimensions["D"].hidden = True

    rows = [
        ["Tilanneraportti"],
        ["Hyvinvointialue", "Tunnus", "Tilanne", None],
        [None, None, "Tila", "Kommentti"],
        ["Lappi", "H-01", "Valmis", "piilossa"],
        [],
        ["Kainuu", "I-01", "Kesken", None],
        ["Yhteensä", None, 2, None],
    ]
    parsed = parse(_book(rows, prepare), "tila.xlsx")
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert parsed.sheets[0].rows == 2
    assert [r.comment for r in parsed.status_reports] == ["piilossa", None]


def test_a_wide_sheet_has_one_status_per_area_cell():
    rows = [
        ["Tilannepäivä:", D(2026, 10, 31)],
        ["Tunnus", "Toimenpide", "Lapin hyvinvointialue", "Kainuu", "Helsinki"],
        ["H-01", "Hallintosääntö", "Valmis", "Käynnissä", None],
        ["I-01", "Tietoliikenneverkko", "Ei aloitettu", "valmiss", "Valmis"],
    ]
    parsed = parse(_book(rows), "tila.xlsx")
    assert [(e.code, e.cell) for e in parsed.errors] == [("status_misspelt", "D4")]
    rows[3][3] = "Viivästynyt"
    parsed = parse(_book(rows), "tila.xlsx")
    assert sorted((r.area_code, r.measure_id) for r in parsed.status_reports) == [
        ("20", "H-01"),
        ("20", "I-01"),
        ("21", "H-01"),
        ("21", "I-01"),
        ("90", "I-01"),
    ]


def test_a_hidden_sheet_is_ignored():
    book = Workbook()
    book.active.title = "Tila"
    book.active.append(["Alue", "Tunnus", "Tila", "Pvm"])
    book.active.append(["Lappi", "H-01", "Valmis", "31.10.2026"])
    lists = book.create_sheet("Luettelot")
    lists.append(["Alue", "Tila"])
    lists.append(["Lappi", "Valmis"])
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    parsed = parse(out.getvalue(), "tila.xlsx")
    assert not parsed.errors
    assert {s.name: s.kind for s in parsed.sheets} == {
        "Tila": "status",
        "Luettelot": "instructions",
    }


def _ods(rows) -> bytes:
    """A LibreOffice spreadsheet written by hand (odfpy is not a dependency)."""

    def cell(value):
        if isinstance(value, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Läge">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return out.getvalue()


def test_a_libreoffice_sheet_with_a_title_and_swedish_headers():
    rows = [
        ["Lägesrapport hösten 2026"],
        ["Rapporteringsdatum: 31.10.2026"],
        ["Välfärdsområde", "Åtgärd", "Läge"],
        ["Lappland", "Hallintosääntö", "Pågår"],
        ["Kajanaland", "Tietoliikenneverkko", "Försenad"],
    ]
    data = _ods(rows)
    assert [s.name for s in read_sheets(data, "läge.ods", max_bytes=10**6)] == ["Läge"]
    parsed = parse(data, "läge.ods")
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert sorted((r.area_code, r.status.value) for r in parsed.status_reports) == [
        ("20", "delayed"),
        ("21", "in_progress"),
    ]
    assert {r.reported_on for r in parsed.status_reports} == {D(2026, 10, 31)}
    rows[4][2] = "Klaar"
    issue = parse(_ods(rows), "läge.ods").errors[0]
    assert (issue.code, issue.sheet, issue.cell) == ("status_misspelt", "Läge", "C5")


# --- headers and values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Hyvinvointialue", "area"),
        ("  VÄLFÄRDSOMRÅDE ", "area"),
        ("Wellbeing services county", "area"),
        ("Aluekoodi", "area_code"),
        ("Tunnus", "measure_id"),
        ("Åtgärd", "measure"),
        ("Task", "measure"),
        ("Fas", "phase"),
        ("Työryhmä", "work_stream"),
        ("Tila (valitse listasta)", "status"),
        ("Läge", "status"),
        ("Kriittinen*", "critical"),
        ("Tidsfrist", "deadline"),
        ("Tilannepäivä:", "reported_on"),
        ("As of", "reported_on"),
        ("Sannolikhet", "likelihood"),
        ("Konsekvens", "impact"),
        ("Åtgärder", "mitigation"),
        ("Toimenpiteet", "mitigation"),
        ("Ansvarig", "owner"),
        ("Jotain muuta", None),
    ],
)
def test_headers_in_three_languages(header, column):
    assert match_header(header) == column


def test_the_header_table_is_consistent():
    assert len(synonyms()) > 100


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Ei aloitettu", "not_started"),
        ("aloitettu", "in_progress"),
        ("KESKEN", "in_progress"),
        ("Toteutunut", "done"),
        ("Viivästynyt", "delayed"),
        ("Ei koske", "not_applicable"),
        ("Inte påbörjad", "not_started"),
        ("Försenad", "delayed"),
        ("Ej tillämplig", "not_applicable"),
        ("Completed", "done"),
        ("N/A", "not_applicable"),
        ("in_progress", "in_progress"),
    ],
)
def test_status_words(text, status):
    assert parse_status(text) == Status(status)


def test_other_values():
    assert [parse_bool(v) for v in ("kyllä", "Nej", "x", 1, 0, "TRUE", "False")] == [
        True,
        False,
        True,
        True,
        False,
        True,
        False,
    ]
    assert [
        parse_phase(v)
        for v in (1, "II", "Vaihe 3", "fas 1", "3. vaihe", "Ennen hallituksen esitystä")
    ] == [1, 2, 3, 1, 3, 1]
    assert parse_phase(4) is None and parse_phase("IV") is None
    assert [parse_score(v) for v in (3, "3 – kohtalainen", "5,0", 2.0)] == [3, 3, 5, 2]
    assert parse_score(0) is None and parse_score(6) is None and parse_score("iso") is None
    assert [parse_date(v) for v in ("23.11.2026", "2026-11-23", 46349, "23/11/2026")] == [
        D(2026, 11, 23)
    ] * 4
    assert parse_date("31.2.2026") is None and parse_date("huomenna") is None


def test_excel_unicode_text_is_utf16_with_tabs():
    text = "Alue\tTunnus\tTila\tPvm\r\nPäijät-Häme\tH-01\tKäynnissä\t31.10.2026\r\n"
    parsed = parse(text.encode("utf-16"), "tila.txt")
    assert not parsed.errors and [r.area_code for r in parsed.status_reports] == ["09"]


def test_a_repeated_ods_cell_cannot_span_a_huge_grid_but_repeated_empty_rows_are_fine():
    from sotedata.ingest.read import check_ods_extent

    data = _ods([["Alue", "Tunnus", "Tila"], ["Lappi", "H-01", "Valmis"]])
    # LibreOffice pads a sheet with a million repeated empty rows: harmless
    padded = _rewrite_content(
        data,
        b'<table:table table:name="Tila"><table:table-row>'
        b'<table:table-cell office:value-type="string"><text:p>Alue</text:p></table:table-cell>'
        b'</table:table-row><table:table-row table:number-rows-repeated="1048570">'
        b"<table:table-cell/></table:table-row></table:table>",
    )
    check_ods_extent(padded, "tila.ods", 1_000_000)
    bomb = _rewrite_content(
        data,
        b'<table:table table:name="Pommi"><table:table-row table:number-rows-repeated="200000">'
        b'<table:table-cell table:number-columns-repeated="300" office:value-type="string">'
        b"<text:p>x</text:p></table:table-cell></table:table-row></table:table>",
    )
    parsed = parse(bomb, "pommi.ods")
    assert [(e.code, e.params["sheet"]) for e in parsed.errors] == [("sheet_too_large", "Pommi")]


def _rewrite_content(ods: bytes, new: bytes) -> bytes:
    """The ODS with its content.xml's table replaced by ``new`` (or content replaced whole)."""
    with zipfile.ZipFile(io.BytesIO(ods)) as source:
        content = source.read("content.xml")
        if b"<office:document-content" not in new:
            start = content.index(b"<table:table ")
            end = content.index(b"</table:table>") + len(b"</table:table>")
            new = content[:start] + new + content[end:]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                part = new if item.filename == "content.xml" else source.read(item.filename)
                target.writestr(item.filename, part)
    return out.getvalue()
