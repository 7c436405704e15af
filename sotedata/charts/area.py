"""Chart builders of the area page: the roadmap timeline, progress bars, the risk matrix and the
progress lines. Pure functions from the area views' tables to Altair charts, so tests read the spec.

Each status has a colour that stays ordered in greyscale (dark done, light in progress, mid
delayed, very light not started) and, on the timeline, a shape of its own; lines differ by dash
and carry end labels; counts are written into bars and matrix cells. The clickable charts carry
point selections whose names are the page's URL words (``vaihe``, ``ryhma``, ``riski``), so the
page reads ``event["selection"][name]``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, timedelta

import altair as alt
import pandas as pd

from ..domain.i18n import fmt_date, fmt_percent, t
from ..domain.model import Status
from ..rules.progress import PROGRESS_SERIES, PROGRESS_STATUSES, KeyDate
from .base import finish, vega_date_format

#: point selections, named like the URL parameters they fill
PHASE_SELECTION = "vaihe"
TIMELINE_SELECTION = "aikajana"
STREAM_SELECTION = "ryhma"
RISK_SELECTION = "riski"

STATUS_COLOURS: dict[str, str] = {
    Status.DONE.value: "#08519c",
    Status.IN_PROGRESS.value: "#6baed6",
    Status.DELAYED.value: "#d94801",
    Status.NOT_STARTED.value: "#cccccc",
    Status.NOT_APPLICABLE.value: "#ffffff",
}
#: text drawn on a status's colour
STATUS_INK: dict[str, str] = {
    Status.DONE.value: "#ffffff",
    Status.IN_PROGRESS.value: "#000000",
    Status.DELAYED.value: "#ffffff",
    Status.NOT_STARTED.value: "#000000",
    Status.NOT_APPLICABLE.value: "#000000",
}
STATUS_SHAPES: dict[str, str] = {
    Status.DONE.value: "circle",
    Status.IN_PROGRESS.value: "triangle-up",
    Status.DELAYED.value: "diamond",
    Status.NOT_STARTED.value: "square",
    Status.NOT_APPLICABLE.value: "cross",
}
TIMELINE_STATUSES: tuple[str, ...] = (*PROGRESS_STATUSES, Status.NOT_APPLICABLE.value)
SERIES_DASH: dict[str, list[int]] = {"area": [1, 0], "median": [6, 4], "plan": [2, 3]}
SERIES_COLOURS: dict[str, str] = {"area": "#08519c", "median": "#555555", "plan": "#d94801"}
SERIES_WIDTH: dict[str, float] = {"area": 3.5, "median": 2.0, "plan": 2.0}


#: fit the width to the page column but keep the height the chart asks for: Streamlit's default
#: for a stretched chart fits the whole chart, title and legend included, into ``height``
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _finish_with_legend(chart: alt.TopLevelMixin, lang: str | None) -> alt.TopLevelMixin:
    """``base.finish``, plus legend symbols with a thin outline: Streamlit's theme draws them
    with a stroke so thick that the status colours inside cannot be seen. Type sizes live here in
    the config, never on one axis, so that meeting mode's larger config sizes reach every label."""
    return (
        finish(chart, lang)
        .configure_legend(
            symbolStrokeWidth=0.8, symbolStrokeColor="#222222", labelFontSize=12, titleFontSize=12
        )
        .configure_axis(labelFontSize=12, titleFontSize=12)
    )


def _status_labels(statuses: Sequence[str], lang: str | None) -> list[str]:
    return [t(f"status.{s}", lang) for s in statuses]


