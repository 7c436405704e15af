"""Where the map's area boundaries come from, and the tile map that stands in when none are found.

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

Every source goes through :func:`simplify_areas`, the one place boundaries are simplified: the
topology is built first (``topojson``), so neighbours share one border and simplification leaves
no slivers or gaps between them. The features handed out are GeoJSON in EPSG:4326 (lon/lat),
coordinates rounded, exterior rings clockwise — the winding d3-geo (and so Vega-Lite) expects;
with RFC 7946's counter-clockwise rings d3 fills the whole globe outside each area instead.
"""

from __future__ import annotations

import csv
import json
import logging
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import requests
import shapely
import topojson
from pyproj import CRS
from pyproj.exceptions import ProjError
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from ..domain import areas
from ..domain.i18n import t
from ..domain.settings import Settings, load_settings

log = logging.getLogger(__name__)

Source = Literal["file", "cache", "wfs", "asset", "tiles"]
SOURCES: tuple[Source, ...] = ("file", "cache", "wfs", "asset", "tiles")

AREA_LAYER = "tilastointialueet:hyvinvointialue4500k"
MUNICIPALITY_LAYER = "tilastointialueet:kunta4500k"
PROJECTED_CRS = "EPSG:3067"  # ETRS-TM35FIN, metres: simplification happens here
BROWSER_CRS = "EPSG:4326"  # lon/lat, what Vega-Lite's projections take

#: Douglas–Peucker tolerance on the shared arcs, metres. A map of Finland ~600 px high shows about
#: 2 km per pixel, so 1 km is invisible; 5 km broke shapes. Larger steps are tried only when a
#: detailed file would otherwise not fit :data:`MAX_BROWSER_BYTES`.
SIMPLIFY_TOLERANCES_M: tuple[float, ...] = (1000.0, 1500.0, 2000.0)
#: Decimals kept of lon/lat: 3 ≈ 110 m north–south, 55 m east–west, a twentieth of a pixel.
#: Four decimals cost ≈ 4.5 KB more for nothing visible.
COORDINATE_DECIMALS = 3
PREQUANTIZE = 1_000_000  # topology grid: about a metre across Finland
#: The most JSON the map may send to the browser (``json.dumps`` of the features, like Streamlit).
MAX_BROWSER_BYTES = 50_000
MAX_DOWNLOAD_BYTES = 30_000_000
#: ETRS-TM35FIN box around Finland with a margin; data outside it is in the wrong CRS.
FINLAND_BOX_3067 = (-100_000.0, 6_400_000.0, 1_000_000.0, 7_900_000.0)
#: Written into the cache and the asset; bump it when the simplification or the format changes so
#: that an old cache is not used.
FORMAT = "sote-tilannekuva/boundaries/1"

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
ASSET_PATH = DATA_DIR / "boundaries.geojson"
TILES_PATH = DATA_DIR / "tiles.csv"
CACHE_FILE = "hyvinvointialue.geojson"
CACHE_META_FILE = "hyvinvointialue.meta.json"
LICENSE = "CC BY 4.0"

_CODE_KEYS = ("code", "hyvinvointialue", "hyvinvointialuekoodi", "hva", "koodi", "tunnus")
_NAME_KEYS = ("nimi", "name_fi", "name", "namn", "name_sv", "name_en")


class BoundaryError(Exception):
    """A source of boundaries cannot be used: the message says why (logged, never shown raw)."""


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


# --- the chain --------------------------------------------------------------------------------


def load_area_boundaries(settings: Settings | None = None) -> Boundaries:
    """The boundaries of the 23 areas from the first source that works (see the module doc)."""
    return _load_area_boundaries(settings if settings is not None else load_settings())


def clear_cache() -> None:
    """Forget the boundaries kept in this process (tests; after the cache folder was changed)."""
    _load_area_boundaries.cache_clear()


