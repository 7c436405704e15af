"""The store: schema from the migrations, history kept, every write all or nothing."""

import subprocess
import sys
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sotedata.domain.errors import SoteError
from sotedata.domain.model import Measure, RiskRating, StatusReport, default_roadmap
from sotedata.rules import metrics
from sotedata.store import db
from sotedata.store.engine import Store, head_revision
from sotedata.store.reads import RISK_COLUMNS, STATUS_COLUMNS

D = date
ROADMAP = default_roadmap(
    [
        Measure("H-01", "Hallintosäännön valmistelu", 3, "hallinto", True, D(2022, 3, 31)),
        Measure("I-01", "Tietoliikenneverkko", 3, "ict", False, D(2022, 9, 30)),
        Measure("P-01", "Hoitotakuun seuranta", 3, "palvelut", False, None),
    ]
)


def _report(area, measure, status, day, comment=None):
    return StatusReport(area, measure, status, day, comment)


@pytest.fixture
def store(db_url, tmp_path):
    """A new store on each backend (tests/support/pg.py); on SQLite in a folder that does not exist
    yet."""
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'new' / 'folder' / 'sote.sqlite'}"
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def filled(store):
    store.save_roadmap(ROADMAP)
    store.add_status_reports(
        [
            _report("21", "H-01", "in_progress", D(2022, 1, 15)),
            _report("21", "H-01", "done", D(2022, 3, 15)),
            _report("21", "I-01", "in_progress", D(2022, 3, 15), "Kilpailutus käynnissä."),
            _report("90", "H-01", "not_applicable", D(2022, 1, 15)),
        ],
        source="tila-maaliskuu.xlsx",
    )
    store.add_risk_ratings(
        [
            RiskRating(
                "21",
                "ICT-1",
                "Järjestelmät",
                "ICT",
                4,
                4,
                "Varasuunnitelma",
                "ICT-johtaja",
                D(2022, 1, 15),
            ),
            RiskRating(
                "21",
                "ICT-1",
                "Järjestelmät",
                "ICT",
                2,
                4,
                "Varasuunnitelma",
                "ICT-johtaja",
                D(2022, 4, 15),
            ),
            RiskRating(None, "KANS-1", "Rahoitus", "Talous", 4, 5, None, None, D(2022, 1, 15)),
        ],
        source="riskit.xlsx",
    )
    return store


def _counts(store):
    return len(store.status_reports()), len(store.risk_ratings()), len(store.imports())


def test_the_head_read_from_the_scripts_is_alembics():
    """``Store.open`` compares the database with ``head_revision`` (no Alembic import)."""
    from alembic.script import ScriptDirectory

    from sotedata.store.engine import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [head_revision()]


