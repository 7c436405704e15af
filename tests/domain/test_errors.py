"""The one error shape that the CLI's --json and the pages render (locked here)."""

from sotedata.domain.errors import Issue, SoteError, column_letter, has_errors


def test_issue_dict_has_the_canonical_shape():
    issue = Issue(
        "invalid_date", file="tila.xlsx", sheet="Tila", row=7, column="B", params={"value": "31.2."}
    )
    data = issue.to_dict()
    assert list(data) == [
        "code",
        "severity",
        "file",
        "sheet",
        "cell",
        "row",
        "column",
        "message",
        "suggestion",
    ]
    assert data["cell"] == "B7"
    assert "31.2." in data["message"]
    assert data["suggestion"]


def test_render_names_file_sheet_and_cell_in_finnish():
    issue = Issue(
        "invalid_date", file="tila.xlsx", sheet="Tila", row=7, column="B", params={"value": "x"}
    )
    text = issue.render()
    assert text.startswith("Virhe: tila.xlsx › Tila › B7: ")
    assert "p.k.vvvv" in text and "2026-11-23" in text  # the template's format, ISO accepted


def test_warning_without_position_and_no_suggestion_key():
    issue = Issue("invalid_parameter", severity="warning", params={"name": "vaihe", "value": "9"})
    assert issue.cell is None
    assert issue.render().startswith("Varoitus: ")
    assert not has_errors([issue])
    assert has_errors([issue, Issue("no_data")])


def test_fatal_error_carries_the_same_issues():
    error = SoteError(Issue("no_data"))
    assert error.issues[0].code == "no_data"
    assert "sote demo" in str(error)


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
