"""The imported datasets as tables: indicator values and notes, beside the reform's own tables.

Kept apart from ``sotedata.views.tables`` (the registry) and ``reform_tables`` (the reform's
datasets) so that each stays readable; ``tables`` registers these builders, and the words of their
filters are read in ``data_filters``, below the query that carries them. The
rules they follow are the ones the pages already show: an indicator value that counts is the newest
import's for its indicator, level, region and period (``indicator_view.current_values``), and a
note is seen by everyone who sees the area page's notes (every role).

The period range keeps what *ends* within it (``jaksosta=2020&jaksoon=2020`` keeps "2020",
"2020M05" and the three-year average "2018-2020", which is the latest figure known in 2020),
the same order ``indicator_view.periods`` lists periods in; a note's date must fall within it.
National notes, which belong to no area, are shown only when no area is chosen (as national
risks are).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from ..domain import areas, municipalities
from ..domain.errors import Issue
from ..domain.i18n import t
from ..domain.indicators import (
    AREA_LEVEL,
    MUNICIPALITY_LEVEL,
    VALUE_COLUMNS,
    Period,
    parse_period,
)
from ..domain.text import slug
from ..rules import notes
from ..store.engine import Store
from .data_filters import LEVEL_WORDS
from .query import TableQuery
from .table_base import Sources, area_names, search_rows, to_day

INDICATORS_SPEC = (
    ("indicator_key", "code"),
    ("indicator", "text"),
    ("level", "text"),
    ("region_code", "code"),
    ("region", "text"),
    ("area_code", "code"),
    ("area", "text"),
    ("period", "text"),
    ("value", "number"),
    ("unit", "text"),
    ("source", "text"),
    ("licence", "text"),
    ("import_id", "int"),
)

NOTES_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("noted_on", "date"),
    ("source_type", "text"),
    ("note", "text"),
    ("tags", "text"),
    ("target", "text"),
    ("link", "text"),
    ("import_id", "int"),
)


# --- the period range -------------------------------------------------------------------------


def _period(text: str | None) -> Period | None:
    return parse_period(text) if text else None


def period_bounds(query: TableQuery) -> tuple[date | None, date | None]:
    """The first and the last day the period range covers (None: open on that side)."""
    first, last = _period(query.period_from), _period(query.period_to)
    return (first.start if first else None, last.end if last else None)


def resolve_indicator(query: TableQuery, indicators: pd.DataFrame | None) -> TableQuery:
    """The query with its indicator as a key: a name (any case) names the indicator too."""
    if not query.indicator or indicators is None or indicators.empty:
        return query
    keys = [str(k) for k in indicators["key"]]
    if query.indicator in keys:
        return query
    wanted = query.indicator.strip().casefold()
    for key, name in zip(keys, indicators["name"], strict=True):
        if wanted in (key.casefold(), str(name).strip().casefold()):
            return replace(query, indicator=key)
    return query


def indicator_choices(
    query: TableQuery, sources: Sources
) -> tuple[dict[str, str], str | None, list[Issue]]:
    """The indicators the filter offers (key → name, only those with values, by name), the one
    the query names (a name resolved to its key) and a warning when that one is not offered."""
    meta = sources.indicators if sources.indicators is not None else pd.DataFrame()
    measured = set(sources.indicator_values["indicator_key"]) if not meta.empty else set()
    names = {
        str(k): str(n)
        for k, n in zip(meta.get("key", []), meta.get("name", []), strict=True)
        if k in measured
    }
    ordered = {k: names[k] for k in sorted(names, key=lambda k: (names[k].casefold(), k))}
    wanted = resolve_indicator(query, meta).indicator
    issues = []
    if wanted and wanted not in ordered:
        issues.append(
            Issue(
                "invalid_parameter",
                severity="warning",
                params={"name": "indikaattori", "value": wanted},
            )
        )
    return ordered, wanted, issues


def data_issues(query: TableQuery, sources: Sources) -> list[Issue]:
    """An indicator that is not in the store, or a period range that ends before it starts."""
    issues: list[Issue] = []
    if query.indicator and query.applies("indicator"):
        known = set() if sources.indicators is None else set(sources.indicators["key"])
        if query.indicator not in known:
            issues.append(Issue("unknown_indicator", params={"value": query.indicator}))
    first, last = period_bounds(query)
    if query.applies("period") and first and last and first > last:
        issues.append(
            Issue(
                "period_range_reversed",
                params={"first": query.period_from, "last": query.period_to},
            )
        )
    return issues


# --- the tables ---------------------------------------------------------------------------------


def _region_names(codes: pd.Series, levels: pd.Series, lang: str | None) -> pd.Series:
    """Each code's name at its level (an area's short name, a municipality's name) in ``lang``,
    looked up once per name rather than once per row (a file can hold 200 000 values)."""
    area_names = {code: area.short(lang) for code, area in areas.by_code().items()}
    town_names = {town.code: town.name(lang) for town in municipalities.all_municipalities()}
    by_area = codes.map(area_names)
    by_town = codes.map(town_names)
    named = by_town.where(levels == MUNICIPALITY_LEVEL, by_area).astype(object)
    return named.where(named.notna(), None)


def _meta(meta: pd.DataFrame | None, name: str) -> dict[str, Any]:
    """An indicator's ``name``/``unit``/``source`` by its key, blank texts left out."""
    if meta is None or meta.empty:
        return {}
    return {
        str(key): value
        for key, value in zip(meta["key"], meta[name], strict=True)
        if isinstance(value, str) and value.strip()
    }


