"""How chart text and marks fit their room, never cut: text wrapped on lines (axis labels,
a table's column headers, a tile's name), the room a label needs beside a bar, and an axis's
round end known in advance. Pure helpers that ``base`` and the page charts share; they import
nothing of the charts."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` characters, broken at spaces (a longer word keeps
    a line of its own): chart text is wrapped, never cut."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [str(text)]


def wrapped_labels(labels: Sequence[str], width: int) -> str:
    """A Vega ``labelExpr`` writing each of ``labels`` on lines of at most ``width`` characters
    (Vega draws an array as lines, centred on the tick of a side axis); others stay whole."""
    cases = [
        f"datum.label == {json.dumps(label)} ? {json.dumps(wrap(label, width))}"
        for label in labels
        if len(wrap(label, width)) > 1
    ]
    return " : ".join([*cases, "datum.label"])


#: the line height of wrapped axis labels at the app's 12 px type (meeting mode scales it)
LABEL_LINE_HEIGHT = 14


def header_axis(labels: Sequence[str], width: int, **settings: Any) -> alt.Axis:
    """A top axis whose labels (a table's column headers) are wrapped on lines of at most
    ``width`` characters, never cut: every label gets as many lines as the longest (empty ones
    first), so their last lines align just above the plot, lifted by the lines above them."""
    lines = [wrap(label, width) for label in labels]
    most = max((len(parts) for parts in lines), default=1)
    cases = [
        f"datum.label == {json.dumps(label)} ? {json.dumps([''] * (most - len(parts)) + parts)}"
        for label, parts in zip(labels, lines, strict=True)
    ]
    return alt.Axis(
        orient="top",
        labelAngle=0,
        labelLimit=0,
        labelExpr=" : ".join([*cases, "datum.label"]) if most > 1 else alt.Undefined,
        labelBaseline="bottom",
        labelLineHeight=LABEL_LINE_HEIGHT,
        labelPadding=4 + (most - 1) * LABEL_LINE_HEIGHT,
        **settings,
    )


#: a tile's name longer than this is written on two lines, broken after its hyphen
TILE_NAME_CHARS = 9
TILE_LINE_HEIGHT = 13
TILE_MEETING_PX = 13


def tile_name(name: str) -> tuple[str, str]:
    """An area's short name on a tile as its upper and lower line: "Pohjois-Pohjanmaa" as
    "Pohjois-" over "Pohjanmaa", a short one on the lower line alone, so that it fits its tile
    in meeting mode's large type too (never cut or overlapping). Two single-line texts, not one
    text of two lines: Vega versions place a multi-line text's lines differently."""
    head, hyphen, tail = str(name).partition("-")
    if len(name) <= TILE_NAME_CHARS or not hyphen:
        return "", str(name)
    return head + hyphen, tail


#: the ranked bars' plot width and what a value label needs: its offset from the bar's end and
#: a character's width at the largest type it is drawn in (meeting mode's 18 px)
BARS_WIDTH = 300
LABEL_DX = 3
_LABEL_CHAR_PX = 18 * 0.62


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (an axis's end): known in
    advance, so the bars can place their labels against the median."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value - 1e-12)


def median_rows(
    data: pd.DataFrame, median: float, domain: Sequence[float], text: str = "label"
) -> list[str]:
    """The rows (``short``) across which the median's dashed line is drawn: every row but those
    whose value label it would cross (the label starts at the bar's end and runs right)."""
    low, high = float(domain[0]), float(domain[-1])
    per_unit = BARS_WIDTH / (high - low) if high > low else 0.0
    at = (median - low) * per_unit
    rows = []
    for short, value, label in zip(data["short"], data["value"], data[text], strict=True):
        start = (float(value) - low) * per_unit + LABEL_DX
        end = start + len(str(label)) * _LABEL_CHAR_PX
        if not start - 4 <= at <= end + 4:
            rows.append(short)
    return rows
