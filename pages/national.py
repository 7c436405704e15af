"""National page: the map of the 22 areas, the ranked bars and the area × work stream table.
The map's metric may also be any stored indicator (its period, legend, source and, when it has
municipal values, a municipality map of the whole country)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from sotedata.charts import base as charts
from sotedata.domain import areas
from sotedata.domain.i18n import t
from sotedata.domain.indicators import AREA_LEVEL
from sotedata.exports.pack import build_pack, pack_file_name, view_filters
from sotedata.geo.chain import Boundaries
from sotedata.rules import metrics
from sotedata.rules.changes import default_as_of, default_since
from sotedata.views import indicators as iv
from sotedata.views import metric_sources
from sotedata.views.changes import SINCE_PARAM, comparison_from_query
from sotedata.views.national import (
    NationalParams,
    NationalView,
    figures_table,
    indicator_period,
    params_from_query,
)
from sotedata.views.national_map import boundary_credit
from ui import (
    area_indicators,
    common,
    national_changes,
    national_support,
    national_time,
    national_view,
    view_tools,
)
from ui.compare import link as compare_link
from ui.national_view import DrawnView
from ui.text_safety import plain

L = common.lang()
AREA_PAGE = "pages/area.py"


def _open_area(code: str, as_of: date | None) -> None:
    """Go to the area page; the chart keys change so that coming back doesn't reopen the area."""
    st.session_state["chart_nonce"] = st.session_state.get("chart_nonce", 0) + 1
    query = {"alue": code}
    if as_of is not None:
        query["pvm"] = as_of.isoformat()
    st.switch_page(AREA_PAGE, query_params=query)


def _metric_name(choice: str, found: iv.IndicatorFrames) -> str:
    """A roadmap metric by its name, an indicator as "Indikaattori: name (unit)"."""
    if choice.startswith(iv.PREFIX):
        meta = found.meta(choice[len(iv.PREFIX) :])
        return iv.metric_label(meta, L) if meta else choice
    return metric_sources.label(choice, L)


def _controls(
    params: NationalParams, frames: metrics.Frames, dates: list[date], found: iv.IndicatorFrames
) -> NationalParams:
    """The selectors on one row, initialised from the URL; their values become the new URL. In
    meeting mode their labels are left to screen readers (the values say what they are), so
    that the row and the charts fit the projector's screen."""
    work_streams = {ws.key: ws.name(L) for ws in frames.work_streams}
    shown = "collapsed" if common.presenting() else "visible"
    # one row: the select boxes as wide as their usual values, the switch and the view choice as
    # wide as their words (never cut), the time slider takes the rest
    row = st.container(key="controls", horizontal=True, wrap=False, vertical_alignment="bottom")
    # the roadmap metrics first, then every stored indicator, each labelled as one
    metric_keys = list(metric_sources.SOURCES) + [iv.PREFIX + key for key in found.measured()]
    current = iv.PREFIX + params.indicator if params.indicator else params.metric
    choice = row.selectbox(
        t("national.metric", L),
        metric_keys,
        index=metric_keys.index(current),
        format_func=lambda k: _metric_name(k, found),
        key="metric",
        label_visibility=shown,
        width=240,
    )
    indicator = choice[len(iv.PREFIX) :] if choice.startswith(iv.PREFIX) else None
    metric = params.metric if indicator else choice
    phase_options = [None, *sorted(p.number for p in frames.phases)]
    phase = row.selectbox(
        t("national.phase", L),
        phase_options,
        index=phase_options.index(params.phase),
        format_func=lambda p: t("national.phase.all", L) if p is None else t(f"phase.{p}", L),
        key="phase",
        label_visibility=shown,
        width=170,
    )
    ws_options = [None, *work_streams]
    work_stream = row.selectbox(
        t("national.work_stream", L),
        ws_options,
        index=ws_options.index(params.work_stream) if params.work_stream in ws_options else 0,
        format_func=lambda k: t("national.work_stream.all", L) if k is None else work_streams[k],
        key="work_stream",
        label_visibility=shown,
        width=185,
    )
    as_of = _as_of(row, params, dates)
    critical = row.toggle(t("national.critical_only", L), value=params.critical_only, key="crit")
    view = row.segmented_control(
        t("national.view", L),
        ["kartta", "ruudut"],
        default=params.view,
        required=True,
        format_func=lambda v: t(f"national.view.{v}", L),
        key="view",
        label_visibility=shown,
    )
    return NationalParams(
        metric=metric,
        phase=phase,
        work_stream=work_stream,
        critical_only=critical,
        as_of=as_of,
        view=view or "kartta",
        indicator=indicator,
        period=_period(indicator, params, found),
    )


def _as_of(row: Any, params: NationalParams, dates: list[date]) -> date | None:
    """The as-of date on a time slider over the reporting dates, with the play button; the
    latest date stays implicit (None) so that a bare link follows new reports."""
    options = sorted(set(dates) | ({params.as_of} if params.as_of else set()))
    if not options:
        return None
    as_of = national_time.date_slider(
        row, options, params.as_of or options[-1], L, collapsed=common.presenting()
    )
    national_time.play_button(row, options, L)
    if as_of == max(dates, default=None) and params.as_of is None:
        return None
    return as_of


