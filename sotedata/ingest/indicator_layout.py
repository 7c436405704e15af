"""Which columns of an *indicators* sheet are what, read from their cells as well as their headers.

Real exports carry more than region, time and figures: a name beside a code, an update stamp, a
level code, names in other languages, a dimension such as sex, age group or drug class, and in
Statistics Finland's PxWeb downloads the year and the measure inside the column header
("Yhteensä 2019 Väestö 31.12."). Headers alone cannot tell these apart, so the cells decide:

* an indicator column is one whose filled cells are mostly numbers or missing-value markers;
* a text column whose value changes between rows of the same region and time is a *dimension*:
  its total ("Yhteensä", "Total", "Totalt", an empty class) is kept when it has one, with one
  warning naming the column; otherwise each of its values makes an indicator of its own
  ("Ostot — (A) Ruuansulatuselinten …"), and more than ``MAX_SPLIT`` of those is one error that
  names the column and what to do;
* any other text column (one value per region, or the same on every row) is ignored with one
  warning per column;
* a region column of bare numbers headed ``region`` in a file with Sotkanet's other fields
  (``gender``, an indicator id) holds Sotkanet's own region ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain import municipalities
from ..domain.areas import codes_named, normalise_name
from ..domain.i18n import t
from ..domain.indicators import is_missing, parse_period, parse_value
from . import regions, values
from .layout import Layout

#: more indicators than this from one dimension column is refused: no one means to import them
MAX_SPLIT = 50
#: a period inside a column header: "2019", "2021M05", "2020Q3", "2026W02" (not part of a date)
_PERIOD_TOKEN = re.compile(r"(?<![\d.,/])(\d{4}(?:\s*[MQKW]\s*\d{1,2})?)(?![\d.,/])")
#: the headers of Sotkanet's REST fields besides region (their presence makes ``region`` an id)
_SOTKANET_FIELDS = frozenset({"gender", "absvalue", "absolutevalue", "primaryvalue"})
_REGION_COLUMNS = ("area", "area_code", "municipality", "municipality_code")


@dataclass(frozen=True)
class Dimension:
    """A column that splits the figures: its index and header, the total's text when it has one
    (the rows kept), and its values."""

    index: int
    header: str
    total: str | None
    values: tuple[str, ...]


def period_in_header(cell: object) -> tuple[str, str] | None:
    """(period text, the rest of the header) when a header names a time: "Yhteensä 2019 Väestö
    31.12." → ("2019", "Yhteensä Väestö 31.12.")."""
    if not isinstance(cell, str | int | float) or isinstance(cell, bool):
        return None
    text = values.text(cell)
    matches = list(_PERIOD_TOKEN.finditer(text))
    if len(matches) != 1:
        return None
    match = matches[0]
    period = parse_period(match.group(1).replace(" ", ""))
    if period is None:
        return None
    rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
    return period.text, rest


def cells_of(layout: Layout, rows: list[int], index: int) -> list[object]:
    """One column's cells over ``rows`` (None past a short row): what ``sheets`` and the
    dimension checks here judge a column by."""
    found = []
    for row in rows:
        cells = layout.sheet.rows[row]
        found.append(cells[index] if index < len(cells) else None)
    return found


def is_numeric(cells: list[object]) -> bool:
    """Mostly numbers or missing-value markers among the filled cells, at least one number (a
    column of "NA" only carries nothing), and no dimension total among them."""
    filled = numbers = markers = 0
    for cell in cells:
        if values.is_blank(cell):
            continue
        filled += 1
        readable, number = parse_value(cell)
        if readable and number is not None:
            numbers += 1
        elif readable:
            markers += 1
        elif type(cell) is str and values.is_dimension_total(cell):
            return False  # "Yhteensä" among ages 0 … 99: a dimension's classes, not figures
    return numbers > 0 and (numbers + markers) * 2 > filled


def _header_text(layout: Layout, index: int) -> str:
    cells = layout.header_texts()
    return values.text(cells[index]) if index < len(cells) else ""


def looks_like_region(cell: object) -> bool:
    """Whether a cell names a region: a prefixed code ("KU005"), a national total, an area or a
    municipality (current or former)."""
    part = regions.split(cell)
    if part.level is not None:
        return True
    name = part.name
    return bool(
        name
        and (codes_named(name) or municipalities.by_name(name) or municipalities.former(None, name))
    )


