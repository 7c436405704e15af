"""``sote export``: one of the tables page's tables as a file (or CSV/JSON on stdout), built by
the same query and table code as the page, with the same rights and the same audit row.

A value that would quietly export something else than asked (an empty ``--area``, a comparison
date after the as-of date, an output path that is the database) is refused before anything is
written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from ..domain.access import Principal
from ..domain.errors import Issue, SoteError
from ..domain.i18n import fmt_number, t
from ..domain.model import Phase, WorkStream
from ..domain.settings import load_settings
from ..exports.files import FORMATS, export_bytes, file_name
from ..store.engine import Store
from ..store.people import record_export
from ..views.query import DATASETS, RESTRICTED, RISK_RANGE, TableQuery
from ..views.table_base import Sources
from ..views.tables import Table, build_table, sources_from_store, with_table_data
from .access import cli_principal
from .output import EXIT_OK, EXIT_USAGE, report, say


def configure(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--table", choices=list(DATASETS), default="status", help=t("cli.export.table"))
    add("--format", choices=list(FORMATS), default="xlsx", help=t("cli.export.format"))
    add("--area", nargs="+", action="extend", default=[], metavar="CODE", help=t("cli.export.area"))
    # the roadmap's phases, checked against the stored roadmap like the URL's ``vaihe``
    add("--phase", metavar="N", help=t("params.cli.phase"))
    add("--work-stream", metavar="NAME", help=t("cli.export.work_stream"))
    add("--status", nargs="+", action="extend", default=[], help=t("cli.export.status"))
    add("--critical", action="store_true", help=t("cli.export.critical"))
    add("--overdue", action="store_true", help=t("cli.export.overdue"))
    add("--risk-min", type=int, metavar="N", help=t("cli.export.risk_min"))
    add("--risk-max", type=int, metavar="N", help=t("cli.export.risk_max"))
    add("--as-of", metavar="YYYY-MM-DD", help=t("cli.export.as_of"))
    add("--since", metavar="YYYY-MM-DD", help=t("cli.export.since"))
    add("--search", metavar="TEXT", help=t("cli.export.search"))
    add("--indicator", metavar="KEY", help=t("cli.export.indicator"))
    add("--period-from", metavar="PERIOD", help=t("cli.export.period_from"))
    add("--period-to", metavar="PERIOD", help=t("cli.export.period_to"))
    add("--level", metavar="alue|kunta", help=t("cli.export.level"))
    add("--source-type", nargs="+", action="extend", default=[], help=t("cli.export.source_type"))
    add("--tag", nargs="+", action="extend", default=[], help=t("cli.export.tag"))
    add("--out", metavar="FILE", help=t("cli.export.out"))
    add("--force", action="store_true", help=t("cli.export.force"))
    add("--user", metavar="NAME", help=t("cli.user"))
    add("--now", help=argparse.SUPPRESS)  # a fixed export time (ISO), for reproducible files


def _export_query(
    args: argparse.Namespace,
    work_streams: Sequence[WorkStream] = (),
    phases: Sequence[Phase] = (),
) -> TableQuery:
    return TableQuery.from_cli(
        table=args.table,
        areas=args.area,
        phase=args.phase,
        work_stream=args.work_stream,
        statuses=args.status,
        critical_only=args.critical,
        overdue_only=args.overdue,
        risk_min=args.risk_min,
        risk_max=args.risk_max,
        as_of=args.as_of,
        since=args.since,
        search=args.search,
        work_streams=work_streams,
        indicator=args.indicator,
        period_from=args.period_from,
        period_to=args.period_to,
        level=args.level,
        source_types=args.source_type,
        tags=args.tag,
        phases=phases,
    )


def _database_files(url: str | None) -> list[Path]:
    """The files of a SQLite database (its journal and WAL too), which no export may replace;
    none for a server database."""
    try:
        parsed = make_url(url or load_settings().database_url)
    except ArgumentError:
        return []
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return []
    main_file = Path(parsed.database).expanduser().resolve()
    return [main_file, *(Path(f"{main_file}{end}") for end in ("-journal", "-wal", "-shm"))]


def _refuse_output(path: Path, args: argparse.Namespace) -> Issue | None:
    """Why ``path`` must not be written: it is the database (never, even with ``--force``), or
    it exists and ``--force`` was not given (an existing file is never taken for one this
    command wrote earlier: only ``--force`` replaces it)."""
    database = _database_files(args.db)
    same = path.exists() and any(f.exists() and path.samefile(f) for f in database)
    if same or path.resolve() in database:  # a symbolic or hard link to it too
        return Issue("export_database_file", params={"path": str(path)})
    if path.exists() and not args.force:
        return Issue("export_file_exists", params={"path": str(path)})
    return None


def _refuse_arguments(args: argparse.Namespace) -> list[Issue]:
    """Values that would quietly export something else than asked: an empty ``--area`` (all
    areas), an empty ``--out`` (no file), a file that must not be written."""
    issues = []
    if any(not any(part.strip() for part in text.split(",")) for text in args.area):
        issues.append(Issue("export_empty_area"))
    if args.out is not None and not args.out.strip():
        issues.append(Issue("export_empty_out"))
    elif args.out is not None and (refused := _refuse_output(Path(args.out), args)):
        issues.append(refused)
    return issues


def _since_after(since: date, as_of: date) -> Issue:
    return Issue(
        "export_since_after_as_of",
        params={"since": since.isoformat(), "as_of": as_of.isoformat()},
    )


def _checked_time(args: argparse.Namespace) -> datetime | int:
    """The export time, once every value that can be checked before the database is opened is
    right (risk range, ``--now``, areas, statuses, dates); else the usage exit code."""
    low, high = args.risk_min, args.risk_max
    if any(v is not None and not RISK_RANGE[0] <= v <= RISK_RANGE[1] for v in (low, high)) or (
        low is not None and high is not None and low > high
    ):
        say(t("cli.export.bad_risk"), sys.stderr)
        return EXIT_USAGE
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    except ValueError:
        report([Issue("invalid_date", params={"value": args.now})])
        return EXIT_USAGE
    if refused := _refuse_arguments(args):
        report(refused)
        return EXIT_USAGE
    try:  # the phase is checked once the stored roadmap is read (``_built``)
        given = _export_query(argparse.Namespace(**{**vars(args), "phase": None}))
    except SoteError as error:
        report(error.issues)
        return EXIT_USAGE
    if given.since is not None and given.as_of is not None and given.since > given.as_of:
        report([_since_after(given.since, given.as_of)])
        return EXIT_USAGE
    return now


def _read_sources(args: argparse.Namespace) -> tuple[Principal, Sources]:
    """Who asks (and may they), and the data the table is built from."""
    with Store.open(args.db) as store:
        principal = cli_principal(store, args.user)
        principal.require(principal.can_export, "export")
        audit = args.table in RESTRICTED
        if audit:
            principal.require(principal.can_read_audit, "read_audit")
        if store.is_empty():
            raise SoteError(Issue("no_data"))
        return principal, with_table_data(sources_from_store(store, audit=audit), store, args.table)


def _built(args: argparse.Namespace, sources: Sources) -> tuple[TableQuery, Table] | int:
    """The query (work streams named as the roadmap names them) and its table; else the usage
    exit code for a value that names nothing in the data."""
    try:
        query = _export_query(args, sources.frames.work_streams, sources.frames.phases)
    except SoteError as error:
        report(error.issues)
        return EXIT_USAGE
    table = build_table(query, sources)
    if table.issues:
        report(table.issues)
        return EXIT_USAGE
    built = table.query
    if (
        args.since is not None
        and built.applies("since")
        and built.applies("as_of")
        and built.since is not None
        and built.as_of is not None
        and built.since > built.as_of
    ):  # a comparison date after the default as-of date (the latest report)
        report([_since_after(built.since, built.as_of)])
        return EXIT_USAGE
    return query, table


def _deliver(
    args: argparse.Namespace, table: Table, data: bytes, audited: Callable[[], None]
) -> int:
    """The bytes to stdout (CSV and JSON without ``--out``) or to a file never written over
    unless ``--force``; the audit row only once they are out."""
    if args.out is None and args.format != "xlsx":
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # a text-only stdout (an embedding that replaced it)
            sys.stdout.write(data.decode("utf-8"))
        else:
            sys.stdout.flush()
            stream.write(data)
            stream.flush()
        audited()
        return EXIT_OK
    path = Path(args.out or file_name(table, args.format))
    if refused := _refuse_output(path, args):
        report([refused])
        return EXIT_USAGE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb" if args.force else "xb") as handle:  # "x": never over a new file
            handle.write(data)
    except FileExistsError:
        report([Issue("export_file_exists", params={"path": str(path)})])
        return EXIT_USAGE
    except OSError as error:
        say(t("cli.export.cannot_write", path=str(path), reason=error.strerror), sys.stderr)
        return EXIT_USAGE
    audited()
    say(t("cli.export.written", path=str(path), rows=fmt_number(table.rows), table=table.title))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Exit 0 written, 1 no data or the database failed, 2 a value that names nothing."""
    now = _checked_time(args)
    if isinstance(now, int):
        return now
    principal, sources = _read_sources(args)
    built = _built(args, sources)
    if isinstance(built, int):
        return built
    query, table = built
    data = export_bytes(table, args.format, now)

    def audited() -> None:
        with Store.open(args.db) as store:
            record_export(
                store,
                principal,
                query.table,
                format=args.format,
                filters=query.to_query(),
                rows=table.rows,
            )

    return _deliver(args, table, data, audited)
