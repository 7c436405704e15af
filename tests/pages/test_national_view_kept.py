"""The national view survives a visit to an area (issue 18 item 2), and the national page's time
slider and play button (item 5), in Streamlit's AppTest."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LAST = date(2022, 12, 15)


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


def _national(at: AppTest, **query: str) -> AppTest:
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_coming_back_from_an_area_keeps_the_national_view(app):
    at = _national(
        app, mittari="overdue", vaihe="3", ryhma="ict", nakyma="ruudut", pvm="2022-06-15"
    )
    assert not at.exception
    at.switch_page("pages/area.py")
    at.query_params.clear()
    at.query_params["alue"] = "21"
    at.query_params["pvm"] = "2022-03-15"  # the area's own date: not the national view's
    at.run()
    assert at.title[0].value == "Lapin hyvinvointialue"
    # the area page's back link leads to the view that was left
    back = [link for link in at.get("page_link") if link.proto.label == t("area.back")]
    assert back and "mittari=overdue" in back[0].proto.query_string
    # the browser's Back: Streamlit runs the national page with the area's query
    at.switch_page("pages/national.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="metric").value == "overdue"
    assert at.selectbox(key="phase").value == 3
    assert at.selectbox(key="work_stream").value == "ict"
    assert at.select_slider(key="as_of").value == date(2022, 6, 15)
    shown = dict(at.query_params)
    assert "alue" not in shown, shown  # never /?alue=21
    assert shown["mittari"] == "overdue" and shown["pvm"] == "2022-06-15"


def test_the_as_of_date_is_a_time_slider_over_the_reporting_dates(app):
    at = _national(app)
    slider = at.select_slider(key="as_of")
    assert slider.value == LAST and "pvm" not in at.query_params  # the latest stays implicit
    slider.set_value(date(2022, 3, 15)).run()
    assert at.query_params["pvm"] == "2022-03-15"
    map_spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "15.3.2022" in json.dumps(map_spec["title"], ensure_ascii=False)


def test_play_starts_and_stops(app):
    at = _national(app)
    assert at.button(key="play").proto.label == t("meeting.play")
    at.button(key="play").click().run()
    assert at.session_state["play-on"] is True
    # at the last date, playing starts again from the first
    assert at.select_slider(key="as_of").value == date(2022, 1, 15)
    assert at.button(key="play").proto.label == t("meeting.pause")
    at.button(key="play").click().run()
    assert at.session_state["play-on"] is False
