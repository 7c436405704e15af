"""The app's datasets as filtered tables: one query, one pure function per dataset, one result.

The tables page, ``sote export`` and the downloads all go through ``build_table``, so a link, a
command line and a downloaded file with the same filters hold the same rows. A ``TableQuery`` is
read from URL parameters (``TableQuery.from_query``, Finnish names: ``taulu``, ``alue``, ``vaihe``,
``ryhma``, ``tila``, ``kriittiset``, ``myohassa``, ``riski``, ``pvm``, ``vrt``, ``haku``; for the
indicator and notes tables also ``indikaattori``, ``jaksosta``, ``jaksoon``, ``taso``,
``lahdetyyppi``, ``tunniste``: ``sotedata.views.tables_data``) or from the command line
(``TableQuery.from_cli``) and written back to the URL (``to_query``).

A built ``Table`` keeps its values typed (text, codes as text with their leading zeros, integers,
shares 0–1, dates), so that each writer (``sotedata.exports.files``) and the page can show them in
their own way without parsing numbers back out of text. Its columns carry Finnish headers that
``sote import`` recognises (``data/headers.csv``): an exported status table imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..domain import areas
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_date, fmt_number, fmt_percent, normalise_language, t
from ..domain.model import Status, WorkStream
from ..rules import metrics
from .tables_data import (
    INDICATORS_SPEC,
    LEVEL_WORDS,
    NOTES_SPEC,
    data_issues,
    describe_data_filters,
    indicators_table,
    level_value,
    notes_table,
    period_value,
    resolve_indicator,
    source_type_value,
    tag_words,
)

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
}
#: datasets that only administrators and the ministry see (the audit trail names people)
RESTRICTED: frozenset[str] = frozenset({"audit"})
#: which filters mean something for which dataset (the page shows only these)
FILTERS: Mapping[str, frozenset[str]] = {
    "status": frozenset(
        {"areas", "phase", "work_stream", "status", "critical", "overdue", "as_of", "search"}
    ),
    "metrics": frozenset({"areas", "phase", "work_stream", "critical", "as_of", "search"}),
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
#: the kinds of column a writer must know: how to type, format and align each value
KINDS = frozenset(
    {
        "code",
        "text",
        "int",
        "float",
        "number",
        "share",
        "share_change",
        "change",
        "date",
        "datetime",
        "bool",
    }
)
TRUE_WORDS = frozenset({"1", "true", "kylla", "kyllä", "k", "yes"})


@dataclass(frozen=True)
class Column:
    key: str
    kind: str
    header: str


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
            query["kriittiset"] = "1"
        if self.overdue_only and self.applies("overdue"):
            query["myohassa"] = "1"
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
        cls, query: Mapping[str, str | Sequence[str]], work_streams: Sequence[WorkStream] = ()
    ) -> tuple[TableQuery, list[Issue]]:
        """A query from URL parameters; a value that cannot be used is dropped with a warning
        (``invalid_parameter``), never an error page."""
        issues: list[Issue] = []
        values: dict[str, Any] = {}

        def bad(name: str, value: str) -> None:
            issues.append(
                Issue(
                    "invalid_parameter", severity="warning", params={"name": name, "value": value}
                )
            )

        def items(name: str) -> list[str]:
            raw = query.get(name)
            if raw is None:
                return []
            given = [raw] if isinstance(raw, str) else list(raw)
            return [part.strip() for text in given for part in text.split(",") if part.strip()]

        def one(name: str) -> str | None:
            raw = query.get(name)
            if raw is None:
                return None
            text = raw if isinstance(raw, str) else (raw[-1] if raw else "")
            return text.strip()

        if (text := one("taulu")) is not None:
            table = dataset_key(text)
            if table is None:
                bad("taulu", text)
            else:
                values["table"] = table
        codes = []
        for text in items("alue"):
            code = _area_code(text)
            if code is None:
                bad("alue", text)
            elif code not in codes:
                codes.append(code)
        values["areas"] = tuple(codes)
        if (text := one("vaihe")) is not None and text not in {"", "kaikki"}:
            if text in {"1", "2", "3"}:
                values["phase"] = int(text)
            else:
                bad("vaihe", text)
        if (text := one("ryhma")) is not None and text not in {"", "kaikki"}:
            key = work_stream_key(text, work_streams) if work_streams else text
            if key is None:
                bad("ryhma", text)
            else:
                values["work_stream"] = key
        found = []
        for text in items("tila"):
            status = status_value(text)
            if status is None:
                bad("tila", text)
            elif status not in found:
                found.append(status)
        values["statuses"] = tuple(found)
        if (text := one("kriittiset")) is not None:
            values["critical_only"] = text.casefold() in TRUE_WORDS
        if (text := one("myohassa")) is not None:
            values["overdue_only"] = text.casefold() in TRUE_WORDS
        if (text := one("riski")) is not None and text:
            parsed = parse_risk_range(text)
            if parsed is None:
                bad("riski", text)
            else:
                values["risk_min"], values["risk_max"] = parsed
        for name, key in (("pvm", "as_of"), ("vrt", "since")):
            if (text := one(name)) is not None and text:
                try:
                    values[key] = date.fromisoformat(text)
                except ValueError:
                    bad(name, text)
        if (text := one("haku")) is not None:
            values["search"] = text
        if text := one("indikaattori"):
            values["indicator"] = text
        for name, key in (("jaksosta", "period_from"), ("jaksoon", "period_to")):
            if text := one(name):
                if (period := period_value(text)) is None:
                    bad(name, text)
                else:
                    values[key] = period
        if (text := one("taso")) and text != "kaikki":
            if (level := level_value(text)) is None:
                bad("taso", text)
            else:
                values["level"] = level
        kinds: list[str] = []
        for text in items("lahdetyyppi"):
            if (kind := source_type_value(text)) is None:
                bad("lahdetyyppi", text)
            elif kind not in kinds:
                kinds.append(kind)
        values["source_types"] = tuple(kinds)
        values["tags"] = tag_words(items("tunniste"))
        return cls(**values), issues

    @classmethod
    def from_cli(
        cls,
        *,
        table: str = "status",
        areas: Iterable[str] = (),
        phase: int | None = None,
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
    ) -> TableQuery:
        """A query from command-line values; raises ``SoteError`` (a usage error) for a value
        that names nothing: an unknown area, work stream, status, date, period, level or source
        type (an unknown indicator is found when the table is built: the store knows them)."""
        issues: list[Issue] = []
        codes: list[str] = []
        for text in (part.strip() for given in areas for part in given.split(",")):
            if not text:
                continue
            code, problem = _area_issue(text)
            if problem is not None:
                issues.append(problem)
            elif code not in codes:
                codes.append(code)  # type: ignore[arg-type]
        key = None
        if work_stream:
            key = work_stream_key(work_stream, work_streams) if work_streams else work_stream
            if key is None:
                issues.append(Issue("unknown_work_stream", params={"value": work_stream}))
        found: list[str] = []
        for text in statuses:
            status = status_value(text)
            if status is None:
                issues.append(Issue("invalid_status", params={"value": text}))
            elif status not in found:
                found.append(status)
        days: dict[str, date | None] = {}
        for name, text in (("as_of", as_of), ("since", since)):
            days[name] = None
            if text is not None:
                try:
                    days[name] = date.fromisoformat(text.strip())
                except ValueError:
                    issues.append(Issue("invalid_date", params={"value": text}))
        periods: dict[str, str | None] = {}
        for name, text in (("period_from", period_from), ("period_to", period_to)):
            periods[name] = period_value(text) if text else None
            if text and periods[name] is None:
                issues.append(Issue("invalid_period", params={"value": text}))
        chosen_level = level_value(level) if level else None
        if level and chosen_level is None:
            issues.append(Issue("invalid_table_level", params={"value": level}))
        kinds: list[str] = []
        for text in (part.strip() for given in source_types for part in given.split(",")):
            if not text:
                continue
            if (kind := source_type_value(text)) is None:
                issues.append(Issue("invalid_source_type", params={"value": text}))
            elif kind not in kinds:
                kinds.append(kind)
        if issues:
            raise SoteError(issues)
        return cls(
            table=table,
            areas=tuple(codes),
            phase=phase,
            work_stream=key,
            statuses=tuple(found),
            critical_only=critical_only,
            overdue_only=overdue_only,
            risk_min=risk_min,
            risk_max=risk_max,
            as_of=days["as_of"],
            since=days["since"],
            search=(search or "").strip(),
            indicator=(indicator or "").strip() or None,
            period_from=periods["period_from"],
            period_to=periods["period_to"],
            level=chosen_level,
            source_types=tuple(kinds),
            tags=tag_words(list(tags)),
        )


# --- reading single values ----------------------------------------------------------------------


def dataset_key(text: str) -> str | None:
    """The dataset a URL or CLI word names: the key (``risks``) or its Finnish word (``riskit``)."""
    word = text.strip().casefold()
    if word in DATASETS:
        return word
    return next((key for key, slug in DATASETS.items() if slug == word), None)


def _area_issue(text: str) -> tuple[str | None, Issue | None]:
    found = areas.resolve(None, text) if text.isdigit() else areas.resolve(text)
    if not found.ok or found.area is None:
        issue = next((i for i in found.issues if i.severity == "error"), None)
        return None, issue or Issue("unknown_area", params={"text": text, "candidates": "–"})
    if not found.area.in_reform:
        return None, Issue("table_area_outside_reform", params={"area": found.area.short_fi})
    return found.area.code, None


def _area_code(text: str) -> str | None:
    return _area_issue(text)[0]


def work_stream_key(text: str, work_streams: Sequence[WorkStream]) -> str | None:
    """The key of the work stream ``text`` names: its key, or its name in any language."""
    wanted = areas.normalise_name(text)
    for stream in work_streams:
        names = (stream.key, stream.name_fi, stream.name_sv, stream.name_en)
        if wanted in {areas.normalise_name(name) for name in names}:
            return stream.key
    return None


def status_value(text: str) -> str | None:
    """A status from its value (``done``) or its label in any language (``Valmis``)."""
    from ..ingest.values import parse_status  # the one place that knows the status words

    word = text.strip()
    if word in {s.value for s in Status}:
        return word
    status = parse_status(word.replace("-", " "))
    return status.value if status is not None else None


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


# --- the tables ---------------------------------------------------------------------------------


@dataclass
class Table:
    """A dataset filtered and ready to show or write: typed values, Finnish headers, metadata."""

    query: TableQuery  # with ``as_of`` (and ``since`` for changes) filled in
    frame: pd.DataFrame  # one column per ``columns`` key, in that order
    columns: tuple[Column, ...]
    title: str
    example: bool = False
    issues: list[Issue] = field(default_factory=list)
    work_streams: tuple[WorkStream, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.frame)

    def headers(self) -> list[str]:
        return [column.header for column in self.columns]


@dataclass(frozen=True)
class Sources:
    """What the tables are built from: the store's frames, its import history and its facts."""

    frames: metrics.Frames
    imports: pd.DataFrame | None = None
    audit: pd.DataFrame | None = None  # only read for those who may see it
    reporting_dates: tuple[date, ...] = ()
    grants: pd.DataFrame | None = None  # the state-grant projects' rows (store.grants())
    population: Mapping[str, float] | None = None  # area code → inhabitants, for € per head
    example: bool = False
    indicators: pd.DataFrame | None = None  # store.indicators(), for the indicator table
    indicator_values: pd.DataFrame | None = None  # store.indicator_values(), oldest first
    notes: pd.DataFrame | None = None  # store.notes(), for the notes table


