"""Every page in Finnish, Swedish and English (``?kieli=``), in Streamlit's AppTest.

Each page runs without an exception or an error box and is titled with the catalog's text in its
language; no Swedish or English page shows a text that only Finnish has (a message that fell back
to Finnish, or a Finnish literal in the code): every title, caption, label, option, table header
and chart title, axis, legend and tooltip is checked. Numbers and dates are in the language's
format, the tables page's rows and downloads carry the language's headers, and the language stays
in the URL when the reader moves to another page. Expected texts come from the catalogs (``t``)
and the area registry, never typed in here, except the one name issue 8 quotes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from sotedata.domain import areas
from sotedata.domain.i18n import LANGUAGES, catalog, fmt_date, fmt_number, t
from sotedata.exports import files as export
from sotedata.store.engine import Store
from sotedata.views.query import TableQuery
from sotedata.views.tables import build_table, format_cell, sources_from_store

TIMEOUT = 90
APP = str(Path(__file__).resolve().parents[2] / "app.py")
LAPLAND = "21"
#: each page's script and the title it must show in a language
PAGES: dict[str, tuple[str, Callable[[str], str]]] = {
    "national": ("pages/national.py", lambda lang: t("national.title", lang)),
    "area": ("pages/area.py", lambda lang: areas.get(LAPLAND).name(lang)),
    "upload": ("pages/upload.py", lambda lang: t("upload.title", lang)),
    "risks": ("pages/risks.py", lambda lang: t("risks.title", lang)),
    "tables": ("pages/tables.py", lambda lang: t("tables.title", lang)),
    "admin": ("pages/admin.py", lambda lang: t("admin.title", lang)),
    "accessibility": ("pages/accessibility.py", lambda lang: t("a11y.title", lang)),
}
TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning")
TEXT_ELEMENTS += ("error", "success")
WIDGETS = ("selectbox", "multiselect", "toggle", "checkbox", "radio", "button", "text_input")
WIDGETS += ("slider", "date_input", "download_button", "segmented_control", "metric")


@pytest.fixture(scope="module")
def demo_db(demo_db_url, tmp_path_factory):
    """The run's example database (the pages only read it) and a data folder of this module's."""
    return demo_db_url, tmp_path_factory.mktemp("pages-languages")


@pytest.fixture(scope="module")
def environment(demo_db):
    url, folder = demo_db
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOTE_DATABASE_URL", url)
        patch.setenv("SOTE_DATA_DIR", str(folder))
        patch.setenv("SOTE_OFFLINE", "1")
        patch.delenv("SOTE_BOUNDARY_FILE", raising=False)
        yield url


@pytest.fixture(scope="module")
def opened(environment):
    """One run of each page in each language, shared by the tests that only read it."""
    runs: dict[tuple[str, str], AppTest] = {}

    def open_page(page: str, lang: str) -> AppTest:
        if (page, lang) not in runs:
            runs[(page, lang)] = _open(page, lang)
        return runs[(page, lang)]

    return open_page


def _open(page: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["kieli"] = lang
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page != "national":
        # a link to /alue?alue=21: the national page reads an area in its URL as a return from
        # that area (issue 18 item 2) and drops it, so the area comes with the switch
        if page == "area":
            at.query_params["alue"] = LAPLAND
        at.switch_page(PAGES[page][0])
        at.run()
    return at


def _title(at: AppTest) -> str:
    return at.title[0].value if len(at.title) else ""


# --- every page, every language ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_runs_in_every_language_under_its_title(opened, page, lang):
    at = opened(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert _title(at) == PAGES[page][1](lang)
    assert at.query_params.get("kieli", "fi") == lang


@pytest.mark.parametrize("page", list(PAGES))
def test_swedish_and_english_titles_are_not_the_finnish_ones(opened, page):
    titles = {lang: _title(opened(page, lang)) for lang in LANGUAGES}
    assert len(set(titles.values())) == 3, titles


def test_the_swedish_area_page_names_lapland_in_swedish(opened):
    """The page shows the registry's Swedish name, which is Statistics Finland's official one
    ("Lapplands välfärdsområde", as its boundary data's ``namn``); issue 8's "Välfärdsområdet i
    Lappland" is another way of saying it, which files may use and the registry resolves."""
    at = opened("area", "sv")
    assert _title(at) == areas.get(LAPLAND).name("sv") == "Lapplands välfärdsområde"
    assert areas.resolve("Välfärdsområdet i Lappland").area.code == LAPLAND


# --- nothing Finnish on a Swedish or English page ---------------------------------------------


def _pattern(text: str) -> re.Pattern[str] | None:
    """A Finnish message as a pattern (its placeholders match anything), if it has enough fixed
    text to be recognised inside another text; whole words only."""
    parts, fixed = [], 0
    for literal, field, _, _ in string.Formatter().parse(text):
        parts.append(re.escape(literal))
        fixed += len(literal.strip())
        if field is not None:
            parts.append(".+?")
    if fixed < 8:
        return None
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


def _finnish_only(lang: str) -> dict[str, re.Pattern[str]]:
    """The Finnish messages whose text in ``lang`` is another (or missing)."""
    finnish, other = catalog("fi"), catalog(lang)
    found = {}
    for key, text in finnish.items():
        if other.get(key) != text and (pattern := _pattern(text)) is not None:
            found[key] = pattern
    return found


def _chart_texts(node: object, out: list[str]) -> None:
    """Titles, subtitles, axis and legend titles, tooltip titles and descriptions of a spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data" or key == "datasets":
                continue
            if key in ("title", "subtitle", "text", "description", "aria"):
                if isinstance(value, str):
                    out.append(value)
                    continue
                if isinstance(value, list) and all(isinstance(v, str) for v in value):
                    out += value
                    continue
            _chart_texts(value, out)
    elif isinstance(node, list):
        for value in node:
            _chart_texts(value, out)


def _shown_texts(at: AppTest) -> list[str]:
    texts: list[str] = []
    for kind in TEXT_ELEMENTS:
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in WIDGETS:
        for widget in getattr(at, kind):
            texts.append(str(getattr(widget, "label", "")))
            texts += [str(o) for o in getattr(widget, "options", [])]
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
    for table in at.table:
        texts += [str(c) for c in table.value.columns]
    for chart in at.get("vega_lite_chart"):
        _chart_texts(json.loads(chart.proto.spec), texts)
    return [text for text in texts if text]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_no_finnish_only_text_on_a_swedish_or_english_page(opened, page, lang):
    at = opened(page, lang)
    texts = _shown_texts(at)
    assert len(texts) > 10  # the page was read, not an empty one
    finnish = _finnish_only(lang)
    found = sorted(
        {
            (key, text[:80])
            for text in texts
            for key, pattern in finnish.items()
            if pattern.search(text)
        }
    )
    assert not found, f"{page} in {lang} shows Finnish: {found}"


# --- numbers and dates --------------------------------------------------------------------------


def _rows_count(at: AppTest) -> str:
    """The tables page's "<dataset> · 3 630 rows" line."""
    return next(m.value for m in at.markdown if m.value.startswith("**"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_row_count_is_written_in_the_languages_number_format(opened, environment, lang):
    at = opened("tables", lang)
    rows = len(at.dataframe[0].value)
    assert rows >= 1000  # the example status table: 22 areas × the roadmap's measures
    line = _rows_count(at)
    assert fmt_number(rows, lang=lang) in line
    if lang == "en":
        assert re.search(r"\d,\d{3}", line)
    else:  # "3 630": a no-break space between the thousands
        assert re.search(r"\d\u00a0\d{3}", line)


def _points_pattern(lang: str) -> str:
    """A change in percentage points as the language writes it: "+3,0 %-yks.", "+3.0 pp"."""
    number = r"[+\-]?\d+\.\d" if lang == "en" else r"[+\-]?\d+,\d"
    return re.escape(t("changes.points", lang, value="NUMBER")).replace("NUMBER", number)


def _changes_in_points(at: AppTest, lang: str) -> list[str]:
    """The national page's "change of the share done" column of the areas-moved table."""
    column = t("changes.col.done_change", lang)
    moved = next(f.value for f in at.dataframe if column in f.value)
    return [v for v in moved[column] if v != t("value.none", lang)]


def test_finnish_pages_write_1_234_5_and_23_11_2026(opened):
    """Issue 8: Finnish numbers with a no-break space and a decimal comma, dates d.M.yyyy."""
    tables = opened("tables", "fi")
    assert re.search(r"\d\u00a0\d{3} ", _rows_count(tables))
    changes = _changes_in_points(opened("national", "fi"), "fi")
    assert changes and all(re.fullmatch(r"[+\-]?\d+,\d %-yks\.", v) for v in changes), changes
    as_of = tables.selectbox(key="tbl_as_of")
    assert as_of.options and all(re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", o) for o in as_of.options)
    assert as_of.options[0] == fmt_date(as_of.value, "fi")
    assert fmt_number(1234.5, 1, "fi") == "1\u00a0234,5"
    assert fmt_date(datetime(2026, 11, 23), "fi") == "23.11.2026"


@pytest.mark.parametrize(
    ("lang", "day"),
    [("sv", r"\d{1,2}\.\d{1,2}\.\d{4}"), ("en", r"\d{1,2} [A-Z][a-z]{2,3} \d{4}")],
)
def test_swedish_and_english_numbers_and_dates(opened, lang, day):
    changes = _changes_in_points(opened("national", lang), lang)
    assert changes and all(re.fullmatch(_points_pattern(lang), v) for v in changes), changes
    as_of = opened("tables", lang).selectbox(key="tbl_as_of")
    assert all(re.fullmatch(day, o) for o in as_of.options), as_of.options
    assert as_of.options[0] == fmt_date(as_of.value, lang)
    risks_as_of = opened("risks", lang).selectbox(key="risk-as-of")
    assert risks_as_of.options[0] == fmt_date(risks_as_of.value, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_charts_carry_the_languages_number_locale(opened, lang):
    decimal = "." if lang == "en" else ","
    for page in ("national", "area", "risks"):
        specs = [json.loads(c.proto.spec) for c in opened(page, lang).get("vega_lite_chart")]
        assert specs, page
        for spec in specs:
            assert spec["config"]["locale"]["number"]["decimal"] == decimal, page


# --- the tables page and its downloads ----------------------------------------------------------


def _display_values(at: AppTest) -> pd.DataFrame:
    """What the first table shows in its cells (a styled table sends its texts beside its data)."""
    styler = at.dataframe[0].proto.arrow_data.styler
    return pa.ipc.open_stream(styler.display_values).read_all().to_pandas()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_figures_table_writes_its_shares_in_the_languages_format(environment, lang):
    at = _open("tables", lang, taulu="luvut")
    assert not at.exception
    data, shown = at.dataframe[0].value, _display_values(at)
    column = t("tables.col.done_share", lang)
    assert list(shown[column]) == [format_cell(v, "share", lang) for v in data[column]]
    pattern = r"\d+\.\d%" if lang == "en" else r"\d+,\d\u00a0%"  # "98.2%", "98,2 %"
    assert all(re.fullmatch(pattern, v) for v in shown[column]), list(shown[column])[:3]
    assert pd.api.types.is_numeric_dtype(data[column])  # still sorts as a number


def _status_table(url: str, lang: str):
    with Store.open(url) as store:
        sources = sources_from_store(store)
    query, issues = TableQuery.from_query({}, sources.frames.work_streams)
    assert not issues
    return build_table(query, sources, lang)


def test_the_swedish_tables_page_and_its_exports_have_swedish_headers(opened, environment):
    at = opened("tables", "sv")
    shown = list(at.dataframe[0].value.columns)
    swedish = _status_table(environment, "sv")
    assert shown == swedish.headers()
    assert shown != _status_table(environment, "fi").headers()
    labels = [b.label for b in at.download_button]
    assert labels == [t(f"tables.download.{k}", "sv") for k in ("xlsx", "csv", "csv_fi")]
    # what the page's buttons build (export.export_bytes with the page's language)
    data = export.export_bytes(swedish, "csv", lang="sv")
    assert next(csv.reader(io.StringIO(data.decode("utf-8")))) == shown
    book = load_workbook(
        io.BytesIO(export.export_bytes(swedish, "xlsx", datetime.now(UTC), lang="sv"))
    )
    assert book.sheetnames == [t("tables.sheet.status", "sv"), t("tables.sheet.info", "sv")]
    assert [c.value for c in book.worksheets[0][1]] == shown
    info = [row[0].value for row in book.worksheets[1].iter_rows()]
    assert t("tables.info.source", "sv") in info and t("tables.info.example", "sv") in info


# --- the language stays with the reader ---------------------------------------------------------


def test_the_language_stays_in_the_url_across_a_page_switch(environment):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["kieli"] = "sv"
    at.run()
    assert _title(at) == t("national.title", "sv")
    at.query_params.clear()  # a move to another page starts from a URL without parameters
    at.switch_page("pages/tables.py")
    at.run()
    assert not at.exception
    assert at.query_params.get("kieli") == "sv"
    assert _title(at) == t("tables.title", "sv")


def test_the_language_switch_sets_the_url_and_keeps_it_on_the_next_page(environment):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert "kieli" not in at.query_params  # Finnish, the default, is left out of the URL
    assert _title(at) == t("national.title", "fi")
    switch = at.segmented_control(key="kieli-valinta")
    assert switch.options == ["Suomi", "Svenska", "English"]
    switch.set_value("en").run()
    assert at.query_params.get("kieli") == "en"
    assert _title(at) == t("national.title", "en")
    at.query_params.clear()  # a move to another page starts from a URL without parameters
    at.switch_page("pages/risks.py")
    at.run()
    assert at.query_params.get("kieli") == "en"
    assert _title(at) == t("risks.title", "en")


def test_suomi_takes_kieli_out_of_the_url(environment):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["kieli"] = "sv"
    at.run()
    at.segmented_control(key="kieli-valinta").set_value("fi").run()
    assert "kieli" not in at.query_params
    assert _title(at) == t("national.title", "fi")


# --- the upload page: a Swedish file checked on the Swedish page --------------------------------


def _swedish_file(url: str, status: str) -> bytes:
    with Store.open(url) as store:
        ids = [m.id for m in store.load_roadmap().measures[:2]]
    lapland = areas.get(LAPLAND).name("sv")
    columns = ("area", "measure_id", "status", "reported_on")
    rows = [";".join(t(f"template.col.{column}", "sv") for column in columns)]
    rows += [f"{lapland};{ids[0]};{status};31.12.2022", f"{lapland};{ids[1]};Klar;31.12.2022"]
    return ("\n".join(rows) + "\n").encode()


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload_files").set_value([(name, data, "text/csv")])
    return at.run()


def test_a_swedish_file_on_the_swedish_upload_page_previews_in_swedish(environment):
    at = _upload(_open("upload", "sv"), "lage.csv", _swedish_file(environment, "Pågår"))
    assert not at.exception and not at.error, [e.value for e in at.error]
    preview = at.table[1].value  # [0] is the sheets table
    assert t("upload.preview.col.name", "sv") in preview.columns
    assert list(preview[t("upload.preview.col.name", "sv")]) == [areas.get(LAPLAND).short("sv")]
    assert [b.label for b in at.button if b.label == t("upload.confirm", "sv")]


def test_a_wrong_status_is_explained_in_swedish_cell_by_cell(environment):
    from sotedata.ingest import parse_file

    data = _swedish_file(environment, "kanske")
    at = _upload(_open("upload", "sv"), "lage.csv", data)
    assert not at.exception
    errors = at.table[1].value
    columns = ("cell", "sheet", "row", "message", "suggestion")
    assert list(errors.columns) == [t(f"annotate.col.{c}", "sv") for c in columns]
    with Store.open(environment) as store:
        expected = parse_file(data, "lage.csv", roadmap=store.load_roadmap()).errors
    assert list(errors[t("annotate.col.message", "sv")]) == [e.message("sv") for e in expected]
    assert expected[0].message("sv") != expected[0].message("fi")
