"""The worksheets of an xlsx measured before calamine reads them: quickly by byte counts when
they can vouch for a sheet (``xlsx_quick``), else exactly with expat (``SheetExtent``)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from xml.parsers import expat

from ..domain.errors import SoteError
from .xlsx_quick import quick_sheet
from .zip_scan import (
    REFERENCE,
    SHEET_ROOTS,
    Budget,
    Parts,
    SharedStrings,
    Stop,
    Usage,
    attribute_value,
    column_of,
    local_name,
    parse_xml,
    root_tag,
    sheet_names,
    unreadable,
    xml_parser,
)


class SheetExtent:
    """One worksheet's extent: the largest row and column any cell stands at, and its text.

    The handlers are the hot loop of a big file (a few million elements), so each element name
    is looked up once in a table of bound methods instead of being compared branch by branch."""

    def __init__(self, name: str, usage: Usage, shared: SharedStrings):
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
                handler = self._by_local_start.get(local_name(name), _ignore)
                if len(self._starts) < 1_000:
                    self._starts[name] = handler
            handler(attributes)

    def end(self, name: str) -> None:
        if self._by_local_end.get(local_name(name)) is not None:
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
        number = attribute_value(attributes, "r") if attributes else None
        if number is None:
            self.row += 1
        elif number.isdigit() and len(number) <= 15:
            self.row = int(number) - 1
        elif number.strip().isdigit() and len(number.strip()) <= 15:
            self.row = int(number.strip()) - 1
        else:  # calamine refuses it too; an unknown reference must not hide a position
            raise unreadable(self.budget, "broken_xml")
        self.column = -1

    def _start_cell(self, attributes: dict[str, str]) -> None:
        self._end_cell()
        reference = attributes.get("r")
        if reference is None and attributes:
            reference = attribute_value(attributes, "r")
        if reference is None:
            self.column += 1
            self.row = max(self.row, 0)
        else:
            match = REFERENCE.match(reference)
            if not match:
                raise unreadable(self.budget, "broken_xml")
            letters, digits = match.groups()
            self.column = column_of(letters)
            self.row = max(int(digits) - 1, 0)
        kind = attributes.get("t")
        if kind is None and attributes:
            kind = attribute_value(attributes, "t")
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


def scan_xlsx(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Raise ``SoteError`` if reading this xlsx would cost more than ``budget`` allows."""
    try:
        _scan_xlsx(archive, budget)
    except Stop as stop:
        raise SoteError(stop.issue) from None


def _scan_xlsx(archive: zipfile.ZipFile, budget: Budget) -> None:
    parts = Parts(archive, budget)
    infos = {info.filename: info for info in archive.infolist()}
    names, linked = sheet_names(parts, infos)
    xml = [info for info in infos.values() if not info.is_dir()]
    roots = {info.filename: root_tag(parts, info) for info in xml}
    for part in names:  # a sheet the workbook names but expat cannot read as one: not measured
        if part in roots and roots[part] not in SHEET_ROOTS:
            raise unreadable(budget, "broken_xml")
    for part, root in roots.items():
        # an XML part (or any part the workbook links: its shared strings under another name)
        # that expat cannot read would reach calamine unmeasured
        if not root and (part.endswith((".xml", ".rels")) or part in linked):
            raise unreadable(budget, "broken_xml")
    shared = SharedStrings()
    usage = Usage(budget)
    # shared strings first (a sheet's cells are measured by them), then sheets, then the rest
    order = sorted(
        xml, key=lambda i: (roots[i.filename] != "sst", roots[i.filename] not in SHEET_ROOTS)
    )
    for info in order:
        root = roots[info.filename]
        if root == "sst":
            parse_xml(parts, info, xml_parser(shared.start, shared.end, shared.text, budget))
        elif root in SHEET_ROOTS:
            name = names.get(info.filename, info.filename)
            before = parts.unpacked
            quick = quick_sheet(name, parts, info, usage, shared)
            if quick is not None:
                height, width, chars, tags = quick
                usage.close_sheet(name, height, width)
                usage.chars += chars
                usage.tags += tags
                continue
            parts.unpacked = before  # the exact scan reads the part again
            sheet = SheetExtent(name, usage, shared)
            parser = sheet.attach(xml_parser(budget=budget))
            parse_xml(parts, info, parser, usage.count_tags(sheet.name, parser.Parse))
            sheet.finish()
            usage.close_sheet(sheet.name, sheet.height, sheet.width)
        else:
            parts.stream(info, lambda _chunk: None)  # CRC, unpacked size and DTD markers only
