"""The change lists as a page shows them: Finnish tables and the sentence that counts them.

:mod:`sotedata.rules.changes` computes what moved; this module only words it, so that the area page
and the national page say the same thing in the same way (and tests read the words without
Streamlit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

from ..domain import areas
from ..domain.errors import Issue
from ..domain.i18n import fmt_date, fmt_number, fmt_percent, t
from ..domain.model import HIGH_RISK_SCORE, Status
from ..rules import metrics
from ..rules.changes import default_since
from . import grammar

#: the comparison date's URL parameter, on the national page and the area page alike
SINCE_PARAM = "vrt"

_DONE = Status.DONE.value
_DELAYED = Status.DELAYED.value


def resolve_comparison(
    requested: date | None, dates: Iterable[date], as_of: date
) -> tuple[date | None, bool]:
    """The comparison date to use and whether ``requested`` was taken.

    A requested date must be before ``as_of`` (comparing with the future or the same day says
    nothing); it need not be a reporting date, since the status on any day is defined. A refused or
    missing request falls back to the previous reporting date (``changes.default_since``).
    """
    if requested is not None and requested < as_of:
        return requested, True
    return default_since(dates, as_of), requested is None


def comparison_from_query(
    value: str | None, dates: Sequence[date], as_of: date
) -> tuple[date | None, list[Issue]]:
    """The comparison date the URL asks for, if it is a date before ``as_of``; else the default
    (the reporting date before ``as_of``) and, for a bad value, a warning."""
    requested = grammar.day(value)
    since, taken = resolve_comparison(requested, dates, as_of)
    if value and (requested is None or not taken):
        issue = Issue(
            "invalid_parameter", severity="warning", params={"name": SINCE_PARAM, "value": value}
        )
        return since, [issue]
    return since, []


def _status_label(value: object, lang: str | None) -> str:
    return t(f"status.{value}", lang)


def _score(value: object) -> str:
    return "" if value is None or pd.isna(value) else fmt_number(int(value))


def status_change_table(
    moves: pd.DataFrame, frames: metrics.Frames, lang: str | None = None
) -> pd.DataFrame:
    """One row per status move with Finnish column names: measure, phase, work stream,
    critical, from, to, reported on (``moves`` from :func:`changes.status_changes`)."""
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    # the move first (from, to), so that it stays in view on a laptop; the context after it
    return pd.DataFrame(
        {
            t("changes.col.measure", lang): (moves["measure_id"] + " " + moves["name"]).tolist(),
            t("changes.col.from", lang): [_status_label(s, lang) for s in moves["from_status"]],
            t("changes.col.to", lang): [_status_label(s, lang) for s in moves["to_status"]],
            t("changes.col.critical", lang): [
                t("changes.yes", lang) if c else "" for c in moves["critical"]
            ],
            t("changes.col.phase", lang): [t(f"phase.{p}", lang) for p in moves["phase"]],
            t("changes.col.work_stream", lang): [
                streams.get(k, str(k)) for k in moves["work_stream"]
            ],
            t("changes.col.reported_on", lang): [fmt_date(d, lang) for d in moves["reported_on"]],
        }
    )


def _arrow(change: str, before: object, after: object) -> str:
    if change == "new":
        return "＋"
    return "↑" if float(after) > float(before) else "↓"


def risk_change_table(risks: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """One row per new or re-rated risk with Finnish column names (the score before and now, an
    arrow for the direction, and whether it is high now)."""
    return pd.DataFrame(
        {
            t("changes.col.risk", lang): risks["title"].tolist(),
            t("changes.col.change", lang): [t(f"changes.risk.{c}", lang) for c in risks["change"]],
            t("changes.col.score_from", lang): [_score(s) for s in risks["from_score"]],
            t("changes.col.score_to", lang): [_score(s) for s in risks["to_score"]],
            t("changes.col.direction", lang): [
                _arrow(c, b, a)
                for c, b, a in zip(
                    risks["change"], risks["from_score"], risks["to_score"], strict=True
                )
            ],
            t("changes.col.high", lang): [
                t("changes.yes", lang) if s >= HIGH_RISK_SCORE else "" for s in risks["to_score"]
            ],
            t("changes.col.theme", lang): risks["theme"].tolist(),
        }
    )


def period_text(since: date, as_of: date, lang: str | None = None) -> str:
    return t("changes.period", lang, since=fmt_date(since, lang), as_of=fmt_date(as_of, lang))


def changes_sentence(
    moves: pd.DataFrame, risks: pd.DataFrame, since: date, as_of: date, lang: str | None = None
) -> str:
    """ "15.11.2022–15.12.2022: the status of 4 measures changed (2 to done, 1 to delayed);
    1 new risk, 3 re-rated risks." — the counts a meeting reads first, also the text
    equivalent of the tables."""
    changes = risks["change"] if len(risks) else pd.Series(dtype=object)
    return t(
        "changes.sentence",
        lang,
        period=period_text(since, as_of, lang),
        moves=fmt_number(len(moves), 0, lang),
        done=fmt_number(int((moves["to_status"] == _DONE).sum()), 0, lang),
        delayed=fmt_number(int((moves["to_status"] == _DELAYED).sum()), 0, lang),
        new=fmt_number(int((changes == "new").sum()), 0, lang),
        rerated=fmt_number(int((changes == "rerated").sum()), 0, lang),
        closed=fmt_number(int((changes == "closed").sum()), 0, lang),
    )


def _signed_points(change: object, lang: str | None) -> str:
    if change is None or pd.isna(change):
        return t("value.none", lang)
    points = float(change) * 100
    sign = "+" if points > 0 else ""
    return t("changes.points", lang, value=f"{sign}{fmt_number(points, 1, lang)}")


def areas_moved_table(table: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """``areas_moved`` with Finnish column names, the area's short name and values as text."""
    return pd.DataFrame(
        {
            t("changes.col.area", lang): [areas.get(c).short(lang) for c in table["code"]],
            t("changes.col.moves", lang): table["moves"].astype(int).tolist(),
            t("changes.col.to_done", lang): table["to_done"].astype(int).tolist(),
            t("changes.col.to_delayed", lang): table["to_delayed"].astype(int).tolist(),
            t("changes.col.done_share", lang): [
                fmt_percent(v, 0, lang) for v in table["done_share"]
            ],
            t("changes.col.done_change", lang): [
                _signed_points(v, lang) for v in table["done_share_change"]
            ],
            t("changes.col.high_risks", lang): table["high_risks"].astype(int).tolist(),
            t("changes.col.new_high_risks", lang): table["new_high_risks"].astype(int).tolist(),
        }
    )


def areas_moved_sentence(
    table: pd.DataFrame, since: date, as_of: date, lang: str | None = None
) -> str:
    """Who moved most, in one sentence (the text equivalent of the national change table)."""
    period = period_text(since, as_of, lang)
    moving = table[table["moves"] > 0]
    if moving.empty:
        return t("changes.national.none", lang, period=period)
    top = moving.head(3)
    names = ", ".join(
        t("changes.national.area_moves", lang, area=areas.get(c).short(lang), moves=int(m))
        for c, m in zip(top["code"], top["moves"], strict=True)
    )
    return t(
        "changes.national.sentence",
        lang,
        period=period,
        areas=fmt_number(len(moving), 0, lang),
        moves=fmt_number(int(table["moves"].sum()), 0, lang),
        top=names,
        new_high=fmt_number(int(table["new_high_risks"].sum()), 0, lang),
    )
