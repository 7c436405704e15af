"""The national view as data: URL parameters round-trip, bad ones warn, figures are the metrics."""

from datetime import date

import pandas as pd
import pytest

from sotedata.geo.chain import tile_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.national import (
    NationalParams,
    build_national_view,
    params_from_query,
    summary_sentence,
)
from sotedata.views.national_map import small_area_markers

WORK_STREAMS = ["hallinto", "johtaminen", "palvelut", "yhdyspinnat", "ict"]


@pytest.mark.parametrize(
    "params",
    [
        NationalParams(),
        NationalParams(metric="overdue", phase=3, work_stream="ict", critical_only=True),
        NationalParams(as_of=date(2022, 6, 15), view="ruudut"),
    ],
)
def test_params_round_trip_through_the_url(params):
    restored, issues = params_from_query(params.to_query(), WORK_STREAMS)
    assert restored == params and not issues


def test_default_view_has_a_bare_url():
    assert NationalParams().to_query() == {}


def test_bad_url_values_are_dropped_with_warnings():
    params, issues = params_from_query(
        {"mittari": "x", "vaihe": "7", "ryhma": "?", "pvm": "31.2.2022", "nakyma": "3d"},
        WORK_STREAMS,
    )
    assert params == NationalParams()
    assert sorted(i.params["name"] for i in issues) == [
        "mittari",
        "nakyma",
        "pvm",
        "ryhma",
        "vaihe",
    ]
    assert all(i.severity == "warning" for i in issues)


def test_summary_sentence_names_highest_and_lowest():
    values = pd.DataFrame(
        {
            "short": ["Lappi", "Kainuu", "Helsinki"],
            "value": [3.0, 0.0, 9.0],
            "label": ["3", "0", "9"],
        }
    )
    text = summary_sentence(values, 3.0, "count", "Myöhässä olevat", "fi")
    assert text == "Myöhässä olevat: mediaani 3. Korkein Helsinki (9), matalin Kainuu (0)."


def test_small_areas_get_a_marker_inside_them():
    feature = {
        "code": "90",
        "geometry": {"type": "Polygon", "coordinates": [[[24, 60], [24, 61], [25, 61], [24, 60]]]},
    }
    markers = small_area_markers([feature])
    assert markers["code"].tolist() == ["90"]
    assert 24 < markers["lon"][0] < 25 and 60 < markers["lat"][0] < 61


@pytest.fixture(scope="module")
def demo_frames(demo_db_url):
    with Store.open(demo_db_url) as store:
        frames, dates = metrics.load_frames(store), store.reporting_dates()
    return frames, dates


def test_view_values_are_the_metrics_of_the_chosen_filters(demo_frames):
    frames, dates = demo_frames
    params = NationalParams(metric="started_share", phase=2, as_of=dates[3])
    view = build_national_view(
        frames, tile_boundaries(), params, reporting_dates=dates, example=True
    )
    expected = metrics.area_metrics(
        frames.measures, frames.reports, frames.risks, dates[3], phase=2
    )
    assert view.as_of == dates[3]
    assert view.values["value"].tolist() == pytest.approx(expected["started_share"].tolist())
    assert view.median == pytest.approx(expected["started_share"].median())
    assert len(view.values) == 22 and "91" not in set(view.values["code"])


def test_latest_reporting_date_is_the_default(demo_frames):
    frames, dates = demo_frames
    view = build_national_view(
        frames, tile_boundaries(), NationalParams(), reporting_dates=dates, example=True
    )
    assert view.as_of == max(dates)
