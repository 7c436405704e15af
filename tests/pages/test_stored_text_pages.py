"""Every page on a database whose stored text is full of Markdown images, links and HTML
(issue 14 item 2), in AppTest: wherever that text reaches an element Streamlit draws as
Markdown (markdown, captions, boxes, headers, labels, help, metrics, st.table cells), it is
escaped, so it shows as written and makes no request; where it reaches a plain element (a data
frame, a select box's options) it is there unchanged. The same database opened in Chromium
(tests/browser/test_no_outside_requests.py) checks what a browser really does with it."""

from __future__ import annotations

import re

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.support import hostile_text
from tests.support.apptest import app_test
from tests.support.example_db import copy_of
from ui.text_safety import plain

TIMEOUT = 120
INDICATOR = "ind:file:mittari-x-http-evil-example-x-png-img-src-http-evil-example-y-png"
#: elements whose text Streamlit draws as plain text, never as Markdown: the stored text is
#: there as written (a data frame's cells travel as Arrow bytes and do not show up here)
PLAIN_ELEMENTS = {"selectbox", "multiselect", "vega_lite_chart", "text", "code", "json"}
#: Markdown that would make the browser fetch or link: an image, a link, raw HTML
ACTIVE = re.compile(r"(?<!\\)!\[|(?<!\\)\]\((?!\\)|(?<!\\)<[A-Za-z/!]")


@pytest.fixture(scope="module")
def hostile_url(demo_db_url, tmp_path_factory) -> str:
    url = copy_of(demo_db_url, tmp_path_factory.mktemp("hostile"))
    hostile_text.add(url)
    return url


@pytest.fixture
def app(hostile_url, tmp_path, monkeypatch) -> AppTest:
    return app_test(hostile_url, tmp_path, monkeypatch, timeout=TIMEOUT)


def _open(app: AppTest, page: str, **params: str) -> AppTest:
    app.run()
    app.switch_page(page)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _strings(value, path: str = ""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, path)


def _texts(at: AppTest) -> list[tuple[str, str, str]]:
    """(element type, field, text) of every text the page sends to the browser, blocks'
    labels (expanders, tabs) included; st.table cells as their own element type "table"."""
    found: list[tuple[str, str, str]] = []

    def walk(node) -> None:
        kind = getattr(node, "type", type(node).__name__)
        proto = getattr(node, "proto", None)
        if kind == "table":
            frame = node.value
            for column in frame.columns:
                found.append(("table", "header", str(column)))
                found.extend(("table", str(column), str(v)) for v in frame[column])
        elif proto is not None:
            found.extend((kind, path, text) for path, text in _strings(MessageToDict(proto)))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _markdown_texts(at: AppTest) -> list[tuple[str, str, str]]:
    return [item for item in _texts(at) if item[0] not in PLAIN_ELEMENTS]


def _assert_escaped(at: AppTest) -> list[str]:
    """No Markdown element carries the hostile text unescaped, nor an address a browser would
    turn into a link; returns their texts."""
    texts = _markdown_texts(at)
    raw_address = re.compile(rf"(https?://|www\.){re.escape(hostile_text.EVIL_HOST)}", re.I)
    for kind, field, text in texts:
        for hostile in hostile_text.HOSTILE:
            assert hostile not in text, (kind, field, text)
        if hostile_text.EVIL_HOST in text:  # stored text (the app's own HTML is not checked)
            assert not ACTIVE.search(text), (kind, field, text)
        assert not raw_address.search(text), (kind, field, text)
    return [text for _, _, text in texts]


def _frames_text(at: AppTest) -> str:
    cells = (d.value.astype(str).to_numpy().ravel() for d in at.dataframe)
    return "\n".join(str(v) for values in cells for v in values)


def test_area_page(app):
    at = _open(app, "pages/area.py", alue="21")
    texts = _assert_escaped(at)
    said = hostile_text.texts()
    # the indicator's name as its heading, escaped: shown as written
    assert f"**{plain(said['indicator'])}**" in texts
    # the notes, projects, measures and risks as written in their tables
    frames = _frames_text(at)
    for key in ("note", "project", "measure", "risk", "mitigation"):
        assert hostile_text.IMAGE in frames or said[key][:20] in frames, key


