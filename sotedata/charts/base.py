"""Chart builders: pure functions from tables to Altair charts, so tests can inspect the spec.

Every chart here speaks the page's language through ``t()``, formats numbers and dates with the
locale that ``vega_locale`` hands to Vega (Finnish: decimal comma, no-break space as thousands
separator, d.m.yyyy), writes values into the marks where colour alone would carry them, and
names the area under the pointer.
Clickable charts share one point selection named ``SELECTION`` on the top-level field ``code``
(a nested field comes back from Streamlit with an escaped key, see shared FACTS).
This module holds what every chart shares, each written once: the locale, ``finish``, the
subtitle, the palette, and the map, tile and ranked-bar layers that the roadmap and indicator
charts both draw; each page's own charts are in ``charts.national``, ``indicators``, ``area``,
``progress`` and ``risks``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from ..domain import areas
from ..domain.i18n import normalise_language, t
from ..domain.model import Status
from .fit import (
    BARS_WIDTH,
    LABEL_DX,
    TILE_LINE_HEIGHT,
    TILE_MEETING_PX,
    median_rows,
    tile_name,
)

SELECTION = "alue"

# --- the palette: the colours charts share, named once ------------------------------------------

#: no-data and outside-the-reform greys, light enough to read as "nothing here"
NO_DATA_COLOUR = "#d9d9d9"
OUTSIDE_COLOUR = "#a6a6a6"  # ΔE ≥ 10 from the no-data grey, also in greyscale
BORDER_COLOUR = "#ffffff"
#: what needs attention: a delayed measure, the plan's line, the high risks over time
ALERT_COLOUR = "#d94801"
#: each status's colour, ordered in greyscale too (dark done, light in progress, mid delayed,
#: very light not started); the area page's charts and the meeting pack draw with it
STATUS_COLOURS: dict[str, str] = {
    Status.DONE.value: "#08519c",
    Status.IN_PROGRESS.value: "#6baed6",
    Status.DELAYED.value: ALERT_COLOUR,
    Status.NOT_STARTED.value: "#cccccc",
    Status.NOT_APPLICABLE.value: "#ffffff",
}


def status_colour(
    field: str, statuses: Sequence[str], labels: Sequence[str], legend: Any
) -> alt.Color:
    """The status colour encoding every status chart shares: ``labels`` (the statuses' words in
    the page's language, in the order of ``statuses``) mapped to ``STATUS_COLOURS``."""
    return alt.Color(
        field,
        scale=alt.Scale(domain=list(labels), range=[STATUS_COLOURS[s] for s in statuses]),
        legend=legend,
    )


#: text drawn on a status's colour
STATUS_INK: dict[str, str] = {
    Status.DONE.value: "#ffffff",
    Status.IN_PROGRESS.value: "#000000",
    Status.DELAYED.value: "#ffffff",
    Status.NOT_STARTED.value: "#000000",
    Status.NOT_APPLICABLE.value: "#000000",
}

#: Vega's number and d3 time-format locales per language (``data/vega_locales.json``): each
#: language's short date is the one ``i18n.fmt_date`` writes ("23.11.2026", "23 Nov 2026", and
#: "Sept" as Babel's en_GB writes it), so an axis and the text beside it agree
_LOCALES: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "vega_locales.json").read_text("utf-8")
)


def vega_locale(lang: str | None = None) -> dict[str, Any]:
    """The number and time locale Vega formats axes, legends and tooltips with, for a spec's
    ``config.locale`` (Vega-Lite passes it to the view; without it Vega uses American English):
    Finnish and Swedish share the Nordic numbers "1 234,5" and "64 %", each with its own month
    and day names; English has "1,234.5" and British dates."""
    lang = normalise_language(lang)
    number = _LOCALES["number"]["en" if lang == "en" else "nordic"]
    return {"number": dict(number), "time": dict(_LOCALES["time"][lang])}


def vega_date_format(lang: str | None = None) -> str:
    """The d3 time format of a date on an axis or in a tooltip: the locale's short date."""
    return str(_LOCALES["time"][normalise_language(lang)]["date"])


#: d3 formats of a metric's kinds (``rules.metric_spec.KINDS``); a count is the default
_FORMATS = {"share": ".0%", "share_change": "+.0%", "days": "+,.0f", "score": ",.1f"}


def value_format(kind: str) -> str:
    """d3 format of a metric's values: shares as whole percentages, counts as integers, changes
    and days signed, scores with one decimal."""
    return _FORMATS.get(kind, ",.0f")


def finish(chart: alt.TopLevelMixin, lang: str | None) -> alt.TopLevelMixin:
    """What every chart of the app ends with, in one place so that none forgets it: the page
    language's number and date locale, and no frame around the plot."""
    return chart.configure(locale=vega_locale(lang)).configure_view(stroke=None)


