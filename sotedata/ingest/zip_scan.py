"""What a zipped workbook (xlsx, ods) would cost to read, measured by reading it, never believed.

python-calamine builds each sheet as a dense grid from its smallest to its largest cell and copies
a shared string into every cell that uses it; a grid or a copy too big for memory aborts the whole
process (a Rust abort: no exception, the server dies with it). So before calamine sees a file,
every member of the zip is unpacked as a stream (CRC checked, unpacked bytes counted against a
budget: a central directory that lies about sizes gains nothing), and every XML part is parsed
with expat: no DTD or entity declaration is accepted, and in each worksheet every ``<row>`` and
``<c>`` is counted wherever it stands, whatever its quoting, attribute order or namespace prefix,
and with or without ``r=`` (a missing reference is the next position, as calamine reads it). A
hard budget of cells, rows and characters stops the scan as soon as it is exceeded. The element
names are compared by their local name, as calamine compares them.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from xml.parsers import expat

from ..errors import Issue, SoteError, column_letter

CHUNK = 1 << 20
#: markers of a DTD in any of the encodings an XML part may use
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_REFERENCE = re.compile(r"\s*\$?([A-Za-z]{1,10})\$?(\d{1,15})\s*\Z")
_SHEET_ROOTS = frozenset({"worksheet", "dialogsheet", "macrosheet"})


@dataclass(frozen=True)
class Budget:
    """What reading one file may cost; beyond any of these the file is refused with an error."""

    filename: str
    max_unpacked: int  # bytes unpacked from the whole zip
    max_cells: int  # cells of all sheets' grids together (calamine holds them densely)
    max_rows: int  # rows of all sheets together
    max_cell_chars: int  # characters in one cell
    max_chars: int  # characters of text in all cells together (each cell holds its own copy)
    max_columns: int = 16_384  # Excel's widest sheet (XFD)


class _Stop(Exception):
    """Raised inside an expat handler to stop parsing with an issue."""

    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


def _local(name: str) -> str:
    """The local part of an expat name ("uri local" with namespace processing, or "x:c")."""
    return name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]


def _attribute(attributes: dict[str, str], local: str) -> str | None:
    for name, value in attributes.items():
        if _local(name) == local:
            return value
    return None


def _fail(budget: Budget, code: str, *, sheet: str | None = None, **params: object) -> _Stop:
    return _Stop(
        Issue(
            code,
            file=budget.filename,
            sheet=sheet,
            params={"file": budget.filename, "sheet": sheet or "", **params},
        )
    )


def _unreadable(budget: Budget, reason: str) -> _Stop:
    return _fail(budget, "unreadable_file", reason=reason)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


class _Parts:
    """Streams zip members with one shared unpacked-bytes budget."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget):
        self.archive = archive
        self.budget = budget
        self.unpacked = 0

    def stream(self, info: zipfile.ZipInfo, feed: Callable[[bytes], None]) -> None:
        tail = b""
        try:
            with self.archive.open(info) as part:
                while chunk := part.read(CHUNK):
                    self.unpacked += len(chunk)
                    if self.unpacked > self.budget.max_unpacked:
                        raise _fail(
                            self.budget,
                            "file_too_large",
                            size=_mb(self.unpacked),
                            limit=_mb(self.budget.max_unpacked),
                        )
                    window = tail + chunk
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise _unreadable(self.budget, "xml_entities")
                    tail = chunk[-32:]
                    feed(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
            raise _unreadable(self.budget, "broken_zip") from error
        except NotImplementedError as error:  # an unknown compression method
            raise _unreadable(self.budget, "broken_zip") from error


def _parser(
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    budget: Budget | None = None,
) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_: object) -> None:
        assert budget is not None
        raise _unreadable(budget, "xml_entities")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    return parser


def _parse(parts: _Parts, info: zipfile.ZipInfo, parser: expat.XMLParserType) -> None:
    """Feed one member to ``parser``; malformed XML is an unreadable file."""
    try:
        parts.stream(info, parser.Parse)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise _unreadable(parts.budget, "broken_xml") from error


