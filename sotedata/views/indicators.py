"""Indicator figures for the pages: which value counts, the national median, an area's rank.

The store keeps every imported value beside earlier ones (like reports); here the newest import's
value of a region and period counts. Figures are computed over the 22 areas of the reform only
(Åland is outside it). Whether more is better is not known for an indicator (a sickness index,
a visit rate, a dependency ratio), so a rank is always stated with its direction: 1 = the highest
value. Municipal values are never averaged into an area's value: a rate cannot be averaged
without the municipalities' populations, so an indicator with only municipal rows says so and is
shown on the municipality map instead.

No Streamlit here: the pages call these and draw the result (``indicator_charts``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..domain import areas, municipalities
from ..domain.i18n import fmt_number, t
from ..domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL, VALUE_COLUMNS, Indicator
from ..rules import grants
from ..store.engine import Store

#: a national map metric that is an indicator: ``?mittari=ind:sotkanet:3064``
PREFIX = "ind:"
MAX_DECIMALS = 2


@dataclass(frozen=True)
class IndicatorFrames:
    """Every indicator's metadata and its current values (one per indicator × region × period)."""

    indicators: pd.DataFrame  # key, name, unit, source, licence
    values: pd.DataFrame  # VALUE_COLUMNS, value float (NaN = missing in the source)

    def measured(self) -> list[str]:
        """Indicators that have at least one value, in name order."""
        measured = set(self.values["indicator_key"])
        shown = self.indicators[self.indicators["key"].isin(measured)]
        return shown.sort_values(["name", "key"])["key"].tolist()

    def meta(self, key: str) -> Indicator | None:
        rows = self.indicators[self.indicators["key"] == key]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return Indicator(
            key=str(row["key"]),
            name=str(row["name"]),
            unit=_text(row["unit"]),
            source=_text(row["source"]),
            licence=_text(row["licence"]),
        )

    def of(self, key: str, level: str | None = None) -> pd.DataFrame:
        chosen = self.values[self.values["indicator_key"] == key]
        if level is not None:
            chosen = chosen[chosen["level"] == level]
        return chosen

    def levels(self, key: str) -> set[str]:
        return set(self.of(key)["level"])


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def current_values(raw: pd.DataFrame) -> pd.DataFrame:
    """The value that counts per indicator, level, region and period: the newest import's (the
    store returns the oldest first). A later import of a missing value ("..") also counts: the
    source withdrew the figure."""
    frame = raw[VALUE_COLUMNS].copy() if not raw.empty else raw.reindex(columns=VALUE_COLUMNS)
    frame = frame.drop_duplicates(
        ["indicator_key", "level", "region_code", "period"], keep="last"
    ).reset_index(drop=True)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    for column in ("indicator_key", "level", "region_code", "area_code", "period"):
        frame[column] = frame[column].astype(str)
    frame["region_code"] = [
        code.zfill(3) if level == MUNICIPALITY_LEVEL else code
        for code, level in zip(frame["region_code"], frame["level"], strict=True)
    ]
    return frame


def load_indicator_frames(store: Store, lang: str | None = None) -> IndicatorFrames:
    """Both tables of the store, ready for the figures below, with the grants' spent share as
    one more indicator (named in ``lang``) when any grant has reported its spending."""
    indicators = store.indicators()
    values = current_values(store.indicator_values())
    meta, derived = grants.spent_share_indicator(store.grants(), lang)
    if not derived.empty:
        indicators = pd.concat([indicators, pd.DataFrame([meta])], ignore_index=True)
        values = pd.concat([values, current_values(derived)], ignore_index=True)
    return IndicatorFrames(indicators, values)


# --- periods ----------------------------------------------------------------------------------


