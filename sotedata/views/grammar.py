"""The one grammar of URL parameters and command-line filters: what a yes, a date, a phase, an
area, a work stream and a status may be written as, for every page, the tables and ``sote``.

Each page's parameters (``NationalParams``, ``RisksParams``, the area page's filters, the
tables' ``TableQuery``, meeting mode, the comparison date) are read with these functions, so a
word that works in one link works in every other, and the command line refuses what a link
warns about with the same issue. What the app *writes* stays canonical (``1``, ISO dates, codes).

The yes words are the domain's (``domain.switches``, a vocabulary in ``data/yes_words.csv``) so
that the settings share them. Phases are the roadmap's, never a fixed list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from ..domain import areas
from ..domain.errors import Issue
from ..domain.model import Phase, Status, WorkStream, default_phases
from ..domain.switches import is_yes
from ..ingest.values import parse_status  # the one place that knows the status words

_DATA = Path(__file__).resolve().parent.parent / "data"
#: a filter's value that means "not filtered" (the link of a select box left at "all")
ALL_WORDS = frozenset({"", "kaikki"})
#: the written form of yes: what the app puts in the URLs it writes
YES = "1"


def is_all(text: str | None) -> bool:
    """The value leaves the filter open (``?vaihe=kaikki`` or empty)."""
    return text is not None and text.strip().casefold() in ALL_WORDS


def day(text: str | None) -> date | None:
    """An ISO date (``2022-06-15``), else None."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def phase_number(text: str | None, phases: Sequence[Phase] = ()) -> int | None:
    """The number of one of the roadmap's phases (the default roadmap's when none are given)."""
    if text is None:
        return None
    known = {p.number for p in (phases or default_phases())}
    word = text.strip()
    return int(word) if word.isdigit() and int(word) in known else None


def phase_issue(value: object, phases: Sequence[Phase] = (), *, name: str, warning: bool) -> Issue:
    """A phase the roadmap does not have, naming the ones it has: a warning for a link (the
    value is dropped), an error for the command line (nothing is exported)."""
    numbers = ", ".join(str(p.number) for p in sorted(phases or default_phases(), key=_number))
    return Issue(
        "unknown_phase",
        severity="warning" if warning else "error",
        params={"name": name, "value": str(value), "phases": numbers},
    )


def _number(phase: Phase) -> int:
    return phase.number


def _resolve(text: str) -> areas.Resolution:
    return areas.resolve(None, text) if text.isdigit() else areas.resolve(text)


def area_named(text: str) -> areas.Area | None:
    """The area a code or name means, in the reform or not (``alue=Ahvenanmaa`` on the area
    page, which says the area is outside the reform), else None."""
    return _resolve(text.strip()).area


def area_issue(text: str) -> tuple[str | None, Issue | None]:
    """The code of a reform area that a code or name means, or the issue why none."""
    found = _resolve(text)
    if not found.ok or found.area is None:
        issue = next((i for i in found.issues if i.severity == "error"), None)
        return None, issue or Issue("unknown_area", params={"text": text, "candidates": "–"})
    if not found.area.in_reform:
        return None, Issue("table_area_outside_reform", params={"area": found.area.short_fi})
    return found.area.code, None


def area_code(text: str) -> str | None:
    """The code of a reform area that a code or name means (``Lappi`` → 21), else None."""
    return area_issue(text)[0]


def work_stream_key(text: str, work_streams: Sequence[WorkStream | str]) -> str | None:
    """The key of the work stream ``text`` names: its key, or its name in any language (a
    stream given only as its key is matched by the key)."""
    wanted = areas.normalise_name(text)
    for stream in work_streams:
        if isinstance(stream, str):
            names: tuple[str, ...] = (stream,)
        else:
            names = (stream.key, stream.name_fi, stream.name_sv, stream.name_en)
        if wanted in {areas.normalise_name(name) for name in names}:
            return stream if isinstance(stream, str) else stream.key
    return None


def status_value(text: str) -> str | None:
    """A status from its value (``done``) or its label in any language (``Valmis``)."""
    word = text.strip()
    if word in {s.value for s in Status}:
        return word
    status = parse_status(word.replace("-", " "))
    return status.value if status is not None else None


def split_items(given: Iterable[str]) -> list[str]:
    """Comma lists, repeated or not (``alue=21,19&alue=Lappi``), as their stripped parts."""
    return [part.strip() for text in given for part in text.split(",") if part.strip()]


class Parameters:
    """URL parameters being read, and a warning for each value that could not be used (a link
    never fails: a bad value is dropped, ``invalid_parameter``)."""

    def __init__(self, query: Mapping[str, str | Sequence[str] | None]) -> None:
        self.query = query
        self.issues: list[Issue] = []

    def bad(self, name: str, value: str) -> None:
        self.issues.append(
            Issue("invalid_parameter", severity="warning", params={"name": name, "value": value})
        )

    def items(self, name: str) -> list[str]:
        raw = self.query.get(name)
        if raw is None:
            return []
        return split_items([raw] if isinstance(raw, str) else list(raw))

    def one(self, name: str) -> str | None:
        raw = self.query.get(name)
        if raw is None:
            return None
        text = raw if isinstance(raw, str) else (raw[-1] if raw else "")
        return text.strip()

    # --- each kind of value, read the same way on every page ----------------------------------

    def flag(self, name: str) -> bool | None:
        """A switch: None when absent, else yes or no."""
        text = self.one(name)
        return None if text is None else is_yes(text)

    def day(self, name: str) -> date | None:
        text = self.one(name)
        if not text:
            return None
        found = day(text)
        if found is None:
            self.bad(name, text)
        return found

    def phase(self, name: str, phases: Sequence[Phase] = ()) -> int | None:
        text = self.one(name)
        if text is None or is_all(text):
            return None
        number = phase_number(text, phases)
        if number is None:
            self.issues.append(phase_issue(text, phases, name=name, warning=True))
        return number

    def work_stream(self, name: str, work_streams: Sequence[WorkStream | str]) -> str | None:
        """A work stream's key; with no streams known, the word as given (checked later)."""
        text = self.one(name)
        if text is None or is_all(text):
            return None
        key = work_stream_key(text, work_streams) if work_streams else text
        if key is None:
            self.bad(name, text)
        return key

    def statuses(self, name: str) -> tuple[str, ...]:
        found: list[str] = []
        for text in self.items(name):
            status = status_value(text)
            if status is None:
                self.bad(name, text)
            elif status not in found:
                found.append(status)
        return tuple(found)

    def area_codes(self, name: str) -> tuple[str, ...]:
        codes: list[str] = []
        for text in self.items(name):
            code = area_code(text)
            if code is None:
                self.bad(name, text)
            elif code not in codes:
                codes.append(code)
        return tuple(codes)
