"""Measure ids are matched without regard to case (issue 14): ``h-01`` is ``H-01`` in a status
row, a roadmap row and a grant's measure list alike, and never becomes a second measure."""

from datetime import date

import pytest

from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import import_file, parse_file
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

ROADMAP = default_roadmap(
    [
        Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, date(2022, 3, 31)),
        Measure("Tk-02", "Tietoliikenne", 3, "ict", False, None),
    ]
)
STATUS = ["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"]
ROADMAP_HEADER = ["Tunnus", "Toimenpide", "Vaihe", "Teema"]


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        opened.save_roadmap(ROADMAP)
        yield opened


@pytest.mark.parametrize("written", ["h-01", "H-01", " h-01 "])
def test_a_status_row_finds_the_measure_whatever_the_case(written):
    data = xlsx({"Tila": [STATUS, ["Lappi", written, "Valmis", "31.10.2026"]]})
    parsed = parse_file(data, "t.xlsx", roadmap=ROADMAP)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert [r.measure_id for r in parsed.status_reports] == ["H-01"]


def test_a_mixed_case_id_is_found_from_upper_and_lower_case():
    data = xlsx(
        {
            "Tila": [
                STATUS,
                ["Lappi", "TK-02", "Valmis", "31.10.2026"],
                ["Kainuu", "tk-02", "Valmis", "31.10.2026"],
            ]
        }
    )
    parsed = parse_file(data, "t.xlsx", roadmap=ROADMAP)
    assert not parsed.errors
    assert {r.measure_id for r in parsed.status_reports} == {"Tk-02"}


def test_a_roadmap_row_in_lower_case_updates_the_measure_and_makes_no_second_one(store):
    data = xlsx(
        {
            "Tiekartta": [ROADMAP_HEADER, ["h-01", "Hallintosääntö hyväksytty", 2, "Hallinto"]],
            "Tila": [STATUS, ["Lappi", "H-01", "Valmis", "31.10.2026"]],
        }
    )
    report = import_file(store, data, "tiekartta.xlsx")
    assert report.ok, [e.render() for e in report.errors]
    measures = {m.id: m for m in store.load_roadmap().measures}
    assert sorted(measures) == ["H-01", "Tk-02"]
    assert measures["H-01"].name == "Hallintosääntö hyväksytty" and measures["H-01"].phase == 2
    assert store.status_reports()["measure_id"].tolist() == ["H-01"]
    store.revert_import(report.import_id)  # and the revert puts the old values back
    assert store.load_roadmap().measures == ROADMAP.measures


def test_one_file_writing_a_new_id_in_two_cases_makes_one_measure():
    data = xlsx(
        {
            "Tiekartta": [ROADMAP_HEADER, ["X-01", "Uusi", 2, "ICT"]],
            "Tila": [STATUS, ["Lappi", "x-01", "Käynnissä", "31.10.2026"]],
        }
    )
    parsed = parse_file(data, "t.xlsx", roadmap=ROADMAP)
    assert not parsed.errors
    assert [m.id for m in parsed.measures] == ["X-01"]
    assert [r.measure_id for r in parsed.status_reports] == ["X-01"]


def test_a_generated_id_never_differs_from_a_taken_one_by_case_only():
    roadmap = default_roadmap([Measure("t-001", "Vanha", 1, "ict", False, None)])
    data = xlsx({"Tiekartta": [["Toimenpide", "Vaihe", "Teema"], ["Aivan uusi", 2, "ICT"]]})
    parsed = parse_file(data, "t.xlsx", roadmap=roadmap)
    assert not parsed.errors
    assert [m.id for m in parsed.measures] == ["T-002"]
