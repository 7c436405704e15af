"""THL's Sotkanet API, answered by a local server the way its documentation describes it."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from sotedata.cli import main
from sotedata.domain.errors import SoteError
from sotedata.ingest import sotkanet
from sotedata.store.engine import Store

META = {
    "id": 3064,
    "title": {"fi": "THL:n sairastavuusindeksi, ikävakioitu", "sv": "THL:s sjuklighetsindex"},
    "organization": {"id": 2, "title": {"fi": "Terveyden ja hyvinvoinnin laitos (THL)"}},
    "range": {"start": 2020, "end": 2021},
}
REGIONS = [
    {
        "id": 991,
        "title": {"fi": "Lapin hyvinvointialue"},
        "code": "21",
        "category": "HYVINVOINTIALUE",
    },
    {
        "id": 990,
        "title": {"fi": "Kainuun hyvinvointialue"},
        "code": "20",
        "category": "HYVINVOINTIALUE",
    },
    {"id": 301, "title": {"fi": "Helsinki"}, "code": "91", "category": "KUNTA"},
    {"id": 302, "title": {"fi": "Alajärvi"}, "code": "5", "category": "KUNTA"},
    {"id": 303, "title": {"fi": "Maarianhamina"}, "code": "478", "category": "KUNTA"},
    {"id": 401, "title": {"fi": "Lappi"}, "code": "19", "category": "MAAKUNTA"},
    {"id": 501, "title": {"fi": "Koko maa"}, "code": "SSS", "category": "MAA"},
]
VALUES = [
    {"indicator": 3064, "region": 991, "year": 2021, "gender": "total", "value": 123.4},
    {"indicator": 3064, "region": 991, "year": 2020, "gender": "total", "value": 121.0},
    {"indicator": 3064, "region": 990, "year": 2021, "gender": "total"},  # no value: missing
    {"indicator": 3064, "region": 301, "year": 2021, "gender": "total", "value": 88.1},
    {"indicator": 3064, "region": 302, "year": 2021, "gender": "total", "value": 140.2},
    {"indicator": 3064, "region": 302, "year": 2021, "gender": "male", "value": 150.0},
    {"indicator": 3064, "region": 303, "year": 2021, "gender": "total", "value": 95.0},
    {"indicator": 3064, "region": 401, "year": 2021, "gender": "total", "value": 122.9},
    {"indicator": 3064, "region": 501, "year": 2021, "gender": "total", "value": 100.0},
]


class FakeSotkanet:
    def __init__(self):
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.fail = False
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                api.requests.append((parts.path, parse_qs(parts.query)))
                routes = {
                    "/rest/1.1/indicators/3064": META,
                    "/rest/1.1/regions": REGIONS,
                    "/rest/1.1/json": VALUES,
                }
                if api.fail or parts.path not in routes:
                    self.send_response(500 if api.fail else 404)
                    self.end_headers()
                    return
                body = json.dumps(routes[parts.path]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rest"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api():
    server = FakeSotkanet()
    yield server
    server.close()


def test_the_values_are_asked_for_as_documented(api):
    sotkanet.fetch(sotkanet.Client(api.url), 3064)
    paths = [path for path, _ in api.requests]
    assert paths == ["/rest/1.1/indicators/3064", "/rest/1.1/regions", "/rest/1.1/json"]
    query = api.requests[-1][1]
    assert query == {"indicator": ["3064"], "years": ["2020", "2021"], "genders": ["total"]}


def test_areas_and_municipalities_map_and_other_levels_are_left_out(api):
    parsed = sotkanet.fetch(sotkanet.Client(api.url), 3064, [2021])
    got = {(v.level, v.region_code, v.period.text): v.value for v in parsed.indicator_values}
    assert got == {
        ("area", "21", "2020"): 121.0,  # the server answers every year; all are kept
        ("area", "21", "2021"): 123.4,
        ("area", "20", "2021"): None,
        ("municipality", "091", "2021"): 88.1,
        ("municipality", "005", "2021"): 140.2,  # "5" with its zeros back, the male row left out
    }
    assert sorted(w.params["level"] for w in parsed.warnings) == ["AHVENANMAA", "MAA", "MAAKUNTA"]
    (indicator,) = parsed.indicators
    assert indicator.key == "sotkanet:3064" and indicator.licence.startswith("CC BY 4.0")
    assert indicator.source.startswith("Terveyden ja hyvinvoinnin laitos")


def test_a_server_error_is_an_issue_not_a_traceback(api):
    api.fail = True
    with pytest.raises(SoteError) as caught:
        sotkanet.fetch(sotkanet.Client(api.url), 3064)
    assert caught.value.issues[0].code == "sotkanet_unreachable"


def test_the_cli_stores_a_fetch_like_an_import_and_twice_is_a_duplicate(
    api, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("SOTE_SOTKANET_URL", api.url)
    monkeypatch.delenv("SOTE_USER", raising=False)
    db = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    assert main(["indicators", "fetch", "--sotkanet", "3064", "--json", "--db", db]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["ok"] and first["counts"]["indicator_values"] == 5
    assert first["counts"]["municipalities"] == 2
    assert first["counts"]["areas"] == ["16", "20", "21", "90"]  # Alajärvi is in area 16
    with Store.open(db) as store:
        assert len(store.indicator_values("sotkanet:3064")) == 5
    assert main(["indicators", "fetch", "--sotkanet", "3064", "--json", "--db", db]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["import_id"] == first["import_id"]
    assert "duplicate_file" in [w["code"] for w in second["warnings"]]


@pytest.mark.parametrize(
    ("given", "years"),
    [
        (["2021"], [2021]),
        (["2019-2021"], [2019, 2020, 2021]),
        (["2019:2020", "2022"], [2019, 2020, 2022]),
        (["2020,2018"], [2018, 2020]),
    ],
)
def test_years_are_read_as_written(given, years):
    from sotedata.cli.indicators import parse_years

    assert parse_years(given) == years


def test_a_bad_year_is_a_usage_error(api, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_SOTKANET_URL", api.url)
    db = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    assert main(["indicators", "fetch", "--sotkanet", "3064", "--years", "vuosi", "--db", db]) == 2
    assert api.requests == []  # nothing was asked
