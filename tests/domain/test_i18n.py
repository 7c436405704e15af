"""Finnish is complete: every message the code asks for exists in the Finnish catalog."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from sotedata.domain import i18n
from sotedata.domain.i18n import catalog, fmt_date, fmt_number, fmt_percent, t
from sotedata.domain.model import Status
from sotedata.rules import metrics

ROOT = Path(__file__).resolve().parents[2]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")


def _source_files():
    yield ROOT / "app.py"
    yield from (ROOT / "pages").glob("*.py")
    yield from (ROOT / "sotedata").rglob("*.py")


def _literal_keys() -> set[str]:
    keys = set()
    for path in _source_files():
        keys.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_literal_message_key_has_finnish_text():
    keys = _literal_keys()
    assert len(keys) > 30  # the scan found the code's messages, not nothing
    missing = sorted(k for k in keys if k not in catalog("fi"))
    assert not missing, f"Finnish messages missing: {missing}"


@pytest.mark.parametrize(
    "keys",
    [
        [f"metric.{m}" for m in metrics.METRICS],
        [f"status.{s.value}" for s in Status],
        [f"phase.{n}" for n in (1, 2, 3)],
        [f"national.view.{v}" for v in ("kartta", "ruudut")],
        [f"geo.source.{s}" for s in ("file", "cache", "wfs", "asset", "tiles")],
    ],
)
def test_every_dynamic_message_key_has_finnish_text(keys):
    missing = [k for k in keys if k not in catalog("fi")]
    assert not missing


def test_missing_translation_falls_back_to_finnish_and_unknown_key_shows_itself():
    assert t("national.title", "sv") == t("national.title", "sv") != ""
    assert t("no.such.key") == "no.such.key"


def test_finnish_formats():
    assert fmt_number(1234.5, 1) == "1\u00a0234,5"
    assert fmt_percent(0.6449) == "64\u00a0%"
    assert fmt_percent(0.25) == "25\u00a0%"
    assert fmt_date(date(2026, 11, 23)) == "23.11.2026"
    assert fmt_number(None) == "–"


def test_a_door_can_choose_the_language_for_everything_after_it():
    import contextvars

    from sotedata.domain.i18n import use_language

    def run():
        assert use_language("sv") == "sv"
        return fmt_percent(0.5), t("status.done"), t("status.done", "fi")

    percent, swedish, finnish = contextvars.copy_context().run(run)
    assert swedish == catalog("sv")["status.done"] != finnish
    assert t("status.done") == finnish  # the caller's own context is still Finnish


def test_language_from_environment():
    from sotedata.domain.i18n import language_from_environment as env

    assert env({"SOTE_KIELI": "en", "LANG": "sv_FI.UTF-8"}) == "en"
    assert env({"LANG": "sv_FI.UTF-8"}) == "sv"
    assert env({"LC_ALL": "fi_FI.UTF-8", "LANG": "sv_FI.UTF-8"}) == "fi"
    assert env({"LANG": "C.UTF-8"}) == "fi"
    assert env({"LANG": "en_US.UTF-8"}) == "fi"
    assert env({}) == "fi"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_numbers_and_dates_are_babels_own_with_the_pattern_parsed_once(lang):
    """``fmt_number`` and ``fmt_date`` apply Babel's parsed patterns kept from the first call
    (parsing was a third of a warm area page run); what they write is exactly what
    ``format_decimal`` and ``format_date`` write."""
    locale = i18n._babel_locale(lang)
    for value in (0, -0.0, 0.5, 2.5, 1234.5, -1234567.891, 1e-9, 987654321, 12345.675):
        for decimals in (0, 1, 2, 3):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            expected = format_decimal(value, format=pattern, locale=locale)
            assert i18n.fmt_number(value, decimals, lang) == expected
    for when in (date(2020, 12, 8), date(2021, 6, 23), date(2023, 1, 1), date(1999, 9, 9)):
        assert i18n.fmt_date(when, lang) == format_date(
            when, i18n._DATE_PATTERN[lang], locale=locale
        )
    assert i18n._date_pattern(lang) is i18n._date_pattern(lang)
