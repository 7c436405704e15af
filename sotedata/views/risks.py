"""The national risks page as one object, without Streamlit: which areas rate which themes high.

A page reads its URL (``?teema=Talous,ICT&alue=21,19&pvm=2022-06-15``) into :class:`RisksParams`,
calls :func:`build_risks_view` and draws the result. The counting rule is metrics': a risk counts
by its latest rating on or before the as-of date, and it is high when its score (likelihood ×
impact) is at least ``HIGH_RISK_SCORE``. National risks (no area) are never any area's: they get
their own table and are left out of the heat map, the high-risk list and the area counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import altair as alt
import numpy as np
import pandas as pd

from ..charts import risks as risk_charts
from ..domain import areas
from ..domain import themes as theme_words
from ..domain.errors import Issue
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.model import HIGH_RISK_SCORE
from ..rules import metrics
from ..rules.changes import default_as_of
from .grammar import Parameters
from .table_base import text_cells

_SEPARATOR = ","


@dataclass(frozen=True)
class RisksParams:
    """The risks page's view as kept in the URL; empty filters mean everything."""

    themes: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    as_of: date | None = None

    def to_query(self) -> dict[str, str]:
        """URL parameters, defaults left out so that a bare link follows new reports."""
        query: dict[str, str] = {}
        if self.themes:
            query["teema"] = _SEPARATOR.join(self.themes)
        if self.areas:
            query["alue"] = _SEPARATOR.join(self.areas)
        if self.as_of is not None:
            query["pvm"] = self.as_of.isoformat()
        return query


def params_from_query(
    query: Mapping[str, str | None], known_themes: Sequence[str]
) -> tuple[RisksParams, list[Issue]]:
    """Read the view from URL parameters (the one grammar of ``grammar``); an unknown theme or
    area is dropped with a warning.

    Themes match case-insensitively and in any language (``teema=talous`` and ``teema=Ekonomi``
    are Talous); areas are codes or names
    (``alue=Lappi`` is 21), but only the 22 areas of the reform.
    """
    given = Parameters(query)
    by_fold = {theme.casefold(): theme for theme in known_themes}
    chosen: list[str] = []
    for part in given.items("teema"):
        theme = by_fold.get(part.casefold()) or by_fold.get(theme_words.canonical(part).casefold())
        if theme is None:
            given.bad("teema", part)
        elif theme not in chosen:
            chosen.append(theme)
    params = RisksParams(
        themes=tuple(chosen),
        areas=tuple(sorted(given.area_codes("alue"))),
        as_of=given.day("pvm"),
    )
    return params, given.issues


# --- the figures ------------------------------------------------------------------------------


#: the theme of a risk imported without one: a key of its own (in the data, the filters and the
#: URL, whatever the language), shown as ``theme_label`` writes it
NO_THEME = t("risks.theme.none", "fi")


def theme_label(theme: str, lang: str | None = None) -> str:
    """A theme as shown: a known theme in the page's language ("Ekonomi" for Talous), an unknown
    one as the reporters wrote it, "Inget tema" for ``NO_THEME`` in Swedish."""
    return t("risks.theme.none", lang) if theme == NO_THEME else theme_words.label(theme, lang)


def _themes(values: pd.Series) -> pd.Series:
    """Themes as text, a known one in its one form (``domain.themes.canonical``: "Ekonomi" and
    "talous" are both Talous); a risk imported without one gets a named column of its own
    instead of an empty heading (or vanishing from the heat map)."""
    text = values.astype(object).where(values.notna(), "").map(lambda v: str(v).strip())
    return text.where(text != "", NO_THEME).map(theme_words.canonical)


def themes_of(risks: pd.DataFrame | None) -> list[str]:
    """The risk themes in the data, alphabetical (the heat map's columns and the filter's list)."""
    if risks is None or risks.empty:
        return []
    return sorted(set(_themes(risks["theme"])), key=str.casefold)


