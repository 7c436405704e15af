"""End to end in headless Chromium: the national map switched to an indicator through the metric
selector draws the indicator's legend (title with its unit) and its source line, and the period
selector puts an older period into the URL."""

import re

import pytest

from sotedata.demo.generator import SICKNESS, SOCIAL_ASSISTANCE
from sotedata.domain.i18n import t

from .conftest import ARTIFACTS, settle

pytestmark = pytest.mark.browser


def _map_text(page) -> str:
    chart = page.locator(".stVegaLiteChart").first
    return chart.locator("svg").first.text_content() or ""


def _wait_for_legend(page, title: str) -> None:
    """Vega redraws the chart in place: wait until the SVG's legend carries ``title``."""
    page.wait_for_function(
        """(title) => {
            const svg = document.querySelector('.stVegaLiteChart svg');
            return svg && svg.textContent.includes(title)
                && svg.querySelectorAll('path[aria-roledescription="geoshape"]').length >= 23;
        }""",
        arg=title,
        timeout=30_000,
    )


def test_switching_the_map_to_an_indicator_shows_its_legend_and_source(page, app_url):
    page.goto(app_url)
    page.locator('.stVegaLiteChart path[aria-roledescription="geoshape"]').first.wait_for(
        state="attached"
    )
    metric = page.get_by_role("combobox", name=t("national.metric"))
    metric.click()
    label = f"Indikaattori: {SOCIAL_ASSISTANCE.name} (%)"
    page.get_by_role("option", name=label).click()
    legend = f"{SOCIAL_ASSISTANCE.name} (%)"
    _wait_for_legend(page, legend)
    page.wait_for_url(re.compile(r"mittari=ind(:|%3A)demo(:|%3A)toimeentulotuki"))
    settle(page)
    page.screenshot(path=ARTIFACTS / "indicator-map.png", full_page=True)
    # the page scrolls inside Streamlit's container: the map itself, legend included, apart
    page.locator(".stVegaLiteChart").first.screenshot(path=ARTIFACTS / "indicator-map-chart.png")
    text = _map_text(page)
    # the legend's own title element (Vega draws it in the legend group), not only the tooltip
    titles = page.locator(".stVegaLiteChart").first.locator("svg .role-legend-title text")
    assert legend in titles.first.text_content()
    assert "Lähde: Esimerkkiaineisto (keksityt arvot, ei THL:n lukuja)" in text
    assert "Rajat: Tilastokeskus, CC BY 4.0" in text
    assert "Ajankohta: 2022" in text
    # Finnish decimals in the legend's labels ("5,0"), the indicator's own scale
    labels = page.locator(".stVegaLiteChart").first.locator("svg .role-legend-label text")
    assert any(re.fullmatch(r"\d+,\d", s.strip()) for s in labels.all_text_contents())
    body = page.locator("body").inner_text()
    assert "suurin arvo" in body and "mediaani" in body


def test_period_selector_moves_the_indicator_map_to_an_older_year(page, app_url):
    page.goto(f"{app_url}/?mittari=ind:{SICKNESS.key}")
    _wait_for_legend(page, f"{SICKNESS.name} (indeksi)")
    page.get_by_role("combobox", name=t("indicators.period_select")).click()
    page.get_by_role("option", name="2019", exact=True).click()
    page.wait_for_url(re.compile(r"kausi=2019"))
    page.wait_for_function(
        "() => document.querySelector('.stVegaLiteChart svg')"
        "?.textContent.includes('Ajankohta: 2019')",
        timeout=30_000,
    )
    settle(page)
    page.screenshot(path=ARTIFACTS / "indicator-map-2019.png", full_page=True)
    assert "Ajankohta: 2019" in _map_text(page)
