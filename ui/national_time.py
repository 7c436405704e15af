"""The national page through time, as Grapher does it: a slider over the reporting dates, and a
play button that steps through them at a readable pace.

Playing is one fragment that reruns itself every ``PLAY_SECONDS`` (``st.fragment(run_every=…)``):
the run that drew a date only remembers it, the fragment's own next run moves the slider to the
following date and reruns the whole page, which draws it. So a date stays on the screen for
``PLAY_SECONDS`` after it was drawn, however long the drawing took, and stopping is simply not
calling the fragment. The language is passed in: this module is imported once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import streamlit as st

from sotedata.domain.i18n import fmt_date, t

#: the slider's widget key: the as-of date the page shows
KEY = "as_of"
#: seconds a date stays on the screen while playing: long enough to read the map and the bars
PLAY_SECONDS = 2.5
_PLAYING = "play-on"
_NEXT = "play-next"
_SHOWN = "play-shown"
_SEEN = "as_of-seen"


def date_slider(
    container: Any, options: Sequence[date], from_url: date, lang: str, *, collapsed: bool
) -> date:
    """The as-of date as a slider over ``options`` (oldest first). It starts from the URL's date,
    and follows the URL when the URL changed without it (the browser's Back); while playing, it
    takes the date the player chose."""
    if st.session_state.get(_SEEN) != from_url or st.session_state.get(KEY) not in options:
        st.session_state[KEY] = from_url
    following = st.session_state.pop(_NEXT, None)
    if following in options:
        st.session_state[KEY] = following
    chosen = container.select_slider(
        t("national.as_of", lang),
        options=list(options),
        format_func=lambda d: fmt_date(d, lang),
        key=KEY,
        label_visibility="collapsed" if collapsed else "visible",
    )
    st.session_state[_SEEN] = chosen
    return chosen


def _toggle(options: tuple[date, ...]) -> None:
    """Start or stop; starting at the last date starts again from the first."""
    playing = not st.session_state.get(_PLAYING, False)
    st.session_state[_PLAYING] = playing
    st.session_state.pop(_SHOWN, None)
    if playing and options and st.session_state.get(KEY) == options[-1]:
        st.session_state[_NEXT] = options[0]


def play_button(container: Any, options: Sequence[date], lang: str) -> None:
    """▶ plays the reporting dates from the one shown, ⏸ stops."""
    playing = st.session_state.get(_PLAYING, False)
    container.button(
        t("meeting.pause" if playing else "meeting.play", lang),
        icon=":material/pause:" if playing else ":material/play_arrow:",
        help=t("meeting.play.help", lang, seconds=fmt_seconds(PLAY_SECONDS, lang)),
        key="play",
        on_click=_toggle,
        args=(tuple(options),),
    )


def fmt_seconds(seconds: float, lang: str) -> str:
    """2.5 → "2,5" in Finnish and Swedish, "2.5" in English."""
    text = f"{seconds:g}"
    return text if lang == "en" else text.replace(".", ",")


def _step(shown: date, options: tuple[date, ...]) -> None:
    """The player's beat: remember the date the page has drawn; one beat later move on to the
    next date (the whole page reruns), and stop after the last one."""
    if st.session_state.get(_SHOWN) != shown:
        st.session_state[_SHOWN] = shown
        return
    later = [day for day in options if day > shown]
    if later:
        st.session_state[_NEXT] = later[0]
    else:
        st.session_state[_PLAYING] = False
    st.rerun(scope="app")


_beat = st.fragment(_step, run_every=PLAY_SECONDS)


def player(shown: date, options: Sequence[date]) -> None:
    """While playing, keep stepping: drawn last on the page, so a beat starts once the page is."""
    if st.session_state.get(_PLAYING, False):
        _beat(shown, tuple(options))
