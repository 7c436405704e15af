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
# counts prove that every cell was seen. Each check is a byte count or a search for what must not be
# there; only the cells with a value are listed (for the extent), so a 17 MB sheet of 50 000 rows
# costs about a third of a second (issue 17: the import at the reading floor).

#: a cell or row tag whose r= is not first or not a plain reference in double quotes
_QUICK_ODD_CELL = re.compile(rb'<c (?!r="[A-Z]{1,3}[0-9]{1,7}")')
_QUICK_ODD_ROW = re.compile(rb'<row (?!r="[0-9]{1,7}")')
#: the cells with a value (an empty styled cell, <c …/>, is none): their references
_QUICK_VALUED = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')
_QUICK_SHARED = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]{1,7}"[^>]*? t="s"[^>]*><v>([0-9]{1,10})</v></c>'
)
#: an attribute named r or t written otherwise than ' r="' / ' t="' (another white space before
#: it, white space around "=", other quotes); the whitespace-led half is looked for only where
#: the block holds such white space at all, which a spreadsheet program's sheet seldom does
_QUICK_ODD_RT = re.compile(rb' [rt][ \t\r\n]+=| [rt]=(?!")')
_QUICK_WHITE_RT = re.compile(rb"[\t\r\n][rt][ \t\r\n]*=")
#: a reference inside a tag (an attribute value written with &#…;): the exact scan reads it
_QUICK_AMP_IN_TAG = re.compile(rb"<[^>]*&")
_QUICK_UNSURE = re.compile(rb"</?[A-Za-z_][\w.-]*:")  # a namespace prefix
#: a run of text after a tag (its ">" included): the text of the block, counted without copying
#: the block as a markup-stripping substitution would
_TEXT_RUN = re.compile(rb">[^<]+")
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
        # every <c and <row has r= first, plainly, and no other r= or t= is written otherwise:
        # then ' r="' counts every r= there is (a second one in a tag, or one in text, makes the
        # counts differ), and the cells' references below are every position calamine will use
        cells = block.count(b"<c ")
        if _QUICK_ODD_CELL.search(block) or _QUICK_ODD_ROW.search(block):
            raise _Unsure  # a cell or row without r= (or written otherwise): the exact scan
        if block.count(b' r="') != cells + block.count(b"<row "):
            raise _Unsure  # a second r=, or one in text
        if _QUICK_ODD_RT.search(block):
            raise _Unsure  # an r= or t= quoted or spaced otherwise
        if (b"\n" in block or b"\r" in block or b"\t" in block) and _QUICK_WHITE_RT.search(block):
            raise _Unsure
        if b"&" in block and _QUICK_AMP_IN_TAG.search(block):
            raise _Unsure
        # the grid spans the cells with content; an empty styled cell (<c …/>) is no value
        valued = _QUICK_VALUED.findall(block)
        if valued:
            self.height = max(self.height, max(map(int, (digits for _, digits in valued))))
            letters = max({letters for letters, _ in valued}, key=lambda text: (len(text), text))
            self.width = max(self.width, column_index(letters.decode()) + 1)
            # exact for what calamine builds (or above it): over a budget is said here at once
            self.usage.check_area(self.name, self.height, self.width)
        strings = block.count(b' t="s"')
        shared = _QUICK_SHARED.findall(block) if strings else []
        if len(shared) != strings:
            raise _Unsure
        lengths = self.shared.lengths
        for index in shared:
            number = int(index)
            if number < len(lengths):
                length = lengths[number]
                if length > self.budget.max_cell_chars:
                    raise _Unsure  # the exact scan names the cell
                self.chars += length
        text = text_length(block)
        if re.search(rb">[^<]{%d}" % (self.budget.max_cell_chars + 1), block):
            raise _Unsure
        self.chars += text
        self.tags += block.count(b"<")
        usage = self.usage
        if self.tags + usage.tags > self.budget.max_tags:  # counted exactly: no need to parse
            raise fail(self.budget, "workbook_too_large")
        if self.chars + usage.chars > self.budget.max_chars:
            raise _Unsure  # text is counted generously here: the exact scan says if it is over


def text_length(block: bytes) -> int:
    """The bytes of ``block`` outside its tags (every literal character, numbers included): at
    least what stripping ``<…>`` leaves, counted from the text runs without building the
    stripped copy (a fifth of the time on a 17 MB sheet)."""
    runs = _TEXT_RUN.findall(block)
    first = block.find(b"<")
    if first < 0:
        return len(block)
    # after the last ">" nothing is a tag: from its first "<" on, no run counted it
    cut = block.find(b"<", block.rfind(b">") + 1)
    unclosed = len(block) - cut if cut >= 0 else 0
    return sum(map(len, runs)) - len(runs) + first + unclosed


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
