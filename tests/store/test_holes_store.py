"""Issue 14, item 5: indicator metadata belongs to the import that brought it, an import that
touches no area is the ministry's to revert, audit details are strict JSON, and a file that
changes values another import reported says so. On SQLite and PostgreSQL (``db_url``)."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from sotedata.domain.access import Principal, Role
from sotedata.domain.errors import SoteError
from sotedata.domain.model import Measure, default_roadmap
from sotedata.ingest import import_file
from sotedata.store import db
from sotedata.store import people as accounts
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

ADMIN = Principal.open("paikallinen", channel="cli")
MINISTRY = Principal("virkamies@stm.example.fi", Role.MINISTRY)
LAPPI = Principal("lappi@example.fi", Role.PREPARER, frozenset({"21"}))
KAINUU = Principal("kainuu@example.fi", Role.PREPARER, frozenset({"16", "21"}))
ROADMAP = default_roadmap(
    [Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, date(2022, 3, 31))]
)
HEADER = ["Indikaattori", "Yksikkö", "Lähde", "Alue", "Vuosi", "Arvo"]


def _indicators(name: str, unit: str, source: str, value: float, year: int = 2021) -> bytes:
    """One indicator of Lappi; its key is the name's slug, so a new name is a new indicator:
    the id prefix ("3064: …") keeps the key while the name changes."""
    return xlsx({"Data": [HEADER, [f"3064: {name}", unit, source, "Lappi", year, value]]})


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        opened.save_roadmap(ROADMAP)
        yield opened


def _meta(store: Store) -> dict:
    frame = store.indicators()
    assert len(frame) == 1
    return frame.iloc[0][["name", "unit", "source", "licence"]].to_dict()


def test_a_revert_puts_back_the_metadata_the_earlier_import_gave(store):
    first = import_file(store, _indicators("Huoltosuhde", "%", "THL", 60.0), "a.xlsx", user="a")
    assert first.ok, [e.render() for e in first.errors]
    second = import_file(
        store, _indicators("Demografinen huoltosuhde", "‰", "Tilastokeskus", 61.0, 2022), "b.xlsx"
    )
    assert second.ok
    assert _meta(store) == {
        "name": "Demografinen huoltosuhde",
        "unit": "‰",
        "source": "Tilastokeskus",
        "licence": None,
    }
    store.revert_import(second.import_id)
    assert _meta(store) == {"name": "Huoltosuhde", "unit": "%", "source": "THL", "licence": None}
    assert store.indicator_values()["value"].tolist() == [60.0]


def test_reverting_a_middle_import_keeps_the_newest_metadata_in_force(store):
    imports = [
        import_file(store, _indicators(name, "%", "THL", value, year), f"{name}.xlsx").import_id
        for name, value, year in (("Yksi", 1.0, 2020), ("Kaksi", 2.0, 2021), ("Kolme", 3.0, 2022))
    ]
    store.revert_import(imports[1])
    assert _meta(store)["name"] == "Kolme"
    store.revert_import(imports[2])
    assert _meta(store)["name"] == "Yksi"
    store.revert_import(imports[0])
    assert store.indicators().empty
    with store.engine.connect() as connection:
        assert not connection.execute(select(db.indicator_metadata)).all()


def test_a_preparer_cannot_change_metadata_another_persons_import_set(store):
    accounts.set_user(store, ADMIN, MINISTRY.user, role=Role.MINISTRY)
    data = _indicators("Huoltosuhde", "%", "THL", 60.0)
    assert import_file(store, data, "thl.xlsx", principal=MINISTRY).ok
    mine = _indicators("Oma nimi", "kpl", "Lapin oma", 62.0, 2022)
    report = import_file(store, mine, "lappi.xlsx", principal=LAPPI)
    assert report.ok
    kept = [w for w in report.warnings if w.code == "indicator_metadata_kept"]
    assert len(kept) == 1 and MINISTRY.user in kept[0].message("fi")
    assert _meta(store)["name"] == "Huoltosuhde" and _meta(store)["unit"] == "%"
    assert sorted(store.indicator_values()["value"]) == [60.0, 62.0]  # the values still land
    # the refused import set nothing: reverting the ministry's leaves no metadata of Lappi's
    same_again = _indicators("Huoltosuhde", "%", "THL", 63.0, 2023)
    assert not [w for w in import_file(store, same_again, "x.xlsx", principal=LAPPI).warnings]


def test_a_preparer_may_change_metadata_their_own_import_set(store):
    first = import_file(store, _indicators("Vanha", "%", "THL", 1.0), "a.xlsx", principal=LAPPI)
    assert first.ok
    report = import_file(
        store, _indicators("Uusi", "%", "THL", 2.0, 2022), "b.xlsx", principal=LAPPI
    )
    assert report.ok and not report.warnings
    assert _meta(store)["name"] == "Uusi"
    # another preparer of the same area may not
    other = import_file(
        store, _indicators("Kolmas", "%", "THL", 3.0, 2023), "c.xlsx", principal=KAINUU
    )
    assert [w.code for w in other.warnings] == ["indicator_metadata_kept"]
    assert _meta(store)["name"] == "Uusi"


def test_an_import_that_touches_no_area_is_reverted_only_by_the_ministry_or_an_administrator(
    store,
):
    roadmap = xlsx(
        {"Tiekartta": [["Tunnus", "Toimenpide", "Vaihe", "Teema"], ["X-01", "Uusi", 2, "ICT"]]}
    )
    report = import_file(store, roadmap, "tiekartta.xlsx", user="stm")
    assert report.ok and report.counts["areas"] == []
    # the measure it created is reported on elsewhere, so the import no longer changes the
    # roadmap in any way a revert would undo: it touches nothing but is still an import
    with store.transaction() as connection:
        connection.execute(db.measures.update().values(import_id=None))
    assert accounts.import_reach(store, report.import_id) == (set(), False)
    assert not LAPPI.may_revert(set(), changes_roadmap=False)
    with pytest.raises(SoteError) as refused:
        accounts.revert_import(store, LAPPI, report.import_id)
    assert refused.value.issues[0].code == "forbidden"
    assert MINISTRY.may_revert(set(), changes_roadmap=False)
    accounts.revert_import(store, MINISTRY, report.import_id)
    assert store.imports().set_index("id").loc[report.import_id, "status"] == "reverted"


def test_audit_details_are_strict_json_even_for_missing_numbers(store):
    accounts.record(
        store,
        ADMIN,
        "export",
        "metrics",
        share=float("nan"),
        big=float("inf"),
        nested={"x": [float("nan"), 1.5]},
        day=date(2026, 12, 2),
        areas={"21", "16"},
    )
    details = accounts.audit_log(store)["details"].iloc[0]
    assert "NaN" not in details and "Infinity" not in details
    parsed = json.loads(details, parse_constant=lambda name: pytest.fail(name))
    assert parsed == {
        "areas": ["16", "21"],
        "big": None,
        "day": "2026-12-02",
        "nested": {"x": [None, 1.5]},
        "share": None,
    }


def test_revert_of_an_import_without_a_file_name_writes_valid_json(store):
    """The history's file name of a roadmap saved by other means is missing (pandas: NaN)."""
    store.add_status_reports([], source="")
    import_id = int(store.imports()["id"].max())
    accounts.revert_import(store, ADMIN, import_id)
    details = accounts.audit_log(store, action="revert")["details"].iloc[0]
    assert json.loads(details, parse_constant=lambda name: pytest.fail(name)) == {"file": None}


