"""Example state-grant projects, dated notes and a population indicator for ``sote demo``.

Deterministic (one ``random.Random(seed)``, fixed dates in 2022) and built on what the store
already holds, so they agree with the example roadmap and risks: a project serves measures of
its work stream, spends faster in an area that is further along, and a note cites a measure or a
risk the area really has. Stored through the import path (one import record), so a revert works
on them as on any file. The population figures are the areas' populations at the end of 2021
rounded to the thousand (Statistics Finland), so that € per inhabitant reads right; the source
line says they are rounded example figures.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from ..domain.areas import REFORM_CODES
from ..domain.indicators import AREA_LEVEL, Indicator, IndicatorValue, Period
from ..domain.model import RiskRating, StatusReport
from ..ingest.report import ParsedFile, SheetInfo
from ..rules.grants import Grant
from ..rules.notes import Note
from ..store.engine import Store
from ..store.holdings import DEMO_SOURCE
from . import history as history_rows
from .texts import in_language

#: two monitoring rounds of 2022: spending grows between them
ROUNDS = (date(2022, 6, 15), date(2022, 12, 15))
POPULATION = Indicator(
    key="demo:vakiluku",
    name="Väkiluku 31.12.",
    unit="henkilöä",
    source="Esimerkkiaineisto (pyöristetty tuhansiin, Tilastokeskus 2021)",
)
#: inhabitants at the end of 2021, rounded to the thousand
_POPULATION = {
    "01": 98_000,
    "02": 201_000,
    "03": 478_000,
    "04": 277_000,
    "05": 483_000,
    "06": 214_000,
    "07": 170_000,
    "08": 525_000,
    "09": 205_000,
    "10": 163_000,
    "11": 126_000,
    "12": 132_000,
    "13": 248_000,
    "14": 163_000,
    "15": 275_000,
    "16": 192_000,
    "17": 176_000,
    "18": 77_000,
    "19": 415_000,
    "20": 71_000,
    "21": 177_000,
    "90": 658_000,
}
_PROJECTS = (
    ("Tulevaisuuden sosiaali- ja terveyskeskus", "Kestävän kasvun ohjelma (RRF)", "palvelut"),
    ("Asiakas- ja potilastietojärjestelmän yhtenäistäminen", "ICT-muutostuki", "ict"),
    ("Hyvinvointialueen valmistelun tuki", "Valmistelun valtionavustus", "hallinto"),
    ("Rakenneuudistuksen johtamisen tuki", "Rakenneuudistushanke", "johtaminen"),
    ("Yhdyspintojen kehittäminen kuntien kanssa", "Valmistelun valtionavustus", "yhdyspinnat"),
)
_NOTES = (
    ("meeting", "Valmisteluryhmän kokous: {topic} etenee, aikataulu tiukka.", ("kokous",)),
    ("interview", "Henkilöstön edustaja: muutos koetaan raskaaksi; {topic} huolettaa.", ()),
    ("survey", "Henkilöstökyselyn vastausprosentti 54 %; {topic} nousi esiin.", ("kysely",)),
    ("media", "Maakuntalehti: {topic} viivästyy, kunnat huolissaan.", ("media",)),
    ("other", "Kuntien kirje alueen valmistelulle: {topic}.", ()),
)
_TOPICS = {
    "palvelut": "palveluverkko",
    "ict": "tietojärjestelmät",
    "hallinto": "hallintosääntö",
    "johtaminen": "johdon rekrytoinnit",
    "yhdyspinnat": "yhdyspintasopimukset",
}
_TAGS = {
    "palvelut": "palvelut",
    "ict": "ICT",
    "hallinto": "hallinto",
    "johtaminen": "johtaminen",
    "yhdyspinnat": "kunnat",
}


def _done_shares(history: Iterable[history_rows.Row], day: date) -> dict[str, float]:
    """Each area's share of measures done on ``day`` (how far along it is): the latest report
    of each measure on or before ``day`` (``history`` is oldest first, in load order)."""
    latest: dict[tuple[str, str], bool] = {}
    for reported_on, area, measure, status in history:
        if reported_on > day:
            break
        latest[(area, measure)] = status == "done"
    flags: dict[str, list[bool]] = {}
    for (area, _), is_done in latest.items():
        flags.setdefault(area, []).append(is_done)
    return {area: sum(done) / len(done) for area, done in flags.items()}


def build_examples(
    store: Store,
    seed: int = 2021,
    lang: str | None = "fi",
    *,
    reports: Sequence[StatusReport] | None = None,
    risks: Sequence[RiskRating] | None = None,
) -> tuple[list[Grant], list[Note], list]:
    """(project rows, notes, population values) for the roadmap and risks in ``store``, their
    texts in ``lang`` (``demo.texts``; the same figures in every language). ``reports`` and
    ``risks``: what the store holds, when the caller has just stored them (``load_demo``), so
    that they need not be read back; by default they are read from ``store``."""
    rng = random.Random(f"grants-notes-{seed}")
    roadmap = store.load_roadmap()
    by_stream: dict[str, list[str]] = {}
    for measure in roadmap.measures:
        by_stream.setdefault(measure.work_stream, []).append(measure.id)
    risk_ids = history_rows.risk_ids(store, risks)
    history = history_rows.stored(store) if reports is None else history_rows.of_reports(reports)
    done = _done_shares(history, ROUNDS[-1])
    low, high = (min(done.values()), max(done.values())) if len(done) else (0.0, 1.0)
    grants: list[Grant] = []
    notes: list[Note] = []
    for code in REFORM_CODES:
        # how far along the area is among the areas, 0–1: spending follows it, loosely
        pace = (float(done.get(code, low)) - low) / ((high - low) or 1.0)
        grants.extend(_area_grants(rng, code, pace, by_stream, lang))
        own_risks = sorted(risk_ids.get(code, ()))
        notes.extend(_area_notes(rng, code, own_risks, by_stream, lang))
    national = sorted(risk_ids.get(None, ()))
    notes.extend(_national_notes(national, lang))
    period = Period("2021", date(2021, 1, 1), date(2021, 12, 31))
    population = [
        IndicatorValue(POPULATION.key, AREA_LEVEL, code, code, period, float(_POPULATION[code]))
        for code in REFORM_CODES
    ]
    return grants, notes, population


def _area_grants(
    rng: random.Random,
    code: str,
    pace: float,
    by_stream: dict[str, list[str]],
    lang: str | None,
) -> list[Grant]:
    """One area's projects, a row per monitoring round, spending more where the area is further
    along (``pace``, 0–1). Draws from the one shared ``rng`` in a fixed order: the example data
    stays the same only while the draws come in the same order."""
    grants: list[Grant] = []
    for name, programme, stream in rng.sample(_PROJECTS, rng.randint(1, 3)):
        granted = round(rng.uniform(0.4, 6.0) * _POPULATION[code] / 200_000, 2) * 1_000_000
        start = date(2021, rng.choice((3, 6, 9)), 1)
        end = date(rng.choice((2023, 2024, 2025)), 12, 31)
        served = tuple(sorted(rng.sample(by_stream.get(stream, []), 2)))
        final = min(1.0, max(0.05, 0.12 + 0.7 * pace + rng.uniform(-0.1, 0.1)))
        for step, day in enumerate(ROUNDS):
            share = final * (0.55 if step == 0 else 1.0)
            grants.append(
                Grant(
                    area_code=code,
                    project=in_language(name, lang),
                    programme=in_language(programme, lang),
                    granted=granted,
                    spent=round(granted * share, -2),
                    start=start,
                    end=end,
                    status="ongoing",
                    measures=served,
                    reported_on=day,
                )
            )
    return grants


def _area_notes(
    rng: random.Random,
    code: str,
    own_risks: list[str],
    by_stream: dict[str, list[str]],
    lang: str | None,
) -> list[Note]:
    """Two to four dated notes for one area, each citing a measure of its topic's work stream or
    one of the area's own risks, so that a note never points at something the area lacks. Draws
    from the shared ``rng`` after the area's projects (see ``_area_grants``)."""

    def tr(text: str) -> str:
        return in_language(text, lang)

    notes: list[Note] = []
    for _ in range(rng.randint(2, 4)):
        source, text, tags = rng.choice(_NOTES)
        stream = rng.choice(sorted(_TOPICS))
        day = date(2022, 1, 10) + timedelta(days=rng.randint(0, 330))
        measure = rng.choice(by_stream[stream]) if by_stream.get(stream) else None
        risk = rng.choice(own_risks) if own_risks and rng.random() < 0.4 else None
        notes.append(
            Note(
                area_code=code,
                noted_on=day,
                text=tr(text).format(topic=tr(_TOPICS[stream])),
                source_type=source,
                link=f"https://example.fi/muistiinpanot/{code}-{day.isoformat()}"
                if source == "media"
                else None,
                tags=tuple(tr(tag) for tag in (*tags, _TAGS[stream])),
                measure_id=None if risk else measure,
                risk_id=risk,
            )
        )
    return notes


