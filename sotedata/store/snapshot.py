"""The situation on one date, answered by the database: what a figure "as of a date" reads.

Every figure is a function of the latest report per area × measure and the latest rating per risk
on or before a date (``rules.metrics``). Reading the whole history into pandas to pick those rows
costs time in proportion to the history's length; these queries return at most one row per
area × measure (per risk), whatever that length, so a page's cost stays flat as years of weekly
reports pile up. The rule is the pandas one, unchanged: the latest date wins, and on the same
date the row stored last (the higher id).

The status query seeks each area × measure's newest row through the index on
(area_code, measure_id, reported_on, id) (revision 0010): 22 × measures index probes. Risks have
no fixed grid of ids and a short history, so they take a window function. Reporting dates walk
the date index one distinct value at a time (a recursive query) instead of reading every row.

``data_version`` is the cheap key the pages' caches are keyed by: it changes on every write that
changes what a page shows (see its docstring), and is one query over primary keys and small tables.

SQLAlchemy Core, portable: SQLite and PostgreSQL run the same statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import Connection, Select, func, literal, select, true, union_all

from ..domain.areas import REFORM_CODES
from . import db
from .reads import RISK_COLUMNS, RISK_STORED_COLUMNS, STATUS_COLUMNS, risk_frame
from .rows import tuples

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd


class DataVersion(NamedTuple):
    """What a cache key needs to know that the data changed (a tuple: hashable, picklable).

    * ``last_import``: the newest import's id. Every stored batch (a file, a roadmap, a report
      batch, the example data) is an import; a new one raises it.
    * ``reverted``: how many imports are reverted; a revert removes rows without a new import.
    * ``last_note``: the newest note's id; a note added on a page is no import.
    * ``loaded_at``: when the dataset label was written; loading the example data again empties
      every table first, so the ids above could come back the same.
    """

    last_import: int
    reverted: int
    last_note: int
    loaded_at: str


def data_version_query() -> Select:
    """One statement of four scalar subqueries, each a primary-key max or a small table."""
    imports = db.imports
    return select(
        select(func.coalesce(func.max(imports.c.id), 0)).scalar_subquery(),
        select(func.count())
        .select_from(imports)
        .where(imports.c.status == "reverted")
        .scalar_subquery(),
        select(func.coalesce(func.max(db.notes.c.id), 0)).scalar_subquery(),
        select(func.max(db.dataset.c.loaded_at)).scalar_subquery(),
    )


def data_version(connection: Connection) -> DataVersion:
    last_import, reverted, last_note, loaded_at = connection.execute(data_version_query()).one()
    return DataVersion(int(last_import), int(reverted), int(last_note), str(loaded_at or ""))


def _codes(areas: Sequence[str]):
    """The area codes as a one-column derived table (UNION ALL of literals: SQLite does not name
    the columns of a VALUES list)."""
    parts = [select(literal(code).label("code")) for code in sorted(set(areas))]
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("area_codes")


def status_on_query(as_of: date, areas: Sequence[str] = REFORM_CODES) -> Select:
    """The newest report on or before ``as_of`` of each of ``areas`` × the roadmap's measures
    (none for a pair never reported), oldest first in load order like ``status_reports``."""
    reports = db.status_reports
    codes = _codes(areas)
    newer = reports.alias("newer")
    newest_id = (
        select(newer.c.id)
        .where(
            newer.c.area_code == codes.c.code,
            newer.c.measure_id == db.measures.c.id,
            newer.c.reported_on <= as_of,
        )
        .order_by(newer.c.reported_on.desc(), newer.c.id.desc())
        .limit(1)
        .correlate(codes, db.measures)
        .scalar_subquery()
    )
    return (
        select(*(reports.c[name] for name in STATUS_COLUMNS))
        .select_from(codes.join(db.measures, true()).join(reports, reports.c.id == newest_id))
        .order_by(reports.c.reported_on, reports.c.id)
    )


def status_on(
    connection: Connection, as_of: date, areas: Sequence[str] = REFORM_CODES
) -> pd.DataFrame:
    """``status_on_query`` as the frame ``Store.status_reports`` gives (its columns, objects)."""
    import pandas as pd

    if not areas:
        return pd.DataFrame([], columns=STATUS_COLUMNS, dtype=object)
    rows = tuples(connection.execute(status_on_query(as_of, areas)))
    return pd.DataFrame(rows, columns=STATUS_COLUMNS, dtype=object)


def risks_on_query(as_of: date) -> Select:
    """The newest rating on or before ``as_of`` of each risk (area_code × risk_id; national risks
    under a NULL area), closing ratings included: the figures leave closed risks out, the change
    lists say they were closed (``metrics.latest_rows``)."""
    table = db.risk_ratings
    names = RISK_STORED_COLUMNS
    rank = (
        func.row_number()
        .over(
            partition_by=(table.c.area_code, table.c.risk_id),
            order_by=(table.c.reported_on.desc(), table.c.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(table.c.id, *(table.c[name] for name in names), rank)
        .where(table.c.reported_on <= as_of)
        .subquery("ranked")
    )
    return (
        select(*(ranked.c[name] for name in names))
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.reported_on, ranked.c.id)
    )


def risks_on(connection: Connection, as_of: date) -> pd.DataFrame:
    """``risks_on_query`` as the frame ``Store.risk_ratings`` gives (score computed, typed)."""
    return risk_frame(tuples(connection.execute(risks_on_query(as_of))))


def _union(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The rows of several dates' snapshots, each once, oldest first. A pair's rows in it have
    distinct dates (two snapshots that pick rows of one date pick the same row), so the rule
    "latest on or before" picks from it, for each of those dates, what it picks from the whole
    history: no tie is left for load order to break."""
    import pandas as pd

    if not frames:
        return pd.DataFrame([], columns=columns, dtype=object)
    union = pd.concat(frames, ignore_index=True).drop_duplicates()
    order = pd.to_datetime(union["reported_on"]).to_numpy().argsort(kind="stable")
    return union.iloc[order].reset_index(drop=True)


