"""Where the maps' boundaries come from, and the tile map that stands in when none are found.

:func:`load_area_boundaries` tries, in this order, and takes the first that works:

1. ``file`` – the GeoJSON file the user names (``SOTE_BOUNDARY_FILE``): areas, or municipalities
   with a ``hyvinvointialue`` property (dissolved into areas); EPSG:3067, EPSG:4326 or any CRS
   declared in a ``crs`` member;
2. ``cache`` – boundaries downloaded earlier, kept in ``SOTE_BOUNDARY_CACHE_DIR``;
3. ``wfs`` – a download from Statistics Finland's WFS service (short timeout; never when
   ``SOTE_OFFLINE``); the simplified result is written to the cache;
4. ``asset`` – the simplified boundaries shipped in ``data/boundaries.geojson``
   (built by ``scripts/build_boundaries.py``);
5. ``tiles`` – one equal square per area (``data/tiles.csv``): always there.

A step that fails logs why and the next one is tried; only programming errors reach the caller.
The result is kept for the life of the process (per :class:`~sotedata.domain.settings.Settings`), so
a Streamlit rerun neither downloads nor simplifies again. Delete the cache folder to download anew.

The municipalities (the area page's small map) come through the same chain, one :class:`Level`
down: a file the user names (``SOTE_MUNICIPALITY_BOUNDARY_FILE``), the cache, a download of
``MUNICIPALITY_LAYER``; no municipality asset ships (one small asset is allowed, the areas'), so
without one the page lists the municipalities instead. Which area a municipality belongs to always
comes from :mod:`sotedata.domain.municipalities` (the live layer does not carry it).

Reading, simplifying and the features themselves are :mod:`.polygons`; the tile map :mod:`.tiles`.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import requests
from pyproj.exceptions import ProjError
from shapely.errors import GEOSException

from ..domain import areas
from ..domain.i18n import t
from ..domain.settings import Settings, load_settings
from . import polygons
from .polygons import FORMAT, MUNICIPALITY_FORMAT, PROJECTED_CRS, BoundaryError, features_of
from .tiles import TILES_PATH, tile_features

log = logging.getLogger(__name__)

Source = Literal["file", "cache", "wfs", "asset", "tiles"]

AREA_LAYER = "tilastointialueet:hyvinvointialue4500k"
MUNICIPALITY_LAYER = "tilastointialueet:kunta4500k"
MAX_DOWNLOAD_BYTES = 30_000_000
ASSET_PATH = Path(__file__).resolve().parents[1] / "data" / "boundaries.geojson"
CACHE_FILE = "hyvinvointialue.geojson"
CACHE_META_FILE = "hyvinvointialue.meta.json"
MUNICIPALITY_CACHE_FILE = "kunta.geojson"
MUNICIPALITY_CACHE_META_FILE = "kunta.meta.json"
LICENSE = "CC BY 4.0"


class _Skipped(Exception):
    """A source that is not configured (no file named, offline, nothing cached): not a failure."""


#: What a source may raise on bad input or no network; anything else is a bug and propagates.
#: ``requests.RequestException`` is an ``OSError``; ``json.JSONDecodeError`` a ``ValueError``.
_DATA_ERRORS = (BoundaryError, OSError, ValueError, GEOSException, ProjError)


@dataclass(frozen=True)
class Boundaries:
    """The areas to draw and where they came from. Treat ``features`` as read-only (shared)."""

    source: Source
    #: GeoJSON features in EPSG:4326; each has ``code``, ``name_fi`` and ``in_reform`` both at the
    #: top level (for Altair selections) and in ``properties``.
    features: list[dict[str, Any]]
    attribution: str  # "Rajat: Tilastokeskus, CC BY 4.0"; empty for the tile map
    is_tiles: bool = False
    detail: str = ""  # the file or address the boundaries were read from
    attempts: tuple[str, ...] = field(default=())  # why the sources before this one were passed

    @property
    def codes(self) -> list[str]:
        return [feature["code"] for feature in self.features]

    def feature(self, code: str) -> dict[str, Any] | None:
        return next((f for f in self.features if f["code"] == code), None)

    def json_bytes(self) -> int:
        """Bytes of the features as JSON the way Streamlit sends a chart's data (``json.dumps``)."""
        return len(json.dumps(self.features).encode("utf-8"))

    def label(self, lang: str | None = None) -> str:
        """Where the boundaries came from, for the page ("Tilastokeskuksen WFS-palvelu")."""
        return t(f"geo.source.{self.source}", lang)


