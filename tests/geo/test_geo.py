"""Boundaries: the source chain, the WFS download against a real local server, simplification
that keeps shared borders (no gaps, no overlaps), the shipped asset, and the tile layout."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box, mapping, shape

from sotedata.domain import areas
from sotedata.domain.settings import Settings
from sotedata.geo import chain, polygons, tiles

CODES = [area.code for area in areas.all_areas()]
SHARED = next(
    (
        folder
        for folder in (
            Path("/work/shared/geo"),
            Path(__file__).resolve().parents[3] / "shared" / "geo",
        )
        if (folder / "hyvinvointialue4500k.geojson").is_file()
    ),
    None,
)
needs_shared = pytest.mark.skipif(
    SHARED is None, reason="../shared/geo (reference boundaries) absent"
)


@pytest.fixture(autouse=True)
def _fresh():
    chain.clear_cache()
    yield
    chain.clear_cache()


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Offline, nothing named, an empty cache, a WFS address where nothing listens."""
    return Settings(
        data_dir=tmp_path,
        database_url="sqlite://",
        boundary_file=None,
        cache_dir=tmp_path / "cache",
        wfs_url="http://127.0.0.1:9/wfs",
        wfs_timeout=0.5,
        offline=True,
    )


# --- test-made geometry -----------------------------------------------------------------------