def _national_notes(national: list[str], lang: str | None) -> list[Note]:
    """A steering-group note on each of the first two national risks (no area: the national
    page's notes), at fixed dates and without random draws."""
    return [
        Note(
            area_code=None,
            noted_on=date(2022, 3 + index * 4, 20),
            text=in_language(
                "Ministeriön ohjausryhmä: riski koskee kaikkia alueita, seuranta kuukausittain.",
                lang,
            ),
            source_type="meeting",
            tags=(in_language("kansallinen", lang), in_language("ohjaus", lang)),
            risk_id=risk,
        )
        for index, risk in enumerate(national[:2])
    ]


def add_examples(
    store: Store,
    seed: int = 2021,
    lang: str | None = "fi",
    *,
    reports: Sequence[StatusReport] | None = None,
    risks: Sequence[RiskRating] | None = None,
) -> int:
    """Store the example projects, notes and population as one import; returns its id. Call it
    after the example roadmap and risks are stored (``sote demo``: at the end of ``load_demo``,
    inside its transaction, with the ``reports`` and ``risks`` it stored)."""
    grants, notes, population = build_examples(store, seed, lang, reports=reports, risks=risks)
    population_indicator = dataclasses.replace(
        POPULATION,
        name=in_language(POPULATION.name, lang),
        unit=in_language(POPULATION.unit or "", lang) or None,
        source=in_language(POPULATION.source or "", lang) or None,
    )
    parsed = ParsedFile(
        DEMO_SOURCE,  # named like the rest of the example data
        None,  # no file digest: the upload history lists files, and example data came from none
        sheets=[
            SheetInfo("Hankkeet", "grants", len(grants)),
            SheetInfo("Muistiinpanot", "notes", len(notes)),
            SheetInfo("Väkiluku", "indicators", len(population)),
        ],
        grants=grants,
        notes=notes,
        indicators=[population_indicator],
        indicator_values=population,
    )
    return store.save_import(parsed, user=None)
