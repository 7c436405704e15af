"""The domain values: statuses, the roadmap's frame as data, and what a report may contain."""

from datetime import date, timedelta

import pytest

from sotedata.domain.model import (
    HIGH_RISK_SCORE,
    MEASURE_COLUMNS,
    STARTED,
    Measure,
    RiskRating,
    Roadmap,
    Status,
    StatusReport,
    default_phases,
    default_roadmap,
    default_work_streams,
)


def test_started_is_in_progress_delayed_or_done_and_done_is_started():
    assert frozenset({Status.IN_PROGRESS, Status.DELAYED, Status.DONE}) == STARTED
    assert Status.DONE in STARTED
    assert Status.NOT_STARTED not in STARTED and Status.NOT_APPLICABLE not in STARTED


def test_status_values_are_the_stable_slugs():
    assert [s.value for s in Status] == [
        "not_started",
        "in_progress",
        "done",
        "delayed",
        "not_applicable",
    ]
    assert Status("done") is Status.DONE and Status.DONE == "done"


def test_status_labels_are_finnish():
    assert [s.label() for s in Status] == [
        "Ei aloitettu",
        "Käynnissä",
        "Valmis",
        "Viivästynyt",
        "Ei koske",
    ]


def test_three_phases_cover_2020_to_the_transfer_without_gaps():
    phases = default_phases()
    assert [p.number for p in phases] == [1, 2, 3]
    assert (phases[0].start, phases[0].end) == (date(2020, 1, 1), date(2020, 12, 7))
    assert (phases[1].start, phases[1].end) == (date(2020, 12, 8), date(2021, 6, 22))
    assert (phases[2].start, phases[2].end) == (date(2021, 6, 23), date(2022, 12, 31))
    for before, after in zip(phases, phases[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)


def test_phase_names_are_messages():
    assert [p.name() for p in default_phases()] == [
        "1. Ennen hallituksen esitystä",
        "2. Hallituksen esityksen jälkeen",
        "3. Lakien hyväksymisen jälkeen",
    ]


def test_five_default_work_streams_with_names_in_three_languages():
    streams = default_work_streams()
    assert [w.key for w in streams] == ["hallinto", "johtaminen", "palvelut", "yhdyspinnat", "ict"]
    assert streams[0].name() == "Hallinto, talous ja tukipalvelut"
    assert streams[1].name("sv") == "Ledning och kompetens"
    assert streams[2].name("en") == "Organisation of services"
    assert streams[3].name("de") == "Yhdyspinnat"  # unknown language: Finnish


def test_measures_frame_has_the_documented_columns_in_roadmap_order():
    roadmap = default_roadmap(
        [
            Measure("H-01", "Hallintosääntö", 3, "hallinto", True, date(2022, 3, 31)),
            Measure("I-01", "Tietoliikenne", 2, "ict", False, None),
        ]
    )
    frame = roadmap.measures_frame()
    assert list(frame.columns) == MEASURE_COLUMNS
    assert frame["measure_id"].tolist() == ["H-01", "I-01"]
    assert frame["critical"].tolist() == [True, False]
    assert frame["deadline"].tolist() == [date(2022, 3, 31), None]
    assert default_roadmap().measures_frame().columns.tolist() == MEASURE_COLUMNS


@pytest.mark.parametrize(
    "measure",
    [
        Measure("X-01", "x", 4, "ict", False, None),
        Measure("X-01", "x", 1, "sote", False, None),
    ],
)
def test_roadmap_refuses_a_measure_outside_its_phases_or_work_streams(measure):
    with pytest.raises(ValueError):
        default_roadmap([measure])


def test_roadmap_refuses_a_measure_id_twice():
    measure = Measure("X-01", "x", 1, "ict", False, None)
    with pytest.raises(ValueError, match="twice"):
        Roadmap(default_phases(), default_work_streams(), (measure, measure))


def test_status_report_accepts_the_slug_and_refuses_anything_else():
    report = StatusReport("21", "H-01", "delayed", date(2022, 1, 15))
    assert report.status is Status.DELAYED
    with pytest.raises(ValueError):
        StatusReport("21", "H-01", "valmis", date(2022, 1, 15))


def test_risk_score_is_likelihood_times_impact_and_15_is_high():
    risk = RiskRating("21", "R1", "Rahoitus", "Talous", 3, 5, None, None, date(2022, 1, 15))
    assert risk.score == 15 == HIGH_RISK_SCORE and risk.high
    lower = RiskRating("21", "R1", "Rahoitus", "Talous", 3, 4, None, None, date(2022, 1, 15))
    assert lower.score == 12 and not lower.high  # 12 is the highest score below 15


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (3, 6)])
def test_risk_ratings_outside_1_to_5_are_refused(likelihood, impact):
    with pytest.raises(ValueError):
        RiskRating(None, "R1", "t", "Talous", likelihood, impact, None, None, date(2022, 1, 15))
