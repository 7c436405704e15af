"""One area's page as data: key figures, roadmap progress, measures, risks and progress over time.

Everything the area page shows is built here from ``metrics.Frames`` and dates, without Streamlit,
so that the page only reads its URL and widgets and draws, and the tests can check each table:
the comparison date, the measures table and its filters, the progress bars' counts, the risk
register with its trend arrows, the 5 × 5 matrix counts and the progress series with its plan line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import altair as alt
import numpy as np
import pandas as pd

from ..charts import base as charts
from ..domain import areas
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.model import HIGH_RISK_SCORE, RISK_SCALE, Phase, Status, WorkStream
from ..rules import metrics
from ..rules.progress import PROGRESS_STATUSES, KeyDate
from .national import format_value

#: the key figures of the header, in order, with the metric kind
KEY_FIGURES: tuple[str, ...] = (
    "done_share",
    "started_share",
    "critical_done_share",
    "overdue",
    "high_risks",
)
STATUS_ORDER: tuple[str, ...] = (
    Status.DONE.value,
    Status.IN_PROGRESS.value,
    Status.DELAYED.value,
    Status.NOT_STARTED.value,
    Status.NOT_APPLICABLE.value,
)


@dataclass(frozen=True)
class KeyFigure:
    metric: str
    label: str
    value: float | None
    value_text: str
    median: float | None
    median_text: str
    delta_text: str | None  # difference to the median, signed, in the metric's unit
    delta_sign: int = 0  # -1, 0 or 1: the page shows no arrow for "same as the median"
    change_text: str | None = None  # change since the comparison date, signed ("+5 %-yks.")
    change_sign: int = 0


@dataclass
class AreaView:
    area: areas.Area
    as_of: date
    figures: list[KeyFigure]
    phase_counts: pd.DataFrame  # phase, phase_label, status, status_label, count
    phase_chart: alt.TopLevelMixin
    since: date | None = None
    figures_since: dict[str, float | None] = field(default_factory=dict)


def _delta(
    value: float | None, median: float | None, kind: str, lang: str | None
) -> tuple[str | None, int]:
    """The difference to the median as text ("+3 %-yks.", "-2", "±0") and its sign."""
    if value is None or median is None or pd.isna(value) or pd.isna(median):
        return None, 0
    delta = float(value) - float(median)
    amount = round(delta * 100) if kind == "share" else round(delta)
    sign = (amount > 0) - (amount < 0)
    prefix = {1: "+", 0: "±", -1: "-"}[sign]
    number = fmt_number(abs(amount), lang=lang)
    if kind == "share":
        return t("area.delta_points", lang, sign=prefix, value=number), sign
    return f"{prefix}{number}", sign


def key_figures(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    *,
    since: date | None = None,
    lang: str | None = None,
) -> tuple[list[KeyFigure], dict[str, float | None]]:
    """The header's figures beside the national median, each with its change since ``since``
    (when given), and the values on ``since`` by metric."""
    table = metrics.area_metrics(frames.measures, frames.reports, frames.risks, as_of)
    medians = metrics.national_medians(table)
    row = table.set_index("code").loc[code]
    then = None
    if since is not None:
        before = metrics.area_metrics(frames.measures, frames.reports, frames.risks, since)
        then = before.set_index("code").loc[code]
    figures = []
    figures_since: dict[str, float | None] = {}
    for metric in KEY_FIGURES:
        kind = metrics.METRICS[metric]["kind"]
        value = None if pd.isna(row[metric]) else float(row[metric])
        median = medians.get(metric)
        delta_text, delta_sign = _delta(value, median, kind, lang)
        change_text, change_sign = None, 0
        if then is not None:
            previous = None if pd.isna(then[metric]) else float(then[metric])
            figures_since[metric] = previous
            change_text, change_sign = _delta(value, previous, kind, lang)
        figures.append(
            KeyFigure(
                metric=metric,
                label=t(f"metric.{metric}", lang),
                value=value,
                value_text=format_value(value, kind, lang),
                median=median,
                median_text=format_value(median, kind, lang),
                delta_text=delta_text,
                delta_sign=delta_sign,
                change_text=change_text,
                change_sign=change_sign,
            )
        )
    return figures, figures_since


def build_area_view(
    frames: metrics.Frames,
    code: str,
    as_of: date,
    *,
    since: date | None = None,
    lang: str | None = None,
    status_order: Sequence[str] = STATUS_ORDER,
) -> AreaView:
    """Key figures against the national median (and their change since ``since``, when given)
    and the area's measures by phase and status."""
    area = areas.get(code)
    figures, figures_since = key_figures(frames, code, as_of, since=since, lang=lang)
    counts = metrics.phase_status_counts(frames.measures, frames.reports, code, as_of).copy()
    counts["phase_label"] = [t(f"phase.{int(p)}", lang) for p in counts["phase"]]
    counts["status"] = counts["status"].astype(str)
    counts["status_label"] = [t(f"status.{s}", lang) for s in counts["status"]]
    chart = charts.phase_status_bars(counts, status_order=status_order, lang=lang)
    return AreaView(
        area=area,
        as_of=as_of,
        figures=figures,
        phase_counts=counts,
        phase_chart=chart,
        since=since,
        figures_since=figures_since,
    )