def latest_ratings(risks: pd.DataFrame | None, as_of: date) -> pd.DataFrame:
    """Each risk's latest rating on or before ``as_of`` with ``score`` and ``high``;
    ``area_code`` None for a national risk."""
    columns = [
        "area_code",
        "risk_id",
        "title",
        "theme",
        "likelihood",
        "impact",
        "score",
        "high",
        "mitigation",
        "owner",
        "reported_on",
    ]
    if risks is None or risks.empty:
        return pd.DataFrame(columns=columns).astype({"score": "int64", "high": bool})
    keyed = risks.assign(_key=risks["area_code"].astype(object).fillna(""))
    latest = metrics.latest_rows(keyed, ["_key", "risk_id"], as_of).copy()
    latest["theme"] = _themes(latest["theme"])
    latest["score"] = latest["likelihood"].astype("int64") * latest["impact"].astype("int64")
    latest["high"] = latest["score"] >= HIGH_RISK_SCORE
    latest["area_code"] = latest["area_code"].astype(object).where(latest["_key"] != "", None)
    return latest[columns].reset_index(drop=True)


def _filtered(
    latest: pd.DataFrame, themes: Sequence[str], area_codes: Sequence[str] | None
) -> pd.DataFrame:
    keep = pd.Series(True, index=latest.index)
    if themes:
        keep &= latest["theme"].isin(list(themes))
    if area_codes is not None:
        keep &= latest["area_code"].isin(list(area_codes))
    return latest[keep]


def heatmap_table(
    latest: pd.DataFrame,
    themes: Sequence[str],
    area_codes: Sequence[str],
    lang: str | None = None,
) -> pd.DataFrame:
    """Long form, one row per area × theme (every pair, empty ones too): ``code``, ``short``,
    ``theme``, ``max_score`` (NaN: no risk of that theme), ``risks``, ``high``, ``label``."""
    own = _filtered(latest, themes, area_codes)
    grouped = own.groupby(["area_code", "theme"])
    stats = pd.DataFrame(
        {
            "max_score": grouped["score"].max().astype(float),
            "risks": grouped.size(),
            "high": grouped["high"].sum(),
        }
    )
    index = pd.MultiIndex.from_product([list(area_codes), list(themes)], names=["code", "theme"])
    stats.index = stats.index.set_names(["code", "theme"])
    table = stats.reindex(index).reset_index()
    table["risks"] = table["risks"].fillna(0).astype("int64")
    table["high"] = table["high"].fillna(0).astype("int64")
    table["short"] = [areas.get(code).short(lang) for code in table["code"]]
    table["label"] = [
        t("value.none", lang) if pd.isna(v) else fmt_number(v, 0, lang) for v in table["max_score"]
    ]
    return table[["code", "short", "theme", "max_score", "risks", "high", "label"]]


def high_risks(
    latest: pd.DataFrame, themes: Sequence[str], area_codes: Sequence[str]
) -> pd.DataFrame:
    """The areas' high risks, highest score first (then area and title)."""
    own = _filtered(latest, themes, area_codes)
    high = own[own["high"].astype(bool)]
    return high.sort_values(
        ["score", "area_code", "title"], ascending=[False, True, True]
    ).reset_index(drop=True)


def national_risks(latest: pd.DataFrame, themes: Sequence[str]) -> pd.DataFrame:
    """The national risks (no area), every one, highest score first."""
    national = latest[latest["area_code"].isna()]
    if themes:
        national = national[national["theme"].isin(list(themes))]
    return national.sort_values(["score", "title"], ascending=[False, True]).reset_index(drop=True)


def _in_force_steps(first: np.ndarray, last: np.ndarray, size: int) -> np.ndarray:
    """How many of the intervals [first, last) cover each of ``size`` positions."""
    steps = np.zeros(size + 1, dtype="int64")
    np.add.at(steps, first, 1)
    np.add.at(steps, last, -1)
    return np.cumsum(steps)[:-1]