def _period(indicator: str | None, params: NationalParams, found: iv.IndicatorFrames) -> str | None:
    """The indicator's period selector (newest first); the latest stays out of the URL unless
    the link named it, so a bare link follows new figures."""
    if indicator is None:
        return None
    asked = params.period if params.indicator == indicator else None
    _level, oldest_first, chosen, issues = indicator_period(found, indicator, asked)
    if chosen is None:
        return None
    common.show_issues(issues)
    asked = asked if not issues else None
    periods = list(reversed(oldest_first))
    cols = st.columns([2.2, 6.8], vertical_alignment="bottom")
    period = cols[0].selectbox(
        t("indicators.period_select", L),
        periods,
        index=periods.index(chosen),
        key=f"period-{indicator}",
    )
    if period == periods[0] and asked is None:
        return None
    return period


def _pack_button(
    frames: metrics.Frames,
    boundaries: Boundaries,
    params: NationalParams,
    as_of: date,
    dates: list[date],
    example: bool,
) -> None:
    """The meeting pack of this view (its metric and filters, every area), built on the click."""

    def build() -> bytes:
        every_area = [a.code for a in areas.reform_areas()]
        since = default_since(dates, as_of)
        data = build_pack(
            frames,
            boundaries,
            as_of=as_of,
            since=since,
            areas=every_area,
            lang=L,
            example=example,
            params=params,
            outlook=national_support.outlook_view(
                common.database_url(), common.data_version(common.database_url()), as_of
            ),
        )
        common.audit_export("kokouspaketti", "pptx", params.to_query())
        return data

    st.download_button(
        t("pack.button", L),
        build,
        file_name=pack_file_name(as_of),
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore",
        icon=":material/slideshow:",
        help=t("pack.help", L),
        key="pack",
    )


def _kept(query: dict[str, str | None]) -> dict[str, str]:
    """Parameters the view does not own but must not drop (the language, meeting mode, the
    comparison date of the changes section)."""
    owned = {"mittari", "vaihe", "ryhma", "kriittiset", "pvm", "nakyma", "kausi"}
    return {k: v for k, v in query.items() if k not in owned and v is not None}


def _image_source(view: NationalView, boundaries: Boundaries) -> str | None:
    """The source line of a downloaded map: the indicator's and the boundaries' credit."""
    parts = [view.indicator.source] if view.indicator is not None else []
    if boundaries.attribution and not (view.params.view == "ruudut" or boundaries.is_tiles):
        parts.append(boundary_credit(boundaries, L))
    return " · ".join(parts) or None


def _municipal(view: NationalView, found: iv.IndicatorFrames, example: bool) -> None:
    """The indicator's municipalities on a map of the whole country: shown at once when the
    indicator has only municipal rows, behind a toggle when the area map is there too."""
    part = view.indicator
    if part is None or part.municipal_period is None:
        return
    st.header(t("indicators.municipal_heading", L))
    if part.level == AREA_LEVEL and not st.toggle(
        t("indicators.municipal_toggle", L, period=plain(part.municipal_period)),
        key=f"municipal-{part.meta.key}",
    ):
        return
    area_indicators.municipal_map(
        found,
        part.meta.key,
        part.municipal_period,
        L,
        example=example,
        chart_key=f"municipal-map-{part.meta.key}",
    )
    st.caption(plain(part.source))


def _map(drawn: DrawnView, boundaries: Boundaries, filters: list[str], example: bool) -> dict:
    """The map (or the reason there is none) with its images; returns the click."""
    view = drawn.view
    if drawn.map is None:
        st.info(plain(view.summary), icon=":material/info:")
        return {}
    part = view.indicator
    with st.container(key="fit-map"):
        event = common.chart(
            drawn.map,
            fit=True,
            on_select="rerun",
            selection_mode=charts.SELECTION,
            key=f"map-{st.session_state.get('chart_nonce', 0)}",
            alt=t("map.alt", L, metric=view.metric_label, summary=view.summary),
        )
    st.caption(plain(view.summary))
    for note in view.reporting_notes:  # whose reports are of which date, and the mark
        st.caption(plain(note))
    if part is not None:
        st.caption(plain(part.source))
    common.chart_downloads(
        drawn.map,
        view.metric_label,
        as_of=view.as_of,
        example=example,
        key="map",
        attribution=_image_source(view, boundaries),
        notes=filters,
    )
    view_tools.view_tools("fit-map", L)  # the map on the whole screen, and a link to this view
    return event


def _bars(drawn: DrawnView, filters: list[str], example: bool) -> dict:
    """The ranked bars with their images; returns the click."""
    view = drawn.view
    if drawn.bars is None:
        return {}
    part = view.indicator
    with st.container(key="fit-bars"):
        bars = common.chart(
            drawn.bars,
            fit=True,
            on_select="rerun",
            selection_mode=charts.SELECTION,
            key=f"bars-{st.session_state.get('chart_nonce', 0)}",
        )
    st.caption(t("map.click_hint", L))
    common.chart_downloads(
        drawn.bars,
        t("pack.bars.title", L, metric=view.metric_label),
        as_of=view.as_of,
        example=example,
        key="bars",
        attribution=part.source if part is not None else None,
        notes=filters,
    )
    return bars


