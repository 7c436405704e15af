"""A database whose stored text is full of Markdown images, links and HTML (issue 14 item 2).

The example data, then one workbook through the real import path (grant projects, notes, an
indicator, its file name and importer all hostile), then the roadmap's measure names and the
risks' titles, mitigations and owners rewritten the way a roadmap or risk import would store
them. The page tests (AppTest and Chromium) open every page on it and check that no stored text
is read as Markdown or HTML.
"""

from __future__ import annotations

from sqlalchemy import text

from sotedata.demo import examples as grants_notes_demo
from sotedata.ingest import import_file
from sotedata.store.engine import Store
from tests.support.workbooks import GRANT_HEADER, NOTE_HEADER, xlsx

EVIL_HOST = "evil.example"
IMAGE = f"![x](http://{EVIL_HOST}/x.png)"
LINK = f"[click](http://{EVIL_HOST})"
HTML = f"<img src=http://{EVIL_HOST}/y.png>"
#: What the pages would otherwise restyle: a colour directive, math, an icon, a raw address.
STYLED = f":red[punainen] $x$ :material/home: www.{EVIL_HOST}"
HOSTILE = (IMAGE, LINK, HTML)
ALL = f"{IMAGE} {LINK} {HTML}"


def texts() -> dict[str, str]:
    """Each stored field and the text it holds, for the checks (every one names its field)."""
    return {
        "project": f"Hanke {ALL}",
        "programme": f"Ohjelma {IMAGE}",
        "note": f"Muistiinpano {ALL} {STYLED}",
        "national_note": f"Valtakunnallinen {ALL}",
        "indicator": f"Mittari {IMAGE} {HTML}",
        "file": f"{IMAGE}.xlsx",
        "user": f"{LINK}",
        "measure": f"Toimenpide {ALL}",
        "risk": f"Riski {ALL}",
        "mitigation": f"Hallinta {ALL} {STYLED}",
        "owner": f"Omistaja {HTML}",
    }


def _workbook() -> bytes:
    said = texts()
    areas = ["Lappi", "Kainuu", "Pohjois-Pohjanmaa", "Keski-Pohjanmaa"]
    return xlsx(
        {
            "Hankkeet": [
                ["Tilannepäivä: 15.6.2022"],
                GRANT_HEADER,
                ["Lappi", said["project"], said["programme"], 100000, 20000, "2022", "", "H-01"],
            ],
            "Muistiinpanot": [
                NOTE_HEADER,
                # the link column is a link: shown with its address, never fetched
                ["Lappi", "1.6.2022", said["note"], "Kokous", f"https://{EVIL_HOST}/a", "", "", ""],
                ["Koko maa", "2.6.2022", said["national_note"], "Kokous", "", "", "", "KANS-1"],
            ],
            "Mittarit": [
                ["Alue", "Vuosi", said["indicator"]],
                *[[area, 2021, f"{10 + i},5"] for i, area in enumerate(areas)],
            ],
        }
    )


def add(url: str) -> None:
    """Add the hostile texts to the database at ``url``, which holds the example data (a copy of
    the run's ``demo_db_url``)."""
    said = texts()
    with Store.open(url) as store:
        grants_notes_demo.add_examples(store)
        report = import_file(store, _workbook(), said["file"], user=said["user"])
        assert report.ok, [issue.render() for issue in report.errors]
        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE measures SET name = :name WHERE id IN ('H-01', 'H-02')"),
                {"name": said["measure"]},
            )
            connection.execute(
                text(
                    "UPDATE risk_ratings SET title = :title, mitigation = :mitigation,"
                    " owner = :owner WHERE risk_id IN ('HEN-2', 'ICT-2', 'KANS-1')"
                ),
                {"title": said["risk"], "mitigation": said["mitigation"], "owner": said["owner"]},
            )
