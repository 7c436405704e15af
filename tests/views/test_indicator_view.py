"""Indicator figures: which value counts, the median of the 22 areas, ranks with ties and their
direction, missing values, an indicator with only municipal rows, and the national view's URL."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.demo.generator import SOCIAL_ASSISTANCE
from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL, VALUE_COLUMNS
from sotedata.geo.chain import tile_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views import indicators as iv
from sotedata.views.national import NationalParams, build_national_view, params_from_query

WORK_STREAMS = ["hallinto", "johtaminen", "palvelut", "yhdyspinnat", "ict"]


def _row(key, level, region, area, period, value, start=None, end=None):
    year = int(period[-4:])
    return {
        "indicator_key": key,
        "level": level,
        "region_code": region,
        "area_code": area,
        "period": period,
        "period_start": start or date(int(period[:4]), 1, 1),
        "period_end": end or date(year, 12, 31),
        "value": value,
    }


def _frames(rows, metas):
    indicators = pd.DataFrame(
        [
            {"key": k, "name": n, "unit": u, "source": s, "licence": lic}
            for k, n, u, s, lic in metas
        ],
        columns=["key", "name", "unit", "source", "licence"],
    )
    return iv.IndicatorFrames(indicators, iv.current_values(pd.DataFrame(rows)))


SICK = ("sotkanet:245", "Sairastavuusindeksi", "indeksi", "THL (Sotkanet)", "CC BY 4.0")
TOWN = ("file:kunta-vain", "Kuntaluku", "‰", None, None)


@pytest.fixture
def frames():
    """Sickness index for 2020 and 2021: Lappi (21) and Kainuu (20) tie at the top in 2021,
    Helsinki (90) is missing ("..") in 2021; a second indicator has municipal rows only."""
    rows = []
    for i, code in enumerate(REFORM_CODES):
        rows.append(_row(SICK[0], AREA_LEVEL, code, code, "2020", 80.0 + i))
        value = {"21": 130.0, "20": 130.0, "90": None}.get(code, 90.0 + i)
        rows.append(_row(SICK[0], AREA_LEVEL, code, code, "2021", value))
    rows.append(_row(TOWN[0], MUNICIPALITY_LEVEL, "5", "16", "2021", 12.5))  # Alajärvi, no zeros
    rows.append(_row(TOWN[0], MUNICIPALITY_LEVEL, "698", "21", "2021", 10.0))  # Rovaniemi
    rows.append(_row(TOWN[0], MUNICIPALITY_LEVEL, "698", "21", "2018-2020", 9.0))
    return _frames(rows, [SICK, TOWN])


def test_the_newest_import_of_a_region_and_period_counts():
    rows = [
        _row(SICK[0], AREA_LEVEL, "21", "21", "2021", 100.0),
        _row(SICK[0], AREA_LEVEL, "21", "21", "2021", 101.5),  # a later import of the same cell
        _row(SICK[0], AREA_LEVEL, "20", "20", "2021", 99.0),
    ]
    found = _frames(rows, [SICK])
    values = iv.area_values(found, SICK[0], "2021")
    assert values.set_index("code").loc["21", "value"] == 101.5
    assert len(found.values) == 2


def test_median_of_the_22_areas_skips_missing_values(frames):
    values = iv.area_values(frames, SICK[0], "2021", "fi")
    assert len(values) == 22 and values["value"].isna().sum() == 1
    known = sorted(v for v in values["value"] if not pd.isna(v))
    assert len(known) == 21
    assert iv.median(values["value"]) == known[10]  # the 11th of 21, not counting Helsinki as 0
    assert iv.median(pd.Series([None, None], dtype=float)) is None


def test_rank_one_is_the_highest_value_and_ties_share_the_best_rank(frames):
    values = iv.area_values(frames, SICK[0], "2021", "fi").set_index("code")
    assert values.loc["21", "rank"] == 1 and values.loc["20", "rank"] == 1
    below = values.drop(index=["21", "20", "90"])
    assert below["rank"].min() == 3  # competition ranking: 1, 1, 3
    assert pd.isna(values.loc["90", "rank"])  # missing values have no rank
    assert iv.ranks(pd.Series([5.0, 7.0, 7.0, None])).tolist()[:3] == [3.0, 1.0, 1.0]


def test_area_indicator_states_the_rank_with_its_direction_and_the_trend(frames):
    items = {item.meta.key: item for item in iv.area_indicators(frames, "21", "fi")}
    sick = items[SICK[0]]
    assert sick.period == "2021" and sick.value == 130.0
    assert sick.rank == 1 and sick.ranked == 21
    assert iv.rank_text(sick, "fi") == "1./21 (1 = suurin arvo)"
    assert iv.rank_text(sick, "en") == "1 of 21 (1 = highest value)"
    assert sick.trend["period"].tolist() == ["2020", "2021"]
    assert sick.trend["value"].tolist() == [80.0 + REFORM_CODES.index("21"), 130.0]
    assert sick.source == "Lähde: THL (Sotkanet), CC BY 4.0"
    sentence = iv.area_sentence(sick, "Lappi", "fi")
    assert "Lappi 130" in sentence and "mediaani" in sentence and "1 = suurin arvo" in sentence


def test_an_area_missing_the_latest_value_shows_its_last_known_one(frames):
    helsinki = next(i for i in iv.area_indicators(frames, "90", "fi") if i.meta.key == SICK[0])
    assert helsinki.period == "2020"
    assert helsinki.value == 80.0 + REFORM_CODES.index("90")
    assert pd.isna(helsinki.trend["value"].iloc[-1])  # the missing 2021 stays missing, not 0


def test_an_indicator_with_only_municipal_rows_says_so(frames):
    assert iv.map_level(frames, TOWN[0]) == MUNICIPALITY_LEVEL
    assert iv.periods(frames, TOWN[0], AREA_LEVEL) == []
    lappi = next(i for i in iv.area_indicators(frames, "21", "fi") if i.meta.key == TOWN[0])
    assert lappi.period is None and lappi.municipal_period is not None and lappi.rank is None
    assert lappi.municipal_period == "2021"
    assert lappi.municipal["code"].tolist() == ["698"]
    assert "vain kuntatason" in iv.area_sentence(lappi, "Lappi", "fi")
    # an area with no municipal row of it leaves the indicator out
    assert TOWN[0] not in {i.meta.key for i in iv.area_indicators(frames, "01", "fi")}


def test_municipal_codes_keep_their_leading_zeros(frames):
    values = iv.municipality_values(frames, TOWN[0], "2021", "fi")
    assert values["code"].tolist() == ["005", "698"]
    assert values.set_index("code").loc["005", "name"] == "Alajärvi"
    assert values.set_index("code").loc["005", "label"] == "12,5\u00a0‰"
    only_lappi = iv.municipality_values(frames, TOWN[0], "2021", "fi", area_code="21")
    assert only_lappi["code"].tolist() == ["698"]


def test_periods_run_in_time_order_spans_by_their_end(frames):
    assert iv.periods(frames, TOWN[0], MUNICIPALITY_LEVEL) == ["2018-2020", "2021"]
    assert iv.periods(frames, SICK[0]) == ["2020", "2021"]


def test_labels_source_lines_and_decimals():
    meta = iv.IndicatorFrames(
        pd.DataFrame([dict(zip(["key", "name", "unit", "source", "licence"], SICK, strict=True))]),
        iv.current_values(pd.DataFrame(columns=VALUE_COLUMNS, dtype=object)),
    ).meta(SICK[0])
    assert iv.metric_label(meta, "fi") == "Indikaattori: Sairastavuusindeksi (indeksi)"
    assert iv.legend_title(meta, "fi") == "Sairastavuusindeksi (indeksi)"
    assert iv.source_line(meta, "sv") == "Källa: THL (Sotkanet), CC BY 4.0"
    assert iv.decimals_for([12.0, 13.0]) == 0
    assert iv.decimals_for([12.25, 13.0]) == 2
    assert iv.format_value(1234.5, 1, "fi", "‰") == "1\u00a0234,5\u00a0‰"
    assert iv.format_value(None, 1, "fi") == "–"


def test_summary_sentence_names_highest_lowest_and_median(frames):
    meta = frames.meta(SICK[0])
    values = iv.area_values(frames, SICK[0], "2020", "fi")
    text = iv.summary_sentence(values, meta, "2020", "fi")
    assert text.startswith("Sairastavuusindeksi, 2020: suurin arvo Helsinki (101)")
    assert "pienin Itä-Uusimaa (80)" in text and "mediaani" in text and "22 aluetta" in text


# --- the national view's URL and figures ------------------------------------------------------


def test_indicator_and_period_round_trip_through_the_url():
    params = NationalParams(indicator="sotkanet:245", period="2018-2020", view="ruudut")
    query = params.to_query()
    assert query["mittari"] == "ind:sotkanet:245" and query["kausi"] == "2018-2020"
    restored, issues = params_from_query(query, WORK_STREAMS, ["sotkanet:245"])
    assert restored == params and not issues


def test_an_unknown_indicator_or_a_period_without_one_warns():
    params, issues = params_from_query(
        {"mittari": "ind:nothing", "kausi": "2021"}, WORK_STREAMS, ["sotkanet:245"]
    )
    assert params == NationalParams()
    assert sorted(i.params["name"] for i in issues) == ["kausi", "mittari"]


@pytest.fixture(scope="module")
def demo(demo_db_url):
    with Store.open(demo_db_url) as store:
        yield metrics.load_frames(store), iv.load_indicator_frames(store), store.reporting_dates()


def test_national_view_shows_the_indicator_of_the_chosen_period(demo):
    frames, found, dates = demo
    params = NationalParams(indicator=SOCIAL_ASSISTANCE.key, period="2020", view="ruudut")
    view = build_national_view(
        frames, tile_boundaries(), params, reporting_dates=dates, example=True, lang="fi",
        indicator_frames=found,
    )  # fmt: skip
    assert view.indicator is not None and view.indicator.period == "2020"
    assert view.indicator.periods == ["2019", "2020", "2021", "2022"]
    assert view.indicator.municipal_period == "2020"
    assert view.metric_label == "Indikaattori: Toimeentulotukea saaneet henkilöt, % asukkaista (%)"
    expected = iv.area_values(found, SOCIAL_ASSISTANCE.key, "2020", "fi")
    assert view.values["value"].tolist() == expected["value"].tolist()
    spec = view.map_chart.to_dict()
    assert "rect" in str(spec["layer"][0]["mark"])  # the tile map, with the indicator's legend
    assert spec["layer"][0]["encoding"]["color"]["legend"]["title"].endswith("(%)")
    assert view.bar_chart is not None and not view.issues


def test_a_period_the_indicator_lacks_warns_and_falls_back_to_the_latest(demo):
    frames, found, dates = demo
    params = NationalParams(indicator=SOCIAL_ASSISTANCE.key, period="1999")
    view = build_national_view(
        frames, tile_boundaries(), params, reporting_dates=dates, example=True, lang="fi",
        indicator_frames=found,
    )  # fmt: skip
    assert view.indicator.period == "2022"
    assert [i.params["name"] for i in view.issues] == ["kausi"]
    assert "kausi" not in view.params.to_query()


def test_demo_indicators_cover_every_area_and_year_and_one_has_municipal_rows():
    from collections import Counter

    from sotedata.demo.generator import INDICATOR_YEARS, SICKNESS, build_demo
    from sotedata.domain import municipalities

    demo = build_demo()
    assert build_demo().indicator_values == demo.indicator_values  # deterministic
    assert {i.key for i in demo.indicators} == {SICKNESS.key, SOCIAL_ASSISTANCE.key}
    assert all("ei THL:n lukuja" in i.source for i in demo.indicators)  # marked as invented
    area_rows = Counter(
        (v.indicator, v.region_code) for v in demo.indicator_values if v.level == AREA_LEVEL
    )
    assert set(area_rows.values()) == {len(INDICATOR_YEARS)} and len(area_rows) == 2 * 22
    missing = [v for v in demo.indicator_values if v.value is None]
    assert [(v.indicator, v.region_code, v.period.text) for v in missing] == [
        (SICKNESS.key, "90", "2019")
    ]
    towns = {v.region_code for v in demo.indicator_values if v.level == MUNICIPALITY_LEVEL}
    reform_towns = {m.code for m in municipalities.all_municipalities() if m.area_code != "91"}
    assert towns == reform_towns
    assert {v.indicator for v in demo.indicator_values if v.level == MUNICIPALITY_LEVEL} == {
        SOCIAL_ASSISTANCE.key
    }
