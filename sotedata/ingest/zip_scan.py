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
programs write it is first measured quickly by byte counts (``_Quick``); the expat scan
(``_Sheet``) takes what those counts cannot vouch for.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
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


class _Stop(Exception):
    """Raised inside an expat handler to stop parsing with an issue."""

    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


_LOCAL_NAMES: dict[str, str] = {}


def _local(name: str) -> str:
    """The local part of an expat name ("uri local" with namespace processing, or "x:c")."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rsplit(" ", 1)[-1].rsplit(":", 1)[-1]
        if len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[name] = local
    return local


_COLUMNS: dict[str, int] = {}


def _column_of(letters: str) -> int:
    column = _COLUMNS.get(letters)
    if column is None:
        column = _column_index(letters)
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = column
    return column


def _attribute(attributes: dict[str, str], local: str) -> str | None:
    value = attributes.get(local)  # the usual case: no namespace on the attribute
    if value is not None:
        return value
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

    def stream(self, info: zipfile.ZipInfo, feed: Callable[[bytes], object]) -> None:
        tail = b""
        for chunk in self._chunks(info):
            self.unpacked += len(chunk)
            if self.unpacked > self.budget.max_unpacked:
                raise _fail(
                    self.budget,
                    "file_too_large",
                    size=_mb(self.unpacked),
                    limit=_mb(self.budget.max_unpacked),
                )
            window = tail + chunk
            if (b"<!" in window or b"<\x00!" in window) and any(
                marker in window for marker in _DTD_MARKERS
            ):
                raise _unreadable(self.budget, "xml_entities")
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
                        raise _unreadable(self.budget, "broken_zip") from error
                    if not chunk:
                        return
                    yield chunk
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            raise _unreadable(self.budget, "broken_zip") from error  # opening it failed


def _parser(
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
    budget: Budget | None = None,
) -> expat.XMLParserType:
    parser = expat.ParserCreate()  # no namespace processing: names compared by local part
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


def _parse(
    parts: _Parts,
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
        raise _unreadable(parts.budget, "broken_xml") from error


class _Usage:
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

    def count_tags(self, sheet: str, feed: Callable[[bytes], object]) -> Callable[[bytes], None]:
        """``feed`` behind a count of the tags it is given: each element costs the parser a
        call, so elements that are no cells (a sheet of a hundred million ``<x/>``) are
        bounded too, before they are parsed."""

        def counted(chunk: bytes) -> None:
            self.tags += chunk.count(b"<")
            if self.tags > self.budget.max_tags:
                raise _fail(self.budget, "workbook_too_large", sheet=sheet)
            feed(chunk)

        return counted

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
    """One worksheet's extent: the largest row and column any cell stands at, and its text.

    The handlers are the hot loop of a big file (a few million elements), so each element name
    is looked up once in a table of bound methods instead of being compared branch by branch."""

    def __init__(self, name: str, usage: _Usage, shared: _SharedStrings):
        self.name = name
        self.usage = usage
        self.shared = shared
        self.budget = usage.budget
        self.row = -1  # the current row, 0-based
        self.column = -1  # the current cell's column, 0-based
        self.height = 0  # rows of the grid so far
        self.width = 0
        self.cell_type = ""
        self.in_cell = False
        self.has_value = False
        self.collect = ""  # "v" or "t": the element whose text is counted
        self.value = ""
        self.chars = 0
        self.parser: expat.XMLParserType | None = None
        self._starts: dict[str, Callable[[dict[str, str]], None]] = {}
        self._by_local_start = {
            "row": self._start_row,
            "c": self._start_cell,
            "v": self._start_v,
            "is": self._start_value,
            "f": self._start_value,
            "t": self._start_t,
        }
        self._by_local_end = {"v": self._end_text, "t": self._end_text}

    def attach(self, parser: expat.XMLParserType) -> expat.XMLParserType:
        """Only element starts are handled for most cells: a cell is finished when the next
        cell or row starts (or the part ends); text and element ends are asked for only inside
        a value that is counted, so a number cell costs two callbacks."""
        self.parser = parser
        parser.StartElementHandler = self.start
        return parser

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == "c":
            self._start_cell(attributes)
        elif name == "v":
            self._start_v(attributes)
        elif name == "row":
            self._start_row(attributes)
        else:
            handler = self._starts.get(name)
            if handler is None:
                handler = self._by_local_start.get(_local(name), _ignore)
                if len(self._starts) < 1_000:
                    self._starts[name] = handler
            handler(attributes)

    def end(self, name: str) -> None:
        if self._by_local_end.get(_local(name)) is not None:
            self._end_text()

    def _collect(self, what: str) -> None:
        self.collect = what
        assert self.parser is not None
        self.parser.CharacterDataHandler = self.text if what else None
        self.parser.EndElementHandler = self.end if what else None

    def finish(self) -> None:
        """The last cell of the part (called after parsing)."""
        self._end_cell()

    def _grow(self) -> None:
        if self.row >= self.height or self.column >= self.width:
            self.height = max(self.height, self.row + 1)
            self.width = max(self.width, self.column + 1)
            self.usage.check_area(self.name, self.height, self.width)

    def _start_row(self, attributes: dict[str, str]) -> None:
        self._end_cell()
        number = _attribute(attributes, "r") if attributes else None
        if number is None:
            self.row += 1
        elif number.isdigit() and len(number) <= 15:
            self.row = int(number) - 1
        elif number.strip().isdigit() and len(number.strip()) <= 15:
            self.row = int(number.strip()) - 1
        else:  # calamine refuses it too; an unknown reference must not hide a position
            raise _unreadable(self.budget, "broken_xml")
        self.column = -1

    def _start_cell(self, attributes: dict[str, str]) -> None:
        self._end_cell()
        reference = attributes.get("r")
        if reference is None and attributes:
            reference = _attribute(attributes, "r")
        if reference is None:
            self.column += 1
            self.row = max(self.row, 0)
        else:
            match = _REFERENCE.match(reference)
            if not match:
                raise _unreadable(self.budget, "broken_xml")
            letters, digits = match.groups()
            self.column = _column_of(letters)
            self.row = max(int(digits) - 1, 0)
        kind = attributes.get("t")
        if kind is None and attributes:
            kind = _attribute(attributes, "t")
        self.cell_type = kind.strip() if kind else "n"
        self.in_cell, self.has_value, self.chars = True, False, 0

    def _start_v(self, _attributes: dict[str, str]) -> None:
        if self.in_cell:
            self.has_value = True
            self.value = ""
            self._collect("v")

    def _start_value(self, _attributes: dict[str, str]) -> None:
        if self.in_cell:
            self.has_value = True

    def _start_t(self, _attributes: dict[str, str]) -> None:
        if self.in_cell:
            self._collect("t")

    def text(self, data: str) -> None:
        if self.collect == "v" and self.cell_type == "s":
            self.value += data[:40]
        else:
            self.chars += len(data)

    def _end_text(self) -> None:
        if self.collect == "v" and self.cell_type == "s":
            self.chars += self.shared.length(self.value)
        self._collect("")

    def _end_cell(self) -> None:
        if self.in_cell:
            self.in_cell = False
            if self.has_value:
                self._grow()
                if self.chars or self.cell_type in ("s", "str", "inlineStr"):
                    self.usage.add_text(self.chars, self.name, self.row, self.column)


def _ignore(_attributes: dict[str, str]) -> None:
    pass


def _nothing() -> None:
    pass


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
    except (expat.ExpatError, ValueError):
        # no XML to expat (an image; Excel's VML, which is not well-formed; or an encoding
        # expat lacks but calamine's reader may have): sheet data in it cannot be measured
        tail = b""

        def look(chunk: bytes) -> None:
            nonlocal tail
            window = tail + chunk
            if any(marker in window for marker in _SHEET_DATA):
                raise _unreadable(parts.budget, "broken_xml")
            tail = chunk[-40:]

        parts.stream(info, look)
    return ""


class _Found(Exception):
    pass


def _sheet_names(
    parts: _Parts, infos: dict[str, zipfile.ZipInfo]
) -> tuple[dict[str, str], set[str]]:
    """Worksheet part → the sheet's name, from the workbook and its relationships; and every
    part the workbook's relationships point to (shared strings, styles… under any name)."""
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

    def resolve(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else f"xl/{target}"

    found = {resolve(targets[rid]): name for rid, name in names.items() if targets.get(rid)}
    return found, {resolve(target) for target in targets.values() if target}


# The quick measure: a worksheet as Excel, LibreOffice and openpyxl write it (every <row> and <c>
# with r= first in double quotes, no prefixes, comments, CDATA or processing instructions) is
# measured with byte counts and regular expressions at C speed, a block of whole rows at a time.
# Anything else, or anything over a budget, is left to the exact scan (``_Sheet``), which also
# names the cell: the quick measure only ever says "within budget", and says it only when its
# counts prove that every cell was seen.
_QUICK_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_QUICK_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_QUICK_VALUED = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')
_QUICK_SHARED = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]{1,7}"[^>]*? t="s"[^>]*><v>([0-9]{1,10})</v></c>'
)
#: any attribute named r or t, however written: each must be one the strict patterns saw
_QUICK_ANY_R = re.compile(rb"[ \t\r\n]r[ \t\r\n]*=")
_QUICK_ANY_T = re.compile(rb"[ \t\r\n]t[ \t\r\n]*=")
#: a reference inside a tag (an attribute value written with &#…;): the exact scan reads it
_QUICK_AMP_IN_TAG = re.compile(rb"<[^>]*&")
_QUICK_UNSURE = re.compile(rb"</?[A-Za-z_][\w.-]*:")  # a namespace prefix
_MARKUP = re.compile(rb"<[^>]*>")
_UTF8_DECLARED = re.compile(rb"encoding\s*=\s*[\"'](?:utf-8|us-ascii)[\"']")
_BLOCK = 4 << 20


