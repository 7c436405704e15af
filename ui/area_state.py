"""The area page's widget state: the filters' first values from the URL, the URL kept in step
with the widgets, and the charts' selections copied into the filters they stand for (a click on
a phase bar sets the phase select box, so the page works without a mouse as well)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from sotedata.views.area_query import AreaFilters


def init(key: str, value: object) -> None:
    """Give a widget its first value (from the URL) without fighting its later state."""
    if key not in st.session_state:
        st.session_state[key] = value


def init_filters(filters: AreaFilters) -> None:
    """The measures table's and the risk matrix's widgets start from the link's filters."""
    for key, value in {
        "f-phase": filters.phase or 0,
        "f-stream": filters.work_stream or "",
        "f-status": list(filters.statuses),
        "f-critical": filters.critical_only,
        "f-overdue": filters.overdue_only,
        "f-text": filters.text,
        "f-cell": filters.cell,
    }.items():
        init(key, value)


def set_query(name: str, value: str | None) -> None:
    """Write one URL parameter (or remove it for ``None``/empty), only when it changed."""
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def picked(event: Mapping[str, Any] | None, name: str) -> list[dict[str, Any]]:
    """The points chosen in the chart's selection ``name`` (none when nothing is chosen)."""
    return ((event or {}).get("selection") or {}).get(name) or []


def follow_chart(event: Mapping[str, Any] | None, name: str, field: str, target: str) -> None:
    """When a chart's selection changed since the last run, copy it into the filter widget
    ``target`` (before that widget is drawn); a cleared selection clears the filter."""
    points = picked(event, name)
    value = points[0].get(field) if points else None
    seen = f"seen-{name}"
    if st.session_state.get(seen) != value:
        st.session_state[seen] = value
        if target == "f-phase":
            st.session_state[target] = int(value) if value is not None else 0
        else:
            st.session_state[target] = value or ""


def chart_key(selection: str) -> str:
    """The widget key of the chart with ``selection``; a new key clears the chart's selection."""
    return f"chart-{selection}-{st.session_state.get(f'generation-{selection}', 0)}"


def drop_stale(selections: Mapping[str, object]) -> None:
    """When a select box moved away from what a chart still shows as selected (a phase bar
    clicked, then "Kaikki vaiheet" chosen), draw that chart afresh without its selection, so a
    highlighted bar never contradicts the table. ``selections``: selection name → the select
    box's value in the chart's terms (None for "all")."""
    stale = [
        name
        for name, value in selections.items()
        if st.session_state.get(f"seen-{name}") not in (None, value)
    ]
    for name in stale:
        st.session_state[f"seen-{name}"] = None  # the new chart starts unselected
        st.session_state[f"generation-{name}"] = st.session_state.get(f"generation-{name}", 0) + 1
    if stale:
        st.rerun()


def forget_seen_selections() -> None:
    """A fresh visit (the widgets' state is gone): forget which chart selections were seen, or
    an old click would override the filters of the link that opened the page."""
    for key in [k for k in st.session_state if str(k).startswith("seen-")]:
        del st.session_state[key]
