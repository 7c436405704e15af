"""Tables page: every dataset as a filtered table, its filters in the URL, and downloads of
exactly the rows shown (XLSX, CSV, CSV for Finnish Excel). The rows come from
``sotedata.views.tables.build_table`` and the files from ``sotedata.exports.files``, as in ``sote
export``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from sotedata.domain import areas
from sotedata.domain.i18n import fmt_date, fmt_number, t
from sotedata.domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL
from sotedata.domain.model import Status
from sotedata.exports import files as export
from sotedata.rules import notes as notes_
from sotedata.store import people as accounts
from sotedata.store.snapshot import DataVersion
from sotedata.views.outlook import with_outlook_data
from sotedata.views.query import (
    DATASETS,
    RESTRICTED,
    RISK_RANGE,
    UNDATED,
    URL_PARAMS,
    TableQuery,
    resolve_dates,
)
from sotedata.views.table_base import Sources
from sotedata.views.tables import (
    NUMBER_KINDS,
    Table,
    build_table,
    column_date_format,
    column_datetime_format,
    format_cell,
    with_grants,
    with_table_data,
)
from sotedata.views.tables_data import indicator_choices
from ui import access_ui, common
from ui.area_grants_notes import notes_frame

L = common.lang()
#: the filters' widget keys, and where the page remembers the URL it wrote last
WIDGETS = (
    "tbl_table",
    "tbl_areas",
    "tbl_phase",
    "tbl_stream",
    "tbl_critical",
    "tbl_overdue",
    "tbl_status",
    "tbl_risk",
    "tbl_as_of",
    "tbl_since",
    "tbl_search",
    "tbl_indicator",
    "tbl_level",
    "tbl_period_from",
    "tbl_period_to",
    "tbl_source_type",
    "tbl_tags",
)
WRITTEN = "tbl_written_query"


def _may_see_audit(url: str) -> bool:
    principal = access_ui.current_principal(common.store(url))
    return principal is not None and principal.can_read_audit


def _sources(url: str, facts: dict, audit: bool) -> Sources:
    store = common.store(url)
    return Sources(
        frames=common.frames_on(url, facts["version"], ()),  # the roadmap; the dates' rows later
        imports=store.imports(),
        audit=accounts.audit_log(store) if audit else None,
        reporting_dates=tuple(facts["dates"]),
        example=facts["example"],
    )


def _dated(sources: Sources, query: TableQuery, url: str, facts: dict) -> Sources:
    """The sources with the latest rows of the table's as-of and comparison dates, read by the
    database: every table is of those two dates, and the whole history is not read."""
    dated = resolve_dates(query, sources)
    days = tuple(day for day in (dated.as_of, dated.since) if day is not None)
    return replace(sources, frames=common.frames_on(url, facts["version"], days))


@st.cache_data(show_spinner=False, max_entries=4)
def _indicator_data(url: str, version: DataVersion) -> tuple[pd.DataFrame, pd.DataFrame]:
    store = common.store(url)
    return store.indicators(), store.indicator_values()


def _with_data(sources: Sources, url: str, table: str) -> Sources:
    """The indicators or the notes, read (and cached per data version) only for their table."""
    if table == "indicators":
        indicators, values = _indicator_data(url, common.data_version(url))
        return replace(sources, indicators=indicators, indicator_values=values)
    if table == "notes":
        return replace(sources, notes=notes_frame(url))
    return sources


def _periods(frame: pd.DataFrame, chosen: TableQuery) -> list[str]:
    """The periods a range can start or end with: the indicator's (at its level), oldest first by
    when they end; for the notes, the years they were written in."""
    if chosen.table == "notes":
        days = [d for d in pd.to_datetime(frame["noted_on"], errors="coerce") if not pd.isna(d)]
        return [str(year) for year in sorted({d.year for d in days})]
    rows = frame
    if chosen.indicator:
        rows = rows[rows["indicator_key"] == chosen.indicator]
    if chosen.level:
        rows = rows[rows["level"] == chosen.level]
    spans = rows.drop_duplicates("period")[["period", "period_start", "period_end"]].astype(str)
    return spans.sort_values(["period_end", "period_start", "period"])["period"].tolist()


def _data_controls(query: TableQuery, sources: Sources, table: str, values: dict) -> None:
    """The indicator and notes tables' own filters (indicator, level, source type, tags and the
    period range), on a row of their own."""
    row = st.columns([3, 1.6, 1.6, 1.6], vertical_alignment="bottom")
    if table == "indicators":
        names, wanted, issues = indicator_choices(query, sources)
        common.show_issues(issues)
        values["indicator"] = _one_or_all(
            row[0], "indicator", list(names), wanted, names.__getitem__, "tbl_indicator"
        )
        values["level"] = _one_or_all(
            row[1],
            "level",
            [AREA_LEVEL, MUNICIPALITY_LEVEL],
            query.level,
            lambda v: t(f"tables.level.{v}", L),
            "tbl_level",
        )
        stored = sources.indicators is not None and not sources.indicators.empty
        frame = sources.indicator_values if stored else pd.DataFrame()
    else:
        frame = sources.notes if sources.notes is not None else pd.DataFrame()
        values["source_types"] = tuple(
            row[0].multiselect(
                t("tables.filter.source_type_label", L),
                list(notes_.SOURCE_TYPES),
                default=list(query.source_types),
                format_func=lambda s: t(f"notes.source.{s}", L),
                placeholder=t("tables.filter.source_type_placeholder", L),
                key="tbl_source_type",
            )
        )
        known = notes_.tag_options(frame) if not frame.empty else []
        by_case = {tag.casefold(): tag for tag in known}
        chosen = [by_case.get(tag.casefold(), tag) for tag in query.tags]
        values["tags"] = tuple(
            row[1].multiselect(
                t("tables.filter.tags_label", L),
                sorted(set(known) | set(chosen), key=str.casefold),
                default=chosen,
                placeholder=t("tables.filter.tags_placeholder", L),
                key="tbl_tags",
            )
        )
    shown = TableQuery(table=table, **{k: v for k, v in values.items() if k != "table"})
    periods = _periods(frame, shown) if not frame.empty else []
    for column, name, key in ((row[2], "period_from", "from"), (row[3], "period_to", "to")):
        given = getattr(query, name)
        options = [None, *periods, *([given] if given and given not in periods else [])]
        values[name] = column.selectbox(
            t(f"tables.filter.period_{key}_label", L),
            options,
            index=options.index(given),
            format_func=lambda v: t("tables.filter.period_open", L) if v is None else v,
            key=f"tbl_period_{key}",
        )


def _one_or_all(
    column: Any, name: str, choices: list, current: Any, label: Callable[[Any], str], key: str
) -> Any:
    """A filter of one value or none (``None``, "tables.filter.<name>_all"), starting at the
    URL's value; a value that is not (or no longer) among the choices starts at all."""
    options = [None, *choices]
    return column.selectbox(
        t(f"tables.filter.{name}_label", L),
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda v: t(f"tables.filter.{name}_all", L) if v is None else label(v),
        key=key,
    )


