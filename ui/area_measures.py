"""The area page's measures section: the filters (phase, work stream, status, critical,
overdue, text; kept in the URL) and the filtered table, the only part a filter change
recomputes. The language is passed in: this module is imported once per server process."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sotedata.charts import area as area_charts
from sotedata.domain.i18n import fmt_number, t
from sotedata.rules import metrics
from sotedata.views import area as av
from sotedata.views.grammar import YES
from sotedata.views.tables import column_date_format
from ui.area_state import drop_stale, set_query

STATUS_FILTER = list(av.STATUS_ORDER)


def _filters(frames: metrics.Frames, lang: str) -> dict[str, Any]:
    """The filter widgets (started from the URL by ``area_state.init_filters``), written back
    into the URL in their canonical words."""
    phases = [0] + [p.number for p in sorted(frames.phases, key=lambda p: p.number)]
    names = av.work_stream_names(frames.work_streams, lang)
    row = st.columns([2, 2, 3])
    phase = row[0].selectbox(
        t("area.filter.phase", lang),
        phases,
        format_func=lambda n: t(f"phase.{n}", lang) if n else t("area.filter.phase.all", lang),
        key="f-phase",
    )
    stream = row[1].selectbox(
        t("area.filter.stream", lang),
        [""] + list(names),
        format_func=lambda k: names.get(k, k) if k else t("area.filter.stream.all", lang),
        key="f-stream",
    )
    statuses = row[2].multiselect(
        t("area.filter.status", lang),
        STATUS_FILTER,
        format_func=lambda s: t(f"status.{s}", lang),
        placeholder=t("area.filter.status.placeholder", lang),
        key="f-status",
    )
    row = st.columns([1, 1, 3])
    critical = row[0].toggle(t("area.filter.critical", lang), key="f-critical")
    overdue = row[1].toggle(t("area.filter.overdue", lang), key="f-overdue")
    text = row[2].text_input(t("area.filter.text", lang), key="f-text")
    drop_stale(
        {
            area_charts.TIMELINE_SELECTION: phase or None,
            area_charts.PHASE_SELECTION: phase or None,
            area_charts.STREAM_SELECTION: stream or None,
        }
    )
    set_query("vaihe", str(phase) if phase else None)
    set_query("ryhma", stream or None)
    set_query("tila", ",".join(statuses) or None)
    set_query("kriittiset", YES if critical else None)
    set_query("myohassa", YES if overdue else None)
    set_query("haku", text.strip() or None)
    return {
        "phase": phase or None,
        "work_stream": stream or None,
        "statuses": statuses,
        "critical_only": critical,
        "overdue_only": overdue,
        "text": text,
    }


def _counts(shown: pd.DataFrame, table: pd.DataFrame, lang: str) -> None:
    """How many measures the filters leave, and how many of them need attention."""
    count = fmt_number(len(shown), lang=lang)
    if len(shown) == len(table):
        key = "area.measures.count.one" if len(shown) == 1 else "area.measures.count"
        st.markdown(f"**{t(key, lang, count=count)}**")
    else:
        total = fmt_number(len(table), lang=lang)
        st.markdown(f"**{t('area.measures.count_of', lang, count=count, total=total)}**")
    flagged = shown[shown["flag"] != ""]
    if len(flagged):
        critical = int((shown["critical"] & (shown["flag"] != "")).sum())
        st.caption(
            t(
                "area.measures.flagged",
                lang,
                overdue=fmt_number(int(shown["overdue"].sum()), lang=lang),
                critical=fmt_number(critical, lang=lang),
            )
        )


def _table(shown: pd.DataFrame, lang: str) -> None:
    display = shown[list(av.MEASURE_TABLE_COLUMNS)].copy()
    display["deadline"] = pd.to_datetime(display["deadline"], errors="coerce")
    display["reported_on"] = pd.to_datetime(display["reported_on"], errors="coerce")
    display["comment"] = display["comment"].fillna("")
    column_config = {
        name: st.column_config.TextColumn(t(f"area.col.{name}", lang))
        for name in ("flag", "measure_id", "phase_label", "work_stream_label", "status_label")
    }
    column_config.update(
        {
            "name": st.column_config.TextColumn(t("area.col.name", lang), width="large"),
            "comment": st.column_config.TextColumn(t("area.col.comment", lang), width="medium"),
            "critical": st.column_config.CheckboxColumn(t("area.col.critical", lang)),
            "deadline": st.column_config.DateColumn(
                t("area.col.deadline", lang), format=column_date_format(lang)
            ),
            "reported_on": st.column_config.DateColumn(
                t("area.col.reported_on", lang), format=column_date_format(lang)
            ),
        }
    )
    st.dataframe(
        display, hide_index=True, column_config=column_config, width="stretch", key="measures"
    )


def measures_section(frames: metrics.Frames, table: pd.DataFrame, lang: str) -> None:
    """The filters and the table: the only part that a filter change recomputes."""
    st.header(t("area.section.measures", lang))
    chosen = _filters(frames, lang)
    shown = av.order_for_attention(av.filter_area_measures(table, **chosen))
    _counts(shown, table, lang)
    if shown.empty:
        st.info(t("area.measures.none", lang))
        return
    _table(shown, lang)
