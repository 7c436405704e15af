"""Two sections of the area page, drawn by the area page (pages/area.py) where it wants them:
the area's municipalities on a small map, and what changed since the comparison date.

Thin views: the figures come from :mod:`sotedata.rules.changes`, the wording from
:mod:`sotedata.views.changes`, the map from :mod:`sotedata.views.municipal_map`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sotedata.charts import image as chart_export
from sotedata.domain import areas, municipalities
from sotedata.domain.i18n import fmt_number, t
from sotedata.domain.settings import load_settings
from sotedata.geo import chain as geo
from sotedata.rules import changes, metrics
from sotedata.store.snapshot import DataVersion
from sotedata.views import changes as changes_view
from sotedata.views.municipal_map import municipality_map
from ui import common


@st.cache_resource(show_spinner=False)
def _municipality_boundaries() -> geo.MunicipalityBoundaries | None:
    return geo.load_municipality_boundaries(load_settings())


def municipalities_section(
    area_code: str,
    lang: str | None = None,
    *,
    as_of: date | None = None,
    example: bool = False,
) -> None:
    """The area's municipalities: a small map named on hover when boundaries are available
    (every one of the area's municipalities must be in them), else a table and why no map.
    The names are always written out as well (the map's text equivalent). With ``as_of`` the
    map also downloads as an image dated so."""
    lang = lang or common.lang()
    members = municipalities.of_area(area_code)
    st.header(t("municipalities.heading", lang))
    if not members:
        st.caption(t("municipalities.none", lang))
        return
    names = ", ".join(m.name(lang) for m in members)
    sentence = t(
        "municipalities.sentence",
        lang,
        area=areas.get(area_code).short(lang),
        count=fmt_number(len(members), 0, lang),
        names=names,
    )
    boundaries = _municipality_boundaries()
    features = boundaries.of_area(area_code) if boundaries is not None else []
    complete = {f["code"] for f in features} >= {m.code for m in members}
    if boundaries is not None and complete:
        chart = municipality_map(
            features,
            title=t("municipalities.map_title", lang, area=areas.get(area_code).short(lang)),
            attribution=chart_export.credit(boundaries.attribution, lang),
            lang=lang,
        )
        common.chart(chart, alt=sentence, key=f"municipalities-{area_code}")
        st.caption(sentence)
        if as_of is not None:
            common.chart_downloads(
                chart,
                t("municipalities.map_title", lang, area=areas.get(area_code).short(lang)),
                as_of=as_of,
                example=example,
                key=f"img-municipalities-{area_code}",
                attribution=chart_export.credit(boundaries.attribution, lang),
            )
        return
    reason = (
        "municipalities.no_map.incomplete" if boundaries is not None else ("municipalities.no_map")
    )
    st.dataframe(
        [
            {
                t("municipalities.col.code", lang): m.code,
                t("municipalities.col.name_fi", lang): m.name_fi,
                t("municipalities.col.name_sv", lang): m.name_sv,
            }
            for m in members
        ],
        hide_index=True,
        width="content",
        height=35 * (len(members) + 1) + 3,  # every municipality, no scroll bar of its own
        key=f"municipality-table-{area_code}",
    )
    st.caption(sentence)
    st.caption(t(reason, lang))


@st.cache_data(show_spinner=False, max_entries=32)
def _changes(
    url: str,
    version: DataVersion,
    area_code: str,
    as_of: date,
    since: date,
    lang: str,
    _frames: metrics.Frames,
) -> tuple[str, pd.DataFrame | None, pd.DataFrame | None]:
    """The sentence and the two change tables (None: nothing changed), computed once per data
    version, area and pair of dates: a warm rerun recomputed them every time. ``_frames`` (not
    part of the key) is what the page read for exactly these dates and this data version."""
    moves = changes.status_changes(_frames, since, as_of, area_code)
    risks = changes.risk_changes(_frames, since, as_of, area_code)
    sentence = changes_view.changes_sentence(moves, risks, since, as_of, lang)
    moved = None if moves.empty else changes_view.status_change_table(moves, _frames, lang)
    rated = None if risks.empty else changes_view.risk_change_table(risks, lang)
    return sentence, moved, rated


def changes_section(
    frames: metrics.Frames,
    area_code: str,
    as_of: date,
    since: date | None,
    lang: str | None = None,
    *,
    url: str | None = None,
) -> None:
    """What changed in the area between ``since`` and ``as_of``: status moves from → to, new and
    re-rated risks, as tables, with their counts in a sentence. ``since`` None (the first
    reporting date) says there is nothing to compare with. ``frames`` are those of ``url`` (the
    app's database unless told) on these dates: the result is kept per data version."""
    lang = lang or common.lang()
    st.header(t("changes.heading", lang))
    if since is None:
        st.info(t("changes.no_since", lang))
        return
    if since >= as_of:
        st.info(t("changes.since_not_before", lang))
        return
    url = url or common.database_url()
    sentence, moves, risks = _changes(
        url, common.data_version(url), area_code, as_of, since, lang, frames
    )
    st.markdown(sentence)
    st.markdown(f"**{t('changes.status_heading', lang)}**")
    if moves is None:
        st.caption(t("changes.no_moves", lang))
    else:
        st.dataframe(
            moves,
            hide_index=True,
            width="stretch",
            key=f"status-changes-{area_code}",
        )
    st.markdown(f"**{t('changes.risk_heading', lang)}**")
    if risks is None:
        st.caption(t("changes.no_risk_changes", lang))
    else:
        st.dataframe(
            risks,
            hide_index=True,
            width="stretch",
            key=f"risk-changes-{area_code}",
        )
    st.caption(t("changes.closed_note", lang))
