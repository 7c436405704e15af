"""End to end in headless Chromium: three areas side by side from a link (issue 18 item 4's
"done when"), each chart drawn; a screenshot at laptop size goes to test-artifacts/."""

import pytest

from sotedata.domain.i18n import t

from .conftest import ARTIFACTS, settle

pytestmark = pytest.mark.browser


def test_three_areas_compared_side_by_side_from_a_url(page, app_url):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/alue?vertaa=21,12,08")  # a link opens its page on a fresh server too
    page.get_by_role("heading", name=t("compare.title")).wait_for()
    charts = page.locator(".stVegaLiteChart")
    charts.nth(2).wait_for(state="visible")
    settle(page)
    assert charts.count() == 3
    body = page.locator("body").inner_text()
    for name in ("Lappi", "Etelä-Savo", "Pirkanmaa"):
        assert name in body
    assert t("compare.col.median") in body
    page.screenshot(path=ARTIFACTS / "compare-1366-top.png")
    charts.nth(0).scroll_into_view_if_needed()
    settle(page)
    page.screenshot(path=ARTIFACTS / "compare-1366-phases.png")
