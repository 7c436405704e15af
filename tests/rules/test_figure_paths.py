"""The figures from the database's per-date snapshot are the figures from the whole history.

Issue 17 moved the pages and ``sote summary`` from "every report into pandas" to "the latest rows
of the dates shown" (``metrics.frames_on``); these tests hold the two paths to the same numbers on
the example data, for every area, every metric and a few dates, and the risks page's trend (one
pass over the ratings) to the latest-rating rule applied date by date.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.geo.chain import Boundaries
from sotedata.rules import changes, metrics
from sotedata.views import risks as risks_view
from sotedata.views.national import NationalParams, build_national_view

D = date
DAYS = (D(2022, 1, 15), D(2022, 6, 15), D(2022, 8, 31), D(2022, 12, 15))


@pytest.fixture(scope="module")
def history(demo_db_url):
    from sotedata.store.engine import Store

    with Store.open(demo_db_url) as store:
        yield store, metrics.load_frames(store)


def test_every_area_s_figures_and_the_summary_are_the_same_on_both_paths(history):
    store, full = history
    for day in DAYS:
        part = metrics.frames_on(store, [day])
        assert len(part.reports) <= 22 * len(part.measures)
        for filters in ({}, {"phase": 3}, {"critical_only": True}, {"work_stream": "ict"}):
            pd.testing.assert_frame_equal(
                metrics.area_metrics(part.measures, part.reports, part.risks, day, **filters),
                metrics.area_metrics(full.measures, full.reports, full.risks, day, **filters),
            )
        pd.testing.assert_frame_equal(
            metrics.area_workstream_table(part.measures, part.reports, day),
            metrics.area_workstream_table(full.measures, full.reports, day),
        )
        assert metrics.summary(store, day) == metrics.summary(full, day)


def test_the_national_view_and_its_changes_are_the_same_on_both_paths(history):
    store, full = history
    dates = store.reporting_dates()
    tiles = Boundaries(source="tiles", features=[], attribution="", is_tiles=True)
    for as_of, since in ((D(2022, 12, 15), D(2022, 11, 15)), (D(2022, 6, 20), D(2022, 2, 15))):
        part = metrics.frames_on(store, [since, as_of])
        for metric in ("done_share", "high_risks"):  # the table holds every metric
            params = NationalParams(metric=metric, as_of=as_of)
            new = build_national_view(part, tiles, params, reporting_dates=dates, example=True)
            old = build_national_view(full, tiles, params, reporting_dates=dates, example=True)
            pd.testing.assert_frame_equal(new.table, old.table)
            pd.testing.assert_frame_equal(new.values, old.values)
            assert new.summary == old.summary and new.median == old.median
        for build in (changes.areas_moved, changes.status_changes, changes.risk_changes):
            pd.testing.assert_frame_equal(build(part, since, as_of), build(full, since, as_of))


def _trend_date_by_date(risks, dates, themes, codes):
    """The trend by the rule itself: each date's latest ratings, filtered, counted."""
    rows = []
    for day in sorted(set(dates)):
        latest = risks_view.latest_ratings(risks, day)
        if themes:
            latest = latest[latest["theme"].isin(list(themes))]
        if codes is not None:
            latest = latest[latest["area_code"].isin(list(codes))]
        high = latest[latest["high"].astype(bool)]
        rows.append((day, int(len(high)), int(high["area_code"].nunique())))
    return pd.DataFrame(rows, columns=["reported_on", "high_risks", "areas_with_high"])


def test_the_risk_trend_in_one_pass_is_the_rule_date_by_date(history):
    store, full = history
    dates = [*store.reporting_dates(), D(2022, 6, 20)]
    themes = risks_view.themes_of(full.risks)
    for chosen, codes in (([], None), ([], ["01", "21"]), (themes[:2], None), (themes[1:3], [])):
        pd.testing.assert_frame_equal(
            risks_view.high_counts_over_time(full.risks, dates, chosen, codes),
            _trend_date_by_date(full.risks, dates, chosen, codes),
        )


def test_every_dated_table_is_the_same_from_the_two_dates_rows(history):
    """The tables page reads the rows of its table's as-of and comparison dates only."""
    from dataclasses import replace

    from sotedata.views.outlook import with_outlook_data
    from sotedata.views.query import DATASETS, UNDATED, TableQuery, resolve_dates
    from sotedata.views.tables import build_table, sources_from_store, with_grants

    store, _full = history
    full = with_grants(sources_from_store(store), store)
    for table in [name for name in DATASETS if name not in UNDATED]:
        for as_of, since in ((None, None), (D(2022, 8, 31), D(2022, 3, 15))):
            asked = TableQuery(table=table, as_of=as_of, since=since)
            dated = resolve_dates(asked, full)
            days = [day for day in (dated.as_of, dated.since) if day is not None]
            part = replace(full, frames=metrics.frames_on(store, days))
            if table == "outlook":  # its pace window's dates too, as the page reads them
                part = with_outlook_data(part, store, asked)
            new, old = build_table(asked, part), build_table(asked, full)
            pd.testing.assert_frame_equal(new.frame, old.frame, obj=f"{table} {as_of}")
