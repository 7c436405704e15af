"""Indicators on the pages in Streamlit's AppTest: the national map with ?mittari=ind:…, its
period selector, legend, source line and municipality map, and the area page's section."""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sotedata.demo.generator import SICKNESS, SOCIAL_ASSISTANCE
from sotedata.domain.i18n import t
from sotedata.domain.indicators import MUNICIPALITY_LEVEL, Indicator, IndicatorValue, Period
from sotedata.geo import chain as geo
from sotedata.ingest.report import ParsedFile
from sotedata.store.engine import Store
from tests.support.example_db import copy_of

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")
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
#: an indicator with municipal rows only (no area can get a value from it)
TOWNS = Indicator("file:kuntaluku", "Kuntaluku", "‰", "Tilastokeskus", "CC BY 4.0")
SOURCE = "Lähde: Esimerkkiaineisto (keksityt arvot, ei THL:n lukuja)"


@pytest.fixture(scope="module")
def demo_db(demo_db_url, tmp_path_factory):
    """The example data with a municipal-only indicator added (a copy: it is written to)."""
    folder = tmp_path_factory.mktemp("indicator-pages")
    url = copy_of(demo_db_url, folder)
    with Store.open(url) as store:
        year = Period("2021", date(2021, 1, 1), date(2021, 12, 31))
        values = [
            IndicatorValue(TOWNS.key, MUNICIPALITY_LEVEL, "005", "16", year, 12.5),
            IndicatorValue(TOWNS.key, MUNICIPALITY_LEVEL, "698", "21", year, 8.25),
        ]
        store.save_import(
            ParsedFile(
                filename="kunnat.xlsx",
                sha256=hashlib.sha256(b"kunnat").hexdigest(),
                indicators=[TOWNS],
                indicator_values=values,
            )
        )
    return url, folder


def _clear_municipality_boundaries():
    from ui import area_indicators

    area_indicators.municipality_boundaries.clear()
    geo.clear_municipality_cache()


@pytest.fixture
def env(demo_db, monkeypatch):
    url, folder = demo_db
    monkeypatch.setenv("SOTE_DATABASE_URL", url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(folder))
    monkeypatch.setenv("SOTE_BOUNDARY_CACHE_DIR", str(folder / "cache"))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    monkeypatch.delenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", raising=False)
    _clear_municipality_boundaries()
    yield monkeypatch
    _clear_municipality_boundaries()


@pytest.fixture
def app(env):
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def legend_titles(spec: dict) -> list[str]:
    found = []
    for layer in [spec, *spec.get("layer", [])]:
        colour = layer.get("encoding", {}).get("color", {})
        condition = colour.get("condition", []) if isinstance(colour, dict) else []
        branches = [colour, *(condition if isinstance(condition, list) else [condition])]
        found += [b["legend"]["title"] for b in branches if (b.get("legend") or {}).get("title")]
    return found


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_indicator_from_the_url_shows_its_legend_source_and_period_selector(app):
    app.query_params["mittari"] = f"ind:{SOCIAL_ASSISTANCE.key}"
    at = app.run()
    assert not at.exception
    assert at.selectbox(key="metric").value == f"ind:{SOCIAL_ASSISTANCE.key}"
    period = at.selectbox(key=f"period-{SOCIAL_ASSISTANCE.key}")
    assert period.options == ["2022", "2021", "2020", "2019"] and period.value == "2022"
    first = specs(at)[0]
    assert legend_titles(first) == [f"{SOCIAL_ASSISTANCE.name} (%)"]
    assert SOURCE in first["title"]["subtitle"] and "Ajankohta: 2022" in first["title"]["subtitle"]
    assert SOURCE in captions(at)
    assert "suurin arvo" in captions(at) and "mediaani" in captions(at)
    assert "kausi" not in at.query_params  # the latest period stays out of the link


def test_the_grants_spent_share_is_a_map_metric_with_its_dates_legend_and_source(app):
    """Issue 9: the spent share of the state grants on the map, per monitoring date."""
    from sotedata.rules import grants

    app.query_params["mittari"] = f"ind:{grants.SPENT_SHARE_KEY}"
    at = app.run()
    assert not at.exception
    period = at.selectbox(key=f"period-{grants.SPENT_SHARE_KEY}")
    assert period.options == ["15.12.2022", "15.6.2022"]  # the example's two monitoring rounds
    first = specs(at)[0]
    assert legend_titles(first) == [f"{t('grants.indicator.name', 'fi')} (%)"]
    assert t("grants.indicator.source", "fi") in captions(at)