class _Usage:
    """Cells, rows and characters counted over all sheets of one file."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.cells = 0
        self.rows = 0
        self.chars = 0

    def add_text(self, length: int, sheet: str, row: int, column: int, copies: int = 1) -> None:
        """One cell's text (``copies`` times: an ODS cell may be repeated)."""
        if length > self.budget.max_cell_chars:
            raise _Stop(
                Issue(
                    "cell_too_long",
                    file=self.budget.filename,
                    sheet=sheet,
                    row=row + 1,
                    column=column_letter(column),
                    params={"length": length, "limit": self.budget.max_cell_chars},
                )
            )
        self.chars += length * copies
        if self.chars > self.budget.max_chars:
            raise _fail(self.budget, "too_much_text", limit=self.budget.max_chars)

    def check_area(self, sheet: str, rows: int, columns: int) -> None:
        if columns > self.budget.max_columns or rows * columns > self.budget.max_cells:
            raise _fail(
                self.budget,
                "sheet_too_large",
                sheet=sheet,
                rows=rows,
                columns=columns,
                limit=self.budget.max_cells,
            )
        if self.rows + rows > self.budget.max_rows:
            raise _fail(
                self.budget, "too_many_rows", rows=self.rows + rows, limit=self.budget.max_rows
            )

    def close_sheet(self, sheet: str, rows: int, columns: int) -> None:
        self.check_area(sheet, rows, columns)
        self.rows += rows
        self.cells += rows * columns
        if self.cells > self.budget.max_cells:
            raise _fail(
                self.budget,
                "sheet_too_large",
                sheet=sheet,
                rows=rows,
                columns=columns,
                limit=self.budget.max_cells,
            )


# --- xlsx -----------------------------------------------------------------------------------------


class _SharedStrings:
    """The length of every shared string (``<si>``), in order; text itself is not kept."""

    def __init__(self) -> None:
        self.lengths = array("q")
        self.depth = 0
        self.current = 0

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            self.depth += 1
            self.current = 0

    def end(self, name: str) -> None:
        if _local(name) == "si" and self.depth:
            self.depth -= 1
            self.lengths.append(self.current)

    def text(self, data: str) -> None:
        if self.depth:
            self.current += len(data)

    def length(self, index: str) -> int:
        try:
            number = int(index.strip())
        except ValueError:
            return 0
        return self.lengths[number] if 0 <= number < len(self.lengths) else 0


