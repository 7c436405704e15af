"""The roadmap and what the areas report against it: plain values for the store, CLI and pages.

The roadmap (tiekartta) has measures (toimenpiteet) in three phases and in work streams
(valmisteluryhmät). An area reports a status for each measure, again and again; every report is
kept, so the picture on any date can be rebuilt. Risks are rated the same way. The frame of the
roadmap (phases and the default work streams) is data: ``data/roadmap_default.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import NamedInThreeLanguages, t

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd

_DATA = Path(__file__).resolve().parents[1] / "data"

#: a risk with likelihood × impact at least this is "high" (the red cells of a 5 × 5 matrix)
HIGH_RISK_SCORE = 15
RISK_SCALE = range(1, 6)


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELAYED = "delayed"  # begun, but behind its schedule
    NOT_APPLICABLE = "not_applicable"  # leaves every count and denominator

    def label(self, lang: str | None = None) -> str:
        return t(f"status.{self.value}", lang)


#: begun in any way: a delayed measure has been started, and a done one was started before
STARTED: frozenset[Status] = frozenset({Status.IN_PROGRESS, Status.DELAYED, Status.DONE})


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True)
class Phase:
    number: int
    start: date
    end: date

    def name(self, lang: str | None = None) -> str:
        return t(f"phase.{self.number}", lang)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class WorkStream(NamedInThreeLanguages):
    key: str  # a short slug used in URLs and files: "hallinto", "ict"
    name_fi: str
    name_sv: str
    name_en: str


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    phase: int
    work_stream: str
    critical: bool
    deadline: date | None  # None: a continuous task that can never be overdue


MEASURE_COLUMNS = ["measure_id", "name", "phase", "work_stream", "critical", "deadline"]


@dataclass(frozen=True)
class Roadmap:
    phases: tuple[Phase, ...]
    work_streams: tuple[WorkStream, ...]
    measures: tuple[Measure, ...] = ()

    def __post_init__(self) -> None:
        # a measure pointing at a phase or stream that does not exist would vanish from every figure
        phases = {p.number for p in self.phases}
        streams = {w.key for w in self.work_streams}
        seen: set[str] = set()
        for measure in self.measures:
            if measure.id in seen:
                raise ValueError(f"measure id {measure.id!r} appears twice")
            seen.add(measure.id)
            if measure.phase not in phases:
                raise ValueError(f"measure {measure.id}: unknown phase {measure.phase}")
            if measure.work_stream not in streams:
                raise ValueError(
                    f"measure {measure.id}: unknown work stream {measure.work_stream!r}"
                )

    def measures_frame(self) -> pd.DataFrame:
        """The measures in roadmap order, the shape every metric takes as input."""
        import pandas as pd

        rows = [
            (m.id, m.name, m.phase, m.work_stream, m.critical, m.deadline) for m in self.measures
        ]
        frame = pd.DataFrame(rows, columns=MEASURE_COLUMNS)
        return frame.astype(
            {"measure_id": object, "name": object, "phase": "int64", "critical": bool}
        )

    def phase(self, number: int) -> Phase:
        return next(p for p in self.phases if p.number == number)

    def work_stream(self, key: str) -> WorkStream:
        return next(w for w in self.work_streams if w.key == key)


@cache
def _default_frame() -> dict:
    return json.loads((_DATA / "roadmap_default.json").read_text(encoding="utf-8"))


def default_phases() -> tuple[Phase, ...]:
    return tuple(
        Phase(int(p["number"]), _as_date(p["start"]), _as_date(p["end"]))
        for p in _default_frame()["phases"]
    )


def default_work_streams() -> tuple[WorkStream, ...]:
    return tuple(
        WorkStream(w["key"], w["name_fi"], w["name_sv"], w["name_en"])
        for w in _default_frame()["work_streams"]
    )


def default_roadmap(measures: Iterable[Measure] = ()) -> Roadmap:
    """The standard phases and work streams around ``measures``."""
    return Roadmap(default_phases(), default_work_streams(), tuple(measures))


@dataclass(frozen=True)
class StatusReport:
    area_code: str
    measure_id: str
    status: Status
    reported_on: date
    comment: str | None = None

    def __post_init__(self) -> None:
        # "valmis" or a typo must fail here, before it can reach a count; a Status is one already
        # (the fast path: an import builds tens of thousands of reports from parsed statuses)
        if type(self.status) is not Status:
            object.__setattr__(self, "status", Status(self.status))

    @classmethod
    def checked(
        cls,
        area_code: str,
        measure_id: str,
        status: Status,
        reported_on: date,
        comment: str | None = None,
    ) -> StatusReport:
        """A report from values that were already checked (``status`` is a ``Status``): the same
        object as ``StatusReport(...)``, built without the frozen dataclass's per-field setattr
        and the status check, for the importer's fast path (tens of thousands of rows a file)."""
        report = object.__new__(cls)
        report.__dict__.update(
            area_code=area_code,
            measure_id=measure_id,
            status=status,
            reported_on=reported_on,
            comment=comment,
        )
        return report


@dataclass(frozen=True)
class RiskRating:
    area_code: str | None  # None: a national risk, not any one area's
    risk_id: str
    title: str
    theme: str
    likelihood: int
    impact: int
    mitigation: str | None
    owner: str | None
    reported_on: date
    closed: bool = False  # the area closed the risk on this date; it counts no more after it

    def __post_init__(self) -> None:
        for name in ("likelihood", "impact"):
            if getattr(self, name) not in RISK_SCALE:
                raise ValueError(
                    f"risk {self.risk_id}: {name} must be 1–5, not {getattr(self, name)}"
                )

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def high(self) -> bool:
        return self.score >= HIGH_RISK_SCORE
