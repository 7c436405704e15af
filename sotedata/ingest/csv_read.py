"""CSV and text files read as a stream, with every limit applied while reading.

The file is decoded chunk by chunk and parsed row by row, so memory follows the rows kept, never a
copy of the whole text per step: 10 MB of empty lines stop at the row limit instead of becoming
ten million lists. Everything that can go wrong has its own code at its row: a NUL byte, two
encodings in one file, an unclosed quote, a cell over the per-cell limit (also the csv module's own
field limit), more columns than a worksheet can have, more rows than the import allows.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..domain.errors import Issue, SoteError, column_letter, reading_params

DELIMITERS = (";", ",", "\t")
#: read after the last line: inside a field it means a quote was never closed (NUL is refused
#: in the text itself, so no file can hold it)
_SENTINEL = "\x00end"
#: a UTF-8 letter such as ä or é (bytes C3 80–BF) in a file that is not UTF-8 as a whole
_UTF8_LETTER = re.compile(rb"[\xc3\xc5][\x80-\xbf]")


@dataclass(frozen=True)
class TextLimits:
    max_rows: int
    max_cell_chars: int
    max_columns: int = 16_384


def _fail(code: str, filename: str, row: int | None = None, **params: object) -> SoteError:
    params = reading_params({"file": filename, **params})
    return SoteError(Issue(code, file=filename, row=row, params=params))


def _utf8_error(data: bytes) -> int | None:
    """Where ``data`` stops being UTF-8 (None if it all is), without a decoded copy of it all."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    for start in range(0, len(data), step):
        try:
            decoder.decode(data[start : start + step], final=start + step >= len(data))
        except UnicodeDecodeError as error:
            return start + error.start
    return None


def encoding_of(data: bytes, filename: str) -> tuple[str, int]:
    """The codec and the number of bytes of BOM to skip: UTF-16 with a BOM, UTF-8 (with or
    without BOM), else Windows-1252; a file that mixes UTF-8 letters with other bytes is refused
    at the line of the first byte that is not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    bad = _utf8_error(data[skip:] if skip else data)
    if bad is None:
        return "utf-8", skip
    if skip or _UTF8_LETTER.search(data):
        row = data.count(b"\n", 0, bad + skip) + 1
        raise _fail("mixed_encoding", filename, row=row)
    return "cp1252", 0


def _head(data: bytes, encoding: str, skip: int) -> str:
    """The start of the text, enough to sniff the delimiter from."""
    return data[skip : skip + 65_536].decode(encoding, errors="ignore")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines most consistently: ``;``, ``,`` or tab."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ";", -1.0
    for delimiter in DELIMITERS:
        counts = [len(row) - 1 for row in csv.reader(lines, delimiter=delimiter)]
        counts = [count for count in counts if count > 0]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        # rows that agree on the most frequent width, weighted by that width
        score = counts.count(common) + common / 100
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _lines(data: bytes, encoding: str, skip: int, filename: str) -> Iterator[str]:
    """The text's lines, decoded as they are read; a NUL stops the file at its line."""
    stream = io.TextIOWrapper(
        io.BytesIO(memoryview(data)[skip:]), encoding=encoding, errors="replace", newline=""
    )
    for number, line in enumerate(stream, start=1):
        if "\x00" in line:
            raise _fail("unreadable_file", filename, row=number, reason="nul")
        yield line
    yield _SENTINEL


def read_rows(data: bytes, filename: str, limits: TextLimits) -> list[list[object]]:
    """The rows of a CSV file, empty cells as ""; raises ``SoteError`` at the first limit."""
    encoding, skip = encoding_of(data, filename)
    delimiter = sniff_delimiter(_head(data, encoding, skip))
    reader = csv.reader(_lines(data, encoding, skip, filename), delimiter=delimiter)
    rows: list[list[object]] = []
    while True:
        first_line = len(rows) + 1  # the row's number as the rest of the import counts rows
        lines_before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if reader.line_num > lines_before + 1:  # a field over many lines: a lost quote
                raise _fail("unclosed_quote", filename, row=first_line) from error
            raise SoteError(
                Issue(
                    "cell_too_long",
                    file=filename,
                    row=first_line,
                    params={"length": csv.field_size_limit(), "limit": limits.max_cell_chars},
                )
            ) from error
        if row and row[-1].endswith(_SENTINEL):
            if row == [_SENTINEL]:
                break
            raise _fail("unclosed_quote", filename, row=first_line)
        if len(row) > limits.max_columns:
            raise _fail(
                "too_many_columns", filename, row=first_line, columns=len(row),
                limit=limits.max_columns,
            )  # fmt: skip
        if row and max(map(len, row)) > limits.max_cell_chars:
            index = next(i for i, cell in enumerate(row) if len(cell) > limits.max_cell_chars)
            raise SoteError(
                Issue(
                    "cell_too_long",
                    file=filename,
                    row=first_line,
                    column=column_letter(index),
                    params={"length": len(row[index]), "limit": limits.max_cell_chars},
                )
            )
        if len(rows) >= limits.max_rows:
            total = max(len(rows) + 1, data.count(b"\n") // (2 if encoding == "utf-16" else 1))
            raise _fail("too_many_rows", filename, rows=total, limit=limits.max_rows)
        rows.append([cell if cell.strip() else "" for cell in row])
    return rows
