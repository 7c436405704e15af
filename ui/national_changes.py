"""The national page's bottom section: which areas moved most since the comparison date.

Kept apart from pages/national.py so that the national page only calls it. The comparison date
is in the URL as ``vrt`` (left out when it is the default, the reporting date before the as-of
date), like the area page's, so that a link sent after a meeting shows the same list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
import streamlit as st

from sotedata.domain.i18n import fmt_date, t
from sotedata.rules import changes
from sotedata.store.snapshot import DataVersion
from sotedata.views import changes as changes_view
from ui import common

PARAM = changes_view.SINCE_PARAM
ROW_PX = 35  # st.dataframe's row height


@st.cache_data(show_spinner=False, max_entries=32)
def _areas_moved(url: str, version: DataVersion, since: date, as_of: date) -> pd.DataFrame:
    """Cached per data version and dates: the list costs four status grids, about a second on
    the example data, and the national page reruns on every click. It reads the two dates'
    latest reports only (``common.frames_on``), however long the history."""
    return changes.areas_moved(common.frames_on(url, version, (since, as_of)), since, as_of)


def section(
    url: str,
    version: DataVersion,
    dates: Sequence[date],
    as_of: date,
    query: Mapping[str, str | None],
) -> None:
    """Draw the section; writes ``vrt`` back into the URL when it is not the default.

    The language is read here, on every run: this module is imported once per server process,
    so a module-level language would be the first reader's for everyone after."""
    L = common.lang()  # noqa: N806 - the pages' name for their language
    st.header(t("changes.heading", L))
    st.caption(t("changes.national.intro", L))
    requested, issues = changes_view.comparison_from_query(query.get(PARAM), dates, as_of)
    common.show_issues(issues)
    default = changes.default_since(dates, as_of)
    options = sorted({d for d in dates if d < as_of} | ({requested} if requested else set()))
    options.reverse()
    if requested is None or not options:
        st.info(t("changes.no_since", L))
        return
    since = st.columns([1, 3])[0].selectbox(
        t("changes.compare_date", L),
        options,
        index=options.index(requested),
        format_func=lambda d: fmt_date(d, L),
        key=f"{PARAM}-{as_of.isoformat()}",
    )
    if since != default:
        st.query_params[PARAM] = since.isoformat()
    elif PARAM in st.query_params:
        del st.query_params[PARAM]
    moved = _areas_moved(url, version, since, as_of)
    st.markdown(changes_view.areas_moved_sentence(moved, since, as_of, L))
    st.dataframe(
        changes_view.areas_moved_table(moved, L),
        hide_index=True,
        width="stretch",
        height=ROW_PX * (len(moved) + 1) + 3,  # all 22 areas without a scroll bar of its own
        key="national-changes",
    )
