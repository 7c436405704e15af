"""The area page in Streamlit's AppTest: URL parameters restore a view, filters change the table."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views import area as av
from sotedata.views import area_risks as ar
from tests.support.apptest import APP, app_test

TIMEOUT = 90
AREA = "19"  # Pohjois-Pohjanmaa
LAST = date(2022, 12, 15)


@pytest.fixture(scope="module")
def demo_frames(demo_db_url):
    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store), store.reporting_dates()


def _app(url: str, folder: Path, monkeypatch) -> AppTest:
    return app_test(url, folder, monkeypatch, timeout=TIMEOUT)


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    return _app(demo_db_url, tmp_path, monkeypatch)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    app.switch_page("pages/area.py")
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def _bold(at: AppTest) -> list[str]:
    return [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]


def _selections(at: AppTest) -> set[str]:
    """The names of the point selections of the charts drawn (one per clickable chart)."""
    names = set()
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        names.update(p["name"] for p in spec.get("params", []) if "select" in p)
    return names


def _measures_table(at: AppTest):
    return next(d.value for d in at.dataframe if "flag" in d.value.columns)


def _expected(frames, as_of=LAST, **filters) -> int:
    table = av.area_measures(frames, AREA, as_of, lang="fi")
    return len(av.filter_area_measures(table, **filters))


def test_area_page_shows_every_section(app, demo_frames):
    at = _open(app, alue=AREA)
    assert at.title[0].value == "Pohjois-Pohjanmaan hyvinvointialue"
    headings = [h.value for h in at.header]
    for key in ("area.figures", "area.section.roadmap", "area.section.measures"):
        assert t(key) in headings
    assert t("area.section.risks") in headings and t("area.section.progress") in headings
    # timeline, phase and work-stream bars, risk matrix with their selections, and the lines
    assert {"aikajana", "vaihe", "ryhma", "riski"} <= _selections(at)
    assert len(at.get("vega_lite_chart")) >= 5
    # the changes and the municipalities, in this order after the area page's own sections
    changes_at = headings.index(t("changes.heading"))
    assert headings[changes_at + 1] == t("municipalities.heading")
    assert changes_at > headings.index(t("area.section.progress"))
    # the key figures carry their change since the previous reporting date
    key_figures = at.metric[:5]  # the indicator section's figures follow
    assert all(m.delta for m in key_figures)
    assert not any(m.delta for m in at.metric[5:])
    # then the area's indicators, state-grant projects and notes, before helper B's sections
    indicators_at = headings.index(t("indicators.area.heading"))
    assert headings[indicators_at : indicators_at + 3] == [
        t("indicators.area.heading"),
        t("grants.heading"),
        t("notes.heading"),
    ]
    assert indicators_at < changes_at
    assert all("15.11.2022" in c.value for c in at.caption if "Mediaani" in c.value)
    assert at.selectbox(key="area-vrt").value == date(2022, 11, 15)
    assert at.selectbox(key="area-asof").value == LAST
    frames, _dates = demo_frames
    total = len(frames.measures)
    assert f"{total} toimenpidettä" in _bold(at)
    assert len(_measures_table(at)) == total
    # text equivalents: the progress sentence names the area, the median and the plan
    assert any(
        c.value.startswith("15.12.2022: Pohjois-Pohjanmaa") and "mediaani" in c.value
        for c in at.caption
    )


def test_comparison_date_from_the_url_changes_the_deltas(app):
    default = [m.delta for m in _open(app, alue=AREA).metric]
    # a link opens a new session (the widgets' state of the first run does not carry over)
    at = _open(AppTest.from_file(APP, default_timeout=TIMEOUT), alue=AREA, vrt="2022-06-15")
    assert at.selectbox(key="area-vrt").value == date(2022, 6, 15)
    assert [m.delta for m in at.metric] != default
    assert any("15.6.2022" in c.value for c in at.caption)


def test_choosing_a_comparison_date_goes_into_the_url(app):
    at = _open(app, alue=AREA)
    at.selectbox(key="area-vrt").set_value(date(2022, 3, 15)).run()
    assert at.query_params["vrt"] == "2022-03-15"
    assert any("15.3.2022" in c.value for c in at.caption)


def test_as_of_date_from_the_url_moves_the_comparison_default(app, demo_frames):
    frames, _dates = demo_frames
    at = _open(app, alue=AREA, pvm="2022-06-15")
    assert at.selectbox(key="area-asof").value == date(2022, 6, 15)
    assert at.selectbox(key="area-vrt").value == date(2022, 5, 15)
    # the measures table is the picture of that day
    at.toggle(key="f-overdue").set_value(True).run()
    expected = _expected(frames, date(2022, 6, 15), overdue_only=True)
    assert len(_measures_table(at)) == expected != _expected(frames, overdue_only=True)


def test_comparison_after_the_as_of_date_is_refused_with_a_warning(app):
    at = _open(app, alue=AREA, pvm="2022-06-15", vrt="2022-08-15")
    assert any("15.8.2022" in w.value for w in at.warning)
    assert at.selectbox(key="area-vrt").value == date(2022, 5, 15)


def test_filters_change_the_table_and_the_url(app, demo_frames):
    frames, _dates = demo_frames
    total = len(frames.measures)
    at = _open(app, alue=AREA)
    at.toggle(key="f-overdue").set_value(True).run()
    overdue = _expected(frames, overdue_only=True)
    assert 0 < overdue < total
    assert len(_measures_table(at)) == overdue
    assert f"{overdue} / {total} toimenpidettä" in _bold(at)
    assert at.query_params["myohassa"] == "1"
    # every overdue row says so in text, not by colour alone
    assert _measures_table(at)["flag"].str.contains("⚠").all()
    at.toggle(key="f-critical").set_value(True).run()
    both = _expected(frames, overdue_only=True, critical_only=True)
    assert len(_measures_table(at)) == both < overdue


def test_phase_and_status_filters(app, demo_frames):
    frames, _dates = demo_frames
    at = _open(app, alue=AREA)
    at.selectbox(key="f-phase").set_value(3).run()
    assert len(_measures_table(at)) == _expected(frames, phase=3)
    assert at.query_params["vaihe"] == "3"
    at.multiselect(key="f-status").set_value(["delayed"]).run()
    rows = _measures_table(at)
    assert len(rows) == _expected(frames, phase=3, statuses=["delayed"]) > 0
    assert set(rows["status_label"]) == {t("status.delayed")}
    assert at.query_params["tila"] == "delayed"


def test_text_search_finds_words_in_names(app, demo_frames):
    frames, _dates = demo_frames
    at = _open(app, alue=AREA)
    at.text_input(key="f-text").set_value("järjestäminen").run()
    found = _expected(frames, text="järjestäminen")
    assert 0 < found < len(frames.measures)
    assert len(_measures_table(at)) == found
    at.text_input(key="f-text").set_value("ei-mitään-tällaista").run()
    assert t("area.measures.none") in [i.value for i in at.info]


def test_url_parameters_restore_the_filters(app, demo_frames):
    frames, _dates = demo_frames
    at = _open(app, alue=AREA, vaihe="2", ryhma="ict", kriittiset="1")
    assert at.selectbox(key="f-phase").value == 2
    assert at.selectbox(key="f-stream").value == "ict"
    assert at.toggle(key="f-critical").value is True
    expected = _expected(frames, phase=2, work_stream="ict", critical_only=True)
    assert len(_measures_table(at)) == expected


def test_risk_cell_lists_its_risks(app, demo_frames):
    frames, dates = demo_frames
    at = _open(app, alue=AREA)
    register = ar.risk_register(frames.risks, AREA, LAST, date(2022, 11, 15), "fi")
    top = register.iloc[0]
    cell = f"{top['likelihood']}-{top['impact']}"
    at.selectbox(key="f-cell").set_value(cell).run()
    rows = ar.risks_in_cell(register, top["likelihood"], top["impact"])
    heading = t(
        "area.risk.cell.one" if len(rows) == 1 else "area.risk.cell",
        "fi",
        likelihood=top["likelihood"],
        impact=top["impact"],
        count=len(rows),
    )
    assert heading in _bold(at)
    risks = next(d.value for d in at.dataframe if "trend" in d.value.columns)
    assert list(risks["risk_id"]) == list(rows["risk_id"])
    assert set(risks["trend"]) <= {"↑", "↓", "→", "uusi"}


def test_unknown_area_says_so_and_offers_a_way_back(app):
    at = _open(app, alue="Atlantis")
    assert "Atlantis" in at.error[0].value
    assert at.selectbox(key="area-choice").value is None
    assert not at.get("vega_lite_chart")


@pytest.fixture
def no_reports_app(demo_db_url, tmp_path, monkeypatch):
    """A copy of the example data in which the area has not reported anything yet."""
    source = Path(demo_db_url.removeprefix("sqlite:///"))
    copy = tmp_path / "no_reports.sqlite"
    shutil.copy(source, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("DELETE FROM status_reports WHERE area_code = ?", (AREA,))
        connection.execute("DELETE FROM risk_ratings WHERE area_code = ?", (AREA,))
    return _app(f"sqlite:///{copy}", tmp_path, monkeypatch)


def test_area_without_reports_gets_a_helpful_empty_state(no_reports_app):
    at = _open(no_reports_app, alue=AREA)
    infos = [i.value for i in at.info]
    assert t("area.no_reports") in infos and t("area.risk.none") in infos
    assert at.metric[0].value == "0\u00a0%"
    assert "riski" not in _selections(at)  # no matrix without risks
    assert {"aikajana", "vaihe", "ryhma"} <= _selections(at)


def test_an_old_chart_click_does_not_override_the_link_that_opens_the_page(app, demo_frames):
    frames, _dates = demo_frames
    # a click on phase 3 remembered from an earlier visit in the same browser session
    app.session_state["seen-vaihe"] = 3
    at = _open(app, alue=AREA, vaihe="2")
    assert at.selectbox(key="f-phase").value == 2
    assert len(_measures_table(at)) == _expected(frames, phase=2)


def test_risk_cell_is_kept_in_the_url(app, demo_frames):
    frames, _dates = demo_frames
    register = ar.risk_register(frames.risks, AREA, LAST, date(2022, 11, 15), "fi")
    top = register.iloc[0]
    cell = f"{top['likelihood']}-{top['impact']}"
    at = _open(app, alue=AREA)
    at.selectbox(key="f-cell").set_value(cell).run()
    assert at.query_params["solu"] == cell
    fresh = _open(AppTest.from_file(APP, default_timeout=TIMEOUT), alue=AREA, solu=cell)
    assert fresh.selectbox(key="f-cell").value == cell
    # a cell without risks (or nonsense) falls back to every risk, without an error
    empty = _open(AppTest.from_file(APP, default_timeout=TIMEOUT), alue=AREA, solu="9-9")
    assert empty.selectbox(key="f-cell").value == ""


def test_first_reporting_date_has_nothing_to_compare_with(app):
    at = _open(app, alue=AREA, pvm="2022-01-15")
    assert at.selectbox(key="area-asof").value == date(2022, 1, 15)
    assert not [s for s in at.selectbox if s.key == "area-vrt"]
    assert t("area.compare_none") in [c.value for c in at.caption]
    assert all(m.delta is None or m.delta == "" for m in at.metric)
    assert "vrt" not in at.query_params


def test_a_filter_that_names_nothing_is_a_warning(app, demo_frames):
    frames, _dates = demo_frames
    at = _open(app, alue=AREA, vaihe="9", ryhma="kahvi", tila="melkein,delayed")
    warnings = " ".join(w.value for w in at.warning)
    assert "vaihe" in warnings and "kahvi" in warnings and "melkein" in warnings
    assert at.multiselect(key="f-status").value == ["delayed"]
    assert len(_measures_table(at)) == _expected(frames, statuses=["delayed"])


def test_meeting_mode_draws_every_area_chart_in_its_projector_form(app):
    from sotedata.charts import meeting

    at = _open(app, alue=AREA, esitys="1")
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert len(specs) >= 5
    sizes = {s["config"]["axis"]["labelFontSize"] for s in specs}
    assert sizes == {meeting.FONT_SIZES["label"]}
    # and the same page without it keeps the ordinary size
    plain = _open(AppTest.from_file(APP, default_timeout=TIMEOUT), alue=AREA)
    normal = [json.loads(chart.proto.spec) for chart in plain.get("vega_lite_chart")]
    assert all(
        s.get("config", {}).get("axis", {}).get("labelFontSize") != meeting.FONT_SIZES["label"]
        for s in normal
    )
    # the timeline fills the screen's rest in the mode (meeting.boxed_spec), and only there
    boxed, kept = (_timeline_spec(found) for found in (specs, normal))
    assert "title" not in boxed and "height" not in boxed
    assert boxed["autosize"]["type"] == "fit"
    assert kept["title"] and isinstance(kept["height"], int)


def _timeline_spec(specs: list[dict]) -> dict:
    """The roadmap timeline among a page's charts (its click selection names it)."""
    from sotedata.charts.area import TIMELINE_SELECTION

    (found,) = [s for s in specs if f'"name": "{TIMELINE_SELECTION}"' in json.dumps(s)]
    return found
