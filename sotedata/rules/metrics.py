"""The figures of the situation picture, as pure functions of three DataFrames and a date.

Inputs are the frames the store returns (``load_frames``): measures [measure_id, name, phase,
work_stream, critical, deadline], status reports [area_code, measure_id, status, reported_on,
comment] and risk ratings [area_code, risk_id, …, likelihood, impact, reported_on]. Nothing here
touches the database, so the pages, the CLI and the tests compute the same numbers.

The rules, in one place:

* the status of a measure on a day is the area's latest report on or before that day; a measure
  never reported is not started; a later report on the same day wins (load order);
* not-applicable measures leave every count and denominator;
* started = in progress + delayed + done; a share is NaN when its denominator is 0;
* overdue = applicable, deadline before the day, not done;
* a risk counts by its latest rating on or before the day; high = score ≥ ``HIGH_RISK_SCORE``;
  national risks (no area) are never an area's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..domain import areas as area_registry
from ..domain.areas import REFORM_CODES
from ..domain.model import HIGH_RISK_SCORE, STARTED, Phase, Status, WorkStream
from ..domain.ports import ReformSource, SnapshotSource

#: the metrics of the national map, in menu order: what kind of number and which way is good
METRICS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "done_share": {"kind": "share", "direction": "higher_is_better"},
        "started_share": {"kind": "share", "direction": "higher_is_better"},
        "critical_done_share": {"kind": "share", "direction": "higher_is_better"},
        "critical_started_share": {"kind": "share", "direction": "higher_is_better"},
        "overdue": {"kind": "count", "direction": "lower_is_better"},
        "delayed": {"kind": "count", "direction": "lower_is_better"},
        "high_risks": {"kind": "count", "direction": "lower_is_better"},
        "max_risk": {"kind": "count", "direction": "lower_is_better"},
    }
)

COUNT_COLUMNS = [
    "measures",
    "started",
    "done",
    "in_progress",
    "delayed",
    "not_started",
    "critical_measures",
    "overdue",
]
SHARE_COLUMNS = ["started_share", "done_share", "critical_started_share", "critical_done_share"]
AREA_COLUMNS = [
    "code",
    "measures",
    "started",
    "done",
    "in_progress",
    "delayed",
    "not_started",
    "started_share",
    "done_share",
    "critical_measures",
    "critical_started_share",
    "critical_done_share",
    "overdue",
    "risks",
    "high_risks",
    "max_risk",
]
#: metrics that a work stream can carry (risks belong to areas, not to work streams)
MEASURE_METRICS = frozenset(COUNT_COLUMNS + SHARE_COLUMNS)
STATUS_COLUMNS = [
    "area_code",
    "measure_id",
    "phase",
    "work_stream",
    "critical",
    "deadline",
    "status",
    "reported_on",
    "comment",
]
_REPORT_COLUMNS = ["area_code", "measure_id", "status", "reported_on", "comment"]
_STARTED = frozenset(s.value for s in STARTED)
_NA = Status.NOT_APPLICABLE.value
_DONE = Status.DONE.value


@dataclass(frozen=True)
class Frames:
    """What the pages load once and cache: the three input frames and the roadmap's frame."""

    measures: pd.DataFrame
    reports: pd.DataFrame
    risks: pd.DataFrame
    phases: tuple[Phase, ...] = ()
    work_streams: tuple[WorkStream, ...] = ()


def load_frames(store: ReformSource) -> Frames:
    """Everything the figures need, read from a ``Store`` in three queries."""
    roadmap = store.load_roadmap()
    return Frames(
        measures=roadmap.measures_frame(),
        reports=store.status_reports(),
        risks=store.risk_ratings(),
        phases=roadmap.phases,
        work_streams=roadmap.work_streams,
    )


def frames_on(store: SnapshotSource, days: Iterable[date]) -> Frames:
    """What the figures of ``days`` need (an as-of date and its comparison date): the latest
    report per area × measure and rating per risk on each of them, read by the database, so at
    most one row per pair and date however long the history is. Every figure of those dates is
    the one ``load_frames`` gives; a series over other dates needs ``load_frames``."""
    chosen = sorted(set(days))
    roadmap = store.load_roadmap()
    return Frames(
        measures=roadmap.measures_frame(),
        reports=store.status_on_dates(chosen),
        risks=store.risks_on_dates(chosen),
        phases=roadmap.phases,
        work_streams=roadmap.work_streams,
    )


