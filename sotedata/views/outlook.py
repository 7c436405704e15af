"""The outlook as the doors show it: read from the store, the JSON of ``sote outlook``, the
national map's two metrics, the tables page's table and the area chart's projection.

The store is read through the per-date snapshots (``store.snapshot``): the latest reports of the
few dates the pace window, the as-of date and the comparison date name, so the cost does not
grow with the history's length. The rules are ``rules.outlook`` and ``rules.support``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

import pandas as pd

from ..domain import areas as area_registry
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.model import Roadmap
from ..rules import metrics
from ..rules.changes import default_as_of, default_since, risk_changes
from ..rules.metric_spec import MetricContext, MetricSpec, Scale
from ..rules.outlook import (
    Outlook,
    Reason,
    add_months,
    done_counts,
    months_between,
    outlook,
    roadmap_end,
    window_days,
)
from ..rules.support import (
    Support,
    SupportInputs,
    grants_gap,
    rising_high_risks,
    support_need,
    weights,
)
from .query import TableQuery, resolve_dates
from .table_base import Sources, area_names, search_rows


class OutlookStore(Protocol):
    """The reads the outlook makes (``store.engine.Store`` answers them all)."""

    def load_roadmap(self) -> Roadmap: ...
    def reporting_dates(self) -> list[date]: ...
    def status_on_dates(self, days: Iterable[date]) -> pd.DataFrame: ...
    def risks_on_dates(self, days: Iterable[date]) -> pd.DataFrame: ...
    def grants(self) -> pd.DataFrame: ...


@dataclass(frozen=True)
class OutlookView:
    """The outlook and the support ranking of one as-of date."""

    outlook: Outlook
    support: Support
    since: date | None

    @property
    def table(self) -> pd.DataFrame:
        """``rules.outlook.OUTLOOK_COLUMNS`` with ``need`` and ``rank``, in code order."""
        return self.outlook.table.merge(self.support.table, on="code", how="left")

    def reasons(self, code: str) -> tuple[Reason, ...]:
        """The area's status reasons, then its support reasons."""
        return self.outlook.reasons.get(code, ()) + self.support.reasons.get(code, ())


def outlook_days(reporting_dates: Iterable[date], as_of: date, since: date | None) -> set[date]:
    """The dates whose latest reports the outlook reads: the pace window, the as-of date and the
    comparison date."""
    return {*window_days(reporting_dates, as_of), as_of, *([since] if since else [])}


def outlook_from_frames(
    frames: metrics.Frames,
    reporting_dates: Sequence[date],
    as_of: date,
    grants: pd.DataFrame | None = None,
    since: date | None = None,
) -> OutlookView:
    """The outlook of ``as_of`` from frames that answer the dates of ``outlook_days`` (or the
    whole history); ``since`` defaults to the reporting date before ``as_of``."""
    since = since or default_since(reporting_dates, as_of)
    window = window_days(reporting_dates, as_of) or (as_of,)
    counts = done_counts(frames.measures, frames.reports, window)
    view = outlook(counts, window, as_of, roadmap_end(frames.phases))

    def figures(day: date, **filters: Any) -> pd.DataFrame:
        return metrics.area_metrics(
            frames.measures, frames.reports, frames.risks, day, **filters
        ).set_index("code")

    risks = risk_changes(frames, since, as_of) if since and since < as_of else pd.DataFrame()
    inputs = SupportInputs(
        overdue_critical=figures(as_of, critical_only=True)["overdue"],
        delayed_now=figures(as_of)["delayed"],
        delayed_since=figures(since)["delayed"] if since else None,
        rising_high_risks=rising_high_risks(risks),
        grants_gap=grants_gap(grants, as_of),
        since=since,
    )
    return OutlookView(view, support_need(view, inputs), since)


