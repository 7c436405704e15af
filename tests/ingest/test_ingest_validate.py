"""Every error and warning code of a file, each from a file the test builds, with its exact cell."""

from datetime import date

import pytest

from sotedata.domain.i18n import catalog
from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import Limits, parse_file
from tests.support.workbooks import xlsx

D = date
TODAY = D(2026, 11, 23)
ROADMAP = default_roadmap(
    [
        Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, D(2022, 3, 31)),
        Measure("I-01", "Tietoliikenneverkko", 3, "ict", False, D(2022, 9, 30)),
        Measure("P-01", "Hoitotakuun seuranta", 3, "palvelut", False, None),
        Measure("P-02", "Palvelustrategia", 2, "palvelut", False, None),
        Measure("P-03", "Palvelustrategia", 3, "palvelut", False, None),
    ]
)
STATUS_HEADER = ["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"]


def parse(data: bytes, name: str = "tila.xlsx", **options):
    options.setdefault("today", TODAY)
    return parse_file(data, name, roadmap=ROADMAP, **options)


def status(*rows, header=STATUS_HEADER):
    return xlsx({"Tila": [header, *rows]})


def only(issues, code):
    found = [issue for issue in issues if issue.code == code]
    assert found, f"no {code} in {[i.code for i in issues]}"
    return found[0]


def test_a_clean_long_status_sheet_gives_one_report_per_row():
    parsed = parse(
        status(
            ["Lappi", "H-01", "Valmis", "31.10.2026"], ["Kainuu", "I-01", "Kesken", D(2026, 10, 31)]
        )
    )
    assert not parsed.errors and not parsed.warnings
    assert [(r.area_code, r.measure_id, r.status.value) for r in parsed.status_reports] == [
        ("21", "H-01", "done"),
        ("20", "I-01", "in_progress"),
    ]
    assert parsed.counts() == {
        "measures": 0,
        "status": 2,
        "risks": 0,
        "indicator_values": 0,
        "municipalities": 0,
        "grants": 0,
        "notes": 0,
        "areas": ["20", "21"],
        "organisers": 0,
        "organiser_status": 0,
    }
    assert parsed.sheets[0].kind == "status" and parsed.sheets[0].rows == 2


def test_unknown_area_points_at_the_cell_and_suggests_the_right_name():
    parsed = parse(
        status(
            ["Lappi", "H-01", "Valmis", "31.10.2026"],
            ["Lapin hyvinvoitialue", "H-01", "Valmis", "31.10.2026"],
        )
    )
    issue = only(parsed.errors, "unknown_area")
    assert (issue.sheet, issue.cell, issue.row, issue.column) == ("Tila", "A3", 3, "A")
    assert "Lappi" in issue.suggestion()
    assert parsed.status_reports == []  # a rejected file carries nothing


def test_ambiguous_area():
    issue = only(
        parse(status(["Lappi / Kainuu", "H-01", "Valmis", "31.10.2026"])).errors, "ambiguous_area"
    )
    assert issue.cell == "A2"


def test_unknown_and_ambiguous_measure():
    parsed = parse(
        status(
            ["Lappi", "Tietoliikenneverko", "Valmis", "31.10.2026"],
            ["Lappi", "Palvelustrategia", "Valmis", "31.10.2026"],
            header=["Alue", "Toimenpide", "Tila", "Päivämäärä"],
        )
    )
    unknown = only(parsed.errors, "unknown_measure")
    assert unknown.cell == "B2" and "Tietoliikenneverkko" in unknown.suggestion()
    ambiguous = only(parsed.errors, "ambiguous_measure")
    assert ambiguous.cell == "B3" and "P-02" in ambiguous.message()


def test_measure_by_name_when_there_is_no_id_column():
    parsed = parse(
        status(
            ["Lappi", "tietoliikenne­verkko".replace("\u00ad", ""), "Valmis", "31.10.2026"],
            header=["Alue", "Toimenpide", "Tila", "Pvm"],
        )
    )
    assert [r.measure_id for r in parsed.status_reports] == ["I-01"]


@pytest.mark.parametrize(
    ("row", "code", "cell"),
    [
        (["Lappi", "H-01", "Valmiss", "31.10.2026"], "status_misspelt", "C2"),
        (["Lappi", "H-01", "melkein", "31.10.2026"], "invalid_status", "C2"),
        (["Lappi", "H-01", "Valmis", "31.13.2026"], "invalid_date", "D2"),
        ([None, "H-01", "Valmis", "31.10.2026"], "missing_value", "A2"),
        (["Lappi", "H-01", "#N/A", "31.10.2026"], "formula_error", "C2"),
    ],
)
def test_bad_cells_are_errors_at_their_cell(row, code, cell):
    issue = only(parse(status(row)).errors, code)
    assert issue.cell == cell
    assert issue.message() != f"error.{code}"