def test_national_page_with_the_hostile_indicator(app):
    at = _open(app, "pages/national.py")
    _assert_escaped(at)
    at.selectbox(key="metric").set_value(INDICATOR).run()
    assert not at.exception
    texts = _assert_escaped(at)
    name = plain(hostile_text.texts()["indicator"])
    assert any(text.startswith(name) for text in texts), "the map's summary names it as written"


def test_national_page_in_meeting_mode(app):
    at = _open(app, "pages/national.py", esitys="1", mittari=INDICATOR)
    _assert_escaped(at)


@pytest.mark.parametrize("table", ["notes", "indicators", "imports", "risks", "roadmap", "grants"])
def test_tables_page(app, table):
    at = _open(app, "pages/tables.py", taulu=table)
    _assert_escaped(at)
    if table != "grants":  # the grants table counts projects per area, it names none
        assert hostile_text.EVIL_HOST in _frames_text(at)  # in the table as written


def test_risks_page(app):
    at = _open(app, "pages/risks.py")
    _assert_escaped(at)
    assert hostile_text.texts()["national_note"] in _frames_text(at)


def test_upload_page_history(app):
    at = _open(app, "pages/upload.py")
    texts = _assert_escaped(at)
    said = hostile_text.texts()
    assert plain(said["file"]) in texts and plain(said["user"]) in texts


@pytest.mark.parametrize("page", ["pages/admin.py", "pages/accessibility.py"])
def test_other_pages(app, page):
    _assert_escaped(_open(app, page))


def test_url_parameters_are_shown_as_text(app):
    """A crafted link (``?alue=![x](…)``) cannot make the page fetch or link either."""
    at = _open(app, "pages/area.py", alue=hostile_text.IMAGE)
    texts = _assert_escaped(at)
    assert any(plain(hostile_text.IMAGE) in text for text in texts)
    at = _open(app, "pages/area.py", alue="21", pvm=hostile_text.LINK, vaihe=hostile_text.HTML)
    texts = _assert_escaped(at)
    assert any(plain(hostile_text.LINK) in text for text in texts)
    assert any(plain(hostile_text.HTML) in text for text in texts)


def test_uploaded_file_names_sheets_and_cell_values_are_shown_as_text(app):
    """A file being checked: its name, its sheets' names and the values its errors quote."""
    from tests.support.workbooks import xlsx

    header = ["Alue", "Päivämäärä", "Muistiinpano", "Lähdetyyppi", "Linkki", "Tunnisteet"]
    bad = xlsx({"<img src=x>": [header, ["Lappi", "1.6.2022", "x", hostile_text.LINK, "", ""]]})
    good = xlsx({"<b>": [header, ["Lappi", "2.6.2022", hostile_text.ALL, "Kokous", "", ""]]})
    at = _open(app, "pages/upload.py")
    at.file_uploader(key="upload_files").set_value(
        [
            (f"{hostile_text.IMAGE}.xlsx", bad, "application/octet-stream"),
            (f"{hostile_text.HTML}.xlsx", good, "application/octet-stream"),
        ]
    )
    at.run()
    assert not at.exception
    texts = _assert_escaped(at)
    assert plain(f"{hostile_text.IMAGE}.xlsx") in texts
    assert plain(f"{hostile_text.HTML}.xlsx") in texts
    cells = [text for kind, _, text in _texts(at) if kind == "table"]
    assert plain("<img src=x>") in cells and plain("<b>") in cells  # the sheets
    assert any(plain(hostile_text.LINK) in cell for cell in cells), cells  # the bad value


def test_links_come_only_from_the_note_link_column_with_the_address_shown(app):
    """The one link a page draws from stored data is a note's link column, already validated
    at import, and it shows the address itself (no display text that could hide it)."""
    import json

    at = _open(app, "pages/area.py", alue="21")
    links = []
    for frame in at.dataframe:
        columns = json.loads(frame.proto.columns) if frame.proto.columns else {}
        for name, config in columns.items():
            if config.get("type_config", {}).get("type") == "link":
                links.append((name, config["type_config"], frame.value))
    assert [name for name, _, _ in links] == ["link"]
    name, config, frame = links[0]
    assert not config.get("display_text")  # the address is what the cell shows
    assert f"https://{hostile_text.EVIL_HOST}/a" in set(frame["link"].dropna())
    # only web addresses, as the import validated them (never a "javascript:" or Markdown)
    assert all(link.startswith(("https://", "http://")) for link in frame["link"].dropna())
