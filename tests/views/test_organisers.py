"""The organisers' views (issue 20): the national metric "organisers' handover done", an area's
organisers and their map membership, the organisers table of the tables page and ``sote export
--table organisers``."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from sotedata.cli import main
from sotedata.domain import organisers
from sotedata.domain.model import Status
from sotedata.domain.organisers import OrganiserReport, Registry, done_by_area, done_share
from sotedata.geo.chain import tile_boundaries
from sotedata.rules import metrics
from sotedata.store.engine import Store
from sotedata.views import organisers as ov
from sotedata.views.national import NationalParams, build_national_view
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, sources_from_store, with_table_data

LAST = date(2022, 12, 15)


def test_done_share_leaves_not_applicable_out_and_counts_unreported_as_not_done():
    assert done_share([Status.DONE, None, Status.NOT_APPLICABLE, Status.IN_PROGRESS]) == 1 / 3
    assert done_share([Status.NOT_APPLICABLE]) is None


def test_an_organiser_of_two_areas_counts_in_both():
    hus = organisers.shipped().by_id["shp-25"]
    registry = Registry([hus])
    reports = [OrganiserReport("shp-25", t.key, Status.DONE, LAST) for t in organisers.topics()]
    shares = done_by_area(registry, reports[:4])
    assert shares["90"] == shares["01"] == pytest.approx(0.8)
    assert shares["21"] is None


def test_the_national_map_colours_areas_by_the_organisers_handover(demo_store: Store):
    frames = metrics.frames_on(demo_store, (LAST,))
    view = build_national_view(
        frames,
        tile_boundaries(),
        NationalParams(metric="organisers_done"),
        reporting_dates=tuple(demo_store.reporting_dates()),
        example=True,
        store=demo_store,
    )
    values = view.values.set_index("code")["value"]
    expected = demo_store.organiser_done_shares(LAST)
    assert values.to_dict() == pytest.approx({k: v for k, v in expected.items()})
    assert view.kind == "share" and values.between(0, 1).all()


def test_the_area_view_lists_its_organisers_and_colours_its_municipalities(demo_store: Store):
    view = ov.area_organisers(demo_store, "20", LAST, "fi")
    # Kainuun sote organised Puolanka's specialised care only (kainuu.fi): Puolanka is its own
    # organiser of basic services
    assert {o.id for o in view.organisers} == {"shp-19", "ky-kainuu", "pel-kainuu", "kunta-620"}
    assert len(view.status) == 20 and set(view.status["status"]) <= {s.value for s in Status}
    assert view.done == pytest.approx(demo_store.organiser_done_shares(LAST)["20"])
    basic = view.members("basic", "fi")
    assert len(basic) == 8 and set(basic["organiser_id"]) == {"ky-kainuu", "kunta-620"}
    assert basic.set_index("code").loc["620", "organiser"] == "Kunta järjestää itse"
    own = ov.area_organisers(demo_store, "90", LAST, "fi").members("basic", "fi")
    assert list(own["organiser"]) == ["Kunta järjestää itse"]


def test_the_organisers_table_gives_the_registry_with_the_latest_statuses(demo_store: Store):
    sources = with_table_data(sources_from_store(demo_store), demo_store, "organisers")
    table = build_table(TableQuery("organisers", areas=("20",), as_of=date(2022, 6, 30)), sources)
    assert table.headers()[:3] == ["Järjestäjän tunnus", "Järjestäjä", "Järjestäjän tyyppi"]
    assert table.rows == 20 and set(table.frame["organiser_id"]) == {
        "shp-19",
        "ky-kainuu",
        "pel-kainuu",
        "kunta-620",
    }
    assert set(table.frame["reported_on"]) == {date(2022, 6, 15)}
    done = build_table(TableQuery("organisers", statuses=("done",), as_of=LAST), sources)
    assert set(done.frame["status"]) == {"Valmis"}
    every = build_table(TableQuery("organisers", as_of=LAST), sources)
    assert every.rows == 5 * len(organisers.registry())


def test_sote_export_writes_the_organisers_table(demo_copy_url, capsysbinary):
    args = ["export", "--db", demo_copy_url, "--table", "organisers", "--format", "csv"]
    assert main([*args, "--area", "Kainuu", "--as-of", "2022-06-30"]) == 0
    frame = pd.read_csv(io.BytesIO(capsysbinary.readouterr().out), dtype=str)
    assert len(frame) == 20 and set(frame["Tilannepäivä"]) == {"2022-06-15"}
    assert set(frame["Alueet"]) == {"Kainuu"}
