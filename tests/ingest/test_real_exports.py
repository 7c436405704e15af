"""Real statistical exports (tests/data/real), each as someone downloaded it, through the importer.

Every file must go through without a traceback; each has a test that says what it must give
(issue 15): its kind, areas, municipalities, periods, values read from the file itself with the
csv module and compared one by one, a few literal spot values, and the warnings it must carry.
PROVENANCE.md names the source, repository, commit and licence of each file.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from sotedata.domain import areas, municipalities
from sotedata.domain.indicators import MUNICIPALITY_LEVEL
from sotedata.ingest.report import ParsedFile
from tests.support.real_exports import (
    REAL,
    error_texts,
    mentions,
    parse_real,
    read_number,
    stored_values,
    warnings_of,
)
from tests.support.registry import area_of

PROVENANCE = REAL / "PROVENANCE.md"
FILES = sorted(path for path in REAL.iterdir() if path != PROVENANCE)
HANDFUL = 5  # "refused with at most a handful of specific errors"

SOTKANET_2015 = "sotkanet_web_export_2015_municipalities.csv"
SOTKANET_2015_WORK = "sotkanet_web_export_2015_work_income.csv"
ELECTORATE = "pxweb_12x4_municipal_election_2021_electorate.csv"
TURNOUT = "pxweb_12x4_municipal_election_2021_turnout.csv"
CANDIDATES = "pxweb_12xf_municipal_election_2021_candidates_by_party.csv"
POPULATION_NO_YEAR = "pxweb_11re_population_by_sex_2021.csv"
INCOME_DECILES = "pxweb_128c_income_deciles_en.csv"
CSC_COURSE = "sotkanet_csc_course_2016_2017_population_education.csv"
REST_JSON = "sotkanet_rest_json_683_2015_all_regions.csv"
REST_TITLES = "sotkanet_rest_titles_683_2005_2011_counties.csv"
#: Sotkanet's short names of municipalities whose official name differs
SOTKANET_SHORT_NAMES = {"Koski": "284"}  # Koski Tl


def _rows(name: str, encoding: str, delimiter: str = ";") -> list[list[str]]:
    text = (REAL / name).read_bytes().decode(encoding)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]


# --- every file ------------------------------------------------------------------------------


#: files the importer floods with errors today (tests/ingest/test_real_exports_more.py says why)
FLOODED: dict[str, str] = {}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=FLOODED[path.name]))
        if path.name in FLOODED
        else path
        for path in FILES
    ],
    ids=[path.name for path in FILES],
)
def test_every_real_file_goes_through_without_a_traceback(path):
    """And either imports, or is refused with at most a handful of specific errors (issue 15:
    "a file the importer can't read is refused with at most a handful of specific errors")."""
    parsed = parse_real(path.name)
    assert parsed.sheets, "the file was not read as a sheet at all"
    for issue in [*parsed.errors, *parsed.warnings]:
        assert issue.render()  # every message renders from the catalogs
    assert parsed.ok or len(parsed.errors) + parsed.more_errors <= HANDFUL, error_texts(parsed)


def _provenance_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in PROVENANCE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([^`]+)`\s*\|", line)
        if match:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows[match.group(1)] = cells
    return rows


def test_every_real_file_has_its_provenance_and_every_provenance_row_a_file():
    rows = _provenance_rows()
    assert sorted(rows) == [path.name for path in FILES]
    for name, cells in rows.items():
        assert len(cells) == 6 and all(cells), (
            f"{name}: file, source, repository, date, licence, what"
        )
        assert re.search(r"@ [0-9a-f]{40}", cells[2]), f"{name}: no repository commit"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cells[3]), f"{name}: no date fetched"
        assert "CC BY 4.0" in cells[4] or "CC-BY-4.0" in cells[4], f"{name}: licence"


def test_no_real_file_is_large():
    assert all(path.stat().st_size < 300_000 for path in FILES)


# --- Statistics Finland PxWeb ------------------------------------------------------------------


def test_pxweb_latin1_code_and_name_in_one_cell_reads_every_municipality():
    """ISO-8859-1, "091 Helsinki" in the area column: the code is the municipality, the name
    its check; one indicator (the number column's header), every value where the file puts it.
    PxWeb lists Honkajoki, merged into Kankaanpää on 1 Jan 2021, as "099 Honkajoki -21" with 0:
    one former_municipality warning, not a value and not an error."""
    header, *rows = _rows(ELECTORATE, "latin-1")
    merged = [row for row in rows if municipalities.former(row[1].split(" ", 1)[0])]
    assert [row[1] for row in merged] == ["099 Honkajoki -21"]
    parsed = parse_real(ELECTORATE)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    assert [indicator.name for indicator in parsed.indicators] == [header[2]]
    expected = {
        (header[2], cell.split(" ", 1)[0], year): read_number(value)
        for year, cell, value in rows
        if [year, cell, value] not in merged
    }
    assert stored_values(parsed) == expected
    assert {value.level for value in parsed.indicator_values} == {MUNICIPALITY_LEVEL}
    counts = parsed.counts()
    assert counts["municipalities"] == len(rows) - 1 == 292
    assert counts["areas"] == sorted(areas.REFORM_CODES)  # mainland Finland: all 22
    (warning,) = warnings_of(parsed, "former_municipality")
    assert str(warning.params["code"]) == "099" and warning.params["successor"] == "Kankaanpää"
    assert int(warning.params["year"]) == 2021
    assert stored_values(parsed)[("Äänioikeutetut", "091", "2021")] == 542830
    assert stored_values(parsed)[("Äänioikeutetut", "890", "2021")] == 1019  # Utsjoki, the last row


def test_pxweb_content_variable_without_a_total_makes_one_indicator_per_value_and_column():
    """`Tiedot` has two values and no total, beside two number columns: four indicators, each
    named from its value and its column, 293 municipalities each."""
    header, *rows = _rows(TURNOUT, "latin-1")
    contents = sorted({row[0] for row in rows})
    assert contents == ["Äänestysprosentti", "Äänestäneet"]
    parsed = parse_real(TURNOUT)
    assert parsed.ok, error_texts(parsed)
    assert len(parsed.indicators) == 4
    by_pair = {}
    for content in contents:
        for column in header[3:]:
            named = [i.name for i in parsed.indicators if content in i.name and column in i.name]
            assert len(named) == 1, (content, column, [i.name for i in parsed.indicators])
            by_pair[content, column] = named[0]
    values = stored_values(parsed)
    for content, year, cell, *numbers in rows:
        code = cell.split(" ", 1)[0]
        for column, number in zip(header[3:], numbers, strict=True):
            assert values[by_pair[content, column], code, year] == read_number(number)
    assert len(values) == 4 * 293
    assert parsed.counts()["municipalities"] == 293
    assert values[by_pair["Äänestäneet", "Äänestäneitä miehiä"], "091", "2021"] == 150561
    assert values[by_pair["Äänestysprosentti", "Äänestäneitä naisia"], "091", "2021"] == 63.9


def test_pxweb_dimension_with_only_its_total_keeps_the_total_with_one_warning():
    """`Puolue` (party) is a dimension whose only value is `Yhteensä`: the total is kept and one
    warning names the dimension; the three number columns are three indicators."""
    header, *rows = _rows(CANDIDATES, "utf-8")
    assert {row[3] for row in rows} == {"Yhteensä"}
    parsed = parse_real(CANDIDATES)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    assert len(parsed.indicators) == 3
    naming = [issue for issue in parsed.warnings if mentions(issue, "Puolue")]
    assert len(naming) == 1, [issue.render() for issue in parsed.warnings]
    by_column = {}
    for column in header[4:]:
        named = [i.name for i in parsed.indicators if column in i.name]
        assert len(named) == 1, (column, [i.name for i in parsed.indicators])
        by_column[column] = named[0]
    values = stored_values(parsed)
    for _content, year, cell, _party, *numbers in rows:
        for column, number in zip(header[4:], numbers, strict=True):
            assert values[by_column[column], cell.split(" ", 1)[0], year] == read_number(number)
    assert len(values) == 3 * 293
    assert values[by_column["Yhteensä"], "091", "2021"] == 1163
    assert values[by_column["Naiset"], "049", "2021"] == 343  # Espoo


def test_pxweb_file_without_a_year_is_refused_with_a_handful_of_errors():
    """Age and year were selections left out of the file: nothing says which year the figures
    are for, so nothing is read, and the refusal is a few specific errors, not one per row."""
    parsed = parse_real(POPULATION_NO_YEAR)
    assert not parsed.ok
    assert not parsed.indicator_values
    assert 1 <= len(parsed.errors) + parsed.more_errors <= HANDFUL, error_texts(parsed)


def test_pxweb_whole_country_table_without_regions_is_refused_with_a_handful_of_errors():
    """English PxWeb CSV with its title line, years as columns and no region at all."""
    parsed = parse_real(INCOME_DECILES)
    assert not parsed.ok
    assert not parsed.indicator_values
    assert 1 <= len(parsed.errors) + parsed.more_errors <= HANDFUL, error_texts(parsed)


# --- THL Sotkanet web export ----------------------------------------------------------------


def _sotkanet_expected(name: str) -> tuple[dict, set[str], set[str], set[str]]:
    """From the file: values of current mainland municipalities, their codes, and the Åland and
    former municipality codes whose rows must be skipped."""
    rows = _rows(name, "utf-8")
    expected: dict[tuple[str, str, str], float | None] = {}
    current, aland, former = set(), set(), set()
    for indicator, _id, _town, code, _sex, year, value, *_absolute in rows:
        area = area_of(code)
        if area is None:
            assert municipalities.former(code) is not None, code
            former.add(code)
        elif area == areas.ALAND_CODE:
            aland.add(code)
        else:
            current.add(code)
            if read_number(value) is not None:
                expected[indicator, code, year] = read_number(value)
    return expected, current, aland, former


@pytest.mark.parametrize("name", [SOTKANET_2015, SOTKANET_2015_WORK])
def test_sotkanet_2015_export_skips_aland_and_a_merged_municipality_with_one_warning_each(name):
    """A 2015 municipal export (no header row; indicator, id, municipality, code, sex, year,
    value, absolute value): four indicators for 36 mainland municipalities; Åland's three
    municipalities are one ignored_level warning, Valtimo (merged into Nurmes in 2020) one
    former_municipality warning naming its successor and the year, never a rejection."""
    expected, current, aland, former = _sotkanet_expected(name)
    assert (len(current), aland, former) == (36, {"170", "295", "417"}, {"911"})
    parsed = parse_real(name)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    indicator_names = {row[0] for row in _rows(name, "utf-8")}
    assert {indicator.name for indicator in parsed.indicators} == indicator_names
    values = stored_values(parsed)
    stored = {key: value for key, value in values.items() if value is not None}
    assert stored == expected
    assert {value.period.text for value in parsed.indicator_values} == {"2015"}
    counts = parsed.counts()
    assert counts["municipalities"] == 36
    assert counts["areas"] == sorted({area_of(code) for code in current})
    assert areas.ALAND_CODE not in counts["areas"]
    assert len(warnings_of(parsed, "ignored_level")) == 1
    (merged,) = warnings_of(parsed, "former_municipality")
    assert str(merged.params["code"]) == "911"
    assert merged.params["successor"] == "Nurmes" and int(merged.params["year"]) == 2020


def test_sotkanet_2015_spot_values_and_decimal_commas():
    values = stored_values(parse_real(SOTKANET_2015))
    assert values["Koulutustasomittain", "049", "2015"] == 468  # Espoo
    assert (
        values["Poliisin tietoon tulleet omaisuusrikokset / 1 000 asukasta", "049", "2015"] == 35.5
    )
    work = stored_values(parse_real(SOTKANET_2015_WORK))
    assert work["Huoltosuhde, demografinen", "049", "2015"] == 50.2  # written "50,2"
    assert work["Kunnan yleinen pienituloisuusaste", "049", "2015"] == 8.3


def test_sotkanet_2015_values_per_indicator_match_the_file():
    """Each of the four indicators has one value per mainland municipality that has one."""
    expected, _current, _aland, _former = _sotkanet_expected(SOTKANET_2015)
    per_indicator = Counter(indicator for indicator, _code, _year in expected)
    stored = defaultdict(int)
    for (indicator, _code, _year), value in stored_values(parse_real(SOTKANET_2015)).items():
        stored[indicator] += value is not None
    assert dict(stored) == dict(per_indicator)


def test_sotkanet_wide_course_file_ignores_the_row_numbers_and_skips_aland_and_merged_ones():
    """R's write.csv of Sotkanet data: an empty-header row-number column (not an indicator), two
    indicator columns, names only. Åland's 16 municipalities are one ignored_level warning;
    Honkajoki (2021) and Valtimo (2020) one former_municipality warning each; the other 293
    municipalities, Sotkanet's short "Koski" among them, get both values for both years."""
    rows = list(csv.DictReader(io.StringIO((REAL / CSC_COURSE).read_text(encoding="utf-8"))))
    expected: dict[tuple[str, str, str], float | None] = {}
    aland, former = set(), set()
    for row in rows:
        town = municipalities.by_name(row["region"])
        code = SOTKANET_SHORT_NAMES.get(row["region"]) or (town.code if town else None)
        if code is None:
            merger = municipalities.former(name=row["region"])
            assert merger is not None, row["region"]
            former.add(merger.code)
        elif area_of(code) == areas.ALAND_CODE:
            aland.add(code)
        else:
            for column in ("population", "education_level"):
                expected[column, code, row["year"]] = read_number(row[column])
    assert (len(aland), former) == (16, {"099", "911"})
    parsed = parse_real(CSC_COURSE)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    assert sorted(i.name for i in parsed.indicators) == ["education_level", "population"]
    assert stored_values(parsed) == expected
    counts = parsed.counts()
    assert counts["municipalities"] == 293
    assert counts["areas"] == sorted(areas.REFORM_CODES)
    assert len(warnings_of(parsed, "ignored_level")) == 1
    merged = warnings_of(parsed, "former_municipality")
    assert sorted(str(issue.params["code"]) for issue in merged) == ["099", "911"]
    assert {issue.params["successor"] for issue in merged} == {"Kankaanpää", "Nurmes"}
    values = stored_values(parsed)
    assert values["population", "091", "2017"] == 643272  # Helsinki
    assert values["education_level", "284", "2016"] == 270  # "Koski"


# --- THL Sotkanet REST client output -----------------------------------------------------------


def _sotkanet_ids() -> dict[str, dict[str, str]]:
    path = Path(__file__).resolve().parents[2] / "sotedata" / "data" / "sotkanet_regions.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["sotkanet_id"]: row for row in csv.DictReader(handle)}


def _primary_indicator(parsed: ParsedFile, expected: dict) -> str:
    """The one indicator whose values are the file's primary values."""
    values = stored_values(parsed)
    names = {name for name, _code, _year in values}
    matching = [
        name
        for name in names
        if {(c, y): v for (n, c, y), v in values.items() if n == name}
        == {(c, y): v for (c, y), v in expected.items()}
    ]
    assert len(matching) == 1, sorted(names)
    return matching[0]


def test_sotkanet_rest_json_resolves_its_own_region_ids_and_skips_the_other_levels():
    """`region` is Sotkanet's id: the counties and Helsinki (956-978) are areas, municipalities
    (Helsinki is 46) are municipalities, Åland and every level we do not keep (regions, hospital
    districts, the whole country 658) are skipped with ignored_level warnings, never errors."""
    table = _sotkanet_ids()
    rows = list(csv.DictReader(io.StringIO((REAL / REST_JSON).read_text(encoding="utf-8"))))
    expected: dict[tuple[str, str], float | None] = {}
    towns, counties, skipped = set(), set(), 0
    for row in rows:
        region = table.get(row["region"])
        code = region["code"] if region else None
        if region is None or (region["category"] == "HYVINVOINTIALUE" and code == "91"):
            skipped += 1
            continue
        if region["category"] == "KUNTA":
            if area_of(code) in (None, areas.ALAND_CODE):
                skipped += 1
                continue
            towns.add(code)
        else:
            counties.add(code)
        expected[code, row["year"]] = read_number(row["primary value"])
    assert len(counties) == 22 and skipped > 100 and "091" in towns
    parsed = parse_real(REST_JSON)
    assert parsed.ok, error_texts(parsed)
    assert [sheet.kind for sheet in parsed.sheets] == ["indicators"]
    name = _primary_indicator(parsed, expected)
    levels = {v.region_code: v.level for v in parsed.indicator_values}
    assert all(levels[code] == MUNICIPALITY_LEVEL for code in towns)
    assert all(levels[code] != MUNICIPALITY_LEVEL for code in counties)
    counts = parsed.counts()
    assert counts["municipalities"] == len(towns)
    assert counts["areas"] == sorted(areas.REFORM_CODES)
    assert 1 <= len(warnings_of(parsed, "ignored_level")) <= 3  # Åland, other levels, the country
    values = stored_values(parsed)
    assert values[name, "091", "2015"] == values[name, "90", "2015"] == 7.7  # ids 46 and 960
    assert values[name, "05", "2015"] == 9.6  # id 978, Varsinais-Suomi


def test_sotkanet_rest_with_titles_reads_ids_checks_names_and_ignores_the_id_copy():
    """The issue's REST client shape: ids in `region`, their copy in `id` (not an indicator),
    Finnish names as the check, English names ignored; Åland one ignored_level warning."""
    table = _sotkanet_ids()
    rows = list(csv.DictReader(io.StringIO((REAL / REST_TITLES).read_text(encoding="utf-8"))))
    expected = {
        (table[row["region"]]["code"], row["year"]): read_number(row["diabetes_rate"])
        for row in rows
        if table[row["region"]]["code"] != areas.ALAND_CODE
    }
    assert len(expected) == 22 * 7
    parsed = parse_real(REST_TITLES)
    assert parsed.ok, error_texts(parsed)
    name = _primary_indicator(parsed, expected)
    assert "id" not in {indicator.name for indicator in parsed.indicators}
    assert "title.en" not in {indicator.name for indicator in parsed.indicators}
    assert {v.period.text for v in parsed.indicator_values} == {str(y) for y in range(2005, 2012)}
    assert parsed.counts()["areas"] == sorted(areas.REFORM_CODES)
    assert parsed.counts()["municipalities"] == 0
    assert len(warnings_of(parsed, "ignored_level")) == 1
    values = stored_values(parsed)
    assert values[name, "90", "2005"] == 4.4  # City of Helsinki
    assert values[name, "20", "2011"] == 9.5  # Kainuu
