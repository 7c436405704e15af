"""End to end in headless Chromium: on the area page a click on a phase bar filters the measures
table, a click on a risk-matrix cell lists that cell's risks; screenshots at projector and laptop
size go to test-artifacts/. The tests share one page: the area page is drawn once and looked at
in the window sizes one after another, the tests that change it last (the phase filter is set
back before the next test takes the page). The way from the national map to an area's phase is
in test_national_map.py."""

import re

import pytest

from sotedata.demo.generator import build_demo
from sotedata.domain.i18n import t

from .conftest import ARTIFACTS, Reuse, settle

pytestmark = pytest.mark.browser

AREA = "19"
LAPTOP = {"width": 1366, "height": 768}
SCROLL_TO_TOP = (
    "() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })"
)


def _open_area(reuse: Reuse, app_url: str, size: dict) -> None:
    """The area page at ``size``, drawn: its timeline, phase bars, risk matrix and progress."""
    reuse.page.set_viewport_size(size)
    reuse.open(f"{app_url}/alue?alue={AREA}", _drawn)


def _drawn(page) -> None:
    page.get_by_role("heading", name="Pohjois-Pohjanmaan hyvinvointialue").wait_for()
    page.locator(".stVegaLiteChart").nth(4).wait_for(state="visible")
    page.locator('.stVegaLiteChart path[aria-roledescription="bar"]').first.wait_for(
        state="attached"
    )


def _shoot(page, name: str) -> None:
    settle(page)
    page.screenshot(path=ARTIFACTS / name)


def test_phase_bar_click_filters_the_measures_table(module_page, app_url):
    measures = build_demo().roadmap.measures
    total, phase3 = len(measures), sum(1 for m in measures if m.phase == 3)
    page = module_page.page
    _open_area(module_page, app_url, {"width": 1920, "height": 1080})
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
    module_page.leave()  # every phase again: the page as it was opened


def test_laptop_screenshots_of_the_whole_page(module_page, app_url):
    page = module_page.page
    _open_area(module_page, app_url, LAPTOP)
    page.evaluate(SCROLL_TO_TOP)  # the test before may have left it scrolled
    _shoot(page, "area-1366-top.png")
    page.locator(".stVegaLiteChart").nth(0).scroll_into_view_if_needed()
    _shoot(page, "area-1366-timeline.png")
    page.locator(".stVegaLiteChart").nth(4).scroll_into_view_if_needed()
    _shoot(page, "area-1366-progress.png")
    assert t("area.progress.plan") in page.locator(".stVegaLiteChart").nth(4).inner_text()
    module_page.leave()  # only looked at


def test_risk_cell_click_lists_its_risks(module_page, app_url):
    page = module_page.page
    _open_area(module_page, app_url, LAPTOP)
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