def phase_timeline(
    ranges: pd.DataFrame,
    points: pd.DataFrame,
    milestones: Sequence[KeyDate],
    as_of: date,
    *,
    lang: str | None = None,
    width: int | str = "container",
    band_height: int = 110,
    notes: pd.DataFrame | None = None,
) -> alt.TopLevelMixin:
    """The three phases as bands on a date axis, each measure a point at its deadline in its
    phase's band, coloured and shaped by status; the roadmap's key dates and the as-of date as
    rules. Clicking a band (or a point) selects the phase (``TIMELINE_SELECTION``).

    ``ranges`` is ``views.area_progress.phase_ranges``; ``points`` is its ``timeline_points``;
    ``notes`` (``notes.timeline_notes``: day, date_text, source, text) adds a row above the
    phases with a mark per note at its date, its text in the tooltip.
    """
    has_notes = notes is not None and not notes.empty
    # rows on a quantitative axis (phase i spans i…i+1, drawn downwards) so that measures sharing
    # a deadline can stack inside their phase's band without hiding each other
    position = {int(p): i for i, p in enumerate(ranges["phase"])}
    ranges = ranges.assign(
        top=[position[int(p)] + 0.04 for p in ranges["phase"]],
        bottom=[position[int(p)] + 0.96 for p in ranges["phase"]],
        aria=[
            f"{label}, {text}"
            for label, text in zip(ranges["phase_label"], ranges["range_text"], strict=True)
        ],
    )
    slots = max(int(points["slot"].max()) + 1 if len(points) else 1, 8)
    points = points.assign(
        row=[
            position.get(int(p), 0) + 0.1 + 0.8 * (s + 0.5) / slots
            for p, s in zip(points["phase"], points["slot"], strict=True)
        ]
    )
    names = " : ".join(
        f"datum.value == {i + 0.5} ? {json.dumps(label)}"
        for i, label in enumerate(ranges["phase_label"])
    )
    top = -NOTE_ROW_HEIGHT if has_notes else 0
    ticks = [i + 0.5 for i in range(len(ranges))]
    if has_notes:
        ticks.insert(0, NOTE_ROW)
        label = json.dumps(t("area.timeline.notes", lang))
        names = f"datum.value == {NOTE_ROW} ? {label}" + (f" : {names}" if names else "")
    y_scale = alt.Scale(domain=[top, max(len(ranges), 1)], reverse=True, nice=False)
    y_axis = alt.Axis(
        values=ticks,
        labelExpr=f"{names} : ''" if names else "''",
        labelLimit=230,
        grid=False,
        ticks=False,
        domain=False,
    )
    y = alt.Y("top:Q", title=None, scale=y_scale, axis=y_axis)
    note_days = [date.fromisoformat(d) for d in notes["day"]] if has_notes else []
    end = max(
        [pd.Timestamp(e).date() for e in ranges["end"]]
        + [as_of]
        + [m.day for m in milestones]
        + note_days
    )
    # room right of the last key date for its two-line label
    start = min([pd.Timestamp(ranges["start"].min()).date(), *note_days])
    domain = [start.isoformat(), (end + timedelta(days=150)).isoformat()]
    x_scale = alt.Scale(domain=domain)
    x_axis = alt.Axis(format="%b %Y", labelAngle=0, tickCount=12, grid=True)
    select = alt.selection_point(
        name=TIMELINE_SELECTION, fields=["phase"], on="click", clear="dblclick"
    )
    bands = (
        alt.Chart(ranges)
        .mark_rect(color="#e8eef5", stroke="#9aa9b8", strokeWidth=1)
        .encode(
            x=alt.X("start:T", title=None, scale=x_scale, axis=x_axis),
            x2="end:T",
            y=y,
            y2="bottom:Q",
            opacity=alt.when(select).then(alt.value(1.0)).otherwise(alt.value(0.35)),
            description="aria:N",  # what a screen reader says for the band
            tooltip=[
                alt.Tooltip("phase_label:N", title=t("area.phase", lang)),
                alt.Tooltip("range_text:N", title=t("area.timeline.range", lang)),
            ],
        )
        .add_params(select)
    )
    statuses = [s for s in TIMELINE_STATUSES if s in set(points["status"])] or list(
        TIMELINE_STATUSES
    )
    labels = _status_labels(statuses, lang)
    legend = alt.Legend(title=t("area.status", lang), orient="bottom", symbolSize=120)
    columns = ["measure_id", "name", "phase", "phase_label", "status", "status_label", "row"]
    columns += ["deadline_iso", "deadline_text", "critical_text", "aria"]
    points = points.assign(
        aria=[
            t("area.timeline.aria", lang, id=i, name=n, status=st, deadline=d)
            for i, n, st, d in zip(
                points["measure_id"],
                points["name"],
                points["status_label"],
                points["deadline_text"],
                strict=True,
            )
        ]
    )
    dots = (
        alt.Chart(points[columns])
        .mark_point(filled=True, size=75, stroke="#222222", strokeWidth=0.7, opacity=1)
        .encode(
            x=alt.X("deadline_iso:T", scale=x_scale, axis=x_axis, title=None),
            y=alt.Y("row:Q", title=None, scale=y_scale, axis=y_axis),
            color=alt.Color(
                "status_label:N",
                scale=alt.Scale(domain=labels, range=[STATUS_COLOURS[s] for s in statuses]),
                legend=legend,
            ),
            shape=alt.Shape(
                "status_label:N",
                scale=alt.Scale(domain=labels, range=[STATUS_SHAPES[s] for s in statuses]),
                legend=legend,
            ),
            description="aria:N",
            tooltip=[
                alt.Tooltip("measure_id:N", title=t("area.col.measure_id", lang)),
                alt.Tooltip("name:N", title=t("area.col.name", lang)),
                alt.Tooltip("deadline_text:N", title=t("area.col.deadline", lang)),
                alt.Tooltip("status_label:N", title=t("area.status", lang)),
                alt.Tooltip("critical_text:N", title=t("area.col.critical", lang)),
            ],
        )
    )
    keys = pd.DataFrame(
        {
            "day": [m.day.isoformat() for m in milestones],
            "label": [f"{m.date_text}\n{m.name}" for m in milestones],
        }
    )
    key_rules = alt.Chart(keys).mark_rule(color="#333333", strokeDash=[3, 3]).encode(x="day:T")
    key_text = (
        alt.Chart(keys)
        .mark_text(align="left", dx=3, dy=2, baseline="top", fontSize=11, lineBreak="\n")
        .encode(x="day:T", y=alt.value(0), text="label:N", color=alt.value("#333333"))
    )
    now = pd.DataFrame(
        {"day": [as_of.isoformat()], "label": [t("area.as_of", lang, date=fmt_date(as_of, lang))]}
    )
    now_rule = alt.Chart(now).mark_rule(color="#b10026", strokeWidth=2.5).encode(x="day:T")
    now_text = (
        alt.Chart(now)
        .mark_text(
            align="right", dx=-4, baseline="bottom", fontSize=12, fontWeight="bold", color="#b10026"
        )
        .encode(x="day:T", y=alt.value("height"), text="label:N")
    )
    layers = [bands, key_rules, now_rule, dots, key_text, now_text]
    if has_notes:
        layers.append(_note_marks(notes, x_scale, x_axis, y_scale, y_axis, lang))  # type: ignore[arg-type]
    extra = int(band_height * NOTE_ROW_HEIGHT) if has_notes else 0
    chart = alt.layer(*layers).properties(
        width=width,
        autosize=FIT_WIDTH,
        height=band_height * max(len(ranges), 1) + extra,
        title=alt.Title(
            t("area.timeline.title", lang),
            subtitle=t("area.timeline.subtitle", lang),
            anchor="start",
        ),
    )
    return _finish_with_legend(chart, lang)