def high_counts_over_time(
    risks: pd.DataFrame | None,
    dates: Sequence[date],
    themes: Sequence[str],
    area_codes: Sequence[str] | None,
) -> pd.DataFrame:
    """[reported_on, high_risks, areas_with_high] per reporting date up to the last one: the high
    risks of the chosen areas counted the way metrics counts them on that date.

    One pass over the ratings instead of a latest-rating pass per date: a rating is in force from
    its date until the same risk's next rating (of one date, the row stored last), and counts on
    each date in between when it is high, open and within the filters."""
    days = sorted(set(dates))
    if not days:
        return pd.DataFrame([], columns=["reported_on", "high_risks", "areas_with_high"])
    high = np.zeros(len(days), dtype="int64")
    with_high = np.zeros(len(days), dtype="int64")
    if risks is not None and not risks.empty:
        stamps = pd.to_datetime(pd.Series(days)).to_numpy()
        keyed = risks.assign(
            _key=risks["area_code"].astype(object).fillna(""),
            _day=pd.to_datetime(risks["reported_on"], errors="coerce"),
        )
        keyed = keyed.iloc[np.argsort(keyed["_day"].to_numpy(), kind="stable")]
        keyed = keyed.drop_duplicates(["_key", "risk_id", "_day"], keep="last")
        until = keyed.groupby(["_key", "risk_id"], sort=False)["_day"].shift(-1)
        score = keyed["likelihood"].astype("int64") * keyed["impact"].astype("int64")
        keep = (score >= HIGH_RISK_SCORE).to_numpy().copy()
        if "closed" in keyed.columns:
            keep &= ~keyed["closed"].astype(bool).to_numpy()
        if themes:
            keep &= _themes(keyed["theme"]).isin(list(themes)).to_numpy()
        owner = keyed["area_code"].astype(object).where(keyed["_key"] != "", None)
        if area_codes is not None:
            keep &= owner.isin(list(area_codes)).to_numpy()
        first = np.searchsorted(stamps, keyed["_day"].to_numpy()[keep], side="left")
        last = np.where(
            until.isna().to_numpy()[keep],
            len(days),
            np.searchsorted(stamps, until.to_numpy()[keep], side="left"),
        )
        high = _in_force_steps(first, last, len(days))
        owners = owner.to_numpy()[keep]
        for code in {c for c in owners if c is not None}:
            mine = owners == code
            with_high += _in_force_steps(first[mine], last[mine], len(days)) > 0
    return pd.DataFrame(
        {"reported_on": days, "high_risks": high, "areas_with_high": with_high},
        columns=["reported_on", "high_risks", "areas_with_high"],
    )


# --- the tables as shown ----------------------------------------------------------------------


def risk_rows(
    table: pd.DataFrame, lang: str | None = None, *, with_area: bool = True
) -> pd.DataFrame:
    """Risks with Finnish column names; numbers stay numbers so that the table sorts by them."""
    shown = {}
    if with_area:
        shown[t("risks.col.area", lang)] = [
            areas.get(code).short(lang) for code in table["area_code"]
        ]
    shown.update(
        {
            t("risks.col.title", lang): text_cells(table["title"]),
            t("risks.col.theme", lang): [theme_label(th, lang) for th in table["theme"]],
            t("risks.col.score", lang): table["score"].astype(int).tolist(),
            t("risks.col.likelihood", lang): table["likelihood"].astype(int).tolist(),
            t("risks.col.impact", lang): table["impact"].astype(int).tolist(),
            t("risks.col.mitigation", lang): text_cells(table["mitigation"]),
            t("risks.col.owner", lang): text_cells(table["owner"]),
            t("risks.col.reported_on", lang): [fmt_date(d, lang) for d in table["reported_on"]],
        }
    )
    return pd.DataFrame(shown)


