"""End to end in headless Chromium: a filter changed on the tables page, then a real XLSX download
through the page, opened with openpyxl: the same rows as the count the page shows."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
COUNT = re.compile(r"·\s*([\d\s\u00a0]+)\s+riviä")


def open_tables(page, app_url: str, query: str) -> None:
    """The tables page with ``query`` (a link opens its page on a fresh server too: the entry
    script closes Streamlit's "Page not found" box, README, known limits)."""
    page.goto(f"{app_url}/taulukot?{query}")
    page.get_by_role("heading", name="Taulukot ja lataukset").wait_for()


def shown_count(page) -> int:
    text = page.get_by_text(COUNT).first.inner_text()
    return int(re.sub(r"\D", "", COUNT.search(text).group(1)))


def test_filtered_xlsx_download_holds_the_rows_shown(page, app_url):
    open_tables(page, app_url, "alue=21")
    page.get_by_text(COUNT).first.wait_for()
    before = shown_count(page)
    assert before > 0
    # change a filter in the page itself: critical measures only
    page.get_by_text("Vain kriittiset", exact=True).click()
    page.wait_for_url(re.compile(r"kriittiset=1"))
    page.wait_for_function(
        "before => !document.body.innerText.includes('· ' + before + ' riviä')", arg=str(before)
    )
    after = shown_count(page)
    assert 0 < after < before
    page.screenshot(path=ARTIFACTS / "tables_filtered.png", full_page=True)
    with page.expect_download() as info:
        page.get_by_role("button", name="Lataa Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename.startswith("tilannekuva_")
    assert download.suggested_filename.endswith("_lappi_kriittiset.xlsx")
    path = ARTIFACTS / download.suggested_filename
    download.save_as(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.max_row - 1 == after
    headers = [c.value for c in sheet[1]]
    critical = headers.index("Kriittinen")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {"21"}  # the code as text, leading zeros kept
    assert {row[critical] for row in rows} == {"Kyllä"}
    info_sheet = {r[0]: r[1] for r in book["Tiedot"].iter_rows(values_only=True)}
    assert "Vain kriittiset toimenpiteet" in info_sheet["Rajaukset"]
    assert info_sheet["Huomio"].startswith("Esimerkkiaineisto")


def test_finnish_csv_download_opens_with_its_letters(page, app_url):
    open_tables(page, app_url, "taulu=luvut&alue=01")
    page.get_by_text("· 1 rivi", exact=False).first.wait_for()
    with page.expect_download() as info:
        page.get_by_role("button", name="Lataa CSV (Excel, suomi)").click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:2] == ["01", "Itä-Uusimaa"]
    assert len(rows) == 2  # the header and the one row shown
    assert "," in rows[1][rows[0].index("Valmiiden osuus")]  # a decimal comma
