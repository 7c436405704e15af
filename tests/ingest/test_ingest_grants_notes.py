"""Grants (hankeseuranta) and notes sheets through the importer: recognised from their headers in
three languages, money and periods as preparers write them, every bad cell named, stored whole
and reverted whole, and a preparer kept to their own areas."""

from datetime import date

import pytest

from sotedata.domain.access import Principal, Role
from sotedata.domain.model import Measure, RiskRating, default_roadmap
from sotedata.ingest import import_file, parse_file
from sotedata.ingest.rows.grants import parse_grant_period
from sotedata.ingest.values import parse_money
from sotedata.store.engine import Store
from tests.support.workbooks import GRANT_HEADER, NOTE_HEADER, xlsx

D = date
ROADMAP = default_roadmap(
    [
        Measure("I-01", "Tietoliikenneverkko", 3, "ict", True, D(2022, 9, 30)),
        Measure("P-01", "Sote-keskusten verkko", 3, "palvelut", False, None),
    ]
)

GOOD = xlsx(
    {
        "Hankkeet": [
            ["Tilannepäivä: 15.6.2022"],
            GRANT_HEADER,
            [
                "Lappi",
                "Tulevaisuuden sote-keskus",
                "RRF",
                "1 234 567,89 €",
                "370 000",
                "2022–2024",
                "Käynnissä",
                "I-01, P-01",
            ],
            ["Kainuun hyvinvointialue", "ICT-muutostuki", "", 500000, "", "2022", "", ""],
        ],
        "Muistiinpanot": [
            NOTE_HEADER,
            [
                "Lappi",
                "3.5.2022",
                "Hankinta myöhässä",
                "Haastattelu",
                "https://example.fi/a",
                "ICT, hankinnat",
                "I-01",
                "",
            ],
            ["Koko maa", "2022-06-01", "Rahoitus huolettaa", "Enkät", "", "talous", "", ""],
        ],
    }
)


@pytest.fixture
def store(db_url):
    """On SQLite and on PostgreSQL (tests/support/pg.py)."""
    with Store.open(db_url) as opened:
        opened.save_roadmap(ROADMAP)
        yield opened


def _parse(data, **kwargs):
    return parse_file(data, "hankkeet.xlsx", roadmap=ROADMAP, today=D(2026, 11, 23), **kwargs)


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("1 234 567,89 €", 1234567.89),
        ("1\u00a0234\u00a0567 €", 1234567.0),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89 EUR", 1234567.89),
        ("12,5", 12.5),
        ("100 000 euroa", 100000.0),
        (2500, 2500.0),
        ("-5", None),
        ("paljon", None),
        (True, None),
    ],
)
def test_money_as_preparers_write_it(text, euros):
    assert parse_money(text) == euros


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2022–2024", (D(2022, 1, 1), D(2024, 12, 31))),
        ("2022-2024", (D(2022, 1, 1), D(2024, 12, 31))),
        (2023, (D(2023, 1, 1), D(2023, 12, 31))),
        ("1.3.2022–31.12.2024", (D(2022, 3, 1), D(2024, 12, 31))),
        ("2022-03-01 - 2023-02-28", (D(2022, 3, 1), D(2023, 2, 28))),
        ("2024–2022", None),
        ("pian", None),
    ],
)
def test_project_periods(text, span):
    assert parse_grant_period(text) == span


def test_a_grants_and_a_notes_sheet_are_recognised_and_read():
    parsed = _parse(GOOD)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert [(s.kind, s.rows) for s in parsed.sheets] == [("grants", 2), ("notes", 2)]
    lapland, kainuu = parsed.grants
    assert (lapland.area_code, lapland.granted, lapland.spent) == ("21", 1234567.89, 370000.0)
    assert (lapland.start, lapland.end, lapland.status) == (
        D(2022, 1, 1),
        D(2024, 12, 31),
        "ongoing",
    )
    assert lapland.measures == ("I-01", "P-01") and lapland.reported_on == D(2022, 6, 15)
    assert (kainuu.area_code, kainuu.spent, kainuu.status) == ("20", None, None)  # not zero
    note, national = parsed.notes
    assert (note.area_code, note.noted_on, note.source_type) == ("21", D(2022, 5, 3), "interview")
    assert note.tags == ("ICT", "hankinnat") and note.measure_id == "I-01"
    assert (national.area_code, national.source_type) == (None, "survey")
    counts = parsed.counts()
    assert (counts["grants"], counts["notes"], counts["areas"]) == (2, 2, ["20", "21"])