def region_hint(layout: Layout, rows: list[int]) -> str | None:
    """``municipality`` when an area-headed column names municipalities more than areas."""
    index = layout.columns.get("area")
    if index is None:
        return None
    towns = counties = 0
    for cell in dict.fromkeys(cells_of(layout, rows[:2000], index)):
        part = regions.split(cell)
        if part.level in ("municipality", "area"):  # "KU005": the column's own word for it
            towns += part.level == "municipality"
            counties += part.level == "area"
            continue
        if not part.name or part.level:
            continue
        is_area = bool(codes_named(part.name))
        is_town = bool(municipalities.by_name(part.name) or municipalities.former(None, part.name))
        towns += is_town and not is_area
        counties += is_area and not is_town
    return "municipality" if towns > counties else None


def sotkanet_index(layout: Layout, rows: list[int]) -> int | None:
    """The column of Sotkanet region ids, or None (see the module's docstring)."""
    headers = {normalise_name(values.text(c)) for c in layout.header_texts()}
    indicator = layout.columns.get("indicator")
    indicator_ids = indicator is not None and all(
        values.text(c).isdigit()
        for c in cells_of(layout, rows[:200], indicator)
        if not values.is_blank(c)
    )
    if not (headers & _SOTKANET_FIELDS or indicator_ids):
        return None
    for name in ("area", "area_code"):
        index = layout.columns.get(name)
        if index is None or normalise_name(_header_text(layout, index)) not in {
            "region",
            "regionid",
        }:
            continue
        cells = [c for c in cells_of(layout, rows[:500], index) if not values.is_blank(c)]
        if cells and all(values.text(c).isdigit() for c in cells):
            return index
    return None


def dimensions(
    layout: Layout, rows: list[int], candidates: list[int]
) -> tuple[list[Dimension], list[int]]:
    """The dimension columns among ``candidates`` (text columns), and the ones to ignore."""
    keys = [
        layout.columns[name]
        for name in (*_REGION_COLUMNS, "period", "week", "month", "indicator")
        if name in layout.columns
    ]
    found: list[Dimension] = []
    ignored: list[int] = []
    for index in candidates:
        seen: dict[tuple[object, ...], object] = {}
        varies = False
        distinct: dict[str, None] = {}
        for row in rows:
            cells = layout.sheet.rows[row]
            key = tuple(cells[i] if i < len(cells) else None for i in keys)
            cell = cells[index] if index < len(cells) else None
            text = "" if values.is_blank(cell) else values.text(cell)
            distinct.setdefault(text, None)
            if seen.setdefault(key, text) != text:
                varies = True
        only = next(iter(distinct), "")
        if not varies and not (len(distinct) == 1 and only and values.is_dimension_total(only)):
            ignored.append(index)  # one value per region and time: a name, a stamp, a level code
            continue
        total = next(
            (text for text in distinct if values.is_dimension_total(text) or is_missing(text)),
            None,
        )  # "Yhteensä", "Total", or an empty class ("", Kela's NA)
        found.append(Dimension(index, _header_text(layout, index), total, tuple(distinct)))
    return found, ignored


def region_copies(layout: Layout, rows: list[int], candidates: list[int]) -> list[int]:
    """Columns of numbers that repeat a region column cell for cell (a REST client's ``id``
    beside ``region``): a copy of the region, not an indicator."""
    regions_at = [layout.columns[name] for name in _REGION_COLUMNS if name in layout.columns]
    sheet_rows = layout.sheet.rows
    copies = []
    for index in candidates:
        for region in regions_at:
            for row in rows:  # stops at the first row that differs: most columns do at once
                cells = sheet_rows[row]
                a = cells[index] if index < len(cells) else None
                b = cells[region] if region < len(cells) else None
                if a != b and values.text(a) != values.text(b):
                    break
            else:
                if rows:
                    copies.append(index)
                    break
    return copies


#: Sotkanet's CSV download has no header row: indicator, indicator id, region, region code, sex,
#: year, value, absolute value, in this order
_SOTKANET_ORDER = {"indicator": 0, "area": 2, "area_code": 3, "period": 5, "value": 6}
_SOTKANET_ID, _SOTKANET_SEX = 1, 4


