"""The national page's area × work stream colour table (the ministry's monthly table of the share
done), as the view builds it: the cells with their names and values in words, and the colour
classes that still tell the areas apart on the latest date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

import altair as alt
import pandas as pd

from ..charts import national as charts
from ..domain import areas
from ..domain.i18n import fmt_percent, t
from ..rules import metrics
from .metric_sources import format_value


class TableFilters(Protocol):
    """The view's filters the table follows (``NationalParams`` has them)."""

    phase: int | None
    critical_only: bool


def workstream_chart(
    frames: metrics.Frames,
    as_of: date,
    params: TableFilters,
    values: pd.DataFrame,
    lang: str | None,
) -> alt.TopLevelMixin:
    """The area × work stream colour table of the share done (the ministry's monthly table)."""
    long = metrics.area_workstream_table(
        frames.measures,
        frames.reports,
        as_of,
        metric="done_share",
        phase=params.phase,
        critical_only=params.critical_only,
    )
    names = {ws.key: ws.name(lang) for ws in frames.work_streams}
    registry = areas.by_code()
    long = long.copy()
    long["code"] = long["code"].astype(str)
    long["short"] = [registry[c].short(lang) for c in long["code"]]
    long["name"] = [registry[c].name(lang) for c in long["code"]]
    long["work_stream"] = long["work_stream"].map(names).fillna(long["work_stream"])
    long["label"] = [format_value(v, "share", lang) for v in long["value"]]
    area_order = values.sort_values("code")["short"].tolist()
    floors, quartiles = charts.table_classes(long["value"])
    return charts.workstream_table(
        long,
        metric_label=t("metric.done_share", lang),
        work_stream_order=list(names.values()),
        area_order=area_order,
        floors=floors,
        legend=quartile_legend(floors, lang) if quartiles else None,
        lang=lang,
    )


def quartile_legend(floors: Sequence[int], lang: str | None = None) -> str:
    """The table's subtitle when its classes are the day's quartiles: "Värit päivän
    neljänneksistä: 68 %–85 % · 86 %–91 % · … · vähintään 96 %"."""

    def percent(value: int) -> str:
        return fmt_percent(value / 100, lang=lang)

    parts = []
    for low, high in zip(floors, [*floors[1:], None], strict=True):
        if high is None:
            parts.append(t("national_eye.table.class_from", lang, low=percent(low)))
        elif high - 1 == low:
            parts.append(percent(low))
        else:
            parts.append(percent(low) + "–" + percent(high - 1))
    return t("national_eye.table.quartile_legend", lang, classes=" · ".join(parts))