# --- helpers ----------------------------------------------------------------------------------


def _days(values: pd.Series) -> pd.Series:
    """Dates of any spelling (date objects, strings, Timestamps, None) as comparable datetimes."""
    return pd.to_datetime(values, errors="coerce")


def is_overdue(status: pd.Series, deadline: pd.Series, day: date) -> pd.Series:
    """The one rule of "overdue" (the key figure, the area's flags, the tables' filter): the
    measure applies, is not done and its deadline was before ``day``; a measure without a deadline
    (a continuous task) never is."""
    return (status != _NA) & (status != _DONE) & (_days(deadline) < pd.Timestamp(day))


def _none_for_missing(values: pd.Series) -> pd.Series:
    values = values.astype(object)
    return values.where(values.notna(), None)


def filter_measures(
    measures: pd.DataFrame,
    *,
    phase: int | None = None,
    work_stream: str | None = None,
    critical_only: bool = False,
) -> pd.DataFrame:
    """The measures the page's filters keep (risks are never filtered by these)."""
    keep = pd.Series(True, index=measures.index)
    if phase is not None:
        keep &= measures["phase"] == int(phase)
    if work_stream is not None:
        keep &= measures["work_stream"] == work_stream
    if critical_only:
        keep &= measures["critical"].astype(bool)
    return measures[keep]


def latest_rows(
    frame: pd.DataFrame, keys: list[str], as_of: date, *, keep_closed: bool = False
) -> pd.DataFrame:
    """The last row per ``keys`` dated on or before ``as_of`` (ties: the row loaded last).

    A risk whose last rating closed it is gone from that date on, so it is left out unless
    ``keep_closed`` (the change lists need it, to say it was closed)."""
    days = _days(frame["reported_on"])
    mask = (days <= pd.Timestamp(as_of)).to_numpy()
    picked = frame[mask]
    order = np.argsort(days[mask].to_numpy(), kind="stable")
    latest = picked.iloc[order].drop_duplicates(keys, keep="last")
    if not keep_closed and "closed" in latest.columns:
        latest = latest[~latest["closed"].astype(bool).to_numpy()]
    return latest


# --- status -----------------------------------------------------------------------------------


def status_as_of(
    measures: pd.DataFrame,
    reports: pd.DataFrame,
    as_of: date,
    areas: Sequence[str] = REFORM_CODES,
) -> pd.DataFrame:
    """Every area × measure with its status on ``as_of`` (never reported → not started)."""
    codes = list(areas)
    reports = reports.reindex(columns=_REPORT_COLUMNS)
    reports = reports[reports["area_code"].isin(codes)]
    latest = latest_rows(reports, ["area_code", "measure_id"], as_of)
    ids = measures["measure_id"].to_numpy()
    grid = pd.DataFrame(
        {
            "area_code": np.repeat(np.array(codes, dtype=object), len(ids)),
            "measure_id": np.tile(ids, len(codes)),
        }
    )
    attributes = measures[["measure_id", "phase", "work_stream", "critical", "deadline"]]
    frame = grid.merge(attributes, on="measure_id", how="left").merge(
        latest, on=["area_code", "measure_id"], how="left"
    )
    frame["status"] = frame["status"].astype(object).fillna(Status.NOT_STARTED.value).map(str)
    frame["reported_on"] = _none_for_missing(frame["reported_on"])
    frame["comment"] = _none_for_missing(frame["comment"])
    frame["critical"] = frame["critical"].astype(bool)
    return frame[STATUS_COLUMNS]


