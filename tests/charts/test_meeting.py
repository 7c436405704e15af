"""Meeting mode: charts in projector form, the page style, and the keyboard steps between areas."""

import json

import pytest

from sotedata.charts import meeting
from sotedata.domain import areas, switches
from sotedata.domain.settings import load_settings
from sotedata.geo.chain import load_area_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.national import NationalParams, build_national_view


@pytest.fixture(scope="module")
def view(demo_db_url):
    with Store.open(demo_db_url) as store:
        frames, dates = metrics.load_frames(store), store.reporting_dates()
    boundaries = load_area_boundaries(load_settings({"SOTE_OFFLINE": "1"}))
    return build_national_view(
        frames, boundaries, NationalParams(), reporting_dates=dates, example=True
    )


def _find(node, key):
    """Every value of ``key`` anywhere in a spec."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _find(v, key)
    elif isinstance(node, list):
        for item in node:
            yield from _find(item, key)


@pytest.mark.parametrize("value", ["1", "true", "kyllä", "ON"])
def test_the_url_switch_turns_the_mode_on(value):
    assert switches.is_yes(value)


@pytest.mark.parametrize("value", [None, "", "0", "ei", "false"])
def test_anything_else_leaves_it_off(value):
    assert not switches.is_yes(value)


def test_the_map_keeps_its_order_of_colours_but_loses_the_washed_out_end(view):
    spec = view.map_chart.to_dict()
    shown = meeting.present_spec(spec)
    before = [s for s in _find(spec, "scheme")]
    after = [s for s in _find(shown, "scheme")]
    assert before and all(isinstance(s, str) for s in before)
    assert after == [{"name": s, "extent": [0.3, 1.0]} for s in before]
    assert spec == view.map_chart.to_dict()  # the original spec is untouched


def test_outlines_turn_dark_and_type_grows(view):
    shown = meeting.present_spec(view.map_chart.to_dict())
    strokes = {s.lower() for s in _find(shown, "stroke") if isinstance(s, str)}
    assert meeting.OUTLINE in strokes and "#ffffff" not in strokes
    config = shown["config"]
    assert config["axis"]["labelFontSize"] >= 18 and config["legend"]["labelFontSize"] >= 18
    assert config["title"]["fontSize"] >= 28
    assert config["axis"]["labelColor"] == config["legend"]["labelColor"] == meeting.OUTLINE
    assert config["locale"]["number"]["decimal"] == ","  # the Finnish locale survives


def test_written_values_grow_in_every_chart_with_text(view):
    for chart in (view.bar_chart, view.workstream_chart):
        shown = meeting.present_spec(chart.to_dict())
        text_marks = [
            m for m in _find(shown, "mark") if isinstance(m, dict) and m.get("type") == "text"
        ]
        assert text_marks and all(m["fontSize"] >= 18 for m in text_marks)


def test_inline_data_passes_through_unchanged(view):
    spec = view.map_chart.to_dict()
    shown = meeting.present_spec(spec)
    assert json.dumps(shown.get("datasets"), sort_keys=True) == json.dumps(
        spec.get("datasets"), sort_keys=True
    )


def test_the_page_style_hides_the_chrome_and_enlarges_the_type():
    css = meeting.page_css()
    assert 'header[data-testid="stHeader"]' in css and "display: none" in css
    assert "font-size: 22px" in css


def test_steps_go_round_the_reform_areas_in_registry_order():
    codes = [a.code for a in areas.reform_areas()]
    assert meeting.neighbours(codes[0]) == (codes[-1], codes[1])
    assert meeting.neighbours(codes[-1]) == (codes[-2], codes[0])
    assert "91" not in {c for code in codes for c in meeting.neighbours(code)}


def test_charts_grow_taller_with_their_type_so_every_area_keeps_its_label(view):
    bars = view.bar_chart.to_dict()  # one step per area
    steps = [h["step"] for h in _find(bars, "height") if isinstance(h, dict)]
    shown = [h["step"] for h in _find(meeting.present_spec(bars), "height") if isinstance(h, dict)]
    assert steps and shown == [round(s * meeting.HEIGHT_FACTOR) for s in steps]
    drawn = view.map_chart.to_dict()  # a fixed height
    heights = [h for h in _find(drawn, "height") if isinstance(h, int)]
    grown = [h for h in _find(meeting.present_spec(drawn), "height") if isinstance(h, int)]
    assert heights and grown == [round(h * meeting.HEIGHT_FACTOR) for h in heights]