def _columns(specs: Sequence[tuple[str, str]], lang: str | None) -> tuple[Column, ...]:
    return tuple(Column(key, kind, t(f"tables.col.{key}", lang)) for key, kind in specs)


#: where the people reading the times are: imports and audit rows are stored in UTC
HELSINKI = "Europe/Helsinki"
#: how st.column_config writes a date and a time (its day.js-style tokens) in each language, the
#: same order as ``i18n.fmt_date``: "23.11.2026", "23 Nov 2026"
_COLUMN_DATE = {"fi": "D.M.YYYY", "sv": "D.M.YYYY", "en": "D MMM YYYY"}
_CLOCK = {"fi": ("%H.%M", "HH.mm"), "sv": ("%H.%M", "HH.mm"), "en": ("%H:%M", "HH:mm")}


def column_date_format(lang: str | None = None) -> str:
    """A page table's date column format (``st.column_config.DateColumn(format=...)``)."""
    return _COLUMN_DATE[normalise_language(lang)]


def column_datetime_format(lang: str | None = None) -> str:
    """A page table's date-and-time column format, the time as the language writes it."""
    lang = normalise_language(lang)
    return f"{_COLUMN_DATE[lang]} {_CLOCK[lang][1]}"


#: the kinds of number column whose cells ``format_cell`` writes
NUMBER_KINDS = frozenset({"int", "float", "number", "share", "share_change", "change"})
#: the most decimals a "number" cell (an indicator value, as the source gives it) is shown with
NUMBER_DECIMALS = 6


