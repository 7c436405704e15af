"""The organisers and organiser_status sheets through the importer (issue 20): recognised from
their headers, every bad cell named, all or nothing, a preparer kept to organisers of their own
areas, stored and reverted whole, and the JSON contract grown by two counts."""

from datetime import date

import pytest

from sotedata.domain.access import Principal, Role
from sotedata.domain.model import Measure, Status, default_roadmap
from sotedata.ingest import import_file, parse_file
from sotedata.ingest.importer import stored_organisers
from sotedata.store import organisers as organiser_rows
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

D = date
ROADMAP = default_roadmap([Measure("I-01", "Tietoliikenneverkko", 3, "ict", True, D(2022, 9, 30))])
STATUS_HEADER = ["Järjestäjä", "Luovutusaihe", "Tila", "Tilannepäivä", "Kommentti"]
REGISTRY_HEADER = ["Järjestäjä", "Nimi ruotsiksi", "Järjestäjän tyyppi", "Jäsenkunnat"]

GOOD = xlsx(
    {
        "Järjestäjät": [
            REGISTRY_HEADER,
            ["Tunturi-Lapin kuntayhtymä", "", "Sote-kuntayhtymä", "Enontekiö, Kittilä, 273 498"],
            [
                "Lapin sairaanhoitopiiri",
                "",
                "",
                "047 148 261 273 498 614 683 698 732 742 758 890 320 583 851",
            ],
        ],
        "Luovutus": [
            STATUS_HEADER,
            ["Lapin pelastuslaitos", "Sopimukset", "Valmis", "15.6.2022", ""],
            ["pel-lappi", "Henkilöstö", "Käynnissä", "15.6.2022", "YT kesken"],
            ["Tunturi-Lapin kuntayhtymä", "ICT ja arkistot", "Ei aloitettu", "15.6.2022", ""],
            ["Lapplands sjukvårdsdistrikt", "Tillgångar och skulder", "Försenad", "15.6.2022", ""],
        ],
    }
)

BAD = xlsx(
    {
        "Järjestäjät": [
            REGISTRY_HEADER,
            ["Uusi yhtymä", "", "Kerho", "Kittilä"],
            ["Toinen yhtymä", "", "Sote-kuntayhtymä", "Kittilä, Eiole, Jomala"],
        ],
        "Luovutus": [
            STATUS_HEADER,
            ["Lapin pelastuslaitoss", "Sopimukset", "Valmis", "15.6.2022", ""],
            ["Lapin pelastuslaitos", "Kahvinkeitto", "Valmis", "15.6.2022", ""],
            ["Lapin pelastuslaitos", "Henkilöstö", "valmiiksi", "15.6.2022", ""],
            ["", "Henkilöstö", "Valmis", "15.6.2022", ""],
        ],
    }
)


@pytest.fixture
def store(db_url):
    """On SQLite and on PostgreSQL (tests/support/pg.py)."""
    with Store.open(db_url) as opened:
        opened.save_roadmap(ROADMAP)
        yield opened


def _parse(data, **kwargs):
    return parse_file(data, "jarjestajat.xlsx", roadmap=ROADMAP, today=D(2026, 12, 2), **kwargs)


def test_both_sheets_are_recognised_and_read():
    parsed = _parse(GOOD)
    assert not parsed.errors, [e.message() for e in parsed.errors]
    assert [(s.kind, s.rows) for s in parsed.sheets] == [("organisers", 2), ("organiser_status", 4)]
    new, lapland = parsed.organiser_edits
    assert new.id == "org-tunturi-lapin-kuntayhtyma" and new.type == "social_health"
    assert new.member_codes == ("047", "261", "273", "498") and new.area_codes == ("21",)
    assert lapland.id == "shp-21" and lapland.type == "hospital_district"
    assert lapland.name_sv == "Lapplands sjukvårdsdistrikt"
    reports = {(r.organiser_id, r.topic): r for r in parsed.organiser_reports}
    assert reports[("pel-lappi", "agreements")].status is Status.DONE
    assert reports[("pel-lappi", "staff")].comment == "YT kesken"
    assert reports[(new.id, "ict_archives")].status is Status.NOT_STARTED  # added by the same file
    assert reports[("shp-21", "assets")].status is Status.DELAYED
    counts = parsed.counts()
    assert (counts["organisers"], counts["organiser_status"], counts["areas"]) == (2, 4, ["21"])


