"""Chart builders, inspected as Vega-Lite specs: Finnish locale, values in text, clicks by code."""

import json

import pandas as pd
import pytest

from sotedata.charts import base as charts
from sotedata.charts import national as national_charts
from sotedata.domain.i18n import t
from sotedata.views.national_map import tile_layout_frame


def square(code: str, x: float, y: float, size: float = 1.0) -> dict:
    ring = [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]
    return {
        "type": "Feature",
        "code": code,
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.fixture
def values():
    return pd.DataFrame(
        {
            "code": ["21", "90"],
            "short": ["Lappi", "Helsinki"],
            "name": ["Lapin hyvinvointialue", "Helsingin kaupunki"],
            "value": [0.64, 0.5],
            "label": ["64\u00a0%", "50\u00a0%"],
        }
    )


def spec_of(chart) -> dict:
    return json.loads(chart.to_json())


def test_map_values_merge_by_code_and_leave_outside_areas_unclickable(values):
    merged = charts.map_values([square("21", 25, 67), square("91", 20, 60)], values)
    lappi, aland = merged
    assert lappi["value"] == 0.64 and lappi["label"] == "64\u00a0%" and lappi["clickable"]
    assert aland["value"] is None and not aland["clickable"]


def test_choropleth_is_finnish_clickable_and_credits_the_boundaries(values):
    chart = national_charts.choropleth(
        [square("21", 25, 67), square("90", 25, 60, 0.1), square("91", 20, 60)],
        values,
        metric_label="Valmiit toimenpiteet",
        kind="share",
        direction="higher_is_better",
        as_of_text="15.12.2022",
        attribution="Rajat: Tilastokeskus, CC BY 4.0",
        example=True,
        markers=pd.DataFrame({"code": ["90"], "lon": [25.05], "lat": [60.05]}),
    )
    spec = spec_of(chart)
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["title"]["text"] == "Valmiit toimenpiteet"
    assert spec["title"]["subtitle"] == [
        "Tilanne 15.12.2022",
        "Esimerkkiaineisto, ei virallisia lukuja",
        "Rajat: Tilastokeskus, CC BY 4.0",
    ]
    assert spec["params"][0]["name"] == charts.SELECTION
    assert spec["params"][0]["select"]["fields"] == ["code"]
    # the boundaries travel once, at the layer, not once per mark
    assert len(spec["data"]["values"]) == 3
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["geoshape", "geoshape", "point"]
    assert spec["layer"][1]["mark"]["fill"] == charts.OUTSIDE_COLOUR
    # so do the tooltip and the projection: every mark inherits them from the layer
    assert [tip["field"] for tip in spec["encoding"]["tooltip"]][:2] == ["name", "label"]
    assert spec["projection"] == charts.PROJECTION
    assert not any("projection" in layer for layer in spec["layer"])
    assert not any("tooltip" in layer.get("encoding", {}) for layer in spec["layer"])
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["format"] == ".0%" and legend["title"] == "Valmiit toimenpiteet"


def test_colour_domain_fits_the_data_in_whole_tens():
    assert national_charts.colour_domain("share", pd.Series([0.64, 0.85])) == [0.6, 0.9]
    assert national_charts.colour_domain("share", pd.Series([0.95, 0.98])) == pytest.approx(
        [0.8, 1.0]
    )
    assert national_charts.colour_domain("count", pd.Series([0, 31])) == [0.0, 31.0]
    assert national_charts.colour_domain("share", pd.Series([float("nan")])) == [0.0, 1.0]


def test_tile_map_has_one_tile_per_area_with_name_and_value(values):
    chart = national_charts.tile_map(
        tile_layout_frame(),
        values,
        metric_label="Valmiit toimenpiteet",
        kind="share",
        direction="higher_is_better",
        as_of_text="15.12.2022",
        example=False,
    )
    spec = spec_of(chart)
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 23 and len({(r["row"], r["col"]) for r in rows}) == 23
    lappi = next(r for r in rows if r["code"] == "21")
    assert lappi["short"] == "Lappi" and lappi["label"] == "64\u00a0%"
    text_fields = {layer["encoding"]["text"]["field"] for layer in spec["layer"][2:]}
    assert text_fields == {"name_top", "name_bottom", "label"}
    assert spec["layer"][1]["transform"] == [{"filter": "datum.value == null"}]


@pytest.mark.parametrize("direction", ["lower_is_better", "higher_is_better"])
def test_ranked_bars_put_the_largest_first_and_draw_the_median(values, direction):
    """Where more is worse the worst comes first, where more is better the best: the eye goes
    to the top of the list either way."""
    spec = spec_of(
        national_charts.ranked_bars(
            values,
            metric_label="Myöhässä",
            kind="count",
            direction=direction,
            median=0.55,
        )
    )
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Lappi", "Helsinki"]
    assert spec["layer"][1]["encoding"]["text"]["field"] == "shown"
    assert any(layer["mark"]["type"] == "tick" for layer in spec["layer"])


@pytest.mark.parametrize(("lang", "label"), [("fi", "58\u00a0%"), ("en", "58%")])
def test_the_median_is_written_in_the_page_language(values, lang, label):
    spec = spec_of(
        national_charts.ranked_bars(
            values,
            metric_label="x",
            kind="share",
            direction="higher_is_better",
            median=0.58,
            lang=lang,
        )
    )
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "tick")
    texts = {row["label"] for row in spec["datasets"][rule["data"]["name"]]}
    assert texts == {t("chart.median", lang, value=label)}


