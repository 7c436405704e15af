"""The meeting pack opened with python-pptx: slides, titles, pictures, the source on every slide."""

import io
import os
import re
import shutil
import subprocess
import time
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu

from sotedata.domain.settings import load_settings
from sotedata.exports.pack import build_pack, key_figures, pack_file_name, top_risks
from sotedata.geo.chain import load_area_boundaries, tile_boundaries
from sotedata.rules import metrics
from sotedata.rules.changes import areas_moved, default_since
from sotedata.store.engine import Store
from sotedata.views.changes import areas_moved_sentence, areas_moved_table
from sotedata.views.national import NationalParams

AS_OF = date(2022, 12, 15)
SINCE = date(2022, 11, 15)
AREAS = ["21", "90"]
SOURCE = "Tiedot: hyvinvointialueiden raportit · Rajat: Tilastokeskus, CC BY 4.0"
EXAMPLE = "Esimerkkiaineisto, ei virallisia lukuja"


@pytest.fixture(scope="module")
def frames(demo_db_url):
    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store)


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory):
    folder = tmp_path_factory.mktemp("no-cache")
    return load_area_boundaries(load_settings({"SOTE_OFFLINE": "1", "SOTE_DATA_DIR": str(folder)}))


@pytest.fixture(scope="module")
def pack_bytes(frames, boundaries):
    started = time.perf_counter()
    data = build_pack(
        frames, boundaries, as_of=AS_OF, since=SINCE, areas=AREAS, lang="fi", example=True
    )
    print(f"pack of {len(AREAS)} areas built in {time.perf_counter() - started:.2f} s")
    return data


def _slide_texts(slide) -> list[str]:
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts += [p.text for p in shape.text_frame.paragraphs]
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def _pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE


def test_pack_is_a_16_9_deck_of_four_plus_one_slide_per_area(pack_bytes):
    deck = Presentation(io.BytesIO(pack_bytes))
    assert len(deck.slides) == 4 + len(AREAS)
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)


def test_every_slide_has_the_source_line_page_number_and_example_note(pack_bytes):
    deck = Presentation(io.BytesIO(pack_bytes))
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, start=1):
        texts = _slide_texts(slide)
        assert any(text.startswith(SOURCE) for text in texts), number
        assert f"{number}/{total}" in texts
        assert EXAMPLE in texts


def test_title_slide_has_the_title_and_dates(pack_bytes):
    texts = _slide_texts(Presentation(io.BytesIO(pack_bytes)).slides[0])
    assert "Hyvinvointialueiden valmistelun tilannekuva" in texts
    assert "Tilanne 15.12.2022" in texts
    assert "Vertailupäivä 15.11.2022" in texts


def test_map_and_bars_slides_carry_fitted_pictures_with_alt_text(pack_bytes):
    deck = Presentation(io.BytesIO(pack_bytes))
    for index, title in (
        (1, "Kartta: Valmiit toimenpiteet"),
        (2, "Valmiit toimenpiteet alueittain"),
    ):
        slide = deck.slides[index]
        assert _slide_texts(slide)[0] == title
        pictures = _pictures(slide)
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.image.content_type == "image/png"
        assert picture._element.nvPicPr.cNvPr.get("descr").startswith("Valmiit toimenpiteet:")
        assert picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= Emu(deck.slide_height)


def test_changes_slide_is_the_national_page_s_table_of_areas_moved(pack_bytes, frames):
    slide = Presentation(io.BytesIO(pack_bytes)).slides[3]
    texts = _slide_texts(slide)
    assert texts[0] == "Muutokset 15.11.2022–15.12.2022"
    moved = areas_moved(frames, SINCE, AS_OF)
    assert areas_moved_sentence(moved, SINCE, AS_OF, "fi") in texts
    tables = [shape.table for shape in slide.shapes if shape.has_table]
    assert len(tables) == 1
    table = tables[0]
    expected = areas_moved_table(moved, "fi")
    assert len(table.rows) == 1 + 22
    assert [table.cell(0, c).text for c in range(len(expected.columns))] == list(expected.columns)
    first = [table.cell(1, c).text for c in range(len(expected.columns))]
    assert first == [str(v) for v in expected.iloc[0]]
    # figures line up on the right, names on the left
    assert table.cell(1, 1).text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT
    assert table.cell(1, 0).text_frame.paragraphs[0].alignment != PP_ALIGN.RIGHT