def status_on_dates(
    connection: Connection, days: Iterable[date], areas: Sequence[str] = REFORM_CODES
) -> pd.DataFrame:
    """What ``status_on`` gives for each of ``days``, in one frame: enough history for every
    figure of those dates (the as-of date and its comparison date), whatever the history's
    length."""
    frames = [status_on(connection, day, areas) for day in sorted(set(days))]
    return _union(frames, STATUS_COLUMNS).astype(object)


def risks_on_dates(connection: Connection, days: Iterable[date]) -> pd.DataFrame:
    """What ``risks_on`` gives for each of ``days``, in one frame (see ``status_on_dates``)."""
    frames = [risks_on(connection, day) for day in sorted(set(days))]
    if not frames:
        return risks_on(connection, date.min)
    return _union(frames, RISK_COLUMNS)


def reporting_dates_query() -> Select:
    """Every distinct reporting date, oldest first: from the smallest date, each step the next
    larger one through the date index (one probe per date, not one row per report)."""
    reports = db.status_reports
    first = select(func.min(reports.c.reported_on).label("day"))
    walk = first.cte("reporting_days", recursive=True)
    later = reports.alias("later")
    step = select(
        select(func.min(later.c.reported_on))
        .where(later.c.reported_on > walk.c.day)
        .scalar_subquery()
    ).where(walk.c.day.is_not(None))
    walk = walk.union_all(step)
    return select(walk.c.day).where(walk.c.day.is_not(None)).order_by(walk.c.day)


def reporting_dates(connection: Connection) -> list[date]:
    return list(connection.execute(reporting_dates_query()).scalars())


class StoreSnapshot:
    """``Store``'s reads of one date (a mixin: ``Store`` gives it ``reading``)."""

    def reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover - Store's own method comes first

    def risks_on(self, as_of: date) -> pd.DataFrame:
        """The latest rating per risk on ``as_of`` (see ``risks_on_query``)."""
        with self.reading() as connection:
            return risks_on(connection, as_of)

    def status_on_dates(
        self, days: Iterable[date], areas: Sequence[str] = REFORM_CODES
    ) -> pd.DataFrame:
        """The latest reports on each of ``days`` in one frame (see ``status_on_dates``)."""
        with self.reading() as connection:
            return status_on_dates(connection, days, areas)

    def risks_on_dates(self, days: Iterable[date]) -> pd.DataFrame:
        """The latest ratings on each of ``days`` in one frame (see ``risks_on_dates``)."""
        with self.reading() as connection:
            return risks_on_dates(connection, days)

    def reporting_dates(self) -> list[date]:
        """Every date with a status report, oldest first (see ``reporting_dates_query``)."""
        with self.reading() as connection:
            return reporting_dates(connection)

    def data_version(self) -> DataVersion:
        """Changes whenever an import, a revert, a note or a new load changes the data."""
        with self.reading() as connection:
            return data_version(connection)
