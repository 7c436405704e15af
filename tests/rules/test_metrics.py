"""The figures on a case small enough to compute by hand: three areas, five measures, a few risks.

As of 15.6.2022:

=====  =========  ========  ======  ==============  ============  ===========  ==================
area   M1 (p1,    M2 (p2)   M3 (p3, M4 (p3)         M5 (p3,       applicable   notes
       critical)            crit.)                  critical, no
                                                    deadline)
=====  =========  ========  ======  ==============  ============  ===========  ==================
01     done       done      delayed not applicable  in progress   4            M5 done on 15.7.
                                                                               comes too late
02     done       in prog.  none    in progress     not appl.     4            M1: two reports on
                                                    the same day, the later (done) wins
03     n/a        n/a       n/a     n/a             n/a           0            every share NaN
=====  =========  ========  ======  ==============  ============  ===========  ==================

Deadlines: M1 31.1.2021, M2 30.6.2021, M3 31.3.2022, M4 31.12.2022, M5 none.
"""

import math
from datetime import date

import pandas as pd
import pytest

from sotedata.domain.model import Measure, RiskRating, StatusReport, default_roadmap
from sotedata.rules import metrics

AREAS = ("01", "02", "03")
AS_OF = date(2022, 6, 15)
D = date

MEASURES = default_roadmap(
    [
        Measure("M1", "Valmistelun johtoryhmä", 1, "hallinto", True, D(2021, 1, 31)),
        Measure("M2", "Sopimusten kartoitus", 2, "hallinto", False, D(2021, 6, 30)),
        Measure("M3", "Tietojärjestelmät", 3, "ict", True, D(2022, 3, 31)),
        Measure("M4", "Verkkosivut", 3, "ict", False, D(2022, 12, 31)),
        Measure("M5", "Hoitotakuun seuranta", 3, "palvelut", True, None),
    ]
).measures_frame()


def _reports(rows) -> pd.DataFrame:
    reports = [StatusReport(*row) for row in rows]
    return pd.DataFrame(
        [(r.area_code, r.measure_id, str(r.status), r.reported_on, r.comment) for r in reports],
        columns=["area_code", "measure_id", "status", "reported_on", "comment"],
    )


REPORTS = _reports(
    [
        ("01", "M1", "in_progress", D(2022, 1, 15)),
        ("01", "M1", "done", D(2022, 2, 15)),
        ("01", "M2", "done", D(2022, 1, 15)),
        ("01", "M3", "in_progress", D(2022, 1, 15)),
        ("01", "M3", "delayed", D(2022, 5, 15), "Odottaa toimittajaa."),
        ("01", "M4", "not_applicable", D(2022, 1, 15)),
        ("01", "M5", "in_progress", D(2022, 3, 15)),
        ("01", "M5", "done", D(2022, 7, 15)),  # after the as-of date: ignored
        ("02", "M1", "in_progress", D(2022, 1, 15)),
        ("02", "M1", "done", D(2022, 1, 15)),  # same day, loaded later: wins
        ("02", "M2", "in_progress", D(2022, 1, 15)),
        ("02", "M4", "in_progress", D(2022, 6, 15)),  # on the as-of date: counts
        ("02", "M5", "not_applicable", D(2022, 1, 15)),
        *(("03", m, "not_applicable", D(2022, 1, 15)) for m in ("M1", "M2", "M3", "M4", "M5")),
        ("91", "M1", "done", D(2022, 1, 15)),  # Åland: never counted
    ]
)


def _risk(area, risk_id, likelihood, impact, day):
    return RiskRating(area, risk_id, "Riski", "Talous", likelihood, impact, None, None, day)


RISKS = pd.DataFrame(
    [
        {**r.__dict__, "score": r.score}
        for r in (
            _risk("01", "R1", 3, 5, D(2022, 1, 15)),  # 15: high, exactly at the threshold
            _risk("01", "R2", 4, 4, D(2022, 1, 15)),  # 16 ...
            _risk("01", "R2", 2, 2, D(2022, 4, 15)),  # ... re-rated 4: the latest wins
            _risk("01", "R3", 5, 5, D(2022, 8, 15)),  # after the as-of date: ignored
            _risk("02", "R1", 2, 5, D(2022, 3, 15)),  # 10
            _risk("02", "R2", 3, 4, D(2022, 1, 15)),  # 12 ...
            _risk("02", "R2", 4, 4, D(2022, 5, 15)),  # ... re-rated 16: high
            _risk(None, "K1", 5, 5, D(2022, 1, 15)),  # national: no area's
        )
    ]
)


def _table(**filters) -> pd.DataFrame:
    table = metrics.area_metrics(MEASURES, REPORTS, RISKS, AS_OF, areas=AREAS, **filters)
    return table.set_index("code")