def squares(size: float = 40_000.0) -> gpd.GeoDataFrame:
    """23 adjacent squares in ETRS-TM35FIN, one per area, in a 5 × 5 grid in central Finland."""
    cells = [
        box(
            300_000 + (i % 5) * size,
            6_900_000 + (i // 5) * size,
            300_000 + (i % 5 + 1) * size,
            6_900_000 + (i // 5 + 1) * size,
        )
        for i in range(len(CODES))
    ]
    return gpd.GeoDataFrame({"code": CODES}, geometry=cells, crs=polygons.PROJECTED_CRS)


def collection(frame: gpd.GeoDataFrame, declare_crs: bool = True, **props) -> dict:
    """``frame`` as a GeoJSON FeatureCollection in the shape of Statistics Finland's layer."""
    features = [
        {
            "type": "Feature",
            "properties": {"hyvinvointialue": code, "nimi": areas.get(code).name_fi, **props},
            "geometry": mapping(geometry),
        }
        for code, geometry in zip(frame["code"], frame.geometry, strict=True)
    ]
    data = {"type": "FeatureCollection", "features": features}
    if declare_crs:
        epsg = frame.crs.to_epsg()
        data["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    return json.loads(json.dumps(data))


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def shared_collection() -> dict:
    return json.loads((SHARED / "hyvinvointialue4500k.geojson").read_text(encoding="utf-8"))


def fill_cache(settings: Settings) -> None:
    features = polygons.simplify_areas(squares())
    chain.write_cache(settings.cache_dir, features, source="http://example.invalid/wfs", layer="x")


# --- a WFS service on 127.0.0.1 ---------------------------------------------------------------


class FakeWFS:
    """An HTTP server in a thread answering GetFeature the way ``mode`` says; records queries."""

    def __init__(self, body: bytes):
        self.body = body
        self.mode = "ok"
        self.queries: list[dict[str, list[str]]] = []
        self.release = threading.Event()
        wfs = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server name)
                wfs.queries.append(parse_qs(urlsplit(self.path).query))
                if wfs.mode == "slow":  # nothing at all for longer than the timeout
                    wfs.release.wait(5)
                if wfs.mode == "trickle":  # steady, but the whole answer takes too long
                    return self.trickle()
                status, body = {
                    "500": (500, b"Internal Server Error"),
                    "invalid": (200, b'<?xml version="1.0"?><ows:ExceptionReport/>'),
                    "missing": (200, wfs.missing_codes()),
                }.get(wfs.mode, (200, wfs.body))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (the slow case)
                    pass

            def trickle(self):
                self.send_response(200)
                self.send_header("Content-Length", str(len(wfs.body)))
                self.end_headers()
                try:
                    for start in range(0, len(wfs.body), 2048):
                        self.wfile.write(wfs.body[start : start + 2048])
                        self.wfile.flush()
                        if wfs.release.wait(0.05):
                            return
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/geoserver/wfs"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def missing_codes(self) -> bytes:
        data = json.loads(self.body)
        data["features"] = [
            f for f in data["features"] if f["properties"]["hyvinvointialue"] != areas.HELSINKI_CODE
        ]
        return json.dumps(data).encode()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def wfs():
    data = shared_collection() if SHARED else collection(squares())
    server = FakeWFS(json.dumps(data).encode())
    yield server
    server.close()


def online(settings: Settings, wfs: FakeWFS) -> Settings:
    """Online against the fake service, with a timeout a loaded CI machine cannot hit for a
    service that answers at once (the slow services' tests set their own 0.5 s)."""
    return replace(settings, offline=False, wfs_url=wfs.url, wfs_timeout=5.0)


# --- the chain --------------------------------------------------------------------------------


def test_user_file_beats_cache_wfs_and_asset(settings, tmp_path, wfs):
    fill_cache(settings)
    path = write(tmp_path / "omat.geojson", collection(squares(30_000)))
    result = chain.load_area_boundaries(replace(online(settings, wfs), boundary_file=path))
    assert result.source == "file" and result.detail == str(path)
    assert wfs.queries == []
    assert result.attribution == "Rajat: Tilastokeskus, CC BY 4.0"
    assert polygons.check_features(result.features) == []


def test_cache_beats_wfs_and_asset(settings, wfs):
    fill_cache(settings)
    result = chain.load_area_boundaries(online(settings, wfs))
    assert result.source == "cache"
    assert wfs.queries == []
    assert "example.invalid" in result.detail


def test_wfs_beats_asset_and_its_download_is_cached(settings, wfs):
    first = chain.load_area_boundaries(online(settings, wfs))
    assert first.source == "wfs", first.attempts
    assert len(wfs.queries) == 1
    query = {key.lower(): values for key, values in wfs.queries[0].items()}
    assert query["service"] == ["WFS"]
    assert query["request"] == ["GetFeature"]
    assert (query.get("typename") or query.get("typenames")) == [chain.AREA_LAYER]
    assert "json" in query["outputformat"][0]
    assert query["srsname"][0].endswith("3067")
    assert polygons.check_features(first.features) == []

    meta = json.loads((settings.cache_dir / chain.CACHE_META_FILE).read_text(encoding="utf-8"))
    assert meta["source"] == wfs.url and meta["layer"] == chain.AREA_LAYER and meta["fetched_at"]
    chain.clear_cache()  # a new process: the file cache answers, the service is not asked again
    second = chain.load_area_boundaries(online(settings, wfs))
    assert second.source == "cache"
    assert len(wfs.queries) == 1
    assert [f["geometry"] for f in second.features] == [f["geometry"] for f in first.features]


WFS_FAILURES = {
    "500": "500 Server Error",
    "invalid": "not JSON",
    "missing": "areas missing: 90",
    "slow": "timed out",
    "trickle": "no complete answer within 0.5 s",
}


# The timeout is what the slow and trickling services are tested against; the services that
# answer at once get a generous one, so a loaded CI machine (two test workers and a browser)
# cannot turn "answers wrongly" into "timed out" and the test asks what it means to ask.
WFS_TIMEOUTS = {"slow": 0.5, "trickle": 0.5}


@pytest.mark.parametrize("mode", sorted(WFS_FAILURES))
def test_a_failing_wfs_falls_through_to_the_asset(settings, wfs, mode, caplog):
    wfs.mode = mode
    timeout = WFS_TIMEOUTS.get(mode, 5.0)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="sotedata.geo.chain"):
        result = chain.load_area_boundaries(replace(online(settings, wfs), wfs_timeout=timeout))
    assert time.monotonic() - started < timeout + 2.5
    assert result.source == "asset"
    assert len(wfs.queries) == 1
    assert not (settings.cache_dir / chain.CACHE_FILE).exists()
    assert result.attempts[2].startswith("wfs: failed")
    assert WFS_FAILURES[mode] in result.attempts[2]
    assert "wfs failed" in caplog.text


def test_the_asset_loads_offline_with_23_valid_areas(settings):
    result = chain.load_area_boundaries(settings)
    assert result.source == "asset" and not result.is_tiles
    assert result.codes == CODES
    assert polygons.check_features(result.features) == []
    assert result.json_bytes() <= polygons.MAX_BROWSER_BYTES
    assert result.attribution == "Rajat: Tilastokeskus, CC BY 4.0"
    asset = json.loads(chain.ASSET_PATH.read_text(encoding="utf-8"))
    assert asset["attribution"] == "Rajat: Tilastokeskus, CC BY 4.0"
    assert "Statistics Finland" in asset["source"]
    assert set(asset["features"][0]["properties"]) == {"code", "name_fi", "name_sv", "name_en"}


def test_tiles_when_nothing_else_works(settings, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(chain, "ASSET_PATH", tmp_path / "missing.geojson")
    broken = write(tmp_path / "rikki.geojson", {"type": "FeatureCollection", "features": []})
    with caplog.at_level(logging.WARNING, logger="sotedata.geo.chain"):
        result = chain.load_area_boundaries(replace(settings, boundary_file=broken))
    assert result.source == "tiles" and result.is_tiles
    assert result.codes == CODES
    assert [a.split(":")[0] for a in result.attempts] == ["file", "cache", "wfs", "asset"]
    assert "file failed" in caplog.text and "asset failed" in caplog.text
    assert result.label() == "Ruutukartta"


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]}),
        json.dumps({"type": "Topology", "objects": {}}),
        json.dumps({**collection(squares()), "crs": {"type": "name", "properties": "?"}}),
    ],
)
def test_a_broken_user_file_is_logged_and_passed(settings, tmp_path, content, caplog):
    path = tmp_path / "rajat.geojson"
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="sotedata.geo.chain"):
        result = chain.load_area_boundaries(replace(settings, boundary_file=path))
    assert result.source == "asset"
    assert "file failed" in caplog.text


