"""Every metric the national map can show, in menu order: the one registry the national page,
its URL (``?mittari=``), the metric menu, the legend and colour scale, the tables page's figures
and the meeting pack read.

The first eight are the roadmap figures of ``metrics.METRICS`` (columns of
``metrics.area_metrics``), their keys, order and URLs unchanged. The rest are registered below:
each is a ``rules.metric_spec.MetricSpec`` whose provider lives in its own module, which imports
``rules.metric_spec`` and never this module, so registering one creates no import cycle. To add
one: write its provider ``(MetricContext) -> Series by area code``, declare its spec next to it,
add the spec to ``REGISTERED`` below and its ``metric.<key>`` message to a catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pandas as pd

from ..domain.i18n import fmt_number, fmt_percent, t
from ..rules import changes as change_rules
from ..rules import metrics
from ..rules.metric_spec import MetricContext, MetricSpec, Scale, by_area, column_provider
from . import organisers, outlook

#: the roadmap figures: kinds and directions from ``metrics.METRICS``, values from its table
BUILT_IN: tuple[MetricSpec, ...] = tuple(
    MetricSpec(key, spec["kind"], spec["direction"], column_provider(key))
    for key, spec in metrics.METRICS.items()
)

#: the metrics registered beyond the roadmap figures, in menu order after them
REGISTERED: tuple[MetricSpec, ...] = (
    MetricSpec(
        "done_share_change",
        "share_change",
        "higher_is_better",
        change_rules.done_share_change,
        scale=Scale("diverging", 0.0),
    ),
    outlook.PROJECTED_COMPLETION,
    outlook.SUPPORT_NEED,
    organisers.HANDOVER_DONE,
)

SOURCES: Mapping[str, MetricSpec] = MappingProxyType(
    {spec.key: spec for spec in (*BUILT_IN, *REGISTERED)}
)


def format_value(value: float | None, kind: str, lang: str | None = None) -> str:
    """A metric value as the UI writes it: "64 %", "12", "+5 %-yks." (a change of a share, in
    percentage points), "+30" (days), "4,5" (a score)."""
    if value is None or pd.isna(value):
        return t("value.none", lang)
    if kind == "share":
        return fmt_percent(value, lang=lang)
    if kind == "share_change":
        points = round(float(value) * 100)
        sign = "+" if points > 0 else ("−" if points < 0 else "±")
        return t("value.points", lang, value=sign + fmt_number(abs(points), lang=lang))
    if kind == "days":
        days = round(float(value))
        sign = "+" if days > 0 else ("−" if days < 0 else "±")
        return sign + fmt_number(abs(days), lang=lang)
    if kind == "score":
        return fmt_number(value, 1, lang=lang)
    return fmt_number(value, lang=lang)


def get(key: str) -> MetricSpec:
    """The metric ``key`` (a KeyError for one not registered)."""
    return SOURCES[key]


def label(key: str, lang: str | None = None) -> str:
    """The metric's name in the page's language (menu, legend, table header)."""
    return t(SOURCES[key].label_key, lang)


def values(key: str, context: MetricContext) -> pd.Series:
    """The metric per area of ``context`` (floats indexed by area code, NaN = no value)."""
    return by_area(SOURCES[key].provider(context), tuple(sorted(context.areas)))


def area_table(context: MetricContext, keys: Iterable[str] = ()) -> pd.DataFrame:
    """The as-of date's roadmap figures (``context.table``) with a column for each registered
    metric of ``keys`` that is not one of them (an unknown key is left out)."""
    table = context.table.copy()
    codes = table["code"].astype(str)
    for key in keys:
        if key in SOURCES and key not in table.columns:
            table[key] = values(key, context).reindex(codes).to_numpy()
    return table


def extra_keys() -> tuple[str, ...]:
    """The registered metrics that are not roadmap figures (the tables page's extra columns)."""
    return tuple(spec.key for spec in REGISTERED)


#: a metric kind's column kind in the tables and their downloads (``views.tables``)
TABLE_KINDS = {
    "share": "share",
    "count": "int",
    "share_change": "share_change",
    "days": "change",
    "score": "float",
}


def table_columns() -> tuple[tuple[str, str], ...]:
    """(key, column kind) of the registered metrics, for the tables page's figures; each
    column's header is the catalog's ``tables.col.<key>``."""
    return tuple((key, TABLE_KINDS[SOURCES[key].kind]) for key in extra_keys())
