"""Sotkanet's own region ids: which wellbeing services county or municipality each id means.

THL's Sotkanet names regions by ids of its own (974 = Pohjois-Savo), and a file saved by a Sotkanet
REST client names them only so. The counties are matched through the area registry's names
(``areas.resolve``); the shipped table ``data/sotkanet_regions.csv`` covers the rest.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .areas import resolve

_DATA = Path(__file__).resolve().parents[1] / "data"


def sotkanet_ids(regions: Iterable[Mapping[str, object]]) -> dict[int, str]:
    """Sotkanet region id → area code, read from THL's ``/regions`` listing.

    Sotkanet gives each wellbeing services county an id of its own (974 = Pohjois-Savo). The ids
    are not published in a form we could check here, so instead of a copied table the registry
    reads the listing itself: each region of category ``HYVINVOINTIALUE`` is resolved by its
    Finnish title (a name wins over a code, as everywhere) and kept only when its ``code`` does
    not point at another area, so a mistitled region is left out rather than mis-mapped.
    """
    found: dict[int, str] = {}
    for region in regions:
        if str(region.get("category", "")).upper() != "HYVINVOINTIALUE":
            continue
        title = region.get("title")
        name = title.get("fi") if isinstance(title, Mapping) else title
        result = resolve(name, region.get("code"))
        if result.area is None or any(i.code == "area_code_mismatch" for i in result.issues):
            continue
        try:
            found[int(region["id"])] = result.area.code  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            continue
    return found


@dataclass(frozen=True)
class SotkanetRegion:
    """One of Sotkanet's own region ids: a wellbeing services county (``code`` an area code) or a
    municipality (``code`` its three digits, a former one's old code)."""

    id: int
    category: str  # HYVINVOINTIALUE or KUNTA
    code: str
    name_fi: str


@cache
def sotkanet_regions() -> dict[int, SotkanetRegion]:
    """Sotkanet region id → region, from the shipped table (``data/sotkanet_regions.csv``, read
    from THL's ``/regions`` listing; its source is in ``tests/data/real/PROVENANCE.md``). A file
    saved by a Sotkanet REST client names regions only by these ids."""
    path = _DATA / "sotkanet_regions.csv"
    if not path.exists():
        return {}
    found: dict[int, SotkanetRegion] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                region_id = int(row["sotkanet_id"])
            except (KeyError, TypeError, ValueError):
                continue
            category = (row.get("category") or "").strip().upper()
            found[region_id] = SotkanetRegion(
                region_id, category, (row.get("code") or "").strip(), row.get("name_fi") or ""
            )
    return found
