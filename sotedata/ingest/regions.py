"""What a region cell of a statistics export names, before any lookup of names.

Statistics Finland's PxWeb writes a region with its classification's prefix ("KU049 Espoo",
"HV21", "MK01 Uusimaa", "SSS KOKO MAA"), Kela and THL write a bare code beside the name ("091
Helsinki") or a national total under a code of its own (99, SSS). The prefixes and the national
words and codes are data (``data/value_words.csv``: ``region_prefix``, ``national``,
``national_code``); this module only splits a cell into its prefix, code and name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..domain.areas import normalise_name
from . import values

#: the prefix ("KU", "HV"), the code, and the name after it: "KU049 Espoo", "HV21", "091 Helsinki"
_PREFIXED = re.compile(
    r"^(?P<prefix>[A-Za-zÅÄÖåäö]{2,4})[\s_-]?(?P<code>\d{1,3})(?:\s+(?P<name>\S.*))?$"
)
_CODED = re.compile(r"^(?P<code>\d{2,3})\s+(?P<name>\D.*)$")
_NATIONAL_CODED = re.compile(r"^(?P<code>[A-Za-z0-9]{2,3})\s+(?P<name>\S.*)$")

NATIONAL = "national"


@dataclass(frozen=True)
class RegionCell:
    """A region cell taken apart: ``level`` is ``national``, ``municipality`` or ``area`` when the
    cell says so itself, another level's Finnish word ("Maakunta") for a level the app does not
    map, or None; ``code`` and ``name`` are what is left ("" when absent)."""

    level: str | None
    code: str
    name: str


@lru_cache(maxsize=8192)
def split(value: object) -> RegionCell:
    """The level, code and name a region cell gives: "KU049 Espoo" → (municipality, 049, Espoo)."""
    text = "" if values.is_blank(value) else values.text(value).strip()
    if not text:
        return RegionCell(None, "", "")
    if is_national(text):
        return RegionCell(NATIONAL, "", text)
    match = _NATIONAL_CODED.match(text)
    if match and is_national_code(match.group("code")) and is_national(match.group("name")):
        return RegionCell(NATIONAL, "", text)  # "SSS KOKO MAA"
    if match := _PREFIXED.match(text):
        level = values.word("region_prefix", match.group("prefix"))
        if level is not None:
            code = match.group("code")
            code = code.zfill(3) if level == "municipality" else code.zfill(2)
            return RegionCell(level, code, (match.group("name") or "").strip())
    if match := _CODED.match(text):
        code = match.group("code")
        return RegionCell(None, code, match.group("name").strip())
    if text.isdigit():
        return RegionCell(None, text, "")
    return RegionCell(None, "", text)


def is_national(text: object) -> bool:
    """ "Koko maa", "KOKO MAA", "Koko Suomi", "Whole Finland", "Hela Finland", "SSS", "99"."""
    return values.is_national(text) or is_national_code(text)


def is_national_code(text: object) -> bool:
    return values.word("national_code", text) is not None or normalise_name(text) == "sss"