def test_status_as_of_is_the_full_grid_with_the_latest_report_on_or_before_the_day():
    statuses = metrics.status_as_of(MEASURES, REPORTS, AS_OF, AREAS)
    assert list(statuses.columns) == metrics.STATUS_COLUMNS
    assert len(statuses) == 3 * 5
    status = statuses.set_index(["area_code", "measure_id"])["status"]
    assert status["01"].tolist() == ["done", "done", "delayed", "not_applicable", "in_progress"]
    assert status["02"].tolist() == [
        "done",
        "in_progress",
        "not_started",
        "in_progress",
        "not_applicable",
    ]
    row = statuses.set_index(["area_code", "measure_id"]).loc[("01", "M3")]
    assert row["reported_on"] == D(2022, 5, 15) and row["comment"] == "Odottaa toimittajaa."
    never = statuses.set_index(["area_code", "measure_id"]).loc[("02", "M3")]
    assert never["reported_on"] is None and never["status"] == "not_started"


def test_status_before_any_report_is_not_started_everywhere():
    statuses = metrics.status_as_of(MEASURES, REPORTS, D(2021, 12, 31), AREAS)
    assert set(statuses["status"]) == {"not_started"}


def test_area_counts_and_shares_by_hand():
    table = _table()
    assert table.index.tolist() == ["01", "02", "03"]
    one, two = table.loc["01"], table.loc["02"]
    assert (one["measures"], one["started"], one["done"]) == (4, 4, 2)
    assert (one["in_progress"], one["delayed"], one["not_started"]) == (1, 1, 0)
    assert one["started_share"] == 1.0 and one["done_share"] == 0.5
    assert one["critical_measures"] == 3
    assert one["critical_started_share"] == 1.0
    assert one["critical_done_share"] == pytest.approx(1 / 3)
    assert (two["measures"], two["started"], two["done"], two["not_started"]) == (4, 3, 1, 1)
    assert two["started_share"] == 0.75 and two["done_share"] == 0.25
    assert two["critical_measures"] == 2  # M5 is not applicable in 02
    assert two["critical_started_share"] == 0.5 and two["critical_done_share"] == 0.5


def test_overdue_is_applicable_past_deadline_and_not_done_whatever_the_status():
    table = _table()
    assert table.loc["01", "overdue"] == 1  # M3 (delayed); M5 has no deadline
    assert table.loc["02", "overdue"] == 2  # M2 in progress, M3 never started
    assert table.loc["03", "overdue"] == 0  # not applicable is never overdue


def test_all_measures_not_applicable_gives_nan_shares_and_zero_counts():
    row = _table().loc["03"]
    assert row["measures"] == 0 and row["started"] == 0 and row["done"] == 0
    for share in metrics.SHARE_COLUMNS:
        assert math.isnan(row[share])


def test_latest_risk_rating_counts_and_15_is_high():
    table = _table()
    assert table.loc["01", ["risks", "high_risks", "max_risk"]].tolist() == [2, 1, 15]
    assert table.loc["02", ["risks", "high_risks", "max_risk"]].tolist() == [2, 1, 16]
    assert table.loc["03", "risks"] == 0 and table.loc["03", "high_risks"] == 0
    assert math.isnan(table.loc["03", "max_risk"])


def test_risks_after_the_day_count_once_their_rating_exists():
    later = metrics.area_metrics(MEASURES, REPORTS, RISKS, D(2022, 8, 15), areas=AREAS)
    assert later.set_index("code").loc["01", ["risks", "high_risks", "max_risk"]].tolist() == [
        3,
        2,
        25,
    ]


def test_critical_only_restricts_the_measures_but_not_the_risks():
    table = _table(critical_only=True)
    assert table.loc["01", "measures"] == 3
    assert table.loc["01", "done_share"] == pytest.approx(1 / 3)
    assert table.loc["02", ["measures", "started_share", "done_share"]].tolist() == [2, 0.5, 0.5]
    assert table.loc["02", "overdue"] == 1
    assert table.loc["01", "high_risks"] == 1


def test_phase_and_work_stream_filters():
    phase3 = _table(phase=3)
    assert phase3.loc["01", ["measures", "started_share", "done_share"]].tolist() == [2, 1.0, 0.0]
    assert phase3.loc["02", ["measures", "started_share"]].tolist() == [2, 0.5]
    ict = _table(work_stream="ict")
    assert ict.loc["01", ["measures", "delayed"]].tolist() == [1, 1]
    nothing = _table(phase=1, work_stream="ict")
    assert (nothing["measures"] == 0).all() and nothing["done_share"].isna().all()


def test_columns_are_as_documented():
    assert list(_table().reset_index().columns) == metrics.AREA_COLUMNS


