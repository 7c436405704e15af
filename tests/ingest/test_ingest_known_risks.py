"""What an import reads of the stored risks (the scores a closing row keeps) is the rule every
figure uses — the latest rating by date, then by the order stored — read as rows, without pandas."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sotedata.domain.model import RiskRating
from sotedata.ingest.importer import stored_risk_scores
from sotedata.store.engine import Store


def _by_the_frame(store: Store) -> dict[tuple[str | None, str], tuple[int, int]]:
    """The rule as the pages' frames give it: oldest first, the last of each risk stands."""
    latest = store.risk_ratings().drop_duplicates(["area_code", "risk_id"], keep="last")
    return {
        (None if pd.isna(r.area_code) else r.area_code, r.risk_id): (r.likelihood, r.impact)
        for r in latest.itertuples()
    }


def test_the_scores_are_each_risks_latest_rating_on_the_example_data(demo_store):
    expected = _by_the_frame(demo_store)
    assert len(demo_store.risk_ratings()) > len(expected) > 10  # risks rated more than once
    assert any(area is None for area, _ in expected)  # national risks too
    assert stored_risk_scores(demo_store) == expected


def test_of_two_ratings_on_one_day_the_later_stored_stands(db_url):
    day = date(2026, 9, 30)
    with Store.open(db_url) as store:
        store.add_risk_ratings(
            [
                RiskRating("21", "r", "Riski", "", 2, 3, None, None, day),
                RiskRating(None, "r", "Riski", "", 1, 1, None, None, date(2026, 10, 31)),
                RiskRating("21", "r", "Riski", "", 4, 5, None, None, day),
                RiskRating("21", "s", "Toinen", "", 5, 5, None, None, date(2026, 10, 31)),
                RiskRating("21", "s", "Toinen", "", 3, 2, None, None, day),
            ]
        )
        assert stored_risk_scores(store) == _by_the_frame(store)
        assert stored_risk_scores(store) == {("21", "r"): (4, 5), (None, "r"): (1, 1),
                                             ("21", "s"): (5, 5)}  # fmt: skip