def _measure_counts(
    statuses: pd.DataFrame, as_of: date, keys: list[str], index: pd.Index
) -> pd.DataFrame:
    """Counts and shares per ``keys`` (reindexed to ``index``, so empty groups show zeros)."""
    status = statuses["status"]
    applicable = status != _NA
    critical = statuses["critical"].astype(bool) & applicable
    started = status.isin(_STARTED)
    done = status == _DONE
    overdue = is_overdue(status, statuses["deadline"], as_of)
    flags = pd.DataFrame(
        {
            **{key: statuses[key] for key in keys},
            "measures": applicable,
            "started": started,
            "done": done,
            "in_progress": status == Status.IN_PROGRESS.value,
            "delayed": status == Status.DELAYED.value,
            "not_started": status == Status.NOT_STARTED.value,
            "critical_measures": critical,
            "critical_started": critical & started,
            "critical_done": critical & done,
            "overdue": overdue,
        }
    )
    counts = flags.groupby(keys, sort=False).sum().reindex(index, fill_value=0).astype("int64")

    def share(part: str, whole: str) -> pd.Series:
        denominator = counts[whole].where(counts[whole] > 0)
        return (counts[part] / denominator).astype(float)

    counts["started_share"] = share("started", "measures")
    counts["done_share"] = share("done", "measures")
    counts["critical_started_share"] = share("critical_started", "critical_measures")
    counts["critical_done_share"] = share("critical_done", "critical_measures")
    return counts.drop(columns=["critical_started", "critical_done"])


def _risk_counts(risks: pd.DataFrame, as_of: date, codes: Sequence[str]) -> pd.DataFrame:
    """risks, high_risks, max_risk per area from each risk's latest rating."""
    columns = ["risks", "high_risks", "max_risk"]
    if risks is None or risks.empty:
        empty = pd.DataFrame(index=pd.Index(codes, name="area_code"), columns=columns)
        return empty.assign(risks=0, high_risks=0, max_risk=math.nan)
    own = risks[risks["area_code"].isin(codes)]
    latest = latest_rows(own, ["area_code", "risk_id"], as_of)
    score = latest["likelihood"].astype("int64") * latest["impact"].astype("int64")
    per_area = pd.DataFrame(
        {"area_code": latest["area_code"], "score": score, "high": score >= HIGH_RISK_SCORE}
    ).groupby("area_code")
    counts = pd.DataFrame(
        {
            "risks": per_area.size(),
            "high_risks": per_area["high"].sum(),
            "max_risk": per_area["score"].max(),
        }
    ).reindex(codes)
    counts["risks"] = counts["risks"].fillna(0).astype("int64")
    counts["high_risks"] = counts["high_risks"].fillna(0).astype("int64")
    counts["max_risk"] = counts["max_risk"].astype(float)
    return counts


def area_metrics(
    measures: pd.DataFrame,
    reports: pd.DataFrame,
    risks: pd.DataFrame | None,
    as_of: date,
    *,
    phase: int | None = None,
    work_stream: str | None = None,
    critical_only: bool = False,
    areas: Sequence[str] = REFORM_CODES,
) -> pd.DataFrame:
    """One row per area, in code order: the counts, shares and risk figures of ``as_of``."""
    codes = sorted(areas)
    chosen = filter_measures(
        measures, phase=phase, work_stream=work_stream, critical_only=critical_only
    )
    statuses = status_as_of(chosen, reports, as_of, codes)
    index = pd.Index(codes, name="area_code")
    counts = _measure_counts(statuses, as_of, ["area_code"], index)
    table = counts.join(_risk_counts(risks, as_of, codes))
    table = table.reset_index().rename(columns={"area_code": "code"})
    return table[AREA_COLUMNS]


def last_reported(
    reports: pd.DataFrame, as_of: date, areas: Sequence[str] = REFORM_CODES
) -> pd.Series:
    """Each area's latest reporting date on or before ``as_of`` (None when it has not reported):
    what the map says beside its figures, since an area's figures are its latest reports and one
    area's upload must not pass for everyone's date."""
    codes = sorted(areas)
    days = _days(reports["reported_on"])
    mask = (days <= pd.Timestamp(as_of)).to_numpy() & reports["area_code"].isin(codes).to_numpy()
    latest = days[mask].groupby(reports["area_code"][mask].astype(str)).max()
    latest = latest.reindex(codes)
    return pd.Series(
        [None if pd.isna(v) else v.date() for v in latest], index=pd.Index(codes, name="code")
    )


def national_medians(metrics_df: pd.DataFrame) -> dict[str, float]:
    """The median of every figure over the areas (the national reference line)."""
    medians = {}
    for column in metrics_df.columns:
        if column == "code":
            continue
        values = pd.to_numeric(metrics_df[column], errors="coerce").dropna()
        medians[column] = float(values.median()) if len(values) else math.nan
    return medians


