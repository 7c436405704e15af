"""Every right is a question asked of ``domain/access.py``: the answers per role, and the Protocols
that say what the rules and the store read, checked against the classes that answer them."""

import inspect
import typing

import pytest

from sotedata.domain import ports
from sotedata.domain.access import Principal, Role, check_role_areas
from sotedata.domain.errors import SoteError
from sotedata.domain.i18n import t
from sotedata.ingest.report import ParsedFile
from sotedata.store.batch import ImportBatch
from sotedata.store.engine import Store

OPEN = Principal.open("paikallinen")
ADMIN = Principal("yllapito@example.fi", Role.ADMIN)
MINISTRY = Principal("virkamies@stm.example.fi", Role.MINISTRY)
LAPPI = Principal("lapin.valmistelija@example.fi", Role.PREPARER, frozenset({"21"}))
READER = Principal("jasen@example.fi", Role.READER)
NOBODY = Principal("vieras@example.fi", None)
VISITOR = Principal.visitor()
EVERYONE = (OPEN, ADMIN, MINISTRY, LAPPI, READER, NOBODY, VISITOR)


def _who(question: str) -> set[str]:
    return {f"{p.user}:{p.role}" for p in EVERYONE if getattr(p, question)}


def _as(*people: Principal) -> set[str]:
    return {f"{p.user}:{p.role}" for p in people}


def test_the_audit_trail_is_read_by_the_ministry_and_administrators_only():
    """The administration page, its menu entry, the tables' audit table and the CLI's export of
    it all ask this one question; the open mode is an administrator's."""
    assert _who("can_read_audit") == _as(OPEN, ADMIN, MINISTRY)


def test_only_an_administrator_replaces_data_or_reverts_anything():
    assert _who("can_replace_data") == _as(OPEN, ADMIN)
    assert _who("can_revert_any") == _as(OPEN, ADMIN)
    assert ADMIN.may_revert(["01", None], changes_roadmap=True)


def test_only_a_preparer_leaves_others_indicator_descriptions_alone():
    everyone_else = _as(*(p for p in EVERYONE if p is not LAPPI))
    assert _who("can_replace_indicator_metadata") == everyone_else


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_role_is_named_in_the_page_language_and_no_role_as_such(lang):
    assert READER.role_label(lang) == Role.READER.label(lang) == t("role.lukija", lang)
    assert NOBODY.role_label(lang) == t("access.no_role", lang) != READER.role_label(lang)


def test_a_preparer_needs_areas_and_only_a_preparer_has_them():
    check_role_areas("a", Role.PREPARER, ["21"])
    check_role_areas("b", Role.MINISTRY, [])
    with pytest.raises(SoteError) as missing:
        check_role_areas("a", Role.PREPARER, [])
    assert missing.value.issues[0].code == "preparer_needs_areas"
    with pytest.raises(SoteError) as extra:
        check_role_areas("b", Role.READER, iter(["21"]))
    assert extra.value.issues[0].code == "areas_only_for_preparers"


def _methods(protocol: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(protocol).items()
        if callable(member) and not name.startswith("_")
    }


@pytest.mark.parametrize("protocol", [ports.ReformSource, ports.IndicatorSource])
def test_the_store_answers_every_read_a_rule_asks_for(protocol):
    for name, wanted in _methods(protocol).items():
        found = inspect.signature(getattr(Store, name))
        assert list(found.parameters) == list(wanted.parameters), name
        for parameter in wanted.parameters.values():
            assert found.parameters[parameter.name].default == parameter.default, name


def test_an_importers_parsed_file_is_what_the_store_saves():
    """``Store.save_import`` reads an ``ImportBatch``; the importer's ``ParsedFile`` must carry
    every field of it (a field renamed on one side fails here, not in the middle of an import)."""
    wanted = {
        name
        for name, member in vars(ImportBatch).items()
        if isinstance(member, property) or (callable(member) and not name.startswith("_"))
    }
    assert wanted >= {"filename", "sha256", "grants", "notes", "kept_metadata", "counts"}
    parsed = ParsedFile("a.csv", "0" * 64)
    missing = {name for name in wanted if not hasattr(parsed, name)}
    assert not missing
    hints = typing.get_type_hints(ImportBatch.counts)
    assert isinstance(parsed.counts(), hints["return"].__origin__)
