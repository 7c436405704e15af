"""The national page's section **Tuen tarve**: the areas that need the ministry's support most,
with their reasons and the weights the ranking used (``views.outlook``, ``rules.support``).

Kept apart from pages/national.py so that the page only calls it.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sotedata.domain.i18n import t
from sotedata.store.snapshot import DataVersion
from sotedata.views import outlook
from ui import common

ROW_PX = 35  # st.dataframe's row height


@st.cache_data(show_spinner=False, max_entries=16)
def outlook_view(url: str, version: DataVersion, as_of: date) -> outlook.OutlookView:
    """The outlook of ``as_of``, cached per data version: it reads the latest reports of the
    pace window's few dates (``store.snapshot``), however long the history."""
    return outlook.build_outlook(common.store(url), as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _texts(
    url: str, version: DataVersion, as_of: date, lang: str
) -> tuple[list[str], pd.DataFrame]:
    """The section's lines and its table in ``lang``, formatted once per data version and date:
    every run of the national page wrote them again (a quarter of a warm run's CPU)."""
    view = outlook_view(url, version, as_of)
    return outlook.support_lines(view, lang), outlook.support_frame(view, lang)


def section(url: str, version: DataVersion, as_of: date) -> None:
    """Draw the section: the areas most in need with their reasons, the weights, every area.

    The language is read here, on every run (this module is imported once per process)."""
    L = common.lang()  # noqa: N806 - the pages' name for their language
    st.header(t("outlook.section.heading", L))
    st.caption(t("outlook.section.intro", L))
    lines, frame = _texts(url, version, as_of, L)
    st.markdown("\n".join(lines) if lines else t("outlook.section.none", L))
    st.caption(outlook.weights_sentence(L))
    with st.expander(t("outlook.section.table", L)):
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            height=ROW_PX * (len(frame) + 1) + 3,
            key="national-support",
        )
