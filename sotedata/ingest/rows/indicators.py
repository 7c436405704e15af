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

from ...domain import areas, municipalities, sotkanet_regions
from ...domain.areas import normalise_name
from ...domain.indicators import (
    AREA_LEVEL,
    MUNICIPALITY_LEVEL,
    Indicator,
    IndicatorValue,
    Period,
    indicator_key,
    parse_level,
    parse_period,
    parse_value,
)
from .. import regions, values
from ..validate import SheetValidator

_MUNICIPALITY_CODE = re.compile(r"^\d{3}$")
_SOTKANET_ID = re.compile(r"^\s*(\d{1,6})\s*[:\-–]\s*(.+)$")  # "3064: Huoltosuhde" style


def _text(value: object) -> str:
    return "" if values.is_blank(value) else values.text(value).strip()


def _skip_level(
    sheet: SheetValidator, row: int, index: int | None, label: object, key: str | None = None
) -> None:
    """One warning per ignored level and sheet: a file may hold thousands of such rows. ``key``
    makes one warning of several spellings (99, SSS and "KOKO MAA" are all the national total)."""
    seen = sheet.result.ignored_levels.setdefault(sheet.sheet.name, set())
    key = key or normalise_name(str(label))
    if key not in seen:
        seen.add(key)
        sheet.issue("ignored_level", row, index, "warning", level=label)


def _skip_national(sheet: SheetValidator, row: int, index: int | None, text: str) -> None:
    _skip_level(sheet, row, index, text, key=regions.NATIONAL)


def _skip_aland(sheet: SheetValidator, row: int, index: int | None) -> None:
    """Åland and its municipalities are outside the reform: never stored, never counted."""
    _skip_level(sheet, row, index, areas.AreaNames((areas.ALAND_CODE,)), key="aland")


def _municipality(
    sheet: SheetValidator, row: int, name: str, code: str, index: int | None
) -> municipalities.Municipality | None:
    """The municipality a name and code mean; the name wins and a code of another one is a
    warning at the cell. A municipality merged since 2000 is skipped with a warning naming its
    successor and the year (the same warning on each of its rows is one entry)."""
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
        found: municipalities.Municipality | None = by_name
    elif by_code is not None and not name:
        found = by_code
    else:
        merger = municipalities.former(code or None, name or None)
        if merger is not None:
            sheet.issue(
                "former_municipality",
                row,
                index,
                "warning",
                name=merger.name_fi,
                code=merger.code,
                successor=merger.successor.name_fi,
                year=merger.year,
            )
        else:
            sheet.issue("unknown_municipality", row, index, text=name or code)
        return None
    if found.area_code not in areas.REFORM_CODES:  # Åland's sixteen municipalities
        _skip_aland(sheet, row, index)
        return None
    return found


def _sotkanet_region(
    sheet: SheetValidator, row: int, value: object, index: int, name: str
) -> tuple[str, str, str] | None:
    """A region given by Sotkanet's own id (a REST client's ``region`` column)."""
    try:
        region_id = int(float(_text(value)))
    except ValueError:
        sheet.issue("unknown_sotkanet_region", row, index, value=_text(value))
        return None
    found = sotkanet_regions.sotkanet_regions().get(region_id)
    if found is None:  # the country, a region or another level Sotkanet has and we do not map
        if regions.is_national(name):
            _skip_national(sheet, row, index, name)
        else:
            _skip_level(sheet, row, index, name or f"Sotkanet {region_id}", key="sotkanet-other")
        return None
    if found.category == "KUNTA":
        town = _municipality(sheet, row, "", found.code, index)
        return (MUNICIPALITY_LEVEL, town.code, town.area_code) if town else None
    if found.code not in areas.REFORM_CODES:
        _skip_aland(sheet, row, index)
        return None
    return (AREA_LEVEL, found.code, found.code)


def _check_title(
    sheet: SheetValidator,
    row: int,
    index: int,
    title: str,
    where: tuple[str, str, str],
    region_id: str,
) -> None:
    """A Sotkanet id's name (``title.fi``) is its check: a name of another place is a warning at
    the name's cell. The id stands: Sotkanet's ids are exact where names are shortened."""
    level, code, _area = where
    if not title:
        return
    if level == MUNICIPALITY_LEVEL:
        town = municipalities.by_name(title)
        named = town.code if town else None
        expected = municipalities.get(code)
        shown = expected.name_fi if expected else code
    else:
        found = areas.codes_named(title)
        named = next(iter(found)) if len(found) == 1 else None
        shown = areas.get(code).short_fi
    if named is not None and named != code:
        sheet.issue(
            "sotkanet_title_mismatch", row, index, "warning", text=title, id=region_id, name=shown
        )


def _area(sheet: SheetValidator, row: int, name: str, code: str, index: int | None) -> str | None:
    """A wellbeing services county by name and/or code through the registry; issues at the cell."""
    found, _short = sheet.resolve_area(row, index, name or None, code or None)
    if found is not None and found not in areas.REFORM_CODES:
        _skip_aland(sheet, row, index)
        return None
    return found


