"""The example data's own texts in Swedish and English, so that a demo built in either language
reads right: measure names, status comments, risks (title, mitigation, owner), indicator names,
units and sources, state-grant projects and notes.

The texts are data (``demo/data/texts.csv``: ``fi,sv,en``, the Finnish text the generator writes
as the key). The generator builds everything in Finnish, so that a seed gives the same figures in
every language, and the texts are put into the chosen language as they are stored
(``sote --kieli sv demo``). A text the table lacks stays Finnish; a test checks that it lacks none.
Risk themes are not here: they are the app's vocabulary (``domain.themes``), translated on the
page whatever the language they were stored in.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from ..domain.i18n import normalise_language

_FILE = Path(__file__).resolve().parent / "data" / "texts.csv"


@cache
def _table() -> dict[str, dict[str, str]]:
    """Finnish text → {"sv": …, "en": …}."""
    with _FILE.open(encoding="utf-8", newline="") as handle:
        return {row["fi"]: {"sv": row["sv"], "en": row["en"]} for row in csv.DictReader(handle)}


def in_language(text: str, lang: str | None) -> str:
    """``text`` (the example's Finnish) in ``lang``; Finnish, or a text not in the table, as is."""
    lang = normalise_language(lang)
    if lang == "fi":
        return text
    return _table().get(text, {}).get(lang) or text
