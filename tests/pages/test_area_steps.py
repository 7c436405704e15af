"""Stepping through the areas in meeting mode leaves the server's log clean (issue 18 item 9):
the area select box follows the URL through its state alone, so Streamlit has no widget given
both a default and a state to warn about."""

from __future__ import annotations

import logging
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_stepping_areas_logs_no_widget_warning(demo_db_url, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "21"
    at.session_state["esitys"] = True  # meeting mode, as ?esitys=1 leaves it in the session
    with caplog.at_level(logging.WARNING):
        at.run()
        at.button(key="step-next").click().run()
        assert at.title[0].value == "Helsingin kaupunki"
        assert at.selectbox(key="area-choice").value == "90"
        at.button(key="step-prev").click().run()
        assert at.title[0].value == "Lapin hyvinvointialue"
    warned = [r.getMessage() for r in caplog.records if "Session State" in r.getMessage()]
    assert warned == []
    assert not at.exception and not at.warning
