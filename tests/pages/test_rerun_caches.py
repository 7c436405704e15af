"""A rerun does only what changed (issue 17 item 3): the national view and the area's indicator
trends are built once per data version, filters and language, and the map's message is the same
bytes on every run, so that Streamlit sends the browser a reference to it instead of the
boundaries again. An import made through another connection shows at the next run."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from streamlit import config, dataframe_util
from streamlit.testing.v1 import AppTest

from sotedata.demo.generator import build_demo
from sotedata.domain.i18n import fmt_date
from sotedata.domain.model import Status
from sotedata.rules import changes, grants
from sotedata.store.engine import Store
from sotedata.views import organisers as organisers_view
from sotedata.views import outlook
from tests.support.apptest import app_test
from ui import area_indicators, chart_specs, national_view

TIMEOUT = 90


@pytest.fixture
def url(demo_db_url: str, tmp_path: Path) -> str:
    """A copy of the example database of this test's own (the tests write to it, and the cache
    keys name the database, so no other test's cached view is found here)."""
    copy = tmp_path / "sote.sqlite"
    shutil.copyfile(demo_db_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def _counted(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[object]:
    """Every call of ``module.name`` from now on, noted (the function still runs)."""
    calls: list[object] = []
    original = getattr(module, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def _map_message(at: AppTest) -> bytes:
    return at.get("vega_lite_chart")[0].proto.SerializeToString(deterministic=True)


def test_a_rerun_of_the_national_page_builds_no_chart_again(url, tmp_path, monkeypatch):
    built = _counted(monkeypatch, national_view, "build_national_view")
    support = _counted(monkeypatch, outlook, "support_lines")  # the section Tuen tarve
    at = app_test(url, tmp_path, monkeypatch, timeout=TIMEOUT).run()
    assert not at.exception and len(built) == 1 and len(support) == 1
    first = _map_message(at)
    at.run()
    assert len(built) == 1, "a rerun with nothing changed built the view again"
    assert len(support) == 1, "a rerun wrote the support section's lines again"
    # the same bytes, large enough for Streamlit's message cache: the browser gets a reference
    assert _map_message(at) == first
    assert len(first) >= config.get_option("global.minCachedMessageSize")
    app_test(url, tmp_path, monkeypatch, timeout=TIMEOUT).run()  # another person, same view
    assert len(built) == 1
    at.selectbox(key="phase").set_value(2).run()
    assert not at.exception and len(built) == 2, "another phase must build its view"


def test_an_import_from_another_connection_shows_at_the_next_run(url, tmp_path, monkeypatch):
    """The cached view is keyed by the data's version, not a clock: another instance's import
    changes the version, so the next run builds the view from the data it then reads."""
    built = _counted(monkeypatch, national_view, "build_national_view")
    at = app_test(url, tmp_path, monkeypatch, timeout=TIMEOUT).run()
    assert len(built) == 1
    before = _map_message(at)
    later = date(2023, 1, 15)
    reports = [
        replace(report, status=Status.DONE, reported_on=later)
        for report in build_demo().status_reports
        if report.area_code == "19"
    ]
    with Store.open(url) as other:
        other.add_status_reports(reports, source="toinen instanssi")
    at.run()
    assert not at.exception and len(built) == 2
    assert fmt_date(later) in at.select_slider(key="as_of").options
    # a new session opens on the new date, whose map the import changed
    fresh = app_test(url, tmp_path, monkeypatch, timeout=TIMEOUT).run()
    assert fresh.select_slider(key="as_of").value == later
    assert _map_message(fresh) != before


def test_a_rerun_of_the_area_page_builds_no_indicator_trend_again(url, tmp_path, monkeypatch):
    trends = _counted(monkeypatch, area_indicators, "sparkline")
    # the sections below the roadmap: the organisers' table and map, the change lists and the
    # grant totals, which a warm rerun rebuilt every time (about half of its CPU)
    built = {
        name: _counted(monkeypatch, module, name)
        for module, name in (
            (organisers_view, "status_chart"),
            (organisers_view, "map_chart"),
            (changes, "status_changes"),
            (changes, "risk_changes"),
            (grants, "area_totals"),
        )
    }
    at = app_test(url, tmp_path, monkeypatch, timeout=TIMEOUT)
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "19"
    at.run()
    assert not at.exception and trends, "the example area has indicator trends"
    drawn = len(trends)
    first = {name: len(calls) for name, calls in built.items()}
    assert first["status_chart"] and first["status_changes"] and first["area_totals"], first
    at.run()
    assert len(trends) == drawn
    assert {name: len(calls) for name, calls in built.items()} == first, "built again"


def test_a_chart_s_tables_become_arrow_bytes_once_and_its_shapes_stay():
    rows = [{"code": "19", "value": 0.5}, {"code": "21", "value": 0.7}]
    shapes = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}]
    spec = {"mark": "bar", "datasets": {"data-rows": rows, "data-shapes": shapes}}
    first = chart_specs.arrow_datasets(spec)
    again = chart_specs.arrow_datasets(spec)
    assert first["datasets"]["data-rows"] == dataframe_util.convert_anything_to_arrow_bytes(rows)
    assert again["datasets"]["data-rows"] is first["datasets"]["data-rows"]
    assert first["datasets"]["data-shapes"] is shapes
    assert spec["datasets"]["data-rows"] is rows  # the cached spec itself is not changed
