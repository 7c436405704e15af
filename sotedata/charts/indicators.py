"""Indicator charts: pure functions from tables to Altair charts, so tests can inspect the spec.

An indicator's colours differ from the roadmap metrics' on purpose: whether more is better is not
known for an indicator, so its scale is a neutral purple (light = low, dark = high, readable in
greyscale) and never the roadmap's blue "good" or orange "bad". The legend's title carries the
unit; the subtitle carries the period, the example-data note, the indicator's own source line and,
on a map, the boundaries' credit. Clickable area charts share the national page's point selection
(``charts.SELECTION`` on ``code``) so a click opens the area page the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from ..domain.i18n import t
from . import base as shared
from . import fit
from .base import (
    BORDER_COLOUR,
    NO_DATA_COLOUR,
    OUTSIDE_COLOUR,
    PROJECTION,
    area_tooltip,
    finish,
    subtitle,
)

SCHEME = "purples"
BAR_COLOUR = "#6a51a3"
LINE_COLOUR = "#54278f"
MEDIAN_COLOUR = "#000000"


def value_format(decimals: int) -> str:
    """d3 format with the thousands separator and the indicator's own decimals."""
    return f",.{max(0, decimals)}f"


def colour_domain(values: pd.Series) -> list[float]:
    """The data's own range (an indicator's values may sit far from zero: an index around 100),
    widened a little when every value is the same so the scale still has two ends."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if known.empty:
        return [0.0, 1.0]
    low, high = float(known.min()), float(known.max())
    if high - low < 1e-9:
        pad = abs(high) * 0.05 or 1.0
        return [low - pad, high + pad]
    return [low, high]


def _scale(values: pd.Series) -> alt.Scale:
    return alt.Scale(scheme=SCHEME, domain=colour_domain(values), clamp=True)


def _legend(title: str, decimals: int) -> alt.Legend:
    return alt.Legend(
        title=title,
        format=value_format(decimals),
        orient="bottom",
        direction="horizontal",
        gradientLength=260,
        titleLimit=440,
    )


def area_map(
    features: Sequence[dict[str, Any]],
    values: pd.DataFrame,
    *,
    title: str,
    legend_title: str,
    decimals: int,
    period_text: str,
    source: str,
    attribution: str,
    example: bool,
    markers: pd.DataFrame | None = None,
    lang: str | None = None,
    width: int = 460,
    height: int = 680,
) -> alt.TopLevelMixin:
    """The national map of one indicator and period: the 22 areas coloured by the value, areas
    without a value and Åland grey, small areas with a clickable marker (as the roadmap map).

    ``values`` has columns code, name, value, label (``indicator_view.area_values``).
    """
    scale = _scale(values["value"])
    marker_values = None
    if markers is not None:
        marker_values = values.merge(markers, on="code").dropna(subset=["value"])
    return shared.area_map(
        features,
        values,
        colour=alt.Color("value:Q", scale=scale, legend=_legend(legend_title, decimals)),
        scale=scale,
        tooltip=area_tooltip(legend_title, lang),
        marker_values=marker_values,
        title=title,
        subtitle_lines=subtitle(period_text, example, source, attribution, lang=lang),
        width=width,
        height=height,
        lang=lang,
    )


def tile_map(
    tiles: pd.DataFrame,
    values: pd.DataFrame,
    *,
    title: str,
    legend_title: str,
    decimals: int,
    period_text: str,
    source: str,
    example: bool,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """One equal square per area with its short name and value written in (no boundaries
    needed; Helsinki weighs as much as Lappi). ``tiles`` has code, row, col, short, name."""
    data = tiles.merge(values[["code", "value", "label"]], on="code", how="left")
    data["clickable"] = data["code"].isin(values["code"])
    data["label"] = [
        label if clickable else t("map.outside_reform.short", lang)
        for label, clickable in zip(data["label"], data["clickable"], strict=True)
    ]
    low, high = colour_domain(values["value"])
    return shared.tile_map(
        data,
        colour=alt.Color(
            "value:Q", scale=_scale(values["value"]), legend=_legend(legend_title, decimals)
        ),
        # a reform area without a value is no-data grey, Åland outside grey
        empty_colour=alt.condition(
            "datum.clickable", alt.value(NO_DATA_COLOUR), alt.value(OUTSIDE_COLOUR)
        ),
        tooltip=area_tooltip(legend_title, lang),
        low=low,
        high=high,
        title=title,
        subtitle_lines=subtitle(period_text, example, source, lang=lang),
        lang=lang,
    )


def ranked_bars(
    values: pd.DataFrame,
    *,
    legend_title: str,
    decimals: int,
    median: float | None,
    median_label: str,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The areas from the highest value down (rank 1 at the top), the median as a dashed rule."""
    data = values.dropna(subset=["value"]).sort_values(["value", "short"], ascending=[False, True])
    low = min(0.0, float(data["value"].min())) if not data.empty else 0.0
    high = float(data["value"].max()) if not data.empty else 1.0
    domain = [-fit.nice_ceiling(-low) if low < 0 else 0.0, fit.nice_ceiling(high)]
    x = alt.X(
        "value:Q",
        title=legend_title,
        scale=alt.Scale(domain=domain, nice=False),
        axis=alt.Axis(format=value_format(decimals), grid=True, titleLimit=300),
    )
    return shared.ranked_bars(
        data,
        x,
        tooltip=area_tooltip(legend_title, lang),
        colour=BAR_COLOUR,
        median=median,
        median_label=median_label,
        title=t("indicators.ranking", lang),
        domain=domain,
        lang=lang,
    )