def test_a_user_file_missing_an_area_is_passed(settings, tmp_path):
    data = collection(squares())
    data["features"] = data["features"][:-1]
    result = chain.load_area_boundaries(
        replace(settings, boundary_file=write(tmp_path / "a", data))
    )
    assert result.source == "asset"
    assert "areas missing: 91" in result.attempts[0]


def test_a_cache_of_another_version_is_ignored(settings):
    fill_cache(settings)
    meta = settings.cache_dir / chain.CACHE_META_FILE
    meta.write_text(json.dumps({"format": "old"}), encoding="utf-8")
    assert chain.load_area_boundaries(settings).source == "asset"


def test_an_unwritable_cache_still_gives_the_download(settings, tmp_path, wfs):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = chain.load_area_boundaries(replace(online(settings, wfs), cache_dir=blocker / "cache"))
    assert result.source == "wfs"


def test_the_result_is_kept_in_process(settings, tmp_path, monkeypatch):
    path = write(tmp_path / "omat.geojson", collection(squares()))
    named = replace(settings, boundary_file=path)
    first = chain.load_area_boundaries(named)
    monkeypatch.setattr(polygons, "simplify_areas", lambda *a, **k: pytest.fail("simplified again"))
    assert chain.load_area_boundaries(replace(settings, boundary_file=path)) is first


def test_settings_default_to_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    monkeypatch.delenv("SOTE_BOUNDARY_CACHE_DIR", raising=False)
    assert chain.load_area_boundaries().source == "asset"


# --- reading files ----------------------------------------------------------------------------


def test_a_lonlat_file_without_crs_member_reads(settings, tmp_path):
    data = collection(squares().to_crs(polygons.BROWSER_CRS), declare_crs=False)
    result = chain.load_area_boundaries(
        replace(settings, boundary_file=write(tmp_path / "a", data))
    )
    assert result.source == "file"
    assert polygons.check_features(result.features) == []


