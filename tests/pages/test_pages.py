"""The pages in Streamlit's AppTest: selectors change the charts, the URL restores a view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="module")
def demo_db(demo_db_url, tmp_path_factory):
    """The run's example database (the pages only read it) and a data folder of this module's."""
    return demo_db_url, tmp_path_factory.mktemp("pages")


@pytest.fixture
def app(demo_db, monkeypatch):
    url, folder = demo_db
    monkeypatch.setenv("SOTE_DATABASE_URL", url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(folder))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def marks(spec: dict) -> set[str]:
    found = set()
    for layer in spec.get("layer", [spec]):
        mark = layer.get("mark")
        if mark:
            found.add(mark if isinstance(mark, str) else mark["type"])
    return found


def map_data(at: AppTest) -> list[dict]:
    """The features the map chart sends, once, as the layer's inline data."""
    return specs(at)[0]["data"]["values"]


def title(spec: dict) -> str:
    value = spec.get("title")
    return value.get("text") if isinstance(value, dict) else value


def test_national_page_opens_with_the_map_as_first_chart(app):
    at = app.run()
    assert not at.exception
    charts = specs(at)
    assert charts, "no chart drawn"
    assert "geoshape" in marks(charts[0])
    assert title(charts[0]) == t("metric.done_share")
    assert charts[0]["config"]["locale"]["number"]["decimal"] == ","
    subtitle = " ".join(charts[0]["title"]["subtitle"])
    assert "Rajat: Tilastokeskus, CC BY 4.0" in subtitle
    assert "Esimerkkiaineisto" in subtitle
    assert any("bar" in marks(c) for c in charts[1:])
    assert any("Esimerkkiaineisto" in info.value for info in at.info)


def test_map_values_cover_the_22_areas_and_aland_is_grey(app):
    at = app.run()
    data = map_data(at)
    codes = {f["code"] for f in data}
    assert codes == {f"{i:02d}" for i in range(1, 22)} | {"90", "91"}
    aland = next(f for f in data if f["code"] == "91")
    assert aland["value"] is None and aland["clickable"] is False
    assert all(f["value"] is not None for f in data if f["code"] != "91")


def test_changing_the_metric_changes_the_map_and_the_url(app):
    at = app.run()
    before = specs(at)[0]
    at.selectbox(key="metric").set_value("overdue").run()
    after = specs(at)[0]
    assert title(after) == t("metric.overdue") != title(before)
    assert at.query_params["mittari"] == "overdue"
    assert before["data"] != after["data"]


def test_phase_selector_changes_the_values(app):
    at = app.run()
    before = {f["code"]: f["value"] for f in map_data(at)}
    at.selectbox(key="phase").set_value(1).run()
    assert at.query_params["vaihe"] == "1"
    after = {f["code"]: f["value"] for f in map_data(at)}
    assert after.keys() == before.keys() and after != before


def test_url_parameters_restore_the_view(app):
    app.query_params["mittari"] = "started_share"
    app.query_params["vaihe"] = "3"
    app.query_params["kriittiset"] = "1"
    app.query_params["nakyma"] = "ruudut"
    at = app.run()
    assert not at.exception
    assert at.selectbox(key="metric").value == "started_share"
    assert at.selectbox(key="phase").value == 3
    assert at.toggle(key="crit").value is True
    first = specs(at)[0]
    assert title(first) == t("metric.started_share")
    assert "rect" in marks(first) and "geoshape" not in marks(first)


def test_bad_url_parameter_is_a_warning_not_a_crash(app):
    app.query_params["vaihe"] = "9"
    app.query_params["pvm"] = "eilen"
    at = app.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "vaihe" in warnings and "pvm" in warnings
    assert "geoshape" in marks(specs(at)[0])


def test_area_page_shows_lappi_from_the_url(app):
    at = app.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "21"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Lapin hyvinvointialue"
    labels = [m.label for m in at.metric]
    assert t("metric.done_share") in labels
    assert any("bar" in marks(c) for c in specs(at))


def test_area_page_accepts_a_name_and_shows_the_code(app):
    at = app.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "Lappi"
    at.run()
    assert at.title[0].value == "Lapin hyvinvointialue"
    assert at.query_params["alue"] == "21"


def test_area_page_unknown_area_is_explained(app):
    at = app.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "Atlantis"
    at.run()
    assert not at.exception
    assert "Atlantis" in at.error[0].value


def test_empty_database_says_how_to_load_data(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "sote demo" in at.warning[0].value


def test_an_unexpected_failure_shows_a_message_not_a_traceback(app, monkeypatch):
    from ui import national_view

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    # the page builds its view in ui.national_view, cached: an earlier test's view would be drawn
    monkeypatch.setattr(national_view, "build_national_view", broken)
    national_view.drawn_view.clear()
    at = app.run()
    assert not at.exception
    assert "odottamattoman virheen" in at.error[0].value
    assert not any("boom" in e.value or "Traceback" in e.value for e in at.error)


def test_area_outside_the_reform_has_no_figures(app):
    at = app.run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "91"
    at.run()
    assert at.title[0].value == "Ahvenanmaa"
    assert "ei ole sote-uudistuksen piirissä" in at.info[0].value
    assert not at.metric
