"""The municipalities and the area each belongs to: the project's own table, not a boundary file.

Statistics Finland's correspondence classification of municipalities to wellbeing services
counties (2021 onwards, 309 municipalities) is kept as data in ``data/municipalities.csv``
(``code,name_fi,name_sv,area_code``; codes are text with their leading zeros, "005"). It is built
and checked by ``scripts/build_municipalities.py``. Boundary files are only drawn, never asked
which area a municipality is in: the live WFS layer does not say.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import areas
from .i18n import normalise_language

CSV_PATH = Path(__file__).resolve().parents[1] / "data" / "municipalities.csv"
FIELDS = ["code", "name_fi", "name_sv", "area_code"]


@dataclass(frozen=True)
class Municipality:
    code: str  # three digits, leading zeros kept: "005"
    name_fi: str
    name_sv: str
    area_code: str  # 01–21, 90 Helsinki, 91 Åland

    def name(self, lang: str | None = None) -> str:
        """The name in ``lang``: Swedish names where the table has them, else Finnish."""
        return self.name_sv if normalise_language(lang) == "sv" else self.name_fi


@cache
def all_municipalities() -> tuple[Municipality, ...]:
    """All municipalities in code order."""
    with CSV_PATH.open(encoding="utf-8") as handle:
        return tuple(Municipality(**row) for row in csv.DictReader(handle))


@cache
def _by_code() -> dict[str, Municipality]:
    return {m.code: m for m in all_municipalities()}


ALIASES_PATH = Path(__file__).resolve().parents[1] / "data" / "municipality_aliases.csv"


@cache
def _by_name() -> dict[str, Municipality]:
    """Finnish and Swedish names, then the other spellings sources use (``municipality_aliases
    .csv``: Sotkanet's plain "Koski" for Koski Tl); an alias never shadows an official name."""
    index: dict[str, Municipality] = {}
    for municipality in all_municipalities():
        for name in (municipality.name_fi, municipality.name_sv):
            index.setdefault(areas.normalise_name(name), municipality)
    if ALIASES_PATH.exists():
        with ALIASES_PATH.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                found = _by_code().get((row.get("code") or "").strip().zfill(3))
                alias = (row.get("alias") or "").strip()
                if found is not None and alias:
                    index.setdefault(areas.normalise_name(alias), found)
    return index


def get(code: object) -> Municipality | None:
    """The municipality of a code ("5", "005", 5 all mean Alajärvi), or None."""
    text = str(code).strip() if code is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 3:
        return None
    return _by_code().get(text.zfill(3))


def by_name(name: object) -> Municipality | None:
    """The municipality of a Finnish or Swedish name, ignoring case and diacritics, or None; a
    bilingual name as Statistics Finland writes it ("Maarianhamina - Mariehamn") is found by
    either half when both halves name the same one."""
    if name is None:
        return None
    found = _by_name().get(areas.normalise_name(name))
    if found is None and " - " in str(name):
        halves = {_by_name().get(areas.normalise_name(part)) for part in str(name).split(" - ")}
        halves.discard(None)
        found = next(iter(halves)) if len(halves) == 1 else None
    return found


def of_area(area_code: str) -> tuple[Municipality, ...]:
    """The municipalities of one area in Finnish alphabetical order (empty for an unknown code)."""
    members = [m for m in all_municipalities() if m.area_code == area_code]
    return tuple(sorted(members, key=lambda m: finnish_sort_key(m.name_fi)))


def finnish_sort_key(name: str) -> str:
    """Alphabetical order as a Finn expects it: å, ä, ö after z (plain sorting puts them last
    by accident of code points, but normalising them away would put Ähtäri among the A's)."""
    return name.casefold().translate(_FINNISH_ORDER)


_FINNISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "ü": "y", "é": "e"})


MERGERS_PATH = Path(__file__).resolve().parents[1] / "data" / "municipal_mergers.csv"


@dataclass(frozen=True)
class Merger:
    """A municipality that no longer exists: merged into ``successor`` from ``year`` on."""

    code: str
    name_fi: str
    successor: Municipality
    year: int


@cache
def _mergers() -> tuple[dict[str, Merger], dict[str, Merger]]:
    """Former municipalities by code and by name, each followed to today's municipality: a
    municipality merged twice (Kuorevesi → Jämsä, which took in others later) names the one that
    exists now. Rows whose successor cannot be followed to a current municipality are left out."""
    if not MERGERS_PATH.exists():
        return {}, {}
    with MERGERS_PATH.open(encoding="utf-8") as handle:
        rows = [
            {key: (value or "").strip() for key, value in row.items() if key}
            for row in csv.DictReader(handle)
        ]
    successor_of = {row["former_code"].zfill(3): row["successor_code"].zfill(3) for row in rows}
    by_code: dict[str, Merger] = {}
    by_name: dict[str, Merger] = {}
    for row in rows:
        code, target = row["former_code"].zfill(3), row["successor_code"].zfill(3)
        seen = {code}
        while get(target) is None and target in successor_of and target not in seen:
            seen.add(target)
            target = successor_of[target]
        successor = get(target)
        if successor is None or get(code) is not None:
            continue  # unknown successor, or the code lives on (a municipality merged into it)
        year = int(row.get("year") or row.get("effective", "")[:4] or 0)
        merger = Merger(code, row["former_name"], successor, year)
        by_code[code] = merger
        by_name.setdefault(areas.normalise_name(row["former_name"]), merger)
    return by_code, by_name


def former(code: object = None, name: object = None) -> Merger | None:
    """The merger that ended a municipality, by its old code or name (Statistics Finland's list
    of municipal mergers since 2000, ``data/municipal_mergers.csv``), or None."""
    by_code, by_name = _mergers()
    text = str(code).strip() if code is not None else ""
    if text.endswith(".0"):
        text = text[:-2]
    if text.isdigit() and len(text) <= 3 and (found := by_code.get(text.zfill(3))):
        return found
    if name is not None and str(name).strip():
        key = areas.normalise_name(name)
        if key not in _by_name():  # a living municipality's name is never a former one
            return by_name.get(key)
    return None
