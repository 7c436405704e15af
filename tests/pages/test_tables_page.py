"""The tables page in AppTest: URL parameters → filters → the rows and the count shown, the
filters written back to the URL, and the three downloads offered."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import fmt_number, t
from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, sources_from_store
from tests.support.apptest import APP, app_test, open_with
from tests.support.registry import code_for

TIMEOUT = 60
PAGE = "pages/tables.py"


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    at = app_test(demo_db_url, tmp_path, monkeypatch, timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE)
    return at


@pytest.fixture(scope="module")
def sources(demo_db_url):
    with Store.open(demo_db_url) as store:
        return sources_from_store(store)


def count_shown(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "riviä" in m.value or "rivi" in m.value)


def test_url_filters_choose_the_rows_and_the_count_says_how_many(app, sources):
    at = open_with(app, alue="Lappi", vaihe="3", ryhma="ict", pvm="2022-06-15")
    expected = build_table(
        TableQuery(areas=("21",), phase=3, work_stream="ict", as_of=date(2022, 6, 15)),
        sources,
        "fi",
    )
    assert expected.rows > 0
    frame = at.dataframe[0].value
    assert len(frame) == expected.rows
    assert set(frame["Alue"]) == {"Lappi"}
    assert fmt_number(expected.rows) in count_shown(at)
    assert at.multiselect(key="tbl_areas").value == ["21"]
    assert at.selectbox(key="tbl_phase").value == 3
    # the URL keeps the filters (the area as its code)
    assert at.query_params["alue"] == "21"
    assert at.query_params["vaihe"] == "3"


def test_changing_a_filter_changes_rows_count_and_url(app, sources):
    at = open_with(app)
    everything = len(at.dataframe[0].value)
    assert everything == 22 * len(sources.frames.measures)
    at.toggle(key="tbl_critical").set_value(True).run()
    critical = int(sources.frames.measures["critical"].sum())
    assert len(at.dataframe[0].value) == 22 * critical
    assert fmt_number(22 * critical) in count_shown(at)
    assert at.query_params["kriittiset"] == "1"


def test_risks_dataset_from_the_url_with_a_score_range(app, sources):
    at = open_with(app, taulu="riskit", riski="15-25", alue=code_for("Pirkanmaa"))
    frame = at.dataframe[0].value
    assert len(frame) > 0
    assert frame["Riskipisteet"].between(15, 25).all()
    assert at.slider(key="tbl_risk").value == (15, 25)
    assert at.segmented_control(key="tbl_table").value == "risks"


def test_a_bad_parameter_is_a_warning_and_the_rest_still_applies(app):
    at = open_with(app, vaihe="9", alue="Lappi")
    assert any("vaihe" in w.value for w in at.warning)
    assert set(at.dataframe[0].value["Alue"]) == {"Lappi"}


def test_three_downloads_named_after_the_filters(app):
    at = open_with(app, alue="Lappi", vaihe="3")
    buttons = at.get("download_button")
    assert [b.key for b in buttons] == [
        "tbl_download_xlsx",
        "tbl_download_csv",
        "tbl_download_csv-fi",
    ]
    labels = [b.proto.label for b in buttons]
    assert labels[0].startswith("Lataa Excel")


def test_no_rows_says_so_and_downloads_stay(app):
    at = open_with(app, haku="zzzqqq-ei-mitaan")
    assert not at.dataframe
    assert any("ei löytynyt" in i.value for i in at.info)
    assert len(at.get("download_button")) == 3


def test_an_empty_database_says_how_to_load_data(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", f"sqlite:///{tmp_path / 'tyhja.sqlite'}")
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    assert any("sote demo" in w.value for w in at.warning)
    assert not at.get("download_button")


def test_every_dataset_opens_from_its_url_word(app, sources):
    for word in ("tilanne", "luvut", "riskit", "tiekartta", "muutokset", "siirtymat", "lataukset"):
        at = open_with(app, taulu=word)
        query, _ = TableQuery.from_query({"taulu": word}, sources.frames.work_streams)
        expected = build_table(query, sources, "fi")
        assert len(at.dataframe[0].value) == expected.rows, word
        assert list(at.dataframe[0].value.columns) == expected.headers(), word


def test_the_grants_table_shows_every_area_with_its_euros(app, demo_db_url):
    """The grants are read when their table is chosen (not for every table) and shown whole."""
    at = open_with(app, taulu="avustukset")
    with Store.open(demo_db_url) as store:
        grants_sources = sources_from_store(store, grants=True)
    query, _ = TableQuery.from_query({"taulu": "avustukset"}, grants_sources.frames.work_streams)
    expected = build_table(query, grants_sources, "fi")
    shown = at.dataframe[0].value
    assert list(shown.columns) == expected.headers() and len(shown) == expected.rows == 22
    granted = expected.frame["granted"]
    assert granted.sum() > 0  # the example data's projects, not 22 empty areas
    assert list(shown[t("tables.col.granted", "fi")]) == list(granted)


def test_the_app_s_own_parameters_stay_in_the_url(app):
    at = open_with(app, esitys="1", alue="21")
    assert at.query_params["esitys"] == "1"
    assert at.query_params["alue"] == "21"
    at.toggle(key="tbl_critical").set_value(True).run()
    assert at.query_params["esitys"] == "1" and at.query_params["kriittiset"] == "1"
