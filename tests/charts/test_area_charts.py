"""The area page's chart specs: what tells statuses apart, what a click selects, what is written."""

from __future__ import annotations

from datetime import date

import pytest

from sotedata.charts import area as ac
from sotedata.charts import base as charts
from sotedata.charts import progress as pc
from sotedata.domain.i18n import t
from sotedata.domain.model import default_phases
from sotedata.rules.progress import PROGRESS_STATUSES
from sotedata.views import area as av
from sotedata.views import area_progress as ap
from sotedata.views import area_risks as ar
from tests.views.test_area_view import D1, D2, LAPPI, hand_made_frames

AS_OF = D2


@pytest.fixture(scope="module")
def frames():
    return hand_made_frames()


@pytest.fixture(scope="module")
def table(frames):
    return av.area_measures(frames, LAPPI, AS_OF, lang="fi")


def _layers(spec: dict) -> list[dict]:
    """Every unit (a spec with a mark) in a layered chart, depth first."""
    if "mark" in spec:
        return [spec]
    found = []
    for child in spec.get("layer", []):
        found.extend(_layers(child))
    return found


def _values(spec: dict, unit: dict) -> list[dict]:
    data = unit.get("data") or spec.get("data")
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def _mark(unit: dict) -> str:
    mark = unit["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def _params(spec: dict) -> dict[str, dict]:
    """Selection parameters, wherever Altair put them (a layer chart lifts them to the top)."""
    params = {p["name"]: p for p in spec.get("params", [])}
    for unit in _layers(spec):
        for param in unit.get("params", []):
            params[param["name"]] = param
    return params


def _timeline(frames, table) -> dict:
    chart = ac.phase_timeline(
        ap.phase_ranges(frames.phases, "fi"),
        ap.timeline_points(table, "fi"),
        ap.key_dates(frames.phases, "fi"),
        AS_OF,
        lang="fi",
    )
    return chart.to_dict()


def test_timeline_draws_measures_by_colour_and_shape(frames, table):
    spec = _timeline(frames, table)
    points = [u for u in _layers(spec) if _mark(u) == "point"]
    assert len(points) == 1
    encoding = points[0]["encoding"]
    assert encoding["shape"]["field"] == encoding["color"]["field"] == "status_label"
    shapes = dict(
        zip(encoding["shape"]["scale"]["domain"], encoding["shape"]["scale"]["range"], strict=True)
    )
    # every status present gets its own shape, so the chart reads in greyscale
    assert shapes[t("status.delayed", "fi")] == ac.STATUS_SHAPES["delayed"]
    assert shapes[t("status.done", "fi")] == ac.STATUS_SHAPES["done"]
    assert len(set(shapes.values())) == len(shapes)
    assert len(set(ac.STATUS_SHAPES.values())) == len(ac.STATUS_SHAPES)
    assert encoding["x"]["field"] == "deadline_iso" and encoding["x"]["type"] == "temporal"
    ids = {p["measure_id"] for p in _values(spec, points[0])}
    assert ids == {"M1", "M2", "M3", "M5"}  # M4 has no deadline


def test_timeline_marks_phases_key_dates_and_the_as_of_date(frames, table):
    spec = _timeline(frames, table)
    units = _layers(spec)
    bands = next(u for u in units if _mark(u) == "rect")
    assert [b["phase"] for b in _values(spec, bands)] == [1, 2, 3]
    assert _params(spec)[ac.TIMELINE_SELECTION]["select"]["fields"] == ["phase"]
    rules = [_values(spec, u) for u in units if _mark(u) == "rule"]
    days = {row["day"] for rows in rules for row in rows}
    assert {"2020-12-08", "2021-06-23", "2023-01-01", AS_OF.isoformat()} <= days
    texts = {row["label"] for u in units if _mark(u) == "text" for row in _values(spec, u)}
    assert t("area.as_of", "fi", date="15.4.2021") in texts
    assert any(text.startswith("23.6.2021\n") for text in texts)
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_timeline_points_stay_inside_their_phase_band(frames, table):
    spec = _timeline(frames, table)
    points = next(u for u in _layers(spec) if _mark(u) == "point")
    for point in _values(spec, points):
        index = point["phase"] - 1
        assert index < point["row"] < index + 1


def test_progress_bars_select_their_group_and_stack_shares(table):
    counts = ap.progress_counts(table, "phase", order=[1, 2, 3], labels=["V1", "V2", "V3"])
    spec = ac.progress_bars(
        counts, field="phase", selection=ac.PHASE_SELECTION, title="Vaiheittain", lang="fi"
    ).to_dict()
    param = _params(spec)[ac.PHASE_SELECTION]
    assert param["select"]["fields"] == ["phase"] and param["select"]["on"] == "click"
    bars = next(u for u in _layers(spec) if _mark(u) == "bar")
    assert bars["encoding"]["x"]["stack"] == "normalize"
    rows = _values(spec, bars)
    assert all(r["count"] > 0 for r in rows)
    assert {r["status"] for r in rows} <= set(PROGRESS_STATUSES)  # not applicable left out
    colour = bars["encoding"]["color"]["scale"]
    assert colour["range"] == [charts.STATUS_COLOURS[s] for s in PROGRESS_STATUSES]
    texts = next(u for u in _layers(spec) if _mark(u) == "text")
    assert texts["encoding"]["text"]["field"] == "count_text"
    # the numbers stack exactly like the bars: same rows, no filter that would re-normalise
    assert "transform" not in texts
    assert [r["count"] for r in _values(spec, texts)] == [r["count"] for r in rows]
    assert texts["encoding"]["x"]["stack"] == "normalize"


def test_progress_bar_numbers_leave_out_only_too_narrow_segments():
    import pandas as pd

    counts = pd.DataFrame(
        {
            "key": [1, 1, 1, 1],
            "label": ["V1"] * 4,
            "status": list(PROGRESS_STATUSES),
            "count": [95, 4, 1, 0],
            "total": [100] * 4,
            "share": [0.95, 0.04, 0.01, 0.0],
            "order": [0, 1, 2, 3],
        }
    )
    spec = ac.progress_bars(counts, field="phase", selection="vaihe", title="V").to_dict()
    texts = next(u for u in _layers(spec) if _mark(u) == "text")
    assert [r["count_text"] for r in _values(spec, texts)] == ["95", "", ""]


def test_work_stream_bars_use_their_own_selection(table):
    counts = ap.progress_counts(table, "work_stream", order=["hallinto", "ict"], labels=["H", "I"])
    spec = ac.progress_bars(
        counts, field="work_stream", selection=ac.STREAM_SELECTION, title="Ryhmät"
    ).to_dict()
    assert _params(spec)[ac.STREAM_SELECTION]["select"]["fields"] == ["work_stream"]
    bars = next(u for u in _layers(spec) if _mark(u) == "bar")
    assert {r["work_stream"] for r in _values(spec, bars)} == {"hallinto", "ict"}


def test_status_colours_stay_ordered_in_greyscale():
    def grey(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    levels = [grey(charts.STATUS_COLOURS[s]) for s in PROGRESS_STATUSES]
    assert min(abs(a - b) for i, a in enumerate(levels) for b in levels[i + 1 :]) > 25


def test_risk_matrix_writes_counts_and_selects_a_cell(frames):
    register = ar.risk_register(frames.risks, LAPPI, D2, D1)
    spec = ac.risk_matrix(ar.risk_matrix_counts(register), lang="fi").to_dict()
    assert _params(spec)[ac.RISK_SELECTION]["select"]["fields"] == ["likelihood", "impact"]
    rects = next(u for u in _layers(spec) if _mark(u) == "rect")
    assert rects["encoding"]["color"]["field"] == "score"
    cells = _values(spec, rects)
    assert len(cells) == 25
    text = next(u for u in _layers(spec) if _mark(u) == "text")
    assert text["encoding"]["text"]["field"] == "count_text"
    written = {(c["likelihood"], c["impact"]): c["count_text"] for c in _values(spec, text)}
    assert written[(4, 4)] == "1" and written[(5, 5)] == ""
    assert text["encoding"]["y"]["sort"] == "descending"  # likelihood 5 at the top


def test_progress_lines_differ_by_dash_and_carry_end_labels(frames):
    series = ap.progress_series(frames, LAPPI, [D1, D2])
    spec = pc.progress_lines(series, area_label="Lappi", lang="fi").to_dict()
    line = next(u for u in _layers(spec) if _mark(u) == "line")
    dash = line["encoding"]["strokeDash"]
    assert dash["field"] == "name"
    assert len({tuple(d) for d in dash["scale"]["range"]}) == 3
    labels = next(u for u in _layers(spec) if _mark(u) == "text")
    ends = {row["series"]: row["end_label"] for row in _values(spec, labels)}
    assert ends == {
        "area": "Lappi 25\u00a0%",
        "median": f"{t('area.progress.median', 'fi')} 0\u00a0%",
        "plan": f"{t('area.progress.plan', 'fi')} 50\u00a0%",
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.5, 0.9, 0.1], [0.5, 0.9, 0.1]),  # far apart: unchanged
        ([0.90, 0.91, 0.5], [0.90, 0.97, 0.5]),  # close: pushed apart upwards
        ([0.99, 1.0], [0.93, 1.0]),  # past the top: the stack moves down
    ],
)
def test_spread_labels(values, expected):
    assert pc.spread_labels(values, gap=0.07) == pytest.approx(expected)