def build_outlook(store: OutlookStore, as_of: date | None = None) -> OutlookView:
    """The outlook of ``as_of`` (default: the latest reporting date), read from ``store``."""
    dates = store.reporting_dates()
    as_of = default_as_of(dates, as_of)
    since = default_since(dates, as_of)
    days = sorted(outlook_days(dates, as_of, since))
    roadmap = store.load_roadmap()
    frames = metrics.Frames(
        measures=roadmap.measures_frame(),
        reports=store.status_on_dates(days),
        risks=store.risks_on_dates(days),
        phases=roadmap.phases,
        work_streams=roadmap.work_streams,
    )
    return outlook_from_frames(frames, dates, as_of, store.grants(), since)


# --- the JSON of ``sote outlook`` ------------------------------------------------------------


def _iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def outlook_json(view: OutlookView, lang: str | None = None) -> dict[str, Any]:
    """The outlook in the shape of ``sote outlook --json``::

    {"as_of", "roadmap_end",
     "areas": [{"code", "name", "applicable", "done", "pace_per_month",
                "needed_pace_per_month", "projected_done_on", "projected_critical_done_on",
                "band_days", "status", "support_rank",
                "reasons": [{"code", "message", "value"}]}, … the 22 areas in code order]}
    """
    rows = []
    for record in view.table.to_dict("records"):
        code = record["code"]
        band = record["band_days"]
        rows.append(
            {
                "code": code,
                "name": area_registry.get(code).name(lang),
                "applicable": int(record["applicable"]),
                "done": int(record["done"]),
                "pace_per_month": _float(record["pace_per_month"]),
                "needed_pace_per_month": _float(record["needed_pace_per_month"]),
                "projected_done_on": _iso(record["projected_done_on"]),
                "projected_critical_done_on": _iso(record["projected_critical_done_on"]),
                "band_days": None if band is None or pd.isna(band) else int(band),
                "status": record["status"],
                "support_rank": int(record["rank"]),
                "reasons": [
                    {"code": r.code, "message": r.message(lang), "value": r.value}
                    for r in view.reasons(code)
                ],
            }
        )
    end = view.outlook.end
    return {
        "as_of": view.outlook.as_of.isoformat(),
        "roadmap_end": end.isoformat() if end else None,
        "areas": rows,
    }


# --- the national map's metrics --------------------------------------------------------------

_MEMO: dict[tuple, OutlookView] = {}


def _view(context: MetricContext) -> OutlookView | None:
    """The context's outlook, built once per store, data version and date (both metrics and a
    page's reruns share it)."""
    store = context.store
    if store is None:
        return None
    version = store.data_version() if hasattr(store, "data_version") else None
    key = (getattr(store, "url", id(store)), version, context.as_of)
    if key not in _MEMO:
        if len(_MEMO) > 8:
            _MEMO.clear()
        _MEMO[key] = build_outlook(store, context.as_of)  # type: ignore[arg-type]
    return _MEMO[key]


def projected_days(context: MetricContext) -> pd.Series:
    """Days from the roadmap's end to the projected completion (+ late, − early); no value
    where there is no projection (no pace) or no store to read the history from."""
    view = _view(context)
    if view is None:
        return pd.Series(dtype=float)
    table = view.outlook.table.set_index("code")
    return pd.to_numeric(table["days_after_end"], errors="coerce").astype(float)


def support_need_values(context: MetricContext) -> pd.Series:
    """The support need (Σ weight × figure, ``rules.support``) per area."""
    view = _view(context)
    if view is None:
        return pd.Series(dtype=float)
    return view.support.table.set_index("code")["need"].astype(float)


PROJECTED_COMPLETION = MetricSpec(
    "projected_completion",
    "days",
    "lower_is_better",
    projected_days,
    scale=Scale("diverging", 0.0),
)
SUPPORT_NEED = MetricSpec("support_need", "score", "lower_is_better", support_need_values)


# --- the tables page and ``sote export --table outlook`` -------------------------------------

