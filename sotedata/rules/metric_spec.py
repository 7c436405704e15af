"""What a map metric is, said once: its kind of number, which way is good, its colour scale and
the function that computes it per area from a ``MetricContext``.

The national map's eight roadmap metrics are columns of ``metrics.area_metrics``; a metric that
needs more (another date's figures, the whole history, an organiser's reports in tables of its
own) is a ``MetricSpec`` whose ``provider`` reads what it needs from the context: the frames of
the view's dates, the as-of and comparison dates, the page's filters and a read-only store
(``ports.MetricStore``). The registry that lists them all is ``views.metric_sources``; a
provider's module imports this one, never the registry (so registering one creates no cycle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from ..domain.areas import REFORM_CODES
from ..domain.ports import MetricStore
from . import metrics

#: the kinds of number a metric can be, each with its own format (``views.national.format_value``,
#: ``charts.base.value_format``): a share 0–1 ("64 %"), a count ("12"), a signed change of a
#: share in percentage points ("+5 %-yks."), signed days ("+30"), a score with one decimal
KINDS = ("share", "count", "share_change", "days", "score")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")


@dataclass(frozen=True)
class Scale:
    """The colour scale: ``sequential`` light = little to dark = much, or ``diverging`` around
    ``midpoint`` (the neutral middle: 0 for a change, the roadmap's end for a projection)."""

    type: str = "sequential"
    midpoint: float | None = None

    def __post_init__(self) -> None:
        if self.type not in ("sequential", "diverging"):
            raise ValueError(f"scale type {self.type!r}: sequential or diverging")
        if self.type == "diverging" and self.midpoint is None:
            raise ValueError("a diverging scale needs its midpoint")


@dataclass
class MetricContext:
    """What a provider may read: the frames of the view's dates (``frames_on`` of the as-of and
    comparison dates, or the whole history), the dates, the page's filters and, when the door has
    one, a read-only store for tables beyond the frames. The roadmap figures of the as-of date
    (``table``) and of the comparison date (``table_since``) are computed once per context."""

    frames: metrics.Frames
    as_of: date
    since: date | None = None
    phase: int | None = None
    work_stream: str | None = None
    critical_only: bool = False
    store: MetricStore | None = None
    areas: tuple[str, ...] = field(default=REFORM_CODES)

    @property
    def filters(self) -> dict[str, object]:
        """The page's measure filters, as ``metrics.area_metrics`` takes them."""
        return {
            "phase": self.phase,
            "work_stream": self.work_stream,
            "critical_only": self.critical_only,
        }

    def figures_on(self, day: date) -> pd.DataFrame:
        """``metrics.area_metrics`` of ``day`` with the context's filters and areas."""
        frames = self.frames
        return metrics.area_metrics(
            frames.measures, frames.reports, frames.risks, day, areas=self.areas, **self.filters
        )

    @cached_property
    def table(self) -> pd.DataFrame:
        """The roadmap figures of the as-of date, one row per area (column ``code``)."""
        return self.figures_on(self.as_of)

    @cached_property
    def table_since(self) -> pd.DataFrame | None:
        """The roadmap figures of the comparison date (None without one)."""
        return None if self.since is None else self.figures_on(self.since)


#: a provider: the context in, one value per area code out (a Series indexed by code, or a frame
#: with columns ``code`` and ``value``); an area left out has no value (drawn as no data)
Provider = Callable[[MetricContext], "pd.Series | pd.DataFrame"]


@dataclass(frozen=True)
class MetricSpec:
    """One map metric. ``label`` is its catalog key (default ``metric.<key>``): the name in the
    menu, the legend and the charts (the tables page's column is ``tables.col.<key>``)."""

    key: str
    kind: str
    direction: str
    provider: Provider = field(compare=False)
    scale: Scale = Scale()
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: kind {self.kind!r} is not one of {KINDS}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"{self.key}: direction {self.direction!r} not in {DIRECTIONS}")

    @property
    def label_key(self) -> str:
        return self.label or f"metric.{self.key}"


def column_provider(column: str) -> Provider:
    """A provider that reads one column of the as-of date's roadmap figures."""

    def provide(context: MetricContext) -> pd.Series:
        return context.table.set_index("code")[column]

    return provide


def by_area(result: pd.Series | pd.DataFrame, codes: tuple[str, ...]) -> pd.Series:
    """A provider's answer as floats indexed by ``codes`` (missing areas NaN)."""
    if isinstance(result, pd.DataFrame):
        result = result.set_index(result["code"].astype(str))["value"]
    series = pd.Series(result)
    series.index = series.index.astype(str)
    return pd.to_numeric(series, errors="coerce").astype(float).reindex(list(codes))
