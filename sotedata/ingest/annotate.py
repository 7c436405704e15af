"""The preparer's own workbook back, with every problem marked where it is.

Each cell an issue names gets a fill (red for an error, yellow for a warning) and the message and
suggestion as a cell comment; an added first sheet "Virheet" lists every issue, including those
that have no cell (a missing column, a whole sheet, the file). Only ``.xlsx``/``.xlsm`` can be
written back; macros are not kept, so the copy is a plain ``.xlsx``.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from collections.abc import Iterable
from io import BytesIO
from pathlib import PurePath

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.errors import Issue, SoteError, reading_params
from ..domain.i18n import t

ERROR_FILL = PatternFill("solid", start_color="FFC7CE")
WARNING_FILL = PatternFill("solid", start_color="FFEB9C")
AUTHOR = "Sote-tilannekuva"
ANNOTATABLE = frozenset({".xlsx", ".xlsm"})


def can_annotate(filename: str) -> bool:
    """Whether ``annotate_workbook`` can write this kind of file back."""
    return PurePath(filename).suffix.lower() in ANNOTATABLE


def annotated_name(filename: str, lang: str | None = None) -> str:
    """The name of the marked copy: "tila.xlsm" → "tila_virheet.xlsx" ("tila_fel.xlsx")."""
    return f"{PurePath(filename).stem}_{t('annotate.file_suffix', lang)}.xlsx"


def issue_rows(issues: Iterable[Issue], lang: str | None = None) -> list[dict[str, object]]:
    """The issues as table rows for a page, in the columns a preparer looks for them by (text)."""
    return [
        {
            t("annotate.col.cell", lang): issue.cell or "",
            t("annotate.col.sheet", lang): issue.sheet or "",
            t("annotate.col.row", lang): "" if issue.row is None else str(issue.row),
            t("annotate.col.message", lang): issue.message(lang),
            t("annotate.col.suggestion", lang): issue.suggestion(lang) or "",
        }
        for issue in issues
    ]


def _set(sheet: Worksheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and cell.data_type in ("f", "e"):
        cell.data_type = "s"  # a message quoting "=SUMMA(…)" or "#REF!" stays text


def _anchor(sheet: Worksheet, ref: str):
    """The cell to mark: a merged range's top-left cell holds its value and its comment."""
    cell = sheet[ref]
    if isinstance(cell, MergedCell):
        for merged in sheet.merged_cells.ranges:
            if ref in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _comment_text(issues: list[Issue], lang: str) -> str:
    parts = []
    for issue in issues:
        text = f"{t(f'error.severity.{issue.severity}', lang)}: {issue.message(lang)}"
        fix = issue.suggestion(lang)
        parts.append(f"{text}\n{fix}" if fix else text)
    return "\n\n".join(parts)


def _errors_sheet(book, issues: list[Issue], lang: str) -> None:
    name = t("annotate.sheet", lang)
    title = name
    number = 2
    while title in book.sheetnames:
        title, number = f"{name} ({number})", number + 1
    sheet = book.create_sheet(title, 0)
    headers = [
        t("annotate.col.severity", lang),
        t("annotate.col.sheet", lang),
        t("annotate.col.cell", lang),
        t("annotate.col.row", lang),
        t("annotate.col.message", lang),
        t("annotate.col.suggestion", lang),
        t("annotate.col.code", lang),
    ]
    for column, name in enumerate(headers, start=1):
        _set(sheet, 1, column, name)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for row, issue in enumerate(issues, start=2):
        values = [
            t(f"error.severity.{issue.severity}", lang),
            issue.sheet,
            issue.cell or (issue.column if issue.row is None else None),
            issue.row,
            issue.message(lang),
            issue.suggestion(lang),
            issue.code,
        ]
        for column, value in enumerate(values, start=1):
            _set(sheet, row, column, value)
            sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=1).fill = (
            ERROR_FILL if issue.severity == "error" else WARNING_FILL
        )
    for letter, width in zip("ABCDEFG", (10, 18, 8, 7, 70, 60, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.active = 0
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False


def annotate_workbook(data: bytes, issues: Iterable[Issue], *, lang: str | None = None) -> bytes:
    """``data`` (an .xlsx/.xlsm) with each issue's cell filled and commented, and a list sheet."""
    issues = list(issues)
    try:
        book = load_workbook(BytesIO(data), rich_text=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        name = next((issue.file for issue in issues if issue.file), "")  # the message names it
        params = reading_params({"file": name, "reason": type(error).__name__})
        raise SoteError(Issue("unreadable_file", file=name or None, params=params)) from error
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.sheet in book.sheetnames and issue.cell:
            by_cell[(issue.sheet, issue.cell)].append(issue)
    for (sheet_name, ref), found in by_cell.items():
        sheet = book[sheet_name]
        cell = _anchor(sheet, ref)
        errors = any(issue.severity == "error" for issue in found)
        cell.fill = ERROR_FILL if errors else WARNING_FILL
        text = _comment_text(found, lang)
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n\n{text}"  # the preparer's own note stays first
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, min(600, 80 + 40 * len(found))
        cell.comment = comment
    _errors_sheet(book, issues, lang)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def errors_workbook(issues: Iterable[Issue], *, lang: str | None = None) -> bytes:
    """Only the "Virheet" list, as a new workbook (when the preparer's own cannot be marked)."""
    book = Workbook()
    book.remove(book.active)
    _errors_sheet(book, list(issues), lang)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