def municipality_features(
    features: Sequence[dict[str, Any]], values: pd.DataFrame, lang: str | None = None
) -> list[dict[str, Any]]:
    """Municipality shapes with the indicator merged in at the top level (code, name, area,
    value, label); a municipality without a row keeps ``value`` None and is drawn grey."""
    by_code = values.set_index("code").to_dict("index") if not values.empty else {}
    merged = []
    for feature in features:
        code = str(feature.get("code"))
        row = by_code.get(code)
        name = feature.get("name_sv") if lang == "sv" else feature.get("name_fi")
        merged.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {},
                "code": code,
                "name": row["name"] if row else name or code,
                "area": row["area"] if row else "",
                "value": None if row is None or pd.isna(row["value"]) else float(row["value"]),
                "label": row["label"] if row else t("value.none", lang),
            }
        )
    return merged


def municipality_map(
    features: Sequence[dict[str, Any]],
    values: pd.DataFrame,
    *,
    title: str,
    legend_title: str,
    decimals: int,
    period_text: str,
    source: str,
    attribution: str,
    example: bool,
    lang: str | None = None,
    width: int = 420,
    height: int = 620,
) -> alt.TopLevelMixin:
    """Municipalities (the whole country, or one area's) coloured by the indicator; the
    projection fits what is given. ``values``: ``indicator_view.municipality_values``."""
    data = alt.Data(values=municipality_features(features, values, lang))
    colour = (
        alt.when("datum.value == null")
        .then(alt.value(NO_DATA_COLOUR))
        .otherwise(
            alt.Color(
                "value:Q", scale=_scale(values["value"]), legend=_legend(legend_title, decimals)
            )
        )
    )
    tooltip = [
        alt.Tooltip("name:N", title=t("indicators.col.municipality", lang)),
        alt.Tooltip("area:N", title=t("map.tooltip.area", lang)),
        alt.Tooltip("label:N", title=legend_title),
    ]
    chart = (
        alt.Chart(data)
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.4)
        .encode(color=colour, tooltip=tooltip)
        .project(**PROJECTION)
        .properties(
            width=width,
            height=height,
            title=alt.Title(
                title,
                subtitle=subtitle(period_text, example, source, attribution, lang=lang),
                anchor="start",
            ),
        )
    )
    return finish(chart, lang)


def sparkline(
    trend: pd.DataFrame,
    *,
    value_title: str,
    decimals: int,
    lang: str | None = None,
    width: int = 220,
    height: int = 70,
) -> alt.TopLevelMixin:
    """A small trend: the area's value per period (line and points) and the national median
    (dashed), with the periods in time order. ``trend`` has period, value, median."""
    long = trend.melt(
        id_vars=["period"], value_vars=["value", "median"], var_name="series", value_name="y"
    ).dropna(subset=["y"])
    names = {
        "value": t("indicators.trend.area", lang),
        "median": t("indicators.trend.median", lang),
    }
    long["who"] = long["series"].map(names)
    order = trend["period"].tolist()
    series = ["value", "median"]
    base = alt.Chart(long).encode(
        x=alt.X(
            "period:O",
            sort=order,
            title=None,
            axis=alt.Axis(labelAngle=0, labelFontSize=9, ticks=False, domain=False),
        ),
        y=alt.Y(
            "y:Q",
            title=None,
            scale=alt.Scale(zero=False, nice=True),
            axis=alt.Axis(format=value_format(decimals), tickCount=3, labelFontSize=9, grid=False),
        ),
        color=alt.Color(
            "series:N",
            scale=alt.Scale(domain=series, range=[LINE_COLOUR, MEDIAN_COLOUR]),
            legend=None,
        ),
        strokeDash=alt.StrokeDash(
            "series:N", scale=alt.Scale(domain=series, range=[[1, 0], [3, 2]]), legend=None
        ),
        tooltip=[
            alt.Tooltip("who:N", title=""),
            alt.Tooltip("period:O", title=t("indicators.col.period", lang)),
            alt.Tooltip("y:Q", title=value_title, format=value_format(decimals)),
        ],
    )
    lines = base.mark_line(strokeWidth=1.8)
    points = base.transform_filter("datum.series == 'value'").mark_point(filled=True, size=28)
    chart = alt.layer(lines, points).properties(width=width, height=height)
    return finish(chart, lang)