#: a row or cell tag written otherwise than "<c " / "<row ": the exact scan handles it
_QUICK_ODD_TAG = re.compile(rb"<(?:c|row)[>/\t\n\r]")


class _Unsure(Exception):
    """The quick measure cannot vouch for this part."""


class _Quick:
    def __init__(self, name: str, usage: _Usage, shared: _SharedStrings):
        self.name = name
        self.usage = usage
        self.budget = usage.budget
        self.shared = shared
        self.height = self.width = self.chars = self.tags = 0
        self.rest = b""
        self.first = True

    def feed(self, chunk: bytes) -> None:
        data = self.rest + chunk
        cut = data.rfind(b"</row>")
        if cut < 0:
            if len(data) > _BLOCK:
                raise _Unsure  # a row bigger than a block: not what a spreadsheet program writes
            self.rest = data
            return
        cut += len(b"</row>")
        self.rest = data[cut:]
        self.block(data[:cut])

    def block(self, block: bytes) -> None:
        if self.first:  # bytes are compared as UTF-8: any other encoding goes to expat
            self.first = False
            block = block.removeprefix(b"\xef\xbb\xbf")
            if block.startswith(b"<?xml"):
                declaration = block[: block.find(b"?>")].lower()
                if b"encoding" in declaration and not _UTF8_DECLARED.search(declaration):
                    raise _Unsure
                block = block[len(declaration) + 2 :]
            elif not block.lstrip().startswith(b"<"):
                raise _Unsure
        if b"\x00" in block:  # UTF-16 or UTF-32 without a declaration: not for byte counts
            raise _Unsure
        if b"<!" in block or b"<?" in block or _QUICK_UNSURE.search(block):
            raise _Unsure
        if _QUICK_ODD_TAG.search(block):
            raise _Unsure
        cells = _QUICK_CELL.findall(block)
        rows = _QUICK_ROW.findall(block)
        if len(cells) != block.count(b"<c ") or len(rows) != block.count(b"<row "):
            raise _Unsure  # a cell or row without r= (or written otherwise): the exact scan
        if len(_QUICK_ANY_R.findall(block)) != len(cells) + len(rows):
            raise _Unsure  # a second r=, or one quoted or spaced otherwise
        if len(_QUICK_ANY_T.findall(block)) != block.count(b' t="'):
            raise _Unsure
        if _QUICK_AMP_IN_TAG.search(block):
            raise _Unsure
        # the grid spans the cells with content; an empty styled cell (<c …/>) is no value
        valued = _QUICK_VALUED.findall(block)
        if valued:
            self.height = max(self.height, max(map(int, (digits for _, digits in valued))))
            letters = max({letters for letters, _ in valued}, key=lambda text: (len(text), text))
            self.width = max(self.width, _column_index(letters.decode()) + 1)
            # exact for what calamine builds (or above it): over a budget is said here at once
            self.usage.check_area(self.name, self.height, self.width)
        shared = _QUICK_SHARED.findall(block)
        if len(shared) != block.count(b' t="s"'):
            raise _Unsure
        lengths = self.shared.lengths
        for index in shared:
            number = int(index)
            if number < len(lengths):
                length = lengths[number]
                if length > self.budget.max_cell_chars:
                    raise _Unsure  # the exact scan names the cell
                self.chars += length
        text = len(_MARKUP.sub(b"", block))  # every literal character, numbers included
        if re.search(rb">[^<]{%d}" % (self.budget.max_cell_chars + 1), block):
            raise _Unsure
        self.chars += text
        self.tags += block.count(b"<")
        usage = self.usage
        if self.tags + usage.tags > self.budget.max_tags:  # counted exactly: no need to parse
            raise _fail(self.budget, "workbook_too_large")
        if self.chars + usage.chars > self.budget.max_chars:
            raise _Unsure  # text is counted generously here: the exact scan says if it is over


