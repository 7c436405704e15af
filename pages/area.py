"""Area page (``?alue=<code>``): one area's roadmap phases, measures, risks and progress.

URL parameters keep the view so that a link sent after a meeting opens it again: ``alue``,
``pvm`` (as-of date), ``vrt`` (comparison date), ``vaihe``, ``ryhma``, ``tila`` (comma list),
``kriittiset``, ``myohassa``, ``haku`` and ``solu`` (risk cell, likelihood-impact). A chart click
(phase, work stream, risk cell) sets the same filter as the select boxes beside the table and the
matrix, so the page works without a mouse as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from sotedata.charts import area as area_charts
from sotedata.charts import meeting
from sotedata.domain import areas
from sotedata.domain.i18n import fmt_date, fmt_number, t
from sotedata.domain.model import HIGH_RISK_SCORE
from sotedata.rules import notes
from sotedata.rules.changes import default_since
from sotedata.views import area as av
from sotedata.views import area_progress as ap
from sotedata.views import area_risks as ar
from sotedata.views.area_page import AreaPage, build_area_page
from sotedata.views.national import format_value, resolve_as_of
from sotedata.views.tables import column_date_format
from ui import area_grants_notes, area_indicators, area_sections, common
from ui.text_safety import plain

L = common.lang()
STATUS_FILTER = list(av.STATUS_ORDER)


def _choose_area(current: str | None, container: Any = st) -> None:
    choices = [a.code for a in areas.reform_areas()]
    chosen = container.selectbox(
        t("area.choose", L),
        choices,
        index=choices.index(current) if current in choices else None,
        placeholder=t("national.open_area.placeholder", L),
        format_func=lambda c: areas.get(c).short(L),
        key="area-choice",
    )
    if chosen and chosen != current:
        st.query_params["alue"] = chosen
        st.rerun()


def _step_to(code: str) -> None:
    """Open another area, keeping the dates, filters and meeting mode of the view."""
    st.query_params["alue"] = code
    st.session_state["area-choice"] = code  # or the select box would take the page back


def _steps(code: str) -> None:
    """Meeting mode: previous / next area with → and ← (and PageDown / PageUp, which
    presentation clickers send; those two buttons are hidden, their keys are what counts)."""
    previous, following = meeting.neighbours(code)
    left, _, right = st.columns([1.6, 2, 1.6])
    left.button(
        f"← {areas.get(previous).short(L)}",
        key="step-prev",
        shortcut="Left",
        on_click=_step_to,
        args=(previous,),
        help=t("area.step.prev", L),
        width="stretch",
    )
    right.button(
        f"{areas.get(following).short(L)} →",
        key="step-next",
        shortcut="Right",
        on_click=_step_to,
        args=(following,),
        help=t("area.step.next", L),
        width="stretch",
    )
    st.button("PageUp", key="step-pgup", shortcut="PageUp", on_click=_step_to, args=(previous,))
    st.button(
        "PageDown", key="step-pgdn", shortcut="PageDown", on_click=_step_to, args=(following,)
    )
    st.html("<style>.st-key-step-pgup, .st-key-step-pgdn { display: none; }</style>")


def _parse_date(name: str) -> date | None:
    """A date from the URL; a bad one is dropped with a warning (never an error page)."""
    raw = st.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        st.warning(t("error.invalid_parameter", L, name=name, value=plain(raw)))
        return None


def _init(key: str, value: object) -> None:
    """Give a widget its first value (from the URL) without fighting its later state."""
    if key not in st.session_state:
        st.session_state[key] = value


def _url_filters(work_streams: list[str]) -> dict[str, object]:
    """The table's filters from the URL; a value that names nothing is dropped with a warning."""
    query = st.query_params
    phase = query.get("vaihe", "")
    stream = query.get("ryhma", "")
    asked = [s for s in query.get("tila", "").split(",") if s]
    statuses = [s for s in asked if s in STATUS_FILTER]
    for name, bad in (
        ("vaihe", phase and phase not in {"1", "2", "3"}),
        ("ryhma", stream and stream not in work_streams),
        ("tila", len(statuses) < len(asked)),
    ):
        if bad:
            st.warning(t("error.invalid_parameter", L, name=name, value=plain(query.get(name))))
    return {
        "f-phase": int(phase) if phase in {"1", "2", "3"} else 0,
        "f-stream": stream if stream in work_streams else "",
        "f-status": statuses,
        "f-critical": query.get("kriittiset") == "1",
        "f-overdue": query.get("myohassa") == "1",
        "f-text": query.get("haku", ""),
        "f-cell": query.get("solu", ""),  # checked against the matrix's cells where it is drawn
    }


