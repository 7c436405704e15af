"""The registry of map metrics: the roadmap figures unchanged, a registered metric seen by the
URL grammar, the view, its colour scale and the tables, and registering one needs no edit of
the national view."""

import json
from datetime import date

import pandas as pd
import pytest

from sotedata.geo.chain import tile_boundaries
from sotedata.rules import metrics
from sotedata.rules.metric_spec import MetricContext, MetricSpec, Scale
from sotedata.store.engine import Store
from sotedata.views import metric_sources
from sotedata.views.national import (
    NationalParams,
    build_national_view,
    format_value,
    params_from_query,
)

WORK_STREAMS = ["hallinto", "johtaminen", "palvelut", "yhdyspinnat", "ict"]


def test_the_roadmap_metrics_come_first_in_their_old_order_and_kinds():
    keys = list(metric_sources.SOURCES)
    assert keys[: len(metrics.METRICS)] == list(metrics.METRICS)
    for key, spec in metrics.METRICS.items():
        source = metric_sources.get(key)
        assert (source.kind, source.direction) == (spec["kind"], spec["direction"])
        assert source.scale == Scale() and source.label_key == f"metric.{key}"
    assert "done_share_change" in keys


@pytest.mark.parametrize("key", list(metric_sources.SOURCES))
def test_every_registered_metric_has_a_link_and_a_name_in_three_languages(key):
    params, issues = params_from_query({"mittari": key}, WORK_STREAMS)
    assert params.metric == key and not issues
    default = key == NationalParams().metric
    assert params.to_query() == ({} if default else {"mittari": key})
    names = {metric_sources.label(key, lang) for lang in ("fi", "sv", "en")}
    assert len(names) == 3 and metric_sources.get(key).label_key not in names


def test_a_spec_refuses_an_unknown_kind_or_a_diverging_scale_without_midpoint():
    with pytest.raises(ValueError, match="kind"):
        MetricSpec("x", "euros", "higher_is_better", lambda c: pd.Series(dtype=float))
    with pytest.raises(ValueError, match="midpoint"):
        Scale("diverging")


@pytest.mark.parametrize(
    ("value", "kind", "lang", "text"),
    [
        (0.05, "share_change", "fi", "+5 %-yks."),
        (-0.1, "share_change", "en", "−10 pp"),
        (0.0, "share_change", "sv", "±0 %-enh."),
        (30, "days", "fi", "+30"),
        (-1234, "days", "en", "−1,234"),
        (4.25, "score", "fi", "4,2"),
    ],
)
def test_new_kinds_are_written_with_their_sign_and_unit(value, kind, lang, text):
    assert format_value(value, kind, lang) == text


@pytest.fixture(scope="module")
def demo(demo_db_url):
    with Store.open(demo_db_url) as store:
        return metrics.load_frames(store), store.reporting_dates()


def test_the_change_metric_is_the_done_share_now_minus_on_the_comparison_date(demo):
    frames, dates = demo
    as_of, since = dates[-1], dates[-4]
    view = build_national_view(
        frames,
        tile_boundaries(),
        NationalParams(metric="done_share_change", phase=3),
        reporting_dates=dates,
        example=True,
        since=since,
    )
    now = metrics.area_metrics(frames.measures, frames.reports, frames.risks, as_of, phase=3)
    then = metrics.area_metrics(frames.measures, frames.reports, frames.risks, since, phase=3)
    expected = (now["done_share"] - then["done_share"]).tolist()
    assert view.values["value"].tolist() == pytest.approx(expected)
    assert view.since == since and view.kind == "share_change"
    assert view.values["label"].str.endswith("%-yks.").all()


def test_without_a_comparison_date_the_change_is_from_the_previous_reporting_date(demo):
    frames, dates = demo
    view = build_national_view(
        frames,
        tile_boundaries(),
        NationalParams(metric="done_share_change"),
        reporting_dates=dates,
        example=True,
        since=date(2099, 1, 1),  # after the as-of date: refused, the default taken
    )
    assert view.since == dates[-2]


def _colour_scale(spec: dict) -> dict:
    for layer in spec["layer"]:
        colour = layer.get("encoding", {}).get("color", {})
        if isinstance(colour, dict) and "scale" in colour and colour["scale"]:
            return colour["scale"]
        for condition in (colour.get("condition") or []) if isinstance(colour, dict) else []:
            if "scale" in condition:
                return condition["scale"]
    raise AssertionError("no colour scale")


def test_the_change_map_diverges_around_no_change_blue_for_better(demo):
    frames, dates = demo
    view = build_national_view(
        frames,
        tile_boundaries(),
        NationalParams(metric="done_share_change"),
        reporting_dates=dates,
        example=True,
    )
    scale = _colour_scale(json.loads(view.map_chart.to_json()))
    assert scale["scheme"] == "blueorange" and scale["domainMid"] == 0
    assert scale["reverse"] is True  # blue (good) for a rise
    low, high = scale["domain"]
    assert low == pytest.approx(-high)
    assert high >= view.values["value"].abs().max()


def test_a_registered_metric_reads_the_context_it_is_given(demo, monkeypatch):
    frames, dates = demo
    seen = {}

    def provider(context: MetricContext) -> pd.DataFrame:
        seen.update(as_of=context.as_of, since=context.since, store=context.store)
        return pd.DataFrame({"code": ["21", "19"], "value": [-30, 45]})

    spec = MetricSpec(
        "test_days", "days", "lower_is_better", provider, scale=Scale("diverging", 0.0)
    )
    monkeypatch.setattr(metric_sources, "SOURCES", {**metric_sources.SOURCES, spec.key: spec})
    store = object()
    view = build_national_view(
        frames,
        tile_boundaries(),
        NationalParams(metric="test_days"),
        reporting_dates=dates,
        example=True,
        store=store,
    )
    assert seen == {"as_of": dates[-1], "since": dates[-2], "store": store}
    values = view.values.set_index("code")["value"]
    assert values["21"] == -30 and values["19"] == 45 and values.isna().sum() == 20
    assert "test_days" in view.table.columns
