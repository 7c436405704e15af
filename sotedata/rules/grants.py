"""State-grant projects (the ministry's hankeseuranta) beside the roadmap: granted and spent per
area, in euros and per inhabitant, and each project with the measures it serves.

A project is reported again and again (the spent sum grows), so rows are kept like status
reports: the picture on a date is each project's latest row on or before it, and a later import
of the same area and project supersedes an earlier one of the same date. Pure functions over the
store's frame (``Store.grants``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import areas
from ..domain.areas import normalise_name
from ..domain.i18n import fmt_date, fmt_number, fmt_percent, t
from ..domain.ports import IndicatorSource

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd

GRANT_COLUMNS = [
    "id",
    "area_code",
    "project_key",
    "project",
    "programme",
    "granted",
    "spent",
    "start_date",
    "end_date",
    "period",
    "status",
    "reported_on",
    "import_id",
    "measures",
]
TOTAL_COLUMNS = [
    "area_code",
    "projects",
    "granted",
    "spent",
    "spent_share",
    "population",
    "granted_per_inhabitant",
    "spent_per_inhabitant",
]
#: Sotkanet's own id of the population indicator
POPULATION_SOTKANET_KEY = "sotkanet:127"
#: the words that make an imported indicator the population, in fi/sv/en: a vocabulary, so data
POPULATION_WORDS_FILE = Path(__file__).resolve().parents[1] / "data" / "population_words.csv"


@dataclass(frozen=True)
class Grant:
    """One project's row as an area reported it on ``reported_on``."""

    area_code: str
    project: str
    granted: float
    reported_on: date
    programme: str | None = None
    spent: float | None = None  # None: not reported yet (never taken as zero)
    start: date | None = None
    end: date | None = None
    period_text: str | None = None
    status: str | None = None  # planned, ongoing, completed, cancelled
    measures: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        """The project's identity within its area: its name, whatever the case or spacing."""
        return normalise_name(self.project)[:200] or "hanke"


