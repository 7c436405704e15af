"""The national view is kept on the way back from an area (issue 18 item 2), and the national
page's time player, full-screen and copy-link buttons work in Chromium (item 5). That a deep link
opens on a fresh server without Streamlit's "Page not found" box (item 2) is checked on the first
page test_no_outside_requests.py opens on its own, freshly started server."""

from __future__ import annotations

import re

import pytest

from .conftest import ARTIFACTS, settle

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


def test_play_copy_link_and_full_screen(shared_context, page, app_url):
    shared_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    try:
        _play_copy_and_full_screen(page, app_url)
    finally:
        shared_context.clear_permissions()


def _play_copy_and_full_screen(page, app_url: str) -> None:
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
