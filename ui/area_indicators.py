"""Indicators on the pages: the area page's section (the area's indicators beside the national
median, its rank and a small trend) and the municipality map both the national page and that
section draw. Thin views: figures from :mod:`sotedata.views.indicators`, charts from
:mod:`sotedata.charts.indicators` and :mod:`sotedata.views.municipal_map`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sotedata.charts.indicators import sparkline
from sotedata.domain import areas
from sotedata.domain.i18n import t
from sotedata.domain.settings import load_settings
from sotedata.geo import chain as geo
from sotedata.store.snapshot import DataVersion
from sotedata.views import indicators as iv
from sotedata.views.municipal_map import IndicatorMunicipalMap, indicator_municipality_map
from ui import common
from ui.chart_specs import spec
from ui.text_safety import plain


@st.cache_data(show_spinner=False, max_entries=8)
def _frames(url: str, version: DataVersion, lang: str) -> iv.IndicatorFrames:
    """``version`` (the data version) is only part of the cache key: a name without a leading
    underscore, because Streamlit leaves ``_``-parameters out of the key."""
    return iv.load_indicator_frames(common.store(url), lang)


def indicator_frames(url: str | None = None, lang: str | None = None) -> iv.IndicatorFrames:
    """The stored indicators and their current values (with the grants' spent share, named in
    the page language), cached per database, data version and language."""
    url = url or common.database_url()
    return _frames(url, common.data_version(url), lang or common.lang())


@st.cache_data(show_spinner=False, max_entries=64)
def _area_items(
    url: str, version: DataVersion, area_code: str, lang: str
) -> list[tuple[iv.AreaIndicator, dict[str, Any] | None]]:
    """The area's indicators, each with its trend's Vega-Lite dict (none without a value), built
    once per data version, area and language: building and validating the trends was most of
    the area page's rerun, and a click elsewhere on the page changes none of them."""
    frames = _frames(url, version, lang)
    drawn = []
    for item in iv.area_indicators(frames, area_code, lang):
        trend = None
        if len(item.trend.dropna(subset=["value"])) >= 1 and item.period is not None:
            trend = spec(
                sparkline(
                    item.trend,
                    value_title=iv.legend_title(item.meta, lang),
                    decimals=iv.decimals_for(frames.of(item.meta.key)["value"]),
                    lang=lang,
                )
            )
        drawn.append((item, trend))
    return drawn


@st.cache_resource(show_spinner=False)
def municipality_boundaries() -> geo.MunicipalityBoundaries | None:
    return geo.load_municipality_boundaries(load_settings())


@st.cache_data(show_spinner=False, max_entries=64)
def _municipal_drawing(
    url: str,
    version: DataVersion,
    shapes: tuple[str, str, int] | None,
    key: str,
    period: str,
    area_code: str | None,
    example: bool,
    lang: str,
    _frames: iv.IndicatorFrames,
    _boundaries: geo.MunicipalityBoundaries | None,
) -> tuple[IndicatorMunicipalMap, dict[str, Any] | None]:
    """The municipal map and its chart's Vega-Lite dict, once per data version, boundaries and
    choice (the frames are this version's indicators in ``lang`` and ``shapes`` names the
    boundaries, so neither is hashed whole): with boundaries, its 309 municipalities were built
    and validated again on every click."""
    drawn = indicator_municipality_map(
        _frames,
        key,
        period,
        _boundaries,
        area_code=area_code,
        example=example,
        lang=lang,
    )
    return drawn, None if drawn.chart is None else spec(drawn.chart)


