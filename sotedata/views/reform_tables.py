"""The reform's own datasets as tables: status, metrics, risks, roadmap, changes, moves, imports,
audit trail and grants, one pure function of ``Sources`` and ``TableQuery`` each.

``tables.build_table`` picks the function by the query's dataset, puts the columns in the order
of the dataset's spec and gives them their Finnish headers; the imported datasets (indicators,
notes) are in ``tables_data``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..domain import areas, themes
from ..domain.i18n import t
from ..domain.model import Status
from ..rules import grants, metrics
from ..rules.changes import status_changes
from ..rules.metric_spec import MetricContext
from . import metric_sources
from .query import TableQuery
from .table_base import Column, Sources, area_names, search_rows, to_day, to_moment

STATUS_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("measure_id", "text"),
    ("measure", "text"),
    ("phase", "int"),
    ("work_stream", "text"),
    ("critical", "bool"),
    ("deadline", "date"),
    ("status", "text"),
    ("reported_on", "date"),
    ("comment", "text"),
)


def status_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Every chosen area × measure with its status on ``query.as_of`` (the latest report on or
    before it; never reported → not started, no date)."""
    frames = sources.frames
    as_of = query.as_of or date.today()
    chosen = metrics.filter_measures(
        frames.measures,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
    )
    codes = list(query.areas) or list(areas.REFORM_CODES)
    statuses = metrics.status_as_of(chosen, frames.reports, as_of, sorted(codes))
    if query.statuses:
        statuses = statuses[statuses["status"].isin(query.statuses)]
    if query.overdue_only:
        overdue = metrics.is_overdue(statuses["status"], statuses["deadline"], as_of)
        statuses = statuses[overdue.to_numpy()]
    names = dict(zip(chosen["measure_id"], chosen["name"], strict=True))
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    labels = {s.value: s.label(lang) for s in Status}
    frame = pd.DataFrame(
        {
            "area_code": statuses["area_code"].astype(str).to_numpy(),
            "area": area_names(statuses["area_code"], lang),
            "measure_id": statuses["measure_id"].to_numpy(),
            "measure": [names.get(m) for m in statuses["measure_id"]],
            "phase": statuses["phase"].astype("int64").to_numpy(),
            "work_stream": [streams.get(w, w) for w in statuses["work_stream"]],
            "critical": statuses["critical"].astype(bool).to_numpy(),
            "deadline": [to_day(d) for d in statuses["deadline"]],
            "status": [labels[s] for s in statuses["status"]],
            "reported_on": [to_day(d) for d in statuses["reported_on"]],
            "comment": statuses["comment"].to_numpy(),
        }
    )
    return search_rows(
        frame, query.search, ["area", "measure_id", "measure", "work_stream", "status", "comment"]
    )


METRICS_SPEC = (
    ("code", "code"),
    ("area", "text"),
    *(
        (key, "share" if key in metrics.SHARE_COLUMNS else "int")
        for key in metrics.AREA_COLUMNS[1:]
    ),
    # the map metrics registered beyond the roadmap figures (``metric_sources``)
    *metric_sources.table_columns(),
)


def metrics_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The figures of each chosen area on ``query.as_of`` (``metrics.area_metrics``), then the
    map metrics registered beyond them (``metric_sources``)."""
    codes = list(query.areas) or list(areas.REFORM_CODES)
    as_of = query.as_of or date.today()
    context = MetricContext(
        sources.frames,
        as_of,
        comparison_date(query, as_of),
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
        areas=tuple(codes),
    )
    table = metric_sources.area_table(context, metric_sources.extra_keys())
    table.insert(1, "area", area_names(table["code"], lang))
    table["max_risk"] = [None if pd.isna(v) else int(v) for v in table["max_risk"]]
    return search_rows(table, query.search, ["code", "area"]).reset_index(drop=True)


def comparison_date(query: TableQuery, as_of: date) -> date | None:
    """The comparison date of the figures' change columns: the query's (``resolve_dates``) when
    it is before ``as_of``; the frames hold that date's reports only when the query names it."""
    return query.since if query.since is not None and query.since < as_of else None


RISK_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("risk_id", "text"),
    ("risk", "text"),
    ("theme", "text"),
    ("likelihood", "int"),
    ("impact", "int"),
    ("score", "int"),
    ("mitigation", "text"),
    ("owner", "text"),
    ("reported_on", "date"),
)


