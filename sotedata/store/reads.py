"""The store's reads: each a query on one connection, returned as a DataFrame or plain values.

Reading takes no write lock (``Store.reading``): pages keep drawing while an import is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select

from ..domain.model import Measure, Phase, Roadmap, WorkStream
from ..rules.grants import GRANT_COLUMNS
from ..rules.notes import NOTE_COLUMNS
from . import db
from . import organisers as organiser_rows
from .rows import INDICATOR_VALUE_COLUMNS, METADATA_FIELDS, tuples

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd

STATUS_COLUMNS = ["area_code", "measure_id", "status", "reported_on", "comment"]
RISK_COLUMNS = [
    "area_code",
    "risk_id",
    "title",
    "theme",
    "likelihood",
    "impact",
    "score",
    "mitigation",
    "owner",
    "reported_on",
    "closed",
]


#: the risk columns a query reads; the score is computed from them
RISK_STORED_COLUMNS = [name for name in RISK_COLUMNS if name != "score"]


def risk_frame(rows: list[tuple]) -> pd.DataFrame:
    """Risk rows read in ``RISK_STORED_COLUMNS`` order as the frame every figure takes: typed,
    with the score (likelihood × impact) that is never stored."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=RISK_STORED_COLUMNS, dtype=object)
    frame["likelihood"] = frame["likelihood"].astype("int64")
    frame["impact"] = frame["impact"].astype("int64")
    frame["score"] = frame["likelihood"] * frame["impact"]
    frame["closed"] = frame["closed"].astype(bool)
    return frame[RISK_COLUMNS]


