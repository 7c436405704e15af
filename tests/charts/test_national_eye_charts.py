"""Issue 18 items 1 and 3 in the chart specs: the median line leaves the value labels alone,
count axes tick in whole numbers, the colour table's classes still tell areas apart late in the
year, headers and tile names are wrapped rather than cut, and meeting mode gives grown text the
room it needs."""

import json

import pandas as pd
import pytest

from sotedata.charts import base, fit, meeting
from sotedata.charts import national as national_charts
from sotedata.rules.metric_spec import Scale


def spec_of(chart) -> dict:
    return json.loads(chart.to_json())


def bars_data(values: list[float], labels: list[str]) -> pd.DataFrame:
    names = [f"Alue {i}" for i in range(len(values))]
    return pd.DataFrame(
        {
            "code": [f"{i:02d}" for i in range(1, len(values) + 1)],
            "short": names,
            "name": names,
            "value": values,
            "label": labels,
        }
    )


def median_rows(spec: dict) -> list[str]:
    tick = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "tick")
    return [row["short"] for row in spec["datasets"][tick["data"]["name"]]]


def test_the_median_line_skips_the_rows_whose_value_label_it_would_cross():
    # domain 0–20 over 300 px: the median 4 is at 60 px; "4" written from 63 px crosses it,
    # "3" from 48 px runs to ~59 px and so does, "20" ends far right of it, "0" starts at 3 px
    data = bars_data([20, 4, 3, 0], ["20", "4", "3", "0"])
    spec = spec_of(
        national_charts.ranked_bars(
            data, metric_label="Myöhässä", kind="count", direction="lower_is_better", median=4
        )
    )
    assert median_rows(spec) == ["Alue 0", "Alue 3"]


def test_a_count_axis_has_whole_number_ticks_and_a_round_end():
    data = bars_data([3, 1, 0], ["3", "1", "0"])
    spec = spec_of(
        national_charts.ranked_bars(
            data, metric_label="Korkeat", kind="count", direction="lower_is_better", median=1
        )
    )
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["tickMinStep"] == 1 and x["axis"]["format"] == ",.0f"
    assert x["scale"] == {"domain": [0.0, 5.0], "nice": False}


@pytest.mark.parametrize(
    ("value", "end"), [(0, 1), (3, 5), (20, 20), (21, 25), (0.37, 0.5), (130, 200)]
)
def test_nice_ceiling(value, end):
    assert fit.nice_ceiling(value) == pytest.approx(end)


def test_a_negative_change_gets_room_left_of_zero():
    data = bars_data([0.05, -0.12], ["+5", "−12"])
    spec = spec_of(
        national_charts.ranked_bars(
            data,
            metric_label="Muutos",
            kind="share_change",
            direction="higher_is_better",
            median=None,
        )
    )
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [-0.2, 0.05]


def test_the_ministry_classes_stay_while_they_tell_cells_apart():
    floors, quartiles = national_charts.table_classes(pd.Series([0.1, 0.3, 0.6, 0.8, 0.9]))
    assert floors == national_charts.MINISTRY_FLOORS and not quartiles


def test_late_in_the_year_the_classes_are_the_days_quartiles():
    values = pd.Series([0.68, 0.76, 0.8, 0.86, 0.9, 0.92, 0.93, 0.95, 0.96, 1.0, 1.0, 1.0])
    floors, quartiles = national_charts.table_classes(values)
    assert quartiles and floors[0] == 68 and len(floors) == 4
    classes = {national_charts.share_class(v, floors) for v in values}
    assert classes == {0, 1, 2, 3}  # every class is used: the areas are told apart


def test_fewer_classes_take_the_darkest_colours():
    colours = national_charts.class_colours((90, 100))
    assert [fill for fill, _ink in colours] == [c for _u, c in national_charts.SHARE_CLASSES[2:]]


def test_a_header_is_wrapped_on_lines_and_never_cut():
    names = ["Hallinto, talous ja tukipalvelut", "ICT"]
    axis = fit.header_axis(names, 14).to_dict()
    assert axis["labelLimit"] == 0
    assert '["Hallinto,", "talous ja", "tukipalvelut"]' in axis["labelExpr"]
    assert '["", "", "ICT"]' in axis["labelExpr"]  # its last line beside the others' last
    assert axis["labelPadding"] == 4 + 2 * fit.LABEL_LINE_HEIGHT


def test_a_long_tile_name_breaks_after_its_hyphen():
    assert fit.tile_name("Pohjois-Pohjanmaa") == ("Pohjois-", "Pohjanmaa")
    assert fit.tile_name("Kymenlaakso") == ("", "Kymenlaakso")
    assert fit.tile_name("Lappi") == ("", "Lappi")


