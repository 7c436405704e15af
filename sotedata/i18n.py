"""The one translation function and the locale-aware formatters all user-facing text goes through.

Catalogs are JSON files under ``sotedata/locale/<lang>/<topic>.json`` (one file per topic so that
modules add messages without touching each other's files). Finnish is complete by rule (a test
checks that every key used exists in Finnish); Swedish and English fall back to Finnish until
their issue.
Numbers and dates are formatted with Babel so that Finnish reads "1 234,5" and "23.11.2026".
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
_LOCALE_DIR = Path(__file__).parent / "locale"
_BABEL_LOCALE = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_DATE_PATTERN = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}
MISSING = "–"


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, merged from its topic files."""
    messages: dict[str, str] = {}
    folder = _LOCALE_DIR / lang
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            messages.update(json.loads(path.read_text(encoding="utf-8")))
    return messages


def normalise_language(lang: str | None) -> str:
    """A supported language code; anything else falls back to Finnish."""
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (Finnish when missing), with ``{placeholders}`` filled in.

    An unknown key returns the key itself so a missing message is visible, never a crash;
    ``tests/test_i18n.py`` fails on any key used in the code that Finnish lacks.
    """
    lang = normalise_language(lang)
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | int | None, decimals: int = 0, lang: str | None = None) -> str:
    """A number in the language's format: Finnish "1 234,5" (no-break space, decimal comma)."""
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_BABEL_LOCALE[normalise_language(lang)])


def fmt_percent(share: float | None, decimals: int = 0, lang: str | None = None) -> str:
    """A share 0–1 as a percentage, Finnish style with a space before the sign: "64 %"."""
    if _is_missing(share):
        return MISSING
    number = fmt_number(float(share) * 100, decimals, lang)
    return f"{number}\u00a0%" if normalise_language(lang) != "en" else f"{number}%"


def fmt_date(value: date | datetime | None, lang: str | None = None) -> str:
    """A date in the language's format: Finnish "23.11.2026"."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = value.date()
    lang = normalise_language(lang)
    return format_date(value, _DATE_PATTERN[lang], locale=_BABEL_LOCALE[lang])
