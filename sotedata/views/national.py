"""The national situation picture as one object: what the national page shows, without Streamlit.

A page reads its URL parameters into ``NationalParams``, calls ``build_national_view`` and draws
the result; the CLI and the benchmarks can build the same view. URL parameter names are Finnish
because the links are shared in Finnish meetings (``?mittari=done_share&vaihe=3&pvm=2022-06-15``).

Any stored indicator can be the map's metric beside the roadmap metrics: ``?mittari=ind:<key>``
with its period ``&kausi=2021`` (default: the latest). The map, tiles and bars then show the
indicator with its own legend, unit and source line; the work-stream table stays the roadmap's.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from ..charts import indicators as indicator_charts
from ..charts import national as charts
from ..domain import areas
from ..domain.errors import Issue
from ..domain.i18n import fmt_date, t
from ..domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL, Indicator
from ..domain.model import Phase, WorkStream
from ..domain.ports import MetricStore
from ..geo.chain import Boundaries
from ..rules import metrics
from ..rules.changes import default_as_of, default_since
from ..rules.metric_spec import MetricContext, Scale
from . import indicators as iv
from . import metric_sources, national_table
from .grammar import YES, Parameters
from .metric_sources import format_value
from .national_map import (
    boundary_credit,
    reporting_lines,
    small_area_markers,
    tile_layout_frame,
    with_reporting,
)

VIEWS = ("kartta", "ruudut")


@dataclass(frozen=True)
class NationalParams:
    """The national page's view, as kept in the URL so that a link reproduces it."""

    metric: str = "done_share"
    phase: int | None = None
    work_stream: str | None = None
    critical_only: bool = False
    as_of: date | None = None
    view: str = "kartta"
    indicator: str | None = None  # an indicator's key: it replaces the metric on map and bars
    period: str | None = None  # the indicator's period; None = the latest

    def to_query(self) -> dict[str, str]:
        """URL parameters for this view, leaving out the defaults so links stay short."""
        query: dict[str, str] = {}
        default = NationalParams()
        if self.indicator:
            query["mittari"] = iv.PREFIX + self.indicator
            if self.period:
                query["kausi"] = self.period
        elif self.metric != default.metric:
            query["mittari"] = self.metric
        if self.phase is not None:
            query["vaihe"] = str(self.phase)
        if self.work_stream:
            query["ryhma"] = self.work_stream
        if self.critical_only:
            query["kriittiset"] = YES
        if self.as_of is not None:
            query["pvm"] = self.as_of.isoformat()
        if self.view != default.view:
            query["nakyma"] = self.view
        return query


def params_from_query(
    query: Mapping[str, str | None],
    work_streams: Sequence[WorkStream | str],
    indicators: Collection[str] = (),
    phases: Sequence[Phase] = (),
) -> tuple[NationalParams, list[Issue]]:
    """Read a view from URL parameters (the one grammar of ``grammar``); a bad value is dropped
    with a warning, not an error page. ``indicators`` are the stored indicators' keys
    (``mittari=ind:<key>``); whether ``kausi`` is one of the indicator's periods is checked when
    the view is built. ``phases``: the stored roadmap's (the default roadmap's when not given)."""
    given = Parameters(query)
    values: dict[str, Any] = {}
    if (value := given.one("mittari")) is not None:
        if value in metric_sources.SOURCES:
            values["metric"] = value
        elif value.startswith(iv.PREFIX) and value[len(iv.PREFIX) :] in indicators:
            values["indicator"] = value[len(iv.PREFIX) :]
        else:
            given.bad("mittari", value)
    if value := given.one("kausi"):
        if "indicator" in values:
            values["period"] = value
        else:
            given.bad("kausi", value)
    values["phase"] = given.phase("vaihe", phases)
    values["work_stream"] = given.work_stream("ryhma", work_streams)
    values["critical_only"] = bool(given.flag("kriittiset"))
    values["as_of"] = given.day("pvm")
    if (value := given.one("nakyma")) is not None:
        if value in VIEWS:
            values["view"] = value
        else:
            given.bad("nakyma", value)
    return NationalParams(**values), given.issues