def test_choosing_an_indicator_and_an_older_period_goes_into_the_url(app):
    at = app.run()
    at.selectbox(key="metric").set_value(f"ind:{SICKNESS.key}").run()
    assert at.query_params["mittari"] == f"ind:{SICKNESS.key}"
    latest = {f["code"]: f["value"] for f in specs(at)[0]["data"]["values"]}
    at.selectbox(key=f"period-{SICKNESS.key}").set_value("2019").run()
    assert at.query_params["kausi"] == "2019"
    older = {f["code"]: f["value"] for f in specs(at)[0]["data"]["values"]}
    assert older != latest
    assert older["90"] is None  # the example's missing value: grey, not zero
    assert "Ajankohta: 2019" in specs(at)[0]["title"]["subtitle"]
    # back to a roadmap metric: the indicator and its period leave the URL
    at.selectbox(key="metric").set_value("overdue").run()
    assert at.query_params["mittari"] == "overdue" and "kausi" not in at.query_params


def test_the_tile_view_works_with_an_indicator(app):
    app.query_params["mittari"] = f"ind:{SICKNESS.key}"
    app.query_params["kausi"] = "2021"
    app.query_params["nakyma"] = "ruudut"
    at = app.run()
    assert not at.exception
    first = specs(at)[0]
    assert "rect" in json.dumps([layer.get("mark") for layer in first["layer"]])
    assert legend_titles(first) == [f"{SICKNESS.name} (indeksi)"]
    assert at.query_params["kausi"] == "2021" and at.query_params["nakyma"] == "ruudut"


def test_an_unknown_period_warns_and_shows_the_latest(app):
    app.query_params["mittari"] = f"ind:{SICKNESS.key}"
    app.query_params["kausi"] = "1999"
    at = app.run()
    assert not at.exception
    assert "kausi" in " ".join(w.value for w in at.warning)
    assert "Ajankohta: 2022" in specs(at)[0]["title"]["subtitle"]


def test_only_municipal_rows_say_so_and_list_the_municipalities_without_boundaries(app):
    app.query_params["mittari"] = f"ind:{TOWNS.key}"
    at = app.run()
    assert not at.exception
    assert "vain kuntatason arvoja" in " ".join(i.value for i in at.info)
    assert t("indicators.no_boundaries", "fi") in captions(at)
    table = at.dataframe[0].value
    assert table.iloc[:, 0].tolist() == ["005", "698"]  # highest first, leading zeros kept
    assert "Lähde: Tilastokeskus, CC BY 4.0" in captions(at)


@pytest.mark.skipif(SHARED is None, reason="../shared/geo (reference boundaries) absent")
def test_municipality_map_of_the_whole_country_from_the_toggle(app, env):
    env.setenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", str(SHARED / "kunta4500k.geojson"))
    app.query_params["mittari"] = f"ind:{SOCIAL_ASSISTANCE.key}"
    at = app.run()
    before = len(specs(at))
    at.toggle(key=f"municipal-{SOCIAL_ASSISTANCE.key}").set_value(True).run()
    assert not at.exception
    charts = specs(at)
    assert len(charts) == before + 1
    municipal = next(c for c in charts if "kunnat, koko maa" in str(c.get("title")))
    features = municipal["data"]["values"]
    assert len(features) == 309 - 16  # Åland outside
    assert all(f["value"] is not None for f in features)  # the example covers every one
    assert legend_titles(municipal) == [f"{SOCIAL_ASSISTANCE.name} (%)"]


def test_the_page_speaks_swedish_with_an_indicator(app):
    app.query_params["kieli"] = "sv"
    app.query_params["mittari"] = f"ind:{SICKNESS.key}"
    at = app.run()
    assert not at.exception
    assert at.selectbox(key="metric").format_func(f"ind:{SICKNESS.key}").startswith("Indikator: ")
    assert "Tidpunkt: 2022" in specs(at)[0]["title"]["subtitle"]
    assert t("geo.attribution", "sv") in specs(at)[0]["title"]["subtitle"]  # the credit too
    assert "Källa: " in captions(at)


