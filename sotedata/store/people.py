"""People and the audit trail in the database: who has which role, and who did what.

Every change that matters (an import, a revert, a role given or taken, an export) writes one
audit row *in the same transaction* as the change itself, so the trail can neither miss a change
that happened nor record one that was rolled back. ``Store.transaction()`` nests: a caller opens
it, makes the change, calls ``record``, and both commit or neither does.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from ..domain import areas
from ..domain.access import NO_ROLE, Principal, Role, check_role_areas, parse_role
from ..domain.errors import Issue, SoteError
from ..rules.notes import Note, may_write
from . import db
from .engine import Store

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd

AUDIT_COLUMNS = ["id", "at", "actor", "channel", "action", "target", "details"]
USER_COLUMNS = ["username", "display_name", "role", "areas", "updated_at", "updated_by"]
#: every action the trail records, in the order the administration page's filter lists them
#: (each named by the catalog key ``admin.action.<action>``)
AUDIT_ACTIONS = ("import", "revert", "role", "export", "note", "demo")


def _safe(value: Any) -> Any:
    """A value JSON can hold without extensions: a missing number (NaN, NaT, pandas' NA, an
    infinity) is null, a date or anything else unknown its text. Python's ``json`` would write
    ``NaN``, which strict readers (JavaScript, PostgreSQL's json) refuse."""
    if isinstance(value, dict):
        return {str(key): _safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_safe(item) for item in items]
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return value if math.isfinite(value) else None
    import pandas as pd  # only for what no plain check above answers (NaT, pandas' NA, numpy)

    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # an array-like pd.isna cannot answer for as one value
        pass
    if hasattr(value, "item"):  # numpy scalars
        return _safe(value.item())
    return str(value)


def _json(details: dict[str, Any]) -> str | None:
    """The audit row's details as strict JSON (``allow_nan=False``: never ``NaN``)."""
    if not details:
        return None
    return json.dumps(_safe(details), ensure_ascii=False, sort_keys=True, allow_nan=False)


def record(
    store: Store, principal: Principal, action: str, target: str | None = None, **details: Any
) -> None:
    """One audit row; inside the caller's transaction when one is open. ``action`` is one of
    ``AUDIT_ACTIONS``: a row the trail's filter could not find is refused before it is written."""
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"not an audit action: {action!r}")
    with store.transaction() as connection:
        connection.execute(
            db.audit.insert().values(
                at=datetime.now(UTC),
                actor=principal.user,
                channel=principal.channel,
                action=action,
                target=target,
                details=_json(details),
            )
        )


def audit_log(
    store: Store,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
) -> pd.DataFrame:
    """The trail, newest first, filtered by who, what and from when."""
    import pandas as pd

    table = db.audit
    query = select(*(table.c[name] for name in AUDIT_COLUMNS)).order_by(table.c.id.desc())
    if actor:
        query = query.where(table.c.actor == actor)
    if action:
        query = query.where(table.c.action == action)
    if since is not None:
        query = query.where(table.c.at >= datetime(since.year, since.month, since.day, tzinfo=UTC))
    with store.reading() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS, dtype=object)


# --- users ----------------------------------------------------------------------------------


def _codes(values: list[str] | tuple[str, ...]) -> list[str]:
    """Area codes from codes or names, each checked against the registry."""
    codes = []
    for value in values:
        resolution = areas.resolve(value)
        area = resolution.area
        if area is None or not area.in_reform:
            raise SoteError(Issue("unknown_area", params={"text": value, "candidates": ""}))
        codes.append(area.code)
    return sorted(set(codes))


def users(store: Store) -> pd.DataFrame:
    import pandas as pd

    table = db.users
    query = select(*(table.c[name] for name in USER_COLUMNS)).order_by(table.c.username)
    with store.reading() as connection:
        rows = [tuple(row) for row in connection.execute(query)]
    return pd.DataFrame(rows, columns=USER_COLUMNS, dtype=object)


def has_users(store: Store) -> bool:
    """Whether anyone is in the user table: the end of the open mode, on the pages as on the
    command line (one row read, so every page run can afford to ask)."""
    with store.reading() as connection:
        return connection.execute(select(db.users.c.username).limit(1)).first() is not None


def _current(connection: Connection, username: str) -> dict[str, Any] | None:
    row = connection.execute(select(db.users).where(db.users.c.username == username)).first()
    return None if row is None else dict(row._mapping)


