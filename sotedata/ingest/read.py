"""Bytes → sheets of cell values, whatever made the file: Excel, LibreOffice or a CSV export.

One generic reader: the format is decided by the magic bytes (the extension only has to be one
we accept), workbooks are read with python-calamine (values only: macros never run, formulas give
their cached values), CSV/TXT are decoded (UTF-8 with or without BOM, else Windows-1252) and their
delimiter sniffed. Hostile input is stopped cheaply *before* calamine sees it: the size limit, the
uncompressed sizes declared in a zip's central directory (zip bombs), Office encryption, and then
what the file really holds, measured by streaming it (``zip_scan``: unpacked bytes, cells, rows,
text) or, for CSV, by reading it row by row with the same limits (``csv_read``).
Problems are raised as ``SoteError`` with the usual issue model, so they reach the same renderers.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

import python_calamine as calamine

from ..domain.errors import Issue, SoteError, column_letter, reading_params
from .csv_read import DELIMITERS, TextLimits, read_rows, sniff_delimiter
from .ods_scan import scan_ods
from .xls_child import read_in_child
from .xlsx_scan import scan_xlsx
from .zip_scan import Budget

__all__ = [
    "DELIMITERS",
    "RawSheet",
    "check_extent",
    "check_ods_extent",
    "decode_text",
    "detect_format",
    "read_csv",
    "read_sheets",
    "sniff_delimiter",
    "too_large",
]

WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
TEXT_EXTENSIONS = frozenset({".csv", ".txt"})
EXTENSIONS = WORKBOOK_EXTENSIONS | TEXT_EXTENSIONS
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: an encrypted OOXML workbook is an OLE2 file holding this stream (MS-OFFCRYPTO)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: a zip may unpack to at most this many times the size limit (xlsx compresses ≈ 5–15 ×)
ZIP_EXPANSION_LIMIT = 10
#: parts of a workbook's zip (a workbook of 200 sheets with drawings has ≈ 1 000; 150 000 empty
#: parts fit in 14 MB and took 4,6 s and 250 MB only to list)
MAX_ZIP_MEMBERS = 10_000
#: the most cells all sheets' used areas may span: calamine holds them densely and the import
#: keeps them as Python objects (≈ 180 bytes a cell in all, measured), so that an import stays
#: under 400 MB; a 200 000-row status sheet of six columns is 1,2 million
MAX_CELLS = 1_500_000
#: rows of all sheets together, when the caller names no limit (``Limits.max_rows``)
MAX_ROWS = 200_000
#: the longest text one cell may hold: longer is an error naming the cell, never normalised
MAX_CELL_CHARS = 10_000
#: characters of text in all cells together (calamine gives every cell its own copy)
MAX_CHARS = 40_000_000
_ERROR_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"')


@dataclass
class RawSheet:
    """One sheet as read: rows of cell values from A1, and the cells that hold an Excel error."""

    name: str
    rows: list[list[object]]
    hidden: bool = False
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: the cells holding an Excel error, 0-based (row, column), found only when first asked for:
    #: an error cell reads as empty, so only an empty cell where a value is needed asks
    error_loader: Callable[[], set[tuple[int, int]]] | None = None
    _error_cells: set[tuple[int, int]] | None = None

    @property
    def error_cells(self) -> set[tuple[int, int]]:
        if self._error_cells is None:
            self._error_cells = self.error_loader() if self.error_loader else set()
        return self._error_cells

    def is_error_cell(self, row: int, column: int) -> bool:
        return (row, column) in self.error_cells


def _fail(code: str, filename: str, **params: object) -> SoteError:
    params = reading_params({"file": filename, **params})
    return SoteError(Issue(code, file=filename, params=params))


def detect_format(data: bytes, filename: str, *, max_bytes: int = 20_000_000) -> str:
    """ "xlsx", "xlsb", "xls", "ods" or "csv" from the magic bytes; raises for what cannot be
    read."""
    extension = PurePath(filename).suffix.lower()
    if extension not in EXTENSIONS:
        raise _fail("unsupported_format", filename, extension=extension or "–")
    if not data.strip():
        raise _fail("empty_file", filename)
    if data.startswith(OLE2_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise _fail("encrypted_file", filename)
        return "xls"
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data, filename, max_bytes)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and extension in TEXT_EXTENSIONS:
        return "csv"  # Excel's "Unicode text": UTF-16, tab-separated
    if extension in WORKBOOK_EXTENSIONS or b"\x00" in data[:4096]:
        # named like a workbook but not one (a renamed PDF, HTML or CSV), or binary junk
        raise _fail("unreadable_file", filename, reason="not_a_workbook")
    return "csv"


def _zip_format(data: bytes, filename: str, max_bytes: int) -> str:
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _fail("unreadable_file", filename, reason="broken_zip") from error
    if len(entries) > MAX_ZIP_MEMBERS:  # every member costs each look at the zip again
        raise _fail("unreadable_file", filename, reason="too_many_parts")
    # a zip bomb: judge by the sizes the central directory declares, before anything unpacks
    declared = sum(entry.file_size for entry in entries)
    if declared > ZIP_EXPANSION_LIMIT * max_bytes:
        raise _fail("file_too_large", filename, size=_mb(declared), limit=_mb(max_bytes))
    _refuse_dtd(data, filename)
    names = {entry.filename for entry in entries}
    if "xl/workbook.bin" in names:  # binary sheets (xlsb): not measurable by their XML
        return "xlsb"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise _fail("unreadable_file", filename, reason="not_a_workbook")


def _refuse_dtd(data: bytes, filename: str) -> None:
    """XML entity tricks: no workbook part needs a DTD, so a declaration refuses the file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            if not entry.filename.endswith((".xml", ".rels")):
                continue
            try:
                with archive.open(entry) as part:
                    head = part.read(4096)
            except (
                zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError
            ) as error:  # fmt: skip
                raise _fail("unreadable_file", filename, reason="broken_zip") from error
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise _fail("unreadable_file", filename, reason="xml_entities")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


