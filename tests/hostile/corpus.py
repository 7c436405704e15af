"""The hostile-file corpus: what each file attacks, the error it must give, and how it is made.

Small files live in ``tests/hostile/files/`` (written by ``python -m tests.hostile.corpus``, which
rebuilds them from the builders below); the large ones (a 200 MB CSV, zip bombs, 300 000 rows)
are only built, into a temporary folder, when a test or ``make bench-hostile`` needs them.
``run_import`` runs one file through ``sote import --json`` in a child process and measures it.
"""

from __future__ import annotations

import io
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
ROOT = HERE.parents[1]
SECONDS = 20.0
PEAK_MB = 400.0
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["Alue", "Tunnus", "Tila", "Pvm"]
GOOD = [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]


def good_xlsx(rows: list[list[object]] = GOOD) -> bytes:
    book = Workbook()
    book.active.title = "Tila"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The same zip with each member passed through ``change(name, bytes)``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return out.getvalue()


def with_sheet(xml: Callable[[bytes], bytes], data: bytes | None = None) -> bytes:
    """A good workbook whose first worksheet's XML is rewritten by ``xml``."""

    def change(name: str, part: bytes) -> bytes:
        return xml(part) if name == "xl/worksheets/sheet1.xml" else part

    return rezip(data or good_xlsx(), change)


