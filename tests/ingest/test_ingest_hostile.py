"""Hostile and broken files: a clear error each, found cheaply, before calamine unpacks anything."""

import io
import re
import time
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from sotedata.domain.errors import SoteError
from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import Limits, parse_file
from tests.support.workbooks import xlsx

ROADMAP = default_roadmap([Measure("H-01", "Hallintosääntö", 3, "hallinto", True, None)])
GOOD_ROWS = [["Alue", "Tunnus", "Tila", "Pvm"], ["Lappi", "H-01", "Valmis", "31.10.2026"]]


def _xlsx(rows=GOOD_ROWS) -> bytes:
    return xlsx({"Sheet": rows})


def _rezip(data: bytes, change) -> bytes:
    """The same xlsx with its parts passed through ``change(name, bytes) -> bytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def codes(data: bytes, name: str, limits: Limits | None = None) -> list[str]:
    parsed = parse_file(
        data, name, roadmap=ROADMAP, limits=limits or Limits(), today=date(2026, 1, 1)
    )
    assert not parsed.status_reports or not parsed.errors
    return [issue.code for issue in parsed.errors]


def test_the_good_file_is_good():
    assert codes(_xlsx(), "tila.xlsx") == []


@pytest.mark.parametrize("name", ["tila.pdf", "tila.docx", "tila"])
def test_an_extension_we_do_not_read_is_unsupported(name):
    assert codes(_xlsx(), name) == ["unsupported_format"]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << >> endobj\n",  # a PDF renamed .xlsx
        b"<html><body><table><tr><td>Alue</td></tr></table></body></html>",  # a web page
        b"PK\x03\x04" + b"\x00garbage" * 40,  # a broken zip
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_unreadable(data):
    assert codes(data, "tila.xlsx") == ["unreadable_file"]


def test_a_zip_that_is_no_workbook_is_unreadable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert codes(out.getvalue(), "tila.xlsx") == ["unreadable_file"]


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is():
    assert codes(_xlsx(), "tila.csv") == []


def test_empty_bytes_are_an_empty_file():
    assert codes(b"", "tila.csv") == ["empty_file"]
    assert codes(b"  \r\n", "tila.csv") == ["empty_file"]


def test_size_limit_is_checked_before_reading():
    assert codes(_xlsx(), "tila.xlsx", Limits(max_bytes=1000)) == ["file_too_large"]


def test_a_zip_bomb_is_stopped_by_its_declared_size():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 30_000_000)
    data = out.getvalue()
    assert len(data) < 100_000
    started = time.perf_counter()
    assert codes(data, "pommi.xlsx", Limits(max_bytes=1_000_000)) == ["file_too_large"]
    assert time.perf_counter() - started < 0.5


def test_too_many_rows():
    text = "Alue;Tunnus;Tila;Pvm\n" + "Lappi;H-01;Valmis;31.10.2026\n" * 20
    assert codes(text.encode(), "tila.csv", Limits(max_rows=10)) == ["too_many_rows"]


def test_xml_entity_declarations_are_refused():
    def add_entities(name: str, part: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return part
        bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            + bomb
            + re.sub(rb"^<\?xml[^>]*\?>", b"", part)
        )

    assert codes(_rezip(_xlsx(), add_entities), "tila.xlsx") == ["unreadable_file"]


def test_an_entity_used_in_a_cell_is_refused_by_calamine_too(monkeypatch):
    from sotedata.ingest import read

    def use_entity(name: str, part: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return part
        return part.replace(b"<t>Lappi</t>", b"<t>&lol;</t>")

    # without the up-front DTD check, calamine's XmlError still ends in unreadable_file
    monkeypatch.setattr(read, "_refuse_dtd", lambda *_: None)
    data = _rezip(_xlsx(), use_entity)
    assert b"&lol;" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert codes(data, "tila.xlsx") == ["unreadable_file"]


def test_a_password_protected_workbook_is_encrypted():
    # an encrypted xlsx is an OLE2 compound file holding an "EncryptedPackage" stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    ole += "EncryptedInfo".encode("utf-16-le") + b"\x00" * 50
    ole += "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1000
    assert codes(ole, "salainen.xlsx") == ["encrypted_file"]


def test_an_old_xls_that_is_broken_is_unreadable():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000
    assert codes(ole, "vanha.xls") == ["unreadable_file"]


def test_macros_are_never_run_an_xlsm_is_read_for_its_values():
    def as_macro_book(name: str, part: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return part.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            )
        return part

    data = _rezip(_xlsx(), as_macro_book)
    parsed = parse_file(data, "makrot.xlsm", roadmap=ROADMAP)
    assert not parsed.errors and len(parsed.status_reports) == 1


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOTE_MAX_UPLOAD_MB", "0,5")
    monkeypatch.setenv("SOTE_MAX_ROWS", "10")
    assert (Limits().max_bytes, Limits().max_rows) == (500_000, 10)
    monkeypatch.setenv("SOTE_MAX_ROWS", "lots")
    assert Limits().max_rows == 200_000


def test_one_value_far_away_is_refused_before_calamine_builds_the_grid():
    book = Workbook()
    book.active.append(GOOD_ROWS[0])
    book.active.cell(row=200_000, column=300, value="x")  # a 5 KB file, a 60-million-cell grid
    out = io.BytesIO()
    book.save(out)
    started = time.perf_counter()
    parsed = parse_file(out.getvalue(), "kaukana.xlsx", roadmap=ROADMAP)
    assert [e.code for e in parsed.errors] == ["sheet_too_large"]
    assert "200\u00a0000 riviä" in parsed.errors[0].message()  # written as Finnish writes it
    assert time.perf_counter() - started < 1


# --- the streamed extent check (zip_scan) ---------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _with_sheet_data(rows: bytes, root: bytes = b"") -> bytes:
    """The good workbook with its sheetData replaced (and optionally its whole sheet XML)."""

    def change(name: str, part: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return part
        if root:
            return root
        return re.sub(rb"<sheetData>.*</sheetData>", lambda _: rows, part, flags=re.S)

    return _rezip(_xlsx(), change)


def _grid(data: bytes) -> int:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False)
    return len(rows) * max((len(row) for row in rows), default=0)


VARIANTS = {
    "rows and cells without r": b"<sheetData><row><c><v>1</v></c><c/><c><v>5</v></c></row>"
    b"<row><c><v>3</v></c></row><row><c/><c/><c/><c/><c><v>2</v></c></row></sheetData>",
    "a cell after one with r": b'<sheetData><row r="1"><c r="C1"><v>1</v></c><c><v>7</v></c>'
    b'</row><row r="4"><c><v>1</v></c></row></sheetData>',
    "a cell's own row wins": b"<sheetData><row r='2'><c r='B5'><v>1</v></c></row></sheetData>",
    "rows out of order": b'<sheetData><row r="9"><c r="D9"><v>1</v></c></row>'
    b'<row r="1"><c r="A1"><v>1</v></c></row></sheetData>',
    "lower-case references": b'<sheetData><row r="1"><c r="a1"><v>1</v></c><c r="f3">'
    b"<v>1</v></c></row></sheetData>",
}


@pytest.mark.parametrize("rows", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_scan_measures_the_grid_calamine_builds(rows):
    """Refused one cell below the grid calamine would build, read at exactly that grid."""
    from sotedata.ingest.read import check_extent

    data = _with_sheet_data(rows)
    grid = _grid(data)
    check_extent(data, "t.xlsx", grid)
    with pytest.raises(SoteError) as refused:
        check_extent(data, "t.xlsx", grid - 1)
    assert refused.value.issues[0].code == "sheet_too_large"


def test_a_prefixed_single_quoted_sheet_without_references_is_still_read():
    sheet = (
        f"<?xml version='1.0' encoding='UTF-8'?><x:worksheet xmlns:x='{_MAIN}'><x:sheetData>"
        + "".join(
            "<x:row>"
            + "".join(f"<x:c t='inlineStr'><x:is><x:t>{value}</x:t></x:is></x:c>" for value in row)
            + "</x:row>"
            for row in GOOD_ROWS
        )
        + "</x:sheetData></x:worksheet>"
    ).encode()
    assert codes(_with_sheet_data(b"", root=sheet), "tila.xlsx") == []


def test_an_empty_formatted_cell_far_away_is_no_value_and_not_refused():
    # Excel writes styled empty cells (<c r=… s=…/>): calamine does not count them, nor the scan
    far = b'<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    data = _rezip(_xlsx(), lambda name, part: part.replace(b"</sheetData>", far + b"</sheetData>")
                  if name == "xl/worksheets/sheet1.xml" else part)  # fmt: skip
    assert codes(data, "tila.xlsx") == []


@pytest.mark.parametrize(("length", "expected"), [(10_000, []), (10_001, ["cell_too_long"])])
def test_a_cell_may_hold_ten_thousand_characters(length, expected):
    rows = [*GOOD_ROWS[:1], ["Lappi", "H-01", "Valmis", "31.10.2026", "x" * length]]
    assert [c for c in codes(_xlsx(rows), "tila.xlsx") if c != "ignored_column"] == expected
    text = "Alue;Tunnus;Tila;Pvm;Kommentti\nLappi;H-01;Valmis;31.10.2026;" + "x" * length
    found = parse_file(text.encode(), "tila.csv", roadmap=ROADMAP, today=date(2026, 1, 1))
    assert [e.code for e in found.errors] == expected
    if expected:
        assert found.errors[0].cell == "E2"
        assert "x" * 100 not in found.errors[0].render()


def test_a_long_shared_string_is_named_at_the_cell_that_uses_it():
    from tests.hostile.corpus import shared_string

    parsed = parse_file(shared_string(20_000, 1), "t.xlsx", roadmap=ROADMAP)
    assert [(e.code, e.sheet, e.cell) for e in parsed.errors] == [("cell_too_long", "Tila", "A3")]


def test_a_zip_whose_headers_understate_a_member_is_refused():
    from tests.hostile.corpus import zip_bomb_lying

    started = time.perf_counter()
    assert codes(zip_bomb_lying(), "t.xlsx") == ["unreadable_file"]
    assert time.perf_counter() - started < 10


def test_a_good_ods_still_reads_after_the_scan():
    from tests.hostile.corpus import HEADER, ods

    row = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for v in ["Lappi", "H-01", "Valmis", "31.10.2026"]
    )
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        for v in HEADER
    )
    data = ods(
        f'<table:table table:name="Tila"><table:table-row>{header}</table:table-row>'
        f"<table:table-row>{row}</table:table-row></table:table>"
    )
    parsed = parse_file(data, "tila.ods", roadmap=ROADMAP, today=date(2026, 1, 1))
    assert not parsed.errors and len(parsed.status_reports) == 1


# --- CSV read as a stream ----------------------------------------------------------------------


def test_ten_megabytes_of_empty_lines_stop_at_the_row_limit_in_little_memory():
    import tracemalloc

    data = b"Alue;Tunnus;Tila;Pvm\n" + b"\n" * 10_000_000
    tracemalloc.start()
    try:
        found = codes(data, "tyhja.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == ["too_many_rows"]
    assert peak < 80_000_000  # the whole text as rows took 900 MB


@pytest.mark.parametrize(
    ("data", "code", "row"),
    [
        (b'Alue;Tunnus\nLappi;"H-01\nLappi;H-01\n', "unclosed_quote", 2),
        (b"Alue;Tunnus\n" + b"x;y\n" * 2000 + b"Lap\x00pi;H-01\n", "unreadable_file", 2002),
        ("Alue;Tila\nPäijät-Häme;Käynnissä\n".encode() + "Etelä-Savo;Valmis\n".encode("cp1252"),
         "mixed_encoding", 3),
        (b"\xef\xbb\xbfAlue;Tila\nEtel\xe4-Savo;Valmis\n", "mixed_encoding", 2),
        (b"Alue;Tunnus\n" + b";" * 20_000 + b"\n", "too_many_columns", 2),
    ],
)  # fmt: skip
def test_each_broken_csv_has_its_own_code_at_its_row(data, code, row):
    parsed = parse_file(data, "t.csv", roadmap=ROADMAP, today=date(2026, 1, 1))
    assert [(e.code, e.row) for e in parsed.errors] == [(code, row)]


def test_a_windows_1252_file_without_utf8_letters_is_still_read():
    data = "Alue;Tunnus;Tila;Pvm\nPäijät-Häme;H-01;Käynnissä;31.10.2026\n".encode("cp1252")
    parsed = parse_file(data, "tila.csv", roadmap=ROADMAP, today=date(2026, 1, 1))
    assert not parsed.errors and [r.area_code for r in parsed.status_reports] == ["09"]


def test_an_xls_is_read_in_a_child_that_cannot_take_the_process_down():
    from tests.hostile.corpus import FILES

    started = time.perf_counter()
    assert codes((FILES / "far_cell.xls").read_bytes(), "vanha.xls") == ["workbook_too_large"]
    assert time.perf_counter() - started < 20


QUICK_CASES = {
    **VARIANTS,
    "as Excel writes it": b'<sheetData><row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c>'
    b'<c r="B1"><v>2</v></c><c r="C1" t="inlineStr"><is><t>abc</t></is></c></row></sheetData>',
    "t='s' single-quoted": b"<sheetData><row r='1'><c r='A1' t='s'><v>0</v></c></row></sheetData>",
    "a second v": b'<sheetData><row r="1"><c r="A1" t="s"><v>1</v><v>0</v></c></row></sheetData>',
    "r after a newline": b'<sheetData><row r="1"><c s="1"\nr="D1"><v>1</v></c></row></sheetData>',
    "t as a reference": b'<sheetData><row r="1"><c r="A1" t="&#115;"><v>0</v></c></row>'
    b"</sheetData>",
    "a comment": b'<sheetData><row r="1"><c r="A1"><v>1<!-- -->0</v></c></row></sheetData>',
}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "cp500"])
def test_a_sheet_in_another_encoding_is_measured_by_the_exact_scan(encoding):
    """Byte counts see nothing in UTF-16 or EBCDIC: such a sheet must go to the parser."""
    far = (
        f'<?xml version="1.0" encoding="{encoding}"?><worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="300000"><c r="AAA300000"><v>1</v></c></row></sheetData></worksheet>'
    ).encode(encoding)
    found = parse_file(_with_sheet_data(b"", root=far), "tila.xlsx", roadmap=ROADMAP).errors
    # measured (UTF-16 with its mark), or refused as a sheet the scan cannot read: never passed
    assert [(e.code, e.params.get("reason")) for e in found] in (
        [("sheet_too_large", None)],
        [("unreadable_file", "broken_xml")],
    )


@pytest.mark.parametrize("rows", QUICK_CASES.values(), ids=QUICK_CASES.keys())
def test_the_quick_measure_never_says_less_than_the_exact_scan(rows):
    """The byte-count measure either vouches for a bound at least as big as the exact scan's, or
    leaves the sheet to it."""
    from sotedata.ingest import zip_scan
    from sotedata.ingest.xlsx_quick import quick_sheet
    from sotedata.ingest.xlsx_scan import SheetExtent
    from tests.hostile.corpus import shared_string

    data = shared_string(50, 0)
    data = _rezip(data, lambda name, part: re.sub(
        rb"<sheetData>.*</sheetData>", lambda _: rows, part, flags=re.S
    ) if name == "xl/worksheets/sheet1.xml" else part)  # fmt: skip
    budget = zip_scan.Budget("t.xlsx", 10**9, 10**9, 10**9, 10**6, 10**9)
    archive = zipfile.ZipFile(io.BytesIO(data))
    parts = zip_scan.Parts(archive, budget)
    shared = zip_scan.SharedStrings()
    strings = zip_scan.xml_parser(shared.start, shared.end, shared.text, budget)
    zip_scan.parse_xml(parts, archive.getinfo("xl/sharedStrings.xml"), strings)
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    quick = quick_sheet("Tila", parts, info, zip_scan.Usage(budget), shared)
    usage = zip_scan.Usage(budget)
    sheet = SheetExtent("Tila", usage, shared)
    zip_scan.parse_xml(parts, info, sheet.attach(zip_scan.xml_parser(budget=budget)))
    sheet.finish()
    if quick is not None:
        height, width, chars, _tags = quick
        assert height >= sheet.height and width >= sheet.width and chars >= usage.chars
    if b"t='s'" in rows or b"<v>1</v><v>0</v>" in rows or b"&#115;" in rows:
        assert quick is None and usage.chars >= 50
    if b"<!--" in rows or b"\nr=" in rows:
        assert quick is None
    if b'spans="1:3"' in rows:  # what Excel writes is measured quickly, exactly
        assert quick is not None and quick[:2] == (sheet.height, sheet.width) == (1, 3)


def test_only_cell_values_come_back_from_the_xls_child():
    import os
    import pickle
    from datetime import datetime

    from sotedata.ingest.xls_child import CellValues

    values = ("ok", [("Tila", [["Lappi", 1.0, True, datetime(2026, 1, 1), date(2026, 1, 2)]])])
    assert CellValues(io.BytesIO(pickle.dumps(values))).load() == values
    with pytest.raises(pickle.UnpicklingError):
        CellValues(io.BytesIO(pickle.dumps(os.system))).load()


def test_a_binary_workbook_is_read_in_the_child_too(monkeypatch):
    """An .xlsb's sheets are binary, so no XML scan can measure them: calamine reads them in the
    memory-limited child (here a broken one, which the child reports as unreadable)."""
    from sotedata.ingest import read

    calls = []
    real = read.read_in_child
    monkeypatch.setattr(
        read, "read_in_child", lambda data, **kw: calls.append(1) or real(data, **kw)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00" * 50)
        archive.writestr("xl/worksheets/sheet1.bin", b"\x00\x01" * 50)
    assert codes(out.getvalue(), "binaari.xlsx") == ["unreadable_file"]
    assert calls == [1]


def test_sheet_data_in_an_encoding_expat_cannot_read_is_refused():
    """calamine's XML reader knows encodings expat does not (Shift_JIS): a sheet the scan
    cannot parse must not reach calamine unmeasured."""
    far = (
        '<?xml version="1.0" encoding="Shift_JIS"?><worksheet xmlns="' + _MAIN + '"><sheetData>'
        '<row r="300000"><c r="AAA300000"><v>1</v></c></row></sheetData></worksheet>'
    ).encode("shift_jis")
    parsed = parse_file(_with_sheet_data(b"", root=far), "tila.xlsx", roadmap=ROADMAP)
    assert [(e.code, e.params["reason"]) for e in parsed.errors] == [
        ("unreadable_file", "broken_xml")
    ]


def test_a_broken_or_cut_member_is_a_broken_zip():
    from tests.hostile.corpus import FILES

    for name in ("corrupt_deflate.xlsx", "truncated.xlsx"):
        parsed = parse_file((FILES / name).read_bytes(), name, roadmap=ROADMAP)
        assert [(e.code, e.params["reason"]) for e in parsed.errors] == [
            ("unreadable_file", "broken_zip")
        ]


def test_shared_strings_expat_cannot_read_are_refused_not_skipped():
    """Unread shared strings would count as empty: their copies into cells must not go unseen."""
    from tests.hostile.corpus import shared_string

    def as_shift_jis(name: str, part: bytes) -> bytes:
        if name != "xl/sharedStrings.xml":
            return part
        return part.replace(b'encoding="UTF-8"', b'encoding="Shift_JIS"')

    data = _rezip(shared_string(9_000, 5_000), as_shift_jis)
    parsed = parse_file(data, "t.xlsx", roadmap=ROADMAP)
    assert [(e.code, e.params.get("reason")) for e in parsed.errors] == [
        ("unreadable_file", "broken_xml")
    ]


def test_a_zip_of_too_many_parts_is_refused_from_its_listing(monkeypatch):
    from sotedata.ingest import read

    monkeypatch.setattr(read, "MAX_ZIP_MEMBERS", 12)
    data = _rezip(_xlsx(), lambda _name, part: part)
    assert codes(data, "tila.xlsx") == []  # the workbook's own ten parts or so
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        for number in range(10):
            archive.writestr(f"x/{number}", b"")
    parsed = parse_file(out.getvalue(), "tila.xlsx", roadmap=ROADMAP)
    assert [(e.code, e.params["reason"]) for e in parsed.errors] == [
        ("unreadable_file", "too_many_parts")
    ]
