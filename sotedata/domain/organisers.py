"""The organisers that handed over to the areas, and the topics of their handover: data, read here.

Until 1.1.2023 social and health care and rescue services were organised by municipalities and
joint municipal authorities: hospital districts, special-care districts, joint authorities for
social and health services and rescue departments. ``data/organisers.csv`` lists each with its
type, names, member municipalities (codes) and the areas they belong to; ``data/organiser_
members.csv`` is the same by municipality. Both are built by ``scripts/build_organisers.py``
from the sources under ``data/organiser_sources/`` (its README gives their provenance). The types
(``data/organiser_types.csv``) say which service each organises; every municipality of the
reform has exactly one organiser per service whose type is ``complete`` (a municipality that
organised its own basic services is its own organiser). The handover topics are
``data/handover_topics.csv``. An import may add or correct organisers (``ingest/rows/
organisers.py``); what is stored is laid over this registry by ``store/organisers.py``.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from . import areas, municipalities
from .i18n import NamedInThreeLanguages, normalise_language
from .model import Status

_DATA = Path(__file__).resolve().parents[1] / "data"
ORGANISERS_PATH = _DATA / "organisers.csv"
MEMBERS_PATH = _DATA / "organiser_members.csv"
TYPES_PATH = _DATA / "organiser_types.csv"
TOPICS_PATH = _DATA / "handover_topics.csv"
SOURCES_DIR = _DATA / "organiser_sources"


@dataclass(frozen=True)
class Organiser:
    """One organiser: its id, type, names, member municipalities and the areas they are in."""

    id: str
    type: str
    name_fi: str
    name_sv: str
    member_codes: tuple[str, ...]
    area_codes: tuple[str, ...]
    source: str = ""
    approximate: bool = False

    def name(self, lang: str | None = None) -> str:
        """The name in ``lang``: Swedish where it has one, else Finnish."""
        if normalise_language(lang) == "sv" and self.name_sv:
            return self.name_sv
        return self.name_fi


@dataclass(frozen=True)
class OrganiserReport:
    """One organiser's status of one handover topic on a reporting date (the measures' words)."""

    organiser_id: str
    topic: str
    status: Status
    reported_on: date
    comment: str | None = None


@dataclass(frozen=True)
class OrganiserType(NamedInThreeLanguages):
    key: str
    service: str
    exclusive: bool  # a municipality has at most one organiser of this service
    complete: bool  # … and at least one
    order: int
    name_fi: str
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class Topic(NamedInThreeLanguages):
    key: str
    order: int
    name_fi: str
    name_sv: str
    name_en: str


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _yes(text: str) -> bool:
    return text.strip().lower() in {"yes", "kyllä", "1", "true"}


@cache
def load_types() -> dict[str, OrganiserType]:
    """The organiser types by key, in their order."""
    rows = sorted(_read(TYPES_PATH), key=lambda row: int(row["order"]))
    return {
        row["type"]: OrganiserType(
            row["type"],
            row["service"],
            _yes(row["exclusive"]),
            _yes(row["complete"]),
            int(row["order"]),
            row["name_fi"],
            row["name_sv"],
            row["name_en"],
        )
        for row in rows
    }


@cache
def topics() -> tuple[Topic, ...]:
    """The handover topics in their order."""
    rows = sorted(_read(TOPICS_PATH), key=lambda row: int(row["order"]))
    return tuple(
        Topic(row["key"], int(row["order"]), row["name_fi"], row["name_sv"], row["name_en"])
        for row in rows
    )


@cache
def _topic_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for topic in topics():
        for text in (topic.key, topic.name_fi, topic.name_sv, topic.name_en):
            words.setdefault(areas.normalise_name(text), topic.key)
    return words


def topic_key(text: object) -> str | None:
    """The topic a cell names (key or a name in any language, case and accents ignored)."""
    return _topic_words().get(areas.normalise_name(text))


def from_row(row: Mapping[str, str]) -> Organiser:
    """An organiser from a row of ``organisers.csv`` (or a stored edit of the same fields)."""
    return Organiser(
        id=row["id"],
        type=row["type"],
        name_fi=row["name_fi"],
        name_sv=row.get("name_sv") or row["name_fi"],
        member_codes=tuple(sorted((row.get("member_codes") or "").split())),
        area_codes=tuple(sorted((row.get("area_codes") or "").split())),
        source=row.get("source") or "",
        approximate=_yes(row.get("approximate") or ""),
    )


@cache
def registry() -> tuple[Organiser, ...]:
    """The shipped registry, in its file's order."""
    return tuple(from_row(row) for row in _read(ORGANISERS_PATH))