def test_any_declared_crs_reads_and_lat_lon_order_is_caught(tmp_path):
    frame = squares()
    web_mercator = polygons.read_boundaries(collection(frame.to_crs("EPSG:3857")))
    assert web_mercator.geometry.area.sum() == pytest.approx(frame.area.sum(), rel=1e-3)
    swapped = collection(frame.to_crs(polygons.BROWSER_CRS), declare_crs=False)
    for feature in swapped["features"]:
        geometry = shapely.transform(shape(feature["geometry"]), lambda xy: xy[:, ::-1])
        feature["geometry"] = mapping(geometry)
    read = polygons.read_boundaries(json.loads(json.dumps(swapped)))
    assert read.geometry.area.sum() == pytest.approx(frame.area.sum(), rel=1e-3)


def test_coordinates_outside_finland_are_refused():
    frame = squares()
    data = collection(frame.set_geometry(frame.translate(xoff=5_000_000)))
    with pytest.raises(polygons.BoundaryError, match="not in Finland"):
        polygons.read_boundaries(data)


def test_a_municipality_file_is_dissolved_into_areas(settings, tmp_path):
    frame = squares()
    halves = []
    for code, cell in zip(frame["code"], frame.geometry, strict=True):
        x0, y0, x1, y1 = cell.bounds
        middle = (x0 + x1) / 2
        halves += [(code, box(x0, y0, middle, y1)), (code, box(middle, y0, x1, y1))]
    features = [
        {
            "type": "Feature",
            "properties": {"kunta": f"{i:03d}", "nimi": f"Kunta {i}", "hyvinvointialue": code},
            "geometry": mapping(geometry),
        }
        for i, (code, geometry) in enumerate(halves)
    ]
    path = write(tmp_path / "kunnat.geojson", {"type": "FeatureCollection", "features": features})
    result = chain.load_area_boundaries(replace(settings, boundary_file=path))
    assert result.source == "file"
    for feature, cell in zip(
        result.features, squares().to_crs(polygons.BROWSER_CRS).geometry, strict=True
    ):
        assert shape(feature["geometry"]).geom_type == "Polygon"  # one square again, no seam
        assert shape(feature["geometry"]).area == pytest.approx(cell.area, rel=0.01)


@needs_shared
def test_the_real_municipality_file_dissolves_into_the_area_layer():
    municipalities = json.loads((SHARED / "kunta4500k.geojson").read_text(encoding="utf-8"))
    dissolved = polygons.read_boundaries(municipalities)
    layer = polygons.read_boundaries(shared_collection())
    assert list(dissolved["code"]) == list(layer["code"]) == CODES
    for a, b in zip(dissolved.geometry, layer.geometry, strict=True):
        assert a.symmetric_difference(b).area < 1e-4 * b.area


def test_old_2021_numbering_is_read_by_name():
    data = collection(squares())
    for feature in data["features"]:
        props = feature["properties"]
        props["hyvinvointialue"] = areas.get(props["hyvinvointialue"]).code_2021
    assert list(polygons.read_boundaries(data)["code"]) == CODES


# --- simplification on the real boundaries ----------------------------------------------------


def _holes(geometry) -> int:
    return sum(len(polygon.interiors) for polygon in shapely.get_parts(geometry))


