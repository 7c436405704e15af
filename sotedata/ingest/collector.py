"""One file's issues, capped and grouped, so a message list stays readable however broken the file.

Below ``validate`` and the row readers (``rows/``), which all add to the one collector of a file.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..domain.errors import Issue


class Collector:
    """Errors and warnings of one file, each list capped at ``limit``.

    A file with a national total coded 99 on twenty thousand rows used to give twenty thousand
    identical errors and hide every other problem behind the cap. The same problem (code, sheet,
    column and parameters) on many rows is therefore one entry that counts the rows and names the
    first cells, and the lists take one entry of each kind of problem before a second of any
    (file order within a kind) when the cap must leave some out, so it keeps the most different
    problems."""

    #: the further cells a repeated entry lists
    ALSO = 5
    #: the parameter whose value a repeated entry quotes, the first one a problem has
    _VALUE_PARAMS = ("value", "text", "code", "level", "header", "name")

    def __init__(self, filename: str, limit: int):
        self.filename = filename
        self.limit = limit
        self.added = 0  # every issue added, repeats included: "did this row report anything"
        self._buckets: dict[tuple[str, str], list[list[Any]]] = {}  # (severity, code) → entries
        self._groups: dict[tuple[object, ...], list[Any]] = {}
        self._overflow = {"error": 0, "warning": 0}

    def add(self, issue: Issue) -> None:
        self.added += 1
        group = None
        if issue.row is not None and issue.column is not None:
            try:
                params = tuple(sorted(issue.params.items()))
                group = (issue.severity, issue.code, issue.sheet, issue.column, params)
                hash(group)
            except TypeError:  # a parameter that cannot be compared: never grouped
                group = None
        if group is not None and (entry := self._groups.get(group)) is not None:
            entry[1] += 1
            if len(entry[2]) < self.ALSO:
                entry[2].append(f"{issue.column}{issue.row}")
            return
        bucket = self._buckets.setdefault((issue.severity, issue.code), [])
        if len(bucket) >= self.limit:
            self._overflow[issue.severity] += 1
            return
        entry = [dataclasses.replace(issue, file=self.filename), 0, [], self.added]
        bucket.append(entry)
        if group is not None:
            self._groups[group] = entry

    def _entries(self, severity: str) -> list[Issue]:
        """In file order when every entry fits under the cap (the list then reads like the file);
        else a round robin over the kinds of problem, in the order each kind first came up, so
        that what the cap leaves out is more of the same."""
        buckets = [b for (level, _), b in self._buckets.items() if level == severity]
        if self._total(severity) <= self.limit:
            found = [entry for bucket in buckets for entry in bucket]
            found.sort(key=lambda entry: entry[3])
            return [_materialise(entry) for entry in found]
        ordered: list[Issue] = []
        depth = 0
        while len(ordered) < self.limit and any(len(b) > depth for b in buckets):
            for bucket in buckets:
                if depth < len(bucket) and len(ordered) < self.limit:
                    ordered.append(_materialise(bucket[depth]))
            depth += 1
        return ordered

    def _total(self, severity: str) -> int:
        entries = sum(len(b) for (level, _), b in self._buckets.items() if level == severity)
        return entries + self._overflow[severity]

    @property
    def errors(self) -> list[Issue]:
        return self._entries("error")

    @property
    def warnings(self) -> list[Issue]:
        return self._entries("warning")

    @property
    def more(self) -> int:
        """Error entries left out by the cap."""
        return max(0, self._total("error") - self.limit)

    @property
    def more_warnings(self) -> int:
        return max(0, self._total("warning") - self.limit)


def _materialise(entry: list[Any]) -> Issue:
    issue, repeats, also, _ = entry
    if not repeats:
        return issue
    value = next(
        (str(issue.params[name]) for name in Collector._VALUE_PARAMS if issue.params.get(name)),
        "",
    )
    return dataclasses.replace(issue, repeats=repeats, also=tuple(also), repeated_value=value)
