"""The rows of an *indicators* sheet: which region a row is, which time, which value.

A row's level decides how its region cells are read: a municipality (three-digit code, leading
zeros kept; the name checks the code and wins over it) or a wellbeing services county (through
the area registry, so the old 2021 numbering and names like "Helsinki (sosiaali- ja
terveydenhuolto, sekä pelastustoimi)" work as everywhere). A level that is neither (a region, a
sub-region, the whole country) is skipped with one ``ignored_level`` warning per level and sheet,
and so is Åland, which is outside the reform.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .. import areas, municipalities
from ..areas import normalise_name
from ..indicators import (
    AREA_LEVEL,
    MUNICIPALITY_LEVEL,
    Indicator,
    IndicatorValue,
    indicator_key,
    parse_level,
    parse_period,
    parse_value,
)
from . import values

if TYPE_CHECKING:
    from .validate import SheetValidator

_MUNICIPALITY_CODE = re.compile(r"^\d{3}$")
_SOTKANET_ID = re.compile(r"^\s*(\d{1,6})\s*[:\-–]\s*(.+)$")  # "3064: Huoltosuhde" style


def _text(value: object) -> str:
    return "" if values.is_blank(value) else values.text(value).strip()


def _skip_level(sheet: SheetValidator, row: int, index: int | None, label: str) -> None:
    """One warning per ignored level and sheet: a file may hold thousands of such rows."""
    seen = sheet.result.ignored_levels.setdefault(sheet.sheet.name, set())
    key = normalise_name(label)
    if key not in seen:
        seen.add(key)
        sheet.issue("ignored_level", row, index, "warning", level=label)


def _municipality(
    sheet: SheetValidator, row: int, name: str, code: str, index: int | None
) -> municipalities.Municipality | None:
    by_code = municipalities.get(code) if code else None
    by_name = municipalities.by_name(name) if name else None
    if by_name is not None:
        if by_code is not None and by_code != by_name:
            sheet.issue(
                "code_name_mismatch",
                row,
                index,
                "warning",
                text=name,
                area=by_name.name_fi,
                code=code,
                code_area=by_code.name_fi,
                current_code=by_name.code,
            )
        return by_name
    if by_code is not None and not name:
        return by_code
    sheet.issue("unknown_municipality", row, index, text=name or code)
    return None


def region(sheet: SheetValidator, row: int) -> tuple[str, str, str] | None:
    """(level, region code, area code) of the row, or None (skipped or reported)."""
    level_value, level_index = sheet.value(row, "level")
    level = None
    if level_index is not None and not values.is_blank(level_value):
        level = parse_level(level_value)
        if level is None:
            _skip_level(sheet, row, level_index, _text(level_value))
            return None
    area_text, area_index = sheet.value(row, "area")
    area_code, code_index = sheet.value(row, "area_code")
    muni_name, muni_index = sheet.value(row, "municipality")
    muni_code, muni_code_index = sheet.value(row, "municipality_code")
    for value, index in (
        (area_text, area_index),
        (area_code, code_index),
        (muni_name, muni_index),
        (muni_code, muni_code_index),
    ):
        if sheet.broken(row, index, value):
            return None
    muni_given = _text(muni_name) or _text(muni_code)
    code_text = _text(area_code)
    if level is None and (muni_given or _MUNICIPALITY_CODE.match(code_text)):
        level = MUNICIPALITY_LEVEL
    if level == MUNICIPALITY_LEVEL:
        name = _text(muni_name) or _text(area_text)
        code = _text(muni_code) or code_text
        index = next(
            (i for i in (muni_index, area_index, muni_code_index, code_index) if i is not None),
            None,
        )
        if code.isdigit() and len(code) < 3:
            code = code.zfill(3)  # a number cell lost its leading zeros
        found = _municipality(sheet, row, name, code, index)
        return (MUNICIPALITY_LEVEL, found.code, found.area_code) if found else None
    if values.is_national(area_text):  # "Koko maa": a national total, no area's figure
        _skip_level(sheet, row, area_index, _text(area_text))
        return None
    resolved = areas.resolve(_text(area_text) or None, code_text or None)
    if resolved.area is not None and not resolved.area.in_reform:  # Åland
        _skip_level(sheet, row, area_index, resolved.area.short_fi)
        return None
    code, _national = sheet.area(row)
    return (AREA_LEVEL, code, code) if code else None


def _indicator(sheet: SheetValidator, row: int, name: str) -> Indicator:
    """The indicator a name means, with the row's unit and source if the sheet has them."""
    match = _SOTKANET_ID.match(name)
    key = f"sotkanet:{match.group(1)}" if match else indicator_key(name)
    shown = match.group(2).strip() if match else name
    unit = _text(sheet.value(row, "unit")[0]) or None
    source = _text(sheet.value(row, "source")[0]) or None
    return Indicator(key, shown, unit, source)


def indicator_row(sheet: SheetValidator, row: int) -> None:
    """One row: its period and region, then one value (long form) or one per column (wide)."""
    layout = sheet.layout
    raw_period = sheet.required(row, "period")
    if raw_period is None:
        return
    period = parse_period(raw_period)
    if period is None:
        sheet.issue("invalid_period", row, layout.columns["period"], value=_text(raw_period))
        return
    where = region(sheet, row)
    if where is None:
        return
    level, region_code, area_code = where
    if layout.indicator_columns:
        cells = [(index, name) for index, name in layout.indicator_columns.items()]
    else:
        name = sheet.required(row, "indicator")
        if name is None:
            return
        cells = [(layout.columns["value"], _text(name))]
    for index, name in cells:
        cell = sheet.cell(row, index)
        if sheet.broken(row, index, cell):
            continue
        readable, number = parse_value(cell)
        if not readable:
            sheet.issue("invalid_number", row, index, value=_text(cell))
            continue
        indicator = _indicator(sheet, row, name)
        value = IndicatorValue(indicator.key, level, region_code, area_code, period, number)
        sheet.result.add_indicator_value(sheet, row, index, indicator, value)