def phase_table(view: AreaView, lang: str | None = None) -> pd.DataFrame:
    """The phase × status counts as a plain table (the chart's text equivalent)."""
    wide = view.phase_counts.pivot_table(
        index="phase_label", columns="status_label", values="count", aggfunc="sum", fill_value=0
    )
    wide.index.name = t("area.phase", lang)
    wide.columns.name = None
    return wide.reset_index()


# --- comparison date --------------------------------------------------------------------------


def comparison_dates(dates: Iterable[date], as_of: date) -> list[date]:
    """The reporting dates a comparison can be made with: those before ``as_of``, newest first."""
    return sorted({d for d in dates if d < as_of}, reverse=True)


def default_comparison_date(dates: Iterable[date], as_of: date) -> date | None:
    """The previous reporting date before ``as_of`` (the last meeting's picture), or None when
    ``as_of`` is the first reporting date and there is nothing to compare with."""
    earlier = comparison_dates(dates, as_of)
    return earlier[0] if earlier else None


def resolve_comparison(
    requested: date | None, dates: Iterable[date], as_of: date
) -> tuple[date | None, bool]:
    """The comparison date to use and whether ``requested`` was taken.

    A requested date must be before ``as_of`` (comparing with the future or the same day says
    nothing); it need not be a reporting date, since the status on any day is defined. A refused or
    missing request falls back to the previous reporting date.
    """
    if requested is not None and requested < as_of:
        return requested, True
    return default_comparison_date(dates, as_of), requested is None


# --- measures table ---------------------------------------------------------------------------

#: columns of the measures table, in display order (labels: ``area.col.<name>``)
#: (what a meeting reads first comes first: on a laptop the last columns need scrolling)
MEASURE_TABLE_COLUMNS: tuple[str, ...] = (
    "flag",
    "measure_id",
    "name",
    "status_label",
    "deadline",
    "critical",
    "reported_on",
    "phase_label",
    "work_stream_label",
    "comment",
)


def work_stream_names(work_streams: Sequence[WorkStream], lang: str | None) -> dict[str, str]:
    return {w.key: w.name(lang) for w in work_streams}


def _flag(overdue: bool, critical: bool, status: str, lang: str | None) -> str:
    """The text that makes a row stand out without relying on colour."""
    if overdue and critical:
        return t("area.flag.overdue_critical", lang)
    if overdue:
        return t("area.flag.overdue", lang)
    if critical and status == Status.DELAYED.value:
        return t("area.flag.delayed_critical", lang)
    return ""


def area_measures(
    frames: metrics.Frames, code: str, as_of: date, *, lang: str | None = None
) -> pd.DataFrame:
    """Every measure of the roadmap with the area's status on ``as_of``, in roadmap order.

    Columns: measure_id, name, phase, phase_label, work_stream, work_stream_label, critical,
    deadline, status, status_label, reported_on, comment, overdue, flag (text, empty when the row
    needs no attention). Overdue follows ``metrics``: applicable, deadline before the day, not done.
    """
    statuses = metrics.status_as_of(frames.measures, frames.reports, as_of, [code])
    table = frames.measures[["measure_id", "name"]].merge(
        statuses.drop(columns="area_code"), on="measure_id", how="left"
    )
    streams = work_stream_names(frames.work_streams, lang)
    table["phase_label"] = [t(f"phase.{int(p)}", lang) for p in table["phase"]]
    table["work_stream_label"] = [streams.get(w, w) for w in table["work_stream"]]
    table["status_label"] = [t(f"status.{s}", lang) for s in table["status"]]
    deadlines = pd.to_datetime(table["deadline"], errors="coerce")
    table["overdue"] = (
        (table["status"] != Status.NOT_APPLICABLE.value)
        & (table["status"] != Status.DONE.value)
        & (deadlines < pd.Timestamp(as_of))
    ).astype(bool)
    table["flag"] = [
        _flag(o, c, s, lang)
        for o, c, s in zip(table["overdue"], table["critical"], table["status"], strict=True)
    ]
    return table[
        [
            "measure_id",
            "name",
            "phase",
            "phase_label",
            "work_stream",
            "work_stream_label",
            "critical",
            "deadline",
            "status",
            "status_label",
            "reported_on",
            "comment",
            "overdue",
            "flag",
        ]
    ]


