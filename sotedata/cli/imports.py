"""``sote import FILE``: a workbook or CSV into the store by the same path the upload page takes
(checks, all or nothing, audit), reported as text or as one JSON object."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ..domain.errors import SoteError
from ..domain.i18n import fmt_number, t
from ..ingest import ImportReport, Limits, import_file
from ..ingest.read import too_large
from ..ingest.summary import counts_in_words
from ..store.engine import Store
from .access import cli_principal
from .output import EXIT_DATA, EXIT_OK, EXIT_USAGE, parse_date, report, say

#: the longest text ``sote import --json`` prints in one field: a message may quote a cell
JSON_TEXT_LIMIT = 1_000


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=t("cli.import.file"))
    parser.add_argument("--dry-run", action="store_true", help=t("cli.import.dry_run"))
    parser.add_argument("--json", action="store_true", help=t("cli.import.json"))
    parser.add_argument("--reported-on", metavar="YYYY-MM-DD", help=t("cli.import.reported_on"))
    parser.add_argument("--user", metavar="NAME", help=t("cli.user"))


def capped(value: Any) -> Any:
    """The import JSON with every text cut to ``JSON_TEXT_LIMIT`` characters (a 15 MB cell
    quoted in a message must not become 200 × 15 MB of output)."""
    if isinstance(value, str):
        return value if len(value) <= JSON_TEXT_LIMIT else value[: JSON_TEXT_LIMIT - 1] + "…"
    if isinstance(value, dict):
        return {key: capped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [capped(item) for item in value]
    return value


def _rejected(path: Path, args: argparse.Namespace, error: SoteError) -> ImportReport:
    """The report of a file refused before it was read (the database failed, or the file is over
    the size limit), so that ``--json`` still prints one JSON object."""
    with path.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    return ImportReport(
        ok=False,
        file=path.name,
        sha256=sha256,
        dry_run=args.dry_run,
        sheets=[],
        counts={
            "measures": 0,
            "status": 0,
            "risks": 0,
            "indicator_values": 0,
            "municipalities": 0,
            "areas": [],
        },
        errors=error.issues,
        warnings=[],
        import_id=None,
    )


def _as_text(result: ImportReport) -> int:
    """The report for a person: the sheets read, the problems, one closing line."""
    for sheet in result.sheets:
        say(
            t(
                "cli.import.sheet",
                sheet=sheet.name,
                kind=t(f"ingest.kind.{sheet.kind}"),
                rows=fmt_number(sheet.rows),
            )
        )
    report([*result.errors, *result.warnings])
    counts = {
        "file": result.file,
        "import_id": result.import_id,
        "what": counts_in_words(result.counts),
        "errors": fmt_number(len(result.errors)),
    }
    if not result.ok:
        say(t("cli.import.rejected", **counts), sys.stderr)
        return EXIT_DATA
    if any(w.code == "duplicate_file" for w in result.warnings):
        say(t("cli.import.duplicate", **counts))
    elif result.dry_run:
        say(t("cli.import.checked", **counts))
    else:
        say(t("cli.import.accepted", **counts))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Exit 0 accepted (stored, or would be with --dry-run), 1 rejected, 2 usage error."""
    try:
        reported_on = parse_date(args.reported_on) if args.reported_on is not None else None
    except SoteError as error:
        report(error.issues)
        return EXIT_USAGE
    path = Path(args.file)
    max_bytes = Limits().max_bytes
    try:
        size = path.stat().st_size
        # a file over the size limit is refused by its size: never read whole into memory
        data = path.read_bytes() if size <= max_bytes else b""
    except OSError:  # no such file, a folder, no permission
        say(t("cli.import.no_file", path=args.file), sys.stderr)
        return EXIT_USAGE
    try:
        if size > max_bytes:
            raise too_large(path.name, size, max_bytes)
        with Store.open(args.db) as store:
            result = import_file(
                store,
                data,
                path.name,
                reported_on=reported_on,
                dry_run=args.dry_run,
                principal=cli_principal(store, args.user),
            )
    except SoteError as error:
        if not args.json:
            raise
        result = _rejected(path, args, error)
    if args.json:
        say(json.dumps(capped(result.to_json()), ensure_ascii=False))
        return EXIT_OK if result.ok else EXIT_DATA
    return _as_text(result)
