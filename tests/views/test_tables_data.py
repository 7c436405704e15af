"""The imported datasets as tables (sotedata.views.tables_data): indicator values and notes, their
filters from the URL and the command line, their columns in three languages, and their files.
Expected rows are computed from the store's frames independently of the table builders."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from sotedata.domain import areas, municipalities
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from sotedata.exports.files import export_bytes, file_name, metadata_rows
from sotedata.rules.notes import NOTE_COLUMNS
from sotedata.views.indicators import current_values
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, format_cell, sources_from_store, with_table_data

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=UTC)
POOR_RELIEF = "demo:toimeentulotuki"


@pytest.fixture(scope="module")
def sources(demo_db_url):
    from sotedata.store.engine import Store

    with Store.open(demo_db_url) as store:
        found = sources_from_store(store)
        for name in ("indicators", "notes"):
            found = with_table_data(found, store, name)
        return found


def query(**params) -> TableQuery:
    found, issues = TableQuery.from_query(params)
    assert not issues, issues
    return found


def current(sources) -> pd.DataFrame:
    """The values that count, by the pages' own rule (indicator_view.current_values)."""
    return current_values(sources.indicator_values)


# --- indicator values -----------------------------------------------------------------------------


def test_every_current_indicator_value_is_a_row_with_its_import(sources):
    table = build_table(query(taulu="indikaattorit"), sources, "fi")
    expected = current(sources)
    assert table.rows == len(expected) > 1000
    assert table.query.as_of is None  # not a picture on a date
    shown = table.frame.set_index(["indicator_key", "region_code", "period"])["value"]
    wanted = expected.set_index(["indicator_key", "region_code", "period"])["value"]
    pd.testing.assert_series_equal(
        shown.sort_index(), wanted.sort_index(), check_names=False, check_dtype=False
    )
    imports = set(sources.indicator_values["import_id"])
    assert set(table.frame["import_id"]) <= imports
    meta = sources.indicators.set_index("key")
    row = table.frame[table.frame["indicator_key"] == POOR_RELIEF].iloc[0]
    assert row["indicator"] == meta.loc[POOR_RELIEF, "name"]
    assert row["unit"] == meta.loc[POOR_RELIEF, "unit"]
    assert row["source"] == meta.loc[POOR_RELIEF, "source"]
    licensed = build_table(query(taulu="indikaattorit", indikaattori="x"), _licensed(sources), "fi")
    assert set(licensed.frame["licence"]) == {"CC BY 4.0"}


def _licensed(sources):
    """One indicator with a licence (the example ones have none)."""
    meta = pd.DataFrame([("x", "X", "%", "THL", "CC BY 4.0")], columns=sources.indicators.columns)
    raw = sources.indicator_values.head(3).assign(indicator_key="x")
    return dataclasses.replace(sources, indicators=meta, indicator_values=raw)


def test_the_newest_import_of_a_value_counts_and_names_its_import(sources):
    raw = pd.DataFrame(
        [
            ("k", "area", "21", "21", "2021", date(2021, 1, 1), date(2021, 12, 31), 1.5, 7),
            ("k", "area", "21", "21", "2021", date(2021, 1, 1), date(2021, 12, 31), 2.25, 9),
            ("k", "municipality", "47", "21", "2021", date(2021, 1, 1), date(2021, 12, 31), 3, 9),
        ],
        columns=sources.indicator_values.columns,
    )
    meta = pd.DataFrame([("k", "Koe", "%", "THL", None)], columns=sources.indicators.columns)
    mine = dataclasses.replace(sources, indicators=meta, indicator_values=raw)
    table = build_table(TableQuery(table="indicators"), mine, "fi")
    assert table.frame[["region_code", "value", "import_id"]].values.tolist() == [
        ["21", 2.25, 9],
        ["047", 3.0, 9],  # the municipality's code with its leading zero
    ]
    assert list(table.frame["level"]) == ["Hyvinvointialue", "Kunta"]
    assert list(table.frame["region"]) == ["Lappi", "Enontekiö"]


