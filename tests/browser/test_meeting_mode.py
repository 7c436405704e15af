"""Meeting mode in Chromium: no chrome, large type, and the keyboard steps through the areas the
way a presenter does it (arrow keys, and PageDown / PageUp from a clicker)."""

import re

import pytest

from .conftest import ARTIFACTS, settle

pytestmark = pytest.mark.browser


def _wait_area(page, name: str) -> None:
    """The area's page drawn and idle, its step buttons (and their keys) in place."""
    page.get_by_role("heading", name=name).wait_for()
    page.locator(".st-key-step-next button").first.wait_for(state="visible")
    settle(page)


def test_the_national_page_on_a_projector(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/?esitys=1")
    page.locator(".stVegaLiteChart").first.wait_for(state="visible")
    settle(page)
    assert page.locator("header[data-testid=stHeader]").is_hidden()
    size = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontSize")
    assert float(size.rstrip("px")) >= 50
    page.screenshot(path=ARTIFACTS / "meeting-national-1920.png")


def test_keys_step_through_the_areas(page, app_url):
    page.goto(f"{app_url}/?esitys=1")  # the national page first (a fresh server, README limits)
    page.locator(".stVegaLiteChart").first.wait_for(state="visible")
    page.goto(f"{app_url}/alue?alue=21&esitys=1")
    _wait_area(page, "Lapin hyvinvointialue")
    page.mouse.click(5, 400)  # focus on the page, not on a widget
    page.keyboard.press("ArrowRight")
    _wait_area(page, "Helsingin kaupunki")
    page.wait_for_url(re.compile(r"alue=90"))
    assert "esitys=1" in page.url
    page.keyboard.press("PageUp")
    _wait_area(page, "Lapin hyvinvointialue")
    page.keyboard.press("ArrowLeft")
    _wait_area(page, "Kainuun hyvinvointialue")
    page.screenshot(path=ARTIFACTS / "meeting-area-kainuu.png")
