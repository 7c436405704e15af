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


#: the boxes a check needs, in the viewport's coordinates: the map's and the bars' charts, the
#: map's legend (Vega's legend group), every control of the row, and whether a control's text
#: is cut (its content wider than its box)
BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const one = q => { const e = document.querySelector(q); return e ? box(e) : null; };
  const controls = [...document.querySelectorAll(
      '.st-key-controls [data-testid=stElementContainer]')];
  const cut = [...document.querySelectorAll(
      '.st-key-controls [data-baseweb=select] div[value], .st-key-controls label p,'
      + ' .st-key-controls button p')]
    .filter(e => e.offsetParent && !e.closest('.st-key-play'))  // its words are for screen readers
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
  return {map: one('.st-key-fit-map svg.marks'), bars: one('.st-key-fit-bars svg.marks'),
          legend: one('.st-key-fit-map svg.marks .role-legend'),
          controls: controls.filter(e => e.offsetParent).map(box), cut,
          width: innerWidth, height: innerHeight, h1: one('h1')};
}"""


def _inside(box: dict, width: int, height: int) -> bool:
    return (
        box["left"] >= 0 and box["top"] >= 0 and box["right"] <= width and box["bottom"] <= height
    )


def _wait_national(page) -> None:
    """The national page drawn whole: its map, bars and table charts in place."""
    page.wait_for_function("document.querySelectorAll('.stVegaLiteChart svg.marks').length >= 3")
    settle(page)


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_the_national_page_fits_a_projector_screen(page, app_url, width, height):
    """Title, the controls on one row (none cut), the whole map with its legend and the ranked
    bars, without scrolling (issue 18 item 1)."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{app_url}/?esitys=1")
    _wait_national(page)
    page.screenshot(path=ARTIFACTS / f"meeting-national-{width}.png")
    # a closed network is enough: no font, icon or script from anywhere but the app (item 9)
    outside = [url for url in requests if not url.startswith((app_url, "data:", "blob:"))]
    assert outside == [], outside
    assert page.locator("header[data-testid=stHeader]").is_hidden()
    seen = page.evaluate(BOXES)
    assert _inside(seen["h1"], width, height)
    assert seen["legend"] is not None, "the map has its legend"
    for part in ("map", "legend", "bars"):
        assert _inside(seen[part], width, height), (part, seen[part])
    tops = {round(box["top"] / 20) for box in seen["controls"]}
    assert len(seen["controls"]) >= 7 and len(tops) <= 2, seen["controls"]  # one row
    assert all(_inside(box, width, height) for box in seen["controls"]), seen["controls"]
    assert seen["cut"] == [], seen["cut"]


#: the area page in meeting mode: the name, the five key figures, the timeline's box, the main
#: column, and every axis label of the timeline with its lines and its size on the screen (its
#: font size times the scale the SVG is drawn at)
AREA_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const svg = document.querySelector('.st-key-fit-phases svg.marks');
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  const labels = [...svg.querySelectorAll('.role-axis-label text')].map(e => ({
    lines: e.querySelector('tspan') ? [...e.querySelectorAll('tspan')].map(t => t.textContent)
      : [e.textContent],
    px: parseFloat(getComputedStyle(e).fontSize) * scale}));
  return {h1: box(document.querySelector('h1')),
    figures: [...document.querySelectorAll('[data-testid=stMetric]')].slice(0, 5).map(box),
    timeline: box(svg), labels,
    column: document.querySelector(
      '[data-testid=stMainBlockContainer] > [data-testid=stVerticalBlock]').getBoundingClientRect()
      .width};
}"""

#: the phases as the timeline's side axis must name them, whole
PHASES = {
    "fi": [
        "1. Ennen hallituksen esitystä",
        "2. Hallituksen esityksen jälkeen",
        "3. Lakien hyväksymisen jälkeen",
    ],
    "sv": [
        "1. Före regeringens proposition",
        "2. Efter regeringens proposition",
        "3. Efter att lagarna antagits",
    ],
}


def _timeline_width(page) -> float:
    return page.evaluate(
        "() => document.querySelector('.st-key-fit-phases svg.marks').getBoundingClientRect().width"
    )


def _check_area_screen(page, width: int, height: int, lang: str) -> None:
    """The name, the five key figures and the whole timeline on the screen; the timeline across
    the main column with its labels at meeting size, the phases named whole (wrapped, not cut)."""
    seen = page.evaluate(AREA_BOXES)
    assert _inside(seen["h1"], width, height), seen["h1"]
    assert len(seen["figures"]) == 5, seen["figures"]
    assert all(_inside(box, width, height) for box in seen["figures"]), seen["figures"]
    assert _inside(seen["timeline"], width, height), (seen["timeline"], width, height)
    drawn = seen["timeline"]["right"] - seen["timeline"]["left"]
    assert drawn >= 0.85 * seen["column"], (drawn, seen["column"])
    labels = seen["labels"]
    assert labels and min(label["px"] for label in labels) >= 15, labels
    lines = [line for label in labels for line in label["lines"]]
    assert not [line for line in lines if line.endswith("…")], lines
    names = {" ".join(label["lines"]) for label in labels}
    assert set(PHASES[lang]) <= names, names


def test_the_area_page_shows_its_name_key_figures_and_phases_on_one_screen(page, app_url):
    """Meeting mode on the area page (issue 18 item 1): the name, the key figures and the whole
    timeline fit the screen at 1366×768 and 1920×1080, the timeline laid out by Vega at the size
    of the screen's rest (not a shrunk picture); one load, resized, and Swedish at the smaller
    size."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/alue?alue=21&esitys=1")
    page.get_by_role("heading", name="Lapin hyvinvointialue").wait_for()
    settle(page, condition="document.querySelector('.st-key-fit-phases svg.marks')")
    page.screenshot(path=ARTIFACTS / "meeting-area-1366.png")
    _check_area_screen(page, 1366, 768, "fi")
    narrow = _timeline_width(page)
    page.set_viewport_size({"width": 1920, "height": 1080})
    settle(
        page,
        condition="document.querySelector('.st-key-fit-phases svg.marks')"
        ".getBoundingClientRect().width > arg",
        arg=narrow + 200,
    )
    page.screenshot(path=ARTIFACTS / "meeting-area-1920.png")
    _check_area_screen(page, 1920, 1080, "fi")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/alue?alue=21&esitys=1&kieli=sv")
    page.get_by_role("heading", name="Lapplands välfärdsområde").wait_for()
    settle(page, condition="document.querySelector('.st-key-fit-phases svg.marks')")
    page.screenshot(path=ARTIFACTS / "meeting-area-1366-sv.png")
    _check_area_screen(page, 1366, 768, "sv")


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