# --- the area page's section ------------------------------------------------------------------


def _section(area_code: str, lang: str) -> None:
    from ui import area_indicators

    area_indicators.indicators_section(area_code, lang, example=True)


def _stored_indicators(area_code: str) -> int:
    """How many indicators have an area-level value for the area (the example data's own two, the
    grants' population and spent share, and any a test imported): one row each."""
    from sotedata.store.engine import Store
    from sotedata.views import indicators as iv

    with Store.open(os.environ["SOTE_DATABASE_URL"]) as store:
        values = iv.load_indicator_frames(store).values
    mine = values[(values["level"] == "area") & (values["area_code"] == area_code)]
    return mine["indicator_key"].nunique()


def _run_section(area_code: str, lang: str = "fi") -> AppTest:
    return AppTest.from_function(_section, args=(area_code, lang), default_timeout=TIMEOUT).run()


def test_area_section_lists_value_median_rank_trend_and_source(env):
    at = _run_section("21")
    assert not at.exception
    assert at.header[0].value == "Indikaattorit"
    labels = [m.label for m in at.metric]
    shown = _stored_indicators("21")
    assert labels.count("Mediaani (22 aluetta)") == shown and "Arvo 2022" in labels
    ranks = [m.value for m in at.metric if m.label == "Sija (1 = suurin arvo)"]
    assert len(ranks) == shown and all(re.fullmatch(r"\d+\./22", r) for r in ranks)
    sparks = specs(at)
    assert len(sparks) == shown
    years = ["2019", "2020", "2021", "2022"]  # the two Sotkanet-style example indicators' years
    assert sum(s["layer"][0]["encoding"]["x"]["sort"] == years for s in sparks) == 2
    assert captions(at).count(SOURCE) == 2
    # the municipal indicators of the area: offline, a table of Lappi's 21 municipalities
    at.selectbox(key="indicator-municipal-21").set_value(SOCIAL_ASSISTANCE.key).run()
    assert t("indicators.no_boundaries", "fi") in captions(at)
    table = at.dataframe[-1].value
    assert len(table) == 21 and set(table.iloc[:, 2]) == {"Lappi"}


def test_area_section_with_only_municipal_rows_says_so(env):
    at = _run_section("16")  # Etelä-Pohjanmaa: Alajärvi has the municipal-only indicator
    assert not at.exception
    assert "Kuntaluku: vain kuntatason arvoja" in captions(at)
    choice = at.selectbox(key="indicator-municipal-16")
    assert set(choice.options) == {TOWNS.name, SOCIAL_ASSISTANCE.name}
    choice.set_value(TOWNS.key).run()
    assert at.dataframe[-1].value.iloc[:, 1].tolist() == ["Alajärvi"]


def test_area_section_in_english(env):
    at = _run_section("90", "en")
    assert not at.exception
    assert at.header[0].value == "Indicators"
    ranks = [m.value for m in at.metric if m.label == "Rank (1 = highest value)"]
    assert len(ranks) == _stored_indicators("90")
    assert all(re.fullmatch(r"\d+ of 22", r) for r in ranks)


@pytest.mark.skipif(SHARED is None, reason="../shared/geo (reference boundaries) absent")
def test_area_section_draws_the_areas_municipality_map_with_boundaries(env):
    env.setenv("SOTE_MUNICIPALITY_BOUNDARY_FILE", str(SHARED / "kunta4500k.geojson"))
    at = _run_section("21")
    at.selectbox(key="indicator-municipal-21").set_value(SOCIAL_ASSISTANCE.key).run()
    assert not at.exception
    maps = [s for s in specs(at) if "kunnat, Lappi" in str(s.get("title"))]
    assert len(maps) == 1
    features = maps[0]["data"]["values"]
    assert len(features) == 21 and all(f["value"] is not None for f in features)
    assert legend_titles(maps[0]) == [f"{SOCIAL_ASSISTANCE.name} (%)"]
    assert t("indicators.no_boundaries", "fi") not in captions(at)
    assert len(at.dataframe[-1].value) == 21  # the same values as a table beside the map
