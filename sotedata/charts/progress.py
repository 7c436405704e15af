"""The area page's progress over time: the area's share of measures done per reporting date
against the national median and the plan, three lines told apart by dash and width as well as
colour (greyscale and colour-blind readers), each named at its end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from ..domain.i18n import fmt_date, fmt_percent, t
from ..rules.progress import PROGRESS_SERIES
from .base import ALERT_COLOUR, FIT_WIDTH, STATUS_COLOURS, finish_with_legend, vega_date_format

SERIES_DASH: dict[str, list[int]] = {"area": [1, 0], "median": [6, 4], "plan": [2, 3]}
SERIES_COLOURS: dict[str, str] = {
    "area": STATUS_COLOURS["done"],
    "median": "#555555",
    "plan": ALERT_COLOUR,
}
SERIES_WIDTH: dict[str, float] = {"area": 3.5, "median": 2.0, "plan": 2.0}


def spread_labels(values: Sequence[float], gap: float = 0.07, top: float = 1.0) -> list[float]:
    """Label heights near ``values`` but at least ``gap`` apart (in the 0–1 scale), so that end
    labels of lines that finish close together do not print over each other."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [0.0] * len(values)
    floor = -1.0
    for i in order:
        placed[i] = max(float(values[i]), floor + gap)
        floor = placed[i]
    overflow = max(placed, default=0.0) - top
    if overflow > 0:  # pushed past the top: shift the stack down again
        placed = [p - overflow for p in placed]
    return placed


def progress_lines(
    series: pd.DataFrame,
    *,
    area_label: str,
    lang: str | None = None,
    width: int | str = "container",
    projection: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """The area's done share per reporting date against the national median and the plan:
    three lines told apart by dash and width as well as colour, each named at its end; with a
    ``projection`` (``views.outlook.projection_series``: day, value, low, high) also the area's
    projected share from the as-of date to the roadmap's end, dashed, inside its band.

    ``series`` is ``views.area_progress.progress_series``.
    """
    names = {
        "area": area_label,
        "median": t("area.progress.median", lang),
        "plan": t("area.progress.plan", lang),
    }
    data = series.copy()
    data["day"] = [pd.Timestamp(d).date().isoformat() for d in data["day"]]
    data["day_text"] = [fmt_date(pd.Timestamp(d).date(), lang) for d in data["day"]]
    data["name"] = data["series"].map(names)
    data["value_text"] = [fmt_percent(v, 0, lang) for v in data["value"]]
    present = [s for s in PROGRESS_SERIES if s in set(data["series"])]
    domain = [names[s] for s in present]
    colour = alt.Color(
        "name:N",
        scale=alt.Scale(domain=domain, range=[SERIES_COLOURS[s] for s in present]),
        legend=None,
    )
    x = alt.X(
        "day:T", title=None, axis=alt.Axis(format=vega_date_format(lang), labelAngle=0, tickCount=6)
    )
    # from the tens below the lowest value to 100 %: the lines' differences stay visible
    low = math.floor(float(data["value"].min()) * 10) / 10 if len(data) else 0.0
    low = min(low, 0.8)
    shown = projection is not None and not projection.empty
    if shown:
        low = min(low, math.floor(float(projection["low"].min()) * 10) / 10)
    y = alt.Y(
        "value:Q",
        title=t("area.progress.axis", lang),
        scale=alt.Scale(domain=[low, 1], nice=False),
        axis=alt.Axis(format=".0%"),
    )
    tooltip = [
        alt.Tooltip("name:N", title=t("area.progress.series", lang)),
        alt.Tooltip("day_text:N", title=t("area.progress.day", lang)),
        alt.Tooltip("value_text:N", title=t("area.col.share", lang)),
    ]
    lines = _series_lines(data, x, y, colour, present, domain, tooltip)
    ends = _end_labels(data, x, low, colour, tooltip)
    layers = [lines, ends]
    if shown:
        layers = [*_projection_layers(projection, x, low, lang), *layers]
    chart = alt.layer(*layers).properties(
        width=width,
        autosize=FIT_WIDTH,
        height=300,
        padding={"right": 220, "left": 5, "top": 5, "bottom": 5},
        title=alt.Title(t("area.progress.title", lang), anchor="start"),
    )
    return finish_with_legend(chart, lang)


def _series_lines(
    data: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    colour: alt.Color,
    present: list[str],
    domain: list[str],
    tooltip: list[alt.Tooltip],
) -> alt.Chart:
    """The three lines with their points, told apart by dash and width as well as by colour, so
    that greyscale and colour-blind readers can tell the area from the median and the plan."""
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=40, filled=True))
        .encode(
            x=x,
            y=y,
            color=colour,
            strokeDash=alt.StrokeDash(
                "name:N",
                scale=alt.Scale(domain=domain, range=[SERIES_DASH[s] for s in present]),
                legend=None,
            ),
            strokeWidth=alt.StrokeWidth(
                "name:N",
                scale=alt.Scale(domain=domain, range=[SERIES_WIDTH[s] for s in present]),
                legend=None,
            ),
            tooltip=tooltip,
        )
    )