def _clicked_area(*events: dict) -> str | None:
    """The reform area a chart click chose, if any."""
    for state in events:
        picked = (state.get("selection") or {}).get(charts.SELECTION) or []
        if picked and picked[0].get("code") in areas.REFORM_CODES:
            return str(picked[0]["code"])
    return None


def _workstream_table(drawn: DrawnView, example: bool) -> str | None:
    """The area × work stream table with its images and its figures as text; returns the area
    a click chose."""
    st.header(t("national.table_heading", L))
    table_event = common.chart(
        drawn.table,
        on_select="rerun",
        selection_mode=charts.SELECTION,
        key=f"table-{st.session_state.get('chart_nonce', 0)}",
    )
    st.caption(t("table.caption", L))
    common.chart_downloads(
        drawn.table,
        t("table.title", L, metric=t("metric.done_share", L)),
        as_of=drawn.view.as_of,
        example=example,
        key="table",
    )
    return _clicked_area(table_event)


def _figures(view: NationalView) -> None:
    """The map's figures as a table, for a reader who cannot see the map."""
    part = view.indicator
    with st.expander(t("national.figures_heading", L)):
        # an indicator's areas from the highest value, with ranks; else with each area's last
        # reporting date
        shown = part.table if part is not None and not part.table.empty else figures_table(view, L)
        st.dataframe(shown, hide_index=True, width="stretch")
    st.caption(t("sidebar.boundaries", L, source=t(f"geo.source.{view.boundaries_source}", L)))


def _figure_dates(
    params: NationalParams, dates: list[date], since: date | None
) -> tuple[date, ...]:
    """The dates the view's figures are of: the as-of date, the comparison date before it (the
    meeting pack's changes slide) and the one the URL chose (the change metric)."""
    as_of = default_as_of(dates, params.as_of)
    days = {default_since(dates, as_of), as_of, since}
    return tuple(sorted(day for day in days if day is not None))


@common.guarded
def page() -> None:
    url = common.database_url()
    facts = common.store_facts(url)
    st.title(t("national.title", L))
    if facts["empty"]:
        st.warning(t("banner.empty", L))
        return
    dates = facts["dates"]
    roadmap = common.frames_on(url, facts["version"], ())  # the selectors' phases and streams
    found = area_indicators.indicator_frames(url)
    query = national_view.returning_query(
        {key: st.query_params.get(key) for key in st.query_params}
    )
    params, issues = params_from_query(
        query, roadmap.work_streams, found.measured(), roadmap.phases
    )
    common.show_issues(issues)
    params = _controls(params, roadmap, dates, found)
    # the comparison date of the change metric and of the changes section (``vrt``)
    since, _ = comparison_from_query(
        query.get(SINCE_PARAM), dates, default_as_of(dates, params.as_of)
    )
    # the as-of date's and its comparison date's latest reports, not the whole history
    frames = common.frames_on(url, facts["version"], _figure_dates(params, dates, since))
    boundaries = common.boundaries()
    drawn = national_view.drawn_view(
        facts["version"],
        url,
        params,
        tuple(dates),
        facts["example"],
        L,
        boundaries.source,
        frames,
        boundaries,
        found,
        since,
        common.store(url),
    )
    view = drawn.view
    common.show_issues(view.issues)
    shown = view.params.to_query() | _kept(query)
    st.query_params.from_dict(shown)
    national_view.remember(shown)
    common.example_banner(facts["example"])
    if boundaries.is_tiles and params.view != "ruudut":
        st.caption(t("national.tiles_fallback", L))
    # the filters, in the downloaded images
    filters = [" · ".join(view_filters(params, frames, L))]
    if view.indicator is not None:
        filters = [view.indicator.period_text]
    left, right = st.columns([1.1, 1], gap="large")
    with left:
        event = _map(drawn, boundaries, filters, facts["example"])
    with right:
        bars = _bars(drawn, filters, facts["example"])
        choices = [a.code for a in areas.reform_areas()]
        chosen = st.selectbox(
            t("national.open_area", L),
            choices,
            index=None,
            placeholder=t("national.open_area.placeholder", L),
            format_func=lambda c: areas.get(c).short(L),
            key=f"open-{st.session_state.get('chart_nonce', 0)}",
        )
        _pack_button(frames, boundaries, params, view.as_of, dates, facts["example"])
        compare_link(L, as_of=params.as_of)
    if code := _clicked_area(event, bars) or chosen:
        _open_area(code, params.as_of)
    if view.indicator is not None:
        _municipal(view, found, facts["example"])
    if code := _workstream_table(drawn, facts["example"]):
        _open_area(code, params.as_of)
    _figures(view)
    national_support.section(url, facts["version"], view.as_of)
    national_changes.section(url, facts["version"], dates, view.as_of, query)
    national_time.player(view.as_of, sorted(dates))


page()