def _picked(event: Mapping[str, Any] | None, name: str, field: str) -> object:
    picked = ((event or {}).get("selection") or {}).get(name) or []
    return picked[0].get(field) if picked else None


def _follow_chart(event: Mapping[str, Any] | None, name: str, field: str, target: str) -> None:
    """When a chart's selection changed since the last run, copy it into the filter widget
    ``target`` (before that widget is drawn); a cleared selection clears the filter."""
    value = _picked(event, name, field)
    seen = f"seen-{name}"
    if st.session_state.get(seen) != value:
        st.session_state[seen] = value
        if target == "f-phase":
            st.session_state[target] = int(value) if value is not None else 0
        else:
            st.session_state[target] = value or ""


def _chart_key(selection: str) -> str:
    """The widget key of the chart with ``selection``; a new key clears the chart's selection."""
    return f"chart-{selection}-{st.session_state.get(f'generation-{selection}', 0)}"


def _drop_stale(selections: Mapping[str, object]) -> None:
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


def _set_query(name: str, value: str | None) -> None:
    if value:
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _header(figures: list[av.KeyFigure], since_day: date | None) -> None:
    cols = st.columns(len(figures))
    since = fmt_date(since_day, L) if since_day else "–"
    for col, figure in zip(cols, figures, strict=True):
        col.metric(
            figure.label,
            figure.value_text,
            delta=figure.change_text,
            delta_color="off",
            delta_arrow="auto" if figure.change_sign else "off",
            help=t(
                "area.change_help",
                L,
                since=since,
                change=figure.change_text or "–",
                median=figure.median_text,
                delta=figure.delta_text or "–",
            ),
        )
        col.caption(t("area.change_caption", L, median=figure.median_text, since=since))


def _images(bundle: AreaPage, spec: dict, title_key: str, key: str) -> None:
    """The chart as PNG / SVG, titled with the area's name (drawn only on the click)."""
    area = areas.get(bundle.area_code).short(L)
    common.chart_downloads(
        spec,
        f"{area}: {t(title_key, L)}",
        as_of=bundle.as_of,
        example=common.store_facts(common.database_url())["example"],
        key=f"img-{key}",
    )


def _roadmap(bundle: AreaPage) -> None:
    st.header(t("area.section.roadmap", L))
    event = common.chart(
        bundle.timeline,
        on_select="rerun",
        selection_mode=area_charts.TIMELINE_SELECTION,
        key=_chart_key(area_charts.TIMELINE_SELECTION),
        width="stretch",
        alt=bundle.timeline_sentence,
    )
    st.caption(plain(bundle.timeline_sentence))  # it quotes the notes: shown as written
    _images(bundle, bundle.timeline, "area.section.roadmap", "timeline")
    _follow_chart(event, area_charts.TIMELINE_SELECTION, "phase", "f-phase")
    left, right = st.columns(2)
    with left:
        event = common.chart(
            bundle.phase_bars,
            on_select="rerun",
            selection_mode=area_charts.PHASE_SELECTION,
            key=_chart_key(area_charts.PHASE_SELECTION),
            width="stretch",
            alt=bundle.phase_sentence,
        )
        _follow_chart(event, area_charts.PHASE_SELECTION, "phase", "f-phase")
        _images(bundle, bundle.phase_bars, "area.progress_bars.phase", "phase-bars")
    with right:
        event = common.chart(
            bundle.stream_bars,
            on_select="rerun",
            selection_mode=area_charts.STREAM_SELECTION,
            key=_chart_key(area_charts.STREAM_SELECTION),
            width="stretch",
            alt=bundle.stream_sentence,
        )
        _follow_chart(event, area_charts.STREAM_SELECTION, "work_stream", "f-stream")
        _images(bundle, bundle.stream_bars, "area.progress_bars.stream", "stream-bars")
    st.caption(t("area.progress_bars.hint", L))
    with st.expander(t("area.progress_bars.text", L)):
        dates = ", ".join(m.label for m in bundle.key_dates)
        st.write(t("area.timeline.key_dates", L, dates=plain(dates)))
        undated = int(bundle.measures["deadline"].isna().sum())
        if undated:
            st.write(t("area.timeline.no_deadline", L, count=fmt_number(undated, lang=L)))
        st.dataframe(ap.progress_summary(bundle.by_phase, L), hide_index=True)
        st.dataframe(ap.progress_summary(bundle.by_stream, L), hide_index=True)


