"""Where each area is heading: its pace, the pace it needs and when it will be done, as pure
functions of the figures of a few reporting dates.

The rules, in one place:

* **the window**: the area's reports of the last three months up to the as-of date (from the
  latest reporting date on or before it back three calendar months), or all of them when there
  are fewer;
* **pace**: measures done per month over the window: the done count at its last date minus the
  count at its first, divided by the months between them (calendar months, so the 15th of one
  month to the 15th of the next is exactly one);
* **needed pace**: the measures left on the as-of date divided by the months from it to the
  roadmap's end (the last phase's end date, read from the roadmap);
* **projection**: linear from the as-of date, ``as_of + left / pace`` months, for all applicable
  measures and separately for the critical ones; exact for an exactly linear history. Its band
  is what one standard deviation of the monthly paces (each step between two reporting dates of
  the window, per month) moves it: ``months × sd / pace`` in days; none without two steps;
* **status**: ``done`` when nothing is left; ``off_track`` when the window shows no progress (or
  too few reports to measure one); else by the later of the two projections: ``on_track`` on or
  before the end, ``at_risk`` up to ``AT_RISK_DAYS`` after it, ``off_track`` later.

Every status carries its reasons (``Reason``: a code, the figure behind it and the words).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ..domain.areas import REFORM_CODES
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.model import Phase, Status
from . import metrics

#: a projection up to this many days after the roadmap's end is "at risk", later "off track"
AT_RISK_DAYS = 90
#: the window the pace is measured over, in calendar months
WINDOW_MONTHS = 3
#: a month's mean length in days (the band is said in days)
DAYS_PER_MONTH = 365.25 / 12

OUTLOOK_COLUMNS = [
    "code",
    "applicable",
    "done",
    "critical",
    "critical_done",
    "pace_per_month",
    "pace_spread",
    "critical_pace_per_month",
    "needed_pace_per_month",
    "projected_done_on",
    "projected_critical_done_on",
    "band_days",
    "days_after_end",
    "status",
]


@dataclass(frozen=True)
class Reason:
    """Why: a stable ``code``, the figure behind it (``value``) and what its words need."""

    code: str
    value: float | None
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The reason in words, in ``lang``: dates and numbers in that language's format."""
        words: dict[str, str] = {}
        for name, value in self.params.items():
            if isinstance(value, date):
                words[name] = fmt_date(value, lang)
            elif isinstance(value, float):
                words[name] = fmt_number(value, 1, lang)
            elif isinstance(value, int):
                words[name] = fmt_number(value, 0, lang)
            else:
                words[name] = str(value)
        key = f"outlook.reason.{self.code}"
        if self.params.get("count") == 1 and t(f"{key}.one", lang) != f"{key}.one":
            key += ".one"  # "1 critical measure is", not "1 critical measures are"
        return t(key, lang, **words)


# --- calendar months --------------------------------------------------------------------------


def add_whole_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_months(day: date, months: float) -> date:
    """``day`` moved by ``months`` calendar months, a fraction as that share of the next month's
    days: 15.4. + 8 = 15.12., 15.4. + 0,5 = 30.4."""
    whole = math.floor(months)
    anchor = add_whole_months(day, whole)
    following = add_whole_months(day, whole + 1)
    return anchor + timedelta(days=round((months - whole) * (following - anchor).days))


