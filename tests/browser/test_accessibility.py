"""axe-core in headless Chromium on every page: no serious or critical WCAG 2.1 A/AA violation.

axe-core comes from the npm registry (``tools/axe``, pinned; ``scripts/ensure-axe.sh`` installs
it). Each page is checked once it has finished running (no status widget, nothing stale), so
what is checked is the page a person sees, not a half-drawn one; and a page that failed to draw
fails the test rather than passing an empty check.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "tools" / "axe" / "node_modules" / "axe-core"
PAGES = [
    ("/", "Valmistelun tilannekuva koko maassa"),
    ("/alue?alue=21", "Lapin hyvinvointialue"),
    ("/lataa", "Lataa tilanne- ja riskitiedosto"),
    ("/riskit", None),
    ("/taulukot", None),
    ("/yllapito", "Käyttäjät ja tapahtumaloki"),
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IDLE = (
    "() => !document.querySelector('[data-testid=stStatusWidget]')"
    " && !document.querySelector('[data-stale=true]')"
    " && document.querySelectorAll('h1').length > 0"
)


def _axe_source() -> Path:
    script = AXE / "axe.min.js"
    if not script.exists():
        message = "axe-core is not installed (run scripts/ensure-axe.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return script


@pytest.mark.parametrize(("path", "title"), PAGES)
def test_no_serious_or_critical_violations(app_url, page, path, title):
    script = _axe_source()
    page.goto(app_url + path)
    page.wait_for_function(IDLE, timeout=90_000)
    page.wait_for_timeout(1_500)  # charts finish drawing after the script has run
    page.wait_for_function(IDLE, timeout=60_000)
    assert page.locator("[data-testid=stException]").count() == 0
    if title is not None:
        assert page.locator("h1").first.inner_text().strip() == title
    page.add_script_tag(path=str(script))
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return {
                version: axe.version,
                passes: result.passes.length,
                violations: result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.html.slice(0, 200)),
                })),
            };
        }""",
        TAGS,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    name = path.strip("/").split("?")[0] or "koko-maa"
    (ARTIFACTS / f"axe-{name}.json").write_text(
        json.dumps(found, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    assert found["passes"] > 10  # axe really ran over a real page
    serious = [v for v in found["violations"] if v["impact"] in {"serious", "critical"}]
    assert not serious, json.dumps(serious, ensure_ascii=False, indent=2)
