"""Example data for trying the app: a full roadmap and a year of monthly reports from the 22 areas.

It is *example* data, generated, and the store marks it so (``is_example``); the UI says so wherever
it shows a figure. It is deterministic: one ``random.Random(seed)`` and fixed dates, never today's,
so two builds are equal and the tests can rely on it.

What it imitates (the preparation of 2021–2022):

* 165 measures over the three phases and five work streams, about a third critical, each with a
  deadline inside its phase (a few continuous tasks have none);
* 12 reporting dates, the 15th of each month from 15.1.2022 to 15.12.2022 — the year before the
  transfer of responsibility on 1.1.2023; each area reports every measure every month;
* each area has a pace: ahead-of-plan areas finish measures before their deadline, lagging ones
  after it, and some measures stall. A measure goes not started → in progress → (delayed) → done
  and only rarely back; an area reports a few measures as not applicable (Helsinki, for instance,
  holds no regional elections);
* 6–12 risks per area from seven themes, rated on a 1–5 × 1–5 matrix and re-rated quarterly,
  plus a few national risks (no area);
* two indicators shaped like THL Sotkanet's, 2019–2022: one with area rows only (with a value
  missing, as real exports have), one with area rows and rows for every municipality of the
  reform. Their values are invented and their source says so.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..domain import municipalities
from ..domain.access import Principal
from ..domain.areas import HELSINKI_CODE, REFORM_CODES
from ..domain.i18n import normalise_language, t
from ..domain.indicators import AREA_LEVEL, MUNICIPALITY_LEVEL, Indicator, IndicatorValue, Period
from ..domain.model import (
    Measure,
    RiskRating,
    Roadmap,
    Status,
    StatusReport,
    default_phases,
    default_roadmap,
)
from ..ingest.report import ParsedFile
from ..store.engine import Store
from ..store.holdings import DEMO_SOURCE
from ..store.people import record
from .examples import add_examples
from .organisers import add_organiser_examples
from .texts import in_language

DEFAULT_SEED = 2021
REPORTING_DATES: tuple[date, ...] = tuple(date(2022, month, 15) for month in range(1, 13))
#: quarterly risk reviews (the first report, then April, July, October)
RISK_REVIEW_DATES: tuple[date, ...] = (REPORTING_DATES[0],) + REPORTING_DATES[3:12:3]

# --- the roadmap --------------------------------------------------------------------------------
# The example's tables (measures, risks) are data files in demo/data, read with the csv module:
# words to edit, not code to review.
_DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (_DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class _Entry:
    """One measure of ``measures.csv``: a critical one is marked so, a continuous one has no
    deadline."""

    phase: int
    name: str
    critical: bool
    continuous: bool


def _measures() -> dict[str, tuple[str, list[_Entry]]]:
    """Per work stream: (id prefix, its measures), in roughly chronological order within a phase
    (the file's order)."""
    streams: dict[str, tuple[str, list[_Entry]]] = {}
    for row in _rows("measures.csv"):
        prefix, entries = streams.setdefault(row["work_stream"], (row["prefix"], []))
        entries.append(
            _Entry(int(row["phase"]), row["name"], row["critical"] == "1", row["continuous"] == "1")
        )
    return streams


#: (id, theme, title, mitigation, owner, base likelihood, base impact)
_Risk = tuple[str, str, str, str, str, int, int]


def _risks(name: str) -> tuple[_Risk, ...]:
    return tuple(
        (r["risk_id"], r["theme"], r["title"], r["mitigation"], r["owner"])
        + (int(r["likelihood"]), int(r["impact"]))
        for r in _rows(name)
    )


#: deadlines that the law or the calendar fixed (elections 23.1.2022, councils from 1.3.2022, …)
_FIXED_DEADLINES = {
    "Väliaikaisen valmistelutoimielimen asettaminen": date(2021, 8, 31),
    "Aluevaalien järjestelyt": date(2022, 1, 31),
    "Aluevaltuuston ja toimielinten käynnistäminen": date(2022, 3, 31),
    "Hyvinvointialuejohtajan rekrytointi": date(2022, 5, 31),
    "Talousarvion 2023 valmistelu": date(2022, 11, 30),
    "Palvelujen siirtymäpäivän toimintasuunnitelma": date(2022, 12, 31),
}

#: measures that do not concern Helsinki (no regional elections or council, one municipality)
_NOT_FOR_HELSINKI = (
    "Aluevaalien järjestelyt",
    "Aluevaltuuston työjärjestyksen valmistelu",
    "Kuntien kanssa tehtävät yhdyspintasopimukset",
    "Kuntien kanssa käytävien neuvottelujen aikataulu",
    "Omaisuuden siirtoa koskeva päätösesitys",
)

_DELAY_REASONS = (
    "Odottaa järjestelmätoimittajan aikataulua.",
    "Henkilöresurssit eivät riitä, rekrytointi kesken.",
    "Odottaa kansallista ohjeistusta.",
    "Kuntien kanssa neuvottelut jatkuvat.",
    "Päätös siirtyi seuraavaan aluehallituksen kokoukseen.",
    "Riippuu toisen toimenpiteen valmistumisesta.",
    "Hankinta viivästyi valituksen vuoksi.",
    "Tietojen kokoaminen kunnista on hidasta.",
)
_NOT_APPLICABLE_REASONS = (
    "Ei koske aluetta: tehtävä hoidetaan yhteistyöalueella.",
    "Ei koske aluetta: hoidettu jo aiemmin kuntayhtymässä.",
    "Ei koske aluetta: järjestetty toisen toimenpiteen osana.",
)
_REOPENED = "Palautettu keskeneräiseksi: päätöstä täydennetään."


def _month_ends(start: date, end: date) -> list[date]:
    """The last days of the months between ``start`` and ``end``, and ``end`` itself."""
    days = []
    year, month = start.year, start.month
    while True:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - timedelta(days=1)
        if last > end:
            break
        if last >= start:
            days.append(last)
        year, month = following.year, following.month
    if not days or days[-1] != end:
        days.append(end)
    return days


def build_roadmap(rng: random.Random) -> Roadmap:
    """The 165 measures, numbered per work stream in phase and deadline order."""
    phases = {p.number: p for p in default_phases()}
    measures = []
    for stream, (prefix, entries) in _measures().items():
        number = 0
        for phase in sorted(phases):
            group = [entry for entry in entries if entry.phase == phase]
            choices = _month_ends(phases[phase].start, phases[phase].end)
            deadlines = sorted(rng.choice(choices) for _ in group)
            for entry, deadline in zip(group, deadlines, strict=True):
                number += 1
                measures.append(
                    Measure(
                        id=f"{prefix}-{number:02d}",
                        name=entry.name,
                        phase=phase,
                        work_stream=stream,
                        critical=entry.critical,
                        deadline=None
                        if entry.continuous
                        else _FIXED_DEADLINES.get(entry.name, deadline),
                    )
                )
    return default_roadmap(measures)


# --- progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """How one measure goes in one area: when it starts and ends, and how it is reported."""

    not_applicable: bool
    start: date
    done: date | None  # None: not done within the example year
    candid: bool  # reports "delayed" when behind (some areas keep saying "in progress")
    reopened_at: int | None  # index of a report that goes back from done to in progress
    reason: str


def _area_paces(rng: random.Random) -> dict[str, float]:
    """Pace per area, evenly spread from far behind (0.6) to ahead of plan (1.3), shuffled."""
    codes = list(REFORM_CODES)
    rng.shuffle(codes)
    step = 0.7 / (len(codes) - 1)
    return {code: 0.6 + i * step + rng.uniform(-0.03, 0.03) for i, code in enumerate(codes)}


def _plan(rng: random.Random, measure: Measure, pace: float, candour: float) -> _Plan:
    behind = 1.0 - pace  # > 0: late, < 0: early
    anchor = measure.deadline or date(2022, 6, 30)
    duration = {1: rng.randint(60, 180), 2: rng.randint(90, 200), 3: rng.randint(60, 270)}
    lag = behind * 260 + rng.gauss(0, 40) - (20 if measure.critical else 0)
    start = anchor - timedelta(days=duration[measure.phase]) + timedelta(days=lag * 0.4)
    done: date | None = anchor + timedelta(days=round(lag))
    stall = max(0.0, 0.3 * behind + 0.04) * (0.5 if measure.critical else 1.0)
    if measure.phase < 3:
        stall *= 0.3  # a task of 2020 that is still open in 2022 is rare
    if measure.deadline is None or rng.random() < stall:
        done = None
        if measure.phase == 3 and measure.deadline is not None and rng.random() < 0.4:
            start = REPORTING_DATES[-1] + timedelta(days=30)  # stalled before it began
    reopened_at = None
    if done is not None and REPORTING_DATES[0] < done < REPORTING_DATES[-2] and rng.random() < 0.01:
        reopened_at = next(i for i, day in enumerate(REPORTING_DATES) if day >= done) + 1
    return _Plan(
        not_applicable=False,
        start=start,
        done=done,
        candid=rng.random() < candour,
        reopened_at=reopened_at,
        reason=rng.choice(_DELAY_REASONS),
    )


def _status(plan: _Plan, measure: Measure, index: int, day: date) -> tuple[Status, str | None]:
    if plan.not_applicable:
        return Status.NOT_APPLICABLE, plan.reason
    if index == plan.reopened_at:
        return Status.IN_PROGRESS, _REOPENED
    if plan.done is not None and plan.done <= day:
        return Status.DONE, None
    if plan.start > day:
        return Status.NOT_STARTED, None
    late = measure.deadline is not None and day > measure.deadline + timedelta(days=14)
    if late and plan.candid:
        return Status.DELAYED, plan.reason
    return Status.IN_PROGRESS, None


def build_status_reports(
    rng: random.Random, roadmap: Roadmap, paces: dict[str, float]
) -> list[StatusReport]:
    """Every area reports every measure on every reporting date."""
    reports = []
    for code in REFORM_CODES:
        candour = rng.uniform(0.55, 1.0)
        optional = [m for m in roadmap.measures if not m.critical and m.deadline is not None]
        skipped = {m.id for m in rng.sample(optional, rng.randint(1, 4))}
        if code == HELSINKI_CODE:
            skipped |= {m.id for m in roadmap.measures if m.name in _NOT_FOR_HELSINKI}
        for measure in roadmap.measures:
            plan = _plan(rng, measure, paces[code], candour)
            if measure.id in skipped:
                reason = (
                    "Ei koske Helsinkiä: kaupunki vastaa tehtävästä itse."
                    if measure.name in _NOT_FOR_HELSINKI and code == HELSINKI_CODE
                    else rng.choice(_NOT_APPLICABLE_REASONS)
                )
                plan = _Plan(True, plan.start, None, True, None, reason)
            for index, day in enumerate(REPORTING_DATES):
                status, comment = _status(plan, measure, index, day)
                reports.append(StatusReport(code, measure.id, status, day, comment))
    return reports


# --- risks --------------------------------------------------------------------------------------


def _clamp(value: int) -> int:
    return max(1, min(5, value))


def _ratings(
    rng: random.Random,
    area: str | None,
    template: _Risk,
    behind: float,
    first: date,
) -> list[RiskRating]:
    """A risk's first rating and its quarterly re-ratings (skipped now and then)."""
    risk_id, theme, title, mitigation, owner, likelihood, impact = template
    likelihood = _clamp(likelihood + round(behind * 2) + rng.randint(-1, 1))
    impact = _clamp(impact + rng.choice((-1, 0, 0, 0, 1)))
    ratings = []
    for day in sorted({first, *(d for d in RISK_REVIEW_DATES if d > first)}):
        if day != first:
            if rng.random() < 0.35:
                continue  # not re-rated this quarter
            drift = 1 if behind > 0.1 else -1 if behind < -0.1 else 0
            likelihood = _clamp(likelihood + rng.choice((-1, 0, 0, drift, drift)))
            if rng.random() < 0.1:
                impact = _clamp(impact + rng.choice((-1, 1)))
        ratings.append(
            RiskRating(area, risk_id, title, theme, likelihood, impact, mitigation, owner, day)
        )
    return ratings


def build_risk_ratings(rng: random.Random, paces: dict[str, float]) -> list[RiskRating]:
    """Lagging areas see their risks as likelier, and their ratings drift upwards."""
    ratings = []
    risks = _risks("risks.csv")
    for code in REFORM_CODES:
        behind = 1.0 - paces[code]
        for template in rng.sample(risks, rng.randint(6, 12)):
            first = REPORTING_DATES[0] if rng.random() < 0.7 else rng.choice(REPORTING_DATES[1:9])
            ratings.extend(_ratings(rng, code, template, behind, first))
    for template in _risks("national_risks.csv"):
        ratings.extend(_ratings(rng, None, template, 0.0, REPORTING_DATES[0]))
    return ratings


# --- indicators ---------------------------------------------------------------------------------

INDICATOR_YEARS = (2019, 2020, 2021, 2022)
INDICATOR_SOURCE = "Esimerkkiaineisto (keksityt arvot, ei THL:n lukuja)"
SICKNESS = Indicator(
    key="demo:sairastavuusindeksi",
    name="Sairastavuusindeksi, ikävakioitu",
    unit="indeksi",
    source=INDICATOR_SOURCE,
)
SOCIAL_ASSISTANCE = Indicator(
    key="demo:toimeentulotuki",
    name="Toimeentulotukea saaneet henkilöt, % asukkaista",
    unit="%",
    source=INDICATOR_SOURCE,
)
#: a value that the example leaves missing, as THL's files mark with ".."
_MISSING_VALUE = (SICKNESS.key, HELSINKI_CODE, 2019)


def build_indicators(rng: random.Random) -> tuple[tuple[Indicator, ...], list[IndicatorValue]]:
    """Area values that differ between areas much more than between years, and municipal values
    of the second indicator scattered around their area's."""
    values: list[IndicatorValue] = []
    for indicator, centre, spread, drift in (
        (SICKNESS, 100.0, 18.0, 0.6),
        (SOCIAL_ASSISTANCE, 6.5, 1.6, -0.1),
    ):
        decimals = 1
        for code in REFORM_CODES:
            base = centre + rng.uniform(-spread, spread)
            for step, year in enumerate(INDICATOR_YEARS):
                period = Period(str(year), date(year, 1, 1), date(year, 12, 31))
                number: float | None = round(base + drift * step + rng.gauss(0, spread / 20), 1)
                if (indicator.key, code, year) == _MISSING_VALUE:
                    number = None
                values.append(IndicatorValue(indicator.key, AREA_LEVEL, code, code, period, number))
                if indicator is not SOCIAL_ASSISTANCE or number is None:
                    continue
                for town in municipalities.all_municipalities():
                    if town.area_code != code:
                        continue
                    local = round(max(0.5, number * rng.uniform(0.6, 1.35)), decimals)
                    values.append(
                        IndicatorValue(
                            indicator.key, MUNICIPALITY_LEVEL, town.code, code, period, local
                        )
                    )
    return (SICKNESS, SOCIAL_ASSISTANCE), values


def _save_indicators(store: Store, data: DemoData) -> None:
    """Through the import path (one import record named like the rest of the example data, with
    no file digest: the upload history lists files, and example data came from none)."""
    parsed = ParsedFile(
        filename=DEMO_SOURCE,
        sha256=None,
        indicators=list(data.indicators),
        indicator_values=list(data.indicator_values),
    )
    store.save_import(parsed)


# --- the whole -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    seed: int
    roadmap: Roadmap
    status_reports: tuple[StatusReport, ...]
    risk_ratings: tuple[RiskRating, ...]
    reporting_dates: tuple[date, ...] = REPORTING_DATES
    indicators: tuple[Indicator, ...] = ()
    indicator_values: tuple[IndicatorValue, ...] = ()

    def description(self, lang: str | None = None) -> str:
        return t("demo.description", lang, seed=self.seed)


def build_demo(seed: int = DEFAULT_SEED) -> DemoData:
    """The example data for ``seed``: the same seed always gives the same data."""
    rng = random.Random(seed)
    # one stream per part, so that changing one part cannot reshuffle the others
    streams = [random.Random(rng.getrandbits(64)) for _ in range(4)]
    roadmap = build_roadmap(streams[0])
    paces = _area_paces(streams[1])
    reports = build_status_reports(streams[2], roadmap, paces)
    risks = build_risk_ratings(streams[3], paces)
    # drawn after the four above: adding indicators left the roadmap and reports as they were
    indicators, values = build_indicators(random.Random(rng.getrandbits(64)))
    return DemoData(
        seed,
        roadmap,
        tuple(reports),
        tuple(risks),
        indicators=indicators,
        indicator_values=tuple(values),
    )


def in_language_of(data: DemoData, lang: str | None) -> DemoData:
    """``data`` with its own texts (measure names, status comments, risks' titles, mitigations
    and owners, indicator names, units and sources) in ``lang`` (``demo.texts``); the figures,
    ids and dates stay as they are, so every language gets the same example."""
    lang = normalise_language(lang)
    if lang == "fi":
        return data

    def tr(text: str | None) -> str | None:
        return None if text is None else in_language(text, lang)

    roadmap = replace(
        data.roadmap, measures=tuple(replace(m, name=tr(m.name)) for m in data.roadmap.measures)
    )
    reports = tuple(
        replace(r, comment=tr(r.comment)) if r.comment else r for r in data.status_reports
    )
    risks = tuple(
        replace(r, title=tr(r.title), mitigation=tr(r.mitigation), owner=tr(r.owner))
        for r in data.risk_ratings
    )
    indicators = tuple(
        replace(i, name=tr(i.name), unit=tr(i.unit), source=tr(i.source)) for i in data.indicators
    )
    return replace(
        data, roadmap=roadmap, status_reports=reports, risk_ratings=risks, indicators=indicators
    )


def example_roadmap() -> Roadmap:
    """The example data's roadmap (``sote demo``), without building its reports: the roadmap a
    template offers and the upload page shows while the store has none of its own."""
    rng = random.Random(DEFAULT_SEED)
    return build_roadmap(random.Random(rng.getrandbits(64)))  # the first stream of build_demo


def load_demo(
    store: Store,
    seed: int = DEFAULT_SEED,
    *,
    principal: Principal | None = None,
    lang: str | None = None,
    **details: Any,
) -> DemoData:
    """Replace everything in ``store`` with the example data, in one transaction; with a
    ``principal`` (``sote demo``), its audit row (``details``: what was replaced) goes in the
    same transaction. Users and the audit trail stay. Whether the load may happen at all is
    the caller's check (``demo_guard``, ``sote demo``). The example's own texts are in ``lang``
    (default: the run's language, ``sote --kieli``)."""
    lang = normalise_language(lang)
    data = in_language_of(build_demo(seed), lang)
    with store.transaction():
        if principal is not None:
            record(store, principal, "demo", str(seed), **details)
        store.clear()
        store.set_dataset(is_example=True, description=data.description())
        store.save_roadmap(data.roadmap, source=DEMO_SOURCE)
        store.add_status_reports(data.status_reports, source=DEMO_SOURCE)
        store.add_risk_ratings(data.risk_ratings, source=DEMO_SOURCE)
        _save_indicators(store, data)
        # the demo's grants, notes and population
        # built on the reports and risks just stored, without reading them back
        add_examples(
            store, seed=seed, lang=lang, reports=data.status_reports, risks=data.risk_ratings
        )
        # the organisers' handover (issue 20)
        add_organiser_examples(store, seed=seed, reports=data.status_reports)
    return data
