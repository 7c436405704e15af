"""Boundary polygons: reading GeoJSON of the areas or the municipalities, telling its CRS,
simplifying it for the browser, and the features the app hands out.

:func:`simplify_areas` and :func:`simplify_municipalities` are the one simplification of the app
(both through :func:`simplified`): the topology is built first (``topojson``), so neighbours
share one border and simplification leaves no slivers or gaps between them. The features handed
out are GeoJSON in EPSG:4326 (lon/lat), coordinates rounded, exterior rings clockwise — the
winding d3-geo (and so Vega-Lite) expects; with RFC 7946's counter-clockwise rings d3 fills the
whole globe outside each area instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
import topojson
from pyproj import CRS
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from ..domain import areas, municipalities

log = logging.getLogger(__name__)

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
#: ETRS-TM35FIN box around Finland with a margin; data outside it is in the wrong CRS.
FINLAND_BOX_3067 = (-100_000.0, 6_400_000.0, 1_000_000.0, 7_900_000.0)
#: Written into the area cache and the asset; bump it when the simplification or the format
#: changes so that an old cache is not used.
FORMAT = "sote-tilannekuva/boundaries/1"
MUNICIPALITY_FORMAT = "sote-tilannekuva/municipalities/1"
#: an area's map is small but some areas are too (Vantaa-Kerava ≈ 30 km across): 250 m keeps
#: their shapes; the whole country is then ≈ 0.5 MB in the cache, one area a few tens of KB.
MUNICIPALITY_TOLERANCE_M = 250.0
MUNICIPALITY_DECIMALS = 4

_CODE_KEYS = ("code", "hyvinvointialue", "hyvinvointialuekoodi", "hva", "koodi", "tunnus")
_NAME_KEYS = ("nimi", "name_fi", "name", "namn", "name_sv", "name_en")
_MUNICIPALITY_CODE_KEYS = ("kunta", "kuntakoodi", "kunta_koodi", "natcode", "code", "koodi")


class BoundaryError(Exception):
    """A source of boundaries cannot be used: the message says why (logged, never shown raw)."""


# --- reading ----------------------------------------------------------------------------------


def read_json(path: Path) -> dict[str, Any]:
    """A JSON file that must hold an object (a FeatureCollection, a cache's note)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise BoundaryError(f"{path}: not a JSON object")
    return data


def features_of(data: object, origin: str) -> list[dict[str, Any]]:
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


def geometry_of(raw: Mapping[str, Any], where: str) -> BaseGeometry:
    """A feature's geometry as its polygons, or a :class:`BoundaryError` naming the feature."""
    try:
        geometry = shape(raw)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, GEOSException) as why:
        raise BoundaryError(f"{where}: invalid geometry ({why})") from why
    polygons = polygonal(geometry)
    if polygons is None:
        raise BoundaryError(f"{where}: no polygon in the geometry ({geometry.geom_type})")
    return polygons


def polygonal(geometry: BaseGeometry | None) -> Polygon | MultiPolygon | None:
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


def text_of(value: object) -> str | None:
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
        code = text_of(props.get("hyvinvointialue"))
        result = areas.resolve(None, code) if code else None
    else:
        code = next((c for key in _CODE_KEYS if (c := text_of(props.get(key)))), None)
        name = next((n for key in _NAME_KEYS if (n := text_of(props.get(key)))), None)
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


