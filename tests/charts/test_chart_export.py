"""Charts out as PNG and SVG: title, date, example note and source drawn into the picture."""

import html
import re
from datetime import date

import altair as alt
import pandas as pd
import pytest

from sotedata.charts import image as chart_export
from sotedata.domain.settings import load_settings
from sotedata.geo.chain import load_area_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.national import NationalParams, build_national_view
from tests.support.area_view import build_area_view

AS_OF = date(2022, 12, 15)
DATA_SOURCE = "Tiedot: hyvinvointialueiden raportit"
BOUNDARY_CREDIT = "Rajat: Tilastokeskus, CC BY 4.0"
FULL_SOURCE = f"{DATA_SOURCE} · {BOUNDARY_CREDIT}"


@pytest.fixture(scope="module")
def frames(demo_db_url):
    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store), store.reporting_dates()


@pytest.fixture(scope="module")
def boundaries(tmp_path_factory):
    folder = tmp_path_factory.mktemp("no-cache")
    found = load_area_boundaries(load_settings({"SOTE_OFFLINE": "1", "SOTE_DATA_DIR": str(folder)}))
    assert found.source == "asset" and not found.is_tiles
    return found


@pytest.fixture(scope="module")
def view(frames, boundaries):
    loaded, dates = frames
    return build_national_view(
        loaded, boundaries, NationalParams(), reporting_dates=dates, example=True, lang="fi"
    )


def _texts(svg: bytes) -> list[str]:
    """The text lines of an SVG as a reader sees them: each <text>, or each line (<tspan>) of a
    multi-line one, entities resolved, no-break spaces as plain spaces."""
    lines = []
    for run in re.findall(r"<text[^>]*>(.*?)</text>", svg.decode("utf-8"), flags=re.S):
        parts = re.findall(r"<tspan[^>]*>(.*?)</tspan>", run, flags=re.S) or [run]
        lines += [html.unescape(re.sub(r"<[^>]+>", "", p)).replace("\u00a0", " ") for p in parts]
    return lines


# --- the caption as a spec ----------------------------------------------------------------------


def test_with_caption_puts_title_date_example_on_top_and_the_source_below(view):
    framed = chart_export.with_caption(
        view.map_chart, title="Valmiit toimenpiteet", as_of=AS_OF, example=True, lang="fi"
    )
    spec = framed.to_dict()
    assert spec["title"]["text"] == "Valmiit toimenpiteet"
    assert spec["title"]["subtitle"] == [
        "Tilanne 15.12.2022",
        "Esimerkkiaineisto, ei virallisia lukuja",
    ]
    footer = spec["vconcat"][-1]
    assert footer["mark"]["type"] == "text"
    assert footer["data"]["values"] == [{"source": FULL_SOURCE}]
    # the chart's own title (which repeated the date and credit) is gone, the Finnish locale kept
    assert "title" not in spec["vconcat"][0]
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_with_caption_leaves_out_the_example_note_for_real_data_and_credits_no_boundaries_on_bars(
    view,
):
    framed = chart_export.with_caption(
        view.bar_chart, title="Järjestys", as_of=AS_OF, example=False, lang="fi"
    )
    spec = framed.to_dict()
    assert spec["title"]["subtitle"] == ["Tilanne 15.12.2022"]
    assert spec["vconcat"][-1]["data"]["values"] == [{"source": DATA_SOURCE}]


def test_with_caption_keeps_a_chart_s_own_explanation_lines(view):
    framed = chart_export.with_caption(
        view.workstream_chart, title="Taulukko", as_of=AS_OF, example=False, lang="fi"
    )
    subtitle = framed.to_dict()["title"]["subtitle"]
    assert subtitle[0] == "Tilanne 15.12.2022"
    # the table's classes stated: the ministry's, or on 15.12.2022 the day's quartiles
    assert any(line.startswith("Värit päivän neljänneksistä:") for line in subtitle)


def test_with_caption_does_not_change_the_chart_the_page_shows(view):
    before = view.map_chart.to_dict()
    chart_export.with_caption(view.map_chart, title="x", as_of=AS_OF, example=True)
    assert view.map_chart.to_dict() == before


def test_a_chart_without_configuration_gets_the_finnish_locale():
    chart = alt.Chart(pd.DataFrame({"x": [1234.5]})).mark_bar().encode(x="x:Q")
    spec = chart_export.with_caption(chart, title="t", as_of=AS_OF, example=False).to_dict()
    assert spec["config"]["locale"]["number"]["thousands"] == "\u00a0"


def test_draws_boundaries_finds_a_geoshape_anywhere():
    assert chart_export.draws_boundaries({"layer": [{"mark": {"type": "geoshape"}}]})
    assert chart_export.draws_boundaries({"vconcat": [{"mark": "geoshape"}]})
    assert not chart_export.draws_boundaries({"layer": [{"mark": {"type": "bar"}}]})


def test_source_line_in_swedish():
    assert chart_export.source_line(boundaries=False, lang="sv").startswith("Uppgifter")


# --- rendered -----------------------------------------------------------------------------------


def test_map_png_is_a_png_of_a_sensible_size(view):
    png = chart_export.to_png(
        view.map_chart, title="Valmiit toimenpiteet", as_of=AS_OF, example=True, lang="fi"
    )
    width, height = chart_export.png_size(png)
    # the map is 460 × 680 at scale 1; at scale 2 with the caption it is at least twice that
    assert 920 <= width <= 1400 and 1360 <= height <= 2000
    small = chart_export.to_png(
        view.map_chart, title="x", as_of=AS_OF, example=True, lang="fi", scale=1
    )
    assert chart_export.png_size(small)[0] == pytest.approx(width / 2, abs=2)


