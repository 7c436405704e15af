"""Charts kept as the Vega-Lite dicts Streamlit draws, so that a rerun does only what changed.

Building Altair charts and turning them into their dicts (``to_dict``, which validates every
part against the Vega-Lite schema) was most of a warm rerun: about two thirds of the national
page's and of the area page's (``make bench --profile``). A cached builder returns its charts
through :func:`spec`, so a rerun whose inputs did not change draws the dict it drew before:
nothing is rebuilt or validated again. The message Streamlit sends is then byte for byte the
last one, and Streamlit sends an element of 10 KB or more that the browser holds already as a
reference to it: the map's boundaries go to a browser once, not on every click.

What Streamlit still did on every run is turn each table in a spec into Arrow bytes;
:func:`arrow_datasets` keeps those bytes per dataset (for a long history the area page's progress
lines were most of its rerun).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, overload

import altair as alt
from streamlit import dataframe_util

#: how many tables' Arrow bytes are kept (the pages draw about twenty, a few kilobytes each)
ARROW_KEPT = 512
_arrow: OrderedDict[tuple[str, tuple[str, ...]], bytes] = OrderedDict()
_arrow_lock = threading.Lock()  # sessions run their scripts in threads of one process


@overload
def spec(chart: alt.TopLevelMixin) -> dict[str, Any]: ...
@overload
def spec(chart: None) -> None: ...
def spec(chart: alt.TopLevelMixin | None) -> dict[str, Any] | None:
    """The chart's Vega-Lite dict, validated once, here (no chart stays none)."""
    return None if chart is None else chart.to_dict()


def arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` (not changed) with its tables as the Arrow bytes that ``st.vega_lite_chart``
    would make of them on every run, made once per table. Altair names a dataset by a hash of
    its values, so with its columns the name says the bytes are the same. Geographic data stays
    as it is: Vega-Lite reads it from the spec."""
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    converted = {name: _as_arrow(str(name), values) for name, values in datasets.items()}
    return {**spec, "datasets": converted}


def _as_arrow(name: str, values: Any) -> Any:
    first = values[0] if isinstance(values, list) and values else None
    if not isinstance(first, dict) or (first.get("type") == "Feature" and "geometry" in first):
        return values  # not a table of rows (or GeoJSON features): Streamlit's to handle
    key = (name, tuple(first))
    with _arrow_lock:
        found = _arrow.get(key)
        if found is not None:
            _arrow.move_to_end(key)
            return found
    data = dataframe_util.convert_anything_to_arrow_bytes(values)
    with _arrow_lock:
        _arrow[key] = data
        while len(_arrow) > ARROW_KEPT:
            _arrow.popitem(last=False)
    return data
