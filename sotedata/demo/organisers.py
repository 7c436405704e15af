"""Example handover reports of the organisers for ``sote demo`` (issue 20 item 4).

The registry itself is the shipped one (``domain/organisers.py``); the example adds one report
per organiser × handover topic on each of the example's reporting dates (monthly, 2022). It is
built on what the store already holds, so an organiser keeps its areas' pace: its handover moves
with the share of measures its areas have done (an organiser of several areas, with their
mean), agreements first and assets and liabilities last, each organiser a little ahead or
behind. Once done, a topic stays done; a topic still open in the second half of the year in an
area far behind the national median is reported delayed. Deterministic for a seed, and stored
through the import path under the example data's name, so the pages label it example data.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Sequence
from datetime import date

from ..domain.model import Status, StatusReport
from ..domain.organisers import OrganiserReport, Registry, shipped, topics
from ..ingest.report import ParsedFile, SheetInfo
from ..store.engine import Store
from ..store.holdings import DEMO_SOURCE
from . import history as history_rows

#: how far ahead of an organiser's own progress each topic runs, in the topics' order
TOPIC_LEAD = (0.1, 0.0, -0.05, -0.15, -0.25)
#: progress at which a topic counts as begun, and as done
BEGUN, DONE = 0.1, 0.8


def _shares_by_date(history: Sequence[history_rows.Row]) -> dict[date, dict[str, float]]:
    """Each area's share of measures done on each reporting date of the reports (one pass over
    the history, oldest first)."""
    latest: dict[tuple[str, str], bool] = {}
    shares: dict[date, dict[str, float]] = {}
    days = [row[0] for row in history]
    for index, (day, area, measure, status) in enumerate(history):
        latest[(area, measure)] = status == "done"
        following = days[index + 1] if index + 1 < len(days) else None
        if following != day:  # the last report of a date: the shares on it
            done: dict[str, list[bool]] = {}
            for (code, _), is_done in latest.items():
                done.setdefault(code, []).append(is_done)
            shares[day] = {code: sum(flags) / len(flags) for code, flags in done.items()}
    return shares


def build_organiser_reports(
    store: Store,
    seed: int = 2021,
    registry: Registry | None = None,
    *,
    reports: Sequence[StatusReport] | None = None,
) -> list[OrganiserReport]:
    """The example reports for the areas' progress stored in ``store`` (``reports``: the status
    reports it holds, when the caller has just stored them, so they need not be read back)."""
    rng = random.Random(f"organisers-{seed}")
    registry = registry or shipped()
    history = history_rows.stored(store) if reports is None else history_rows.of_reports(reports)
    shares = _shares_by_date(history)
    if not shares:
        return []
    # progress from where the slowest area stood at the first report to where the fastest ended
    base = min(shares[min(shares)].values(), default=0.0)
    final = max(max(values.values(), default=0.0) for values in shares.values())
    span = (final - base) or 1.0
    leads = dict(zip((t.key for t in topics()), TOPIC_LEAD, strict=False))
    reports: list[OrganiserReport] = []
    for organiser in registry.organisers:
        codes = organiser.area_codes
        own = rng.uniform(-0.12, 0.12)
        done_topics: set[str] = set()
        for index, (day, values) in enumerate(sorted(shares.items())):
            median = statistics.median(values.values()) if values else 0.0
            mine = [values.get(code, 0.0) for code in codes] or [0.0]
            progress = sum(mine) / len(mine)
            for topic, lead in leads.items():
                score = 1.1 * (progress - base) / span + lead + own - 0.05
                if topic in done_topics or score >= DONE:
                    done_topics.add(topic)
                    status = Status.DONE
                elif score < BEGUN:
                    status = Status.NOT_STARTED
                elif index >= len(shares) // 2 and progress < 0.9 * median:
                    status = Status.DELAYED
                else:
                    status = Status.IN_PROGRESS
                reports.append(OrganiserReport(organiser.id, topic, status, day))
    return reports


def add_organiser_examples(
    store: Store, seed: int = 2021, *, reports: Sequence[StatusReport] | None = None
) -> int | None:
    """Store the example organiser reports as one import (after the example status reports,
    inside ``load_demo``'s transaction, with the ``reports`` it stored); its id, or None when
    the store has no reports."""
    organiser_reports = build_organiser_reports(store, seed, reports=reports)
    if not organiser_reports:
        return None
    parsed = ParsedFile(
        DEMO_SOURCE,  # named like the rest of the example data, so it is labelled as such
        None,  # no file digest: example data came from no file
        sheets=[SheetInfo("Järjestäjät", "organiser_status", len(organiser_reports))],
        organiser_reports=organiser_reports,
    )
    return store.save_import(parsed, user=None)