def municipal_map(
    frames: iv.IndicatorFrames,
    key: str,
    period: str,
    lang: str,
    *,
    area_code: str | None = None,
    example: bool = False,
    chart_key: str,
) -> None:
    """An indicator's municipal values on a map (the whole country, or one area), its table as
    the text equivalent; without boundaries the table alone, and why."""
    url = common.database_url()
    boundaries = municipality_boundaries()
    shapes = (
        None
        if boundaries is None
        else (boundaries.source, boundaries.detail, len(boundaries.features))
    )
    drawn, chart = _municipal_drawing(
        url,
        common.data_version(url),
        shapes,
        key,
        period,
        area_code,
        example,
        lang,
        frames,
        boundaries,
    )
    if drawn.values.empty:
        st.caption(t("indicators.no_municipal_values", lang, period=plain(period)))
        return
    if chart is not None:
        summary = t(
            "indicators.municipal_summary",
            lang,
            title=drawn.title,
            period=period,
            count=len(drawn.values),
        )
        # beside each other: Streamlit stretches a chart to its column, so the map keeps its size
        left, right = st.columns([1.2, 1], gap="large")
        with left:
            common.chart(chart, alt=summary, key=chart_key)
        with right:
            st.caption(plain(summary))
            st.dataframe(drawn.table, hide_index=True, width="stretch", height=480)
        return
    st.caption(t(drawn.reason or "indicators.no_boundaries", lang))
    st.markdown(f"**{plain(drawn.title)}** · {plain(iv.period_label(period, lang))}")
    st.dataframe(drawn.table, hide_index=True, width="stretch", height=320)


def indicators_section(area_code: str, lang: str | None = None, *, example: bool = False) -> None:
    """The area's indicators: for each, the latest value with its unit and period, the national
    median of the 22 areas and the area's rank (1 = the highest value), a small trend against the
    median, and its source; then the municipal values of those that have them."""
    lang = lang or common.lang()
    url = common.database_url()
    area = areas.get(area_code)
    st.header(t("indicators.area.heading", lang))
    drawn = _area_items(url, common.data_version(url), area_code, lang)
    items = [item for item, _trend in drawn]
    if not items:
        st.caption(t("indicators.area.none", lang))
        return
    st.caption(t("indicators.area.intro", lang))
    for item, trend_spec in drawn:
        with st.container(border=True):
            text, trend = st.columns([3, 2], vertical_alignment="center")
            sentence = iv.area_sentence(item, area.short(lang), lang)
            with text:
                st.markdown(f"**{plain(item.meta.name)}**")
                if item.period is not None:
                    figures = st.columns(3)
                    figures[0].metric(
                        t("indicators.area.value", lang, period=plain(item.period)),
                        plain(item.label),
                        help=plain(item.meta.unit) or None,
                    )
                    figures[1].metric(t("indicators.area.median", lang), plain(item.median_label))
                    figures[2].metric(
                        t("indicators.area.rank", lang), iv.rank_text(item, lang, short=True)
                    )
                st.caption(plain(sentence))
                st.caption(plain(item.source))
            with trend:
                if trend_spec is not None:
                    common.chart(
                        trend_spec,
                        alt=t("indicators.trend.alt", lang, sentence=sentence),
                        key=f"trend-{area_code}-{item.meta.key}",
                    )
                    st.caption(t("indicators.trend.caption", lang))
    municipal = [item for item in items if item.municipal_period]
    if municipal:
        _municipal_choice(municipal, area_code, lang, example)


def _municipal_choice(
    municipal: list[iv.AreaIndicator], area_code: str, lang: str, example: bool
) -> None:
    """The municipal values of the indicator chosen, on the area's map: a fragment, so that
    choosing another indicator reruns only this part of the page (guarded like a page: a
    fragment's own rerun runs outside the page function)."""

    @st.fragment
    @common.guarded
    def choice() -> None:
        area = areas.get(area_code)
        heading = t("indicators.area.municipal_heading", lang, area=area.short(lang))
        st.markdown(f"**{heading}**")
        names = {item.meta.key: item.meta.name for item in municipal}
        chosen = st.selectbox(
            t("indicators.area.municipal_choice", lang),
            list(names),
            format_func=names.__getitem__,
            key=f"indicator-municipal-{area_code}",
        )
        item = next(i for i in municipal if i.meta.key == chosen)
        municipal_map(
            indicator_frames(lang=lang),
            item.meta.key,
            item.municipal_period or "",
            lang,
            area_code=area_code,
            example=example,
            chart_key=f"indicator-municipal-map-{area_code}",
        )

    choice()