def area_codes_of(member_codes: Iterable[str]) -> tuple[str, ...]:
    """The areas the member municipalities are in (the project's own municipality table)."""
    found = (municipalities.get(code) for code in member_codes)
    return tuple(sorted({m.area_code for m in found if m is not None}))


class Registry:
    """Organisers by id and by name, and which belong to an area; built over any list (the
    shipped one, or the shipped one with the stored corrections laid over it)."""

    def __init__(self, organisers: Iterable[Organiser]):
        self.organisers = tuple(organisers)
        self.by_id = {o.id: o for o in self.organisers}
        self._names: dict[str, list[Organiser]] = defaultdict(list)
        for organiser in self.organisers:
            for text in {organiser.id, organiser.name_fi, organiser.name_sv}:
                self._names[areas.normalise_name(text)].append(organiser)

    def find(self, text: object) -> list[Organiser]:
        """The organisers an id or a name (Finnish or Swedish) names: none, one or several."""
        key = str(text).strip()
        if key in self.by_id:
            return [self.by_id[key]]
        return list(dict.fromkeys(self._names.get(areas.normalise_name(text), [])))

    def of_area(self, area_code: str) -> list[Organiser]:
        """The organisers with a member in the area, by type order and name."""
        types = load_types()
        found = [o for o in self.organisers if area_code in o.area_codes]
        return sorted(
            found, key=lambda o: (types[o.type].order if o.type in types else 99, o.name_fi)
        )


def shipped() -> Registry:
    """The registry as shipped (no stored corrections)."""
    return Registry(registry())


def done_share(statuses: Iterable[Status | None]) -> float | None:
    """The share of organiser × topic pairs done: one never reported counts as not done, not
    applicable leaves the denominator (as for measures); None when nothing counts."""
    counted = [s for s in statuses if s is not Status.NOT_APPLICABLE]
    if not counted:
        return None
    return sum(s is Status.DONE for s in counted) / len(counted)


def done_by_area(registry: Registry, reports: Iterable[OrganiserReport]) -> dict[str, float | None]:
    """The national metric "organisers' handover done": per area the share of its organisers'
    pairs done (an organiser of several areas counts in each); None for an area without any."""
    latest = {(r.organiser_id, r.topic): r.status for r in reports}
    keys = [t.key for t in topics()]
    shares: dict[str, float | None] = {}
    for code in areas.REFORM_CODES:
        found = registry.of_area(code)
        pairs = [latest.get((o.id, key)) for o in found for key in keys]
        shares[code] = done_share(pairs) if found else None
    return shares


def check_coverage(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """What is wrong with a registry: unknown types or municipalities, and a municipality of the
    reform with no organiser, or more than one, for a service whose types say it must have one."""
    problems: list[str] = []
    types = load_types()
    reform = {
        m.code for m in municipalities.all_municipalities() if m.area_code in areas.REFORM_CODES
    }
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        kind = types.get(row["type"])
        if kind is None:
            problems.append(f"{row['id']}: unknown type {row['type']!r}")
            continue
        for code in row["member_codes"].split():
            if code not in reform:
                problems.append(f"{row['id']}: {code} is not a municipality of the reform")
            counts[kind.service][code] += 1
    for service in {t.service for t in types.values()}:
        exclusive = any(t.exclusive for t in types.values() if t.service == service)
        complete = any(t.complete for t in types.values() if t.service == service)
        for code in sorted(reform):
            seen = counts[service][code]
            if (complete and seen == 0) or (exclusive and seen > 1):
                problems.append(f"{code}: {seen} organisers of {service}")
    return problems