def _looks_like_sotkanet_row(cells: list[object]) -> bool:
    if len(cells) < 7:
        return False
    text = [values.text(cell) for cell in cells]
    return (
        bool(text[0])
        and text[1].isdigit()
        and bool(text[2])
        and (text[3].isdigit() or not text[3])
        and values.word("sex", text[4]) is not None
        and parse_period(text[5]) is not None
        and parse_value(cells[6])[0]
    )


def headerless_sotkanet(layout: Layout) -> Layout:
    """A sheet without a header row read as Sotkanet's CSV download when its first rows have that
    download's shape; anything else stays ``ignored``."""
    rows = [row for row in layout.sheet.rows[:20] if any(not values.is_blank(c) for c in row)]
    if layout.sheet.hidden or not rows or not all(_looks_like_sotkanet_row(r) for r in rows[:5]):
        return layout
    layout.kind = "indicators"
    layout.headerless = True
    layout.columns = dict(_SOTKANET_ORDER)
    layout.indicator_id_index = _SOTKANET_ID
    data = layout.data_rows()
    sexes = tuple(dict.fromkeys(values.text(c) for c in cells_of(layout, data, _SOTKANET_SEX)))
    total = next((sex for sex in sexes if values.word("sex", sex) == "total"), None)
    label = SexLabel()
    if total is not None and len(sexes) > 1:
        layout.dimensions = [Dimension(_SOTKANET_SEX, str(label), total, sexes)]
        params = {"header": label, "count": len(sexes), "total": total}
        layout.notes.append(("dimension_total", "warning", _SOTKANET_SEX, params))
    elif total is None:
        layout.dimensions = [Dimension(_SOTKANET_SEX, str(label), None, sexes)]
    layout.notes.append(("headerless_sotkanet", "warning", None, {}))
    layout.sotkanet_index = None
    layout.region_hint = region_hint(layout, data)
    return layout


@dataclass(frozen=True)
class SexLabel:
    """The sex column of a headerless file, named in the message's language."""

    def localise(self, lang: str | None) -> str:
        return t("ingest.column.sex", lang)

    def __str__(self) -> str:
        return self.localise(None)


def _column_map(layout: Layout, rows: list[int], key: int, value: int) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in rows:
        cells = layout.sheet.rows[row]
        k = values.text(cells[key]) if key < len(cells) else ""
        v = values.text(cells[value]) if value < len(cells) else ""
        found.setdefault(k, set()).add(v)
    return found


def labels_of(
    layout: Layout, rows: list[int], dimensions: list[Dimension]
) -> tuple[list[Dimension], list[int]]:
    """Dimensions that only name another one's classes (Kela's ATC_SELITE_FI, _SV, _EN beside
    ATC_KOODI: one name per code and one code per name) are its labels, not dimensions of their
    own: crossing them would multiply the indicators. The first of each such group stays."""
    kept: list[Dimension] = []
    labels: list[int] = []
    for dimension in dimensions:
        twin = next(
            (
                other
                for other in kept
                if all(
                    len(v) == 1
                    for v in _column_map(layout, rows, other.index, dimension.index).values()
                )
                and all(
                    len(v) == 1
                    for v in _column_map(layout, rows, dimension.index, other.index).values()
                )
            ),
            None,
        )
        if twin is None:
            kept.append(dimension)
        else:
            labels.append(dimension.index)
    return kept, labels


def constants(layout: Layout, rows: list[int], numeric: list[int]) -> list[int]:
    """Number columns with one value on every row (at least five) beside number columns that vary:
    a level code or a stamp, not a figure."""
    if len(rows) < 5:
        return []
    same = [i for i in numeric if len({values.text(c) for c in cells_of(layout, rows, i)}) == 1]
    return same if len(same) < len(numeric) else []


def attributes(
    layout: Layout, rows: list[int], numeric: list[int], dimensions: list[Dimension]
) -> list[int]:
    """Number columns whose value follows a dimension's class alone, in a file where each class
    repeats over regions or times (the class's level, not a figure of a region)."""
    found = []
    for dimension in dimensions:
        if len(dimension.values) * 2 > len(rows):
            continue  # classes do not repeat: a function of the class says nothing
        for index in numeric:
            mapping = _column_map(layout, rows, dimension.index, index)
            if index not in found and all(len(v) == 1 for v in mapping.values()):
                found.append(index)
    return found
