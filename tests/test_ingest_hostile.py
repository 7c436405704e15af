"""Hostile and broken files: a clear error each, found cheaply, before calamine unpacks anything."""

import io
import re
import time
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from sotedata.ingest import Limits, parse_file
from sotedata.model import Measure, default_roadmap
from tests.workbooks import xlsx

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
    assert "200000" in parsed.errors[0].message()
    assert time.perf_counter() - started < 1
