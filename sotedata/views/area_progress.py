"""An area's progress as data: the progress bars' counts, the roadmap timeline with its key dates
and the progress over time beside the national median and the roadmap's plan.

Apart from the area's other tables because the area charts draw these (``charts.area``) and the
history join is the one costly computation of the page; each has a sentence that says what the
chart shows, for readers who do not see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..domain import areas
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.model import Phase, Status
from ..rules import metrics
from ..rules.progress import PROGRESS_STATUSES, KeyDate
from .national import format_value

# --- progress bars ----------------------------------------------------------------------------


def progress_counts(
    table: pd.DataFrame, by: str, *, order: Sequence[object], labels: Sequence[str]
) -> pd.DataFrame:
    """Counts and shares of done / in progress / delayed / not started per ``by`` group.

    ``table`` is ``area_measures``; ``by`` is "phase" or "work_stream"; ``order`` the groups to show
    (empty ones with zeros) and ``labels`` their names. Columns: key, label, status, count, total
    (applicable measures of the group), share (NaN when the group has none), order (stack order).
    """
    applicable = table[table["status"] != Status.NOT_APPLICABLE.value]
    counts = applicable.groupby([by, "status"]).size()
    index = pd.MultiIndex.from_product(
        [list(order), list(PROGRESS_STATUSES)], names=["key", "status"]
    )
    counts.index = counts.index.set_names(["key", "status"])
    long = counts.reindex(index, fill_value=0).astype("int64").rename("count").reset_index()
    totals = long.groupby("key", sort=False)["count"].transform("sum")
    long["total"] = totals.astype("int64")
    long["share"] = (long["count"] / long["total"].where(long["total"] > 0)).astype(float)
    long["label"] = long["key"].map(dict(zip(order, labels, strict=True)))
    long["order"] = long["status"].map({s: i for i, s in enumerate(PROGRESS_STATUSES)})
    return long[["key", "label", "status", "count", "total", "share", "order"]]


def progress_summary(counts: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The progress bars as a table: one row per group, a column per status, done share written."""
    wide = counts.pivot_table(
        index=["key", "label"], columns="status", values="count", aggfunc="sum", sort=False
    ).reset_index()
    totals = counts.drop_duplicates("key").set_index("key")["total"]
    rows = []
    for record in wide.to_dict("records"):
        total = int(totals[record["key"]])
        done = int(record.get(Status.DONE.value, 0))
        row = {t("area.col.group", lang): record["label"]}
        for status in PROGRESS_STATUSES:
            row[t(f"status.{status}", lang)] = int(record.get(status, 0))
        row[t("area.col.applicable", lang)] = total
        row[t("area.col.done_share", lang)] = format_value(
            done / total if total else None, "share", lang
        )
        rows.append(row)
    return pd.DataFrame(rows)


def progress_sentence_by_group(counts: pd.DataFrame, lang: str | None = None) -> str:
    """The progress bars in one sentence (the chart's alt text): done of applicable per group."""
    parts = []
    for _key, group in counts.groupby("key", sort=False):
        total = int(group["total"].iloc[0])
        done = int(group.loc[group["status"] == Status.DONE.value, "count"].sum())
        delayed = int(group.loc[group["status"] == Status.DELAYED.value, "count"].sum())
        parts.append(
            t(
                "area.progress_bars.group",
                lang,
                group=group["label"].iloc[0],
                done=fmt_number(done, lang=lang),
                total=fmt_number(total, lang=lang),
                share=format_value(done / total if total else None, "share", lang),
                delayed=fmt_number(delayed, lang=lang),
            )
        )
    return "; ".join(parts) + "."


def timeline_sentence(table: pd.DataFrame, as_of: date, lang: str | None = None) -> str:
    """The timeline in one sentence: how many measures, done, overdue, on the as-of date."""
    applicable = table[table["status"] != Status.NOT_APPLICABLE.value]
    return t(
        "area.timeline.sentence",
        lang,
        date=fmt_date(as_of, lang),
        measures=fmt_number(len(applicable), lang=lang),
        done=fmt_number(int((applicable["status"] == Status.DONE.value).sum()), lang=lang),
        overdue=fmt_number(int(table["overdue"].sum()), lang=lang),
        undated=fmt_number(int(table["deadline"].isna().sum()), lang=lang),
    )


# --- timeline ---------------------------------------------------------------------------------


def key_dates(phases: Sequence[Phase], lang: str | None = None) -> list[KeyDate]:
    """The roadmap's turning points: the start of every phase after the first, and the day after
    the last phase ends (8.12.2020, 23.6.2021 and 1.1.2023 in the default roadmap)."""
    ordered = sorted(phases, key=lambda p: p.start)
    days = [p.start for p in ordered[1:]]
    if ordered:
        days.append(ordered[-1].end + timedelta(days=1))
    result = []
    for index, day in enumerate(days):
        key = f"area.milestone.{index}"
        name = t(key, lang)
        result.append(KeyDate(day, fmt_date(day, lang), name if name != key else ""))
    return result


