"""The area page's risks section: the likelihood × impact matrix, whose click (or the select
box beside it, for the keyboard) picks a cell, and the register of that cell's risks. The
language is passed in: this module is imported once per server process."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sotedata.charts import area as area_charts
from sotedata.domain.i18n import fmt_date, fmt_number, t
from sotedata.domain.model import HIGH_RISK_SCORE
from sotedata.views import area_risks as ar
from sotedata.views.area_page import AreaPage
from sotedata.views.tables import column_date_format
from ui import common
from ui.area_roadmap import images
from ui.area_state import chart_key, drop_stale, picked, set_query


def _summary(register: pd.DataFrame, lang: str) -> str:
    high = int((register["score"] >= HIGH_RISK_SCORE).sum())
    return t(
        "area.risk.summary",
        lang,
        count=fmt_number(len(register), lang=lang),
        high=fmt_number(high, lang=lang),
        max=fmt_number(int(register["score"].max()), lang=lang),
    )


def _follow_matrix(event: dict | None) -> None:
    """A click on a cell chooses it in the select box (a cleared click clears it)."""
    points = picked(event, area_charts.RISK_SELECTION)
    value = f"{points[0].get('likelihood')}-{points[0].get('impact')}" if points else None
    if st.session_state.get("seen-riski") != value:
        st.session_state["seen-riski"] = value
        st.session_state["f-cell"] = value or ""


def _cell_select(cells: pd.DataFrame, lang: str) -> str:
    """The filled cells, highest score first; a cell the link named that holds nothing is
    forgotten."""
    filled = cells[cells["count"] > 0].sort_values("score", ascending=False)
    options = [""] + [f"{r.likelihood}-{r.impact}" for r in filled.itertuples()]
    counts = {f"{r.likelihood}-{r.impact}": r.count for r in filled.itertuples()}
    if st.session_state.get("f-cell", "") not in options:
        st.session_state["f-cell"] = ""

    def label(option: str) -> str:
        if not option:
            return t("area.risk.cell_select.all", lang)
        likelihood, impact = option.split("-")
        count = counts[option]
        return t("area.risk.cell_option", lang, likelihood=likelihood, impact=impact, count=count)

    return st.selectbox(t("area.risk.cell_select", lang), options, format_func=label, key="f-cell")


def _register(rows: pd.DataFrame, bundle: AreaPage, lang: str) -> None:
    display = rows.copy()
    display["previous_score"] = pd.to_numeric(display["previous_score"], errors="coerce")
    display["reported_on"] = pd.to_datetime(display["reported_on"], errors="coerce")
    config = {
        name: st.column_config.TextColumn(t(f"area.risk.col.{name}", lang))
        for name in ("risk_id", "title", "theme", "trend", "mitigation", "owner")
    }
    config.update(
        {
            name: st.column_config.NumberColumn(t(f"area.risk.col.{name}", lang), format="%d")
            for name in ("likelihood", "impact", "score", "previous_score")
        }
    )
    since = fmt_date(bundle.since, lang) if bundle.since else "–"
    config["trend"] = st.column_config.TextColumn(
        t("area.risk.col.trend", lang), help=t("area.risk.trend_help", lang, since=since)
    )
    config["reported_on"] = st.column_config.DateColumn(
        t("area.risk.col.reported_on", lang), format=column_date_format(lang)
    )
    st.dataframe(display, hide_index=True, column_config=config, width="stretch", key="risks")


def risks_section(bundle: AreaPage, lang: str) -> None:
    st.header(t("area.section.risks", lang))
    register = bundle.risks
    if register.empty or bundle.risk_matrix is None:
        st.info(t("area.risk.none", lang))
        return
    summary = _summary(register, lang)
    st.write(summary)
    left, right = st.columns([2, 3])
    with left:
        event = common.chart(
            bundle.risk_matrix,
            on_select="rerun",
            selection_mode=area_charts.RISK_SELECTION,
            key=chart_key(area_charts.RISK_SELECTION),
            alt=summary,
        )
        st.caption(t("area.risk.hint", lang))
        images(bundle, bundle.risk_matrix, "area.risk.matrix_title", "risk-matrix", lang)
    _follow_matrix(event)
    with right:
        cell = _cell_select(bundle.risk_cells, lang)
        drop_stale({area_charts.RISK_SELECTION: cell or None})
        set_query("solu", cell or None)
        if cell:
            likelihood, impact = (int(x) for x in cell.split("-"))
            rows = ar.risks_in_cell(register, likelihood, impact)
            key = "area.risk.cell.one" if len(rows) == 1 else "area.risk.cell"
            heading = t(key, lang, likelihood=likelihood, impact=impact, count=len(rows))
        else:
            rows = register
            heading = t("area.risk.all", lang, count=fmt_number(len(rows), lang=lang))
        st.markdown(f"**{heading}**")
        _register(rows, bundle, lang)