OUTLOOK_SPEC = (
    ("rank", "int"),
    ("area_code", "code"),
    ("area", "text"),
    ("outlook_status", "text"),
    ("measures", "int"),
    ("done", "int"),
    ("pace_per_month", "float"),
    ("needed_pace_per_month", "float"),
    ("projected_done_on", "date"),
    ("projected_critical_done_on", "date"),
    ("band_days", "int"),
    ("days_after_end", "change"),
    ("need", "float"),
    ("reasons", "text"),
)


def with_outlook_data(sources: Sources, store: OutlookStore, query: TableQuery) -> Sources:
    """``sources`` with the latest reports of the outlook's dates and the grants (the page reads
    only the as-of and comparison dates otherwise)."""
    dated = resolve_dates(query, sources)
    as_of = dated.as_of or default_as_of(sources.reporting_dates)
    since = dated.since or default_since(sources.reporting_dates, as_of)
    days = sorted(outlook_days(sources.reporting_dates, as_of, since))
    frames = replace(
        sources.frames, reports=store.status_on_dates(days), risks=store.risks_on_dates(days)
    )
    return replace(sources, frames=frames, grants=store.grants())


def outlook_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Every area's outlook and support need, most need first (``OUTLOOK_SPEC``)."""
    as_of = query.as_of or default_as_of(sources.reporting_dates)
    view = outlook_from_frames(
        sources.frames, sorted(sources.reporting_dates), as_of, sources.grants, query.since
    )
    table = view.table.sort_values("rank")
    if query.areas:
        table = table[table["code"].isin(query.areas)]
    frame = pd.DataFrame(
        {
            "rank": table["rank"].astype("int64"),
            "area_code": table["code"],
            "area": area_names(table["code"], lang),
            "outlook_status": [t(f"outlook.status.{s}", lang) for s in table["status"]],
            "measures": table["applicable"],
            "done": table["done"],
            "pace_per_month": pd.to_numeric(table["pace_per_month"]).round(2),
            "needed_pace_per_month": pd.to_numeric(table["needed_pace_per_month"]).round(2),
            "projected_done_on": table["projected_done_on"],
            "projected_critical_done_on": table["projected_critical_done_on"],
            "band_days": pd.to_numeric(table["band_days"]),
            "days_after_end": pd.to_numeric(table["days_after_end"]),
            "need": table["need"],
            "reasons": [" ".join(r.message(lang) for r in view.reasons(c)) for c in table["code"]],
        }
    )
    return search_rows(frame, query.search, ["area", "outlook_status", "reasons"])


# --- the area chart's projection -------------------------------------------------------------


def projection_series(view: OutlookView, code: str) -> pd.DataFrame:
    """The area's projected done share from the as-of date to the roadmap's end (or to its
    projected completion, when earlier), month by month: [day, value, low, high], the band being
    the pace ± one standard deviation of its monthly steps. Empty without a pace or an end."""
    columns = ["day", "value", "low", "high"]
    rows = view.outlook.table.set_index("code")
    end, as_of = view.outlook.end, view.outlook.as_of
    if code not in rows.index or end is None or end <= as_of:
        return pd.DataFrame(columns=columns)
    row = rows.loc[code]
    pace, spread = row["pace_per_month"], row["pace_spread"]
    applicable = int(row["applicable"])
    if pace is None or pd.isna(pace) or applicable == 0 or row["status"] == "done":
        return pd.DataFrame(columns=columns)
    spread = 0.0 if spread is None or pd.isna(spread) else float(spread)
    share = int(row["done"]) / applicable
    total = months_between(as_of, end)
    steps = [*range(0, int(total) + 1), total] if total > int(total) else range(0, int(total) + 1)
    points = []
    for months in steps:
        day = end if months == total else add_months(as_of, months)
        points.append(
            {
                "day": day,
                "value": min(1.0, share + float(pace) * months / applicable),
                "low": min(1.0, max(0.0, share + (float(pace) - spread) * months / applicable)),
                "high": min(1.0, share + (float(pace) + spread) * months / applicable),
            }
        )
    return pd.DataFrame(points, columns=columns)


