"""The area page's section **Järjestäjät** (issue 20), drawn by the area page where it wants it:
the organisers the area takes over from, its municipalities on the map coloured by organiser
(a choice of service), and the organiser × topic colour table of their handover status.

A thin view: everything comes from :mod:`sotedata.views.organisers`; the municipality
boundaries from the same cached chain as the municipality map.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from sotedata.charts import image as chart_export
from sotedata.domain.i18n import t
from sotedata.domain.settings import load_settings
from sotedata.geo import chain as geo
from sotedata.store.snapshot import DataVersion
from sotedata.views import organisers as organisers_view
from ui import common


@st.cache_resource(show_spinner=False)
def _boundaries() -> geo.MunicipalityBoundaries | None:
    return geo.load_municipality_boundaries(load_settings())


@st.cache_data(show_spinner=False, max_entries=16)
def _view(
    url: str, version: DataVersion, area_code: str, as_of: date | None, lang: str
) -> organisers_view.AreaOrganisers:
    return organisers_view.area_organisers(common.store(url), area_code, as_of, lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _status_spec(
    url: str,
    version: DataVersion,
    area_code: str,
    as_of: date | None,
    example: bool,
    lang: str,
) -> dict:
    """The organiser × topic table's spec, built once per data version (a warm rerun of the area
    page rebuilt and validated it every time: about a quarter of the rerun's CPU)."""
    view = _view(url, version, area_code, as_of, lang)
    return organisers_view.status_chart(view, as_of, example, lang).to_dict()


@st.cache_data(show_spinner=False, max_entries=32)
def _map_spec(
    url: str,
    version: DataVersion,
    area_code: str,
    as_of: date | None,
    service: str,
    example: bool,
    lang: str,
) -> dict | None:
    """The municipality map coloured by organiser of ``service``, or None when the boundaries
    are missing or do not cover the area's municipalities."""
    view = _view(url, version, area_code, as_of, lang)
    boundaries = _boundaries()
    if boundaries is None:
        return None
    features = boundaries.of_area(area_code)
    members = view.members(service, lang)
    if not {f["code"] for f in features} >= set(members["code"]):
        return None
    return organisers_view.map_chart(
        view,
        features,
        service,
        attribution=chart_export.credit(boundaries.attribution, lang),
        example=example,
        lang=lang,
    ).to_dict()


def organisers_section(
    url: str, area_code: str, as_of: date | None, lang: str, *, example: bool = False
) -> None:
    """The section: a sentence, the map by organiser, the status table and its rows."""
    st.header(t("organisers.heading", lang))
    version = common.data_version(url)
    view = _view(url, version, area_code, as_of, lang)
    if not view.organisers:
        st.caption(t("organisers.none_in_area", lang))
        return
    st.caption(organisers_view.sentence(view, lang))
    if view.approximate:  # the registry says where it is not exact (organiser_sources/README)
        st.caption(t("organisers.approximate", lang))
    service = st.selectbox(
        t("organisers.service_choice", lang),
        organisers_view.MAP_SERVICES,
        format_func=lambda key: organisers_view.service_name(key, lang),
        key=f"organisers-service-{area_code}",
    )
    members = view.members(service, lang)
    spec = _map_spec(url, version, area_code, as_of, service, example, lang)
    if spec is not None:
        common.chart(
            spec, alt=organisers_view.sentence(view, lang), key=f"organisers-map-{area_code}"
        )
    st.dataframe(
        members[["code", "municipality", "organiser"]].rename(
            columns={
                "code": t("organisers.col.code", lang),
                "municipality": t("organisers.col.municipality", lang),
                "organiser": t("organisers.col.name", lang),
            }
        ),
        hide_index=True,
        key=f"organisers-members-{area_code}",
    )
    table = _status_spec(url, version, area_code, as_of, example, lang)
    common.chart(
        table, alt=organisers_view.sentence(view, lang), key=f"organisers-table-{area_code}"
    )
    shown = view.status[["organiser", "topic_name", "status_label", "reported_on", "comment"]]
    st.dataframe(
        shown.rename(
            columns={
                "organiser": t("organisers.col.name", lang),
                "topic_name": t("organisers.col.topic", lang),
                "status_label": t("organisers.col.status", lang),
                "reported_on": t("organisers.col.reported_on", lang),
                "comment": t("organisers.col.comment", lang),
            }
        ),
        hide_index=True,
        key=f"organisers-status-{area_code}",
    )