def test_meeting_mode_grows_the_room_of_grown_text():
    spec = {
        "encoding": {
            "y": {"axis": {"labelLimit": 230, "labelFontSize": 11}},
            "x": {"axis": {"labelLineHeight": 14, "labelPadding": 32}},
        },
        "width": {"step": 150},
        "mark": {"type": "text", "fontSize": 11, "lineHeight": 13, "dy": -14},
    }
    out = meeting.present_spec(spec)
    y_axis, x_axis = out["encoding"]["y"]["axis"], out["encoding"]["x"]["axis"]
    assert y_axis["labelLimit"] == round(230 * meeting.TEXT_FACTOR)
    assert y_axis["labelFontSize"] == meeting.FONT_SIZES["label"]
    assert x_axis["labelLineHeight"] == 21 and x_axis["labelPadding"] == 48
    assert out["width"]["step"] > 150
    assert out["mark"]["lineHeight"] == 19.5 and out["mark"]["dy"] == -21
    assert out["config"]["legend"]["titleLimit"] == 0  # "Korkein pistemäärä" whole


def test_meeting_mode_keeps_a_diverging_scheme_whole():
    scale = national_charts.colour_scale(
        "share_change", "higher_is_better", pd.Series([-0.1, 0.2]), Scale("diverging", 0.0)
    ).to_dict()
    spec = {"encoding": {"color": {"scale": scale}}}
    out = meeting.present_spec(spec)
    assert out["encoding"]["color"]["scale"]["scheme"] == "blueorange"
    assert scale["domain"] == [-0.2, 0.2] and scale["domainMid"] == 0.0


def test_a_key_dates_name_is_wrapped_and_the_last_one_gets_room_for_its_longest_word():
    from datetime import date

    from sotedata.charts import area
    from sotedata.rules.progress import KeyDate

    last = KeyDate(date(2023, 1, 1), "1.1.2023", "organiseringsansvaret till välfärdsområdena")
    short = KeyDate(date(2023, 1, 1), "1.1.2023", "vastuu")
    assert area.key_date_room(1000, [last]) > area.key_date_room(1000, [short]) >= 60
    share = (len("organiseringsansvaret") + 1) * area.CHAR_SHARE
    assert area.key_date_room(1000, [last]) >= 1000 * share / (1 - share)


def test_a_long_work_stream_name_beside_its_bar_is_on_lines_not_cut():
    labels = ["Administration, finance and support services", "ICT"]
    expr = fit.wrapped_labels(labels, 28)
    assert '["Administration, finance and", "support services"]' in expr
    assert '"ICT" ?' not in expr and expr.endswith("datum.label")


def test_the_phase_bars_count_whole_measures():
    counts = pd.DataFrame(
        {
            "phase_label": ["1. Vaihe", "1. Vaihe"],
            "status_label": ["Valmis", "Käynnissä"],
            "status": ["done", "in_progress"],
            "count": [2, 1],
        }
    )
    spec = base.phase_status_bars(counts, status_order=["done", "in_progress"]).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["axis"]["tickMinStep"] == 1


def change_values() -> pd.DataFrame:
    data = bars_data([0.04, 0.0, -0.01], ["+4 %-yks.", "±0 %-yks.", "−1 %-yks."])
    return data.assign(code=["21", "19", "20"])


def test_a_diverging_tile_is_written_white_only_far_from_the_middle():
    from sotedata.views.national_map import tile_layout_frame

    spec = national_charts.tile_map(
        tile_layout_frame(),
        change_values(),
        metric_label="Valmiiden osuuden muutos vertailupäivästä",
        kind="share_change",
        direction="higher_is_better",
        as_of_text="15.12.2022",
        example=False,
        scale=Scale("diverging", 0.0),
    ).to_dict()
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    test = texts[-1]["encoding"]["color"]["condition"]["test"]
    assert "abs(datum.value - 0.0) > 0.03" in test  # 75 % of the reach 0.04
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["titleLimit"] == 0  # the metric's long name is never cut


def test_meeting_mode_wraps_a_row_legend_and_honours_a_charts_text_size():
    spec = {
        "usermeta": {meeting.TEXT_PX: 13},
        "mark": {"type": "text", "fontSize": 11, "dy": -14},
        "encoding": {"color": {"legend": {"orient": "bottom", "title": "Tila"}}},
    }
    out = meeting.present_spec(spec)
    assert out["mark"]["fontSize"] == 13 and out["mark"]["dy"] == round(-14 * 13 / 12, 1)
    assert out["encoding"]["color"]["legend"]["columns"] == meeting.LEGEND_COLUMNS


def test_the_change_median_is_written_like_its_axis():
    data = bars_data([0.04, 0.02, 0.01], ["+4", "+2", "+1"])
    spec = spec_of(
        national_charts.ranked_bars(
            data,
            metric_label="Muutos",
            kind="share_change",
            direction="higher_is_better",
            median=0.02,
        )
    )
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    rows = spec["datasets"][texts[-1]["data"]["name"]]
    assert rows[0]["label"] == "Mediaani +2\u00a0%"
