"""The accessibility statement: every part of the EU model in every language, its dates in each
language's format, the feedback address from the environment, and the page reachable from every
page through its footer link."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain.i18n import LANGUAGES, catalog, fmt_date, t
from sotedata.views import accessibility as a11y

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
STATEMENT = "pages/accessibility.py"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_statement_is_translated(lang):
    missing = [key for key in a11y.message_keys() if not catalog(lang).get(key)]
    assert not missing


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match_the_finnish_source(lang):
    """A translation that drops {email} or {days} would hide the feedback channel or the answer
    time in that language."""
    import re

    field = re.compile(r"{(\w+)}")
    for key in a11y.message_keys():
        assert set(field.findall(t(key, lang))) == set(field.findall(t(key, "fi"))), key


def test_the_statement_dates_follow_the_language():
    assert a11y.statement("fi").prepared == fmt_date(a11y.PREPARED_ON, "fi")
    on = date(2026, 11, 23)
    assert fmt_date(on, "fi") == "23.11.2026"
    assert fmt_date(on, "sv") == "23.11.2026"
    assert fmt_date(on, "en") == "23 Nov 2026"
    assert a11y.statement("en").updated == fmt_date(a11y.UPDATED_ON, "en")
    assert a11y.UPDATED_ON >= a11y.PREPARED_ON
    assert a11y.ASSESSED_ON <= a11y.UPDATED_ON


def test_feedback_address_is_an_admin_setting_with_a_visible_placeholder():
    assert a11y.feedback_email({}) == (a11y.DEFAULT_FEEDBACK_EMAIL, False)
    assert a11y.feedback_email({a11y.FEEDBACK_ENV: "  "}) == (a11y.DEFAULT_FEEDBACK_EMAIL, False)
    given = {a11y.FEEDBACK_ENV: "palaute@stm.fi"}
    assert a11y.feedback_email(given) == ("palaute@stm.fi", True)
    assert a11y.statement("sv", given).feedback_email == "palaute@stm.fi"


def test_the_axe_version_named_is_the_one_the_browser_tests_install():
    package = json.loads((ROOT / "tools" / "axe" / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["axe-core"] == a11y.AXE_VERSION


def test_the_supervisor_is_traficom_with_a_site_per_language():
    assert a11y.SUPERVISOR.email == "saavutettavuus@traficom.fi"
    sites = {lang: a11y.SUPERVISOR.website(lang) for lang in LANGUAGES}
    assert sites["fi"] == "https://www.saavutettavuusvaatimukset.fi"
    assert len(set(sites.values())) == 3
    assert a11y.SUPERVISOR.website("de") == sites["fi"]  # an unknown language falls back


@pytest.fixture(scope="module")
def demo_db(demo_db_url, tmp_path_factory):
    """The run's example database (the pages only read it) and a data folder of this module's."""
    return demo_db_url, tmp_path_factory.mktemp("statement")


@pytest.fixture
def app(demo_db, monkeypatch):
    url, folder = demo_db
    monkeypatch.setenv("SOTE_DATABASE_URL", url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(folder))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv(a11y.FEEDBACK_ENV, raising=False)
    return AppTest.from_file(APP, default_timeout=60)


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_page_shows_each_section_of_the_model_in_its_language(app, lang):
    app.query_params["kieli"] = lang
    at = app.run()
    at.switch_page(STATEMENT).run()
    assert not at.exception
    assert at.title[0].value == t("a11y.title", lang)
    headers = [h.value for h in at.header]
    assert headers == [t(key, lang) for key in a11y.SECTIONS]
    assert [s.value for s in at.subheader] == [g.title(lang) for g in a11y.SHORTCOMINGS]
    text = _text(at)
    assert "WCAG 2.1" in text
    assert a11y.DEFAULT_FEEDBACK_EMAIL in text
    assert str(a11y.RESPONSE_DAYS) in text
    assert "saavutettavuus@traficom.fi" in text and "029 534 5000" in text
    assert a11y.SUPERVISOR.website(lang).removeprefix("https://") in text
    assert fmt_date(a11y.PREPARED_ON, lang) in text
    assert "1.1.2025" in text or "1 January 2025" in text
    # the placeholder address is flagged for the administrator
    assert len(at.warning) == 1 and a11y.FEEDBACK_ENV in at.warning[0].value


def test_a_configured_address_replaces_the_placeholder_and_its_warning(app, monkeypatch):
    monkeypatch.setenv(a11y.FEEDBACK_ENV, "saavutettavuus@stm.fi")
    at = app.run()
    at.switch_page(STATEMENT).run()
    text = _text(at)
    assert "saavutettavuus@stm.fi" in text
    assert a11y.DEFAULT_FEEDBACK_EMAIL not in text
    assert not at.warning


@pytest.mark.parametrize("page", [None, "pages/risks.py", "pages/tables.py", STATEMENT])
def test_every_page_links_to_the_statement_at_its_foot(app, page):
    at = app.run()  # the national page, the default
    if page is not None:
        at.switch_page(page).run()
    links = [el for el in at.get("page_link")]
    assert links, "no page link on the page"
    last = links[-1].proto
    assert last.label == t("a11y.footer", "fi")
    assert last.page == "saavutettavuus"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_document_language_is_set_to_the_page_language(app, lang):
    """Streamlit serves <html lang="en">; a script sets the page language (run in Chromium by
    tests/browser/test_accessibility.py; here: the app sends it, with scripts allowed)."""
    app.query_params["kieli"] = lang
    at = app.run()
    scripts = [h.proto for h in at.get("html") if "<script" in h.proto.body]
    # other scripts run too (the first run's "Page not found" box is closed by one)
    setting = [s for s in scripts if "setAttribute('lang'" in s.body]
    assert len(setting) == 1
    assert setting[0].unsafe_allow_javascript
    assert f"setAttribute('lang', '{lang}')" in setting[0].body
