"""Chart builders: pure functions from tables to Altair charts, so tests can inspect the spec.

Every chart here speaks the page's language through ``t()``, formats numbers and dates with the
locale that ``vega_locale`` hands to Vega (Finnish: decimal comma, no-break space as thousands
separator, d.m.yyyy), writes values into the marks where colour alone would carry them, and
names the area under the pointer.
Clickable charts share one point selection named ``SELECTION`` on the top-level field ``code``
(a nested field comes back from Streamlit with an escaped key, see shared FACTS).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from ..domain import areas
from ..domain.i18n import normalise_language, t

SELECTION = "alue"
#: no-data and outside-the-reform greys, light enough to read as "nothing here"
NO_DATA_COLOUR = "#d9d9d9"
OUTSIDE_COLOUR = "#a6a6a6"  # ΔE ≥ 10 from the no-data grey, also in greyscale
BORDER_COLOUR = "#ffffff"
#: colour classes of the ministry's monthly area × work stream table (share done), light to dark so
#: they stay ordered in greyscale; the value is always written into the cell as well.
SHARE_CLASSES: tuple[tuple[float, str], ...] = (
    (0.25, "#fde0c5"),
    (0.50, "#facba6"),
    (0.75, "#9ecae1"),
    (1.01, "#2171b5"),
)
SHARE_CLASS_TEXT = ("#000000", "#000000", "#000000", "#ffffff")

_NORDIC_NUMBER = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0€"],
    "percent": "\u00a0%",
}
_EN_NUMBER = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]}
#: d3 time-format locales in the shape Vega's ``config.locale.time`` takes; each language's short
#: date is the one ``i18n.fmt_date`` writes ("23.11.2026", "23 Nov 2026"), so an axis and the text
#: beside it agree
_TIME: dict[str, dict[str, Any]] = {
    "fi": {
        "dateTime": "%A %-d.%-m.%Y klo %X",
        "date": "%-d.%-m.%Y",
        "time": "%H:%M:%S",
        "periods": ["a.m.", "p.m."],
        "days": [
            "sunnuntai",
            "maanantai",
            "tiistai",
            "keskiviikko",
            "torstai",
            "perjantai",
            "lauantai",
        ],
        "shortDays": ["su", "ma", "ti", "ke", "to", "pe", "la"],
        "months": [
            "tammikuu",
            "helmikuu",
            "maaliskuu",
            "huhtikuu",
            "toukokuu",
            "kesäkuu",
            "heinäkuu",
            "elokuu",
            "syyskuu",
            "lokakuu",
            "marraskuu",
            "joulukuu",
        ],
        "shortMonths": [
            "tammi",
            "helmi",
            "maalis",
            "huhti",
            "touko",
            "kesä",
            "heinä",
            "elo",
            "syys",
            "loka",
            "marras",
            "joulu",
        ],
    },
    "sv": {
        "dateTime": "%A %-d.%-m.%Y kl. %X",
        "date": "%-d.%-m.%Y",
        "time": "%H:%M:%S",
        "periods": ["fm", "em"],
        "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
        "shortDays": ["sön", "mån", "tis", "ons", "tors", "fre", "lör"],
        "months": [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        "shortMonths": [
            "jan",
            "feb",
            "mars",
            "apr",
            "maj",
            "juni",
            "juli",
            "aug",
            "sep",
            "okt",
            "nov",
            "dec",
        ],
    },
    "en": {
        "dateTime": "%A %-d %B %Y %X",
        "date": "%-d %b %Y",
        "time": "%H:%M:%S",
        "periods": ["am", "pm"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "shortMonths": [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sept",  # as Babel's en_GB, so an axis writes what fmt_date writes
            "Oct",
            "Nov",
            "Dec",
        ],
    },
}


def vega_locale(lang: str | None = None) -> dict[str, Any]:
    """The number and time locale Vega formats axes, legends and tooltips with, for a spec's
    ``config.locale`` (Vega-Lite passes it to the view; without it Vega uses American English):
    Finnish and Swedish share the Nordic numbers "1 234,5" and "64 %", each with its own month
    and day names; English has "1,234.5" and British dates."""
    lang = normalise_language(lang)
    number = _EN_NUMBER if lang == "en" else _NORDIC_NUMBER
    return {"number": dict(number), "time": dict(_TIME[lang])}


def vega_date_format(lang: str | None = None) -> str:
    """The d3 time format of a date on an axis or in a tooltip: the locale's short date."""
    return str(_TIME[normalise_language(lang)]["date"])


