"""National risks page: areas × themes heat map, the areas' high risks, national risks, trend."""

from __future__ import annotations

from datetime import date

import streamlit as st

from sotedata.domain import areas
from sotedata.domain.i18n import fmt_date, t
from sotedata.rules import notes
from sotedata.store.snapshot import DataVersion
from sotedata.views import risks as risks_view
from ui import area_grants_notes, common

L = common.lang()


def _controls(
    params: risks_view.RisksParams, themes: list[str], dates: list[date]
) -> risks_view.RisksParams:
    """Theme and area filters and the as-of date, initialised from the URL."""
    cols = st.columns([2.2, 2.2, 1], vertical_alignment="bottom")
    chosen_themes = cols[0].multiselect(
        t("risks.filter.themes", L),
        themes,
        default=[th for th in params.themes if th in themes],
        format_func=lambda th: risks_view.theme_label(th, L),
        placeholder=t("risks.filter.themes.placeholder", L),
        key="risk-themes",
    )
    codes = list(areas.REFORM_CODES)
    chosen_areas = cols[1].multiselect(
        t("risks.filter.areas", L),
        codes,
        default=list(params.areas),
        format_func=lambda c: areas.get(c).short(L),
        placeholder=t("risks.filter.areas.placeholder", L),
        key="risk-areas",
    )
    as_of = params.as_of
    options = sorted(set(dates) | ({params.as_of} if params.as_of else set()), reverse=True)
    if options:
        picked = cols[2].selectbox(
            t("risks.as_of", L),
            options,
            index=options.index(params.as_of or options[0]),
            format_func=lambda d: fmt_date(d, L),
            key="risk-as-of",
        )
        as_of = None if picked == max(dates, default=None) and params.as_of is None else picked
    return risks_view.RisksParams(
        themes=tuple(chosen_themes), areas=tuple(sorted(chosen_areas)), as_of=as_of
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _view(
    url: str,
    version: DataVersion,
    params: risks_view.RisksParams,
    dates: tuple[date, ...],
    example: bool,
    lang: str,
) -> risks_view.RisksView:
    """Cached per data version and view: every filter click reruns the page. The language is
    part of the key: the view holds its chart titles and sentences."""
    return risks_view.build_risks_view(
        common.risk_frames(url, version),
        params,
        reporting_dates=list(dates),
        example=example,
        lang=lang,
    )


def _national_risk_notes(url: str) -> None:
    """Notes from meetings, surveys or the media that cite a national risk, under the risks."""
    cited = notes.national_risk_notes(common.store(url).notes())
    if cited.empty:
        return
    st.markdown(f"**{t('risks.national.notes', L, count=len(cited))}**")
    area_grants_notes.notes_dataframe(cited, L, key="risk-national-notes")


def _heatmap(view: risks_view.RisksView, example: bool) -> None:
    """Areas × themes: how many high risks each area rates in each theme, with its table."""
    st.header(t("risks.heatmap.heading", L))
    if view.heatmap_chart is not None:
        # its own width (a column per theme), not stretched: one chosen theme stays one column
        common.chart(
            view.heatmap_chart, alt=view.heatmap_summary, key="risk-heatmap", width="content"
        )
    st.caption(view.heatmap_summary)
    if view.heatmap_chart is not None:
        common.chart_downloads(
            view.heatmap_chart,
            t("risks.heatmap.heading", L),
            as_of=view.as_of,
            example=example,
            key="risk-heatmap",
        )
    with st.expander(t("risks.heatmap.table", L)):
        wide = view.heatmap.pivot(index="short", columns="theme", values="label")
        wide = wide.reindex(
            index=[areas.get(c).short(L) for c in view.area_codes], columns=view.themes
        )
        wide.columns = [risks_view.theme_label(th, L) for th in wide.columns]
        wide.index.name = t("risks.col.area", L)
        wide.columns.name = None
        st.dataframe(wide, width="stretch")


def _trend(view: risks_view.RisksView, example: bool) -> None:
    """High risks per reporting date, with its table."""
    st.header(t("risks.trend.heading", L))
    if view.trend_chart is not None:
        common.chart(view.trend_chart, alt=view.trend_summary, key="risk-trend")
    st.caption(view.trend_summary)
    if view.trend_chart is not None:
        common.chart_downloads(
            view.trend_chart,
            t("risks.trend.heading", L),
            as_of=view.as_of,
            example=example,
            key="risk-trend",
        )
    with st.expander(t("risks.trend.table", L)):
        st.dataframe(risks_view.trend_rows(view.trend, L), hide_index=True, width="content")


@common.guarded
def page() -> None:
    url = common.database_url()
    facts = common.store_facts(url)
    st.title(t("risks.title", L))
    if facts["empty"]:
        st.warning(t("banner.empty", L))
        return
    frames = common.risk_frames(url, facts["version"])
    dates = facts["dates"]
    themes = risks_view.themes_of(frames.risks)
    query = {key: st.query_params.get(key) for key in st.query_params}
    params, issues = risks_view.params_from_query(query, themes)
    common.show_issues(issues)
    common.example_banner(facts["example"])
    if not themes:
        st.info(t("risks.no_risks", L))
        return
    st.caption(t("risks.intro", L))
    params = _controls(params, themes, dates)
    st.query_params.from_dict(params.to_query())
    view = _view(url, facts["version"], params, tuple(dates), facts["example"], L)

    _heatmap(view, facts["example"])
    st.header(t("risks.high.heading", L))
    st.markdown(view.high_summary)
    if view.high.empty:
        st.caption(t("risks.high.empty", L))
    else:
        st.dataframe(
            risks_view.risk_rows(view.high, L), hide_index=True, width="stretch", key="risk-high"
        )
        st.caption(t("risks.high.sort_hint", L))

    st.header(t("risks.national.heading", L))
    if view.national.empty:
        st.caption(t("risks.national.empty", L))
    else:
        st.dataframe(
            risks_view.risk_rows(view.national, L, with_area=False),
            hide_index=True,
            width="stretch",
            key="risk-national",
        )
        st.caption(t("risks.national.caption", L))
        _national_risk_notes(url)

    _trend(view, facts["example"])


page()