def metric_values(table: pd.DataFrame, metric: str, lang: str | None = None) -> pd.DataFrame:
    """code, short, name, value, label of one metric for the 22 areas (the charts' common input)."""
    kind = metric_sources.get(metric).kind
    registry = areas.by_code()
    values = pd.DataFrame(
        {
            "code": table["code"].astype(str),
            "value": pd.to_numeric(table[metric], errors="coerce").astype(float),
        }
    )
    values["short"] = [registry[c].short(lang) for c in values["code"]]
    values["name"] = [registry[c].name(lang) for c in values["code"]]
    values["label"] = [format_value(v, kind, lang) for v in values["value"]]
    return values


@dataclass
class NationalView:
    """Everything the national page draws, computed once."""

    params: NationalParams
    as_of: date
    reporting_dates: list[date]
    metric_label: str
    kind: str
    direction: str
    table: pd.DataFrame  # area_metrics for the as-of date and filters
    values: pd.DataFrame  # code, short, name, value, label of the chosen metric
    median: float | None
    map_chart: alt.TopLevelMixin | None  # None: an indicator with only municipal rows
    bar_chart: alt.TopLevelMixin | None
    workstream_chart: alt.TopLevelMixin
    boundaries_source: str
    summary: str
    issues: list[Issue] = field(default_factory=list)
    indicator: IndicatorPart | None = None  # set when the map shows an indicator
    scale: Scale = Scale()  # the metric's colour scale (diverging around a midpoint, or not)
    since: date | None = None  # the comparison date a change metric is measured from
    reporting_notes: list[str] = field(default_factory=list)  # whose reports are of which date


@dataclass
class IndicatorPart:
    """What the national page needs besides the charts when the map shows an indicator."""

    meta: Indicator
    level: str | None  # AREA_LEVEL on the map, MUNICIPALITY_LEVEL when only municipal rows exist
    periods: list[str]  # oldest first, at ``level``
    period: str | None
    municipal_periods: list[str]
    decimals: int
    legend_title: str
    source: str
    period_text: str
    table: pd.DataFrame  # the ranked text equivalent (empty with only municipal rows)

    @property
    def municipal_period(self) -> str | None:
        """The municipal map's period: the map's own if municipalities have it, else their
        latest."""
        if self.period in self.municipal_periods:
            return self.period
        return self.municipal_periods[-1] if self.municipal_periods else None


def build_national_view(
    frames: metrics.Frames,
    boundaries: Boundaries,
    params: NationalParams,
    *,
    reporting_dates: Sequence[date],
    example: bool,
    lang: str | None = None,
    indicator_frames: iv.IndicatorFrames | None = None,
    since: date | None = None,
    store: MetricStore | None = None,
) -> NationalView:
    """Compute the national page: metric per area, median, map (or tiles), bars, colour table.
    With ``params.indicator`` and ``indicator_frames`` the map and bars show that indicator.
    ``since`` is the comparison date (default: the reporting date before the as-of date) and
    ``store`` what a registered metric may read beyond ``frames`` (``views.metric_sources``)."""
    as_of = default_as_of(reporting_dates, params.as_of)
    if params.indicator and indicator_frames is not None:
        meta = indicator_frames.meta(params.indicator)
        if meta is not None:
            return _indicator_view(
                indicator_frames,
                meta,
                frames,
                boundaries,
                params,
                as_of,
                reporting_dates,
                example,
                lang,
            )
    spec = metric_sources.get(params.metric)
    kind, direction = spec.kind, spec.direction
    metric_label = metric_sources.label(params.metric, lang)
    if since is None or since >= as_of:
        since = default_since(reporting_dates, as_of)
    context = MetricContext(
        frames,
        as_of,
        since,
        phase=params.phase,
        work_stream=params.work_stream,
        critical_only=params.critical_only,
        store=store,
    )
    table = metric_sources.area_table(context, [params.metric])
    last = metrics.last_reported(frames.reports, as_of)
    values = with_reporting(metric_values(table, params.metric, lang), last, as_of, lang)
    medians = metrics.national_medians(table)
    median = medians.get(params.metric)
    notes = reporting_lines(values, last, as_of, lang)
    map_chart, bar_chart = _metric_charts(
        boundaries, params, values, median, as_of, notes, example=example, lang=lang
    )
    workstream_chart = national_table.workstream_chart(frames, as_of, params, values, lang)
    return NationalView(
        params=params,
        as_of=as_of,
        reporting_dates=list(reporting_dates),
        metric_label=metric_label,
        kind=kind,
        direction=direction,
        table=table,
        values=values,
        median=median,
        map_chart=map_chart,
        bar_chart=bar_chart,
        workstream_chart=workstream_chart,
        boundaries_source=boundaries.source,
        summary=summary_sentence(values, median, kind, metric_label, lang),
        scale=spec.scale,
        since=since,
        reporting_notes=notes,
    )