def _reform_controls(query: TableQuery, shown: TableQuery, sources: Sources, values: dict) -> None:
    """The reform's filters that apply to the chosen dataset: areas, phase (the roadmap's),
    work stream, critical and overdue, on one row."""
    row = st.columns([3, 1.6, 2, 1.4, 1.4], vertical_alignment="bottom")
    if shown.applies("areas"):
        codes = [a.code for a in areas.reform_areas()]
        names = {a.code: a.short(L) for a in areas.reform_areas()}
        values["areas"] = tuple(
            row[0].multiselect(
                t("tables.filter.areas_label", L),
                codes,
                default=[c for c in query.areas if c in codes],
                format_func=lambda c: names[c],
                placeholder=t("tables.filter.areas_placeholder", L),
                key="tbl_areas",
            )
        )
    if shown.applies("phase"):
        phases = sorted(p.number for p in sources.frames.phases)
        values["phase"] = _one_or_all(
            row[1], "phase", phases, query.phase, lambda p: t(f"phase.{p}", L), "tbl_phase"
        )
    if shown.applies("work_stream"):
        streams = {ws.key: ws.name(L) for ws in sources.frames.work_streams}
        values["work_stream"] = _one_or_all(
            row[2],
            "work_stream",
            list(streams),
            query.work_stream,
            streams.__getitem__,
            "tbl_stream",
        )
    if shown.applies("critical"):
        values["critical_only"] = row[3].toggle(
            t("tables.filter.critical_label", L), value=query.critical_only, key="tbl_critical"
        )
    if shown.applies("overdue"):
        values["overdue_only"] = row[4].toggle(
            t("tables.filter.overdue_label", L), value=query.overdue_only, key="tbl_overdue"
        )