def _measures(frames: Any, table: pd.DataFrame) -> None:
    """The filters and the table: the only part that a filter change recomputes."""
    st.header(t("area.section.measures", L))
    phases = [0] + [p.number for p in sorted(frames.phases, key=lambda p: p.number)]
    names = av.work_stream_names(frames.work_streams, L)
    streams = [""] + list(names)
    row = st.columns([2, 2, 3])
    phase = row[0].selectbox(
        t("area.filter.phase", L),
        phases,
        format_func=lambda n: t(f"phase.{n}", L) if n else t("area.filter.phase.all", L),
        key="f-phase",
    )
    stream = row[1].selectbox(
        t("area.filter.stream", L),
        streams,
        format_func=lambda k: names.get(k, k) if k else t("area.filter.stream.all", L),
        key="f-stream",
    )
    statuses = row[2].multiselect(
        t("area.filter.status", L),
        STATUS_FILTER,
        format_func=lambda s: t(f"status.{s}", L),
        placeholder=t("area.filter.status.placeholder", L),
        key="f-status",
    )
    row = st.columns([1, 1, 3])
    critical = row[0].toggle(t("area.filter.critical", L), key="f-critical")
    overdue = row[1].toggle(t("area.filter.overdue", L), key="f-overdue")
    text = row[2].text_input(t("area.filter.text", L), key="f-text")
    _drop_stale(
        {
            area_charts.TIMELINE_SELECTION: phase or None,
            area_charts.PHASE_SELECTION: phase or None,
            area_charts.STREAM_SELECTION: stream or None,
        }
    )
    _set_query("vaihe", str(phase) if phase else None)
    _set_query("ryhma", stream or None)
    _set_query("tila", ",".join(statuses) or None)
    _set_query("kriittiset", "1" if critical else None)
    _set_query("myohassa", "1" if overdue else None)
    _set_query("haku", text.strip() or None)

    shown = av.filter_area_measures(
        table,
        phase=phase or None,
        work_stream=stream or None,
        statuses=statuses,
        critical_only=critical,
        overdue_only=overdue,
        text=text,
    )
    shown = av.order_for_attention(shown)
    count = fmt_number(len(shown), lang=L)
    if len(shown) == len(table):
        key = "area.measures.count.one" if len(shown) == 1 else "area.measures.count"
        st.markdown(f"**{t(key, L, count=count)}**")
    else:
        total = fmt_number(len(table), lang=L)
        st.markdown(f"**{t('area.measures.count_of', L, count=count, total=total)}**")
    flagged = shown[shown["flag"] != ""]
    if len(flagged):
        st.caption(
            t(
                "area.measures.flagged",
                L,
                overdue=fmt_number(int(shown["overdue"].sum()), lang=L),
                critical=fmt_number(int((shown["critical"] & (shown["flag"] != "")).sum()), lang=L),
            )
        )
    if shown.empty:
        st.info(t("area.measures.none", L))
        return
    display = shown[list(av.MEASURE_TABLE_COLUMNS)].copy()
    display["deadline"] = pd.to_datetime(display["deadline"], errors="coerce")
    display["reported_on"] = pd.to_datetime(display["reported_on"], errors="coerce")
    display["comment"] = display["comment"].fillna("")
    column_config = {
        name: st.column_config.TextColumn(t(f"area.col.{name}", L))
        for name in ("flag", "measure_id", "phase_label", "work_stream_label", "status_label")
    }
    column_config.update(
        {
            "name": st.column_config.TextColumn(t("area.col.name", L), width="large"),
            "comment": st.column_config.TextColumn(t("area.col.comment", L), width="medium"),
            "critical": st.column_config.CheckboxColumn(t("area.col.critical", L)),
            "deadline": st.column_config.DateColumn(
                t("area.col.deadline", L), format=column_date_format(L)
            ),
            "reported_on": st.column_config.DateColumn(
                t("area.col.reported_on", L), format=column_date_format(L)
            ),
        }
    )
    st.dataframe(
        display, hide_index=True, column_config=column_config, width="stretch", key="measures"
    )


