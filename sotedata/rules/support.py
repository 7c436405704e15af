"""Which areas need the ministry's support most this month, and why: a ranking with its reasons.

Each reason is a figure of the area on the as-of date (or its change since the comparison date):

* ``overdue_critical``: critical measures past their deadline and not done;
* ``pace_below_needed``: measures a month the area is short of the pace that finishes by the
  roadmap's end (``rules.outlook``; the whole needed pace when it made no progress);
* ``more_delayed``: how many more measures are delayed than on the comparison date;
* ``rising_high_risks``: high risks (score ≥ 15) that are new since the comparison date, or rated
  higher than then;
* ``grants_underspent``: the percentage points by which the state grants' spending trails the
  share of their project periods that has passed (projects with dates and a reported spending).

The need is ``Σ weight × figure`` over the reasons whose figure is above their threshold; the
weights and thresholds are data (``data/support_weights.csv``), shown with the ranking. Areas are
ranked by need, the highest first (rank 1), ties by code.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from ..domain.i18n import fmt_number, t
from ..domain.model import HIGH_RISK_SCORE
from .grants import current_grants
from .outlook import Outlook, Reason

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "data" / "support_weights.csv"
SUPPORT_COLUMNS = ["code", "need", "rank"]


@dataclass(frozen=True)
class Weight:
    """One reason's weight per unit of its figure, and the figure it must exceed to count."""

    code: str
    weight: float
    threshold: float
    unit: str

    def label(self, lang: str | None = None) -> str:
        """ "3 per measure" in words."""
        return t(
            "outlook.weight",
            lang,
            reason=t(f"outlook.reason_name.{self.code}", lang),
            weight=fmt_number(self.weight, 1 if self.weight % 1 else 0, lang),
            unit=t(f"outlook.unit.{self.unit}", lang),
        )


@cache
def weights() -> Mapping[str, Weight]:
    """The weights of ``data/support_weights.csv``, in the file's order."""
    with WEIGHTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return MappingProxyType(
        {
            row["code"]: Weight(
                row["code"], float(row["weight"]), float(row["threshold"]), row["unit"]
            )
            for row in rows
        }
    )


@dataclass(frozen=True)
class SupportInputs:
    """The figures the reasons are read from, beside the outlook (each indexed by area code)."""

    overdue_critical: pd.Series
    delayed_now: pd.Series
    delayed_since: pd.Series | None  # None without a comparison date
    rising_high_risks: pd.Series
    grants_gap: pd.Series  # percentage points, NaN where not known
    since: date | None = None


def rising_high_risks(risk_changes: pd.DataFrame) -> pd.Series:
    """Per area, the high risks that are new or rated higher (``changes.risk_changes``)."""
    if risk_changes.empty:
        return pd.Series(dtype="int64")
    high = risk_changes["to_score"].astype(float) >= HIGH_RISK_SCORE
    before = risk_changes["from_score"].astype(float)
    rising = high & (before.isna() | (risk_changes["to_score"].astype(float) > before))
    rising &= risk_changes["change"].isin(("new", "rerated")) & risk_changes["area_code"].notna()
    return risk_changes[rising].groupby("area_code").size().astype("int64")


def grants_gap(grants: pd.DataFrame | None, as_of: date) -> pd.Series:
    """Per area, percentage points by which spending trails the time passed: Σ granted × elapsed
    share of the period − Σ spent, over Σ granted, of the projects with a period and a spending
    (NaN-free: areas without such projects are left out)."""
    if grants is None or grants.empty:
        return pd.Series(dtype=float)
    current = current_grants(grants, as_of)
    start = pd.to_datetime(current["start_date"], errors="coerce")
    end = pd.to_datetime(current["end_date"], errors="coerce")
    known = start.notna() & end.notna() & (end > start) & current["spent"].notna()
    own = current[known]
    if own.empty:
        return pd.Series(dtype=float)
    span = (end[known] - start[known]).dt.days.astype(float)
    passed = (pd.Timestamp(as_of) - start[known]).dt.days.astype(float)
    elapsed = (passed / span).clip(0.0, 1.0)
    granted = own["granted"].astype(float)
    frame = (
        pd.DataFrame(
            {
                "code": own["area_code"].astype(str),
                "expected": granted * elapsed,
                "spent": own["spent"].astype(float),
                "granted": granted,
            }
        )
        .groupby("code")[["expected", "spent", "granted"]]
        .sum()
    )
    frame = frame[frame["granted"] > 0]
    return (frame["expected"] - frame["spent"]) / frame["granted"] * 100


def _figure(series: pd.Series | None, code: str) -> float:
    if series is None or code not in series.index or pd.isna(series[code]):
        return 0.0
    return float(series[code])


def _reasons(row: Mapping, code: str, inputs: SupportInputs) -> list[Reason]:
    """The area's support reasons whose figures exceed their thresholds."""
    pace, needed = row["pace_per_month"], row["needed_pace_per_month"]
    shortfall = 0.0
    if needed is not None and not pd.isna(needed) and needed > 0:
        shortfall = needed - (0.0 if pace is None or pd.isna(pace) else max(pace, 0.0))
    delayed = _figure(inputs.delayed_now, code) - _figure(inputs.delayed_since, code)
    figures = {
        "overdue_critical": (_figure(inputs.overdue_critical, code), {}),
        "pace_below_needed": (
            round(shortfall, 2),
            {
                "pace": 0.0 if pace is None or pd.isna(pace) else round(float(pace), 1),
                "needed": 0.0 if needed is None or pd.isna(needed) else round(float(needed), 1),
            },
        ),
        "more_delayed": (delayed if inputs.delayed_since is not None else 0.0, {}),
        "rising_high_risks": (_figure(inputs.rising_high_risks, code), {}),
        "grants_underspent": (round(_figure(inputs.grants_gap, code), 1), {}),
    }
    reasons = []
    for key, weight in weights().items():
        value, extra = figures[key]
        if value > weight.threshold:
            params = {"count": int(value), "value": float(value), **extra}
            if inputs.since is not None:
                params["since"] = inputs.since
            reasons.append(Reason(key, float(value), params))
    return reasons


@dataclass(frozen=True)
class Support:
    """The ranking: ``table`` (code, need, rank; code order) and each area's reasons."""

    table: pd.DataFrame
    reasons: Mapping[str, tuple[Reason, ...]]


def support_need(view: Outlook, inputs: SupportInputs) -> Support:
    """Every area of ``view`` with its need (Σ weight × figure) and rank (1 = most need)."""
    rows, reasons = [], {}
    table = weights()
    for row in view.table.to_dict("records"):
        code = row["code"]
        why = _reasons(row, code, inputs)
        need = sum(table[r.code].weight * (r.value or 0.0) for r in why)
        rows.append({"code": code, "need": round(need, 2)})
        reasons[code] = tuple(why)
    frame = pd.DataFrame(rows, columns=["code", "need"])
    order = frame.sort_values(["need", "code"], ascending=[False, True]).index
    frame.loc[order, "rank"] = range(1, len(frame) + 1)
    frame["rank"] = frame["rank"].astype("int64")
    return Support(frame[SUPPORT_COLUMNS].reset_index(drop=True), reasons)