def _indicator_view(
    found: iv.IndicatorFrames,
    meta: Indicator,
    frames: metrics.Frames,
    boundaries: Boundaries,
    params: NationalParams,
    as_of: date,
    reporting_dates: Sequence[date],
    example: bool,
    lang: str | None,
) -> NationalView:
    """The national view with an indicator on the map and bars (see the module doc)."""
    level, periods, period, issues = indicator_period(found, meta.key, params.period)
    decimals = iv.decimals_for(found.of(meta.key)["value"])
    legend = iv.legend_title(meta, lang)
    source = iv.source_line(meta, lang)
    period_text = iv.period_label(period or "–", lang)
    label = iv.metric_label(meta, lang)
    if level == AREA_LEVEL and period is not None:
        values = iv.area_values(found, meta.key, period, lang)
        summary = iv.summary_sentence(values, meta, period, lang)
        table = iv.ranked_table(values, legend, lang)
    else:
        values = iv.area_values(found, meta.key, "", lang)  # every area without a value
        summary = t("indicators.only_municipal", lang, name=meta.name)
        table = pd.DataFrame()
    middle = iv.median(values["value"])
    shared = {
        "title": meta.name,
        "legend_title": legend,
        "decimals": decimals,
        "period_text": period_text,
        "source": source,
        "example": example,
        "lang": lang,
    }
    map_chart = bar_chart = None
    if level == AREA_LEVEL:
        median_label = iv.format_value(middle, decimals, lang, meta.unit)
        map_chart, bar_chart = _indicator_charts(
            boundaries, params, values, shared, median_label, middle
        )
    part = IndicatorPart(
        meta=meta,
        level=level,
        periods=periods,
        period=period,
        municipal_periods=iv.periods(found, meta.key, MUNICIPALITY_LEVEL),
        decimals=decimals,
        legend_title=legend,
        source=source,
        period_text=period_text,
        table=table,
    )
    return NationalView(
        params=replace(params, period=None) if issues else params,
        as_of=as_of,
        reporting_dates=list(reporting_dates),
        metric_label=label,
        kind="indicator",
        direction="neutral",
        table=pd.DataFrame(),
        values=values,
        median=middle,
        map_chart=map_chart,
        bar_chart=bar_chart,
        workstream_chart=national_table.workstream_chart(frames, as_of, params, values, lang),
        boundaries_source=boundaries.source,
        summary=summary,
        issues=issues,
        indicator=part,
    )