def _picture_controls(query: TableQuery, shown: TableQuery, sources: Sources, values: dict) -> None:
    """Status, risk range, the as-of and comparison dates and the search, on one row."""
    row = st.columns([3, 1.6, 2, 2.8], vertical_alignment="bottom")
    if shown.applies("status"):
        statuses = [s.value for s in Status]
        values["statuses"] = tuple(
            row[0].multiselect(
                t("tables.filter.status_label", L),
                statuses,
                default=list(query.statuses),
                format_func=lambda s: Status(s).label(L),
                placeholder=t("tables.filter.status_placeholder", L),
                key="tbl_status",
            )
        )
    if shown.applies("risk"):
        low = query.risk_min or RISK_RANGE[0]
        high = query.risk_max or RISK_RANGE[1]
        chosen = row[0].slider(
            t("tables.filter.risk_label", L),
            RISK_RANGE[0],
            RISK_RANGE[1],
            (low, high),
            key="tbl_risk",
        )
        values["risk_min"] = chosen[0] if chosen[0] != RISK_RANGE[0] else None
        values["risk_max"] = chosen[1] if chosen[1] != RISK_RANGE[1] else None
    dates = sorted(set(sources.reporting_dates), reverse=True)
    if shown.applies("as_of") and dates:
        options = sorted(set(dates) | ({query.as_of} if query.as_of else set()), reverse=True)
        picked = row[1].selectbox(
            t("tables.filter.as_of_label", L),
            options,
            index=options.index(query.as_of or dates[0]),
            format_func=lambda d: fmt_date(d, L),
            key="tbl_as_of",
        )
        # the latest date stays implicit, so that a bare link follows new reports
        values["as_of"] = None if picked == dates[0] and query.as_of is None else picked
    if shown.applies("since") and dates:
        options: list[date | None] = [None, *dates]
        if query.since and query.since not in options:
            options.append(query.since)
        values["since"] = row[2].selectbox(
            t("tables.filter.since_label", L),
            options,
            index=options.index(query.since),
            format_func=lambda d: (
                t("tables.filter.since_default", L) if d is None else fmt_date(d, L)
            ),
            key="tbl_since",
        )
    if shown.applies("search"):
        values["search"] = row[3].text_input(
            t("tables.filter.search_label", L),
            value=query.search,
            placeholder=t("tables.filter.search_placeholder", L),
            key="tbl_search",
        )


def _controls(query: TableQuery, sources: Sources, url: str) -> tuple[TableQuery, Sources]:
    """The filters of the chosen dataset, initialised from the URL; their values become the URL.
    Returns the sources with the chosen table's own data read."""
    tables = [k for k in DATASETS if k not in RESTRICTED or sources.audit is not None]
    table = st.segmented_control(
        t("tables.dataset", L),
        tables,
        default=query.table if query.table in tables else "status",
        required=True,
        format_func=lambda k: t(f"tables.name.{k}", L),
        key="tbl_table",
    )
    table = table or "status"
    shown = TableQuery(table=table)
    values: dict = {"table": table}
    sources = _with_data(sources, url, table)
    _reform_controls(query, shown, sources, values)
    if table in UNDATED:
        _data_controls(query, sources, table, values)
    _picture_controls(query, shown, sources, values)
    return TableQuery(**values), sources


def _follow_the_url(query: TableQuery) -> None:
    """A URL this page did not write itself (a link opened in the same session) wins over the
    filters' remembered values: they start again from the URL."""
    if st.session_state.get(WRITTEN) != query.to_query():
        for key in WIDGETS:
            st.session_state.pop(key, None)


#: up to this many rows the numbers are written in the page's format by a pandas Styler (0.1 s
#: for the figures table); a Styler costs ≈ 2 s on the 3 630-row status table, whose numbers
#: (phases, counts) have neither decimals nor thousands
STYLED_ROWS = 500
#: the indicator and notes tables have few number columns but values with any decimals, which
#: Streamlit would write American ("3.9") or cut ("%d"): styled up to this many rows (≈ 0.4 s
#: for 1 370 indicator values), longer ones show the number as stored ("plain")
DATA_STYLED_ROWS = 2500
LONG_FORMATS = {"float": "%.1f", "number": "plain"}