def months_between(start: date, end: date) -> float:
    """Calendar months from ``start`` to ``end`` (the inverse of ``add_months``; negative when
    ``end`` is earlier)."""
    if end < start:
        return -months_between(end, start)
    whole = (end.year - start.year) * 12 + end.month - start.month
    if add_whole_months(start, whole) > end:
        whole -= 1
    anchor = add_whole_months(start, whole)
    following = add_whole_months(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


# --- the inputs -------------------------------------------------------------------------------


def roadmap_end(phases: Sequence[Phase]) -> date | None:
    """The roadmap's end: the last phase's end date (None without phases)."""
    return max((p.end for p in phases), default=None)


def window_days(reporting_dates: Iterable[date], as_of: date) -> tuple[date, ...]:
    """The reporting dates the pace is measured over: from the latest one on or before
    ``as_of`` back ``WINDOW_MONTHS`` calendar months (all of them when the history is shorter)."""
    known = sorted({d for d in reporting_dates if d <= as_of})
    if not known:
        return ()
    start = add_whole_months(known[-1], -WINDOW_MONTHS)
    return tuple(d for d in known if d >= start)


def done_counts(
    measures: pd.DataFrame,
    reports: pd.DataFrame,
    days: Iterable[date],
    areas: Sequence[str] = REFORM_CODES,
) -> pd.DataFrame:
    """Per area × day: applicable, done, critical (applicable) and critical_done measures, the
    status of each day by the figures' rule (``metrics.status_as_of``). ``reports`` need only
    answer those days (``store.snapshot.status_on_dates``) or be the whole history."""
    rows = []
    for day in sorted(set(days)):
        statuses = metrics.status_as_of(measures, reports, day, areas)
        applicable = statuses["status"] != Status.NOT_APPLICABLE.value
        done = statuses["status"] == Status.DONE.value
        critical = statuses["critical"].astype(bool) & applicable
        flags = pd.DataFrame(
            {
                "code": statuses["area_code"].astype(str),
                "applicable": applicable,
                "done": done,
                "critical": critical,
                "critical_done": critical & done,
            }
        )
        counts = flags.groupby("code").sum().astype("int64").reindex(list(areas), fill_value=0)
        counts["day"] = day
        rows.append(counts.reset_index())
    columns = ["code", "day", "applicable", "done", "critical", "critical_done"]
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.concat(rows, ignore_index=True)[columns]


# --- one area ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """Done measures per month over the window, and how much the monthly steps varied."""

    per_month: float | None  # None: fewer than two reporting dates
    spread: float | None  # the standard deviation of the steps' paces; None with under two
    months: float  # the window's length


def pace(days: Sequence[date], done: Sequence[float]) -> Pace:
    """The pace of ``done`` counts on ``days`` (oldest first)."""
    if len(days) < 2:
        return Pace(None, None, 0.0)
    months = months_between(days[0], days[-1])
    if months <= 0:
        return Pace(None, None, 0.0)
    steps = [
        (done[i] - done[i - 1]) / months_between(days[i - 1], days[i]) for i in range(1, len(days))
    ]
    spread = float(np.std(steps)) if len(steps) >= 2 else None
    return Pace((done[-1] - done[0]) / months, spread, months)


def projected_on(as_of: date, left: int, per_month: float | None) -> date | None:
    """When ``left`` measures are done at ``per_month``: ``as_of`` when none is left, None when
    there is no pace to go by."""
    if left <= 0:
        return as_of
    if per_month is None or per_month <= 0:
        return None
    return add_months(as_of, left / per_month)


def needed_pace(as_of: date, end: date | None, left: int) -> float | None:
    """Measures a month needed to finish by ``end`` (None when the end is not after the as-of
    date and something is left, or the roadmap has no end)."""
    if left <= 0:
        return 0.0
    if end is None or end <= as_of:
        return None
    return left / months_between(as_of, end)


def band_days(left: int, step: Pace) -> int | None:
    """Half the band around the projection, in days: how far one standard deviation of the
    monthly pace moves it (0 for an exactly linear history)."""
    if left <= 0:
        return 0
    if step.per_month is None or step.per_month <= 0 or step.spread is None:
        return None
    months = left / step.per_month
    return round(months * step.spread / step.per_month * DAYS_PER_MONTH)


def status_of(
    left: int,
    critical_left: int,
    progress: Pace,
    done_on: date | None,
    critical_on: date | None,
    end: date | None,
) -> tuple[str, list[Reason]]:
    """The area's status with its reasons (see the module's rules): by the later of the
    projections of all its measures and of its critical ones."""
    if left <= 0:
        return "done", [Reason("all_done", 0.0)]
    if progress.per_month is None:
        return "off_track", [Reason("no_history", None)]
    months = round(progress.months, 1)
    if progress.per_month <= 0 or done_on is None or (critical_left > 0 and critical_on is None):
        return "off_track", [Reason("no_progress", months, {"months": months})]
    if end is None:
        return "off_track", [Reason("no_end", None)]
    late = (done_on - end).days
    reasons = [
        Reason(
            "projected_early" if late <= 0 else "projected_late",
            float(abs(late)),
            {"date": done_on, "days": abs(late), "pace": round(progress.per_month, 1)},
        )
    ]
    if critical_left > 0 and critical_on is not None and critical_on > end:
        critical_late = (critical_on - end).days
        reasons.append(
            Reason(
                "critical_late", float(critical_late), {"date": critical_on, "days": critical_late}
            )
        )
        late = max(late, critical_late)
    if late <= 0:
        return "on_track", reasons
    return ("at_risk" if late <= AT_RISK_DAYS else "off_track"), reasons


def _area_row(history: pd.DataFrame, as_of: date, end: date | None) -> tuple[dict, list[Reason]]:
    """One area's outlook from its counts per window day (oldest first, the as-of day last)."""
    days = list(history["day"])
    last = history.iloc[-1]
    left = int(last["applicable"] - last["done"])
    critical_left = int(last["critical"] - last["critical_done"])
    progress = pace(days, history["done"].astype(float).tolist())
    critical_pace = pace(days, history["critical_done"].astype(float).tolist())
    done_on = projected_on(as_of, left, progress.per_month)
    critical_on = (
        projected_on(as_of, critical_left, critical_pace.per_month) if last["critical"] else None
    )
    status, reasons = status_of(left, critical_left, progress, done_on, critical_on, end)
    row = {
        "applicable": int(last["applicable"]),
        "done": int(last["done"]),
        "critical": int(last["critical"]),
        "critical_done": int(last["critical_done"]),
        "pace_per_month": progress.per_month,
        "pace_spread": progress.spread,
        "critical_pace_per_month": critical_pace.per_month,
        "needed_pace_per_month": needed_pace(as_of, end, left),
        "projected_done_on": done_on,
        "projected_critical_done_on": critical_on,
        "band_days": band_days(left, progress),
        "days_after_end": None if done_on is None or end is None else (done_on - end).days,
        "status": status,
    }
    return row, reasons


@dataclass(frozen=True)
class Outlook:
    """Every area's outlook on ``as_of``: ``table`` (``OUTLOOK_COLUMNS``, one row per area in code
    order) and each area's status reasons."""

    as_of: date
    end: date | None
    table: pd.DataFrame
    reasons: Mapping[str, tuple[Reason, ...]]


def outlook(counts: pd.DataFrame, window: Sequence[date], as_of: date, end: date | None) -> Outlook:
    """The outlook of every area in ``counts`` (``done_counts`` of the window's days and the
    as-of date). The window's last reporting date stands for the as-of date when they differ."""
    rows, reasons = [], {}
    chosen = sorted(set(window))
    for code, history in counts.groupby("code", sort=True):
        own = history[history["day"].isin(chosen)].sort_values("day")
        if own.empty:  # nothing reported on or before the as-of date
            own = history.sort_values("day").tail(1)
        row, why = _area_row(own, as_of, end)
        rows.append({"code": str(code), **row})
        reasons[str(code)] = tuple(why)
    table = pd.DataFrame(rows, columns=OUTLOOK_COLUMNS)
    return Outlook(as_of, end, table, reasons)
