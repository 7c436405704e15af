"""Importing the areas' status and risk spreadsheets: tolerant in what it reads, exact in what it
reports, all or nothing in what it stores.

``read`` (bytes → sheets) → ``sheets`` (header row, columns, kind) → ``validate`` (rows → records
and issues) → ``importer`` (the store's one transaction), which yields a ``report``; what an
accepted file changes against what is stored is ``comparison``. The public functions are below.
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
