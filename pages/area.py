"""Area page (``?alue=<code>``): the area's name, key figures beside the national median, phases."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages import common
from sotedata import areas
from sotedata.area_view import build_area_view, phase_table
from sotedata.i18n import fmt_date, t
from sotedata.national import resolve_as_of

L = common.LANG


def _choose_area(current: str | None) -> None:
    choices = [a.code for a in areas.reform_areas()]
    chosen = st.selectbox(
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
        st.error(t("area.unknown", L, value=raw))
        _choose_area(None)
        return
    if area is None:
        st.title(t("nav.area", L))
        _choose_area(None)
        return
    if area.code != raw:
        st.query_params["alue"] = area.code  # a name or an old code in the link: show the real code
    st.title(area.name(L))
    if not area.in_reform:
        st.info(t("area.outside_reform", L, name=area.name(L)))
        _choose_area(None)
        return
    if facts["empty"]:
        st.warning(t("banner.empty", L))
        return
    requested = st.query_params.get("pvm")
    try:
        as_of = resolve_as_of(date.fromisoformat(requested) if requested else None, facts["dates"])
    except ValueError:
        st.warning(t("error.invalid_parameter", L, name="pvm", value=requested))
        as_of = resolve_as_of(None, facts["dates"])
    st.caption(t("area.as_of", L, date=fmt_date(as_of, L)))
    common.example_banner(facts["example"])
    view = build_area_view(common.frames(url), area.code, as_of, lang=L)
    st.subheader(t("area.figures", L))
    cols = st.columns(len(view.figures))
    for col, figure in zip(cols, view.figures, strict=True):
        col.metric(
            figure.label,
            figure.value_text,
            delta=figure.delta_text,
            delta_color="off",
            delta_arrow="auto" if figure.delta_sign else "off",
            help=t(
                "area.median_delta", L, delta=figure.delta_text or "–", median=figure.median_text
            ),
        )
        col.caption(t("area.median", L, median=figure.median_text))
    st.altair_chart(view.phase_chart)
    with st.expander(t("area.phase_table", L)):
        st.dataframe(phase_table(view, L), hide_index=True)
    st.caption(t("area.more_later", L))
    _choose_area(area.code)


page()
