"""``sote pack``: the meeting pack (``sotedata.exports.pack``) written to a file from the store.

The deck itself is built by the same function the page's button uses; this door only reads the
command line, checks who asks, and leaves the export in the audit trail.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from ..domain import areas as area_registry
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_date, fmt_number, t
from ..domain.settings import load_settings
from ..exports.pack import build_pack
from ..geo.chain import load_area_boundaries
from ..rules import metrics
from ..rules.changes import default_as_of, default_since
from ..store.engine import Store
from ..store.people import record_export
from ..views.outlook import build_outlook
from .access import cli_principal
from .output import EXIT_OK, EXIT_USAGE, parse_date, report, say


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="VVVV-KK-PP", help=t("cli.pack.as_of"))
    parser.add_argument("--since", metavar="VVVV-KK-PP", help=t("cli.pack.since"))
    parser.add_argument(
        "--area", metavar="CODE", nargs="+", action="extend", help=t("cli.pack.area")
    )
    parser.add_argument("--out", metavar="FILE", required=True, help=t("cli.pack.out"))
    parser.add_argument("--user", metavar="NAME", help=t("cli.user"))


def _chosen_areas(texts: Sequence[str] | None) -> tuple[list[str], list[Issue]]:
    """Codes of the areas asked for (all reform areas when none), in the order given, once each."""
    if not texts:
        return [a.code for a in area_registry.reform_areas()], []
    codes: list[str] = []
    issues: list[Issue] = []
    for text in texts:
        found = area_registry.resolve(text)
        if not found.ok:
            issues += found.issues
        elif not found.area.in_reform:  # Åland: no roadmap, no slide
            issues.append(Issue("area_outside_reform", params={"area": found.area.name_fi}))
        elif found.code not in codes:
            codes.append(found.code)
    return codes, issues


def run(args: argparse.Namespace) -> int:
    """Exit 0 written, 1 no data or no database, 2 a wrong date, area or path."""
    try:
        as_of = parse_date(args.as_of) if args.as_of is not None else None
        since = parse_date(args.since) if args.since is not None else None
    except SoteError as error:
        report(error.issues)
        return EXIT_USAGE
    codes, issues = _chosen_areas(args.area)
    if issues:
        report(issues)
        return EXIT_USAGE
    started = time.perf_counter()
    with Store.open(args.db) as store:
        principal = cli_principal(store, args.user)
        principal.require(principal.can_export, "export")
        if store.is_empty() or not store.load_roadmap().measures:
            raise SoteError(Issue("no_data"))
        dates = store.reporting_dates()
        frames = metrics.load_frames(store)
        example = store.is_example()
        outlook = build_outlook(store, default_as_of(dates, as_of))
    as_of = default_as_of(dates, as_of)
    if since is None:
        since = default_since(dates, as_of)
    elif since >= as_of:
        since_text, as_of_text = fmt_date(since), fmt_date(as_of)
        report([Issue("since_after_as_of", params={"since": since_text, "as_of": as_of_text})])
        return EXIT_USAGE
    data = build_pack(
        frames,
        load_area_boundaries(load_settings()),
        as_of=as_of,
        since=since,
        areas=codes,
        example=example,
        outlook=outlook,
    )
    out = Path(args.out)
    try:
        out.write_bytes(data)
    except OSError as error:  # no such folder, a folder, no permission
        say(t("cli.pack.cannot_write", path=str(out), reason=error.strerror), sys.stderr)
        return EXIT_USAGE
    with Store.open(args.db) as store:
        details = {"pvm": as_of.isoformat(), "vrt": since.isoformat() if since else None}
        record_export(store, principal, "kokouspaketti", format="pptx", areas=codes, **details)
    say(
        t(
            "cli.pack.written",
            path=str(out),
            slides=5 + len(codes),  # title, map, bars, changes, support need
            date=fmt_date(as_of),
            seconds=fmt_number(time.perf_counter() - started, 1),
        )
    )
    return EXIT_OK
