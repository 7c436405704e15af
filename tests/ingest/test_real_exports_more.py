"""More real exports (tests/data/real): Kela's open data with its national total and a code
column beside the names, weekly periods, a drug-class dimension, and Statistics Finland PxWeb
downloads with the year and the measure inside the column headers (issue 15).

Each test states what the file must give, read from the file itself with the csv module. Where the
importer does not yet give it, the test is marked xfail(strict=True) with the exact reason, so it
turns red the day the importer is fixed and the mark must go. PROVENANCE.md names each file's
repository, commit and licence; tests/ingest/test_real_exports.py runs every file through the
importer.
"""

from __future__ import annotations

import csv
import io

from sotedata.domain import areas, municipalities
from sotedata.ingest.report import ParsedFile
from tests.support.real_exports import (
    MISSING,
    REAL,
    error_texts,
    mentions,
    parse_real,
    read_number,
    stored_values,
    warnings_of,
)
from tests.support.registry import area_of

KELA_LEVEL0 = "kela_atc_weekly_2026w02_counties_level0.csv"
KELA_LEVEL01 = "kela_atc_weekly_2026w02_counties_level0_1.csv"
KELA_NATIONAL_ONLY = "kela_atc_weekly_2023_national_level0.csv"
PX_2019_TOTAL = "pxweb_11re_population_2019_age_total.csv"
PX_2018_AGES = "pxweb_11re_population_2018_by_age.csv"

KELA_MEASURES = ("VAR_KUSTANNUS", "VAR_N_OSTOT", "VAR_N_HENKILOT")
KELA_WEEK = "2026W02"
KELA_NATIONAL = "99"  # "Koko Suomi"


def _dict_rows(name: str, encoding: str, delimiter: str, skip: int = 0) -> list[dict[str, str]]:
    text = (REAL / name).read_bytes().decode(encoding)
    lines = io.StringIO(text)
    for _ in range(skip):
        lines.readline()
    return list(csv.DictReader(lines, delimiter=delimiter))


def _number(text: str) -> float | None:
    """As the files write it; Kela's open data also writes NA for a missing value."""
    return read_number(text, MISSING | {"NA"})


def _names_area(issue, code: str) -> bool:
    """Whether the warning names `code`, as text or as the codes of its resolved area names."""
    return any(
        str(value) == code or code in getattr(value, "codes", ()) for value in issue.params.values()
    )


def _indicator_with(parsed: ParsedFile, expected: dict[tuple[str, str], float | None]) -> str:
    """The one indicator whose stored (region, period) values are exactly `expected`."""
    values = stored_values(parsed)
    names = {name for name, _region, _period in values}
    matching = [
        name
        for name in names
        if {(r, p): v for (n, r, p), v in values.items() if n == name} == expected
    ]
    assert len(matching) == 1, sorted(names)
    return matching[0]


# --- Kela: weekly drug purchases by wellbeing services county ------------------------------


def _kela_rows(name: str) -> list[dict[str, str]]:
    return _dict_rows(name, "utf-8-sig", ";")


def _kela_expected(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], float | None]:
    """(measure, county code, week) → value of the all-medicines rows (ATC level 0) of every
    county and Helsinki; the national total (99) and Åland (91) are not kept."""
    expected = {}
    for row in rows:
        code = row["ALUEKOODI"]
        if row["ATC_TASO"] != "0" or code in (KELA_NATIONAL, areas.ALAND_CODE):
            continue
        week = f"{row['VUOSI']}W{int(row['VIIKKO']):02d}"
        for measure in KELA_MEASURES:
            expected[measure, code.zfill(2), week] = _number(row[measure])
    return expected


