"""Notes: added by whoever may write for the area (with an audit row, or not at all), searched
by words, source type and tags, cited by risks, and marked on the area timeline."""

import json
from datetime import date

import pandas as pd
import pytest

from sotedata.charts import area as area_charts
from sotedata.domain.access import Principal, Role
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from sotedata.domain.model import default_phases
from sotedata.rules import notes
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from sotedata.views import area_progress as ap
from tests.support.risk_notes import notes_for_risk, risk_note_counts

D = date
LAPLAND = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
MINISTRY = Principal("stm@example.fi", Role.MINISTRY)
READER = Principal("lukija@example.fi", Role.READER)


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as opened:
        yield opened


MAY_3 = D(2022, 5, 3)


def _note(area="21", day=MAY_3, text="ICT-hankinta myöhässä", **kw):
    return notes.Note(area_code=area, noted_on=day, text=text, **kw)


def test_a_preparer_adds_a_note_for_their_area_with_its_audit_row(store):
    note_id = accounts.add_note(store, LAPLAND, _note(tags=("ICT",), source_type="interview"))
    stored = store.notes()
    assert stored["id"].tolist() == [note_id] and stored["created_by"].tolist() == [LAPLAND.user]
    assert stored["tags"].tolist() == ["ICT"] and stored["import_id"].isna().all()
    trail = accounts.audit_log(store, action="note")
    assert trail["target"].tolist() == [str(note_id)] and trail["actor"].tolist() == [LAPLAND.user]
    assert json.loads(trail["details"][0])["area"] == "21"
    # the audit trail names the action in the reader's language
    assert [t(f"admin.action.{a}", "sv") for a in trail["action"]] == ["anteckning"]


@pytest.mark.parametrize(("principal", "area"), [(LAPLAND, "20"), (LAPLAND, None), (READER, "21")])
def test_another_area_a_national_note_or_a_reader_is_forbidden_and_nothing_is_written(
    store, principal, area
):
    with pytest.raises(SoteError) as raised:
        accounts.add_note(store, principal, _note(area=area))
    assert raised.value.issues[0].code == "forbidden"
    assert store.notes().empty and accounts.audit_log(store).empty


def test_the_ministry_writes_national_notes(store):
    accounts.add_note(store, MINISTRY, _note(area=None, text="Rahoitus"))
    assert store.notes()["area_code"].isna().all()
    assert notes.may_write(MINISTRY, None) and not notes.may_write(LAPLAND, None)
    assert notes.may_write(LAPLAND, "21") and not notes.may_write(None, "21")


def test_the_form_is_checked_like_an_import_row():
    with pytest.raises(SoteError) as raised:
        notes.note_from_form("21", None, "  ", "lehti", "javascript:alert(1)")
    codes = [i.code for i in raised.value.issues]
    assert codes == ["missing_value", "missing_value", "invalid_source_type", "invalid_link"]
    note = notes.note_from_form(
        "21", D(2022, 5, 3), " Teksti ", "media", "https://yle.fi/a", "ICT, ict; talous", "I-01"
    )
    assert (note.text, note.tags, note.measure_id, note.risk_id) == (
        "Teksti",
        ("ICT", "talous"),
        "I-01",
        None,
    )


@pytest.fixture
def filled(store):
    for note in (
        _note(text="ICT-hankinta myöhässä", source_type="interview", tags=("ICT", "hankinnat")),
        _note(
            day=D(2022, 6, 1), text="Henkilöstökysely", source_type="survey", tags=("henkilöstö",)
        ),
        _note(
            day=D(2022, 7, 1),
            text="Lehti: ICT-kilpailutus valitettiin",
            source_type="media",
            tags=("ICT",),
            risk_id="ICT-1",
        ),
        _note(area="20", text="Kainuun kokous", source_type="meeting"),
        _note(area=None, text="Valtakunnallinen rahoitusriski", risk_id="KANS-1"),
    ):
        accounts.add_note(store, Principal.open("tester"), note)
    return store.notes()


def test_search_by_words_source_type_and_tags(filled):
    lapland = notes.area_notes(filled, "21")
    assert lapland["text"].tolist()[0].startswith("Lehti")  # newest first
    assert len(lapland) == 3 and len(notes.area_notes(filled, "21", national=True)) == 4
    assert notes.search_notes(lapland, "ict myöhässä")["text"].tolist() == ["ICT-hankinta myöhässä"]
    assert len(notes.search_notes(lapland, "ict")) == 2
    assert notes.search_notes(lapland, source_types=["survey"])["text"].tolist() == [
        "Henkilöstökysely"
    ]
    assert len(notes.search_notes(lapland, tags=["ict"])) == 2
    assert len(notes.search_notes(lapland, tags=["ICT", "hankinnat"])) == 1
    assert notes.search_notes(lapland, "ICT-1")["risk_id"].tolist() == ["ICT-1"]
    assert notes.search_notes(lapland, "ei-mitään").empty
    assert notes.tag_options(lapland) == ["hankinnat", "henkilöstö", "ICT"]


def test_risks_can_cite_notes(filled):
    assert notes_for_risk(filled, "ICT-1", "21")["text"].tolist() == [
        "Lehti: ICT-kilpailutus valitettiin"
    ]
    assert notes_for_risk(filled, "ICT-1", "20").empty
    assert len(notes_for_risk(filled, "KANS-1", None)) == 1
    assert risk_note_counts(filled) == {("21", "ICT-1"): 1, (None, "KANS-1"): 1}
    # the risks page's list under the national risks: only notes without an area that cite one
    assert notes.national_risk_notes(filled)["text"].tolist() == ["Valtakunnallinen rahoitusriski"]


def test_the_list_and_the_timeline_speak_the_language(filled):
    lapland = notes.area_notes(filled, "21")
    table = notes.notes_table(lapland, "sv")
    assert table["source"].tolist() == ["Medier", "Enkät", "Intervju"]
    assert table.loc[0, "target"] == "risk ICT-1"
    sentence = notes.notes_sentence(lapland, "en", limit=2)
    assert sentence.startswith("Notes on the timeline (3)") and "1 more" in sentence
    assert "1 Jun 2022" in sentence  # the two newest, oldest of them first
    marks = notes.timeline_notes(lapland, "fi")
    assert marks["day"].tolist() == ["2022-07-01", "2022-06-01", "2022-05-03"]


def test_the_timeline_marks_each_note_at_its_date_with_its_text_as_tooltip(filled):
    marks = notes.timeline_notes(notes.area_notes(filled, "21"), "fi")
    ranges = ap.phase_ranges(default_phases(), "fi")
    columns = ["measure_id", "name", "phase", "phase_label", "status", "status_label"]
    columns += ["deadline_iso", "deadline_text", "critical_text", "slot"]
    empty = pd.DataFrame(columns=columns)  # no measures: only the notes' layer matters here
    spec = area_charts.phase_timeline(ranges, empty, [], D(2022, 12, 15), notes=marks).to_dict()
    layers = [layer for layer in spec["layer"] if layer["mark"].get("shape") == "triangle-down"]
    assert len(layers) == 1
    data = spec["datasets"][layers[0]["data"]["name"]]
    assert [row["day"] for row in data] == ["2022-07-01", "2022-06-01", "2022-05-03"]
    assert layers[0]["encoding"]["tooltip"][2]["field"] == "text"
    assert "ICT-hankinta myöhässä" in {row["text"] for row in data}
    plain = area_charts.phase_timeline(ranges, empty, [], D(2022, 12, 15)).to_dict()
    assert not [layer for layer in plain["layer"] if layer["mark"].get("shape") == "triangle-down"]
