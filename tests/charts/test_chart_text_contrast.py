"""Chart text outside meeting mode: axis, legend and title text dark enough to read (WCAG 1.4.3),
set as config defaults by ``meeting.readable_spec`` and applied to every chart by
``ui.common.chart``."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sotedata.charts import base as charts
from sotedata.charts import meeting
from sotedata.domain.model import Status
from tests.support.colour_vision import contrast_ratio

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_the_readable_grey_meets_the_text_contrast_on_white():
    assert contrast_ratio(meeting.READABLE_TEXT, "#ffffff") >= 4.5


def test_labels_and_titles_of_axes_legends_headers_and_the_title_turn_dark():
    out = meeting.readable_spec({"mark": "bar"})
    config = out["config"]
    for part in ("axis", "legend", "header"):
        assert config[part]["labelColor"] == meeting.READABLE_TEXT
        assert config[part]["titleColor"] == meeting.READABLE_TEXT
    assert config["title"]["color"] == meeting.READABLE_TEXT
    assert config["title"]["subtitleColor"] == meeting.READABLE_TEXT


def test_a_colour_the_chart_sets_itself_stays_and_the_input_is_untouched():
    spec = {
        "mark": "bar",
        "config": {"axis": {"labelColor": "#b10026", "labelFontSize": 12}, "locale": {"x": 1}},
    }
    before = copy.deepcopy(spec)
    out = meeting.readable_spec(spec)
    assert out["config"]["axis"]["labelColor"] == "#b10026"
    assert out["config"]["axis"]["titleColor"] == meeting.READABLE_TEXT
    assert out["config"]["axis"]["labelFontSize"] == 12
    assert out["config"]["locale"] == {"x": 1}
    assert spec == before


def test_a_real_chart_keeps_its_own_config_and_meeting_mode_still_wins():
    statuses = [s.value for s in Status]
    counts = pd.DataFrame(
        [{"phase_label": "1", "status_label": s, "status": s, "count": 2} for s in statuses]
    )
    spec = charts.phase_status_bars(counts, status_order=statuses).to_dict()
    readable = meeting.readable_spec(spec)
    assert readable["config"]["locale"] == spec["config"]["locale"]
    assert readable["config"]["axis"]["labelColor"] == meeting.READABLE_TEXT
    shown = meeting.present_spec(readable)
    assert shown["config"]["axis"]["labelColor"] == meeting.OUTLINE


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    return AppTest.from_file(APP, default_timeout=60)


@pytest.mark.parametrize("page", [None, "pages/risks.py"])
def test_every_chart_the_pages_draw_has_dark_text(app, page):
    at = app.run()
    if page is not None:
        at.switch_page(page).run()
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert len(specs) >= 2
    for spec in specs:
        assert spec["config"]["axis"]["titleColor"] == meeting.READABLE_TEXT
        assert spec["config"]["legend"]["labelColor"] == meeting.READABLE_TEXT
