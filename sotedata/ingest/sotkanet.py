"""THL's Sotkanet open REST API (version 1.1), as its documentation describes it.

No machine here reaches the service, so this follows the published interface and is tested
against a local server that answers the same way:

* ``GET {base}/1.1/indicators/{id}``: the indicator's metadata (``title`` per language,
  ``organization.title``, ``range.start``/``range.end`` years);
* ``GET {base}/1.1/regions``: every region (``id``, ``title`` per language, ``code``,
  ``category``: ``HYVINVOINTIALUE``, ``KUNTA``, ``MAAKUNTA``, ``MAA``, …);
* ``GET {base}/1.1/json?indicator={id}&years=Y&years=Y…&genders=total``: the values, one object
  per region and year (``region`` is a region's id, ``value`` may be absent).

The values take the same path as a file import (``store_parsed``): wellbeing services counties
through the registry (``sotkanet_regions.sotkanet_ids``, and the shipped id table
``data/sotkanet_regions.csv`` for ids the listing lacks), municipalities by their code checked by
name, other categories counted and left out with an ``ignored_level`` warning. THL's data is CC BY
4.0.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import requests

from ..domain import areas, municipalities, sotkanet_regions
from ..domain.errors import Issue, SoteError
from ..domain.indicators import (
    AREA_LEVEL,
    MUNICIPALITY_LEVEL,
    Indicator,
    IndicatorValue,
    parse_period,
)
from .report import ParsedFile, SheetInfo

DEFAULT_URL = "https://sotkanet.fi/rest"
LICENCE = "CC BY 4.0 (THL, Sotkanet)"
TIMEOUT = 30.0


class Client:
    """A thin reader of the three endpoints; every failure becomes ``sotkanet_unreachable``."""

    def __init__(self, base_url: str = DEFAULT_URL, timeout: float = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "sote-tilannekuva"

    def _get(self, path: str, params: list[tuple[str, str]] | None = None) -> tuple[Any, bytes]:
        url = f"{self.base_url}/1.1/{path}"
        try:
            response = self.session.get(url, params=params, timeout=self.timeout)
            response.raise_for_status()
            return response.json(), response.content
        except (requests.RequestException, ValueError) as error:
            raise SoteError(
                Issue("sotkanet_unreachable", params={"url": url, "reason": type(error).__name__})
            ) from error

    def indicator(self, indicator_id: int) -> dict[str, Any]:
        data, _ = self._get(f"indicators/{indicator_id}")
        return data if isinstance(data, dict) else {}

    def regions(self) -> list[dict[str, Any]]:
        data, _ = self._get("regions")
        return data if isinstance(data, list) else []

    def values(self, indicator_id: int, years: Iterable[int]) -> tuple[list[dict[str, Any]], bytes]:
        params = [("indicator", str(indicator_id))]
        params += [("years", str(year)) for year in years]
        params.append(("genders", "total"))
        data, raw = self._get("json", params)
        return (data if isinstance(data, list) else []), raw


def _title(value: Any, lang: str = "fi") -> str:
    if isinstance(value, Mapping):
        return str(value.get(lang) or next(iter(value.values()), "") or "")
    return str(value or "")


def indicator_of(meta: Mapping[str, Any], indicator_id: int) -> Indicator:
    organization = meta.get("organization")
    source = _title(organization.get("title")) if isinstance(organization, Mapping) else ""
    return Indicator(
        key=f"sotkanet:{indicator_id}",
        name=_title(meta.get("title")) or f"Sotkanet {indicator_id}",
        unit=None,
        source=f"{source} (Sotkanet)" if source else "THL, Sotkanet",
        licence=LICENCE,
    )


def years_of(meta: Mapping[str, Any]) -> list[int]:
    """Every year the indicator has, from its metadata's range."""
    span = meta.get("range")
    if not isinstance(span, Mapping):
        return []
    try:
        first, last = int(span["start"]), int(span["end"])
    except (KeyError, TypeError, ValueError):
        return []
    return list(range(first, last + 1))


def _municipality(region: Mapping[str, Any]) -> municipalities.Municipality | None:
    """A KUNTA region: the code (zero-padded) checked by the Finnish title; the title wins."""
    title = _title(region.get("title"))
    by_name = municipalities.by_name(title) if title else None
    if by_name is not None:
        return by_name
    code = str(region.get("code") or "").strip()
    return municipalities.get(code.zfill(3)) if code.isdigit() else None


def to_parsed(
    indicator_id: int,
    meta: Mapping[str, Any],
    regions: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    raw: bytes,
) -> ParsedFile:
    """The fetched values as a parsed import: what ``store_parsed`` stores like a file."""
    name = f"sotkanet-{indicator_id}"
    parsed = ParsedFile(
        name, hashlib.sha256(raw + json.dumps(meta, sort_keys=True).encode()).hexdigest()
    )
    indicator = indicator_of(meta, indicator_id)
    area_ids = sotkanet_regions.sotkanet_ids(regions)
    by_id = {int(r["id"]): r for r in regions if str(r.get("id", "")).isdigit()}
    # the shipped id table fills what the listing lacks (a partial or failed /regions answer)
    for region_id, known in sotkanet_regions.sotkanet_regions().items():
        if region_id in by_id:
            continue
        by_id[region_id] = {
            "id": region_id,
            "category": known.category,
            "code": known.code,
            "title": {"fi": known.name_fi},
        }
        if known.category == "HYVINVOINTIALUE":
            area_ids.setdefault(region_id, known.code)
    skipped: Counter[str] = Counter()
    values: dict[tuple[str, str, str], IndicatorValue] = {}
    for row in rows:
        if str(row.get("gender", "total")).lower() != "total":
            continue
        try:
            region_id = int(row["region"])
        except (KeyError, TypeError, ValueError):
            skipped["?"] += 1
            continue
        period = parse_period(row.get("year"))
        if period is None:
            skipped["?"] += 1
            continue
        region = by_id.get(region_id, {})
        category = str(region.get("category", "")).upper()
        value = row.get("value")
        number = float(value) if isinstance(value, int | float) else None
        if region_id in area_ids:
            code = area_ids[region_id]
            item = IndicatorValue(indicator.key, AREA_LEVEL, code, code, period, number)
        elif category == "KUNTA" and (town := _municipality(region)) is not None:
            item = IndicatorValue(
                indicator.key, MUNICIPALITY_LEVEL, town.code, town.area_code, period, number
            )
        else:
            skipped[category or "?"] += 1
            continue
        if item.area_code not in areas.REFORM_CODES:  # Åland's municipalities
            skipped["AHVENANMAA"] += 1
            continue
        values[(item.level, item.region_code, period.text)] = item
    parsed.indicator_values = list(values.values())
    parsed.indicators = [indicator] if values else []
    parsed.sheets = [SheetInfo(name, "indicators", len(rows))]
    parsed.warnings = [
        Issue("ignored_level", "warning", file=name, params={"level": category})
        for category in sorted(skipped)
    ]
    if not values:
        parsed.errors = [Issue("nothing_to_import", file=name, params={"file": name})]
    return parsed


def fetch(client: Client, indicator_id: int, years: list[int] | None = None) -> ParsedFile:
    """Fetch one indicator for all regions and the given years (default: all it has)."""
    meta = client.indicator(indicator_id)
    chosen = years or years_of(meta)
    if not chosen:
        raise SoteError(Issue("sotkanet_no_years", params={"indicator": indicator_id}))
    regions = client.regions()
    rows, raw = client.values(indicator_id, chosen)
    return to_parsed(indicator_id, meta, regions, rows, raw)
