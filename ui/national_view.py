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

from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

from sotedata.domain.ports import MetricStore
from sotedata.geo.chain import Boundaries
from sotedata.rules import metrics
from sotedata.store.snapshot import DataVersion
from sotedata.views import indicators as iv
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
