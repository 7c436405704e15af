"""Pages without sign-in configured: the open mode only while the user table is empty; after that
an anonymous visitor reads (at most) and cannot add users, save imports or write notes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.access import ANONYMOUS_USER, Principal, Role
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from tests.support.apptest import app_env
from tests.support.example_db import copy_of, digest
from ui.text_safety import shown

TIMEOUT = 120
ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
OPENING = Principal.open("asennus")


@pytest.fixture
def empty_url(demo_copy_url, tmp_path, monkeypatch) -> str:
    """The example data, nobody in the user table (a copy: the tests write)."""
    url = demo_copy_url
    app_env(url, tmp_path, monkeypatch)
    monkeypatch.delenv("SOTE_UNKNOWN_USER_ROLE", raising=False)
    return url


def _with_admin(url: str) -> str:
    with Store.open(url) as store:
        accounts.set_user(store, OPENING, "paa@stm.fi", "yllapitaja")
    return url


@pytest.fixture(scope="module")
def admin_db(demo_db_url, tmp_path_factory) -> str:
    """The example data with one administrator in the user table, shared by the tests that only
    read it (so the pages' figures stay cached from one test to the next): a copy of its own,
    as adding the user writes."""
    return _with_admin(copy_of(demo_db_url, tmp_path_factory.mktemp("visitors")))


@pytest.fixture
def url(admin_db, tmp_path, monkeypatch) -> Iterator[str]:
    """``admin_db`` for a test that only reads: the test fails if the file changed."""
    app_env(admin_db, tmp_path, monkeypatch)
    monkeypatch.delenv("SOTE_UNKNOWN_USER_ROLE", raising=False)
    before = digest(admin_db)
    yield admin_db
    assert digest(admin_db) == before, "a visitor's test wrote to the shared database"


@pytest.fixture
def own_url(empty_url) -> str:
    """The same as ``url``, of this test's own: the test writes."""
    return _with_admin(empty_url)


def _app(page: str | None = None, **params: str) -> AppTest:
    """app.py without ``[auth]`` in the secrets (no sign-in), opened on ``page``."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    if page is not None:
        at.switch_page(page)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        assert not at.exception
    return at


def _page(page: str) -> AppTest:
    """One page run on its own, as someone who typed its address would reach it."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _texts(at: AppTest) -> list[str]:
    boxes = [*at.info, *at.warning, *at.caption, *at.error, *at.success]
    return [shown(element.value) for element in boxes]


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


# --- the core: a visitor is a reader at most --------------------------------------------------


def test_a_visitor_reads_at_most_whatever_the_setting_says():
    assert Principal.visitor("lukija").role is Role.READER
    assert Principal.visitor("yllapitaja").role is Role.READER  # never more than reading
    assert Principal.visitor("ei").role is None
    visitor = Principal.visitor()
    assert visitor.anonymous and not visitor.open_mode and visitor.user == ANONYMOUS_USER
    assert not (visitor.can_upload or visitor.can_manage_users or visitor.may_report_for("21"))
    with pytest.raises(SoteError) as refused:
        Principal.visitor("kuningas")
    assert refused.value.issues[0].code == "unknown_role"


def test_a_visitor_cannot_add_a_user_even_by_calling_the_core(url):
    with Store.open(url) as store, pytest.raises(SoteError) as refused:
        accounts.set_user(store, Principal.visitor(), "kuka@x.fi", "yllapitaja")
    assert refused.value.issues[0].code == "forbidden"
    with Store.open(url) as store:
        assert list(accounts.users(store)["username"]) == ["paa@stm.fi"]


# --- the pages, once someone is in the user table ---------------------------------------------


def test_every_page_tells_a_visitor_that_sign_in_is_not_configured(url):
    at = _app()
    status = t("rights.visitor.status", "fi")
    assert shown(at.caption[-1].value) == status
    assert not [text for text in _texts(at) if text.startswith("Avoin tila")]
    assert "SOTE_" not in status and "README" in status  # no setting names on a page
    with pytest.raises(ValueError, match="admin.py"):  # no administration in the menu
        at.switch_page("pages/admin.py")


def test_the_admin_page_refuses_a_visitor_who_finds_it(url):
    at = _page("pages/admin.py")
    texts = _texts(at)
    assert t("admin.not_allowed", "fi") in texts
    assert t("rights.visitor.read_only", "fi") in texts
    assert "Tallenna käyttäjä" not in _labels(at) and not at.text_input and not at.dataframe


def test_a_visitor_cannot_save_an_import(url):
    at = _app("pages/upload.py")
    assert not at.get("file_uploader")
    role = Role.READER.label("fi")
    assert t("access.upload.not_allowed", "fi", role=role) in _texts(at)
    assert t("rights.visitor.read_only", "fi") in _texts(at)  # and how saving becomes possible
    assert not [label for label in _labels(at) if label.startswith("Tallenna")]


def test_a_visitor_gets_no_note_form_on_the_area_page(url):
    at = _app("pages/area.py", alue="21")
    assert not _has(at, "note-text")
    assert t("notes.form.submit", "fi") not in _labels(at)


def test_a_visitor_is_not_offered_the_audit_trail_on_the_tables_page(url):
    at = _app("pages/tables.py", taulu="tapahtumat")
    options = [o.content for g in at.get("button_group") for o in g.proto.options]
    assert "Lataushistoria" in options and "Tapahtumaloki" not in options


def test_no_default_role_means_a_visitor_sees_nothing_and_is_told_why(url, monkeypatch):
    monkeypatch.setenv("SOTE_UNKNOWN_USER_ROLE", "ei")
    at = _app()
    assert at.title[0].value == t("access.no_rights.title", "fi")
    assert t("rights.visitor.no_rights", "fi") in _texts(at)
    assert t("access.sign_out", "fi") not in _labels(at)  # nobody to sign out
    assert not at.get("vega_lite_chart") and not at.dataframe


def test_a_visitors_download_is_audited_under_the_anonymous_name(own_url):
    def script():
        from ui import common

        common.audit_export("status", "csv", {"alue": "21"}, 3)

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    with Store.open(own_url) as store:
        row = accounts.audit_log(store, action="export").iloc[0]
    assert (row["actor"], row["channel"]) == (ANONYMOUS_USER, "ui")


# --- with the user table empty: the open mode, as before ---------------------------------------


def test_with_nobody_in_the_table_the_pages_are_open_and_the_first_user_ends_it(empty_url):
    at = _app("pages/admin.py")
    assert shown(at.caption[-1].value).startswith("Avoin tila")
    at.text_input(key="admin-username").input("paa@stm.fi")
    at.selectbox(key="admin-role").set_value(Role.ADMIN)
    at = next(b for b in at.button if b.label == "Tallenna käyttäjä").click().run()
    assert not at.exception
    with Store.open(empty_url) as store:
        assert list(accounts.users(store)["username"]) == ["paa@stm.fi"]
    at = _page("pages/admin.py")  # the next visit: the open mode is over at once
    assert "Tallenna käyttäjä" not in _labels(at)
    assert t("rights.visitor.read_only", "fi") in _texts(at)


def test_with_nobody_in_the_table_upload_and_notes_are_offered(empty_url):
    at = _app("pages/upload.py")
    assert at.get("file_uploader")
    at = _app("pages/area.py", alue="21")
    assert _has(at, "note-text")


def _has(at: AppTest, key: str) -> bool:
    return any(getattr(element, "key", None) == key for element in at.text_area)
