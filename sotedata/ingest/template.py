"""The workbook a preparer fills in: instructions, the roadmap, a status sheet and a risk sheet.

Sheet names, headers, words and instructions are in the preparer's language (Finnish, Swedish or
English); every header and word is one the importer (``sotedata.ingest``, ``data/headers.csv``,
``data/value_words.csv``) recognises, so a filled template imports as it is. The status sheet
comes in two shapes: *wide* (measures down, one column per area, the reporting date in a labelled
cell above the header) for a file that covers every area, or *long* (one row per measure) for the
one area named by ``area_code``. Drop-down lists offer the status words, the 1–5 scores and the
area names; date cells carry the d.m.yyyy date format. Any text that starts with ``=`` is written
as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..domain import areas
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_date, normalise_language, t
from ..domain.model import Roadmap, Status, StatusReport

DATE_FORMAT = "d.m.yyyy"
#: rows below the last measure that keep their drop-downs (for rows a preparer adds)
SPARE_ROWS = 200
RISK_ROWS = 300

#: the sheets, by their message keys (``template.sheet.<key>``): named in the template's language;
#: the importer finds a sheet's kind from its headers, never from its name
SHEETS = ("help", "roadmap", "status", "risks", "lists")
#: each sheet's columns as the importer's canonical names, headed by ``template.col.<name>``, whose
#: text in every language is a header ``data/headers.csv`` knows
#: (tests/ingest/test_template_languages.py)
ROADMAP_COLUMNS = ("measure_id", "measure", "phase", "work_stream", "critical", "deadline")
STATUS_LONG_COLUMNS = ("area", "measure_id", "measure", "status", "reported_on", "comment")
STATUS_WIDE_COLUMNS = ("measure_id", "measure")
#: the pre-filled area template's last column: what was last reported ("Käynnissä 15.12.2022"),
#: for reading only; the importer knows the header and reads nothing from it
PREVIOUS_COLUMN = "previous"
RISK_COLUMNS = (
    "area",
    "risk",
    "theme",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "reported_on",
)


def sheet_name(key: str, lang: str | None = None) -> str:
    return t(f"template.sheet.{key}", lang)


def headers(columns: tuple[str, ...], lang: str | None = None) -> tuple[str, ...]:
    """The header texts of ``columns`` in ``lang``."""
    return tuple(t(f"template.col.{column}", lang) for column in columns)


def national(lang: str | None = None) -> str:
    """What a national (no area) risk's area cell says: "Koko maa", "Hela landet"."""
    return t("template.national", lang)


def reported_on_label(lang: str | None = None) -> str:
    """The label left of the wide sheet's reporting date ("Tilannepäivä:")."""
    return t("template.col.reported_on", lang) + ":"


