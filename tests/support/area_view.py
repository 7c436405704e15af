"""The area's key figures and phase × status chart as one object, as the area page once drew them.

Only tests use it now (the page draws from ``views.area_page.AreaPage``): it keeps their
checks of the key figures beside the phase chart in one call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import altair as alt
import pandas as pd

from sotedata.charts import base as charts
from sotedata.domain import areas
from sotedata.domain.i18n import t
from sotedata.rules import metrics
from sotedata.views.area import STATUS_ORDER, KeyFigure, key_figures


@dataclass
class AreaView:
    area: areas.Area
    as_of: date
    figures: list[KeyFigure]
    phase_counts: pd.DataFrame  # phase, phase_label, status, status_label, count
    phase_chart: alt.TopLevelMixin
    since: date | None = None
    figures_since: dict[str, float | None] = field(default_factory=dict)


def build_area_view(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    *,
    since: date | None = None,
    lang: str | None = None,
    status_order: Sequence[str] = STATUS_ORDER,
) -> AreaView:
    """Key figures against the national median (and their change since ``since``, when given)
    and the area's measures by phase and status."""
    area = areas.get(code)
    figures, figures_since = key_figures(frames, code, as_of, since=since, lang=lang)
    counts = metrics.phase_status_counts(frames.measures, frames.reports, code, as_of).copy()
    counts["phase_label"] = [t(f"phase.{int(p)}", lang) for p in counts["phase"]]
    counts["status"] = counts["status"].astype(str)
    counts["status_label"] = [t(f"status.{s}", lang) for s in counts["status"]]
    chart = charts.phase_status_bars(counts, status_order=status_order, lang=lang)
    return AreaView(
        area=area,
        as_of=as_of,
        figures=figures,
        phase_counts=counts,
        phase_chart=chart,
        since=since,
        figures_since=figures_since,
    )


def phase_table(view: AreaView, lang: str | None = None) -> pd.DataFrame:
    """The phase × status counts as a plain table (the chart's text equivalent)."""
    wide = view.phase_counts.pivot_table(
        index="phase_label", columns="status_label", values="count", aggfunc="sum", fill_value=0
    )
    wide.index.name = t("area.phase", lang)
    wide.columns.name = None
    return wide.reset_index()
