"""Chart images and the meeting pack saved through the real national page in Chromium, one page
drawn for both (the pack's button leaves the page as it was)."""

from __future__ import annotations

import io
import re
import time

import pytest
from pptx import Presentation

from sotedata.charts.image import png_size

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def _open(reuse, app_url):
    """The national page, drawn anew unless the test before left it as it was drawn."""
    reuse.open(
        app_url,
        lambda page: page.get_by_text("Alueet järjestyksessä").first.wait_for(timeout=60_000),
    )
    return reuse.page


def test_meeting_pack_downloads_in_one_click(module_page, app_url):
    page = _open(module_page, app_url)
    button = page.get_by_role("button", name=re.compile("Lataa kokouspaketti"))
    started = time.perf_counter()
    with page.expect_download(timeout=120_000) as info:
        button.click()
    download = info.value
    data = download.path().read_bytes()
    print(f"meeting pack through the page: {time.perf_counter() - started:.1f} s")
    assert download.suggested_filename == "tilannekuva_2022-12-15_kokouspaketti.pptx"
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 5 + 22  # with the support-need slide
    module_page.leave()  # the page stays as it was: the next test opens its image menu


def test_map_downloads_as_png_and_svg_with_its_caption(module_page, app_url):
    page = _open(module_page, app_url)
    page.get_by_role("button", name=re.compile("Lataa kuvana")).first.click()
    menu = page.get_by_test_id("stPopoverBody")
    png_button = menu.get_by_role("button", name="Kuva (PNG)")
    png_button.wait_for()
    page.screenshot(path=str(ARTIFACTS / "national_image_menu.png"))
    with page.expect_download(timeout=60_000) as info:
        png_button.click()
    png = info.value
    assert png.suggested_filename == "tilannekuva_2022-12-15_valmiit-toimenpiteet.png"
    data = png.path().read_bytes()
    width, height = png_size(data)
    assert width > 900 and height > 1300  # the map at twice its size, with the caption
    (ARTIFACTS / png.suggested_filename).write_bytes(data)
    with page.expect_download(timeout=60_000) as info:
        menu.get_by_role("button", name="Vektorikuva (SVG)").click()
    svg = info.value.path().read_text(encoding="utf-8")
    assert "Tilanne 15.12.2022" in svg
    assert "Esimerkkiaineisto" in svg
    assert "Rajat: Tilastokeskus, CC BY 4.0" in svg