def set_user(
    store: Store,
    actor: Principal,
    username: str,
    role: str | Role,
    area_values: list[str] | tuple[str, ...] = (),
    *,
    display_name: str | None = None,
) -> None:
    """Add a person or change their role and areas (an administrator's act, audited)."""
    actor.require(actor.can_manage_users, "manage_users")
    role = role if isinstance(role, Role) else parse_role(role)
    codes = _codes(area_values)
    check_role_areas(username, role, codes)
    values = {
        "role": role.value,
        "areas": ",".join(codes),
        "updated_at": datetime.now(UTC),
        "updated_by": actor.user,
    }
    if display_name is not None:
        values["display_name"] = display_name
    with store.transaction() as connection:
        before = _current(connection, username)
        if before is None:
            connection.execute(db.users.insert().values(username=username, **values))
        else:
            connection.execute(
                db.users.update().where(db.users.c.username == username).values(**values)
            )
        record(
            store,
            actor,
            "role",
            username,
            before={"role": before["role"], "areas": before["areas"]} if before else None,
            after={"role": role.value, "areas": values["areas"]},
        )


def remove_user(store: Store, actor: Principal, username: str) -> None:
    actor.require(actor.can_manage_users, "manage_users")
    with store.transaction() as connection:
        before = _current(connection, username)
        if before is None:
            raise SoteError(Issue("unknown_user", params={"user": username}))
        connection.execute(db.users.delete().where(db.users.c.username == username))
        record(
            store,
            actor,
            "role",
            username,
            before={"role": before["role"], "areas": before["areas"]},
            after=None,
        )


def principal_for(
    store: Store, username: str, *, channel: str = "ui", unknown_role: str = Role.READER.value
) -> Principal:
    """The signed-in person's rights: from the user table, else the configured default."""
    with store.reading() as connection:
        row = _current(connection, username)
    if row is not None:
        codes = frozenset(code for code in (row["areas"] or "").split(",") if code)
        return Principal(username, Role(row["role"]), codes, channel)
    if unknown_role.strip().lower() == NO_ROLE:
        return Principal(username, None, frozenset(), channel)
    return Principal(username, parse_role(unknown_role), frozenset(), channel)


# --- reverts --------------------------------------------------------------------------------


def import_reach(store: Store, import_id: int) -> tuple[set[str | None], bool]:
    """The areas an import's rows belong to (None: a national risk) and whether it created or
    changed roadmap measures: what a person must be allowed to have done to undo it."""
    with store.reading() as connection:
        reach: set[str | None] = set()
        for table in (db.status_reports, db.risk_ratings, db.indicator_values, db.grants, db.notes):
            query = select(table.c.area_code).where(table.c.import_id == import_id).distinct()
            reach |= set(connection.execute(query).scalars())
        created = connection.execute(
            select(db.measures.c.id).where(db.measures.c.import_id == import_id).limit(1)
        ).first()
        edits = connection.execute(
            select(db.imports.c.measure_edits).where(db.imports.c.id == import_id)
        ).scalar()
    return reach, created is not None or bool(edits)


def may_revert(store: Store, principal: Principal, import_id: int) -> bool:
    """Whether to offer this person the revert of this import (the revert checks again)."""
    if principal.can_revert_any:  # no need to read what the import touched
        return True
    reach, changes_roadmap = import_reach(store, import_id)
    return principal.may_revert(reach, changes_roadmap=changes_roadmap)


def revert_import(store: Store, principal: Principal, import_id: int) -> None:
    """Take an import back if this person may (see ``Principal.may_revert``), audited."""
    history = store.imports().set_index("id")
    if import_id not in history.index:
        raise SoteError(Issue("import_not_found", params={"import_id": import_id}))
    principal.require(may_revert(store, principal, import_id), "revert")
    with store.transaction():
        store.revert_import(import_id)
        record(store, principal, "revert", str(import_id), file=history.loc[import_id, "file_name"])


def record_export(store: Store, principal: Principal, table: str, **details: Any) -> None:
    """An export leaves a trace: who took which table out, with which filters."""
    principal.require(principal.can_export, "export")
    record(store, principal, "export", table, **details)


def add_note(store: Store, principal: Principal, note: Note) -> int:
    """Store ``note`` for ``principal`` if they may write for its area (``forbidden`` if not),
    with its audit row in the same transaction. Returns the note's id."""
    principal.require(may_write(principal, note.area_code), "add_note")
    with store.transaction():
        note_id = store.add_note(note, user=principal.user)
        record(
            store,
            principal,
            "note",
            str(note_id),
            area=note.area_code,
            date=note.noted_on.isoformat(),
            source_type=note.source_type,
        )
    return note_id
