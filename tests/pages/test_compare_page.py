"""The comparison in Streamlit's AppTest: ``/alue?vertaa=21,12,08`` shows three areas side by side,
a bad code warns, one area asks for more, the choice goes into the URL, and the area page links
to it."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t
from tests.support.apptest import app_test

TIMEOUT = 90


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch) -> AppTest:
    return app_test(demo_db_url, tmp_path, monkeypatch, timeout=TIMEOUT)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    app.switch_page("pages/area.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _facet_values(at: AppTest, field: str) -> set[str]:
    """The values of ``field`` in the data of every chart drawn."""
    found: set[str] = set()
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        for rows in (spec.get("datasets") or {}).values():
            found.update(str(row[field]) for row in rows if field in row)
        for row in (spec.get("data") or {}).get("values", []) if "data" in spec else []:
            if field in row:
                found.add(str(row[field]))
    return found


def test_three_areas_side_by_side_from_a_url(app):
    at = _open(app, vertaa="21,12,08")
    assert at.title[0].value == t("compare.title")
    assert at.multiselect(key="compare-areas").value == ["21", "12", "08"]
    headings = [h.value for h in at.header]
    assert headings == [
        t("compare.figures.heading"),
        t("compare.phases.heading"),
        t("compare.risks.heading"),
        t("compare.progress.heading"),
    ]
    figures = at.dataframe[0].value
    assert list(figures.columns) == [
        t("compare.col.figure"),
        "Lappi",
        "Etelä-Savo",
        "Pirkanmaa",
        t("compare.col.median"),
    ]
    assert len(figures) == 5
    assert len(at.get("vega_lite_chart")) == 3
    assert not at.warning and not at.error


def test_a_bad_code_is_a_warning_and_the_rest_are_compared(app):
    at = _open(app, vertaa="21,xx,12")
    assert any("xx" in w.value for w in at.warning)
    assert at.multiselect(key="compare-areas").value == ["21", "12"]
    assert len(at.get("vega_lite_chart")) == 3
    assert at.query_params["vertaa"] == "21,12"  # written back as the page shows it


def test_one_area_asks_for_more_and_five_keep_four(app):
    at = _open(app, vertaa="21")
    assert any(t("compare.too_few", least=2, most=4) == i.value for i in at.info)
    assert not at.get("vega_lite_chart")
    more = _open(AppTest.from_file(app._script_path, default_timeout=TIMEOUT), vertaa="1,2,3,4,5")
    assert any("5" in w.value for w in more.warning)
    assert len(more.multiselect(key="compare-areas").value) == 4


def test_choosing_areas_writes_the_url(app):
    at = _open(app, vertaa="")
    at.multiselect(key="compare-areas").set_value(["19", "21"]).run()
    assert at.query_params["vertaa"] == "19,21"
    assert len(at.get("vega_lite_chart")) == 3


def test_swedish_comparison(app):
    at = _open(app, vertaa="21,12", kieli="sv")
    assert at.title[0].value == t("compare.title", "sv")
    assert t("compare.col.median", "sv") in at.dataframe[0].value.columns


def test_the_area_page_links_to_the_comparison(app):
    at = _open(app, alue="21")
    links = [p for p in at.get("page_link") if p.proto.label == t("compare.link")]
    assert links and "vertaa=21" in links[0].proto.query_string


def test_the_national_page_links_to_the_comparison(app):
    app.run()
    assert not app.exception
    links = [p for p in app.get("page_link") if p.proto.label == t("compare.link")]
    assert links and "vertaa=" in links[0].proto.query_string


def test_meeting_mode_draws_the_comparison_too(app):
    at = _open(app, vertaa="21,12,08,19", esitys="1", kieli="en")
    assert at.title[0].value == t("compare.title", "en")
    assert len(at.get("vega_lite_chart")) == 3
    assert len(at.dataframe[0].value.columns) == 6  # the figure, four areas and the median


def test_meeting_mode_keeps_the_area_pages_screen_without_the_link(app):
    at = _open(app, alue="21", esitys="1")
    assert not [p for p in at.get("page_link") if p.proto.label == t("compare.link")]
