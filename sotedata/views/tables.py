"""The app's datasets as filtered tables: one query, one pure function per dataset, one result.

The tables page, ``sote export`` and the downloads all go through ``build_table``, so a link, a
command line and a downloaded file with the same filters hold the same rows. What a table shows
is a ``query.TableQuery``; the reform's datasets are built in ``reform_tables``, the imported
ones (indicators, notes) in ``tables_data``.

A built ``Table`` keeps its values typed (text, codes as text with their leading zeros, integers,
shares 0–1, dates), so that each writer (``sotedata.exports.files``) and the page can show them in
their own way without parsing numbers back out of text. Its columns carry Finnish headers that
``sote import`` recognises (``data/headers.csv``): an exported status table imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from ..domain.errors import Issue
from ..domain.i18n import fmt_date, fmt_number, fmt_percent, normalise_language, t
from ..domain.model import Status, WorkStream
from ..rules import metrics
from ..rules.grants import population_by_area
from ..store.engine import Store
from ..store.people import audit_log
from .organisers import ORGANISERS_SPEC, organiser_sources, organisers_table
from .outlook import OUTLOOK_SPEC, outlook_table
from .query import RISK_RANGE, UNDATED, TableQuery, resolve_dates
from .reform_tables import (
    AUDIT_SPEC,
    GRANTS_SPEC,
    IMPORTS_SPEC,
    METRICS_SPEC,
    MOVES_SPEC,
    RISK_SPEC,
    ROADMAP_SPEC,
    STATUS_SPEC,
    audit_table,
    changes_spec,
    changes_table,
    grants_table,
    imports_table,
    metrics_table,
    moves_table,
    risks_table,
    roadmap_table,
    status_table,
)
from .table_base import LOCAL_ZONE, Column, Sources, area_names, dataset_columns
from .tables_data import (
    INDICATORS_SPEC,
    NOTES_SPEC,
    data_issues,
    describe_data_filters,
    indicators_table,
    notes_table,
    resolve_indicator,
    with_indicators,
    with_notes,
)

#: the kinds of column a writer must know: how to type, format and align each value
KINDS = frozenset(
    {
        "code",
        "text",
        "int",
        "float",
        "number",
        "share",
        "share_change",
        "change",
        "date",
        "datetime",
        "bool",
    }
)


@dataclass
class Table:
    """A dataset filtered and ready to show or write: typed values, Finnish headers, metadata."""

    query: TableQuery  # with ``as_of`` (and ``since`` for changes) filled in
    frame: pd.DataFrame  # one column per ``columns`` key, in that order
    columns: tuple[Column, ...]
    title: str
    example: bool = False
    issues: list[Issue] = field(default_factory=list)
    work_streams: tuple[WorkStream, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.frame)

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


#: where the people reading the times are: imports and audit rows are stored in UTC
HELSINKI = LOCAL_ZONE
#: how st.column_config writes a date and a time (its day.js-style tokens) in each language, the
#: same order as ``i18n.fmt_date``: "23.11.2026", "23 Nov 2026"
_COLUMN_DATE = {"fi": "D.M.YYYY", "sv": "D.M.YYYY", "en": "D MMM YYYY"}
_CLOCK = {"fi": ("%H.%M", "HH.mm"), "sv": ("%H.%M", "HH.mm"), "en": ("%H:%M", "HH:mm")}


def column_date_format(lang: str | None = None) -> str:
    """A page table's date column format (``st.column_config.DateColumn(format=...)``)."""
    return _COLUMN_DATE[normalise_language(lang)]


def column_datetime_format(lang: str | None = None) -> str:
    """A page table's date-and-time column format, the time as the language writes it."""
    lang = normalise_language(lang)
    return f"{_COLUMN_DATE[lang]} {_CLOCK[lang][1]}"


#: the kinds of number column whose cells ``format_cell`` writes
NUMBER_KINDS = frozenset({"int", "float", "number", "share", "share_change", "change"})
#: the most decimals a "number" cell (an indicator value, as the source gives it) is shown with
NUMBER_DECIMALS = 6