def risks_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Each risk by its latest rating on or before ``query.as_of``, highest score first
    (national risks, which belong to no area, only when no area is chosen)."""
    risks = sources.frames.risks
    if risks is None or risks.empty:
        return pd.DataFrame(columns=[key for key, _ in RISK_SPEC])
    areas_or_none = risks["area_code"].astype(object)
    keyed = risks.assign(_area=areas_or_none.where(areas_or_none.notna(), ""))
    # metrics' own rule: the latest rating on or before the day, a closed risk left out
    latest = metrics.latest_rows(keyed, ["_area", "risk_id"], query.as_of or date.today())
    if query.areas:
        latest = latest[latest["area_code"].isin(query.areas)]
    score = latest["likelihood"].astype("int64") * latest["impact"].astype("int64")
    if query.risk_min is not None:
        latest, score = latest[score >= query.risk_min], score[score >= query.risk_min]
    if query.risk_max is not None:
        latest, score = latest[score <= query.risk_max], score[score <= query.risk_max]
    latest = latest.assign(_score=score).sort_values(
        ["_score", "_area", "risk_id"], ascending=[False, True, True], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "area_code": [c if isinstance(c, str) else None for c in latest["area_code"]],
            "area": area_names(latest["area_code"], lang),
            "risk_id": latest["risk_id"].to_numpy(),
            "risk": latest["title"].to_numpy(),
            # the app's vocabulary in the page's language; an unknown theme as it was written
            "theme": [themes.label(x, lang) if isinstance(x, str) else x for x in latest["theme"]],
            "likelihood": latest["likelihood"].astype("int64").to_numpy(),
            "impact": latest["impact"].astype("int64").to_numpy(),
            "score": latest["_score"].astype("int64").to_numpy(),
            "mitigation": latest["mitigation"].to_numpy(),
            "owner": latest["owner"].to_numpy(),
            "reported_on": [to_day(d) for d in latest["reported_on"]],
        }
    )
    return search_rows(
        frame, query.search, ["area", "risk_id", "risk", "theme", "mitigation", "owner"]
    )


ROADMAP_SPEC = (
    ("measure_id", "text"),
    ("measure", "text"),
    ("phase", "int"),
    ("work_stream", "text"),
    ("critical", "bool"),
    ("deadline", "date"),
)


def roadmap_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The roadmap's measures in roadmap order (overdue: the deadline is before ``as_of``)."""
    frames = sources.frames
    chosen = metrics.filter_measures(
        frames.measures,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
    )
    if query.overdue_only:
        deadline = pd.to_datetime(chosen["deadline"], errors="coerce")
        chosen = chosen[(deadline < pd.Timestamp(query.as_of or date.today())).to_numpy()]
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    frame = pd.DataFrame(
        {
            "measure_id": chosen["measure_id"].to_numpy(),
            "measure": chosen["name"].to_numpy(),
            "phase": chosen["phase"].astype("int64").to_numpy(),
            "work_stream": [streams.get(w, w) for w in chosen["work_stream"]],
            "critical": chosen["critical"].astype(bool).to_numpy(),
            "deadline": [to_day(d) for d in chosen["deadline"]],
        }
    )
    return search_rows(frame, query.search, ["measure_id", "measure", "work_stream"])


def changes_spec(lang: str | None) -> tuple[Column, ...]:
    columns = [
        Column("code", "code", t("tables.col.code", lang)),
        Column("area", "text", t("tables.col.area", lang)),
    ]
    for key, spec in metrics.METRICS.items():
        share = spec["kind"] == "share"
        label = t(f"tables.col.{key}", lang)
        columns += [
            Column(key, "share" if share else "int", t("tables.col.now", lang, metric=label)),
            Column(
                f"{key}_since",
                "share" if share else "int",
                t("tables.col.then", lang, metric=label),
            ),
            Column(
                f"{key}_change",
                "share_change" if share else "change",
                t("tables.col.change", lang, metric=label),
            ),
        ]
    return tuple(columns)


def changes_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Each chosen area's figures on ``as_of`` and on ``since`` and the change between them."""
    frames = sources.frames
    as_of = query.as_of or date.today()
    table = metrics.change_since(
        frames.measures,
        frames.reports,
        frames.risks,
        as_of,
        query.since or as_of,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
        areas=list(query.areas) or list(areas.REFORM_CODES),
    )
    table.insert(1, "area", area_names(table["code"], lang))
    for key, spec in metrics.METRICS.items():
        if spec["kind"] == "count":
            for column in (key, f"{key}_since", f"{key}_change"):
                table[column] = [None if pd.isna(v) else int(v) for v in table[column]]
    return search_rows(table, query.search, ["code", "area"]).reset_index(drop=True)


MOVES_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("measure_id", "text"),
    ("measure", "text"),
    ("phase", "int"),
    ("work_stream", "text"),
    ("critical", "bool"),
    ("deadline", "date"),
    ("from_status", "text"),
    ("to_status", "text"),
    ("reported_on", "date"),
)