#: the status words offered in the drop-down, in the order of the roadmap's life
STATUS_ORDER = (
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DONE,
    Status.DELAYED,
    Status.NOT_APPLICABLE,
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDE7F0")
_INPUT_FILL = PatternFill("solid", start_color="FFF8DC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _put(sheet: Worksheet, row: int, column: int, value: object):
    """Write one cell; text that openpyxl would take for a formula or an error stays text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and cell.data_type in ("f", "e"):
        cell.data_type = "s"  # "=…" would become a formula, "#REF!" an error cell
    return cell


def _header(sheet: Worksheet, row: int, headers: tuple[str, ...] | list[str]) -> None:
    for column, name in enumerate(headers, start=1):
        cell = _put(sheet, row, column, name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP


def _widths(sheet: Worksheet, widths: dict[int, float]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width


def status_words(lang: str | None = None) -> list[str]:
    return [status.label(lang) for status in STATUS_ORDER]


def area_names(lang: str | None = None) -> list[str]:
    """The official names of the 22 areas, in code order (Helsinki after the counties)."""
    return [area.name(lang) for area in areas.reform_areas()]


def _list_validation(formula: str, prompt: str, error: str, lang: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.prompt = prompt
    validation.showInputMessage = True
    validation.error = error
    validation.errorTitle = t("template.validation.title", lang)
    validation.showErrorMessage = True
    return validation


def _date_validation(lang: str) -> DataValidation:
    validation = DataValidation(
        type="date", operator="greaterThan", formula1="36526", allow_blank=True
    )  # 36526 = 1.1.2000, Excel's serial day number
    validation.prompt = t("template.validation.date", lang)
    validation.showInputMessage = True
    validation.error = t("template.validation.date", lang)
    validation.errorTitle = t("template.validation.title", lang)
    validation.showErrorMessage = True
    return validation


def _help_sheet(
    sheet: Worksheet, roadmap: Roadmap, area_code: str | None, lang: str, prefilled: bool
) -> None:
    lines = [t("template.help.title", lang), ""]
    if area_code is None:
        lines += [t("template.help.wide", lang), t("template.help.wide_date", lang)]
    else:
        lines += [t("template.help.long", lang, area=areas.get(area_code).name(lang))]
        lines += [t("template.help.prefilled" if prefilled else "template.help.blank", lang)]
    lines += [
        t("template.help.statuses", lang, statuses=", ".join(status_words(lang))),
        t("template.help.dates", lang, example=fmt_date(date(2026, 11, 23), lang)),
        t("template.help.risks", lang, national=national(lang)),
        t("template.help.roadmap", lang),
        t("template.help.files", lang),
        t("template.help.upload", lang),
        "",
        t("template.help.measures", lang, count=len(roadmap.measures)),
    ]
    for row, line in enumerate(lines, start=1):
        cell = _put(sheet, row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _roadmap_sheet(sheet: Worksheet, roadmap: Roadmap, lang: str) -> None:
    _header(sheet, 1, headers(ROADMAP_COLUMNS, lang))
    for row, measure in enumerate(roadmap.measures, start=2):
        _put(sheet, row, 1, measure.id)
        _put(sheet, row, 2, measure.name)
        _put(sheet, row, 3, measure.phase)
        _put(sheet, row, 4, roadmap.work_stream(measure.work_stream).name(lang))
        _put(sheet, row, 5, t("template.yes" if measure.critical else "template.no", lang))
        if measure.deadline is not None:
            _put(sheet, row, 6, measure.deadline).number_format = DATE_FORMAT
    sheet.freeze_panes = "C2"
    _widths(sheet, {1: 10, 2: 60, 3: 8, 4: 34, 5: 11, 6: 13})


def _lists_sheet(sheet: Worksheet, lang: str) -> str:
    """The area names for the drop-downs (a list too long to write into the validation itself).
    Returns the range of the risk sheet's list ("Koko maa" first, then the 22 areas)."""
    names = [national(lang), *area_names(lang)]
    for row, name in enumerate(names, start=1):
        _put(sheet, row, 1, name)
    sheet.sheet_state = "hidden"
    return f"{quote_sheetname(sheet.title)}!$A$1:$A${len(names)}"


def _status_wide(sheet: Worksheet, roadmap: Roadmap, lang: str) -> None:
    label = _put(sheet, 1, 1, reported_on_label(lang))
    label.font = _HEADER_FONT
    day = _put(sheet, 1, 2, None)
    day.number_format = DATE_FORMAT
    day.fill = _INPUT_FILL
    # the hint goes below, not beside: the importer reads the first filled cell right of the label
    _put(sheet, 2, 1, t("template.status.date_hint", lang)).font = Font(italic=True)
    dates = _date_validation(lang)
    sheet.add_data_validation(dates)
    dates.add("B1")
    header_row = 3
    names = area_names(lang)
    _header(sheet, header_row, [*headers(STATUS_WIDE_COLUMNS, lang), *names])
    for row, measure in enumerate(roadmap.measures, start=header_row + 1):
        _put(sheet, row, 1, measure.id)
        _put(sheet, row, 2, measure.name)
    last_row = header_row + len(roadmap.measures)
    first_area = len(STATUS_WIDE_COLUMNS) + 1
    last_area = first_area + len(names) - 1
    statuses = _list_validation(
        '"' + ",".join(status_words(lang)) + '"',
        t("template.validation.status", lang),
        t("template.validation.status", lang),
        lang,
    )
    sheet.add_data_validation(statuses)
    statuses.add(
        f"{get_column_letter(first_area)}{header_row + 1}:"
        f"{get_column_letter(last_area)}{max(last_row, header_row + 1)}"
    )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=first_area)
    sheet.row_dimensions[header_row].height = 45
    _widths(sheet, {1: 10, 2: 55, **{c: 16 for c in range(first_area, last_area + 1)}})


def _status_long(
    sheet: Worksheet,
    roadmap: Roadmap,
    area_code: str,
    area_range: str,
    lang: str,
    current: Mapping[str, StatusReport],
    today: date,
) -> None:
    """One row per measure; pre-filled (``current`` not empty) with each measure's current status
    and comment, today as the reporting date, and what was last reported beside them."""
    name = areas.get(area_code).name(lang)
    columns = (*STATUS_LONG_COLUMNS, PREVIOUS_COLUMN) if current else STATUS_LONG_COLUMNS
    _header(sheet, 1, headers(columns, lang))
    for row, measure in enumerate(roadmap.measures, start=2):
        _put(sheet, row, 1, name)
        _put(sheet, row, 2, measure.id)
        _put(sheet, row, 3, measure.name)
        report = current.get(measure.id)
        status = report.status.label(lang) if report else None
        _put(sheet, row, 4, status).fill = _INPUT_FILL
        _put(sheet, row, 5, today if report else None).number_format = DATE_FORMAT
        if report is not None:
            _put(sheet, row, 6, report.comment)
            _put(sheet, row, 7, f"{status} {fmt_date(report.reported_on, lang)}")
    last = 1 + len(roadmap.measures) + SPARE_ROWS
    statuses = _list_validation(
        '"' + ",".join(status_words(lang)) + '"',
        t("template.validation.status", lang),
        t("template.validation.status", lang),
        lang,
    )
    sheet.add_data_validation(statuses)
    statuses.add(f"D2:D{last}")
    where = _list_validation(
        area_range.replace("$A$1:", "$A$2:"),  # the 22 areas, without "Koko maa"
        t("template.validation.area_status", lang),
        t("template.validation.area_status", lang),
        lang,
    )
    sheet.add_data_validation(where)
    where.add(f"A2:A{last}")
    dates = _date_validation(lang)
    sheet.add_data_validation(dates)
    dates.add(f"E2:E{last}")
    for row in range(2 + len(roadmap.measures), last + 1):
        sheet.cell(row=row, column=5).number_format = DATE_FORMAT
    sheet.freeze_panes = "D2"
    _widths(sheet, {1: 28, 2: 10, 3: 55, 4: 16, 5: 13, 6: 40, 7: 24})


def _risk_sheet(sheet: Worksheet, area_range: str, lang: str) -> None:
    _header(sheet, 1, headers(RISK_COLUMNS, lang))
    last = 1 + RISK_ROWS
    where = _list_validation(
        area_range,
        t("template.validation.area", lang),
        t("template.validation.area", lang),
        lang,
    )
    scores = _list_validation(
        '"1,2,3,4,5"',
        t("template.validation.score", lang),
        t("template.validation.score", lang),
        lang,
    )
    dates = _date_validation(lang)
    for validation in (where, scores, dates):
        sheet.add_data_validation(validation)
    where.add(f"A2:A{last}")
    scores.add(f"D2:E{last}")
    dates.add(f"H2:H{last}")
    for row in range(2, last + 1):
        sheet.cell(row=row, column=8).number_format = DATE_FORMAT
    sheet.freeze_panes = "C2"
    _widths(sheet, {1: 28, 2: 45, 3: 20, 4: 15, 5: 11, 6: 45, 7: 22, 8: 13})


def build_template(
    roadmap: Roadmap,
    *,
    area_code: str | None = None,
    lang: str | None = None,
    current: Mapping[str, StatusReport] | None = None,
    today: date | None = None,
) -> bytes:
    """The template workbook (.xlsx bytes): wide status sheet for every area, or long for one;
    sheet names, headers, words and instructions in ``lang``, all of which the importer reads.

    ``current`` (the area's latest report of each measure, by measure id) pre-fills the long
    sheet: a preparer changes what changed, and the rest re-reports the same status on ``today``
    (default: the day it is built); without it, or for the wide sheet, the statuses are blank
    and a blank row imports as "not reported"."""
    lang = normalise_language(lang)
    current = current if area_code is not None and current else {}
    if area_code is not None and area_code not in areas.REFORM_CODES:
        raise SoteError(Issue("unknown_area", params={"text": area_code, "candidates": ""}))
    book = Workbook()
    help_sheet = book.active
    help_sheet.title = sheet_name("help", lang)
    _help_sheet(help_sheet, roadmap, area_code, lang, bool(current))
    _roadmap_sheet(book.create_sheet(sheet_name("roadmap", lang)), roadmap, lang)
    status = book.create_sheet(sheet_name("status", lang))
    risks = book.create_sheet(sheet_name("risks", lang))
    area_range = _lists_sheet(book.create_sheet(sheet_name("lists", lang)), lang)
    if area_code is None:
        _status_wide(status, roadmap, lang)
    else:
        _status_long(status, roadmap, area_code, area_range, lang, current, today or date.today())
    _risk_sheet(risks, area_range, lang)
    book.properties.creator = "sote-tilannekuva"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
