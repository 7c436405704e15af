"""The area page's section Järjestäjät (issue 20) in Streamlit's AppTest: the area's organisers,
its municipalities by organiser (on the map when boundaries exist), and the organiser × topic
colour table with the statuses written in."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t
from tests.support.apptest import app_test

TIMEOUT = 90
SHARED = Path("/work/shared/geo") if Path("/work/shared/geo/kunta4500k.geojson").is_file() else None


def _section(url: str, area_code: str, as_of_text: str, lang: str) -> None:
    from datetime import date as day

    from ui import area_organisers

    area_organisers.organisers_section(
        url, area_code, day.fromisoformat(as_of_text), lang, example=True
    )


@pytest.fixture
def env(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_BOUNDARY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", raising=False)
    _clear()
    yield monkeypatch
    _clear()


def _clear() -> None:
    from sotedata.geo import chain as geo
    from ui import area_organisers

    area_organisers._boundaries.clear()
    area_organisers._map_spec.clear()  # built from the boundaries this process loaded
    geo.clear_municipality_cache()


def _run(url: str, area_code: str = "21", lang: str = "fi") -> AppTest:
    at = AppTest.from_function(
        _section, args=(url, area_code, "2022-12-15", lang), default_timeout=TIMEOUT
    )
    at.run()
    assert not at.exception, at.exception
    return at


def _specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def test_the_section_lists_the_organisers_and_their_handover_by_topic(env, demo_db_url):
    at = _run(demo_db_url)
    assert at.header[0].value == "Järjestäjät"
    assert "Lappi" in at.caption[0].value and "järjestäjää" in at.caption[0].value
    assert at.caption[1].value == t("organisers.approximate")  # municipalities on their own
    table = _specs(at)[-1]
    assert table["title"]["text"] == "Lappi: järjestäjien luovutus aiheittain"
    assert t("chart.example_data", "fi") in table["title"]["subtitle"]
    assert [layer["mark"]["type"] for layer in table["layer"]] == ["rect", "text"]
    assert table["layer"][1]["encoding"]["text"]["field"] == "status_label"  # values written in
    rows = at.dataframe[-1].value
    assert list(rows.columns)[:3] == ["Järjestäjä", "Luovutusaihe", "Tila"]
    organisers = set(rows["Järjestäjä"])
    assert {
        "Lapin sairaanhoitopiiri",
        "Länsi-Pohjan sairaanhoitopiiri",
        "Lapin pelastuslaitos",
    } <= organisers
    assert len(rows) == 5 * len(organisers)
    assert set(rows["Tila"]) <= {"Valmis", "Käynnissä", "Viivästynyt", "Ei aloitettu"}


def test_without_boundaries_the_municipalities_are_listed_by_organiser(env, demo_db_url):
    at = _run(demo_db_url)
    members = at.dataframe[0].value
    assert len(members) == 21  # Lappi's municipalities
    at.selectbox(key="organisers-service-21").set_value("specialised").run()
    members = at.dataframe[0].value
    by_name = dict(zip(members["Kunta"], members["Järjestäjä"], strict=True))
    assert by_name["Tornio"] == "Länsi-Pohjan sairaanhoitopiiri"
    assert by_name["Rovaniemi"] == "Lapin sairaanhoitopiiri"


def test_in_swedish(env, demo_db_url):
    at = _run(demo_db_url, lang="sv")
    assert at.header[0].value == "Anordnare"
    assert "Lapplands räddningsverk" in set(at.dataframe[-1].value["Anordnare"])


@pytest.mark.skipif(SHARED is None, reason="../shared/geo (reference boundaries) absent")
def test_with_boundaries_the_map_colours_municipalities_by_organiser(env, demo_db_url):
    env.setenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", str(SHARED / "kunta4500k.geojson"))
    at = _run(demo_db_url)
    at.selectbox(key="organisers-service-21").set_value("specialised").run()
    maps = [s for s in _specs(at) if "kunnat järjestäjittäin" in str(s.get("title"))]
    assert len(maps) == 1
    features = maps[0]["data"]["values"]
    assert len(features) == 21
    assert {f["organiser"] for f in features} == {
        "Lapin sairaanhoitopiiri",
        "Länsi-Pohjan sairaanhoitopiiri",
    }


def test_the_area_page_draws_the_section(demo_db_url, tmp_path, monkeypatch):
    at = app_test(demo_db_url, tmp_path, monkeypatch, timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "20"
    at.run()
    assert not at.exception
    assert [h.value for h in at.header][-1] == "Järjestäjät"
    assert date(2022, 12, 15)  # the example's last reporting date is the page's default
