"""What changed between two dates: the "since the last meeting" lists, as pure functions.

A jaosto meets after each reporting round and asks what moved since the previous one. The
answers are computed from the same frames and the same rules as every other figure
(:mod:`sotedata.rules.metrics`), so that a change list never disagrees with the map:

* a measure's status on a day is the area's latest report on or before that day
  (:func:`metrics.status_as_of`); a measure never reported is not started, so a first report of
  "in progress" after ``since`` is a move from not started to in progress;
* a risk on a day is its latest rating on or before that day. A risk first rated after ``since``
  is **new**; one rated on both days with another likelihood or impact is **re-rated**; one rated
  again with the same values is no change.

A risk is **closed** when its latest rating on ``as_of`` closes it (a risk sheet's status
column says "Suljettu") and it was open on ``since``. A risk merely missing from a later review is
not closed: ratings are incremental (an area re-rates some risks in a review and adds others
between reviews), and metrics counts a risk by its latest rating until a rating closes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from ..domain.areas import REFORM_CODES
from ..domain.model import HIGH_RISK_SCORE, Status
from . import metrics
from .metric_spec import MetricContext

#: the kinds of risk change :func:`risk_changes` reports, in display order
RISK_CHANGES: tuple[str, ...] = ("new", "rerated", "closed")

STATUS_CHANGE_COLUMNS = [
    "area_code",
    "measure_id",
    "name",
    "phase",
    "work_stream",
    "critical",
    "deadline",
    "from_status",
    "to_status",
    "reported_on",
]
RISK_CHANGE_COLUMNS = [
    "area_code",
    "risk_id",
    "title",
    "theme",
    "change",
    "from_score",
    "to_score",
    "from_likelihood",
    "to_likelihood",
    "from_impact",
    "to_impact",
    "reported_on",
]
MOVED_COLUMNS = [
    "code",
    "moves",
    "to_done",
    "to_delayed",
    "done_share",
    "done_share_since",
    "done_share_change",
    "high_risks",
    "high_risks_change",
    "new_high_risks",
]
_DONE = Status.DONE.value
_DELAYED = Status.DELAYED.value


def _check_dates(since: date, as_of: date) -> None:
    if since > as_of:
        raise ValueError(f"comparison date {since} is after the as-of date {as_of}")


def default_as_of(dates: Iterable[date], requested: date | None = None) -> date:
    """The as-of date a view or a command shows unless told otherwise: the one ``requested``,
    else the latest reporting date (in any order), else today (nothing reported yet)."""
    if requested is not None:
        return requested
    known = list(dates)
    return max(known) if known else date.today()


def default_since(dates: Iterable[date], as_of: date | None) -> date | None:
    """The comparison date a meeting wants by default: the reporting date before ``as_of``
    (None when ``as_of`` is the first one or there are no dates)."""
    if as_of is None:
        return None
    earlier = [day for day in dates if day < as_of]
    return max(earlier) if earlier else None


def status_changes(
    frames: metrics.Frames, since: date, as_of: date, area: str | None = None
) -> pd.DataFrame:
    """Every area × measure whose status on ``as_of`` differs from its status on ``since``.

    One row per move (columns :data:`STATUS_CHANGE_COLUMNS`), in area and roadmap order;
    ``reported_on`` is the date of the report that holds the new status. ``area`` limits the list
    to one area; by default all areas of the reform.
    """
    _check_dates(since, as_of)
    codes = [area] if area is not None else list(REFORM_CODES)
    measures = frames.measures
    before = metrics.status_as_of(measures, frames.reports, since, codes)
    after = metrics.status_as_of(measures, frames.reports, as_of, codes)
    # both frames are the same area × measure grid in the same order
    moved = before["status"].to_numpy() != after["status"].to_numpy()
    rows = after[moved].copy()
    rows["from_status"] = before["status"].to_numpy()[moved]
    rows["to_status"] = rows["status"]
    names = measures.set_index("measure_id")["name"]
    rows["name"] = rows["measure_id"].map(names)
    order = {code: i for i, code in enumerate(codes)}
    rows = rows.sort_values("area_code", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )
    return rows[STATUS_CHANGE_COLUMNS]


def _ratings_until(risks: pd.DataFrame, day: date) -> pd.DataFrame:
    """Each risk's latest rating on or before ``day`` (national risks keyed by an empty code),
    closing ratings included."""
    latest = metrics.latest_rows(risks, ["_key", "risk_id"], day, keep_closed=True)
    if "closed" not in latest.columns:
        latest = latest.assign(closed=False)
    return latest.set_index(["_key", "risk_id"])


def risk_changes(
    frames: metrics.Frames, since: date, as_of: date, area: str | None = None
) -> pd.DataFrame:
    """The risks that are new or re-rated between ``since`` and ``as_of``.

    Columns :data:`RISK_CHANGE_COLUMNS`; ``change`` is one of :data:`RISK_CHANGES`; ``from_*`` is
    empty (NaN) for a new risk. ``area`` limits the list to one area's risks; by default every
    risk, national ones (``area_code`` None) included. Sorted by change kind, then by the new
    score, highest first.
    """
    _check_dates(since, as_of)
    risks = frames.risks
    if risks is None or risks.empty or since == as_of:
        return pd.DataFrame(columns=RISK_CHANGE_COLUMNS)
    if area is not None:
        risks = risks[risks["area_code"] == area]
    risks = risks.assign(_key=risks["area_code"].astype(object).fillna(""))
    risks = risks.assign(
        score=risks["likelihood"].astype("int64") * risks["impact"].astype("int64")
    )
    then = _ratings_until(risks, since)
    now = _ratings_until(risks, as_of)
    then = then[~then["closed"].astype(bool)]  # a risk closed by then was not there
    joined = now.join(
        then[["likelihood", "impact", "score"]].add_prefix("from_"), how="left"
    ).reset_index()
    was_open = joined["from_score"].notna()
    closed = joined["closed"].astype(bool).to_numpy()
    new = ~was_open & ~closed
    rerated = (
        was_open
        & ~closed
        & (
            (joined["likelihood"] != joined["from_likelihood"])
            | (joined["impact"] != joined["from_impact"])
        )
    )
    joined["change"] = np.where(
        new, "new", np.where(rerated, "rerated", np.where(was_open & closed, "closed", ""))
    )
    rows = joined[joined["change"] != ""].rename(
        columns={"score": "to_score", "likelihood": "to_likelihood", "impact": "to_impact"}
    )
    rows = rows.assign(_rank=rows["change"].map({c: i for i, c in enumerate(RISK_CHANGES)}))
    rows = rows.sort_values(
        ["_rank", "to_score", "_key", "risk_id"], ascending=[True, False, True, True]
    )
    rows["area_code"] = rows["area_code"].astype(object).where(rows["_key"] != "", None)
    for column in ("from_score", "from_likelihood", "from_impact"):
        rows[column] = rows[column].astype(float)
    return rows[RISK_CHANGE_COLUMNS].reset_index(drop=True)


def areas_moved(frames: metrics.Frames, since: date, as_of: date) -> pd.DataFrame:
    """Which areas moved most between ``since`` and ``as_of``: one row per reform area.

    ``moves`` counts measures whose status changed (``to_done`` and ``to_delayed`` of them ended
    done or delayed); ``done_share*`` and ``high_risks*`` come from :func:`metrics.change_since`;
    ``new_high_risks`` counts risks that are high now and were not high (or not rated) then.
    Sorted by moves, then by the absolute change of the share done, largest first.
    """
    _check_dates(since, as_of)
    codes = list(REFORM_CODES)
    change = metrics.change_since(frames.measures, frames.reports, frames.risks, as_of, since)
    change = change.set_index("code")
    moves = status_changes(frames, since, as_of)
    area_of_move = moves["area_code"].astype(object)
    table = pd.DataFrame(index=pd.Index(codes, name="code"))
    for column, moved in (
        ("moves", pd.Series(True, index=moves.index)),
        ("to_done", moves["to_status"] == _DONE),
        ("to_delayed", moves["to_status"] == _DELAYED),
    ):
        counts = moved.astype("int64").groupby(area_of_move).sum()
        table[column] = counts.reindex(codes, fill_value=0).to_numpy()
    for column in ("done_share", "done_share_since", "done_share_change", "high_risks"):
        table[column] = change[column].reindex(codes)
    table["high_risks_change"] = change["high_risks_change"].reindex(codes)
    risks = risk_changes(frames, since, as_of)
    risks = risks[risks["area_code"].isin(codes)]
    up = (risks["to_score"] >= HIGH_RISK_SCORE) & ~(risks["from_score"] >= HIGH_RISK_SCORE)
    table["new_high_risks"] = risks[up].groupby("area_code").size().reindex(codes, fill_value=0)
    table = table.reset_index()
    for column in ("moves", "to_done", "to_delayed", "high_risks", "new_high_risks"):
        table[column] = table[column].fillna(0).astype("int64")
    table["high_risks_change"] = table["high_risks_change"].fillna(0).astype("int64")
    table["_size"] = table["done_share_change"].abs().fillna(0)
    table = table.sort_values(["moves", "_size", "code"], ascending=[False, False, True])
    return table[MOVED_COLUMNS].reset_index(drop=True)


def done_share_change(context: MetricContext) -> pd.Series:
    """The map metric "change of the share done since the comparison date": the share done on
    the as-of date minus the share on the comparison date, per area, with the page's filters (a
    share of 0.64 after 0.59 is +0.05, five percentage points). No comparison date: no values."""
    now = context.table.set_index("code")["done_share"].astype(float)
    then = context.table_since
    if then is None:
        return pd.Series(np.nan, index=now.index)
    return now - then.set_index("code")["done_share"].astype(float)
