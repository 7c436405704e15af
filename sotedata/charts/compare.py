"""Charts of the comparison (``views.compare``): two to four areas side by side, each chart on one
scale for all of them. The phase bars are shares of each phase's applicable measures (0–100 %,
one axis for every area); the risk matrices share their axes and the area page's colour scale
(score 1–25); the progress lines share one 0–100 % axis. Areas are told apart by colour, point
shape and dash, and named at the end of their line, so the chart reads in greyscale too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ..domain.i18n import fmt_date, fmt_percent, t
from ..rules.progress import PROGRESS_STATUSES
from .base import STATUS_INK, finish_with_legend, status_colour, vega_date_format
from .progress import spread_labels

#: one colour, shape and dash per compared area (Okabe–Ito's colour-blind-safe hues), and the
#: national median's dark grey dashes
AREA_COLOURS: tuple[str, ...] = ("#0072b2", "#d55e00", "#009e73", "#cc79a7")
AREA_SHAPES: tuple[str, ...] = ("circle", "square", "triangle-up", "diamond")
AREA_DASHES: tuple[list[int], ...] = ([1, 0], [8, 3], [3, 2], [1, 0])
MEDIAN_COLOUR = "#555555"
MEDIAN_DASH = [6, 4]
#: a segment narrower than this share of its bar gets no number (the numbers would run together)
LABEL_SHARE = 0.08


def phase_bars(
    phases: pd.DataFrame, area_names: Sequence[str], *, lang: str | None = None
) -> alt.TopLevelMixin:
    """Per phase, one bar per area split into done / in progress / delayed / not started as
    shares of the phase's applicable measures (the same 0–100 % axis for every area), counts
    written in where they fit. ``phases`` is ``views.compare.phase_progress``."""
    data = phases[phases["count"] > 0].copy()
    data["status_label"] = [t(f"status.{s}", lang) for s in data["status"]]
    data["ink"] = data["status"].map(STATUS_INK)
    data["share_text"] = [fmt_percent(s, 0, lang) for s in data["share"]]
    data["count_text"] = [
        str(c) if s >= LABEL_SHARE else ""
        for c, s in zip(data["count"], data["share"], strict=True)
    ]
    statuses = list(PROGRESS_STATUSES)
    labels = [t(f"status.{s}", lang) for s in statuses]
    phase_order = phases.drop_duplicates("key")["label"].tolist()
    base = alt.Chart().encode(
        y=alt.Y("area:N", sort=list(area_names), title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X(
            "count:Q",
            stack="normalize",
            title=t("area.progress_bars.axis", lang),
            axis=alt.Axis(format=".0%", tickCount=5),
            scale=alt.Scale(domain=[0, 1]),
        ),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(stroke="#444444", strokeWidth=0.6).encode(
        color=status_colour(
            "status_label:N",
            statuses,
            labels,
            alt.Legend(title=t("area.status", lang), orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("area:N", title=t("map.tooltip.area", lang)),
            alt.Tooltip("label:N", title=t("compare.col.phase", lang)),
            alt.Tooltip("status_label:N", title=t("area.status", lang)),
            alt.Tooltip("count:Q", title=t("area.measures_count", lang)),
            alt.Tooltip("share_text:N", title=t("area.col.share", lang)),
        ],
    )
    text = base.mark_text(align="right", dx=-3, fontSize=11).encode(
        text="count_text:N", detail="status_label:N", color=alt.Color("ink:N", scale=None)
    )
    chart = (
        alt.layer(bars, text, data=data)
        .properties(width=520, height=alt.Step(26))
        .facet(
            row=alt.Row(
                "label:N",
                sort=phase_order,
                title=None,
                header=alt.Header(labelOrient="top", labelAnchor="start", labelAngle=0),
            ),
            title=alt.Title(t("compare.phases.title", lang), anchor="start"),
        )
        .resolve_scale(x="shared", y="shared")
    )
    return finish_with_legend(chart, lang)


def risk_matrices(
    profiles: pd.DataFrame, area_names: Sequence[str], *, lang: str | None = None, size: int = 44
) -> alt.TopLevelMixin:
    """The areas' 5 × 5 likelihood × impact matrices side by side, on the same axes and the area
    page's colour scale (score 1–25), the number of risks written in each cell.
    ``profiles`` is ``views.compare.risk_profiles``."""
    data = profiles.copy()
    data["count_text"] = [str(c) if c else "" for c in data["count"]]
    base = alt.Chart().encode(
        x=alt.X("impact:O", title=t("area.risk.impact_axis", lang), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("likelihood:O", sort="descending", title=t("area.risk.likelihood_axis", lang)),
        tooltip=[
            alt.Tooltip("area:N", title=t("map.tooltip.area", lang)),
            alt.Tooltip("likelihood:O", title=t("area.risk.likelihood", lang)),
            alt.Tooltip("impact:O", title=t("area.risk.impact", lang)),
            alt.Tooltip("score:Q", title=t("area.risk.score", lang)),
            alt.Tooltip("count:Q", title=t("area.risk.count", lang)),
        ],
    )
    rects = base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
        color=alt.Color(
            "score:Q",
            scale=alt.Scale(scheme="yelloworangered", domain=[1, 25]),
            legend=alt.Legend(title=t("area.risk.score", lang), orient="bottom"),
        )
    )
    text = base.mark_text(fontSize=15, fontWeight="bold").encode(
        text="count_text:N",
        color=alt.condition(alt.datum.score >= 12, alt.value("#ffffff"), alt.value("#000000")),
    )
    chart = (
        alt.layer(rects, text, data=data)
        .properties(width=alt.Step(size), height=alt.Step(size * 0.8))
        .facet(
            column=alt.Column(
                "area:N",
                sort=list(area_names),
                title=None,
                header=alt.Header(labelFontWeight="bold", labelFontSize=13),
            ),
            title=alt.Title(t("compare.risks.title", lang), anchor="start"),
        )
        .resolve_scale(x="shared", y="shared", color="shared")
    )
    return finish_with_legend(chart, lang)


def progress_lines(
    progress: pd.DataFrame, names: Mapping[str, str], *, lang: str | None = None
) -> alt.TopLevelMixin:
    """Each area's done share per reporting date and the national median, on one 0–100 % axis;
    each line named with its last value at its end. ``progress`` is
    ``views.compare.progress_over_time``; ``names``: code → the area's name, in order."""
    order = [*names, "median"]
    label = {**names, "median": t("area.progress.median", lang)}
    present = [s for s in order if s in set(progress["series"])]
    domain = [label[s] for s in present]

    def styles(own: Sequence[object], median: object) -> list[object]:
        return [median if s == "median" else own[order.index(s) % len(own)] for s in present]

    data = progress.copy()
    data["day"] = [pd.Timestamp(d).date().isoformat() for d in data["day"]]
    data["day_text"] = [fmt_date(pd.Timestamp(d).date(), lang) for d in data["day"]]
    data["name"] = data["series"].map(label)
    data["value_text"] = [fmt_percent(v, 0, lang) for v in data["value"]]
    colour = alt.Color(
        "name:N",
        scale=alt.Scale(domain=domain, range=styles(AREA_COLOURS, MEDIAN_COLOUR)),
        legend=None,
    )
    x = alt.X(
        "day:T", title=None, axis=alt.Axis(format=vega_date_format(lang), labelAngle=0, tickCount=6)
    )
    y = alt.Y(
        "value:Q",
        title=t("area.progress.axis", lang),
        scale=alt.Scale(domain=[0, 1], nice=False),
        axis=alt.Axis(format=".0%"),
    )
    tooltip = [
        alt.Tooltip("name:N", title=t("area.progress.series", lang)),
        alt.Tooltip("day_text:N", title=t("area.progress.day", lang)),
        alt.Tooltip("value_text:N", title=t("area.col.share", lang)),
    ]
    lines = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=50, filled=True))
        .encode(
            x=x,
            y=y,
            color=colour,
            shape=alt.Shape(
                "name:N",
                scale=alt.Scale(domain=domain, range=styles(AREA_SHAPES, "stroke")),
                legend=None,
            ),
            strokeDash=alt.StrokeDash(
                "name:N",
                scale=alt.Scale(domain=domain, range=styles(AREA_DASHES, MEDIAN_DASH)),
                legend=None,
            ),
            tooltip=tooltip,
        )
    )
    last = data[data["day"] == data["day"].max()].copy()
    last["end_label"] = [f"{n} {v}" for n, v in zip(last["name"], last["value_text"], strict=True)]
    last["label_y"] = spread_labels(last["value"].tolist(), gap=0.06, top=1.0)
    ends = (
        alt.Chart(last)
        .mark_text(align="left", dx=8, fontSize=13, fontWeight="bold")
        .encode(
            x=x,
            y=alt.Y("label_y:Q", scale=alt.Scale(domain=[0, 1], nice=False)),
            text="end_label:N",
            color=colour,
            tooltip=tooltip,
        )
    )
    chart = alt.layer(lines, ends).properties(
        width=520,
        height=320,
        padding={"right": 230, "left": 5, "top": 5, "bottom": 5},
        title=alt.Title(t("compare.progress.title", lang), anchor="start"),
    )
    return finish_with_legend(chart, lang)