class _Sheet:
    """One worksheet's extent: the largest row and column any cell stands at, and its text."""

    def __init__(self, name: str, usage: _Usage, shared: _SharedStrings):
        self.name = name
        self.usage = usage
        self.shared = shared
        self.budget = usage.budget
        self.row = -1  # the current row, 0-based
        self.column = -1  # the current cell's column, 0-based
        self.height = 0  # rows of the grid so far
        self.width = 0
        self.elements = 0
        self.cell_type = ""
        self.in_cell = False
        self.has_value = False
        self.collect: str | None = None  # "v" or "t": the element whose text is counted
        self.value = ""
        self.chars = 0

    def _grow(self, row: int, column: int) -> None:
        if row + 1 > self.height or column + 1 > self.width:
            self.height = max(self.height, row + 1)
            self.width = max(self.width, column + 1)
            self.usage.check_area(self.name, self.height, self.width)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > 4 * self.budget.max_cells:
            raise _fail(self.budget, "sheet_too_large", sheet=self.name, rows=self.height,
                        columns=self.width, limit=self.budget.max_cells)  # fmt: skip
        local = _local(name)
        if local == "row":
            number = _attribute(attributes, "r")
            if number is None:
                self.row += 1
            elif number.strip().isdigit() and len(number.strip()) <= 15:
                self.row = int(number) - 1
            else:  # calamine refuses it too; an unknown reference must not hide a position
                raise _unreadable(self.budget, "broken_xml")
            self.column = -1
        elif local == "c":
            reference = _attribute(attributes, "r")
            if reference is None:
                self.column += 1
                self.row = max(self.row, 0)
            else:
                match = _REFERENCE.match(reference)
                if not match:
                    raise _unreadable(self.budget, "broken_xml")
                self.column = _column_index(match.group(1))
                self.row = max(int(match.group(2)) - 1, 0)
            self.cell_type = (_attribute(attributes, "t") or "n").strip()
            self.in_cell, self.has_value, self.chars = True, False, 0
        elif self.in_cell and local in ("v", "is", "f"):
            self.has_value = True
            if local == "v":
                self.collect, self.value = "v", ""
        elif self.in_cell and local == "t":
            self.collect = "t"

    def text(self, data: str) -> None:
        if self.collect == "v":
            if self.cell_type == "s":
                self.value += data[:40]
            else:
                self.chars += len(data)
        elif self.collect == "t":
            self.chars += len(data)

    def end(self, name: str) -> None:
        local = _local(name)
        if local in ("v", "t"):
            if local == "v" and self.cell_type == "s":
                self.chars += self.shared.length(self.value)
            self.collect = None
        elif local == "c" and self.in_cell:
            self.in_cell = False
            if self.has_value:
                self._grow(self.row, self.column)
                if self.cell_type in ("s", "str", "inlineStr") or self.chars:
                    self.usage.add_text(self.chars, self.name, self.row, self.column)


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _root(parts: _Parts, info: zipfile.ZipInfo) -> str:
    """The local name of a member's root element ("" if it is no XML)."""
    found: list[str] = []

    def start(name: str, _attributes: dict[str, str]) -> None:
        found.append(_local(name))
        raise _Found

    parser = _parser(start=start, budget=parts.budget)
    try:
        parts.stream(info, parser.Parse)
    except _Found:
        return found[0]
    except expat.ExpatError:
        return ""
    return ""


class _Found(Exception):
    pass