def projected_frame(
    codes: list[str], geometries: list[BaseGeometry], data: Mapping[str, Any], origin: str
) -> gpd.GeoDataFrame:
    """``code`` and ``geometry`` in EPSG:3067, repaired, one row per code (duplicates dissolved):
    what both levels' readers do once they know each feature's code.

    Without a ``crs`` member the CRS is told from the numbers (lon/lat or ETRS-TM35FIN); lon/lat
    written latitude first is swapped. Raises :class:`BoundaryError` outside Finland.
    """
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
            log.warning("Boundaries: %s has latitude before longitude; swapped", origin)
            frame = swapped
    if not _in_finland(frame):
        raise BoundaryError(f"{origin}: the coordinates are not in Finland in {crs.to_string()}")
    if not frame.is_valid.all():
        log.info("Boundaries: %s: repairing invalid geometries", origin)
        repaired = [g if g.is_valid else polygonal(shapely.make_valid(g)) for g in frame.geometry]
        frame = gpd.GeoDataFrame({"code": frame["code"]}, geometry=repaired, crs=PROJECTED_CRS)
        frame = frame[~frame.geometry.isna()]
    if frame["code"].duplicated().any():
        frame = frame.dissolve(by="code", as_index=False)[["code", "geometry"]]
    return frame