def test_indicator_level_and_area_filters(sources):
    table = build_table(
        query(taulu="indikaattorit", indikaattori=POOR_RELIEF, taso="kunta", alue="Lappi"),
        sources,
        "fi",
    )
    expected = current(sources)
    expected = expected[
        (expected["indicator_key"] == POOR_RELIEF)
        & (expected["level"] == "municipality")
        & (expected["area_code"] == "21")
    ]
    assert table.rows == len(expected) > 0
    assert set(table.frame["level"]) == {"Kunta"}
    assert set(table.frame["area"]) == {"Lappi"}
    lapland = {m.code for m in municipalities.of_area("21")}
    assert set(table.frame["region_code"]) <= lapland
    both = build_table(query(taulu="indikaattorit", alue="21"), sources, "fi")
    assert {"Hyvinvointialue", "Kunta"} == set(both.frame["level"])


def test_an_indicator_is_named_by_its_key_or_its_name(sources):
    name = sources.indicators.set_index("key").loc[POOR_RELIEF, "name"]
    by_key = build_table(query(taulu="indikaattorit", indikaattori=POOR_RELIEF), sources)
    by_name = build_table(query(taulu="indikaattorit", indikaattori=name.upper()), sources)
    assert by_name.query.indicator == POOR_RELIEF
    assert by_key.rows == by_name.rows > 0
    unknown = build_table(query(taulu="indikaattorit", indikaattori="ei-ole"), sources)
    assert [i.code for i in unknown.issues] == ["unknown_indicator"] and unknown.rows == 0
    assert "ei-ole" in unknown.issues[0].message("fi")


def test_the_period_range_keeps_what_ends_within_it(sources):
    raw = pd.DataFrame(
        [
            ("k", "area", "21", "21", text, start, end, 1.0, 1)
            for text, start, end in [
                ("2019", date(2019, 1, 1), date(2019, 12, 31)),
                ("2018-2020", date(2018, 1, 1), date(2020, 12, 31)),
                ("2020M05", date(2020, 5, 1), date(2020, 5, 31)),
                ("2019-2021", date(2019, 1, 1), date(2021, 12, 31)),
                ("2021", date(2021, 1, 1), date(2021, 12, 31)),
            ]
        ],
        columns=list(sources.indicator_values.columns),
    )
    mine = dataclasses.replace(sources, indicator_values=raw)

    def periods(**params) -> list[str]:
        return list(build_table(query(taulu="indikaattorit", **params), mine).frame["period"])

    assert periods(jaksosta="2020", jaksoon="2020") == ["2020M05", "2018-2020"]
    assert periods(jaksosta="2021") == ["2019-2021", "2021"]
    assert periods(jaksoon="2019") == ["2019"]
    assert len(periods()) == 5
    reversed_range = build_table(
        query(taulu="indikaattorit", jaksosta="2022", jaksoon="2019"), mine
    )
    assert [i.code for i in reversed_range.issues] == ["period_range_reversed"]


def test_indicator_search_and_region_names_in_each_language(sources):
    found = build_table(query(taulu="indikaattorit", haku="Enontekiö"), sources, "fi")
    assert set(found.frame["region_code"]) == {"047"} and found.rows > 0
    swedish = build_table(query(taulu="indikaattorit", alue="90", taso="alue"), sources, "sv")
    assert set(swedish.frame["region"]) == {areas.get("90").short("sv")} == {"Helsingfors"}
    assert set(swedish.frame["level"]) == {"Välfärdsområde"}
    english = build_table(query(taulu="indikaattorit", taso="kunta", alue="21"), sources, "en")
    assert set(english.frame["level"]) == {"Municipality"}
    for lang in ("fi", "sv", "en"):
        table = build_table(TableQuery(table="indicators"), sources, lang)
        assert table.headers()[:3] == [
            t("tables.col.indicator_key", lang),
            t("tables.col.indicator", lang),
            t("tables.col.level", lang),
        ]
        assert table.title == t("tables.name.indicators", lang)


# --- notes ----------------------------------------------------------------------------------------


def test_every_note_newest_first_with_its_area_source_type_target_and_link(sources):
    table = build_table(query(taulu="muistiinpanot"), sources, "fi")
    notes = sources.notes
    assert table.rows == len(notes) > 0
    days = list(table.frame["noted_on"])
    assert days == sorted(days, reverse=True)
    first = notes.sort_values(["noted_on", "id"], ascending=False).iloc[0]
    row = table.frame.iloc[0]
    assert row["note"] == first["text"]
    assert row["source_type"] == t(f"notes.source.{first['source_type']}", "fi")
    linked = table.frame[table.frame["link"].notna()]
    assert len(linked) == notes["link"].notna().sum() > 0
    cited = table.frame[table.frame["target"].notna()]
    measure = notes[notes["measure_id"].notna()].iloc[0]["measure_id"]
    assert t("notes.target.measure", "fi", id=measure) in set(cited["target"])


