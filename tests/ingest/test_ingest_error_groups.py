"""Errors that explain instead of flooding: one entry for the same problem on many rows, the cap
keeping the most different problems, advice that names every shape, and a kind chosen by score."""

from datetime import date

from sotedata.domain.errors import Issue
from sotedata.domain.model import default_roadmap
from sotedata.ingest import parse_file
from sotedata.ingest.collector import Collector

ROADMAP = default_roadmap()


def _parse(text: str, name: str = "luvut.csv"):
    return parse_file(text.encode("utf-8"), name, roadmap=ROADMAP, today=date(2026, 11, 23))


def test_the_same_error_on_many_rows_is_one_entry_counting_them():
    rows = [f"Alajärvi;{2000 + i % 20};abc" for i in range(300)]
    rows += [f"Alavus;{1000 + i};{i},5" for i in range(1000)]  # mostly numbers: an indicator
    parsed = _parse("Kunta;Vuosi;Sairastavuus\n" + "\n".join(rows))
    (entry,) = [e for e in parsed.errors if e.code == "invalid_number"]
    assert (entry.cell, entry.repeats) == ("C2", 299)
    assert entry.also == ("C3", "C4", "C5", "C6", "C7")
    assert "299 muuta riviä, joilla on ”abc” (C3, C4, C5, C6, C7, …)" in entry.message("fi")
    assert "299 more rows with ”abc”" in entry.message("en")
    assert "299 rader till" in entry.message("sv")


def test_different_values_stay_separate_entries():
    rows = "Alajärvi;2020;abc\nAlajärvi;2021;def\nAlavus;2021;abc\n" + "Alavus;2022;1\n" * 4
    parsed = _parse("Kunta;Vuosi;Sairastavuus\n" + rows)
    assert [(e.cell, e.repeats, e.also) for e in parsed.errors] == [
        ("C2", 1, ("C4",)),
        ("C3", 0, ()),
    ]


def test_the_cap_keeps_one_of_each_kind_first():
    collector = Collector("x.csv", limit=10)
    for row in range(50):
        collector.add(
            Issue("invalid_number", sheet="S", row=row + 2, column="C", params={"value": f"v{row}"})
        )
    collector.add(Issue("invalid_period", sheet="S", row=60, column="B", params={"value": "z"}))
    codes = [issue.code for issue in collector.errors]
    assert len(codes) == 10 and codes[:2] == ["invalid_number", "invalid_period"]
    assert collector.more == 41


def test_under_the_cap_the_list_reads_in_file_order():
    collector = Collector("x.csv", limit=10)
    collector.add(Issue("invalid_number", sheet="S", row=2, column="C", params={"value": "a"}))
    collector.add(Issue("invalid_number", sheet="S", row=3, column="C", params={"value": "b"}))
    collector.add(Issue("invalid_period", sheet="S", row=4, column="B", params={"value": "z"}))
    assert [i.row for i in collector.errors] == [2, 3, 4]
    assert collector.added == 3 and collector.more == 0


def test_an_ignored_sheet_beside_a_known_one_names_every_shape():
    from tests.support.workbooks import xlsx

    data = xlsx(
        {
            "Luvut": [["Alue", "Vuosi", "Käynnit"], ["Lappi", 2021, 5]],
            "Muuta": [["Jotain", "Muuta"], ["x", "y"]],
        }
    )
    parsed = parse_file(data, "x.xlsx", roadmap=ROADMAP, today=date(2026, 11, 23))
    (warning,) = [w for w in parsed.warnings if w.code == "ignored_sheet"]
    for shape in ("status", "risks", "roadmap", "indicators", "state grants", "notes"):
        assert shape in warning.suggestion("en")
