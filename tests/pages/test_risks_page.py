"""The national risks page in AppTest on the example data: charts, tables, filters, the URL."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from sotedata.domain import areas
from sotedata.domain.i18n import t
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views import risks as risks_view

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/risks.py"


@pytest.fixture
def app(demo_db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SOTE_DATABASE_URL", demo_db_url)
    monkeypatch.setenv("SOTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    monkeypatch.delenv("SOTE_BOUNDARY_FILE", raising=False)
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


@pytest.fixture(scope="module")
def expected(demo_db_url):
    """The figures computed without the page, to compare the page with."""
    with Store.open(demo_db_url) as store:
        frames = metrics.load_frames(store)
        dates = store.reporting_dates()

    def build(**filters) -> risks_view.RisksView:
        params = risks_view.RisksParams(**filters)
        return risks_view.build_risks_view(
            frames, params, reporting_dates=dates, example=True, lang="fi"
        )

    return build


def open_risks(app: AppTest, **query: str) -> AppTest:
    at = app.run()
    at.switch_page(PAGE)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def chart_rows(chart) -> list[dict]:
    """The rows Streamlit sends with a chart (as Arrow, beside the spec)."""
    data = chart.proto.datasets[0].data.data
    return pa.ipc.open_stream(data).read_all().to_pandas().to_dict("records")


def high_table(at: AppTest):
    return next(
        frame.value
        for frame in at.dataframe
        if t("risks.col.score") in frame.value.columns
        and t("risks.col.area") in frame.value.columns
    )


def test_page_opens_with_heat_map_trend_tables_and_the_example_banner(app, expected):
    at = open_risks(app)
    assert not at.exception
    assert at.title[0].value == t("risks.title")
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert len(specs) == 2
    heat, trend = specs
    assert [layer["mark"]["type"] for layer in heat["layer"]] == ["rect", "rect", "text"]
    assert [layer["mark"]["type"] for layer in trend["layer"]] == ["line", "point", "text"]
    assert any("Esimerkkiaineisto" in info.value for info in at.info)
    view = expected()
    assert len(high_table(at)) == len(view.high) > 0
    assert view.high_summary in [m.value for m in at.markdown]
    captions = [c.value for c in at.caption]
    assert view.heatmap_summary in captions and view.trend_summary in captions
    # national risks on their own, without an area column
    national = [f.value for f in at.dataframe if t("risks.col.area") not in f.value.columns]
    assert any(len(frame) == len(view.national) for frame in national)
    assert not dict(at.query_params)  # the default view keeps the URL bare


def test_theme_from_the_url_restores_the_filter_and_narrows_the_table(app, expected):
    at = open_risks(app, teema="talous")
    assert not at.exception
    assert at.multiselect(key="risk-themes").value == ["Talous"]
    rows = high_table(at)
    assert set(rows[t("risks.col.theme")]) == {"Talous"}
    assert len(rows) == len(expected(themes=("Talous",)).high) < len(expected().high)
    assert at.query_params["teema"] == "Talous"


def test_choosing_an_area_changes_the_rows_and_the_url(app, expected):
    at = open_risks(app)
    before = len(high_table(at))
    at.multiselect(key="risk-areas").set_value(["08", "21"]).run()
    assert not at.exception
    rows = high_table(at)
    assert set(rows[t("risks.col.area")]) <= {areas.get("08").short_fi, areas.get("21").short_fi}
    assert len(rows) == len(expected(areas=("08", "21")).high) < before
    assert at.query_params["alue"] == "08,21"
    assert {row["code"] for row in chart_rows(at.get("vega_lite_chart")[0])} == {"08", "21"}


def test_an_earlier_as_of_date_from_the_url(app, expected):
    at = open_risks(app, pvm="2022-06-15")
    assert not at.exception
    assert at.selectbox(key="risk-as-of").value == date(2022, 6, 15)
    view = expected(as_of=date(2022, 6, 15))
    assert len(high_table(at)) == len(view.high)
    trend = chart_rows(at.get("vega_lite_chart")[1])
    assert [row["day"] for row in trend][-1] == "2022-06-15"
    assert len(trend) == 6  # 15.1.–15.6.


def test_unknown_url_values_are_dropped_with_a_finnish_warning(app):
    at = open_risks(app, teema="Sää", alue="Atlantis")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Sää" in warnings and "Atlantis" in warnings
    assert at.multiselect(key="risk-themes").value == []


def test_empty_database_says_how_to_load_data(tmp_path, monkeypatch):
    monkeypatch.setenv("SOTE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    monkeypatch.setenv("SOTE_OFFLINE", "1")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value == t("risks.title")
    assert "sote demo" in at.warning[0].value
    assert not at.get("vega_lite_chart")


def test_notes_citing_national_risks_are_listed_under_them(app, demo_db_url):
    """Issue 9: national risks can cite dated notes; the page lists those notes in its language."""
    from sotedata.rules import notes

    with Store.open(demo_db_url) as store:
        cited = notes.national_risk_notes(store.notes())
    assert not cited.empty  # the example data has notes citing national risks
    for lang in ("fi", "sv"):
        at = open_risks(app, kieli=lang)
        assert not at.exception
        heading = t("risks.national.notes", lang, count=len(cited))
        assert heading in [m.value.strip("*") for m in at.markdown]
        table = next(d.value for d in at.dataframe if len(d.value) == len(cited))
        assert sorted(table["text"]) == sorted(cited["text"])
        assert set(table["source"]) <= {t(f"notes.source.{s}", lang) for s in notes.SOURCE_TYPES}
