"""The national page in AppTest: the registered map metrics (issue 18 items 3 and 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t
from sotedata.views import metric_sources

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    return AppTest.from_file(APP, default_timeout=60)


def first_spec(at: AppTest) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def test_the_menu_lists_every_registered_metric_and_the_change_map_follows_vrt(app):
    app.query_params["mittari"] = "done_share_change"
    app.query_params["vrt"] = "2022-06-15"
    at = app.run()
    assert not at.exception
    options = at.selectbox(key="metric").options
    assert [o for o in options if not o.startswith("Indikaattori")][
        : len(metric_sources.SOURCES)
    ] == [metric_sources.label(key) for key in metric_sources.SOURCES]
    spec = first_spec(at)
    assert spec["title"]["text"] == t("metric.done_share_change")
    values = {f["code"]: f["value"] for f in spec["data"]["values"] if f["value"] is not None}
    assert len(values) == 22 and min(values.values()) > 0.1  # half a year of progress
    assert at.query_params["mittari"] == "done_share_change"
    assert at.query_params["vrt"] == "2022-06-15"


def test_without_vrt_the_change_is_since_the_previous_reporting_date(app):
    app.query_params["mittari"] = "done_share_change"
    at = app.run()
    values = [f["value"] for f in first_spec(at)["data"]["values"] if f["value"] is not None]
    assert len(values) == 22 and max(values) < 0.1  # one month of progress
    assert "vrt" not in at.query_params
