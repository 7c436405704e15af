"""The comparison's view (``views.compare``): which areas a link asks for, and their figures,
phases, risks and progress on the same scales, each from the area page's own figures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.domain import areas
from sotedata.domain.i18n import t
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views import area as av
from sotedata.views import area_progress as ap
from sotedata.views import compare as cv

LAST = date(2022, 12, 15)


@pytest.fixture(scope="module")
def demo(demo_db_url):
    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store), store.reporting_dates()


@pytest.fixture(scope="module")
def three(demo):
    frames, dates = demo
    return cv.build_comparison(frames, ["21", "12", "08"], LAST, dates, lang="fi")


def test_codes_names_and_old_codes_read_with_the_one_grammar():
    ask, issues = cv.compare_from_query({"vertaa": "21, Etelä-Savo,08", "pvm": "2022-06-15"})
    assert ask == cv.CompareAsk(codes=("21", "12", "08"), as_of=date(2022, 6, 15))
    assert issues == []


def test_a_code_that_names_nothing_is_a_warning_not_an_error():
    ask, issues = cv.compare_from_query({"vertaa": "21,99,12"})
    assert ask.codes == ("21", "12")
    assert [(i.code, i.severity, i.params["value"]) for i in issues] == [
        ("invalid_parameter", "warning", "99")
    ]


def test_more_than_four_keep_the_first_four_and_say_which_went():
    ask, issues = cv.compare_from_query({"vertaa": "01,02,03,04,05,06"})
    assert ask.codes == ("01", "02", "03", "04")
    (issue,) = issues
    assert issue.code == "compare_too_many" and issue.severity == "warning"
    assert issue.params["count"] == 6 and issue.params["most"] == 4
    dropped = [areas.get(code).short_fi for code in ("05", "06")]
    assert issue.params["dropped"] == ", ".join(dropped)
    assert all(name in issue.message("fi") for name in dropped)
    assert "{" not in issue.message("sv") and "{" not in issue.message("en")


def test_the_comparison_is_asked_for_even_when_empty():
    assert cv.is_comparison({"vertaa": ""})
    assert not cv.is_comparison({"alue": "21"})
    assert cv.compare_value(["21", "12"]) == "21,12"


def test_one_area_is_not_enough_and_four_are():
    assert not cv.enough(["21"])
    assert cv.enough(["21", "12"]) and cv.enough(["21", "12", "08", "19"])
    assert not cv.enough(["21", "12", "08", "19", "01"])


def test_key_figures_are_the_area_pages_beside_the_median(demo, three):
    frames, _dates = demo
    table = three.figures
    assert list(table.columns) == [
        "Tunnusluku",
        "Lappi",
        "Etelä-Savo",
        "Pirkanmaa",
        "Koko maan mediaani",
    ]
    figures, _ = av.key_figures(frames, "08", LAST, lang="fi")
    for row, figure in zip(table.to_dict("records"), figures, strict=True):
        assert row["Tunnusluku"] == figure.label
        assert row["Pirkanmaa"] == f"{figure.value_text} ({figure.delta_text})"
        assert row["Koko maan mediaani"] == figure.median_text


def test_phase_progress_is_each_areas_own_counts(demo, three):
    frames, _dates = demo
    own = three.phases[three.phases["area_code"] == "21"]
    table = av.area_measures(frames, "21", LAST, lang="fi")
    expected = ap.progress_counts(table, "phase", order=[1, 2, 3], labels=["a", "b", "c"])
    assert own["count"].tolist() == expected["count"].tolist()
    assert set(three.phase_table.columns) == {"Vaihe", "Lappi", "Etelä-Savo", "Pirkanmaa"}
    assert all("valmiina" in cell for cell in three.phase_table["Lappi"])


def test_every_chart_has_one_scale_for_all_areas(three):
    bars = three.phase_chart
    assert bars["spec"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert bars["resolve"]["scale"] == {"x": "shared", "y": "shared"}
    matrices = three.risk_chart
    assert matrices["resolve"]["scale"]["color"] == "shared"
    colour = matrices["spec"]["layer"][0]["encoding"]["color"]["scale"]
    assert colour["domain"] == [1, 25]
    lines = three.progress_chart
    assert lines["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]


def test_risk_profiles_have_every_cell_for_every_area(three):
    assert len(three.risks) == 25 * 3
    assert three.risk_sentence.count(";") == 2
    assert three.risk_sentence.startswith("Lappi: ")


def test_progress_has_each_area_and_one_median(demo, three):
    frames, dates = demo
    series = set(three.progress["series"])
    assert series == {"21", "12", "08", "median"}
    lappi = ap.progress_series(frames, "21", dates)
    own = three.progress[three.progress["series"] == "21"]["value"].tolist()
    assert own == lappi[lappi["series"] == "area"]["value"].tolist()
    assert "Lappi" in three.progress_sentence and "mediaani" in three.progress_sentence


def test_an_earlier_as_of_date_leaves_later_reports_out(demo):
    frames, dates = demo
    earlier = cv.build_comparison(frames, ["21", "12"], date(2022, 6, 15), dates, lang="en")
    assert earlier.progress["day"].max() == date(2022, 6, 15)
    assert t("compare.col.median", "en") in earlier.figures.columns


def test_the_small_multiples_download_as_images_with_their_data(three):
    from sotedata.charts import image

    for spec in (three.phase_chart, three.risk_chart):
        chart = image.from_spec(spec)
        framed = image.with_caption(chart, title="x", as_of=LAST, example=True, lang="fi")
        whole = framed.to_dict(validate=False)
        facet = whole["vconcat"][0]
        assert "datasets" not in facet  # only the outermost chart may hold them
        assert len(whole["datasets"][facet["data"]["name"]]) > 0


@pytest.mark.parametrize("as_of", [LAST, date(2022, 6, 15)])
def test_the_as_of_reports_and_the_summary_give_what_the_whole_history_gives(
    demo_db_url, demo, as_of
):
    """The page builds the comparison as the area page builds its own: the as-of date's latest
    reports (``frames_on``) and the store's per-date summary, never the whole history."""
    frames, dates = demo
    codes = ["21", "12", "08"]
    whole = cv.build_comparison(frames, codes, as_of, dates, lang="fi")
    with Store.open(demo_db_url) as store:
        on_day = metrics.frames_on(store, [as_of])
        summary = store.status_summary(areas.REFORM_CODES, as_of)
    cheap = cv.build_comparison(on_day, codes, as_of, dates, lang="fi", summary=summary)
    for name, value in whole.__dict__.items():
        other = getattr(cheap, name)
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(
                value.reset_index(drop=True), other.reset_index(drop=True)
            )
        else:
            assert value == other, name
