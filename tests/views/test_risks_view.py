"""The risks page's figures and charts on a handful of risks checked by hand.

=====  ====  ==========  ==================================  ==========================
area   id    theme       ratings (likelihood × impact)        on 15.3. (as of)
=====  ====  ==========  ==================================  ==========================
01     A1    Talous      15.1. 3×5=15, 15.3. 2×5=10           10, no longer high
01     A2    ICT         15.2. 4×4=16                          16 high
02     B1    Talous      15.1. 5×5=25                          25 high
02     B2    Talous      15.1. 1×2=2                           2
21     C1    Henkilöstö  15.4. 5×5=25 (after the as-of date)   not yet rated
–      N1    Talous      15.1. 4×4=16 (national)               16 high, national only
=====  ====  ==========  ==================================  ==========================
"""

import json
import math
from datetime import date

import pandas as pd
import pytest

from sotedata.charts import risks as risk_charts
from sotedata.domain import areas
from sotedata.domain.model import RiskRating, default_roadmap
from sotedata.rules import metrics
from sotedata.views import risks as risks_view

D = date
JAN, FEB, MAR, APR = D(2022, 1, 15), D(2022, 2, 15), D(2022, 3, 15), D(2022, 4, 15)


def _risks(rows) -> pd.DataFrame:
    frame = pd.DataFrame([RiskRating(*row).__dict__ for row in rows])
    frame["score"] = frame["likelihood"] * frame["impact"]
    return frame


RISKS = _risks(
    [
        ("01", "A1", "Rahoitus", "Talous", 3, 5, "Sopeutus", "Talousjohtaja", JAN),
        ("02", "B1", "Tilat", "Talous", 5, 5, None, None, JAN),
        ("02", "B2", "Vuokrat", "Talous", 1, 2, None, None, JAN),
        (None, "N1", "Lait", "Talous", 4, 4, "Ohjaus", "STM", JAN),
        ("01", "A2", "Järjestelmät", "ICT", 4, 4, None, None, FEB),
        ("01", "A1", "Rahoitus", "Talous", 2, 5, "Sopeutus", "Talousjohtaja", MAR),
        ("21", "C1", "Henkilöstö", "Henkilöstö", 5, 5, None, None, APR),
    ]
)
FRAMES = metrics.Frames(default_roadmap().measures_frame(), pd.DataFrame(), RISKS)


# --- URL parameters ---------------------------------------------------------------------------


def test_params_read_themes_and_areas_by_name_or_code():
    params, issues = risks_view.params_from_query(
        {"teema": "talous,ICT", "alue": "Lappi,02", "pvm": "2022-03-15"}, ["ICT", "Talous"]
    )
    assert not issues
    assert params == risks_view.RisksParams(("Talous", "ICT"), ("02", "21"), MAR)
    assert params.to_query() == {"teema": "Talous,ICT", "alue": "02,21", "pvm": "2022-03-15"}


def test_unknown_theme_area_or_date_is_dropped_with_a_warning():
    params, issues = risks_view.params_from_query(
        {"teema": "Talous,Sää", "alue": "Atlantis,91", "pvm": "eilen"}, ["Talous"]
    )
    assert params == risks_view.RisksParams(("Talous",), (), None)
    assert [(i.params["name"], i.params["value"]) for i in issues] == [
        ("teema", "Sää"),
        ("alue", "Atlantis"),
        ("alue", "91"),  # Åland is outside the reform
        ("pvm", "eilen"),
    ]
    assert all(i.severity == "warning" for i in issues)


def test_default_view_has_an_empty_query():
    assert risks_view.RisksParams().to_query() == {}


# --- figures ----------------------------------------------------------------------------------


def test_latest_rating_counts_and_later_ratings_wait():
    latest = risks_view.latest_ratings(RISKS, MAR).set_index("risk_id")
    assert sorted(latest.index) == ["A1", "A2", "B1", "B2", "N1"]  # C1 is rated after 15.3.
    assert latest.loc["A1", "score"] == 10 and not latest.loc["A1", "high"]
    assert latest.loc["A2", "high"]
    assert latest.loc["N1", "area_code"] is None