def _risks(bundle: AreaPage) -> None:
    st.header(t("area.section.risks", L))
    register, since = bundle.risks, bundle.since
    if register.empty or bundle.risk_matrix is None:
        st.info(t("area.risk.none", L))
        return
    cells = bundle.risk_cells
    high = int((register["score"] >= HIGH_RISK_SCORE).sum())
    summary = t(
        "area.risk.summary",
        L,
        count=fmt_number(len(register), lang=L),
        high=fmt_number(high, lang=L),
        max=fmt_number(int(register["score"].max()), lang=L),
    )
    st.write(summary)
    left, right = st.columns([2, 3])
    with left:
        event = common.chart(
            bundle.risk_matrix,
            on_select="rerun",
            selection_mode=area_charts.RISK_SELECTION,
            key=_chart_key(area_charts.RISK_SELECTION),
            alt=summary,
        )
        st.caption(t("area.risk.hint", L))
        _images(bundle, bundle.risk_matrix, "area.risk.matrix_title", "risk-matrix")
    value = None
    picked = ((event or {}).get("selection") or {}).get(area_charts.RISK_SELECTION) or []
    if picked:
        value = f"{picked[0].get('likelihood')}-{picked[0].get('impact')}"
    seen = "seen-riski"
    if st.session_state.get(seen) != value:
        st.session_state[seen] = value
        st.session_state["f-cell"] = value or ""
    filled = cells[cells["count"] > 0].sort_values("score", ascending=False)
    options = [""] + [f"{r.likelihood}-{r.impact}" for r in filled.itertuples()]
    counts = {f"{r.likelihood}-{r.impact}": r.count for r in filled.itertuples()}
    if st.session_state.get("f-cell", "") not in options:
        st.session_state["f-cell"] = ""
    with right:
        cell = st.selectbox(
            t("area.risk.cell_select", L),
            options,
            format_func=lambda o: (
                t(
                    "area.risk.cell_option",
                    L,
                    likelihood=o.split("-")[0],
                    impact=o.split("-")[1],
                    count=counts[o],
                )
                if o
                else t("area.risk.cell_select.all", L)
            ),
            key="f-cell",
        )
        _drop_stale({area_charts.RISK_SELECTION: cell or None})
        _set_query("solu", cell or None)
        if cell:
            likelihood, impact = (int(x) for x in cell.split("-"))
            rows = ar.risks_in_cell(register, likelihood, impact)
            key = "area.risk.cell.one" if len(rows) == 1 else "area.risk.cell"
            heading = t(key, L, likelihood=likelihood, impact=impact, count=len(rows))
        else:
            rows = register
            heading = t("area.risk.all", L, count=fmt_number(len(rows), lang=L))
        st.markdown(f"**{heading}**")
        display = rows.copy()
        display["previous_score"] = pd.to_numeric(display["previous_score"], errors="coerce")
        display["reported_on"] = pd.to_datetime(display["reported_on"], errors="coerce")
        config = {
            name: st.column_config.TextColumn(t(f"area.risk.col.{name}", L))
            for name in ("risk_id", "title", "theme", "trend", "mitigation", "owner")
        }
        config.update(
            {
                name: st.column_config.NumberColumn(t(f"area.risk.col.{name}", L), format="%d")
                for name in ("likelihood", "impact", "score", "previous_score")
            }
        )
        config["trend"] = st.column_config.TextColumn(
            t("area.risk.col.trend", L),
            help=t("area.risk.trend_help", L, since=fmt_date(since, L) if since else "–"),
        )
        config["reported_on"] = st.column_config.DateColumn(
            t("area.risk.col.reported_on", L), format=column_date_format(L)
        )
        st.dataframe(display, hide_index=True, column_config=config, width="stretch", key="risks")


def _progress(bundle: AreaPage, area: areas.Area) -> None:
    st.header(t("area.section.progress", L))
    series, sentence = bundle.progress, bundle.progress_sentence
    if bundle.progress_lines is None:
        st.info(plain(sentence))
        return
    common.chart(bundle.progress_lines, width="stretch", key="chart-progress", alt=sentence)
    _images(bundle, bundle.progress_lines, "area.progress.title", "progress")
    st.caption(plain(sentence))
    with st.expander(t("area.progress.text", L)):
        names = {
            "area": area.short(L),
            "median": t("area.progress.median", L),
            "plan": t("area.progress.plan", L),
        }
        wide = series.pivot(index="day", columns="series", values="value").reset_index()
        table = pd.DataFrame({t("area.progress.day", L): [fmt_date(d, L) for d in wide["day"]]})
        for key, name in names.items():
            if key in wide:
                table[name] = [format_value(v, "share", L) for v in wide[key]]
        st.dataframe(table, hide_index=True)


@st.cache_data(show_spinner=False, ttl=60, max_entries=64)
def _bundle(
    url: str,
    code: str,
    as_of: date,
    since: date | None,
    dates: tuple[date, ...],
    lang: str,
    signature: tuple[int, int, int] = (0, 0, 0),
) -> AreaPage:
    """One area's charts and tables, built once per (area, as-of, comparison): a filter click
    only filters the table (building everything took about two seconds a rerun). The area's
    notes go on the timeline: ``signature`` (the imports' state) changes when an import brings
    notes, and adding one on the page clears this cache."""
    own_notes = notes.area_notes(area_grants_notes.notes_frame(url), code)
    return build_area_page(
        common.frames(url), code, as_of, since, list(dates), lang=lang, notes=own_notes
    )