def format_cell(value: Any, kind: str, lang: str | None = None) -> str:
    """A number cell as a page table shows it, in the language's format ("1 234", "64,5 %",
    "+1,2 %"; English "1,234", "64.5%"), the sign written on a change; empty for none. The
    downloads keep real numbers: this is only what the eye reads."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    sign = "+" if kind in ("change", "share_change") and number > 0 else ""
    if kind in ("share", "share_change"):
        return sign + fmt_percent(number, 1, lang)
    if kind == "float":
        return fmt_number(number, 1, lang)
    if kind == "number":
        decimals = len(f"{number:.{NUMBER_DECIMALS}f}".rstrip("0").partition(".")[2])
        return fmt_number(number, decimals, lang)
    return sign + fmt_number(number, 0, lang)


def fmt_local_time(value: Any, lang: str | None = None) -> str:
    """A stored UTC moment as read in Finland: "23.11.2026 13.02" (English "23 Nov 2026 13:02");
    empty for none."""
    if value is None or pd.isna(value):
        return ""
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    local = moment.tz_convert(HELSINKI)
    lang = normalise_language(lang)
    return f"{fmt_date(local.date(), lang)} {local.strftime(_CLOCK[lang][0])}"


BUILDERS: Mapping[
    str,
    tuple[Callable[[Sources, TableQuery, str | None], pd.DataFrame], tuple[tuple[str, str], ...]],
] = {
    "status": (status_table, STATUS_SPEC),
    "metrics": (metrics_table, METRICS_SPEC),
    "risks": (risks_table, RISK_SPEC),
    "roadmap": (roadmap_table, ROADMAP_SPEC),
    "changes": (changes_table, ()),
    "moves": (moves_table, MOVES_SPEC),
    "imports": (imports_table, IMPORTS_SPEC),
    "grants": (grants_table, GRANTS_SPEC),
    "indicators": (indicators_table, INDICATORS_SPEC),
    "notes": (notes_table, NOTES_SPEC),
    "audit": (audit_table, AUDIT_SPEC),
    "outlook": (outlook_table, OUTLOOK_SPEC),
    "organisers": (organisers_table, ORGANISERS_SPEC),
}


def build_table(query: TableQuery, sources: Sources, lang: str | None = None) -> Table:
    """The dataset of ``query`` with its filters applied: what the page shows and every export
    writes."""
    query = resolve_dates(query, sources)
    issues: list[Issue] = []
    if query.work_stream and query.applies("work_stream"):
        known = {ws.key for ws in sources.frames.work_streams}
        if query.work_stream not in known:
            issues.append(Issue("unknown_work_stream", params={"value": query.work_stream}))
            title = t(f"tables.name.{query.table}", lang)
            return Table(query, pd.DataFrame(), (), title, issues=issues)
    if query.table in UNDATED:
        query = resolve_indicator(query, sources.indicators)
        issues += data_issues(query, sources)
        if issues:
            title = t(f"tables.name.{query.table}", lang)
            return Table(query, pd.DataFrame(), (), title, issues=issues)
    builder, spec = BUILDERS[query.table]
    columns = changes_spec(lang) if query.table == "changes" else dataset_columns(spec, lang)
    frame = builder(sources, query, lang)
    frame = frame.reindex(columns=[c.key for c in columns]).reset_index(drop=True)
    return Table(
        query=query,
        frame=frame,
        columns=columns,
        title=t(f"tables.name.{query.table}", lang),
        example=sources.example,
        issues=issues,
        work_streams=sources.frames.work_streams,
    )


def with_grants(sources: Sources, store: Store) -> Sources:
    """``sources`` with the grants and the population they are divided by, read only for the
    grants table (every other table would pay for them on each build)."""
    return replace(sources, grants=store.grants(), population=population_by_area(store)[0])


def with_table_data(sources: Sources, store: Store, table: str) -> Sources:
    """``sources`` with what only one table needs (grants, indicators, notes) read for it."""
    if table == "grants":
        return with_grants(sources, store)
    if table == "indicators":
        return with_indicators(sources, store)
    if table == "notes":
        return with_notes(sources, store)
    if table == "outlook":
        return replace(sources, grants=store.grants())
    if table == "organisers":
        return replace(sources, organisers=organiser_sources(store))
    return sources


def sources_from_store(store: Store, *, audit: bool = False, grants: bool = False) -> Sources:
    """Everything ``build_table`` needs, read from a ``Store`` (the CLI; the page caches it);
    the audit trail only when asked for (``audit``: the person may see it), the grants only for
    the grants table (``grants``)."""
    sources = Sources(
        frames=metrics.load_frames(store),
        imports=store.imports(),
        audit=audit_log(store) if audit else None,
        reporting_dates=tuple(store.reporting_dates()),
        example=store.is_example(),
    )
    return with_grants(sources, store) if grants else sources


def describe_filters(table: Table, lang: str | None = None) -> list[str]:
    """The filters in words, for the metadata sheet ("Alueet: Lappi, Kainuu")."""
    query = table.query
    streams = {ws.key: ws.name(lang) for ws in table.work_streams}
    parts: list[str] = []
    if query.areas and query.applies("areas"):
        parts.append(t("tables.filter.areas", lang, value=", ".join(area_names(query.areas, lang))))
    if query.phase is not None and query.applies("phase"):
        parts.append(t("tables.filter.phase", lang, value=t(f"phase.{query.phase}", lang)))
    if query.work_stream and query.applies("work_stream"):
        name = streams.get(query.work_stream, query.work_stream)
        parts.append(t("tables.filter.work_stream", lang, value=name))
    if query.statuses and query.applies("status"):
        labels = ", ".join(Status(s).label(lang) for s in query.statuses)
        parts.append(t("tables.filter.status", lang, value=labels))
    if query.critical_only and query.applies("critical"):
        parts.append(t("tables.filter.critical", lang))
    if query.overdue_only and query.applies("overdue"):
        parts.append(t("tables.filter.overdue", lang))
    if (query.risk_min is not None or query.risk_max is not None) and query.applies("risk"):
        low = query.risk_min if query.risk_min is not None else RISK_RANGE[0]
        high = query.risk_max if query.risk_max is not None else RISK_RANGE[1]
        parts.append(t("tables.filter.risk", lang, low=low, high=high))
    if query.since is not None and query.applies("since"):
        parts.append(t("tables.filter.since", lang, value=fmt_date(query.since, lang)))
    parts += describe_data_filters(query, table.frame, lang)
    if query.search.strip() and query.applies("search"):
        parts.append(t("tables.filter.search", lang, value=query.search.strip()))
    return parts
