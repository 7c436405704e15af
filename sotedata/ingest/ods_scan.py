"""The tables of an ODS measured before calamine reads them (see ``zip_scan``)."""

from __future__ import annotations

import zipfile
from xml.parsers import expat

from ..domain.errors import SoteError
from .zip_scan import (
    Budget,
    Parts,
    Stop,
    Usage,
    attribute_value,
    fail,
    local_name,
    parse_xml,
    xml_parser,
)


class _OdsTables:
    """content.xml's tables: a repeated row or cell with a value spans the grid calamine builds;
    repeated empty rows and cells (LibreOffice pads sheets with them) do not count."""

    def __init__(self, usage: Usage):
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
            raise fail(self.budget, "sheet_too_large", sheet=self.name, rows=self.height,
                        columns=self.width, limit=self.budget.max_cells)  # fmt: skip
        local = name if name == "table:table-cell" else local_name(name)
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
            self.name = attribute_value(attributes, "name") or ""
            self.in_table = True
            self.row_index = self.height = self.width = 0
        elif local == "s" and self.in_cell:  # <text:s text:c="n"/> stands for n spaces
            self.chars += _repeat(attributes, "c")

    def _start_cell(self, attributes: dict[str, str]) -> None:
        repeat, typed, chars = 1, False, 0
        for key, value in attributes.items():  # one pass, whatever the prefixes
            local = local_name(key)
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
        local = name if name == "table:table-cell" else local_name(name)
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
    value = (attribute_value(attributes, local) or "1").strip()
    if not value.isdigit():
        return 1
    return int(value) if len(value) <= 15 else 10**15  # beyond any budget


def scan_ods(archive: zipfile.ZipFile, budget: Budget) -> None:
    """The ODS twin of :func:`scan_xlsx`: every member streamed, content.xml's tables measured."""
    try:
        parts = Parts(archive, budget)
        usage = Usage(budget)
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.filename == "content.xml":
                tables = _OdsTables(usage)
                parse_xml(parts, info, tables.attach(xml_parser(budget=budget)))
            else:
                parts.stream(info, lambda _chunk: None)
    except Stop as stop:
        raise SoteError(stop.issue) from None