@dataclass(frozen=True)
class MunicipalityBoundaries:
    """Municipality shapes and where they came from. ``features`` are shared: read-only."""

    source: Source
    #: GeoJSON features in EPSG:4326 with ``code``, ``name_fi``, ``name_sv`` and ``area_code``
    #: (from the municipality table) at the top level and in ``properties``
    features: list[dict[str, Any]]
    attribution: str
    detail: str = ""
    attempts: tuple[str, ...] = field(default=())

    def of_area(self, area_code: str) -> list[dict[str, Any]]:
        """The features of one area's municipalities."""
        return [f for f in self.features if f["area_code"] == area_code]


# --- stored files: the caches and the shipped asset --------------------------------------------


def _collection(format_: str, stored: list[dict[str, Any]], members: dict[str, object]) -> dict:
    header = {
        "type": "FeatureCollection",
        "format": format_,
        "attribution": t("geo.attribution", "fi"),
        "license": LICENSE,
    }
    return {**header, **members, "features": stored}


def stored_collection(features: list[dict[str, Any]], **members: object) -> dict[str, Any]:
    """The areas as a file stores them: code and the three names, with a note of the source."""
    stored = []
    for feature in features:
        area = areas.get(feature["code"])
        properties = {
            "code": area.code,
            "name_fi": area.name_fi,
            "name_sv": area.name_sv,
            "name_en": area.name_en,
        }
        stored.append(
            {"type": "Feature", "properties": properties, "geometry": feature["geometry"]}
        )
    return _collection(FORMAT, stored, members)


def municipality_collection(features: list[dict[str, Any]], **members: object) -> dict[str, Any]:
    """Municipalities as the cache stores them: the code only (the names and the area come from
    the municipality table when the file is read back)."""
    stored = [
        {"type": "Feature", "properties": {"code": f["code"]}, "geometry": f["geometry"]}
        for f in features
    ]
    return _collection(MUNICIPALITY_FORMAT, stored, members)


