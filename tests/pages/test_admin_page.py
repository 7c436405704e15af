"""The administration page: roles managed by an administrator only, the audit trail filtered."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.access import Principal
from sotedata.domain.i18n import t
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from ui.text_safety import shown

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/admin.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}


def _with_users(url: str) -> str:
    with Store.open(url) as store:
        opening = Principal.open("asennus")
        accounts.set_user(store, opening, "paa@example.fi", "yllapitaja")
        accounts.set_user(store, opening, "stm@example.fi", "ministerio")
        accounts.set_user(store, opening, "lappi@example.fi", "valmistelija", ["21"])
    return url


@pytest.fixture
def db_url(tmp_path):
    return _with_users(f"sqlite:///{tmp_path / 'sote.sqlite'}")


def _open(db_url, tmp_path, monkeypatch, email: str | None) -> AppTest:
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    if email is not None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email}
    at.run()
    at.switch_page(PAGE)
    return at.run()


def test_an_administrator_adds_a_preparer_and_the_trail_shows_it(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, "paa@example.fi")
    assert not at.exception
    assert at.title[0].value == "Käyttäjät ja tapahtumaloki"
    at.text_input[0].input("kainuu@example.fi")
    at.selectbox[0].set_value(accounts.Role.PREPARER)
    at.multiselect[0].set_value(["20"])
    at = [b for b in at.button if b.label == "Tallenna käyttäjä"][0].click().run()
    assert not at.exception
    assert "Tallennettu: kainuu@example.fi." in [shown(s.value) for s in at.success]
    with Store.open(db_url) as store:
        assert accounts.principal_for(store, "kainuu@example.fi").areas == frozenset({"20"})
        last = accounts.audit_log(store).iloc[0]
    assert (last["actor"], last["action"], last["target"]) == (
        "paa@example.fi",
        "role",
        "kainuu@example.fi",
    )
    users = at.dataframe[0].value
    assert "kainuu@example.fi" in set(users["Tunnus"])
    assert "4 tapahtumaa" in [c.value for c in at.caption]


def test_a_preparer_without_areas_is_refused_with_the_reason(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, "paa@example.fi")
    at.text_input[0].input("x@example.fi")
    at.selectbox[0].set_value(accounts.Role.PREPARER)
    at = [b for b in at.button if b.label == "Tallenna käyttäjä"][0].click().run()
    assert "vähintään yksi alue" in " ".join(e.value for e in at.error)


def test_the_ministry_reads_the_trail_but_has_no_user_form(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, "stm@example.fi")
    assert not at.exception
    assert not [b for b in at.button if b.label == "Tallenna käyttäjä"]
    assert len(at.dataframe) == 2  # the users and the trail


def test_a_preparer_has_no_administration_in_the_menu(db_url, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="admin.py"):
        _open(db_url, tmp_path, monkeypatch, "lappi@example.fi")


def test_the_page_itself_refuses_a_reader_who_finds_it(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(str(Path(APP).parent / PAGE), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "lappi@example.fi"}
    at.run()
    assert not at.exception
    assert "vain ylläpitäjille" in at.info[0].value
    assert not at.dataframe


def test_nobody_reads_anything_before_signing_in(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Kirjaudu sisään"]
    assert not at.get("vega_lite_chart") and not at.dataframe


def test_an_unknown_person_with_no_default_role_sees_no_data(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.setenv("SOTE_UNKNOWN_USER_ROLE", "ei")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "vieras@example.fi"}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Ei käyttöoikeutta"
    assert not at.get("vega_lite_chart")


def test_every_page_ends_saying_who_is_signed_in_or_that_the_app_is_open(
    db_url, tmp_path, monkeypatch
):
    at = _open(db_url, tmp_path, monkeypatch, "stm@example.fi")
    assert shown(at.caption[-1].value) == "Kirjautunut: stm@example.fi (ministeriö)"
    assert [b.label for b in at.button][-1] == "Kirjaudu ulos"
    # without sign-in, once people are in the user table: no open mode, but how to get sign-in
    with pytest.raises(ValueError, match="admin.py"):
        _open(db_url, tmp_path, monkeypatch, None)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.caption[-1].value == t("rights.visitor.status", "fi")


def test_the_trail_filters_by_action(db_url, tmp_path, monkeypatch):
    at = _open(db_url, tmp_path, monkeypatch, "paa@example.fi")
    at.selectbox(key="audit-action").set_value("import")
    at = at.run()
    assert "0 tapahtumaa" in [c.value for c in at.caption]
    at.selectbox(key="audit-action").set_value("role")
    at = at.run()
    assert "3 tapahtumaa" in [c.value for c in at.caption]


def test_a_download_from_a_page_is_audited_under_the_signed_in_person(
    db_url, tmp_path, monkeypatch
):
    """The download buttons build their file in a callback that calls common.audit_export;
    here it is called as the callback would, as a signed-in reader."""
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)

    def script():
        from ui import common

        common.audit_export("status", "xlsx", {"alue": "21"}, 12)

    at = AppTest.from_function(script, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "jasen@example.fi"}
    at.run()
    assert not at.exception
    with Store.open(db_url) as store:
        row = accounts.audit_log(store, action="export").iloc[0]
    assert (row["actor"], row["channel"], row["target"]) == ("jasen@example.fi", "ui", "status")
    assert '"rows": 12' in row["details"]


@pytest.mark.parametrize(("email", "sees"), [("paa@example.fi", True), ("lappi@example.fi", False)])
def test_the_audit_trail_is_a_table_only_for_those_who_may_read_it(
    demo_copy_url, tmp_path, monkeypatch, email, sees
):
    db_url = _with_users(demo_copy_url)  # the example data (load_demo keeps users and trail)
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email}
    at.query_params["taulu"] = "tapahtumat"
    at.run()
    at.switch_page("pages/tables.py")
    at.query_params["taulu"] = "tapahtumat"
    at = at.run()
    assert not at.exception
    options = [o.content for g in at.get("button_group") for o in g.proto.options]
    assert "Lataushistoria" in options
    assert ("Tapahtumaloki" in options) == sees
    shown = at.dataframe[0].value
    assert ("Tekijä" in shown.columns) == sees  # the trail (3 role changes), or the status table