def value_format(kind: str) -> str:
    """d3 format of a metric's values: shares as whole percentages, counts as integers."""
    return ".0%" if kind == "share" else ",.0f"


def finish(chart: alt.TopLevelMixin, lang: str | None) -> alt.TopLevelMixin:
    """What every chart of the app ends with, in one place so that none forgets it: the page
    language's number and date locale, and no frame around the plot."""
    return chart.configure(locale=vega_locale(lang)).configure_view(stroke=None)


def colour_domain(kind: str, values: pd.Series) -> list[float]:
    """The colour scale's range: the data's own extent, widened to whole tens of per cent for
    shares, so that differences between areas show on a projector; the legend states the range."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if known.empty:
        return [0.0, 1.0]
    low, high = float(known.min()), float(known.max())
    if kind == "share":
        low, high = math.floor(low * 10) / 10, math.ceil(high * 10) / 10
        if high - low < 0.2:
            low = max(0.0, high - 0.2)
        return [low, max(high, low + 0.1)]
    return [0.0, max(high, 1.0)]


def _colour_scale(kind: str, direction: str, values: pd.Series) -> alt.Scale:
    """Light = little, dark = much: readable in greyscale; the scheme says good or bad."""
    scheme = "blues" if direction == "higher_is_better" else "oranges"
    return alt.Scale(scheme=scheme, domain=colour_domain(kind, values), clamp=True)


def _subtitle(
    as_of_text: str, example: bool, attribution: str | None, lang: str | None
) -> list[str]:
    lines = [t("chart.as_of", lang, date=as_of_text)]
    if example:
        lines.append(t("chart.example_data", lang))
    if attribution:
        lines.append(attribution)
    return lines


def _area_tooltip(metric_label: str, lang: str | None) -> list[alt.Tooltip]:
    """What hovering an area says: its official name and the metric as the UI writes it."""
    return [
        alt.Tooltip("name:N", title=t("map.tooltip.area", lang)),
        alt.Tooltip("label:N", title=metric_label),
    ]


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

    ``values`` has columns code, name, value, label; areas outside the reform keep ``value`` None
    and are drawn grey and unclickable.
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
            }
        )
    return merged


#: Finland upright: a transverse Mercator around 27° E (the national grid's own meridian)
PROJECTION = {"type": "transverseMercator", "rotate": [-27, 0, 0]}


def area_layers(
    colour: Any,
    tooltip: list[alt.Tooltip],
    select: Any,
    scale: alt.Scale,
    marker_values: pd.DataFrame | None = None,
) -> list[alt.Chart]:
    """The national map's layers, for the roadmap and the indicator maps alike: the areas filled
    by ``colour`` (a click selects one, the others fade), Åland over them in its own grey outside
    the colour scale, and a clickable symbol for each small area in ``marker_values`` (code, lon,
    lat, value), filled like the area itself. The data is the layer's: one copy of the
    boundaries, the marks only encode it."""
    shapes = (
        alt.Chart()
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.8)
        .encode(
            color=colour,
            tooltip=tooltip,
            opacity=alt.when(select).then(alt.value(1.0)).otherwise(alt.value(0.55)),
        )
        .add_params(select)
        .project(**PROJECTION)
    )
    outside = (
        alt.Chart()
        .transform_filter("!datum.clickable")
        .mark_geoshape(fill=OUTSIDE_COLOUR, stroke=BORDER_COLOUR, strokeWidth=0.8)
        .encode(tooltip=tooltip)
        .project(**PROJECTION)
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
                tooltip=tooltip,
            )
            .project(**PROJECTION)
        )
    return layers


def choropleth(
    features: Sequence[dict],
    values: pd.DataFrame,
    *,
    metric_label: str,
    kind: str,
    direction: str,
    as_of_text: str,
    attribution: str,
    example: bool,
    markers: pd.DataFrame | None = None,
    lang: str | None = None,
    width: int = 460,
    height: int = 680,
) -> alt.TopLevelMixin:
    """The national map: areas filled by the metric, Åland grey, a click selects an area.

    ``markers`` (code, lon, lat) adds a clickable symbol for areas too small to hit at national
    scale (Helsinki, Vantaa-Kerava), filled like the area itself.
    """
    data = alt.Data(values=map_values(features, values, lang))
    select = alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)
    scale = _colour_scale(kind, direction, values["value"])
    colour = (
        alt.when("datum.value == null")
        .then(alt.value(NO_DATA_COLOUR))
        .otherwise(
            alt.Color(
                "value:Q",
                scale=scale,
                legend=alt.Legend(
                    title=metric_label,
                    format=value_format(kind),
                    orient="bottom",
                    direction="horizontal",
                    gradientLength=260,
                ),
            )
        )
    )
    tooltip = _area_tooltip(metric_label, lang)
    marker_values = values.merge(markers, on="code") if markers is not None else None
    layers = area_layers(colour, tooltip, select, scale, marker_values)
    chart = alt.layer(*layers, data=data).properties(
        width=width,
        height=height,
        title=alt.Title(
            metric_label,
            subtitle=_subtitle(as_of_text, example, attribution, lang),
            anchor="start",
        ),
    )
    return finish(chart, lang)


def tile_texts(
    base: alt.Chart, tooltip: list[alt.Tooltip], low: float, high: float
) -> list[alt.Chart]:
    """A tile's short name and value written on it, for the roadmap and indicator tile maps:
    white on the darker part of the colour scale (above 60 % of ``low``–``high``), else black."""
    dark_from = low + 0.6 * (high - low)
    ink = alt.condition(
        f"datum.value != null && datum.value > {dark_from}",
        alt.value("#ffffff"),
        alt.value("#000000"),
    )
    names = base.mark_text(baseline="bottom", dy=-1, fontSize=11).encode(
        text="short:N", color=ink, tooltip=tooltip
    )
    labels = base.mark_text(baseline="top", dy=3, fontSize=13, fontWeight="bold").encode(
        text="label:N", color=ink, tooltip=tooltip
    )
    return [names, labels]


def tile_map(
    tiles: pd.DataFrame,
    values: pd.DataFrame,
    *,
    metric_label: str,
    kind: str,
    direction: str,
    as_of_text: str,
    example: bool,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """One equal square per area, placed roughly like Finland, short name and value written in.

    Works with no boundaries at all and gives small areas (Helsinki) the same weight as Lappi.
    """
    data = tiles.merge(values[["code", "value", "label"]], on="code", how="left")
    data["clickable"] = data["value"].notna() | data["code"].isin(values["code"])
    data["label"] = data["label"].fillna(t("map.outside_reform.short", lang))
    select = alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)
    base = alt.Chart(data).encode(
        x=alt.X("col:O", axis=None),
        y=alt.Y("row:O", axis=None),
    )
    tooltip = _area_tooltip(metric_label, lang)
    rects = (
        base.mark_rect(stroke=BORDER_COLOUR, strokeWidth=3, cornerRadius=3)
        .encode(
            color=alt.condition(
                "datum.value == null",
                alt.value(OUTSIDE_COLOUR),
                alt.Color(
                    "value:Q",
                    scale=_colour_scale(kind, direction, values["value"]),
                    legend=alt.Legend(
                        title=metric_label, format=value_format(kind), orient="bottom"
                    ),
                ),
            ),
            tooltip=tooltip,
            opacity=alt.condition(select, alt.value(1.0), alt.value(0.55)),
        )
        .add_params(select)
    )
    low, high = colour_domain(kind, values["value"])
    # Vega drops a rect whose colour field is empty, so Åland's grey tile is a layer of its own
    outside = (
        base.transform_filter("datum.value == null")
        .mark_rect(stroke=BORDER_COLOUR, strokeWidth=3, cornerRadius=3, color=OUTSIDE_COLOUR)
        .encode(tooltip=tooltip)
    )
    chart = alt.layer(rects, outside, *tile_texts(base, tooltip, low, high)).properties(
        width=alt.Step(92),
        height=alt.Step(62),
        title=alt.Title(
            metric_label,
            subtitle=_subtitle(as_of_text, example, None, lang),
            anchor="start",
        ),
    )
    return finish(chart, lang)


def ranked_bars(
    values: pd.DataFrame,
    *,
    metric_label: str,
    kind: str,
    direction: str,
    median: float | None,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The same metric as a ranked bar chart, best first, with the national median as a rule."""
    data = values.dropna(subset=["value"]).copy()
    ascending = direction == "lower_is_better"
    data = data.sort_values(["value", "short"], ascending=[ascending, True])
    order = data["short"].tolist()
    select = alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)
    domain_max = 1 if kind == "share" else max(float(data["value"].max() or 0), 1)
    x = alt.X(
        "value:Q",
        title=metric_label,
        scale=alt.Scale(domain=[0, domain_max]),
        axis=alt.Axis(format=value_format(kind), grid=True),
    )
    y = alt.Y("short:N", sort=order, title=None, axis=alt.Axis(labelLimit=160))
    tooltip = _area_tooltip(metric_label, lang)
    colour = "#2b6cb0" if direction == "higher_is_better" else "#c05621"
    median_label = None if median is None or pd.isna(median) else _label(median, kind, lang)
    layers = ranked_bar_layers(data, x, y, tooltip, select, colour, median, median_label, lang)
    chart = alt.layer(*layers).properties(
        width=300,
        height=alt.Step(22),
        title=alt.Title(t("chart.ranking", lang), anchor="start"),
    )
    return finish(chart, lang)