def format_cell(value: Any, kind: str, lang: str | None = None) -> str:
    """A number cell as a page table shows it, in the language's format ("1 234", "64,5 %",
    "+1,2 %"; English "1,234", "64.5%"), the sign written on a change; empty for none. The
    downloads keep real numbers: this is only what the eye reads."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    sign = "+" if kind in ("change", "share_change") and number > 0 else ""
    if kind in ("share", "share_change"):
        return sign + fmt_percent(number, 1, lang)
    if kind == "float":
        return fmt_number(number, 1, lang)
    if kind == "number":
        decimals = len(f"{number:.{NUMBER_DECIMALS}f}".rstrip("0").partition(".")[2])
        return fmt_number(number, decimals, lang)
    return sign + fmt_number(number, 0, lang)


def fmt_local_time(value: Any, lang: str | None = None) -> str:
    """A stored UTC moment as read in Finland: "23.11.2026 13.02" (English "23 Nov 2026 13:02");
    empty for none."""
    if value is None or pd.isna(value):
        return ""
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    local = moment.tz_convert(HELSINKI)
    lang = normalise_language(lang)
    return f"{fmt_date(local.date(), lang)} {local.strftime(_CLOCK[lang][0])}"


def _area_names(codes: Iterable[Any], lang: str | None) -> list[str]:
    registry = areas.by_code()
    return [
        registry[code].short(lang) if code in registry else t("tables.national", lang)
        for code in codes
    ]


def _search(frame: pd.DataFrame, text: str, columns: Sequence[str]) -> pd.DataFrame:
    """Rows where any of ``columns`` contains ``text`` (case and accents as written: ä ≠ a)."""
    needle = text.strip().casefold()
    if not needle or frame.empty:
        return frame
    keep = np.zeros(len(frame), dtype=bool)
    for column in columns:
        values = frame[column].astype(object).where(frame[column].notna(), "")
        keep |= np.array([needle in str(v).casefold() for v in values], dtype=bool)
    return frame[keep]


STATUS_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("measure_id", "text"),
    ("measure", "text"),
    ("phase", "int"),
    ("work_stream", "text"),
    ("critical", "bool"),
    ("deadline", "date"),
    ("status", "text"),
    ("reported_on", "date"),
    ("comment", "text"),
)


def status_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Every chosen area × measure with its status on ``query.as_of`` (the latest report on or
    before it; never reported → not started, no date)."""
    frames = sources.frames
    as_of = query.as_of or date.today()
    chosen = metrics.filter_measures(
        frames.measures,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
    )
    codes = list(query.areas) or list(areas.REFORM_CODES)
    statuses = metrics.status_as_of(chosen, frames.reports, as_of, sorted(codes))
    if query.statuses:
        statuses = statuses[statuses["status"].isin(query.statuses)]
    if query.overdue_only:
        deadline = pd.to_datetime(statuses["deadline"], errors="coerce")
        overdue = (
            (statuses["status"] != Status.NOT_APPLICABLE.value)
            & (statuses["status"] != Status.DONE.value)
            & (deadline < pd.Timestamp(as_of))
        )
        statuses = statuses[overdue.to_numpy()]
    names = dict(zip(chosen["measure_id"], chosen["name"], strict=True))
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    labels = {s.value: s.label(lang) for s in Status}
    frame = pd.DataFrame(
        {
            "area_code": statuses["area_code"].astype(str).to_numpy(),
            "area": _area_names(statuses["area_code"], lang),
            "measure_id": statuses["measure_id"].to_numpy(),
            "measure": [names.get(m) for m in statuses["measure_id"]],
            "phase": statuses["phase"].astype("int64").to_numpy(),
            "work_stream": [streams.get(w, w) for w in statuses["work_stream"]],
            "critical": statuses["critical"].astype(bool).to_numpy(),
            "deadline": [_day(d) for d in statuses["deadline"]],
            "status": [labels[s] for s in statuses["status"]],
            "reported_on": [_day(d) for d in statuses["reported_on"]],
            "comment": statuses["comment"].to_numpy(),
        }
    )
    return _search(
        frame, query.search, ["area", "measure_id", "measure", "work_stream", "status", "comment"]
    )