def filter_area_measures(
    table: pd.DataFrame,
    *,
    phase: int | None = None,
    work_stream: str | None = None,
    statuses: Iterable[str] | None = None,
    critical_only: bool = False,
    overdue_only: bool = False,
    text: str = "",
) -> pd.DataFrame:
    """The rows of ``area_measures`` the page's filters keep.

    ``statuses`` None or empty keeps every status (an empty multiselect means "no filter", not
    "nothing"); ``text`` matches every word, case-insensitively, in the id, name or comment.
    """
    keep = pd.Series(True, index=table.index)
    if phase is not None:
        keep &= table["phase"] == int(phase)
    if work_stream:
        keep &= table["work_stream"] == work_stream
    wanted = set(statuses or ())
    if wanted:
        keep &= table["status"].isin(wanted)
    if critical_only:
        keep &= table["critical"].astype(bool)
    if overdue_only:
        keep &= table["overdue"].astype(bool)
    words = text.casefold().split()
    if words:
        haystack = (
            table["measure_id"].astype(str)
            + " "
            + table["name"].astype(str)
            + " "
            + table["comment"].fillna("").astype(str)
        ).str.casefold()
        for word in words:
            keep &= haystack.str.contains(word, regex=False)
    return table[keep]


def order_for_attention(table: pd.DataFrame) -> pd.DataFrame:
    """Flagged rows first (overdue critical, overdue, delayed critical), roadmap order within."""
    rank = table["flag"].map(lambda f: 0 if f else 1)
    return table.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


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


# --- risks ------------------------------------------------------------------------------------

#: the risk list's columns in display order: the score and its trend beside the title
RISK_REGISTER_COLUMNS = [
    "title",
    "score",
    "trend",
    "previous_score",
    "theme",
    "mitigation",
    "owner",
    "likelihood",
    "impact",
    "risk_id",
    "reported_on",
]


def trend_arrow(previous: float | None, current: float, lang: str | None = None) -> str:
    """↑ the score rose, ↓ it fell, → unchanged, "uusi" when the risk had no rating before."""
    if previous is None or pd.isna(previous):
        return t("area.risk.new", lang)
    if current > previous:
        return "↑"
    if current < previous:
        return "↓"
    return "→"


def _latest_risks(risks: pd.DataFrame, code: str, day: date) -> pd.DataFrame:
    if risks is None or risks.empty:
        return pd.DataFrame(columns=list(risks.columns) if risks is not None else [])
    own = risks[risks["area_code"] == code]
    if own.empty:
        return own
    return metrics._latest(own, ["risk_id"], day)


def risk_register(
    risks: pd.DataFrame, code: str, as_of: date, since: date | None, lang: str | None = None
) -> pd.DataFrame:
    """The area's risks by their latest rating on ``as_of``, highest score first, with the score
    on ``since`` and the trend arrow between them (national risks are never an area's; a risk
    whose latest rating closed it is gone, by ``metrics``' rule, so the matrix agrees with the
    key figures)."""
    now = _latest_risks(risks, code, as_of)
    if now.empty:
        return pd.DataFrame(columns=RISK_REGISTER_COLUMNS)
    now = now.copy()
    now["likelihood"] = now["likelihood"].astype("int64")
    now["impact"] = now["impact"].astype("int64")
    now["score"] = now["likelihood"] * now["impact"]
    previous: dict[str, int] = {}
    if since is not None:
        then = _latest_risks(risks, code, since)
        if not then.empty:
            scores = then["likelihood"].astype("int64") * then["impact"].astype("int64")
            previous = dict(zip(then["risk_id"], scores, strict=True))
    now["previous_score"] = pd.array([previous.get(r) for r in now["risk_id"]], dtype="Int64")
    now["trend"] = [
        trend_arrow(previous.get(r), s, lang)
        for r, s in zip(now["risk_id"], now["score"], strict=True)
    ]
    now = now.sort_values(["score", "risk_id"], ascending=[False, True], kind="stable")
    return now[RISK_REGISTER_COLUMNS].reset_index(drop=True)


def risk_band(score: int) -> str:
    """The matrix's colour band of a score: low < 5 ≤ moderate < 10 ≤ considerable < 15 ≤ high."""
    if score >= HIGH_RISK_SCORE:
        return "high"
    if score >= 10:
        return "considerable"
    if score >= 5:
        return "moderate"
    return "low"


def risk_matrix_counts(register: pd.DataFrame) -> pd.DataFrame:
    """All 25 cells of the likelihood × impact matrix with the number of risks in each
    (empty cells included, so the grid is always whole)."""
    cells = pd.MultiIndex.from_product(
        [list(RISK_SCALE), list(RISK_SCALE)], names=["likelihood", "impact"]
    )
    if register.empty:
        counts = pd.Series(0, index=cells)
    else:
        counts = register.groupby(["likelihood", "impact"]).size().reindex(cells, fill_value=0)
    frame = counts.astype("int64").rename("count").reset_index()
    frame["score"] = frame["likelihood"] * frame["impact"]
    frame["band"] = frame["score"].map(risk_band)
    return frame


def risks_in_cell(
    register: pd.DataFrame, likelihood: int | None, impact: int | None
) -> pd.DataFrame:
    """The register's rows of one matrix cell (all rows when no cell is chosen)."""
    if likelihood is None or impact is None:
        return register
    keep = (register["likelihood"] == int(likelihood)) & (register["impact"] == int(impact))
    return register[keep]


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
    NaN values dropped.
    """
    days = sorted(set(dates))
    if not days:
        return pd.DataFrame(columns=["day", "series", "value"])
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
    per_area = flags.groupby(["day", "area_code"]).sum()
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