def test_swedish_and_english_headers_and_words():
    data = xlsx(
        {
            "Projekt": [
                ["Välfärdsområde", "Projekt", "Beviljat", "Använt", "Startdatum", "Slutdatum"],
                ["Lappland", "IKT-stöd", "2 000 000", "1 000 000", "1.1.2022", "31.12.2023"],
            ],
            "Notes": [
                ["Area", "Date", "Note", "Source type", "Tags"],
                ["Kainuu", "2022-05-04", "Staff survey results", "Questionnaire", "staff"],
            ],
        }
    )
    parsed = _parse(data)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert [s.kind for s in parsed.sheets] == ["grants", "notes"]
    (grant,) = parsed.grants
    assert (grant.area_code, grant.start, grant.end) == ("21", D(2022, 1, 1), D(2023, 12, 31))
    assert parsed.notes[0].source_type == "survey"


def test_old_area_numbering_is_recognised_with_its_warning():
    header = ["Alue", "Aluekoodi", "Hanke", "Myönnetty"]
    data = xlsx({"Hankkeet": [header, ["Lapin HVA", "17", "Sote-keskus", "100 000"]]})
    parsed = _parse(data, reported_on=D(2022, 6, 15))
    assert not parsed.errors
    assert parsed.grants[0].area_code == "21"
    assert "old_area_code" in {w.code for w in parsed.warnings}


def test_bad_cells_are_named_exactly():
    data = xlsx(
        {
            "Hankkeet": [
                GRANT_HEADER,
                ["Kainuu", "A", "", "paljon", "1", "2022", "", ""],
                ["Kainuu", "B", "", "10", "-4", "2024–2022", "outo", ""],
                ["Lappi", "", "", "10", "", "", "", ""],
            ],
            "Muistiinpanot": [
                NOTE_HEADER,
                ["Kainuu", "", "x", "Lehti", "javascript:alert(1)", "", "", ""],
                ["Kainuu", "eilen", "", "Muu", "ftp://example.fi/x", "", "", ""],
            ],
        }
    )
    parsed = _parse(data, reported_on=D(2022, 6, 15))
    assert [(e.sheet, e.code, e.cell) for e in parsed.errors] == [
        ("Hankkeet", "invalid_money", "D2"),
        ("Hankkeet", "invalid_money", "E3"),
        ("Hankkeet", "invalid_grant_period", "F3"),
        ("Hankkeet", "invalid_grant_status", "G3"),
        ("Hankkeet", "missing_value", "B4"),
        ("Muistiinpanot", "invalid_source_type", "D2"),
        ("Muistiinpanot", "invalid_link", "E2"),
        ("Muistiinpanot", "missing_value", "C3"),
        ("Muistiinpanot", "invalid_date", "B3"),
        ("Muistiinpanot", "invalid_link", "E3"),
    ]
    assert not parsed.grants and not parsed.notes  # a rejected file carries no records
    first = parsed.errors[0]
    assert "paljon" in first.message("fi") and first.suggestion("fi")
    assert first.message("sv") != first.message("fi") and first.message("en") != first.message("fi")


def test_an_unknown_measure_is_a_warning_at_its_cell_and_the_project_is_kept():
    data = xlsx({"Hankkeet": [GRANT_HEADER, ["Lappi", "A", "", "10", "", "", "", "I-01; X-99"]]})
    parsed = _parse(data, reported_on=D(2022, 6, 15))
    assert not parsed.errors
    (warning,) = [w for w in parsed.warnings if w.code == "unknown_grant_measure"]
    assert warning.cell == "H2" and "X-99" in warning.message("fi")
    assert parsed.grants[0].measures == ("I-01",)


