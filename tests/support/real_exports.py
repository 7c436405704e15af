"""Reading the real statistical exports (tests/data/real) for the tests of what they must give:
one parse with the same roadmap and day, and the file's own numbers read the way its source
writes them, so the two test modules compare against the same reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sotedata.domain.model import default_roadmap
from sotedata.ingest import parse_file
from sotedata.ingest.report import ParsedFile

REAL = Path(__file__).parent.parent / "data" / "real"
ROADMAP = default_roadmap()
#: how the exports write a missing number (THL's dots, Statistics Finland's dash)
MISSING = frozenset({"", ".", "..", "...", "-"})


def parse_real(name: str) -> ParsedFile:
    return parse_file((REAL / name).read_bytes(), name, roadmap=ROADMAP, today=date(2026, 12, 2))


def read_number(text: str, missing: frozenset[str] = MISSING) -> float | None:
    """A value as the file writes it: decimal point or comma, one of ``missing`` for none."""
    text = text.strip()
    if text in missing:
        return None
    return float(text.replace(",", "."))


def error_texts(parsed: ParsedFile) -> list[str]:
    return [issue.render() for issue in parsed.errors]


def mentions(issue, text: str) -> bool:
    """Whether any of the issue's parameters holds ``text``."""
    return any(text in str(value) for value in issue.params.values())


def warnings_of(parsed: ParsedFile, code: str) -> list:
    return [issue for issue in parsed.warnings if issue.code == code]


def stored_values(parsed: ParsedFile) -> dict[tuple[str, str, str], float | None]:
    """(indicator name, region code, period text) → value, every stored value once."""
    names = {indicator.key: indicator.name for indicator in parsed.indicators}
    found: dict[tuple[str, str, str], float | None] = {}
    for value in parsed.indicator_values:
        key = (names[value.indicator], value.region_code, value.period.text)
        assert key not in found, f"{key} stored twice"
        found[key] = value.value
    return found
