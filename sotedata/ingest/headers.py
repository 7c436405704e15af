"""Which header means which column: synonyms are data (``data/headers.csv``), read here once.

A new spelling is a row in the CSV (``column,lang,header``), not new code. Headers match ignoring
case, spaces, punctuation and diacritics, and a remark in brackets ("Tila (valitse listasta)").
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from ..domain.areas import normalise_name

_DATA = Path(__file__).resolve().parents[1] / "data"
_REMARK = re.compile(r"[(\[{][^)\]}]*[)\]}]")

#: every canonical column a sheet can have
COLUMNS: tuple[str, ...] = (
    "area",
    "area_code",
    "measure_id",
    "measure",
    "phase",
    "work_stream",
    "status",
    "critical",
    "deadline",
    "reported_on",
    "comment",
    "risk",
    "risk_id",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    # indicators (THL Sotkanet and Statistics Finland exports)
    "period",
    "week",
    "month",
    "region_title",  # a Sotkanet REST client's region name beside the region id: the id's check
    "level",
    "indicator",
    "value",
    "municipality",
    "municipality_code",
    "unit",
    "source",
    # state-grant projects (hankeseuranta)
    "project",
    "programme",
    "granted",
    "spent",
    "start",
    "end",
    "measures",
    # dated notes (meetings, interviews, surveys, media)
    "note",
    "source_type",
    "link",
    "tags",
    # the pre-filled template's "what was last reported": known, so never an ignored column,
    # and read by no kind
    "previous",
    # the organisers' registry and their handover reports (issue 20)
    "organiser",
    "organiser_id",
    "organiser_type",
    "name_sv",
    "members",
    "topic",
)


@cache
def synonyms() -> dict[str, str]:
    """Normalised header → canonical column; the CSV is checked for unknown columns and clashes."""
    table: dict[str, str] = {}
    with (_DATA / "headers.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            column, key = row["column"].strip(), normalise_name(row["header"])
            if column not in COLUMNS:
                raise ValueError(f"headers.csv: unknown column {column!r}")
            if table.get(key, column) != column:
                raise ValueError(f"headers.csv: {row['header']!r} means two columns")
            table[key] = column
    return table


def match_header(text: object) -> str | None:
    """The canonical column a header cell names, or None."""
    if text is None:
        return None
    raw = str(text).strip().rstrip("*:").strip()
    if not raw:
        return None
    table = synonyms()
    column = table.get(normalise_name(raw))
    if column is None:
        column = table.get(normalise_name(_REMARK.sub(" ", raw)))
    return column
