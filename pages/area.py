"""Area page (``?alue=<code>``): one area's roadmap phases, measures, risks and progress.

URL parameters keep the view so that a link sent after a meeting opens it again: ``alue``,
``pvm`` (as-of date), ``vrt`` (comparison date), ``vaihe``, ``ryhma``, ``tila`` (comma list),
``kriittiset``, ``myohassa``, ``haku`` and ``solu`` (risk cell, likelihood-impact), read by
``sotedata.views.area_query``. A chart click (phase, work stream, risk cell) sets the same filter
as the select boxes beside the table and the matrix, so the page works without a mouse as well.
The sections are drawn by ``ui.area_*``.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import streamlit as st

from sotedata.domain import areas
from sotedata.domain.i18n import fmt_date, t
from sotedata.rules import notes
from sotedata.rules.changes import default_as_of, default_since
from sotedata.store.snapshot import DataVersion
from sotedata.views import area as av
from sotedata.views.area_page import AreaPage, build_area_page
from sotedata.views.area_query import AreaFilters, area_filters_from_query
from sotedata.views.changes import resolve_comparison
from sotedata.views.compare import is_comparison
from sotedata.views.grammar import area_named
from ui import (
    area_grants_notes,
    area_indicators,
    area_measures,
    area_organisers,
    area_outlook,
    area_risks,
    area_roadmap,
    area_sections,
    area_state,
    common,
    compare,
)
from ui.area_navigation import choose_area, steps
from ui.national_view import last_view
from ui.text_safety import plain

L = common.lang()


def _labels() -> Literal["visible", "collapsed"]:
    """The date selectors' labels: in meeting mode left to screen readers (the caption under
    them says both dates), so that the key figures and the phases fit the screen."""
    return "collapsed" if common.presenting() else "visible"


@st.cache_data(show_spinner=False, max_entries=64)
def _bundle(
    url: str,
    code: str,
    as_of: date,
    since: date | None,
    _dates: tuple[date, ...],
    lang: str,
    version: DataVersion,
) -> AreaPage:
    """One area's charts and tables, built once per (area, as-of, comparison) and data version: a
    filter click only filters the table (building everything took about two seconds a rerun).
    The area's notes go on the timeline: a note added here or imported changes the version.
    The reporting dates are not part of the key (the leading underscore): they change only with
    the data version, and hashing hundreds of them cost every click."""
    own_notes = notes.area_notes(area_grants_notes.notes_frame(url), code)
    frames = common.frames_on(url, version, tuple(d for d in (since, as_of) if d))
    summary = common.store(url).status_summary(areas.REFORM_CODES, as_of)  # the progress lines
    return build_area_page(
        frames,
        code,
        as_of,
        since,
        list(_dates),
        lang=lang,
        notes=own_notes,
        summary=summary,
        projection=area_outlook.projection(url, version, code, as_of),
    )


def _opened_area() -> areas.Area | None:
    """The reform area the link names (its real code written back into the URL); else the
    area select box, with why there is nothing to show."""
    raw = st.query_params.get("alue")
    area = area_named(raw) if raw else None
    if area is None:
        st.title(t("nav.area", L))
        if raw:
            st.error(t("area.unknown", L, value=plain(raw)))
        choose_area(None, L)
        return None
    if area.code != raw:
        st.query_params["alue"] = area.code  # a name or an old code in the link: show the real code
    st.title(area.name(L))
    if not area.in_reform:
        st.info(t("area.outside_reform", L, name=area.name(L)))
        choose_area(None, L)
        return None
    return area


def _dates(area: areas.Area, dates: list[date], asked: AreaFilters) -> tuple[date, date | None]:
    """The area, as-of and comparison selectors on one row (in meeting mode between the steps to
    the previous and the next area); the dates kept in the URL unless they are the defaults (the
    latest report, the report before the as-of date)."""
    row = st.container(key="area-controls")
    if common.presenting():
        first, *top, last = row.columns([1.3, 1.7, 1, 1, 1.3], vertical_alignment="center")
        steps(area.code, L, first, last)
    else:
        top = row.columns([2, 1, 1])
    choose_area(area.code, L, top[0])
    as_of = default_as_of(dates, asked.as_of)
    area_state.init("area-asof", as_of)
    as_of = top[1].selectbox(
        t("area.as_of_select", L),
        sorted(set(dates) | {as_of}, reverse=True),
        format_func=lambda d: fmt_date(d, L),
        key="area-asof",
        label_visibility=_labels(),
    )
    area_state.set_query("pvm", as_of.isoformat() if as_of != max(dates) else None)
    since, taken = resolve_comparison(asked.since, dates, as_of)
    if not taken and asked.since is not None:
        st.warning(t("area.compare_invalid", L, value=fmt_date(asked.since, L)))
    since_options = av.comparison_dates(dates, as_of)
    if since is not None and since not in since_options:
        since_options = sorted(set(since_options) | {since}, reverse=True)
    area_state.init("area-vrt", since)
    default = default_since(dates, as_of)
    if st.session_state.get("area-vrt") not in since_options:
        st.session_state["area-vrt"] = default
    if since_options:
        since = top[2].selectbox(
            t("area.compare_select", L),
            since_options,
            format_func=lambda d: fmt_date(d, L),
            key="area-vrt",
            label_visibility=_labels(),
        )
    else:
        since = None
        top[2].caption(t("area.compare_none", L))
    area_state.set_query("vrt", since.isoformat() if since and since != default else None)
    return as_of, since


@common.guarded
def page() -> None:
    if is_comparison(st.query_params):  # /alue?vertaa=21,12,08: the areas side by side
        compare.comparison_page(L)
        return
    # back to the national view this session showed (its metric, filters and dates)
    st.container(key="area-back").page_link(
        "pages/national.py", label=t("area.back", L), query_params=last_view()
    )
    url = common.database_url()
    facts = common.store_facts(url)
    area = _opened_area()
    if area is None:
        return
    compare.link(L, (area.code,))
    if facts["empty"]:
        st.warning(t("banner.empty", L))
        return
    if "area-asof" not in st.session_state:
        area_state.forget_seen_selections()
    dates: list[date] = list(facts["dates"])
    frames = common.frames_on(url, facts["version"], ())  # the roadmap: no report
    asked, issues = area_filters_from_query(
        {key: st.query_params.get(key) for key in st.query_params},
        frames.work_streams,
        frames.phases,
    )
    common.show_issues(issues)
    as_of, since = _dates(area, dates, asked)
    presenting = common.presenting()
    # in meeting mode the dates and the example-data line share a row
    with st.container(
        key="area-caption", horizontal=presenting, gap="medium" if presenting else "small"
    ):
        if since:
            dated = t("area.compare_caption", L, date=fmt_date(as_of, L), since=fmt_date(since, L))
        else:
            dated = t("area.as_of", L, date=fmt_date(as_of, L))
        st.caption(dated, width="content" if presenting else "stretch")
        common.example_banner(facts["example"])
    bundle = _bundle(url, area.code, as_of, since, tuple(dates), L, facts["version"])
    if not bundle.reported:
        st.info(t("area.no_reports", L))
    area_state.init_filters(asked)

    with st.container(key="area-figures"):  # meeting mode: its heading left to screen readers
        st.header(t("area.figures", L))
        area_roadmap.key_figures(bundle.figures, bundle.since, L)
    if not presenting:
        area_outlook.outlook_figures(url, facts["version"], area.code, as_of, L)
    area_roadmap.roadmap_section(bundle, L)  # in meeting mode the phases fill the screen's rest
    if presenting:  # on a projector the phases come first, right under the key figures
        area_outlook.outlook_figures(url, facts["version"], area.code, as_of, L)
    area_measures.measures_section(frames, bundle.measures, L)
    area_risks.risks_section(bundle, L)
    area_roadmap.progress_section(bundle, area, L)
    area_indicators.indicators_section(area.code, L, example=facts["example"])
    area_grants_notes.grants_section(url, area.code, as_of, bundle.measures, L)
    area_grants_notes.notes_section(url, area.code, bundle.measures, bundle.risks, L)
    # helper sections: the change list since the comparison date and the area's municipalities
    # the two dates' latest reports, not the whole history (a pass over it cost 0.14 s a click
    # at 32x the example history)
    compared = common.frames_on(url, facts["version"], tuple(d for d in (since, as_of) if d))
    area_sections.changes_section(compared, area.code, as_of, since, L)
    area_sections.municipalities_section(area.code, L, as_of=as_of, example=facts["example"])
    area_organisers.organisers_section(url, area.code, as_of, L, example=facts["example"])


page()
