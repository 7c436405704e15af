"""Municipality maps: the area page's small map of its municipalities (named under the pointer),
and an indicator's municipal values on a map of the whole country or of one area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from ..charts import image as chart_export
from ..charts import indicators as indicator_charts
from ..charts.base import vega_locale
from ..domain import areas, municipalities
from ..domain.areas import ALAND_CODE
from ..domain.i18n import t
from ..geo.chain import MunicipalityBoundaries
from . import indicators as iv

FILL = "#9ecae1"
BORDER = "#ffffff"


def municipality_map(
    features: Sequence[dict[str, Any]],
    *,
    title: str,
    attribution: str,
    lang: str | None = None,
    width: int = 320,
    height: int = 320,
) -> alt.TopLevelMixin:
    """The municipalities of one area as shapes (one colour; hover names them).

    ``features`` come from :meth:`MunicipalityBoundaries.of_area`; their top-level ``name_fi``,
    ``name_sv`` and ``code`` are what the tooltip reads (Vega-Lite reads top-level fields of a
    GeoJSON feature as datum fields). The projection fits the area (``fit`` is implied by a
    fixed width and height).
    """
    data = alt.Data(values=[dict(feature) for feature in features])
    tooltip = [
        alt.Tooltip("name_fi:N", title=t("municipalities.tooltip.name", lang)),
        alt.Tooltip("name_sv:N", title=t("municipalities.tooltip.name_sv", lang)),
        alt.Tooltip("code:N", title=t("municipalities.tooltip.code", lang)),
    ]
    chart = (
        alt.Chart(data)
        .mark_geoshape(fill=FILL, stroke=BORDER, strokeWidth=1)
        .encode(tooltip=tooltip)
        .project(type="transverseMercator", rotate=[-27, 0, 0])
        .properties(
            width=width,
            height=height,
            title=alt.Title(title, subtitle=attribution, anchor="start", subtitleFontSize=10),
        )
    )
    return chart.configure(locale=vega_locale(lang)).configure_view(stroke=None)


@dataclass(frozen=True)
class IndicatorMunicipalMap:
    """An indicator on the municipality map, or the table that stands in for it and why."""

    chart: alt.TopLevelMixin | None  # None: no boundaries (``reason`` says why)
    values: pd.DataFrame  # indicator_view.municipality_values
    table: pd.DataFrame  # the text equivalent, highest value first
    reason: str | None  # message key when there is no map
    title: str


def indicator_municipality_map(
    frames: iv.IndicatorFrames,
    key: str,
    period: str,
    boundaries: MunicipalityBoundaries | None,
    *,
    area_code: str | None = None,
    example: bool = False,
    lang: str | None = None,
) -> IndicatorMunicipalMap:
    """The indicator's municipal values for a period on a map of the whole country (or of the
    area ``area_code``). Boundaries come from ``geo.load_municipality_boundaries``; without them,
    or when they lack some of the municipalities to draw, the table is all there is and
    ``reason`` names why."""
    meta = frames.meta(key)
    if meta is None:
        raise KeyError(key)
    values = iv.municipality_values(frames, key, period, lang, area_code)
    legend = iv.legend_title(meta, lang)
    table = iv.municipality_table(values, legend, lang)
    where = areas.get(area_code).short(lang) if area_code else t("indicators.whole_country", lang)
    title = t("indicators.municipal_title", lang, name=meta.name, where=where)
    if boundaries is None:
        return IndicatorMunicipalMap(None, values, table, "indicators.no_boundaries", title)
    features = boundaries.of_area(area_code) if area_code else boundaries.features
    wanted = {m.code for m in municipalities.all_municipalities() if m.area_code != ALAND_CODE}
    if area_code:
        wanted = {m.code for m in municipalities.of_area(area_code)}
    if not {f["code"] for f in features} >= wanted:
        return IndicatorMunicipalMap(None, values, table, "indicators.boundaries_incomplete", title)
    if not area_code:  # Åland is outside the reform: not drawn on the indicator's country map
        features = [f for f in features if f["area_code"] != ALAND_CODE]
    chart = indicator_charts.municipality_map(
        features,
        values,
        title=title,
        legend_title=legend,
        decimals=iv.decimals_for(frames.of(key)["value"]),
        period_text=iv.period_label(period, lang),
        source=iv.source_line(meta, lang),
        attribution=chart_export.credit(boundaries.attribution, lang),
        example=example,
        lang=lang,
        width=360 if area_code else 420,
        height=560 if area_code else 720,
    )
    return IndicatorMunicipalMap(chart, values, table, None, title)