def _before_first_row(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda part: part.replace(b"<sheetData>", b"<sheetData>" + extra, 1)


def _sheet_data(rows: bytes) -> Callable[[bytes], bytes]:
    return lambda part: re.sub(rb"<sheetData>.*</sheetData>", lambda _: rows, part, flags=re.S)


# --- workbooks ------------------------------------------------------------------------------------


def far_cell_dimension_lies() -> bytes:
    """One value at AAA300000 before row 1 while <dimension> says A1:D2."""
    extra = b'<row r="300000"><c r="AAA300000" t="n"><v>1</v></c></row>'
    return with_sheet(_before_first_row(extra))


def far_cell_single_quoted() -> bytes:
    """Single quotes, attributes reordered, spaces around '=': a double-quote regex sees nothing."""
    extra = b"<row  spans='1:1' r = '7'><c s='0' t = 'n'  r = 'AAA300000' ><v>1</v></c></row>"
    return with_sheet(_before_first_row(extra))


def far_cell_prefixed() -> bytes:
    """The whole sheet in a namespace prefix (x:row, x:c), far cell included."""
    sheet = (
        f"<?xml version='1.0' encoding='UTF-8'?><x:worksheet xmlns:x='{MAIN_NS}'><x:sheetData>"
        "<x:row r='1'><x:c r='A1' t='inlineStr'><x:is><x:t>Alue</x:t></x:is></x:c></x:row>"
        "<x:row r='2'><x:c r='XFD1048576'><x:v>1</x:v></x:c></x:row>"
        "</x:sheetData></x:worksheet>"
    ).encode()
    return with_sheet(lambda _part: sheet)


def cells_without_r() -> bytes:
    """20 000 <c> without r= in one row: their position is implied by their order."""
    row = b'<row r="2">' + b"<c><v>1</v></c>" * 20_000 + b"</row>"
    return with_sheet(lambda part: part.replace(b"</sheetData>", row + b"</sheetData>"))


def rows_without_r() -> bytes:
    """300 000 <row> without r=, one cell each: 300 000 rows that no row number admits to."""
    rows = b"<sheetData>" + b"<row><c><v>1</v></c></row>" * 300_000 + b"</sheetData>"
    return with_sheet(_sheet_data(rows))


def billion_laughs() -> bytes:
    """Entity expansion: ten levels of ten entities each in the worksheet's DTD."""
    entities = b'<!ENTITY a0 "ha">' + b"".join(
        b'<!ENTITY a%d "%s">' % (n, b"&a%d;" % (n - 1) * 10) for n in range(1, 10)
    )
    doctype = b"<!DOCTYPE worksheet [" + entities + b"]>"

    def xml(part: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", part).replace(b"<t>Lappi</t>", b"<t>&a9;</t>")
        return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + body

    return with_sheet(xml)


def doctype_after_comment() -> bytes:
    """A DTD after 6 000 bytes of comment, past a check that reads only a part's first 4 KB."""

    def xml(part: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", part).replace(b"<t>Lappi</t>", b"<t>&x;</t>")
        comment = b"<!--" + b"x" * 6_000 + b"-->"
        doctype = b'<!DOCTYPE worksheet [<!ENTITY x "Lappi">]>'
        return b'<?xml version="1.0" encoding="UTF-8"?>' + comment + doctype + body

    return with_sheet(xml)


def shared_string(
    length: int, copies: int, cell: bytes = b'<c r="A%d" t="s"><v>0</v></c>'
) -> bytes:
    """A shared-strings table whose first string is ``length`` characters, used by ``copies``
    cells (calamine gives every cell its own copy)."""
    data = good_xlsx()
    cells = b"".join(
        b'<row r="%d">' % n + cell.replace(b"%d", b"%d" % n) + b"</row>"
        for n in range(3, 3 + copies)
    )
    sst = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="1" uniqueCount="1">'
        f"<si><t>{'a' * length}</t></si></sst>"
    ).encode()

    def change(name: str, part: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return part.replace(b"</sheetData>", cells + b"</sheetData>")
        if name == "[Content_Types].xml":
            return part.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        if name == "xl/_rels/workbook.xml.rels":
            return part.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                b"</Relationships>",
            )
        return part

    out = io.BytesIO(rezip(data, change))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def truncated() -> bytes:
    data = good_xlsx()
    return data[: len(data) * 3 // 5]


def corrupt_deflate() -> bytes:
    """The worksheet's deflate stream overwritten in its middle; the zip's directory is intact."""
    data = bytearray(good_xlsx())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 20, start + min(info.compress_size - 4, 120)):
        data[offset] = 0xFF
    return bytes(data)


def zip_bomb_declared() -> bytes:
    """250 MB of zeros declared honestly in the central directory (≈ 250 KB packed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good_xlsx())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        with target.open("xl/media/zeros.bin", "w", force_zip64=True) as part:
            for _ in range(250):
                part.write(bytes(1_000_000))
    return out.getvalue()


def zip_bomb_lying() -> bytes:
    """250 MB of XML whitespace whose headers declare 1 KB: a reader that trusts the central
    directory checks nothing, one that unpacks the stream gets 250 MB."""
    out = io.BytesIO()
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(good_xlsx())) as source:
        sheet = source.read(name)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                if item.filename != name:
                    target.writestr(item.filename, source.read(item.filename))
            with target.open(name, "w", force_zip64=False) as part:
                head, tail = sheet.split(b"<sheetData>")
                part.write(head + b"<sheetData>")
                for _ in range(250):
                    part.write(b" " * 1_000_000)
                part.write(b"<sheetData>" + tail)
    data = bytearray(out.getvalue())
    encoded = name.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(encoded)] == encoded:
                data[at + size_at : at + size_at + 4] = struct.pack("<I", 1000)
            at += 4
    return bytes(data)


def many_members() -> bytes:
    """150 000 empty parts beside the workbook: a 14 MB central directory."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item_name, part in _parts_of(good_xlsx()):
            archive.writestr(item_name, part)
        for number in range(150_000):
            archive.writestr(f"x/{number}", b"")
    return out.getvalue()


def _parts_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(item.filename, archive.read(item.filename)) for item in archive.infolist()]


def ole_not_a_workbook() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(3000)


def encrypted() -> bytes:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    ole += "EncryptedInfo".encode("utf-16-le") + bytes(50)
    return ole + "EncryptedPackage".encode("utf-16-le") + bytes(1000)


def html_table() -> bytes:
    """What "save as web page" writes, named .xls as Excel does."""
    return (
        b"<html xmlns:x='urn:schemas-microsoft-com:office:excel'><head><meta charset='utf-8'>"
        b"</head><body><table><tr><td>Alue</td><td>Tunnus</td></tr>"
        b"<tr><td>Lappi</td><td>H-01</td></tr></table></body></html>"
    )


def pdf_named() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def rows_300k_xlsx() -> bytes:
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Lappi</t></is></c>'
        b'<c r="B%d" t="inlineStr"><is><t>H-01</t></is></c></row>' % (n, n, n)
        for n in range(2, 300_002)
    )
    return with_sheet(lambda part: part.replace(b"</sheetData>", rows + b"</sheetData>"))


# --- ods ------------------------------------------------------------------------------------------


def ods(table: str, prolog: str = "") -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>' + prolog + "<office:document-content"
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{table}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
        archive.writestr("content.xml", content)
    return out.getvalue()


_ODS_HEADER = (
    "<table:table-row>"
    + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
        for h in HEADER
    )
    + "</table:table-row>"
)


