"""The area page's small map of the area's municipalities, each named under the pointer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt

from .charts import vega_locale
from .i18n import t

FILL = "#9ecae1"
BORDER = "#ffffff"


def municipality_map(
    features: Sequence[dict[str, Any]],
    *,
    title: str,
    attribution: str,
    lang: str | None = None,
    width: int = 320,
    height: int = 320,
) -> alt.TopLevelMixin:
    """The municipalities of one area as shapes (one colour; hover names them).

    ``features`` come from :meth:`MunicipalityBoundaries.of_area`; their top-level ``name_fi``,
    ``name_sv`` and ``code`` are what the tooltip reads (Vega-Lite reads top-level fields of a
    GeoJSON feature as datum fields). The projection fits the area (``fit`` is implied by a
    fixed width and height).
    """
    data = alt.Data(values=[dict(feature) for feature in features])
    tooltip = [
        alt.Tooltip("name_fi:N", title=t("municipalities.tooltip.name", lang)),
        alt.Tooltip("name_sv:N", title=t("municipalities.tooltip.name_sv", lang)),
        alt.Tooltip("code:N", title=t("municipalities.tooltip.code", lang)),
    ]
    chart = (
        alt.Chart(data)
        .mark_geoshape(fill=FILL, stroke=BORDER, strokeWidth=1)
        .encode(tooltip=tooltip)
        .project(type="transverseMercator", rotate=[-27, 0, 0])
        .properties(
            width=width,
            height=height,
            title=alt.Title(title, subtitle=attribution, anchor="start", subtitleFontSize=10),
        )
    )
    return chart.configure(locale=vega_locale(lang)).configure_view(stroke=None)
