"""End to end in headless Chromium: on the area page a click on a phase bar filters the measures
table, a click on a risk-matrix cell lists that cell's risks; screenshots at projector and laptop
size go to test-artifacts/."""

import re

import pytest

from sotedata.demo.generator import build_demo
from sotedata.domain.i18n import t

from .conftest import ARTIFACTS, settle

pytestmark = pytest.mark.browser

AREA = "19"


def _open_area(page, app_url: str, query: str = f"alue={AREA}") -> None:
    # the national page first: a fresh server does not know the other pages yet (README, limits)
    page.goto(app_url)
    page.locator(".stVegaLiteChart").first.wait_for(state="visible")
    page.goto(f"{app_url}/alue?{query}")
    page.get_by_role("heading", name="Pohjois-Pohjanmaan hyvinvointialue").wait_for()
    page.locator(".stVegaLiteChart").nth(4).wait_for(state="visible")
    page.locator('.stVegaLiteChart path[aria-roledescription="bar"]').first.wait_for(
        state="attached"
    )


def _shoot(page, name: str) -> None:
    settle(page)
    page.screenshot(path=ARTIFACTS / name)


def test_phase_bar_click_filters_the_measures_table(page, app_url):
    measures = build_demo().roadmap.measures
    total, phase3 = len(measures), sum(1 for m in measures if m.phase == 3)
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open_area(page, app_url)
    body = page.locator("body")
    assert f"{total} toimenpidettä" in body.inner_text()
    _shoot(page, "area-1920-top.png")
    bars = page.locator(".stVegaLiteChart").nth(1)
    bars.scroll_into_view_if_needed()
    label = t("phase.3")
    segment = bars.locator(f'path[aria-roledescription="bar"][aria-label*="{label}"]').first
    segment.click()
    page.get_by_text(f"{phase3} / {total} toimenpidettä").wait_for()
    page.wait_for_url(re.compile(r"vaihe=3"))
    # the select box beside the table follows the click (the keyboard way to the same filter)
    assert page.get_by_role("combobox", name=t("area.filter.phase")).input_value() == label
    faded = bars.locator('path[aria-roledescription="bar"][opacity="0.35"]')
    assert faded.count() > 0  # the other phases' bars step back
    page.get_by_text(f"{phase3} / {total} toimenpidettä").scroll_into_view_if_needed()
    _shoot(page, "area-1920-measures-phase3.png")
    # back to every phase with the select box: the chart drops its highlight as well
    page.get_by_role("combobox", name=t("area.filter.phase")).click()
    page.get_by_role("option", name=t("area.filter.phase.all")).click()
    page.get_by_text(f"{total} toimenpidettä", exact=True).wait_for()
    bars = page.locator(".stVegaLiteChart").nth(1)
    bars.locator('path[aria-roledescription="bar"]').first.wait_for(state="attached")
    settle(page)
    assert bars.locator('path[aria-roledescription="bar"][opacity="0.35"]').count() == 0
    assert "vaihe=" not in page.url


def test_risk_cell_click_lists_its_risks(page, app_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open_area(page, app_url)
    matrix = page.locator(".stVegaLiteChart").nth(3)
    matrix.scroll_into_view_if_needed()
    everything = page.get_by_text(re.compile(r"^Kaikki riskit \(\d+\)"))
    everything.wait_for()
    # what a screen reader hears for a cell, as a pattern: likelihood, impact, score, count
    marks = {"likelihood": "QLQ", "impact": "QIQ", "score": "QSQ", "count": "QNQ"}
    spoken = re.escape(t("area.risk.aria", "fi", **marks))
    for mark, group in zip(marks.values(), (r"(\d)", r"(\d)", r"\d+", r"(\d+)"), strict=True):
        spoken = spoken.replace(mark, group)
    # a person clicks the number written in the cell (it lies over the cell's rectangle)
    cells = matrix.locator('text[aria-roledescription="text mark"]')
    target = None
    for index in range(cells.count()):
        found = re.search(spoken, cells.nth(index).get_attribute("aria-label") or "")
        if found and int(found.group(3)) > 0:
            target = (cells.nth(index), found.group(1), found.group(2), int(found.group(3)))
            break
    assert target is not None, "no risk in the matrix"
    cell, likelihood, impact, n = target
    cell.click()
    key = "area.risk.cell.one" if n == 1 else "area.risk.cell"  # "1 riski", "2 riskiä"
    heading = t(key, "fi", likelihood=likelihood, impact=impact, count=n)
    page.get_by_text(heading).wait_for()
    assert everything.count() == 0
    _shoot(page, "area-1366-risks.png")


def test_laptop_screenshots_of_the_whole_page(page, app_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    _open_area(page, app_url)
    _shoot(page, "area-1366-top.png")
    page.locator(".stVegaLiteChart").nth(0).scroll_into_view_if_needed()
    _shoot(page, "area-1366-timeline.png")
    page.locator(".stVegaLiteChart").nth(4).scroll_into_view_if_needed()
    _shoot(page, "area-1366-progress.png")
    assert t("area.progress.plan") in page.locator(".stVegaLiteChart").nth(4).inner_text()


def test_national_map_to_lappi_to_phase_3(page, app_url):
    """The issue's path: the national map, a click on Lappi, a click on phase 3 → phase 3 only."""
    measures = build_demo().roadmap.measures
    total, phase3 = len(measures), sum(1 for m in measures if m.phase == 3)
    page.goto(app_url)
    page.locator('path[aria-roledescription="geoshape"]').first.wait_for(state="attached")
    lappi = page.locator(".stVegaLiteChart").first.locator(
        'path[aria-roledescription="geoshape"][aria-label*="Lapin hyvinvointialue"]'
    )
    lappi.click()
    page.wait_for_url(re.compile(r"/alue\?(.*&)?alue=21"))
    page.get_by_role("heading", name="Lapin hyvinvointialue").wait_for()
    page.get_by_text(f"{total} toimenpidettä", exact=True).wait_for()
    bars = page.locator(".stVegaLiteChart").nth(1)
    bars.scroll_into_view_if_needed()
    label = t("phase.3")
    bars.locator(f'path[aria-roledescription="bar"][aria-label*="{label}"]').first.click()
    page.get_by_text(f"{phase3} / {total} toimenpidettä").wait_for()
    assert re.search(r"alue=21", page.url) and re.search(r"vaihe=3", page.url)
    # the phase-3 filter is what the select box says too, so the table holds phase 3 only
    assert page.get_by_role("combobox", name=t("area.filter.phase")).input_value() == label
