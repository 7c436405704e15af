"""End to end in headless Chromium: a file goes through the real upload page and its uploader."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

BAD_CSV = (
    "Hyvinvointialue;Tunnus;Tila;Tilannepäivä\n"
    "Lapin hyvinvoitialue;H-01;Valmis;15.12.2022\n"
    "Kainuu;H-01;melkein;15.12.2022\n"
).encode()


def good_xlsx() -> bytes:
    """What a preparer fills in: a title above the header, statuses of one area."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tilanne"
    sheet.append(["Lapin hyvinvointialueen tilanne, joulukuu 2022"])
    sheet.append([])
    sheet.append(["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä", "Kommentti"])
    sheet.append(["Lappi", "H-01", "Valmis", "15.12.2022", "Selaintesti"])
    sheet.append(["Lappi", "H-02", "Käynnissä", "15.12.2022", None])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _open(page, app_url):
    page.goto(f"{app_url}/lataa")
    page.get_by_role("heading", name="Lataa tilanne- ja riskitiedosto").wait_for()
    return page.locator('[data-testid="stFileUploader"] input[type="file"]')


def test_bad_file_shows_its_errors_by_cell(page, app_url):
    uploader = _open(page, app_url)
    uploader.set_input_files(
        files=[{"name": "tila.csv", "mimeType": "text/csv", "buffer": BAD_CSV}]
    )
    page.get_by_text("mitään ei tallennettu", exact=False).first.wait_for()
    tables = page.locator('[data-testid="stTable"]')
    tables.nth(1).wait_for()
    errors = tables.nth(1).inner_text()
    for expected in ("Solu", "Korjausehdotus", "A2", "C3", "Lapin hyvinvointialue"):
        assert expected in errors
    assert page.get_by_role("button", name="Tallenna").count() == 0
    page.screenshot(path=ARTIFACTS / "upload_errors.png", full_page=True)


def test_good_file_is_stored_after_confirm_and_reverted(page, app_url):
    uploader = _open(page, app_url)
    uploader.set_input_files(
        files=[
            {
                "name": "lappi.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": good_xlsx(),
            }
        ]
    )
    page.get_by_text("Mitään ei ole vielä tallennettu", exact=False).wait_for()
    assert "Lappi" in page.locator('[data-testid="stTable"]').nth(1).inner_text()
    page.get_by_role("button", name="Tallenna").click()
    page.get_by_text("Tallennettu (lataus", exact=False).wait_for()
    page.get_by_role("button", name="Tallenna").wait_for(state="detached")  # the run finished
    assert "lappi.xlsx" in page.locator("body").inner_text()  # in the history
    page.screenshot(path=ARTIFACTS / "upload_saved.png", full_page=True)
    # leave the shared example database as it was for the other browser tests
    page.get_by_role("button", name="Peru").first.click()
    page.get_by_role("button", name="Kyllä, peru lataus").click()  # a revert is asked first
    page.get_by_text("peruttiin", exact=False).wait_for()


def test_the_drop_zone_speaks_the_page_language_and_states_the_apps_limit(page, app_url):
    _open(page, app_url)
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.wait_for()
    after = zone.evaluate(
        """zone => [
            getComputedStyle(zone.querySelector(
                '[data-testid="stFileUploaderDropzoneInstructions"]'), '::after').content,
            getComputedStyle(zone.querySelector('button'), '::after').content]"""
    )
    assert "Enintään 20 Mt tiedostoa kohden" in after[0] and "Valitse tiedostot" in after[1]
    shown = zone.inner_text()
    assert "200MB" not in shown and "per file" not in shown
    # Streamlit's own "Upload" stays only as the button's accessible name (axe's button-name
    # rule does not count CSS-generated text), clipped to a pixel: on screen the page's words
    label = zone.locator('button [data-testid="stMarkdownContainer"]').first
    box = label.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    zone.screenshot(path=ARTIFACTS / "upload_drop_zone.png")
    _open(page, app_url).set_input_files(
        files=[{"name": "tila.csv", "mimeType": "text/csv", "buffer": BAD_CSV}]
    )
    page.get_by_text("mitään ei tallennettu", exact=False).first.wait_for()
    labelled = zone.evaluate(
        """zone => [...zone.querySelectorAll('button')].map(b => [
            !!b.querySelector('[data-testid="stMarkdownContainer"]'),
            getComputedStyle(b, '::after').content])"""
    )
    assert "tila.csv" in zone.inner_text()
    # the listed file's delete button keeps its icon, without the label beside it
    assert all((content != "none") == has_label for has_label, content in labelled)
    zone.screenshot(path=ARTIFACTS / "upload_drop_zone_file.png")


def test_bad_workbook_comes_back_with_the_wrong_cell_marked(page, app_url):
    from openpyxl import load_workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tila"
    sheet.append(["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"])
    sheet.append(["Lappi", "H-01", "ehkä", "15.12.2022"])
    data = BytesIO()
    book.save(data)
    uploader = _open(page, app_url)
    uploader.set_input_files(
        files=[
            {"name": "tila.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}
        ]
    )
    button = page.get_by_role("button", name="Lataa tiedostosi virheet merkittyinä (xlsx)")
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "tila_virheet.xlsx"
    marked = load_workbook(BytesIO(download.path().read_bytes()))
    assert marked.sheetnames[0] == "Virheet"
    assert marked["Tila"]["C2"].comment is not None
    assert "ehkä" in marked["Tila"]["C2"].comment.text
