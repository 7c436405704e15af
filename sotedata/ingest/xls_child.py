"""Read an old Excel (.xls, BIFF in an OLE2 file) in a child process with a memory limit.

An .xls cannot be measured cheaply before calamine reads it (its cells live in an OLE2 compound
file, and its strings in a table that may be copied into every cell), and calamine builds each
sheet densely: one value at IV65536 in a 6 KB file took 1,2 GB and 4 s. An allocation that fails
aborts the whole process, so the reading happens in a child that may use at most
``MEMORY_LIMIT`` of address space and ``TIME_LIMIT`` seconds; the child also checks the budget
(cells, characters) before converting anything to Python objects. Starting it costs ≈ 0,1 s.

Run as a script (``python xls_child.py``), not as a module, so that the child imports only
python-calamine: stdin is the file, argv the limits, stdout a pickle of the sheets or an error.
"""

from __future__ import annotations

import datetime
import io
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

MEMORY_LIMIT = 400_000_000
TIME_LIMIT = 20.0


def read_in_child(
    data: bytes, *, max_cells: int, max_cell_chars: int, max_chars: int
) -> tuple[str, Any]:
    """("ok", [(name, rows, hidden, merged), …]) or ("error", (code, params)); a child killed by
    its memory or time limit is ("error", ("workbook_too_large", {}))."""
    command = [
        sys.executable,
        "-I",  # isolated: no user site, no current directory on the path
        str(Path(__file__).resolve()),
        str(MEMORY_LIMIT),
        str(max_cells),
        str(max_cell_chars),
        str(max_chars),
    ]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        return "error", ("workbook_too_large", {})
    if done.returncode != 0 or not done.stdout:
        return "error", ("workbook_too_large", {})
    try:
        return CellValues(io.BytesIO(done.stdout)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError):
        return "error", ("workbook_too_large", {})


class CellValues(pickle.Unpickler):
    """Only plain values come back from the child: a child that calamine's parsing of a hostile
    file had somehow subverted could not make the server run anything by its pickle."""

    ALLOWED = frozenset({"date", "datetime", "time", "timedelta", "timezone"})

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in self.ALLOWED:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell value")


def _child(argv: list[str]) -> tuple[str, Any]:
    import resource

    memory, max_cells, max_cell_chars, max_chars = (int(value) for value in argv)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    data = sys.stdin.buffer.read()
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        cells = chars = 0
        for meta in book.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            cells += sheet.height * sheet.width
            if cells > max_cells:
                params = {"sheet": meta.name, "rows": sheet.height, "columns": sheet.width}
                return "error", ("sheet_too_large", {**params, "limit": max_cells})
            rows = sheet.to_python(skip_empty_area=False)
            for number, row in enumerate(rows):
                for column, cell in enumerate(row):
                    if isinstance(cell, str):
                        chars += len(cell)
                        if len(cell) > max_cell_chars:
                            where = {"sheet": meta.name, "row": number, "column": column}
                            return "error", ("cell_too_long", {**where, "limit": max_cell_chars})
                if chars > max_chars:
                    return "error", ("too_much_text", {"limit": max_chars})
            hidden = str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible")
            sheets.append((meta.name, rows, hidden, list(sheet.merged_cell_ranges or [])))
        return "ok", sheets
    except calamine.PasswordError:
        return "error", ("encrypted_file", {})
    except MemoryError:
        return "error", ("workbook_too_large", {})
    except Exception as error:  # calamine raises plain errors for some broken parts
        return "error", ("unreadable_file", {"reason": type(error).__name__})


if __name__ == "__main__":
    result = _child(sys.argv[1:])
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
