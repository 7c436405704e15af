"""Charts format numbers and dates in the page's language: ``charts.vega_locale(lang)`` is the
spec's ``config.locale``, which Vega itself applies (rendered here by vl-convert, the same Vega
the browser runs, without any locale option of its own)."""

from __future__ import annotations

import re
from datetime import date

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

from sotedata.charts.base import vega_date_format, vega_locale
from sotedata.charts.image import credit, source_line
from sotedata.charts.risks import high_risk_trend
from sotedata.domain.i18n import LANGUAGES, fmt_date, fmt_number, t
from sotedata.views.tables import format_cell


def _texts(chart: alt.TopLevelMixin) -> list[str]:
    svg = vlc.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[])
    return [t.replace("&#160;", "\u00a0") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _axes_chart(lang: str) -> alt.TopLevelMixin:
    frame = pd.DataFrame({"x": [0.0, 12345.5], "day": pd.to_datetime(["2022-01-15", "2022-06-15"])})
    return (
        alt.Chart(frame)
        .mark_point()
        .encode(
            x=alt.X("x:Q", title=None, axis=alt.Axis(format=",.1f", values=[1234.5])),
            y=alt.Y("day:T", title=None, axis=alt.Axis(format="%B", values=[date(2022, 6, 1)])),
        )
        .configure(locale=vega_locale(lang))
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_spec_locale_formats_axis_numbers_like_the_pages_text(lang):
    texts = _texts(_axes_chart(lang))
    assert fmt_number(1234.5, 1, lang) in texts  # fi/sv "1 234,5", en "1,234.5"


@pytest.mark.parametrize(("lang", "month"), [("fi", "kesäkuu"), ("sv", "juni"), ("en", "June")])
def test_the_spec_locale_names_months_in_the_language(lang, month):
    assert month in _texts(_axes_chart(lang))


def test_finnish_numbers_use_a_no_break_space_and_a_decimal_comma():
    number = vega_locale("fi")["number"]
    assert (number["thousands"], number["decimal"]) == ("\u00a0", ",")
    assert vega_locale("sv")["number"] == number
    assert vega_locale("en")["number"]["decimal"] == "."


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_date_format_writes_what_fmt_date_writes_in_every_month(lang):
    days = [date(2026, month, 23) for month in range(1, 13)]
    frame = pd.DataFrame({"day": pd.to_datetime(days), "n": range(12)})
    chart = (
        alt.Chart(frame)
        .mark_point()
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format=vega_date_format(lang), values=days)),
            y=alt.Y("n:Q", title=None, axis=None),
        )
        .properties(width=1600)
        .configure(locale=vega_locale(lang))
    )
    texts = _texts(chart)
    assert [fmt_date(day, lang) for day in days] == [x for x in texts if x]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_risk_trend_dates_follow_the_language(lang):
    counts = pd.DataFrame(
        {
            "reported_on": pd.to_datetime(["2022-03-15", "2022-06-15"]),
            "high_risks": [1234, 2],
            "areas_with_high": [3, 1],
        }
    )
    spec = high_risk_trend(counts, as_of_text="", example=False, lang=lang).to_dict()
    assert spec["config"]["locale"] == vega_locale(lang)
    x = spec["encoding"]["x"] if "encoding" in spec else spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["format"] == vega_date_format(lang)


def test_the_boundary_credit_follows_the_language_unless_a_file_brings_its_own():
    finnish = t("geo.attribution", "fi")
    assert credit(finnish, "sv") == t("geo.attribution", "sv") != finnish
    assert credit(None, "en") == t("geo.attribution", "en")
    assert credit("Rajat: oma aineisto", "sv") == "Rajat: oma aineisto"
    line = source_line(boundaries=True, lang="en", attribution=finnish)
    assert t("geo.attribution", "en") in line and finnish not in line
    assert t("export.source.data", "en") in line


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", ["1\u00a0234", "12,5", "64,5\u00a0%", "+1,2\u00a0%", "+3", "-2", ""]),
        ("sv", ["1\u00a0234", "12,5", "64,5\u00a0%", "+1,2\u00a0%", "+3", "-2", ""]),
        ("en", ["1,234", "12.5", "64.5%", "+1.2%", "+3", "-2", ""]),
    ],
)
def test_a_page_tables_number_cells_are_written_in_the_language(lang, expected):
    cells = [(1234, "int"), (12.5, "float"), (0.645, "share"), (0.012, "share_change")]
    cells += [(3, "change"), (-2, "change"), (None, "int")]
    assert [format_cell(value, kind, lang) for value, kind in cells] == expected


def test_the_risk_trend_counts_tick_in_whole_numbers():
    counts = pd.DataFrame(
        {
            "reported_on": pd.to_datetime(["2022-03-15", "2022-06-15"]),
            "high_risks": [1, 2],
            "areas_with_high": [1, 1],
        }
    )
    spec = high_risk_trend(counts, as_of_text="", example=False, lang="fi").to_dict()
    y = spec["encoding"]["y"] if "encoding" in spec else spec["layer"][0]["encoding"]["y"]
    assert y["axis"]["tickMinStep"] == 1  # never "0 1 1 2 2" (issue 18 item 3)