METRICS_SPEC = (
    ("code", "code"),
    ("area", "text"),
    *(
        (key, "share" if key in metrics.SHARE_COLUMNS else "int")
        for key in metrics.AREA_COLUMNS[1:]
    ),
)


def metrics_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The figures of each chosen area on ``query.as_of`` (``metrics.area_metrics``)."""
    frames = sources.frames
    codes = list(query.areas) or list(areas.REFORM_CODES)
    table = metrics.area_metrics(
        frames.measures,
        frames.reports,
        frames.risks,
        query.as_of or date.today(),
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
        areas=codes,
    )
    table.insert(1, "area", _area_names(table["code"], lang))
    table["max_risk"] = [None if pd.isna(v) else int(v) for v in table["max_risk"]]
    return _search(table, query.search, ["code", "area"]).reset_index(drop=True)


RISK_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("risk_id", "text"),
    ("risk", "text"),
    ("theme", "text"),
    ("likelihood", "int"),
    ("impact", "int"),
    ("score", "int"),
    ("mitigation", "text"),
    ("owner", "text"),
    ("reported_on", "date"),
)


def risks_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Each risk by its latest rating on or before ``query.as_of``, highest score first
    (national risks, which belong to no area, only when no area is chosen)."""
    risks = sources.frames.risks
    if risks is None or risks.empty:
        return pd.DataFrame(columns=[key for key, _ in RISK_SPEC])
    areas_or_none = risks["area_code"].astype(object)
    keyed = risks.assign(_area=areas_or_none.where(areas_or_none.notna(), ""))
    # metrics' own rule: the latest rating on or before the day, a closed risk left out
    latest = metrics._latest(keyed, ["_area", "risk_id"], query.as_of or date.today())
    if query.areas:
        latest = latest[latest["area_code"].isin(query.areas)]
    score = latest["likelihood"].astype("int64") * latest["impact"].astype("int64")
    if query.risk_min is not None:
        latest, score = latest[score >= query.risk_min], score[score >= query.risk_min]
    if query.risk_max is not None:
        latest, score = latest[score <= query.risk_max], score[score <= query.risk_max]
    latest = latest.assign(_score=score).sort_values(
        ["_score", "_area", "risk_id"], ascending=[False, True, True], kind="stable"
    )
    frame = pd.DataFrame(
        {
            "area_code": [c if isinstance(c, str) else None for c in latest["area_code"]],
            "area": _area_names(latest["area_code"], lang),
            "risk_id": latest["risk_id"].to_numpy(),
            "risk": latest["title"].to_numpy(),
            "theme": latest["theme"].to_numpy(),
            "likelihood": latest["likelihood"].astype("int64").to_numpy(),
            "impact": latest["impact"].astype("int64").to_numpy(),
            "score": latest["_score"].astype("int64").to_numpy(),
            "mitigation": latest["mitigation"].to_numpy(),
            "owner": latest["owner"].to_numpy(),
            "reported_on": [_day(d) for d in latest["reported_on"]],
        }
    )
    return _search(frame, query.search, ["area", "risk_id", "risk", "theme", "mitigation", "owner"])


