"""Keep the Swedish and English message catalogs in step with the Finnish one.

The Finnish catalog (``sotedata/locale/fi/LC_MESSAGES/<topic>.po``) is the source: its msgids are
stable message keys such as ``national.title`` and its msgstrs the Finnish text. This script does
for key-based catalogs what ``pybabel update`` does for text-based ones: every Finnish key gets an
entry in each other language (empty and marked fuzzy when new, with the Finnish text as a comment
for the translator), entries whose key is gone are dropped, and translated entries whose Finnish
text changed are marked fuzzy so a translator looks again. ``tests/domain/test_i18n.py`` fails
while any entry is empty or fuzzy.

    python scripts/catalogs.py          # update sv and en from fi
    python scripts/catalogs.py --check  # exit 1 if an update would change a file
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "sotedata" / "locale"
SOURCE = "fi"
TARGETS = ("sv", "en")
PROJECT = "sote-tilannekuva"
LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def header(lang: str) -> str:
    return (
        f"# {LANGUAGE_NAMES[lang]} messages of sote-tilannekuva.\n"
        "# msgid is the message key the code asks for; msgstr is the text. Finnish is the source:\n"
        "# run `python scripts/catalogs.py` after changing it (see that script)."
    )


def new_catalog(lang: str, topic: str) -> Catalog:
    return Catalog(
        locale=lang, domain=topic, project=PROJECT, header_comment=header(lang), fuzzy=False
    )


def po_path(lang: str, topic: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{topic}.po"


def read(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return new_catalog(lang, path.stem)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=path.stem)


def render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    return buffer.getvalue()


def _same(comments: list[str]) -> str:
    """A comment as written back (PO wraps long comment lines), for comparing."""
    return " ".join(" ".join(comments).split())


def updated(
    source: Catalog, old: Catalog, lang: str, topic: str, elsewhere: dict[str, object]
) -> Catalog:
    """``elsewhere`` holds the language's entries from all its topics, so a message moved from one
    Finnish topic file to another keeps its translation."""
    new = new_catalog(lang, topic)
    new.creation_date = old.creation_date  # so that an unchanged catalog renders unchanged
    new.revision_date = old.revision_date
    for message in source:
        if not message.id:
            continue
        finnish = f"fi: {message.string}"
        before = old.get(message.id) or elsewhere.get(message.id)
        text = before.string if before is not None else ""
        flags = set(before.flags) if before is not None else set()
        if (
            before is not None
            and before.auto_comments
            and _same(before.auto_comments) != _same([finnish])
        ):
            flags.add("fuzzy")  # the Finnish text changed since this was translated
        if not text:
            flags.add("fuzzy")
        new.add(message.id, text, auto_comments=[finnish], flags=flags - {"python-format"})
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = []
    everything = {
        lang: {
            m.id: m
            for path in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.po"))
            for m in read(path, lang)
            if m.id and m.string
        }
        for lang in TARGETS
    }
    for source_path in sorted((LOCALE / SOURCE / "LC_MESSAGES").glob("*.po")):
        topic = source_path.stem
        source = read(source_path, SOURCE)
        for lang in TARGETS:
            path = po_path(lang, topic)
            content = render(updated(source, read(path, lang), lang, topic, everything[lang]))
            if path.exists() and path.read_bytes() == content:
                continue
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
    for path in stale:
        print(("stale: " if args.check else "updated: ") + str(path.relative_to(LOCALE.parent)))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