#: the notes' row above the phase bands (y from -NOTE_ROW_HEIGHT to 0), and where its marks sit
NOTE_ROW_HEIGHT = 0.4
NOTE_ROW = -0.2
NOTE_COLOUR = "#54278f"


def _note_marks(
    notes: pd.DataFrame,
    x_scale: alt.Scale,
    x_axis: alt.Axis,
    y_scale: alt.Scale,
    y_axis: alt.Axis,
    lang: str | None,
) -> alt.Chart:
    """One downward triangle per note at its date in the notes' row; the tooltip is its text."""
    data = notes.assign(
        row=NOTE_ROW,
        aria=[
            t("area.timeline.note_aria", lang, date=d, source=s, text=x)
            for d, s, x in zip(notes["date_text"], notes["source"], notes["text"], strict=True)
        ],
    )
    return (
        alt.Chart(data)
        .mark_point(
            shape="triangle-down",
            filled=True,
            size=110,
            color=NOTE_COLOUR,
            stroke="#222222",
            strokeWidth=0.7,
            opacity=1,
        )
        .encode(
            x=alt.X("day:T", scale=x_scale, axis=x_axis, title=None),
            y=alt.Y("row:Q", title=None, scale=y_scale, axis=y_axis),
            description="aria:N",
            tooltip=[
                alt.Tooltip("date_text:N", title=t("area.timeline.note_date", lang)),
                alt.Tooltip("source:N", title=t("area.timeline.note_source", lang)),
                alt.Tooltip("text:N", title=t("area.timeline.note_text", lang)),
            ],
        )
    )


