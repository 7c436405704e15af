"""The one translation function and the locale-aware formatters all user-facing text goes through.

Catalogs are gettext PO files, ``sotedata/locale/<lang>/LC_MESSAGES/<topic>.po`` (one domain per
topic so that modules add messages without touching each other's files), read with Babel. The
msgids are stable keys (``national.title``), not Finnish sentences, so a Finnish wording can change
without orphaning its translations; ``scripts/catalogs.py`` keeps Swedish and English in step with
Finnish and marks what needs a translator. PO rather than JSON because translators' tools (Poedit,
Weblate, Lokalise) read it, with fuzzy flags and the Finnish source as a comment beside each entry.
A test fails on any key without Finnish text and on any Swedish or English entry that is empty or
fuzzy; at run time an untranslated (or fuzzy) entry falls back to Finnish rather than failing.
Numbers and dates are formatted with Babel so that Finnish reads "1 234,5" and "23.11.2026".
"""

from __future__ import annotations

import gettext
import math
import os
from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import DateTimePattern
from babel.dates import parse_pattern as parse_date_pattern
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern
from babel.numbers import parse_pattern as parse_number_pattern

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
_LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
_BABEL_LOCALE = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
_DATE_PATTERN = {"fi": "d.M.yyyy", "sv": "d.M.yyyy", "en": "d MMM yyyy"}
MISSING = "–"
#: The language a caller that names none gets: Finnish, unless a door (the CLI) chose another for
#: its whole run. A context variable rather than a global, so that one Streamlit session's choice
#: could never leak into another's; the pages always pass their language explicitly anyway.
_current: ContextVar[str] = ContextVar("sote_language", default=DEFAULT_LANGUAGE)


@cache
def catalog(lang: str) -> dict[str, str]:
    """All translated messages of one language, merged from its topic files (fuzzy ones left out:
    they await a translator and would otherwise show a stale or empty text)."""
    messages: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            po = read_po(handle, locale=lang, domain=path.stem)
        for message in po:
            if message.pluralizable:
                continue  # the plural entries are read by ``plural_catalog``
            if message.id and message.string and not message.fuzzy:
                messages[str(message.id)] = str(message.string)
    return messages


@cache
def plural_catalog(lang: str) -> tuple[Callable[[int], int], dict[str, tuple[str, ...]]]:
    """The language's plural rule (the catalogs' ``Plural-Forms``, gettext's C expression) and
    its plural messages: ``msgid "key"``, ``msgid_plural "key.plural"``, one ``msgstr[i]`` per
    form. An entry with an empty form or marked fuzzy is left out, as in ``catalog``."""
    rule: Callable[[int], int] = gettext.c2py("(n != 1)")
    messages: dict[str, tuple[str, ...]] = {}
    for path in sorted((_LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            po = read_po(handle, locale=lang, domain=path.stem)
        rule = gettext.c2py(po.plural_expr)
        for message in po:
            forms = tuple(str(form) for form in message.string or ())
            if message.pluralizable and forms and all(forms) and not message.fuzzy:
                messages[str(message.id[0])] = forms
    return rule, messages


def normalise_language(lang: str | None) -> str:
    """A supported language code; none given is the current language, anything unknown Finnish."""
    lang = (lang or _current.get()).strip().lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def use_language(lang: str | None) -> str:
    """Make ``lang`` the language of everything that follows in this context (for the CLI's
    ``--kieli``); returns the language actually chosen."""
    chosen = normalise_language(lang or DEFAULT_LANGUAGE)
    _current.set(chosen)
    return chosen


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """``SOTE_KIELI``, else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``sv_FI.UTF-8``
    gives Swedish) when it is one of ours, else Finnish; "C"/"POSIX"/English-by-default systems
    stay Finnish because a machine's default English locale is seldom its user's choice."""
    env = os.environ if environ is None else environ
    if env.get("SOTE_KIELI"):
        return normalise_language(env["SOTE_KIELI"])
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return code if code in ("fi", "sv") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    """The message ``key`` in ``lang`` (the current language when None; Finnish when missing),
    with ``{placeholders}`` filled in.

    An unknown key returns the key itself so a missing message is visible, never a crash;
    ``tests/domain/test_i18n.py`` fails on any key used in the code that Finnish lacks.
    """
    lang = normalise_language(lang)
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if values:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def tn(key: str, count: int, lang: str | None = None, /, **values: object) -> str:
    """The plural message ``key`` in the form ``count`` takes in ``lang`` (gettext's ngettext:
    "1 alue", "2 aluetta"), with ``{n}`` the count in the language's number format and the other
    ``{placeholders}`` filled in; Finnish when the language lacks it, the key when both do."""
    lang = normalise_language(lang)
    for language in (lang, DEFAULT_LANGUAGE):
        rule, messages = plural_catalog(language)
        forms = messages.get(key)
        if forms:
            text = forms[min(int(rule(abs(int(count)))), len(forms) - 1)]
            break
    else:
        return key
    try:
        return text.format(**{"n": fmt_number(count, lang=lang), **values})
    except (KeyError, IndexError, ValueError):
        return text


class NamedInThreeLanguages:
    """A registry entry with the fields ``name_fi``, ``name_sv`` and ``name_en`` (areas, work
    streams, organiser types, handover topics): the one way such a name is read in a language."""

    __slots__ = ()

    def name(self, lang: str | None = None) -> str:
        """The name in ``lang`` (Finnish by default)."""
        return getattr(self, f"name_{normalise_language(lang)}")


@cache
def _babel_locale(lang: str) -> Locale:
    """The language's Babel locale, parsed once: given as a string, Babel parses it again on
    every call, which was half the cost of ``fmt_number`` (called ~900 times a national page
    run)."""
    return Locale.parse(_BABEL_LOCALE[lang])


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _number_pattern(decimals: int) -> NumberPattern:
    """Babel's parsed pattern of a number with ``decimals``, parsed once (``format_decimal``
    parses its pattern string again on every call)."""
    return parse_number_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@cache
def _date_pattern(lang: str) -> DateTimePattern:
    """The language's parsed date pattern, parsed once (``format_date`` parses it on every call,
    about half a millisecond: a warm run of the area page formats some fifty dates)."""
    return parse_date_pattern(_DATE_PATTERN[lang])


def fmt_number(value: float | int | None, decimals: int = 0, lang: str | None = None) -> str:
    """A number in the language's format: Finnish "1 234,5" (no-break space, decimal comma)."""
    if _is_missing(value):
        return MISSING
    locale = _babel_locale(normalise_language(lang))
    return _number_pattern(max(decimals, 0)).apply(value, locale)


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
    return _date_pattern(lang).apply(value, _babel_locale(lang))