def finish_with_legend(chart: alt.TopLevelMixin, lang: str | None) -> alt.TopLevelMixin:
    """``finish``, plus legend symbols with a thin outline: Streamlit's theme draws them
    with a stroke so thick that the status colours inside cannot be seen. Type sizes live here in
    the config, never on one axis, so that meeting mode's larger config sizes reach every label."""
    return (
        finish(chart, lang)
        .configure_legend(
            symbolStrokeWidth=0.8, symbolStrokeColor="#222222", labelFontSize=12, titleFontSize=12
        )
        .configure_axis(labelFontSize=12, titleFontSize=12)
    )


#: fit the width to the page column but keep the height the chart asks for: Streamlit's default
#: for a stretched chart fits the whole chart, title and legend included, into ``height``
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def subtitle(first: str, example: bool, *more: str | None, lang: str | None = None) -> list[str]:
    """The lines under a chart's title: when or what it shows (the as-of date, the period), the
    example-data note when the figures are made up, then the source lines given (a missing one
    is left out). A chart is forwarded alone, so its provenance travels in its own subtitle."""
    lines = [first]
    if example:
        lines.append(t("chart.example_data", lang))
    lines.extend(line for line in more if line)
    return lines


def area_selection() -> alt.Parameter:
    """The point selection every clickable area chart carries: a click names the area's code."""
    return alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)


def area_tooltip(
    value_title: str, lang: str | None, *, reported: bool = False
) -> list[alt.Tooltip]:
    """What hovering an area says: its name, the value as the page writes it and, with
    ``reported``, when the area last reported (the field ``reported``)."""
    tips = [
        alt.Tooltip("name:N", title=t("map.tooltip.area", lang)),
        alt.Tooltip("label:N", title=value_title),
    ]
    if reported:
        tips.append(alt.Tooltip("reported:N", title=t("national_eye.tooltip.reported", lang)))
    return tips


def _outside_name(code: str, props: dict, lang: str | None) -> str:
    """An area without a row (Åland) named in the page's language when the registry knows it."""
    try:
        return areas.get(code).name(lang)
    except (KeyError, ValueError):
        return props.get("name_fi") or props.get("nimi") or code


def map_values(
    features: Sequence[dict], values: pd.DataFrame, lang: str | None = None
) -> list[dict]:
    """GeoJSON features with the metric merged in at the top level (code, name, value, label).

    ``values`` has columns code, name, value, label (and ``reported``, ``flag`` when the map
    says when each area last reported); areas outside the reform keep ``value`` None and are
    drawn grey and unclickable.
    """
    by_code = values.set_index("code").to_dict("index")
    merged = []
    for feature in features:
        props = feature.get("properties") or {}
        code = str(feature.get("code") or props.get("code") or props.get("hyvinvointialue"))
        row = by_code.get(code)
        value = None if row is None or pd.isna(row["value"]) else float(row["value"])
        merged.append(
            {
                "type": "Feature",
                "geometry": feature["geometry"],
                "properties": {},
                "code": code,
                "name": row["name"] if row else _outside_name(code, props, lang),
                "value": value,
                "label": row["label"] if row else t("map.outside_reform", lang),
                "clickable": row is not None,
                **{key: row[key] for key in ("reported", "flag") if row and key in row},
            }
        )
    return merged


#: Finland upright: a transverse Mercator around 27° E (the national grid's own meridian)
PROJECTION = {"type": "transverseMercator", "rotate": [-27, 0, 0]}


def area_layers(
    colour: Any,
    select: alt.Parameter,
    scale: alt.Scale,
    marker_values: pd.DataFrame | None = None,
) -> list[alt.Chart]:
    """The national map's layers, for the roadmap and the indicator maps alike: the areas filled
    by ``colour`` (a click selects one, the others fade), Åland over them in its own grey outside
    the colour scale, and a clickable symbol for each small area in ``marker_values`` (code, lon,
    lat, value), filled like the area itself. The data is the layer's: one copy of the
    boundaries, the marks only encode it; the tooltip and the projection are the layer's too
    (``area_map``), written once for every mark."""
    shapes = (
        alt.Chart()
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.8)
        .encode(
            color=colour,
            opacity=alt.when(select).then(alt.value(1.0)).otherwise(alt.value(0.55)),
        )
        .add_params(select)
    )
    outside = (
        alt.Chart()
        .transform_filter("!datum.clickable")
        .mark_geoshape(fill=OUTSIDE_COLOUR, stroke=BORDER_COLOUR, strokeWidth=0.8)
    )
    layers: list[alt.Chart] = [shapes, outside]
    if marker_values is not None and not marker_values.empty:
        layers.append(
            alt.Chart(marker_values)
            .mark_point(shape="circle", size=90, filled=True, stroke="#000000", strokeWidth=1)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                color=alt.Color("value:Q", scale=scale, legend=None),
                opacity=alt.value(1.0),
            )
        )
    return layers


