"""Roles, the checks on every import and revert, and the audit trail written with the change."""

import json
from datetime import date

import pytest

from sotedata.domain.access import Principal, Role, parse_role
from sotedata.domain.errors import SoteError
from sotedata.domain.model import Measure, StatusReport, default_roadmap
from sotedata.ingest import import_file
from sotedata.store import people as accounts
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
ADMIN = Principal.open("paikallinen", channel="cli")
LAPPI = Principal("lapin.valmistelija@example.fi", Role.PREPARER, frozenset({"21"}))
MINISTRY = Principal("virkamies@stm.example.fi", Role.MINISTRY)
READER = Principal("jasen@example.fi", Role.READER)
NOBODY = Principal("vieras@example.fi", None)


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as opened:
        opened.save_roadmap(ROADMAP)
        opened.add_status_reports([StatusReport("21", "H-01", "in_progress", D(2026, 9, 30))])
        yield opened


def _stored(store):
    return len(store.status_reports()), len(store.risk_ratings()), len(store.imports())


# --- the roles themselves -------------------------------------------------------------------


def test_each_role_has_the_rights_the_ministry_described():
    assert (READER.can_read, READER.can_upload, READER.can_manage_users) == (True, False, False)
    assert LAPPI.can_upload and LAPPI.may_report_for("21") and not LAPPI.may_report_for("20")
    assert not LAPPI.may_report_for(None) and not LAPPI.can_change_roadmap
    assert MINISTRY.may_report_for("05") and MINISTRY.may_report_for(None)
    assert MINISTRY.can_change_roadmap and not MINISTRY.can_manage_users
    assert ADMIN.can_manage_users and ADMIN.open_mode
    assert not NOBODY.can_read and not NOBODY.can_export


def test_a_preparer_reverts_only_what_they_could_have_imported():
    assert LAPPI.may_revert({"21"}, changes_roadmap=False)
    assert not LAPPI.may_revert({"21", "20"}, changes_roadmap=False)
    assert not LAPPI.may_revert({"21"}, changes_roadmap=True)
    assert not LAPPI.may_revert({None}, changes_roadmap=False)
    assert ADMIN.may_revert({None, "01"}, changes_roadmap=True)


@pytest.mark.parametrize(
    ("text", "role"),
    [("lukija", Role.READER), ("Ministeriö", Role.MINISTRY), ("ylläpitäjä", Role.ADMIN)],
)
def test_roles_are_named_in_finnish(text, role):
    assert parse_role(text) is role


def test_an_unknown_role_names_the_valid_ones():
    with pytest.raises(SoteError) as caught:
        parse_role("pomo")
    assert "valmistelija" in caught.value.issues[0].suggestion()


# --- imports --------------------------------------------------------------------------------


def test_a_preparers_file_with_another_areas_rows_is_refused_row_by_row(store):
    before = _stored(store)
    data = xlsx(
        {
            "Tila": [
                HEADER,
                ["Lappi", "H-01", "Valmis", "31.10.2026"],
                ["Kainuu", "H-01", "Valmis", "31.10.2026"],
                ["Lappi", "I-01", "Käynnissä", "31.10.2026"],
                ["Pohjois-Pohjanmaa", "I-01", "Käynnissä", "31.10.2026"],
            ]
        }
    )
    report = import_file(store, data, "lappi.xlsx", principal=LAPPI)
    assert not report.ok and report.import_id is None
    assert [(e.code, e.cell) for e in report.errors] == [
        ("area_not_allowed", "A3"),
        ("area_not_allowed", "A5"),
    ]
    assert "Kainuu" in report.errors[0].message() and LAPPI.user in report.errors[0].message()
    assert _stored(store) == before


