"""What the national map is drawn on, apart from the figures: the tile layout with the areas'
names, a clickable marker inside each area too small to hit at national scale, the boundaries'
credit in the page's language, and when each area last reported (its mark and the note that
names the dates). Shared by the roadmap metric's and an indicator's
map (``national``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from shapely.geometry import shape

from ..charts import image as chart_export
from ..domain import areas
from ..domain.i18n import fmt_date, t
from ..geo.chain import Boundaries
from ..geo.tiles import tile_layout

#: areas too small to hit with a pointer at national scale get a clickable marker on the map
SMALL_AREAS = (areas.HELSINKI_CODE, "04")


def boundary_credit(boundaries: Boundaries, lang: str | None = None) -> str:
    """The boundaries' credit in the page's language (none for the tile map)."""
    return chart_export.credit(boundaries.attribution, lang) if boundaries.attribution else ""


def small_area_markers(
    features: Sequence[dict], codes: Sequence[str] = SMALL_AREAS
) -> pd.DataFrame:
    """A point inside each small area (code, lon, lat) for its clickable map marker."""
    rows = []
    for feature in features:
        props = feature.get("properties") or {}
        code = str(feature.get("code") or props.get("code"))
        if code in codes:
            point = shape(feature["geometry"]).representative_point()
            rows.append({"code": code, "lon": round(point.x, 4), "lat": round(point.y, 4)})
    return pd.DataFrame(rows, columns=["code", "lon", "lat"])


def tile_layout_frame(lang: str | None = None) -> pd.DataFrame:
    """The tile layout with short names, for the tile map."""
    tiles = pd.DataFrame(tile_layout())[["code", "row", "col"]]
    registry = areas.by_code()
    tiles["code"] = tiles["code"].astype(str)
    tiles["short"] = [registry[c].short(lang) for c in tiles["code"]]
    tiles["name"] = [registry[c].name(lang) for c in tiles["code"]]
    return tiles


#: the mark after a value whose area did not report on the as-of date (its latest report counts)
NOT_REPORTED_MARK = "*"
#: up to this many areas are named in the reporting note; more are counted
NAMED_AREAS = 4


def with_reporting(
    values: pd.DataFrame, last: pd.Series, as_of: date, lang: str | None = None
) -> pd.DataFrame:
    """``values`` with each area's last reporting date in words (``reported``, for tooltips and
    the figures table) and ``flag``: the mark of an area that did not report on ``as_of``."""
    out = values.copy()
    days = [last.get(code) for code in out["code"]]
    out["reported"] = [
        fmt_date(day, lang) if day is not None else t("national_eye.reported.never", lang)
        for day in days
    ]
    out["flag"] = [NOT_REPORTED_MARK if day != as_of else "" for day in days]
    return out


def reporting_note(last: pd.Series, as_of: date, lang: str | None = None) -> str | None:
    """When the areas' latest reports are not all of ``as_of``, say whose are of which date:
    "Raportit: Lappi 20.12.2022, muut 15.12.2022" (the most areas' date last, as "others"), so
    one area's upload is not presented as everyone's date. None when every area reported on
    ``as_of``."""
    registry = areas.by_code()
    groups: dict[date | None, list[str]] = {}
    for code, day in last.items():
        groups.setdefault(day, []).append(registry[str(code)].short(lang))
    if set(groups) == {as_of}:
        return None
    dated = [day for day in groups if day is not None]
    if not dated:
        return t("national_eye.reported.none", lang)
    # the date most areas reported on; a tie goes to the later date
    common = max(dated, key=lambda day: (len(groups[day]), day))
    if len(groups) == 1:
        return t("national_eye.reported.all", lang, date=fmt_date(common, lang))
    parts = []
    for day in sorted((d for d in groups if d != common), key=lambda d: (d is None, d or as_of)):
        names = groups[day]
        who = (
            ", ".join(names)
            if len(names) <= NAMED_AREAS
            else t("national_eye.reported.count", lang, count=len(names))
        )
        when = fmt_date(day, lang) if day is not None else t("national_eye.reported.never", lang)
        parts.append(t("national_eye.reported.group", lang, areas=who, date=when))
    return t(
        "national_eye.reported.split",
        lang,
        groups="; ".join(parts),
        date=fmt_date(common, lang),
    )


def reporting_lines(
    values: pd.DataFrame, last: pd.Series, as_of: date, lang: str | None
) -> list[str]:
    """The map's subtitle lines about reporting dates: whose reports are of which date (when not
    all of ``as_of``) and what the mark after a value means (when an area carries it)."""
    lines = [note] if (note := reporting_note(last, as_of, lang)) else []
    if "flag" in values.columns and values["flag"].astype(bool).any():
        lines.append(t("national_eye.not_reported_mark", lang))
    return lines
