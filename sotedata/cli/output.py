"""What every ``sote`` command shares: its exit codes, where it prints, how it reports a problem.

Exit codes: 0 done; 1 the data or the database is not usable (``no_data``,
``database_unreachable``, …, or ``sote import`` rejected the file); 2 the command line itself is
wrong (``invalid_date``, bad option, no such file). Problems are rendered from the issue model
(``Issue.render``) on stderr, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from ..domain.errors import Issue, SoteError

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


def say(text: str = "", stream: TextIO | None = None) -> None:
    """One line to stdout (or ``stream``), looked up at call time so a test's capture sees it."""
    print(text, file=stream or sys.stdout)


def report(issues: Sequence[Issue]) -> None:
    """Problems on stderr, one rendered message (what, where, how to fix) each."""
    for issue in issues:
        say(issue.render(), sys.stderr)


def parse_date(text: str) -> date:
    """A date from the command line; an ``invalid_date`` issue for anything else."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise SoteError(Issue("invalid_date", params={"value": text})) from error
