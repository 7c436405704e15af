"""Risk themes are the app's vocabulary: each known theme has a name in Finnish, Swedish and
English (``data/risk_themes.csv``: ``key,fi,sv,en,aliases``), so a Swedish page says "Ekonomi"
where the file said "Talous".

A stored theme stays as the reporter wrote it. ``canonical`` gives the one form the figures, the
filters and the URL use for it: a known theme, written in any language or by an alias, is its
Finnish name ("Ekonomi" and "talous" are both "Talous", one column of the heat map); a theme the
list does not know stays exactly as written. ``label`` shows a theme in the page's language, and
an unknown one as written.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from .areas import normalise_name
from .i18n import normalise_language

_FILE = Path(__file__).resolve().parents[1] / "data" / "risk_themes.csv"


@cache
def _table() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """key → {lang: name}, and every normalised name and alias → key."""
    names: dict[str, dict[str, str]] = {}
    lookup: dict[str, str] = {}
    with _FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = row["key"]
            names[key] = {lang: row[lang] for lang in ("fi", "sv", "en")}
            words = [row["fi"], row["sv"], row["en"], *row["aliases"].split("|")]
            for word in filter(None, (w.strip() for w in words)):
                if lookup.setdefault(normalise_name(word), key) != key:
                    raise ValueError(f"risk_themes.csv: {word!r} names two themes")
    return names, lookup


def theme_key(text: object) -> str | None:
    """The known theme a text names (any language, any alias, case and accents aside), else None."""
    if text is None:
        return None
    return _table()[1].get(normalise_name(str(text)))


def canonical(text: str) -> str:
    """The form figures, filters and URLs use: a known theme's Finnish name, else ``text``."""
    key = theme_key(text)
    return _table()[0][key]["fi"] if key else text


def label(theme: str, lang: str | None = None) -> str:
    """A theme in ``lang``: a known theme's name in it, an unknown one as written."""
    key = theme_key(theme)
    return _table()[0][key][normalise_language(lang)] if key else theme