def test_map_svg_carries_every_caption_text(view):
    svg = chart_export.to_svg(
        view.map_chart, title="Valmiit toimenpiteet", as_of=AS_OF, example=True, lang="fi"
    )
    assert svg.lstrip().startswith(b"<svg")
    texts = _texts(svg)
    assert "Valmiit toimenpiteet" in texts
    assert "Tilanne 15.12.2022" in texts
    assert "Esimerkkiaineisto, ei virallisia lukuja" in texts
    assert FULL_SOURCE in texts
    assert texts.count(BOUNDARY_CREDIT) == 0  # the credit once, in the source line


def test_numbers_in_the_image_are_finnish(view):
    texts = _texts(
        chart_export.to_svg(view.bar_chart, title="Järjestys", as_of=AS_OF, example=False)
    )
    assert "0 %" in texts and "100 %" in texts  # the axis, formatted by Vega with the locale
    assert "Esimerkkiaineisto, ei virallisia lukuja" not in texts
    assert DATA_SOURCE in texts


def test_colour_table_and_phase_chart_render(view, frames):
    loaded, _dates = frames
    svg = chart_export.to_svg(view.workstream_chart, title="Taulukko", as_of=AS_OF, example=True)
    texts = _texts(svg)
    assert "Helsinki" in texts and "ICT" in texts
    phases = build_area_view(loaded, "21", AS_OF, lang="fi").phase_chart
    png = chart_export.to_png(phases, title="Lappi", as_of=AS_OF, example=True, scale=1)
    width, height = chart_export.png_size(png)
    assert width > 500 and height > 150


def test_a_chart_that_asks_for_a_remote_address_is_refused():
    chart = alt.Chart(alt.UrlData("https://example.com/data.json")).mark_point().encode(x="a:Q")
    with pytest.raises(ValueError, match="not allowed"):
        chart_export.render_svg(chart)


def test_png_size_rejects_other_bytes():
    with pytest.raises(ValueError):
        chart_export.png_size(b"GIF89a" + bytes(30))


# --- on the national page -----------------------------------------------------------------------


def test_national_page_offers_images_and_the_pack_built_only_on_the_click(
    demo_db_url, tmp_path, monkeypatch
):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    labels = [b.proto.label for b in at.get("download_button")]
    # the map, the ranked bars and the colour table
    assert labels.count("Kuva (PNG)") == 3 and labels.count("Vektorikuva (SVG)") == 3
    assert "Lataa kokouspaketti (PPTX)" in buttons
    for proto in buttons.values():
        # deferred: the page sends no image or deck, the server makes it when the button is pressed
        assert proto.deferred_file_id and not proto.url
        assert proto.ignore_rerun


def test_image_file_names_say_what_and_when():
    name = chart_export.image_file_name("Myöhässä olevat toimenpiteet", AS_OF, "svg")
    assert name == "tilannekuva_2022-12-15_myohassa-olevat-toimenpiteet.svg"


def test_notes_such_as_the_filters_go_under_the_date_and_empty_ones_are_left_out(view):
    framed = chart_export.with_caption(
        view.bar_chart,
        title="Järjestys",
        as_of=AS_OF,
        example=True,
        notes=["3. Lakien hyväksymisen jälkeen · ICT", ""],
    )
    assert framed.to_dict()["title"]["subtitle"] == [
        "Tilanne 15.12.2022",
        "3. Lakien hyväksymisen jälkeen · ICT",
        "Esimerkkiaineisto, ei virallisia lukuja",
    ]


def test_the_risks_page_offers_both_charts_as_images(demo_db_url, tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    at.switch_page("pages/risks.py")
    at = at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Kuva (PNG)") == 2 and labels.count("Vektorikuva (SVG)") == 2
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))


def test_the_area_page_offers_its_charts_as_images_made_from_their_specs(
    demo_db_url, tmp_path, monkeypatch
):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from sotedata.store.engine import Store
    from sotedata.views.area_page import build_area_page

    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=120).run()
    at.switch_page("pages/area.py")
    at.query_params["alue"] = "21"
    at = at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    # timeline, two progress bars, risk matrix, progress over time
    assert labels.count("Kuva (PNG)") == 5 and labels.count("Vektorikuva (SVG)") == 5
    # what a click makes: a cached spec back as an Altair chart, framed and drawn
    with Store.open(demo_db_url) as store:
        frames, dates = metrics.load_frames(store), store.reporting_dates()
    bundle = build_area_page(frames, "21", dates[-1], dates[-2], dates)
    svg = chart_export.to_svg(
        chart_export.from_spec(bundle.risk_matrix),
        title="Lappi: riskit",
        as_of=dates[-1],
        example=True,
    ).decode()
    assert "Lappi: riskit" in svg and "15.12.2022" in svg
    for spec in (bundle.timeline, bundle.phase_bars, bundle.stream_bars, bundle.progress_lines):
        drawn = chart_export.to_svg(
            chart_export.from_spec(spec), title="Lappi", as_of=dates[-1], example=True
        )
        assert drawn.startswith(b"<svg") and b"Esimerkkiaineisto" in drawn
