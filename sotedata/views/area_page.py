"""Everything the area page draws for one area, as-of date and comparison date, built at once.

The page's filters (phase, work stream, status, text, risk cell) do not change any of this, so the
page caches one ``AreaPage`` per (area, as-of, comparison) and a filter click only filters the
table: building the charts took about two seconds a rerun. Charts are kept as Vega-Lite specs
(plain dicts, cheap to cache and to send) rather than Altair objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..charts import area as area_charts
from ..charts import progress as progress_charts
from ..domain import areas
from ..domain.i18n import t
from ..rules import metrics
from ..rules.notes import notes_sentence, timeline_notes
from ..rules.progress import KeyDate
from . import area as av
from . import area_progress as ap
from . import area_risks as ar
from .outlook import area_projection


@dataclass(frozen=True)
class AreaPage:
    area_code: str
    as_of: date
    since: date | None
    figures: list[av.KeyFigure]
    measures: pd.DataFrame  # area_view.area_measures
    timeline: dict[str, Any]
    timeline_sentence: str
    key_dates: list[KeyDate]
    by_phase: pd.DataFrame  # area_view.progress_counts per phase
    by_stream: pd.DataFrame  # … per work stream
    phase_bars: dict[str, Any]
    stream_bars: dict[str, Any]
    phase_sentence: str
    stream_sentence: str
    risks: pd.DataFrame  # area_view.risk_register
    risk_cells: pd.DataFrame  # area_view.risk_matrix_counts
    risk_matrix: dict[str, Any] | None  # None when the area has no risks
    progress: pd.DataFrame  # area_view.progress_series
    progress_lines: dict[str, Any] | None  # None when there is no reporting date yet
    progress_sentence: str
    reported: bool  # the area has a report on or before the as-of date


def build_area_page(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    since: date | None,
    dates: list[date],
    *,
    lang: str | None = None,
    notes: pd.DataFrame | None = None,
    summary: Sequence[tuple] | None = None,
    projection: pd.DataFrame | None = None,
) -> AreaPage:
    """The area page's figures, tables and chart specs (``dates``: the reporting dates; the
    progress lines use those up to ``as_of``; ``notes``: the area's notes (``store.notes()``
    rows) to mark on the timeline). ``summary``: the store's per-date summary
    (``Store.status_summary``), from which the progress lines come, so that ``frames`` need only
    hold the as-of and comparison dates' reports (``metrics.frames_on``); without it they come
    from the whole history in ``frames``. ``projection``: the area's projected done share
    (``outlook.projection_series``), drawn on the progress lines; computed from ``frames`` when
    they hold the whole history."""
    area = areas.get(code)
    figures, _since_values = av.key_figures(frames, code, as_of, since=since, lang=lang)
    table = av.area_measures(frames, code, as_of, lang=lang)
    milestones = ap.key_dates(frames.phases, lang)
    timeline = area_charts.phase_timeline(
        ap.phase_ranges(frames.phases, lang),
        ap.timeline_points(table, lang),
        milestones,
        as_of,
        lang=lang,
        notes=None if notes is None else timeline_notes(notes, lang),
    )
    by_phase, by_stream, phase_bars, stream_bars = _progress_groups(frames, table, lang)
    register = ar.risk_register(frames.risks, code, as_of, since, lang)
    cells = ar.risk_matrix_counts(register)
    matrix = None if register.empty else area_charts.risk_matrix(cells, lang=lang).to_dict()
    series, lines = _progress_lines(
        frames, code, as_of, dates, lang=lang, summary=summary, projection=projection
    )
    return AreaPage(
        area_code=code,
        as_of=as_of,
        since=since,
        figures=figures,
        measures=table,
        timeline=timeline.to_dict(),
        timeline_sentence=ap.timeline_sentence(table, as_of, lang)
        + ("" if notes is None or notes.empty else " " + notes_sentence(notes, lang)),
        key_dates=milestones,
        by_phase=by_phase,
        by_stream=by_stream,
        phase_bars=phase_bars.to_dict(),
        stream_bars=stream_bars.to_dict(),
        phase_sentence=ap.progress_sentence_by_group(by_phase, lang),
        stream_sentence=ap.progress_sentence_by_group(by_stream, lang),
        risks=register,
        risk_cells=cells,
        risk_matrix=matrix,
        progress=series,
        progress_lines=lines,
        progress_sentence=ap.progress_sentence(series, area.short(lang), lang),
        reported=_reported(frames, code, as_of),
    )


def _progress_groups(
    frames: metrics.Frames, table: pd.DataFrame, lang: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, Any, Any]:
    """The progress counts per phase and per work stream and their bar charts: one piece, because
    the two bar charts are the same chart over two groupings (kept apart from
    ``build_area_page`` to hold it under the project's 80-line limit)."""
    phases = [p.number for p in sorted(frames.phases, key=lambda p: p.number)]
    by_phase = ap.progress_counts(
        table, "phase", order=phases, labels=[t(f"phase.{n}", lang) for n in phases]
    )
    names = av.work_stream_names(frames.work_streams, lang)
    streams = list(names)
    by_stream = ap.progress_counts(
        table, "work_stream", order=streams, labels=[names[k] for k in streams]
    )
    phase_bars = area_charts.progress_bars(
        by_phase,
        field="phase",
        selection=area_charts.PHASE_SELECTION,
        title=t("area.progress_bars.phase", lang),
        lang=lang,
    )
    stream_bars = area_charts.progress_bars(
        by_stream,
        field="work_stream",
        selection=area_charts.STREAM_SELECTION,
        title=t("area.progress_bars.stream", lang),
        lang=lang,
    )
    return by_phase, by_stream, phase_bars, stream_bars


def _progress_lines(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    dates: list[date],
    *,
    lang: str | None,
    summary: Sequence[tuple] | None,
    projection: pd.DataFrame | None,
) -> tuple[pd.DataFrame, dict[str, Any] | None]:
    """The area's progress series up to ``as_of`` and its line chart spec (None when there is no
    reporting date yet). The series comes from the store's summary when the page has one, else
    from the whole history in ``frames``; only then can the projection be computed here."""
    area = areas.get(code)
    shown = [d for d in dates if d <= as_of]
    series = ap.area_series(frames, code, shown, summary)
    lines = None
    if not series.empty:
        if projection is None and summary is None:  # frames hold the whole history
            projection = area_projection(frames, dates, as_of, code)
        chart = progress_charts.progress_lines(
            series, area_label=area.short(lang), lang=lang, projection=projection
        )
        lines = chart.to_dict()
    return series, lines


def _reported(frames: metrics.Frames, code: str, as_of: date) -> bool:
    """Whether the area has a report on or before ``as_of`` (the page says "not reported yet"
    rather than drawing empty charts)."""
    return bool(
        (
            (frames.reports["area_code"] == code)
            & (pd.to_datetime(frames.reports["reported_on"]) <= pd.Timestamp(as_of))
        ).any()
    )
