"""The area page's state-grant projects and notes in AppTest: the projects with their linked
measures and € per inhabitant, the notes on the timeline and in the list, and a note added
through the form (stored with its audit row, then shown)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from sotedata.demo import examples as grants_notes_demo
from sotedata.domain.i18n import t
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from tests.support.apptest import app_test
from tests.support.example_db import copy_of

TIMEOUT = 120
AREA = "21"


@pytest.fixture(scope="module")
def example_url(demo_db_url, tmp_path_factory) -> str:
    """The example data with the example projects, notes and population (a copy of its own:
    these tests write notes)."""
    url = copy_of(demo_db_url, tmp_path_factory.mktemp("grants"))
    with Store.open(url) as store:
        grants_notes_demo.add_examples(store)
    return url


@pytest.fixture
def app(example_url, tmp_path, monkeypatch) -> AppTest:
    return app_test(example_url, tmp_path, monkeypatch, timeout=TIMEOUT)


def _open(app: AppTest, **params: str) -> AppTest:
    app.run()
    app.switch_page("pages/area.py")
    for name, value in {"alue": AREA, **params}.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _note_marks(at: AppTest) -> list[dict]:
    """The rows of the timeline's notes layer (Streamlit sends a chart's datasets as Arrow)."""
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        for layer in spec.get("layer", []):
            mark = layer.get("mark")
            if isinstance(mark, dict) and mark.get("shape") == "triangle-down":
                name = layer["data"]["name"]
                data = next(d for d in chart.proto.datasets if d.name == name)
                return pa.ipc.open_stream(data.data.data).read_pandas().to_dict("records")
    return []


def test_the_area_page_shows_its_projects_and_notes_and_the_list_is_searchable(app, example_url):
    """One run of the page: what it shows, then the notes list's search on that same run."""
    at = _open(app)
    headings = [h.value for h in at.header]
    assert t("grants.heading", "fi") in headings and t("notes.heading", "fi") in headings
    with Store.open(example_url) as store:
        projects = store.grants()
        own = store.notes()
    lapland = projects[projects["area_code"] == AREA]
    table = _table(at, "project")
    assert sorted(table["project"]) == sorted(set(lapland["project"]))
    assert all(text.endswith("\u00a0€") for text in table["granted"])
    assert all("(" in text for text in table["measures"])  # each measure with its status
    totals = next(m.value for m in at.markdown if "hanke" in m.value and "€" in m.value)
    assert "asukasta" in totals  # the example population gives € per inhabitant
    notes_table = _table(at, "source")
    expected = own[(own["area_code"] == AREA) | own["area_code"].isna()]
    assert len(notes_table) == len(expected)
    marks = _note_marks(at)
    assert sorted(m["day"] for m in marks) == sorted(
        d.isoformat() for d in own.loc[own["area_code"] == AREA, "noted_on"]
    )
    # the list is searchable
    own = expected
    source = own["source_type"].value_counts().index[-1]  # the rarest source type
    assert len(_table(at, "source")) == len(own)
    at.text_input(key="notes-text").input("ei-löydy-mitään").run()
    assert t("notes.no_match", "fi") in [i.value for i in at.info]
    at.text_input(key="notes-text").input("").run()
    at.multiselect(key="notes-source").select(source).run()
    shown = _table(at, "source")
    assert len(shown) == int((own["source_type"] == source).sum()) < len(own)
    assert set(shown["source"]) == {t(f"notes.source.{source}", "fi")}


def test_the_sections_follow_the_page_language(app):
    at = _open(app, kieli="sv")
    headings = [h.value for h in at.header]
    assert "Projekt med statsunderstöd" in headings and "Anteckningar" in headings
    table = _table(at, "project")
    assert set(table["status"]) <= {"Pågår", "Planerad", "Avslutad", "Avbruten", "–"}


def test_a_note_added_through_the_form_is_stored_audited_and_shown(app, example_url):
    at = _open(app)
    text = "Valtuuston seminaari: ICT-kilpailutus etenee"
    at.text_area(key="note-text").input(text)
    at.selectbox(key="note-source").select("meeting")
    at.text_input(key="note-link").input("https://example.fi/seminaari")
    at.text_input(key="note-tags").input("ICT, seminaari")
    submit = next(b for b in at.button if b.label == t("notes.form.submit", "fi"))
    submit.click().run()
    assert not at.exception
    assert any(t("notes.form.saved", "fi").split("(")[0] in s.value for s in at.success)
    with Store.open(example_url) as store:
        stored = store.notes()
        row = stored[stored["text"] == text]
        assert len(row) == 1 and row.iloc[0]["area_code"] == AREA
        assert row.iloc[0]["tags"] == "ICT, seminaari"
        trail = accounts.audit_log(store, action="note")
        assert str(int(row.iloc[0]["id"])) in set(trail["target"])
    assert text in set(_table(at, "source")["text"])
    assert text in {m["text"] for m in _note_marks(at)}


def test_a_bad_link_in_the_form_is_refused_and_nothing_is_stored(app, example_url):
    at = _open(app)
    with Store.open(example_url) as store:
        before = len(store.notes())
    at.text_area(key="note-text").input("Linkki on rikki")
    at.text_input(key="note-link").input("javascript:alert(1)")
    next(b for b in at.button if b.label == t("notes.form.submit", "fi")).click().run()
    assert any("javascript:alert(1)" in e.value for e in at.error)
    with Store.open(example_url) as store:
        assert len(store.notes()) == before


def test_an_import_shows_on_the_page_at_once_not_after_the_cache_minute(app, example_url):
    from sotedata.ingest import import_file
    from tests.support.workbooks import xlsx

    at = _open(app)
    text = "Tuotu muistiinpano: kuntakierros"
    rows = [["Alue", "Päivämäärä", "Muistiinpano"], ["Lappi", "1.9.2022", text]]
    with Store.open(example_url) as store:
        assert import_file(store, xlsx({"Muistiinpanot": rows}), "m.xlsx").ok
    at.run()
    assert text in set(_table(at, "source")["text"])
    assert text in {m["text"] for m in _note_marks(at)}
