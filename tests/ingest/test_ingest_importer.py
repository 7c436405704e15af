"""import_file and the store: all or nothing, duplicates, dry runs, revert, preview, JSON shape."""

import threading
from datetime import date

import pytest

from sotedata.domain.errors import SoteError
from sotedata.domain.model import Measure, RiskRating, StatusReport, default_roadmap
from sotedata.ingest import ImportReport, import_file, parse_file, preview_changes
from sotedata.store import db
from sotedata.store.engine import Store
from tests.support.workbooks import xlsx

D = date
ROADMAP = default_roadmap(
    [
        Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, D(2022, 3, 31)),
        Measure("I-01", "Tietoliikenneverkko", 3, "ict", False, None),
    ]
)
HEADER = ["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"]
RISK_HEADER = ["Alue", "Riski", "Todennäköisyys", "Vaikutus", "Tilannepäivä"]


GOOD = xlsx(
    {
        "Tila": [
            HEADER,
            ["Lappi", "H-01", "Valmis", "31.10.2026"],
            ["Kainuu", "H-01", "Käynnissä", "31.10.2026"],
            ["Lappi", "I-01", "Viivästynyt", "31.10.2026"],
        ],
        "Riskit": [RISK_HEADER, ["Lappi", "Rekrytoinnit", 4, 3, "31.10.2026"]],
        "Tiekartta": [["Tunnus", "Toimenpide", "Vaihe", "Teema"], ["X-01", "Uusi", 2, "ICT"]],
    }
)
BAD = xlsx(
    {"Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"], ["Lappi", "H-02", "?", "x"]]}
)


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        opened.save_roadmap(ROADMAP)
        opened.add_status_reports([StatusReport("21", "H-01", "in_progress", D(2026, 9, 30))])
        opened.add_risk_ratings(
            [RiskRating("21", "rekrytoinnit", "Rekrytoinnit", "", 2, 3, None, None, D(2026, 9, 30))]
        )
        yield opened


def _counts(store):
    return (
        len(store.status_reports()),
        len(store.risk_ratings()),
        len(store.load_roadmap().measures),
    )


def test_an_accepted_file_is_stored_whole_with_its_import_record(store):
    report = import_file(store, GOOD, "tila.xlsx", user="preparer")
    assert report.ok and report.import_id is not None and not report.dry_run
    assert report.counts == {
        "measures": 1,
        "status": 3,
        "risks": 1,
        "indicator_values": 0,
        "municipalities": 0,
        "grants": 0,
        "notes": 0,
        "areas": ["20", "21"],
        "organisers": 0,
        "organiser_status": 0,
    }
    assert _counts(store) == (4, 2, 3)
    record = store.imports().set_index("id").loc[report.import_id]
    assert record["file_name"] == "tila.xlsx" and record["imported_by"] == "preparer"
    assert record["sha256"] == report.sha256 and record["status"] == "active"
    assert '"status": 3' in record["counts"]


def test_a_file_with_any_error_stores_nothing(store):
    before = (_counts(store), len(store.imports()))
    report = import_file(store, BAD, "tila.xlsx")
    assert not report.ok and report.import_id is None
    assert {e.code for e in report.errors} == {"unknown_measure", "invalid_status", "invalid_date"}
    assert (_counts(store), len(store.imports())) == before


def test_dry_run_checks_and_stores_nothing(store):
    before = _counts(store)
    report = import_file(store, GOOD, "tila.xlsx", dry_run=True)
    assert report.ok and report.dry_run and report.import_id is None
    assert _counts(store) == before


def test_the_same_bytes_twice_store_nothing_new(store):
    first = import_file(store, GOOD, "tila.xlsx")
    after_first = _counts(store)
    second = import_file(store, GOOD, "tila-kopio.xlsx")
    assert second.ok and second.import_id == first.import_id
    assert [w.code for w in second.warnings] == ["duplicate_file"]
    assert _counts(store) == after_first


def test_revert_removes_the_rows_keeps_the_history_and_allows_a_reimport(store):
    before = _counts(store)
    report = import_file(store, GOOD, "tila.xlsx")
    store.revert_import(report.import_id)
    assert _counts(store) == before  # the measure it created went too
    history = store.imports().set_index("id")
    assert history.loc[report.import_id, "status"] == "reverted"
    assert history.loc[report.import_id, "reverted_at"] is not None
    with pytest.raises(SoteError) as caught:
        store.revert_import(report.import_id)
    assert caught.value.issues[0].code == "import_already_reverted"
    again = import_file(store, GOOD, "tila.xlsx")
    assert again.ok and again.import_id != report.import_id and not again.warnings


def test_an_import_killed_mid_transaction_leaves_no_trace(store, monkeypatch):
    parsed = parse_file(GOOD, "tila.xlsx", roadmap=store.load_roadmap())
    before = (_counts(store), len(store.imports()))
    real_bulk_insert = Store._bulk_insert

    def dying_bulk_insert(self, connection, table, rows):
        # the import record, the measure and the status rows are written; then the process dies
        if table is db.risk_ratings:
            raise KeyboardInterrupt("killed")
        real_bulk_insert(self, connection, table, rows)

    monkeypatch.setattr(Store, "_bulk_insert", dying_bulk_insert)
    with pytest.raises(KeyboardInterrupt):
        store.save_import(parsed, user="x")
    monkeypatch.undo()
    assert (_counts(store), len(store.imports())) == before
    assert store.find_import_by_sha256(parsed.sha256) is None