def too_large(filename: str, size: int, max_bytes: int) -> SoteError:
    """The error for a file over the size limit, known from its size alone."""
    return _fail("file_too_large", filename, size=_mb(size), limit=_mb(max_bytes))


def read_sheets(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    max_cells: int = MAX_CELLS,
    max_rows: int = MAX_ROWS,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> list[RawSheet]:
    """Every sheet of the file, in workbook order (a CSV is one sheet named after the file).

    What reading costs is bounded by what is read: a workbook is measured by streaming it
    (``zip_scan``) before calamine builds anything, a CSV is parsed row by row with its limits."""
    if len(data) > max_bytes:
        raise too_large(filename, len(data), max_bytes)
    kind = detect_format(data, filename, max_bytes=max_bytes)
    if kind == "csv":
        return [read_csv(data, filename, max_rows=max_rows, max_cell_chars=max_cell_chars)]
    if kind in ("xlsx", "xlsb", "ods"):
        budget = Budget(
            filename,
            max_unpacked=ZIP_EXPANSION_LIMIT * max_bytes,
            max_cells=max_cells,
            max_rows=max_rows,
            max_cell_chars=max_cell_chars,
            max_chars=MAX_CHARS,
        )
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            (scan_ods if kind == "ods" else scan_xlsx)(archive, budget)
    if kind in ("xls", "xlsb"):  # binary cells: read where a failed allocation harms no one
        return _read_xls(data, filename, max_cells, max_cell_chars)
    sheets = _read_workbook(data, filename, kind)
    _check_cells(sheets, filename, max_cell_chars)
    return sheets


def _read_xls(data: bytes, filename: str, max_cells: int, max_cell_chars: int) -> list[RawSheet]:
    """An .xls (or an .xlsb's binary sheets) is read by calamine in a child process with a
    memory limit (see ``xls_child``)."""
    outcome, result = read_in_child(
        data, max_cells=max_cells, max_cell_chars=max_cell_chars, max_chars=MAX_CHARS
    )
    if outcome == "error":
        code, params = result
        row, column = params.pop("row", None), params.pop("column", None)
        raise SoteError(
            Issue(
                code,
                file=filename,
                sheet=params.get("sheet"),
                row=None if row is None else row + 1,
                column=None if column is None else column_letter(column),
                params=reading_params({"file": filename, **params}),
            )
        )
    return [
        RawSheet(name, rows, hidden=hidden, merged=merged) for name, rows, hidden, merged in result
    ]


def _check_cells(sheets: list[RawSheet], filename: str, max_cell_chars: int) -> None:
    """No cell longer than the limit reaches the checks that normalise text character by
    character (a part the scan does not measure, an .xls, must not slip one through)."""
    for sheet in sheets:
        for row_number, row in enumerate(sheet.rows):
            for column, cell in enumerate(row):
                if isinstance(cell, str) and len(cell) > max_cell_chars:
                    raise SoteError(
                        Issue(
                            "cell_too_long",
                            file=filename,
                            sheet=sheet.name,
                            row=row_number + 1,
                            column=column_letter(column),
                            params={"length": len(cell), "limit": max_cell_chars},
                        )
                    )


def _read_workbook(data: bytes, filename: str, kind: str) -> list[RawSheet]:
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        scan = cache(lambda: _xlsx_error_cells(data) if kind == "xlsx" else {})
        for meta in book.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            hidden = str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible")
            sheets.append(
                RawSheet(
                    meta.name,
                    rows,  # to_python gives fresh lists
                    hidden=hidden,
                    merged=list(sheet.merged_cell_ranges or []),
                    error_loader=lambda name=meta.name: scan().get(name, set()),
                )
            )
        return sheets
    except calamine.PasswordError as error:
        raise _fail("encrypted_file", filename) from error
    except (calamine.CalamineError, calamine.XmlError, calamine.ZipError) as error:
        raise _fail("unreadable_file", filename, reason=type(error).__name__) from error
    except Exception as error:  # calamine raises plain errors for some broken parts
        raise _fail("unreadable_file", filename, reason=type(error).__name__) from error


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → its part in the zip, via the workbook's relationships ({} if unclear)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile):
        return {}
    targets = {
        rid.decode(): target.decode()
        for rid, target in re.findall(rb'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets.update(
        {
            rid.decode(): target.decode()
            for target, rid in re.findall(rb'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
        }
    )
    parts = {}
    for name, rid in re.findall(rb'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
        target = targets.get(rid.decode(), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            parts[_unescape(name.decode("utf-8"))] = part
    return parts


def _xlsx_error_cells(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Cells holding an Excel error (#REF!, #N/A…) per sheet name: calamine reads them as empty.

    Found by a byte scan of each worksheet part (``t="e"``); anything unexpected just yields no
    error cells.
    """
    found: dict[str, set[tuple[int, int]]] = {}
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name, part in _xlsx_sheet_parts(archive).items():
        try:
            xml = archive.read(part)
        except KeyError:
            continue
        if b't="e"' not in xml:  # a plain byte search first: most sheets hold no error
            continue
        cells = set()
        for letters, number in _ERROR_CELL.findall(xml):
            cells.add((int(number) - 1, _column_index(letters.decode())))
        if cells:
            found[name] = cells
    return found


def _budget(filename: str, max_cells: int) -> Budget:
    return Budget(
        filename,
        max_unpacked=ZIP_EXPANSION_LIMIT * 20_000_000,
        max_cells=max_cells,
        max_rows=MAX_ROWS,
        max_cell_chars=MAX_CELL_CHARS,
        max_chars=MAX_CHARS,
    )


def check_extent(data: bytes, filename: str, max_cells: int) -> None:
    """Refuse a sheet whose used area is too big *before* calamine builds it as a dense grid
    (one value at XFD1048576 makes a 5 KB file a grid of billions of cells): see ``zip_scan``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        scan_xlsx(archive, _budget(filename, max_cells))


def check_ods_extent(data: bytes, filename: str, max_cells: int) -> None:
    """The ODS twin of :func:`check_extent`: a repeated row or cell *with a value* (1 KB of XML
    can say "this value 300 × 200 000 times") spans the grid calamine builds. Repeated empty rows
    and cells, which LibreOffice writes for formatting, do not count."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        scan_ods(archive, _budget(filename, max_cells))


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


# --- CSV ----------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252: what Finnish Excel and
    LibreOffice write."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(
    data: bytes,
    filename: str,
    *,
    max_rows: int = MAX_ROWS,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> RawSheet:
    rows = read_rows(data, filename, TextLimits(max_rows=max_rows, max_cell_chars=max_cell_chars))
    return RawSheet(PurePath(filename).stem or filename, rows)