def _label(value: float, kind: str, lang: str | None = None) -> str:
    from ..domain.i18n import fmt_number, fmt_percent

    return fmt_percent(value, 0, lang) if kind == "share" else fmt_number(value, 0, lang)


def ranked_bar_layers(
    data: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    tooltip: list[alt.Tooltip],
    select: Any,
    colour: str,
    median: float | None,
    median_label: str | None,
    lang: str | None = None,
) -> list[alt.Chart]:
    """The ranked bars' layers, for the roadmap and indicator bars alike: one bar per area (a
    click selects, the others fade) with its value written at its end, and the median as a
    dashed line labelled at the top."""
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
        .mark_text(align="left", dx=3, fontSize=11)
        .encode(x=x, y=y, text="label:N", tooltip=tooltip)
    )
    layers: list[alt.Chart] = [bars, text]
    if median is not None and not pd.isna(median):
        rule_data = pd.DataFrame(
            {"value": [median], "label": [t("chart.median", lang, value=median_label)]}
        )
        rule = alt.Chart(rule_data).mark_rule(color="#000000", strokeDash=[4, 3], strokeWidth=1.5)
        layers.append(rule.encode(x="value:Q", tooltip=alt.Tooltip("label:N", title="")))
        layers.append(
            alt.Chart(rule_data)
            .mark_text(align="left", dx=4, dy=-6, fontSize=11, baseline="bottom")
            .encode(x="value:Q", y=alt.value(0), text="label:N")
        )
    return layers