def _metric_charts(
    boundaries: Boundaries,
    params: NationalParams,
    values: pd.DataFrame,
    median: float | None,
    as_of: date,
    notes: list[str],
    *,
    example: bool,
    lang: str | None,
) -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
    """A roadmap metric's map (or tiles) and ranked bars; ``notes`` say whose reports are of
    which date, and an area that did not report on ``as_of`` carries a mark."""
    spec = metric_sources.get(params.metric)
    metric_label = metric_sources.label(params.metric, lang)
    shared = {
        "metric_label": metric_label,
        "kind": spec.kind,
        "direction": spec.direction,
        "scale": spec.scale,
        "as_of_text": fmt_date(as_of, lang),
        "example": example,
        "notes": notes,
        "lang": lang,
    }
    if params.view == "ruudut" or boundaries.is_tiles:
        map_chart = charts.tile_map(tile_layout_frame(lang), values, **shared)
    else:
        flagged = values.loc[values["flag"].astype(bool), "code"].tolist()
        map_chart = charts.choropleth(
            boundaries.features,
            values,
            attribution=boundary_credit(boundaries, lang),
            markers=small_area_markers(boundaries.features),
            flags=small_area_markers(boundaries.features, flagged)[["code", "lon", "lat"]],
            **shared,
        )
    bar_chart = charts.ranked_bars(
        values,
        metric_label=metric_label,
        kind=spec.kind,
        direction=spec.direction,
        median=median,
        lang=lang,
    )
    return map_chart, bar_chart


def indicator_period(
    found: iv.IndicatorFrames, key: str, asked: str | None
) -> tuple[str | None, list[str], str | None, list[Issue]]:
    """The indicator's map level, its periods there (oldest first) and the period shown: the
    ``asked`` one when the indicator has it, else the latest (with a warning for a period the
    link named that the indicator does not have)."""
    issues: list[Issue] = []
    level = iv.map_level(found, key)
    periods = iv.periods(found, key, level)
    if asked is not None and asked not in periods:
        issues.append(
            Issue("invalid_parameter", severity="warning", params={"name": "kausi", "value": asked})
        )
        asked = None
    return level, periods, asked or (periods[-1] if periods else None), issues


def _indicator_charts(
    boundaries: Boundaries,
    params: NationalParams,
    values: pd.DataFrame,
    shared: dict[str, Any],
    median_label: str,
    middle: float | None,
) -> tuple[alt.TopLevelMixin, alt.TopLevelMixin]:
    """An indicator's area map (or tiles) and ranked bars."""
    lang = shared["lang"]
    if params.view == "ruudut" or boundaries.is_tiles:
        map_chart = indicator_charts.tile_map(tile_layout_frame(lang), values, **shared)
    else:
        map_chart = indicator_charts.area_map(
            boundaries.features,
            values,
            attribution=boundary_credit(boundaries, lang),
            markers=small_area_markers(boundaries.features),
            **shared,
        )
    bar_chart = indicator_charts.ranked_bars(
        values,
        legend_title=shared["legend_title"],
        decimals=shared["decimals"],
        median=middle,
        median_label=median_label,
        lang=lang,
    )
    return map_chart, bar_chart


def figures_table(view: NationalView, lang: str | None = None) -> pd.DataFrame:
    """The map's figures as a table for a reader who cannot see the map: each area, its value
    (with the mark of one that did not report on the as-of date) and when it last reported."""
    values = view.values
    table = pd.DataFrame(
        {
            t("map.tooltip.area", lang): values["short"],
            view.metric_label: values["label"] + values.get("flag", ""),
        }
    )
    if "reported" in values.columns:
        table[t("national_eye.tooltip.reported", lang)] = values["reported"]
    return table


def summary_sentence(
    values: pd.DataFrame,
    median: float | None,
    kind: str,
    metric_label: str,
    lang: str | None = None,
) -> str:
    """The map in one sentence (a text equivalent for those who can't see the colours)."""
    known = values.dropna(subset=["value"])
    if known.empty:
        return t("national.summary.empty", lang)
    ranked = known.sort_values(["value", "short"], ascending=[False, True])
    best, worst = ranked.iloc[0], ranked.iloc[-1]  # highest and lowest value, whichever is good
    return t(
        "national.summary",
        lang,
        metric=metric_label,
        # an abbreviation's full stop ("+2 %-yks.") ends the sentence too, never ".."
        median=format_value(median, kind, lang).removesuffix("."),
        best=best["short"],
        best_value=best["label"],
        worst=worst["short"],
        worst_value=worst["label"],
    )
