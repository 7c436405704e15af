"""The municipality → area table and the municipality boundaries of the area page's small map.

The table is checked against facts of Statistics Finland's classification (not against the file
it was built from); the boundary chain runs on a small GeoJSON made here and, when present, on
the reference file in ../shared/geo, with the WFS download against a real local HTTP server.
"""

from __future__ import annotations

import csv
import json
import threading
from collections import Counter
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from shapely.geometry import box, mapping, shape

from sotedata.domain import areas, municipalities
from sotedata.domain.i18n import t
from sotedata.domain.settings import Settings, load_settings
from sotedata.geo import chain as geo
from tests.geo.test_geo import SHARED, needs_shared
from tests.support.registry import area_of

ROOT = Path(__file__).resolve().parents[2]

# --- the table --------------------------------------------------------------------------------


def test_309_municipalities_with_three_digit_text_codes():
    rows = list(csv.DictReader(municipalities.CSV_PATH.open(encoding="utf-8")))
    assert list(rows[0]) == municipalities.FIELDS
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)) == 309
    assert all(len(code) == 3 and code.isdigit() for code in codes)
    assert codes[0] == "005"  # the leading zeros are in the file, not added on reading
    assert all(row["name_fi"] and row["name_sv"] for row in rows)


def test_every_area_has_municipalities_helsinki_alone_and_aland_sixteen():
    per_area = Counter(m.area_code for m in municipalities.all_municipalities())
    assert set(per_area) == {area.code for area in areas.all_areas()}
    assert [m.name_fi for m in municipalities.of_area(areas.HELSINKI_CODE)] == ["Helsinki"]
    assert len(municipalities.of_area("91")) == 16
    assert {m.name_fi for m in municipalities.of_area("04")} == {"Vantaa", "Kerava"}
    assert sum(per_area.values()) == 309


@pytest.mark.parametrize(
    ("name", "area"),
    [("Rovaniemi", "21"), ("Espoo", "03"), ("Tampere", "08"), ("Turku", "05"), ("Oulu", "19")],
)
def test_known_municipalities_are_in_their_area(name, area):
    assert municipalities.by_name(name).area_code == area


def test_lookups_by_code_and_by_name():
    assert municipalities.get("005").name_fi == "Alajärvi"
    assert municipalities.get(5) == municipalities.get("5") == municipalities.get("005")
    assert municipalities.get("5.0").code == "005"  # a code that went through a spreadsheet
    assert municipalities.get("999") is None
    assert municipalities.get("abc") is None
    assert municipalities.get(None) is None
    assert municipalities.by_name("HELSINGFORS").code == "091"  # Swedish, any case
    assert municipalities.by_name("Mariehamn").area_code == "91"
    assert municipalities.by_name("hameenlinna").name_fi == "Hämeenlinna"  # no diacritics
    assert municipalities.by_name("Atlantis") is None
    assert area_of("092") == "04"
    assert area_of("000") is None
    assert municipalities.get("091").name("sv") == "Helsingfors"
    assert municipalities.get("091").name("fi") == "Helsinki"


def test_of_area_is_in_finnish_alphabetical_order_and_empty_for_unknown():
    names = [m.name_fi for m in municipalities.of_area("16")]
    assert names[-1] == "Ähtäri"  # ä after z, as in a Finnish list
    assert names == sorted(names, key=municipalities.finnish_sort_key)
    assert municipalities.of_area("99") == ()