def area_workstream_table(
    measures: pd.DataFrame,
    reports: pd.DataFrame,
    as_of: date,
    *,
    metric: str = "done_share",
    phase: int | None = None,
    critical_only: bool = False,
    areas: Sequence[str] = REFORM_CODES,
    work_streams: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Long form [code, work_stream, value, measures] for every area × work stream: the
    ministry's monthly colour table. Work streams in roadmap order (first appearance)."""
    if metric not in MEASURE_METRICS:
        raise ValueError(f"{metric!r} is not a measure metric: {sorted(MEASURE_METRICS)}")
    codes = sorted(areas)
    streams = list(work_streams or pd.unique(measures["work_stream"]))
    chosen = filter_measures(measures, phase=phase, critical_only=critical_only)
    statuses = status_as_of(chosen, reports, as_of, codes)
    index = pd.MultiIndex.from_product([codes, streams], names=["area_code", "work_stream"])
    counts = _measure_counts(statuses, as_of, ["area_code", "work_stream"], index)
    table = counts[[metric, "measures"]].rename(columns={metric: "value"}).reset_index()
    table = table.rename(columns={"area_code": "code"})
    return table[["code", "work_stream", "value", "measures"]]


def phase_status_counts(
    measures: pd.DataFrame, reports: pd.DataFrame, area_code: str, as_of: date
) -> pd.DataFrame:
    """[phase, status, count] of one area, every phase × status (zeros included)."""
    statuses = status_as_of(measures, reports, as_of, [area_code])
    phases = sorted(int(p) for p in pd.unique(measures["phase"]))
    order = [s.value for s in Status]
    counts = statuses.groupby(["phase", "status"]).size()
    index = pd.MultiIndex.from_product([phases, order], names=["phase", "status"])
    return counts.reindex(index, fill_value=0).astype("int64").rename("count").reset_index()


def change_since(
    measures: pd.DataFrame,
    reports: pd.DataFrame,
    risks: pd.DataFrame | None,
    as_of: date,
    since: date,
    **filters: Any,
) -> pd.DataFrame:
    """Per area, each map metric on ``as_of``, on ``since`` and the change between them
    (columns ``done_share``, ``done_share_since``, ``done_share_change``, …)."""
    now = area_metrics(measures, reports, risks, as_of, **filters).set_index("code")
    then = area_metrics(measures, reports, risks, since, **filters).set_index("code")
    table = pd.DataFrame(index=now.index)
    for key in METRICS:
        table[key] = now[key]
        table[f"{key}_since"] = then[key]
        table[f"{key}_change"] = now[key].astype(float) - then[key].astype(float)
    return table.reset_index()


# --- the documented JSON ----------------------------------------------------------------------

SUMMARY_AREA_KEYS = (
    "code",
    "name",
    "measures",
    "started_share",
    "done_share",
    "critical_started_share",
    "critical_done_share",
    "overdue",
    "delayed",
    "risks",
    "high_risks",
    "max_risk",
)


def _number(value: Any, integer: bool = False) -> float | int | None:
    if value is None or pd.isna(value):
        return None
    return int(value) if integer else float(value)


def summary(
    source: Frames | SnapshotSource, as_of: date, lang: str | None = None
) -> dict[str, Any]:
    """The figures of ``as_of`` in the shape of ``sote summary --json`` (NaN becomes null)::

    {"as_of": "YYYY-MM-DD",
     "areas": [{"code", "name", "measures", "started_share", "done_share",
                "critical_started_share", "critical_done_share", "overdue", "delayed",
                "risks", "high_risks", "max_risk"}, … the 22 areas in code order],
     "national": {"median_done_share", "median_started_share"}}
    """
    frames = source if isinstance(source, Frames) else frames_on(source, [as_of])
    table = area_metrics(frames.measures, frames.reports, frames.risks, as_of)
    medians = national_medians(table)
    shares = set(SHARE_COLUMNS)
    rows = []
    for record in table.to_dict("records"):
        row: dict[str, Any] = {
            "code": record["code"],
            "name": area_registry.get(record["code"]).name(lang),
        }
        for key in SUMMARY_AREA_KEYS[2:]:
            row[key] = _number(record[key], integer=key not in shares)
        rows.append(row)
    return {
        "as_of": as_of.isoformat(),
        "areas": rows,
        "national": {
            "median_done_share": _number(medians["done_share"]),
            "median_started_share": _number(medians["started_share"]),
        },
    }
