"""An import's counts in words, one wording for every door (the upload page and `sote import`).

Each count takes the plural form its number asks for in the language ("1 alue", "2 aluetta"),
from the catalogs' plural entries (``count.<kind>`` in ``preparer.po``, read by ``i18n.tn``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.i18n import tn

#: what an import's summary counts, in this order; a kind the file did not hold is left out, so a
#: statistics file says how many values it brought instead of "0 measures, 0 status entries"
PARTS = (
    "measures",
    "status",
    "risks",
    "indicator_values",
    "municipalities",
    "grants",
    "notes",
    "organisers",
    "organiser_status",
)


def counts_in_words(counts: Mapping[str, Any], lang: str | None = None) -> str:
    """The kinds the file held with their numbers, and the areas it touches."""
    parts = [tn(f"count.{kind}", counts[kind], lang) for kind in PARTS if counts.get(kind)]
    parts.append(tn("count.areas", len(counts["areas"]), lang))
    return ", ".join(parts)
