"""End to end in headless Chromium: the national map draws, a click on Lappi opens Lappi and a
click on its phase 3 there filters its measures (the issue's path), and a click on a bar, a small
area's marker or a colour table's cell opens that area. The tests share one page: the map drawn
by the first is the one the second clicks."""

import re

import pytest

from sotedata.demo.generator import build_demo
from sotedata.domain.i18n import t

from .conftest import ARTIFACTS, settle

pytestmark = pytest.mark.browser


def _wait_for_map(page):
    """The map is drawn when Vega has put the areas' paths into the first chart's SVG."""
    chart = page.locator(".stVegaLiteChart").first
    chart.wait_for(state="visible")
    page.locator('path[aria-roledescription="geoshape"]').first.wait_for(state="attached")
    return chart


def _open_map(reuse, app_url: str):
    reuse.open(app_url, lambda page: (_wait_for_map(page), settle(page)))
    return reuse.page.locator(".stVegaLiteChart").first


def test_national_map_draws_every_area_with_a_finnish_legend(module_page, app_url):
    page = module_page.page
    chart = _open_map(module_page, app_url)
    page.screenshot(path=ARTIFACTS / "national.png", full_page=True)
    shapes = page.locator(".stVegaLiteChart").first.locator('path[aria-roledescription="geoshape"]')
    # 23 areas drawn by the main layer (+ Åland once more, grey, by its own layer)
    assert shapes.count() >= 23
    text = chart.inner_text() + chart.locator("svg").first.text_content()
    assert "Valmiit toimenpiteet" in text
    assert "Rajat: Tilastokeskus, CC BY 4.0" in text
    assert "Esimerkkiaineisto" in text
    # Finnish percentages in the legend: a no-break space before the sign, no "0.5"-style decimals
    assert re.search(r"\d+\u00a0%", text)
    module_page.leave()  # only looked at: the next test clicks this map


def test_national_map_to_lappi_to_phase_3(module_page, app_url):
    """The issue's path: the national map, a click on Lappi, a click on phase 3 → phase 3 only."""
    measures = build_demo().roadmap.measures
    total, phase3 = len(measures), sum(1 for m in measures if m.phase == 3)
    page = module_page.page
    _open_map(module_page, app_url)
    lappi = page.locator(".stVegaLiteChart").first.locator(
        'path[aria-roledescription="geoshape"][aria-label*="Lapin hyvinvointialue"]'
    )
    assert lappi.count() == 1
    lappi.click()
    page.wait_for_url(re.compile(r"/alue\?(.*&)?alue=21"))
    page.get_by_role("heading", name="Lapin hyvinvointialue").wait_for()
    page.locator(".stVegaLiteChart").first.wait_for(state="visible")
    # the key figures draw after the heading and may still be placeholders: wait for their label
    page.get_by_text("Valmiit toimenpiteet").first.wait_for(timeout=30_000)
    page.screenshot(path=ARTIFACTS / "lappi.png", full_page=True)
    assert "Valmiit toimenpiteet" in page.locator("body").inner_text()
    page.get_by_text(f"{total} toimenpidettä", exact=True).wait_for()
    bars = page.locator(".stVegaLiteChart").nth(1)
    bars.scroll_into_view_if_needed()
    label = t("phase.3")
    bars.locator(f'path[aria-roledescription="bar"][aria-label*="{label}"]').first.click()
    page.get_by_text(f"{phase3} / {total} toimenpidettä").wait_for()
    assert re.search(r"alue=21", page.url) and re.search(r"vaihe=3", page.url)


def test_bar_click_opens_helsinki(module_page, app_url):
    page = module_page.page
    _open_map(module_page, app_url)
    bars = page.locator(".stVegaLiteChart").nth(1)
    helsinki = bars.locator('path[aria-roledescription="bar"][aria-label*="Helsingin kaupunki"]')
    helsinki.click()
    page.wait_for_url(re.compile(r"alue=90"))
    page.get_by_role("heading", name="Helsingin kaupunki").wait_for()


def test_tile_view_is_kept_in_the_url(module_page, app_url):
    page = module_page.page
    page.goto(f"{app_url}/?nakyma=ruudut&mittari=overdue")
    page.locator(".stVegaLiteChart").first.wait_for(state="visible")
    page.locator('.stVegaLiteChart path[aria-roledescription="rect mark"]').first.wait_for(
        state="attached"
    )
    settle(page)
    page.screenshot(path=ARTIFACTS / "tiles.png", full_page=True)
    tiles = page.locator(".stVegaLiteChart").first.locator('path[aria-roledescription="rect mark"]')
    assert tiles.count() == 23  # Åland's grey tile included
    text = page.locator(".stVegaLiteChart").first.text_content()
    assert "Lappi" in text and "Helsinki" in text and "Ahvenanmaa" in text
    assert "nakyma=ruudut" in page.url and "mittari=overdue" in page.url


def test_small_area_marker_opens_vantaa_kerava(module_page, app_url):
    page = module_page.page
    _open_map(module_page, app_url)
    marker = page.locator(".stVegaLiteChart").first.locator(
        'path[aria-roledescription="point"][aria-label*="Vantaan ja Keravan"]'
    )
    marker.click()
    page.wait_for_url(re.compile(r"alue=04"))
    page.get_by_role("heading", name="Vantaan ja Keravan hyvinvointialue").wait_for()


def test_colour_table_cell_opens_the_area(module_page, app_url):
    page = module_page.page
    _open_map(module_page, app_url)
    table = page.locator(".stVegaLiteChart").nth(2)
    table.scroll_into_view_if_needed()
    # a person clicks the number written in the cell: the click must still select the area
    value = table.locator('text[aria-roledescription="text mark"][aria-label*="Kainuun"]').first
    value.click()
    page.wait_for_url(re.compile(r"alue=20"))
    page.get_by_role("heading", name="Kainuun hyvinvointialue").wait_for()
