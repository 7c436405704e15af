"""A built table as a file: XLSX, standard CSV and "Excel (suomi)" CSV, safe and reproducible.

Three promises, each tested:

* **Types survive.** XLSX cells are real dates (shown d.m.yyyy), numbers and percentages; codes
  stay text ("01"). The standard CSV is UTF-8, comma, ISO dates and a decimal point; "Excel
  (suomi)" is UTF-8 with a BOM (so Excel reads the letters right), semicolon, decimal comma and
  d.m.yyyy dates, which Finnish Excel opens as numbers and dates without an import wizard.
* **Nothing runs.** A text cell that a spreadsheet would read as a formula (first character ``=``,
  ``+``, ``-``, ``@``, tab or carriage return) gets an apostrophe in front, in every format, as
  OWASP advises for CSV injection; XLSX text cells are also written as plain strings. Numbers are
  never touched: ``-3`` in a number column is a number.
* **Same input, same bytes.** The workbook's document times and its zip entries' times are the
  export time, so the page and ``sote export`` write identical files for the same filters and the
  same export time.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from copy import copy
from datetime import UTC, date, datetime
from importlib import metadata
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..domain import areas
from ..domain.i18n import t
from ..domain.text import slug
from ..views.query import DATASETS, UNDATED
from ..views.table_base import LOCAL_ZONE, Column, to_moment
from ..views.tables import Table, describe_filters
from ..views.tables_data import file_name_parts

FORMATS = ("xlsx", "csv", "csv-fi")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "csv-fi": "text/csv",
}
#: first characters that make a spreadsheet treat text as a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {
    "date": "d.m.yyyy",
    "datetime": "d.m.yyyy h:mm:ss",
    "share": "0.0 %",
    "share_change": "+0.0 %;-0.0 %;0.0 %",
    "change": "+0;-0;0",
    "int": "0",
    "float": "0.0",
}
MAX_WIDTH = 60
#: long texts wrap inside their column instead of running across the next ones
WRAPPED = frozenset({"measure", "risk", "comment", "mitigation", "note"})
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")


def app_version() -> str:
    try:
        return metadata.version("sote-tilannekuva")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        return "0+unknown"


def neutralise(text: str) -> str:
    """``text`` that no spreadsheet will run: an apostrophe before a formula-like start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _yes_no(value: Any, lang: str | None) -> str:
    return t("tables.yes" if bool(value) else "tables.no", lang)


# --- file names ----------------------------------------------------------------------------------


def file_name(table: Table, fmt: str) -> str:
    """A name that says what the file holds, e.g. ``tilannekuva_2026-11-23_lappi_vaihe-3.xlsx``:
    the dataset (left out for the status table), the as-of date, the comparison date, the areas
    (by name; more than three as a count), then each other filter. The CSV for Finnish Excel ends
    ``-fi.csv``, so that the two CSV downloads of one view never overwrite each other."""
    query = table.query
    parts = ["tilannekuva"]
    if query.table != "status":
        parts.append(DATASETS[query.table])
    if query.as_of is not None:
        parts.append(query.as_of.isoformat())
    if query.since is not None and query.applies("since"):
        parts.append(f"vrt-{query.since.isoformat()}")
    if query.areas and query.applies("areas"):
        if len(query.areas) <= 3:
            parts += [slug(areas.get(code).short_fi) for code in query.areas]
        else:
            parts.append(f"{len(query.areas)}-aluetta")
    if query.phase is not None and query.applies("phase"):
        parts.append(f"vaihe-{query.phase}")
    if query.work_stream and query.applies("work_stream"):
        parts.append(slug(query.work_stream))
    if query.statuses and query.applies("status"):
        parts.append("tila-" + "-".join(slug(s) for s in query.statuses))
    if query.critical_only and query.applies("critical"):
        parts.append("kriittiset")
    if query.overdue_only and query.applies("overdue"):
        parts.append("myohassa")
    if (query.risk_min is not None or query.risk_max is not None) and query.applies("risk"):
        parts.append(f"riski-{query.risk_min or 1}-{query.risk_max or 25}")
    parts += file_name_parts(query)
    if query.search.strip() and query.applies("search"):
        parts.append("haku-" + (slug(query.search)[:30] or "x"))
    extension = {"xlsx": ".xlsx", "csv-fi": "-fi.csv"}.get(fmt, ".csv")
    return "_".join(part for part in parts if part) + extension


# --- CSV -----------------------------------------------------------------------------------------