def current_grants(frame: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """Each project's latest row on or before ``as_of`` (all rows when None): by reporting date,
    then by import, so a later file's row of the same date supersedes an earlier one."""
    if frame.empty:
        return frame.copy()
    rows = frame if as_of is None else frame[frame["reported_on"] <= as_of]
    rows = rows.sort_values(["reported_on", "import_id", "id"], kind="stable")
    return rows.drop_duplicates(["area_code", "project_key"], keep="last").reset_index(drop=True)


def _known_spent_share(granted: pd.Series, spent: pd.Series) -> float:
    """Spent ÷ granted over the projects whose spending is reported (NaN when none is)."""
    known = spent.notna()
    base = float(granted[known].sum())
    return float(spent[known].sum()) / base if known.any() and base > 0 else float("nan")


def area_totals(
    frame: pd.DataFrame,
    as_of: date | None = None,
    population: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Granted and spent per area for all 22 areas of the reform (``TOTAL_COLUMNS``): an area
    without projects has 0 projects, 0 € and no share (NaN); € per inhabitant only where a
    population is known."""
    import pandas as pd

    current = current_grants(frame, as_of)
    population = population or {}
    rows = []
    for area in areas.reform_areas():
        own = current[current["area_code"] == area.code] if not current.empty else current
        granted = float(own["granted"].sum()) if len(own) else 0.0
        spent = float(own["spent"].dropna().sum()) if len(own) else 0.0
        share = _known_spent_share(own["granted"], own["spent"]) if len(own) else float("nan")
        people = population.get(area.code)
        per = people is not None and people == people and people > 0
        rows.append(
            {
                "area_code": area.code,
                "projects": len(own),
                "granted": granted,
                "spent": spent,
                "spent_share": share,
                "population": float(people) if per else float("nan"),
                "granted_per_inhabitant": granted / people if per else float("nan"),
                "spent_per_inhabitant": spent / people if per else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=TOTAL_COLUMNS)


#: the spent share as an indicator of its own, so that the national map (legend, period selector,
#: source line, ranked text) and the area page's indicators (median, rank, trend) show it with no
#: second code path; not stored: derived from the grants each time, so a revert takes it along
SPENT_SHARE_KEY = "valtionavustukset:kaytetty_osuus"


def spent_share_indicator(
    frame: pd.DataFrame, lang: str | None = None
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The spent share (%, 0–100) of every area at each reporting date of the grants, as one
    indicator's metadata and value rows (``indicator_view.VALUE_COLUMNS``; the period is the
    reporting date written d.M.yyyy). Areas with no reported spending have no row."""
    import pandas as pd

    meta = {
        "key": SPENT_SHARE_KEY,
        "name": t("grants.indicator.name", lang),
        "unit": "%",
        "source": t("grants.indicator.source", lang),
        "licence": None,
    }
    rows = []
    if not frame.empty:
        for day in sorted(set(frame["reported_on"])):
            totals = area_totals(frame, day)
            for code, share in zip(totals["area_code"], totals["spent_share"], strict=True):
                if share == share:  # not NaN
                    rows.append(
                        {
                            "indicator_key": SPENT_SHARE_KEY,
                            "level": "area",
                            "region_code": code,
                            "area_code": code,
                            "period": f"{day.day}.{day.month}.{day.year}",
                            "period_start": day,
                            "period_end": day,
                            "value": round(share * 100, 1),
                        }
                    )
    columns = ["indicator_key", "level", "region_code", "area_code", "period"]
    columns += ["period_start", "period_end", "value"]
    return meta, pd.DataFrame(rows, columns=columns)


# --- population --------------------------------------------------------------------------------


@cache
def population_words() -> tuple[str, ...]:
    """The population words as names are compared (``normalise_name``: "väkiluku" → "vakiluku"),
    read once."""
    with POPULATION_WORDS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(normalise_name(row["word"]) for row in csv.DictReader(handle))


def is_population(key: object, name: object) -> bool:
    """Whether an indicator counts inhabitants (Sotkanet's population, or a file's indicator
    named so in any of the three languages): the one that € per inhabitant divides by."""
    if key == POPULATION_SOTKANET_KEY:
        return True
    plain = normalise_name(name)
    return any(word in plain for word in population_words())


def population_from_indicators(indicators: pd.DataFrame, values: pd.DataFrame) -> dict[str, float]:
    """Inhabitants per area from an imported indicator recognised as the population (Sotkanet
    id 127, or a name with "väkiluku", "population", "folkmängd"…): its latest period's value at
    area level, else the sum of the area's municipalities for that period. Empty when none."""
    if indicators.empty or values.empty:
        return {}
    keys = [
        key
        for key, name in zip(indicators["key"], indicators["name"], strict=True)
        if is_population(key, name)
    ]
    if not keys:
        return {}
    rows = values[values["indicator_key"].isin(keys) & values["value"].notna()].copy()
    if rows.empty:
        return {}
    # the same region and period imported twice: the newest import counts
    rows = rows.drop_duplicates(["indicator_key", "level", "region_code", "period"], keep="last")
    found: dict[str, float] = {}
    for level in ("area", "municipality"):
        own = rows[rows["level"] == level]
        if own.empty:
            continue
        latest = own.sort_values("period_end").groupby("area_code")["period_end"].max()
        for code, end in latest.items():
            if code in found:
                continue
            chosen = own[(own["area_code"] == code) & (own["period_end"] == end)]
            found[str(code)] = float(chosen["value"].astype(float).sum())
    return found


def population_from_features(features: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Inhabitants per area as boundary features carry them (``population``, ``vaesto``,
    ``asukasluku`` in the feature or its properties), where present."""
    found: dict[str, float] = {}
    for feature in features or ():
        props = {**(feature.get("properties") or {}), **feature}
        code = props.get("code")
        for name in ("population", "vaesto", "väestö", "asukasluku", "vakiluku"):
            value = props.get(name)
            if code and isinstance(value, int | float) and value > 0:
                found[str(code)] = float(value)
                break
    return found


def population_by_area(
    store: IndicatorSource, features: Iterable[Mapping[str, Any]] | None = None
) -> tuple[dict[str, float], str]:
    """(inhabitants per area, where from): an imported population indicator first ("indicator"),
    then the boundary data ("boundaries"), else ({}, "unknown"); where from names the page's
    note (catalog ``grants.population.<where from>``)."""
    import pandas as pd

    indicators = store.indicators()
    keys = [
        k for k, n in zip(indicators["key"], indicators["name"], strict=True) if is_population(k, n)
    ]
    # only the population's values: a database may hold hundreds of thousands of others
    values = [store.indicator_values(key) for key in keys]
    frame = pd.concat(values, ignore_index=True) if values else pd.DataFrame()
    found = population_from_indicators(indicators, frame)
    if found:
        return found, "indicator"
    found = population_from_features(features or ())
    if found:
        return found, "boundaries"
    return {}, "unknown"


# --- the area page -------------------------------------------------------------------------------

PROJECT_COLUMNS = [
    "project",
    "programme",
    "granted",
    "spent",
    "spent_share",
    "status_label",
    "period_text",
    "measures_text",
    "reported_on",
]


def period_text(start: date | None, end: date | None, written: str | None, lang: str | None) -> str:
    """A project's period as the page shows it: "1.3.2022–31.12.2024"."""
    if start is None and end is None:
        return written or "–"
    return f"{fmt_date(start, lang) if start else '…'}–{fmt_date(end, lang) if end else '…'}"


def area_projects(
    frame: pd.DataFrame,
    code: str,
    as_of: date | None,
    measure_status: Mapping[str, str] | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """The area's projects on ``as_of`` (``PROJECT_COLUMNS``), largest grant first; each linked
    measure written with its current status ("T-012 (Valmis)")."""
    import pandas as pd

    current = current_grants(frame, as_of)
    own = current[current["area_code"] == code] if not current.empty else current
    measure_status = measure_status or {}
    rows = []
    for row in own.sort_values("granted", ascending=False).itertuples():
        linked = []
        for measure_id in row.measures or ():
            status = measure_status.get(measure_id)
            reported = isinstance(status, str) and status
            label = (
                t(f"status.{status}", lang) if reported else t("grants.measure.unreported", lang)
            )
            linked.append(f"{measure_id} ({label})")
        spent = None if pd.isna(row.spent) else float(row.spent)
        rows.append(
            {
                "project": row.project,
                "programme": row.programme or "",
                "granted": float(row.granted),
                "spent": spent,
                "spent_share": spent / row.granted if spent is not None and row.granted else None,
                "status_label": t(f"grants.status.{row.status}", lang) if row.status else "–",
                "period_text": period_text(
                    None if pd.isna(row.start_date) else row.start_date,
                    None if pd.isna(row.end_date) else row.end_date,
                    row.period if isinstance(row.period, str) else None,
                    lang,
                ),
                "measures_text": ", ".join(linked),
                "reported_on": row.reported_on,
            }
        )
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS)


def money(value: float | None, lang: str | None = None) -> str:
    """Euros without cents: "1 234 567 €"."""
    if value is None or value != value:
        return "–"
    return f"{fmt_number(round(value), 0, lang)}\u00a0€"


def totals_sentence(
    totals: pd.DataFrame, code: str, population_source: str, lang: str | None = None
) -> str:
    """The area's grants in one sentence, and € per inhabitant or why it is unknown."""
    import pandas as pd

    row = totals.set_index("area_code").loc[code]
    if not row["projects"]:
        return t("grants.none", lang)
    text = t(
        "grants.totals",
        lang,
        projects=fmt_number(int(row["projects"]), 0, lang),
        granted=money(row["granted"], lang),
        spent=money(row["spent"], lang),
        share=fmt_percent(None if pd.isna(row["spent_share"]) else row["spent_share"], 0, lang),
    )
    if pd.isna(row["population"]):
        return f"{text} {t('grants.per_inhabitant.unknown', lang)}"
    per = t(
        "grants.per_inhabitant",
        lang,
        granted=f"{fmt_number(row['granted_per_inhabitant'], 2, lang)}\u00a0€",
        spent=f"{fmt_number(row['spent_per_inhabitant'], 2, lang)}\u00a0€",
        population=fmt_number(int(row["population"]), 0, lang),
        source=t(f"grants.population.{population_source}", lang),
    )
    return f"{text} {per}"