def test_kela_weekly_counties_skip_the_national_total_and_aland_and_keep_every_county():
    """Kela's own open data: `ALUEKOODI` beside `ALUENIMI_FI/SV/EN` (counties 1–21 without a
    leading zero, Helsinki 90), the national total as 99 `Koko Suomi` and Åland as 91, year and
    week in two columns (2026W02), costs with decimal commas, an update stamp. Every county and
    Helsinki get every value where the file puts it; 99 and 91 are one ignored_level warning
    each, never stored, never counted in the areas."""
    rows = _kela_rows(KELA_LEVEL0)
    assert {row["ALUEKOODI"] for row in rows} >= {KELA_NATIONAL, areas.ALAND_CODE, "90", "1"}
    assert {row["ALUENIMI_FI"] for row in rows if row["ALUEKOODI"] == KELA_NATIONAL} == {
        "Koko Suomi"
    }
    parsed = parse_real(KELA_LEVEL0)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    values = stored_values(parsed)
    expected = _kela_expected(rows)
    assert len(expected) == 3 * 22
    for key, value in expected.items():
        assert values[key] == value, key
    assert {value.period.text for value in parsed.indicator_values} == {KELA_WEEK}
    assert {value.region_code for value in parsed.indicator_values} == set(areas.REFORM_CODES)
    counts = parsed.counts()
    assert counts["areas"] == sorted(areas.REFORM_CODES)
    assert counts["municipalities"] == 0
    skipped = warnings_of(parsed, "ignored_level")
    assert len(skipped) == 2, [issue.render() for issue in skipped]
    assert any(_names_area(issue, KELA_NATIONAL) for issue in skipped)
    assert any(_names_area(issue, areas.ALAND_CODE) for issue in skipped)
    assert values["VAR_N_OSTOT", "90", KELA_WEEK] == 104580  # Helsinki
    assert values["VAR_KUSTANNUS", "90", KELA_WEEK] == 3747016.5  # "3747016,50"
    assert values["VAR_N_HENKILOT", "05", KELA_WEEK] == 48252  # code "5", Varsinais-Suomi


def test_kela_weekly_counties_read_only_the_three_measures_as_indicators():
    parsed = parse_real(KELA_LEVEL0)
    assert parsed.ok, error_texts(parsed)
    assert sorted(indicator.name for indicator in parsed.indicators) == sorted(KELA_MEASURES)
    ignored = {
        str(issue.params.get("header"))
        for issue in parsed.warnings
        if issue.code.startswith("ignored") and "header" in issue.params
    }
    assert {"ATC_TASO", "ATC_KOODI", "UPDATED"} <= ignored


def test_kela_drug_class_dimension_keeps_the_all_medicines_total_or_one_indicator_per_class():
    rows = _kela_rows(KELA_LEVEL01)
    classes = {row["ATC_KOODI"] for row in rows}
    assert len(classes) == 15 and "NA" in classes
    parsed = parse_real(KELA_LEVEL01)
    assert parsed.ok, error_texts(parsed)
    assert all("ATC_TASO" not in indicator.name for indicator in parsed.indicators)
    values = stored_values(parsed)
    if len(parsed.indicators) == len(KELA_MEASURES):  # the total kept
        assert values == _kela_expected(rows)
        naming = [issue for issue in parsed.warnings if mentions(issue, "ATC_")]
        assert len(naming) >= 1, [issue.render() for issue in parsed.warnings]
        return
    assert len(parsed.indicators) == len(KELA_MEASURES) * len(classes)  # one per class
    for row in rows:
        code = row["ALUEKOODI"]
        if code in (KELA_NATIONAL, areas.ALAND_CODE):
            continue
        for measure in KELA_MEASURES:
            (name,) = [
                indicator.name
                for indicator in parsed.indicators
                if measure in indicator.name and row["ATC_SELITE_FI"] in indicator.name
            ]
            assert values[name, code.zfill(2), KELA_WEEK] == _number(row[measure])


def test_kela_file_with_only_the_national_total_stores_nothing_and_says_why():
    """Kela's national weekly series (every row `99` `Koko Suomi`, weeks 1–17 of 2023): there is
    nothing the situation picture keeps, so nothing is stored, the national level is named once
    (ignored_level) and the refusal is one specific error, not one per row."""
    rows = _kela_rows(KELA_NATIONAL_ONLY)
    assert {row["ALUEKOODI"] for row in rows} == {KELA_NATIONAL}
    assert [int(row["VIIKKO"]) for row in rows] == list(range(1, 18))
    parsed = parse_real(KELA_NATIONAL_ONLY)
    assert not parsed.ok
    assert not parsed.indicator_values
    assert [issue.code for issue in parsed.errors] == ["nothing_to_import"]
    (skipped,) = warnings_of(parsed, "ignored_level")
    assert _names_area(skipped, KELA_NATIONAL)


