"""A sheet's reporting date as messages speak of it: the date in the reader's format, and whether
the sheet has a Tilannepäivä at all (a column, or a label above the header) when it is empty.

Apart from ``validate`` (which decides which warning a sheet without a date gets) to keep that
module within the 500 lines every module is held to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.i18n import fmt_date
from .headers import match_header
from .layout import Layout


@dataclass(frozen=True)
class Day:
    """A date in a message, written as the message's language writes dates ("1.12.2026")."""

    day: date

    def localise(self, lang: str | None) -> str:
        return fmt_date(self.day, lang)


def has_date_label(layout: Layout) -> bool:
    """Whether a "Tilannepäivä:" label stands above the header (its date cell may be empty)."""
    for cells in layout.sheet.rows[: layout.header_row or 0]:
        for cell in cells:
            if isinstance(cell, str) and match_header(cell.partition(":")[0]) == "reported_on":
                return True
    return False
