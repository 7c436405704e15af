"""Charts kept as the Vega-Lite dicts Streamlit draws, so that a rerun does only what changed.

Building Altair charts and turning them into their dicts (``to_dict``, which validates every
part against the Vega-Lite schema) was most of a warm rerun: about two thirds of the national
page's and of the area page's (``make bench --profile``). A cached builder returns its charts
through :func:`spec`, so a rerun whose inputs did not change draws the dict it drew before:
nothing is rebuilt or validated again. The message Streamlit sends is then byte for byte the
last one, and Streamlit sends an element of 10 KB or more that the browser holds already as a
reference to it: the map's boundaries go to a browser once, not on every click.
"""

from __future__ import annotations

from typing import Any, overload

import altair as alt


@overload
def spec(chart: alt.TopLevelMixin) -> dict[str, Any]: ...
@overload
def spec(chart: None) -> None: ...
def spec(chart: alt.TopLevelMixin | None) -> dict[str, Any] | None:
    """The chart's Vega-Lite dict, validated once, here (no chart stays none)."""
    return None if chart is None else chart.to_dict()