def test_a_note_may_cite_a_known_risk_and_an_unknown_one_is_a_warning(store):
    store.add_risk_ratings(
        [RiskRating("21", "ICT-1", "Järjestelmät", "ICT", 4, 4, None, None, D(2022, 1, 15))]
    )
    rows = [
        NOTE_HEADER,
        ["Lappi", "1.2.2022", "Toimittaja myöhässä", "Kokous", "", "", "", "ICT-1"],
        ["Lappi", "2.2.2022", "Toinen", "Kokous", "", "", "", "ICT-9"],
    ]
    report = import_file(store, xlsx({"Muistiinpanot": rows}), "m.xlsx")
    assert report.ok
    assert [(w.code, w.cell) for w in report.warnings] == [("unknown_note_target", "H3")]
    notes = store.notes()
    assert notes["risk_id"].tolist() == ["ICT-1", None]


def test_stored_whole_counted_and_reverted_whole(store):
    report = import_file(store, GOOD, "hankkeet.xlsx")
    assert report.ok and report.counts["grants"] == 2 and report.counts["notes"] == 2
    body = report.to_json()
    assert body["counts"]["grants"] == 2 and body["counts"]["areas"] == ["20", "21"]
    assert [s["kind"] for s in body["sheets"]] == ["grants", "notes"]
    grants = store.grants()
    assert len(grants) == 2 and grants.iloc[0]["measures"] == ("I-01", "P-01")
    assert len(store.notes()) == 2
    store.revert_import(report.import_id)
    assert store.grants().empty and store.notes().empty
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM grant_measures").scalar() == 0


def test_a_file_that_fails_stores_none_of_its_grants_or_notes(store):
    bad = xlsx(
        {
            "Hankkeet": [GRANT_HEADER, ["Lappi", "A", "", "10", "", "", "", ""]],
            "Muistiinpanot": [NOTE_HEADER, ["Lappi", "1.2.2022", "x", "Lehti", "", "", "", ""]],
        }
    )
    report = import_file(store, bad, "bad.xlsx", reported_on=D(2022, 6, 15))
    assert not report.ok and report.import_id is None
    assert store.grants().empty and store.notes().empty


def test_a_preparer_may_store_only_their_own_areas_and_no_national_notes(store):
    lapland = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
    report = import_file(store, GOOD, "hankkeet.xlsx", principal=lapland)
    assert not report.ok
    assert [(e.code, e.sheet, e.cell) for e in report.errors] == [
        ("area_not_allowed", "Hankkeet", "A4"),
        ("national_note_not_allowed", "Muistiinpanot", "A3"),
    ]
    assert store.grants().empty and store.notes().empty
    ministry = Principal("stm@example.fi", Role.MINISTRY)
    assert import_file(store, GOOD, "hankkeet.xlsx", principal=ministry).ok


def test_a_preparer_cannot_revert_an_import_with_a_national_note(store):
    from sotedata.domain.errors import SoteError
    from sotedata.store import people as accounts

    own = xlsx({"M": [NOTE_HEADER, ["Koko maa", "1.2.2022", "x", "Muu", "", "", "", ""]]})
    report = import_file(store, own, "m.xlsx")
    lapland = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
    assert not accounts.may_revert(store, lapland, report.import_id)
    with pytest.raises(SoteError):
        accounts.revert_import(store, lapland, report.import_id)


def test_a_wide_indicator_sheet_keeps_columns_named_like_grant_or_note_headers():
    """ "Kulut" or "Tyyppi" became grant and note headers; in an indicator sheet they are still
    indicators, as they were before."""
    data = xlsx({"T": [["Alue", "Vuosi", "Kulut", "Tyyppi"], ["Lappi", 2021, "12,5", "3"]]})
    parsed = _parse(data)
    assert [s.kind for s in parsed.sheets] == ["indicators"] and not parsed.errors
    assert sorted(i.name for i in parsed.indicators) == ["Kulut", "Tyyppi"]
