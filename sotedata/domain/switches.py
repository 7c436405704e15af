"""What a yes is, wherever a person writes one: a URL switch (``?esitys=1``, ``?kriittiset=kyllä``)
or an environment setting (``SOTE_OFFLINE=true``).

The words are a vocabulary (``data/yes_words.csv``, Finnish, Swedish and English); anything else,
an empty value included, is no. It lives in the domain so that the settings, which the domain
reads, and the URL grammar (``views.grammar``) share one list instead of two that drift apart.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

_WORDS = Path(__file__).resolve().parent.parent / "data" / "yes_words.csv"


@cache
def yes_words() -> frozenset[str]:
    """The words that mean yes in any of the app's languages, folded; read once."""
    with _WORDS.open(encoding="utf-8") as handle:
        return frozenset(row["word"].strip().casefold() for row in csv.DictReader(handle))


def is_yes(value: object) -> bool:
    """A switch's value in any language and any case: yes, else no."""
    if value is None:
        return False
    return str(value).strip().casefold() in yes_words()