def phase_ranges(phases: Sequence[Phase], lang: str | None = None) -> pd.DataFrame:
    """[phase, phase_label, start, end] for the timeline's bands (dates as ISO text for Vega)."""
    rows = [
        {
            "phase": p.number,
            "phase_label": t(f"phase.{p.number}", lang),
            "start": p.start.isoformat(),
            "end": (p.end + timedelta(days=1)).isoformat(),
            "range_text": f"{fmt_date(p.start, lang)}–{fmt_date(p.end, lang)}",
        }
        for p in sorted(phases, key=lambda p: p.number)
    ]
    return pd.DataFrame(rows, columns=["phase", "phase_label", "start", "end", "range_text"])


def timeline_points(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The measures with a deadline, one point each, stacked when they share a phase and a
    deadline (``slot`` 0, 1, 2 …) so that no point hides another."""
    dated = table[table["deadline"].notna()].copy()
    dated["deadline_iso"] = [pd.Timestamp(d).date().isoformat() for d in dated["deadline"]]
    dated["deadline_text"] = [fmt_date(pd.Timestamp(d).date(), lang) for d in dated["deadline"]]
    dated["slot"] = dated.groupby(["phase", "deadline_iso"]).cumcount()
    dated["critical_text"] = [
        t("area.yes", lang) if c else t("area.no", lang) for c in dated["critical"]
    ]
    return dated


# --- progress over time -----------------------------------------------------------------------


def status_history(
    frames: metrics.Frames, dates: Iterable[date], areas_: Sequence[str] = areas.REFORM_CODES
) -> pd.DataFrame:
    """Every area × measure × date with the status of that day, in one as-of join.

    The same rule as ``metrics.status_as_of`` (latest report on or before the day, the report
    loaded last wins a tie, never reported → not started) for many days at once: calling
    ``area_metrics`` once per reporting date cost seconds for a page view.
    Columns: area_code, measure_id, day (Timestamp), status, deadline (Timestamp or NaT).
    """
    days = sorted({pd.Timestamp(d) for d in dates})
    codes = list(areas_)
    ids = frames.measures["measure_id"].to_numpy()
    grid = pd.DataFrame(
        {
            "area_code": np.repeat(np.array(codes, dtype=object), len(ids) * len(days)),
            "measure_id": np.tile(np.repeat(ids, len(days)), len(codes)),
            "day": np.tile(np.array(days, dtype="datetime64[ns]"), len(codes) * len(ids)),
        }
    )
    reports = frames.reports[frames.reports["area_code"].isin(codes)]
    reports = pd.DataFrame(
        {
            "area_code": reports["area_code"].astype(str),
            "measure_id": reports["measure_id"].astype(str),
            "reported_on": pd.to_datetime(reports["reported_on"]).astype("datetime64[ns]"),
            "status": reports["status"].astype(str),
        }
    ).sort_values("reported_on", kind="stable")
    # the join keys must have one dtype on both sides (pandas 3 reads text as its string dtype)
    grid["area_code"] = grid["area_code"].astype(str)
    grid["measure_id"] = grid["measure_id"].astype(str)
    grid = grid.sort_values("day", kind="stable")
    joined = pd.merge_asof(
        grid,
        reports,
        left_on="day",
        right_on="reported_on",
        by=["area_code", "measure_id"],
        direction="backward",
    )
    joined["status"] = joined["status"].fillna(Status.NOT_STARTED.value)
    deadlines = frames.measures.set_index("measure_id")["deadline"]
    joined["deadline"] = pd.to_datetime(joined["measure_id"].map(deadlines), errors="coerce")
    return joined[["area_code", "measure_id", "day", "status", "deadline"]]


def progress_series(frames: metrics.Frames, code: str, dates: Iterable[date]) -> pd.DataFrame:
    """Per reporting date: the area's done share, the national median of the done shares, and the
    roadmap's plan (the share of the area's applicable measures whose deadline was before that
    date, the same cut as "overdue", so plan − done is what the area is behind).

    Long form [day (date), series, value] with series in ``rules.progress.PROGRESS_SERIES``;
    NaN values dropped. From the whole history; the page reads ``summary_progress_series``.
    """
    days = sorted(set(dates))
    if not days:
        return _series(pd.DataFrame(), code, days)
    history = status_history(frames, days)
    applicable = history["status"] != Status.NOT_APPLICABLE.value
    flags = pd.DataFrame(
        {
            "area_code": history["area_code"],
            "day": history["day"],
            "applicable": applicable,
            "done": history["status"] == Status.DONE.value,
            "due": applicable & (history["deadline"] < history["day"]),
        }
    )
    return _series(flags.groupby(["day", "area_code"]).sum(), code, days)


def area_series(
    frames: metrics.Frames,
    code: str,
    dates: Iterable[date],
    summary: Sequence[tuple] | None = None,
) -> pd.DataFrame:
    """``progress_series`` the cheap way when the page has the store's ``summary`` (then
    ``frames`` need only the roadmap), else from the whole history in ``frames``: the one choice
    the area page and the comparison both make."""
    if summary is None:
        return progress_series(frames, code, dates)
    return summary_progress_series(summary, frames.measures, code, dates)


def summary_progress_series(
    summary: Sequence[tuple],
    measures: pd.DataFrame,
    code: str,
    dates: Iterable[date],
    areas_: Sequence[str] = areas.REFORM_CODES,
) -> pd.DataFrame:
    """``progress_series`` from the store's per-date summary (``Store.status_summary``: each
    area's done count and not-applicable measures on each of its own reporting dates) and the
    roadmap's ``measures``, the same figures without reading the reports: an area's state on a
    day is its latest summary row on or before it (none: every measure not started)."""
    days = sorted(set(dates))
    if not days:
        return _series(pd.DataFrame(), code, days)
    deadline_of = dict(zip(measures["measure_id"], _deadlines(measures["deadline"]), strict=True))
    dated = [d for d in deadline_of.values() if not np.isnat(d)]
    every = np.sort(np.array(dated, "datetime64[ns]"))
    stamps = np.array([pd.Timestamp(d) for d in days], "datetime64[ns]")
    due_all = np.searchsorted(every, stamps)  # measures whose deadline was before each day
    own: dict[str, list[tuple[date, int, str]]] = {}
    for area, day, done, not_applicable in summary:
        own.setdefault(area, []).append((day, int(done), not_applicable))
    # not-applicable ids → how many of the roadmap's measures they are, their deadlines sorted
    excluded: dict[str, tuple[int, np.ndarray]] = {"": (0, np.array([], "datetime64[ns]"))}
    parts = []
    for area in areas_:
        rows = own.get(area, [])
        # each day's latest own row (-1: none yet, every measure not started)
        at = np.searchsorted(
            np.array([pd.Timestamp(r[0]) for r in rows], "datetime64[ns]"), stamps, side="right"
        )
        done = np.array([0] + [r[1] for r in rows])[at]
        keys = np.array([""] + [r[2] for r in rows], dtype=object)[at]
        applicable = np.full(len(days), len(deadline_of))
        due = due_all.copy()
        for key in set(keys):
            if key not in excluded:
                ids = [m for m in key.split() if m in deadline_of]
                dated = [deadline_of[m] for m in ids if not np.isnat(deadline_of[m])]
                excluded[key] = (len(ids), np.sort(np.array(dated, "datetime64[ns]")))
            count, gone = excluded[key]
            mask = keys == key
            applicable[mask] -= count
            due[mask] -= np.searchsorted(gone, stamps[mask])
        parts.append(
            pd.DataFrame(
                {
                    "day": stamps,
                    "area_code": area,
                    "applicable": applicable,
                    "done": done,
                    "due": due,
                }
            )
        )
    per_area = pd.concat(parts, ignore_index=True)
    return _series(per_area.set_index(["day", "area_code"]), code, days)


def _deadlines(values: pd.Series) -> np.ndarray:
    """Deadlines as datetime64[ns] (NaT: a continuous task, never due)."""
    return pd.to_datetime(values, errors="coerce").to_numpy(dtype="datetime64[ns]")


def _series(per_area: pd.DataFrame, code: str, days: Sequence[date]) -> pd.DataFrame:
    """The long frame from counts per (day, area_code): applicable, done and due measures."""
    if not days:
        return pd.DataFrame(columns=["day", "series", "value"])
    denominator = per_area["applicable"].where(per_area["applicable"] > 0)
    done_share = (per_area["done"] / denominator).astype(float)
    plan = (per_area["due"] / denominator).astype(float)
    median = done_share.groupby(level="day").median()
    rows = []
    for day in days:
        stamp = pd.Timestamp(day)
        if (stamp, code) in done_share.index:
            rows.append((day, "area", done_share.loc[(stamp, code)]))
        rows.append((day, "median", median.get(stamp, float("nan"))))
        if (stamp, code) in plan.index:
            rows.append((day, "plan", plan.loc[(stamp, code)]))
    frame = pd.DataFrame(rows, columns=["day", "series", "value"])
    frame["value"] = frame["value"].astype(float)
    return frame.dropna(subset=["value"]).reset_index(drop=True)


def progress_sentence(series: pd.DataFrame, area_name: str, lang: str | None = None) -> str:
    """The line chart in one sentence: the latest values of the three lines."""
    if series.empty:
        return t("area.progress.empty", lang)
    last_day = series["day"].max()
    last = series[series["day"] == last_day].set_index("series")["value"]

    def text(name: str) -> str:
        return format_value(last.get(name), "share", lang)

    return t(
        "area.progress.sentence",
        lang,
        area=area_name,
        date=fmt_date(last_day, lang),
        value=text("area"),
        median=text("median"),
        plan=text("plan"),
    )