def region(sheet: SheetValidator, row: int) -> tuple[str, str, str] | None:
    """(level, region code, area code) of the row, or None (skipped or reported).

    A cell may carry its classification's prefix ("KU049 Espoo", "HV21", "MK01 Uusimaa") or a
    code before the name ("091 Helsinki"); national totals (99, SSS, "KOKO MAA", "Whole
    Finland") and other levels are skipped with one warning each, wherever they are written."""
    layout = sheet.layout
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
    given = (
        (area_text, area_index),
        (area_code, code_index),
        (muni_name, muni_index),
        (muni_code, muni_code_index),
    )
    for value, index in given:
        if sheet.broken(row, index, value):
            return None
    if layout.sotkanet_index is not None:
        title, title_index = sheet.value(row, "region_title")
        value = sheet.cell(row, layout.sotkanet_index)
        where = _sotkanet_region(sheet, row, value, layout.sotkanet_index, _text(title))
        if where is not None and title_index is not None:
            _check_title(sheet, row, title_index, _text(title), where, _text(value))
        return where
    parts = [(regions.split(value), index) for value, index in given]
    for part, index in parts:
        if part.level == regions.NATIONAL:
            _skip_national(sheet, row, index, part.name)
            return None
        if part.level not in (None, MUNICIPALITY_LEVEL, AREA_LEVEL):
            _skip_level(sheet, row, index, part.level)  # "MK01 Uusimaa": a region
            return None
    (area_part, _), (code_part, _), (muni_part, _), (muni_code_part, _) = parts
    named_level = next((p.level for p, _ in parts if p.level), None)
    index = next((i for _, i in given if i is not None), None)
    muni_given = bool(muni_part.name or muni_part.code or muni_code_part.code)
    code_text = code_part.code or area_part.code
    if level is None and named_level is not None:
        level = named_level
    if level is None and (muni_given or _MUNICIPALITY_CODE.match(code_text)):
        level = MUNICIPALITY_LEVEL
    if level is None and area_part.name and _is_town(layout, area_part.name):
        level = MUNICIPALITY_LEVEL
    if level == MUNICIPALITY_LEVEL:
        name = muni_part.name or area_part.name
        code = muni_code_part.code or muni_part.code or code_text
        index = next(
            (i for i in (muni_index, area_index, muni_code_index, code_index) if i is not None),
            None,
        )
        if code.isdigit() and len(code) < 3:
            code = code.zfill(3)  # a number cell lost its leading zeros
        if (
            level_index is None
            and name
            and not code
            and not municipalities.by_name(name)
            and len(county := areas.codes_named(name)) == 1
        ):
            # a county's row in a municipality column (Sotkanet lists every level in one)
            return _county_row(sheet, row, next(iter(county)), index)
        found = _municipality(sheet, row, name, code, index)
        return (MUNICIPALITY_LEVEL, found.code, found.area_code) if found else None
    index = area_index if area_index is not None else code_index
    code = _area(sheet, row, area_part.name, code_text, index)
    return (AREA_LEVEL, code, code) if code else None


_REGION_CELLS = ("level", "area", "area_code", "municipality", "municipality_code", "region_title")


def _known_region(sheet: SheetValidator, row: int) -> tuple[str, str, str] | None:
    """``region`` of the row, remembered for rows whose region cells were seen before in a row
    that raised no issue: a 50 000-row file names the same few hundred regions over and over.
    A row that raised an issue is never remembered, so each of its repeats reports it again."""
    layout = sheet.layout
    cache = sheet.__dict__.setdefault("_regions_seen", {})
    indexes = cache.get("indexes")
    if indexes is None:
        indexes = [layout.columns[n] for n in _REGION_CELLS if n in layout.columns]
        if layout.sotkanet_index is not None:
            indexes.append(layout.sotkanet_index)
        cache["indexes"] = indexes
    cells = sheet.sheet.rows[row]
    key = tuple(cells[i] if i < len(cells) else None for i in indexes)
    for index, value in zip(indexes, key, strict=True):
        if (value is None or value == "") and sheet.sheet.is_error_cell(row, index):
            return region(sheet, row)
    seen = cache.setdefault("rows", {})
    if key in seen:
        return seen[key]
    before = sheet.collector.added
    where = region(sheet, row)
    if sheet.collector.added == before:
        seen[key] = where
    return where


def _county_row(
    sheet: SheetValidator, row: int, code: str, index: int | None
) -> tuple[str, str, str] | None:
    if code not in areas.REFORM_CODES:
        _skip_aland(sheet, row, index)
        return None
    return (AREA_LEVEL, code, code)


def _is_town(layout: object, name: str) -> bool:
    """Whether a name in an area column means a municipality: it names no area but a
    municipality (current or former), or the column is one of municipalities (``region_hint``),
    where "Helsinki" is the city and not the wellbeing services area."""
    if getattr(layout, "region_hint", None) == MUNICIPALITY_LEVEL:
        return bool(municipalities.by_name(name) or municipalities.former(None, name))
    if areas.codes_named(name):
        return False
    return bool(municipalities.by_name(name) or municipalities.former(None, name))