def _display(table: Table) -> tuple[pd.DataFrame | Styler, dict]:
    """The frame with the page language's headers, and how each column is shown: numbers stay
    numbers (they sort as numbers) but read in the page's format (Streamlit's own number
    formats are American English: "99.38%")."""
    frame = table.frame.copy()
    config: dict = {}
    formats: dict[str, Callable[[object], str]] = {}
    for column in table.columns:
        if column.kind in ("text", "code"):
            frame[column.key] = (
                frame[column.key].astype(object).where(frame[column.key].notna(), "")
            )
        if column.kind == "bool":
            frame[column.key] = [
                None if pd.isna(v) else t("tables.yes" if v else "tables.no", L)
                for v in frame[column.key]
            ]
        if column.kind in NUMBER_KINDS:
            formats[column.header] = partial(format_cell, kind=column.kind, lang=L)
            shares = column.kind in ("share", "share_change")
            config[column.header] = st.column_config.NumberColumn(
                format="percent" if shares else LONG_FORMATS.get(column.kind, "%d")
            )  # for a long table, which is not styled
        elif column.kind == "date":
            frame[column.key] = pd.to_datetime(frame[column.key], errors="coerce")
            config[column.header] = st.column_config.DateColumn(format=column_date_format(L))
        elif column.kind == "datetime":
            frame[column.key] = pd.to_datetime(frame[column.key], errors="coerce")
            config[column.header] = st.column_config.DatetimeColumn(
                format=column_datetime_format(L)
            )
    frame.columns = table.headers()
    limit = DATA_STYLED_ROWS if table.query.table in UNDATED else STYLED_ROWS
    if formats and len(frame) <= limit:
        return frame.style.format(formats), {k: v for k, v in config.items() if k not in formats}
    return frame, config


def _downloads(table: Table, cols: list) -> None:
    labels = {
        "xlsx": t("tables.download.xlsx", L),
        "csv": t("tables.download.csv", L),
        "csv-fi": t("tables.download.csv_fi", L),
    }
    for col, fmt in zip(cols, export.FORMATS, strict=True):

        def build(fmt: str = fmt) -> bytes:
            data = export.export_bytes(table, fmt, datetime.now(UTC), lang=L)
            common.audit_export(table.query.table, fmt, table.query.to_query(), table.rows)
            return data

        col.download_button(
            labels[fmt],
            data=build,
            file_name=export.file_name(table, fmt),
            mime=export.MIME[fmt],
            on_click="ignore",
            icon=":material/download:",
            help=t("tables.download.help", L),
            key=f"tbl_download_{fmt}",
            width="stretch",
        )


@common.guarded
def page() -> None:
    url = common.database_url()
    facts = common.store_facts(url)
    st.title(t("tables.title", L))
    if facts["empty"]:
        st.warning(t("banner.empty", L))
        return
    sources = _sources(url, facts, _may_see_audit(url))
    query_params = {key: st.query_params.get_all(key) for key in st.query_params}
    query, issues = TableQuery.from_query(
        query_params, sources.frames.work_streams, sources.frames.phases
    )
    _follow_the_url(query)
    common.show_issues(issues)
    common.example_banner(facts["example"])
    st.caption(t("tables.intro", L))
    query, sources = _controls(query, sources, url)
    # parameters of the app itself (the meeting mode's ``esitys``) stay in the URL
    others = {k: st.query_params.get_all(k) for k in st.query_params if k not in URL_PARAMS}
    st.query_params.from_dict({**others, **query.to_query()})
    st.session_state[WRITTEN] = query.to_query()
    sources = _dated(sources, query, url, facts)
    if query.table == "grants":
        sources = with_grants(sources, common.store(url))
    if query.table == "outlook":
        sources = with_outlook_data(sources, common.store(url), query)
    if query.table == "organisers":  # the registry in force and the organisers' reports
        sources = with_table_data(sources, common.store(url), "organisers")
    table = build_table(query, sources, L)
    common.show_issues(table.issues)
    count = (
        t("tables.rows.one", L)
        if table.rows == 1
        else t("tables.rows", L, count=fmt_number(table.rows, lang=L))
    )
    head, *buttons = st.columns([2.4, 1, 1, 1.3], vertical_alignment="center")
    head.markdown(f"**{table.title}** · {count}")
    _downloads(table, buttons)
    if table.rows == 0:
        st.info(t("tables.empty", L))
    else:
        frame, config = _display(table)
        height = "auto" if table.rows <= 14 else 560  # a short table without empty rows below
        st.dataframe(frame, column_config=config, hide_index=True, width="stretch", height=height)


page()
