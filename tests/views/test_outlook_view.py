"""The outlook read from the store (``views.outlook``): the per-date snapshots give what the
whole history gives, the JSON's shape, the metrics and the area chart's projection."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.rules import metrics
from sotedata.rules.metric_spec import MetricContext
from sotedata.store.engine import Store
from sotedata.views import outlook as view_module
from sotedata.views.outlook import (
    build_outlook,
    outlook_from_frames,
    outlook_json,
    projection_series,
)

AS_OF = date(2022, 6, 15)


@pytest.fixture(scope="module")
def both(demo_db_url):
    with Store.open(demo_db_url) as store:
        snapshot = build_outlook(store, AS_OF)
        frames = metrics.load_frames(store)
        whole = outlook_from_frames(frames, store.reporting_dates(), AS_OF, store.grants())
    return snapshot, whole


def test_the_snapshots_give_what_the_whole_history_gives(both):
    snapshot, whole = both
    pd.testing.assert_frame_equal(snapshot.table, whole.table)
    assert outlook_json(snapshot) == outlook_json(whole)


def test_the_json_has_the_documented_shape(both):
    result = outlook_json(both[0], "en")
    assert list(result) == ["as_of", "roadmap_end", "areas"]
    assert result["as_of"] == "2022-06-15" and result["roadmap_end"] == "2022-12-31"
    assert len(result["areas"]) == 22
    area = result["areas"][0]
    assert list(area) == [
        "code", "name", "applicable", "done", "pace_per_month", "needed_pace_per_month",
        "projected_done_on", "projected_critical_done_on", "band_days", "status",
        "support_rank", "reasons",
    ]  # fmt: skip
    assert sorted(a["support_rank"] for a in result["areas"]) == list(range(1, 23))
    for entry in result["areas"]:
        assert entry["status"] in ("done", "on_track", "at_risk", "off_track")
        assert entry["reasons"], entry["code"]
        assert set(entry["reasons"][0]) == {"code", "message", "value"}


def test_the_metrics_read_the_store_and_need_one(demo_db_url):
    frames = metrics.Frames(pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    assert view_module.projected_days(MetricContext(frames, AS_OF)).empty
    with Store.open(demo_db_url) as store:
        context = MetricContext(frames, AS_OF, store=store)
        days = view_module.projected_days(context)
        need = view_module.support_need_values(context)
        view = build_outlook(store, AS_OF)
    table = view.outlook.table.set_index("code")
    assert days.to_dict() == pytest.approx(table["days_after_end"].astype(float).to_dict())
    assert need.idxmax() == view.support.table.set_index("code")["rank"].idxmin()


def test_the_projection_runs_from_the_as_of_date_to_the_roadmap_end(both):
    view = both[0]
    row = view.table.set_index("code").loc["03"]
    series = projection_series(view, "03")
    assert series["day"].iloc[0] == AS_OF and series["day"].iloc[-1] == date(2022, 12, 31)
    assert series["value"].iloc[0] == pytest.approx(row["done"] / row["applicable"])
    assert (series["low"] <= series["value"]).all() and (series["value"] <= series["high"]).all()
    assert projection_series(view, "91").empty


def test_the_table_is_the_same_from_the_history_and_from_the_snapshots(demo_db_url):
    from sotedata.views.query import TableQuery
    from sotedata.views.tables import build_table, sources_from_store, with_table_data

    query = TableQuery(table="outlook", as_of=AS_OF, areas=("21", "03"))
    with Store.open(demo_db_url) as store:
        whole = build_table(query, with_table_data(sources_from_store(store), store, "outlook"))
        page = sources_from_store(store)
        page = view_module.with_outlook_data(page, store, query)
        dated = build_table(query, page, "sv")
    assert whole.title == "Ennuste ja tuen tarve" and dated.title == "Prognos och stödbehov"
    assert list(whole.frame["area_code"]) == ["03", "21"]  # most need first
    assert whole.frame.drop(columns=["area", "outlook_status", "reasons"]).equals(
        dated.frame.drop(columns=["area", "outlook_status", "reasons"])
    )
    assert whole.headers()[:4] == ["Sija", "Aluekoodi", "Alue", "Ennuste"]


def test_the_progress_chart_draws_the_projection_dashed_in_its_band(both):
    from sotedata.charts.progress import progress_lines

    series = pd.DataFrame(
        {"day": [date(2022, 5, 15), AS_OF], "series": ["area", "area"], "value": [0.6, 0.65]}
    )
    projection = projection_series(both[0], "03")
    spec = progress_lines(series, area_label="Länsi-Uusimaa", projection=projection).to_dict()
    marks = [layer["mark"] for layer in spec["layer"]]
    assert marks[0]["type"] == "area" and marks[1]["strokeDash"] == [8, 5]
    plain = progress_lines(series, area_label="Länsi-Uusimaa").to_dict()
    assert len(plain["layer"]) == len(spec["layer"]) - 3


def test_the_area_figures_say_the_pace_and_the_dates(both):
    figures = dict(view_module.area_figures(both[0], "03", "en"))
    row = both[0].table.set_index("code").loc["03"]
    assert figures["Pace now / pace needed"].endswith("a month")
    assert figures["Projected: all done"].endswith(f"± {int(row['band_days'])} days")
    assert figures["Outlook"] in ("On track", "At risk", "Off track")
