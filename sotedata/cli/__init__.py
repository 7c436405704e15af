"""The ``sote`` command: a thin door onto the same core the pages use.

Every subcommand is one entry in ``COMMANDS`` (name → arguments and handler), so ``import``,
``export`` and ``template`` can be added beside ``demo`` and ``summary`` without touching ``main``.
Problems are rendered from the issue model (``Issue.render``), never as a traceback.

Exit codes: 0 done; 1 the data or the database is not usable (``no_data``,
``database_unreachable``, …, or ``sote import`` rejected the file); 2 the command line itself is
wrong (``invalid_date``, bad option, no such file).
"""

from __future__ import annotations

import argparse
import contextvars
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from ..demo.generator import DEFAULT_SEED, load_demo
from ..domain import areas
from ..domain.access import Role
from ..domain.errors import Issue, SoteError
from ..domain.i18n import (
    LANGUAGES,
    fmt_date,
    fmt_number,
    fmt_percent,
    language_from_environment,
    t,
    use_language,
)
from ..rules import metrics
from ..store import holdings as demo_guard
from ..store.engine import Store
from ..store.people import record_export
from .access import cli_principal, configure_revert, configure_users, run_revert, run_users

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Command:
    help_key: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _print(text: str = "", stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)


def _report(issues: Sequence[Issue]) -> None:
    for issue in issues:
        _print(issue.render(), sys.stderr)