def test_two_imports_at_once_both_land_whole(db_url):
    url = db_url
    with Store.open(url) as first:
        first.save_roadmap(ROADMAP)
    files = [
        xlsx({"Tila": [HEADER, *([area, m, "Valmis", "31.10.2026"] for m in ("H-01", "I-01"))]})
        for area in ("Lappi", "Kainuu")
    ]
    results = []

    def run(data):
        with Store.open(url) as own:
            results.append(import_file(own, data, "tila.xlsx"))

    threads = [threading.Thread(target=run, args=(data,)) for data in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.ok for r in results) and len({r.import_id for r in results}) == 2
    with Store.open(url) as check:
        assert len(check.status_reports()) == 4


def test_preview_counts_changes_per_area_against_the_latest_state(store):
    parsed = parse_file(GOOD, "tila.xlsx", roadmap=store.load_roadmap())
    frame = preview_changes(store, parsed)
    assert list(frame.columns) == [
        "code",
        "name",
        "statuses_changed",
        "new_measures_reported",
        "risks_new",
        "risks_rerated",
    ]
    rows = frame.set_index("code").to_dict("index")
    assert rows["21"] == {
        "name": "Lappi",
        "statuses_changed": 1,  # H-01 in progress → done
        "new_measures_reported": 1,  # I-01 never reported
        "risks_new": 0,
        "risks_rerated": 1,  # rekrytoinnit 2×3 → 4×3
    }
    assert rows["20"]["new_measures_reported"] == 1


