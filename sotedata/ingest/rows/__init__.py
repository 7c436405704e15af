"""Each kind of sheet's rows, read into records of the file's ``validate.Result``.

``check_rows`` picks the reader of the sheet's kind; the readers import ``validate`` (a cell, an
area, a measure, a date) and ``validate`` imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..validate import SheetValidator
from .grants import grant_row
from .indicators import indicator_row
from .notes import note_row
from .organiser_status import organiser_status_row
from .organisers import organiser_row
from .risks import risk_row
from .roadmap import roadmap_row
from .status import LongStatusRows, wide_row


def check_rows(sheet: SheetValidator) -> int:
    """Validate every data row of the sheet; returns the number of rows."""
    layout = sheet.layout
    labelled = layout.labelled_date
    if labelled is not None and labelled[0] is None and sheet.result.explicit_date is None:
        sheet.issue("invalid_date", labelled[1], labelled[2], value=sheet.cell(*labelled[1:]))
    rows = layout.data_rows()
    if layout.kind == "status" and not layout.wide:
        long_rows = LongStatusRows(sheet)
        for row in rows:
            long_rows.row(row)
        return len(rows)
    handler: Callable[[SheetValidator, int], None] = {
        "roadmap": roadmap_row,
        "risks": risk_row,
        "status": wide_row,
        "indicators": indicator_row,
        "grants": grant_row,
        "notes": note_row,
        "organisers": organiser_row,
        "organiser_status": organiser_status_row,
    }[layout.kind]
    for row in rows:
        handler(sheet, row)
    return len(rows)
