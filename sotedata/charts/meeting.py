"""Meeting mode (``?esitys=1``): the situation picture on a projector in a jaosto meeting (the
switch's words are the one grammar's, ``views.grammar.is_yes``, read by ``ui.common``).

A projector washes out light colours and small type, and the room reads from several metres away;
some of it is printed in greyscale afterwards. So the mode does three things, all here as pure
functions that the pages apply and the tests inspect:

* ``present_spec`` turns any chart's Vega-Lite spec into its projector form: larger type with
  the room it needs (heights grow, so no label is dropped for overlapping), thicker dark outlines,
  and sequential colour schemes cut at their light end (Vega's scheme ``extent``),
  so the lowest class is still a visible tint, while the order light → dark (readable in
  greyscale) stays;
* ``page_css`` hides the app's chrome (toolbar, sidebar, footer) and sets large type;
* ``neighbours`` gives the previous and next area in the registry's order, for the keyboard steps
  (→ / ←, and PageDown / PageUp that presentation clickers send) on the area page.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from ..domain import areas
from .fit import LABEL_LINE_HEIGHT, wrap

PARAM = "esitys"
#: how much of a sequential scheme's light end is cut away (0 = white-ish, 1 = darkest)
SCHEME_EXTENT = (0.3, 1.0)
#: outlines and rules: near black instead of white or light grey, so shapes separate on a wall
OUTLINE = "#1a1a1a"
HEIGHT_FACTOR = 1.45
FONT_SIZES = {"label": 18, "title": 20, "chart_title": 28, "subtitle": 20, "text": 18}
#: a legend below or above a chart: its symbols in this many columns in the mode
_ROW_LEGENDS = ("bottom", "top")
LEGEND_COLUMNS = 3
#: the usermeta key through which a chart asks for a smaller size of its written-in text
TEXT_PX = "meeting_text_px"
#: how much larger the mode's label type is than the app's 12 px: what a label's room grows by
TEXT_FACTOR = FONT_SIZES["label"] / 12
#: room a chart gives its text in pixels, which grows with the type so nothing is cut
_ROOM_KEYS = ("labelLimit", "titleLimit", "labelLineHeight", "labelPadding")
_LIGHT_STROKES = {"#ffffff", "#fff", "white", "#d9d9d9", "#bdbdbd"}
_TEXT_MARKS = {"text"}


def _scheme(value: Any) -> Any:
    if isinstance(value, str):
        return {"name": value, "extent": list(SCHEME_EXTENT)}
    if isinstance(value, dict) and "name" in value and "extent" not in value:
        return {**value, "extent": list(SCHEME_EXTENT)}
    return value


def _grow_text(node: dict[str, Any]) -> None:
    """An axis's or legend's own type sizes up to the mode's (they outrank the config), and the
    room it gives its text (label and title limits, wrapped lines) grown with the type, so a
    larger label is never cut ("Korkein pistemäär…")."""
    for key, size in (("labelFontSize", "label"), ("titleFontSize", "title")):
        value = node.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            node[key] = max(value, FONT_SIZES[size])
    for key in _ROOM_KEYS:
        value = node.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            node[key] = round(value * TEXT_FACTOR)


def _walk(node: Any, text_px: float = FONT_SIZES["text"]) -> None:
    """Adjust every scale, mark and text size in place, wherever it sits in a layered spec
    (``text_px``: the mode's size of text written into the chart)."""
    if isinstance(node, list):
        for item in node:
            _walk(item, text_px)
        return
    if not isinstance(node, dict):
        return
    scale = node.get("scale")
    if isinstance(scale, dict) and "scheme" in scale and "domainMid" not in scale:
        # a diverging scheme is light in its middle on purpose (no change): it stays whole
        scale["scheme"] = _scheme(scale["scheme"])
    height = node.get("height")
    if isinstance(height, int | float) and not isinstance(height, bool):
        # larger type needs more room, or Vega drops every other label (area names on the bars)
        node["height"] = round(height * HEIGHT_FACTOR)
    elif isinstance(height, dict) and isinstance(height.get("step"), int | float):
        node["height"] = {**height, "step": round(height["step"] * HEIGHT_FACTOR)}
    width = node.get("width")
    if isinstance(width, dict) and isinstance(width.get("step"), int | float):
        # a column of a table or a tile: its text grows, so does its room
        node["width"] = {**width, "step": round(width["step"] * HEIGHT_FACTOR)}
    _grow_text(node)
    mark = node.get("mark")
    if isinstance(mark, dict):
        stroke = mark.get("stroke")
        if isinstance(stroke, str) and stroke.lower() in _LIGHT_STROKES:
            mark["stroke"] = OUTLINE
            mark["strokeWidth"] = max(float(mark.get("strokeWidth", 1)), 1.5)
        if mark.get("type") in _TEXT_MARKS:
            mark["fontSize"] = max(float(mark.get("fontSize", 11)), text_px)
            # a text's line height and offset grow with its type, so lines keep their places
            for key in ("lineHeight", "dy"):
                if isinstance(mark.get(key), int | float):
                    mark[key] = round(mark[key] * text_px / 12, 1)
    for key, value in node.items():
        if key == "legend" and isinstance(value, dict) and value.get("orient") in _ROW_LEGENDS:
            # a row of symbols at the mode's type runs past the chart's edge ("Not starte"):
            # it wraps into columns instead (a gradient legend ignores it)
            value.setdefault("columns", LEGEND_COLUMNS)
        if key not in {"data", "datasets"}:  # inline data holds no styling, and maps are large
            _walk(value, text_px)


#: text of axes, legends and titles outside meeting mode: the app's own text colour (about 12:1 on
#: white), where Streamlit's chart theme draws them in a light grey below WCAG's 4.5:1
READABLE_TEXT = "#31333f"
#: config sections whose labels and titles are text a reader must read
_TEXT_SECTIONS = ("axis", "legend", "header")


def readable_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Vega-Lite spec whose axis, legend, header and title text is dark enough to read
    (≥ 4.5:1 on white, WCAG 1.4.3). Only defaults are set, in the spec's config: a colour the
    chart already sets there, or on one axis or legend (which Vega-Lite ranks above the config),
    stays."""
    out = dict(spec)  # only the config changes: the data stays shared, not copied
    config = copy.deepcopy(spec.get("config") or {})
    for part in _TEXT_SECTIONS:
        section = config.setdefault(part, {})
        section.setdefault("labelColor", READABLE_TEXT)
        section.setdefault("titleColor", READABLE_TEXT)
    title = config.setdefault("title", {})
    title.setdefault("color", READABLE_TEXT)
    title.setdefault("subtitleColor", READABLE_TEXT)
    out["config"] = config
    return out


def present_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The projector form of a Vega-Lite spec (a copy; the original is untouched)."""
    out = copy.deepcopy(spec)
    # a chart whose text must fit small cells (three lines on a tile fitted to the screen) asks
    # for its own size of written-in text in its usermeta
    _walk(out, float((spec.get("usermeta") or {}).get(TEXT_PX, FONT_SIZES["text"])))
    config = out.setdefault("config", {})
    for part in ("axis", "legend", "header"):
        section = config.setdefault(part, {})
        section["labelFontSize"] = FONT_SIZES["label"]
        section["titleFontSize"] = FONT_SIZES["title"]
        section["labelColor"] = OUTLINE  # the theme's grey labels fade on a projector
        section["titleColor"] = OUTLINE
    legend = config.setdefault("legend", {})
    legend["symbolSize"] = 200
    # Vega cuts a legend's title at 180 px and its labels at 160 px: none in the mode
    legend["titleLimit"] = 0
    legend["labelLimit"] = 0
    config["axis"]["labelLimit"] = 0
    title = config.setdefault("title", {})
    title["fontSize"] = FONT_SIZES["chart_title"]
    title["subtitleFontSize"] = FONT_SIZES["subtitle"]
    config.setdefault("text", {})["fontSize"] = FONT_SIZES["text"]
    return out


#: a boxed chart's side-axis labels (a phase's name): lines of at most this many characters
BOX_LABEL_CHARS = 20
#: a label a ``labelExpr`` returns as one string (``… ? "2. Hallituksen esityksen jälkeen"``)
_RETURNED_LABEL = re.compile(r'(\?\s*)("(?:[^"\\]|\\.)*")')


def _wrapped_expr(expr: str, chars: int) -> str:
    """A ``labelExpr`` whose returned strings are written on lines of at most ``chars``
    characters (Vega draws an array as lines); the strings it compares with stay as they are."""

    def lines(match: re.Match[str]) -> str:
        parts = wrap(json.loads(match.group(2)), chars)
        return match.group(1) + (json.dumps(parts) if len(parts) > 1 else match.group(2))

    return _RETURNED_LABEL.sub(lines, expr)


def _box_axes_and_legends(node: Any) -> None:
    """Every axis's written labels wrapped and never cut, every legend at the chart's right."""
    if isinstance(node, list):
        for item in node:
            _box_axes_and_legends(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "axis" and isinstance(value, dict) and isinstance(value.get("labelExpr"), str):
            value["labelExpr"] = _wrapped_expr(value["labelExpr"], BOX_LABEL_CHARS)
            value["labelLimit"] = 0
        elif key == "legend" and isinstance(value, dict):
            value["orient"] = "right"
        elif key not in {"data", "datasets"}:
            _box_axes_and_legends(value)


def boxed_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart to be drawn into a box of the screen (``ui.common.chart(..., fit=True)``) in
    meeting mode, such as the area page's timeline under the key figures (a copy). The box
    lacks height, not width: the chart's own title goes (the page's heading above it says it),
    its legends stand at its right, and the names its axes write (the phases) are wrapped on
    lines instead of cut; Vega lays it out at the box's size, its type the mode's own
    (``present_spec`` follows)."""
    out = copy.deepcopy(spec)
    out.pop("title", None)
    out.pop("height", None)
    out["autosize"] = {"type": "fit", "contains": "padding"}
    _box_axes_and_legends(out)
    axis_y = out.setdefault("config", {}).setdefault("axisY", {})
    axis_y["labelFontSize"] = FONT_SIZES["label"]  # not the fitted bars' smaller rows
    axis_y["labelLineHeight"] = LABEL_LINE_HEIGHT  # at the app's type: present_spec grows it
    return out


def page_css() -> str:
    """Style for the whole page in the mode: no chrome, large type, full width."""
    return """
<style>
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
  html, body, [data-testid="stAppViewContainer"] { font-size: 22px; }
  [data-testid="stMainBlockContainer"], .block-container {
    padding-top: 1rem !important; max-width: 100% !important;
  }
  h1 { font-size: 2.6rem !important; } h2 { font-size: 2rem !important; }
  [data-testid="stMetricValue"] { font-size: 3rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  }
  [data-testid="stCaptionContainer"] { font-size: 1rem !important; color: #1a1a1a !important; }
</style>
"""


def neighbours(code: str) -> tuple[str, str]:
    """The previous and the next area (codes) in the registry's order, wrapping around; only
    areas of the reform (Åland is not one)."""
    codes = [area.code for area in areas.reform_areas()]
    index = codes.index(code) if code in codes else 0
    return codes[index - 1], codes[(index + 1) % len(codes)]