def write_json_atomic(path: Path, data: object) -> int:
    """Write compact JSON to ``path`` via a temporary file (no half-written file); bytes written."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
    temporary = Path(handle.name)
    temporary.chmod(0o644)  # NamedTemporaryFile makes it private; the file is meant to be read
    temporary.replace(path)
    return len(text.encode("utf-8"))


# --- the levels -------------------------------------------------------------------------------


def _area_features(data: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    return polygons.simplify_areas(polygons.read_boundaries(data, origin=origin))


def _municipality_features(data: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    return polygons.simplify_municipalities(polygons.read_municipalities(data, origin=origin))


@dataclass(frozen=True)
class Level:
    """What the one chain needs to know of a kind of boundary: the areas, or the municipalities."""

    name: str  # how the log names it
    layer: str  # the WFS layer
    setting: str  # the variable naming a user's file
    user_file: Callable[[Settings], Path | None]
    sources: tuple[Source, ...]  # the steps tried, in order
    format: str
    cache_file: str
    cache_meta_file: str
    #: raw GeoJSON (a user's file, a download) to the app's features: read and simplified
    features: Callable[[Mapping[str, Any], str], list[dict[str, Any]]]
    #: a cached or shipped file (already simplified) to the app's features, checked
    stored: Callable[[Mapping[str, Any], str], list[dict[str, Any]]]
    collection: Callable[..., dict[str, Any]]  # features to a file to cache
    own_attribution: bool = False  # a user's file may name its own attribution


AREAS = Level(
    name="Area boundaries",
    layer=AREA_LAYER,
    setting="SOTE_BOUNDARY_FILE",
    user_file=lambda settings: settings.boundary_file,
    sources=("file", "cache", "wfs", "asset"),
    format=FORMAT,
    cache_file=CACHE_FILE,
    cache_meta_file=CACHE_META_FILE,
    features=_area_features,
    stored=polygons.features_from_stored,
    collection=stored_collection,
    own_attribution=True,
)
MUNICIPALITIES = Level(
    name="Municipality boundaries",
    layer=MUNICIPALITY_LAYER,
    setting="SOTE_MUNICIPALITY_BOUNDARY_FILE",
    user_file=lambda settings: settings.municipality_boundary_file,
    sources=("file", "cache", "wfs"),
    format=MUNICIPALITY_FORMAT,
    cache_file=MUNICIPALITY_CACHE_FILE,
    cache_meta_file=MUNICIPALITY_CACHE_META_FILE,
    features=_municipality_features,
    stored=polygons.municipalities_from_stored,
    collection=municipality_collection,
)


def write_cache(
    cache_dir: Path,
    features: list[dict[str, Any]],
    *,
    source: str,
    layer: str,
    level: Level = AREAS,
) -> None:
    """Keep downloaded (simplified) boundaries and a note of where and when they came from."""
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    collection = level.collection(features, source=f"{source} {layer}")
    write_json_atomic(cache_dir / level.cache_file, collection)
    meta = {"format": level.format, "source": source, "layer": layer, "fetched_at": fetched_at}
    write_json_atomic(cache_dir / level.cache_meta_file, meta)
    log.info("%s: cached in %s", level.name, cache_dir)


# --- the chain --------------------------------------------------------------------------------


def load_area_boundaries(settings: Settings | None = None) -> Boundaries:
    """The boundaries of the 23 areas from the first source that works (see the module doc)."""
    return _load_area_boundaries(settings if settings is not None else load_settings())


def clear_cache() -> None:
    """Forget the boundaries kept in this process (tests; after the cache folder was changed)."""
    _load_area_boundaries.cache_clear()


def load_municipality_boundaries(settings: Settings | None = None) -> MunicipalityBoundaries | None:
    """The municipalities from the first source that works, or None (see the module doc)."""
    return _load_municipality_boundaries(settings if settings is not None else load_settings())


def clear_municipality_cache() -> None:
    """Forget the municipality boundaries kept in this process (tests)."""
    _load_municipality_boundaries.cache_clear()


@cache
def _load_area_boundaries(settings: Settings) -> Boundaries:
    found, attempts = first_source(AREAS, settings)
    if found is None:
        log.warning("Area boundaries: no source worked, drawing the tile map")
        return tile_boundaries(attempts)
    result = Boundaries(
        found.source, found.features, found.attribution, False, found.detail, attempts
    )
    log.info("Area boundaries: %d bytes to the browser", result.json_bytes())
    return result


@cache
def _load_municipality_boundaries(settings: Settings) -> MunicipalityBoundaries | None:
    found, attempts = first_source(MUNICIPALITIES, settings)
    if found is None:
        log.info("Municipality boundaries: none (%s)", "; ".join(attempts))
        return None
    return MunicipalityBoundaries(
        found.source, found.features, found.attribution, found.detail, attempts
    )


def tile_boundaries(attempts: tuple[str, ...] = ()) -> Boundaries:
    """The tile map as :class:`Boundaries` (source ``tiles``): the last fallback and a view."""
    return Boundaries("tiles", tile_features(), "", True, str(TILES_PATH), attempts)


@dataclass(frozen=True)
class Found:
    """What a source of the chain gave."""

    source: Source
    features: list[dict[str, Any]]
    attribution: str
    detail: str  # the file or address the boundaries were read from


def first_source(level: Level, settings: Settings) -> tuple[Found | None, tuple[str, ...]]:
    """The first of ``level``'s sources that works, and why each one before it was passed."""
    attempts: list[str] = []
    for source in level.sources:
        try:
            features, detail, attribution = _STEPS[source](level, settings)
        except _Skipped as why:
            log.info("%s: %s skipped: %s", level.name, source, why)
            attempts.append(f"{source}: skipped: {why}")
            continue
        except _DATA_ERRORS as why:
            reason = str(why) or type(why).__name__
            log.warning("%s: %s failed, trying the next source: %s", level.name, source, reason)
            attempts.append(f"{source}: failed: {reason}")
            continue
        log.info("%s from %s (%s): %d features", level.name, source, detail, len(features))
        return Found(source, features, attribution, detail), tuple(attempts)
    return None, tuple(attempts)


