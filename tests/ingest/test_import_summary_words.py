"""Every sheet kind the importer can give has a name on the upload page, and the page sums a
statistics file up by what it held, in the same words as `sote import`."""

from pathlib import Path

import pytest

from sotedata.domain.i18n import LANGUAGES, t
from sotedata.ingest.report import KINDS
from sotedata.ingest.summary import counts_in_words
from tests.pages.test_upload_page import app, db_url, texts, upload  # noqa: F401

KELA = (
    Path(__file__).parent.parent / "data" / "real" / "kela_atc_weekly_2026w02_counties_level0.csv"
)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_sheet_kind_has_a_name_on_the_upload_page(kind, lang):
    key = f"upload.kind.{kind}"
    assert t(key, lang) != key


def test_counts_name_only_what_the_file_held():
    counts = {
        "measures": 0,
        "status": 0,
        "risks": 0,
        "indicator_values": 1234,
        "areas": ["01", "02"],
    }
    assert counts_in_words(counts, "fi") == "1\u00a0234 indikaattoriarvoa, 2 aluetta"
    assert counts_in_words(counts, "en") == "1,234 indicator values, 2 areas"


def test_the_upload_page_sums_up_a_statistics_file_by_its_values(app):  # noqa: F811
    at = upload(app, (KELA.name, KELA.read_bytes()))
    success = texts(at.success)
    assert "66 indikaattoriarvoa, 22 aluetta" in success
    assert "0 tilatietoa" not in success
    tables = "\n".join(str(table.value) for table in at.table)
    assert "Indikaattorit" in tables
    assert "upload.kind" not in tables