def test_area_slides_have_name_phase_picture_key_figures_and_top_risks(pack_bytes, frames):
    deck = Presentation(io.BytesIO(pack_bytes))
    lappi, helsinki = deck.slides[4], deck.slides[5]
    assert _slide_texts(lappi)[0] == "Lapin hyvinvointialue"
    assert _slide_texts(helsinki)[0] == "Helsingin kaupunki"
    assert len(_pictures(lappi)) == 1
    texts = _slide_texts(lappi)
    assert any(text.startswith("Valmiit toimenpiteet: ") and "(mediaani " in text for text in texts)
    risks = top_risks(frames.risks, "21", AS_OF)
    assert len(risks) == 5
    table = next(shape.table for shape in lappi.shapes if shape.has_table)
    assert [table.cell(r, 0).text for r in range(1, 6)] == risks["title"].tolist()


def test_real_data_has_no_example_note_and_tiles_need_no_boundary_credit(frames):
    data = build_pack(
        frames, tile_boundaries(), as_of=AS_OF, since=None, areas=[], lang="fi", example=False
    )
    deck = Presentation(io.BytesIO(data))
    assert len(deck.slides) == 4
    for slide in deck.slides:
        texts = _slide_texts(slide)
        assert EXAMPLE not in texts
        assert any(
            text.startswith("Tiedot: hyvinvointialueiden raportit · Tilanne") for text in texts
        )
    changes = _slide_texts(deck.slides[3])
    assert "Aiempaa raportointipäivää ei ole, joten muutoksia ei voi verrata." in changes


def test_the_page_s_metric_and_filters_are_the_pack_s(frames, boundaries):
    params = NationalParams(metric="overdue", phase=3, work_stream="ict", critical_only=True)
    data = build_pack(
        frames, boundaries, as_of=AS_OF, since=SINCE, areas=[], example=True, params=params
    )
    deck = Presentation(io.BytesIO(data))
    for index in (1, 2):
        texts = _slide_texts(deck.slides[index])
        assert "Myöhässä olevat toimenpiteet" in texts[0]
        assert (
            texts[1]
            == "Tilanne 15.12.2022 · 3. Lakien hyväksymisen jälkeen · ICT · Vain kriittiset"
        )


# --- the pieces ---------------------------------------------------------------------------------


def test_default_since_is_the_reporting_date_before():
    dates = [date(2022, 10, 15), date(2022, 11, 15), date(2022, 12, 15)]
    assert default_since(dates, date(2022, 12, 15)) == date(2022, 11, 15)
    assert default_since(dates, date(2022, 12, 1)) == date(2022, 11, 15)
    assert default_since(dates, date(2022, 10, 15)) is None


def test_top_risks_take_each_risk_s_latest_rating_up_to_the_day():
    risks = pd.DataFrame(
        {
            "area_code": ["21", "21", "21", "21", "01"],
            "risk_id": ["A", "B", "A", "C", "D"],
            "title": ["a", "b", "a2", "c", "d"],
            "theme": ["T"] * 5,
            "likelihood": [5, 3, 1, 4, 5],
            "impact": [5, 3, 1, 4, 5],
            "mitigation": [""] * 5,
            "owner": [""] * 5,
            "reported_on": [
                date(2022, 1, 15),
                date(2022, 1, 15),
                date(2022, 2, 15),
                date(2022, 3, 15),
                date(2022, 1, 15),
            ],
        }
    )
    on_feb = top_risks(risks, "21", date(2022, 2, 15))
    assert on_feb["risk_id"].tolist() == ["B", "A"]  # A fell to 1 × 1; C not yet reported
    assert on_feb["score"].tolist() == [9, 1]
    assert top_risks(risks, "21", date(2022, 1, 31))["risk_id"].tolist() == ["A", "B"]
    assert top_risks(risks, "21", date(2022, 3, 15), n=1)["title"].tolist() == ["c"]


def test_key_figures_match_the_metrics(frames):
    figures = metrics.area_metrics(frames.measures, frames.reports, frames.risks, AS_OF)
    medians = metrics.national_medians(figures)
    lines = key_figures(figures, medians, "21")
    done = figures.set_index("code").loc["21", "done_share"]
    median = medians["done_share"]
    assert lines[0] == (
        f"Valmiit toimenpiteet: {round(done * 100)}\u00a0% (mediaani {round(median * 100)}\u00a0%)"
    )


# --- LibreOffice opens it -------------------------------------------------------------------------


def _impress() -> str:
    found = shutil.which(os.environ.get("SOTE_SOFFICE", "soffice"))
    if not found:
        message = "LibreOffice (soffice) not found (run `make libreoffice`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.libreoffice