def _indicator(sheet: SheetValidator, row: int, name: str) -> Indicator:
    """The indicator a name means, with the row's unit and source if the sheet has them."""
    layout = sheet.layout
    id_index = layout.indicator_id_index
    given_id = _text(sheet.cell(row, id_index)) if id_index is not None else ""
    unit = sheet.value(row, "unit")[0] if "unit" in layout.columns else None
    source = sheet.value(row, "source")[0] if "source" in layout.columns else None
    cache = sheet.__dict__.setdefault("_indicators_seen", {})
    key = (name, given_id, unit, source)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _new_indicator(sheet, row, name)
    return found


def _new_indicator(sheet: SheetValidator, row: int, name: str) -> Indicator:
    match = _SOTKANET_ID.match(name)
    key = f"sotkanet:{match.group(1)}" if match else indicator_key(name)
    shown = match.group(2).strip() if match else name
    id_index = sheet.layout.indicator_id_index
    given_id = _text(sheet.cell(row, id_index)) if id_index is not None else ""
    if given_id.isdigit():  # Sotkanet's download: the id beside the name
        suffix = name.split(" — ", 1)[1:]
        key = f"sotkanet:{given_id}" if not suffix else indicator_key(f"sotkanet {given_id} {name}")
    bare = name.split(" — ")[0]
    if sheet.layout.sotkanet_index is not None and bare.isdigit():  # a REST client's id only
        key = f"sotkanet:{name}" if bare == name else indicator_key(f"sotkanet {name}")
        shown = f"Sotkanet {name}"
    unit = _text(sheet.value(row, "unit")[0]) or None
    source = _text(sheet.value(row, "source")[0]) or None
    return Indicator(key, shown, unit, source)


def _period(sheet: SheetValidator, row: int) -> Period | None:
    """The row's time: its period cell, with a week or month column beside a year one ("2026" +
    "2" in Viikko is 2026W02, in Kuukausi 2026M02)."""
    layout = sheet.layout
    raw = sheet.required(row, "period")
    if raw is None:
        return None
    for column, letter in (("week", "W"), ("month", "M")):
        part_value, part_index = sheet.value(row, column)
        if part_index is None or values.is_blank(part_value):
            continue
        year, part = parse_period(raw), _text(part_value)
        period = None
        if year is not None and year.text.isdigit() and part.isdigit():
            period = parse_period(f"{year.text}{letter}{int(part):02d}")
        elif part_period := parse_period(part):  # "2026M02" in the month column itself
            period = part_period
        if period is None:
            sheet.issue("invalid_period", row, part_index, value=f"{_text(raw)} / {part}")
        return period
    period = parse_period(raw)
    if period is None:
        sheet.issue("invalid_period", row, layout.columns["period"], value=_text(raw))
    return period


def _is_footnote(sheet: SheetValidator, row: int) -> bool:
    """A note under the table ("Lähde: Tilastokeskus", "..  = tieto puuttuu"): one filled cell in
    a sheet of three or more columns, and no figure in it."""
    filled = [cell for cell in sheet.sheet.rows[row] if not values.is_blank(cell)]
    width = len(sheet.layout.columns) + len(sheet.layout.indicator_columns)
    return len(filled) == 1 and width >= 3 and isinstance(filled[0], str)


def indicator_row(sheet: SheetValidator, row: int) -> None:
    """One row: its period and region, then one value (long form) or one per column (wide); a
    row of a dimension's other values is passed over when the total is kept."""
    layout = sheet.layout
    if _is_footnote(sheet, row):
        return
    suffix = []
    for dimension in layout.dimensions:
        text = _text(sheet.cell(row, dimension.index))
        if dimension.total is not None:
            if text != dimension.total:
                return
        else:
            suffix.append(text or "–")
    period = None
    if not layout.period_columns:
        period = _period(sheet, row)
        if period is None:
            return
    where = _known_region(sheet, row)
    if where is None:
        return
    level, region_code, area_code = where
    if layout.indicator_columns:
        cells = [(index, name) for index, name in layout.indicator_columns.items()]
        if "indicator" in layout.columns:
            # PxWeb's content variable (Tiedot) beside number columns: each pair an indicator
            content = sheet.required(row, "indicator")
            if content is None:
                return
            cells = [(index, f"{_text(content)} — {name}") for index, name in cells]
    else:
        name = sheet.required(row, "indicator")
        if name is None:
            return
        # the name as written (two spaces and all): the key ignores spacing, the name does not
        shown = name.strip() if isinstance(name, str) else _text(name)
        cells = [(layout.columns["value"], shown)]
    for index, name in cells:
        cell = sheet.cell(row, index)
        if sheet.broken(row, index, cell):
            continue
        readable, number = parse_value(cell)
        if not readable:
            sheet.issue("invalid_number", row, index, value=_text(cell))
            continue
        when = period or parse_period(layout.period_columns.get(index))
        if when is None:
            continue
        full = " — ".join([name, *suffix]) if suffix else name
        indicator = _indicator(sheet, row, full)
        value = IndicatorValue(indicator.key, level, region_code, area_code, when, number)
        sheet.result.add_indicator_value(sheet, row, index, indicator, value)
