"""The area page's upper sections: the key figures, the roadmap (timeline and progress bars,
whose clicks set the measures table's filters) and the progress over time, with each chart's
image downloads. The language is passed in: this module is imported once per server process."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sotedata.charts import area as area_charts
from sotedata.charts import meeting
from sotedata.domain import areas
from sotedata.domain.i18n import fmt_date, fmt_number, t
from sotedata.views import area as av
from sotedata.views import area_progress as ap
from sotedata.views.area_page import AreaPage
from sotedata.views.national import format_value
from ui import common
from ui.area_state import chart_key, follow_chart
from ui.text_safety import plain


def key_figures(figures: list[av.KeyFigure], since_day: date | None, lang: str) -> None:
    """The key figures with their change since the comparison date and the median beside (in
    meeting mode the median alone: the line above the figures says since when)."""
    cols = st.columns(len(figures))
    since = fmt_date(since_day, lang) if since_day else "–"
    caption = "area.median_caption" if common.presenting() else "area.change_caption"
    for col, figure in zip(cols, figures, strict=True):
        col.metric(
            figure.label,
            figure.value_text,
            delta=figure.change_text,
            delta_color="off",
            delta_arrow="auto" if figure.change_sign else "off",
            help=t(
                "area.change_help",
                lang,
                since=since,
                change=figure.change_text or "–",
                median=figure.median_text,
                delta=figure.delta_text or "–",
            ),
        )
        col.caption(t(caption, lang, median=figure.median_text, since=since))


def images(bundle: AreaPage, spec: dict, title_key: str, key: str, lang: str) -> None:
    """The chart as PNG / SVG, titled with the area's name (drawn only on the click)."""
    area = areas.get(bundle.area_code).short(lang)
    common.chart_downloads(
        spec,
        f"{area}: {t(title_key, lang)}",
        as_of=bundle.as_of,
        example=common.store_facts(common.database_url())["example"],
        key=f"img-{key}",
    )


def _bars(bundle: AreaPage, lang: str) -> None:
    """Progress per phase and per work stream, side by side; a click filters the table."""
    left, right = st.columns(2)
    with left:
        _clickable_bars(bundle, bundle.phase_bars, bundle.phase_sentence, _PHASE, lang)
    with right:
        _clickable_bars(bundle, bundle.stream_bars, bundle.stream_sentence, _STREAM, lang)


#: what each bar chart's click selects and which filter it sets; its download's title and name
_PHASE = (area_charts.PHASE_SELECTION, "phase", "f-phase", "area.progress_bars.phase", "phase-bars")
_STREAM = (
    area_charts.STREAM_SELECTION,
    "work_stream",
    "f-stream",
    "area.progress_bars.stream",
    "stream-bars",
)


def _clickable_bars(
    bundle: AreaPage, spec: dict, sentence: str, wiring: tuple[str, ...], lang: str
) -> None:
    """A progress bar chart whose click filters the measures table, with its downloads."""
    selection, field, target, title_key, file_key = wiring
    event = common.chart(
        spec,
        on_select="rerun",
        selection_mode=selection,
        key=chart_key(selection),
        width="stretch",
        alt=sentence,
    )
    follow_chart(event, selection, field, target)
    images(bundle, spec, title_key, file_key, lang)


@st.cache_data(show_spinner=False, max_entries=128)
def _progress_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``progress_summary`` cached by value: hashing the small counts costs less than the pivot,
    which every rerun paid for a table folded inside an expander."""
    return ap.progress_summary(counts, lang)


def roadmap_section(bundle: AreaPage, lang: str) -> None:
    st.header(t("area.section.roadmap", lang))
    presenting = common.presenting()
    # meeting mode: the timeline fills the screen under the key figures (a box sized by
    # ui.common's meeting style), laid out by Vega at that size with the mode's type
    with st.container(key="fit-phases"):
        event = common.chart(
            meeting.boxed_spec(bundle.timeline) if presenting else bundle.timeline,
            fit=presenting,
            on_select="rerun",
            selection_mode=area_charts.TIMELINE_SELECTION,
            key=chart_key(area_charts.TIMELINE_SELECTION),
            width="stretch",
            alt=bundle.timeline_sentence,
        )
    st.caption(plain(bundle.timeline_sentence))  # it quotes the notes: shown as written
    images(bundle, bundle.timeline, "area.section.roadmap", "timeline", lang)
    follow_chart(event, area_charts.TIMELINE_SELECTION, "phase", "f-phase")
    _bars(bundle, lang)
    st.caption(t("area.progress_bars.hint", lang))
    with st.expander(t("area.progress_bars.text", lang)):
        dates = ", ".join(m.label for m in bundle.key_dates)
        st.write(t("area.timeline.key_dates", lang, dates=plain(dates)))
        undated = int(bundle.measures["deadline"].isna().sum())
        if undated:
            st.write(t("area.timeline.no_deadline", lang, count=fmt_number(undated, lang=lang)))
        st.dataframe(_progress_table(bundle.by_phase, lang), hide_index=True)
        st.dataframe(_progress_table(bundle.by_stream, lang), hide_index=True)


def progress_section(bundle: AreaPage, area: areas.Area, lang: str) -> None:
    st.header(t("area.section.progress", lang))
    series, sentence = bundle.progress, bundle.progress_sentence
    if bundle.progress_lines is None:
        st.info(plain(sentence))
        return
    common.chart(bundle.progress_lines, width="stretch", key="chart-progress", alt=sentence)
    images(bundle, bundle.progress_lines, "area.progress.title", "progress", lang)
    st.caption(plain(sentence))
    with st.expander(t("area.progress.text", lang)):
        names = {
            "area": area.short(lang),
            "median": t("area.progress.median", lang),
            "plan": t("area.progress.plan", lang),
        }
        wide = series.pivot(index="day", columns="series", values="value").reset_index()
        table = pd.DataFrame(
            {t("area.progress.day", lang): [fmt_date(d, lang) for d in wide["day"]]}
        )
        for key, name in names.items():
            if key in wide:
                table[name] = [format_value(v, "share", lang) for v in wide[key]]
        st.dataframe(table, hide_index=True)
