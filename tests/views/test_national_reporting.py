"""When each area last reported (issue 18 item 3): one area's upload is not presented as
everyone's date, each area's tooltip and figures say its own date, and an area that did not
report on the as-of date carries a mark."""

import json
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from sotedata.domain.areas import REFORM_CODES
from sotedata.geo.chain import tile_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.national import NationalParams, build_national_view, figures_table
from sotedata.views.national_map import reporting_note

DEC_15, DEC_20 = date(2022, 12, 15), date(2022, 12, 20)


def last_of(mapping: dict[str, date | None]) -> pd.Series:
    return pd.Series({code: mapping.get(code, DEC_15) for code in sorted(REFORM_CODES)})


def test_one_area_reporting_later_is_named_and_the_others_keep_their_date():
    note = reporting_note(last_of({"21": DEC_20}), DEC_20, "fi")
    assert note == "Raportit: Lappi 20.12.2022, muut 15.12.2022"
    assert reporting_note(last_of({"21": DEC_20}), DEC_20, "en") == (
        "Reports: Lapland 20 Dec 2022, others 15 Dec 2022"
    )


def test_every_area_on_the_as_of_date_needs_no_note():
    assert reporting_note(last_of({}), DEC_15, "fi") is None


def test_an_as_of_date_nobody_reported_on_says_the_reports_date():
    assert reporting_note(last_of({}), date(2022, 12, 31), "fi") == ("Alueiden raportit 15.12.2022")


def test_many_late_areas_are_counted_and_never_reported_ones_said():
    late = {code: DEC_20 for code in sorted(REFORM_CODES)[:5]}
    note = reporting_note(last_of({**late, "19": None}), DEC_20, "fi")
    assert (
        note == "Raportit: 5 alueella 20.12.2022; Pohjois-Pohjanmaa ei raportteja, muut 15.12.2022"
    )


@pytest.fixture(scope="module")
def lappi_later(demo_db_url):
    """The example data with Lappi (21) alone reporting one measure again on 20.12.2022."""
    with Store.open(demo_db_url) as store:
        frames = metrics.load_frames(store)
    reports = frames.reports
    extra = reports[reports["area_code"] == "21"].tail(1).copy()
    extra["reported_on"] = DEC_20
    return replace(frames, reports=pd.concat([reports, extra], ignore_index=True))


def test_the_map_names_lappi_and_marks_the_others(lappi_later):
    dates = sorted({*pd.to_datetime(lappi_later.reports["reported_on"]).dt.date})
    view = build_national_view(
        lappi_later, tile_boundaries(), NationalParams(), reporting_dates=dates, example=True
    )
    assert view.as_of == DEC_20
    assert view.reporting_notes[0] == "Raportit: Lappi 20.12.2022, muut 15.12.2022"
    rows = view.values.set_index("code")
    assert rows.loc["21", "reported"] == "20.12.2022" and rows.loc["21", "flag"] == ""
    assert rows.loc["19", "reported"] == "15.12.2022" and rows.loc["19", "flag"] == "*"
    spec = json.loads(view.map_chart.to_json())
    assert view.reporting_notes[0] in spec["title"]["subtitle"]
    tiles = next(iter(spec["datasets"].values()))
    lappi = next(row for row in tiles if row["code"] == "21")
    assert not lappi["label"].endswith("*") and lappi["reported"] == "20.12.2022"
    assert next(row for row in tiles if row["code"] == "19")["label"].endswith("*")
    tooltip = [tip["field"] for tip in spec["layer"][0]["encoding"]["tooltip"]]
    assert "reported" in tooltip
    bars = json.loads(view.bar_chart.to_json())
    rows = next(rows for rows in bars["datasets"].values() if "shown" in rows[0])
    shown = {r["code"]: r["shown"] for r in rows}
    assert shown["19"].endswith("*") and not shown["21"].endswith("*")


def test_on_a_common_reporting_date_nothing_is_marked(lappi_later):
    view = build_national_view(
        lappi_later,
        tile_boundaries(),
        NationalParams(as_of=DEC_15),
        reporting_dates=[DEC_15, DEC_20],
        example=True,
    )
    assert view.reporting_notes == [] and not view.values["flag"].astype(bool).any()


def test_the_figures_table_says_when_each_area_last_reported(lappi_later):
    dates = [DEC_15, DEC_20]
    view = build_national_view(
        lappi_later, tile_boundaries(), NationalParams(), reporting_dates=dates, example=True
    )
    table = figures_table(view, "fi").set_index("Alue")
    assert table.loc["Lappi", "Viimeisin raportti"] == "20.12.2022"
    assert table.loc["Kainuu", "Viimeisin raportti"] == "15.12.2022"
    assert table.loc["Kainuu", view.metric_label].endswith("*")
