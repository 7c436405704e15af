"""The tables page's indicator and notes tables in AppTest: filters from the URL, the rows and
the numbers shown, the URL written back, the three downloads, and a reader sees both."""

from __future__ import annotations

import shutil

import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from sotedata.domain.access import Principal
from sotedata.domain.i18n import t
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, sources_from_store, with_table_data
from tests.support.apptest import app_test, open_with

TIMEOUT = 60
PAGE = "pages/tables.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
POOR_RELIEF = "demo:toimeentulotuki"


def expected(url: str, params: dict, lang: str = "fi"):
    query, issues = TableQuery.from_query(params)
    assert not issues
    with Store.open(url) as store:
        sources = with_table_data(sources_from_store(store), store, query.table)
    return build_table(query, sources, lang)


def _start(url: str, tmp_path, monkeypatch) -> AppTest:
    return app_test(url, tmp_path, monkeypatch, timeout=TIMEOUT)


@pytest.fixture
def app(demo_db_url, tmp_path, monkeypatch):
    at = _start(demo_db_url, tmp_path, monkeypatch)
    at.run()
    at.switch_page(PAGE)
    return at


def test_indicator_values_filtered_from_the_url(app, demo_db_url):
    params = {
        "taulu": "indikaattorit",
        "indikaattori": POOR_RELIEF,
        "taso": "kunta",
        "alue": "21",
        "jaksosta": "2021",
    }
    at = open_with(app, **params)
    table = expected(demo_db_url, params)
    shown = at.dataframe[0].value
    assert len(shown) == table.rows > 0
    assert list(shown.columns) == table.headers()
    assert set(shown[t("tables.col.level", "fi")]) == {"Kunta"}
    assert at.segmented_control(key="tbl_table").value == "indicators"
    assert at.selectbox(key="tbl_indicator").value == POOR_RELIEF
    assert at.selectbox(key="tbl_level").value == "municipality"
    assert at.selectbox(key="tbl_period_from").value == "2021"
    assert at.selectbox(key="tbl_period_to").value is None
    assert at.multiselect(key="tbl_areas").value == ["21"]
    assert {k: at.query_params[k] for k in params} == params
    assert [b.key for b in at.get("download_button")] == [
        "tbl_download_xlsx",
        "tbl_download_csv",
        "tbl_download_csv-fi",
    ]


def test_indicator_numbers_read_in_the_page_s_language(app):
    at = open_with(app, taulu="indikaattorit", indikaattori="demo:vakiluku", taso="alue")
    styler = at.dataframe[0].proto.arrow_data.styler
    # the styled table carries the page's text for each number: "177 000", not "177000.0"
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values)
    values = set(shown[t("tables.col.value", "fi")])
    assert "177\u00a0000" in values  # Lappi's example population
    assert not [v for v in values if "." in v]


def test_changing_the_level_changes_rows_and_url(app, demo_db_url):
    at = open_with(app, taulu="indikaattorit", indikaattori=POOR_RELIEF)
    everything = len(at.dataframe[0].value)
    at.selectbox(key="tbl_level").set_value("area").run()
    areas_only = expected(
        demo_db_url, {"taulu": "indikaattorit", "indikaattori": POOR_RELIEF, "taso": "alue"}
    )
    assert len(at.dataframe[0].value) == areas_only.rows < everything
    assert at.query_params["taso"] == "alue"


def test_notes_filtered_from_the_url(app, demo_db_url):
    params = {"taulu": "muistiinpanot", "lahdetyyppi": "meeting", "tunniste": "ICT"}
    at = open_with(app, **params)
    table = expected(demo_db_url, params)
    shown = at.dataframe[0].value
    assert len(shown) == table.rows > 0
    assert set(shown[t("tables.col.source_type", "fi")]) == {"Kokous"}
    assert at.multiselect(key="tbl_source_type").value == ["meeting"]
    assert at.multiselect(key="tbl_tags").value == ["ICT"]
    assert at.query_params["lahdetyyppi"] == "meeting" and at.query_params["tunniste"] == "ICT"
    assert len(at.get("download_button")) == 3


def test_an_unknown_indicator_in_the_url_is_a_warning(app):
    at = open_with(app, taulu="indikaattorit", indikaattori="tuntematon")
    assert any("tuntematon" in w.value for w in at.warning)
    assert at.selectbox(key="tbl_indicator").value is None


def test_the_tables_speak_the_page_s_language(app, demo_db_url):
    at = open_with(app, taulu="muistiinpanot", kieli="sv")
    table = expected(demo_db_url, {"taulu": "muistiinpanot"}, "sv")
    assert list(at.dataframe[0].value.columns) == table.headers()
    assert t("tables.col.source_type", "sv") in table.headers()
    at = open_with(at, taulu="indikaattorit", indikaattori="demo:vakiluku", kieli="en")
    styler = at.dataframe[0].proto.arrow_data.styler
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values)
    assert "177,000" in set(shown[t("tables.col.value", "en")])


@pytest.fixture
def reader_db(demo_db_url, tmp_path):
    path = tmp_path / "lukija.sqlite"
    shutil.copyfile(demo_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    with Store.open(url) as store:
        admin = Principal.open("asennus")
        accounts.set_user(store, admin, "paa@stm.fi", "yllapitaja")
        accounts.set_user(store, admin, "jasen@example.fi", "lukija")
    return url


def test_a_reader_sees_both_tables_and_their_downloads(reader_db, tmp_path, monkeypatch):
    at = _start(reader_db, tmp_path, monkeypatch)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "jasen@example.fi"}
    at.run()
    at.switch_page(PAGE)
    for word in ("indikaattorit", "muistiinpanot"):
        at = open_with(at, taulu=word)
        assert len(at.dataframe[0].value) > 0, word
        assert len(at.get("download_button")) == 3
    options = at.segmented_control(key="tbl_table").options
    assert "audit" not in str(options)  # the audit trail stays the administrators'
