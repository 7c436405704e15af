"""The comparison of two to four areas (``/alue?vertaa=21,12,08``), drawn by the area page when
its link asks for it: the areas and the as-of date chosen here are written back into the URL,
the figures and charts come from ``sotedata.views.compare``. The language is passed in: this
module is imported once per server process."""

from __future__ import annotations

from datetime import date

import streamlit as st

from sotedata.domain import areas
from sotedata.domain.i18n import fmt_date, t
from sotedata.rules.changes import default_as_of
from sotedata.store.snapshot import DataVersion
from sotedata.views import compare as cv
from ui import common

AREA_PAGE = "pages/area.py"
NATIONAL_PAGE = "pages/national.py"


@st.cache_data(show_spinner=False, max_entries=16)
def _comparison(
    url: str,
    codes: tuple[str, ...],
    as_of: date,
    _dates: tuple[date, ...],
    lang: str,
    version: DataVersion,
) -> cv.Comparison:
    """The comparison, built once per (areas, as-of date, language) and data version; the
    reporting dates change only with the version, so they are not hashed into the key."""
    # the as-of date's latest reports and the per-date summary, as the area page reads them:
    # not the whole history
    frames = common.frames_on(url, version, (as_of,))
    summary = common.store(url).status_summary(areas.REFORM_CODES, as_of)
    return cv.build_comparison(frames, codes, as_of, list(_dates), lang=lang, summary=summary)


def link(lang: str, codes: tuple[str, ...] = (), as_of: date | None = None) -> None:
    """A link that opens the comparison, with ``codes`` already chosen (the area page passes
    its own area; the national page none) and the view's as-of date when it is not the latest.
    Not in meeting mode: the projector's screen is kept for the view (its URL still works)."""
    if st.session_state.get("esitys", False):
        return
    query = {cv.PARAM: cv.compare_value(codes)}
    if as_of is not None:
        query["pvm"] = as_of.isoformat()
    st.page_link(
        AREA_PAGE,
        label=t("compare.link", lang),
        icon=":material/compare_arrows:",
        query_params=query,
    )


def _chosen_areas(ask: cv.CompareAsk, lang: str) -> list[str]:
    """The area multiselect (at most four), started from the link; its choice written back
    into ``vertaa`` so that the URL always says what is compared."""
    raw = st.query_params.get(cv.PARAM, "")
    if st.session_state.get("compare-url") != raw or "compare-areas" not in st.session_state:
        st.session_state["compare-areas"] = list(ask.codes)  # a new link: its areas
    chosen = st.multiselect(
        t("compare.choose", lang),
        list(areas.REFORM_CODES),
        format_func=lambda code: areas.get(code).short(lang),
        max_selections=cv.MAX_AREAS,
        placeholder=t("compare.choose_placeholder", lang),
        key="compare-areas",
    )
    written = cv.compare_value(chosen)
    if written != raw:
        st.query_params[cv.PARAM] = written
    st.session_state["compare-url"] = written
    return list(chosen)


def _as_of(ask: cv.CompareAsk, dates: list[date], lang: str) -> date:
    """The as-of date select box; kept in ``pvm`` unless it is the latest reporting date."""
    as_of = default_as_of(dates, ask.as_of)
    if "compare-asof" not in st.session_state:
        st.session_state["compare-asof"] = as_of
    chosen = st.selectbox(
        t("compare.as_of_select", lang),
        sorted(set(dates) | {as_of}, reverse=True),
        format_func=lambda d: fmt_date(d, lang),
        key="compare-asof",
    )
    if chosen != max(dates):
        st.query_params["pvm"] = chosen.isoformat()
    elif "pvm" in st.query_params:
        del st.query_params["pvm"]
    return chosen


def _area_links(codes: list[str], lang: str) -> None:
    """Each compared area's own page, one link each."""
    for column, code in zip(st.columns(len(codes)), codes, strict=True):
        column.page_link(
            AREA_PAGE,
            label=areas.get(code).short(lang),
            icon=":material/place:",
            query_params={"alue": code},
        )


def _section(
    heading: str, spec: dict | None, text: str, key: str, found: cv.Comparison, example: bool
) -> None:
    """One chart section: its heading, the chart, its text equivalent and the image menu."""
    lang = common.lang()
    st.header(heading)
    if spec is None:
        st.caption(text)
        return
    common.chart(spec, key=f"compare-{key}", alt=text)
    st.caption(text)
    common.chart_downloads(
        spec,
        heading,
        as_of=found.as_of,
        example=example,
        key=f"img-compare-{key}",
        notes=[" · ".join(areas.get(c).short(lang) for c in found.codes)],
    )


def comparison_page(lang: str) -> None:
    """The whole comparison: choices, key figures beside the median, phase progress, risk
    profiles and progress over time, each on one scale for every area."""
    st.page_link(NATIONAL_PAGE, label=t("area.back", lang))
    st.title(t("compare.title", lang))
    url = common.database_url()
    facts = common.store_facts(url)
    query = {key: st.query_params.get(key) for key in st.query_params}
    ask, issues = cv.compare_from_query(query)
    common.show_issues(issues)
    if facts["empty"]:
        st.warning(t("banner.empty", lang))
        return
    dates: list[date] = list(facts["dates"])
    top = st.columns([3, 1])
    with top[0]:
        codes = _chosen_areas(ask, lang)
    with top[1]:
        as_of = _as_of(ask, dates, lang)
    if not cv.enough(codes):
        st.info(t("compare.too_few", lang, least=cv.MIN_AREAS, most=cv.MAX_AREAS))
        return
    st.caption(t("compare.caption", lang, date=fmt_date(as_of, lang)))
    common.example_banner(facts["example"])
    _area_links(codes, lang)
    found = _comparison(url, tuple(codes), as_of, tuple(dates), lang, facts["version"])
    st.header(t("compare.figures.heading", lang))
    st.dataframe(found.figures, hide_index=True, width="stretch", key="compare-figures")
    st.caption(t("compare.figures.caption", lang))
    example = facts["example"]
    _section(
        t("compare.phases.heading", lang),
        found.phase_chart,
        t("compare.phases.text", lang),
        "phases",
        found,
        example,
    )
    st.dataframe(found.phase_table, hide_index=True, width="stretch", key="compare-phase-table")
    _section(
        t("compare.risks.heading", lang),
        found.risk_chart,
        found.risk_sentence,
        "risks",
        found,
        example,
    )
    _section(
        t("compare.progress.heading", lang),
        found.progress_chart,
        found.progress_sentence,
        "progress",
        found,
        example,
    )
