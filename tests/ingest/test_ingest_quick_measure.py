"""The quick measure of a worksheet (``xlsx_quick``) at the speed a 50 000-row import needs
(issue 17): its counts and searches decide as the exact scan would, and what a spreadsheet
program writes still takes the quick path."""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook

from sotedata.ingest import zip_scan
from sotedata.ingest.xlsx_quick import quick_sheet, text_length
from sotedata.ingest.xlsx_scan import SheetExtent

SHEET = "xl/worksheets/sheet1.xml"
MARKUP = re.compile(rb"<[^>]*>")


def _openpyxl_workbook(rows: int) -> bytes:
    """A long-form status sheet as openpyxl writes it (inline strings, ä as &#228;, dates)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tilanne")
    sheet.append(["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä", "Kommentti"])
    for row in range(rows):
        comment = "Ei koske aluetta: tehtävä hoidetaan yhteistyöalueella." if row % 3 else None
        sheet.append(["Itä-Uusimaa", f"H-{row % 90:02d}", "Valmis", datetime(2022, 1, 15), comment])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_sheet_data(data: bytes, sheet_data: bytes) -> bytes:
    """The workbook with its first sheet's rows replaced by ``sheet_data``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == SHEET:
                part = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", lambda _: sheet_data,
                              part, flags=re.S)  # fmt: skip
            target.writestr(info, part)
    return out.getvalue()


def _measures(data: bytes, *, exact: bool = True) -> tuple[object, SheetExtent | None, int]:
    """The quick measure (None: left to the exact scan) beside the exact scan and its text
    (with ``exact``: XML that is not well-formed is the exact scan's error, not measured)."""
    budget = zip_scan.Budget("t.xlsx", 10**9, 10**9, 10**9, 10**6, 10**9)
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = zip_scan.Parts(archive, budget)
    shared = zip_scan.SharedStrings()
    info = archive.getinfo(SHEET)
    quick = quick_sheet("Tilanne", parts, info, zip_scan.Usage(budget), shared)
    if not exact:
        return quick, None, 0
    usage = zip_scan.Usage(budget)
    sheet = SheetExtent("Tilanne", usage, shared)
    zip_scan.parse_xml(parts, info, sheet.attach(zip_scan.xml_parser(budget=budget)))
    sheet.finish()
    return quick, sheet, usage.chars


def test_a_sheet_as_openpyxl_writes_it_is_measured_quickly_and_exactly():
    """The import's own benchmark file is written so: were any check to doubt it, every such
    import would take the exact scan, several times slower."""
    quick, exact, chars = _measures(_openpyxl_workbook(3000))
    assert quick is not None and exact is not None
    height, width, quick_chars, _tags = quick
    assert (height, width) == (exact.height, exact.width) == (3001, 5)
    assert quick_chars >= chars


ODD = {
    "r spaced": b'<row r="1"><c r ="A1"><v>1</v></c></row>',
    "r after a tab": b'<row r="1"><c s="1"\tr="D1"><v>1</v></c></row>',
    "r single-quoted": b"<row r=\"1\"><c r='A1'><v>1</v></c></row>",
    "t unquoted": b'<row r="1"><c r="A1" t=s><v>0</v></c></row>',
    "t spaced": b'<row r="1"><c r="A1" t = "s"><v>0</v></c></row>',
    "t after a newline": b'<row r="1"><c r="A1"\nt="s"><v>0</v></c></row>',
    "a second r": b'<row r="1"><c r="A1" r="B9"><v>1</v></c></row>',
    "a cell without r": b'<row r="1"><c><v>1</v></c></row>',
    "a row without r": b'<row><c r="A1"><v>1</v></c></row>',
    "a lower-case reference": b'<row r="1"><c r="a1"><v>1</v></c></row>',
    "a reference in a tag": b'<row r="1"><c r="A1" t="&#115;"><v>0</v></c></row>',
}


@pytest.mark.parametrize("rows", ODD.values(), ids=ODD.keys())
def test_a_cell_written_otherwise_is_left_to_the_exact_scan(rows):
    data = _with_sheet_data(_openpyxl_workbook(1), b"<sheetData>" + rows + b"</sheetData>")
    assert _measures(data, exact=False)[0] is None


def test_text_length_never_counts_less_than_stripping_the_markup():
    """Any bytes at all, tags cut off or stray ">" and "<" included: the budget of characters
    must never be undercounted."""
    pieces = [b"<", b">", b"a", b"\xc3\xa4", b" ", b'"', b"<c>", b"</c>", b"<v>1</v>", b"&#228;"]
    rng = random.Random(17)
    for _ in range(20_000):
        block = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert text_length(block) >= len(MARKUP.sub(b"", block)), block


def test_text_length_is_exact_for_rows_as_spreadsheet_programs_write_them():
    with zipfile.ZipFile(io.BytesIO(_openpyxl_workbook(200))) as archive:
        xml = archive.read(SHEET)
    assert text_length(xml) == len(MARKUP.sub(b"", xml))
