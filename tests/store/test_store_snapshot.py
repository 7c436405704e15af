"""The situation on a date read from the database (store/snapshot.py) is the pandas rule's answer.

``metrics.latest_rows`` over every report is the rule as it was written first; the queries must
give the same rows on the example data and on hand-made ties, on SQLite and on PostgreSQL, and the
data version must move on every write a page shows and on nothing else.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.demo.generator import load_demo
from sotedata.domain.model import Measure, RiskRating, StatusReport, default_roadmap
from sotedata.rules import changes, metrics
from sotedata.rules.notes import Note
from sotedata.store import snapshot
from sotedata.store.engine import Store
from sotedata.store.reads import RISK_COLUMNS, STATUS_COLUMNS

D = date
STATUS_KEYS = ["area_code", "measure_id"]
RISK_KEYS = ["area_code", "risk_id"]
ROADMAP = default_roadmap(
    [
        Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, D(2022, 3, 31)),
        Measure("I-01", "Tietoliikenneverkko", 3, "ict", False, D(2022, 9, 30)),
        Measure("P-01", "Hoitotakuun seuranta", 3, "palvelut", False, None),
    ]
)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.sort_values(keys, na_position="first").reset_index(drop=True)


def _dates(store: Store) -> list[date]:
    """Every reporting date, a day between two, one before the first and one after the last."""
    days = store.reporting_dates()
    return [D(2000, 1, 1), *days, D(2022, 6, 20), D(2030, 1, 1)]


def _assert_same_situation(store: Store, day: date, frames: metrics.Frames) -> None:
    with store.reading() as connection:
        status = snapshot.status_on(connection, day)
        risks = snapshot.risks_on(connection, day)
    measures, history = frames.measures, frames.reports
    expected = metrics.latest_rows(history, STATUS_KEYS, day)
    assert list(status.columns) == STATUS_COLUMNS
    pd.testing.assert_frame_equal(_sorted(status, STATUS_KEYS), _sorted(expected, STATUS_KEYS))
    pd.testing.assert_frame_equal(
        metrics.status_as_of(measures, status, day), metrics.status_as_of(measures, history, day)
    )
    ratings = frames.risks
    assert list(risks.columns) == RISK_COLUMNS
    for keep_closed in (True, False):
        expected = metrics.latest_rows(ratings, RISK_KEYS, day, keep_closed=keep_closed)
        got = metrics.latest_rows(risks, RISK_KEYS, day, keep_closed=keep_closed)
        pd.testing.assert_frame_equal(_sorted(got, RISK_KEYS), _sorted(expected, RISK_KEYS))


def test_the_example_data_on_every_date_is_the_pandas_answer(demo_store):
    frames = metrics.load_frames(demo_store)
    for day in _dates(demo_store):
        _assert_same_situation(demo_store, day, frames)


def test_the_example_figures_from_the_snapshot_equal_those_from_the_history(demo_store):
    frames = metrics.load_frames(demo_store)
    for day in (D(2022, 1, 15), D(2022, 6, 30), D(2022, 12, 15)):
        with demo_store.reading() as connection:
            status = snapshot.status_on(connection, day)
            risks = snapshot.risks_on(connection, day)
        pd.testing.assert_frame_equal(
            metrics.area_metrics(frames.measures, status, risks, day),
            metrics.area_metrics(frames.measures, frames.reports, frames.risks, day),
        )


def test_the_example_data_on_postgresql_too(pg_demo_db_url):
    with Store.open(pg_demo_db_url) as store:
        frames = metrics.load_frames(store)
        for day in _dates(store)[::3]:
            _assert_same_situation(store, day, frames)
        with store.reading() as connection:
            assert snapshot.reporting_dates(connection) == store.reporting_dates()


def test_reporting_dates_walk_the_index_to_the_same_list(demo_store):
    with demo_store.reading() as connection:
        assert snapshot.reporting_dates(connection) == demo_store.reporting_dates()


def test_an_empty_database_has_no_reporting_dates(db_url):
    with Store.open(db_url) as empty, empty.reading() as connection:
        assert snapshot.reporting_dates(connection) == []


def test_the_snapshot_reads_one_row_per_area_and_measure(demo_store):
    with demo_store.reading() as connection:
        status = snapshot.status_on(connection, D(2022, 12, 15))
    assert not status.duplicated(STATUS_KEYS).any()
    assert len(status) <= 22 * len(demo_store.load_roadmap().measures)


@pytest.fixture
def ties(db_url):
    """Same pair, same date, reported twice in one batch and again in a later batch; a later
    batch bringing an older date; national and closed risks re-rated on one day."""
    with Store.open(db_url) as store:
        store.save_roadmap(ROADMAP)
        store.add_status_reports(
            [
                StatusReport("21", "H-01", "in_progress", D(2022, 3, 15)),
                StatusReport("21", "H-01", "delayed", D(2022, 3, 15), "sama päivä, myöhemmin"),
                StatusReport("21", "I-01", "done", D(2022, 6, 15)),
                StatusReport("90", "P-01", "not_applicable", D(2022, 1, 15)),
            ]
        )
        store.add_status_reports(
            [
                StatusReport("21", "H-01", "done", D(2022, 3, 15), "korjattu"),
                StatusReport("21", "I-01", "in_progress", D(2022, 5, 15), "tuotu myöhemmin"),
                StatusReport("01", "I-01", "delayed", D(2022, 3, 15)),
            ]
        )

        def rating(area, risk, likelihood, day, closed=False):
            return RiskRating(area, risk, "R", "ICT", likelihood, 4, None, None, day, closed)

        store.add_risk_ratings(
            [
                rating(None, "KANS-1", 4, D(2022, 1, 15)),
                rating(None, "KANS-1", 5, D(2022, 1, 15)),
                rating("21", "KANS-1", 1, D(2022, 1, 15)),
                rating("21", "ICT-1", 4, D(2022, 1, 15)),
                rating("21", "ICT-1", 2, D(2022, 4, 15), closed=True),
            ]
        )
        store.add_risk_ratings([rating(None, "KANS-1", 3, D(2022, 1, 15))])
        yield store


def test_ties_go_to_the_row_stored_last_as_in_pandas(ties):
    frames = metrics.load_frames(ties)
    for day in (D(2022, 1, 1), D(2022, 3, 15), D(2022, 4, 15), D(2022, 5, 20), D(2022, 7, 1)):
        _assert_same_situation(ties, day, frames)
    with ties.reading() as connection:
        status = snapshot.status_on(connection, D(2022, 7, 1)).set_index(STATUS_KEYS)
        risks = snapshot.risks_on(connection, D(2022, 7, 1))
    assert status.loc[("21", "H-01"), "comment"] == "korjattu"  # the later import, same date
    assert status.loc[("21", "I-01"), "status"] == "done"  # the later date, whatever the order
    national = risks[risks["area_code"].isna()]
    assert national["likelihood"].tolist() == [3]  # one national row: NULL areas are one group
    closed = risks[risks["risk_id"] == "ICT-1"]
    assert closed["closed"].tolist() == [True]  # kept, for the change lists to say so


def test_only_the_areas_asked_for(ties):
    with ties.reading() as connection:
        status = snapshot.status_on(connection, D(2022, 7, 1), ["01"])
        nothing = snapshot.status_on(connection, D(2022, 7, 1), [])
    assert status[STATUS_KEYS].values.tolist() == [["01", "I-01"]]
    assert nothing.empty and list(nothing.columns) == STATUS_COLUMNS


def _version(store: Store) -> snapshot.DataVersion:
    with store.reading() as connection:
        return snapshot.data_version(connection)


def test_the_data_version_moves_on_every_write_a_page_shows(ties, db_url):
    first = _version(ties)
    assert _version(ties) == first  # reading changes nothing
    with Store.open(db_url) as other:  # another instance's write, on the same database
        other.add_status_reports([StatusReport("02", "H-01", "done", D(2022, 8, 15))])
    imported = _version(ties)
    assert imported.last_import > first.last_import
    ties.revert_import(imported.last_import)
    reverted = _version(ties)
    assert reverted != imported and reverted.reverted == imported.reverted + 1
    ties.add_note(Note("21", D(2022, 8, 1), "Kokouksessa sovittu."))
    noted = _version(ties)
    assert noted != reverted and noted.last_note > reverted.last_note
    ties.set_dataset(is_example=False, description="uusi")
    assert _version(ties) != noted


def test_loading_the_example_again_moves_the_version_though_the_ids_start_over(demo_copy_url):
    with Store.open(demo_copy_url) as store:  # the example data as load_demo left it
        first = _version(store)
        load_demo(store)
        second = _version(store)
    assert (first.last_import, first.reverted, first.last_note) == (
        second.last_import,
        second.reverted,
        second.last_note,
    )
    assert second != first  # the new load's time tells them apart


def test_an_empty_database_has_a_version_too(db_url):
    with Store.open(db_url) as store:
        assert _version(store) == snapshot.DataVersion(0, 0, 0, "")


def test_two_dates_snapshots_give_the_change_lists_of_the_whole_history(demo_store):
    full = metrics.load_frames(demo_store)
    since, as_of = D(2022, 5, 15), D(2022, 9, 20)
    reports = snapshot_status(demo_store, [since, as_of])
    part = metrics.Frames(
        full.measures,
        reports,
        snapshot_risks(demo_store, [since, as_of]),
        full.phases,
        full.work_streams,
    )
    assert len(reports) < len(full.reports)
    for build in (changes.areas_moved, changes.status_changes, changes.risk_changes):
        pd.testing.assert_frame_equal(build(part, since, as_of), build(full, since, as_of))
    pd.testing.assert_frame_equal(
        metrics.change_since(part.measures, part.reports, part.risks, as_of, since),
        metrics.change_since(full.measures, full.reports, full.risks, as_of, since),
    )


def snapshot_status(store: Store, days: list[date]) -> pd.DataFrame:
    with store.reading() as connection:
        return snapshot.status_on_dates(connection, days)


def snapshot_risks(store: Store, days: list[date]) -> pd.DataFrame:
    with store.reading() as connection:
        return snapshot.risks_on_dates(connection, days)