def test_themes_are_the_data_s_own_alphabetically():
    assert risks_view.themes_of(RISKS) == ["Henkilöstö", "ICT", "Talous"]
    assert risks_view.themes_of(RISKS.iloc[0:0]) == []


def test_heatmap_has_every_area_theme_pair_with_the_highest_score():
    latest = risks_view.latest_ratings(RISKS, MAR)
    table = risks_view.heatmap_table(latest, ["ICT", "Talous"], ["01", "02", "21"])
    cells = {(r.code, r.theme): r for r in table.itertuples()}
    assert len(cells) == 6
    assert cells[("01", "Talous")].max_score == 10
    assert cells[("01", "ICT")].max_score == 16 and cells[("01", "ICT")].high == 1
    assert cells[("02", "Talous")].max_score == 25  # the higher of 25 and 2
    assert cells[("02", "Talous")].risks == 2
    assert math.isnan(cells[("21", "Talous")].max_score)  # no risk: empty, not zero
    assert cells[("21", "Talous")].label == "–"
    assert cells[("02", "Talous")].label == "25"
    # the national Talous risk (16) is no area's cell
    assert all(code in {"01", "02", "21"} for code in table["code"])


def test_high_risks_of_areas_only_sorted_and_filtered():
    latest = risks_view.latest_ratings(RISKS, MAR)
    everything = risks_view.high_risks(latest, [], list(areas.REFORM_CODES))
    assert list(everything["risk_id"]) == ["B1", "A2"]  # 25, 16; N1 is national
    assert list(risks_view.high_risks(latest, ["ICT"], list(areas.REFORM_CODES))["risk_id"]) == [
        "A2"
    ]
    assert list(risks_view.high_risks(latest, [], ["02"])["risk_id"]) == ["B1"]


def test_national_risks_have_their_own_table():
    latest = risks_view.latest_ratings(RISKS, MAR)
    assert list(risks_view.national_risks(latest, [])["risk_id"]) == ["N1"]
    assert risks_view.national_risks(latest, ["ICT"]).empty


def test_high_counts_over_time_follow_each_date_s_latest_rating():
    counts = risks_view.high_counts_over_time(
        RISKS, [MAR, JAN, FEB, APR], [], list(areas.REFORM_CODES)
    )
    assert list(counts["reported_on"]) == [JAN, FEB, MAR, APR]
    # Jan: A1 15, B1 25; Feb: + A2 16; Mar: A1 down to 10; Apr: + C1 25
    assert list(counts["high_risks"]) == [2, 3, 2, 3]
    assert list(counts["areas_with_high"]) == [2, 2, 2, 3]
    only_01 = risks_view.high_counts_over_time(RISKS, [JAN, FEB, MAR], [], ["01"])
    assert list(only_01["high_risks"]) == [1, 2, 1]


def test_no_risks_at_all():
    empty = RISKS.iloc[0:0]
    latest = risks_view.latest_ratings(empty, MAR)
    assert latest.empty
    assert risks_view.high_counts_over_time(empty, [JAN], [], ["01"])["high_risks"].tolist() == [0]


# --- the view and its charts ------------------------------------------------------------------


@pytest.fixture
def view():
    params = risks_view.RisksParams(as_of=MAR)
    return risks_view.build_risks_view(
        FRAMES, params, reporting_dates=[JAN, FEB, MAR, APR], example=True, lang="fi"
    )


def test_view_sentences_say_the_counts(view):
    assert view.high_summary.startswith("2 korkeaa riskiä (vähintään 15 pistettä) 2 alueella")
    assert "kansallisia korkeita riskejä 1" in view.high_summary
    assert view.heatmap_summary.startswith("Korkein pistemäärä on 25: Keski-Uusimaa / Talous.")
    assert "15.1.2022 2 kpl ja 15.3.2022 2 kpl; eniten 15.2.2022 (3 kpl)" in view.trend_summary
    assert list(view.trend["reported_on"]) == [JAN, FEB, MAR]  # not past the as-of date