def test_missing_column_names_the_column():
    parsed = parse(status(["Lappi", "H-01", "31.10.2026"], header=["Alue", "Tunnus", "Pvm"]))
    issue = only(parsed.errors, "missing_column")
    assert issue.row == 1 and "Tila" in issue.message()


def test_roadmap_sheet_rows_are_checked_and_upserted():
    data = xlsx(
        {
            "Tiekartta": [
                ["Tunnus", "Toimenpide", "Vaihe", "Valmisteluryhmä", "Kriittinen", "Määräaika"],
                [
                    "H-01",
                    "Hallintosääntö",
                    "Vaihe 3",
                    "Hallinto, talous ja tukipalvelut",
                    "kyllä",
                    "31.3.2022",
                ],
                ["X-01", "Uusi toimenpide", "II", "ICT", "x", D(2021, 5, 1)],
                ["X-02", "Toinen", "7", "ICT", "ei", None],
                ["X-03", "Kolmas", "1", "Ei tällaista", "ei", None],
            ],
        }
    )
    parsed = parse(data, "tiekartta.xlsx")
    assert only(parsed.errors, "invalid_phase").cell == "C4"
    assert only(parsed.errors, "unknown_work_stream").cell == "D5"
    good = parse(
        xlsx(
            {
                "Tiekartta": [
                    r
                    for i, r in enumerate(
                        [
                            [
                                "Tunnus",
                                "Toimenpide",
                                "Vaihe",
                                "Valmisteluryhmä",
                                "Kriittinen",
                                "Määräaika",
                            ],
                            [
                                "H-01",
                                "Hallintosääntö",
                                "Vaihe 3",
                                "Hallinto, talous ja tukipalvelut",
                                "kyllä",
                                "31.3.2022",
                            ],
                            ["X-01", "Uusi toimenpide", "II", "ICT", "x", D(2021, 5, 1)],
                        ]
                    )
                ]
            }
        ),
        "tiekartta.xlsx",
    )
    assert not good.errors
    assert {m.id: (m.name, m.phase, m.work_stream, m.critical) for m in good.measures} == {
        "H-01": ("Hallintosääntö", 3, "hallinto", True),
        "X-01": ("Uusi toimenpide", 2, "ict", True),
    }


def test_a_status_sheet_may_report_on_a_measure_its_roadmap_sheet_adds():
    data = xlsx(
        {
            "Tila": [STATUS_HEADER, ["Lappi", "X-09", "Käynnissä", "31.10.2026"]],
            "Tiekartta": [
                ["Tunnus", "Toimenpide", "Vaihe", "Työryhmä"],
                ["X-09", "Uusi", 3, "ICT"],
            ],
        }
    )
    parsed = parse(data)
    assert not parsed.errors
    assert [r.measure_id for r in parsed.status_reports] == ["X-09"]


def test_risks_sheet_with_a_national_risk_and_bad_scores():
    header = ["Hyvinvointialue", "Riski", "Teema", "Todennäköisyys", "Vaikutus", "Tilannepäivä"]
    good = parse(
        xlsx(
            {
                "Riskit": [
                    header,
                    ["Lappi", "Rekrytoinnit", "Henkilöstö", "4 – suuri", 3, "31.10.2026"],
                    ["Koko maa", "Rahoitus", "Talous", 3, "5", "31.10.2026"],
                ]
            }
        )
    )
    assert not good.errors
    assert [(r.area_code, r.likelihood, r.impact) for r in good.risk_ratings] == [
        ("21", 4, 3),
        (None, 3, 5),
    ]
    bad = parse(
        xlsx({"Riskit": [header, ["Lappi", "Rekrytoinnit", "Henkilöstö", 6, "iso", "31.10.2026"]]})
    )
    assert [i.cell for i in bad.errors if i.code == "invalid_score"] == ["D2", "E2"]


def test_same_area_measure_and_date_twice_with_different_values_conflicts():
    parsed = parse(
        status(
            ["Lappi", "H-01", "Valmis", "31.10.2026"],
            ["Lappi", "H-01", "Valmis", "31.10.2026"],  # the same again: harmless
            ["Lappi", "H-01", "Kesken", "31.10.2026"],
            ["Lappi", "H-01", "Kesken", "30.9.2026"],  # another date: history
        )
    )
    issue = only(parsed.errors, "conflicting_rows")
    assert issue.cell == "C4" and "C2" in issue.message()
    assert len(parsed.errors) == 1


