"""Areas side by side (``/alue?vertaa=21,12,08``): two to four areas' key figures beside the
national median, their phase progress, risk profiles and progress over time, each drawn on one
scale for all of them so that a bar, a cell or a line means the same in every column.

The comparison is a mode of the area page: the link the area issue asked for is
``/alue?vertaa=``, and it keeps the area page's as-of date (``pvm``), language and meeting mode.
The areas are read with the one URL grammar (``grammar.Parameters.area_codes``: a code or a name,
``vertaa=Lappi,12``), so an unknown one is a warning and the others are still compared; more
than ``MAX_AREAS`` keeps the first four with a warning; fewer than ``MIN_AREAS`` is not an error
either: the page says to choose more (``enough``).

Every figure is one of the area page's (``views.area``, ``area_progress``, ``area_risks``), asked
for each chosen area: nothing here computes a figure of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from ..charts import compare as compare_charts
from ..domain import areas
from ..domain.errors import Issue
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.model import HIGH_RISK_SCORE
from ..rules import metrics
from . import area as av
from . import area_progress as ap
from . import area_risks as ar
from .grammar import Parameters
from .national import format_value

#: the URL parameter that turns the area page into the comparison, and its limits
PARAM = "vertaa"
MIN_AREAS = 2
MAX_AREAS = 4


@dataclass(frozen=True)
class CompareAsk:
    """What a link asks to compare: the reform areas' codes in the order given, the as-of date."""

    codes: tuple[str, ...] = ()
    as_of: date | None = None


def is_comparison(query: Mapping[str, Any]) -> bool:
    """The link asks for the comparison (``vertaa`` present, even empty: ``/alue?vertaa=``)."""
    return PARAM in query


def compare_from_query(
    query: Mapping[str, str | Sequence[str] | None],
) -> tuple[CompareAsk, list[Issue]]:
    """The areas and as-of date of a comparison link; a value that names no reform area is a
    warning (``invalid_parameter``), more than four areas keep the first four
    (``compare_too_many``)."""
    given = Parameters(query)
    codes = given.area_codes(PARAM)
    as_of = given.day("pvm")
    issues = list(given.issues)
    if len(codes) > MAX_AREAS:
        dropped = ", ".join(areas.get(code).short_fi for code in codes[MAX_AREAS:])
        issues.append(
            Issue(
                "compare_too_many",
                severity="warning",
                params={"count": len(codes), "most": MAX_AREAS, "dropped": dropped},
            )
        )
        codes = codes[:MAX_AREAS]
    return CompareAsk(codes=codes, as_of=as_of), issues


def enough(codes: Sequence[str]) -> bool:
    """Whether there is something to compare: two to four areas."""
    return MIN_AREAS <= len(codes) <= MAX_AREAS


def compare_value(codes: Sequence[str]) -> str:
    """The parameter's value the page writes: the codes, comma-separated (``21,12,08``)."""
    return ",".join(codes)


@dataclass(frozen=True)
class Comparison:
    """What the comparison draws for its areas on one as-of date."""

    codes: tuple[str, ...]
    as_of: date
    figures: pd.DataFrame  # key_figure_table
    phases: pd.DataFrame  # phase_progress
    phase_table: pd.DataFrame  # the phase bars as a table (their text equivalent)
    phase_chart: dict[str, Any]
    risks: pd.DataFrame  # risk_profiles
    risk_chart: dict[str, Any]
    risk_sentence: str
    progress: pd.DataFrame  # progress_over_time
    progress_chart: dict[str, Any] | None  # None when there is no reporting date yet
    progress_sentence: str


def _short(code: str, lang: str | None) -> str:
    return areas.get(code).short(lang)


def key_figure_table(
    frames: metrics.Frames, codes: Sequence[str], as_of: date, lang: str | None = None
) -> pd.DataFrame:
    """The area page's key figures, one row each, a column per area ("64 % (+3 %-yks.)": the
    value and its difference to the median) and the national median last."""
    per_area = {code: av.key_figures(frames, code, as_of, lang=lang)[0] for code in codes}
    rows = []
    for index, metric in enumerate(av.KEY_FIGURES):
        first = per_area[codes[0]][index] if codes else None
        row = {t("compare.col.figure", lang): t(f"metric.{metric}", lang)}
        for code in codes:
            figure = per_area[code][index]
            delta = f" ({figure.delta_text})" if figure.delta_text else ""
            row[_short(code, lang)] = figure.value_text + delta
        median = first.median_text if first else format_value(None, "share", lang)
        row[t("compare.col.median", lang)] = median
        rows.append(row)
    return pd.DataFrame(rows)


