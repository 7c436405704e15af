"""The status history and risks the example's grants, notes and organiser reports are built on,
either read back from the store or taken from the reports ``load_demo`` has just stored.

``load_demo`` clears the store and then stores the generated reports and risks, so what the
store would give back is known without reading it: ``of_reports`` sorts the reports the way the
store gives them (oldest first, in load order). Reading back 43 560 reports and 586 risk ratings
was about a third of ``sote demo``'s time; the stored example data is the same either way
(tests/demo/test_demo_history.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from operator import itemgetter

from ..domain.model import RiskRating, StatusReport
from ..store.engine import Store

#: one status report as (reported_on, area_code, measure_id, status), oldest first in load order
Row = tuple[date, str, str, str]


def stored(store: Store) -> list[Row]:
    """Every status report in ``store``, as the store gives them back."""
    frame = store.status_reports()
    return list(
        zip(
            frame["reported_on"],
            frame["area_code"],
            frame["measure_id"],
            frame["status"],
            strict=True,
        )
    )


def of_reports(reports: Iterable[StatusReport]) -> list[Row]:
    """``reports`` as the store gives them back once stored in this order on an empty store: by
    date, and within a date in the order stored (``sorted`` is stable); the status as stored."""
    rows = ((r.reported_on, r.area_code, r.measure_id, str(r.status)) for r in reports)
    return sorted(rows, key=itemgetter(0))


def risk_ids(store: Store | None, ratings: Iterable[RiskRating] | None = None) -> dict:
    """Each area's risk ids (key None: the national risks), from ``ratings`` when given, else
    from the risk ratings stored in ``store``."""
    if ratings is None:
        assert store is not None
        frame = store.risk_ratings()
        pairs = zip(frame["area_code"], frame["risk_id"], strict=True)
        ratings_by = ((None if _missing(code) else code, risk) for code, risk in pairs)
    else:
        ratings_by = ((r.area_code, r.risk_id) for r in ratings)
    ids: dict[str | None, set[str]] = {}
    for code, risk in ratings_by:
        ids.setdefault(code, set()).add(risk)
    return ids


def _missing(value: object) -> bool:
    """pandas' missing value (None or NaN) in an object column."""
    return value is None or value != value
