"""A map that leaves the app as an image carries its areas' values (issue 18 item 7): the PNG and
SVG downloads put a ranked table of names and values beside it (the pack's map slide: test_pack)."""

from __future__ import annotations

from datetime import date

import altair as alt
import pytest

from sotedata.charts import image
from sotedata.domain import areas
from sotedata.domain.settings import load_settings
from sotedata.geo.chain import load_area_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views.national import NationalParams, build_national_view

AS_OF = date(2022, 12, 15)


@pytest.fixture(scope="module")
def view(demo_db_url, tmp_path_factory):
    with Store.open(demo_db_url) as store:
        frames = metrics.load_frames(store)
    folder = tmp_path_factory.mktemp("no-cache")
    boundaries = load_area_boundaries(
        load_settings({"SOTE_OFFLINE": "1", "SOTE_DATA_DIR": str(folder)})
    )
    params = NationalParams(as_of=AS_OF)
    return build_national_view(
        frames, boundaries, params, reporting_dates=[AS_OF], example=True, lang="sv"
    )


def _texts(node: object) -> list[dict]:
    """Every row of inline data in the spec whose rows carry a rank (the table's)."""
    if isinstance(node, list):
        if node and isinstance(node[0], dict) and "rank" in node[0]:
            return list(node)
        return [row for item in node for row in _texts(item)]
    if isinstance(node, dict):
        return [row for value in node.values() for row in _texts(value)]
    return []


def test_the_map_image_has_every_areas_short_name_and_value_ranked(view):
    framed = image.with_caption(view.map_chart, title="t", as_of=AS_OF, example=True, lang="sv")
    rows = _texts(framed.to_dict(validate=False))
    assert len(rows) == 22  # the reform's areas; Åland is drawn but has no value
    assert {r["name"] for r in rows} == {a.short("sv") for a in areas.reform_areas()}
    shares = [float(r["label"].replace("\u00a0%", "").replace(",", ".")) for r in rows]
    assert shares == sorted(shares, reverse=True)  # highest first


def test_a_chart_that_is_no_map_gets_no_table():
    bars = alt.Chart(alt.Data(values=[{"name": "a", "label": "1", "clickable": True}])).mark_bar()
    assert image.with_values(bars) is bars
    assert image.area_values(bars.to_dict()) == []


def test_the_map_and_its_table_render_side_by_side(view):
    joined = image.with_values(view.map_chart, "sv")
    spec = joined.to_dict(validate=False)
    assert len(spec["hconcat"]) == 2 and "locale" in spec["config"]
    assert image.png_size(image.render_png(joined, lang="sv", scale=1))[0] > 0


def test_a_map_kept_as_a_spec_gets_its_table_too(view):
    """The pages cache their charts as Vega-Lite specs, the data in ``datasets``."""
    spec = view.map_chart.to_dict()
    assert image.area_values(spec)
    framed = image.with_caption(
        image.from_spec(spec), title="t", as_of=AS_OF, example=True, lang="sv"
    )
    assert len(_texts(framed.to_dict(validate=False))) == 22