def test_default_areas_are_the_22_of_the_reform_in_code_order():
    table = metrics.area_metrics(MEASURES, REPORTS, RISKS, AS_OF)
    assert len(table) == 22 and "91" not in set(table["code"])
    assert table["code"].tolist() == sorted(table["code"])


def test_national_medians_skip_areas_without_a_value():
    medians = metrics.national_medians(_table().reset_index())
    assert medians["done_share"] == pytest.approx(0.375)  # median of 0.5 and 0.25
    assert medians["overdue"] == 1.0  # 1, 2, 0
    assert medians["max_risk"] == 15.5
    assert "code" not in medians


def test_metrics_menu_has_kind_direction_and_finnish_labels():
    assert list(metrics.METRICS) == [
        "done_share",
        "started_share",
        "critical_done_share",
        "critical_started_share",
        "overdue",
        "delayed",
        "high_risks",
        "max_risk",
    ]
    for spec in metrics.METRICS.values():
        assert spec["kind"] in {"share", "count"}
        assert spec["direction"] in {"higher_is_better", "lower_is_better"}
    from sotedata.domain.i18n import t

    assert t("metric.done_share") == "Valmiit toimenpiteet"
    assert t("metric.max_risk") == "Suurin riskipistemäärä (1–25)"


def test_work_stream_table_is_every_area_times_every_stream():
    table = metrics.area_workstream_table(
        MEASURES, REPORTS, AS_OF, areas=AREAS, work_streams=["hallinto", "ict", "palvelut", "ict2"]
    )
    assert list(table.columns) == ["code", "work_stream", "value", "measures"]
    assert len(table) == 3 * 4
    cell = table.set_index(["code", "work_stream"])
    assert cell.loc[("01", "hallinto")].tolist() == [1.0, 2]
    assert cell.loc[("01", "ict")].tolist() == [0.0, 1]  # M3 delayed, M4 not applicable
    assert cell.loc[("02", "ict"), "value"] == 0.0
    assert math.isnan(cell.loc[("03", "hallinto"), "value"])
    assert cell.loc[("01", "ict2"), "measures"] == 0


def test_work_stream_table_default_streams_and_other_metrics():
    table = metrics.area_workstream_table(
        MEASURES, REPORTS, AS_OF, areas=AREAS, metric="started_share", critical_only=True
    )
    assert table["work_stream"].unique().tolist() == ["hallinto", "ict", "palvelut"]
    cell = table.set_index(["code", "work_stream"])
    assert cell.loc[("02", "ict")].tolist() == [0.0, 1]
    with pytest.raises(ValueError):
        metrics.area_workstream_table(MEASURES, REPORTS, AS_OF, metric="high_risks")


def test_phase_status_counts_of_one_area():
    counts = metrics.phase_status_counts(MEASURES, REPORTS, "01", AS_OF)
    assert list(counts.columns) == ["phase", "status", "count"]
    assert len(counts) == 3 * 5  # zeros included
    nonzero = {(p, s): c for p, s, c in counts.itertuples(index=False) if c}
    assert nonzero == {
        (1, "done"): 1,
        (2, "done"): 1,
        (3, "delayed"): 1,
        (3, "not_applicable"): 1,
        (3, "in_progress"): 1,
    }


def test_change_since_gives_then_now_and_the_difference():
    change = metrics.change_since(MEASURES, REPORTS, RISKS, AS_OF, D(2022, 1, 31), areas=AREAS)
    row = change.set_index("code").loc["01"]
    # on 31.1.: M1 in progress, M2 done, M3 in progress, M4 n/a, M5 not yet reported → 1 of 4
    assert row["done_share_since"] == 0.25 and row["done_share"] == 0.5
    assert row["done_share_change"] == 0.25
    assert row["max_risk_since"] == 16 and row["max_risk_change"] == -1
    for key in metrics.METRICS:
        assert {key, f"{key}_since", f"{key}_change"} <= set(change.columns)


def test_summary_shape_and_nulls():
    frames = metrics.Frames(MEASURES, REPORTS, RISKS)
    result = metrics.summary(frames, AS_OF)
    assert set(result) == {"as_of", "areas", "national"}
    assert result["as_of"] == "2022-06-15"
    assert len(result["areas"]) == 22
    first = result["areas"][0]
    assert list(first) == list(metrics.SUMMARY_AREA_KEYS)
    assert first["code"] == "01" and first["name"] == "Itä-Uudenmaan hyvinvointialue"
    assert first["measures"] == 4 and first["done_share"] == 0.5 and first["max_risk"] == 15
    assert isinstance(first["max_risk"], int)
    third = result["areas"][2]
    assert third["measures"] == 0 and third["done_share"] is None  # NaN → null
    lapland = next(a for a in result["areas"] if a["code"] == "21")
    assert lapland["risks"] == 0 and lapland["max_risk"] is None
    assert set(result["national"]) == {"median_done_share", "median_started_share"}