STATUS_HEADER = ["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"]


def test_a_file_that_changes_values_of_another_import_is_accepted_with_a_count(store):
    first = xlsx(
        {
            "Tila": [
                STATUS_HEADER,
                ["Lappi", "H-01", "Käynnissä", "31.10.2026"],
                ["Kainuu", "H-01", "Käynnissä", "31.10.2026"],
            ]
        }
    )
    earlier = import_file(store, first, "eka.xlsx")
    assert earlier.ok and not earlier.warnings
    second = xlsx(
        {
            "Tila": [
                STATUS_HEADER,
                ["Lappi", "h-01", "Valmis", "31.10.2026"],  # changed (and the id in lower case)
                ["Kainuu", "H-01", "Käynnissä", "31.10.2026"],  # the same: no change
                ["Kainuu", "H-01", "Valmis", "30.11.2026"],  # a new date: no change either
            ]
        }
    )
    dry = import_file(store, second, "toka.xlsx", dry_run=True)
    later = import_file(store, second, "toka.xlsx")
    for report in (dry, later):
        assert report.ok
        overrides = [w for w in report.warnings if w.code == "overrides_earlier"]
        assert len(overrides) == 1
        assert overrides[0].params == {"count": 1, "imports": str(earlier.import_id)}
        assert "{" not in overrides[0].message("sv")
    # the later one wins, as before
    frame = store.status_reports()
    lappi = frame[frame["area_code"] == "21"]
    assert lappi["status"].tolist() == ["in_progress", "done"]
    assert later.to_json()["warnings"][0]["code"] == "overrides_earlier"


def test_a_database_from_before_revision_0009_keeps_its_metadata_and_can_revert(store):
    from alembic import command

    from sotedata.store.engine import alembic_config

    first = import_file(store, _indicators("Huoltosuhde", "%", "THL", 60.0), "a.xlsx")
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0008")
    with store.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(db.indicator_metadata.c.import_id, db.indicator_metadata.c.name)
        ).all()
    assert [tuple(r) for r in rows] == [(first.import_id, "Huoltosuhde")]
    second = import_file(store, _indicators("Uusi", "‰", "THL", 61.0, 2022), "b.xlsx")
    assert _meta(store)["name"] == "Uusi"
    store.revert_import(second.import_id)
    assert _meta(store)["name"] == "Huoltosuhde" and _meta(store)["unit"] == "%"


def test_overrides_earlier_names_at_most_ten_imports():
    from sotedata.domain.model import StatusReport
    from sotedata.ingest.comparison import check_against_store
    from sotedata.ingest.report import ParsedFile

    day = date(2026, 10, 31)
    codes = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]

    class Stored:
        def status_reports_between(self, first, last, areas):
            assert (first, last) == (day, day) and set(areas) == set(codes)
            return [(code, "H-01", day, "in_progress", None, i + 1) for i, code in enumerate(codes)]

    reports = [StatusReport(code, "h-01", "done", day) for code in codes]
    _, warnings = check_against_store(
        Stored(), ParsedFile("t.xlsx", "0", status_reports=reports), None
    )
    assert warnings[0].params == {"count": 12, "imports": "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …"}


def test_the_example_roadmap_is_not_a_preparers_to_revert(demo_store):
    history = demo_store.imports()
    roadmap_id = int(history[history["kind"] == "roadmap"]["id"].iloc[0])
    assert accounts.import_reach(demo_store, roadmap_id) == (set(), False)
    assert not accounts.may_revert(demo_store, LAPPI, roadmap_id)
    assert accounts.may_revert(demo_store, MINISTRY, roadmap_id)
    assert accounts.may_revert(demo_store, ADMIN, roadmap_id)
    with pytest.raises(SoteError):
        accounts.revert_import(demo_store, LAPPI, roadmap_id)  # refused before any write