@pytest.mark.parametrize(
    ("share", "expected"),
    # by the whole per cent the cell shows: 0.2449 reads "24 %", 0.2499 "25 %"
    [(None, None), (0.0, 0), (0.2449, 0), (0.2499, 1), (0.25, 1), (0.5, 2), (0.75, 3), (1.0, 3)],
)
def test_ministry_table_classes(share, expected):
    assert national_charts.share_class(share) == expected


def test_workstream_table_writes_values_into_coloured_cells():
    table = pd.DataFrame(
        {
            "code": ["21", "21"],
            "short": ["Lappi", "Lappi"],
            "name": ["Lapin hyvinvointialue"] * 2,
            "work_stream": ["ICT", "Yhdyspinnat"],
            "value": [0.8, float("nan")],
            "label": ["80\u00a0%", "–"],
        }
    )
    spec = spec_of(
        national_charts.workstream_table(
            table,
            metric_label="Valmiit",
            work_stream_order=["ICT", "Yhdyspinnat"],
            area_order=["Lappi"],
        )
    )
    rows = next(iter(spec["datasets"].values()))
    assert [r["fill"] for r in rows] == [national_charts.SHARE_CLASSES[3][1], charts.NO_DATA_COLOUR]
    assert spec["layer"][1]["encoding"]["text"]["field"] == "label"


def test_the_phase_bars_draw_the_statuses_in_the_one_status_palette():
    """The meeting pack's phase bars and the area page's charts share base.STATUS_COLOURS and
    its ink: a status is the same colour on a slide as on the page."""
    statuses = ["done", "in_progress", "delayed", "not_started"]
    counts = pd.DataFrame(
        {
            "phase_label": ["1. Vaihe"] * 4,
            "status": statuses,
            "status_label": [t(f"status.{s}", "fi") for s in statuses],
            "count": [4, 3, 2, 1],
        }
    )
    spec = spec_of(charts.phase_status_bars(counts, status_order=statuses, lang="fi"))
    bars, text = spec["layer"]
    assert bars["encoding"]["color"]["scale"]["range"] == [
        charts.STATUS_COLOURS[s] for s in statuses
    ]
    rows = next(iter(spec["datasets"].values()))
    assert {r["status"]: r["ink"] for r in rows} == {s: charts.STATUS_INK[s] for s in statuses}
    assert text["encoding"]["color"] == {"field": "ink", "type": "nominal", "scale": None}


def test_subtitle_says_when_then_example_then_the_sources_given():
    assert charts.subtitle("15.12.2022", False, None, "", lang="fi") == ["15.12.2022"]
    lines = charts.subtitle("2022", True, "Lähde: THL", "Rajat: Tilastokeskus", lang="fi")
    assert lines == ["2022", t("chart.example_data", "fi"), "Lähde: THL", "Rajat: Tilastokeskus"]


def test_the_roadmap_and_indicator_tile_maps_are_one_tile_map(values):
    """Both tile maps are base.tile_map: the same tiles, gaps, texts and click; only the colours
    and the empty tiles' grey differ."""
    from sotedata.charts import indicators as indicator_charts

    roadmap = spec_of(
        national_charts.tile_map(
            tile_layout_frame(), values, metric_label="M", kind="share",
            direction="higher_is_better", as_of_text="15.12.2022", example=False,
        )
    )  # fmt: skip
    indicator = spec_of(
        indicator_charts.tile_map(
            tile_layout_frame(), values, title="I", legend_title="I (%)", decimals=1,
            period_text="2022", source="Lähde: THL", example=False,
        )
    )  # fmt: skip
    for spec in (roadmap, indicator):
        rects, empty = spec["layer"][:2]
        assert rects["transform"] == [{"filter": "datum.value != null"}]
        assert empty["transform"] == [{"filter": "datum.value == null"}]
        for layer in (rects, empty):
            assert {k: layer["mark"][k] for k in charts.TILE_MARK} == charts.TILE_MARK
        assert spec["params"][0]["name"] == charts.SELECTION
        assert spec["width"] == {"step": 92} and spec["height"] == {"step": 62}
