"""Charts of the national risks page: the areas × themes heat map and the high risks over time.

Pure builders like :mod:`sotedata.charts.base`: values are written into the marks (colour never
carries a number alone), Finnish number and date formats come from ``charts.vega_locale``.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from ..domain.i18n import t
from ..domain.model import HIGH_RISK_SCORE
from .base import ALERT_COLOUR, NO_DATA_COLOUR, finish, subtitle, vega_date_format

#: score 1–25 light to dark (greyscale keeps the order); the high cells (≥ 15) get white text
SCORE_DOMAIN = [1, 25]
SCORE_SCHEME = "orangered"


def _subtitle(as_of_text: str, example: bool, lang: str | None) -> list[str]:
    return subtitle(t("chart.as_of", lang, date=as_of_text), example, lang=lang)


def risk_heatmap(
    table: pd.DataFrame,
    *,
    theme_order: Sequence[str],
    area_order: Sequence[str],
    as_of_text: str,
    example: bool,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """Areas × themes, each cell coloured by the highest score and the score written in.

    ``table`` comes from :func:`risks_view.heatmap_table` (code, short, theme, max_score, risks,
    high, label). A cell without a risk of that theme is grey with a dash.
    """
    data = table.copy()
    data["rated"] = data["max_score"].notna()
    data["ink"] = [
        "#ffffff" if (pd.notna(v) and v >= HIGH_RISK_SCORE) else "#000000"
        for v in data["max_score"]
    ]
    base = alt.Chart(data).encode(
        x=alt.X(
            "theme:N",
            sort=list(theme_order),
            title=None,
            axis=alt.Axis(orient="top", labelAngle=0, labelLimit=140, labelFontSize=12),
        ),
        y=alt.Y("short:N", sort=list(area_order), title=None, axis=alt.Axis(labelLimit=170)),
        tooltip=[
            alt.Tooltip("short:N", title=t("risks.col.area", lang)),
            alt.Tooltip("theme:N", title=t("risks.col.theme", lang)),
            alt.Tooltip("label:N", title=t("risks.heatmap.max", lang)),
            alt.Tooltip("risks:Q", title=t("risks.heatmap.count", lang)),
            alt.Tooltip("high:Q", title=t("risks.heatmap.high", lang)),
        ],
    )
    rated = base.transform_filter("datum.rated").mark_rect(stroke="#ffffff", strokeWidth=1)
    rated = rated.encode(
        color=alt.Color(
            "max_score:Q",
            scale=alt.Scale(scheme=SCORE_SCHEME, domain=SCORE_DOMAIN),
            legend=alt.Legend(title=t("risks.heatmap.max", lang), orient="right"),
        )
    )
    empty = (
        base.transform_filter("!datum.rated")
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(color=alt.value(NO_DATA_COLOUR))
    )
    text = base.mark_text(fontSize=12).encode(text="label:N", color=alt.Color("ink:N", scale=None))
    # the text's colour is literal (scale None): it must not share the cells' score scale
    layers = alt.layer(empty, rated, text).resolve_scale(color="independent")
    chart = layers.properties(
        width=alt.Step(110),
        height=alt.Step(24),
        title=alt.Title(
            t("risks.heatmap.title", lang),
            subtitle=[*_subtitle(as_of_text, example, lang), t("risks.heatmap.legend", lang)],
            anchor="start",
        ),
    )
    return finish(chart, lang)


def high_risk_trend(
    counts: pd.DataFrame, *, as_of_text: str, example: bool, lang: str | None = None
) -> alt.TopLevelMixin:
    """The number of high risks per reporting date: a line with its points, counts written in.

    ``counts`` comes from :func:`risks_view.high_counts_over_time`.
    """
    data = counts.assign(day=pd.to_datetime(counts["reported_on"]).dt.strftime("%Y-%m-%d"))
    data = data.drop(columns=["reported_on"])  # date objects are not JSON; ``day`` is the date
    base = alt.Chart(data).encode(
        x=alt.X(
            "day:T",
            title=t("risks.col.date", lang),
            axis=alt.Axis(format=vega_date_format(lang), labelAngle=0, tickCount="month"),
            scale=alt.Scale(padding=24),  # the first and last counts clear of the axes
        ),
        y=alt.Y(
            "high_risks:Q",
            title=t("risks.col.high_risks", lang),
            scale=alt.Scale(zero=True),
            axis=alt.Axis(tickMinStep=1),  # a count: whole-number ticks, never "0 1 1 2 2"
        ),
        tooltip=[
            alt.Tooltip("day:T", title=t("risks.col.date", lang), format=vega_date_format(lang)),
            alt.Tooltip("high_risks:Q", title=t("risks.col.high_risks", lang)),
            alt.Tooltip("areas_with_high:Q", title=t("risks.col.areas_with_high", lang)),
        ],
    )
    line = base.mark_line(color=ALERT_COLOUR, strokeWidth=2)
    points = base.mark_point(color=ALERT_COLOUR, filled=True, size=60, shape="circle")
    text = base.mark_text(dy=-12, fontSize=12, color="#000000").encode(text="high_risks:Q")
    chart = alt.layer(line, points, text).properties(
        width="container",
        height=340,  # the whole chart, title and axes included (the plot is about 200 px)
        title=alt.Title(
            t("risks.trend.title", lang),
            subtitle=_subtitle(as_of_text, example, lang),
            anchor="start",
        ),
    )
    return finish(chart, lang)
