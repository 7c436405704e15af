"""The upload page in AppTest: errors by cell, nothing stored until confirm, then revert."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from streamlit.testing.v1 import AppTest

from sotedata.store.engine import Store

ingest = pytest.importorskip("sotedata.ingest")
if not hasattr(ingest, "import_file") or not hasattr(Store, "revert_import"):
    pytest.skip("the importer has not landed yet", allow_module_level=True)

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/upload.py"

GOOD_CSV = (
    "Hyvinvointialue;Tunnus;Tila;Tilannepäivä\n"
    "Lapin hyvinvointialue;H-01;Valmis;31.12.2022\n"
    "Lapin hyvinvointialue;H-02;Käynnissä;31.12.2022\n"
    "Kainuu;H-01;Viivästynyt;31.12.2022\n"
).encode()
BAD_CSV = (
    "Hyvinvointialue;Tunnus;Tila;Tilannepäivä\n"
    "Lapin hyvinvoitialue;H-01;Valmis;31.12.2022\n"
    "Kainuu;H-01;melkein;31.12.2022\n"
).encode()


def bad_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tila"
    sheet.append(["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"])
    sheet.append(["Lappi", "H-01", "ehkä", "31.12.2022"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def db_url(demo_db_url):
    """The run's example database, for the tests that only check files: nothing is stored
    before the confirm (the shared file's digest is checked after each test), and its figures
    stay cached for the first run of the next test."""
    return demo_db_url


@pytest.fixture
def own_db_url(demo_copy_url):
    """A copy of the example database of this test's own: the test stores and reverts."""
    return demo_copy_url


def _app(url: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("SOTE_DATABASE_URL", url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(folder))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE)
    return at.run()


@pytest.fixture
def app(db_url, tmp_path, monkeypatch):
    return _app(db_url, tmp_path, monkeypatch)


@pytest.fixture
def own_app(own_db_url, tmp_path, monkeypatch):
    return _app(own_db_url, tmp_path, monkeypatch)


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="upload_files").set_value(
        [(name, data, "application/octet-stream") for name, data in files]
    )
    return at.run()


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def status_rows(url: str) -> int:
    with Store.open(url) as store:
        return len(store.status_reports())


def test_page_opens_with_the_template_download_and_an_empty_history(app):
    assert not app.exception
    assert app.title[0].value == "Lataa tilanne- ja riskitiedosto"
    labels = [b.proto.label for b in app.get("download_button")]
    assert "Lataa pohja (xlsx)" in labels
    assert "Tiedostoja ei ole vielä ladattu." in texts(app.caption)


def test_bad_file_shows_errors_by_cell_and_stores_nothing(app, db_url):
    before = status_rows(db_url)
    at = upload(app, ("tila.csv", BAD_CSV))
    assert not at.exception
    assert "mitään ei tallennettu" in texts(at.error)
    errors = at.table[1].value  # [0] is the sheets table
    assert list(errors.columns) == ["Solu", "Taulukko", "Rivi", "Virhe", "Korjausehdotus"]
    assert {"A2", "C3"} <= set(errors["Solu"])
    assert "Lapin hyvinvointialue" in " ".join(errors["Korjausehdotus"])
    assert not [b for b in at.button if b.label == "Tallenna"]
    assert status_rows(db_url) == before


def test_bad_workbook_can_be_downloaded_with_the_cells_marked(app):
    at = upload(app, ("tila.xlsx", bad_xlsx()))
    assert not at.exception
    buttons = [b for b in at.get("download_button") if "virheet merkittyinä" in b.proto.label]
    assert len(buttons) == 1
    # the page builds the marked copy with the same function tests/ingest/test_annotate.py checks
    from sotedata.ingest.annotate import annotate_workbook

    parsed = at.session_state["upload.checked"]
    (entry,) = parsed.values()
    marked = load_workbook(BytesIO(annotate_workbook(entry["data"], entry["parsed"].errors)))
    assert marked["Tila"]["C2"].comment is not None


def test_good_file_previews_then_stores_on_confirm_and_can_be_reverted(own_app, own_db_url):
    before = status_rows(own_db_url)
    at = upload(own_app, ("tila.csv", GOOD_CSV))
    assert not at.exception
    assert "Mitään ei ole vielä tallennettu" in texts(at.success)
    preview = at.table[1].value
    assert set(preview["Alue"]) == {"Lappi", "Kainuu"}
    assert status_rows(own_db_url) == before  # nothing stored before the confirm

    (save,) = [b for b in at.button if b.label == "Tallenna"]
    at = save.click().run()
    assert not at.exception
    assert "Tallennettu" in texts(at.success)
    assert status_rows(own_db_url) == before + 3
    assert "tila.csv" in texts(at.markdown)  # nothing in it that Markdown reads: as typed

    # each area the file reported for has a link to its page
    links = {(link.proto.label, link.proto.page) for link in at.get("page_link")}
    assert any(label == "Avaa alueen sivu: Lappi" for label, _ in links)

    (revert,) = [b for b in at.button if b.label == "Peru"]
    at = revert.click().run()
    assert not at.exception
    assert status_rows(own_db_url) == before + 3  # asked first, nothing reverted yet
    assert "Perutaanko lataus" in texts(at.warning) and "3 riviä" in texts(at.warning)
    at = next(b for b in at.button if b.label == "Älä peru").click().run()
    assert "Perutaanko" not in texts(at.warning)
    at = next(b for b in at.button if b.label == "Peru").click().run()
    at = next(b for b in at.button if b.label == "Kyllä, peru lataus").click().run()
    assert not at.exception
    assert "peruttiin" in texts(at.success)
    assert status_rows(own_db_url) == before
    assert "Peruttu" in texts(at.markdown)