def read_boundaries(data: Mapping[str, Any], origin: str = "GeoJSON") -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection of the areas (or of municipalities) as one row per area.

    Returns columns ``code`` and ``geometry`` in EPSG:3067, in code order, one row per area (a
    municipality file is dissolved by its ``hyvinvointialue``). Raises :class:`BoundaryError`
    unless all 23 areas are there.
    """
    codes: list[str] = []
    geometries: list[BaseGeometry] = []
    for number, feature in enumerate(features_of(data, origin), 1):
        where = f"{origin}: feature {number}"
        code = _feature_code(feature.get("properties") or {}, where)
        if code is not None:
            codes.append(code)
            geometries.append(geometry_of(feature["geometry"], where))
    if not codes:
        raise BoundaryError(f"{origin}: no feature names an area")
    frame = projected_frame(codes, geometries, data, origin)
    require_all_codes(frame["code"], origin)
    order = {area.code: i for i, area in enumerate(areas.all_areas())}
    frame = frame.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)
    return frame[["code", "geometry"]]


def read_municipalities(data: Mapping[str, Any], origin: str = "GeoJSON") -> gpd.GeoDataFrame:
    """A GeoJSON FeatureCollection of municipalities as ``code`` (three digits) and ``geometry``
    in EPSG:3067. Features whose code the municipality table lacks (another year's division) are
    left out with a warning; raises :class:`BoundaryError` when none is known."""
    codes: list[str] = []
    geometries: list[BaseGeometry] = []
    for number, feature in enumerate(features_of(data, origin), 1):
        props = feature.get("properties") or {}
        raw = next((c for key in _MUNICIPALITY_CODE_KEYS if (c := text_of(props.get(key)))), None)
        municipality = municipalities.get(raw)
        if municipality is None:
            log.warning(
                "Municipality boundaries: %s feature %d: unknown code %r", origin, number, raw
            )
            continue
        codes.append(municipality.code)
        geometries.append(geometry_of(feature["geometry"], f"{origin}: feature {number}"))
    if not codes:
        raise BoundaryError(f"{origin}: no feature is a known municipality")
    frame = projected_frame(codes, geometries, data, origin)
    return frame.sort_values("code").reset_index(drop=True)[["code", "geometry"]]


def require_all_codes(codes: Iterable[str], origin: str) -> None:
    """A map of the areas has all 23 or is not used (a gap would read as "no data")."""
    found = set(codes)
    missing = [area.code for area in areas.all_areas() if area.code not in found]
    if missing:
        raise BoundaryError(f"{origin}: areas missing: {', '.join(missing)}")


# --- simplification ---------------------------------------------------------------------------


def simplified(
    frame: gpd.GeoDataFrame, tolerance: float, decimals: int, origin: str
) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """Each code's simplified GeoJSON geometry (None when it vanished): the one topology step of
    both levels, so that neighbours keep one shared border."""
    try:
        topology = topojson.Topology(
            frame[["code", "geometry"]].to_crs(PROJECTED_CRS),
            prequantize=PREQUANTIZE,
            toposimplify=tolerance,
        )
        result = topology.to_gdf(crs=PROJECTED_CRS)
    except Exception as why:  # a third-party library on outside data: any failure is the data's
        log.warning("Boundaries: topology of %s failed", origin, exc_info=True)
        raise BoundaryError(f"{origin}: topology failed: {why!r}") from why
    lonlat = result.to_crs(BROWSER_CRS)
    rounded = shapely.transform(lonlat.geometry.values, lambda xy: np.round(xy, decimals))
    for code, geometry in zip(lonlat["code"], rounded, strict=True):
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        geometry = polygonal(geometry)
        if geometry is None:
            yield code, None
            continue
        geometry = shapely.orient_polygons(geometry, exterior_cw=True)
        yield code, json.loads(shapely.to_geojson(geometry))


def _finish(
    frame: gpd.GeoDataFrame, tolerance: float, decimals: int, origin: str
) -> list[dict[str, Any]]:
    features = []
    for code, geometry in simplified(frame, tolerance, decimals, origin):
        if geometry is None:
            raise BoundaryError(f"{origin}: area {code} vanished in simplification")
        features.append(area_feature(code, geometry))
    require_all_codes((f["code"] for f in features), origin)
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


def simplify_municipalities(
    frame: gpd.GeoDataFrame,
    *,
    tolerance: float = MUNICIPALITY_TOLERANCE_M,
    decimals: int = MUNICIPALITY_DECIMALS,
    origin: str = "municipalities",
) -> list[dict[str, Any]]:
    """Municipalities simplified the way :func:`simplify_areas` does areas (shared borders kept,
    lon/lat rounded, rings clockwise for d3), with a finer tolerance for the small area maps."""
    features = []
    for code, geometry in simplified(frame, tolerance, decimals, origin):
        if geometry is None:
            log.warning("Municipality boundaries: %s vanished in simplification", code)
            continue
        made = municipality_feature(code, geometry)
        if made is not None:
            features.append(made)
    return features


def municipality_feature(code: str, geometry: dict[str, Any]) -> dict[str, Any] | None:
    """A municipality as the app hands it out (None for a code the table does not know)."""
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


# --- stored files: the caches and the shipped asset -------------------------------------------


def features_from_stored(data: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    """Features from a file written by :func:`stored_collection` (already simplified), checked."""
    if data.get("format") != FORMAT:
        raise BoundaryError(f"{origin}: format {data.get('format')!r}, expected {FORMAT!r}")
    features = []
    for number, feature in enumerate(features_of(data, origin), 1):
        where = f"{origin}: feature {number}"
        code = text_of((feature.get("properties") or {}).get("code"))
        if code not in areas.by_code():
            raise BoundaryError(f"{where}: unknown area code {code!r}")
        geometry = geometry_of(feature["geometry"], where)
        if not geometry.is_valid:
            raise BoundaryError(f"{where}: invalid geometry")
        features.append(area_feature(code, feature["geometry"]))
    require_all_codes((f["code"] for f in features), origin)
    return features


def municipalities_from_stored(data: Mapping[str, Any], origin: str) -> list[dict[str, Any]]:
    """Municipalities from a cached file (already simplified): features the table does not know
    or with an invalid geometry are left out; none known is a :class:`BoundaryError`."""
    if data.get("format") != MUNICIPALITY_FORMAT:
        raise BoundaryError(
            f"{origin}: format {data.get('format')!r}, expected {MUNICIPALITY_FORMAT!r}"
        )
    features = []
    for number, feature in enumerate(features_of(data, origin), 1):
        code = text_of((feature.get("properties") or {}).get("code"))
        geometry = geometry_of(feature["geometry"], f"{origin}: feature {number}")
        if code is not None and geometry.is_valid:
            made = municipality_feature(code, feature["geometry"])
            if made is not None:
                features.append(made)
    if not features:
        raise BoundaryError(f"{origin}: no known municipality")
    return features
