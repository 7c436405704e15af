"""The quick measure of a worksheet as spreadsheet programs write it (see the comment below)."""

from __future__ import annotations

import re
import zipfile

from .zip_scan import Parts, SharedStrings, Usage, column_index, fail

# The quick measure: a worksheet as Excel, LibreOffice and openpyxl write it (every <row> and <c>
# with r= first in double quotes, no prefixes, comments, CDATA or processing instructions) is
# measured with byte counts and regular expressions at C speed, a block of whole rows at a time.
# Anything else, or anything over a budget, is left to the exact scan (``SheetExtent``), which also
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
    def __init__(self, name: str, usage: Usage, shared: SharedStrings):
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
            self.width = max(self.width, column_index(letters.decode()) + 1)
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
            raise fail(self.budget, "workbook_too_large")
        if self.chars + usage.chars > self.budget.max_chars:
            raise _Unsure  # text is counted generously here: the exact scan says if it is over


def quick_sheet(
    name: str, parts: Parts, info: zipfile.ZipInfo, usage: Usage, shared: SharedStrings
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
