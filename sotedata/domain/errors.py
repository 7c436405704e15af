"""One model for every problem the app reports: the CLI, pages and tests render the same list.

Modelled on frictionless-py's error model: each problem has a stable ``code`` (a slug that tests and
``--json`` consumers can rely on), a position (file, sheet, cell), a message rendered from a
per-code template in the chosen language, and a suggestion of how to fix it. Checks *collect*
issues instead of raising, so one pass reports everything; a fatal problem wraps the same model in
``SoteError``.

The canonical JSON shape (``Issue.to_dict``) is locked by ``tests/domain/test_errors.py``::

    {"code": "...", "severity": "error"|"warning", "file": str|null, "sheet": str|null,
     "cell": "B7"|null, "row": int|null, "column": str|null, "message": str, "suggestion": str|null}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .i18n import fmt_number, t

Severity = Literal["error", "warning"]


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Issue:
    """One problem found in input: where it is, what it is, how to fix it.

    ``message`` and ``suggestion`` are rendered lazily from the catalog keys ``error.<code>`` and
    ``error.<code>.fix`` with ``params``, so the same issue can be shown in any language.
    """

    code: str
    severity: Severity = "error"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # the spreadsheet's own 1-based row number (header is a row)
    column: str | None = None  # a column letter ("B") or a column name when letters are unknown
    params: dict[str, object] = field(default_factory=dict)
    #: the same problem with the same value on this many more rows of the column (one entry for
    #: all of them instead of thousands), the first of those cells in ``also``
    repeats: int = 0
    also: tuple[str, ...] = ()
    repeated_value: str = ""

    @property
    def cell(self) -> str | None:
        if self.row is None or self.column is None:
            return None
        return f"{self.column}{self.row}" if self.column.isalpha() else None

    def _params(self, lang: str | None) -> dict[str, object]:
        """Values that name things (areas, say) in the message's own language: a value with a
        ``localise(lang)`` method is asked for its text."""
        return {
            name: value.localise(lang) if hasattr(value, "localise") else value
            for name, value in self.params.items()
        }

    def message(self, lang: str | None = None) -> str:
        text = t(f"error.{self.code}", lang, **self._params(lang))
        if not self.repeats:
            return text
        cells = ", ".join(self.also) + (", …" if self.repeats > len(self.also) else "")
        key = "error.repeated_value" if self.repeated_value else "error.repeated"
        more = t(
            key,
            lang,
            count=fmt_number(self.repeats, lang=lang),
            value=self.repeated_value,
            cells=cells,
        )
        return f"{text} {more}"

    def suggestion(self, lang: str | None = None) -> str | None:
        key = f"error.{self.code}.fix"
        text = t(key, lang, **self._params(lang))
        return None if text == key else text

    def location(self, lang: str | None = None) -> str:
        """Where the problem is, as a preparer would look for it: "tila.xlsx › Tila › B7"."""
        parts = [p for p in (self.file, self.sheet) if p]
        if self.cell:
            parts.append(self.cell)
        elif self.row is not None:
            parts.append(t("error.location.row", lang, row=self.row))
        elif self.column:
            parts.append(t("error.location.column", lang, column=self.column))
        return " › ".join(parts)

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "message": self.message(lang),
            "suggestion": self.suggestion(lang),
        }

    def render(self, lang: str | None = None) -> str:
        """One line for a terminal or a list on a page."""
        label = t(f"error.severity.{self.severity}", lang)
        where = self.location(lang)
        text = (
            f"{label}: {where}: {self.message(lang)}" if where else f"{label}: {self.message(lang)}"
        )
        fix = self.suggestion(lang)
        return f"{text} {fix}" if fix else text


class Term(str):
    """A code whose words are in the catalog under ``<prefix>.<code>``: it compares, hashes and
    serialises as the code (tests and ``--json`` keep a stable slug), and a message shows its words
    in the message's own language, or the code itself where no words are written for it."""

    prefix: str

    def __new__(cls, code: str, prefix: str) -> Term:
        term = super().__new__(cls, code)
        term.prefix = prefix
        return term

    def __reduce__(self) -> tuple[object, ...]:
        return (Term, (str(self), self.prefix))

    def localise(self, lang: str | None) -> str:
        key = f"{self.prefix}.{self}"
        text = t(key, lang)
        return str(self) if text == key else text


class Count(int):
    """A number that a message shows in its own language's format ("300 000" in Finnish), while
    it compares and serialises as the plain int."""

    def localise(self, lang: str | None) -> str:
        return fmt_number(int(self), lang=lang)


#: the reading limits' numbers, shown formatted; row numbers and codes are never among them
_COUNTS = frozenset({"rows", "columns", "limit", "size", "cells", "length", "chars"})


def reading_params(params: dict[str, object]) -> dict[str, object]:
    """``params`` of a file that could not be read, ready for a message: an unreadable file's
    ``reason`` (a slug such as ``broken_zip``) a :class:`Term`, said in words; sizes and limits
    :class:`Count`, written as the language writes numbers."""
    out = dict(params)
    if "reason" in out and not isinstance(out["reason"], Term):
        out["reason"] = Term(str(out["reason"]), "reading.reason")
    for name in _COUNTS & out.keys():
        value = out[name]
        if isinstance(value, int) and not isinstance(value, bool | Count):
            out[name] = Count(value)
    return out


class SoteError(Exception):
    """A fatal problem, carrying the same issues so that it reaches the same renderers."""

    def __init__(self, issues: Issue | Iterable[Issue]):
        self.issues: list[Issue] = [issues] if isinstance(issues, Issue) else list(issues)
        super().__init__("; ".join(issue.render() for issue in self.issues))


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity == "error" for issue in issues)