def _note_saved() -> None:
    """A note was added: the timeline and the list must show it on the next run."""
    area_grants_notes.clear_caches()
    _bundle.clear()


@common.guarded
def page() -> None:
    st.page_link("pages/national.py", label=t("area.back", L))
    url = common.database_url()
    facts = common.store_facts(url)
    raw = st.query_params.get("alue")
    resolution = areas.resolve(raw) if raw else None
    area = resolution.area if resolution else None
    if raw and area is None:
        st.title(t("nav.area", L))
        st.error(t("area.unknown", L, value=plain(raw)))
        _choose_area(None)
        return
    if area is None:
        st.title(t("nav.area", L))
        _choose_area(None)
        return
    if area.code != raw:
        st.query_params["alue"] = area.code  # a name or an old code in the link: show the real code
    st.title(area.name(L))
    if area.in_reform and st.session_state.get("esitys", False):
        _steps(area.code)
    if not area.in_reform:
        st.info(t("area.outside_reform", L, name=area.name(L)))
        _choose_area(None)
        return
    if facts["empty"]:
        st.warning(t("banner.empty", L))
        return
    if "area-asof" not in st.session_state:
        # a fresh visit (the widgets' state is gone): forget which chart selections were seen, or
        # an old click would override the filters of the link that opened the page
        for key in [k for k in st.session_state if str(k).startswith("seen-")]:
            del st.session_state[key]
    dates: list[date] = list(facts["dates"])
    as_of = resolve_as_of(_parse_date("pvm"), dates)
    requested_since = _parse_date("vrt")
    frames = common.frames(url)

    top = st.columns([2, 1, 1])
    _choose_area(area.code, top[0])
    as_of_options = sorted(set(dates) | {as_of}, reverse=True)
    _init("area-asof", as_of)
    as_of = top[1].selectbox(
        t("area.as_of_select", L),
        as_of_options,
        format_func=lambda d: fmt_date(d, L),
        key="area-asof",
    )
    _set_query("pvm", as_of.isoformat() if as_of != max(dates) else None)
    since, taken = av.resolve_comparison(requested_since, dates, as_of)
    if not taken and requested_since is not None:
        st.warning(t("area.compare_invalid", L, value=fmt_date(requested_since, L)))
    since_options = av.comparison_dates(dates, as_of)
    if since is not None and since not in since_options:
        since_options = sorted(set(since_options) | {since}, reverse=True)
    _init("area-vrt", since)
    if st.session_state.get("area-vrt") not in since_options:
        st.session_state["area-vrt"] = default_since(dates, as_of)
    if since_options:
        since = top[2].selectbox(
            t("area.compare_select", L),
            since_options,
            format_func=lambda d: fmt_date(d, L),
            key="area-vrt",
        )
    else:
        since = None
        top[2].caption(t("area.compare_none", L))
    default = default_since(dates, as_of)
    _set_query("vrt", since.isoformat() if since and since != default else None)

    if since:
        st.caption(t("area.compare_caption", L, date=fmt_date(as_of, L), since=fmt_date(since, L)))
    else:
        st.caption(t("area.as_of", L, date=fmt_date(as_of, L)))
    common.example_banner(facts["example"])
    reported = frames.reports[frames.reports["area_code"] == area.code]
    if reported.empty:
        st.info(t("area.no_reports", L))

    for key, value in _url_filters([w.key for w in frames.work_streams]).items():
        _init(key, value)

    signature = area_grants_notes.imports_signature(url)
    bundle = _bundle(url, area.code, as_of, since, tuple(dates), L, signature)
    st.header(t("area.figures", L))
    _header(bundle.figures, bundle.since)
    _roadmap(bundle)
    _measures(frames, bundle.measures)
    _risks(bundle)
    _progress(bundle, area)
    area_indicators.indicators_section(area.code, L, example=facts["example"])
    area_grants_notes.grants_section(url, area.code, as_of, bundle.measures, L)
    area_grants_notes.notes_section(url, area.code, bundle.measures, bundle.risks, L, _note_saved)
    # helper sections: the change list since the comparison date and the area's municipalities
    area_sections.changes_section(frames, area.code, as_of, since, L)
    area_sections.municipalities_section(area.code, L, as_of=as_of, example=facts["example"])


page()