def test_the_json_shape_is_exactly_the_contract(store):
    report = import_file(store, BAD, "tila.xlsx")
    assert isinstance(report, ImportReport)
    body = report.to_json()
    assert list(body) == [
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
    assert body["sheets"] == [{"name": "Tila", "kind": "status", "rows": 2}]
    # issue 9 grew the counts without changing the meaning of the first ones
    assert list(body["counts"]) == [
        "measures",
        "status",
        "risks",
        "indicator_values",
        "municipalities",
        "grants",
        "notes",
        "organisers",  # issue 20, before the areas as issue 9's were
        "organiser_status",
        "areas",
    ]
    error = body["errors"][0]
    assert list(error) == ["code", "sheet", "cell", "row", "column", "message", "suggestion"]
    assert (error["sheet"], error["cell"], error["row"], error["column"]) == ("Tila", "B3", 3, "B")


def test_errors_beyond_the_cap_are_counted_in_one_more_entry(store):
    from sotedata.ingest import Limits

    rows = [["Lappi", "H-01", f"outo{i}", "31.10.2026"] for i in range(8)]
    report = import_file(
        store, xlsx({"Tila": [HEADER, *rows]}), "t.xlsx", limits=Limits(max_errors=3)
    )
    assert [e.code for e in report.errors] == ["invalid_status"] * 3 + ["too_many_errors"]
    assert "5" in report.errors[-1].message()


def test_a_new_database_gets_the_roadmap_frame_with_the_first_roadmap_import(db_url):
    with Store.open(db_url) as new:
        report = import_file(new, GOOD, "tila.xlsx")
        # H-01 and I-01 are unknown to an empty database: only the roadmap sheet's X-01 exists
        assert not report.ok
        roadmap_only = xlsx(
            {"Tiekartta": [["Tunnus", "Toimenpide", "Vaihe", "Teema"], ["X-01", "Uusi", 2, "ICT"]]}
        )
        assert import_file(new, roadmap_only, "tiekartta.xlsx").ok
        assert [m.id for m in new.load_roadmap().measures] == ["X-01"]


_CHILD = """
import sys, time
from pathlib import Path
from sotedata.store import db
from sotedata.ingest import import_file
from sotedata.store.engine import Store

real = Store._bulk_insert

def slow(self, connection, table, rows):
    real(self, connection, table, rows)
    if table is db.status_reports:
        print("written", flush=True)
        time.sleep(60)  # killed here, inside the open transaction

Store._bulk_insert = slow
with Store.open(sys.argv[1]) as store:
    import_file(store, Path(sys.argv[2]).read_bytes(), "tila.xlsx")
"""


def test_a_process_killed_in_the_middle_of_an_import_leaves_no_trace(db_url, tmp_path):
    import subprocess
    import sys

    url = db_url
    with Store.open(url) as first:
        first.save_roadmap(ROADMAP)
        before = (_counts(first), len(first.imports()))
    path = tmp_path / "tila.xlsx"
    path.write_bytes(GOOD)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, url, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "written"
    finally:
        child.kill()
        child.wait(timeout=30)
    with Store.open(url) as after:
        assert (_counts(after), len(after.imports())) == before
        assert import_file(after, GOOD, "tila.xlsx").ok  # and the database is usable


def _measure(store, measure_id):
    return next(m for m in store.load_roadmap().measures if m.id == measure_id)


EDIT = xlsx(
    {
        "Tiekartta": [
            ["Tunnus", "Toimenpide", "Vaihe", "Teema", "Kriittinen", "Määräaika"],
            ["H-01", "Hallintosääntö hyväksytty", 2, "ICT", "ei", "30.6.2022"],
        ]
    }
)


def test_revert_puts_back_the_measure_values_an_import_changed(store):
    before = _measure(store, "H-01")
    report = import_file(store, EDIT, "tiekartta.xlsx")
    assert report.ok
    changed = _measure(store, "H-01")
    assert (changed.name, changed.phase, changed.work_stream, changed.critical) == (
        "Hallintosääntö hyväksytty",
        2,
        "ict",
        False,
    )
    assert changed.deadline == D(2022, 6, 30)
    store.revert_import(report.import_id)
    assert _measure(store, "H-01") == before


def test_revert_leaves_a_measure_that_a_later_import_changed_again(store):
    first = import_file(store, EDIT, "tiekartta.xlsx")
    header = ["Tunnus", "Toimenpide", "Vaihe", "Teema"]
    later = xlsx({"Tiekartta": [header, ["H-01", "Kolmas nimi", 3, "ICT"]]})
    assert import_file(store, later, "tiekartta-2.xlsx").ok
    store.revert_import(first.import_id)
    assert _measure(store, "H-01").name == "Kolmas nimi"  # the later edit stands


def test_an_import_that_repeats_a_measure_unchanged_records_no_edit(store):
    same = xlsx(
        {
            "Tiekartta": [
                ["Tunnus", "Toimenpide", "Vaihe", "Teema", "Kriittinen", "Määräaika"],
                ["H-01", "Hallintosäännön valmistelu", 3, "Hallinto", "kyllä", "31.3.2022"],
            ],
            "Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]],
        }
    )
    report = import_file(store, same, "sama.xlsx")
    assert report.ok
    record = store.imports().set_index("id").loc[report.import_id]
    assert record["measure_edits"] is None


def test_a_header_without_rows_stores_nothing_and_says_so(store):
    before = (_counts(store), len(store.imports()))
    report = import_file(store, xlsx({"Tila": [HEADER]}), "tyhja.xlsx")
    assert not report.ok and [e.code for e in report.errors] == ["nothing_to_import"]
    assert (_counts(store), len(store.imports())) == before


def test_a_roadmap_sheet_that_changes_a_measure_is_something_to_import(store):
    assert import_file(store, EDIT, "tiekartta.xlsx").ok


def test_warnings_beyond_the_cap_are_counted_in_one_more_entry(store):
    from sotedata.ingest import Limits

    sheets = {"Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]}
    sheets.update({f"Muistio {i}": [["Muistiinpano"], [f"rivi {i}"]] for i in range(8)})
    report = import_file(store, xlsx(sheets), "t.xlsx", limits=Limits(max_errors=3))
    assert report.ok
    assert [w.code for w in report.warnings] == ["ignored_sheet"] * 3 + ["too_many_warnings"]
    assert "5" in report.warnings[-1].message()
    assert report.to_json()["warnings"][-1]["code"] == "too_many_warnings"


def test_a_risk_sheet_can_close_a_risk_without_scoring_it_again(store):
    header = ["Alue", "Riski", "Todennäköisyys", "Vaikutus", "Tila", "Tilannepäivä"]
    closing = xlsx(
        {"Riskit": [header, ["Lappi", "Rekrytoinnit", "", "", "Suljettu", "31.10.2026"]]}
    )
    report = import_file(store, closing, "riskit.xlsx")
    assert report.ok, [e.render() for e in report.errors]
    last = store.risk_ratings().iloc[-1]
    assert bool(last["closed"]) and (last["likelihood"], last["impact"]) == (2, 3)
    unknown = xlsx({"Riskit": [header, ["Kainuu", "Tuntematon", "", "", "Suljettu", "31.10.2026"]]})
    refused = import_file(store, unknown, "riskit-2.xlsx")
    assert [(e.code, e.cell) for e in refused.errors] == [("unknown_risk_to_close", "E2")]
    odd = xlsx({"Riskit": [header, ["Lappi", "Rekrytoinnit", 2, 3, "ehkä", "31.10.2026"]]})
    assert [(e.code, e.cell) for e in import_file(store, odd, "r.xlsx").errors] == [
        ("invalid_risk_status", "E2")
    ]


def test_the_collector_is_paused_during_an_import_and_restored_after(store, monkeypatch):
    import gc

    seen = []
    original = store.save_import

    def watching(parsed, **kwargs):
        seen.append(gc.isenabled())
        return original(parsed, **kwargs)

    monkeypatch.setattr(store, "save_import", watching)
    assert gc.isenabled()
    assert import_file(store, GOOD, "tila.xlsx").ok
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:  # a caller that had paused it itself keeps it paused
        import_file(store, BAD, "tila.xlsx")
        assert not gc.isenabled()
    finally:
        gc.enable()