# --- Statistics Finland PxWeb: year and measure in the column headers ---------------------


def _pxweb_municipality(name: str) -> tuple[str, str]:
    """("current" | "aland" | "former" | "national", code) of a PxWeb 11re area name; Mariehamn
    is written in both languages ("Maarianhamina - Mariehamn")."""
    if name == "KOKO MAA":
        return "national", ""
    finnish = name.split(" - ")[0]
    town = municipalities.by_name(finnish)
    if town is None:
        merger = municipalities.former(name=finnish)
        assert merger is not None, name
        return "former", merger.code
    if area_of(town.code) == areas.ALAND_CODE:
        return "aland", town.code
    return "current", town.code


def test_pxweb_year_and_measure_in_the_header_read_the_totals_of_every_municipality():
    """`"Yhteensä 2019 Väestö 31.12."`: the year 2019 and the measure are in the header, the sex
    groups beside the total; `Ikä` holds only its total `Yhteensä`. Every current mainland
    municipality gets the total population of 2019; KOKO MAA and Åland (Mariehamn written
    "Maarianhamina - Mariehamn") one ignored_level warning each; Honkajoki (merged 2021) one
    former_municipality warning; the age column one warning naming it."""
    rows = _dict_rows(PX_2019_TOTAL, "latin-1", ";", skip=2)
    total = "Yhteensä 2019 Väestö 31.12."
    assert total in rows[0] and {row["Ikä"] for row in rows} == {"Yhteensä"}
    expected, kinds = {}, {"current": set(), "aland": set(), "former": set(), "national": set()}
    for row in rows:
        kind, code = _pxweb_municipality(row["Alue"])
        kinds[kind].add(code)
        if kind == "current":
            expected[code, "2019"] = _number(row[total])
    assert (len(kinds["current"]), len(kinds["aland"]), kinds["former"]) == (293, 16, {"099"})
    parsed = parse_real(PX_2019_TOTAL)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    name = _indicator_with(parsed, expected)
    assert "Väestö 31.12." in name and "2019" not in name
    assert {value.period.text for value in parsed.indicator_values} == {"2019"}
    counts = parsed.counts()
    assert counts["municipalities"] == 293
    assert counts["areas"] == sorted(areas.REFORM_CODES)
    assert len(warnings_of(parsed, "ignored_level")) == 2
    (merged,) = warnings_of(parsed, "former_municipality")
    assert str(merged.params["code"]) == "099" and merged.params["successor"] == "Kankaanpää"
    assert len([issue for issue in parsed.warnings if mentions(issue, "Ikä")]) == 1
    assert stored_values(parsed)[name, "091", "2019"] == 653835  # Helsinki, from the file


def test_pxweb_age_dimension_keeps_the_total_of_every_municipality():
    """PxWeb's comma CSV of 11re (2018) with every age: the `Yhteensä` row of each area is its
    total; only the totals are kept, for men and for women, year 2018 from the headers."""
    rows = _dict_rows(PX_2018_AGES, "latin-1", ",", skip=2)
    columns = ["Miehet 2018 Väestö 31.12.", "Naiset 2018 Väestö 31.12."]
    expected: dict[str, dict[tuple[str, str], float | None]] = {column: {} for column in columns}
    former, aland = set(), set()
    for row in rows:
        kind, code = _pxweb_municipality(row["Alue"])
        former |= {code} if kind == "former" else set()
        aland |= {code} if kind == "aland" else set()
        if kind == "current" and row["Ikä"] == "Yhteensä":
            for column in columns:
                expected[column][code, "2018"] = _number(row[column])
    assert former == {"099"} and len(aland) == 7
    parsed = parse_real(PX_2018_AGES)
    assert parsed.ok, error_texts(parsed)
    men = _indicator_with(parsed, expected[columns[0]])
    women = _indicator_with(parsed, expected[columns[1]])
    assert men != women
    assert len([issue for issue in parsed.warnings if mentions(issue, "Ikä")]) == 1
    assert parsed.counts()["municipalities"] == len(expected[columns[0]])
