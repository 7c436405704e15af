"""The national page's change section in AppTest: comparison date from the URL (``vrt``),
default the previous reporting date, and the areas that moved most."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import t
from sotedata.rules import changes, metrics
from sotedata.store.engine import Store
from sotedata.views import changes as changes_view
from sotedata.views.changes import comparison_from_query

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")
LAST, PREVIOUS = date(2022, 12, 15), date(2022, 11, 15)


@pytest.fixture
def app(demo_db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


@pytest.fixture(scope="module")
def frames(demo_db_url) -> metrics.Frames:
    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store)


def run(app: AppTest, **query: str) -> AppTest:
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def moved_table(at: AppTest):
    return next(f.value for f in at.dataframe if t("changes.col.moves") in f.value.columns)


def test_comparison_date_rules():
    dates = [date(2022, 1, 15), date(2022, 2, 15), date(2022, 3, 15)]
    assert comparison_from_query(None, dates, date(2022, 3, 15)) == (date(2022, 2, 15), [])
    assert comparison_from_query("2022-01-01", dates, date(2022, 3, 15)) == (
        date(2022, 1, 1),
        [],
    )
    day, issues = comparison_from_query("2022-03-15", dates, date(2022, 3, 15))  # not before
    assert day == date(2022, 2, 15) and issues[0].params["name"] == "vrt"
    day, issues = comparison_from_query("huomenna", dates, date(2022, 3, 15))
    assert day == date(2022, 2, 15) and issues
    assert comparison_from_query(None, dates, date(2022, 1, 15)) == (None, [])


def test_section_defaults_to_the_previous_reporting_date(app, frames):
    at = run(app)
    assert not at.exception
    assert t("changes.heading") in [h.value for h in at.header]
    assert at.selectbox(key=f"vrt-{LAST.isoformat()}").value == PREVIOUS
    table = moved_table(at)
    expected = changes.areas_moved(frames, PREVIOUS, LAST)
    assert len(table) == 22
    assert list(table[t("changes.col.moves")]) == expected["moves"].tolist()
    sentence = changes_view.areas_moved_sentence(expected, PREVIOUS, LAST, "fi")
    assert sentence in [m.value for m in at.markdown]
    assert "vrt" not in at.query_params  # the default stays out of the URL


def test_comparison_date_from_the_url_and_back_into_it(app, frames):
    at = run(app, vrt="2022-06-15")
    assert not at.exception
    assert at.selectbox(key=f"vrt-{LAST.isoformat()}").value == date(2022, 6, 15)
    assert at.query_params["vrt"] == "2022-06-15"
    expected = changes.areas_moved(frames, date(2022, 6, 15), LAST)
    assert list(moved_table(at)[t("changes.col.moves")]) == expected["moves"].tolist()
    assert expected["moves"].sum() > changes.areas_moved(frames, PREVIOUS, LAST)["moves"].sum()
    # choosing another date writes it into the URL
    at.selectbox(key=f"vrt-{LAST.isoformat()}").set_value(date(2022, 9, 15)).run()
    assert at.query_params["vrt"] == "2022-09-15"
    assert any("15.9.2022–15.12.2022" in m.value for m in at.markdown)


def test_a_bad_comparison_date_is_dropped_with_a_warning(app):
    at = run(app, vrt="huomenna")
    assert not at.exception
    assert any("huomenna" in w.value for w in at.warning)
    assert at.selectbox(key=f"vrt-{LAST.isoformat()}").value == PREVIOUS


def test_the_first_reporting_date_has_nothing_to_compare_with(app):
    at = run(app, pvm="2022-01-15")
    assert not at.exception
    assert t("changes.no_since") in [i.value for i in at.info]
