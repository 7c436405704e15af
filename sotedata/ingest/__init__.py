"""Importing the areas' status and risk spreadsheets: tolerant in what it reads, exact in what it
reports, all or nothing in what it stores.

``read`` (bytes → sheets) → ``sheets`` (header row, columns, kind) → ``validate`` (rows → records
and issues) → ``importer`` (the public functions below, and the store's one transaction).
"""

from .comparison import preview_changes
from .importer import Limits, import_file, parse_file
from .report import ImportReport, ParsedFile, SheetInfo

__all__ = [
    "ImportReport",
    "Limits",
    "ParsedFile",
    "SheetInfo",
    "import_file",
    "parse_file",
    "preview_changes",
]