def ods_repeat_bomb() -> bytes:
    """300 columns × 200 000 rows of one value, in 400 bytes of XML."""
    return ods(
        '<table:table table:name="Tila">' + _ODS_HEADER + "<table:table-row"
        ' table:number-rows-repeated="200000"><table:table-cell'
        ' table:number-columns-repeated="300" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )


def ods_space_bomb() -> bytes:
    """<text:s text:c="…"/> stands for that many spaces: one cell of 100 million."""
    return ods(
        '<table:table table:name="Tila">' + _ODS_HEADER + "<table:table-row><table:table-cell"
        ' office:value-type="string"><text:p>a<text:s text:c="100000000"/>b</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )


def ods_entities() -> bytes:
    return ods(
        '<table:table table:name="Tila">' + _ODS_HEADER + "</table:table>",
        prolog='<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
    )


# --- text -----------------------------------------------------------------------------------------

CSV_HEADER = b"Alue;Tunnus;Tila;Pvm\r\n"
CSV_ROW = b"Lappi;H-01;Valmis;31.10.2026\r\n"


def big_200mb() -> bytes:
    return CSV_HEADER + CSV_ROW * (200_000_000 // len(CSV_ROW))


def rows_300k_csv() -> bytes:
    return CSV_HEADER + CSV_ROW * 300_000


def empty_lines() -> bytes:
    return CSV_HEADER + b"\n" * 10_000_000


def field_over_csv_limit() -> bytes:
    return CSV_HEADER + b'Lappi;H-01;"' + b"x" * 200_000 + b'";31.10.2026\r\n'


def long_cell() -> bytes:
    return CSV_HEADER + b"Lappi;H-01;Valmis;31.10.2026;" + b"y" * 15_000 + b"\r\n"


def two_million_columns() -> bytes:
    return CSV_HEADER + b";" * 2_000_000 + b"\r\n"


def unclosed_quote() -> bytes:
    return CSV_HEADER + CSV_ROW + b'Lappi;H-01;"Valmis;31.10.2026\r\n' + CSV_ROW * 20


def nul_bytes() -> bytes:
    return CSV_HEADER + CSV_ROW * 200 + b"Lappi;H-01;Val\x00mis;31.10.2026\r\n"


def mixed_encoding() -> bytes:
    return (
        "Alue;Tunnus;Tila;Pvm\r\nPäijät-Häme;H-01;Käynnissä;31.10.2026\r\n".encode()
        + "Etelä-Savo;H-01;Käynnissä;31.10.2026\r\n".encode("cp1252")
    )


@dataclass(frozen=True)
class Case:
    name: str
    attack: str
    code: str
    make: Callable[[], bytes] | None  # None: a file kept as it is (made by another program)
    large: bool = False  # built at run time, never committed


CASES = [
    Case("far_cell_dimension_lies.xlsx", "cell at AAA300000 before row 1, <dimension> A1:D2",
         "sheet_too_large", far_cell_dimension_lies),
    Case("far_cell_single_quoted.xlsx", "far cell: single quotes, attributes reordered, spaces",
         "sheet_too_large", far_cell_single_quoted),
    Case("far_cell_prefixed.xlsx", "far cell XFD1048576 in x:-prefixed elements",
         "sheet_too_large", far_cell_prefixed),
    Case("cells_without_r.xlsx", "20 000 <c> without r= in one row (implied columns)",
         "sheet_too_large", cells_without_r),
    Case("rows_without_r.xlsx", "300 000 <row> without r= (implied rows)",
         "too_many_rows", rows_without_r),
    Case("rows_300k.xlsx", "300 000 real rows", "too_many_rows", rows_300k_xlsx, large=True),
    Case("billion_laughs.xlsx", "entity expansion (10^9 'ha') in a worksheet",
         "unreadable_file", billion_laughs),
    Case("doctype_after_comment.xlsx", "DTD after 6 KB of comment (past a 4 KB head check)",
         "unreadable_file", doctype_after_comment),
    Case("shared_string_15mb.xlsx", "one 15 MB shared string used by a cell",
         "cell_too_long", lambda: shared_string(15_000_000, 1)),
    Case("shared_string_copies.xlsx", "a 9 000-character shared string in 5 000 cells",
         "too_much_text", lambda: shared_string(9_000, 5_000)),
    Case("shared_string_copies_odd.xlsx", "the same, cells written t='s' with a second <v>",
         "too_much_text",
         lambda: shared_string(9_000, 5_000, b"<c r='A%d' t = 's'><v>1</v><v>0</v></c>")),
    Case("truncated.xlsx", "a workbook cut at 60 %", "unreadable_file", truncated),
    Case("corrupt_deflate.xlsx", "the worksheet's deflate stream overwritten",
         "unreadable_file", corrupt_deflate),
    Case("zip_bomb_declared.xlsx", "250 MB declared in the central directory",
         "file_too_large", zip_bomb_declared, large=True),
    Case("zip_bomb_lying.xlsx", "250 MB unpacked while the headers declare 1 KB",
         "unreadable_file", zip_bomb_lying, large=True),
    Case("many_members.xlsx", "150 000 empty parts in the zip (a 14 MB central directory)",
         "unreadable_file", many_members, large=True),
    Case("ole_not_a_workbook.xlsx", "an OLE2 file that holds no workbook",
         "unreadable_file", ole_not_a_workbook),
    Case("encrypted.xlsx", "a password-protected workbook (EncryptedPackage)",
         "encrypted_file", encrypted),
    Case("html_table.xls", "an HTML page named .xls", "unreadable_file", html_table),
    Case("pdf_named.xlsx", "a PDF named .xlsx", "unreadable_file", pdf_named),
    Case("far_cell.xls", "old Excel (BIFF) with one value at IV65536 (LibreOffice)",
         "workbook_too_large", None),
    Case("ods_repeat_bomb.ods", "one ODS cell repeated 300 × 200 000 times",
         "sheet_too_large", ods_repeat_bomb),
    Case("ods_space_bomb.ods", "<text:s text:c=\"100000000\"/> in one cell",
         "cell_too_long", ods_space_bomb),
    Case("ods_entities.ods", "a DTD with entities in content.xml", "unreadable_file", ods_entities),
    Case("big_200mb.csv", "a 200 MB file", "file_too_large", big_200mb, large=True),
    Case("rows_300k.csv", "300 000 rows", "too_many_rows", rows_300k_csv, large=True),
    Case("empty_lines.csv", "10 MB of empty lines", "too_many_rows", empty_lines, large=True),
    Case("field_over_csv_limit.csv", "a 200 000-character field (csv module limit 131 072)",
         "cell_too_long", field_over_csv_limit, large=True),
    Case("long_cell.csv", "a 15 000-character cell", "cell_too_long", long_cell),
    Case("two_million_columns.csv", "two million columns in one row",
         "too_many_columns", two_million_columns, large=True),
    Case("unclosed_quote.csv", "a quote that never closes", "unclosed_quote", unclosed_quote),
    Case("nul_bytes.csv", "a NUL byte in row 202", "unreadable_file", nul_bytes),
    Case("mixed_encoding.csv", "UTF-8 rows and a Windows-1252 row", "mixed_encoding",
         mixed_encoding),
]  # fmt: skip


def path_of(case: Case, folder: Path) -> Path:
    """The case's file: kept in the repository, or built into ``folder`` once."""
    if not case.large:
        return FILES / case.name
    path = folder / case.name
    if not path.exists():
        assert case.make is not None
        part = path.with_suffix(".part")
        part.write_bytes(case.make())
        part.rename(path)
    return path


def write_small() -> None:
    """Rebuild the committed small files (a file made by another program is kept)."""
    FILES.mkdir(exist_ok=True)
    for case in CASES:
        if case.make is not None and not case.large:
            data = case.make()
            assert len(data) < 200_000, (case.name, len(data))
            (FILES / case.name).write_bytes(data)


@dataclass
class Outcome:
    exit_code: int
    codes: list[str]
    seconds: float
    peak_mb: float
    stderr: str
    stdout_bytes: int
    #: CPU seconds of the child and what it waited for: the budget that holds on a busy machine,
    #: where the wall clock also counts other processes' turns
    cpu_seconds: float = 0.0


TIME = Path("/usr/bin/time")


def run_import(path: Path, db_url: str) -> Outcome:
    """``sote import --json --dry-run`` of one file in a child process: its exit code, the error
    codes it printed, its wall and CPU time and its own peak memory.

    The peak is measured by GNU time, which starts the import from its own small process: a
    child forked straight from a big parent (pytest after reading a 200 MB file) inherits that
    parent's high-water mark in its rusage. Without /usr/bin/time, wait4's figure is used."""
    sote = [sys.executable, "-c", "import sys; from sotedata.cli import main; sys.exit(main())"]
    sote += ["import", str(path), "--json", "--dry-run", "--db", db_url]
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as timed,
    ):
        command = [str(TIME), "-f", "%M %x", "-o", timed.name, *sote] if TIME.exists() else sote
        started = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=err, env={**os.environ, "SOTE_OFFLINE": "1"}
        )
        timer = threading.Timer(120, child.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        exit_code, peak_kb = os.waitstatus_to_exitcode(status), usage.ru_maxrss
        report = timed.read().split() if TIME.exists() else []
        if len(report) >= 2 and report[-2].isdigit():
            peak_kb, exit_code = int(report[-2]), int(report[-1])
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    try:
        codes = [error["code"] for error in json.loads(stdout)["errors"]]
    except (ValueError, KeyError, TypeError):
        codes = []
    cpu = usage.ru_utime + usage.ru_stime
    return Outcome(
        exit_code, codes, seconds, peak_kb / 1024, stderr.decode(errors="replace"), len(stdout), cpu
    )


def write_readme() -> None:
    """The corpus README's table, from ``CASES``."""
    head = (HERE / "README.md").read_text(encoding="utf-8").split("| File |")[0]
    lines = ["| File | What it attacks | Expected code |", "|---|---|---|"]
    for case in CASES:
        name = f"`{case.name}`" + (" *built*" if case.large else "")
        attack = re.sub(r"(<[^>]+>)", r"`\1`", case.attack)
        lines.append(f"| {name} | {attack} | `{case.code}` |")
    (HERE / "README.md").write_text(head + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_small()
    write_readme()
