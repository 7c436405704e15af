"""The area page's organiser charts (issue 20): the organiser × topic colour table of status with
the values written in, and the area's municipalities coloured by their organiser."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from ..domain.i18n import t
from .base import BORDER_COLOUR, STATUS_COLOURS, STATUS_INK, finish_with_legend

#: organisers on the map: Okabe and Ito's palette, told apart in the common colour-vision
#: deficiencies; a municipality organising its own services is the light grey after them
ORGANISER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OWN_COLOUR = "#cccccc"
NOT_REPORTED = "#f7f7f7"


def status_table(
    frame: pd.DataFrame, *, title: str, subtitle: Sequence[str], lang: str | None = None
) -> alt.TopLevelMixin:
    """Organisers down, topics across, each cell coloured by its status with the status written
    in (``views.organisers.status_frame``; a pair never reported is the palest)."""
    data = frame.assign(
        fill=[STATUS_COLOURS.get(s, NOT_REPORTED) if s else NOT_REPORTED for s in frame["status"]],
        ink=[STATUS_INK.get(s, "#000000") if s else "#000000" for s in frame["status"]],
        reported_on=[d.isoformat() if d is not None else "" for d in frame["reported_on"]],
    )[["organiser", "topic_name", "status_label", "fill", "ink", "reported_on"]]
    topics = list(dict.fromkeys(data["topic_name"]))
    names = list(dict.fromkeys(data["organiser"]))
    base = alt.Chart(data).encode(
        x=alt.X("topic_name:N", sort=topics, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("organiser:N", sort=names, title=None, axis=alt.Axis(labelLimit=320)),
    )
    cells = base.mark_rect(stroke=BORDER_COLOUR, strokeWidth=2).encode(
        color=alt.Color("fill:N", scale=None),
        tooltip=[
            alt.Tooltip("organiser:N", title=t("organisers.col.name", lang)),
            alt.Tooltip("topic_name:N", title=t("organisers.col.topic", lang)),
            alt.Tooltip("status_label:N", title=t("organisers.col.status", lang)),
            alt.Tooltip("reported_on:N", title=t("organisers.col.reported_on", lang)),
        ],
    )
    texts = base.mark_text(fontSize=11).encode(
        text="status_label:N", color=alt.Color("ink:N", scale=None)
    )
    chart = (cells + texts).properties(
        width=110 * len(topics),
        height=26 * max(1, len(names)),
        title=alt.Title(title, subtitle=list(subtitle), anchor="start"),
    )
    return finish_with_legend(chart, lang)


def organiser_colours(labels: Sequence[str], own_label: str) -> list[str]:
    """A colour per organiser label, the municipalities on their own in grey."""
    colours = []
    others = iter(ORGANISER_COLOURS * (len(labels) // len(ORGANISER_COLOURS) + 1))
    for label in labels:
        colours.append(OWN_COLOUR if label == own_label else next(others))
    return colours


def organiser_map(
    features: Sequence[dict[str, Any]],
    members: pd.DataFrame,
    *,
    title: str,
    subtitle: Sequence[str],
    legend_title: str,
    own_label: str,
    lang: str | None = None,
) -> alt.TopLevelMixin:
    """The area's municipalities coloured by organiser (``AreaOrganisers.members``), named on
    hover; ``features`` as ``MunicipalityBoundaries.of_area`` gives them."""
    by_code = members.set_index("code")["organiser"].to_dict()
    values = [dict(feature, organiser=by_code.get(feature["code"], "")) for feature in features]
    labels = sorted({v["organiser"] for v in values}, key=lambda s: (s == own_label, s))
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=1)
        .encode(
            color=alt.Color(
                "organiser:N",
                title=legend_title,
                scale=alt.Scale(domain=labels, range=organiser_colours(labels, own_label)),
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=360),
            ),
            tooltip=[
                alt.Tooltip("name_fi:N", title=t("organisers.col.municipality", lang)),
                alt.Tooltip("code:N", title=t("organisers.col.code", lang)),
                alt.Tooltip("organiser:N", title=legend_title),
            ],
        )
        .project(type="transverseMercator", rotate=[-27, 0, 0])
        .properties(
            width=340,
            height=340,
            title=alt.Title(title, subtitle=list(subtitle), anchor="start", subtitleFontSize=10),
        )
    )
    return finish_with_legend(chart, lang)