def test_a_preparers_own_rows_land_and_the_import_is_audited_with_them(store):
    data = xlsx({"Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]})
    report = import_file(store, data, "lappi.xlsx", principal=LAPPI)
    assert report.ok
    log = accounts.audit_log(store)
    assert log.loc[0, "action"] == "import" and log.loc[0, "actor"] == LAPPI.user
    assert log.loc[0, "target"] == str(report.import_id) and log.loc[0, "channel"] == "ui"
    assert json.loads(log.loc[0, "details"])["areas"] == ["21"]
    assert store.imports().set_index("id").loc[report.import_id, "imported_by"] == LAPPI.user


def test_a_reader_may_not_upload_at_all(store):
    data = xlsx({"Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]})
    with pytest.raises(SoteError) as caught:
        import_file(store, data, "lappi.xlsx", principal=READER)
    issue = caught.value.issues[0]
    assert issue.code == "forbidden" and "tiedoston tuonti" in issue.message()
    assert "import" in issue.message("sv") or "import av fil" in issue.message("sv")
    assert len(accounts.audit_log(store)) == 0


def test_a_preparer_may_not_report_a_national_risk(store):
    data = xlsx(
        {
            "Riskit": [
                ["Alue", "Riski", "Todennäköisyys", "Vaikutus", "Tilannepäivä"],
                ["Koko maa", "Rahoitus", 4, 5, "31.10.2026"],
            ]
        }
    )
    report = import_file(store, data, "riskit.xlsx", principal=LAPPI)
    assert [e.code for e in report.errors] == ["national_risk_not_allowed"]
    assert import_file(store, data, "riskit.xlsx", principal=MINISTRY).ok


def test_a_preparers_unchanged_roadmap_sheet_passes_but_a_change_is_refused(store):
    status = [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]
    roadmap_header = ["Tunnus", "Toimenpide", "Vaihe", "Teema", "Kriittinen", "Määräaika"]
    same = [
        roadmap_header,
        ["H-01", "Hallintosäännön valmistelu", 3, "Hallinto", "kyllä", "31.3.2022"],
    ]
    changed = [roadmap_header, ["H-01", "Toinen nimi", 3, "Hallinto", "kyllä", "31.3.2022"]]
    assert import_file(
        store, xlsx({"Tiekartta": same, "Tila": status}), "a.xlsx", principal=LAPPI
    ).ok
    refused = import_file(
        store, xlsx({"Tiekartta": changed, "Tila": status}), "b.xlsx", principal=LAPPI
    )
    assert [(e.code, e.sheet, e.row) for e in refused.errors] == [
        ("roadmap_not_allowed", "Tiekartta", 2)
    ]


# --- reverts and the trail ------------------------------------------------------------------


def test_reverts_follow_the_rights_and_are_audited(store):
    lappi = import_file(
        store, xlsx({"Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]}), "l.xlsx",
        principal=LAPPI,
    )  # fmt: skip
    kainuu = import_file(
        store, xlsx({"Tila": [HEADER, ["Kainuu", "H-01", "Valmis", "31.10.2026"]]}), "k.xlsx",
        principal=MINISTRY,
    )  # fmt: skip
    with pytest.raises(SoteError) as caught:
        accounts.revert_import(store, LAPPI, kainuu.import_id)
    assert caught.value.issues[0].code == "forbidden"
    accounts.revert_import(store, LAPPI, lappi.import_id)
    log = accounts.audit_log(store, action="revert")
    assert log["target"].tolist() == [str(lappi.import_id)]
    assert store.imports().set_index("id").loc[kainuu.import_id, "status"] == "active"


def test_the_import_and_its_audit_row_commit_together_or_not_at_all(store, monkeypatch):
    data = xlsx({"Tila": [HEADER, ["Lappi", "H-01", "Valmis", "31.10.2026"]]})
    before = _stored(store)

    def audit_fails(*args, **kwargs):
        raise RuntimeError("the audit table is full")

    monkeypatch.setattr(accounts, "record", audit_fails)
    with pytest.raises(RuntimeError):
        import_file(store, data, "lappi.xlsx", principal=LAPPI)
    assert _stored(store) == before  # no rows, no import record: nothing without its trail


def test_roles_are_given_changed_and_taken_by_an_administrator_only(store):
    accounts.set_user(store, ADMIN, "lapin.valmistelija@example.fi", "valmistelija", ["Lappi"])
    assert accounts.principal_for(store, LAPPI.user) == Principal(
        LAPPI.user, Role.PREPARER, frozenset({"21"})
    )
    accounts.set_user(store, ADMIN, LAPPI.user, "valmistelija", ["21", "Kainuu"])
    with pytest.raises(SoteError):
        accounts.set_user(store, MINISTRY, "x@example.fi", "yllapitaja")
    with pytest.raises(SoteError) as caught:
        accounts.set_user(store, ADMIN, "y@example.fi", "valmistelija")
    assert caught.value.issues[0].code == "preparer_needs_areas"
    accounts.remove_user(store, ADMIN, LAPPI.user)
    trail = accounts.audit_log(store, action="role")
    assert len(trail) == 3 and set(trail["actor"]) == {"paikallinen"}
    details = [json.loads(d) for d in trail["details"]]
    assert details[0]["after"] is None and details[1]["after"]["areas"] == "20,21"
    assert details[2]["before"] is None


def test_an_unknown_signed_in_person_gets_the_configured_default(store):
    assert accounts.principal_for(store, "new@example.fi").role is Role.READER
    assert accounts.principal_for(store, "new@example.fi", unknown_role="ei").role is None


def test_an_export_is_audited_with_its_filters(store):
    accounts.record_export(store, READER, "status", format="xlsx", areas=["19"])
    row = accounts.audit_log(store).iloc[0]
    assert (row["action"], row["target"], row["actor"]) == ("export", "status", READER.user)
    assert json.loads(row["details"]) == {"areas": ["19"], "format": "xlsx"}
    with pytest.raises(SoteError):
        accounts.record_export(store, NOBODY, "status")
