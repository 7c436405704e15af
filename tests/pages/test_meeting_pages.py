"""Meeting mode on the real pages: ?esitys=1 hides the chrome, enlarges type, recolours charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def demo_db(demo_db_url, tmp_path_factory):
    """The run's example database (the pages only read it) and a data folder of this module's."""
    return demo_db_url, tmp_path_factory.mktemp("meeting-pages")


@pytest.fixture
def app(demo_db, monkeypatch):
    url, folder = demo_db
    monkeypatch.setenv("SOTE_DATABASE_URL", url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(folder))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    return AppTest.from_file(APP, default_timeout=60)


def _schemes(at: AppTest) -> list:
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "scheme" in node:
                found.append(node["scheme"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for chart in at.get("vega_lite_chart"):
        walk({k: v for k, v in json.loads(chart.proto.spec).items() if k != "datasets"})
    return found


def _styled(at: AppTest) -> bool:
    return any("stHeader" in str(h.proto.body) for h in at.get("html"))


def test_every_page_gets_the_readable_caption_grey(app):
    at = app.run()
    assert any("#4b4f5a" in str(h.proto.body) for h in at.get("html"))


def test_the_national_page_in_meeting_mode(app):
    app.query_params["esitys"] = "1"
    at = app.run()
    assert not at.exception
    assert _styled(at)
    schemes = _schemes(at)
    assert schemes and all(isinstance(s, dict) and s["extent"] == [0.3, 1.0] for s in schemes)


def test_without_it_nothing_changes(app):
    at = app.run()
    assert not at.exception and not _styled(at)
    assert all(isinstance(s, str) for s in _schemes(at))


def test_the_mode_stays_on_across_pages_and_zero_turns_it_off(app):
    app.query_params["esitys"] = "1"
    at = app.run()
    at.switch_page("pages/risks.py")
    at = at.run()
    assert not at.exception and _styled(at)
    at.query_params["esitys"] = "0"
    at = at.run()
    assert not _styled(at)


def test_the_area_page_steps_to_the_next_and_previous_area_in_meeting_mode(app):
    app.query_params["esitys"] = "1"
    at = app.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "21"
    at.query_params["esitys"] = "1"
    at = at.run()
    assert not at.exception
    labels = {b.key: b.label for b in at.button}
    assert labels["step-prev"] == "← Kainuu" and labels["step-next"] == "Helsinki →"
    at = at.button(key="step-next").click().run()
    assert not at.exception
    assert at.query_params["alue"] == "90" and at.title[0].value == "Helsingin kaupunki"
    at = at.button(key="step-pgup").click().run()
    assert at.query_params["alue"] == "21"


def test_no_steps_outside_meeting_mode(app):
    at = app.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "21"
    at = at.run()
    assert "step-next" not in {b.key for b in at.button}