def _quick_sheet(
    name: str, parts: _Parts, info: zipfile.ZipInfo, usage: _Usage, shared: _SharedStrings
) -> tuple[int, int, int, int] | None:
    """(rows, columns, characters, tags) of a worksheet if the quick measure can vouch for
    them, else None."""
    quick = _Quick(name, usage, shared)
    try:
        parts.stream(info, quick.feed)
        if quick.rest:
            quick.block(quick.rest)
    except _Unsure:
        return None
    return quick.height, quick.width, quick.chars, quick.tags


def scan_xlsx(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Raise ``SoteError`` if reading this xlsx would cost more than ``budget`` allows."""
    try:
        _scan_xlsx(archive, budget)
    except _Stop as stop:
        raise SoteError(stop.issue) from None


def _scan_xlsx(archive: zipfile.ZipFile, budget: Budget) -> None:
    parts = _Parts(archive, budget)
    infos = {info.filename: info for info in archive.infolist()}
    names, linked = _sheet_names(parts, infos)
    xml = [info for info in infos.values() if not info.is_dir()]
    roots = {info.filename: _root(parts, info) for info in xml}
    for part in names:  # a sheet the workbook names but expat cannot read as one: not measured
        if part in roots and roots[part] not in _SHEET_ROOTS:
            raise _unreadable(budget, "broken_xml")
    for part, root in roots.items():
        # an XML part (or any part the workbook links: its shared strings under another name)
        # that expat cannot read would reach calamine unmeasured
        if not root and (part.endswith((".xml", ".rels")) or part in linked):
            raise _unreadable(budget, "broken_xml")
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
            name = names.get(info.filename, info.filename)
            before = parts.unpacked
            quick = _quick_sheet(name, parts, info, usage, shared)
            if quick is not None:
                height, width, chars, tags = quick
                usage.close_sheet(name, height, width)
                usage.chars += chars
                usage.tags += tags
                continue
            parts.unpacked = before  # the exact scan reads the part again
            sheet = _Sheet(name, usage, shared)
            parser = sheet.attach(_parser(budget=budget))
            _parse(parts, info, parser, usage.count_tags(sheet.name, parser.Parse))
            sheet.finish()
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
        self.parser: expat.XMLParserType | None = None

    def attach(self, parser: expat.XMLParserType) -> expat.XMLParserType:
        """Text is asked for only inside a cell."""
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        return parser

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > 4 * self.budget.max_cells:
            raise _fail(self.budget, "sheet_too_large", sheet=self.name, rows=self.height,
                        columns=self.width, limit=self.budget.max_cells)  # fmt: skip
        local = name if name == "table:table-cell" else _local(name)
        if local in ("table:table-cell", "table-cell", "covered-table-cell"):
            if self.in_table:
                self._start_cell(attributes)
        elif local == "p":
            if self.in_cell:
                self.cell_value = True
        elif local == "table-row":
            if self.in_table:
                self.row_repeat = _repeat(attributes, "number-rows-repeated")
                self.column = self.row_width = 0
        elif local == "table":
            self.name = _attribute(attributes, "name") or ""
            self.in_table = True
            self.row_index = self.height = self.width = 0
        elif local == "s" and self.in_cell:  # <text:s text:c="n"/> stands for n spaces
            self.chars += _repeat(attributes, "c")

    def _start_cell(self, attributes: dict[str, str]) -> None:
        repeat, typed, chars = 1, False, 0
        for key, value in attributes.items():  # one pass, whatever the prefixes
            local = _local(key)
            if local == "number-columns-repeated":
                repeat = _repeat({local: value}, local)
            elif local == "value-type":
                typed = True
            elif local == "string-value":
                chars = len(value)
        self.cell_repeat, self.cell_value, self.chars = repeat, typed, chars
        self.in_cell = True
        if self.parser is not None:
            self.parser.CharacterDataHandler = self.text

    def text(self, data: str) -> None:
        if self.in_cell:
            self.chars += len(data)

    def end(self, name: str) -> None:
        local = name if name == "table:table-cell" else _local(name)
        if local in ("table:table-cell", "table-cell", "covered-table-cell"):
            if self.in_cell:
                self._end_cell()
        elif local == "table-row" and self.in_table:
            self.row_index += self.row_repeat
            if self.row_width:
                self.height = self.row_index
                self.width = max(self.width, self.row_width)
                self.usage.check_area(self.name, self.height, self.width)
        elif local == "table" and self.in_table:
            self.in_table = False
            self.usage.close_sheet(self.name, self.height, self.width)

    def _end_cell(self) -> None:
        self.in_cell = False
        if self.parser is not None:
            self.parser.CharacterDataHandler = None
        first = self.column
        self.column += self.cell_repeat
        if self.cell_value:
            self.row_width = self.column
            rows, columns = self.row_index + self.row_repeat, max(self.width, self.column)
            self.usage.check_area(self.name, rows, columns)
            if self.chars:  # every repeat of the row and cell is a copy of its text
                copies = self.cell_repeat * self.row_repeat
                self.usage.add_text(self.chars, self.name, self.row_index, first, copies)


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
                _parse(parts, info, tables.attach(_parser(budget=budget)))
            else:
                parts.stream(info, lambda _chunk: None)
    except _Stop as stop:
        raise SoteError(stop.issue) from None
