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
    """The area select box; choosing another area opens it (its code in the URL)."""
    choices = [a.code for a in areas.reform_areas()]
    chosen = container.selectbox(
        t("area.choose", lang),
        choices,
        index=choices.index(current) if current in choices else None,
        placeholder=t("national.open_area.placeholder", lang),
        format_func=lambda c: areas.get(c).short(lang),
        key="area-choice",
    )
    if chosen and chosen != current:
        st.query_params["alue"] = chosen
        st.rerun()


def _step_to(code: str) -> None:
    """Open another area, keeping the dates, filters and meeting mode of the view."""
    st.query_params["alue"] = code
    st.session_state["area-choice"] = code  # or the select box would take the page back


def steps(code: str, lang: str) -> None:
    """Meeting mode: previous / next area with → and ← (and PageDown / PageUp, which
    presentation clickers send; those two buttons are hidden, their keys are what counts)."""
    previous, following = meeting.neighbours(code)
    left, _, right = st.columns([1.6, 2, 1.6])
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
    st.html("<style>.st-key-step-pgup, .st-key-step-pgdn { display: none; }</style>")
