"""Indicator sheets as THL's Sotkanet and Statistics Finland export them, through the importer."""

from datetime import date

import pytest

from sotedata.domain.access import Principal, Role
from sotedata.domain.model import default_roadmap
from sotedata.ingest import import_file, parse_file
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

ROADMAP = default_roadmap()
LONG_HEADER = ["Indikaattori", "Alue", "Aluekoodi", "Aluetaso", "Vuosi", "Arvo"]
SICKNESS = "Sairastavuusindeksi, ikävakioitu"

#: a real-style long export: a title above, the old 2021 numbering, Helsinki's long name,
#: municipal rows with leading zeros, a national total, a regional row and a missing value
REAL_STYLE = xlsx(
    {
        "Sotkanet": [
            ["Sotkanet.fi: indikaattorit, haettu 23.11.2026"],
            [],
            LONG_HEADER,
            [SICKNESS, "Lapin HVA", "17", "Hyvinvointialue", 2021, "123,4"],
            [SICKNESS, "Kainuun hyvinvointialue", "16", "Hyvinvointialue", 2021, 131.0],
            [
                SICKNESS,
                "Helsinki (sosiaali- ja terveydenhuolto, sekä pelastustoimi)",
                "22",
                "Hyvinvointialue",
                2021,
                "88,0",
            ],
            [SICKNESS, "Alajärvi", "005", "Kunta", 2021, "140,2"],
            [SICKNESS, "Helsinki", "091", "Kunta", 2021, ".."],
            [SICKNESS, "Koko maa", "", "Koko maa", 2021, "100"],
            [SICKNESS, "Lappi", "19", "Maakunta", 2021, "122,9"],
            [SICKNESS, "Uusimaa", "01", "Maakunta", 2021, "95,0"],
        ]
    }
)


@pytest.fixture
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'sote.sqlite'}") as opened:
        opened.save_roadmap(ROADMAP)
        yield opened


def _parse(data, **kwargs):
    return parse_file(
        data, "indikaattorit.xlsx", roadmap=ROADMAP, today=date(2026, 11, 23), **kwargs
    )


def test_a_real_style_export_reads_with_warnings_only():
    parsed = _parse(REAL_STYLE)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert [s.kind for s in parsed.sheets] == ["indicators"]
    codes = [(w.code, w.cell) for w in parsed.warnings]
    assert ("ignored_level", "D9") in codes and ("ignored_level", "D10") in codes
    assert [c for c, _ in codes].count("ignored_level") == 2  # once per level, not per row
    assert {c for c, _ in codes} >= {"old_area_code"}
    values = {(v.level, v.region_code): v for v in parsed.indicator_values}
    assert set(values) == {
        ("area", "21"),
        ("area", "20"),
        ("area", "90"),
        ("municipality", "005"),
        ("municipality", "091"),
    }
    assert values[("area", "21")].value == pytest.approx(123.4)
    assert values[("municipality", "091")].value is None  # ".." is missing, not zero
    assert values[("municipality", "005")].area_code == "16"  # Alajärvi is in Etelä-Pohjanmaa
    assert parsed.counts()["indicator_values"] == 5
    assert parsed.counts()["municipalities"] == 2
    assert parsed.counts()["areas"] == ["16", "20", "21", "90"]
    (indicator,) = parsed.indicators
    assert indicator.name == SICKNESS and indicator.key == "file:sairastavuusindeksi-ikavakioitu"


def test_wide_form_one_column_per_indicator():
    data = xlsx(
        {
            "Taulukko": [
                ["Alue", "Vuosi", "Huoltosuhde", "Työttömyysaste (%)"],
                ["Lappi", "2018-2020", "65,1", "9,8"],
                ["Kainuu", "2018-2020", "70,2", "-"],
            ]
        }
    )
    parsed = _parse(data)
    assert not parsed.errors
    names = sorted(i.name for i in parsed.indicators)
    assert names == ["Huoltosuhde", "Työttömyysaste (%)"]
    assert len(parsed.indicator_values) == 4
    assert {v.period.text for v in parsed.indicator_values} == {"2018-2020"}


def test_bad_cells_are_reported_where_they_are():
    data = xlsx(
        {
            "Data": [
                LONG_HEADER,
                [SICKNESS, "Lappi", "", "Hyvinvointialue", "vuosi 2021", "1"],
                [SICKNESS, "Alajärvii", "", "Kunta", 2021, "1"],
                [SICKNESS, "Kainuu", "", "Hyvinvointialue", 2021, "paljon"],
            ]
        }
    )
    parsed = _parse(data)
    assert [(e.code, e.cell) for e in parsed.errors] == [
        ("invalid_period", "E2"),
        ("unknown_municipality", "B3"),
        ("invalid_number", "F4"),
    ]


def test_the_code_trap_a_name_wins_over_another_areas_code():
    data = xlsx({"Data": [LONG_HEADER, [SICKNESS, "Lappi", "20", "Hyvinvointialue", 2021, "1"]]})
    parsed = _parse(data)
    assert [w.code for w in parsed.warnings] == ["code_name_mismatch"]
    assert parsed.indicator_values[0].area_code == "21"


def test_a_municipality_code_that_lost_its_zeros_still_finds_the_municipality():
    header = ["Kuntakoodi", "Kunta", "Vuosi", "Indikaattori", "Arvo"]
    data = xlsx({"Kunnat": [header, [5, "Alajärvi", 2022, "Asukkaat", 9120]]})
    parsed = _parse(data)
    assert not parsed.errors
    assert parsed.indicator_values[0].region_code == "005"


def test_stored_whole_then_reverted_whole(store):
    report = import_file(store, REAL_STYLE, "sotkanet.xlsx")
    assert report.ok and report.counts["indicator_values"] == 5
    assert len(store.indicator_values()) == 5
    assert store.indicators()["name"].tolist() == [SICKNESS]
    again = import_file(store, REAL_STYLE, "sotkanet-kopio.xlsx")
    assert [w.code for w in again.warnings][-1] == "duplicate_file"
    store.revert_import(report.import_id)
    assert store.indicator_values().empty and store.indicators().empty


def test_a_preparer_may_not_bring_another_areas_figures(store):
    lappi = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
    report = import_file(store, REAL_STYLE, "sotkanet.xlsx", principal=lappi)
    assert not report.ok
    assert {e.code for e in report.errors} == {"area_not_allowed"}
    # Kainuu, Helsinki, and the two municipalities: Helsinki's area and municipality rows are
    # one entry (the same error, value and column), counting the second row
    assert sum(1 + e.repeats for e in report.errors) == 4
