"""``sote indicators fetch --sotkanet ID``: an indicator from THL's Sotkanet API into the store,
by the same path (checks, all or nothing, audit) as a file import; and ``sote indicators list``.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_number, t
from ..domain.settings import load_settings
from ..ingest import sotkanet
from ..ingest.importer import store_parsed
from ..store.engine import Store
from .access import cli_principal

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def parse_years(values: list[str]) -> list[int]:
    """Years as given: "2019 2020", "2015-2020" or "2015:2020"; a bad one is a usage error."""
    years: list[int] = []
    for value in values:
        for part in value.replace(",", " ").split():
            first, sep, last = part.replace(":", "-").partition("-")
            try:
                start, end = int(first), int(last) if sep else int(first)
            except ValueError:
                raise SoteError(Issue("invalid_years", params={"value": part})) from None
            if not 1900 <= start <= end <= 2100:
                raise SoteError(Issue("invalid_years", params={"value": part}))
            years.extend(range(start, end + 1))
    return sorted(set(years))


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="indicators_action", required=True, metavar="ACTION")
    fetch = actions.add_parser("fetch", help=t("cli.indicators.fetch"))
    fetch.add_argument("--sotkanet", type=int, required=True, metavar="ID")
    fetch.add_argument("--years", nargs="+", metavar="YEAR", help=t("cli.indicators.years"))
    fetch.add_argument("--dry-run", action="store_true", help=t("cli.import.dry_run"))
    fetch.add_argument("--json", action="store_true", help=t("cli.import.json"))
    fetch.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help=t("cli.user"))
    fetch.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=t("cli.db"))
    listing = actions.add_parser("list", help=t("cli.indicators.list"))
    listing.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=t("cli.db"))


def run(args: argparse.Namespace) -> int:
    if args.indicators_action == "list":
        with Store.open(args.db) as store:
            counts = store.indicator_values()["indicator_key"].value_counts()
            for row in store.indicators().itertuples():
                print(f"{row.key}\t{row.name}\t{int(counts.get(row.key, 0))}\t{row.source or ''}")
        return EXIT_OK
    try:
        years = parse_years(args.years or [])
    except SoteError as error:
        for issue in error.issues:
            print(issue.render(), file=sys.stderr)
        return EXIT_USAGE
    settings = load_settings()
    client = sotkanet.Client(settings.sotkanet_url)
    with Store.open(args.db) as store:
        principal = cli_principal(store, getattr(args, "user", None))
        principal.require(principal.can_upload, "import")
        parsed = sotkanet.fetch(client, args.sotkanet, years or None)
        report = store_parsed(store, parsed, dry_run=args.dry_run, principal=principal)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for issue in [*report.errors, *report.warnings]:
            print(issue.render(), file=sys.stderr)
        if report.ok:
            print(
                t(
                    "cli.indicators.fetched",
                    id=args.sotkanet,
                    values=fmt_number(report.counts["indicator_values"]),
                    areas=fmt_number(len(report.counts["areas"])),
                    import_id=report.import_id if report.import_id is not None else "–",
                )
            )
    return EXIT_OK if report.ok else EXIT_DATA
