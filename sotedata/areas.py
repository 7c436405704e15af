"""The one registry of the areas: codes, names in three languages, the old 2021 numbering.

Statistics Finland's codes (01–21 wellbeing services counties, 90 Helsinki, 91 Åland) are the keys
everywhere in the app. Åland is outside the reform: it is drawn grey, never clickable, and left out
of every figure. The table itself is data (``data/areas.csv``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .i18n import normalise_language

_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Area:
    code: str
    code_2021: str
    in_reform: bool
    name_fi: str
    name_sv: str
    name_en: str
    short_fi: str
    short_sv: str
    short_en: str

    def name(self, lang: str | None = None) -> str:
        """The official name in ``lang`` (Finnish by default)."""
        return getattr(self, f"name_{normalise_language(lang)}")

    def short(self, lang: str | None = None) -> str:
        """The short name used on maps and in tables ("Lappi")."""
        return getattr(self, f"short_{normalise_language(lang)}")


@cache
def all_areas() -> tuple[Area, ...]:
    """All 23 areas in code order, Åland last."""
    with (_DATA / "areas.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Area(**{**row, "in_reform": row["in_reform"] == "1"})  # type: ignore[arg-type]
        for row in rows
    )


def reform_areas() -> tuple[Area, ...]:
    """The 22 areas of the reform (21 counties + Helsinki): the ones every figure counts."""
    return tuple(area for area in all_areas() if area.in_reform)


REFORM_CODES: tuple[str, ...] = tuple(area.code for area in reform_areas())
ALAND_CODE = "91"
HELSINKI_CODE = "90"


def get(code: str) -> Area:
    """The area with Statistics Finland's ``code``; KeyError for anything else."""
    for area in all_areas():
        if area.code == code:
            return area
    raise KeyError(code)


def by_code() -> dict[str, Area]:
    return {area.code: area for area in all_areas()}
