"""Indicator charts as Vega-Lite specs: the legend's title carries the unit, the colour is the
value, the subtitle carries the period and the indicator's own source line; the municipality map
keeps the codes' leading zeros and falls back to a table, saying why, without boundaries."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sotedata.charts import indicators as ic
from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.i18n import t
from sotedata.domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL
from sotedata.domain.settings import load_settings
from sotedata.geo import chain as geo
from sotedata.views import indicators as iv
from sotedata.views.municipal_map import indicator_municipality_map
from sotedata.views.national_map import tile_layout_frame

KEY = "sotkanet:3064"
META = ["sotkanet:3064", "Huoltosuhde", "‰", "THL (Sotkanet)", "CC BY 4.0"]
SHARED = next(
    (
        folder
        for folder in (
            Path("/work/shared/geo"),
            Path(__file__).resolve().parents[3] / "shared" / "geo",
        )
        if (folder / "kunta4500k.geojson").is_file()
    ),
    None,
)


def _rows():
    rows = []
    for i, code in enumerate(REFORM_CODES):
        value = None if code == "04" else 10.0 + i / 4
        rows.append((AREA_LEVEL, code, code, value))
    rows += [(MUNICIPALITY_LEVEL, "005", "16", 14.25), (MUNICIPALITY_LEVEL, "698", "21", 11.5)]
    return [
        {
            "indicator_key": KEY,
            "level": level,
            "region_code": region,
            "area_code": area,
            "period": "2023",
            "period_start": date(2023, 1, 1),
            "period_end": date(2023, 12, 31),
            "value": value,
        }
        for level, region, area, value in rows
    ]


@pytest.fixture(scope="module")
def frames():
    indicators = pd.DataFrame(
        [dict(zip(["key", "name", "unit", "source", "licence"], META, strict=True))]
    )
    return iv.IndicatorFrames(indicators, iv.current_values(pd.DataFrame(_rows())))


def _shared_args(frames):
    meta = frames.meta(KEY)
    return {
        "title": meta.name,
        "legend_title": iv.legend_title(meta, "fi"),
        "decimals": iv.decimals_for(frames.of(KEY)["value"]),
        "period_text": iv.period_label("2023", "fi"),
        "source": iv.source_line(meta, "fi"),
        "example": True,
        "lang": "fi",
    }


def _legend_colour(spec):
    """The colour encoding that carries a legend, wherever the layer put it."""
    for layer in spec.get("layer", [spec]):
        colour = layer.get("encoding", {}).get("color", {})
        if "legend" in colour and colour["legend"] is not None:
            return colour
        for branch in colour.get("condition", []) if isinstance(colour, dict) else []:
            if isinstance(branch, dict) and branch.get("legend"):
                return branch
    raise AssertionError("no legend")


def test_area_map_legend_title_has_the_unit_and_colours_by_value(frames):
    values = iv.area_values(frames, KEY, "2023", "fi")
    boundaries = geo.load_area_boundaries(load_settings({"SOTE_OFFLINE": "1"}))
    chart = ic.area_map(
        boundaries.features,
        values,
        attribution=boundaries.attribution,
        markers=None,
        **_shared_args(frames),
    )
    spec = chart.to_dict()
    colour = _legend_colour(spec)
    assert colour["field"] == "value" and colour["legend"]["title"] == "Huoltosuhde (‰)"
    assert colour["legend"]["format"] == ",.2f"  # the values have two decimals (10.25 …)
    assert colour["scale"]["scheme"] == ic.SCHEME
    assert colour["scale"]["domain"] == [10.0, 10.0 + 21 / 4]
    subtitle = spec["title"]["subtitle"]
    assert subtitle == [
        "Ajankohta: 2023",
        "Esimerkkiaineisto, ei virallisia lukuja",
        "Lähde: THL (Sotkanet), CC BY 4.0",
        boundaries.attribution,
    ]
    data = {f["code"]: f for f in spec["layer"][0].get("data", spec.get("data"))["values"]}
    assert data["04"]["value"] is None  # missing: grey, not zero
    assert data["21"]["label"] == "15,00\u00a0‰"  # Lappi: two decimals like the rest
    assert data["91"]["clickable"] is False


def test_tile_map_writes_values_and_keeps_the_legend(frames):
    values = iv.area_values(frames, KEY, "2023", "fi")
    spec = ic.tile_map(tile_layout_frame("fi"), values, **_shared_args(frames)).to_dict()
    assert _legend_colour(spec)["legend"]["title"] == "Huoltosuhde (‰)"
    assert "Lähde: THL (Sotkanet), CC BY 4.0" in spec["title"]["subtitle"]
    rows = {r["code"]: r for r in spec["datasets"][next(iter(spec["datasets"]))]}
    assert rows["91"]["label"] == t("map.outside_reform.short", "fi")
    assert not rows["91"]["clickable"]
    assert rows["04"]["clickable"] and rows["04"]["label"] == "–"


def test_ranked_bars_put_the_highest_first_with_the_median(frames):
    values = iv.area_values(frames, KEY, "2023", "fi")
    middle = iv.median(values["value"])
    spec = ic.ranked_bars(
        values,
        legend_title="Huoltosuhde (‰)",
        decimals=2,
        median=middle,
        median_label=iv.format_value(middle, 2, "fi", "‰"),
        lang="fi",
    ).to_dict()
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    assert order[0] == "Helsinki" and len(order) == 21  # Vantaa-Kerava has no value
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Huoltosuhde (‰)"
    texts = json.dumps(spec, ensure_ascii=False)
    assert "Mediaani 12,75\u00a0‰" in texts


def test_sparkline_draws_the_area_and_the_median_in_time_order():
    trend = pd.DataFrame(
        {"period": ["2021", "2022", "2023"], "value": [1.0, None, 3.0], "median": [2.0, 2.0, 2.5]}
    )
    spec = ic.sparkline(trend, value_title="Huoltosuhde (‰)", decimals=1, lang="fi").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["2021", "2022", "2023"]
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    assert {(r["series"], r["period"]) for r in rows} == {
        ("value", "2021"),
        ("value", "2023"),
        ("median", "2021"),
        ("median", "2022"),
        ("median", "2023"),
    }  # the missing value is left out, not drawn as zero
    assert spec["layer"][0]["encoding"]["strokeDash"]["scale"]["range"][1] == [3, 2]


def test_municipal_map_without_boundaries_is_a_table_and_says_why(frames):
    drawn = indicator_municipality_map(frames, KEY, "2023", None, lang="fi")
    assert drawn.chart is None and drawn.reason == "indicators.no_boundaries"
    assert drawn.table.iloc[:, 0].tolist() == ["005", "698"]  # highest first, zeros kept
    assert drawn.title == "Huoltosuhde: kunnat, koko maa"


@pytest.mark.skipif(SHARED is None, reason="../shared/geo (reference boundaries) absent")
def test_municipal_map_of_the_country_and_of_one_area(frames, tmp_path):
    settings = replace(
        load_settings({"SOTE_OFFLINE": "1", "SOTE_BOUNDARY_CACHE_DIR": str(tmp_path)}),
        municipality_boundary_file=SHARED / "kunta4500k.geojson",
    )
    boundaries = geo.load_municipality_boundaries(settings)
    country = indicator_municipality_map(frames, KEY, "2023", boundaries, example=True, lang="fi")
    spec = country.chart.to_dict()
    features = spec["data"]["values"]
    assert len(features) == 309 - 16  # Åland's 16 municipalities are outside the reform
    by_code = {f["code"]: f for f in features}
    assert by_code["005"]["value"] == 14.25 and by_code["005"]["name"] == "Alajärvi"
    assert by_code["091"]["value"] is None  # no row: grey
    assert _legend_colour(spec)["legend"]["title"] == "Huoltosuhde (‰)"
    assert "Rajat: Tilastokeskus, CC BY 4.0" in spec["title"]["subtitle"]
    assert "Lähde: THL (Sotkanet), CC BY 4.0" in spec["title"]["subtitle"]
    lappi = indicator_municipality_map(frames, KEY, "2023", boundaries, area_code="21", lang="fi")
    codes = {f["code"] for f in lappi.chart.to_dict()["data"]["values"]}
    assert len(codes) == 21 and "698" in codes
    assert lappi.values["code"].tolist() == ["698"]
    assert lappi.title == "Huoltosuhde: kunnat, Lappi"
