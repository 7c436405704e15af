"""The national page's charts: the areas on a map or tiles coloured by a roadmap metric, the
areas ranked by it, and the ministry's area × work stream table.

Pure builders like :mod:`sotedata.charts.base`, whose locale, map layers and ranked bars they
share with the indicator charts; only the national page and its exports draw these.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from ..domain.i18n import fmt_number, fmt_percent, t
from ..rules.metric_spec import Scale
from . import base as shared
from . import fit
from .base import (
    NO_DATA_COLOUR,
    OUTSIDE_COLOUR,
    area_selection,
    area_tooltip,
    finish,
    subtitle,
    value_format,
)

#: colour classes of the ministry's monthly area × work stream table (share done), light to dark so
#: they stay ordered in greyscale; the value is always written into the cell as well.
SHARE_CLASSES: tuple[tuple[float, str], ...] = (
    (0.25, "#fde0c5"),
    (0.50, "#facba6"),
    (0.75, "#9ecae1"),
    (1.01, "#2171b5"),
)
SHARE_CLASS_TEXT = ("#000000", "#000000", "#000000", "#ffffff")
#: the ministry's classes by their lowest whole per cent
MINISTRY_FLOORS: tuple[int, ...] = (0, 25, 50, 75)
#: the ministry's classes stay while no class holds more than this share of the cells; past it
#: (late in the year nearly every cell is 75 % or more) the classes are the quartiles of the day
MINISTRY_MAX_SHARE = 0.5
#: a work stream's name on the table's header: lines of at most this many characters
HEADER_CHARS = 14


def colour_domain(kind: str, values: pd.Series, scale: Scale | None = None) -> list[float]:
    """The colour scale's range: the data's own extent, widened to whole tens of per cent for
    shares, so that differences between areas show on a projector; the legend states the range.
    A diverging scale is symmetric around its midpoint, so the neutral colour sits there."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if scale is not None and scale.type == "diverging":
        return _diverging_domain(kind, known, float(scale.midpoint or 0.0))
    if known.empty:
        return [0.0, 1.0]
    low, high = float(known.min()), float(known.max())
    if kind == "share":
        low, high = math.floor(low * 10) / 10, math.ceil(high * 10) / 10
        if high - low < 0.2:
            low = max(0.0, high - 0.2)
        return [low, max(high, low + 0.1)]
    return [0.0, max(high, 1.0)]


def _diverging_domain(kind: str, known: pd.Series, middle: float) -> list[float]:
    """[low, middle, high] with the middle halfway: the largest distance from it, rounded up to
    whole per cents (a change of a share) or whole tens (days, counts)."""
    reach = float((known - middle).abs().max()) if not known.empty else 0.0
    step = 0.01 if kind in ("share", "share_change") else 10.0
    reach = max(math.ceil(reach / step - 1e-9) * step, step)
    return [middle - reach, middle, middle + reach]


def colour_scale(
    kind: str, direction: str, values: pd.Series, scale: Scale | None = None
) -> alt.Scale:
    """Light = little, dark = much: readable in greyscale; the scheme says good or bad (public
    for the colour-vision checks). A diverging scale is light at its midpoint and dark at both
    ends: blue on the good side, orange on the bad one."""
    domain = colour_domain(kind, values, scale)
    if scale is not None and scale.type == "diverging":
        # Vega's blueorange runs blue (low) to orange (high): reversed where more is better
        return alt.Scale(
            scheme="blueorange",
            domain=[domain[0], domain[2]],
            domainMid=domain[1],
            reverse=direction != "lower_is_better",
            clamp=True,
        )
    scheme = "blues" if direction == "higher_is_better" else "oranges"
    return alt.Scale(scheme=scheme, domain=domain, clamp=True)


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
    scale: Scale | None = None,
    notes: Sequence[str] = (),
    flags: pd.DataFrame | None = None,
    lang: str | None = None,
    width: int = 460,
    height: int = 680,
) -> alt.TopLevelMixin:
    """The national map: areas filled by the metric, Åland grey, a click selects an area.

    ``markers`` (code, lon, lat) adds a clickable symbol for areas too small to hit at national
    scale (Helsinki, Vantaa-Kerava), filled like the area itself; ``flags`` (code, lon, lat) the
    mark of an area that did not report on the as-of date, which ``notes`` (subtitle lines)
    explain.
    """
    scale = colour_scale(kind, direction, values["value"], scale)
    legend = alt.Legend(
        title=metric_label,
        titleLimit=0,  # the metric's whole name, never "Valmiiden osuuden muutos vert…"
        format=value_format(kind),
        orient="bottom",
        direction="horizontal",
        gradientLength=260,
    )
    return shared.area_map(
        features,
        values,
        colour=alt.Color("value:Q", scale=scale, legend=legend),
        scale=scale,
        tooltip=area_tooltip(metric_label, lang, reported="reported" in values.columns),
        marker_values=values.merge(markers, on="code") if markers is not None else None,
        title=metric_label,
        subtitle_lines=_subtitle(as_of_text, example, attribution, lang, notes),
        width=width,
        height=height,
        lang=lang,
        flags=values.merge(flags, on="code") if flags is not None else None,
    )


