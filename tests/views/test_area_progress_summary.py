"""The area page's progress series from the store's per-date summary (``store.summary``) gives
what the whole history gives (``area_progress.progress_series``): on the example data, and on a
history with imports into the past, ties on one date and reverts, where the summary kept by each
write must also equal one built from scratch."""

from __future__ import annotations

from datetime import date

import pytest

from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.model import StatusReport
from sotedata.rules import metrics
from sotedata.store import summary
from sotedata.store.engine import Store
from sotedata.views import area_progress as ap

D = date


def _both(store: Store, code: str, up_to: date | None = None):
    frames = metrics.load_frames(store)
    dates = [d for d in store.reporting_dates() if up_to is None or d <= up_to]
    whole = ap.progress_series(frames, code, dates)
    rows = store.status_summary(REFORM_CODES, up_to)
    return whole, ap.summary_progress_series(rows, frames.measures, code, dates)


@pytest.mark.parametrize("code", ["01", "19", "21"])
def test_the_summary_gives_the_whole_historys_series_on_the_example_data(demo_db_url, code):
    with Store.open(demo_db_url) as store:
        whole, from_summary = _both(store, code)
        assert not whole.empty
        assert from_summary.equals(whole)
        whole, from_summary = _both(store, code, up_to=D(2022, 6, 15))
        assert from_summary.equals(whole)


def _kept_equals_rebuilt(store: Store) -> None:
    kept = store.status_summary(REFORM_CODES)
    with store.transaction() as connection:
        summary.refresh(connection)
    assert store.status_summary(REFORM_CODES) == kept


def _newest_import(store: Store) -> int:
    return int(store.imports()["id"].max())


def test_the_summary_follows_imports_into_the_past_ties_and_reverts(demo_copy_url):
    with Store.open(demo_copy_url) as store:
        measures = store.load_roadmap().measures_frame()["measure_id"].tolist()[:6]
        # a report in the middle of the history that later reports override, a new earliest date,
        # a tie with the example's own date (stored last: it wins), a not-applicable measure and
        # an area's first reports after everyone else's
        store.add_status_reports(
            [StatusReport("19", m, "done", D(2022, 3, 1)) for m in measures]
            + [StatusReport("19", measures[0], "not_applicable", D(2021, 12, 1))]
            + [StatusReport("21", measures[1], "not_applicable", D(2022, 6, 15))]
            + [StatusReport("21", measures[2], "done", D(2022, 6, 15))],
            source="middle",
        )
        middle = _newest_import(store)
        store.add_status_reports(
            [StatusReport("19", m, "delayed", D(2023, 1, 15)) for m in measures[2:]],
            source="later",
        )
        later = _newest_import(store)
        for code in ("19", "21", "08"):
            whole, from_summary = _both(store, code)
            assert from_summary.equals(whole), code
        _kept_equals_rebuilt(store)

        store.revert_import(middle)
        for code in ("19", "21"):
            whole, from_summary = _both(store, code)
            assert from_summary.equals(whole), code
        _kept_equals_rebuilt(store)

        store.revert_import(later)  # the date 15.1.2023 goes with it
        assert D(2023, 1, 15) not in {row[1] for row in store.status_summary(["19"])}
        whole, from_summary = _both(store, "19")
        assert from_summary.equals(whole)
        _kept_equals_rebuilt(store)


def test_an_area_that_never_reported_counts_every_measure_as_not_started(tmp_path):
    from sotedata.domain.model import Measure, default_roadmap

    roadmap = default_roadmap(
        [
            Measure("A", "Yksi", 3, "hallinto", True, D(2022, 1, 31)),
            Measure("B", "Kaksi", 3, "hallinto", False, None),
        ]
    )
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as store:
        store.save_roadmap(roadmap)
        store.add_status_reports(
            [StatusReport("21", "A", "done", D(2022, 1, 15))]
            + [StatusReport("21", "B", "not_applicable", D(2022, 2, 15))]
        )
        for code in ("21", "01"):
            whole, from_summary = _both(store, code)
            assert from_summary.equals(whole), code
        plan = from_summary[from_summary["series"] == "plan"]["value"].tolist()
        assert plan == [0.0, 0.5]  # "A" due after 31.1. of two applicable measures
