"""Chart builders of the area page: the roadmap timeline, progress bars and the risk matrix (its
progress lines are in ``charts.progress``). Pure functions from the area views' tables to Altair
charts, so tests read the spec.

Each status has a colour (``base.STATUS_COLOURS``) that stays ordered in greyscale and, on the
timeline, a shape of its own; counts are written into bars and matrix cells. The clickable charts
carry point selections whose names are the page's URL words (``vaihe``, ``ryhma``, ``riski``), so
the page reads ``event["selection"][name]``.
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
from ..rules.progress import PROGRESS_STATUSES, KeyDate
from .base import FIT_WIDTH, STATUS_INK, finish_with_legend, status_colour
from .fit import wrap, wrapped_labels

#: point selections, named like the URL parameters they fill
PHASE_SELECTION = "vaihe"
TIMELINE_SELECTION = "aikajana"
STREAM_SELECTION = "ryhma"
RISK_SELECTION = "riski"

STATUS_SHAPES: dict[str, str] = {
    Status.DONE.value: "circle",
    Status.IN_PROGRESS.value: "triangle-up",
    Status.DELAYED.value: "diamond",
    Status.NOT_STARTED.value: "square",
    Status.NOT_APPLICABLE.value: "cross",
}
TIMELINE_STATUSES: tuple[str, ...] = (*PROGRESS_STATUSES, Status.NOT_APPLICABLE.value)


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
    y_scale, y_axis = _phase_axis(ranges, has_notes, lang)
    note_days = [date.fromisoformat(d) for d in notes["day"]] if has_notes else []
    end = max(
        [pd.Timestamp(e).date() for e in ranges["end"]]
        + [as_of]
        + [m.day for m in milestones]
        + note_days
    )
    # room right of the last key date for its label, at meeting mode's type too (never cut)
    start = min([pd.Timestamp(ranges["start"].min()).date(), *note_days])
    room = key_date_room((end - start).days, milestones)
    x_scale = alt.Scale(domain=[start.isoformat(), (end + timedelta(days=room)).isoformat()])
    x_axis = alt.Axis(format="%b %Y", labelAngle=0, tickCount=12, grid=True)
    key_rules, now_rule, key_text, now_text = _date_rules(milestones, as_of, lang)
    layers = [
        _phase_bands(ranges, x_scale, x_axis, y_scale, y_axis, lang),
        key_rules,
        now_rule,
        _measure_dots(points, x_scale, x_axis, y_scale, y_axis, lang),
        key_text,
        now_text,
    ]
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
    return finish_with_legend(chart, lang)


def _phase_axis(
    ranges: pd.DataFrame, has_notes: bool, lang: str | None
) -> tuple[alt.Scale, alt.Axis]:
    """The timeline's rows: each phase named at the middle of its band, the notes' row above."""
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
    return y_scale, y_axis


def _phase_bands(
    ranges: pd.DataFrame,
    x_scale: alt.Scale,
    x_axis: alt.Axis,
    y_scale: alt.Scale,
    y_axis: alt.Axis,
    lang: str | None,
) -> alt.Chart:
    """One band per phase over its date range; a click selects the phase."""
    select = alt.selection_point(
        name=TIMELINE_SELECTION, fields=["phase"], on="click", clear="dblclick"
    )
    return (
        alt.Chart(ranges)
        .mark_rect(color="#e8eef5", stroke="#9aa9b8", strokeWidth=1)
        .encode(
            x=alt.X("start:T", title=None, scale=x_scale, axis=x_axis),
            x2="end:T",
            y=alt.Y("top:Q", title=None, scale=y_scale, axis=y_axis),
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


def _measure_dots(
    points: pd.DataFrame,
    x_scale: alt.Scale,
    x_axis: alt.Axis,
    y_scale: alt.Scale,
    y_axis: alt.Axis,
    lang: str | None,
) -> alt.Chart:
    """Each measure at its deadline in its phase's band, coloured and shaped by its status."""
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
    return (
        alt.Chart(points[columns])
        .mark_point(filled=True, size=75, stroke="#222222", strokeWidth=0.7, opacity=1)
        .encode(
            x=alt.X("deadline_iso:T", scale=x_scale, axis=x_axis, title=None),
            y=alt.Y("row:Q", title=None, scale=y_scale, axis=y_axis),
            color=status_colour("status_label:N", statuses, labels, legend),
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


#: a phase's or work stream's name beside its bar: lines of at most this many characters
SIDE_LABEL_CHARS = 28
#: a key date's name on the timeline: lines of at most this many characters
KEY_DATE_CHARS = 12
#: a character's share of the timeline's width (6.6 px of a 700 px chart; 10.5 of 1 100 in
#: meeting mode), for the room the last key date's text needs right of its rule
CHAR_SHARE = 0.0095


def key_date_room(span_days: int, milestones: Sequence[KeyDate]) -> int:
    """Days of axis right of the last key date, so that its text (its longest line, a word
    that cannot be wrapped such as "organiseringsansvaret") fits inside the chart."""
    last = max(milestones, key=lambda m: m.day, default=None)
    lines = [] if last is None else [last.date_text, *wrap(last.name, KEY_DATE_CHARS)]
    share = min(0.35, (max((len(line) for line in lines), default=8) + 1) * CHAR_SHARE)
    return max(60, math.ceil(span_days * share / (1 - share)))


def _date_rules(
    milestones: Sequence[KeyDate], as_of: date, lang: str | None
) -> tuple[alt.Chart, alt.Chart, alt.Chart, alt.Chart]:
    """The roadmap's key dates (dashed, labelled at the top) and the as-of date (red, labelled
    at the bottom): their rules and their texts, drawn below and above the measures."""
    keys = pd.DataFrame(
        {
            "day": [m.day.isoformat() for m in milestones],
            # the name wrapped on short lines, so neighbouring key dates' texts stay apart
            "label": ["\n".join([m.date_text, *wrap(m.name, KEY_DATE_CHARS)]) for m in milestones],
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
    return key_rules, now_rule, key_text, now_text


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
    data = _bar_rows(counts, field, lang)
    order = counts.drop_duplicates("key")["label"].tolist()
    statuses = list(PROGRESS_STATUSES)
    labels = _status_labels(statuses, lang)
    select = alt.selection_point(name=selection, fields=[field], on="click", clear="dblclick")
    base = alt.Chart(data).encode(
        y=alt.Y(
            "label:N",
            sort=order,
            title=None,
            # a long work stream's name on lines, never cut ("Administration, finance and …")
            axis=alt.Axis(labelLimit=0, labelExpr=wrapped_labels(order, SIDE_LABEL_CHARS)),
        ),
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
            color=status_colour(
                "status_label:N",
                statuses,
                labels,
                alt.Legend(title=t("area.status", lang), orient="bottom"),
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
    return finish_with_legend(chart, lang)


def _bar_rows(counts: pd.DataFrame, field: str, lang: str | None) -> pd.DataFrame:
    """The progress bars' rows: the groups' non-empty status segments with their words, ink,
    share, screen-reader sentence and written count (empty where the segment is too narrow for
    its number, so that the text layer keeps every segment and stacks exactly like the bars)."""
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
    return data


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
    return finish_with_legend(chart, lang)
