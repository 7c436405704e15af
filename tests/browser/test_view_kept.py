"""The national view is kept on the way back from an area, a deep link opens on a fresh server
without Streamlit's "Page not found" box (issue 18 item 2), and the national page's time player,
full-screen and copy-link buttons work in Chromium (item 5)."""

from __future__ import annotations

import os
import re

import pytest

from tests.support.example_db import copy_of

from .conftest import ARTIFACTS, require_chromium, settle, start_app

pytestmark = pytest.mark.browser

VIEW = "mittari=overdue&vaihe=3&nakyma=ruudut&pvm=2022-06-15"


def _wait_national(page) -> None:
    page.wait_for_function("document.querySelectorAll('.stVegaLiteChart svg.marks').length >= 3")
    settle(page)


def _wait_area(page, name: str) -> None:
    page.get_by_role("heading", name=name).wait_for()
    settle(page)


def _kept(url: str) -> None:
    for part in VIEW.split("&"):
        assert part in url, (part, url)
    assert "alue=" not in url, url


def test_a_deep_link_on_a_fresh_server_shows_no_page_not_found_box(browser, demo_db_url, tmp_path):
    require_chromium()
    env = {
        **os.environ,
        "SOTE_DATA_DIR": str(tmp_path),
        "SOTE_DATABASE_URL": copy_of(demo_db_url, tmp_path),
        "SOTE_OFFLINE": "1",
    }
    with start_app(env, tmp_path / "server.log") as server:
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="fi-FI")
        page = context.new_page()
        page.goto(f"{server.url}/alue?alue=21")
        _wait_area(page, "Lapin hyvinvointialue")
        page.locator("[data-testid=stMetric]").first.wait_for()
        settle(page)
        page.screenshot(path=ARTIFACTS / "deep-link-fresh-server.png")
        assert page.get_by_text("Page not found").count() == 0
        context.close()


def _open_lappi(page) -> None:
    """Lappi from the select box beside the map, as a person does it (the same session)."""
    page.get_by_role("combobox", name="Avaa alue").click()
    page.keyboard.type("Lappi")
    page.keyboard.press("Enter")
    _wait_area(page, "Lapin hyvinvointialue")


def test_national_to_area_and_back_keeps_the_view(page, app_url):
    page.goto(f"{app_url}/?{VIEW}&esitys=1")
    _wait_national(page)
    _open_lappi(page)
    page.go_back()  # the browser's Back
    _wait_national(page)
    page.wait_for_url(re.compile(r"mittari=overdue"))
    _kept(page.url)
    # the meeting-mode arrows, then the area page's back link
    _open_lappi(page)
    page.mouse.click(5, 400)
    page.keyboard.press("ArrowRight")
    _wait_area(page, "Helsingin kaupunki")
    page.get_by_role("link", name="Koko maa").first.click()
    _wait_national(page)
    page.wait_for_url(re.compile(r"mittari=overdue"))
    _kept(page.url)
    assert "esitys=1" in page.url
    page.screenshot(path=ARTIFACTS / "view-kept-after-back.png")


def test_play_copy_link_and_full_screen(browser, app_url):
    context = browser.new_context(
        viewport={"width": 1440, "height": 1000},
        locale="fi-FI",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.goto(f"{app_url}/?mittari=overdue")
    _wait_national(page)
    page.get_by_role("button", name="Toista").click()  # at the last date: from the first again
    page.wait_for_url(re.compile(r"pvm=2022-01-15"), timeout=60_000)
    page.wait_for_url(re.compile(r"pvm=2022-02-15"), timeout=60_000)  # the next beat
    page.get_by_role("button", name="Pysäytä").click()
    settle(page)
    stopped = page.url
    page.wait_for_timeout(4_000)
    assert page.url == stopped, "the player stopped"
    page.get_by_role("button", name=re.compile("Kopioi linkki")).click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url and "mittari=overdue" in copied
    page.get_by_role("button", name=re.compile("Kartta koko näytölle")).click()
    page.wait_for_function("document.fullscreenElement?.classList.contains('st-key-fit-map')")
    page.screenshot(path=ARTIFACTS / "national-map-fullscreen.png")
    page.keyboard.press("Escape")
    context.close()