def test_one_file_may_carry_a_history_of_dates():
    parsed = parse(
        status(["Lappi", "H-01", "Kesken", "30.9.2026"], ["Lappi", "H-01", "Valmis", "31.10.2026"])
    )
    assert sorted(r.reported_on for r in parsed.status_reports) == [D(2026, 9, 30), D(2026, 10, 31)]


def test_the_code_trap_name_wins_and_the_code_is_a_warning():
    header = ["Hyvinvointialue", "Aluekoodi", "Tunnus", "Tila", "Tilannepäivä"]
    parsed = parse(
        status(
            ["Lapin hyvinvointialue", "17", "H-01", "Valmis", "31.10.2026"],  # 17 = Lappi in 2021
            ["Lapin hyvinvointialue", "05", "I-01", "Valmis", "31.10.2026"],  # 05 = Varsinais-Suomi
            header=header,
        )
    )
    assert not parsed.errors
    assert {r.area_code for r in parsed.status_reports} == {"21"}
    assert only(parsed.warnings, "old_area_code").cell == "A2"
    mismatch = only(parsed.warnings, "code_name_mismatch")
    assert mismatch.cell == "A3" and "Varsinais-Suomi" in mismatch.message()


def test_reporting_date_from_a_labelled_cell_then_today_with_a_warning():
    labelled = xlsx(
        {
            "Tila": [
                ["Tilannepäivä: 31.10.2026"],
                [],
                ["Alue", "Tunnus", "Tila"],
                ["Lappi", "H-01", "Valmis"],
            ]
        }
    )
    assert [r.reported_on for r in parse(labelled).status_reports] == [D(2026, 10, 31)]
    beside = xlsx(
        {
            "Tila": [
                ["Tilannepäivä", D(2026, 9, 30)],
                ["Alue", "Tunnus", "Tila"],
                ["Lappi", "H-01", "Valmis"],
            ]
        }
    )
    assert [r.reported_on for r in parse(beside).status_reports] == [D(2026, 9, 30)]
    bare = parse(
        xlsx(
            {
                "Tila": [
                    ["Alue", "Tunnus", "Tila"],
                    ["Lappi", "H-01", "Valmis"],
                    ["Kainuu", "H-01", "Valmis"],
                ]
            }
        )
    )
    assert [r.reported_on for r in bare.status_reports] == [TODAY, TODAY]
    assert [w.code for w in bare.warnings] == ["reported_on_defaulted"]
    explicit = parse(labelled, reported_on=D(2026, 1, 15))
    assert [r.reported_on for r in explicit.status_reports] == [D(2026, 1, 15)]


def test_ignored_sheet_and_column_are_warnings():
    data = xlsx(
        {
            "Tila": [
                [*STATUS_HEADER, "Oma muistiinpano"],
                ["Lappi", "H-01", "Valmis", "31.10.2026", "x"],
            ],
            "Muistio": [["Vapaata tekstiä"]],
        }
    )
    parsed = parse(data)
    assert not parsed.errors
    assert only(parsed.warnings, "ignored_column").cell == "E1"
    assert only(parsed.warnings, "ignored_sheet").sheet == "Muistio"
    assert {s.name: s.kind for s in parsed.sheets} == {"Tila": "status", "Muistio": "ignored"}


def test_no_known_sheet_and_empty_file():
    assert only(parse(xlsx({"A": [["Jotain"], ["muuta"]]})).errors, "no_known_sheet")
    assert only(parse(xlsx({"A": []})).errors, "empty_file")


def test_all_errors_are_collected_and_capped():
    rows = [["Lappi", "H-01", f"outo{i}", "31.10.2026"] for i in range(30)]
    parsed = parse(status(*rows), limits=Limits(max_errors=10))
    assert len(parsed.errors) == 10 and parsed.more_errors == 20


def test_every_issue_code_has_a_finnish_message_and_fix():
    codes = [
        "unsupported_format",
        "unreadable_file",
        "encrypted_file",
        "file_too_large",
        "too_many_rows",
        "sheet_too_large",
        "empty_file",
        "no_known_sheet",
        "missing_column",
        "unknown_area",
        "ambiguous_area",
        "unknown_measure",
        "ambiguous_measure",
        "invalid_status",
        "invalid_phase",
        "invalid_date",
        "invalid_score",
        "missing_value",
        "conflicting_rows",
        "formula_error",
        "code_name_mismatch",
        "old_area_code",
        "duplicate_file",
        "reported_on_defaulted",
        "reported_on_blank",
        "status_not_reported",
        "status_misspelt",
        "ignored_sheet",
        "ignored_column",
    ]
    fi = catalog("fi")
    missing = [c for c in codes if f"error.{c}" not in fi or f"error.{c}.fix" not in fi]
    assert not missing