def progress_bars(
    counts: pd.DataFrame,
    *,
    field: str,
    selection: str,
    title: str,
    lang: str | None = None,
    width: int | str = "container",
) -> alt.TopLevelMixin:
    """One bar per group (phase or work stream), split into done / in progress / delayed / not
    started as shares of its applicable measures, counts written in; clicking a bar selects its
    group (point selection ``selection`` on ``field``).

    ``counts`` is ``views.area_progress.progress_counts``; its ``key`` column becomes ``field``.
    """
    data = counts[counts["count"] > 0].rename(columns={"key": field}).copy()
    data["status_label"] = [t(f"status.{s}", lang) for s in data["status"]]
    data["ink"] = data["status"].map(STATUS_INK)
    data["share_text"] = [fmt_percent(s, 0, lang) for s in data["share"]]
    data["aria"] = [
        t("area.progress_bars.aria", lang, group=g, status=st, count=c, share=sh)
        for g, st, c, sh in zip(
            data["label"], data["status_label"], data["count"], data["share_text"], strict=True
        )
    ]
    data["count_text"] = [
        str(c) if s >= 0.06 else "" for c, s in zip(data["count"], data["share"], strict=True)
    ]
    order = counts.drop_duplicates("key")["label"].tolist()
    statuses = list(PROGRESS_STATUSES)
    labels = _status_labels(statuses, lang)
    select = alt.selection_point(name=selection, fields=[field], on="click", clear="dblclick")
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=230)),
        x=alt.X(
            "count:Q",
            stack="normalize",
            title=t("area.progress_bars.axis", lang),
            axis=alt.Axis(format=".0%", tickCount=5),
        ),
        order=alt.Order("order:Q"),
    )
    bars = (
        base.mark_bar(stroke="#444444", strokeWidth=0.6)
        .encode(
            color=alt.Color(
                "status_label:N",
                scale=alt.Scale(domain=labels, range=[STATUS_COLOURS[s] for s in statuses]),
                legend=alt.Legend(title=t("area.status", lang), orient="bottom"),
            ),
            opacity=alt.when(select).then(alt.value(1.0)).otherwise(alt.value(0.35)),
            description="aria:N",
            tooltip=[
                alt.Tooltip("label:N", title=t("area.col.group", lang)),
                alt.Tooltip("status_label:N", title=t("area.status", lang)),
                alt.Tooltip("count:Q", title=t("area.measures_count", lang)),
                alt.Tooltip("share_text:N", title=t("area.col.share", lang)),
                alt.Tooltip("total:Q", title=t("area.col.applicable", lang)),
            ],
        )
        .add_params(select)
    )
    # every segment stays in the text layer's stack (a filter would re-normalise what is left and
    # move the numbers); a segment too narrow for its number gets an empty label instead
    text = base.mark_text(align="right", dx=-3, fontSize=11).encode(
        text="count_text:N",
        detail="status_label:N",
        description="aria:N",
        color=alt.Color("ink:N", scale=None),
    )
    chart = alt.layer(bars, text).properties(
        width=width,
        autosize=FIT_WIDTH,
        height=alt.Step(36),
        title=alt.Title(title, anchor="start"),
    )
    return _finish_with_legend(chart, lang)