def _end_labels(
    data: pd.DataFrame, x: alt.X, low: float, colour: alt.Color, tooltip: list[alt.Tooltip]
) -> alt.Chart:
    """Each line's name and last value at its end, spread apart so that none covers another."""
    last = data[data["day"] == data["day"].max()].copy() if not data.empty else data
    last["end_label"] = [f"{n} {v}" for n, v in zip(last["name"], last["value_text"], strict=True)]
    last["label_y"] = spread_labels(last["value"].tolist(), gap=0.07 * (1 - low), top=1.0)
    return (
        alt.Chart(last)
        .mark_text(align="left", dx=8, fontSize=13, fontWeight="bold")
        .encode(
            x=x,
            y=alt.Y("label_y:Q", scale=alt.Scale(domain=[low, 1], nice=False)),
            text="end_label:N",
            color=colour,
            tooltip=tooltip,
        )
    )


#: the projection's dash (longer than the median's) and its band's opacity
PROJECTION_DASH = [8, 5]
BAND_OPACITY = 0.18


def _projection_layers(
    projection: pd.DataFrame, x: alt.X, low: float, lang: str | None
) -> list[alt.Chart]:
    """The projected done share as a dashed line in the area's colour inside its band, named
    at its end."""
    data = projection.copy()
    data["day"] = [pd.Timestamp(d).date().isoformat() for d in data["day"]]
    data["day_text"] = [fmt_date(pd.Timestamp(d).date(), lang) for d in data["day"]]
    data["value_text"] = [fmt_percent(v, 0, lang) for v in data["value"]]
    data["band_text"] = [
        f"{fmt_percent(a, 0, lang)}–{fmt_percent(b, 0, lang)}"
        for a, b in zip(data["low"], data["high"], strict=True)
    ]
    name = t("outlook.chart.projection", lang)
    data["name"] = name
    scale = alt.Scale(domain=[low, 1], nice=False)
    tooltip = [
        alt.Tooltip("name:N", title=t("area.progress.series", lang)),
        alt.Tooltip("day_text:N", title=t("area.progress.day", lang)),
        alt.Tooltip("value_text:N", title=t("area.col.share", lang)),
        alt.Tooltip("band_text:N", title=t("outlook.chart.band", lang)),
    ]
    colour = SERIES_COLOURS["area"]
    band = (
        alt.Chart(data)
        .mark_area(opacity=BAND_OPACITY, color=colour)
        .encode(x=x, y=alt.Y("low:Q", scale=scale), y2="high:Q", tooltip=tooltip)
    )
    line = (
        alt.Chart(data)
        .mark_line(strokeDash=PROJECTION_DASH, strokeWidth=2.5, color=colour)
        .encode(x=x, y=alt.Y("value:Q", scale=scale), tooltip=tooltip)
    )
    last = data.tail(1).assign(end_label=lambda d: f"{name} {d['value_text'].iloc[0]}")
    label = (
        alt.Chart(last)
        .mark_text(align="left", dx=8, fontSize=13, color=colour)
        .encode(x=x, y=alt.Y("value:Q", scale=scale), text="end_label:N", tooltip=tooltip)
    )
    return [band, line, label]
