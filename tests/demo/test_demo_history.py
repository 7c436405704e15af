"""``load_demo`` builds the example grants, notes and organiser reports on the reports and risks
it has just stored instead of reading them back (``demo.history``): both ways must give the
same, or the stored example data would change."""

import pytest

from sotedata.demo import history
from sotedata.demo.examples import build_examples
from sotedata.demo.generator import DemoData, build_demo
from sotedata.demo.organisers import build_organiser_reports
from sotedata.store.engine import Store


@pytest.fixture(scope="module")
def built() -> DemoData:
    return build_demo()  # what load_demo stored in demo_store (Finnish: the texts as built)


def test_the_reports_as_built_are_the_reports_as_stored(demo_store: Store, built: DemoData):
    assert history.of_reports(built.status_reports) == history.stored(demo_store)
    assert history.risk_ids(None, built.risk_ratings) == history.risk_ids(demo_store)


def test_grants_notes_and_population_are_the_same_from_either(demo_store, built):
    taken = build_examples(demo_store, reports=built.status_reports, risks=built.risk_ratings)
    assert taken == build_examples(demo_store)
    grants, notes, population = taken
    assert grants and notes and population


def test_organiser_reports_are_the_same_from_either(demo_store: Store, built: DemoData):
    taken = build_organiser_reports(demo_store, reports=built.status_reports)
    assert taken and taken == build_organiser_reports(demo_store)


def test_the_order_within_a_date_is_the_order_stored(built: DemoData):
    """The store gives a date's reports in the order stored (its ids): a later report of the same
    measure on the same date wins, so the sort must keep that order."""
    reports = built.status_reports
    rows = history.of_reports(reversed(reports))
    assert [r[0] for r in rows] == sorted(r.reported_on for r in reports)
    first_day = rows[0][0]
    same_day = [r for r in reversed(reports) if r.reported_on == first_day]
    assert [r[2] for r in rows[: len(same_day)]] == [r.measure_id for r in same_day]