@cache
def _load_area_boundaries(settings: Settings) -> Boundaries:
    attempts: list[str] = []
    steps = (
        ("file", _from_user_file),
        ("cache", _from_cache),
        ("wfs", _from_wfs),
        ("asset", _from_asset),
    )
    for source, step in steps:
        try:
            features, detail, attribution = step(settings)
        except _Skipped as why:
            log.info("Area boundaries: %s skipped: %s", source, why)
            attempts.append(f"{source}: skipped: {why}")
            continue
        except _DATA_ERRORS as why:
            reason = str(why) or type(why).__name__
            log.warning("Area boundaries: %s failed, trying the next source: %s", source, reason)
            attempts.append(f"{source}: failed: {reason}")
            continue
        result = Boundaries(source, features, attribution, False, detail, tuple(attempts))
        log.info(
            "Area boundaries from %s (%s): %d areas, %d bytes to the browser",
            source,
            detail,
            len(features),
            result.json_bytes(),
        )
        return result
    log.warning("Area boundaries: no source worked, drawing the tile map")
    return tile_boundaries(tuple(attempts))


def _from_user_file(settings: Settings) -> tuple[list[dict], str, str]:
    path = settings.boundary_file
    if path is None:
        raise _Skipped("no file named (SOTE_BOUNDARY_FILE)")
    data = _read_json(path)
    features = simplify_areas(read_boundaries(data, origin=str(path)))
    own = data.get("attribution")
    attribution = own if isinstance(own, str) and own.strip() else t("geo.attribution")
    return features, str(path), attribution


def _from_cache(settings: Settings) -> tuple[list[dict], str, str]:
    path = settings.cache_dir / CACHE_FILE
    if not path.is_file():
        raise _Skipped(f"nothing cached in {path}")
    meta_path = settings.cache_dir / CACHE_META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as why:
        raise BoundaryError(f"cache metadata {meta_path} unreadable: {why}") from why
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise BoundaryError(f"cache {path} was written by another version; delete it to refetch")
    features = features_from_stored(_read_json(path), origin=str(path))
    detail = f"{path} ({meta.get('source', '?')}, {meta.get('fetched_at', '?')})"
    return features, detail, t("geo.attribution")


def _from_wfs(settings: Settings) -> tuple[list[dict], str, str]:
    if settings.offline:
        raise _Skipped("offline (SOTE_OFFLINE)")
    data = fetch_wfs_layer(settings.wfs_url, AREA_LAYER, timeout=settings.wfs_timeout)
    features = simplify_areas(read_boundaries(data, origin=settings.wfs_url))
    try:
        write_cache(settings.cache_dir, features, source=settings.wfs_url, layer=AREA_LAYER)
    except OSError as why:
        log.warning("Area boundaries: could not write the cache in %s: %s", settings.cache_dir, why)
    return features, settings.wfs_url, t("geo.attribution")


def _from_asset(settings: Settings) -> tuple[list[dict], str, str]:
    features = features_from_stored(_read_json(ASSET_PATH), origin=str(ASSET_PATH))
    return features, str(ASSET_PATH), t("geo.attribution")


# --- reading ----------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise BoundaryError(f"{path}: not a JSON object")
    return data


def _features_of(data: object, origin: str) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection, each checked to be a Feature object."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryError(f"{origin}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryError(f"{origin}: the FeatureCollection has no features")
    for number, feature in enumerate(features, 1):
        if not isinstance(feature, dict) or not isinstance(feature.get("geometry"), dict):
            raise BoundaryError(f"{origin}: feature {number} has no geometry")
        if not isinstance(feature.get("properties") or {}, dict):
            raise BoundaryError(f"{origin}: feature {number} has malformed properties")
    return features


def _geometry(raw: Mapping[str, Any], where: str) -> BaseGeometry:
    try:
        geometry = shape(raw)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, GEOSException) as why:
        raise BoundaryError(f"{where}: invalid geometry ({why})") from why
    polygonal = _polygonal(geometry)
    if polygonal is None:
        raise BoundaryError(f"{where}: no polygon in the geometry ({geometry.geom_type})")
    return polygonal


