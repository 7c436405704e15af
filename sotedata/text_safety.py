"""Stored text shown exactly as written on a page whose text elements read Markdown.

Streamlit draws ``st.markdown``, captions, boxes, headers, labels, tabs, expanders, metric
labels, ``help`` tooltips and ``st.table`` cells as Markdown. A name or note that someone typed
into a workbook would otherwise be read as syntax: ``![x](https://…)`` makes every viewer's
browser fetch an outside image, ``[text](address)`` shows a link whose text hides where it
leads, ``:red[…]``, ``$…$`` and ``:material/…:`` restyle it. :func:`plain` turns such text into
Markdown that shows its characters and nothing else.

Backslash escapes alone are not enough in Streamlit 1.67: a few of its Markdown plugins work on
the parsed text, after escapes are gone — raw addresses (``https://…``, ``www.…``) and e-mail
addresses become links, ``:name:`` becomes an emoji or an icon, ``->`` an arrow. Those are
broken with an invisible word joiner (U+2060), which changes nothing a reader sees.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

Rows = TypeVar("Rows")

#: U+2060 WORD JOINER: zero width, no line break, ignored by the eye.
WORD_JOINER = "\u2060"
#: Every ASCII punctuation character: CommonMark lets each be escaped with a backslash, so
#: escaping them all leaves no syntax (links, images, HTML, emphasis, code, math, directives,
#: tables, headings, lists, entities) for a later extension to find.
_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
#: Where the plugins that read parsed text would start: the word joiner goes in between.
_TEXT_PLUGINS = re.compile(
    r"(?<=:)(?=[\w/+\-])"  # https://…, :emoji:, :+1:, :material_icon:, :streamlit:
    r"|(?i:(?<=www))(?=\.)"  # www.example.org
    r"|(?=@)"  # name@example.org
    r"|(?<=[\-<>~=])(?=[\-<>=])"  # ->, <-, <->, --, >=, <=, ~=
)


def plain(text: object) -> str:
    """``text`` as Markdown that Streamlit shows character for character (``None`` as empty).

    For stored text that goes into a Markdown element, alone or as a placeholder's value in a
    catalog message; never for a catalog text itself, whose own Markdown is meant."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = _TEXT_PLUGINS.sub(WORD_JOINER, value)
    return _PUNCTUATION.sub(r"\\\1", value)


def plain_rows(rows: Rows) -> Rows:
    """A table for ``st.table`` (rows as dicts, or a DataFrame) with every text cell made
    :func:`plain`: Streamlit draws its cells as Markdown. Numbers and dates stay as they are,
    so they still align as numbers."""
    if hasattr(rows, "map") and hasattr(rows, "columns"):  # a pandas DataFrame
        return rows.map(_plain_cell)  # type: ignore[no-any-return, attr-defined]
    return [{key: _plain_cell(value) for key, value in row.items()} for row in rows]  # type: ignore[attr-defined, return-value]


def _plain_cell(value: Any) -> Any:
    return plain(value) if isinstance(value, str) else value


def shown(markdown: str) -> str:
    """What a reader sees of text made by :func:`plain`: the escapes and word joiners gone.
    For tests and checks that compare a page with the stored text."""
    return re.sub(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])", r"\1", markdown).replace(
        WORD_JOINER, ""
    )