@needs_shared
def test_the_build_script_reproduces_the_committed_table(tmp_path):
    from scripts.build_municipalities import main

    output = tmp_path / "municipalities.csv"
    source = SHARED / "kunta4500k.geojson"  # wherever the reference files were found
    assert main(["--source", str(source), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == municipalities.CSV_PATH.read_text("utf-8")


def test_the_build_script_refuses_a_wrong_table(tmp_path):
    from scripts.build_municipalities import main

    features = [
        {
            "type": "Feature",
            "properties": {
                "kunta": m.code,
                "nimi": m.name_fi,
                "namn": m.name_sv,
                "hyvinvointialue": "90" if m.code == "049" else m.area_code,
            },
            "geometry": None,
        }
        for m in municipalities.all_municipalities()
    ]  # Espoo put into Helsinki's area
    source = tmp_path / "kunnat.geojson"
    source.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    output = tmp_path / "out.csv"
    assert main(["--source", str(source), "--output", str(output)]) == 1
    assert not output.exists()


# --- boundaries -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh():
    geo.clear_municipality_cache()
    yield
    geo.clear_municipality_cache()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url="sqlite://",
        boundary_file=None,
        cache_dir=tmp_path / "cache",
        wfs_url="http://127.0.0.1:9/wfs",
        wfs_timeout=0.5,
        offline=True,
    )


#: Lappi's first three municipalities and Vantaa, Kerava as adjacent squares in ETRS-TM35FIN;
#: "999" is not a municipality (another division) and must be left out
SMALL = ["047", "148", "240", "092", "245", "999"]


def small_collection() -> dict:
    features = [
        {
            "type": "Feature",
            "properties": {"kunta": code, "nimi": f"Kunta {code}", "vuosi": 2021},
            "geometry": mapping(
                box(400_000 + i * 20_000, 7_200_000, 420_000 + i * 20_000, 7_220_000)
            ),
        }
        for i, code in enumerate(SMALL)
    ]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3067"}}
    return {"type": "FeatureCollection", "crs": crs, "features": features}


class Server:
    """A WFS stand-in on 127.0.0.1 that answers every GetFeature with ``status`` and ``body``."""

    def __init__(self, status: int, body: bytes):
        self.queries: list[dict[str, list[str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server name)
                server.queries.append(parse_qs(urlsplit(self.path).query))
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/geoserver/wfs"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def test_nothing_configured_offline_gives_none(settings):
    assert geo.load_municipality_boundaries(settings) is None


def test_a_named_file_gives_the_municipalities_with_the_table_s_names_and_areas(settings, tmp_path):
    path = tmp_path / "kunnat.geojson"
    path.write_text(json.dumps(small_collection()), encoding="utf-8")
    result = geo.load_municipality_boundaries(replace(settings, municipality_boundary_file=path))
    assert result is not None and result.source == "file"
    assert sorted(f["code"] for f in result.features) == sorted(SMALL[:-1])
    vantaa = next(f for f in result.features if f["code"] == "092")
    # names and area from the table, not "Kunta 092" from the file
    assert vantaa["name_fi"] == "Vantaa" and vantaa["area_code"] == "04"
    assert vantaa["properties"]["name_fi"] == "Vantaa"
    assert {f["code"] for f in result.of_area("04")} == {"092", "245"}
    lon, lat = shape(vantaa["geometry"]).centroid.coords[0]
    assert 20 < lon < 32 and 59 < lat < 71  # handed out in lon/lat
    assert result.attribution == "Rajat: Tilastokeskus, CC BY 4.0"


def test_a_broken_named_file_is_passed_and_gives_none_offline(settings, tmp_path):
    path = tmp_path / "rikki.geojson"
    path.write_text("{not json", encoding="utf-8")
    result = geo.load_municipality_boundaries(replace(settings, municipality_boundary_file=path))
    assert result is None


def test_wfs_download_is_cached_and_the_cache_is_used_next_time(settings):
    server = Server(200, json.dumps(small_collection()).encode())
    try:
        online = replace(settings, offline=False, wfs_url=server.url, wfs_timeout=5.0)
        result = geo.load_municipality_boundaries(online)
        assert result is not None and result.source == "wfs"
        assert server.queries[0]["typeName"] == [geo.MUNICIPALITY_LAYER]
        assert (settings.cache_dir / geo.MUNICIPALITY_CACHE_FILE).is_file()
    finally:
        server.close()
    geo.clear_municipality_cache()
    cached = geo.load_municipality_boundaries(settings)  # offline now
    assert cached is not None and cached.source == "cache"
    assert sorted(f["code"] for f in cached.features) == sorted(SMALL[:-1])
    assert cached.features[0]["area_code"] == area_of(cached.features[0]["code"])


def test_a_failing_wfs_gives_none(settings):
    server = Server(500, b"Internal Server Error")
    try:
        online = replace(settings, offline=False, wfs_url=server.url, wfs_timeout=5.0)
        assert geo.load_municipality_boundaries(online) is None
        assert len(server.queries) == 1  # it was asked, and its failure gave no map
    finally:
        server.close()


def test_the_setting_is_read_from_the_environment(tmp_path):
    path = tmp_path / "k.geojson"
    assert (
        load_settings({"SOTE_MUNICIPALITY_BOUNDARY_FILE": str(path)}).municipality_boundary_file
        == path
    )
    assert load_settings({}).municipality_boundary_file is None


@needs_shared
def test_the_reference_municipality_file_gives_all_309_valid_and_in_their_areas(settings):
    path = SHARED / "kunta4500k.geojson"
    result = geo.load_municipality_boundaries(replace(settings, municipality_boundary_file=path))
    assert result is not None
    assert len(result.features) == 309
    assert all(shape(f["geometry"]).is_valid for f in result.features)
    lappi = result.of_area("21")
    assert len(lappi) == len(municipalities.of_area("21")) == 21
    assert len(json.dumps(lappi)) < 50_000  # one area's map stays small in the browser


# --- the area page's municipality section (AppTest) -------------------------------------------


def _section_script(area_code: str, dated: bool = False) -> None:
    from datetime import date

    from ui import area_sections

    as_of = date(2022, 12, 15) if dated else None
    area_sections.municipalities_section(area_code, "fi", as_of=as_of, example=True)


@pytest.fixture
def section(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from ui import area_sections

    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.setenv("SOTE_BOUNDARY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", raising=False)
    area_sections._municipality_boundaries.clear()

    def run(area_code: str, dated: bool = False) -> AppTest:
        at = AppTest.from_function(_section_script, args=(area_code, dated), default_timeout=30)
        return at.run()

    yield run
    area_sections._municipality_boundaries.clear()


def test_without_boundaries_the_section_lists_the_municipalities_and_says_why(section):
    at = section("04")
    assert not at.exception
    assert not at.get("vega_lite_chart")
    table = at.dataframe[0].value
    assert sorted(table[t("municipalities.col.name_fi")]) == ["Kerava", "Vantaa"]
    assert list(table[t("municipalities.col.code")]) == ["245", "092"]  # text, zeros kept
    captions = " ".join(c.value for c in at.caption)
    assert "Vantaa" in captions and "2 kuntaa" in captions
    assert t("municipalities.no_map") in captions


def test_with_boundaries_the_section_draws_the_area_named_on_hover(section, monkeypatch, tmp_path):
    path = tmp_path / "kunnat.geojson"
    path.write_text(json.dumps(small_collection()), encoding="utf-8")
    monkeypatch.setenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", str(path))
    at = section("04")
    assert not at.exception
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    assert spec["mark"]["type"] == "geoshape"
    names = sorted(f["name_fi"] for f in spec["data"]["values"])
    assert names == ["Kerava", "Vantaa"]  # only the area's own municipalities are sent
    tooltip_fields = [tip["field"] for tip in spec["encoding"]["tooltip"]]
    assert tooltip_fields[0] == "name_fi"
    assert "Rajat: Tilastokeskus, CC BY 4.0" in json.dumps(spec["title"])
    assert not at.dataframe
    assert not at.get("download_button")  # no date, no image
    dated = section("04", dated=True)
    labels = [b.proto.label for b in dated.get("download_button")]
    assert labels == ["Kuva (PNG)", "Vektorikuva (SVG)"]
    # an area whose municipalities the file lacks falls back to the list, saying why
    at = section("21")
    assert not at.get("vega_lite_chart")
    assert t("municipalities.no_map.incomplete") in " ".join(c.value for c in at.caption)