def moves_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Each area × measure whose status on ``as_of`` differs from its status on ``since``
    (``sotedata.rules.changes.status_changes``); the status filter picks the new status."""
    as_of = query.as_of or date.today()
    since = query.since or as_of
    if since > as_of:
        since, as_of = as_of, since  # a comparison date after the as-of date: the same span
    frames = sources.frames
    chosen = metrics.filter_measures(
        frames.measures,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
    )
    moved = status_changes(replace_frames(frames, chosen), since, as_of)
    if query.areas:
        moved = moved[moved["area_code"].isin(query.areas)]
    if query.statuses:
        moved = moved[moved["to_status"].isin(query.statuses)]
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    labels = {s.value: s.label(lang) for s in Status}
    frame = pd.DataFrame(
        {
            "area_code": moved["area_code"].astype(str).to_numpy(),
            "area": area_names(moved["area_code"], lang),
            "measure_id": moved["measure_id"].to_numpy(),
            "measure": moved["name"].to_numpy(),
            "phase": moved["phase"].astype("int64").to_numpy(),
            "work_stream": [streams.get(w, w) for w in moved["work_stream"]],
            "critical": moved["critical"].astype(bool).to_numpy(),
            "deadline": [to_day(d) for d in moved["deadline"]],
            "from_status": [labels[s] for s in moved["from_status"]],
            "to_status": [labels[s] for s in moved["to_status"]],
            "reported_on": [to_day(d) for d in moved["reported_on"]],
        }
    )
    return search_rows(
        frame, query.search, ["area", "measure_id", "measure", "work_stream", "to_status"]
    )


def replace_frames(frames: metrics.Frames, measures: pd.DataFrame) -> metrics.Frames:
    """``frames`` with only ``measures`` (the phase, work stream and critical filters)."""
    return replace(frames, measures=measures)


IMPORTS_SPEC = (
    ("import_id", "int"),
    ("loaded_at", "datetime"),
    ("kind", "text"),
    ("source", "text"),
    ("row_count", "int"),
    ("imported_by", "text"),
    ("import_status", "text"),
    ("reverted_at", "datetime"),
)


def _on_or_after(frame: pd.DataFrame, moments: list[Any], since: date | None) -> pd.DataFrame:
    """The rows whose moment falls on or after the day ``since`` (all without it)."""
    if since is None:
        return frame
    keep = [m is not None and m.date() >= since for m in moments]
    return frame[np.array(keep, dtype=bool)]


def imports_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The import history, newest first (``since``: loaded on or after that day)."""
    history = sources.imports
    if history is None or history.empty:
        return pd.DataFrame(columns=[key for key, _ in IMPORTS_SPEC])
    loaded = [to_moment(v) for v in history["loaded_at"]]
    frame = pd.DataFrame(
        {
            "import_id": history["id"].astype("int64").to_numpy(),
            "loaded_at": loaded,
            "kind": [t(f"tables.import_kind.{k}", lang) for k in history["kind"]],
            "source": [
                f if isinstance(f, str) and f else s
                for f, s in zip(history["file_name"], history["source"], strict=True)
            ],
            "row_count": history["row_count"].astype("int64").to_numpy(),
            "imported_by": history["imported_by"].to_numpy(),
            "import_status": [t(f"tables.import_status.{s}", lang) for s in history["status"]],
            "reverted_at": [to_moment(v) for v in history["reverted_at"]],
        }
    )
    frame = _on_or_after(frame, loaded, query.since).iloc[::-1]
    return search_rows(frame, query.search, ["kind", "source", "imported_by", "import_status"])


AUDIT_SPEC = (
    ("at", "datetime"),
    ("actor", "text"),
    ("channel", "text"),
    ("action", "text"),
    ("target", "text"),
    ("details", "text"),
)


def audit_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The audit trail, newest first (``since``: on or after that day)."""
    log = sources.audit
    if log is None or log.empty:
        return pd.DataFrame(columns=[key for key, _ in AUDIT_SPEC])
    moments = [to_moment(v) for v in log["at"]]
    frame = pd.DataFrame(
        {
            "at": moments,
            "actor": log["actor"].to_numpy(),
            "channel": log["channel"].to_numpy(),
            "action": [t(f"admin.action.{a}", lang) for a in log["action"]],
            "target": log["target"].to_numpy(),
            "details": log["details"].to_numpy(),
        }
    )
    frame = _on_or_after(frame, moments, query.since)
    return search_rows(frame, query.search, ["actor", "action", "target", "details"])


GRANTS_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("projects", "int"),
    ("granted", "int"),
    ("spent", "int"),
    ("spent_share", "share"),
    ("population", "int"),
    ("granted_per_inhabitant", "float"),
    ("spent_per_inhabitant", "float"),
)


def grants_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Granted and spent € per area on ``query.as_of`` (each project by its latest row), the
    spent share and € per inhabitant where a population is known (``grants.area_totals``)."""
    frame = sources.grants if sources.grants is not None else pd.DataFrame()
    totals = grants.area_totals(frame, query.as_of, sources.population)
    if query.areas:
        totals = totals[totals["area_code"].isin(query.areas)]
    totals.insert(1, "area", area_names(totals["area_code"], lang))
    for column in ("granted", "spent", "population"):
        totals[column] = [None if pd.isna(v) else round(float(v)) for v in totals[column]]
    return search_rows(totals, query.search, ["area_code", "area"]).reset_index(drop=True)