# --- sote demo ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Held:
    """What a database holds, named in the message's language (see ``Issue._params``)."""

    counts: tuple[tuple[str, int], ...]

    def localise(self, lang: str | None) -> str:
        return demo_guard.describe(dict(self.counts), lang)


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--if-empty", action="store_true", help=t("cli.demo.if_empty"))
    parser.add_argument("--force", action="store_true", help=t("cli.demo.force"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=t("cli.demo.seed"))
    parser.add_argument("--user", metavar="NAME", default=None, help=t("cli.user"))


def _run_demo(args: argparse.Namespace) -> int:
    """Example data goes only where it destroys nothing a person stored (``demo_guard``):
    ``--if-empty`` loads into a database with nothing in any table; otherwise data that is not
    example data is replaced only with ``--force``; once the user table has anyone in it, only
    an administrator (``--user``/``SOTE_USER``) loads at all; the load leaves an audit row."""
    with Store.open(args.db) as store:
        where = store.display_url
        held = demo_guard.holdings(store)
        if args.if_empty and held:
            _print(t("rights.demo.kept", url=where, held=demo_guard.describe(held)))
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
        actor.require(actor.role is Role.ADMIN, "replace_data")
        started = time.perf_counter()
        data = load_demo(
            store, seed=args.seed, principal=actor, replaced=doomed, forced=bool(args.force)
        )
        seconds = time.perf_counter() - started
    _print(
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


def _configure_summary(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", metavar="VVVV-KK-PP", help=t("cli.summary.as_of"))
    parser.add_argument("--json", action="store_true", help=t("cli.summary.json"))


def parse_date(text: str) -> date:
    """A date from the command line; an ``invalid_date`` issue for anything else."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise SoteError(Issue("invalid_date", params={"value": text})) from error


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


def _run_summary(args: argparse.Namespace) -> int:
    """Exit 0 printed, 1 no data or no database, 2 a wrong date. With ``--json`` stdout is always
    one JSON object: the summary, or ``{"ok": false, "errors": [...]}`` (issues as
    ``Issue.to_dict``) for a problem, which is not also rendered on stderr."""
    try:
        as_of = parse_date(args.as_of) if args.as_of is not None else None
    except SoteError as error:
        return _summary_failed(args, error, EXIT_USAGE)
    try:
        with Store.open(args.db) as store:
            frames = metrics.load_frames(store)
            # risks alone are enough: the 22 areas with no measures and their risk figures
            if frames.measures.empty and frames.risks.empty:
                raise SoteError(Issue("no_data"))
            if as_of is None:
                as_of = _latest_date(store.reporting_dates(), frames.risks)
            result = metrics.summary(frames, as_of)
            example = store.is_example()
    except SoteError as error:
        return _summary_failed(args, error, EXIT_DATA)
    if args.json:
        _print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print(summary_table(result, example=example))
    return EXIT_OK


def _latest_date(reporting_dates: list[date], risks: Any) -> date:
    """The default as-of date: the last status reporting date, else (a database of risks only)
    the last risk rating's, else today."""
    if reporting_dates:
        return reporting_dates[-1]
    if len(risks):
        return max(risks["reported_on"])
    return date.today()


def _summary_failed(args: argparse.Namespace, error: SoteError, code: int) -> int:
    if not getattr(args, "json", False):
        _report(error.issues)
        return code
    errors = [issue.to_dict() for issue in error.issues]
    _print(json.dumps({"ok": False, "errors": errors}, ensure_ascii=False, indent=2))
    return code


# --- sote import --------------------------------------------------------------------------------


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=t("cli.import.file"))
    parser.add_argument("--dry-run", action="store_true", help=t("cli.import.dry_run"))
    parser.add_argument("--json", action="store_true", help=t("cli.import.json"))
    parser.add_argument("--reported-on", metavar="YYYY-MM-DD", help=t("cli.import.reported_on"))
    parser.add_argument("--user", metavar="NAME", help=t("cli.user"))


#: the longest text ``sote import --json`` prints in one field: a message may quote a cell
JSON_TEXT_LIMIT = 1_000


def _capped(value: Any) -> Any:
    """The import JSON with every text cut to ``JSON_TEXT_LIMIT`` characters (a 15 MB cell
    quoted in a message must not become 200 × 15 MB of output)."""
    if isinstance(value, str):
        return value if len(value) <= JSON_TEXT_LIMIT else value[: JSON_TEXT_LIMIT - 1] + "…"
    if isinstance(value, dict):
        return {key: _capped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_capped(item) for item in value]
    return value


def _run_import(args: argparse.Namespace) -> int:
    """Exit 0 accepted (stored, or would be with --dry-run), 1 rejected, 2 usage error."""
    from ..ingest import ImportReport, Limits, import_file  # loaded only for this command
    from ..ingest.read import too_large
    from ..ingest.summary import counts_in_words

    try:
        reported_on = parse_date(args.reported_on) if args.reported_on is not None else None
    except SoteError as error:
        _report(error.issues)
        return EXIT_USAGE
    path = Path(args.file)
    max_bytes = Limits().max_bytes
    try:
        size = path.stat().st_size
        # a file over the size limit is refused by its size: never read whole into memory
        data = path.read_bytes() if size <= max_bytes else b""
    except OSError:  # no such file, a folder, no permission
        _print(t("cli.import.no_file", path=args.file), sys.stderr)
        return EXIT_USAGE
    try:
        if size > max_bytes:
            raise too_large(path.name, size, max_bytes)
        with Store.open(args.db) as store:
            report = import_file(
                store,
                data,
                path.name,
                reported_on=reported_on,
                dry_run=args.dry_run,
                principal=cli_principal(store, args.user),
            )
    except SoteError as error:
        # the database failed, or the file is over the size limit: still one JSON object
        if not args.json:
            raise
        with path.open("rb") as handle:
            sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
        report = ImportReport(
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
    if args.json:
        _print(json.dumps(_capped(report.to_json()), ensure_ascii=False))
        return EXIT_OK if report.ok else EXIT_DATA
    for sheet in report.sheets:
        _print(
            t(
                "cli.import.sheet",
                sheet=sheet.name,
                kind=t(f"ingest.kind.{sheet.kind}"),
                rows=fmt_number(sheet.rows),
            )
        )
    _report([*report.errors, *report.warnings])
    counts = {
        "file": report.file,
        "import_id": report.import_id,
        "what": counts_in_words(report.counts),
        "errors": fmt_number(len(report.errors)),
    }
    if not report.ok:
        _print(t("cli.import.rejected", **counts), sys.stderr)
        return EXIT_DATA
    if any(w.code == "duplicate_file" for w in report.warnings):
        _print(t("cli.import.duplicate", **counts))
    elif report.dry_run:
        _print(t("cli.import.checked", **counts))
    else:
        _print(t("cli.import.accepted", **counts))
    return EXIT_OK


# --- sote export --------------------------------------------------------------------------------


def _configure_export(parser: argparse.ArgumentParser) -> None:
    from ..exports.files import FORMATS
    from ..views.tables import DATASETS

    add = parser.add_argument
    add("--table", choices=list(DATASETS), default="status", help=t("cli.export.table"))
    add("--format", choices=list(FORMATS), default="xlsx", help=t("cli.export.format"))
    add("--area", nargs="+", action="extend", default=[], metavar="CODE", help=t("cli.export.area"))
    add("--phase", type=int, choices=[1, 2, 3], help=t("cli.export.phase"))
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


def _export_query(args: argparse.Namespace, work_streams: Sequence[Any] = ()) -> Any:
    from ..views.tables import TableQuery

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
    )


def _database_files(url: str | None) -> list[Path]:
    """The files of a SQLite database (its journal and WAL too), which no export may replace;
    none for a server database."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from ..domain.settings import load_settings

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


def _run_export(args: argparse.Namespace) -> int:
    """Exit 0 written, 1 no data or the database failed, 2 a value that names nothing."""
    from datetime import UTC, datetime

    from ..exports.files import export_bytes, file_name
    from ..views.tables import (
        RESTRICTED,
        RISK_RANGE,
        build_table,
        sources_from_store,
        with_table_data,
    )

    low, high = args.risk_min, args.risk_max
    if any(v is not None and not RISK_RANGE[0] <= v <= RISK_RANGE[1] for v in (low, high)) or (
        low is not None and high is not None and low > high
    ):
        _print(t("cli.export.bad_risk"), sys.stderr)
        return EXIT_USAGE
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    except ValueError:
        _report([Issue("invalid_date", params={"value": args.now})])
        return EXIT_USAGE
    if refused := _refuse_arguments(args):
        _report(refused)
        return EXIT_USAGE
    try:
        # areas, statuses and dates, before the database is opened
        given = _export_query(args)
    except SoteError as error:
        _report(error.issues)
        return EXIT_USAGE
    if given.since is not None and given.as_of is not None and given.since > given.as_of:
        _report([_since_after(given.since, given.as_of)])
        return EXIT_USAGE
    with Store.open(args.db) as store:
        principal = cli_principal(store, args.user)
        principal.require(principal.can_export, "export")
        audit = args.table in RESTRICTED
        if audit:
            principal.require(principal.role in {Role.ADMIN, Role.MINISTRY}, "read_audit")
        if store.is_empty():
            raise SoteError(Issue("no_data"))
        sources = with_table_data(sources_from_store(store, audit=audit), store, args.table)
    try:
        query = _export_query(args, sources.frames.work_streams)
    except SoteError as error:
        _report(error.issues)
        return EXIT_USAGE
    table = build_table(query, sources)
    if table.issues:
        _report(table.issues)
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
        _report([_since_after(built.since, built.as_of)])
        return EXIT_USAGE
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
        _report([refused])
        return EXIT_USAGE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb" if args.force else "xb") as handle:  # "x": never over a new file
            handle.write(data)
    except FileExistsError:
        _report([Issue("export_file_exists", params={"path": str(path)})])
        return EXIT_USAGE
    except OSError as error:
        _print(t("cli.export.cannot_write", path=str(path), reason=error.strerror), sys.stderr)
        return EXIT_USAGE
    audited()
    _print(t("cli.export.written", path=str(path), rows=fmt_number(table.rows), table=table.title))
    return EXIT_OK


# --- the command --------------------------------------------------------------------------------


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """A command's function imported only when that command runs: the meeting pack, the
    template and the Sotkanet client load libraries that ``sote import`` should not wait for."""

    def call(*args: Any) -> Any:
        from importlib import import_module

        return getattr(import_module(f"sotedata.{module}"), name)(*args)

    return call


_configure_pack, _run_pack = _lazy("cli.pack", "configure"), _lazy("cli.pack", "run")
_configure_template = _lazy("cli.template", "configure")
_run_template = _lazy("cli.template", "run")
_configure_indicators = _lazy("cli.indicators", "configure")
_run_indicators = _lazy("cli.indicators", "run")

COMMANDS: dict[str, Command] = {
    "demo": Command("cli.demo.help", _configure_demo, _run_demo),
    "summary": Command("cli.summary.help", _configure_summary, _run_summary),
    "template": Command("cli.template.help", _configure_template, _run_template),
    "import": Command("cli.import.help", _configure_import, _run_import),
    "pack": Command("cli.pack.help", _configure_pack, _run_pack),
    "export": Command("cli.export.help", _configure_export, _run_export),
    "users": Command("cli.users.help", configure_users, run_users),
    "revert": Command("cli.revert.help", configure_revert, run_revert),
    "indicators": Command("cli.indicators.help", _configure_indicators, _run_indicators),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` just that command's options (the others are
    named but not configured, so running one command loads nothing the others need)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help=t("cli.db"))
    common.add_argument("--kieli", choices=LANGUAGES, help=t("cli.kieli"))
    parser = argparse.ArgumentParser(prog="sote", description=t("cli.description"))
    subcommands = parser.add_subparsers(dest="command", metavar="KOMENTO", required=True)
    for name, command in COMMANDS.items():
        sub = subcommands.add_parser(
            name, parents=[common], help=t(command.help_key), description=t(command.help_key)
        )
        if only is None or name == only:
            command.configure(sub)
    return parser


def _language(given: Sequence[str]) -> str | None:
    """``--kieli sv`` (or ``--kieli=sv``) read before the parser is built, so that the
    help texts are in that language too; else ``SOTE_KIELI`` or the POSIX locale."""
    for index, word in enumerate(given):
        name, equals, value = word.partition("=")
        if name == "--kieli":
            return value if equals else (given[index + 1] if index + 1 < len(given) else None)
    return language_from_environment()


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sote``; returns the exit code (the console script passes it to the shell)."""
    given = list(sys.argv[1:] if argv is None else argv)
    # the run's language lives in a copy of the context: a caller (a test) keeps its own
    return contextvars.copy_context().run(_main, given)


def _main(given: list[str]) -> int:
    use_language(_language(given))
    chosen = given[0] if given and given[0] in COMMANDS else None
    parser = build_parser(chosen)
    try:
        args = parser.parse_args(given)
    except SystemExit as exit_:  # argparse has printed its usage message
        return int(exit_.code or 0)
    try:
        return COMMANDS[args.command].run(args)
    except SoteError as error:
        _report(error.issues)
        return EXIT_DATA


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