def test_notes_filters_area_source_type_tags_and_dates(sources):
    notes = sources.notes
    lapland = build_table(query(taulu="muistiinpanot", alue="21"), sources)
    assert lapland.rows == int((notes["area_code"] == "21").sum()) > 0
    assert set(lapland.frame["area"]) == {"Lappi"}  # national notes only without an area
    meetings = build_table(query(taulu="muistiinpanot", lahdetyyppi="kokous"), sources)
    assert meetings.rows == int((notes["source_type"] == "meeting").sum()) > 0
    tagged = build_table(query(taulu="muistiinpanot", tunniste="ict,KOKOUS"), sources)
    wanted = (
        notes["tags"]
        .fillna("")
        .map(lambda tags: {"ict", "kokous"} <= {x.strip().casefold() for x in tags.split(",")})
    )
    assert tagged.rows == int(wanted.sum()) > 0
    dated = build_table(
        query(taulu="muistiinpanot", jaksosta="2022M10", jaksoon="2022M11"), sources
    )
    inside = pd.to_datetime(notes["noted_on"]).between("2022-10-01", "2022-11-30")
    assert dated.rows == int(inside.sum()) > 0
    assert build_table(query(taulu="muistiinpanot", haku="zzz-ei-mitaan"), sources).rows == 0


def test_notes_in_swedish_and_english(sources):
    swedish = build_table(query(taulu="muistiinpanot", lahdetyyppi="meeting"), sources, "sv")
    assert set(swedish.frame["source_type"]) == {t("notes.source.meeting", "sv")} == {"Möte"}
    assert swedish.headers()[3] == "Källtyp"
    national = int(sources.notes["area_code"].isna().sum())
    english = build_table(query(taulu="muistiinpanot"), sources, "en")
    assert int((english.frame["area"] == "Whole country").sum()) == national > 0


# --- the query in the URL and on the command line -------------------------------------------------


def test_data_filters_go_to_the_url_and_back(sources):
    found = query(
        taulu="indikaattorit",
        indikaattori=POOR_RELIEF,
        jaksosta="2019",
        jaksoon="2021",
        taso="kommun",
        alue="21",
    )
    assert found.level == "municipality"
    assert found.to_query() == {
        "taulu": "indikaattorit",
        "alue": "21",
        "indikaattori": POOR_RELIEF,
        "jaksosta": "2019",
        "jaksoon": "2021",
        "taso": "kunta",
    }
    assert TableQuery.from_query(found.to_query()) == (found, [])
    notes = query(taulu="muistiinpanot", lahdetyyppi="Kokous,media", tunniste="ICT")
    assert notes.source_types == ("meeting", "media")
    assert notes.to_query() == {
        "taulu": "muistiinpanot",
        "lahdetyyppi": "meeting,media",
        "tunniste": "ICT",
    }
    # a filter of another dataset stays out of the URL
    assert "taso" not in TableQuery(table="notes", level="area").to_query()
    assert "tunniste" not in TableQuery(table="status", tags=("x",)).to_query()


def test_bad_data_parameters_are_warnings(sources):
    found, issues = TableQuery.from_query(
        {"taulu": "indikaattorit", "taso": "maakunta", "jaksosta": "huomenna", "lahdetyyppi": "x"}
    )
    assert {i.params["name"] for i in issues} == {"taso", "jaksosta", "lahdetyyppi"}
    assert all(i.severity == "warning" for i in issues)
    assert (found.level, found.period_from, found.source_types) == (None, None, ())


def test_cli_values_that_name_nothing_are_errors():
    with pytest.raises(SoteError) as caught:
        TableQuery.from_cli(
            table="indicators", period_from="ensi vuonna", level="maakunta", source_types=["x"]
        )
    codes = [i.code for i in caught.value.issues]
    assert codes == ["invalid_period", "invalid_table_level", "invalid_source_type"]
    for issue in caught.value.issues:
        for lang in ("fi", "sv", "en"):
            assert "{" not in issue.message(lang) and issue.suggestion(lang)
    same = TableQuery.from_cli(
        table="indicators", period_from="2021m5", level="kunta", source_types=["kokous, media"]
    )
    assert (same.period_from, same.level, same.source_types) == (
        "2021M05",
        "municipality",
        ("meeting", "media"),
    )


