"""The national page's view with its charts drawn once per data version, filters and language.

A click on the national page reruns it whole; building the view (its map, bars and colour table
as Altair charts, each validated when turned into its dict) was most of that rerun. Here the view
and its charts' dicts are cached under what they are made of: the data's version (which changes
with every import, revert or new load, so another instance's import shows at the next click),
the URL's filters, the language and the boundaries. The frames, reporting dates, boundaries and
indicators are passed along but left out of the key (Streamlit hashes no ``_``-argument): the
version already says whether they changed, and hashing them by value would cost a pass over
every report (or, for the dates, one hash per reporting date) on every click.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from sotedata.domain.ports import MetricStore
from sotedata.geo.chain import Boundaries
from sotedata.rules import metrics
from sotedata.store.snapshot import DataVersion
from sotedata.views import indicators as iv
from sotedata.views.changes import SINCE_PARAM
from sotedata.views.national import NationalParams, NationalView, build_national_view
from ui.chart_specs import spec


@dataclass(frozen=True)
class DrawnView:
    """The view (its figures, sentences and tables) and its charts as Vega-Lite dicts; the page
    draws the dicts, not the view's Altair charts."""

    view: NationalView
    map: dict[str, Any] | None  # None: an indicator with only municipal rows
    bars: dict[str, Any] | None
    table: dict[str, Any]


@st.cache_data(show_spinner=False, max_entries=64)
def drawn_view(
    version: DataVersion,
    url: str,
    params: NationalParams,
    _dates: tuple[date, ...],
    example: bool,
    lang: str,
    boundaries_source: str,
    _frames: metrics.Frames,
    _boundaries: Boundaries,
    _found: iv.IndicatorFrames,
    since: date | None = None,
    _store: MetricStore | None = None,
) -> DrawnView:
    """``build_national_view`` and its charts' dicts, for this version of the data at ``url``."""
    view = build_national_view(
        _frames,
        _boundaries,
        params,
        reporting_dates=list(_dates),
        example=example,
        lang=lang,
        indicator_frames=_found,
        since=since,
        store=_store,
    )
    return DrawnView(view, spec(view.map_chart), spec(view.bar_chart), spec(view.workstream_chart))


#: the national view's own URL parameters (``NationalParams.to_query`` and the changes' ``vrt``)
OWN_PARAMS = frozenset({"mittari", "vaihe", "ryhma", "kriittiset", "pvm", "nakyma", "kausi"}) | {
    SINCE_PARAM
}
#: the area page's parameters: never left on the national page's URL (after the browser's Back
#: Streamlit may run the national page with the area's query, ``/?alue=21``)
AREA_PARAMS = frozenset({"alue", "tila", "myohassa", "haku", "solu", "vertaa"})
_LAST_VIEW = "national-view"


def returning_query(query: Mapping[str, str | None]) -> dict[str, str]:
    """The national page's URL parameters: the link's own, or, when the URL names none of the
    view's parameters or is the area page's (the way back from an area: its back link, the
    browser's Back, which runs this page with the area's query, the menu), the view this
    session showed last, so the metric, phase, work stream, view and dates stay. The language
    and meeting mode are the session's already (``ui.common``)."""
    given = {k: v for k, v in query.items() if v is not None and k not in AREA_PARAMS}
    if query.keys() & AREA_PARAMS:  # the area's query: its dates are the area's, not the view's
        given = {k: v for k, v in given.items() if k not in OWN_PARAMS}
    if given.keys() & OWN_PARAMS:
        return given
    return {**last_view(), **given}


def remember(query: Mapping[str, str]) -> None:
    """Keep the view's parameters (the URL the page has just written) for the way back."""
    st.session_state[_LAST_VIEW] = {k: v for k, v in query.items() if k in OWN_PARAMS}


def last_view() -> dict[str, str]:
    """The parameters of the national view this session showed last (none at first)."""
    return dict(st.session_state.get(_LAST_VIEW, {}))
