"""The area page's outlook beside its key figures: the pace now against the pace needed to finish
by the roadmap's end, the projected dates of all and of the critical measures, and the status
(``views.outlook``); the progress chart draws the same projection."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sotedata.domain.i18n import t
from sotedata.store.snapshot import DataVersion
from sotedata.views import outlook
from ui.national_support import outlook_view


def outlook_figures(url: str, version: DataVersion, code: str, as_of: date, lang: str) -> None:
    """One row of four figures, with the status's reasons in words under them."""
    view = outlook_view(url, version, as_of)
    figures = outlook.area_figures(view, code, lang)
    if not figures:
        return
    st.subheader(t("outlook.area.heading", lang))
    for column, (label, value) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, value)
    st.caption(" ".join(r.message(lang) for r in view.outlook.reasons.get(code, ())))


def projection(url: str, version: DataVersion, code: str, as_of: date) -> pd.DataFrame:
    """The area's projected done share for the progress chart (``outlook.projection_series``),
    from the outlook the page and the national page share."""
    return outlook.projection_series(outlook_view(url, version, as_of), code)