ROADMAP_SPEC = (
    ("measure_id", "text"),
    ("measure", "text"),
    ("phase", "int"),
    ("work_stream", "text"),
    ("critical", "bool"),
    ("deadline", "date"),
)


def roadmap_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The roadmap's measures in roadmap order (overdue: the deadline is before ``as_of``)."""
    frames = sources.frames
    chosen = metrics.filter_measures(
        frames.measures,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
    )
    if query.overdue_only:
        deadline = pd.to_datetime(chosen["deadline"], errors="coerce")
        chosen = chosen[(deadline < pd.Timestamp(query.as_of or date.today())).to_numpy()]
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    frame = pd.DataFrame(
        {
            "measure_id": chosen["measure_id"].to_numpy(),
            "measure": chosen["name"].to_numpy(),
            "phase": chosen["phase"].astype("int64").to_numpy(),
            "work_stream": [streams.get(w, w) for w in chosen["work_stream"]],
            "critical": chosen["critical"].astype(bool).to_numpy(),
            "deadline": [_day(d) for d in chosen["deadline"]],
        }
    )
    return _search(frame, query.search, ["measure_id", "measure", "work_stream"])


def _changes_spec(lang: str | None) -> tuple[Column, ...]:
    columns = [
        Column("code", "code", t("tables.col.code", lang)),
        Column("area", "text", t("tables.col.area", lang)),
    ]
    for key, spec in metrics.METRICS.items():
        share = spec["kind"] == "share"
        label = t(f"tables.col.{key}", lang)
        columns += [
            Column(key, "share" if share else "int", t("tables.col.now", lang, metric=label)),
            Column(
                f"{key}_since",
                "share" if share else "int",
                t("tables.col.then", lang, metric=label),
            ),
            Column(
                f"{key}_change",
                "share_change" if share else "change",
                t("tables.col.change", lang, metric=label),
            ),
        ]
    return tuple(columns)


