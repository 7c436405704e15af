"""The template a preparer fills in: sheets, headers, drop-downs, date formats, and the CLI."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from sotedata.cli import main
from sotedata.demo.generator import build_demo, example_roadmap
from sotedata.domain import areas
from sotedata.domain.model import Measure, Status, default_roadmap
from sotedata.ingest.template import DATE_FORMAT, build_template, status_words
from tests.support.template_fi import (
    NATIONAL,
    RISK_HEADERS,
    ROADMAP_HEADERS,
    STATUS_LONG_HEADERS,
)


@pytest.fixture(scope="module")
def roadmap():
    return example_roadmap()


@pytest.fixture(scope="module")
def wide(roadmap):
    return load_workbook(BytesIO(build_template(roadmap)))


@pytest.fixture(scope="module")
def long(roadmap):
    return load_workbook(BytesIO(build_template(roadmap, area_code="21")))


def header(sheet, row=1):
    return [c.value for c in sheet[row] if c.value is not None]


def validations(sheet):
    """{cell range text: validation} of a sheet."""
    return {str(v.sqref): v for v in sheet.data_validations.dataValidation}


def covers(sheet, cell):
    """The validations whose ranges contain ``cell``."""
    return [v for v in sheet.data_validations.dataValidation if cell in v.sqref]


def test_example_roadmap_is_the_demo_roadmap(roadmap):
    assert roadmap == build_demo().roadmap


def test_template_has_the_four_finnish_sheets_and_a_hidden_list(wide):
    assert wide.sheetnames[:4] == ["Ohjeet", "Tiekartta", "Tilanne", "Riskit"]
    hidden = [ws.title for ws in wide.worksheets if ws.sheet_state == "hidden"]
    assert hidden == ["Luettelot"]
    instructions = " ".join(str(c.value) for c in wide["Ohjeet"]["A"] if c.value)
    for word in status_words():
        assert word in instructions
    assert "23.11.2026" in instructions
    assert NATIONAL in instructions


def test_roadmap_sheet_lists_every_measure_with_its_fields(wide, roadmap):
    sheet = wide["Tiekartta"]
    assert header(sheet) == list(ROADMAP_HEADERS)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(roadmap.measures)
    first = roadmap.measures[0]
    assert rows[0][:3] == (first.id, first.name, first.phase)
    assert rows[0][3] == roadmap.work_stream(first.work_stream).name_fi
    critical = next(i for i, m in enumerate(roadmap.measures) if m.critical)
    assert rows[critical][4] == "kyllä"
    dated = next(i for i, m in enumerate(roadmap.measures) if m.deadline)
    cell = sheet.cell(row=dated + 2, column=6)
    assert cell.value.date() == roadmap.measures[dated].deadline
    assert cell.number_format == DATE_FORMAT


def test_wide_status_sheet_has_a_column_per_area_and_a_status_drop_down(wide, roadmap):
    sheet = wide["Tilanne"]
    assert sheet["A1"].value == "Tilannepäivä:"
    assert sheet["B1"].number_format == DATE_FORMAT
    assert any(v.type == "date" for v in covers(sheet, "B1"))
    # the importer takes the first filled cell right of the label as the date: keep them empty
    assert all(c.value is None for c in sheet[1][1:])
    names = header(sheet, 3)
    assert names[:2] == ["Tunnus", "Toimenpide"]
    assert names[2:] == [a.name_fi for a in areas.reform_areas()]
    assert len(names) == 2 + 22
    ids = [sheet.cell(row=r, column=1).value for r in range(4, 4 + len(roadmap.measures))]
    assert ids == [m.id for m in roadmap.measures]
    last = 3 + len(roadmap.measures)
    for cell in ("C4", "X4", f"C{last}", f"X{last}"):
        (status,) = [v for v in covers(sheet, cell) if v.type == "list"]
        assert status.formula1 == '"' + ",".join(status_words()) + '"'
    assert status_words() == [s.label("fi") for s in Status]


def test_long_status_sheet_is_prefilled_for_one_area(long, roadmap):
    sheet = long["Tilanne"]
    assert header(sheet) == list(STATUS_LONG_HEADERS)
    rows = list(sheet.iter_rows(min_row=2, max_row=1 + len(roadmap.measures), values_only=True))
    assert {r[0] for r in rows} == {"Lapin hyvinvointialue"}
    assert [r[1] for r in rows] == [m.id for m in roadmap.measures]
    assert all(r[3] is None for r in rows)  # the status is the preparer's to fill
    assert sheet["E2"].number_format == DATE_FORMAT
    assert [v.type for v in covers(sheet, "D2")] == ["list"]
    (area_list,) = covers(sheet, "A2")
    assert area_list.formula1.replace("'", "") == "Luettelot!$A$2:$A$23"  # no "Koko maa"
    assert [v.type for v in covers(sheet, "E2")] == ["date"]
    # rows that a preparer adds below the measures keep their drop-down
    assert covers(sheet, f"D{len(roadmap.measures) + 50}")


def test_risk_sheet_offers_scores_and_areas_including_the_whole_country(long):
    sheet = long["Riskit"]
    assert header(sheet) == list(RISK_HEADERS)
    for cell, expected in (("D2", '"1,2,3,4,5"'), ("E9", '"1,2,3,4,5"')):
        assert [v.formula1 for v in covers(sheet, cell)] == [expected]
    (area_list,) = covers(sheet, "A2")
    assert area_list.formula1.replace("'", "") == "Luettelot!$A$1:$A$23"
    listed = [c.value for c in long["Luettelot"]["A"]]
    assert listed[0] == NATIONAL
    assert listed[1:] == [a.name_fi for a in areas.reform_areas()]
    assert [v.type for v in covers(sheet, "H2")] == ["date"]
    assert sheet["H2"].number_format == DATE_FORMAT


def test_text_that_looks_like_a_formula_is_written_as_text():
    measure = Measure("=1+1", '=HYPERLINK("http://x")', 1, "hallinto", False, date(2020, 5, 31))
    book = load_workbook(BytesIO(build_template(default_roadmap([measure]))))
    cell = book["Tiekartta"]["B2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'
    assert book["Tiekartta"]["A2"].data_type == "s"


def test_unknown_area_code_is_refused(roadmap):
    from sotedata.domain.errors import SoteError

    with pytest.raises(SoteError) as caught:
        build_template(roadmap, area_code="91")
    assert caught.value.issues[0].code == "unknown_area"


def test_sote_template_writes_the_example_roadmap_into_an_empty_database(tmp_path, capsys):
    out = tmp_path / "pohja.xlsx"
    code = main(["template", str(out), "--area", "Lappi", "--db", f"sqlite:///{tmp_path}/e.db"])
    assert code == 0
    book = load_workbook(out)
    assert book["Tilanne"]["A2"].value == "Lapin hyvinvointialue"
    assert "165" in capsys.readouterr().out


def test_sote_template_uses_the_stored_roadmap(demo_db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--db", demo_db_url]) == 0
    book = load_workbook(tmp_path / "tilannekuva_pohja.xlsx")
    assert book["Tiekartta"].max_row == 1 + 165


def test_sote_template_with_an_unknown_area_is_a_usage_error(tmp_path, capsys):
    code = main(["template", str(tmp_path / "x.xlsx"), "--area", "Lapponia", "--db", "sqlite://"])
    assert code == 2
    assert "Lapponia" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def _fill(data: bytes, roadmap, *, wide: bool) -> bytes:
    """What a preparer does: statuses for two areas (or one), a date, and two risks."""
    book = load_workbook(BytesIO(data))
    sheet = book["Tilanne"]
    words = status_words()
    if wide:
        sheet["B1"] = datetime(2026, 10, 31)
        for row in range(4, 4 + len(roadmap.measures)):
            sheet.cell(row=row, column=3).value = words[row % 4]
            sheet.cell(row=row, column=24).value = words[(row + 1) % 4]
    else:
        for row in range(2, 2 + len(roadmap.measures)):
            sheet.cell(row=row, column=4).value = words[row % 5]
            sheet.cell(row=row, column=5).value = datetime(2026, 10, 31)
    risks = book["Riskit"]
    risks.append(
        ["Lapin hyvinvointialue", "Rekrytoinnit viivästyvät", "Henkilöstö", 4, 3, "Rekry", "HR",
         datetime(2026, 10, 31)]
    )  # fmt: skip
    risks.append(
        [NATIONAL, "Rahoitus ei riitä", "Talous", 3, 5, None, None, datetime(2026, 10, 31)]
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("area_code", [None, "21"])
def test_a_filled_template_imports_with_no_error(roadmap, area_code):
    ingest = pytest.importorskip("sotedata.ingest")
    if not hasattr(ingest, "parse_file"):
        pytest.skip("the importer (sotedata.ingest.parse_file) has not landed yet")
    data = _fill(build_template(roadmap, area_code=area_code), roadmap, wide=area_code is None)
    parsed = ingest.parse_file(data, "pohja.xlsx", roadmap=roadmap)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    kinds = {s.name: s.kind for s in parsed.sheets}
    assert kinds["Tilanne"] == "status" and kinds["Riskit"] == "risks"
    assert len(parsed.risk_ratings) == 2
    expected = len(roadmap.measures) * (2 if area_code is None else 1)
    assert len(parsed.status_reports) == expected
    assert {r.reported_on for r in parsed.status_reports} == {date(2026, 10, 31)}


def test_an_unfilled_wide_template_is_refused_as_nothing_to_import(roadmap):
    """Every sheet reads without a cell error, but nothing would be saved: the preparer must not
    be told the file was accepted."""
    ingest = pytest.importorskip("sotedata.ingest")
    parsed = ingest.parse_file(build_template(roadmap), "pohja.xlsx", roadmap=roadmap)
    assert [e.code for e in parsed.errors] == ["nothing_to_import"]
    assert "pohja.xlsx" in parsed.errors[0].message()
    assert not parsed.status_reports and not parsed.risk_ratings and not parsed.measures
    kinds = {s.name: s.kind for s in parsed.sheets}
    assert kinds == {
        "Ohjeet": "instructions",
        "Tiekartta": "roadmap",
        "Tilanne": "status",
        "Riskit": "risks",
        "Luettelot": "instructions",
    }


def test_sote_template_then_sote_import_of_the_filled_file(tmp_path, capsys):
    import json

    pytest.importorskip("sotedata.ingest")
    url = f"sqlite:///{tmp_path}/e.db"
    out = tmp_path / "lappi.xlsx"
    assert main(["template", str(out), "--area", "21", "--db", url]) == 0
    roadmap = example_roadmap()
    filled = tmp_path / "lappi_taytetty.xlsx"
    filled.write_bytes(_fill(out.read_bytes(), roadmap, wide=False))
    capsys.readouterr()
    assert main(["import", str(filled), "--json", "--db", url]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["errors"] == []
    assert report["counts"]["status"] == len(roadmap.measures)
    assert report["counts"]["risks"] == 2
    assert report["counts"]["areas"] == ["21"]


def test_sote_template_for_aland_says_it_is_outside_the_reform(tmp_path, capsys):
    code = main(["template", str(tmp_path / "x.xlsx"), "--area", "91", "--db", "sqlite://"])
    assert code == 2
    assert "Ahvenanmaa" in capsys.readouterr().err


def test_sote_template_prefills_an_area_s_current_statuses(demo_db_url, tmp_path):
    from sotedata.domain.i18n import t
    from sotedata.domain.model import Status

    out = tmp_path / "lappi.xlsx"
    assert main(["template", str(out), "--area", "Lappi", "--db", demo_db_url]) == 0
    words = {t(f"status.{s.value}", "fi") for s in Status}
    cells = [c.value for row in load_workbook(out)["Tilanne"].iter_rows() for c in row]
    # the example history has a status for most of Lapland's measures: the rows come filled
    assert sum(value in words for value in cells) > 100