Step = tuple[list[dict[str, Any]], str, str]  # features, detail, attribution


def _from_user_file(level: Level, settings: Settings) -> Step:
    path = level.user_file(settings)
    if path is None:
        raise _Skipped(f"no file named ({level.setting})")
    data = polygons.read_json(path)
    features = level.features(data, str(path))
    own = data.get("attribution") if level.own_attribution else None
    attribution = own if isinstance(own, str) and own.strip() else t("geo.attribution")
    return features, str(path), attribution


def _from_cache(level: Level, settings: Settings) -> Step:
    path = settings.cache_dir / level.cache_file
    if not path.is_file():
        raise _Skipped(f"nothing cached in {path}")
    meta_path = settings.cache_dir / level.cache_meta_file
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as why:
        raise BoundaryError(f"cache metadata {meta_path} unreadable: {why}") from why
    if not isinstance(meta, dict) or meta.get("format") != level.format:
        raise BoundaryError(f"cache {path} was written by another version; delete it to refetch")
    features = level.stored(polygons.read_json(path), str(path))
    detail = f"{path} ({meta.get('source', '?')}, {meta.get('fetched_at', '?')})"
    return features, detail, t("geo.attribution")


def _from_wfs(level: Level, settings: Settings) -> Step:
    if settings.offline:
        raise _Skipped("offline (SOTE_OFFLINE)")
    data = fetch_wfs_layer(settings.wfs_url, level.layer, timeout=settings.wfs_timeout)
    features = level.features(data, settings.wfs_url)
    try:
        write_cache(
            settings.cache_dir, features, source=settings.wfs_url, layer=level.layer, level=level
        )
    except OSError as why:
        log.warning("%s: could not write the cache in %s: %s", level.name, settings.cache_dir, why)
    return features, settings.wfs_url, t("geo.attribution")


def _from_asset(level: Level, settings: Settings) -> Step:
    """The areas shipped with the app (the only level that has an asset)."""
    features = level.stored(polygons.read_json(ASSET_PATH), str(ASSET_PATH))
    return features, str(ASSET_PATH), t("geo.attribution")


_STEPS: dict[Source, Callable[[Level, Settings], Step]] = {
    "file": _from_user_file,
    "cache": _from_cache,
    "wfs": _from_wfs,
    "asset": _from_asset,
}


# --- the WFS service --------------------------------------------------------------------------


def wfs_params(layer: str) -> dict[str, str]:
    """The GetFeature request of one layer as GeoJSON in ETRS-TM35FIN."""
    return {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeName": layer,
        "outputFormat": "json",
        "srsName": PROJECTED_CRS,
    }


def fetch_wfs_layer(url: str, layer: str, *, timeout: float) -> dict[str, Any]:
    """One WFS layer as parsed GeoJSON, within ``timeout`` seconds in all (connect + download).

    Raises ``requests.RequestException`` (an ``OSError``) for network and HTTP errors and
    :class:`BoundaryError` for an answer that is not a GeoJSON FeatureCollection (GeoServer
    reports its own errors as XML with status 200).
    """
    deadline = time.monotonic() + timeout
    headers = {"Accept": "application/json", "User-Agent": "sote-tilannekuva"}
    with requests.get(
        url, params=wfs_params(layer), timeout=timeout, stream=True, headers=headers
    ) as response:
        response.raise_for_status()
        body = bytearray()
        # small pieces, so that a slow but steady answer is cut off near the deadline too
        for chunk in response.iter_content(chunk_size=8192):
            body += chunk
            if time.monotonic() > deadline:
                raise BoundaryError(f"{url}: no complete answer within {timeout:g} s")
            if len(body) > MAX_DOWNLOAD_BYTES:
                raise BoundaryError(f"{url}: answer larger than {MAX_DOWNLOAD_BYTES} bytes")
    try:
        data = json.loads(bytes(body))
    except ValueError as why:
        start = bytes(body[:160]).decode("utf-8", "replace").strip()
        raise BoundaryError(f"{url}: the answer is not JSON: {start!r}") from why
    features_of(data, url)
    return data