def changes_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Each chosen area's figures on ``as_of`` and on ``since`` and the change between them."""
    frames = sources.frames
    as_of = query.as_of or date.today()
    table = metrics.change_since(
        frames.measures,
        frames.reports,
        frames.risks,
        as_of,
        query.since or as_of,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
        areas=list(query.areas) or list(areas.REFORM_CODES),
    )
    table.insert(1, "area", _area_names(table["code"], lang))
    for key, spec in metrics.METRICS.items():
        if spec["kind"] == "count":
            for column in (key, f"{key}_since", f"{key}_change"):
                table[column] = [None if pd.isna(v) else int(v) for v in table[column]]
    return _search(table, query.search, ["code", "area"]).reset_index(drop=True)


MOVES_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("measure_id", "text"),
    ("measure", "text"),
    ("phase", "int"),
    ("work_stream", "text"),
    ("critical", "bool"),
    ("deadline", "date"),
    ("from_status", "text"),
    ("to_status", "text"),
    ("reported_on", "date"),
)


def moves_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Each area × measure whose status on ``as_of`` differs from its status on ``since``
    (``sotedata.rules.changes.status_changes``); the status filter picks the new status."""
    from ..rules.changes import status_changes

    as_of = query.as_of or date.today()
    since = query.since or as_of
    if since > as_of:
        since, as_of = as_of, since  # a comparison date after the as-of date: the same span
    frames = sources.frames
    chosen = metrics.filter_measures(
        frames.measures,
        phase=query.phase,
        work_stream=query.work_stream,
        critical_only=query.critical_only,
    )
    moved = status_changes(replace_frames(frames, chosen), since, as_of)
    if query.areas:
        moved = moved[moved["area_code"].isin(query.areas)]
    if query.statuses:
        moved = moved[moved["to_status"].isin(query.statuses)]
    streams = {ws.key: ws.name(lang) for ws in frames.work_streams}
    labels = {s.value: s.label(lang) for s in Status}
    frame = pd.DataFrame(
        {
            "area_code": moved["area_code"].astype(str).to_numpy(),
            "area": _area_names(moved["area_code"], lang),
            "measure_id": moved["measure_id"].to_numpy(),
            "measure": moved["name"].to_numpy(),
            "phase": moved["phase"].astype("int64").to_numpy(),
            "work_stream": [streams.get(w, w) for w in moved["work_stream"]],
            "critical": moved["critical"].astype(bool).to_numpy(),
            "deadline": [_day(d) for d in moved["deadline"]],
            "from_status": [labels[s] for s in moved["from_status"]],
            "to_status": [labels[s] for s in moved["to_status"]],
            "reported_on": [_day(d) for d in moved["reported_on"]],
        }
    )
    return _search(
        frame, query.search, ["area", "measure_id", "measure", "work_stream", "to_status"]
    )


def replace_frames(frames: metrics.Frames, measures: pd.DataFrame) -> metrics.Frames:
    """``frames`` with only ``measures`` (the phase, work stream and critical filters)."""
    return replace(frames, measures=measures)


IMPORTS_SPEC = (
    ("import_id", "int"),
    ("loaded_at", "datetime"),
    ("kind", "text"),
    ("source", "text"),
    ("row_count", "int"),
    ("imported_by", "text"),
    ("import_status", "text"),
    ("reverted_at", "datetime"),
)


def _on_or_after(frame: pd.DataFrame, moments: list[Any], since: date | None) -> pd.DataFrame:
    """The rows whose moment falls on or after the day ``since`` (all without it)."""
    if since is None:
        return frame
    keep = [m is not None and m.date() >= since for m in moments]
    return frame[np.array(keep, dtype=bool)]


def imports_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The import history, newest first (``since``: loaded on or after that day)."""
    history = sources.imports
    if history is None or history.empty:
        return pd.DataFrame(columns=[key for key, _ in IMPORTS_SPEC])
    loaded = [_moment(v) for v in history["loaded_at"]]
    frame = pd.DataFrame(
        {
            "import_id": history["id"].astype("int64").to_numpy(),
            "loaded_at": loaded,
            "kind": [t(f"tables.import_kind.{k}", lang) for k in history["kind"]],
            "source": [
                f if isinstance(f, str) and f else s
                for f, s in zip(history["file_name"], history["source"], strict=True)
            ],
            "row_count": history["row_count"].astype("int64").to_numpy(),
            "imported_by": history["imported_by"].to_numpy(),
            "import_status": [t(f"tables.import_status.{s}", lang) for s in history["status"]],
            "reverted_at": [_moment(v) for v in history["reverted_at"]],
        }
    )
    frame = _on_or_after(frame, loaded, query.since).iloc[::-1]
    return _search(frame, query.search, ["kind", "source", "imported_by", "import_status"])


