"""``sote outlook``: where each area is heading and which need support most (``views.outlook``).

The same outlook the pages show: ``--json`` prints ``views.outlook.outlook_json``, otherwise a
table ranked by support need with the weights the ranking used and what it does not know.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

import pandas as pd

from ..domain import areas
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_date, fmt_number, t
from ..rules.support import weights
from ..store.engine import Store
from ..views.outlook import OutlookView, build_outlook, outlook_json
from .output import EXIT_DATA, EXIT_OK, EXIT_USAGE, parse_date, report, say


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="VVVV-KK-PP", help=t("cli.outlook.as_of"))
    parser.add_argument("--json", action="store_true", help=t("cli.outlook.json"))


def _day(value: object) -> str:
    return fmt_date(value) if isinstance(value, date) else "–"


def _number(value: object, decimals: int = 1) -> str:
    return "–" if value is None or pd.isna(value) else fmt_number(float(value), decimals)


def outlook_text(view: OutlookView, *, example: bool) -> str:
    """The outlook as a text table in the current language, most need first, then each area's
    reasons in words, the weights and what the projection does not know."""
    registry = areas.by_code()
    keys = ("rank", "code", "area", "done", "pace", "needed", "projected", "critical", "band")
    header = [t(f"cli.outlook.col.{key}") for key in (*keys, "status", "need")]
    table = view.table.sort_values("rank")
    rows, reasons = [], []
    for area in table.to_dict("records"):
        name = registry[area["code"]].short()
        rows.append(
            [
                str(area["rank"]),
                area["code"],
                name,
                f"{area['done']}/{area['applicable']}",
                _number(area["pace_per_month"]),
                _number(area["needed_pace_per_month"]),
                _day(area["projected_done_on"]),
                _day(area["projected_critical_done_on"]),
                _number(area["band_days"], 0),
                t(f"outlook.status.{area['status']}"),
                _number(area["need"]),
            ]
        )
        words = " ".join(r.message() for r in view.reasons(area["code"]))
        reasons.append(f"{area['rank']}. {name}: {words}")
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    left = {1, 2, 9}

    def line(cells: list[str]) -> str:
        text = [
            cell.ljust(width) if i in left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(text).rstrip()

    title = t("cli.outlook.title", date=_day(view.outlook.as_of), end=_day(view.outlook.end))
    lines = [title]
    if example:
        lines.append(t("cli.summary.example"))
    lines += ["", line(header), *(line(row) for row in rows), "", *reasons, ""]
    lines.append(t("outlook.weights", weights="; ".join(w.label() for w in weights().values())))
    lines.append(t("cli.outlook.limits"))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Exit 0 printed, 1 no data or no database, 2 a wrong date; with ``--json`` a problem is
    one object ``{"ok": false, "errors": [...]}`` on stdout."""
    try:
        as_of = parse_date(args.as_of) if args.as_of is not None else None
    except SoteError as error:
        return _failed(args, error, EXIT_USAGE)
    try:
        with Store.open(args.db) as store:
            if store.is_empty() or not store.load_roadmap().measures:
                raise SoteError(Issue("no_data"))
            view = build_outlook(store, as_of)
            example = store.is_example()
    except SoteError as error:
        return _failed(args, error, EXIT_DATA)
    if args.json:
        say(json.dumps(outlook_json(view), ensure_ascii=False, indent=2))
    else:
        say(outlook_text(view, example=example))
    return EXIT_OK


def _failed(args: argparse.Namespace, error: SoteError, code: int) -> int:
    if not args.json:
        report(error.issues)
        return code
    errors = [issue.to_dict() for issue in error.issues]
    say(json.dumps({"ok": False, "errors": errors}, ensure_ascii=False, indent=2))
    return code