def test_phase_timeline_uses_the_roadmap_key_dates():
    days = [k.day for k in ap.key_dates(default_phases())]
    assert days[-1] == date(2023, 1, 1)


def test_marks_describe_themselves_to_screen_readers(frames, table):
    spec = _timeline(frames, table)
    dots = next(u for u in _layers(spec) if _mark(u) == "point")
    assert dots["encoding"]["description"]["field"] == "aria"
    said = {p["measure_id"]: p["aria"] for p in _values(spec, dots)}
    assert said["M1"] == t(
        "area.timeline.aria", "fi", id="M1", name="Hallintosääntö",
        status=t("status.delayed", "fi"), deadline="31.1.2021",
    )  # fmt: skip
    register = ar.risk_register(frames.risks, LAPPI, D2, D1)
    matrix = ac.risk_matrix(ar.risk_matrix_counts(register), lang="fi").to_dict()
    rects = next(u for u in _layers(matrix) if _mark(u) == "rect")
    cell = next(c for c in _values(matrix, rects) if (c["likelihood"], c["impact"]) == (4, 4))
    assert cell["aria"] == t("area.risk.aria", "fi", likelihood=4, impact=4, score=16, count=1)


def test_type_sizes_live_in_the_config_so_meeting_mode_can_enlarge_them(frames, table):
    from sotedata.charts import meeting

    spec = _timeline(frames, table)

    def axes(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "axis" and isinstance(value, dict):
                    yield value
                elif key not in {"datasets", "data", "config"}:
                    yield from axes(value)
        elif isinstance(node, list):
            for item in node:
                yield from axes(item)

    assert all("labelFontSize" not in axis for axis in axes(spec))
    big = meeting.present_spec(spec)
    assert big["config"]["axis"]["labelFontSize"] == meeting.FONT_SIZES["label"]


def _axes(node):
    """Every axis given on an encoding, anywhere in a spec (not the config's defaults)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "axis" and isinstance(value, dict):
                yield value
            elif key not in {"datasets", "data", "config"}:
                yield from _axes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _axes(item)


def test_meeting_mode_boxes_the_timeline_to_fill_the_screen_with_whole_phase_names(frames, table):
    """Issue 18 item 1: on a projector the timeline is laid out at the size of the screen's
    rest (no fixed height, fitted both ways), without its own title (the section's heading says
    it), its legend at its right, and the phases named on wrapped lines, never cut."""
    import json

    from sotedata.charts import meeting
    from sotedata.charts.fit import wrap

    spec = _timeline(frames, table)
    before = json.dumps(spec, sort_keys=True)
    boxed = meeting.boxed_spec(spec)
    assert json.dumps(spec, sort_keys=True) == before  # a copy: the page's own spec is untouched
    assert "title" in spec and "title" not in boxed
    assert "height" in spec and "height" not in boxed
    assert boxed["autosize"] == {"type": "fit", "contains": "padding"}
    assert boxed["datasets"] == spec["datasets"]
    shown = meeting.present_spec(boxed)  # what ui.common.chart draws in the mode
    side = [axis for axis in _axes(shown) if "labelExpr" in axis]
    assert side and all(axis["labelLimit"] == 0 for axis in side)  # never "…"
    names = ap.phase_ranges(frames.phases, "fi")["phase_label"].tolist()
    assert any(len(wrap(name, meeting.BOX_LABEL_CHARS)) > 1 for name in names)
    for name in names:
        lines = wrap(name, meeting.BOX_LABEL_CHARS)
        written = json.dumps(lines) if len(lines) > 1 else json.dumps(name)
        assert all(written in axis["labelExpr"] for axis in side), (name, side[0]["labelExpr"])
    legends = [v for u in _layers(shown) for v in u.get("encoding", {}).values() if "legend" in v]
    assert legends and all(e["legend"]["orient"] == "right" for e in legends)
    assert all("columns" not in e["legend"] for e in legends)  # a column, not rows below
    axis_y = shown["config"]["axisY"]
    assert axis_y["labelFontSize"] == meeting.FONT_SIZES["label"]
    assert axis_y["labelLineHeight"] > meeting.FONT_SIZES["label"]  # wrapped lines never overlap


def test_wrapping_a_label_expression_leaves_what_it_compares_alone():
    from sotedata.charts import fit, meeting

    expr = (
        'datum.value == 0.5 ? "2. Hallituksen esityksen jälkeen"'
        " : datum.value == 1.5 ? \"Lyhyt\" : ''"
    )
    wrapped = meeting._wrapped_expr(expr, 20)
    assert wrapped.startswith("datum.value == 0.5 ? [")
    assert '["2. Hallituksen", "esityksen j\\u00e4lkeen"]' in wrapped
    assert '? "Lyhyt"' in wrapped
    # an expression that already writes lines (fit.wrapped_labels) compares names: unchanged
    already = fit.wrapped_labels(["Hallinto, talous ja tukipalvelut"], 12)
    assert meeting._wrapped_expr(already, 20) == already
