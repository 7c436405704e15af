"""The template's own sheets that hold no data: its instructions and its drop-down lists.

They are named in the template's language ("Ohjeet", "Anvisningar", "Instructions"; "Luettelot",
…), from the same catalog keys the template names them with, so a filled template comes back
with them recognised as the app's own (kind ``instructions``) rather than "a sheet not
recognised". Only a sheet that holds no table of ours is taken for one: a status table on a sheet
called "Ohjeet" is still read.
"""

from __future__ import annotations

from functools import cache

from ..domain.areas import normalise_name
from ..domain.i18n import LANGUAGES, t

#: the template's sheets of instructions and lists, by their message keys (``template.sheet.*``)
INSTRUCTION_SHEETS = ("help", "lists")


@cache
def _names() -> frozenset[str]:
    return frozenset(
        normalise_name(t(f"template.sheet.{key}", lang))
        for key in INSTRUCTION_SHEETS
        for lang in LANGUAGES
    )


def is_instructions(name: str) -> bool:
    """Whether a sheet name is one of the template's instruction or list sheets, any language."""
    return normalise_name(name) in _names()


def sheet_kind(kind: str, name: str) -> str:
    """The kind a sheet is reported as: an ignored sheet named as the template's own sheets are
    is ``instructions``."""
    return "instructions" if kind == "ignored" and is_instructions(name) else kind
