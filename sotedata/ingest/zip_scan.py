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
names are compared by their local name, as calamine compares them. A sheet as spreadsheet
programs write it is first measured quickly by byte counts (``xlsx_quick``); the expat scan
(``xlsx_scan``, ``ods_scan``) takes what those counts cannot vouch for. This module holds what
the scans share: the budget, the streamed zip members, the parser and the usage counts.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from ..domain.errors import Issue, column_letter, reading_params

CHUNK = 1 << 20
#: markers of a DTD in any of the encodings an XML part may use
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
REFERENCE = re.compile(r"\s*\$?([A-Za-z]{1,10})\$?(\d{1,15})\s*\Z")
SHEET_ROOTS = frozenset({"worksheet", "dialogsheet", "macrosheet"})
_SHEET_DATA = tuple("sheetData".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


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
    #: "<" in all sheets' XML (4–6 a cell): each costs the exact scan a call
    max_tags: int = 12_000_000


class Stop(Exception):
    """Raised inside an expat handler to stop parsing with an issue."""

    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


_LOCAL_NAMES: dict[str, str] = {}


def local_name(name: str) -> str:
    """The local part of an expat name ("uri local" with namespace processing, or "x:c")."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]
        if len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[name] = local
    return local


_COLUMNS: dict[str, int] = {}


def column_of(letters: str) -> int:
    column = _COLUMNS.get(letters)
    if column is None:
        column = column_index(letters)
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = column
    return column


def attribute_value(attributes: dict[str, str], local: str) -> str | None:
    value = attributes.get(local)  # the usual case: no namespace on the attribute
    if value is not None:
        return value
    for name, value in attributes.items():
        if local_name(name) == local:
            return value
    return None


def fail(budget: Budget, code: str, *, sheet: str | None = None, **params: object) -> Stop:
    return Stop(
        Issue(
            code,
            file=budget.filename,
            sheet=sheet,
            params=reading_params({"file": budget.filename, "sheet": sheet or "", **params}),
        )
    )


def unreadable(budget: Budget, reason: str) -> Stop:
    return fail(budget, "unreadable_file", reason=reason)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",")


class Parts:
    """Streams zip members with one shared unpacked-bytes budget."""

    def __init__(self, archive: zipfile.ZipFile, budget: Budget):
        self.archive = archive
        self.budget = budget
        self.unpacked = 0

    def stream(self, info: zipfile.ZipInfo, feed: Callable[[bytes], object]) -> None:
        tail = b""
        for chunk in self._chunks(info):
            self.unpacked += len(chunk)
            if self.unpacked > self.budget.max_unpacked:
                raise fail(
                    self.budget,
                    "file_too_large",
                    size=_mb(self.unpacked),
                    limit=_mb(self.budget.max_unpacked),
                )
            window = tail + chunk
            if (b"<!" in window or b"<\x00!" in window) and any(
                marker in window for marker in _DTD_MARKERS
            ):
                raise unreadable(self.budget, "xml_entities")
            tail = chunk[-32:]
            feed(chunk)

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member unpacked, a chunk at a time; a broken archive is an unreadable file."""
        try:
            with self.archive.open(info) as part:
                while True:
                    try:
                        chunk = part.read(CHUNK)
                    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
                        raise unreadable(self.budget, "broken_zip") from error
                    if not chunk:
                        return
                    yield chunk
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            raise unreadable(self.budget, "broken_zip") from error  # opening it failed


def xml_parser(
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    budget: Budget | None = None,
) -> expat.XMLParserType:
    parser = expat.ParserCreate()  # no namespace processing: names compared by local part
    parser.buffer_text = True

    def refuse(*_: object) -> None:
        assert budget is not None
        raise unreadable(budget, "xml_entities")

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


def parse_xml(
    parts: Parts,
    info: zipfile.ZipInfo,
    parser: expat.XMLParserType,
    feed: Callable[[bytes], object] | None = None,
) -> None:
    """Feed one member to ``parser`` (through ``feed`` if given); malformed XML is an
    unreadable file."""
    try:
        parts.stream(info, feed or parser.Parse)
        parser.Parse(b"", True)
    except (expat.ExpatError, ValueError) as error:  # ValueError: an encoding expat lacks
        raise unreadable(parts.budget, "broken_xml") from error


class Usage:
    """Cells, rows and characters counted over all sheets of one file."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.cells = 0
        self.rows = 0
        self.chars = 0
        self.tags = 0

    def add_text(self, length: int, sheet: str, row: int, column: int, copies: int = 1) -> None:
        """One cell's text (``copies`` times: an ODS cell may be repeated)."""
        if length > self.budget.max_cell_chars:
            raise Stop(
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
            raise fail(self.budget, "too_much_text", limit=self.budget.max_chars)

    def count_tags(self, sheet: str, feed: Callable[[bytes], object]) -> Callable[[bytes], None]:
        """``feed`` behind a count of the tags it is given: each element costs the parser a
        call, so elements that are no cells (a sheet of a hundred million ``<x/>``) are
        bounded too, before they are parsed."""

        def counted(chunk: bytes) -> None:
            self.tags += chunk.count(b"<")
            if self.tags > self.budget.max_tags:
                raise fail(self.budget, "workbook_too_large", sheet=sheet)
            feed(chunk)

        return counted

    def _too_large(self, sheet: str, rows: int, columns: int) -> Stop:
        return fail(
            self.budget,
            "sheet_too_large",
            sheet=sheet,
            rows=rows,
            columns=columns,
            limit=self.budget.max_cells,
        )

    def check_area(self, sheet: str, rows: int, columns: int) -> None:
        if columns > self.budget.max_columns or rows * columns > self.budget.max_cells:
            raise self._too_large(sheet, rows, columns)
        if self.rows + rows > self.budget.max_rows:
            raise fail(
                self.budget, "too_many_rows", rows=self.rows + rows, limit=self.budget.max_rows
            )

    def close_sheet(self, sheet: str, rows: int, columns: int) -> None:
        self.check_area(sheet, rows, columns)
        self.rows += rows
        self.cells += rows * columns
        if self.cells > self.budget.max_cells:
            raise self._too_large(sheet, rows, columns)


class SharedStrings:
    """The length of every shared string (``<si>``), in order; text itself is not kept."""

    def __init__(self) -> None:
        self.lengths = array("q")
        self.depth = 0
        self.current = 0

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        local = local_name(name)
        if local == "si":
            self.depth += 1
            self.current = 0

    def end(self, name: str) -> None:
        if local_name(name) == "si" and self.depth:
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


def column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def root_tag(parts: Parts, info: zipfile.ZipInfo) -> str:
    """The local name of a member's root element ("" if it is no XML)."""
    found: list[str] = []

    def start(name: str, _attributes: dict[str, str]) -> None:
        found.append(local_name(name))
        raise _Found

    parser = xml_parser(start=start, budget=parts.budget)
    try:
        parts.stream(info, parser.Parse)
    except _Found:
        return found[0]
    except (expat.ExpatError, ValueError):
        # no XML to expat (an image; Excel's VML, which is not well-formed; or an encoding
        # expat lacks but calamine's reader may have): sheet data in it cannot be measured
        tail = b""

        def look(chunk: bytes) -> None:
            nonlocal tail
            window = tail + chunk
            if any(marker in window for marker in _SHEET_DATA):
                raise unreadable(parts.budget, "broken_xml")
            tail = chunk[-40:]

        parts.stream(info, look)
    return ""


class _Found(Exception):
    pass


def sheet_names(parts: Parts, infos: dict[str, zipfile.ZipInfo]) -> tuple[dict[str, str], set[str]]:
    """Worksheet part → the sheet's name, from the workbook and its relationships; and every
    part the workbook's relationships point to (shared strings, styles… under any name)."""
    names: dict[str, str] = {}  # relationship id → sheet name
    targets: dict[str, str] = {}

    def sheet(name: str, attributes: dict[str, str]) -> None:
        if local_name(name) == "sheet":
            rid = attribute_value(attributes, "id")
            if rid is not None:
                names[rid] = attribute_value(attributes, "name") or ""

    def relationship(name: str, attributes: dict[str, str]) -> None:
        if local_name(name) == "Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    for part, handler in (("xl/workbook.xml", sheet), ("xl/_rels/workbook.xml.rels", relationship)):
        if part in infos:
            parse_xml(parts, infos[part], xml_parser(start=handler, budget=parts.budget))

    def resolve(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else f"xl/{target}"

    found = {resolve(targets[rid]): name for rid, name in names.items() if targets.get(rid)}
    return found, {resolve(target) for target in targets.values() if target}
