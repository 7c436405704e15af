"""The marked copy of a preparer's workbook: the right cells filled and commented, a list sheet."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from sotedata.domain.errors import Issue, SoteError
from sotedata.ingest.annotate import (
    ERROR_FILL,
    WARNING_FILL,
    annotate_workbook,
    annotated_name,
    can_annotate,
    errors_workbook,
    issue_rows,
)

#: the list sheet's Finnish name (the marked copy names it in the page's language)
ERRORS_SHEET = "Virheet"


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tila"
    sheet.append(["Raportti lokakuu"])
    sheet.append(["Hyvinvointialue", "Tunnus", "Tila"])
    sheet.append(["Lapin hyvinvoitialue", "H-01", "valmis"])
    sheet.append(["Kainuun hyvinvointialue", "H-02", "melkein"])
    sheet["C3"].comment = Comment("oma huomio", "Valmistelija")
    sheet.merge_cells("A5:B5")
    sheet["A5"] = "Yhteensä"
    other = book.create_sheet("Riskit")
    other.append(["Riski", "Todennäköisyys"])
    other.append(["Rahoitus", 7])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


ISSUES = [
    Issue("unknown_area", sheet="Tila", row=3, column="A", params={"text": "Lapin hyvinvoitialue"}),
    Issue("invalid_status", sheet="Tila", row=4, column="C", params={"value": "melkein"}),
    Issue("invalid_status", sheet="Tila", row=3, column="C", params={"value": "valmis?"}),
    Issue("invalid_score", sheet="Riskit", row=2, column="B", params={"value": 7}),
    Issue("code_name_mismatch", "warning", sheet="Tila", row=4, column="B"),
    Issue("missing_column", sheet="Riskit", params={"column": "Vaikutus"}),
    Issue("formula_error", sheet="Tila", row=5, column="B", params={"value": "#REF!"}),
    Issue("duplicate_file", "warning", file="tila.xlsx"),
]


@pytest.fixture(scope="module")
def marked():
    return load_workbook(BytesIO(annotate_workbook(_workbook(), ISSUES)))


def _fill(cell) -> str:
    return cell.fill.start_color.rgb[-6:] if cell.fill and cell.fill.fill_type else ""


def test_each_wrong_cell_is_filled_and_commented_with_its_message(marked):
    sheet = marked["Tila"]
    assert _fill(sheet["A3"]) == ERROR_FILL.start_color.rgb[-6:]
    assert ISSUES[0].message() in sheet["A3"].comment.text
    assert ISSUES[0].suggestion() in sheet["A3"].comment.text
    assert _fill(sheet["C4"]) == ERROR_FILL.start_color.rgb[-6:]
    assert ISSUES[1].message() in sheet["C4"].comment.text
    risk = marked["Riskit"]["B2"]
    assert _fill(risk) == ERROR_FILL.start_color.rgb[-6:]
    assert risk.comment.text.startswith("Virhe: ")


def test_cells_without_an_issue_stay_as_they_were(marked):
    sheet = marked["Tila"]
    for ref in ("A2", "B3", "C2", "A4"):
        assert _fill(sheet[ref]) == "" and sheet[ref].comment is None
    assert sheet["A3"].value == "Lapin hyvinvoitialue"  # the values are the preparer's own
    assert marked["Riskit"]["A2"].comment is None


def test_a_warning_is_yellow_and_an_error_wins_over_it(marked):
    assert _fill(marked["Tila"]["B4"]) == WARNING_FILL.start_color.rgb[-6:]
    assert marked["Tila"]["B4"].comment.text.startswith("Varoitus: ")


def test_the_preparers_own_comment_is_kept_first(marked):
    text = marked["Tila"]["C3"].comment.text
    assert text.startswith("oma huomio")
    assert ISSUES[2].message() in text


def test_a_cell_inside_a_merged_range_marks_the_range(marked):
    cell = marked["Tila"]["A5"]
    assert _fill(cell) == ERROR_FILL.start_color.rgb[-6:]
    assert ISSUES[6].message() in cell.comment.text


def test_every_issue_is_listed_on_a_first_sheet(marked):
    assert marked.sheetnames[0] == ERRORS_SHEET
    assert marked.active.title == ERRORS_SHEET
    rows = list(marked[ERRORS_SHEET].iter_rows(values_only=True))
    assert rows[0][:5] == ("Vakavuus", "Taulukko", "Solu", "Rivi", "Virhe")
    assert len(rows) == 1 + len(ISSUES)
    codes = [r[6] for r in rows[1:]]
    assert codes == [i.code for i in ISSUES]
    without_cell = rows[1 + ISSUES.index(ISSUES[5])]
    assert without_cell[1] == "Riskit" and without_cell[2] is None
    assert without_cell[4] == ISSUES[5].message()
    assert rows[1][2] == "A3" and rows[1][3] == 3


def test_a_sheet_named_virheet_already_is_not_overwritten():
    book = Workbook()
    book.active.title = ERRORS_SHEET
    book.active["A1"] = "oma"
    out = BytesIO()
    book.save(out)
    marked = load_workbook(BytesIO(annotate_workbook(out.getvalue(), ISSUES[:1])))
    assert marked.sheetnames == [f"{ERRORS_SHEET} (2)", ERRORS_SHEET]
    assert marked[ERRORS_SHEET]["A1"].value == "oma"


def test_a_message_that_quotes_a_formula_stays_text():
    issue = Issue("invalid_status", sheet="Tila", row=3, column="C", params={"value": "=1+1"})
    marked = load_workbook(BytesIO(annotate_workbook(_workbook(), [issue])))
    listed = marked[ERRORS_SHEET]["E2"]
    assert listed.data_type == "s"


def test_not_a_workbook_is_an_unreadable_file():
    with pytest.raises(SoteError) as caught:
        annotate_workbook(b"Hyvinvointialue;Tila\n", ISSUES)
    assert caught.value.issues[0].code == "unreadable_file"


def test_names_of_the_marked_copy():
    assert annotated_name("tila.xlsm") == "tila_virheet.xlsx"
    assert can_annotate("Tila.XLSX") and can_annotate("a.xlsm")
    assert not can_annotate("a.ods") and not can_annotate("a.csv")


def test_issue_rows_have_the_page_columns():
    rows = issue_rows(ISSUES[:2] + ISSUES[5:6])
    assert list(rows[0]) == ["Solu", "Taulukko", "Rivi", "Virhe", "Korjausehdotus"]
    assert rows[0]["Solu"] == "A3" and rows[0]["Rivi"] == "3"
    assert rows[2]["Solu"] == "" and rows[2]["Taulukko"] == "Riskit" and rows[2]["Rivi"] == ""


def test_errors_workbook_is_the_list_alone():
    book = load_workbook(BytesIO(errors_workbook(ISSUES)))
    assert book.sheetnames == [ERRORS_SHEET]
    assert book[ERRORS_SHEET].max_row == 1 + len(ISSUES)