def test_every_bad_cell_is_named_and_nothing_is_kept():
    parsed = _parse(BAD)
    found = [(e.code, e.sheet, e.cell) for e in parsed.errors]
    assert found == [
        ("invalid_organiser_type", "Järjestäjät", "C2"),
        ("unknown_member", "Järjestäjät", "D3"),
        ("unknown_member", "Järjestäjät", "D3"),
        ("unknown_organiser", "Luovutus", "A2"),
        ("unknown_topic", "Luovutus", "B3"),
        ("invalid_status", "Luovutus", "C4"),
        ("missing_value", "Luovutus", "A5"),
    ]
    assert "Lapin pelastuslaitos" in parsed.errors[3].suggestion()
    assert parsed.organiser_edits == [] and parsed.organiser_reports == []


def test_an_organiser_of_two_areas_is_the_ministrys(store):
    lapland = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
    hus = xlsx({"Luovutus": [STATUS_HEADER, ["HUS", "Sopimukset", "Valmis", "1.6.2022", ""]]})
    hus = xlsx(
        {
            "Luovutus": [
                STATUS_HEADER,
                [
                    "Helsingin ja Uudenmaan sairaanhoitopiiri",
                    "Sopimukset",
                    "Valmis",
                    "1.6.2022",
                    "",
                ],
                ["Lapin pelastuslaitos", "Sopimukset", "Valmis", "1.6.2022", ""],
            ]
        }
    )
    report = import_file(store, hus, "hus.xlsx", principal=lapland)
    assert [(e.code, e.cell) for e in report.errors] == [("organiser_not_allowed", "A2")]
    with store.reading() as connection:
        assert organiser_rows.latest_reports(connection) == []
    uusimaa = Principal(
        "uusimaa@example.fi", Role.PREPARER, frozenset({"01", "02", "03", "04", "90"})
    )
    assert [
        (e.code, e.cell) for e in import_file(store, hus, "hus.xlsx", principal=uusimaa).errors
    ] == [("organiser_not_allowed", "A3")]
    ministry = Principal("stm@example.fi", Role.MINISTRY)
    assert import_file(store, hus, "hus.xlsx", principal=ministry).ok


def test_stored_whole_laid_over_the_registry_and_reverted_whole(store):
    report = import_file(store, GOOD, "jarjestajat.xlsx")
    assert report.ok, [e.message() for e in report.errors]
    registry = stored_organisers(store)
    assert registry.by_id["org-tunturi-lapin-kuntayhtyma"].area_codes == ("21",)
    assert len(registry.by_id["shp-21"].member_codes) == 15
    with store.reading() as connection:
        latest = organiser_rows.latest_reports(connection, D(2022, 12, 31))
        assert len(latest) == 4
        assert organiser_rows.latest_reports(connection, D(2022, 6, 14)) == []
    store.revert_import(report.import_id)
    assert "org-tunturi-lapin-kuntayhtyma" not in stored_organisers(store).by_id
    with store.reading() as connection:
        assert organiser_rows.latest_reports(connection) == []


def test_the_json_contract_grows_by_two_counts_only(store):
    shown = import_file(store, GOOD, "jarjestajat.xlsx", dry_run=True).to_json()
    assert list(shown) == [
        "ok",
        "file",
        "sha256",
        "dry_run",
        "sheets",
        "counts",
        "errors",
        "warnings",
        "import_id",
    ]
    assert shown["counts"]["organisers"] == 2 and shown["counts"]["organiser_status"] == 4
    assert {
        "measures",
        "status",
        "risks",
        "indicator_values",
        "municipalities",
        "grants",
        "notes",
        "areas",
    } < set(shown["counts"])
    assert [s["kind"] for s in shown["sheets"]] == ["organisers", "organiser_status"]
