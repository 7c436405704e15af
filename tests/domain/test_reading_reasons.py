"""An unreadable file's message says in words why it could not be read, in each language, while
its ``reason`` stays the stable slug that tests and ``--json`` consumers read."""

import json
import pickle
from datetime import date

import pytest

from sotedata.domain.errors import Count, Issue, Term, reading_params
from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import Limits, parse_file

ROADMAP = default_roadmap([Measure("H-01", "Hallintosääntö", 3, "hallinto", True, None)])


def _error(data: bytes, name: str):
    parsed = parse_file(data, name, roadmap=ROADMAP, limits=Limits(), today=date(2026, 1, 1))
    assert [issue.code for issue in parsed.errors] == ["unreadable_file"]
    return parsed.errors[0]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", "zip-paketti on rikki"),
        ("sv", "zip-paket är trasigt"),
        ("en", "zip archive is broken"),
    ],
)
def test_a_broken_zip_says_so_in_the_message(lang, words):
    issue = _error(b"PK\x03\x04" + b"\x00garbage" * 40, "tila.xlsx")
    assert issue.params["reason"] == "broken_zip"
    assert words in issue.message(lang)
    assert "broken_zip" not in issue.message(lang)


def test_nul_bytes_in_a_csv_are_named():
    # past the first 4 KB, which a NUL would make binary junk (not_a_workbook)
    issue = _error(b"Alue;Tunnus\n" + b"Lappi;H-01\n" * 500 + b"Lappi;H-01\x00\n", "tila.csv")
    assert issue.params["reason"] == "nul"
    assert issue.row == 502
    assert "NUL" in issue.message("fi")


def test_an_unknown_reason_shows_as_its_slug_and_serialises_as_text():
    term = reading_params({"reason": "SomethingNew"})["reason"]
    assert isinstance(term, Term)
    assert term.localise("fi") == "SomethingNew"
    assert json.dumps({"reason": term}) == '{"reason": "SomethingNew"}'
    assert pickle.loads(pickle.dumps(term)).localise("en") == "SomethingNew"


def test_a_limits_numbers_are_written_as_the_language_writes_them():
    params = reading_params({"sheet": "Tila", "rows": 300000, "columns": 703, "limit": 1500000})
    issue = Issue("sheet_too_large", file="a.xlsx", sheet="Tila", params=params)
    assert "300\u00a0000 riviä" in issue.message("fi")
    assert "1\u00a0500\u00a0000" in issue.message("sv")
    assert "300,000 rows" in issue.message("en")
    assert json.dumps(params["rows"]) == "300000"


def test_a_row_number_or_a_code_is_never_grouped():
    params = reading_params({"row": 12345, "code": 2021, "rows": True})
    assert params == {"row": 12345, "code": 2021, "rows": True}
    assert not isinstance(params["row"], Count)