def test_a_swedish_template_like_workbook_with_a_title_imports():
    data = xlsx(
        {
            "Instruktioner": [["Fyll i läget för varje åtgärd."]],
            "Läge": [
                ["Lägesrapport – välfärdsområdenas beredning"],
                ["Rapporteringsdatum:", D(2026, 10, 31)],
                [],
                ["Välfärdsområde", "Områdeskod", "Åtgärdskod", "Status", "Kommentar"],
                ["Lapplands välfärdsområde", "21", "H-01", "Klar", None],
                [None, None, None, None, None],
                ["Österbottens välfärdsområde", "17", "I-01", "Pågår", "Upphandling"],
                ["Kajanaland", "20", "P-01", "Ej tillämplig", None],
                ["Totalt", None, None, None, None],
            ],
            "Risker": [
                [
                    "Välfärdsområde",
                    "Risk",
                    "Tema",
                    "Sannolikhet",
                    "Konsekvens",
                    "Åtgärder",
                    "Ansvarig",
                ],
                [
                    "Hela landet",
                    "Finansieringen räcker inte",
                    "Ekonomi",
                    3,
                    5,
                    "Dialog",
                    "Minister",
                ],
            ],
        }
    )
    parsed = parse(data, "läge.xlsx")
    assert not parsed.errors, [e.render() for e in parsed.errors]
    assert {s.name: (s.kind, s.rows) for s in parsed.sheets} == {
        "Instruktioner": ("ignored", 1),
        "Läge": ("status", 3),
        "Risker": ("risks", 1),
    }
    assert sorted((r.area_code, r.status.value) for r in parsed.status_reports) == [
        ("17", "in_progress"),
        ("20", "not_applicable"),
        ("21", "done"),
    ]
    assert {r.reported_on for r in parsed.status_reports} == {D(2026, 10, 31)}
    assert parsed.risk_ratings[0].area_code is None


def test_aland_is_outside_the_reform_an_error_in_a_row_an_ignored_column_when_wide():
    issue = only(
        parse(status(["Ahvenanmaa", "H-01", "Valmis", "31.10.2026"])).errors, "area_outside_reform"
    )
    assert issue.cell == "A2"
    wide = xlsx({"Tila": [["Tunnus", "Lappi", "Ahvenanmaa"], ["H-01", "Valmis", "Valmis"]]})
    parsed = parse(wide, reported_on=D(2026, 10, 31))
    assert not parsed.errors and [r.area_code for r in parsed.status_reports] == ["21"]
    assert only(parsed.warnings, "ignored_column").cell == "C1"


def test_a_risk_keeps_the_id_of_a_plain_id_column():
    header = ["Alue", "Tunnus", "Riski", "Todennäköisyys", "Vaikutus", "Pvm"]
    data = xlsx({"Riskit": [header, ["Lappi", "R-7", "Rekrytoinnit", 2, 2, "31.10.2026"]]})
    assert [r.risk_id for r in parse(data).risk_ratings] == ["R-7"]


def test_a_swedish_preparer_reads_the_same_issue_in_swedish():
    issue = only(parse(status(["Lappi", "H-01", "Klarr", "31.10.2026"])).errors, "status_misspelt")
    assert issue.message("sv") == "Statusen ”Klarr” är ingen känd status. Menade du ”Klar”?"
    assert "”Klar”" in issue.suggestion("sv")
    assert issue.message("en") == "The status “Klarr” is not a known status. Did you mean “Done”?"
    assert issue.message("fi").endswith("Tarkoititko ”Valmis”?")


def test_repeated_values_still_report_every_row_and_every_hidden_error():
    header = ["Hyvinvointialue", "Aluekoodi", "Tunnus", "Tila", "Tilannepäivä"]
    rows = [["Lappi", "", "H-01", "Valmis", "31.10.2026"]] * 3
    rows += [["Lappi", "#REF!", "I-01", "Valmis", "31.10.2026"]]  # an error cell reads as empty
    rows += [["Lappi", "17", "P-01", "Valmis", "31.10.2026"]] * 2
    parsed = parse(status(*rows, header=header))
    assert [(e.code, e.cell) for e in parsed.errors] == [("formula_error", "B5")]
    # the same warning with the same value on two rows is one entry naming both cells
    (old,) = [w for w in parsed.warnings if w.code == "old_area_code"]
    assert (old.cell, old.repeats, old.also) == ("A6", 1, ("A7",))