class StoreReads:
    """``Store``'s reading methods (a mixin: ``Store`` gives it ``reading``)."""

    def reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover - Store's own method comes first

    def is_empty(self) -> bool:
        """Nothing loaded yet: no roadmap, no reports, no risks."""
        with self.reading() as connection:
            for table in (db.measures, db.status_reports, db.risk_ratings):
                if connection.execute(select(func.count()).select_from(table)).scalar_one():
                    return False
        return True

    def is_example(self) -> bool:
        with self.reading() as connection:
            value = connection.execute(select(db.dataset.c.is_example)).scalar()
        return bool(value)

    def dataset(self) -> dict[str, Any] | None:
        """What the data is (is_example, description, loaded_at), or None before any load."""
        with self.reading() as connection:
            row = connection.execute(
                select(db.dataset.c.is_example, db.dataset.c.description, db.dataset.c.loaded_at)
            ).first()
        return dict(row._mapping) if row else None

    def load_roadmap(self) -> Roadmap:
        with self.reading() as connection:
            phases = tuple(
                Phase(r.number, r.start_date, r.end_date)
                for r in connection.execute(select(db.phases).order_by(db.phases.c.number))
            )
            streams = tuple(
                WorkStream(r.key, r.name_fi, r.name_sv, r.name_en)
                for r in connection.execute(
                    select(db.work_streams).order_by(db.work_streams.c.position)
                )
            )
            measures = tuple(
                Measure(r.id, r.name, r.phase, r.work_stream, bool(r.critical), r.deadline)
                for r in connection.execute(select(db.measures).order_by(db.measures.c.position))
            )
        return Roadmap(phases, streams, measures)

    def status_reports(self, until: date | None = None) -> pd.DataFrame:
        """Every report on or before ``until`` (all by default), oldest first, in load order."""
        import pandas as pd

        table = db.status_reports
        query = select(*(table.c[name] for name in STATUS_COLUMNS)).order_by(
            table.c.reported_on, table.c.id
        )
        if until is not None:
            query = query.where(table.c.reported_on <= until)
        with self.reading() as connection:
            rows = tuples(connection.execute(query))
        return pd.DataFrame(rows, columns=STATUS_COLUMNS, dtype=object)

    def status_reports_between(
        self, first: date, last: date, area_codes: Iterable[str]
    ) -> list[tuple[Any, ...]]:
        """(area_code, measure_id, reported_on, status, comment, import_id) of every report of
        these areas dated ``first``…``last``, oldest first in load order: what an import about to
        be stored is compared with (``ingest.check_against_store``). One query."""
        table = db.status_reports
        query = (
            select(
                table.c.area_code,
                table.c.measure_id,
                table.c.reported_on,
                table.c.status,
                table.c.comment,
                table.c.import_id,
            )
            .where(
                table.c.reported_on >= first,
                table.c.reported_on <= last,
                table.c.area_code.in_(sorted(set(area_codes))),
            )
            .order_by(table.c.reported_on, table.c.id)
        )
        with self.reading() as connection:
            return tuples(connection.execute(query))

    def organiser_done_shares(self, as_of: date | None) -> dict[str, float | None]:
        """Per area the share of its organisers' handover pairs done on ``as_of`` (issue 20)."""
        with self.reading() as connection:
            return organiser_rows.done_shares(connection, as_of)

    def risk_ratings(self, until: date | None = None) -> pd.DataFrame:
        """Every risk rating on or before ``until``, oldest first; ``area_code`` None = national."""
        table = db.risk_ratings
        query = select(*(table.c[name] for name in RISK_STORED_COLUMNS)).order_by(
            table.c.reported_on, table.c.id
        )
        if until is not None:
            query = query.where(table.c.reported_on <= until)
        with self.reading() as connection:
            return risk_frame(tuples(connection.execute(query)))

    def indicators(self) -> pd.DataFrame:
        """Every indicator with its metadata (key, name, unit, source, licence)."""
        import pandas as pd

        table = db.indicators
        names = ["key", "name", "unit", "source", "licence"]
        with self.reading() as connection:
            rows = tuples(connection.execute(select(*(table.c[n] for n in names))))
        return pd.DataFrame(rows, columns=names, dtype=object)

    def indicator_metadata(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored metadata of these indicators (those known), each with ``set_by``: who
        imported the metadata in force (None when unknown: example data, or from before the
        metadata was kept per import). One query."""
        keys = list(keys)
        if not keys:
            return {}
        versions = db.indicator_metadata
        table = db.indicators
        newest = (
            select(versions.c.indicator_key, func.max(versions.c.id).label("id"))
            .group_by(versions.c.indicator_key)
            .subquery()
        )
        query = (
            select(table.c.key, *(table.c[n] for n in METADATA_FIELDS), db.imports.c.imported_by)
            .select_from(table)
            .outerjoin(newest, newest.c.indicator_key == table.c.key)
            .outerjoin(versions, versions.c.id == newest.c.id)
            .outerjoin(db.imports, db.imports.c.id == versions.c.import_id)
            .where(table.c.key.in_(keys))
        )
        with self.reading() as connection:
            rows = connection.execute(query).all()
        return {
            row.key: {**{n: getattr(row, n) for n in METADATA_FIELDS}, "set_by": row.imported_by}
            for row in rows
        }

    def indicator_values(self, indicator: str | None = None) -> pd.DataFrame:
        """Indicator values, oldest import first (the last one of a region and period counts)."""
        import pandas as pd

        table = db.indicator_values
        names = list(INDICATOR_VALUE_COLUMNS)
        query = select(*(table.c[n] for n in names)).order_by(table.c.import_id, table.c.id)
        if indicator is not None:
            query = query.where(table.c.indicator_key == indicator)
        with self.reading() as connection:
            rows = tuples(connection.execute(query))
        return pd.DataFrame(rows, columns=names, dtype=object)

    def grants(self) -> pd.DataFrame:
        """Every state-grant project row (``grants.GRANT_COLUMNS``; ``measures`` a tuple of the
        measure ids it serves), oldest import first."""
        import pandas as pd

        table = db.grants
        names = [name for name in GRANT_COLUMNS if name != "measures"]
        query = select(*(table.c[n] for n in names)).order_by(table.c.import_id, table.c.id)
        links = select(db.grant_measures.c.grant_id, db.grant_measures.c.measure_id).order_by(
            db.grant_measures.c.id
        )
        with self.reading() as connection:
            rows = tuples(connection.execute(query))
            served: dict[int, list[str]] = {}
            for grant_id, measure_id in connection.execute(links):
                served.setdefault(grant_id, []).append(measure_id)
        frame = pd.DataFrame(rows, columns=names, dtype=object)
        frame["granted"] = frame["granted"].astype(float)
        frame["spent"] = pd.to_numeric(frame["spent"], errors="coerce").astype(float)
        frame["measures"] = [tuple(served.get(i, ())) for i in frame["id"]]
        return frame[GRANT_COLUMNS]

    def notes(self) -> pd.DataFrame:
        """Every note (``notes.NOTE_COLUMNS``; ``area_code`` None = national; ``tags`` comma-
        separated), in the order they were stored."""
        import pandas as pd

        table = db.notes
        query = select(*(table.c[n] for n in NOTE_COLUMNS)).order_by(table.c.id)
        with self.reading() as connection:
            rows = tuples(connection.execute(query))
        return pd.DataFrame(rows, columns=NOTE_COLUMNS, dtype=object)

    def imports(self) -> pd.DataFrame:
        """What was loaded, when and from where (newest last)."""
        import pandas as pd

        table = db.imports
        with self.reading() as connection:
            rows = tuples(connection.execute(select(table).order_by(table.c.id)))
        return pd.DataFrame(rows, columns=[c.name for c in table.columns])