AUDIT_SPEC = (
    ("at", "datetime"),
    ("actor", "text"),
    ("channel", "text"),
    ("action", "text"),
    ("target", "text"),
    ("details", "text"),
)


def audit_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """The audit trail, newest first (``since``: on or after that day)."""
    log = sources.audit
    if log is None or log.empty:
        return pd.DataFrame(columns=[key for key, _ in AUDIT_SPEC])
    moments = [_moment(v) for v in log["at"]]
    frame = pd.DataFrame(
        {
            "at": moments,
            "actor": log["actor"].to_numpy(),
            "channel": log["channel"].to_numpy(),
            "action": [t(f"admin.action.{a}", lang) for a in log["action"]],
            "target": log["target"].to_numpy(),
            "details": log["details"].to_numpy(),
        }
    )
    frame = _on_or_after(frame, moments, query.since)
    return _search(frame, query.search, ["actor", "action", "target", "details"])


GRANTS_SPEC = (
    ("area_code", "code"),
    ("area", "text"),
    ("projects", "int"),
    ("granted", "int"),
    ("spent", "int"),
    ("spent_share", "share"),
    ("population", "int"),
    ("granted_per_inhabitant", "float"),
    ("spent_per_inhabitant", "float"),
)


def grants_table(sources: Sources, query: TableQuery, lang: str | None = None) -> pd.DataFrame:
    """Granted and spent € per area on ``query.as_of`` (each project by its latest row), the
    spent share and € per inhabitant where a population is known (``grants.area_totals``)."""
    from ..rules import grants

    frame = sources.grants if sources.grants is not None else pd.DataFrame()
    totals = grants.area_totals(frame, query.as_of, sources.population)
    if query.areas:
        totals = totals[totals["area_code"].isin(query.areas)]
    totals.insert(1, "area", _area_names(totals["area_code"], lang))
    for column in ("granted", "spent", "population"):
        totals[column] = [None if pd.isna(v) else round(float(v)) for v in totals[column]]
    return _search(totals, query.search, ["area_code", "area"]).reset_index(drop=True)


def _day(value: Any) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _moment(value: Any) -> datetime | None:
    """A naive UTC datetime to the second (spreadsheets know no time zones)."""
    if value is None or (not isinstance(value, datetime) and pd.isna(value)):
        return None
    moment = pd.Timestamp(value)
    if moment.tzinfo is not None:
        moment = moment.tz_convert("UTC").tz_localize(None)
    return moment.to_pydatetime().replace(microsecond=0)


BUILDERS: Mapping[
    str,
    tuple[Callable[[Sources, TableQuery, str | None], pd.DataFrame], tuple[tuple[str, str], ...]],
] = {
    "status": (status_table, STATUS_SPEC),
    "metrics": (metrics_table, METRICS_SPEC),
    "risks": (risks_table, RISK_SPEC),
    "roadmap": (roadmap_table, ROADMAP_SPEC),
    "changes": (changes_table, ()),
    "moves": (moves_table, MOVES_SPEC),
    "imports": (imports_table, IMPORTS_SPEC),
    "grants": (grants_table, GRANTS_SPEC),
    "indicators": (indicators_table, INDICATORS_SPEC),
    "notes": (notes_table, NOTES_SPEC),
    "audit": (audit_table, AUDIT_SPEC),
}
#: the datasets that are not a picture on a date: no as-of or comparison date applies
UNDATED = frozenset({"indicators", "notes"})


def resolve_dates(query: TableQuery, sources: Sources) -> TableQuery:
    """``as_of`` defaults to the latest reporting date (today without reports); ``since`` of the
    changes to the reporting date before ``as_of``; the import history is as of its last load."""
    if query.table in UNDATED:
        return replace(query, as_of=None, since=None)
    dates = sorted(sources.reporting_dates)
    as_of = query.as_of
    if query.table == "imports":
        history = sources.imports
        moments = [] if history is None else [_moment(v) for v in history["loaded_at"]]
        known = [m.date() for m in moments if m is not None]
        as_of = max(known) if known else (dates[-1] if dates else date.today())
    elif as_of is None:
        as_of = dates[-1] if dates else date.today()
    since = query.since
    if query.table in ("changes", "moves") and since is None:
        earlier = [d for d in dates if d < as_of]
        since = earlier[-1] if earlier else as_of
    return replace(query, as_of=as_of, since=since)


