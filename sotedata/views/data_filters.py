"""The imported datasets' filters as words: the indicator, period range, level, source types
and tags of a URL (``indikaattori``, ``jaksosta``, ``jaksoon``, ``taso``, ``lahdetyyppi``,
``tunniste``) or of the command line, read into the values a ``query.TableQuery`` holds.

Below both the query, which reads them as part of its grammar, and ``tables_data``, which builds
the indicator and notes tables from that query, so that neither of the two imports the other in
a circle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..domain.errors import Issue
from ..domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL, parse_level, parse_period
from ..ingest.values import parse_note_source
from ..rules.notes import split_tags
from .grammar import Parameters, is_all

#: the level words of URLs and the command line (``taso=kunta``, ``--level kunta``)
LEVEL_WORDS = {AREA_LEVEL: "alue", MUNICIPALITY_LEVEL: "kunta"}


def level_value(text: str) -> str | None:
    """The level a URL or CLI word names: ``alue``/``kunta``, the stored ``area``/
    ``municipality`` or any word an import reads as one (``kommun``, ``hyvinvointialue``)."""
    word = text.strip().casefold()
    for level, finnish in LEVEL_WORDS.items():
        if word in (level, finnish):
            return level
    return parse_level(text)


def source_type_value(text: str) -> str | None:
    """A note's source type from its key (``meeting``) or its word in any language (``kokous``)."""
    return parse_note_source(text)


def period_value(text: str) -> str | None:
    """A period as the store writes it ("2019", "2018-2020", "2021M05"), or None."""
    period = parse_period(text)
    return period.text if period is not None else None


def data_filter_values(params: Parameters) -> dict[str, Any]:
    """The imported datasets' filters (indicator, periods, level, source types, tags) of the URL,
    read with the one grammar's readers (``query.TableQuery.from_query``), with a warning for a
    value that names nothing."""
    one, items, bad = params.one, params.items, params.bad
    values: dict[str, Any] = {}
    if text := one("indikaattori"):
        values["indicator"] = text
    for name, key in (("jaksosta", "period_from"), ("jaksoon", "period_to")):
        if text := one(name):
            if (period := period_value(text)) is None:
                bad(name, text)
            else:
                values[key] = period
    if (text := one("taso")) and not is_all(text):
        if (level := level_value(text)) is None:
            bad("taso", text)
        else:
            values["level"] = level
    kinds: list[str] = []
    for text in items("lahdetyyppi"):
        if (kind := source_type_value(text)) is None:
            bad("lahdetyyppi", text)
        elif kind not in kinds:
            kinds.append(kind)
    values["source_types"] = tuple(kinds)
    values["tags"] = tag_words(items("tunniste"))
    return values


def cli_data_filters(
    period_from: str | None,
    period_to: str | None,
    level: str | None,
    source_types: Iterable[str],
    issues: list[Issue],
) -> dict[str, Any]:
    """The imported datasets' filters of the command line (periods, level, source types)."""
    values: dict[str, Any] = {}
    for name, text in (("period_from", period_from), ("period_to", period_to)):
        values[name] = period_value(text) if text else None
        if text and values[name] is None:
            issues.append(Issue("invalid_period", params={"value": text}))
    values["level"] = level_value(level) if level else None
    if level and values["level"] is None:
        issues.append(Issue("invalid_table_level", params={"value": level}))
    kinds: list[str] = []
    for text in (part.strip() for given in source_types for part in given.split(",")):
        if not text:
            continue
        if (kind := source_type_value(text)) is None:
            issues.append(Issue("invalid_source_type", params={"value": text}))
        elif kind not in kinds:
            kinds.append(kind)
    values["source_types"] = tuple(kinds)
    return values


def tag_words(texts: Sequence[str]) -> tuple[str, ...]:
    """Tags as given (``talous,ICT``), each once whatever its case, in the order given."""
    return split_tags(", ".join(texts))
