"""The area page's tables on a small hand-made history (two areas, five measures, two dates)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from sotedata.domain.i18n import t
from sotedata.domain.model import (
    Measure,
    RiskRating,
    Status,
    StatusReport,
    default_phases,
    default_roadmap,
)
from sotedata.rules import metrics
from sotedata.rules.changes import default_since
from sotedata.rules.progress import PROGRESS_STATUSES
from sotedata.views import area as av
from sotedata.views import area_progress as ap
from sotedata.views import area_risks as ar
from sotedata.views.changes import resolve_comparison
from tests.support.area_view import build_area_view

#: the risk frame's columns as Store.risk_ratings() gives them (the ones the area page reads)
RISK_FRAME_COLUMNS = [
    "area_code", "risk_id", "title", "theme", "likelihood", "impact", "score", "mitigation",
    "owner", "reported_on",
]  # fmt: skip
D1 = date(2021, 2, 15)
D2 = date(2021, 4, 15)
LAPPI = "21"
OTHER = "01"

MEASURES = [
    Measure("M1", "Hallintosääntö", 1, "hallinto", True, date(2021, 1, 31)),
    Measure("M2", "Talousarvio", 1, "ict", False, date(2021, 3, 31)),
    Measure("M3", "Palvelustrategia", 2, "hallinto", True, date(2021, 6, 30)),
    Measure("M4", "Jatkuva viestintä", 2, "ict", False, None),
    Measure("M5", "Asiakastietojärjestelmä", 3, "hallinto", False, date(2021, 3, 31)),
]
REPORTS = [
    StatusReport(LAPPI, "M1", "in_progress", D1),
    StatusReport(LAPPI, "M2", "done", D1),
    StatusReport(LAPPI, "M1", "delayed", D2, "Odottaa ICT-toimittajaa"),
    StatusReport(LAPPI, "M3", "in_progress", D2),
    StatusReport(LAPPI, "M5", "not_applicable", D2, "Ei koske aluetta"),
    StatusReport(OTHER, "M1", "done", D1),
    StatusReport(OTHER, "M2", "done", D2),
    StatusReport(OTHER, "M3", "done", D2),
]


def _risk(area, risk_id, likelihood, impact, day, title=None):
    return RiskRating(
        area, risk_id, title or f"Riski {risk_id}", "Talous", likelihood, impact, "Seuranta",
        "Talousjohtaja", day,
    )  # fmt: skip


RISKS = [
    _risk(LAPPI, "R1", 2, 3, D1),
    _risk(LAPPI, "R1", 4, 4, D2),  # rose: 6 → 16
    _risk(LAPPI, "R2", 1, 2, D2),  # new since D1
    _risk(LAPPI, "R3", 3, 3, D1),
    _risk(LAPPI, "R3", 2, 3, D2),  # fell: 9 → 6
    _risk(LAPPI, "R4", 2, 2, D1),  # not re-rated: unchanged
    _risk(None, "N1", 5, 5, D2),  # national: never Lappi's
    _risk(OTHER, "R9", 5, 5, D2),
]


def hand_made_frames() -> metrics.Frames:
    roadmap = default_roadmap(MEASURES)
    reports = pd.DataFrame(
        [(r.area_code, r.measure_id, r.status.value, r.reported_on, r.comment) for r in REPORTS],
        columns=["area_code", "measure_id", "status", "reported_on", "comment"],
    )
    risks = pd.DataFrame(
        [
            (r.area_code, r.risk_id, r.title, r.theme, r.likelihood, r.impact, r.score,
             r.mitigation, r.owner, r.reported_on)
            for r in RISKS
        ],
        columns=RISK_FRAME_COLUMNS,
    )  # fmt: skip
    return metrics.Frames(
        measures=roadmap.measures_frame(),
        reports=reports,
        risks=risks,
        phases=roadmap.phases,
        work_streams=roadmap.work_streams,
    )


@pytest.fixture
def frames() -> metrics.Frames:
    return hand_made_frames()


@pytest.fixture
def table(frames) -> pd.DataFrame:
    return av.area_measures(frames, LAPPI, D2, lang="fi")


# --- comparison date ---------------------------------------------------------------------------

DATES = [date(2022, 1, 15), date(2022, 2, 15), date(2022, 3, 15)]


def test_default_comparison_is_the_previous_reporting_date():
    assert default_since(DATES, date(2022, 3, 15)) == date(2022, 2, 15)
    # an as-of date between reporting dates compares with the last one before it
    assert default_since(DATES, date(2022, 3, 1)) == date(2022, 2, 15)
    assert default_since(DATES, date(2022, 1, 15)) is None


def test_comparison_dates_are_the_earlier_ones_newest_first():
    assert av.comparison_dates(DATES + DATES, date(2022, 3, 15)) == [
        date(2022, 2, 15),
        date(2022, 1, 15),
    ]


def test_requested_comparison_is_taken_only_before_the_as_of_date():
    as_of = date(2022, 3, 15)
    assert resolve_comparison(date(2022, 1, 20), DATES, as_of) == (date(2022, 1, 20), True)
    assert resolve_comparison(as_of, DATES, as_of) == (date(2022, 2, 15), False)
    assert resolve_comparison(date(2023, 1, 1), DATES, as_of) == (date(2022, 2, 15), False)
    assert resolve_comparison(None, DATES, as_of) == (date(2022, 2, 15), True)


# --- measures table ----------------------------------------------------------------------------


def test_area_measures_have_status_overdue_and_flag(table):
    rows = table.set_index("measure_id")
    assert list(table["measure_id"]) == ["M1", "M2", "M3", "M4", "M5"]
    assert rows.loc["M1", "status"] == "delayed"
    assert rows.loc["M1", "comment"] == "Odottaa ICT-toimittajaa"
    assert rows.loc["M4", "status"] == "not_started"  # never reported
    assert rows.loc["M4", "reported_on"] is None
    # overdue: applicable, deadline before the day, not done
    assert rows["overdue"].to_dict() == {
        "M1": True,
        "M2": False,  # done
        "M3": False,  # deadline later
        "M4": False,  # no deadline
        "M5": False,  # not applicable
    }
    assert rows.loc["M1", "flag"] == t("area.flag.overdue_critical", "fi")
    assert rows.loc["M2", "flag"] == ""
    assert rows.loc["M1", "status_label"] == t("status.delayed", "fi")
    assert rows.loc["M1", "work_stream_label"] == "Hallinto, talous ja tukipalvelut"
    assert rows.loc["M3", "phase_label"] == t("phase.2", "fi")


def test_overdue_is_applicable_not_done_and_past_its_deadline():
    status = pd.Series(
        [Status.IN_PROGRESS.value, Status.DONE.value, Status.NOT_APPLICABLE.value]
        + [Status.NOT_STARTED.value, Status.DELAYED.value]
    )
    deadline = pd.Series([date(2021, 1, 1)] * 3 + [None, D2])  # no deadline; due on the day
    assert metrics.is_overdue(status, deadline, D2).tolist() == [True, False, False, False, False]


def test_flag_texts_mark_overdue_and_delayed_critical():
    assert av.measure_flag(True, False, "in_progress", "fi") == t("area.flag.overdue", "fi")
    assert av.measure_flag(False, True, "delayed", "fi") == t("area.flag.delayed_critical", "fi")
    assert av.measure_flag(False, False, "delayed", "fi") == ""
    assert all("⚠" in t(k, "fi") for k in ("area.flag.overdue", "area.flag.delayed_critical"))


def test_measures_count_overdue_like_the_metrics(frames, table):
    figures = metrics.area_metrics(frames.measures, frames.reports, frames.risks, D2)
    lappi = figures.set_index("code").loc[LAPPI]
    assert int(table["overdue"].sum()) == lappi["overdue"] == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["M1", "M2", "M3", "M4", "M5"]),
        ({"phase": 2}, ["M3", "M4"]),
        ({"work_stream": "ict"}, ["M2", "M4"]),
        ({"statuses": ["delayed", "done"]}, ["M1", "M2"]),
        ({"statuses": []}, ["M1", "M2", "M3", "M4", "M5"]),  # empty multiselect: no filter
        ({"critical_only": True}, ["M1", "M3"]),
        ({"overdue_only": True}, ["M1"]),
        ({"text": "STRATEGIA"}, ["M3"]),
        ({"text": "m5"}, ["M5"]),  # the id
        ({"text": "ict-toimittajaa"}, ["M1"]),  # the comment
        ({"text": "ei aluetta"}, ["M5"]),  # every word, in any order
        ({"text": "ei ict"}, []),
        ({"phase": 1, "critical_only": True}, ["M1"]),
        ({"phase": 3, "work_stream": "ict"}, []),
    ],
)
def test_filter_area_measures(table, filters, expected):
    assert list(av.filter_area_measures(table, **filters)["measure_id"]) == expected


def test_flagged_rows_come_first_in_roadmap_order(table):
    ordered = av.order_for_attention(table)
    assert list(ordered["measure_id"]) == ["M1", "M2", "M3", "M4", "M5"]
    second = table.assign(flag=["", "x", "", "y", ""])
    assert list(av.order_for_attention(second)["measure_id"]) == ["M2", "M4", "M1", "M3", "M5"]


# --- progress bars -----------------------------------------------------------------------------


def test_progress_counts_leave_not_applicable_out(table):
    counts = ap.progress_counts(table, "phase", order=[1, 2, 3], labels=["V1", "V2", "V3"])
    assert set(counts["status"]) == set(PROGRESS_STATUSES)
    wide = counts.pivot(index="key", columns="status", values="count")
    assert wide.loc[1].to_dict() == {"done": 1, "in_progress": 0, "delayed": 1, "not_started": 0}
    assert wide.loc[2].to_dict() == {"done": 0, "in_progress": 1, "delayed": 0, "not_started": 1}
    totals = counts.drop_duplicates("key").set_index("key")["total"]
    assert totals.to_dict() == {1: 2, 2: 2, 3: 0}  # M5 is not applicable: phase 3 has none
    assert counts[counts["key"] == 3]["share"].isna().all()
    shares = counts[counts["key"] == 1].set_index("status")["share"]
    assert shares["done"] == pytest.approx(0.5) and shares.sum() == pytest.approx(1.0)
    assert counts.set_index(["key", "status"]).loc[(1, "done"), "label"] == "V1"


def test_progress_by_work_stream_and_its_table(table):
    counts = ap.progress_counts(
        table, "work_stream", order=["hallinto", "ict"], labels=["Hallinto", "ICT"]
    )
    summary = ap.progress_summary(counts, "fi")
    assert list(summary[t("area.col.group", "fi")]) == ["Hallinto", "ICT"]
    assert list(summary[t("area.col.applicable", "fi")]) == [2, 2]
    assert list(summary[t("area.col.done_share", "fi")]) == ["0\u00a0%", "50\u00a0%"]


# --- timeline ----------------------------------------------------------------------------------


def test_key_dates_of_the_default_roadmap():
    days = ap.key_dates(default_phases(), "fi")
    assert [d.day for d in days] == [date(2020, 12, 8), date(2021, 6, 23), date(2023, 1, 1)]
    assert days[0].date_text == "8.12.2020"
    assert days[2].label.startswith("1.1.2023 ") and days[2].name


def test_phase_ranges_end_after_their_last_day():
    ranges = ap.phase_ranges(default_phases(), "fi").set_index("phase")
    assert ranges.loc[3, "start"] == "2021-06-23" and ranges.loc[3, "end"] == "2023-01-01"
    assert ranges.loc[1, "range_text"] == "1.1.2020–7.12.2020"


def test_timeline_points_stack_measures_sharing_a_deadline(frames, table):
    same_day = table.assign(deadline=[date(2021, 1, 31)] * 4 + [None], phase=[1, 1, 1, 2, 3])
    points = ap.timeline_points(same_day, "fi").set_index("measure_id")
    assert list(points.index) == ["M1", "M2", "M3", "M4"]  # no deadline: not on the line
    assert points["slot"].to_dict() == {"M1": 0, "M2": 1, "M3": 2, "M4": 0}
    assert points.loc["M1", "deadline_text"] == "31.1.2021"


# --- risks -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "current", "arrow"),
    [(6, 16, "↑"), (9, 6, "↓"), (4, 4, "→"), (None, 2, "uusi"), (float("nan"), 2, "uusi")],
)
def test_trend_arrow(previous, current, arrow):
    assert ar.trend_arrow(previous, current, "fi") == arrow


def test_risk_register_has_trends_since_the_comparison_date(frames):
    register = ar.risk_register(frames.risks, LAPPI, D2, D1, "fi")
    assert list(register["risk_id"]) == ["R1", "R3", "R4", "R2"]  # score high to low
    rows = register.set_index("risk_id")
    assert rows["score"].to_dict() == {"R1": 16, "R3": 6, "R4": 4, "R2": 2}
    assert rows["trend"].to_dict() == {"R1": "↑", "R3": "↓", "R4": "→", "R2": "uusi"}
    assert rows.loc["R1", "previous_score"] == 6 and pd.isna(rows.loc["R2", "previous_score"])
    assert "N1" not in rows.index and "R9" not in rows.index


def test_risk_register_without_comparison_calls_every_risk_new(frames):
    register = ar.risk_register(frames.risks, LAPPI, D2, None, "fi")
    assert set(register["trend"]) == {"uusi"}


def test_risk_register_of_an_area_without_risks_is_empty(frames):
    assert ar.risk_register(frames.risks, "05", D2, D1).empty
    assert ar.risk_register(frames.risks.iloc[0:0], LAPPI, D2, D1).empty


def test_risk_matrix_counts_fill_all_25_cells(frames):
    register = ar.risk_register(frames.risks, LAPPI, D2, D1)
    cells = ar.risk_matrix_counts(register)
    assert len(cells) == 25 and cells["count"].sum() == 4
    counted = cells[cells["count"] > 0].set_index(["likelihood", "impact"])["count"].to_dict()
    assert counted == {(4, 4): 1, (2, 3): 1, (2, 2): 1, (1, 2): 1}
    cell = cells.set_index(["likelihood", "impact"])
    assert cell.loc[(5, 3), "score"] == 15 and cell.loc[(5, 3), "band"] == "high"
    assert cell.loc[(2, 2), "band"] == "low" and cell.loc[(3, 3), "band"] == "moderate"
    assert cell.loc[(2, 5), "band"] == "considerable"
    empty = ar.risk_matrix_counts(ar.risk_register(frames.risks, "05", D2, D1))
    assert len(empty) == 25 and empty["count"].sum() == 0


def test_risks_in_cell(frames):
    register = ar.risk_register(frames.risks, LAPPI, D2, D1)
    assert list(ar.risks_in_cell(register, 4, 4)["risk_id"]) == ["R1"]
    assert ar.risks_in_cell(register, 5, 5).empty
    assert len(ar.risks_in_cell(register, None, None)) == 4


# --- progress over time ------------------------------------------------------------------------


def test_progress_series_area_median_and_plan(frames):
    series = ap.progress_series(frames, LAPPI, [D2, D1, D1])
    values = series.pivot(index="day", columns="series", values="value")
    assert list(values.index) == [D1, D2]
    # D1: 1 of 5 done; the plan: M1's deadline (31.1.) passed, 1 of 5
    assert values.loc[D1, "area"] == pytest.approx(0.2)
    assert values.loc[D1, "plan"] == pytest.approx(0.2)
    # D2: M5 left the denominator; done M2 = 1 of 4; deadlines passed M1 and M2 = 2 of 4
    assert values.loc[D2, "area"] == pytest.approx(0.25)
    assert values.loc[D2, "plan"] == pytest.approx(0.5)
    # 20 of the 22 areas have reported nothing: the median is theirs
    assert values.loc[D1, "median"] == 0.0 and values.loc[D2, "median"] == 0.0


def test_plan_counts_a_deadline_on_the_day_as_not_yet_passed(frames):
    day = date(2021, 3, 31)  # M2's deadline
    plan = ap.progress_series(frames, LAPPI, [day]).set_index("series").loc["plan", "value"]
    assert plan == pytest.approx(1 / 5)


def test_progress_sentence(frames):
    series = ap.progress_series(frames, LAPPI, [D1, D2])
    sentence = ap.progress_sentence(series, "Lappi", "fi")
    assert sentence.startswith("15.4.2021: Lappi 25\u00a0% valmiina")
    assert "mediaani 0\u00a0%" in sentence and "50\u00a0%" in sentence
    assert ap.progress_sentence(series.iloc[0:0], "Lappi", "fi") == t("area.progress.empty", "fi")


# --- key figures -------------------------------------------------------------------------------


def test_key_figures_show_the_change_since_the_comparison_date(frames):
    view = build_area_view(frames, LAPPI, D2, since=D1, lang="fi")
    figures = {f.metric: f for f in view.figures}
    # done share 1/5 → 1/4: +5 points; overdue 1 → 1: ±0
    assert figures["done_share"].change_text == "+5 %-yks."
    assert figures["done_share"].change_sign == 1
    assert figures["overdue"].change_text == "±0" and figures["overdue"].change_sign == 0
    # high risks 0 → 1 (R1 rose to 16)
    assert figures["high_risks"].change_text == "+1"
    assert view.figures_since["done_share"] == pytest.approx(0.2)
    assert view.since == D1


def test_key_figures_without_comparison_have_no_change(frames):
    view = build_area_view(frames, LAPPI, D2, lang="fi")
    assert all(f.change_text is None for f in view.figures)
    assert view.figures_since == {}


def test_status_history_keeps_the_report_loaded_last_on_a_tie(frames):
    extra = pd.DataFrame(
        [
            (LAPPI, "M4", "done", D2, None),
            (LAPPI, "M4", "in_progress", D2, "korjattu"),  # same day, loaded later: wins
        ],
        columns=frames.reports.columns,
    )
    tied = metrics.Frames(
        frames.measures, pd.concat([frames.reports, extra], ignore_index=True), frames.risks
    )
    history = ap.status_history(tied, [D1, D2], [LAPPI])
    m4 = history[history["measure_id"] == "M4"].set_index("day")["status"]
    assert m4[pd.Timestamp(D1)] == "not_started" and m4[pd.Timestamp(D2)] == "in_progress"
    expected = metrics.status_as_of(tied.measures, tied.reports, D2, [LAPPI])
    on_d2 = history[history["day"] == pd.Timestamp(D2)].set_index("measure_id")["status"]
    assert on_d2.to_dict() == expected.set_index("measure_id")["status"].to_dict()


def test_progress_series_agrees_with_the_metrics_on_the_example_data(demo_store):
    loaded = metrics.load_frames(demo_store)
    days = demo_store.reporting_dates()[::4]
    series = ap.progress_series(loaded, "21", days)
    values = series.pivot(index="day", columns="series", values="value")
    for day in days:
        table = metrics.area_metrics(loaded.measures, loaded.reports, loaded.risks, day)
        lappi = table.set_index("code").loc["21"]
        assert values.loc[day, "area"] == pytest.approx(lappi["done_share"])
        assert values.loc[day, "median"] == pytest.approx(
            metrics.national_medians(table)["done_share"]
        )
        assert 0 < values.loc[day, "plan"] <= 1


def test_chart_sentences_for_screen_readers(table):
    sentence = ap.timeline_sentence(table, D2, "fi")
    # 4 applicable (M5 is not), 1 done (M2), 1 overdue (M1), 1 without deadline (M4)
    assert sentence == t(
        "area.timeline.sentence", "fi", date="15.4.2021", measures="4", done="1", overdue="1",
        undated="1",
    )  # fmt: skip
    counts = ap.progress_counts(table, "phase", order=[1, 2], labels=["V1", "V2"])
    groups = ap.progress_sentence_by_group(counts, "fi")
    assert groups.startswith("V1: 1/2 valmiina (50\u00a0%), 1 viivästynyttä; V2: 0/2")


def test_area_page_bundle_is_cacheable_and_consistent(frames):
    import json
    import pickle

    from sotedata.views.area_page import build_area_page

    page = build_area_page(frames, LAPPI, D2, D1, [D1, D2], lang="fi")
    again = pickle.loads(pickle.dumps(page))  # st.cache_data pickles it
    assert again.figures == page.figures and again.measures.equals(page.measures)
    for spec in (page.timeline, page.phase_bars, page.stream_bars, page.risk_matrix):
        json.dumps(spec)  # plain Vega-Lite, sent as is
    assert page.risk_cells["count"].sum() == len(page.risks) == 4
    assert list(page.progress["day"].unique()) == [D1, D2]
    assert page.timeline_sentence == ap.timeline_sentence(page.measures, D2, "fi")
    # no risks and no reporting date yet: no matrix and no lines, the page says so instead
    empty = build_area_page(frames, "05", D1, None, [], lang="fi")
    assert empty.risk_matrix is None and empty.progress_lines is None
    assert empty.progress_sentence == t("area.progress.empty", "fi")


def test_swedish_area_messages_cover_the_finnish_ones():
    """(tests/domain/test_catalogs.py checks every catalog; this one keeps the area page's own
    words.)"""
    from sotedata.domain.i18n import catalog

    fi = {k: v for k, v in catalog("fi").items() if k.startswith("area.")}
    sv = catalog("sv")
    assert fi and set(fi) <= set(sv)
    for key, text in fi.items():  # the same placeholders in both languages
        assert sorted(re.findall(r"{(\w+)}", sv[key])) == sorted(re.findall(r"{(\w+)}", text))
    assert ar.trend_arrow(None, 4, "sv") == "ny"


def test_a_closed_risk_leaves_the_register_and_the_matrix(frames):
    risks = frames.risks.assign(closed=False)
    closing = risks[risks["risk_id"] == "R4"].assign(reported_on=D2, closed=True)
    risks = pd.concat([risks, closing], ignore_index=True)
    now = ar.risk_register(risks, LAPPI, D2, D1, "fi")
    assert "R4" not in set(now["risk_id"]) and len(now) == 3
    assert ar.risk_matrix_counts(now)["count"].sum() == 3
    assert "R4" in set(ar.risk_register(risks, LAPPI, D1, None, "fi")["risk_id"])