def _subtitle(
    as_of_text: str,
    example: bool,
    attribution: str | None,
    lang: str | None,
    notes: Sequence[str] = (),
) -> list[str]:
    lines = subtitle(t("chart.as_of", lang, date=as_of_text), example, attribution, lang=lang)
    return [lines[0], *notes, *lines[1:]]


def tile_map(
    tiles: pd.DataFrame,
    values: pd.DataFrame,
    *,
    metric_label: str,
    kind: str,
    direction: str,
    as_of_text: str,
    example: bool,
    scale: Scale | None = None,
    notes: Sequence[str] = (),
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """One equal square per area, placed roughly like Finland, short name and value written in
    (with the mark of an area that did not report on the as-of date, which ``notes`` explain).

    Works with no boundaries at all and gives small areas (Helsinki) the same weight as Lappi.
    """
    reported = "reported" in values.columns
    shown = ["code", "value", "label", *(["reported", "flag"] if reported else [])]
    data = tiles.merge(values[shown], on="code", how="left")
    data["clickable"] = data["value"].notna() | data["code"].isin(values["code"])
    if reported:
        data["label"] = data["label"] + data["flag"].fillna("")
    data["label"] = data["label"].fillna(t("map.outside_reform.short", lang))
    domain = colour_domain(kind, values["value"], scale)
    low, high = domain[0], domain[-1]
    legend = alt.Legend(
        title=metric_label, titleLimit=0, format=value_format(kind), orient="bottom"
    )
    return shared.tile_map(
        data,
        colour=alt.Color(
            "value:Q", scale=colour_scale(kind, direction, values["value"], scale), legend=legend
        ),
        empty_colour=alt.value(OUTSIDE_COLOUR),
        tooltip=area_tooltip(metric_label, lang, reported=reported),
        low=low,
        high=high,
        title=metric_label,
        subtitle_lines=_subtitle(as_of_text, example, None, lang, notes),
        middle=domain[1] if len(domain) == 3 else None,
        lang=lang,
    )


def ranked_bars(
    values: pd.DataFrame,
    *,
    metric_label: str,
    kind: str,
    direction: str,
    median: float | None,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The same metric as a ranked bar chart, the largest value first (the best where more is
    better, the worst where more is worse, so the eye goes to the problem), with the national
    median as a rule. A count's axis has whole-number ticks only."""
    data = values.dropna(subset=["value"]).copy()
    data = data.sort_values(["value", "short"], ascending=[False, True])
    known = data["value"].astype(float)
    if kind == "share":
        domain = [0.0, 1.0]
    else:
        low = min(float(known.min()), 0.0) if len(known) else 0.0
        high = max(float(known.max()), 0.0) if len(known) else 0.0
        domain = [-fit.nice_ceiling(-low) if low < 0 else 0.0, fit.nice_ceiling(high)]
    x = alt.X(
        "value:Q",
        title=metric_label,
        scale=alt.Scale(domain=domain, nice=False),
        axis=alt.Axis(
            format=value_format(kind),
            grid=True,
            tickMinStep=1 if kind in ("count", "days") else alt.Undefined,
        ),
    )
    median_label = None if median is None or pd.isna(median) else _label(median, kind, lang)
    reported = "reported" in data.columns
    data["shown"] = data["label"] + (data["flag"] if reported else "")
    return shared.ranked_bars(
        data,
        x,
        tooltip=area_tooltip(metric_label, lang, reported=reported),
        colour="#2b6cb0" if direction == "higher_is_better" else "#c05621",
        median=median,
        median_label=median_label,
        title=t("chart.ranking", lang),
        domain=domain,
        lang=lang,
        text_field="shown",
    )


def _label(value: float, kind: str, lang: str | None = None) -> str:
    """The median as the axis writes the metric: a share or a change of one in per cents (the
    change signed), days signed, a score with one decimal, a count whole."""
    if kind in ("share", "share_change"):
        text = fmt_percent(value, 0, lang)
    else:
        text = fmt_number(value, 1 if kind == "score" else 0, lang)
    rising = kind in ("share_change", "days") and value > 0 and any(c in "123456789" for c in text)
    return "+" + text if rising else text


def _percent(value: float) -> int:
    """A share as the whole per cent the cell shows, so a cell reading "25 %" is in 25–49 %."""
    return int(math.floor(float(value) * 100 + 0.5))


def share_class(value: float | None, floors: Sequence[int] = MINISTRY_FLOORS) -> int | None:
    """Index of the table's colour class for a share (``floors``: each class's lowest whole
    per cent, the ministry's by default), None for no applicable measures."""
    if value is None or pd.isna(value):
        return None
    percent = _percent(value)
    return max((i for i, floor in enumerate(floors) if percent >= floor), default=0)


def table_classes(values: pd.Series) -> tuple[tuple[int, ...], bool]:
    """The colour table's classes (lowest whole per cent of each) and whether they are the
    day's quartiles: the ministry's four while they tell the cells apart, else the quartiles of
    the cells' values, so that the latest date, when nearly every cell is 75 % or more, still
    separates the areas. The legend states which."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if known.empty:
        return MINISTRY_FLOORS, False
    percents = [_percent(v) for v in known]
    counts = pd.Series([share_class(v) for v in known]).value_counts()
    if counts.max() <= MINISTRY_MAX_SHARE * len(known):
        return MINISTRY_FLOORS, False
    lowest = min(percents)
    quartiles = pd.Series(percents).quantile([0.25, 0.5, 0.75]).tolist()
    floors = sorted({lowest, *(math.ceil(q) for q in quartiles if math.ceil(q) > lowest)})
    return tuple(floors), True


def class_colours(floors: Sequence[int]) -> list[tuple[str, str]]:
    """(fill, ink) of each class, the darkest of the palette when there are fewer than four."""
    offset = len(SHARE_CLASSES) - len(floors)
    return [
        (SHARE_CLASSES[offset + i][1], SHARE_CLASS_TEXT[offset + i]) for i in range(len(floors))
    ]


def workstream_table(
    table: pd.DataFrame,
    *,
    metric_label: str,
    work_stream_order: Sequence[str],
    area_order: Sequence[str],
    floors: Sequence[int] = MINISTRY_FLOORS,
    legend: str | None = None,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The ministry's monthly colour table: areas × work streams, classes by colour, values in text.
    ``floors`` are the classes' lowest whole per cents and ``legend`` says them (default: the
    ministry's classes). The work streams' names are wrapped on the header, never cut.

    ``table`` has columns code, short, name, work_stream (display name), value, label.
    """
    data = table.copy()
    colours = class_colours(floors)
    classes = [share_class(v, floors) for v in data["value"]]
    data["fill"] = [colours[c][0] if c is not None else NO_DATA_COLOUR for c in classes]
    data["ink"] = [colours[c][1] if c is not None else "#000000" for c in classes]
    select = area_selection()
    base = alt.Chart(data).encode(
        x=alt.X(
            "work_stream:N",
            sort=list(work_stream_order),
            title=None,
            axis=fit.header_axis(list(work_stream_order), HEADER_CHARS),
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
            subtitle=legend or t("table.legend", lang),
            anchor="start",
        ),
    )
    return finish(chart, lang)