def test_the_preview_lists_each_measures_change_before_and_after_per_area(app, db_url):
    from sotedata.domain.model import Status

    with Store.open(db_url) as store:
        frame = store.status_reports()
    latest = {
        (a, m): s for a, m, s in zip(frame.area_code, frame.measure_id, frame.status, strict=True)
    }
    filed = {("21", "H-01"): Status.DONE, ("21", "H-02"): Status.IN_PROGRESS}
    filed[("19", "H-01")] = Status.DELAYED
    changed = {key for key, status in filed.items() if latest.get(key) != status.value}
    assert changed  # the example data makes at least one of them a change
    at = upload(app, ("tila.csv", GOOD_CSV))
    word = "toimenpiteen tila muuttuu"
    assert f"{len(changed)} {word}" in texts(at.markdown)
    labels = [e.label for e in at.expander]
    for code, name in (("21", "Lappi"), ("19", "Kainuu")):
        count = len([key for key in changed if key[0] == code])
        if count:
            assert f"{name}: {count} {'muutos' if count == 1 else 'muutosta'}" in labels
    changes = [t.value for t in at.table if "Ennen → nyt" in t.value.columns]
    shown = [row["Ennen → nyt"] for frame in changes for _, row in frame.iterrows()]
    assert len(shown) == len(changed)
    assert all(" → " in change for change in shown)


def test_the_drop_zone_states_the_apps_limit_in_the_page_language(app):
    style = "\n".join(str(h.proto.body) for h in app.get("html"))
    assert "Enintään 20 Mt tiedostoa kohden" in style and "Valitse tiedostot" in style


def test_several_files_are_checked_each_on_its_own(app, db_url):
    at = upload(app, ("hyva.csv", GOOD_CSV), ("huono.csv", BAD_CSV))
    assert not at.exception
    headings = [h.value.replace("\\", "") for h in at.subheader]  # names shown as typed
    assert "hyva.csv" in headings and "huono.csv" in headings
    assert len([b for b in at.button if b.label == "Tallenna"]) == 1
    assert "mitään ei tallennettu" in texts(at.error)


def test_the_same_file_again_is_a_duplicate_that_cannot_be_saved_twice(own_app, own_db_url):
    at = upload(own_app, ("tila.csv", GOOD_CSV))
    (save,) = [b for b in at.button if b.label == "Tallenna"]
    at = save.click().run()
    stored = status_rows(own_db_url)
    at.file_uploader(key="upload_files").set_value(None)
    at = at.run()
    at = upload(at, ("tila.csv", GOOD_CSV))
    assert not at.exception
    assert "sama tiedosto on jo tuotu" in texts(at.info)
    (save,) = [b for b in at.button if b.label == "Tallenna"]
    assert save.disabled
    assert status_rows(own_db_url) == stored


def test_after_a_revert_the_file_can_be_saved_again(own_app, own_db_url):
    before = status_rows(own_db_url)
    at = upload(own_app, ("tila.csv", GOOD_CSV))
    at = next(b for b in at.button if b.label == "Tallenna").click().run()
    at = next(b for b in at.button if b.label == "Peru").click().run()
    at = next(b for b in at.button if b.label == "Kyllä, peru lataus").click().run()
    assert status_rows(own_db_url) == before
    (save,) = [b for b in at.button if b.label == "Tallenna"]
    assert not save.disabled
    at = save.click().run()
    assert "Tallennettu" in texts(at.success)
    assert status_rows(own_db_url) == before + 3


def test_a_file_that_is_not_a_workbook_is_an_error_not_a_traceback(app, db_url):
    at = upload(app, ("tila.xlsx", b"this is not a workbook at all"))
    assert not at.exception
    assert "mitään ei tallennettu" in texts(at.error)
    errors = at.table[-1].value
    assert len(errors) >= 1
    # a marked copy needs a workbook to mark: none is offered
    assert not [b for b in at.get("download_button") if "virheet" in b.proto.label]


def test_after_a_save_the_national_page_shows_the_new_reporting_date(own_app):
    from datetime import date

    at = own_app.switch_page("pages/national.py").run()
    assert at.select_slider(key="as_of").value == date(2022, 12, 15)  # the example's last date
    at = at.switch_page(PAGE).run()
    at = upload(at, ("tila.csv", GOOD_CSV))
    at = next(b for b in at.button if b.label == "Tallenna").click().run()
    at = at.switch_page("pages/national.py").run()
    assert not at.exception
    # the cached figures were cleared
    assert at.select_slider(key="as_of").value == date(2022, 12, 31)


def test_the_uploaders_own_texts_follow_the_page_language(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["kieli"] = "sv"
    at.run()
    at = at.switch_page(PAGE).run()
    style = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert "Högst 20 MB per fil" in style and "Välj filer" in style
    at = upload(at, ("tila.csv", GOOD_CSV))
    assert "1 område" in texts(at.success) or "2 områden" in texts(at.success)