def periods(frames: IndicatorFrames, key: str, level: str | None = None) -> list[str]:
    """The indicator's periods with a value row at ``level``, oldest first (by when they end,
    so "2018-2020" comes before "2021")."""
    rows = frames.of(key, level)
    if rows.empty:
        return []
    spans = rows.drop_duplicates("period")[["period", "period_start", "period_end"]]
    spans = spans.sort_values(["period_end", "period_start", "period"])
    return spans["period"].tolist()


def map_level(frames: IndicatorFrames, key: str) -> str | None:
    """The level the national map shows: areas when there are area rows, else municipalities."""
    levels = frames.levels(key)
    if AREA_LEVEL in levels:
        return AREA_LEVEL
    if MUNICIPALITY_LEVEL in levels:
        return MUNICIPALITY_LEVEL
    return None


# --- numbers and words ------------------------------------------------------------------------


def decimals_for(values: Sequence[float] | pd.Series) -> int:
    """Decimals enough to write the values as the source gives them (0–2): 12 stays "12", 12.34
    is "12,34"; more than two would only be noise on a map."""
    for decimals in range(MAX_DECIMALS + 1):
        if all(
            abs(v * 10**decimals - round(v * 10**decimals)) < 1e-6
            for v in pd.Series(values, dtype=float).dropna()
        ):
            return decimals
    return MAX_DECIMALS


def format_value(
    value: float | None, decimals: int, lang: str | None = None, unit: str | None = None
) -> str:
    """The number in the language's format, the unit after it when it is short: "12,3 ‰"."""
    if value is None or pd.isna(value):
        return t("value.none", lang)
    number = fmt_number(value, decimals, lang)
    if unit and len(unit) <= 3:
        return f"{number}\u00a0{unit}"
    return number


def metric_label(meta: Indicator, lang: str | None = None) -> str:
    """The indicator as a choice beside the roadmap metrics: "Indikaattori: name (unit)"."""
    if meta.unit:
        return t("indicators.metric", lang, name=meta.name, unit=meta.unit)
    return t("indicators.metric.no_unit", lang, name=meta.name)


def legend_title(meta: Indicator, lang: str | None = None) -> str:
    """The colour legend's title: the unit is what a reader of the colours needs."""
    if meta.unit:
        return t("indicators.legend", lang, name=meta.name, unit=meta.unit)
    return meta.name


def source_line(meta: Indicator, lang: str | None = None) -> str:
    """Where the figures come from and on what terms: "Lähde: THL (Sotkanet), CC BY 4.0"."""
    source = meta.source or t("indicators.source.unknown", lang)
    if meta.licence:
        return t("indicators.source", lang, source=source, licence=meta.licence)
    return t("indicators.source.no_licence", lang, source=source)


def period_label(period: str, lang: str | None = None) -> str:
    return t("indicators.period", lang, period=period)


def median(values: pd.Series) -> float | None:
    """The median of the values there are (missing ones are not zeros); None when none is."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    return float(known.median()) if not known.empty else None


def ranks(values: pd.Series) -> pd.Series:
    """1 = the highest value; ties share the best rank (12, 12, 10 → 1, 1, 3); missing: NaN."""
    return pd.to_numeric(values, errors="coerce").rank(method="min", ascending=False)


# --- the 22 areas -----------------------------------------------------------------------------


def area_values(
    frames: IndicatorFrames, key: str, period: str, lang: str | None = None
) -> pd.DataFrame:
    """code, short, name, value, label, rank of the 22 areas for one period (NaN where the
    indicator has no value): the same columns the national page's charts take."""
    rows = frames.of(key, AREA_LEVEL)
    rows = rows[rows["period"] == period]
    by_code = dict(zip(rows["region_code"], rows["value"], strict=True))
    reform = areas.reform_areas()
    values = pd.DataFrame(
        {
            "code": [a.code for a in reform],
            "short": [a.short(lang) for a in reform],
            "name": [a.name(lang) for a in reform],
            "value": [float(by_code.get(a.code, math.nan)) for a in reform],
        }
    )
    meta = frames.meta(key)
    decimals = decimals_for(frames.of(key)["value"])
    unit = meta.unit if meta else None
    values["label"] = [format_value(v, decimals, lang, unit) for v in values["value"]]
    values["rank"] = ranks(values["value"])
    return values