def _number_text(value: float, decimal: str) -> str:
    """A float without noise or exponent: 0.636364 (six decimals at most), -0.05, 12."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    text = "0" if text in {"-0", ""} else text
    return text.replace(".", decimal)


def csv_cell(value: Any, kind: str, finnish: bool, lang: str | None = None) -> str:
    """One value as CSV text in the standard (ISO, point) or Finnish Excel (d.m.yyyy, comma) way."""
    if _missing(value):
        return ""
    if kind in ("text", "code"):
        return neutralise(str(value))
    if kind == "bool":
        return _yes_no(value, lang)
    if kind in ("int", "change"):
        return str(int(value))
    if kind in ("float", "number", "share", "share_change"):
        return _number_text(value, "," if finnish else ".")
    if kind == "date":
        day = value if isinstance(value, date) else pd.Timestamp(value).date()
        return f"{day.day}.{day.month}.{day.year}" if finnish else day.isoformat()
    if kind == "datetime":
        moment = pd.Timestamp(value).to_pydatetime()
        if finnish:
            return f"{moment.day}.{moment.month}.{moment.year} {moment:%H:%M:%S}"
        return moment.isoformat(sep=" ", timespec="seconds")
    return neutralise(str(value))


def to_csv(table: Table, *, finnish: bool = False, lang: str | None = None) -> bytes:
    """The table as CSV: standard (UTF-8, comma) or Excel suomi (UTF-8 BOM, semicolon)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if finnish else ",", lineterminator="\r\n")
    writer.writerow(table.headers())
    kinds = [column.kind for column in table.columns]
    for row in table.frame.itertuples(index=False, name=None):
        writer.writerow(
            [csv_cell(value, kind, finnish, lang) for value, kind in zip(row, kinds, strict=True)]
        )
    text = out.getvalue()
    return ("\ufeff" + text).encode("utf-8") if finnish else text.encode("utf-8")


# --- XLSX ----------------------------------------------------------------------------------------


def _xlsx_value(value: Any, kind: str, lang: str | None) -> Any:
    if _missing(value):
        return None
    if kind in ("text", "code"):
        return neutralise(str(value))
    if kind == "bool":
        return _yes_no(value, lang)
    if kind in ("int", "change"):
        return int(value)
    if kind in ("float", "number", "share", "share_change"):
        return float(value)
    if kind == "date":
        return value if isinstance(value, date) else pd.Timestamp(value).date()
    if kind == "datetime":
        return pd.Timestamp(value).to_pydatetime().replace(tzinfo=None)
    return neutralise(str(value))


def _text_cell(sheet: Any, value: str | None, **style: Any) -> WriteOnlyCell:
    """A cell that holds ``value`` as a string, whatever it looks like (never a formula or an
    error value)."""
    cell = WriteOnlyCell(sheet, value=None)
    if value is not None:
        cell.value = value
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _width(values: Sequence[str]) -> float:
    longest = max((len(v) for v in values), default=0)
    return float(min(MAX_WIDTH, max(6, longest + 2)))


def _display_length(value: Any, kind: str) -> str:
    """Roughly what Excel shows, to size the column."""
    if _missing(value):
        return ""
    if kind == "date":
        return "00.00.0000"
    if kind == "datetime":
        return "00.00.0000 00:00:00"
    if kind in ("share", "share_change"):
        return "+100,0 %"
    return str(value)


def _source_key(table: str) -> str:
    """The imported datasets come from elsewhere than the areas' own reports."""
    return f"tables.info.source_text.{table}" if table in UNDATED else "tables.info.source_text"


