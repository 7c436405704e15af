"""Swedish and English are complete: every Finnish message has a reviewed translation in each,
with the same placeholders, and the catalogs are in step with Finnish (scripts/catalogs.py)."""

import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sotedata.domain.i18n import LANGUAGES, catalog

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "sotedata" / "locale"
OTHERS = [lang for lang in LANGUAGES if lang != "fi"]


def _entries(lang: str) -> dict[str, object]:
    entries = {}
    for path in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang, domain=path.stem):
                if message.id:
                    entries[message.id] = (path.name, message)
    return entries


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


@pytest.mark.parametrize("lang", OTHERS)
def test_every_finnish_message_has_a_reviewed_translation(lang):
    entries = _entries(lang)
    missing = sorted(key for key in catalog("fi") if key not in entries)
    untranslated = sorted(
        f"{name}: {key}"
        for key, (name, message) in entries.items()
        if key in catalog("fi") and (not message.string or message.fuzzy)
    )
    assert not missing, f"{lang}: no entry for {missing[:20]} (run scripts/catalogs.py)"
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated: {untranslated[:20]}"


@pytest.mark.parametrize("lang", OTHERS)
def test_translations_keep_the_placeholders(lang):
    finnish = catalog("fi")
    wrong = [
        key
        for key, text in catalog(lang).items()
        if key in finnish and _placeholders(text) != _placeholders(finnish[key])
    ]
    assert not wrong, f"{lang}: placeholders differ in {wrong}"


@pytest.mark.parametrize("lang", OTHERS)
def test_no_translation_without_a_finnish_source(lang):
    orphans = sorted(set(catalog(lang)) - set(catalog("fi")))
    assert not orphans, f"{lang}: keys Finnish no longer has: {orphans[:20]}"


def test_a_message_lives_in_one_topic_file():
    for lang in LANGUAGES:
        seen: dict[str, str] = {}
        for path in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as handle:
                for message in read_po(handle):
                    if message.id:
                        assert message.id not in seen, (lang, message.id, seen.get(message.id))
                        seen[message.id] = path.name


def test_catalogs_are_in_step_with_finnish():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_stale_translation_is_flagged_when_the_finnish_text_changes(tmp_path, monkeypatch):
    """The update marks a translation fuzzy when its Finnish source changed, so it is looked at
    again instead of silently showing the old meaning."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import catalogs
    from babel.messages.catalog import Catalog

    source = Catalog(locale="fi")
    source.add("x.key", "Uusi teksti")
    old = Catalog(locale="sv")
    old.add("x.key", "Gammal text", auto_comments=["fi: Vanha teksti"])
    new = catalogs.updated(source, old, "sv", "x", {})
    assert new.get("x.key").fuzzy and new.get("x.key").string == "Gammal text"
    unchanged = Catalog(locale="sv")
    unchanged.add("x.key", "Ny text", auto_comments=["fi: Uusi teksti"])
    assert not catalogs.updated(source, unchanged, "sv", "x", {}).get("x.key").fuzzy


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_time_header_names_its_time_zone(lang):
    """Times on the pages and in the exports are Finland's wall clock, and each header says so
    (issue 18 item 7): the upload history, the admin page's tables and the exported tables."""
    from sotedata.domain.i18n import t

    zone = {"fi": "(Suomen aikaa)", "sv": "(finsk tid)", "en": "(Finnish time)"}[lang]
    keys = ["upload.history.col.time", "admin.audit.col.at", "admin.col.updated"]
    keys += ["zone.col.at", "zone.col.loaded_at", "zone.col.reverted_at"]
    assert all(t(key, lang).endswith(zone) for key in keys)
