"""The preparer's loop: download the area's template (pre-filled with its current statuses),
change what changed, upload: exactly those changes, and no error for what was left alone."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from sotedata.demo.generator import example_roadmap
from sotedata.domain.access import Principal, Role
from sotedata.domain.model import Status
from sotedata.ingest import import_file, parse_file
from sotedata.ingest.comparison import current_reports, measure_changes
from sotedata.ingest.template import build_template, sheet_name
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def roadmap():
    return example_roadmap()


def _edit(data: bytes, sheet_key: str, lang: str, cells: dict[str, object]) -> bytes:
    book = load_workbook(BytesIO(data))
    sheet = book[sheet_name(sheet_key, lang)]
    for ref, value in cells.items():
        sheet[ref] = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_four_changed_cells_of_a_downloaded_template_are_exactly_four_changes(demo_copy_url):
    with Store.open(demo_copy_url) as store:
        roadmap = store.load_roadmap()
        current = current_reports(store, "21")
        assert len(current) == len(roadmap.measures)
        data = build_template(roadmap, area_code="21", lang="fi", current=current, today=TODAY)
        book = load_workbook(BytesIO(data))
        sheet = book["Tilanne"]
        # pre-filled: each measure's current status, today as the date, what was last reported
        first = current[sheet["B2"].value]
        assert sheet["D2"].value == first.status.label("fi")
        assert sheet["E2"].value.date() == TODAY
        assert sheet["G1"].value == "Edellinen tilanne"
        assert sheet["G2"].value.startswith(first.status.label("fi") + " ")
        # the preparer changes four status cells to a status each did not have
        changed = {}
        for row in (2, 10, 40, 90):
            before = current[sheet[f"B{row}"].value].status
            after = Status.DONE if before is not Status.DONE else Status.DELAYED
            changed[f"D{row}"] = after.label("fi")
        filled = _edit(data, "status", "fi", changed)

        parsed = parse_file(filled, "pohja_21.xlsx", roadmap=roadmap, today=TODAY)
        assert parsed.errors == []
        assert [w.code for w in parsed.warnings] == []  # nothing to warn about either
        kinds = {s.name: s.kind for s in parsed.sheets}
        assert kinds["Ohjeet"] == kinds["Luettelot"] == "instructions"
        changes = measure_changes(store, parsed)
        assert len(changes) == 4
        assert {c.after.label("fi") for c in changes} <= set(changed.values())
        assert all(c.before is not None and c.before != c.after for c in changes)
        report = import_file(store, filled, "pohja_21.xlsx", dry_run=True)
        assert report.ok and report.errors == []
        # the area's own preparer may store it: their area's rows and the unchanged roadmap
        lapland = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
        mine = parse_file(filled, "pohja_21.xlsx", roadmap=roadmap, today=TODAY, principal=lapland)
        assert mine.errors == [] and mine.warnings == []


def test_a_blank_area_template_with_four_cells_filled_warns_once_not_per_row(roadmap):
    data = build_template(roadmap, area_code="21", lang="fi")
    cells = {f"D{row}": "Valmis" for row in (2, 3, 4, 5)}
    cells |= {f"E{row}": date(2026, 11, 30) for row in (2, 3, 4, 5)}
    parsed = parse_file(_edit(data, "status", "fi", cells), "p.xlsx", roadmap=roadmap)
    assert parsed.errors == []
    assert len(parsed.status_reports) == 4
    (warning,) = parsed.warnings
    assert warning.code == "status_not_reported" and warning.severity == "warning"
    assert warning.repeats == len(roadmap.measures) - 4 - 1
    assert "ei ilmoiteta" in warning.message("fi")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_empty_reporting_date_is_dated_today_and_never_called_missing(roadmap, lang):
    """The wide template's date cell left empty, or the area template's date column: the file has
    a Tilannepäivä, so it never hears "no reporting date found"."""
    wide = _edit(build_template(roadmap, lang=lang), "status", lang, {"C4": "Valmis"})
    long = _edit(
        build_template(roadmap, area_code="21", lang=lang), "status", lang, {"D2": "Valmis"}
    )
    for data in (wide, long):
        parsed = parse_file(data, "p.xlsx", roadmap=roadmap, today=TODAY)
        codes = [w.code for w in parsed.warnings]
        assert "reported_on_blank" in codes and "reported_on_defaulted" not in codes
        (blank,) = [w for w in parsed.warnings if w.code == "reported_on_blank"]
        assert "2.12.2026" in blank.message("fi")
        assert "p.k.vvvv" in blank.suggestion("fi") and "2026-11-23" in blank.suggestion("fi")
        assert [r.reported_on for r in parsed.status_reports] == [TODAY]


def test_a_file_without_any_date_still_hears_that_none_was_found(roadmap):
    data = xlsx({"Tila": [["Alue", "Tunnus", "Tila"], ["Lappi", "H-01", "Valmis"]]})
    codes = [w.code for w in parse_file(data, "t.xlsx", roadmap=roadmap).warnings]
    assert codes == ["reported_on_defaulted"]


@pytest.mark.parametrize(
    ("typed", "lang", "meant"),
    [("Valmsi", "fi", "Valmis"), ("Klarr", "sv", "Klar"), ("Käynisä", "en", "In progress")],
)
def test_a_misspelt_status_asks_did_you_mean_in_the_readers_language(roadmap, typed, lang, meant):
    data = _edit(
        build_template(roadmap, lang="fi"), "status", "fi", {"B1": "1.12.2026", "C4": typed}
    )
    (error,) = parse_file(data, "p.xlsx", roadmap=roadmap).errors
    assert (error.code, error.cell) == ("status_misspelt", "C4")
    assert f"{meant}" in error.message(lang) and f"{meant}" in error.suggestion(lang)


def test_a_word_like_no_status_is_still_just_unknown(roadmap):
    data = _edit(build_template(roadmap), "status", "fi", {"B1": "1.12.2026", "C4": "melkein"})
    assert [e.code for e in parse_file(data, "p.xlsx", roadmap=roadmap).errors] == [
        "invalid_status"
    ]


def test_the_templates_own_sheets_are_instructions_in_every_language(roadmap):
    for lang in ("fi", "sv", "en"):
        data = _edit(build_template(roadmap, lang=lang), "status", lang, {"B1": "1.12.2026"})
        data = _edit(data, "status", lang, {"C4": "Valmis"})
        parsed = parse_file(data, "p.xlsx", roadmap=roadmap)
        kinds = {s.name: s.kind for s in parsed.sheets}
        assert kinds[sheet_name("help", lang)] == "instructions"
        assert kinds[sheet_name("lists", lang)] == "instructions"
        assert "ignored_sheet" not in {w.code for w in parsed.warnings}


def test_a_stranger_sheet_is_still_an_ignored_sheet(roadmap):
    data = xlsx(
        {
            "Tila": [["Alue", "Tunnus", "Tila", "Pvm"], ["Lappi", "H-01", "Valmis", "1.12.2026"]],
            "Muistio": [["kahvi"]],
        }
    )
    parsed = parse_file(data, "t.xlsx", roadmap=roadmap)
    assert [w.code for w in parsed.warnings] == ["ignored_sheet"]
    assert {s.name: s.kind for s in parsed.sheets}["Muistio"] == "ignored"
