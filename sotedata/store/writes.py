"""The store's direct writes: the dataset label, the roadmap, batches of reports and risk
ratings. Each is one transaction under the write lock (``Store.transaction``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, Table, select

from ..domain.areas import REFORM_CODES
from ..domain.errors import Issue, SoteError
from ..domain.model import RiskRating, Roadmap, StatusReport
from . import db, summary
from .rows import chunks

#: one row of a batch ``_add_rows`` stores (a report or a rating)
Item = TypeVar("Item")


class StoreWrites:
    """``Store``'s writes other than file imports (a mixin: ``Store`` gives it ``transaction``)."""

    chunk_size: int

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover - Store's own method comes first

    def _record_import(self, connection: Connection, kind: str, source: str) -> int:
        result = connection.execute(
            db.imports.insert().values(
                kind=kind, source=source, loaded_at=datetime.now(UTC), row_count=0
            )
        )
        return int(result.inserted_primary_key[0])

    def _finish_import(self, connection: Connection, import_id: int, rows: int) -> None:
        connection.execute(
            db.imports.update().where(db.imports.c.id == import_id).values(row_count=rows)
        )

    def set_dataset(self, *, is_example: bool, description: str | None = None) -> None:
        """Say what the data is; the pages label example data as such everywhere."""
        with self.transaction() as connection:
            connection.execute(db.dataset.delete())
            connection.execute(
                db.dataset.insert().values(
                    id=1,
                    is_example=is_example,
                    description=description,
                    loaded_at=datetime.now(UTC),
                )
            )

    def clear(self) -> None:
        """Remove every row (the schema stays)."""
        with self.transaction() as connection:
            for table in db.TABLES_CHILD_FIRST:
                connection.execute(table.delete())

    def save_roadmap(self, roadmap: Roadmap, *, source: str = "roadmap") -> None:
        """Make ``roadmap`` the stored one. Rows are updated in place so that reports keep their
        measures; removing a measure that still has reports is refused (``database_rejected``)."""
        with self.transaction() as connection:
            gone_phases = self._upsert(
                connection,
                db.phases.c.number,
                [
                    {"number": p.number, "start_date": p.start, "end_date": p.end}
                    for p in roadmap.phases
                ],
            )
            gone_streams = self._upsert(
                connection,
                db.work_streams.c.key,
                [
                    {
                        "key": w.key,
                        "position": i,
                        "name_fi": w.name_fi,
                        "name_sv": w.name_sv,
                        "name_en": w.name_en,
                    }
                    for i, w in enumerate(roadmap.work_streams)
                ],
            )
            gone_measures = self._upsert(
                connection,
                db.measures.c.id,
                [
                    {
                        "id": m.id,
                        "position": i,
                        "name": m.name,
                        "phase": m.phase,
                        "work_stream": m.work_stream,
                        "critical": bool(m.critical),
                        "deadline": m.deadline,
                    }
                    for i, m in enumerate(roadmap.measures)
                ],
            )
            # children first, so that no foreign key points at a deleted row
            for column, gone in (
                (db.measures.c.id, gone_measures),
                (db.phases.c.number, gone_phases),
                (db.work_streams.c.key, gone_streams),
            ):
                if gone:
                    connection.execute(column.table.delete().where(column.in_(sorted(gone))))
            import_id = self._record_import(connection, "roadmap", source)
            self._finish_import(connection, import_id, len(roadmap.measures))

    @staticmethod
    def _upsert(connection: Connection, key: Column[Any], rows: list[dict[str, Any]]) -> set[Any]:
        """Portable upsert of a small table: update the rows that exist, insert the rest.
        Returns the keys that exist but are no longer wanted (the caller deletes them in order)."""
        table = key.table
        existing = set(connection.execute(select(key)).scalars())
        for row in rows:
            if row[key.name] in existing:
                connection.execute(table.update().where(key == row[key.name]).values(**row))
        new = [row for row in rows if row[key.name] not in existing]
        if new:
            connection.execute(table.insert(), new)
        return existing - {row[key.name] for row in rows}

    def add_status_reports(self, reports: Iterable[StatusReport], *, source: str = "") -> int:
        """Add a batch of reports (kept beside the earlier ones); the number of rows stored."""
        codes = set(REFORM_CODES)

        def row(report: StatusReport, import_id: int) -> dict[str, Any]:
            if report.area_code not in codes:
                raise SoteError(
                    Issue("database_rejected", params={"reason": f"area {report.area_code!r}"})
                )
            return {
                "area_code": report.area_code,
                "measure_id": report.measure_id,
                "status": str(report.status),
                "reported_on": report.reported_on,
                "comment": report.comment,
                "import_id": import_id,
            }

        return self._add_rows(db.status_reports, "status", source, reports, row)

    def add_risk_ratings(self, ratings: Iterable[RiskRating], *, source: str = "") -> int:
        """Add a batch of risk ratings (a re-rating is a new row; the latest one counts)."""
        codes = set(REFORM_CODES)

        def row(rating: RiskRating, import_id: int) -> dict[str, Any]:
            if rating.area_code is not None and rating.area_code not in codes:
                raise SoteError(
                    Issue("database_rejected", params={"reason": f"area {rating.area_code!r}"})
                )
            return {
                "area_code": rating.area_code,
                "risk_id": rating.risk_id,
                "title": rating.title,
                "theme": rating.theme,
                "likelihood": rating.likelihood,
                "impact": rating.impact,
                "mitigation": rating.mitigation,
                "owner": rating.owner,
                "reported_on": rating.reported_on,
                "closed": rating.closed,
                "import_id": import_id,
            }

        return self._add_rows(db.risk_ratings, "risks", source, ratings, row)

    def _add_rows(
        self,
        table: Table,
        kind: str,
        source: str,
        items: Iterable[Item],
        to_row: Callable[[Item, int], dict[str, Any]],
    ) -> int:
        count = 0
        with self.transaction() as connection:
            import_id = self._record_import(connection, kind, source)
            for chunk in chunks(items, self.chunk_size):
                connection.execute(table.insert(), [to_row(item, import_id) for item in chunk])
                count += len(chunk)
            if table is db.status_reports:  # the per-date summary, in the same transaction
                summary.refresh(connection, summary.reach(connection, import_id))
            self._finish_import(connection, import_id, count)
        return count