def risk_matrix(
    cells: pd.DataFrame, *, lang: str | None = None, size: int = 70
) -> alt.TopLevelMixin:
    """The 5 × 5 likelihood × impact matrix: the number of risks written in each cell, the cell
    coloured by its score (light low, dark high, so it reads in greyscale); clicking a cell selects
    it (``RISK_SELECTION`` on likelihood and impact).

    ``cells`` is ``views.area_risks.risk_matrix_counts``.
    """
    data = cells.copy()
    data["count_text"] = [str(c) if c else "" for c in data["count"]]
    data["aria"] = [
        t("area.risk.aria", lang, likelihood=lk, impact=im, score=sc, count=c)
        for lk, im, sc, c in zip(
            data["likelihood"], data["impact"], data["score"], data["count"], strict=True
        )
    ]
    select = alt.selection_point(
        name=RISK_SELECTION, fields=["likelihood", "impact"], on="click", clear="dblclick"
    )
    base = alt.Chart(data).encode(
        x=alt.X(
            "impact:O",
            title=t("area.risk.impact_axis", lang),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y(
            "likelihood:O",
            sort="descending",
            title=t("area.risk.likelihood_axis", lang),
        ),
        description="aria:N",
        tooltip=[
            alt.Tooltip("likelihood:O", title=t("area.risk.likelihood", lang)),
            alt.Tooltip("impact:O", title=t("area.risk.impact", lang)),
            alt.Tooltip("score:Q", title=t("area.risk.score", lang)),
            alt.Tooltip("count:Q", title=t("area.risk.count", lang)),
        ],
    )
    rects = (
        base.mark_rect(stroke="#ffffff", strokeWidth=2)
        .encode(
            color=alt.Color(
                "score:Q",
                scale=alt.Scale(scheme="yelloworangered", domain=[1, 25]),
                legend=alt.Legend(title=t("area.risk.score", lang), orient="bottom"),
            ),
            opacity=alt.when(select).then(alt.value(1.0)).otherwise(alt.value(0.3)),
            strokeWidth=alt.when(select, empty=False).then(alt.value(4)).otherwise(alt.value(1)),
            stroke=alt.when(select, empty=False)
            .then(alt.value("#000000"))
            .otherwise(alt.value("#ffffff")),
        )
        .add_params(select)
    )
    # white on the dark cells, unless the cell is faded out by another cell's selection
    text = base.mark_text(fontSize=20, fontWeight="bold").encode(
        text="count_text:N",
        color=alt.when(select, alt.datum.score >= 12)
        .then(alt.value("#ffffff"))
        .otherwise(alt.value("#000000")),
    )
    chart = alt.layer(rects, text).properties(
        width=alt.Step(size),
        height=alt.Step(size * 0.8),
        title=alt.Title(t("area.risk.matrix_title", lang), anchor="start"),
    )
    return _finish_with_legend(chart, lang)


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
) -> alt.TopLevelMixin:
    """The area's done share per reporting date against the national median and the plan:
    three lines told apart by dash and width as well as colour, each named at its end.

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
    lines = (
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
    last = data[data["day"] == data["day"].max()].copy() if not data.empty else data
    last["end_label"] = [f"{n} {v}" for n, v in zip(last["name"], last["value_text"], strict=True)]
    last["label_y"] = spread_labels(last["value"].tolist(), gap=0.07 * (1 - low), top=1.0)
    ends = (
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
    chart = alt.layer(lines, ends).properties(
        width=width,
        autosize=FIT_WIDTH,
        height=300,
        padding={"right": 220, "left": 5, "top": 5, "bottom": 5},
        title=alt.Title(t("area.progress.title", lang), anchor="start"),
    )
    return _finish_with_legend(chart, lang)