# --- numbers and files ----------------------------------------------------------------------------


def test_indicator_values_read_in_the_page_s_language():
    assert format_cell(3.9, "number", "fi") == "3,9"
    assert format_cell(71000.0, "number", "fi") == "71\u00a0000"
    assert format_cell(1234.25, "number", "en") == "1,234.25"
    assert format_cell(12.0, "number", "sv") == "12"
    assert format_cell(None, "number", "fi") == ""


def _hostile(sources):
    notes = pd.DataFrame(
        [
            (
                1,
                "21",
                date(2022, 5, 1),
                '=HYPERLINK("https://x.example")',
                "media",
                "https://example.fi/a",
                "@talous",
                "I-01",
                None,
                None,
                None,
                3,
            ),
        ],
        columns=NOTE_COLUMNS,
    )
    meta = pd.DataFrame([("k", "+Nimi", "%", "-THL", None)], columns=sources.indicators.columns)
    raw = sources.indicator_values.head(0)
    raw = pd.DataFrame(
        [("k", "area", "21", "21", "2021", date(2021, 1, 1), date(2021, 12, 31), -3.5, 2)],
        columns=list(raw.columns),
    )
    return dataclasses.replace(sources, notes=notes, indicators=meta, indicator_values=raw)


def test_files_open_in_excel_typed_and_injection_safe(sources):
    mine = _hostile(sources)
    notes = build_table(query(taulu="muistiinpanot"), mine, "fi")
    book = load_workbook(io.BytesIO(export_bytes(notes, "xlsx", NOW, lang="fi")))
    assert book.sheetnames == ["Muistiinpanot", "Tiedot"]
    data = book["Muistiinpanot"]
    header, row = (list(r) for r in data.iter_rows(max_row=2, values_only=True))
    assert header == notes.headers()
    assert row[header.index("Muistiinpano")] == '\'=HYPERLINK("https://x.example")'
    assert row[header.index("Tunnisteet")] == "'@talous"
    assert row[header.index("Päivämäärä")] == datetime(2022, 5, 1)
    assert row[header.index("Aluekoodi")] == "21"
    assert data.cell(2, header.index("Muistiinpano") + 1).data_type == "s"
    text = export_bytes(notes, "csv", lang="fi").decode()
    assert "'=HYPERLINK" in text and "\n=" not in text and ",=" not in text

    values = build_table(query(taulu="indikaattorit"), mine, "fi")
    book = load_workbook(io.BytesIO(export_bytes(values, "xlsx", NOW, lang="fi")))
    header, row = (list(r) for r in book.worksheets[0].iter_rows(max_row=2, values_only=True))
    assert row[header.index("Arvo")] == -3.5  # a number stays a number, sign and all
    assert row[header.index("Indikaattori")] == "'+Nimi"
    assert row[header.index("Lähde")] == "'-THL"
    assert row[header.index("Latauksen numero")] == 2
    finnish = list(
        csv.reader(io.StringIO(export_bytes(values, "csv-fi").decode("utf-8-sig")), delimiter=";")
    )
    assert finnish[1][header.index("Arvo")] == "-3,5"


def test_files_say_what_they_hold(sources):
    table = build_table(
        query(
            taulu="indikaattorit",
            indikaattori=POOR_RELIEF,
            alue="21",
            taso="kunta",
            jaksosta="2019",
            jaksoon="2021",
        ),
        sources,
        "sv",
    )
    assert file_name(table, "xlsx") == (
        "tilannekuva_indikaattorit_lappi_demo-toimeentulotuki_jakso-2019-2021_kunta.xlsx"
    )
    rows = dict((label, value) for label, value in metadata_rows(table, NOW, "sv"))
    assert rows[t("tables.info.source", "sv")] == t("tables.info.source_text.indicators", "sv")
    assert t("tables.info.as_of", "sv") not in rows  # no as-of date for imported data
    filters = rows[t("tables.info.filters", "sv")]
    assert "Lappland" in filters and "2019–2021" in filters and "Kommun" in filters
    notes = build_table(query(taulu="muistiinpanot", lahdetyyppi="media", tunniste="ICT"), sources)
    assert file_name(notes, "csv") == "tilannekuva_muistiinpanot_lahde-media_tunniste-ict.csv"
    only_from = build_table(query(taulu="muistiinpanot", jaksosta="2022"), sources)
    assert file_name(only_from, "csv") == "tilannekuva_muistiinpanot_alkaen-2022.csv"
