"""File imports in the store: ``save_import`` writes a file's measures, reports, risk ratings,
indicator values, grants, notes and its import record in one transaction; ``revert_import``
takes the rows back out and marks the record reverted, so the history still shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Date, Table, func, select

from ..domain.areas import REFORM_CODES
from ..domain.errors import Issue, SoteError
from ..domain.model import Measure, default_phases, default_work_streams
from ..rules.grants import Grant
from ..rules.notes import Note
from . import db, summary
from . import organisers as organiser_rows
from .batch import ImportBatch
from .rows import (
    INDICATOR_VALUE_COLUMNS,
    METADATA_FIELDS,
    InsertRows,
    chunks,
    copy_rows,
    merged_metadata,
    rejected,
    risk_rows,
    status_rows,
)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """A measure's values as JSON can hold them (a deadline as ISO text)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _from_jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if out.get("deadline"):
        out["deadline"] = date.fromisoformat(out["deadline"])
    if "critical" in out:
        out["critical"] = bool(out["critical"])
    return out


def _same(stored: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return bool(stored) == value
    return stored == value


class StoreImports:
    """``Store``'s file imports and their revert (a mixin: ``Store`` gives it ``transaction``
    and ``reading``)."""

    chunk_size: int

    def transaction(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover - Store's own method comes first

    def reading(self) -> AbstractContextManager[Connection]:
        raise NotImplementedError  # pragma: no cover - Store's own method comes first

    def find_import_by_sha256(self, sha256: str) -> int | None:
        """The active import of the very same bytes, if any (a re-upload stores nothing new)."""
        table = db.imports
        query = (
            select(table.c.id)
            .where(table.c.sha256 == sha256, table.c.status == "active")
            .order_by(table.c.id)
        )
        with self.reading() as connection:
            return connection.execute(query).scalars().first()

    def save_import(self, parsed: ImportBatch, *, user: str | None = None) -> int:
        """Store an accepted file (an ``ingest.ParsedFile``) whole, in ONE transaction: its
        measures (upserted by id), status reports, risk ratings, indicators, grants, notes and
        the import record. Returns the import's id; the
        same bytes already imported and active → that import's id, nothing stored."""
        counts = parsed.counts()
        with self.transaction() as connection:
            table = db.imports
            earlier = (
                None
                if parsed.sha256 is None  # not from a file (example data): nothing to match
                else connection.execute(
                    select(table.c.id).where(
                        table.c.sha256 == parsed.sha256, table.c.status == "active"
                    )
                ).scalar()
            )
            if earlier is not None:  # another upload of the same bytes won the race
                return int(earlier)
            rows = counts["measures"] + counts["status"] + counts["risks"]
            import_id = int(
                connection.execute(
                    table.insert().values(
                        kind="file",
                        source=parsed.filename,
                        loaded_at=datetime.now(UTC),
                        row_count=rows,
                        file_name=parsed.filename,
                        sha256=parsed.sha256,
                        imported_by=user,
                        counts=json.dumps(counts, ensure_ascii=False),
                        status="active",
                    )
                ).inserted_primary_key[0]
            )
            if parsed.measures:
                self._ensure_roadmap_frame(connection)
                self._upsert_measures(connection, parsed.measures, import_id)
            codes = set(REFORM_CODES)
            for report in parsed.status_reports:
                if report.area_code not in codes:
                    raise rejected(ValueError(f"area {report.area_code!r}"))
            self._bulk_insert(connection, db.status_reports, status_rows(parsed, import_id))
            if parsed.status_reports:  # the per-date summary, in the same transaction
                summary.refresh(connection, summary.reach(connection, import_id))
            self._bulk_insert(connection, db.risk_ratings, risk_rows(parsed, import_id))
            self._save_indicators(connection, parsed, import_id)
            self._save_grants(connection, parsed.grants, import_id)
            for note in parsed.notes:
                self._insert_note(connection, note, user, import_id)
            # organisers' rows (issue 20): a batch without them (older example data) has none
            organiser_rows.save(
                connection,
                getattr(parsed, "organiser_edits", ()),
                getattr(parsed, "organiser_reports", ()),
                import_id,
            )
        return import_id

    @staticmethod
    def _save_grants(connection: Connection, grants: Iterable[Grant], import_id: int) -> None:
        """An import's project rows, each with the measures it serves (a few hundred rows at
        most: one INSERT each, for the id its links need)."""
        codes = set(REFORM_CODES)
        for grant in grants:
            if grant.area_code not in codes:
                raise rejected(ValueError(f"area {grant.area_code!r}"))
            grant_id = connection.execute(
                db.grants.insert().values(
                    area_code=grant.area_code,
                    project_key=grant.key,
                    project=grant.project,
                    programme=grant.programme,
                    granted=grant.granted,
                    spent=grant.spent,
                    start_date=grant.start,
                    end_date=grant.end,
                    period=(grant.period_text or None) and grant.period_text[:60],
                    status=grant.status,
                    reported_on=grant.reported_on,
                    import_id=import_id,
                )
            ).inserted_primary_key[0]
            if grant.measures:
                connection.execute(
                    db.grant_measures.insert(),
                    [{"grant_id": grant_id, "measure_id": m} for m in grant.measures],
                )

    @staticmethod
    def _insert_note(
        connection: Connection, note: Note, user: str | None, import_id: int | None
    ) -> int:
        if note.area_code is not None and note.area_code not in set(REFORM_CODES):
            raise rejected(ValueError(f"area {note.area_code!r}"))
        result = connection.execute(
            db.notes.insert().values(
                area_code=note.area_code,
                noted_on=note.noted_on,
                text=note.text,
                source_type=note.source_type,
                link=note.link,
                tags=", ".join(note.tags),
                measure_id=note.measure_id,
                risk_id=note.risk_id,
                created_at=datetime.now(UTC),
                created_by=user,
                import_id=import_id,
            )
        )
        return int(result.inserted_primary_key[0])

    def add_note(self, note: Note, *, user: str | None = None) -> int:
        """One note added on a page (no import); returns its id. ``notes.add_note`` checks the
        person's right and writes the audit row in the same transaction."""
        with self.transaction() as connection:
            return self._insert_note(connection, note, user, None)

    def _save_indicators(self, connection: Connection, parsed: ImportBatch, import_id: int) -> None:
        """An import's indicators and their values, beside earlier values: as with reports,
        nothing is overwritten, and the newest import's value of a region and period counts.

        Metadata follows the same rule: the newest import's name, unit, source and licence count
        (a field it leaves empty keeps the earlier one), and each import's metadata is kept in
        ``indicator_metadata`` so that reverting it puts the earlier metadata back. Keys in
        ``parsed.kept_metadata`` (a preparer's change to metadata another person's import set,
        refused with a warning by the importer) get their values but no metadata of this import.
        """
        values = parsed.indicator_values
        if not values:
            return
        table = db.indicators
        kept = set(parsed.kept_metadata)
        known = {
            row.key: row
            for row in connection.execute(
                select(table).where(table.c.key.in_([i.key for i in parsed.indicators]))
            )
        }
        versions = []
        for indicator in parsed.indicators:
            row = known.get(indicator.key)
            if row is None:
                meta = {name: getattr(indicator, name) for name in METADATA_FIELDS}
                connection.execute(
                    table.insert().values(key=indicator.key, import_id=import_id, **meta)
                )
            elif indicator.key in kept:
                continue
            else:
                meta = merged_metadata(indicator, row)
                if any(getattr(row, name) != value for name, value in meta.items()):
                    connection.execute(table.update().where(table.c.key == row.key).values(**meta))
            versions.append({"indicator_key": indicator.key, "import_id": import_id, **meta})
        if versions:
            connection.execute(db.indicator_metadata.insert(), versions)
        rows = InsertRows(
            INDICATOR_VALUE_COLUMNS,
            [
                (
                    v.indicator,
                    v.level,
                    v.region_code,
                    v.area_code,
                    v.period.text,
                    v.period.start,
                    v.period.end,
                    v.value,
                    import_id,
                )
                for v in values
            ],
        )
        self._bulk_insert(connection, db.indicator_values, rows)

    def _bulk_insert(self, connection: Connection, table: Table, rows: InsertRows) -> None:
        """Many rows into ``table``. On SQLite straight through the driver's ``executemany`` (the
        same plain INSERT, without SQLAlchemy's per-row parameter processing, which costs more than
        the insert itself); on PostgreSQL by COPY; elsewhere through SQLAlchemy Core."""
        if not rows.values:
            return
        names = rows.names
        if connection.dialect.name == "postgresql":
            copy_rows(connection, table.name, rows)
            return
        if connection.dialect.name != "sqlite":
            for chunk in chunks(rows.values, self.chunk_size):
                connection.execute(
                    table.insert(), [dict(zip(names, row, strict=True)) for row in chunk]
                )
            return
        quote = connection.dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        # dates as SQLAlchemy's SQLite Date type stores them: ISO text (a file repeats a few dates)
        dates = [i for i, n in enumerate(names) if isinstance(table.c[n].type, Date)]
        iso: dict[date, str] = {}

        def as_text(day: date | None) -> str | None:
            if day is None:
                return None
            if day not in iso:
                iso[day] = day.isoformat()
            return iso[day]

        for chunk in chunks(rows.values, self.chunk_size):
            if dates:
                converted = []
                for row in chunk:
                    cells = list(row)
                    for i in dates:
                        cells[i] = as_text(cells[i])
                    converted.append(tuple(cells))
                chunk = converted
            connection.exec_driver_sql(sql, chunk)

    @staticmethod
    def _ensure_roadmap_frame(connection: Connection) -> None:
        """A new database gets the default phases and work streams before its first measure."""
        if connection.execute(select(func.count()).select_from(db.phases)).scalar_one():
            return
        connection.execute(
            db.phases.insert(),
            [
                {"number": p.number, "start_date": p.start, "end_date": p.end}
                for p in default_phases()
            ],
        )
        if not connection.execute(select(func.count()).select_from(db.work_streams)).scalar_one():
            connection.execute(
                db.work_streams.insert(),
                [
                    {
                        "key": w.key,
                        "position": i,
                        "name_fi": w.name_fi,
                        "name_sv": w.name_sv,
                        "name_en": w.name_en,
                    }
                    for i, w in enumerate(default_work_streams())
                ],
            )

    @staticmethod
    def _upsert_measures(
        connection: Connection, measures: Sequence[Measure], import_id: int
    ) -> None:
        """Insert new measures, update known ones; what an update changed is kept on the import
        record so that reverting the import can put the old values back."""
        table = db.measures
        fields = ("name", "phase", "work_stream", "critical", "deadline")
        existing = {
            row.id: {name: getattr(row, name) for name in fields}
            for row in connection.execute(select(table.c.id, *(table.c[n] for n in fields)))
        }
        position = connection.execute(select(func.max(table.c.position))).scalar()
        position = -1 if position is None else int(position)
        new = []
        edits = []
        for measure in measures:
            values = {
                "name": measure.name,
                "phase": measure.phase,
                "work_stream": measure.work_stream,
                "critical": bool(measure.critical),
                "deadline": measure.deadline,
            }
            before = existing.get(measure.id)
            if before is None:
                position += 1
                new.append(
                    {"id": measure.id, "position": position, "import_id": import_id, **values}
                )
            elif {**before, "critical": bool(before["critical"])} != values:
                connection.execute(table.update().where(table.c.id == measure.id).values(**values))
                edits.append(
                    {"id": measure.id, "before": _jsonable(before), "after": _jsonable(values)}
                )
        if new:
            connection.execute(table.insert(), new)
        if edits:
            connection.execute(
                db.imports.update()
                .where(db.imports.c.id == import_id)
                .values(measure_edits=json.dumps(edits, ensure_ascii=False))
            )

    @staticmethod
    def _undo_measure_edits(connection: Connection, import_id: int) -> None:
        """Put back the values an import overwrote, where the measure still holds what the import
        wrote (a later import's edit of the same measure is not the revert's to undo)."""
        raw = connection.execute(
            select(db.imports.c.measure_edits).where(db.imports.c.id == import_id)
        ).scalar()
        table = db.measures
        for edit in json.loads(raw) if raw else []:
            current = connection.execute(select(table).where(table.c.id == edit["id"])).first()
            if current is None:
                continue
            after = _from_jsonable(edit["after"])
            if not all(_same(getattr(current, k), v) for k, v in after.items()):
                continue
            connection.execute(
                table.update()
                .where(table.c.id == edit["id"])
                .values(**_from_jsonable(edit["before"]))
            )

    @staticmethod
    def _undo_indicator_metadata(connection: Connection, import_id: int) -> None:
        """After an import's values are gone: the indicators it created and nothing measures
        any more go too, and those whose metadata it gave fall back to the newest metadata an
        import still standing gave (an earlier one, or a later one that stays in force)."""
        versions = db.indicator_metadata
        touched = list(
            connection.execute(
                select(versions.c.indicator_key).where(versions.c.import_id == import_id).distinct()
            ).scalars()
        )
        connection.execute(versions.delete().where(versions.c.import_id == import_id))
        still_measured = select(db.indicator_values.c.indicator_key).distinct()
        gone = select(db.indicators.c.key).where(
            db.indicators.c.import_id == import_id, db.indicators.c.key.not_in(still_measured)
        )
        gone_keys = set(connection.execute(gone).scalars())
        if gone_keys:
            connection.execute(versions.delete().where(versions.c.indicator_key.in_(gone_keys)))
            connection.execute(db.indicators.delete().where(db.indicators.c.key.in_(gone_keys)))
        for key in touched:
            if key in gone_keys:
                continue
            newest = connection.execute(
                select(*(versions.c[name] for name in METADATA_FIELDS))
                .where(versions.c.indicator_key == key)
                .order_by(versions.c.id.desc())
                .limit(1)
            ).first()
            if newest is not None:
                connection.execute(
                    db.indicators.update()
                    .where(db.indicators.c.key == key)
                    .values(**dict(newest._mapping))
                )

    def revert_import(self, import_id: int) -> None:
        """Take an import back: its rows go (and the measures it created, unless something else
        reports on them); the import stays in the history, marked reverted."""
        table = db.imports
        with self.transaction() as connection:
            status = connection.execute(
                select(table.c.status).where(table.c.id == import_id)
            ).scalar()
            if status is None:
                raise SoteError(Issue("import_not_found", params={"import_id": import_id}))
            if status == "reverted":
                raise SoteError(Issue("import_already_reverted", params={"import_id": import_id}))
            spans = summary.reach(connection, import_id)  # the dates its reports may change
            own_grants = select(db.grants.c.id).where(db.grants.c.import_id == import_id)
            connection.execute(
                db.grant_measures.delete().where(db.grant_measures.c.grant_id.in_(own_grants))
            )
            for child in (
                db.status_reports,
                db.risk_ratings,
                db.indicator_values,
                db.grants,
                db.notes,
            ):
                connection.execute(child.delete().where(child.c.import_id == import_id))
            self._undo_indicator_metadata(connection, import_id)
            organiser_rows.delete_import(connection, import_id)
            connection.execute(
                db.indicators.update()
                .where(db.indicators.c.import_id == import_id)
                .values(import_id=None)
            )
            self._undo_measure_edits(connection, import_id)
            still_used = select(db.status_reports.c.measure_id).distinct()
            connection.execute(
                db.measures.delete().where(
                    db.measures.c.import_id == import_id, db.measures.c.id.not_in(still_used)
                )
            )
            connection.execute(
                db.measures.update()
                .where(db.measures.c.import_id == import_id)
                .values(import_id=None)
            )
            summary.refresh(connection, spans)
            connection.execute(
                table.update()
                .where(table.c.id == import_id)
                .values(status="reverted", reverted_at=datetime.now(UTC))
            )