def ranked_table(values: pd.DataFrame, value_title: str, lang: str | None = None) -> pd.DataFrame:
    """The map's text equivalent: areas from the highest value down, missing ones last."""
    ordered = values.assign(_missing=values["value"].isna()).sort_values(
        ["_missing", "value", "short"], ascending=[True, False, True]
    )
    return pd.DataFrame(
        {
            t("indicators.col.rank", lang): [
                "" if pd.isna(r) else f"{int(r)}." for r in ordered["rank"]
            ],
            t("map.tooltip.area", lang): ordered["short"].tolist(),
            value_title: ordered["label"].tolist(),
        }
    )


def summary_sentence(
    values: pd.DataFrame, meta: Indicator, period: str, lang: str | None = None
) -> str:
    """The map in words, its text equivalent: "…: suurin arvo Lappi (12,3 ‰), pienin …,
    mediaani 10,1 ‰"."""
    known = values.dropna(subset=["value"])
    if known.empty:
        return t("indicators.summary.empty", lang, name=meta.name, period=period)
    ranked = known.sort_values(["value", "short"], ascending=[False, True])
    top, bottom = ranked.iloc[0], ranked.iloc[-1]
    decimals = decimals_for(values["value"])
    return t(
        "indicators.summary",
        lang,
        name=meta.name,
        period=period,
        top=top["short"],
        top_value=format_value(top["value"], decimals, lang, meta.unit),
        bottom=bottom["short"],
        bottom_value=format_value(bottom["value"], decimals, lang, meta.unit),
        median=format_value(median(values["value"]), decimals, lang, meta.unit),
        count=fmt_number(len(known), 0, lang),
    )


# --- municipalities ---------------------------------------------------------------------------


def municipality_values(
    frames: IndicatorFrames,
    key: str,
    period: str,
    lang: str | None = None,
    area_code: str | None = None,
) -> pd.DataFrame:
    """code (three digits), name, area, area_code, value, label of the municipalities that have a
    row for the period (of one area with ``area_code``), in the table's code order."""
    rows = frames.of(key, MUNICIPALITY_LEVEL)
    rows = rows[rows["period"] == period]
    if area_code is not None:
        rows = rows[rows["area_code"] == area_code]
    meta = frames.meta(key)
    decimals = decimals_for(frames.of(key)["value"])
    unit = meta.unit if meta else None
    records = []
    registry = areas.by_code()
    for code, value in sorted(zip(rows["region_code"], rows["value"], strict=True)):
        municipality = municipalities.get(code)
        if municipality is None:
            continue
        area = registry.get(municipality.area_code)
        records.append(
            {
                "code": municipality.code,
                "name": municipality.name(lang),
                "area_code": municipality.area_code,
                "area": area.short(lang) if area else municipality.area_code,
                "value": float(value),
                "label": format_value(value, decimals, lang, unit),
            }
        )
    columns = ["code", "name", "area_code", "area", "value", "label"]
    return pd.DataFrame(records, columns=columns)


def municipality_table(values: pd.DataFrame, value_title: str, lang: str | None = None):
    """The municipality map's text equivalent (and its stand-in when there are no boundaries)."""
    ordered = values.assign(_missing=values["value"].isna()).sort_values(
        ["_missing", "value", "name"], ascending=[True, False, True]
    )
    return pd.DataFrame(
        {
            t("indicators.col.code", lang): ordered["code"].tolist(),
            t("indicators.col.municipality", lang): ordered["name"].tolist(),
            t("map.tooltip.area", lang): ordered["area"].tolist(),
            value_title: ordered["label"].tolist(),
        }
    )


# --- one area's indicators --------------------------------------------------------------------