def area_map(
    features: Sequence[dict],
    values: pd.DataFrame,
    *,
    colour: alt.Color,
    scale: alt.Scale,
    tooltip: list[alt.Tooltip],
    marker_values: pd.DataFrame | None,
    title: str,
    subtitle_lines: list[str],
    width: int,
    height: int,
    lang: str | None,
    flags: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """A national map of the areas, for a roadmap metric or an indicator alike: each area filled
    by ``colour`` (no-data grey where its value is missing), Åland grey, a click selects an area;
    ``marker_values`` adds a clickable symbol for the small ones (see ``area_layers``) and
    ``flags`` (lon, lat, flag) a mark written inside an area (one that did not report)."""
    data = alt.Data(values=map_values(features, values, lang))
    fill = alt.when("datum.value == null").then(alt.value(NO_DATA_COLOUR)).otherwise(colour)
    layers = area_layers(fill, area_selection(), scale, marker_values)
    if flags is not None and not flags.empty:
        layers.append(
            alt.Chart(flags)
            .mark_text(fontSize=22, fontWeight="bold", color="#000000", dy=4)
            .encode(longitude="lon:Q", latitude="lat:Q", text="flag:N")
        )
    # every layer shares the tooltip and the projection: written once, not once per layer (the
    # map's message is what every session receives first)
    chart = alt.layer(*layers, data=data).encode(tooltip=tooltip).project(**PROJECTION)
    chart = chart.properties(
        width=width,
        height=height,
        title=alt.Title(title, subtitle=subtitle_lines, anchor="start"),
    )
    return finish(chart, lang)


#: a tile: an equal square with a white gap and round corners
TILE_MARK: dict[str, Any] = {"stroke": BORDER_COLOUR, "strokeWidth": 3, "cornerRadius": 3}


def tile_map(
    data: pd.DataFrame,
    *,
    colour: alt.Color,
    empty_colour: Any,
    tooltip: list[alt.Tooltip],
    low: float,
    high: float,
    title: str,
    subtitle_lines: list[str],
    lang: str | None,
    middle: float | None = None,
) -> alt.TopLevelMixin:
    """One equal square per area (``data``: tiles with code, row, col, short, value, label),
    for a roadmap metric or an indicator alike: a tile with a value filled by ``colour`` (a click
    selects it), one without by ``empty_colour``, short name and value written in (``middle``:
    a diverging scale's, see ``tile_texts``)."""
    select = area_selection()
    lines = [tile_name(name) for name in data["short"]]
    data = data.assign(name_top=[top for top, _ in lines], name_bottom=[low for _, low in lines])
    base = alt.Chart(data).encode(x=alt.X("col:O", axis=None), y=alt.Y("row:O", axis=None))
    rects = (
        base.transform_filter("datum.value != null")
        .mark_rect(**TILE_MARK)
        .encode(
            color=colour,
            tooltip=tooltip,
            opacity=alt.condition(select, alt.value(1.0), alt.value(0.55)),
        )
        .add_params(select)
    )
    # Vega drops a rect whose colour field is empty, so the tiles without a value are a layer
    empty = (
        base.transform_filter("datum.value == null")
        .mark_rect(**TILE_MARK)
        .encode(color=empty_colour, tooltip=tooltip)
    )
    chart = alt.layer(rects, empty, *tile_texts(base, tooltip, low, high, middle)).properties(
        width=alt.Step(92),
        height=alt.Step(62),
        title=alt.Title(title, subtitle=subtitle_lines, anchor="start"),
        # meeting mode: a tile's three lines fit a tile fitted to a 768 px screen at 13 px
        usermeta={"meeting_text_px": TILE_MEETING_PX},
    )
    return finish(chart, lang)


def tile_texts(
    base: alt.Chart,
    tooltip: list[alt.Tooltip],
    low: float,
    high: float,
    middle: float | None = None,
) -> list[alt.Chart]:
    """A tile's short name and value written on it, for the roadmap and indicator tile maps:
    white on the darker part of the colour scale (above 60 % of ``low``–``high``; on a diverging
    scale, whose middle is lighter, further than 75 % of the way from ``middle`` to either end),
    else black."""
    if middle is None:
        dark = f"datum.value > {low + 0.6 * (high - low)}"
    else:
        dark = f"abs(datum.value - {middle}) > {0.75 * (high - middle)}"
    ink = alt.condition(
        f"datum.value != null && {dark}", alt.value("#ffffff"), alt.value("#000000")
    )
    # the name's lower line just above the value, its upper line (if any) a line above that; a
    # tile with a two-line name moves its three lines down by half a line, to stay centred
    layers = []
    for test, shift in (
        ("datum.name_top == ''", 0),
        ("datum.name_top != ''", TILE_LINE_HEIGHT // 2),
    ):
        lines = base.transform_filter(test)
        layers += [
            lines.mark_text(baseline="bottom", dy=dy + shift, fontSize=11).encode(
                text=f"{field}:N", color=ink, tooltip=tooltip
            )
            for field, dy in (("name_bottom", -1), ("name_top", -1 - TILE_LINE_HEIGHT))
        ]
        layers.append(
            lines.mark_text(baseline="top", dy=3 + shift, fontSize=13, fontWeight="bold").encode(
                text="label:N", color=ink, tooltip=tooltip
            )
        )
    return layers


def ranked_bars(
    data: pd.DataFrame,
    x: alt.X,
    *,
    tooltip: list[alt.Tooltip],
    colour: str,
    median: float | None,
    median_label: str | None,
    title: str,
    domain: Sequence[float],
    lang: str | None = None,
    text_field: str = "label",
) -> alt.TopLevelMixin:
    """The areas ranked, for a roadmap metric or an indicator alike: ``data`` (short, value,
    label, code) in the order drawn, one bar per area (a click selects, the others fade) with
    its value written at its end, and the median as a dashed line labelled at the top. The line
    is drawn row by row and left out where it would cross a value label (``domain`` is the
    x scale's, unrounded, so where a label falls is known)."""
    select = area_selection()
    y = alt.Y("short:N", sort=data["short"].tolist(), title=None, axis=alt.Axis(labelLimit=160))
    bars = (
        alt.Chart(data)
        .mark_bar(color=colour)
        .encode(
            x=x,
            y=y,
            tooltip=tooltip,
            opacity=alt.condition(select, alt.value(1.0), alt.value(0.55)),
        )
        .add_params(select)
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=LABEL_DX, fontSize=11)
        .encode(x=x, y=y, text=f"{text_field}:N", tooltip=tooltip)
    )
    layers: list[alt.Chart] = [bars, text]
    if median is not None and not pd.isna(median):
        rule_data = pd.DataFrame(
            {"value": [median], "label": [t("chart.median", lang, value=median_label)]}
        )
        rows = median_rows(data, float(median), domain, text_field)
        segments = rule_data.merge(pd.DataFrame({"short": rows}), how="cross")
        # one short vertical tick per row, which reads as a dashed line down the chart
        rule = alt.Chart(segments).mark_tick(color="#000000", thickness=1.5, size=14)
        layers.append(rule.encode(x="value:Q", y=y, tooltip=alt.Tooltip("label:N", title="")))
        layers.append(
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, dy=-6, fontSize=11, baseline="bottom")
            .encode(x="value:Q", y=alt.value(0), text="label:N")
        )
    chart = alt.layer(*layers).properties(
        width=BARS_WIDTH, height=alt.Step(22), title=alt.Title(title, anchor="start")
    )
    return finish(chart, lang)


