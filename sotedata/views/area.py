"""One area's page as data: the key figures beside the national median, the comparison date and
the measures table with its filters.

Built from ``metrics.Frames`` and dates without Streamlit, so the page only reads its URL and
widgets and draws, and the tests check each table. The progress bars, timeline and progress
lines are in ``area_progress``; the risk register and matrix in ``area_risks``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..domain.i18n import fmt_number, t
from ..domain.model import Status, WorkStream
from ..rules import metrics
from .national import format_value

#: the key figures of the header, in order, with the metric kind
KEY_FIGURES: tuple[str, ...] = (
    "done_share",
    "started_share",
    "critical_done_share",
    "overdue",
    "high_risks",
)
STATUS_ORDER: tuple[str, ...] = (
    Status.DONE.value,
    Status.IN_PROGRESS.value,
    Status.DELAYED.value,
    Status.NOT_STARTED.value,
    Status.NOT_APPLICABLE.value,
)


@dataclass(frozen=True)
class KeyFigure:
    metric: str
    label: str
    value: float | None
    value_text: str
    median: float | None
    median_text: str
    delta_text: str | None  # difference to the median, signed, in the metric's unit
    delta_sign: int = 0  # -1, 0 or 1: the page shows no arrow for "same as the median"
    change_text: str | None = None  # change since the comparison date, signed ("+5 %-yks.")
    change_sign: int = 0


def _delta(
    value: float | None, median: float | None, kind: str, lang: str | None
) -> tuple[str | None, int]:
    """The difference to the median as text ("+3 %-yks.", "-2", "±0") and its sign."""
    if value is None or median is None or pd.isna(value) or pd.isna(median):
        return None, 0
    delta = float(value) - float(median)
    amount = round(delta * 100) if kind == "share" else round(delta)
    sign = (amount > 0) - (amount < 0)
    prefix = {1: "+", 0: "±", -1: "-"}[sign]
    number = fmt_number(abs(amount), lang=lang)
    if kind == "share":
        return t("area.delta_points", lang, sign=prefix, value=number), sign
    return f"{prefix}{number}", sign


def key_figures(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    *,
    since: date | None = None,
    lang: str | None = None,
) -> tuple[list[KeyFigure], dict[str, float | None]]:
    """The header's figures beside the national median, each with its change since ``since``
    (when given), and the values on ``since`` by metric."""
    table = metrics.area_metrics(frames.measures, frames.reports, frames.risks, as_of)
    medians = metrics.national_medians(table)
    row = table.set_index("code").loc[code]
    then = None
    if since is not None:
        before = metrics.area_metrics(frames.measures, frames.reports, frames.risks, since)
        then = before.set_index("code").loc[code]
    figures = []
    figures_since: dict[str, float | None] = {}
    for metric in KEY_FIGURES:
        kind = metrics.METRICS[metric]["kind"]
        value = None if pd.isna(row[metric]) else float(row[metric])
        median = medians.get(metric)
        delta_text, delta_sign = _delta(value, median, kind, lang)
        change_text, change_sign = None, 0
        if then is not None:
            previous = None if pd.isna(then[metric]) else float(then[metric])
            figures_since[metric] = previous
            change_text, change_sign = _delta(value, previous, kind, lang)
        figures.append(
            KeyFigure(
                metric=metric,
                label=t(f"metric.{metric}", lang),
                value=value,
                value_text=format_value(value, kind, lang),
                median=median,
                median_text=format_value(median, kind, lang),
                delta_text=delta_text,
                delta_sign=delta_sign,
                change_text=change_text,
                change_sign=change_sign,
            )
        )
    return figures, figures_since


# --- comparison date --------------------------------------------------------------------------


def comparison_dates(dates: Iterable[date], as_of: date) -> list[date]:
    """The reporting dates a comparison can be made with: those before ``as_of``, newest first."""
    return sorted({d for d in dates if d < as_of}, reverse=True)


# --- measures table ---------------------------------------------------------------------------

#: columns of the measures table, in display order (labels: ``area.col.<name>``)
#: (what a meeting reads first comes first: on a laptop the last columns need scrolling)
MEASURE_TABLE_COLUMNS: tuple[str, ...] = (
    "flag",
    "measure_id",
    "name",
    "status_label",
    "deadline",
    "critical",
    "reported_on",
    "phase_label",
    "work_stream_label",
    "comment",
)


def work_stream_names(work_streams: Sequence[WorkStream], lang: str | None) -> dict[str, str]:
    return {w.key: w.name(lang) for w in work_streams}


def measure_flag(overdue: bool, critical: bool, status: str, lang: str | None) -> str:
    """The text that makes a row stand out without relying on colour."""
    if overdue and critical:
        return t("area.flag.overdue_critical", lang)
    if overdue:
        return t("area.flag.overdue", lang)
    if critical and status == Status.DELAYED.value:
        return t("area.flag.delayed_critical", lang)
    return ""


def area_measures(
    frames: metrics.Frames, code: str, as_of: date, *, lang: str | None = None
) -> pd.DataFrame:
    """Every measure of the roadmap with the area's status on ``as_of``, in roadmap order.

    Columns: measure_id, name, phase, phase_label, work_stream, work_stream_label, critical,
    deadline, status, status_label, reported_on, comment, overdue, flag (text, empty when the row
    needs no attention). Overdue is ``metrics.is_overdue``.
    """
    statuses = metrics.status_as_of(frames.measures, frames.reports, as_of, [code])
    table = frames.measures[["measure_id", "name"]].merge(
        statuses.drop(columns="area_code"), on="measure_id", how="left"
    )
    streams = work_stream_names(frames.work_streams, lang)
    table["phase_label"] = [t(f"phase.{int(p)}", lang) for p in table["phase"]]
    table["work_stream_label"] = [streams.get(w, w) for w in table["work_stream"]]
    table["status_label"] = [t(f"status.{s}", lang) for s in table["status"]]
    table["overdue"] = metrics.is_overdue(table["status"], table["deadline"], as_of).astype(bool)
    table["flag"] = [
        measure_flag(o, c, s, lang)
        for o, c, s in zip(table["overdue"], table["critical"], table["status"], strict=True)
    ]
    return table[
        [
            "measure_id",
            "name",
            "phase",
            "phase_label",
            "work_stream",
            "work_stream_label",
            "critical",
            "deadline",
            "status",
            "status_label",
            "reported_on",
            "comment",
            "overdue",
            "flag",
        ]
    ]


def filter_area_measures(
    table: pd.DataFrame,
    *,
    phase: int | None = None,
    work_stream: str | None = None,
    statuses: Iterable[str] | None = None,
    critical_only: bool = False,
    overdue_only: bool = False,
    text: str = "",
) -> pd.DataFrame:
    """The rows of ``area_measures`` the page's filters keep.

    ``statuses`` None or empty keeps every status (an empty multiselect means "no filter", not
    "nothing"); ``text`` matches every word, case-insensitively, in the id, name or comment.
    """
    keep = pd.Series(True, index=table.index)
    if phase is not None:
        keep &= table["phase"] == int(phase)
    if work_stream:
        keep &= table["work_stream"] == work_stream
    wanted = set(statuses or ())
    if wanted:
        keep &= table["status"].isin(wanted)
    if critical_only:
        keep &= table["critical"].astype(bool)
    if overdue_only:
        keep &= table["overdue"].astype(bool)
    words = text.casefold().split()
    if words:
        haystack = (
            table["measure_id"].astype(str)
            + " "
            + table["name"].astype(str)
            + " "
            + table["comment"].fillna("").astype(str)
        ).str.casefold()
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
    return table[keep]


def order_for_attention(table: pd.DataFrame) -> pd.DataFrame:
    """Flagged rows first (overdue critical, overdue, delayed critical), roadmap order within."""
    rank = table["flag"].map(lambda f: 0 if f else 1)
    return table.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")
