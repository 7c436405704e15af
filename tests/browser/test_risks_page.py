"""End to end in headless Chromium: the risks page draws its heat map with the scores written in,
its tables and trend, keeps a theme filter in the URL; and the area page's municipality map names
a municipality on hover when municipality boundaries are there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, ROOT, require_chromium, settle, start_app

pytestmark = pytest.mark.browser

SHARED_MUNICIPALITIES = next(
    (
        path
        for path in (
            Path("/work/shared/geo/kunta4500k.geojson"),
            ROOT.parent / "shared" / "geo" / "kunta4500k.geojson",
        )
        if path.is_file()
    ),
    None,
)


def _open_risks(page, app_url: str, query: str = "") -> None:
    page.goto(f"{app_url}/riskit{query}")  # a link opens its page on a fresh server too
    page.get_by_role("heading", name="Riskit koko maassa").wait_for()
    page.locator('.stVegaLiteChart path[aria-roledescription="rect mark"]').first.wait_for(
        state="attached"
    )
    page.locator('.stVegaLiteChart path[aria-roledescription="line mark"]').first.wait_for(
        state="attached"
    )
    settle(page)


def test_risks_page_draws_heat_map_tables_and_trend(page, app_url):
    """At projector size, then at laptop size (the same page made narrower, not drawn again)."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open_risks(page, app_url)
    for width, height in [(1920, 1080), (1366, 768)]:
        if page.viewport_size != {"width": width, "height": height}:
            page.set_viewport_size({"width": width, "height": height})
            settle(page)
        page.screenshot(path=ARTIFACTS / f"risks-{width}x{height}.png", full_page=True)
        heat = page.locator(".stVegaLiteChart").first
        cells = heat.locator('path[aria-roledescription="rect mark"]')
        expect(cells).to_have_count(22 * 7)  # every area × the example data's seven themes
        svg_text = heat.locator("svg").first.text_content()
        assert "Lappi" in svg_text and "Talous" in svg_text and "25" in svg_text
        assert "Esimerkkiaineisto" in svg_text
        body = page.locator("body").inner_text()
        for heading in ("Alueiden korkeat riskit", "Kansalliset riskit (koko maa)"):
            assert heading in body
        assert "korkeaa riskiä (vähintään 15 pistettä)" in body
        assert page.locator(".stDataFrame").count() >= 2


def test_theme_from_the_url_narrows_the_heat_map(page, app_url):
    _open_risks(page, app_url, "?teema=ICT")
    heat = page.locator(".stVegaLiteChart").first
    expect(heat.locator('path[aria-roledescription="rect mark"]')).to_have_count(22)
    assert "teema=ICT" in page.url
    page.screenshot(path=ARTIFACTS / "risks-ict.png", full_page=True)


@pytest.fixture(scope="module")
def municipality_url(tmp_path_factory):
    """A one-section Streamlit script (the area page's municipality section for Lappi) served
    with the reference municipality boundaries."""
    require_chromium()
    if SHARED_MUNICIPALITIES is None:
        pytest.skip("../shared/geo/kunta4500k.geojson absent")
    folder = tmp_path_factory.mktemp("municipalities")
    script = folder / "section.py"
    script.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from ui import area_sections\n"
        "area_sections.municipalities_section('21', 'fi')\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "SOTE_OFFLINE": "1",
        "SOTE_DATA_DIR": str(folder),
        "SOTE_MUNICIPALITY_BOUNDARY_FILE": str(SHARED_MUNICIPALITIES),
    }
    with start_app(env, folder / "server.log", script=script) as server:
        yield server.url


def test_municipality_map_names_a_municipality_on_hover(page, municipality_url):
    page.goto(municipality_url)
    shapes = page.locator('.stVegaLiteChart path[aria-roledescription="geoshape"]')
    shapes.first.wait_for(state="attached")
    expect(shapes).to_have_count(21)  # Lappi's municipalities
    rovaniemi = page.locator(
        '.stVegaLiteChart path[aria-roledescription="geoshape"][aria-label*="Rovaniemi"]'
    )
    rovaniemi.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(state="visible")
    assert "Rovaniemi" in tooltip.inner_text()
    page.screenshot(path=ARTIFACTS / "municipalities-lappi.png", full_page=True)
    assert "Rajat: Tilastokeskus, CC BY 4.0" in page.locator(".stVegaLiteChart").text_content()
