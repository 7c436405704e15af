"""The area page's URL parameters (``alue`` aside): the as-of and comparison dates and the
measures table's filters, read with the one grammar (``grammar``) like every other page's.

``?pvm=2022-06-15&vrt=2022-03-15&vaihe=3&ryhma=ict&tila=delayed,done&kriittiset=kyllä
&myohassa=1&haku=ICT&solu=4-5``: a value that names nothing is dropped with a warning. The page
writes them back in their canonical words as its widgets change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..domain.errors import Issue
from ..domain.model import Phase, WorkStream
from .grammar import Parameters


@dataclass(frozen=True)
class AreaFilters:
    """What a link asks the area page to show; ``None``/empty means "not filtered"."""

    as_of: date | None = None
    since: date | None = None
    phase: int | None = None
    work_stream: str | None = None
    statuses: tuple[str, ...] = ()
    critical_only: bool = False
    overdue_only: bool = False
    text: str = ""
    cell: str = ""  # a risk cell "likelihood-impact", checked against the matrix where drawn


def area_filters_from_query(
    query: Mapping[str, str | Sequence[str] | None],
    work_streams: Sequence[WorkStream | str],
    phases: Sequence[Phase] = (),
) -> tuple[AreaFilters, list[Issue]]:
    """The area page's view from its URL; ``phases``: the stored roadmap's."""
    given = Parameters(query)
    filters = AreaFilters(
        as_of=given.day("pvm"),
        since=given.day("vrt"),
        phase=given.phase("vaihe", phases),
        work_stream=given.work_stream("ryhma", work_streams),
        statuses=given.statuses("tila"),
        critical_only=bool(given.flag("kriittiset")),
        overdue_only=bool(given.flag("myohassa")),
        text=given.one("haku") or "",
        cell=given.one("solu") or "",
    )
    return filters, given.issues
