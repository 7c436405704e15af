"""Moving between areas on the area page: the area select box, and in meeting mode the
previous / next steps that a keyboard or a presentation clicker drives. The language is passed
in: this module is imported once per server process."""

from __future__ import annotations

from typing import Any

import streamlit as st

from sotedata.charts import meeting
from sotedata.domain import areas
from sotedata.domain.i18n import t


def choose_area(current: str | None, lang: str, container: Any = st) -> None:
    """The area select box; choosing another area opens it (its code in the URL). The box
    follows the URL (a step, the browser's Back, a link) through its state alone, never with a
    default value as well: Streamlit warns, with a stack trace, about a widget given both."""
    choices = [a.code for a in areas.reform_areas()]
    if st.session_state.get("area-choice") != current:
        st.session_state["area-choice"] = current if current in choices else None
    container.selectbox(
        t("area.choose", lang),
        choices,
        index=None,  # no default to conflict with the state (None is Streamlit's "no default")
        placeholder=t("national.open_area.placeholder", lang),
        format_func=lambda c: areas.get(c).short(lang),
        key="area-choice",
        on_change=_chosen,
        # in meeting mode the area's name is the page's title: the label is left to screen readers
        label_visibility="collapsed" if st.session_state.get("esitys", False) else "visible",
    )


def _chosen() -> None:
    """Open the area chosen in the select box (before the page runs again)."""
    chosen = st.session_state.get("area-choice")
    if chosen:
        st.query_params["alue"] = chosen


def _step_to(code: str) -> None:
    """Open another area, keeping the dates, filters and meeting mode of the view."""
    st.query_params["alue"] = code


def steps(code: str, lang: str, left: Any, right: Any) -> None:
    """Meeting mode: previous / next area with → and ← (and PageDown / PageUp, which
    presentation clickers send; those two buttons are hidden by ``ui.common``'s meeting style,
    their keys are what counts), drawn in ``left`` and ``right``: the ends of the row of the
    area and date selectors, so that the page's top takes one row."""
    previous, following = meeting.neighbours(code)
    left.button(
        f"← {areas.get(previous).short(lang)}",
        key="step-prev",
        shortcut="Left",
        on_click=_step_to,
        args=(previous,),
        help=t("area.step.prev", lang),
        width="stretch",
    )
    right.button(
        f"{areas.get(following).short(lang)} →",
        key="step-next",
        shortcut="Right",
        on_click=_step_to,
        args=(following,),
        help=t("area.step.next", lang),
        width="stretch",
    )
    st.button("PageUp", key="step-pgup", shortcut="PageUp", on_click=_step_to, args=(previous,))
    st.button(
        "PageDown", key="step-pgdn", shortcut="PageDown", on_click=_step_to, args=(following,)
    )
