"""The ``sote`` command: a thin door onto the same core the pages use.

Every subcommand is one entry in ``COMMANDS`` (name → arguments and handler), so a command can be
added without touching ``main``. Each command lives in its own module (``cli.demo``,
``cli.imports``, ``cli.export``, ``cli.pack``, ``cli.template``, ``cli.access``,
``cli.indicators``), loaded only when that command runs: ``sote --help`` and ``sote import`` do
not wait for pandas, the database driver or the slide library. Problems are rendered from the
issue model (``Issue.render``), never as a traceback; the exit codes are in ``cli.output``.
"""

from __future__ import annotations

import argparse
import contextvars
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ..domain.errors import SoteError
from ..domain.i18n import LANGUAGES, language_from_environment, t, use_language
from .output import EXIT_DATA, report


@dataclass(frozen=True)
class Command:
    help_key: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """A command's function imported only when that command runs (for the start-up time: the
    store, pandas, the meeting pack and the Sotkanet client are loaded by the command that needs
    them, never by ``sote --help`` or by another command)."""

    def call(*args: Any) -> Any:
        return getattr(import_module(f"{__name__}.{module}"), name)(*args)

    return call


def _command(help_key: str, module: str, configure: str = "configure", run: str = "run") -> Command:
    return Command(help_key, _lazy(module, configure), _lazy(module, run))


COMMANDS: dict[str, Command] = {
    "demo": _command("cli.demo.help", "demo", "configure_demo", "run_demo"),
    "summary": _command("cli.summary.help", "demo", "configure_summary", "run_summary"),
    "template": _command("cli.template.help", "template"),
    "import": _command("cli.import.help", "imports"),
    "pack": _command("cli.pack.help", "pack"),
    "export": _command("cli.export.help", "export"),
    "users": _command("cli.users.help", "access", "configure_users", "run_users"),
    "revert": _command("cli.revert.help", "access", "configure_revert", "run_revert"),
    "indicators": _command("cli.indicators.help", "indicators"),
    "outlook": _command("cli.outlook.help", "outlook"),
}


def build_parser(only: str | None = None, *, options: bool = True) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` just that command's options (the others are
    named but not configured, so running one command loads nothing the others need); with
    ``options=False`` the commands are only named (``sote --help`` lists them, reading no
    command's options and so loading none of their modules)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help=t("cli.db"))
    common.add_argument("--kieli", choices=LANGUAGES, help=t("cli.kieli"))
    parser = argparse.ArgumentParser(prog="sote", description=t("cli.description"))
    subcommands = parser.add_subparsers(dest="command", metavar="KOMENTO", required=True)
    for name, command in COMMANDS.items():
        sub = subcommands.add_parser(
            name, parents=[common], help=t(command.help_key), description=t(command.help_key)
        )
        if options and (only is None or name == only):
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
    # no command named at all (``sote``, ``sote --help``, a misspelt one): none is configured
    parser = build_parser(chosen, options=any(word in COMMANDS for word in given))
    try:
        args = parser.parse_args(given)
    except SystemExit as exit_:  # argparse has printed its usage message
        return int(exit_.code or 0)
    try:
        return COMMANDS[args.command].run(args)
    except SoteError as error:
        report(error.issues)
        return EXIT_DATA


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
