"""Stored text made safe for Streamlit's Markdown (issue 14 item 2): every Markdown special is
escaped, and the plugins that work on the parsed text (raw addresses, e-mail, emoji, icons,
arrows) find nothing to act on, while a reader sees the text exactly as written."""

from __future__ import annotations

import re

import pytest

from ui.text_safety import WORD_JOINER, plain, plain_rows, shown

HOSTILE = [
    "![x](http://evil.example/x.png)",
    "[click](http://evil.example)",
    "<img src=http://evil.example/y.png>",
    '<a href="https://evil.example">x</a>',
    ":material/home: :red[punainen] :blue-background[x] :smile: :+1: :streamlit:",
    "$x$ and $$y$$",
    "https://evil.example/a www.evil.example WWW.EVIL.EXAMPLE name@evil.example",
    "**bold** _it_ ~~gone~~ `code` # heading | a | b |",
    "1. list\n- item\n> quote\n---\n=== &amp; &#60; \\[",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "[ref]: http://evil.example\n[ref] [^1]",
]


def _text_node(markdown: str) -> str:
    """What the Markdown parser leaves in a text node: backslash escapes resolved, the word
    joiners kept (the plugins below run on exactly this)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_shown_exactly_as_written(text):
    assert shown(plain(text)) == text


@pytest.mark.parametrize("char", list("\\`*_~[]<$|"))
def test_characters_that_are_markdown_anywhere_are_escaped(char):
    assert plain(f"a{char}b") == f"a\\{char}b"


@pytest.mark.parametrize(
    "line, escaped",
    [
        ("# otsikko", "\\# otsikko"),
        ("### otsikko", "\\### otsikko"),
        ("- kohta", "\\- kohta"),
        ("+ kohta", "\\+ kohta"),
        ("> lainaus", "\\> lainaus"),
        ("2022. vuosi", "2022\\. vuosi"),
        ("1) kohta", "1\\) kohta"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("teksti\n  - kohta", "teksti\n  \\- kohta"),
    ],
)
def test_block_marks_at_a_line_start_are_escaped(line, escaped):
    assert plain(line) == escaped


@pytest.mark.parametrize(
    "text",
    [
        "Lähde: Esimerkkiaineisto (keksityt arvot, ei THL:n lukuja)",
        "Pohjois-Karjala (7,6 %), 15.12.2022 klo 12:30",
        "#1 hanke, 1.5 milj. €, R&D, a > b, 100 % (arvio)!",
    ],
)
def test_ordinary_text_comes_back_unchanged(text):
    """Only what Markdown would read is touched, so pages and their tests read the same."""
    assert plain(text) == text


@pytest.mark.parametrize(
    "text",
    [":red[a]", ":blue-background[x]", "x:small", ":material/home:", ":smile:", ":name{#id}"],
)
def test_directives_emoji_and_icons_are_escaped(text):
    assert f"\\:{WORD_JOINER}" in plain(text)


def test_entities_are_escaped():
    assert plain("&amp; &#60; &#x3C;") == "\\&amp; \\&#60; \\&#x3C;"


@pytest.mark.parametrize("text", HOSTILE)
def test_no_link_image_or_html_is_left(text):
    escaped = plain(text)
    assert not re.search(r"(?<!\\)\[|(?<!\\)<|(?<!\\)`|(?<!\\)\$", escaped), escaped


# the regular expressions of Streamlit 1.67's Markdown plugins that read parsed text
# (StreamlitMarkdown.*.js: GFM autolink literals, remark-emoji, material icons, :streamlit:,
# the arrow replacements)
AUTOLINK = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
EMOJI = re.compile(r":\+1:|:-1:|:[\w-]+:")
ICON = re.compile(r":material[_/](\w+):")
ARROWS = re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)")


@pytest.mark.parametrize("pattern", [AUTOLINK, EMAIL, EMOJI, ICON, ARROWS])
def test_text_plugins_find_nothing(pattern):
    # the samples do reach each plugin as written (an icon once Streamlit rewrote its "/")
    assert any(pattern.search(text.replace(":material/", ":material_")) for text in HOSTILE)
    for text in HOSTILE:
        assert not pattern.search(_text_node(plain(text))), text


def test_autolinks_are_broken_without_changing_what_is_read():
    for address in ("https://evil.example", "http://a.b/c", "www.evil.example", "x@y.fi"):
        node = _text_node(plain(address))
        assert not AUTOLINK.search(node) and not EMAIL.search(node)
        assert node.replace(WORD_JOINER, "") == address


def test_material_icon_and_math_do_not_survive():
    escaped = plain(":material/home: $x$")
    assert ":material/" not in escaped  # Streamlit rewrites this before parsing
    assert "\\$x\\$" in escaped  # remark-math reads no escaped dollar as a delimiter
    assert not ICON.search(_text_node(escaped).replace("/", "_"))


def test_empty_and_non_text():
    assert plain(None) == ""
    assert plain(12.5) == "12.5"
    assert plain("rivi\r\ntoinen") == "rivi\ntoinen"


def test_table_cells_text_only():
    import pandas as pd

    rows = plain_rows([{"a": "[x](http://e.example)", "n": 3}])
    assert rows == [{"a": plain("[x](http://e.example)"), "n": 3}]
    frame = plain_rows(pd.DataFrame({"a": ["<b>"], "n": [1.5]}))
    assert frame["a"].tolist() == ["\\<b>"] and frame["n"].tolist() == [1.5]


def test_a_tooltip_field_named_image_stays_text():
    """vega-tooltip draws a tooltip key "image" as <img src=value>: an indicator named so must
    not turn its value into an address."""
    from ui.text_safety import safe_tooltips

    values = [{"label": "10,5"}]
    spec = {
        "data": {"values": values},
        "layer": [
            {
                "encoding": {
                    "tooltip": [
                        {"field": "label", "type": "nominal", "title": "Image"},
                        {"field": "short", "type": "nominal", "title": "Alue"},
                    ]
                }
            },
            {"encoding": {"tooltip": {"field": "image", "type": "nominal"}}},
        ],
    }
    safe = safe_tooltips(spec)
    first, second = (layer["encoding"]["tooltip"] for layer in safe["layer"])
    assert first[0]["title"] == "Image" + WORD_JOINER and first[1]["title"] == "Alue"
    assert second["title"] == "image" + WORD_JOINER
    assert safe["data"]["values"] is values  # the data is not copied
    assert spec["layer"][0]["encoding"]["tooltip"][0]["title"] == "Image"  # nor changed


def test_an_exported_svg_holds_stored_text_as_text():
    """A chart downloaded as SVG (title, axis, marks, caption lines from stored text) holds the
    text in <text> elements: no image, link or foreign HTML that a viewer would load."""
    import xml.etree.ElementTree as ET
    from datetime import date

    import altair as alt
    import pandas as pd

    from sotedata.charts import image as chart_export
    from tests.support import hostile_text

    frame = pd.DataFrame({"name": [hostile_text.ALL], "v": [1]})
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(x="v:Q", y=alt.Y("name:N", title=hostile_text.HTML))
        .properties(title=hostile_text.IMAGE)
    )
    svg = chart_export.to_svg(
        chart,
        title=hostile_text.LINK,
        as_of=date(2022, 6, 15),
        example=False,
        lang="fi",
        attribution=hostile_text.HTML,
        notes=[hostile_text.IMAGE],
    )
    root = ET.fromstring(svg)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert not tags & {"image", "a", "foreignObject", "script", "iframe"}, tags
    text = " ".join(
        "".join(element.itertext()) for element in root.iter() if element.tag.endswith("text")
    )
    for hostile in hostile_text.HOSTILE:
        assert hostile in text