def phase_status_bars(
    counts: pd.DataFrame, *, status_order: Sequence[str], lang: str | None = None
) -> alt.TopLevelMixin:
    """Measures of one area per phase, stacked by status, counts written in (the area page).

    ``counts`` has columns phase_label, status_label, status, count.
    """
    statuses = [s for s in status_order if s in set(counts["status"])]
    labels = (
        counts.drop_duplicates("status").set_index("status").loc[statuses, "status_label"].tolist()
    )
    data = counts[counts["count"] > 0].copy()
    data["order"] = data["status"].map({s: i for i, s in enumerate(status_order)})
    data["ink"] = data["status"].map(STATUS_INK)
    base = alt.Chart(data).encode(
        y=alt.Y("phase_label:N", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X(
            "count:Q",
            stack="zero",
            title=t("area.measures_count", lang),
            axis=alt.Axis(tickMinStep=1),  # whole measures: no "0 1 1 2 2"
        ),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(stroke="#555555", strokeWidth=0.5).encode(
        color=status_colour(
            "status_label:N",
            statuses,
            labels,
            alt.Legend(title=t("area.status", lang), orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("phase_label:N", title=t("area.phase", lang)),
            alt.Tooltip("status_label:N", title=t("area.status", lang)),
            alt.Tooltip("count:Q", title=t("area.measures_count", lang)),
        ],
    )
    text = base.mark_text(dx=-4, align="right", fontSize=11).encode(
        text="count:Q",
        detail="status_label:N",
        color=alt.Color("ink:N", scale=None),
    )
    chart = alt.layer(bars, text).properties(
        width=520, height=alt.Step(34), title=alt.Title(t("area.by_phase", lang), anchor="start")
    )
    return finish(chart, lang)
