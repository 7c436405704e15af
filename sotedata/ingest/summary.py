"""An import's counts in words, one wording for every door (the upload page and `sote import`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..domain.i18n import fmt_number, t

#: what an import's summary counts, in this order; a kind the file did not hold is left out, so a
#: statistics file says how many values it brought instead of "0 measures, 0 status entries"
PARTS = ("measures", "status", "risks", "indicator_values", "municipalities", "grants", "notes")


def counts_in_words(counts: Mapping[str, Any], lang: str | None = None) -> str:
    """The kinds the file held with their numbers, and the areas it touches."""
    parts = [
        t(f"import.part.{kind}", lang, n=fmt_number(counts.get(kind, 0), lang=lang))
        for kind in PARTS
        if counts.get(kind)
    ]
    parts.append(t("import.part.areas", lang, n=fmt_number(len(counts["areas"]), lang=lang)))
    return ", ".join(parts)