def test_libreoffice_converts_the_pack_to_a_pdf_of_as_many_pages(pack_bytes, tmp_path):
    soffice = _impress()
    source = tmp_path / "kokouspaketti.pptx"
    source.write_bytes(pack_bytes)
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "kokouspaketti.pdf"
    if not pdf.exists() and "could not be loaded" in result.stderr:
        message = "LibreOffice has no Impress (install libreoffice-impress-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert pdf.exists(), (result.returncode, result.stdout, result.stderr)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # the page tree's /Count: one PDF page per slide
    counts = [int(n) for n in re.findall(rb"/Count (\d+)", data)]
    assert max(counts) == 4 + len(AREAS)


def test_pack_file_name_has_the_date():
    assert pack_file_name(AS_OF) == "tilannekuva_2022-12-15_kokouspaketti.pptx"


def test_a_risk_its_area_closed_is_no_longer_a_top_risk(frames):
    import pandas as pd

    first = top_risks(frames.risks, "21", AS_OF)
    top = first.iloc[0]["risk_id"]
    own = frames.risks[(frames.risks["area_code"] == "21") & (frames.risks["risk_id"] == top)]
    closing = own.iloc[[-1]].assign(closed=True)
    risks = pd.concat([frames.risks, closing], ignore_index=True)
    assert top not in set(top_risks(risks, "21", AS_OF)["risk_id"])


# --- slides that stand alone (issue 18 item 7) ----------------------------------------------------


def test_a_narrow_segment_has_no_number_so_24_and_1_never_read_241():
    from sotedata.exports.pack_area import phase_chart

    counts = pd.DataFrame(
        {
            "phase_label": ["1. Vaihe", "1. Vaihe", "2. Vaihe"],
            "status": ["done", "delayed", "done"],
            "status_label": ["Valmis", "Viivästynyt", "Valmis"],
            "count": [24, 1, 12],
        }
    )
    spec = phase_chart(counts, "fi").to_dict()
    assert spec["layer"][1]["encoding"]["text"]["field"] == "count_text"
    rows = next(iter(spec["datasets"].values()))
    assert {(r["phase_label"], r["status"]): r["count_text"] for r in rows} == {
        ("1. Vaihe", "done"): "24",
        ("1. Vaihe", "delayed"): "",
        ("2. Vaihe", "done"): "12",
    }


def test_area_slides_show_what_changed_since_the_comparison_date(pack_bytes, frames):
    from sotedata.rules.changes import risk_changes, status_changes
    from sotedata.views.changes import changes_sentence

    texts = _slide_texts(Presentation(io.BytesIO(pack_bytes)).slides[4])
    assert "Muutokset vertailupäivästä" in texts
    moves = status_changes(frames, SINCE, AS_OF, "21")
    risks = risk_changes(frames, SINCE, AS_OF, "21")
    assert changes_sentence(moves, risks, SINCE, AS_OF, "fi") in texts
    first = moves.iloc[0]
    assert any(text.startswith(f"{first['measure_id']} ") and "→" in text for text in texts)
    figures = [text for text in texts if "(mediaani " in text]
    assert len(figures) == 5 and all(", muutos " in text for text in figures)


def test_without_a_comparison_date_the_area_slide_says_so(frames, boundaries):
    data = build_pack(
        frames, boundaries, as_of=AS_OF, since=None, areas=["21"], lang="sv", example=True
    )
    from sotedata.domain.i18n import t

    texts = _slide_texts(Presentation(io.BytesIO(data)).slides[4])
    assert t("pack.changes.none", "sv") in texts
    assert not any("förändring" in text for text in texts if "(median" in text)


def test_the_map_slide_has_the_areas_values_beside_the_map(pack_bytes):
    from sotedata.charts.image import png_size

    slide = Presentation(io.BytesIO(pack_bytes)).slides[1]
    (picture,) = _pictures(slide)
    width, height = png_size(picture.image.blob)
    assert width / height > 0.8  # the map alone is about 0.6 as wide as it is tall


def test_the_change_metric_counts_from_the_pack_s_comparison_date(frames, boundaries):
    params = NationalParams(metric="done_share_change")
    data = build_pack(
        frames, boundaries, as_of=AS_OF, since=SINCE, areas=[], example=True, params=params
    )
    deck = Presentation(io.BytesIO(data))
    for index in (1, 2):
        # the slide's sentence gives the median change, not the "no measures" of a view that
        # was never told the comparison date
        sentence = _slide_texts(deck.slides[index])[2]
        assert sentence.startswith("Valmiiden osuuden muutos vertailupäivästä: mediaani ")
        assert "%-yks." in sentence and ".." not in sentence