def _polygonal(geometry: BaseGeometry | None) -> Polygon | MultiPolygon | None:
    """The non-empty polygons of ``geometry`` as one Polygon or MultiPolygon, or None."""
    polygons: list[Polygon] = []
    pending = [geometry] if geometry is not None else []
    while pending:
        item = pending.pop(0)
        if isinstance(item, Polygon):
            if not item.is_empty:
                polygons.append(item)
        elif hasattr(item, "geoms"):
            pending[:0] = list(item.geoms)
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _text(value: object) -> str | None:
    """A property value as stripped text ("5.0" from a spreadsheet-made number as "5"), or None."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text or None


def _feature_code(props: Mapping[str, Any], where: str) -> str | None:
    """The area code a feature's properties mean (a name wins over a code, as in areas.resolve)."""
    if "kunta" in props:  # a municipality: its area is in ``hyvinvointialue``
        code = _text(props.get("hyvinvointialue"))
        result = areas.resolve(None, code) if code else None
    else:
        code = next((c for key in _CODE_KEYS if (c := _text(props.get(key)))), None)
        name = next((n for key in _NAME_KEYS if (n := _text(props.get(key)))), None)
        result = areas.resolve(name, code) if name else None
        if (result is None or result.area is None) and code:
            result = areas.resolve(None, code)
    if result is None or result.area is None:
        log.warning("Area boundaries: %s names no area (%s); left out", where, dict(props))
        return None
    for issue in result.issues:
        log.warning("Area boundaries: %s: %s", where, issue.render())
    return result.code