def trend_rows(counts: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """The high-risk counts per date as a table (the trend chart's text equivalent)."""
    return pd.DataFrame(
        {
            t("risks.col.date", lang): [fmt_date(d, lang) for d in counts["reported_on"]],
            t("risks.col.high_risks", lang): counts["high_risks"].astype(int).tolist(),
            t("risks.col.areas_with_high", lang): counts["areas_with_high"].astype(int).tolist(),
        }
    )


# --- the whole page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RisksView:
    as_of: date
    themes: list[str]  # the themes shown (the filter, or every theme)
    area_codes: list[str]  # the areas shown (the filter, or all 22)
    heatmap: pd.DataFrame
    high: pd.DataFrame
    national: pd.DataFrame
    trend: pd.DataFrame
    heatmap_chart: alt.TopLevelMixin | None
    trend_chart: alt.TopLevelMixin | None
    heatmap_summary: str
    high_summary: str
    trend_summary: str
    all_themes: list[str] = field(default_factory=list)


def _heatmap_summary(table: pd.DataFrame, lang: str | None) -> str:
    rated = table.dropna(subset=["max_score"])
    if rated.empty:
        return t("risks.heatmap.summary.empty", lang)
    top = rated.sort_values(["max_score", "high"], ascending=False)
    best = top["max_score"].iloc[0]
    cells = top[top["max_score"] == best]
    pairs = [
        f"{a} / {theme_label(b, lang)}" for a, b in zip(cells["short"], cells["theme"], strict=True)
    ]
    names = ", ".join(pairs[:4])
    if len(pairs) > 4:
        names += t("risks.more", lang, count=fmt_number(len(pairs) - 4, 0, lang))
    high_cells = int((rated["max_score"] >= HIGH_RISK_SCORE).sum())
    return t(
        "risks.heatmap.summary",
        lang,
        score=fmt_number(best, 0, lang),
        cells=names,
        high_cells=fmt_number(high_cells, 0, lang),
        all_cells=fmt_number(len(table), 0, lang),
    )


def _trend_summary(counts: pd.DataFrame, lang: str | None) -> str:
    if counts.empty:
        return t("risks.trend.summary.empty", lang)
    first, last = counts.iloc[0], counts.iloc[-1]
    peak = counts.loc[counts["high_risks"].idxmax()]
    return t(
        "risks.trend.summary",
        lang,
        first_date=fmt_date(first["reported_on"], lang),
        first=fmt_number(int(first["high_risks"]), 0, lang),
        last_date=fmt_date(last["reported_on"], lang),
        last=fmt_number(int(last["high_risks"]), 0, lang),
        peak_date=fmt_date(peak["reported_on"], lang),
        peak=fmt_number(int(peak["high_risks"]), 0, lang),
    )


def build_risks_view(
    frames: metrics.Frames,
    params: RisksParams,
    *,
    reporting_dates: Sequence[date],
    example: bool,
    lang: str | None = None,
) -> RisksView:
    """Compute the risks page: heat map, high risks, national risks and the trend."""
    as_of = default_as_of(reporting_dates, params.as_of)
    all_themes = themes_of(frames.risks)
    themes = [th for th in all_themes if th in params.themes] if params.themes else all_themes
    codes = list(params.areas) if params.areas else list(areas.REFORM_CODES)
    latest = latest_ratings(frames.risks, as_of)
    heat = heatmap_table(latest, themes, codes, lang)
    high = high_risks(latest, themes, codes)
    national = national_risks(latest, themes)
    trend = high_counts_over_time(
        frames.risks, [d for d in reporting_dates if d <= as_of], themes, codes
    )
    as_of_text = fmt_date(as_of, lang)
    heat_chart = (
        risk_charts.risk_heatmap(
            heat.assign(theme=[theme_label(th, lang) for th in heat["theme"]]),
            theme_order=[theme_label(th, lang) for th in themes],
            area_order=[areas.get(c).short(lang) for c in codes],
            as_of_text=as_of_text,
            example=example,
            lang=lang,
        )
        if themes
        else None
    )
    trend_chart = (
        risk_charts.high_risk_trend(trend, as_of_text=as_of_text, example=example, lang=lang)
        if not trend.empty
        else None
    )
    high_summary = t(
        "risks.high.summary",
        lang,
        count=fmt_number(len(high), 0, lang),
        areas=fmt_number(high["area_code"].nunique(), 0, lang),
        threshold=fmt_number(HIGH_RISK_SCORE, 0, lang),
        national=fmt_number(int(national["high"].sum()) if len(national) else 0, 0, lang),
    )
    return RisksView(
        as_of=as_of,
        themes=themes,
        area_codes=codes,
        heatmap=heat,
        high=high,
        national=national,
        trend=trend,
        heatmap_chart=heat_chart,
        trend_chart=trend_chart,
        heatmap_summary=_heatmap_summary(heat, lang),
        high_summary=high_summary,
        trend_summary=_trend_summary(trend, lang),
        all_themes=all_themes,
    )