def phase_progress(
    frames: metrics.Frames, codes: Sequence[str], as_of: date, lang: str | None = None
) -> pd.DataFrame:
    """Each area's measures per phase by status (``area_progress.progress_counts``) with the
    area's code and short name: the rows of the phase chart."""
    phases = [p.number for p in sorted(frames.phases, key=lambda p: p.number)]
    labels = [t(f"phase.{n}", lang) for n in phases]
    parts = []
    for code in codes:
        table = av.area_measures(frames, code, as_of, lang=lang)
        counts = ap.progress_counts(table, "phase", order=phases, labels=labels)
        parts.append(counts.assign(area_code=code, area=_short(code, lang)))
    columns = ["area_code", "area", "key", "label", "status", "count", "total", "share", "order"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def phase_table(phases: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The phase chart as a table: a row per phase, each area's done share and done of
    applicable ("64 % (29/45)")."""
    done = phases[phases["status"] == "done"]
    rows = []
    for label, group in done.groupby("label", sort=False):
        row = {t("compare.col.phase", lang): label}
        for record in group.to_dict("records"):
            total = int(record["total"])
            share = record["count"] / total if total else None
            row[record["area"]] = t(
                "compare.phase_cell",
                lang,
                share=format_value(share, "share", lang),
                done=fmt_number(int(record["count"]), lang=lang),
                total=fmt_number(total, lang=lang),
            )
        rows.append(row)
    return pd.DataFrame(rows)


def risk_profiles(
    frames: metrics.Frames, codes: Sequence[str], as_of: date, lang: str | None = None
) -> pd.DataFrame:
    """Each area's 5 × 5 matrix of risks by their latest rating (``area_risks``), all 25 cells
    per area, with the area's code and short name."""
    parts = []
    for code in codes:
        register = ar.risk_register(frames.risks, code, as_of, None, lang)
        cells = ar.risk_matrix_counts(register)
        parts.append(cells.assign(area_code=code, area=_short(code, lang)))
    if not parts:
        return pd.DataFrame(columns=["likelihood", "impact", "count", "score", "band", "area"])
    return pd.concat(parts, ignore_index=True)


def risk_sentence(profiles: pd.DataFrame, codes: Sequence[str], lang: str | None = None) -> str:
    """The matrices in words: per area the risks, the high ones and the highest score."""
    parts = []
    for code in codes:
        own = profiles[profiles["area_code"] == code]
        rated = own[own["count"] > 0]
        parts.append(
            t(
                "compare.risks.area",
                lang,
                area=_short(code, lang),
                risks=fmt_number(int(own["count"].sum()), lang=lang),
                high=fmt_number(
                    int(own.loc[own["score"] >= HIGH_RISK_SCORE, "count"].sum()), lang=lang
                ),
                highest=fmt_number(int(rated["score"].max()), lang=lang) if len(rated) else "–",
            )
        )
    return "; ".join(parts) + "."


def progress_over_time(
    frames: metrics.Frames,
    codes: Sequence[str],
    dates: Sequence[date],
    summary: Sequence[tuple] | None = None,
) -> pd.DataFrame:
    """Each area's done share per reporting date up to the as-of date and the national median
    (``area_progress.area_series``: from the store's ``summary`` when given, as on the area
    page): long form [day, series, value] with series an area's code or ``median``."""
    parts = []
    for index, code in enumerate(codes):
        series = ap.area_series(frames, code, dates, summary)
        wanted = ["area", "median"] if index == 0 else ["area"]
        own = series[series["series"].isin(wanted)].copy()
        own["series"] = own["series"].replace({"area": code})
        parts.append(own)
    if not parts:
        return pd.DataFrame(columns=["day", "series", "value"])
    return pd.concat(parts, ignore_index=True)


def progress_sentence(progress: pd.DataFrame, codes: Sequence[str], lang: str | None = None) -> str:
    """The lines in words: each area's and the median's done share on the last date."""
    if progress.empty:
        return t("area.progress.empty", lang)
    last_day = progress["day"].max()
    last = progress[progress["day"] == last_day].set_index("series")["value"]
    parts = [
        f"{_short(code, lang)} {format_value(last.get(code), 'share', lang)}" for code in codes
    ]
    return t(
        "compare.progress.sentence",
        lang,
        date=fmt_date(last_day, lang),
        areas="; ".join(parts),
        median=format_value(last.get("median"), "share", lang),
    )


def build_comparison(
    frames: metrics.Frames,
    codes: Sequence[str],
    as_of: date,
    dates: Sequence[date],
    *,
    lang: str | None = None,
    summary: Sequence[tuple] | None = None,
) -> Comparison:
    """Everything the comparison draws for ``codes`` on ``as_of`` (``dates``: the reporting
    dates; the progress lines use those up to ``as_of``). With the store's ``summary``
    (``Store.status_summary``) ``frames`` need hold only the as-of date's latest reports
    (``metrics.frames_on``), as the area page's do; without it, the whole history."""
    codes = tuple(codes)
    names = {code: _short(code, lang) for code in codes}
    phases = phase_progress(frames, codes, as_of, lang)
    profiles = risk_profiles(frames, codes, as_of, lang)
    progress = progress_over_time(frames, codes, [d for d in dates if d <= as_of], summary)
    lines = None
    if not progress.empty:
        lines = compare_charts.progress_lines(progress, names, lang=lang).to_dict()
    return Comparison(
        codes=codes,
        as_of=as_of,
        figures=key_figure_table(frames, codes, as_of, lang),
        phases=phases,
        phase_table=phase_table(phases, lang),
        phase_chart=compare_charts.phase_bars(phases, list(names.values()), lang=lang).to_dict(),
        risks=profiles,
        risk_chart=compare_charts.risk_matrices(
            profiles, list(names.values()), lang=lang
        ).to_dict(),
        risk_sentence=risk_sentence(profiles, codes, lang),
        progress=progress,
        progress_chart=lines,
        progress_sentence=progress_sentence(progress, codes, lang),
    )