@needs_shared
def test_simplification_keeps_shared_borders_no_gaps_no_overlaps():
    original = polygons.read_boundaries(shared_collection())
    features = polygons.simplify_areas(original)
    assert polygons.check_features(features) == []
    assert [f["code"] for f in features] == CODES
    simplified = gpd.GeoDataFrame(
        {"code": [f["code"] for f in features]},
        geometry=[shape(f["geometry"]) for f in features],
        crs=polygons.BROWSER_CRS,
    ).to_crs(polygons.PROJECTED_CRS)

    before, after = original.union_all(), simplified.union_all()
    assert _holes(after) <= _holes(before)  # no gap opened between neighbours
    assert abs(after.area - before.area) < 0.01 * before.area
    assert after.symmetric_difference(before).area < 0.01 * before.area
    overlap = sum(
        a.intersection(b).area
        for i, a in enumerate(simplified.geometry)
        for b in simplified.geometry[i + 1 :]
        if a.intersects(b)
    )
    assert overlap < 1e-6 * before.area

    for code, new, old in zip(CODES, simplified.geometry, original.geometry, strict=True):
        assert new.is_valid and not new.is_empty, code
        # the archipelago's small islands shrink most: Åland (outside the reform) loses ≈ 5 %
        limit = 0.03 if areas.get(code).in_reform else 0.08
        assert abs(new.area - old.area) < limit * old.area, code
    for code in (areas.HELSINKI_CODE, "04"):  # the two smallest areas survive whole
        index = CODES.index(code)
        assert simplified.geometry[index].area > 0.97 * original.geometry[index].area

    sent = chain.Boundaries("wfs", features, "").json_bytes()
    assert sent <= polygons.MAX_BROWSER_BYTES
    assert sent < len(json.dumps(shared_collection())) / 1.5


def test_features_are_wound_clockwise_for_d3():
    for feature in tiles.tile_features():
        assert not shape(feature["geometry"]).exterior.is_ccw
    asset = polygons.features_from_stored(
        json.loads(chain.ASSET_PATH.read_text(encoding="utf-8")), origin="asset"
    )
    for feature in asset:
        for polygon in shapely.get_parts(shape(feature["geometry"])):
            assert not polygon.exterior.is_ccw, feature["code"]
            assert all(ring.is_ccw for ring in polygon.interiors)


def test_features_carry_code_name_and_reform_flag_at_the_top_and_in_properties(settings):
    for feature in chain.load_area_boundaries(settings).features:
        area = areas.get(feature["code"])
        expected = {"code": area.code, "name_fi": area.name_fi, "in_reform": area.in_reform}
        assert {key: feature[key] for key in expected} == expected
        assert feature["properties"] == expected
    assert chain.load_area_boundaries(settings).json_bytes() == len(
        json.dumps(chain.load_area_boundaries(settings).features)
    )


# --- the tile map -----------------------------------------------------------------------------


def test_tile_layout_has_one_cell_per_area():
    layout = tiles.tile_layout()
    assert sorted(tile["code"] for tile in layout) == sorted(CODES)
    assert len({(tile["row"], tile["col"]) for tile in layout}) == len(CODES)
    where = {tile["code"]: (tile["row"], tile["col"]) for tile in layout}
    bottom = max(row for row, _ in where.values())
    assert where["21"][0] == 0  # Lappi on top
    assert where[areas.HELSINKI_CODE][0] == bottom
    assert where[areas.ALAND_CODE] == (bottom, 0)  # Åland bottom left
    assert where["04"][0] == where[areas.HELSINKI_CODE][0] - 1  # Vantaa-Kerava above Helsinki
    assert where["03"][1] < where["04"][1] < where["01"][1]  # Länsi-, Vantaa-Kerava, Itä-Uusimaa
    assert where["02"][0] < where["04"][0]  # Keski-Uusimaa north of Vantaa-Kerava


def test_tile_features_are_equal_squares_and_always_available(settings, monkeypatch):
    features = tiles.tile_features()
    assert [f["code"] for f in features] == [t["code"] for t in tiles.tile_layout()]
    shapes = [shape(f["geometry"]) for f in features]
    assert len({round(s.area, 9) for s in shapes}) == 1
    for square in shapes:
        x0, y0, x1, y1 = square.bounds
        assert square.area == pytest.approx((x1 - x0) * (y1 - y0)) == pytest.approx((x1 - x0) ** 2)
    assert not any(a.intersects(b) for i, a in enumerate(shapes) for b in shapes[i + 1 :])
    tile_map = chain.tile_boundaries()
    assert tile_map.is_tiles and tile_map.attribution == "" and tile_map.json_bytes() < 10_000