# --- the pages' words ------------------------------------------------------------------------


def weights_sentence(lang: str | None = None) -> str:
    """The weights the ranking used, in words (stated beside every ranking)."""
    words = "; ".join(w.label(lang) for w in weights().values())
    return t("outlook.weights", lang, weights=words)


def support_lines(view: OutlookView, lang: str | None = None, top: int = 5) -> list[str]:
    """The ``top`` areas most in need of support, each with its reasons in words (areas with no
    support reason are left out)."""
    table = view.table.sort_values("rank")
    lines = []
    for row in table.to_dict("records"):
        reasons = view.support.reasons.get(row["code"], ())
        if not reasons or len(lines) >= top:
            continue
        lines.append(
            t(
                "outlook.section.line",
                lang,
                rank=int(row["rank"]),
                area=area_registry.get(row["code"]).short(lang),
                status=t(f"outlook.status.{row['status']}", lang),
                need=fmt_number(float(row["need"]), 1, lang),
                reasons=" ".join(r.message(lang) for r in reasons),
            )
        )
    return lines


def area_figures(view: OutlookView, code: str, lang: str | None = None) -> list[tuple[str, str]]:
    """The area page's outlook beside its key figures: (label, value) pairs."""
    rows = view.table.set_index("code")
    if code not in rows.index:
        return []
    row = rows.loc[code]

    def pace(value: object) -> str:
        return "–" if value is None or pd.isna(value) else fmt_number(float(value), 1, lang)

    def day(value: object) -> str:
        return fmt_date(value, lang) if isinstance(value, date) else "–"

    band = row["band_days"]
    band_text = ""
    if band is not None and not pd.isna(band) and band > 0:
        band_text = " " + t("outlook.area.band", lang, days=fmt_number(int(band), 0, lang))
    return [
        (
            t("outlook.area.pace", lang),
            t(
                "outlook.area.pace_value",
                lang,
                pace=pace(row["pace_per_month"]),
                needed=pace(row["needed_pace_per_month"]),
            ),
        ),
        (t("outlook.area.projected", lang), day(row["projected_done_on"]) + band_text),
        (t("outlook.area.critical", lang), day(row["projected_critical_done_on"])),
        (t("outlook.area.status", lang), t(f"outlook.status.{row['status']}", lang)),
    ]


def support_frame(view: OutlookView, lang: str | None = None) -> pd.DataFrame:
    """Every area by need, for the page: rank, area, outlook, need and the support reasons, the
    headers in ``lang``."""
    table = view.table.sort_values("rank")
    codes = list(table["code"])
    return pd.DataFrame(
        {
            t("tables.col.rank", lang): table["rank"].astype(int).to_numpy(),
            t("tables.col.area", lang): area_names(codes, lang),
            t("tables.col.outlook_status", lang): [
                t(f"outlook.status.{s}", lang) for s in table["status"]
            ],
            t("tables.col.need", lang): table["need"].astype(float).to_numpy(),
            t("tables.col.reasons", lang): [
                " ".join(r.message(lang) for r in view.support.reasons.get(c, ())) for c in codes
            ],
        }
    )


def area_projection(
    frames: metrics.Frames, reporting_dates: Sequence[date], as_of: date, code: str
) -> pd.DataFrame:
    """``projection_series`` of one area from frames that answer its window's dates (or the whole
    history), without the support ranking: what the area page's progress chart draws."""
    window = window_days(reporting_dates, as_of) or (as_of,)
    counts = done_counts(frames.measures, frames.reports, window, [code])
    view = outlook(counts, window, as_of, roadmap_end(frames.phases))
    empty = Support(pd.DataFrame(columns=["code", "need", "rank"]), {})
    return projection_series(OutlookView(view, empty, None), code)
