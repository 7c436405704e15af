"""One area's page as data: its name, key figures beside the national median, and counts by phase.

Kept small on purpose (the full drill-down is its own issue); the page only draws what this builds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from . import areas, charts, metrics
from .i18n import fmt_number, t
from .model import Status
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


@dataclass
class AreaView:
    area: areas.Area
    as_of: date
    figures: list[KeyFigure]
    phase_counts: pd.DataFrame  # phase, phase_label, status, status_label, count
    phase_chart: alt.TopLevelMixin


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


def build_area_view(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    *,
    lang: str | None = None,
    status_order: Sequence[str] = STATUS_ORDER,
) -> AreaView:
    """Key figures against the national median and the area's measures by phase and status."""
    area = areas.get(code)
    table = metrics.area_metrics(frames.measures, frames.reports, frames.risks, as_of)
    medians = metrics.national_medians(table)
    row = table.set_index("code").loc[code]
    figures = []
    for metric in KEY_FIGURES:
        kind = metrics.METRICS[metric]["kind"]
        value = None if pd.isna(row[metric]) else float(row[metric])
        median = medians.get(metric)
        delta_text, delta_sign = _delta(value, median, kind, lang)
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
            )
        )
    counts = metrics.phase_status_counts(frames.measures, frames.reports, code, as_of).copy()
    counts["phase_label"] = [t(f"phase.{int(p)}", lang) for p in counts["phase"]]
    counts["status"] = counts["status"].astype(str)
    counts["status_label"] = [t(f"status.{s}", lang) for s in counts["status"]]
    chart = charts.phase_status_bars(counts, status_order=status_order, lang=lang)
    return AreaView(area=area, as_of=as_of, figures=figures, phase_counts=counts, phase_chart=chart)


def phase_table(view: AreaView, lang: str | None = None) -> pd.DataFrame:
    """The phase × status counts as a plain table (the chart's text equivalent)."""
    wide = view.phase_counts.pivot_table(
        index="phase_label", columns="status_label", values="count", aggfunc="sum", fill_value=0
    )
    wide.index.name = t("area.phase", lang)
    wide.columns.name = None
    return wide.reset_index()
