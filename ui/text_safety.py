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
#: Characters that are Markdown wherever they stand: code, emphasis, strikethrough, links and
#: images (``[``), raw HTML and autolinks (``<``), math (``$``), tables (``|``), the escape
#: itself. Other punctuation is left alone, so ordinary text keeps its own form.
_ALWAYS = re.compile(r"([\\`*_~\[\]<$|])")
#: An HTML character reference would show as the character it names.
_ENTITY = re.compile(r"&(?=#?\w+;)")
#: What makes a block at the start of a line: a heading, a list item, a quote, a rule or a
#: heading's underline.
_LINE_START = re.compile(
    r"^([ \t]*)(#(?=#{0,5}(?:[ \t]|$))|[-+](?=[ \t]|$)|[-=](?=[-= \t]*$)|>"
    r"|\d{1,9}(?=[.)](?:[ \t]|$)))",
    re.MULTILINE,
)
#: A colon that starts a directive (``:red[…]``, or one of Streamlit's styles alone: ``x:small``
#: would lose its "small"), an emoji or an icon (``:name:``). ``[`` is escaped by then.
_DIRECTIVE = re.compile(
    r":(?=[\w+\-/]+\\?[:\[{]"
    r"|(?:small|shimmer|color|red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)"
    r"(?:-background|-badge)?(?![\w-]))"
)
#: Where Streamlit's plugins that read the parsed text (after escapes are gone) would start:
#: a raw address, ``www.``, an e-mail address, an arrow written with ``-``, ``<``, ``>``, ``=``.
_TEXT_PLUGINS = re.compile(
    r"(?i:(?<=http)|(?<=https))(?=://)"
    r"|(?i:(?<=www))(?=\.)"
    r"|(?=@[-\w]+(?:\.[-\w]+)+)"
    r"|(?<=(?<!\S)[<\-~>])(?=[\->=]>?(?!\S))"
)


def plain(text: object) -> str:
    """``text`` as Markdown that Streamlit shows character for character (``None`` as empty).

    For stored text that goes into a Markdown element, alone or as a placeholder's value in a
    catalog message; never for a catalog text itself, whose own Markdown is meant. Text without
    Markdown characters comes back unchanged."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    value = _TEXT_PLUGINS.sub(WORD_JOINER, value)
    value = _ALWAYS.sub(r"\\\1", value)
    value = _ENTITY.sub(r"\\&", value)
    value = _LINE_START.sub(_escape_line_start, value)
    return _DIRECTIVE.sub("\\\\:" + WORD_JOINER, value)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, mark = match.group(1), match.group(2)
    if mark.isdigit():  # "1. " or "1) ": the dot or parenthesis is escaped after the number
        return f"{indent}{mark}\\"
    return f"{indent}\\{mark}"


def plain_rows(rows: Rows) -> Rows:
    """A table for ``st.table`` (rows as dicts, or a DataFrame) with every text cell made
    :func:`plain`: Streamlit draws its cells as Markdown. Numbers and dates stay as they are,
    so they still align as numbers."""
    if hasattr(rows, "map") and hasattr(rows, "columns"):  # a pandas DataFrame
        return rows.map(_plain_cell)  # type: ignore[no-any-return, attr-defined]
    return [{key: _plain_cell(value) for key, value in row.items()} for row in rows]  # type: ignore[attr-defined, return-value]


def _plain_cell(value: Any) -> Any:
    return plain(value) if isinstance(value, str) else value


#: tooltip keys that vega-tooltip draws as something else than text: ``image`` becomes an
#: ``<img>`` whose address is the value (the other keys and all values are escaped HTML)
_TOOLTIP_KEYS = frozenset({"image"})


def safe_tooltips(spec: dict[str, Any]) -> dict[str, Any]:
    """A Vega-Lite spec whose tooltip fields cannot be read as vega-tooltip's ``image`` key: a
    field titled so (an indicator named "image") gets an invisible word joiner in its title.
    Only the encodings are copied; data stays shared."""

    def fix(node: Any, key: str | None = None) -> Any:
        if key in ("data", "datasets", "values"):
            return node
        if key == "tooltip":
            items = node if isinstance(node, list) else [node]
            fixed = [_safe_tooltip_field(item) for item in items]
            return fixed if isinstance(node, list) else fixed[0]
        if isinstance(node, dict):
            return {name: fix(value, name) for name, value in node.items()}
        if isinstance(node, list):
            return [fix(item) for item in node]
        return node

    return fix(spec)  # type: ignore[no-any-return]


def _safe_tooltip_field(item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    shown_as = item.get("title", item.get("field"))
    if isinstance(shown_as, str) and shown_as.strip().lower() in _TOOLTIP_KEYS:
        return {**item, "title": shown_as + WORD_JOINER}
    return item


def shown(markdown: str) -> str:
    """What a reader sees of text made by :func:`plain`: the escapes and word joiners gone.
    For tests and checks that compare a page with the stored text."""
    return re.sub(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])", r"\1", markdown).replace(
        WORD_JOINER, ""
    )
