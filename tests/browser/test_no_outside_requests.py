"""End to end in headless Chromium (issue 14 item 2): the app on a database whose stored text is
full of Markdown images, links and HTML (tests/support/hostile_text.py: grant projects, notes, an
indicator, a file name and an importer through the import path; measure names and risk titles
and mitigations as a roadmap or risk import stores them). Every page is opened and every request
the browser makes is recorded: none may leave the app's own address (``data:`` and ``blob:`` are
the page's own), no ``<img>`` or ``<a>`` points outside, and the stored text reads as written.

The server is started for this test, so its first page, a deep link to an area, is also the
check that such a link opens on a fresh server without Streamlit's "Page not found" box (issue
18 item 2; README, known limits). The pages are opened in a browser context of their own, so
every request is made and seen (none answered from the cache of the run's shared context)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support import hostile_text
from tests.support.example_db import copy_of

from .conftest import ARTIFACTS, open_page, require_chromium, settle, start_app

pytestmark = pytest.mark.browser

INDICATOR = "ind:file:mittari-x-http-evil-example-x-png-img-src-http-evil-example-y-png"
#: every page, the tables that show stored text, and the national map on the hostile indicator
PAGES = [
    "/alue?alue=21",  # first: a deep link on a freshly started server
    "/",
    f"/?mittari={INDICATOR}",
    "/alue?alue=21&esitys=1",
    "/riskit",
    "/taulukot",
    "/taulukot?taulu=notes",
    "/taulukot?taulu=indicators",
    "/taulukot?taulu=grants",
    "/taulukot?taulu=imports",
    "/lataa",
    "/yllapito",
    "/saavutettavuus",
]
OWN_HOSTS = {"127.0.0.1", "localhost"}
OWN_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(scope="module")
def hostile_app(demo_db_url, tmp_path_factory):
    """The app on the hostile database, served like the shared ``app_url`` fixture's."""
    require_chromium()
    data_dir = tmp_path_factory.mktemp("hostile-app")
    url = copy_of(demo_db_url, data_dir)
    hostile_text.add(url)
    env = {
        **os.environ,
        "SOTE_DATA_DIR": str(data_dir),
        "SOTE_DATABASE_URL": url,
        "SOTE_OFFLINE": "1",
    }
    with start_app(env, data_dir / "server.log") as server:
        yield server.url


def _outside(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in OWN_SCHEMES and parts.hostname not in OWN_HOSTS


def _visible_text(page) -> str:
    """The page's text as a reader sees it (the invisible word joiners left out)."""
    return page.locator("body").inner_text().replace("\u2060", "")


def _hover_tooltips(page) -> list[tuple[str, int]]:
    """Hover the timeline's marks that carry stored text (a measure, a note): each tooltip's
    text and how many images it holds. vega-tooltip writes HTML, escaping ``<`` and ``&``."""
    found = []
    for label in ("H-01 Toimenpide", "Muistiinpano 1.6.2022"):
        mark = page.locator(f'.stVegaLiteChart path[aria-label^="{label}"]').first
        mark.hover()
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible")
        expect(tooltip).to_contain_text(label.split()[0])  # this mark's, not the last one's
        found.append((tooltip.inner_text(), tooltip.locator("img, a").count()))
        page.screenshot(path=str(ARTIFACTS / f"hostile-text-tooltip-{len(found)}.png"))
    page.mouse.move(0, 0)
    return found


def test_no_page_fetches_or_links_outside_the_app(browser, hostile_app):
    with open_page(browser) as page:
        _visit_every_page(page, hostile_app)


def _deep_link_opened(page) -> None:
    """The area page, the first page this fresh server serves, drawn whole, not Streamlit's
    "Page not found" box (test-artifacts/deep-link-fresh-server.png)."""
    page.get_by_role("heading", name="Lapin hyvinvointialue").wait_for()
    page.locator("[data-testid=stMetric]").first.wait_for()
    page.screenshot(path=ARTIFACTS / "deep-link-fresh-server.png")
    assert page.get_by_text("Page not found").count() == 0


def _visit_every_page(page, hostile_app: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    texts: dict[str, str] = {}
    found: dict[str, int] = {}
    for path in PAGES:
        page.goto(f"{hostile_app}{path}")
        settle(page)  # charts and images drawn: their requests made
        texts[path] = _visible_text(page)
        # nothing on the page points outside, even where no request was made yet
        found[path] = page.locator(
            f"img[src*='{hostile_text.EVIL_HOST}'], a[href*='{hostile_text.EVIL_HOST}'],"
            f" [srcset*='{hostile_text.EVIL_HOST}']"
        ).count()
        if path == "/alue?alue=21":
            _deep_link_opened(page)
            tooltips = _hover_tooltips(page)
    outside = sorted({url for url in requests if _outside(url)})
    assert requests, "the pages made requests at all"
    assert [url for url in outside if hostile_text.EVIL_HOST in url] == []
    # nothing at all leaves the machine: not stored text, nor Streamlit's favicon (app.py ships
    # its own), so the app works on a closed network
    assert not outside, f"requests outside the app: {outside}"
    assert found == dict.fromkeys(PAGES, 0)

    said = hostile_text.texts()
    # the stored text reads as written, Markdown and HTML characters and all
    area = texts["/alue?alue=21"]
    assert said["indicator"] in area  # the indicator's heading
    # the notes as the timeline's sentence lists them (each cut to its first 100 characters)
    assert f"Muistiinpano {hostile_text.ALL} :red[puna" in area
    assert said["indicator"] in texts[f"/?mittari={INDICATOR}"]  # the map's summary
    # the chart tooltips show it as text, no image or link in them
    for text, elements in tooltips:
        assert hostile_text.ALL in text and elements == 0, text
    upload = texts["/lataa"]
    assert said["file"] in upload and said["user"] in upload  # the import history
