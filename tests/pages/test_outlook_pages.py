"""The outlook on the pages, in AppTest: the national page's section **Tuen tarve** ranks the
areas by support need with their reasons and weights, the area page shows its pace and projected
dates beside the key figures and draws the projection dashed in its band on the progress chart,
and the tables page has the outlook table."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sotedata.domain import areas
from sotedata.store.engine import Store
from sotedata.views.outlook import build_outlook, weights_sentence
from tests.support.apptest import app_test, open_with

TIMEOUT = 90
LAST = date(2022, 12, 15)


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    return app_test(demo_db_url, tmp_path, monkeypatch, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def view(demo_db_url):
    with Store.open(demo_db_url) as store:
        return build_outlook(store, LAST)


def test_the_national_page_ranks_the_areas_by_support_need(app, view):
    at = open_with(app)
    headers = [h.value for h in at.header]
    assert "Tuen tarve" in headers
    ranked = view.table.sort_values("rank")
    first = areas.get(ranked["code"].iloc[0]).short("fi")
    lists = [m.value for m in at.markdown if m.value.startswith("1. **")]
    assert lists and lists[0].startswith(f"1. **{first}**")
    assert "kriittistä toimenpidettä on myöhässä" in lists[0]
    assert weights_sentence("fi") in [c.value for c in at.caption]
    table = next(d for d in at.dataframe if "Tuen tarve" in d.value.columns)
    assert len(table.value) == 22
    assert list(table.value["Sija"]) == list(range(1, 23))


def test_the_national_map_shows_projected_completion(app):
    at = open_with(app, mittari="projected_completion")
    assert at.selectbox(key="metric").value == "projected_completion"


def test_the_area_page_shows_the_projection(app, view):
    app.run()
    app.switch_page("pages/area.py")
    at = open_with(app, alue="21", pvm="2022-06-15")
    labels = [m.label for m in at.metric]
    assert "Vauhti nyt / tarvittava" in labels and "Ennuste: kaikki valmiina" in labels
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    progress = next(s for s in specs if "Ennuste" in json.dumps(s, ensure_ascii=False))
    marks = [layer["mark"] for layer in progress["layer"]]
    assert {"type": "area", "color": "#08519c", "opacity": 0.18} in marks
    assert any(m.get("strokeDash") == [8, 5] for m in marks)
    band = progress["layer"][0]["encoding"]
    assert band["y"]["field"] == "low" and band["y2"]["field"] == "high"
    assert band["y"]["scale"]["domain"][1] == 1


def test_the_tables_page_has_the_outlook(app):
    app.run()
    app.switch_page("pages/tables.py")
    at = open_with(app, taulu="ennuste")
    frame = at.dataframe[0].value
    assert len(frame) == 22
    assert list(frame.columns[:4]) == ["Sija", "Aluekoodi", "Alue", "Ennuste"]
