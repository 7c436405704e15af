"""Colour-vision check of every palette the charts draw with.

The palettes are taken from the chart modules themselves (constants, or the spec a builder
returns), never copied here, so a colour change in a module is measured at once. Thresholds, in
CIEDE2000 ΔE (< 2 hardly visible, 2–10 visible side by side, > 10 different at a glance) and
CIELAB L* for greyscale:

* categorical classes (statuses, line series, the map's special greys): every pair ΔE ≥ 10 in
  normal vision and under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009,
  full severity). Status fills, which carry nothing else (no shape, no dash), must also differ by
  |ΔL*| ≥ 5 so that a greyscale printout keeps them apart;
* sequential scales (light = little, dark = much): each class against its neighbour ΔE ≥ 5 under
  every vision, and L* falling by ≥ 5 from class to class so the order survives greyscale. A
  continuous scheme is measured at the quarters of its domain (five classes), in its normal form
  and in meeting mode's cut form (scheme ``extent``).

Three palettes failed when this check was written (in progress against not started in greyscale,
not started against not applicable, Åland's grey against the no-data grey); their colours were
changed to the ones this check measured as passing.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pandas as pd
import pytest

from sotedata.charts import area as area_charts
from sotedata.charts import base as charts
from sotedata.charts import meeting
from sotedata.charts import national as national_charts
from sotedata.charts import progress as progress_charts
from sotedata.charts import risks as risk_charts
from sotedata.domain.model import Status
from tests.support import colour_vision as cv

CATEGORICAL_MIN_DELTA_E = 10.0
SEQUENTIAL_MIN_DELTA_E = 5.0
MIN_LIGHTNESS_GAP = 5.0
QUARTERS = (0.0, 0.25, 0.5, 0.75, 1.0)


# --- the colour science itself ------------------------------------------------------------


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), CIEDE2000 test data, pairs 1, 7, 17 and 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert cv.ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert cv.ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_of_white_black_and_a_primary():
    assert cv.to_lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert cv.to_lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=0.01)
    assert cv.to_lab("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


@pytest.mark.parametrize("vision", cv.DEFICIENCIES)
def test_greys_look_the_same_to_every_dichromat(vision):
    """Each matrix row sums to 1: a transcription error would tint the greys."""
    for grey in ("#000000", "#777777", "#d9d9d9", "#ffffff"):
        assert cv.delta_e(grey, cv.to_hex(cv.simulate(grey, vision))) < 0.5


def test_red_and_green_collapse_for_red_green_deficiencies_but_not_for_tritanopia():
    red, green = "#d62728", "#2ca02c"
    normal = cv.delta_e(red, green)
    assert normal > 40
    assert cv.delta_e(red, green, "deuteranopia") < normal / 2
    assert cv.delta_e(red, green, "protanopia") < normal / 2
    assert cv.delta_e(red, green, "tritanopia") > normal * 0.6


def test_wcag_contrast_ratio():
    assert cv.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert cv.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert cv.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_colours_parse_in_every_form_vega_writes():
    assert cv.parse("#fff") == cv.parse("white") == (1.0, 1.0, 1.0)
    assert cv.to_hex(cv.parse("rgb(8, 81, 156)")) == "#08519c"
    with pytest.raises(ValueError):
        cv.parse("not-a-colour")


def test_vega_draws_a_scheme_light_to_dark_and_meeting_mode_cuts_its_light_end():
    plain = cv.scale_colours({"scheme": "blues", "domain": [0, 1]}, QUARTERS)
    cut = cv.scale_colours(
        {"scheme": {"name": "blues", "extent": list(meeting.SCHEME_EXTENT)}, "domain": [0, 1]},
        QUARTERS,
    )
    assert len(plain) == len(cut) == 5
    lightness = [cv.lightness(c) for c in plain]
    assert lightness == sorted(lightness, reverse=True)
    assert cv.lightness(cut[0]) < cv.lightness(plain[0]) - 10  # the washed-out end is gone
    assert cut[-1] == plain[-1]  # the dark end stays


# --- the palettes, from the modules --------------------------------------------------------


def _scales(node: Any) -> list[dict]:
    """Every colour scale with a scheme or a range, anywhere in a spec."""
    found = []
    if isinstance(node, dict):
        scale = node.get("scale")
        if isinstance(scale, dict) and ("scheme" in scale or "range" in scale):
            found.append(scale)
        for key, value in node.items():
            if key not in {"data", "datasets"}:
                found += _scales(value)
    elif isinstance(node, list):
        for item in node:
            found += _scales(item)
    return found


def national_status_colours() -> dict[str, str]:
    """The status fills of the stacked bars (charts.phase_status_bars), read from its spec."""
    statuses = [s.value for s in Status]
    counts = pd.DataFrame(
        [{"phase_label": "1", "status_label": s, "status": s, "count": 1} for s in statuses]
    )
    (scale,) = _scales(charts.phase_status_bars(counts, status_order=statuses).to_dict())
    return dict(zip(scale["domain"], scale["range"], strict=True))


def _quarters(scale: dict) -> dict[str, str]:
    low, high = scale["domain"]
    values = [low + q * (high - low) for q in QUARTERS]
    return {f"{v:g}": c for v, c in zip(values, cv.scale_colours(scale, values), strict=True)}


def _meeting(scale: dict) -> dict:
    (shown,) = _scales(meeting.present_spec({"encoding": {"color": {"scale": scale}}}))
    return shown


def _map_scale(direction: str) -> dict:
    shares = pd.Series([0.2, 0.9])
    return national_charts.colour_scale("share", direction, shares).to_dict()


def _risk_matrix_scale() -> dict:
    cells = pd.DataFrame(
        [
            {"likelihood": lk, "impact": im, "score": lk * im, "count": 0}
            for lk in range(1, 6)
            for im in range(1, 6)
        ]
    )
    (scale,) = [s for s in _scales(area_charts.risk_matrix(cells).to_dict()) if "scheme" in s]
    return scale


SEQUENTIAL_SCALES = {
    "map, higher is better (national_charts.colour_scale)": lambda: _map_scale("higher_is_better"),
    "map, lower is better (national_charts.colour_scale)": lambda: _map_scale("lower_is_better"),
    "risk heat map (risk_charts.SCORE_SCHEME)": lambda: {
        "scheme": risk_charts.SCORE_SCHEME,
        "domain": risk_charts.SCORE_DOMAIN,
    },
    "risk matrix (area_charts.risk_matrix)": _risk_matrix_scale,
}


def _sequential_cases():
    for name, scale in SEQUENTIAL_SCALES.items():
        yield pytest.param(lambda s=scale: _quarters(s()), id=name)
        yield pytest.param(lambda s=scale: _quarters(_meeting(s())), id=f"{name}, meeting mode")
    yield pytest.param(
        lambda: {f"<{upper:g}": colour for upper, colour in national_charts.SHARE_CLASSES},
        id="share classes (national_charts.SHARE_CLASSES)",
    )


#: the needed change of each palette that fails today, also checked below as a proposal


def _categorical_cases():
    yield pytest.param(
        national_status_colours,
        True,
        id="status bars (charts.phase_status_bars)",
    )
    yield pytest.param(
        lambda: dict(charts.STATUS_COLOURS),
        True,
        id="statuses (charts.STATUS_COLOURS)",
    )
    yield pytest.param(
        lambda: dict(progress_charts.SERIES_COLOURS),
        False,  # the lines also differ by dash and width, which greyscale keeps
        id="progress lines (progress_charts.SERIES_COLOURS)",
    )
    yield pytest.param(
        lambda: {"no data": charts.NO_DATA_COLOUR, "outside": charts.OUTSIDE_COLOUR},
        False,
        id="map greys (charts.NO_DATA_COLOUR, OUTSIDE_COLOUR)",
    )


def _categorical_failures(palette: dict[str, str], greyscale: bool) -> list[str]:
    failures = []
    for pair in cv.weakest_pairs(palette):
        if pair.delta_e < CATEGORICAL_MIN_DELTA_E:
            failures.append(f"{pair.first}/{pair.second} {pair.vision}: ΔE {pair.delta_e:.1f}")
    if greyscale:
        for a, b in combinations(palette, 2):
            gap = cv.lightness_gap(palette[a], palette[b])
            if gap < MIN_LIGHTNESS_GAP:
                failures.append(f"{a}/{b} greyscale: ΔL* {gap:.1f}")
    return failures


def _sequential_failures(palette: dict[str, str]) -> list[str]:
    failures = []
    for pair in cv.weakest_pairs(palette, pairs="adjacent"):
        if pair.delta_e < SEQUENTIAL_MIN_DELTA_E:
            failures.append(f"{pair.first}/{pair.second} {pair.vision}: ΔE {pair.delta_e:.1f}")
    names = list(palette)
    for a, b in zip(names, names[1:], strict=False):
        drop = cv.lightness(palette[a]) - cv.lightness(palette[b])
        if drop < MIN_LIGHTNESS_GAP:
            failures.append(f"{a}→{b} greyscale: L* falls by {drop:.1f}")
    return failures


@pytest.mark.parametrize(("palette", "greyscale"), list(_categorical_cases()))
def test_categorical_classes_stay_apart_for_every_colour_vision(palette, greyscale):
    colours = palette()
    assert len(colours) >= 2
    assert not _categorical_failures(colours, greyscale)


@pytest.mark.parametrize("palette", list(_sequential_cases()))
def test_sequential_classes_stay_apart_and_ordered(palette):
    colours = palette()
    assert len(colours) >= 4
    assert not _sequential_failures(colours)


def test_the_share_table_no_data_grey_stands_apart_from_every_class():
    for _upper, colour in national_charts.SHARE_CLASSES:
        for vision in cv.VISIONS:
            assert cv.delta_e(colour, charts.NO_DATA_COLOUR, vision) >= CATEGORICAL_MIN_DELTA_E


def test_black_text_stays_readable_on_the_in_progress_fill():
    """Labels sit on the status fills in black (WCAG 4.5:1)."""
    assert cv.contrast_ratio(charts.STATUS_COLOURS["in_progress"], "#000000") >= 4.5
    assert cv.contrast_ratio(national_status_colours()["in_progress"], "#000000") >= 4.5