def test_writing_to_a_database_at_head_loads_neither_alembic_nor_pandas(tmp_path):
    """Issue 17 item 4: ``sote import``'s start-up pays for neither when nothing migrates."""
    url = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    with Store.open(url) as store:
        store.save_roadmap(ROADMAP)
    probe = (
        "import sys\n"
        "from datetime import date\n"
        "from sotedata.domain.model import StatusReport\n"
        "from sotedata.store.engine import Store\n"
        f"with Store.open({url!r}) as store:\n"
        "    store.add_status_reports([StatusReport('21', 'H-01', 'done', date(2022, 3, 1))])\n"
        "print(' '.join(m for m in ('alembic', 'pandas', 'numpy') if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == []
    with Store.open(url) as store:
        assert store.status_summary(["21"]) == [("21", D(2022, 3, 1), 1, "")]


def test_a_new_database_gets_the_schema_at_the_head_revision(tmp_path, store):
    if store.engine.dialect.name == "sqlite":
        assert (tmp_path / "new" / "folder" / "sote.sqlite").is_file()
    assert store.revision() == head_revision() == "0012"
    assert store.is_empty() and not store.is_example()
    assert store.reporting_dates() == []
    assert list(store.status_reports().columns) == STATUS_COLUMNS
    assert list(store.risk_ratings().columns) == RISK_COLUMNS


def test_the_migration_creates_exactly_the_tables_of_db_py(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_the_revisions_go_down_and_up_again_keeping_the_data(filled):
    from alembic import command

    from sotedata.store.engine import alembic_config

    before = filled.status_reports()
    with filled.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0001")
    with filled.engine.begin() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0001"
        command.upgrade(alembic_config(connection), "head")
    assert filled.revision() == "0012"
    assert filled.status_reports().equals(before)
    assert set(filled.imports()["status"]) == {"active"}  # old imports become active ones


def test_status_reports_are_indexed_by_date_by_import_and_by_area_measure_and_date(filled):
    """The indexes serve the queries that exist (ordered reads, reporting dates, a revert's
    delete, and since revision 0010 the newest report of each area × measure on a date)."""
    from sqlalchemy import inspect

    names = {ix["name"] for ix in inspect(filled.engine).get_indexes("status_reports")}
    assert names == {
        "ix_status_reports_reported_on",
        "ix_status_reports_import_id",
        "ix_status_reports_area_measure_date",
    }
    delete = "DELETE FROM status_reports WHERE import_id = 1"
    with filled.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + delete).fetchall()
        else:  # four rows: PostgreSQL would rather scan them unless told not to
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql("EXPLAIN " + delete).fetchall()
    assert "ix_status_reports_import_id" in " ".join(str(row) for row in plan)


def test_opening_again_is_a_no_op_and_returns_equal_data(tmp_path, filled):
    url = filled.url
    before = (filled.load_roadmap(), filled.status_reports(), filled.risk_ratings())
    with Store.open(url) as again:
        assert again.revision() == head_revision()
        assert again.load_roadmap() == before[0]
        assert again.status_reports().equals(before[1])
        assert again.risk_ratings().equals(before[2])


def test_dates_come_back_as_dates_and_codes_as_two_characters(filled):
    reports = filled.status_reports()
    assert all(type(day) is date for day in reports["reported_on"])
    assert set(reports["area_code"]) == {"21", "90"}
    risks = filled.risk_ratings()
    assert all(type(day) is date for day in risks["reported_on"])
    assert filled.reporting_dates() == [D(2022, 1, 15), D(2022, 3, 15)]
    assert filled.load_roadmap().measures[0].deadline == D(2022, 3, 31)


def test_history_is_kept_and_as_of_picks_the_report_of_that_time(filled):
    reports = filled.status_reports()
    assert len(reports) == 4  # the January report is still there
    measures = filled.load_roadmap().measures_frame()
    for as_of, expected in [(D(2022, 2, 1), "in_progress"), (D(2022, 3, 15), "done")]:
        statuses = metrics.status_as_of(measures, reports, as_of, ["21"])
        assert statuses.set_index("measure_id").loc["H-01", "status"] == expected
    early = filled.status_reports(until=D(2022, 2, 1))
    assert early["status"].tolist() == ["in_progress", "not_applicable"]


def test_risk_ratings_keep_every_rating_with_score_and_national_ones(filled):
    risks = filled.risk_ratings()
    assert risks["score"].tolist() == [16, 20, 8]
    assert risks["area_code"].tolist() == ["21", None, "21"]
    assert len(filled.risk_ratings(until=D(2022, 3, 1))) == 2


def test_imports_record_source_kind_and_rows(filled):
    imports = filled.imports()
    assert imports[["kind", "source", "row_count"]].values.tolist() == [
        ["roadmap", "roadmap", 3],
        ["status", "tila-maaliskuu.xlsx", 4],
        ["risks", "riskit.xlsx", 3],
    ]


def test_an_invalid_status_in_a_later_batch_stores_nothing(filled, monkeypatch):
    monkeypatch.setattr(Store, "chunk_size", 2)  # the first rows are written before the error
    before = _counts(filled)

    def reports():
        for status in ("in_progress", "done", "delayed", "valmis"):
            yield _report("21", "I-01", status, D(2022, 5, 15))

    with pytest.raises(ValueError):
        filled.add_status_reports(reports())
    assert _counts(filled) == before


def test_an_unknown_measure_mid_list_is_rejected_and_nothing_is_stored(filled):
    before = _counts(filled)
    batch = [
        _report("21", "I-01", "done", D(2022, 5, 15)),
        _report("21", "X-99", "done", D(2022, 5, 15)),
        _report("21", "P-01", "done", D(2022, 5, 15)),
    ]
    with pytest.raises(SoteError) as error:
        filled.add_status_reports(batch)
    assert error.value.issues[0].code == "database_rejected"
    assert _counts(filled) == before


def test_aland_and_unknown_areas_are_refused(filled):
    before = _counts(filled)
    with pytest.raises(SoteError):
        filled.add_status_reports([_report("91", "I-01", "done", D(2022, 5, 15))])
    with pytest.raises(SoteError):
        filled.add_risk_ratings(
            [RiskRating("23", "R", "t", "Talous", 1, 1, None, None, D(2022, 5, 15))]
        )
    assert _counts(filled) == before


def test_a_failure_inside_a_transaction_undoes_every_write_in_it(filled):
    before = (_counts(filled), filled.load_roadmap(), filled.is_example())
    with pytest.raises(RuntimeError), filled.transaction():
        filled.clear()
        filled.set_dataset(is_example=True)
        filled.save_roadmap(ROADMAP)
        filled.add_status_reports([_report("21", "I-01", "done", D(2022, 5, 15))])
        raise RuntimeError("injected")
    assert (_counts(filled), filled.load_roadmap(), filled.is_example()) == before


def test_saving_a_changed_roadmap_updates_in_place_and_keeps_reports(filled):
    renamed = default_roadmap(
        [
            Measure("H-01", "Hallintosääntö", 3, "hallinto", True, D(2022, 4, 30)),
            Measure("I-01", "Tietoliikenneverkko", 3, "ict", True, D(2022, 9, 30)),
            Measure("P-01", "Hoitotakuun seuranta", 3, "palvelut", False, None),
            Measure("Y-01", "Pelastustoimen sopimukset", 3, "yhdyspinnat", True, None),
        ]
    )
    filled.save_roadmap(renamed)
    assert filled.load_roadmap() == renamed
    assert len(filled.status_reports()) == 4


def test_removing_a_measure_that_has_reports_is_refused(filled):
    smaller = default_roadmap([m for m in ROADMAP.measures if m.id != "H-01"])
    with pytest.raises(SoteError) as error:
        filled.save_roadmap(smaller)
    assert error.value.issues[0].code == "database_rejected"
    assert filled.load_roadmap() == ROADMAP


def test_a_measure_without_reports_can_be_removed(filled):
    smaller = default_roadmap([m for m in ROADMAP.measures if m.id != "P-01"])
    filled.save_roadmap(smaller)
    assert [m.id for m in filled.load_roadmap().measures] == ["H-01", "I-01"]


def test_dataset_flag_and_emptiness(store):
    assert store.dataset() is None
    store.save_roadmap(ROADMAP)
    assert not store.is_empty()
    store.set_dataset(is_example=True, description="Esimerkki")
    assert store.is_example() and store.dataset()["description"] == "Esimerkki"
    store.clear()
    assert store.is_empty() and not store.is_example()


@pytest.mark.parametrize("url", ["nonsense", "nosuchdb://x", "postgresql+nosuchdriver://h/db"])
def test_a_bad_url_is_a_database_unreachable_issue(url):
    with pytest.raises(SoteError) as error:
        Store.open(url)
    issue = error.value.issues[0]
    assert issue.code == "database_unreachable"
    assert issue.params["url"] and issue.params["reason"]
    assert "Tietokantaan" in issue.message()


def test_an_unusable_sqlite_path_is_a_database_unreachable_issue(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(SoteError) as error:
        Store.open(f"sqlite:///{blocker / 'sote.sqlite'}")
    assert error.value.issues[0].code == "database_unreachable"


def test_password_is_hidden_in_messages():
    with pytest.raises(SoteError) as error:
        Store.open("postgresql+nosuchdriver://user:salainen@host/db")
    assert "salainen" not in error.value.issues[0].message()


def test_in_memory_sqlite_keeps_its_data_between_calls():
    with Store.open("sqlite://") as store:
        store.save_roadmap(ROADMAP)
        assert store.load_roadmap() == ROADMAP


def test_the_summary_is_kept_by_every_write_and_revert_on_both_backends(store):
    """status_summary (store/summary.py) is written in the transaction of each batch and revert:
    what it holds then equals a build from every report, on SQLite and PostgreSQL."""
    from sotedata.store import summary

    def kept_equals_rebuilt() -> list[tuple]:
        kept = store.status_summary(["21", "12"])
        with store.transaction() as connection:
            summary.refresh(connection)
        assert store.status_summary(["21", "12"]) == kept
        return kept

    store.save_roadmap(ROADMAP)
    store.add_status_reports(
        [
            _report("21", "H-01", "done", D(2022, 3, 1)),
            _report("21", "I-01", "in_progress", D(2022, 3, 1)),
        ]
    )
    store.add_status_reports([_report("21", "I-01", "not_applicable", D(2022, 1, 1))])
    into_the_past = int(store.imports()["id"].max())
    store.add_status_reports([_report("12", "P-01", "done", D(2022, 2, 1))])
    assert kept_equals_rebuilt() == [
        ("12", D(2022, 2, 1), 1, ""),
        ("21", D(2022, 1, 1), 0, "I-01"),
        ("21", D(2022, 3, 1), 1, ""),
    ]
    store.revert_import(into_the_past)
    assert kept_equals_rebuilt() == [("12", D(2022, 2, 1), 1, ""), ("21", D(2022, 3, 1), 1, "")]