def build_table(query: TableQuery, sources: Sources, lang: str | None = None) -> Table:
    """The dataset of ``query`` with its filters applied: what the page shows and every export
    writes."""
    query = resolve_dates(query, sources)
    issues: list[Issue] = []
    if query.work_stream and query.applies("work_stream"):
        known = {ws.key for ws in sources.frames.work_streams}
        if query.work_stream not in known:
            issues.append(Issue("unknown_work_stream", params={"value": query.work_stream}))
            title = t(f"tables.name.{query.table}", lang)
            return Table(query, pd.DataFrame(), (), title, issues=issues)
    if query.table in UNDATED:
        query = resolve_indicator(query, sources.indicators)
        issues += data_issues(query, sources)
        if issues:
            title = t(f"tables.name.{query.table}", lang)
            return Table(query, pd.DataFrame(), (), title, issues=issues)
    builder, spec = BUILDERS[query.table]
    columns = _changes_spec(lang) if query.table == "changes" else _columns(spec, lang)
    frame = builder(sources, query, lang)
    frame = frame.reindex(columns=[c.key for c in columns]).reset_index(drop=True)
    return Table(
        query=query,
        frame=frame,
        columns=columns,
        title=t(f"tables.name.{query.table}", lang),
        example=sources.example,
        issues=issues,
        work_streams=sources.frames.work_streams,
    )


def describe_filters(table: Table, lang: str | None = None) -> list[str]:
    """The filters in words, for the metadata sheet ("Alueet: Lappi, Kainuu")."""
    query = table.query
    streams = {ws.key: ws.name(lang) for ws in table.work_streams}
    parts: list[str] = []
    if query.areas and query.applies("areas"):
        parts.append(
            t("tables.filter.areas", lang, value=", ".join(_area_names(query.areas, lang)))
        )
    if query.phase is not None and query.applies("phase"):
        parts.append(t("tables.filter.phase", lang, value=t(f"phase.{query.phase}", lang)))
    if query.work_stream and query.applies("work_stream"):
        name = streams.get(query.work_stream, query.work_stream)
        parts.append(t("tables.filter.work_stream", lang, value=name))
    if query.statuses and query.applies("status"):
        labels = ", ".join(Status(s).label(lang) for s in query.statuses)
        parts.append(t("tables.filter.status", lang, value=labels))
    if query.critical_only and query.applies("critical"):
        parts.append(t("tables.filter.critical", lang))
    if query.overdue_only and query.applies("overdue"):
        parts.append(t("tables.filter.overdue", lang))
    if (query.risk_min is not None or query.risk_max is not None) and query.applies("risk"):
        low = query.risk_min if query.risk_min is not None else RISK_RANGE[0]
        high = query.risk_max if query.risk_max is not None else RISK_RANGE[1]
        parts.append(t("tables.filter.risk", lang, low=low, high=high))
    if query.since is not None and query.applies("since"):
        parts.append(t("tables.filter.since", lang, value=fmt_date(query.since, lang)))
    parts += describe_data_filters(table, lang)
    if query.search.strip() and query.applies("search"):
        parts.append(t("tables.filter.search", lang, value=query.search.strip()))
    return parts


def with_grants(sources: Sources, store: Any) -> Sources:
    """``sources`` with the grants and the population they are divided by, read only for the
    grants table (every other table would pay for them on each build)."""
    from ..rules.grants import population_by_area

    return replace(sources, grants=store.grants(), population=population_by_area(store)[0])


def with_table_data(sources: Sources, store: Any, table: str) -> Sources:
    """``sources`` with what only one table needs (grants, indicators, notes) read for it."""
    from .tables_data import with_indicators, with_notes

    if table == "grants":
        return with_grants(sources, store)
    if table == "indicators":
        return with_indicators(sources, store)
    if table == "notes":
        return with_notes(sources, store)
    return sources


def sources_from_store(store: Any, *, audit: bool = False, grants: bool = False) -> Sources:
    """Everything ``build_table`` needs, read from a ``Store`` (the CLI; the page caches it);
    the audit trail only when asked for (``audit``: the person may see it), the grants only for
    the grants table (``grants``)."""
    from ..store.people import audit_log

    sources = Sources(
        frames=metrics.load_frames(store),
        imports=store.imports(),
        audit=audit_log(store) if audit else None,
        reporting_dates=tuple(store.reporting_dates()),
        example=store.is_example(),
    )
    return with_grants(sources, store) if grants else sources
