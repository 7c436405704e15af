"""The upload page with sign-in configured: each role sees and may do what sotedata allows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.access import Principal
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from tests.support.example_db import copy_of

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/upload.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
CSV = (
    "Hyvinvointialue;Tunnus;Tila;Tilannepäivä\n"
    "Lappi;H-01;Valmis;31.12.2022\n"
    "Kainuu;H-01;Viivästynyt;31.12.2022\n"
).encode()
ADMIN = Principal.open("asennus")


@pytest.fixture(scope="module")
def roles_url(demo_db_url, tmp_path_factory) -> str:
    """The example data with a preparer, the ministry and a reader (copied from the run's)."""
    url = copy_of(demo_db_url, tmp_path_factory.mktemp("roles"))
    with Store.open(url) as store:
        accounts.set_user(store, ADMIN, "lappi@example.fi", "valmistelija", ["Lappi"])
        accounts.set_user(store, ADMIN, "stm@example.fi", "ministerio")
        accounts.set_user(store, ADMIN, "jasen@example.fi", "lukija")
    return url


@pytest.fixture
def db_url(roles_url, tmp_path) -> str:
    """A copy per test: a test may store an import."""
    return copy_of(roles_url, tmp_path)


def _open(db_url, tmp_path, monkeypatch, email: str | None, unknown: str = "lukija") -> AppTest:
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.setenv("SOTE_UNKNOWN_USER_ROLE", unknown)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": email is not None, "email": email}
    at.run()
    at.switch_page(PAGE)
    return at.run()


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_files").set_value([(name, data, "text/csv")])
    return at.run()


def _text(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_nobody_signed_in_sees_only_the_sign_in(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, None)
    assert not at.exception
    assert at.title[0].value == "Kirjaudu sisään"
    assert [b.label for b in at.button] == ["Kirjaudu sisään"]


def test_a_reader_may_not_upload_and_is_told_why(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, "jasen@example.fi")
    assert not at.exception
    assert "lukija" in _text(at.info) and "ei salli" in _text(at.info)
    with pytest.raises(KeyError):
        at.file_uploader(key="upload_files")


def test_a_preparer_sees_the_other_areas_rows_refused_at_their_cells(db_url, tmp_path, monkeypatch):
    at = _upload(_open(db_url, tmp_path, monkeypatch, "lappi@example.fi"), "tila.csv", CSV)
    assert not at.exception
    errors = at.table[1].value
    assert errors["Solu"].tolist() == ["A3"]
    assert "Kainuu" in errors["Virhe"].iloc[0]
    assert not [b for b in at.button if b.label == "Tallenna"]


def test_the_ministry_stores_it_and_the_trail_names_the_signed_in_person(
    db_url, tmp_path, monkeypatch
):
    at = _upload(_open(db_url, tmp_path, monkeypatch, "stm@example.fi"), "tila.csv", CSV)
    (save,) = [b for b in at.button if b.label == "Tallenna"]
    at = save.click().run()
    assert not at.exception and "Tallennettu" in _text(at.success)
    with Store.open(db_url) as store:
        row = accounts.audit_log(store, action="import").iloc[0]
    assert (row["actor"], row["channel"]) == ("stm@example.fi", "ui")
    assert json.loads(row["details"])["areas"] == ["20", "21"]


def test_a_preparer_is_not_offered_the_revert_of_another_areas_import(
    db_url, tmp_path, monkeypatch
):
    at = _upload(_open(db_url, tmp_path, monkeypatch, "stm@example.fi"), "tila.csv", CSV)
    [b for b in at.button if b.label == "Tallenna"][0].click().run()
    at = _open(db_url, tmp_path, monkeypatch, "lappi@example.fi")
    assert not [b for b in at.button if b.label == "Peru"]
    assert "Ei oikeutta perua" in _text(at.caption)


def test_an_unknown_person_gets_no_rights_when_so_configured(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, "vieras@example.fi", unknown="ei")
    assert not at.exception
    assert "ei roolia" in _text(at.info)