@dataclass(frozen=True)
class AreaIndicator:
    """One indicator as the area page lists it."""

    meta: Indicator
    period: str | None  # the latest period with the area's value (None: only municipal rows)
    value: float | None
    label: str
    median: float | None
    median_label: str
    rank: int | None
    ranked: int  # areas with a value in that period
    trend: pd.DataFrame  # period, end, value, median (oldest first)
    source: str
    municipal_period: str | None = None  # the latest period with the area's municipal rows
    municipal: pd.DataFrame = field(default_factory=pd.DataFrame)


def area_indicators(
    frames: IndicatorFrames, area_code: str, lang: str | None = None
) -> list[AreaIndicator]:
    """The area's indicators in name order: latest value, the national median and the area's
    rank in that period, the trend of both over the periods, and the municipal values."""
    found = []
    for key in frames.measured():
        meta = frames.meta(key)
        if meta is None:
            continue
        decimals = decimals_for(frames.of(key)["value"])
        trend_rows = []
        latest: tuple[str, pd.DataFrame] | None = None
        for period in periods(frames, key, AREA_LEVEL):
            values = area_values(frames, key, period, lang)
            own = values[values["code"] == area_code].iloc[0]
            end = frames.of(key, AREA_LEVEL)
            end = end[end["period"] == period]["period_end"].iloc[0]
            trend_rows.append(
                {
                    "period": period,
                    "end": end,
                    "value": own["value"],
                    "median": median(values["value"]),
                }
            )
            if not pd.isna(own["value"]):
                latest = (period, values)
        trend = pd.DataFrame(trend_rows, columns=["period", "end", "value", "median"])
        muni_periods = [
            p
            for p in periods(frames, key, MUNICIPALITY_LEVEL)
            if not municipality_values(frames, key, p, lang, area_code).empty
        ]
        municipal_period = muni_periods[-1] if muni_periods else None
        municipal = (
            municipality_values(frames, key, municipal_period, lang, area_code)
            if municipal_period
            else pd.DataFrame()
        )
        if latest is None and municipal_period is None:
            continue
        if latest is not None:
            period, values = latest
            own = values[values["code"] == area_code].iloc[0]
            middle = median(values["value"])
            item = AreaIndicator(
                meta=meta,
                period=period,
                value=float(own["value"]),
                label=own["label"],
                median=middle,
                median_label=format_value(middle, decimals, lang, meta.unit),
                rank=int(own["rank"]),
                ranked=int(values["value"].notna().sum()),
                trend=trend,
                source=source_line(meta, lang),
                municipal_period=municipal_period,
                municipal=municipal,
            )
        else:
            item = AreaIndicator(
                meta=meta,
                period=None,
                value=None,
                label=t("value.none", lang),
                median=None,
                median_label=t("value.none", lang),
                rank=None,
                ranked=0,
                trend=trend,
                source=source_line(meta, lang),
                municipal_period=municipal_period,
                municipal=municipal,
            )
        found.append(item)
    return found


def rank_text(item: AreaIndicator, lang: str | None = None, *, short: bool = False) -> str:
    """The rank with its direction, never bare: "3./22 (1 = suurin arvo)"; ``short`` gives
    "3./22" for a place whose label states the direction."""
    if item.rank is None:
        return t("value.none", lang)
    key = "indicators.rank.short" if short else "indicators.rank"
    return t(key, lang, rank=item.rank, count=item.ranked)


def area_sentence(item: AreaIndicator, area_short: str, lang: str | None = None) -> str:
    """The indicator's line in words (the sparkline's text equivalent)."""
    if item.period is None:
        return t(
            "indicators.area.only_municipal",
            lang,
            name=item.meta.name,
            period=item.municipal_period or "",
        )
    return t(
        "indicators.area.sentence",
        lang,
        name=item.meta.name,
        area=area_short,
        period=item.period,
        value=item.label,
        median=item.median_label,
        rank=rank_text(item, lang),
    )
