"""The example data: the same every time, the documented size, and a picture worth looking at."""

from collections import Counter, defaultdict
from datetime import date

import pytest

from sotedata.demo.generator import REPORTING_DATES, build_demo
from sotedata.domain.areas import ALAND_CODE, HELSINKI_CODE, REFORM_CODES
from sotedata.domain.model import HIGH_RISK_SCORE, Status
from sotedata.rules import metrics


@pytest.fixture(scope="module")
def demo():
    return build_demo()


@pytest.fixture(scope="module")
def frames(demo_db_url):
    from sotedata.store.engine import Store

    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store)


def test_two_builds_with_the_same_seed_are_equal_and_another_seed_differs(demo):
    assert build_demo() == demo
    assert build_demo(seed=7).status_reports != demo.status_reports


def test_roadmap_size_phases_streams_and_critical_share(demo):
    measures = demo.roadmap.measures
    assert len(measures) >= 150
    assert {m.phase for m in measures} == {1, 2, 3}
    assert {m.work_stream for m in measures} == {w.key for w in demo.roadmap.work_streams}
    assert len(demo.roadmap.work_streams) == 5
    assert 0.25 <= sum(m.critical for m in measures) / len(measures) <= 0.40
    assert len({m.id for m in measures}) == len(measures)
    assert len({m.name for m in measures}) == len(measures)


def test_deadlines_fall_inside_their_phase(demo):
    phases = {p.number: p for p in demo.roadmap.phases}
    with_deadline = [m for m in demo.roadmap.measures if m.deadline is not None]
    assert len(with_deadline) >= 0.9 * len(demo.roadmap.measures)
    for measure in with_deadline:
        assert phases[measure.phase].contains(measure.deadline), measure


def test_measure_ids_carry_the_work_stream(demo):
    prefixes = {"hallinto": "H", "johtaminen": "J", "palvelut": "P", "yhdyspinnat": "Y", "ict": "I"}
    for measure in demo.roadmap.measures:
        assert measure.id.startswith(prefixes[measure.work_stream] + "-")


def test_twelve_monthly_reports_from_all_22_areas_for_every_measure(demo):
    assert demo.reporting_dates == REPORTING_DATES
    assert len(REPORTING_DATES) == 12
    assert all(day.day == 15 and day.year == 2022 for day in REPORTING_DATES)
    areas = {r.area_code for r in demo.status_reports}
    assert areas == set(REFORM_CODES) and ALAND_CODE not in areas
    assert len(demo.status_reports) == 22 * 12 * len(demo.roadmap.measures)


def test_every_area_has_a_few_not_applicable_measures_and_helsinki_no_elections(frames):
    statuses = metrics.status_as_of(frames.measures, frames.reports, REPORTING_DATES[-1])
    not_applicable = statuses[statuses["status"] == Status.NOT_APPLICABLE]
    per_area = not_applicable.groupby("area_code").size()
    assert set(per_area.index) == set(REFORM_CODES)
    assert per_area.max() <= 10
    names = dict(zip(frames.measures["measure_id"], frames.measures["name"], strict=True))
    in_helsinki = not_applicable[not_applicable["area_code"] == HELSINKI_CODE]
    helsinki = {names[m] for m in in_helsinki["measure_id"]}
    assert "Aluevaalien järjestelyt" in helsinki


def test_progress_varies_between_areas_at_the_last_date(frames):
    table = metrics.area_metrics(frames.measures, frames.reports, frames.risks, REPORTING_DATES[-1])
    assert table["done_share"].max() - table["done_share"].min() >= 0.2
    assert table["overdue"].max() > 0 and table["overdue"].min() == 0
    assert table["delayed"].sum() > 0


def test_progress_grows_month_by_month(frames):
    medians = [
        metrics.national_medians(
            metrics.area_metrics(frames.measures, frames.reports, frames.risks, day)
        )["done_share"]
        for day in REPORTING_DATES
    ]
    assert medians == sorted(medians)
    assert medians[0] < 0.75 and medians[-1] > 0.85


def test_measures_rarely_go_backwards(demo):
    order = {Status.NOT_STARTED: 0, Status.IN_PROGRESS: 1, Status.DELAYED: 1, Status.DONE: 2}
    history = defaultdict(list)
    for report in demo.status_reports:
        if report.status in order:
            history[(report.area_code, report.measure_id)].append(order[report.status])
    steps = [
        (a, b) for levels in history.values() for a, b in zip(levels, levels[1:], strict=False)
    ]
    backwards = sum(b < a for a, b in steps)
    assert 0 < backwards < 0.005 * len(steps)


def test_every_status_occurs(demo):
    assert set(Counter(r.status for r in demo.status_reports)) == set(Status)


def test_risks_per_area_themes_high_ones_national_ones_and_re_ratings(demo):
    ratings = demo.risk_ratings
    per_area = defaultdict(set)
    for rating in ratings:
        per_area[rating.area_code].add(rating.risk_id)
    assert all(6 <= len(per_area[code]) <= 12 for code in REFORM_CODES)
    assert len(per_area[None]) >= 3
    themes = {r.theme for r in ratings}
    assert themes == {"Talous", "Henkilöstö", "ICT", "Palvelut", "Johtaminen", "Yhdyspinnat",
                      "Lainsäädäntö"}  # fmt: skip
    assert any(r.score >= HIGH_RISK_SCORE for r in ratings)
    scores = defaultdict(set)
    for rating in ratings:
        scores[(rating.area_code, rating.risk_id)].add(rating.score)
    assert sum(len(s) > 1 for s in scores.values()) >= 20  # re-rated with a new score
    assert {r.reported_on for r in ratings} <= set(REPORTING_DATES)


def test_no_date_depends_on_today(demo):
    days = {r.reported_on for r in demo.status_reports} | {r.reported_on for r in demo.risk_ratings}
    assert max(days) <= date(2022, 12, 31)


def test_loaded_demo_is_marked_as_example_data(demo_store):
    assert demo_store.is_example()
    assert "Esimerkkiaineisto" in demo_store.dataset()["description"]
    assert set(demo_store.imports()["source"]) == {"demo"}


def test_loaded_demo_has_grants_notes_and_indicators_but_no_file_in_the_history(demo_store):
    """The example grants, notes and indicators are stored like the rest of the example data:
    named "demo" and without a file digest, so the upload history (files only) stays empty."""
    assert len(demo_store.grants()) > 0 and len(demo_store.notes()) > 0
    assert len(demo_store.indicator_values()) > 0
    imports = demo_store.imports()
    assert imports["sha256"].isna().all()
