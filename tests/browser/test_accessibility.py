"""axe-core in headless Chromium on every page in Finnish, Swedish and English: no serious or
critical violation, headings in order, the page language on ``<html lang>``, and the keyboard
reaching the language switch and the area chooser beside the map.

axe-core comes from the npm registry (``tools/axe``, pinned; ``scripts/ensure-axe.sh`` installs
it). Each page is checked once it has finished running (no status widget, nothing stale), so
what is checked is the page a person sees, not a half-drawn one; and a page that failed to draw
fails the test rather than passing an empty check. The WCAG 2.1 A/AA rules and axe's
best-practice rules run together; every finding below serious must be one the README lists
(``DOCUMENTED``), so the list there stays true. One server, pages one after another,
each loaded anew (a new session of the app) in the run's shared browser context, which keeps
Streamlit's static files in its cache as a person's browser does between visits. A page is drawn
once for all its checks: the statement page's screenshots are taken after its axe check, and
the keyboard test on the national page starts from the last axe check's page (the national page
in Finnish, checked last for that reason).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from sotedata.domain import areas
from sotedata.domain.i18n import LANGUAGES, t
from tests.browser.conftest import ARTIFACTS, Reuse, settle
from ui.common import BASE_CSS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core"
#: each page and the message key of its h1 (None: the area's own name)
PAGES = [
    ("/alue?alue=21", None),
    ("/lataa", "upload.title"),
    ("/riskit", "risks.title"),
    ("/taulukot", "tables.title"),
    ("/yllapito", "admin.title"),
    ("/saavutettavuus", "a11y.title"),
    ("/", "national.title"),
]
#: every page in every language, the national page in Finnish last: the keyboard test on it,
#: which runs next, finds it drawn and checked and needs not draw it again
CHECKS = [
    (path, key, lang)
    for path, key in PAGES
    for lang in (sorted(LANGUAGES, key=lambda code: code == "fi") if path == "/" else LANGUAGES)
]
#: the caption grey BASE_CSS sets, as the browser reports a computed colour
GREY = "rgb({}, {}, {})".format(*bytes.fromhex(re.search(r"color: #(\w{6})", BASE_CSS).group(1)))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: findings below serious that are known, with the reason the README gives for each
DOCUMENTED = {
    "presentation-role-conflict": "Streamlit's file uploader drop zone is a focusable "
    "role=presentation section",
}
#: no header button either: the page is shown, not a rerun prompt
NO_HEADER_BUTTON = "!document.querySelector('[data-testid=stBaseButton-header]')"
#: the two things the app applies after Streamlit has drawn the page, which axe checks: the page's
#: language on <html lang> (a script in st.html) and the readable caption and label grey (BASE_CSS)
#: on every caption and label, so a check on a busy machine does not see the page half-styled
STYLED = (
    "document.documentElement.lang === arg.lang"
    " && [...document.querySelectorAll('style')]"
    ".some(s => s.textContent.includes('stCaptionContainer'))"
    " && [...document.querySelectorAll("
    "'[data-testid=stCaptionContainer], [data-testid=stWidgetLabel] p')]"
    ".every(e => getComputedStyle(e).color === arg.grey && getComputedStyle(e).opacity === '1')"
)
FOCUSED = (
    "() => { const e = document.activeElement; return {"
    " testid: e.closest('[data-testid]')?.getAttribute('data-testid') || '',"
    " text: (e.innerText || '').trim(), label: e.getAttribute('aria-label') || '' }; }"
)


def _open(page: Reuse, url: str, lang: str) -> None:
    """``url`` run, drawn and styled in ``lang``."""
    page.open(url, lambda tab: _settle(tab, lang))


def _axe_source() -> Path:
    script = AXE / "axe.min.js"
    if not script.exists():
        message = "axe-core is not installed (run scripts/ensure-axe.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return script


def _url(app_url: str, path: str, lang: str) -> str:
    return f"{app_url}{path}{'&' if '?' in path else '?'}kieli={lang}"


def _settle(page, lang: str = "fi") -> None:
    """The page run, drawn and styled in ``lang``: what axe checks is what a person sees."""
    settle(page, condition=f"{NO_HEADER_BUTTON} && {STYLED}", arg={"lang": lang, "grey": GREY})


def _expected_h1(key: str | None, lang: str) -> str:
    return areas.get("21").name(lang) if key is None else t(key, lang)


def _run_axe(page) -> dict:
    page.add_script_tag(path=str(_axe_source()))
    return page.evaluate(
        """async (tags) => {
            // every rule runs; only the violations and the rules left for a person to check
            // come back with all their elements (a passed rule with one): the rest is what
            // made a check on the area page cost a fifth more
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations', 'incomplete'],
            });
            return {
                version: axe.version,
                lang: document.documentElement.lang,
                passes: result.passes.length,
                violations: result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    tags: v.tags.filter(t => t.startsWith('wcag') || t === 'best-practice'),
                    nodes: v.nodes.slice(0, 5).map(n => n.html.slice(0, 200)),
                })),
                incomplete: result.incomplete.map(v => ({id: v.id, nodes: v.nodes.length})),
            };
        }""",
        TAGS,
    )


@pytest.mark.parametrize(("path", "title_key", "lang"), CHECKS)
def test_no_serious_or_critical_violations(app_url, module_page, path, title_key, lang):
    reuse, page = module_page, module_page.page
    _open(reuse, _url(app_url, path, lang), lang)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("h1").first.inner_text().strip() == _expected_h1(title_key, lang)
    found = _run_axe(page)
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.strip("/").split("?")[0] or "koko-maa"
    (ARTIFACTS / f"axe-{name}-{lang}.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    assert found["passes"] > 10  # axe really ran over a real page
    assert found["lang"] == lang  # WCAG 3.1.1: the page's language, not Streamlit's "en"
    serious = [v for v in found["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=2)
    unlisted = [v["id"] for v in found["violations"] if v["id"] not in DOCUMENTED]
    assert not unlisted, f"list these in README (Accessibility) and DOCUMENTED: {unlisted}"
    heading_order = [v for v in found["violations"] if v["id"] == "heading-order"]
    assert not heading_order, json.dumps(heading_order, ensure_ascii=False)
    if path == "/saavutettavuus":
        _the_statement_as_a_person_sees_it(page, lang)
    else:
        reuse.leave()  # axe leaves the page as it was drawn


def _the_statement_as_a_person_sees_it(page, lang: str) -> None:
    """The statement page, checked by axe above, whole: its six sections and the supervisor's
    address, and a screenshot for a person to look at (test-artifacts/saavutettavuus-<lang>.png,
    a window tall enough for the whole page, which scrolls inside Streamlit's container)."""
    assert page.locator("h2").count() == 6
    assert page.get_by_role("link", name="saavutettavuus@traficom.fi").count() == 1
    laptop = page.viewport_size
    page.set_viewport_size({"width": 1280, "height": 3400})
    try:
        _settle(page, lang)
        page.screenshot(path=ARTIFACTS / f"saavutettavuus-{lang}.png")
    finally:
        page.set_viewport_size(laptop)


def test_an_area_is_opened_from_the_select_box_beside_the_map_without_a_mouse(app_url, module_page):
    page = module_page.page
    _open(module_page, _url(app_url, "/", "fi"), "fi")  # left drawn by the last axe check
    _tab_to(page, "stSelectbox", label=t("national.open_area", "fi"), limit=80)
    page.keyboard.type("Lappi")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(name) => document.querySelector('h1')?.innerText.trim() === name",
        arg=areas.get("21").name("fi"),
        timeout=60_000,
    )
    assert "alue=21" in page.url


def test_the_language_switch_is_reached_and_used_with_the_keyboard(app_url, module_page):
    page = module_page.page
    _open(module_page, app_url + "/saavutettavuus", "fi")
    _tab_to(page, "stButtonGroup", text="Suomi", limit=20)
    page.keyboard.press("ArrowRight")
    assert page.evaluate(FOCUSED)["text"] == "Svenska"
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.documentElement.lang === 'sv'"
        " && document.querySelector('h1')?.innerText.trim() === 'Tillgänglighetsutlåtande'",
        timeout=30_000,
    )
    assert "kieli=sv" in page.url


def test_every_documented_finding_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{rule}`" in readme for rule in DOCUMENTED)


def _tab_to(page, testid: str, *, text: str = "", label: str = "", limit: int = 60) -> dict:
    """Press Tab until the focus is inside ``testid`` (with that text or aria-label)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["testid"] == testid and text in focused["text"] and label in focused["label"]:
            return focused
    pytest.fail(f"Tab never reached {testid} {text or label} in {limit} presses")