def _declared_crs(data: Mapping[str, Any], origin: str) -> CRS | None:
    member = data.get("crs")
    if member is None:
        return None
    properties = member.get("properties") if isinstance(member, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else member
    if not isinstance(name, str):
        raise BoundaryError(f"{origin}: unreadable crs member {member!r}")
    return CRS.from_user_input(name)


def _in_finland(frame: gpd.GeoDataFrame) -> bool:
    x0, y0, x1, y1 = frame.total_bounds
    bx0, by0, bx1, by1 = FINLAND_BOX_3067
    return bool(bx0 <= x0 and by0 <= y0 and x1 <= bx1 and y1 <= by1)


def read_boundaries(data: Mapping[str, Any], origin: str = "GeoJSON") -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection of the areas (or of municipalities) as one row per area.

    Returns columns ``code`` and ``geometry`` in EPSG:3067, in code order, one row per area (a
    municipality file is dissolved by its ``hyvinvointialue``). Without a ``crs`` member the CRS
    is told from the numbers (lon/lat or ETRS-TM35FIN). Raises :class:`BoundaryError` unless all
    23 areas are there.
    """
    features = _features_of(data, origin)
    codes: list[str] = []
    geometries: list[BaseGeometry] = []
    for number, feature in enumerate(features, 1):
        where = f"{origin}: feature {number}"
        code = _feature_code(feature.get("properties") or {}, where)
        if code is not None:
            codes.append(code)
            geometries.append(_geometry(feature["geometry"], where))
    if not codes:
        raise BoundaryError(f"{origin}: no feature names an area")
    crs = _declared_crs(data, origin)
    if crs is None:
        x0, y0, x1, y1 = shapely.total_bounds(geometries)
        geographic = x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90
        crs = CRS.from_user_input(BROWSER_CRS if geographic else PROJECTED_CRS)
    frame = gpd.GeoDataFrame({"code": codes}, geometry=geometries, crs=crs).to_crs(PROJECTED_CRS)
    if not _in_finland(frame) and crs.is_geographic:
        swapped = gpd.GeoDataFrame(
            {"code": codes},
            geometry=shapely.transform(geometries, lambda xy: xy[:, ::-1]),
            crs=crs,
        ).to_crs(PROJECTED_CRS)
        if _in_finland(swapped):
            log.warning("Area boundaries: %s has latitude before longitude; swapped", origin)
            frame = swapped
    if not _in_finland(frame):
        raise BoundaryError(f"{origin}: the coordinates are not in Finland in {crs.to_string()}")
    if not frame.is_valid.all():
        log.info("Area boundaries: %s: repairing invalid geometries", origin)
        repaired = [g if g.is_valid else _polygonal(shapely.make_valid(g)) for g in frame.geometry]
        frame = gpd.GeoDataFrame({"code": frame["code"]}, geometry=repaired, crs=PROJECTED_CRS)
        frame = frame[~frame.geometry.isna()]
    if frame["code"].duplicated().any():
        frame = frame.dissolve(by="code", as_index=False)[["code", "geometry"]]
    _require_all_codes(frame["code"], origin)
    order = {area.code: i for i, area in enumerate(areas.all_areas())}
    frame = frame.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)
    return frame[["code", "geometry"]]


def _require_all_codes(codes: Iterable[str], origin: str) -> None:
    found = set(codes)
    missing = [area.code for area in areas.all_areas() if area.code not in found]
    if missing:
        raise BoundaryError(f"{origin}: areas missing: {', '.join(missing)}")


# --- simplification ---------------------------------------------------------------------------


def _finish(
    frame: gpd.GeoDataFrame, tolerance: float, decimals: int, origin: str
) -> list[dict[str, Any]]:
    try:
        topology = topojson.Topology(
            frame[["code", "geometry"]], prequantize=PREQUANTIZE, toposimplify=tolerance
        )
        simplified = topology.to_gdf(crs=PROJECTED_CRS)
    except Exception as why:  # a third-party library on outside data: any failure is the data's
        log.warning("Area boundaries: topology of %s failed", origin, exc_info=True)
        raise BoundaryError(f"{origin}: topology failed: {why!r}") from why
    lonlat = simplified.to_crs(BROWSER_CRS)
    rounded = shapely.transform(lonlat.geometry.values, lambda xy: np.round(xy, decimals))
    features = []
    for code, geometry in zip(lonlat["code"], rounded, strict=True):
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        geometry = _polygonal(geometry)
        if geometry is None:
            raise BoundaryError(f"{origin}: area {code} vanished in simplification")
        geometry = shapely.orient_polygons(geometry, exterior_cw=True)
        features.append(area_feature(code, json.loads(shapely.to_geojson(geometry))))
    _require_all_codes((f["code"] for f in features), origin)
    return features


def simplify_areas(
    frame: gpd.GeoDataFrame,
    *,
    tolerances: Iterable[float] = SIMPLIFY_TOLERANCES_M,
    decimals: int = COORDINATE_DECIMALS,
    max_bytes: int = MAX_BROWSER_BYTES,
    origin: str = "boundaries",
) -> list[dict[str, Any]]:
    """The areas of ``frame`` (``code``, ``geometry``; any CRS, EPSG:3067 preferred) as features.

    The one simplification of the app, for every source and for the shipped asset: a topology is
    built so that neighbours share their border, its arcs are simplified (Douglas–Peucker, the
    first tolerance in metres whose result fits ``max_bytes``), then reprojected to EPSG:4326,
    rounded to ``decimals`` and wound clockwise. Raises :class:`BoundaryError` when an area
    vanishes or nothing fits.
    """
    if frame.crs is None:
        raise BoundaryError(f"{origin}: no CRS")
    frame = frame.to_crs(PROJECTED_CRS)
    size = 0
    for tolerance in tolerances:
        features = _finish(frame, tolerance, decimals, origin)
        size = len(json.dumps(features).encode("utf-8"))
        if size <= max_bytes:
            return features
        log.info(
            "Area boundaries: %s at %g m is %d bytes; simplifying more", origin, tolerance, size
        )
    raise BoundaryError(f"{origin}: still {size} bytes after simplification (limit {max_bytes})")


def area_feature(code: str, geometry: dict[str, Any]) -> dict[str, Any]:
    """A feature as the app hands it out: code, name, reform flag at the top and in properties."""
    area = areas.get(code)
    fields = {"code": code, "name_fi": area.name_fi, "in_reform": area.in_reform}
    return {"type": "Feature", **fields, "properties": dict(fields), "geometry": geometry}


def check_features(features: list[dict[str, Any]]) -> list[str]:
    """What is wrong with a feature list (nothing when the 23 areas are there, valid, non-empty)."""
    problems = []
    codes = [feature.get("code") for feature in features]
    expected = [area.code for area in areas.all_areas()]
    if sorted(c for c in codes if c) != sorted(expected):
        problems.append(f"codes {codes} are not the 23 areas")
    for feature in features:
        geometry = shape(feature["geometry"])
        if geometry.is_empty or not geometry.is_valid or geometry.area <= 0:
            problems.append(f"area {feature.get('code')}: geometry empty or invalid")
    return problems


# --- stored files: the cache and the shipped asset --------------------------------------------


def stored_collection(features: list[dict[str, Any]], **members: object) -> dict[str, Any]:
    """The features as a file stores them: code and the three names, with a note of the source."""
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
    header = {
        "type": "FeatureCollection",
        "format": FORMAT,
        "attribution": t("geo.attribution", "fi"),
        "license": LICENSE,
    }
    return {**header, **members, "features": stored}


def features_from_stored(data: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    """Features from a file written by :func:`stored_collection` (already simplified), checked."""
    if data.get("format") != FORMAT:
        raise BoundaryError(f"{origin}: format {data.get('format')!r}, expected {FORMAT!r}")
    features = []
    for number, feature in enumerate(_features_of(data, origin), 1):
        where = f"{origin}: feature {number}"
        code = _text((feature.get("properties") or {}).get("code"))
        if code not in areas.by_code():
            raise BoundaryError(f"{where}: unknown area code {code!r}")
        geometry = _geometry(feature["geometry"], where)
        if not geometry.is_valid:
            raise BoundaryError(f"{where}: invalid geometry")
        features.append(area_feature(code, feature["geometry"]))
    _require_all_codes((f["code"] for f in features), origin)
    return features


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


def write_cache(
    cache_dir: Path, features: list[dict[str, Any]], *, source: str, layer: str
) -> None:
    """Keep downloaded (simplified) boundaries and a note of where and when they came from."""
    fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
    write_json_atomic(
        cache_dir / CACHE_FILE, stored_collection(features, source=f"{source} {layer}")
    )
    meta = {"format": FORMAT, "source": source, "layer": layer, "fetched_at": fetched_at}
    write_json_atomic(cache_dir / CACHE_META_FILE, meta)
    log.info("Area boundaries: cached in %s", cache_dir)


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
    _features_of(data, url)
    return data


# --- the tile map -----------------------------------------------------------------------------


@cache
def _tile_rows() -> tuple[tuple[str, int, int], ...]:
    with TILES_PATH.open(encoding="utf-8") as handle:
        rows = tuple((r["code"], int(r["row"]), int(r["col"])) for r in csv.DictReader(handle))
    codes = [code for code, _, _ in rows]
    cells = {(row, col) for _, row, col in rows}
    if sorted(codes) != sorted(area.code for area in areas.all_areas()) or len(cells) != len(rows):
        raise ValueError(f"{TILES_PATH}: every area needs exactly one tile of its own")
    return rows


def tile_layout() -> list[dict[str, Any]]:
    """One equal tile per area (row 0 at the top: Lappi; Helsinki and Åland at the bottom).

    Rows of ``code``, ``row``, ``col``, ``name_fi``, ``in_reform`` in code order: for a chart that
    draws the tiles itself (``mark_rect`` / ``mark_square`` on row and col).
    """
    order = {area.code: i for i, area in enumerate(areas.all_areas())}
    return [
        {
            "code": code,
            "row": row,
            "col": col,
            "name_fi": areas.get(code).name_fi,
            "in_reform": areas.get(code).in_reform,
        }
        for code, row, col in sorted(_tile_rows(), key=lambda r: order[r[0]])
    ]


def tile_features(size: float = 1.0, gap: float = 0.1) -> list[dict[str, Any]]:
    """The tile map as square polygons in a made-up lon/lat space near (0°, 0°).

    Column ``c``, row ``r`` covers lon ``c·size … (c+1)·size`` and lat ``-r·size … -(r+1)·size``
    less ``gap`` between tiles, so the same choropleth code draws it (with any projection: it is
    so close to the equator that a square stays square). Rings are clockwise like the real map.
    """
    features = []
    inset = gap / 2
    for tile in tile_layout():
        west, east = tile["col"] * size + inset, (tile["col"] + 1) * size - inset
        north, south = -tile["row"] * size - inset, -(tile["row"] + 1) * size + inset
        ring = [[west, north], [east, north], [east, south], [west, south], [west, north]]
        feature = area_feature(tile["code"], {"type": "Polygon", "coordinates": [ring]})
        feature["row"], feature["col"] = tile["row"], tile["col"]
        features.append(feature)
    return features


def tile_boundaries(attempts: tuple[str, ...] = ()) -> Boundaries:
    """The tile map as :class:`Boundaries` (source ``tiles``): the last fallback and a view."""
    return Boundaries("tiles", tile_features(), "", True, str(TILES_PATH), attempts)


# --- municipalities (the area page's small map) -----------------------------------------------
#
# No municipality asset ships with the app (one small asset is allowed, the areas'), so the chain
# is shorter: a file the user names (``SOTE_MUNICIPALITY_BOUNDARY_FILE``), the cache, a download
# of ``MUNICIPALITY_LAYER``; else None and the page lists the municipalities instead. Which area
# a municipality belongs to always comes from :mod:`sotedata.domain.municipalities` (the live layer
# does not carry it), never from the boundary file.

MUNICIPALITY_FORMAT = "sote-tilannekuva/municipalities/1"
MUNICIPALITY_CACHE_FILE = "kunta.geojson"
MUNICIPALITY_CACHE_META_FILE = "kunta.meta.json"
#: an area's map is small but some areas are too (Vantaa-Kerava ≈ 30 km across): 250 m keeps
#: their shapes; the whole country is then ≈ 0.5 MB in the cache, one area a few tens of KB.
MUNICIPALITY_TOLERANCE_M = 250.0
MUNICIPALITY_DECIMALS = 4
_MUNICIPALITY_CODE_KEYS = ("kunta", "kuntakoodi", "kunta_koodi", "natcode", "code", "koodi")


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


def load_municipality_boundaries(settings: Settings | None = None) -> MunicipalityBoundaries | None:
    """The municipalities from the first source that works, or None (see the section above)."""
    return _load_municipality_boundaries(settings if settings is not None else load_settings())


def clear_municipality_cache() -> None:
    """Forget the municipality boundaries kept in this process (tests)."""
    _load_municipality_boundaries.cache_clear()


@cache
def _load_municipality_boundaries(settings: Settings) -> MunicipalityBoundaries | None:
    attempts: list[str] = []
    steps = (
        ("file", _municipalities_from_user_file),
        ("cache", _municipalities_from_cache),
        ("wfs", _municipalities_from_wfs),
    )
    for source, step in steps:
        try:
            features, detail = step(settings)
        except _Skipped as why:
            attempts.append(f"{source}: skipped: {why}")
            continue
        except _DATA_ERRORS as why:
            reason = str(why) or type(why).__name__
            log.warning("Municipality boundaries: %s failed: %s", source, reason)
            attempts.append(f"{source}: failed: {reason}")
            continue
        log.info("Municipality boundaries from %s (%s): %d", source, detail, len(features))
        return MunicipalityBoundaries(
            source, features, t("geo.attribution"), detail, tuple(attempts)
        )
    log.info("Municipality boundaries: none (%s)", "; ".join(attempts))
    return None


def _municipalities_from_user_file(settings: Settings) -> tuple[list[dict], str]:
    path = settings.municipality_boundary_file
    if path is None:
        raise _Skipped("no file named (SOTE_MUNICIPALITY_BOUNDARY_FILE)")
    data = _read_json(path)
    return simplify_municipalities(read_municipalities(data, origin=str(path))), str(path)


def _municipalities_from_cache(settings: Settings) -> tuple[list[dict], str]:
    path = settings.cache_dir / MUNICIPALITY_CACHE_FILE
    if not path.is_file():
        raise _Skipped(f"nothing cached in {path}")
    data = _read_json(path)
    if data.get("format") != MUNICIPALITY_FORMAT:
        raise BoundaryError(f"cache {path} was written by another version; delete it to refetch")
    features = []
    for number, feature in enumerate(_features_of(data, str(path)), 1):
        code = _text((feature.get("properties") or {}).get("code"))
        geometry = _geometry(feature["geometry"], f"{path}: feature {number}")
        if code is not None and geometry.is_valid:
            made = municipality_feature(code, feature["geometry"])
            if made is not None:
                features.append(made)
    if not features:
        raise BoundaryError(f"{path}: no known municipality")
    return features, f"{path} ({data.get('source', '?')})"


def _municipalities_from_wfs(settings: Settings) -> tuple[list[dict], str]:
    if settings.offline:
        raise _Skipped("offline (SOTE_OFFLINE)")
    data = fetch_wfs_layer(settings.wfs_url, MUNICIPALITY_LAYER, timeout=settings.wfs_timeout)
    features = simplify_municipalities(read_municipalities(data, origin=settings.wfs_url))
    try:
        write_json_atomic(
            settings.cache_dir / MUNICIPALITY_CACHE_FILE,
            {
                "type": "FeatureCollection",
                "format": MUNICIPALITY_FORMAT,
                "attribution": t("geo.attribution", "fi"),
                "license": LICENSE,
                "source": f"{settings.wfs_url} {MUNICIPALITY_LAYER}",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": f["code"]},
                        "geometry": f["geometry"],
                    }
                    for f in features
                ],
            },
        )
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        meta = {
            "format": MUNICIPALITY_FORMAT,
            "layer": MUNICIPALITY_LAYER,
            "fetched_at": fetched_at,
        }
        write_json_atomic(settings.cache_dir / MUNICIPALITY_CACHE_META_FILE, meta)
    except OSError as why:
        log.warning("Municipality boundaries: could not write the cache: %s", why)
    return features, settings.wfs_url


def municipality_feature(code: str, geometry: dict[str, Any]) -> dict[str, Any] | None:
    """A municipality as the app hands it out (None for a code the table does not know)."""
    from ..domain import municipalities  # the table module imports nothing from here

    municipality = municipalities.get(code)
    if municipality is None:
        return None
    fields = {
        "code": municipality.code,
        "name_fi": municipality.name_fi,
        "name_sv": municipality.name_sv,
        "area_code": municipality.area_code,
    }
    return {"type": "Feature", **fields, "properties": dict(fields), "geometry": geometry}


def read_municipalities(data: Mapping[str, Any], origin: str = "GeoJSON") -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection of municipalities as ``code`` (three digits) and ``geometry``
    in EPSG:3067. Features whose code the municipality table lacks (another year's division) are
    left out with a warning; raises :class:`BoundaryError` when none is known."""
    from ..domain import municipalities

    codes: list[str] = []
    geometries: list[BaseGeometry] = []
    for number, feature in enumerate(_features_of(data, origin), 1):
        props = feature.get("properties") or {}
        raw = next((c for key in _MUNICIPALITY_CODE_KEYS if (c := _text(props.get(key)))), None)
        municipality = municipalities.get(raw)
        if municipality is None:
            log.warning(
                "Municipality boundaries: %s feature %d: unknown code %r", origin, number, raw
            )
            continue
        codes.append(municipality.code)
        geometries.append(_geometry(feature["geometry"], f"{origin}: feature {number}"))
    if not codes:
        raise BoundaryError(f"{origin}: no feature is a known municipality")
    crs = _declared_crs(data, origin)
    if crs is None:
        x0, y0, x1, y1 = shapely.total_bounds(geometries)
        geographic = x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90
        crs = CRS.from_user_input(BROWSER_CRS if geographic else PROJECTED_CRS)
    frame = gpd.GeoDataFrame({"code": codes}, geometry=geometries, crs=crs).to_crs(PROJECTED_CRS)
    if not _in_finland(frame):
        raise BoundaryError(f"{origin}: the coordinates are not in Finland in {crs.to_string()}")
    if not frame.is_valid.all():
        repaired = [g if g.is_valid else _polygonal(shapely.make_valid(g)) for g in frame.geometry]
        frame = gpd.GeoDataFrame({"code": frame["code"]}, geometry=repaired, crs=PROJECTED_CRS)
        frame = frame[~frame.geometry.isna()]
    if frame["code"].duplicated().any():
        frame = frame.dissolve(by="code", as_index=False)[["code", "geometry"]]
    return frame.sort_values("code").reset_index(drop=True)[["code", "geometry"]]


def simplify_municipalities(
    frame: gpd.GeoDataFrame,
    *,
    tolerance: float = MUNICIPALITY_TOLERANCE_M,
    decimals: int = MUNICIPALITY_DECIMALS,
    origin: str = "municipalities",
) -> list[dict[str, Any]]:
    """Municipalities simplified the way :func:`simplify_areas` does areas (shared borders kept,
    lon/lat rounded, rings clockwise for d3), with a finer tolerance for the small area maps."""
    try:
        topology = topojson.Topology(
            frame[["code", "geometry"]].to_crs(PROJECTED_CRS),
            prequantize=PREQUANTIZE,
            toposimplify=tolerance,
        )
        simplified = topology.to_gdf(crs=PROJECTED_CRS)
    except Exception as why:  # a third-party library on outside data: any failure is the data's
        raise BoundaryError(f"{origin}: topology failed: {why!r}") from why
    lonlat = simplified.to_crs(BROWSER_CRS)
    rounded = shapely.transform(lonlat.geometry.values, lambda xy: np.round(xy, decimals))
    features = []
    for code, geometry in zip(lonlat["code"], rounded, strict=True):
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        geometry = _polygonal(geometry)
        if geometry is None:
            log.warning("Municipality boundaries: %s vanished in simplification", code)
            continue
        geometry = shapely.orient_polygons(geometry, exterior_cw=True)
        made = municipality_feature(code, json.loads(shapely.to_geojson(geometry)))
        if made is not None:
            features.append(made)
    return features