def test_heatmap_spec_has_rects_with_the_scores_written_in(view):
    spec = view.heatmap_chart.to_dict()
    layers = spec["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rect", "rect", "text"]
    assert layers[2]["encoding"]["text"]["field"] == "label"
    colour = layers[1]["encoding"]["color"]
    assert colour["field"] == "max_score"
    assert colour["scale"]["domain"] == risk_charts.SCORE_DOMAIN
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Tilanne 15.3.2022" in subtitle and "Esimerkkiaineisto" in subtitle
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 22 * 3  # every area × theme
    high = [v for v in values if v["max_score"] == 25]
    assert all(v["ink"] == "#ffffff" for v in high)  # white text on the dark high cells


def test_trend_spec_is_a_line_with_points_and_counts(view):
    spec = view.trend_chart.to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["line", "point", "text"]
    assert spec["layer"][2]["encoding"]["text"]["field"] == "high_risks"
    values = next(iter(spec["datasets"].values()))
    assert [v["high_risks"] for v in values] == [2, 3, 2]
    assert json.dumps(spec).count("%-d.%-m.%Y") >= 1  # Finnish dates on the axis


def test_a_theme_filter_narrows_every_part(view):
    params = risks_view.RisksParams(themes=("ICT",), as_of=MAR)
    narrowed = risks_view.build_risks_view(
        FRAMES, params, reporting_dates=[JAN, FEB, MAR], example=False, lang="fi"
    )
    assert narrowed.themes == ["ICT"]
    assert len(narrowed.heatmap) == 22
    assert list(narrowed.high["risk_id"]) == ["A2"]
    assert narrowed.national.empty
    assert "Esimerkkiaineisto" not in json.dumps(narrowed.heatmap_chart.to_dict()["title"])


def test_risk_rows_are_finnish_and_sortable_numbers():
    latest = risks_view.latest_ratings(RISKS, MAR)
    rows = risks_view.risk_rows(risks_view.high_risks(latest, [], ["01", "02"]), "fi")
    assert list(rows.columns[:4]) == ["Alue", "Riski", "Teema", "Pisteet"]
    assert rows["Pisteet"].tolist() == [25, 16]
    assert rows["Alue"].tolist() == ["Keski-Uusimaa", "Itä-Uusimaa"]
    national = risks_view.risk_rows(risks_view.national_risks(latest, []), "fi", with_area=False)
    assert "Alue" not in national.columns


@pytest.mark.parametrize("name", ["heatmap_chart", "trend_chart"])
def test_charts_compile_and_render(view, name):
    """Vega-Lite itself accepts the spec (a layer sharing a colour scale with a literal colour
    compiled to nothing in the browser, with no error on the page)."""
    import vl_convert

    spec = getattr(view, name).to_dict()
    if spec.get("width") == "container":
        spec["width"] = 600
    svg = vl_convert.vegalite_to_svg(spec)
    assert "<svg" in svg
    if name == "heatmap_chart":
        assert ">25<" in svg and ">Talous<" in svg  # a score and a theme written into the image


def test_a_risk_without_a_theme_gets_a_named_column():
    blank = _risks(
        [
            ("05", "X1", "Ilman teemaa", "", 5, 4, None, None, JAN),
            ("06", "X2", "Ei teemaa tässäkään", None, 1, 1, None, None, JAN),
        ]
    )
    risks = pd.concat([RISKS, blank], ignore_index=True)
    assert risks_view.themes_of(risks) == ["Ei teemaa", "Henkilöstö", "ICT", "Talous"]
    latest = risks_view.latest_ratings(risks, MAR)
    table = risks_view.heatmap_table(latest, ["Ei teemaa"], ["05", "06"])
    assert table["max_score"].tolist() == [20, 1]
