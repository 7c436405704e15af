"""Can a reader with a colour vision deficiency, or a greyscale printout, tell the classes apart?

About one man in twelve in Finland sees red and green poorly; a jaosto member among them must
read the same situation picture. This module measures it instead of eyeballing it:

* ``simulate`` shows a colour as a dichromat sees it, with the matrices of Machado, Oliveira &
  Fernandes (2009, "A Physiologically-based Model for Simulation of Color Vision Deficiency",
  IEEE TVCG 15(6)) at severity 1.0 — full protanopia, deuteranopia and tritanopia, the worst case,
  so a palette that passes also passes for the commoner anomalous trichromacies. The matrices
  apply to linear RGB (sRGB decoded), as the model was derived there;
* ``delta_e`` is the CIEDE2000 colour difference in CIELAB (D65), the CIE's current formula: it
  corrects CIE76's overweighting of saturated blues and oranges, which is where these palettes
  live. Rough reading: < 2 hardly visible, 2–10 visible side by side, > 10 different at a glance;
* ``lightness_gap`` is the difference of CIELAB L* (0–100), what survives a greyscale print.

Hand-written rather than a dependency (``colour-science``, ``colorspacious``): three 3×3 matrices,
the sRGB→Lab conversion and one published formula, checked in the tests against Sharma, Wu &
Dalal's CIEDE2000 test data, do not justify a large scientific package in the app's environment.

``scale_colours`` asks Vega itself (through vl-convert, which the image downloads use anyway)
which colours a named scheme such as ``blues`` gives at given values, so the check measures the
colours the charts really draw, meeting mode's cut ``extent`` included.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

RGB = tuple[float, float, float]
LAB = tuple[float, float, float]

#: Machado et al. (2009), Table 1, severity 1.0; rows sum to 1, so greys stay grey
MACHADO_2009: dict[str, tuple[RGB, RGB, RGB]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
DEFICIENCIES: tuple[str, ...] = tuple(MACHADO_2009)
#: "normal" is the unsimulated colour; the checks run it and the three dichromacies
VISIONS: tuple[str, ...] = ("normal", *DEFICIENCIES)

#: linear sRGB → CIE XYZ (D65), IEC 61966-2-1
_RGB_TO_XYZ = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
_WHITE = (0.95047, 1.0, 1.08883)
_NAMED = {"white": "#ffffff", "black": "#000000"}
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB_FUNCTION = re.compile(r"^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)")


def parse(colour: str) -> RGB:
    """``#rrggbb``, ``#rgb``, ``rgb(r, g, b)`` or white/black as sRGB channels 0–1."""
    text = _NAMED.get(colour.strip().lower(), colour.strip())
    match = _HEX.match(text)
    if match:
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
    match = _RGB_FUNCTION.match(text)
    if match:
        return tuple(float(v) / 255 for v in match.groups())  # type: ignore[return-value]
    raise ValueError(f"not a colour: {colour!r}")


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _encoded(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def _apply(matrix: Sequence[Sequence[float]], vector: Sequence[float]) -> RGB:
    return tuple(sum(m * v for m, v in zip(row, vector, strict=True)) for row in matrix)  # type: ignore[return-value]


def simulate(colour: str | RGB, vision: str) -> RGB:
    """The colour as seen with ``vision`` ("normal", "protanopia", "deuteranopia",
    "tritanopia"), in sRGB 0–1; out-of-gamut results are clipped, as a screen would."""
    rgb = parse(colour) if isinstance(colour, str) else colour
    if vision == "normal":
        return rgb
    seen = _apply(MACHADO_2009[vision], [_linear(c) for c in rgb])
    return tuple(_encoded(c) for c in seen)  # type: ignore[return-value]


def to_lab(colour: str | RGB) -> LAB:
    """CIELAB (D65, 2°) of an sRGB colour."""
    rgb = parse(colour) if isinstance(colour, str) else colour
    xyz = _apply(_RGB_TO_XYZ, [_linear(c) for c in rgb])

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE, strict=True))
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def ciede2000(lab1: LAB, lab2: LAB) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), after Sharma, Wu & Dalal (2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_mean = (h1p + h2p + 360) / 2
    else:
        h_mean = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dhh / s_h) ** 2 + r_t * (dc / s_c) * (dhh / s_h)
    )


def delta_e(first: str, second: str, vision: str = "normal") -> float:
    """CIEDE2000 difference of two colours as seen with ``vision``."""
    return ciede2000(to_lab(simulate(first, vision)), to_lab(simulate(second, vision)))


def lightness(colour: str) -> float:
    """CIELAB L* (0 black – 100 white): the grey a colour prints as."""
    return to_lab(colour)[0]


def lightness_gap(first: str, second: str) -> float:
    return abs(lightness(first) - lightness(second))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance."""
    r, g, b = (_linear(c) for c in parse(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio (1–21); text needs 4.5, graphics 3."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@dataclass(frozen=True)
class Pair:
    """The closest two classes of a palette under one vision."""

    first: str
    second: str
    vision: str
    delta_e: float


def weakest_pairs(palette: Mapping[str, str], pairs: str = "all") -> list[Pair]:
    """For each vision, the pair of classes that is hardest to tell apart. ``pairs="adjacent"``
    compares only neighbours in the palette's order (a sequential scale, where a reader compares
    a class with the next one and reads the value for the rest)."""
    names = list(palette)
    if pairs == "adjacent":
        candidates = list(zip(names, names[1:], strict=False))
    else:
        candidates = list(combinations(names, 2))
    weakest = []
    for vision in VISIONS:
        scored = [
            Pair(a, b, vision, delta_e(palette[a], palette[b], vision)) for a, b in candidates
        ]
        weakest.append(min(scored, key=lambda p: p.delta_e))
    return weakest


_MARK_GROUP = re.compile(r'<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)</g>', re.S)
_FILL = re.compile(r'fill="([^"]+)"')


def scale_colours(scale: Mapping[str, Any], values: Sequence[float]) -> list[str]:
    """The colours a Vega-Lite colour ``scale`` (a scheme, its domain, meeting mode's extent…)
    gives ``values``, as Vega draws them: one rect per value, rendered to SVG by vl-convert."""
    import vl_convert

    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"i": i, "v": v} for i, v in enumerate(values)]},
        "mark": {"type": "rect", "stroke": None},
        "encoding": {
            "x": {"field": "i", "type": "ordinal"},
            "color": {"field": "v", "type": "quantitative", "scale": dict(scale), "legend": None},
        },
    }
    svg = vl_convert.vegalite_to_svg(spec)
    group = _MARK_GROUP.search(svg)
    if group is None:
        raise ValueError("Vega drew no rects for the scale")
    return [to_hex(parse(fill)) for fill in _FILL.findall(group.group(1))]
