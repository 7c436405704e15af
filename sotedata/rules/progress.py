"""The words of a roadmap's progress that both the area views (which compute it) and the area
charts (which draw it) must agree on: which statuses a progress bar stacks, which lines the
progress chart draws and what a key date of the roadmap is.

They live here, below both, because a chart may not import a view (charts sit below views).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.model import Status

#: the statuses a progress bar shows, in stack order (not applicable leaves the denominator)
PROGRESS_STATUSES: tuple[str, ...] = (
    Status.DONE.value,
    Status.IN_PROGRESS.value,
    Status.DELAYED.value,
    Status.NOT_STARTED.value,
)

#: the lines of the progress-over-time chart: the area, the national median, the roadmap's plan
PROGRESS_SERIES: tuple[str, ...] = ("area", "median", "plan")


@dataclass(frozen=True)
class KeyDate:
    day: date
    date_text: str
    name: str  # what happened that day ("" when the roadmap's milestone has no message)

    @property
    def label(self) -> str:
        return f"{self.date_text} {self.name}".strip()
