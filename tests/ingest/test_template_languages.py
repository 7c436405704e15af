"""The import template in Swedish and English: named and worded in the language, and a filled
copy imports exactly as the Finnish one does (the importer knows every header and word)."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from sotedata import ingest
from sotedata.demo.generator import example_roadmap
from sotedata.domain import areas
from sotedata.domain.i18n import LANGUAGES, t
from sotedata.ingest.headers import match_header
from sotedata.ingest.template import (
    RISK_COLUMNS,
    ROADMAP_COLUMNS,
    SHEETS,
    STATUS_LONG_COLUMNS,
    STATUS_WIDE_COLUMNS,
    build_template,
    headers,
    national,
    sheet_name,
    status_words,
)
from sotedata.ingest.values import parse_status


@pytest.fixture(scope="module")
def roadmap():
    return example_roadmap()


def _header(sheet, row=1):
    return [c.value for c in sheet[row] if c.value is not None]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_header_of_every_language_is_one_the_importer_reads_as_its_column(lang):
    columns = {*ROADMAP_COLUMNS, *STATUS_LONG_COLUMNS, *STATUS_WIDE_COLUMNS, *RISK_COLUMNS}
    for column in sorted(columns):
        text = t(f"template.col.{column}", lang)
        expected = "work_stream" if column == "theme" else column  # a risk's theme column
        assert match_header(text) == expected, (lang, column, text)
        assert match_header(text + ":") == expected  # the wide sheet's date label


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_template_is_named_and_headed_in_its_language(roadmap, lang):
    book = load_workbook(BytesIO(build_template(roadmap, area_code="21", lang=lang)))
    assert book.sheetnames == [sheet_name(key, lang) for key in SHEETS]
    assert len(set(book.sheetnames) & {sheet_name(key, "fi") for key in SHEETS}) == 0
    status = book[sheet_name("status", lang)]
    assert _header(status) == list(headers(STATUS_LONG_COLUMNS, lang))
    assert status["A2"].value == areas.get("21").name(lang)
    risks = book[sheet_name("risks", lang)]
    assert _header(risks) == list(headers(RISK_COLUMNS, lang))
    lists = book[sheet_name("lists", lang)]
    assert lists["A1"].value == national(lang)
    assert lists["A2"].value == areas.reform_areas()[0].name(lang)
    road = book[sheet_name("roadmap", lang)]
    assert _header(road) == list(headers(ROADMAP_COLUMNS, lang))
    critical = next(i for i, m in enumerate(roadmap.measures, start=2) if m.critical)
    assert road.cell(row=critical, column=5).value == t("template.yes", lang)
    first = roadmap.measures[0]
    assert road["D2"].value == roadmap.work_stream(first.work_stream).name(lang)
    validations = status.data_validations.dataValidation
    offered = next(v.formula1 for v in validations if "D2" in v.sqref)
    assert offered == '"' + ",".join(status_words(lang)) + '"'
    instructions = " ".join(str(c.value) for c in book[sheet_name("help", lang)]["A"] if c.value)
    assert t("template.help.title", lang) in instructions


def test_status_words_of_each_language_are_words_the_importer_knows():
    for lang in LANGUAGES:
        for word in status_words(lang):
            assert parse_status(word) is not None, (lang, word)


def _fill(data: bytes, roadmap, lang: str, *, wide: bool) -> bytes:
    """What a preparer does, in the template's own language."""
    book = load_workbook(BytesIO(data))
    sheet = book[sheet_name("status", lang)]
    words = status_words(lang)
    if wide:
        sheet["B1"] = datetime(2026, 10, 31)
        for row in range(4, 4 + len(roadmap.measures)):
            sheet.cell(row=row, column=3).value = words[row % 4]
            sheet.cell(row=row, column=24).value = words[(row + 1) % 4]
    else:
        for row in range(2, 2 + len(roadmap.measures)):
            sheet.cell(row=row, column=4).value = words[row % 5]
            sheet.cell(row=row, column=5).value = datetime(2026, 10, 31)
    risks = book[sheet_name("risks", lang)]
    risks.append(
        [areas.get("21").name(lang), "Rekrytering", "Personal", 4, 3, "Rekry", "HR",
         datetime(2026, 10, 31)]
    )  # fmt: skip
    risks.append(
        [national(lang), "Finansiering", "Ekonomi", 3, 5, None, None, datetime(2026, 10, 31)]
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("area_code", [None, "21"])
def test_a_filled_template_in_each_language_imports_with_no_error(roadmap, lang, area_code):
    data = build_template(roadmap, area_code=area_code, lang=lang)
    filled = _fill(data, roadmap, lang, wide=area_code is None)
    parsed = ingest.parse_file(filled, "mall.xlsx", roadmap=roadmap)
    assert not parsed.errors, [e.render() for e in parsed.errors]
    kinds = {s.name: s.kind for s in parsed.sheets}
    assert kinds[sheet_name("status", lang)] == "status"
    assert kinds[sheet_name("risks", lang)] == "risks"
    assert kinds[sheet_name("roadmap", lang)] == "roadmap"
    assert kinds[sheet_name("help", lang)] == kinds[sheet_name("lists", lang)] == "instructions"
    assert {r.area_code for r in parsed.risk_ratings} == {"21", None}
    expected = len(roadmap.measures) * (2 if area_code is None else 1)
    assert len(parsed.status_reports) == expected
    assert {r.reported_on for r in parsed.status_reports} == {date(2026, 10, 31)}
    if area_code is None:  # the wide sheet's columns C and X: the first area and Lapland
        assert {r.area_code for r in parsed.status_reports} == {"01", "90"}
    # the roadmap sheet reads back as the roadmap it was written from
    assert [m.id for m in parsed.measures] == [m.id for m in roadmap.measures]
    assert [m.critical for m in parsed.measures] == [m.critical for m in roadmap.measures]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_instructions_name_the_sheets_the_template_has(roadmap, lang):
    """The help text quotes sheet names (”Tilanne”, ”Läge”, “Status”): they must be this
    template's own, or a preparer looks for a sheet that is not there."""
    book = load_workbook(BytesIO(build_template(roadmap, lang=lang)))
    help_text = " ".join(str(c.value) for c in book[sheet_name("help", lang)]["A"] if c.value)
    for key in ("status", "risks", "roadmap"):
        name = sheet_name(key, lang)
        assert any(f"{q}{name}{e}" in help_text for q, e in ("””", "“”", '""')), (lang, name)
