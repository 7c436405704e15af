"""``sote demo`` (the example data into a database) and ``sote summary`` (the figures per area).

Both read and write through the same store and figures the pages use, so the summary the command
prints is the one the national page shows.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..demo.generator import DEFAULT_SEED, load_demo
from ..domain import areas
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_date, fmt_number, fmt_percent, t
from ..rules import metrics
from ..rules.changes import default_as_of
from ..store import holdings as demo_guard
from ..store.engine import Store
from .access import cli_principal
from .output import EXIT_DATA, EXIT_OK, EXIT_USAGE, parse_date, report, say

# --- sote demo ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Held:
    """What a database holds, named in the message's language (see ``Issue._params``)."""

    counts: tuple[tuple[str, int], ...]

    def localise(self, lang: str | None) -> str:
        return demo_guard.describe(dict(self.counts), lang)


def configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--if-empty", action="store_true", help=t("cli.demo.if_empty"))
    parser.add_argument("--force", action="store_true", help=t("cli.demo.force"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=t("cli.demo.seed"))
    parser.add_argument("--user", metavar="NAME", default=None, help=t("cli.user"))


def run_demo(args: argparse.Namespace) -> int:
    """Example data goes only where it destroys nothing a person stored (``demo_guard``):
    ``--if-empty`` loads into a database with nothing in any table; otherwise data that is not
    example data is replaced only with ``--force``; once the user table has anyone in it, only
    an administrator (``--user``/``SOTE_USER``) loads at all; the load leaves an audit row."""
    with Store.open(args.db) as store:
        where = store.display_url
        held = demo_guard.holdings(store)
        if args.if_empty and held:
            say(t("rights.demo.kept", url=where, held=demo_guard.describe(held)))
            return EXIT_OK
        doomed = demo_guard.at_risk(store)
        if doomed and not args.force:
            raise SoteError(
                Issue(
                    "demo_would_destroy",
                    params={"url": where, "held": _Held(tuple(doomed.items()))},
                )
            )
        actor = cli_principal(store, args.user)  # replacing data is an administrator's act
        actor.require(actor.can_replace_data, "replace_data")
        started = time.perf_counter()
        data = load_demo(
            store, seed=args.seed, principal=actor, replaced=doomed, forced=bool(args.force)
        )
        seconds = time.perf_counter() - started
    say(
        t(
            "cli.demo.loaded",
            url=where,
            measures=fmt_number(len(data.roadmap.measures)),
            areas=fmt_number(len({r.area_code for r in data.status_reports})),
            dates=fmt_number(len(data.reporting_dates)),
            first=fmt_date(data.reporting_dates[0]),
            last=fmt_date(data.reporting_dates[-1]),
            reports=fmt_number(len(data.status_reports)),
            risks=fmt_number(len(data.risk_ratings)),
            seconds=fmt_number(seconds, 1),
        )
    )
    return EXIT_OK


# --- sote summary -------------------------------------------------------------------------------

#: the text table's columns after code and name: (summary key, kind)
_TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("measures", "count"),
    ("started_share", "share"),
    ("done_share", "share"),
    ("critical_started_share", "share"),
    ("critical_done_share", "share"),
    ("overdue", "count"),
    ("delayed", "count"),
    ("risks", "count"),
    ("high_risks", "count"),
    ("max_risk", "count"),
)


def configure_summary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="VVVV-KK-PP", help=t("cli.summary.as_of"))
    parser.add_argument("--json", action="store_true", help=t("cli.summary.json"))


def summary_table(result: dict[str, Any], *, example: bool) -> str:
    """The summary as a Finnish text table (numbers right-aligned, "64 %" style)."""
    registry = areas.by_code()
    header = [t("cli.summary.col.code"), t("cli.summary.col.area")]
    header += [t(f"cli.summary.col.{key}") for key, _ in _TABLE_COLUMNS]
    rows = []
    for area in result["areas"]:
        row = [area["code"], registry[area["code"]].short()]
        for key, kind in _TABLE_COLUMNS:
            value = area[key]
            row.append(fmt_percent(value) if kind == "share" else fmt_number(value))
        rows.append(row)
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        text = [cells[0].ljust(widths[0]), cells[1].ljust(widths[1])]
        text += [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join(text).rstrip()

    title = t("cli.summary.title", date=fmt_date(date.fromisoformat(result["as_of"])))
    lines = [title]
    if example:
        lines.append(t("cli.summary.example"))
    lines += ["", line(header), *(line(row) for row in rows), ""]
    national = result["national"]
    lines.append(
        t(
            "cli.summary.median",
            done=fmt_percent(national["median_done_share"]),
            started=fmt_percent(national["median_started_share"]),
        )
    )
    return "\n".join(lines)


def run_summary(args: argparse.Namespace) -> int:
    """Exit 0 printed, 1 no data or no database, 2 a wrong date. With ``--json`` stdout is always
    one JSON object: the summary, or ``{"ok": false, "errors": [...]}`` (issues as
    ``Issue.to_dict``) for a problem, which is not also rendered on stderr."""
    try:
        as_of = parse_date(args.as_of) if args.as_of is not None else None
    except SoteError as error:
        return _summary_failed(args, error, EXIT_USAGE)
    try:
        with Store.open(args.db) as store:
            # risks alone are enough: the 22 areas with no measures and their risk figures
            if store.is_empty():
                raise SoteError(Issue("no_data"))
            if as_of is None:
                as_of = _latest_date(store)
            # the reports and ratings of that one date, read by the database
            result = metrics.summary(store, as_of)
            example = store.is_example()
    except SoteError as error:
        return _summary_failed(args, error, EXIT_DATA)
    if args.json:
        say(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        say(summary_table(result, example=example))
    return EXIT_OK


def _latest_date(store: Store) -> date:
    """The default as-of date (``changes.default_as_of``) of the status reports, or in a database
    of risks only, of the risk ratings (the newest of the risks' latest ratings is the newest)."""
    reporting_dates = store.reporting_dates()
    return default_as_of(reporting_dates or list(store.risks_on(date.max)["reported_on"]))


def _summary_failed(args: argparse.Namespace, error: SoteError, code: int) -> int:
    if not getattr(args, "json", False):
        report(error.issues)
        return code
    errors = [issue.to_dict() for issue in error.issues]
    say(json.dumps({"ok": False, "errors": errors}, ensure_ascii=False, indent=2))
    return code