def share_class(value: float | None) -> int | None:
    """Index of the ministry table's colour class for a share, None for no applicable measures."""
    if value is None or pd.isna(value):
        return None
    for index, (upper, _colour) in enumerate(SHARE_CLASSES):
        if value < upper:
            return index
    return len(SHARE_CLASSES) - 1


def workstream_table(
    table: pd.DataFrame,
    *,
    metric_label: str,
    work_stream_order: Sequence[str],
    area_order: Sequence[str],
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The ministry's monthly colour table: areas × work streams, classes by colour, values in text.

    ``table`` has columns code, short, name, work_stream (display name), value, label.
    """
    data = table.copy()
    classes = [share_class(v) for v in data["value"]]
    data["fill"] = [SHARE_CLASSES[c][1] if c is not None else NO_DATA_COLOUR for c in classes]
    data["ink"] = [SHARE_CLASS_TEXT[c] if c is not None else "#000000" for c in classes]
    select = alt.selection_point(name=SELECTION, fields=["code"], on="click", clear=False)
    base = alt.Chart(data).encode(
        x=alt.X(
            "work_stream:N",
            sort=list(work_stream_order),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=150, labelFontSize=11),
        ),
        y=alt.Y("short:N", sort=list(area_order), title=None, axis=alt.Axis(labelLimit=160)),
        tooltip=[
            alt.Tooltip("name:N", title=t("map.tooltip.area", lang)),
            alt.Tooltip("work_stream:N", title=t("table.work_stream", lang)),
            alt.Tooltip("label:N", title=metric_label),
        ],
    )
    cells = (
        base.mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            color=alt.Color("fill:N", scale=None),
            opacity=alt.condition(select, alt.value(1.0), alt.value(0.6)),
        )
        .add_params(select)
    )
    text = base.mark_text(fontSize=12).encode(text="label:N", color=alt.Color("ink:N", scale=None))
    chart = alt.layer(cells, text).properties(
        width=alt.Step(150),
        height=alt.Step(24),
        title=alt.Title(
            t("table.title", lang, metric=metric_label),
            subtitle=t("table.legend", lang),
            anchor="start",
        ),
    )
    return finish(chart, lang)


def phase_status_bars(
    counts: pd.DataFrame, *, status_order: Sequence[str], lang: str | None = None
) -> alt.TopLevelMixin:
    """Measures of one area per phase, stacked by status, counts written in (the area page).

    ``counts`` has columns phase_label, status_label, status, count.
    """
    palette = {
        "done": "#2171b5",
        "in_progress": "#6baed6",
        "delayed": "#e6550d",
        "not_started": "#cccccc",
        "not_applicable": "#ffffff",
    }
    statuses = [s for s in status_order if s in set(counts["status"])]
    labels = (
        counts.drop_duplicates("status").set_index("status").loc[statuses, "status_label"].tolist()
    )
    data = counts[counts["count"] > 0].copy()
    data["order"] = data["status"].map({s: i for i, s in enumerate(status_order)})
    base = alt.Chart(data).encode(
        y=alt.Y("phase_label:N", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("count:Q", stack="zero", title=t("area.measures_count", lang)),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(stroke="#555555", strokeWidth=0.5).encode(
        color=alt.Color(
            "status_label:N",
            scale=alt.Scale(domain=labels, range=[palette[s] for s in statuses]),
            legend=alt.Legend(title=t("area.status", lang), orient="bottom"),
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
        color=alt.condition(
            "datum.status == 'done' || datum.status == 'delayed'",
            alt.value("#ffffff"),
            alt.value("#000000"),
        ),
    )
    chart = alt.layer(bars, text).properties(
        width=520, height=alt.Step(34), title=alt.Title(t("area.by_phase", lang), anchor="start")
    )
    return finish(chart, lang)