def current_with_import(raw: pd.DataFrame) -> pd.DataFrame:
    """The value that counts per indicator, level, region and period, with the import it came
    from (``indicator_view.current_values``' rule: the newest import's, a withdrawn ".." too)."""
    columns = [*VALUE_COLUMNS, "import_id"]
    if raw is None or raw.empty:
        return pd.DataFrame(columns=columns)
    frame = raw.reindex(columns=columns).copy()
    for column in ("indicator_key", "level", "region_code", "area_code", "period"):
        frame[column] = frame[column].astype(str)
    frame["region_code"] = [
        code.zfill(3) if level == MUNICIPALITY_LEVEL else code
        for code, level in zip(frame["region_code"], frame["level"], strict=True)
    ]
    frame = frame.drop_duplicates(
        ["indicator_key", "level", "region_code", "period"], keep="last"
    ).reset_index(drop=True)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame


def indicators_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Every current indicator value with its region, level, period, unit, source, licence (what
    a reuser must credit) and import, in indicator, level (areas first), region and period
    order."""
    columns = [key for key, _ in INDICATORS_SPEC]
    values = current_with_import(sources.indicator_values)
    if values.empty:
        return pd.DataFrame(columns=columns)
    if query.indicator:
        values = values[values["indicator_key"] == query.indicator]
    if query.level:
        values = values[values["level"] == query.level]
    if query.areas:
        values = values[values["area_code"].isin(query.areas)]
    first, last = period_bounds(query)
    ends = pd.to_datetime(values["period_end"].astype(str), errors="coerce")
    keep = ends.notna() if first is not None or last is not None else ends.isna() | ends.notna()
    if first is not None:
        keep &= ends >= pd.Timestamp(first)
    if last is not None:
        keep &= ends <= pd.Timestamp(last)
    values = values.assign(
        _end=ends, _start=pd.to_datetime(values["period_start"].astype(str), errors="coerce")
    )[keep.to_numpy()]
    keys = values["indicator_key"]
    names = keys.map(_meta(sources.indicators, "name")).astype(object)
    names = names.where(names.notna(), keys)
    order = {AREA_LEVEL: 0, MUNICIPALITY_LEVEL: 1}
    values = values.assign(
        _indicator=names,
        _name=names.astype(str).str.casefold(),
        _level=values["level"].map(order).fillna(2),
    ).sort_values(
        ["_name", "indicator_key", "_level", "region_code", "_end", "_start", "period"],
        kind="stable",
    )
    keys = values["indicator_key"]
    words = {level: t(f"tables.level.{level}", lang) for level in order}

    def texts(series: pd.Series) -> list[Any]:
        return [None if pd.isna(v) else v for v in series.astype(object)]

    imports = pd.to_numeric(values["import_id"], errors="coerce")
    frame = pd.DataFrame(
        {
            "indicator_key": keys.to_numpy(dtype=object),
            "indicator": values["_indicator"].to_numpy(dtype=object),
            "level": [words.get(level, level) for level in values["level"]],
            "region_code": values["region_code"].to_numpy(dtype=object),
            "region": texts(_region_names(values["region_code"], values["level"], lang)),
            "area_code": values["area_code"].to_numpy(dtype=object),
            "area": texts(
                _region_names(
                    values["area_code"], values["area_code"].map(lambda _: AREA_LEVEL), lang
                )
            ),
            "period": values["period"].to_numpy(dtype=object),
            "value": values["value"].to_numpy(dtype=float),
            "unit": texts(keys.map(_meta(sources.indicators, "unit"))),
            "source": texts(keys.map(_meta(sources.indicators, "source"))),
            "licence": texts(keys.map(_meta(sources.indicators, "licence"))),
            "import_id": [None if pd.isna(i) else int(i) for i in imports],
        },
        columns=columns,
    )
    return search_rows(
        frame,
        query.search,
        ["indicator_key", "indicator", "region_code", "region", "area", "period", "unit", "source"],
    )


def notes_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Every note, newest first, with its area ("Koko maa" for a national one), date, source type,
    text, tags, the measure or risk it cites, its link and the import that brought it."""
    columns = [key for key, _ in NOTES_SPEC]
    stored = sources.notes
    if stored is None or stored.empty:
        return pd.DataFrame(columns=columns)
    chosen = stored
    if query.areas:
        chosen = chosen[chosen["area_code"].isin(query.areas)]
    first, last = period_bounds(query)
    if first is not None or last is not None:
        days = [to_day(v) for v in chosen["noted_on"]]
        chosen = chosen[
            [
                d is not None and (first is None or d >= first) and (last is None or d <= last)
                for d in days
            ]
        ]
    chosen = notes.search_notes(chosen, "", query.source_types, query.tags)
    chosen = chosen.assign(_day=[to_day(v) for v in chosen["noted_on"]]).sort_values(
        ["_day", "id"], ascending=False, kind="stable"
    )
    shown = notes.notes_table(chosen.assign(noted_on=chosen["_day"]), lang)
    codes = [None if pd.isna(c) else str(c) for c in chosen["area_code"]]
    frame = pd.DataFrame(
        {
            "area_code": codes,
            "area": area_names(codes, lang),
            "noted_on": shown["noted_on"].to_numpy(),
            "source_type": shown["source"].to_numpy(),
            "note": shown["text"].to_numpy(),
            "tags": [tags or None for tags in shown["tags"]],
            "target": [target or None for target in shown["target"]],
            "link": shown["link"].to_numpy(),
            "import_id": [None if pd.isna(i) else int(i) for i in chosen["import_id"]],
        },
        columns=columns,
    )
    return search_rows(
        frame, query.search, ["area_code", "area", "source_type", "note", "tags", "target", "link"]
    )