def _sheet_names(parts: _Parts, infos: dict[str, zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part → the sheet's name, from the workbook and its relationships."""
    names: dict[str, str] = {}  # relationship id → sheet name
    targets: dict[str, str] = {}

    def sheet(name: str, attributes: dict[str, str]) -> None:
        if _local(name) == "sheet":
            rid = _attribute(attributes, "id")
            if rid is not None:
                names[rid] = _attribute(attributes, "name") or ""

    def relationship(name: str, attributes: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    for part, handler in (("xl/workbook.xml", sheet), ("xl/_rels/workbook.xml.rels", relationship)):
        if part in infos:
            _parse(parts, infos[part], _parser(start=handler, budget=parts.budget))
    found = {}
    for rid, name in names.items():
        target = targets.get(rid, "")
        if target:
            found[target.lstrip("/") if target.startswith("/") else f"xl/{target}"] = name
    return found


def scan_xlsx(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Raise ``SoteError`` if reading this xlsx would cost more than ``budget`` allows."""
    try:
        _scan_xlsx(archive, budget)
    except _Stop as stop:
        raise SoteError(stop.issue) from None


def _scan_xlsx(archive: zipfile.ZipFile, budget: Budget) -> None:
    parts = _Parts(archive, budget)
    infos = {info.filename: info for info in archive.infolist()}
    names = _sheet_names(parts, infos)
    xml = [info for info in infos.values() if not info.is_dir()]
    roots = {info.filename: _root(parts, info) for info in xml}
    shared = _SharedStrings()
    usage = _Usage(budget)
    # shared strings first (a sheet's cells are measured by them), then sheets, then the rest
    order = sorted(
        xml, key=lambda i: (roots[i.filename] != "sst", roots[i.filename] not in _SHEET_ROOTS)
    )
    for info in order:
        root = roots[info.filename]
        if root == "sst":
            _parse(parts, info, _parser(shared.start, shared.end, shared.text, budget))
        elif root in _SHEET_ROOTS:
            sheet = _Sheet(names.get(info.filename, info.filename), usage, shared)
            _parse(parts, info, _parser(sheet.start, sheet.end, sheet.text, budget))
            usage.close_sheet(sheet.name, sheet.height, sheet.width)
        else:
            parts.stream(info, lambda _chunk: None)  # CRC, unpacked size and DTD markers only


# --- ods ------------------------------------------------------------------------------------------


class _OdsTables:
    """content.xml's tables: a repeated row or cell with a value spans the grid calamine builds;
    repeated empty rows and cells (LibreOffice pads sheets with them) do not count."""

    def __init__(self, usage: _Usage):
        self.usage = usage
        self.budget = usage.budget
        self.name = ""
        self.in_table = False
        self.row_index = 0  # rows so far, repeats included
        self.row_repeat = 1
        self.column = 0
        self.row_width = 0
        self.height = self.width = 0
        self.cell_repeat = 1
        self.in_cell = False
        self.cell_value = False
        self.chars = 0
        self.elements = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > 4 * self.budget.max_cells:
            raise _fail(self.budget, "sheet_too_large", sheet=self.name, rows=self.height,
                        columns=self.width, limit=self.budget.max_cells)  # fmt: skip
        local = _local(name)
        if local == "table":
            self.name = _attribute(attributes, "name") or ""
            self.in_table = True
            self.row_index = self.height = self.width = 0
        elif local == "table-row" and self.in_table:
            self.row_repeat = _repeat(attributes, "number-rows-repeated")
            self.column = self.row_width = 0
        elif local in ("table-cell", "covered-table-cell") and self.in_table:
            self.cell_repeat = _repeat(attributes, "number-columns-repeated")
            self.in_cell = True
            self.cell_value = _attribute(attributes, "value-type") is not None
            self.chars = len(_attribute(attributes, "string-value") or "")
        elif local == "p" and self.in_cell:
            self.cell_value = True
        elif local == "s" and self.in_cell:  # <text:s text:c="n"/> stands for n spaces
            self.chars += _repeat(attributes, "c")

    def text(self, data: str) -> None:
        if self.in_cell:
            self.chars += len(data)

    def end(self, name: str) -> None:
        local = _local(name)
        if local in ("table-cell", "covered-table-cell") and self.in_cell:
            self.in_cell = False
            first = self.column
            self.column += self.cell_repeat
            if self.cell_value:
                self.row_width = self.column
                rows, columns = self.row_index + self.row_repeat, max(self.width, self.column)
                self.usage.check_area(self.name, rows, columns)
                if self.chars:  # every repeat of the row and cell is a copy of its text
                    copies = self.cell_repeat * self.row_repeat
                    self.usage.add_text(self.chars, self.name, self.row_index, first, copies)
        elif local == "table-row" and self.in_table:
            self.row_index += self.row_repeat
            if self.row_width:
                self.height = self.row_index
                self.width = max(self.width, self.row_width)
                self.usage.check_area(self.name, self.height, self.width)
        elif local == "table" and self.in_table:
            self.in_table = False
            self.usage.close_sheet(self.name, self.height, self.width)


def _repeat(attributes: dict[str, str], local: str) -> int:
    value = (_attribute(attributes, local) or "1").strip()
    if not value.isdigit():
        return 1
    return int(value) if len(value) <= 15 else 10**15  # beyond any budget


def scan_ods(archive: zipfile.ZipFile, budget: Budget) -> None:
    """The ODS twin of :func:`scan_xlsx`: every member streamed, content.xml's tables measured."""
    try:
        parts = _Parts(archive, budget)
        usage = _Usage(budget)
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.filename == "content.xml":
                tables = _OdsTables(usage)
                _parse(parts, info, _parser(tables.start, tables.end, tables.text, budget))
            else:
                parts.stream(info, lambda _chunk: None)
    except _Stop as stop:
        raise SoteError(stop.issue) from None