def metadata_rows(table: Table, exported_at: datetime, lang: str | None = None) -> list[tuple]:
    """The "Tiedot" sheet: (label, value) pairs that say what the file holds and where from; the
    export time as the tables show every moment, on Finland's clock, and the zone named."""
    query = table.query
    as_of_label = "tables.info.imports_as_of" if query.table == "imports" else "tables.info.as_of"
    rows: list[tuple[str, Any]] = [
        (t("tables.info.dataset", lang), table.title),
        (t("tables.info.source", lang), t(_source_key(query.table), lang)),
    ]
    if query.as_of is not None:  # the indicator and notes tables are not a picture on a date
        rows.append((t(as_of_label, lang), query.as_of))
    if query.since is not None and query.applies("since"):
        rows.append((t("tables.info.since", lang), query.since))
    filters = describe_filters(table, lang)
    rows.append(
        (t("tables.info.filters", lang), "; ".join(filters) or t("tables.filter.none", lang))
    )
    rows.append((t("tables.info.rows", lang), table.rows))
    rows.append((t("exports_alone.info.exported", lang), to_moment(exported_at)))
    rows.append(
        (t("exports_alone.info.zone", lang), t("exports_alone.zone_name", lang, zone=LOCAL_ZONE))
    )
    rows.append((t("tables.info.version", lang), app_version()))
    if table.example:
        rows.append((t("tables.info.example", lang), t("tables.info.example_text", lang)))
    return rows


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def to_xlsx(table: Table, exported_at: datetime, *, lang: str | None = None) -> bytes:
    """The table as a workbook: the data sheet (Finnish headers, typed cells, frozen header,
    autofilter, column widths) and the "Tiedot" sheet. Deterministic for a given ``exported_at``."""
    moment = _naive_utc(exported_at)
    book = Workbook(write_only=True)
    book.properties.creator = "sote-tilannekuva"
    book.properties.lastModifiedBy = "sote-tilannekuva"
    book.properties.created = moment
    book.properties.modified = moment
    book.properties.title = table.title
    sheet = book.create_sheet(t(f"tables.sheet.{table.query.table}", lang))
    columns = table.columns
    sample = table.frame.head(2000)
    for index, column in enumerate(columns, start=1):
        shown = [_display_length(v, column.kind) for v in sample[column.key]]
        width = _width([column.header, *shown])
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(columns)))
    sheet.auto_filter.ref = f"A1:{last}{table.rows + 1}"
    sheet.append(
        [
            _text_cell(sheet, column.header, font=_HEADER_FONT, fill=_HEADER_FILL, alignment=_TOP)
            for column in columns
        ]
    )
    # one style per column, copied into each cell: setting styles cell by cell costs seconds
    # a styled cell per value costs: plain text and whole numbers go in as values (a text can no
    # longer start a formula, and an error word is written as a string cell); dates, shares and
    # wrapped texts copy their column's style
    templates = [_template(sheet, column) for column in columns]
    plain = [c.kind in ("text", "code", "int") and c.key not in WRAPPED for c in columns]
    for row in table.frame.itertuples(index=False, name=None):
        cells: list[Any] = []
        for value, column, template, simple in zip(row, columns, templates, plain, strict=True):
            written = _xlsx_value(value, column.kind, lang)
            if written is None or (simple and written not in ERROR_CODES):
                cells.append(written)
                continue
            cell = WriteOnlyCell(sheet, value=written)
            if isinstance(written, str):
                cell.data_type = "s"  # never a formula or an error value
            cell._style = copy(template._style)
            cells.append(cell)
        sheet.append(cells)
    _metadata_sheet(book, table, moment, lang)
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue(), moment)


def _template(sheet: Any, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if column.kind in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[column.kind]
    cell.alignment = _WRAP if column.key in WRAPPED else _TOP
    return cell


def _metadata_sheet(book: Workbook, table: Table, moment: datetime, lang: str | None) -> None:
    info = book.create_sheet(t("tables.sheet.info", lang))
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 90
    for label, value in metadata_rows(table, moment, lang):
        if isinstance(value, datetime):
            cell = WriteOnlyCell(info, value=value)
            cell.number_format = NUMBER_FORMATS["datetime"]
        elif isinstance(value, date):
            cell = WriteOnlyCell(info, value=value)
            cell.number_format = NUMBER_FORMATS["date"]
        elif isinstance(value, int):
            cell = WriteOnlyCell(info, value=value)
        else:
            cell = _text_cell(info, None if value is None else neutralise(str(value)))
        cell.alignment = _WRAP
        info.append([_text_cell(info, label, font=_HEADER_FONT, alignment=_TOP), cell])


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes, moment: datetime) -> bytes:
    """The same zip with every entry and the document's "modified" time set to ``moment``
    (openpyxl stamps both with the wall clock when it saves)."""
    stamp = max(moment, datetime(1980, 1, 1)).timetuple()[:6]
    iso = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", content)
            target.writestr(entry, content)
    return out.getvalue()


def export_bytes(
    table: Table, fmt: str, exported_at: datetime | None = None, *, lang: str | None = None
) -> bytes:
    """The file the page offers and ``sote export`` writes, for ``fmt`` in ``FORMATS``."""
    if fmt == "xlsx":
        return to_xlsx(table, exported_at or datetime.now(UTC), lang=lang)
    if fmt == "csv":
        return to_csv(table, finnish=False, lang=lang)
    if fmt == "csv-fi":
        return to_csv(table, finnish=True, lang=lang)
    raise ValueError(f"unknown export format {fmt!r}: {FORMATS}")
