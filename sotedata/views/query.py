"""What a table shows, as words: the ``TableQuery`` (a dataset and its filters) read from URL
parameters (``from_query``, Finnish names: ``taulu``, ``alue``, ``vaihe``, ``ryhma``, ``tila``,
``kriittiset``, ``myohassa``, ``riski``, ``pvm``, ``vrt``, ``haku``; for the indicator and notes
tables also ``indikaattori``, ``jaksosta``, ``jaksoon``, ``taso``, ``lahdetyyppi``, ``tunniste``)
or from the command line (``from_cli``) and written back to the URL (``to_query``), with the
dates a query leaves open resolved (a built table's filters in words, for a file's metadata sheet,
are ``tables.describe_filters``: they name what the table holds).

One module for the grammar so that a link, a command line and a downloaded file name the same
filters the same way (``tables.build_table`` builds what a query asks for).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..domain.errors import Issue, SoteError
from ..domain.model import Phase, WorkStream
from ..rules.changes import default_as_of, default_since
from .data_filters import (
    LEVEL_WORDS,
    cli_data_filters,
    data_filter_values,
    tag_words,
)
from .grammar import (
    YES,
    Parameters,
    area_issue,
    day,
    phase_issue,
    phase_number,
    status_value,
    work_stream_key,
)
from .table_base import Sources, to_moment

#: dataset key → the Finnish word used in URLs (``?taulu=riskit``); the CLI uses the keys
DATASETS: Mapping[str, str] = {
    "status": "tilanne",
    "metrics": "luvut",
    "risks": "riskit",
    "roadmap": "tiekartta",
    "changes": "muutokset",
    "moves": "siirtymat",
    "imports": "lataukset",
    "grants": "avustukset",
    "indicators": "indikaattorit",
    "notes": "muistiinpanot",
    "audit": "tapahtumat",
    "outlook": "ennuste",
    "organisers": "jarjestajat",
}
#: datasets that only administrators and the ministry see (the audit trail names people)
RESTRICTED: frozenset[str] = frozenset({"audit"})
#: which filters mean something for which dataset (the page shows only these)
FILTERS: Mapping[str, frozenset[str]] = {
    "status": frozenset(
        {"areas", "phase", "work_stream", "status", "critical", "overdue", "as_of", "search"}
    ),
    "metrics": frozenset({"areas", "phase", "work_stream", "critical", "as_of", "since", "search"}),
    "risks": frozenset({"areas", "risk", "as_of", "search"}),
    "roadmap": frozenset({"phase", "work_stream", "critical", "overdue", "as_of", "search"}),
    "changes": frozenset({"areas", "phase", "work_stream", "critical", "as_of", "since", "search"}),
    "moves": frozenset(
        {"areas", "phase", "work_stream", "status", "critical", "as_of", "since", "search"}
    ),
    "imports": frozenset({"since", "search"}),
    "grants": frozenset({"areas", "as_of", "search"}),
    "indicators": frozenset({"areas", "indicator", "period", "level", "search"}),
    "notes": frozenset({"areas", "period", "source_type", "tags", "search"}),
    "audit": frozenset({"since", "search"}),
    "outlook": frozenset({"areas", "as_of", "since", "search"}),
    "organisers": frozenset({"areas", "status", "as_of", "search"}),
}
RISK_RANGE = (1, 25)
#: the URL parameters a TableQuery reads and writes (any other one belongs to the app)
URL_PARAMS = frozenset(
    {
        "taulu",
        "alue",
        "vaihe",
        "ryhma",
        "tila",
        "kriittiset",
        "myohassa",
        "riski",
        "pvm",
        "vrt",
        "haku",
        "indikaattori",
        "jaksosta",
        "jaksoon",
        "taso",
        "lahdetyyppi",
        "tunniste",
    }
)


#: the datasets that are not a picture on a date: no as-of or comparison date applies
UNDATED = frozenset({"indicators", "notes"})


@dataclass(frozen=True)
class TableQuery:
    """What to show: the dataset and its filters. ``None``/empty means "not filtered"."""

    table: str = "status"
    areas: tuple[str, ...] = ()
    phase: int | None = None
    work_stream: str | None = None
    statuses: tuple[str, ...] = ()
    critical_only: bool = False
    overdue_only: bool = False
    risk_min: int | None = None
    risk_max: int | None = None
    as_of: date | None = None
    since: date | None = None
    search: str = ""
    indicator: str | None = None  # an indicator's key (the table resolves a name to it)
    period_from: str | None = None  # a period as the store writes it: "2019", "2021M05"
    period_to: str | None = None
    level: str | None = None  # indicators.AREA_LEVEL or MUNICIPALITY_LEVEL
    source_types: tuple[str, ...] = ()  # notes.SOURCE_TYPES
    tags: tuple[str, ...] = ()

    def applies(self, name: str) -> bool:
        return name in FILTERS[self.table]

    def to_query(self) -> dict[str, str]:
        """URL parameters of this query, defaults and filters of other datasets left out."""
        query: dict[str, str] = {}
        if self.table != "status":
            query["taulu"] = DATASETS[self.table]
        if self.areas and self.applies("areas"):
            query["alue"] = ",".join(self.areas)
        if self.phase is not None and self.applies("phase"):
            query["vaihe"] = str(self.phase)
        if self.work_stream and self.applies("work_stream"):
            query["ryhma"] = self.work_stream
        if self.statuses and self.applies("status"):
            query["tila"] = ",".join(self.statuses)
        if self.critical_only and self.applies("critical"):
            query["kriittiset"] = YES
        if self.overdue_only and self.applies("overdue"):
            query["myohassa"] = YES
        if (self.risk_min is not None or self.risk_max is not None) and self.applies("risk"):
            low = self.risk_min if self.risk_min is not None else RISK_RANGE[0]
            high = self.risk_max if self.risk_max is not None else RISK_RANGE[1]
            query["riski"] = f"{low}-{high}"
        if self.as_of is not None and self.applies("as_of"):
            query["pvm"] = self.as_of.isoformat()
        if self.since is not None and self.applies("since"):
            query["vrt"] = self.since.isoformat()
        if self.search.strip() and self.applies("search"):
            query["haku"] = self.search.strip()
        if self.indicator and self.applies("indicator"):
            query["indikaattori"] = self.indicator
        if self.period_from and self.applies("period"):
            query["jaksosta"] = self.period_from
        if self.period_to and self.applies("period"):
            query["jaksoon"] = self.period_to
        if self.level and self.applies("level"):
            query["taso"] = LEVEL_WORDS[self.level]
        if self.source_types and self.applies("source_type"):
            query["lahdetyyppi"] = ",".join(self.source_types)
        if self.tags and self.applies("tags"):
            query["tunniste"] = ",".join(self.tags)
        return query

    @classmethod
    def from_query(
        cls,
        query: Mapping[str, str | Sequence[str]],
        work_streams: Sequence[WorkStream] = (),
        phases: Sequence[Phase] = (),
    ) -> tuple[TableQuery, list[Issue]]:
        """A query from URL parameters; a value that cannot be used is dropped with a warning
        (``invalid_parameter``, ``unknown_phase``), never an error page. ``phases``: the stored
        roadmap's (the default roadmap's when not given)."""
        params = Parameters(query)
        values = {
            **_reform_values(params, work_streams, phases),
            **data_filter_values(params),
        }
        return cls(**values), params.issues

    @classmethod
    def from_cli(
        cls,
        *,
        table: str = "status",
        areas: Iterable[str] = (),
        phase: int | str | None = None,
        work_stream: str | None = None,
        statuses: Iterable[str] = (),
        critical_only: bool = False,
        overdue_only: bool = False,
        risk_min: int | None = None,
        risk_max: int | None = None,
        as_of: str | None = None,
        since: str | None = None,
        search: str | None = None,
        work_streams: Sequence[WorkStream] = (),
        indicator: str | None = None,
        period_from: str | None = None,
        period_to: str | None = None,
        level: str | None = None,
        source_types: Iterable[str] = (),
        tags: Iterable[str] = (),
        phases: Sequence[Phase] = (),
    ) -> TableQuery:
        """A query from command-line values; raises ``SoteError`` (a usage error) for a value
        that names nothing: an unknown area, phase (one the roadmap of ``phases`` lacks, the
        default roadmap's when not given), work stream, status, date, period, level or source
        type (an unknown indicator is found when the table is built: the store knows them)."""
        issues: list[Issue] = []
        codes = _cli_areas(areas, issues)
        number = phase_number(str(phase), phases) if phase is not None else None
        if phase is not None and number is None:
            issues.append(phase_issue(phase, phases, name="--phase", warning=False))
        key = None
        if work_stream:
            key = work_stream_key(work_stream, work_streams) if work_streams else work_stream
            if key is None:
                issues.append(Issue("unknown_work_stream", params={"value": work_stream}))
        found = _cli_statuses(statuses, issues)
        days = _cli_days(as_of, since, issues)
        data = cli_data_filters(period_from, period_to, level, source_types, issues)
        if issues:
            raise SoteError(issues)
        return cls(
            table=table,
            areas=codes,
            phase=number,
            work_stream=key,
            statuses=found,
            critical_only=critical_only,
            overdue_only=overdue_only,
            risk_min=risk_min,
            risk_max=risk_max,
            as_of=days[0],
            since=days[1],
            search=(search or "").strip(),
            indicator=(indicator or "").strip() or None,
            tags=tag_words(list(tags)),
            **data,
        )


# --- reading URL parameters ---------------------------------------------------------------------


def _reform_values(
    params: Parameters, work_streams: Sequence[WorkStream], phases: Sequence[Phase]
) -> dict[str, Any]:
    """The dataset and the reform's filters (areas … search) of the URL."""
    values: dict[str, Any] = {}
    if (text := params.one("taulu")) is not None:
        table = dataset_key(text)
        if table is None:
            params.bad("taulu", text)
        else:
            values["table"] = table
    values["areas"] = params.area_codes("alue")
    if (phase := params.phase("vaihe", phases)) is not None:
        values["phase"] = phase
    if (stream := params.work_stream("ryhma", work_streams)) is not None:
        values["work_stream"] = stream
    values["statuses"] = params.statuses("tila")
    for name, key in (("kriittiset", "critical_only"), ("myohassa", "overdue_only")):
        if (flag := params.flag(name)) is not None:
            values[key] = flag
    if (text := params.one("riski")) is not None and text:
        parsed = parse_risk_range(text)
        if parsed is None:
            params.bad("riski", text)
        else:
            values["risk_min"], values["risk_max"] = parsed
    for name, key in (("pvm", "as_of"), ("vrt", "since")):
        if (found := params.day(name)) is not None:
            values[key] = found
    if (text := params.one("haku")) is not None:
        values["search"] = text
    return values


# --- reading command-line values ----------------------------------------------------------------


def _cli_areas(given: Iterable[str], issues: list[Issue]) -> tuple[str, ...]:
    codes: list[str] = []
    for text in (part.strip() for words in given for part in words.split(",")):
        if not text:
            continue
        code, problem = area_issue(text)
        if problem is not None:
            issues.append(problem)
        elif code not in codes:
            codes.append(code)  # type: ignore[arg-type]
    return tuple(codes)


def _cli_statuses(given: Iterable[str], issues: list[Issue]) -> tuple[str, ...]:
    found: list[str] = []
    for text in given:
        status = status_value(text)
        if status is None:
            issues.append(Issue("invalid_status", params={"value": text}))
        elif status not in found:
            found.append(status)
    return tuple(found)


def _cli_days(
    as_of: str | None, since: str | None, issues: list[Issue]
) -> tuple[date | None, date | None]:
    days: list[date | None] = []
    for text in (as_of, since):
        found = day(text)
        if text is not None and found is None:
            issues.append(Issue("invalid_date", params={"value": text}))
        days.append(found)
    return days[0], days[1]


# --- reading single values ----------------------------------------------------------------------


def dataset_key(text: str) -> str | None:
    """The dataset a URL or CLI word names: the key (``risks``) or its Finnish word (``riskit``)."""
    word = text.strip().casefold()
    if word in DATASETS:
        return word
    return next((key for key, slug in DATASETS.items() if slug == word), None)


def parse_risk_range(text: str) -> tuple[int | None, int | None] | None:
    """``15-25`` → (15, 25); ``15`` → (15, None); None when not a range within 1–25."""
    low_text, dash, high_text = text.strip().partition("-")
    try:
        low = int(low_text) if low_text.strip() else None
        high = int(high_text) if high_text.strip() else None
    except ValueError:
        return None
    if not dash:
        high = None
    for value in (low, high):
        if value is not None and not RISK_RANGE[0] <= value <= RISK_RANGE[1]:
            return None
    if low is not None and high is not None and low > high:
        return None
    return low, high


# --- dates and filters in words -----------------------------------------------------------------


def resolve_dates(query: TableQuery, sources: Sources) -> TableQuery:
    """``as_of`` defaults to the latest reporting date (today without reports); ``since`` of the
    changes to the reporting date before ``as_of``; the import history is as of its last load."""
    if query.table in UNDATED:
        return replace(query, as_of=None, since=None)
    dates = sorted(sources.reporting_dates)
    as_of = query.as_of
    if query.table == "imports":
        history = sources.imports
        moments = [] if history is None else [to_moment(v) for v in history["loaded_at"]]
        known = [m.date() for m in moments if m is not None]
        as_of = max(known) if known else default_as_of(dates)
    elif as_of is None:
        as_of = default_as_of(dates)
    since = query.since
    if query.table in ("changes", "moves", "metrics") and since is None:
        since = default_since(dates, as_of) or as_of
    return replace(query, as_of=as_of, since=since)