# --- reading the data, describing the filters ---------------------------------------------------


def with_indicators(sources: Sources, store: Store) -> Sources:
    """``sources`` with every indicator and its values, read only for the indicator table."""
    return replace(
        sources, indicators=store.indicators(), indicator_values=store.indicator_values()
    )


def with_notes(sources: Sources, store: Store) -> Sources:
    """``sources`` with every note, read only for the notes table."""
    return replace(sources, notes=store.notes())


def describe_data_filters(
    query: TableQuery, frame: pd.DataFrame, lang: str | None = None
) -> list[str]:
    """The indicator, period range, level, source types and tags in words (the "Tiedot" sheet);
    the indicator by the name in the built rows (``frame``), which the query has only as a key.
    Given the query and the rows rather than the ``tables.Table``, since ``tables`` imports this
    module."""
    parts: list[str] = []
    if query.indicator and query.applies("indicator"):
        names = frame["indicator"].dropna() if "indicator" in frame else []
        name = str(next(iter(names), query.indicator))
        parts.append(t("tables.filter.indicator", lang, value=name))
    if (query.period_from or query.period_to) and query.applies("period"):
        parts.append(
            t(
                "tables.filter.period",
                lang,
                first=query.period_from or "…",
                last=query.period_to or "…",
            )
        )
    if query.level and query.applies("level"):
        parts.append(t("tables.filter.level", lang, value=t(f"tables.level.{query.level}", lang)))
    if query.source_types and query.applies("source_type"):
        words = ", ".join(t(f"notes.source.{s}", lang) for s in query.source_types)
        parts.append(t("tables.filter.source_type", lang, value=words))
    if query.tags and query.applies("tags"):
        parts.append(t("tables.filter.tags", lang, value=", ".join(query.tags)))
    return parts


def file_name_parts(query: TableQuery) -> list[str]:
    """What the indicator and notes filters add to a file name (``kunta``, ``2019-2022``)."""
    parts: list[str] = []
    if query.indicator and query.applies("indicator"):
        parts.append(slug(query.indicator)[:40] or "indikaattori")
    if query.period_from and query.period_to and query.applies("period"):
        parts.append(f"jakso-{slug(query.period_from)}-{slug(query.period_to)}")
    elif query.period_from and query.applies("period"):
        parts.append(f"alkaen-{slug(query.period_from)}")
    elif query.period_to and query.applies("period"):
        parts.append(f"asti-{slug(query.period_to)}")
    if query.level and query.applies("level"):
        parts.append(LEVEL_WORDS[query.level])
    if query.source_types and query.applies("source_type"):
        parts.append("lahde-" + "-".join(slug(s) for s in query.source_types))
    if query.tags and query.applies("tags"):
        parts.append("tunniste-" + (slug("-".join(query.tags))[:30] or "x"))
    return parts
