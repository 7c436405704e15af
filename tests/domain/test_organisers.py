"""The organiser registry: built from its sources, covering the reform's municipalities."""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

from sotedata.domain import areas, municipalities, organisers

ROOT = Path(__file__).resolve().parents[2]


def _rows() -> list[dict[str, str]]:
    with organisers.ORGANISERS_PATH.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _script():
    spec = importlib.util.spec_from_file_location(
        "build_organisers", ROOT / "scripts/build_organisers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_reform_municipality_has_one_organiser_per_required_service():
    assert organisers.check_coverage(_rows()) == []
    reform = {
        m.code for m in municipalities.all_municipalities() if m.area_code in areas.REFORM_CODES
    }
    types = organisers.load_types()
    per_service: dict[str, Counter[str]] = {}
    for organiser in organisers.registry():
        service = types[organiser.type].service
        per_service.setdefault(service, Counter()).update(organiser.member_codes)
    for service in ("specialised", "basic", "rescue"):
        assert set(per_service[service]) == reform, service
        assert set(per_service[service].values()) == {1}, service
    assert max(per_service["special_care"].values()) == 1


def test_a_municipality_without_a_joint_authority_is_its_own_organiser():
    helsinki = organisers.shipped().by_id["kunta-091"]
    assert helsinki.type == "municipality" and helsinki.member_codes == ("091",)
    assert helsinki.name("sv") == "Helsingfors"


def test_coverage_check_names_a_gap_and_a_double():
    rows = [r for r in _rows() if r["id"] != "pel-lappi"]
    rows.append({"id": "x", "type": "rescue", "member_codes": "091"})
    problems = organisers.check_coverage(rows)
    assert "698: 0 organisers of rescue" in problems
    assert "091: 2 organisers of rescue" in problems


def test_every_code_is_in_the_projects_municipality_table_and_areas_follow_it():
    for organiser in organisers.registry():
        for code in organiser.member_codes:
            assert municipalities.get(code) is not None
        assert organiser.area_codes == organisers.area_codes_of(organiser.member_codes)
        assert set(organiser.area_codes) <= set(areas.REFORM_CODES)


def test_hospital_districts_come_from_the_classification_with_names_written_out():
    lappi = organisers.shipped().by_id["shp-21"]
    assert (
        lappi.name_fi == "Lapin sairaanhoitopiiri"
        and lappi.name("sv") == "Lapplands sjukvårdsdistrikt"
    )
    hus = organisers.shipped().by_id["shp-25"]
    assert set(hus.area_codes) == {"01", "02", "03", "04", "90"}
    assert "91" not in {c for o in organisers.registry() for c in o.area_codes}


def test_area_lists_its_organisers_by_type():
    found = organisers.shipped().of_area("21")
    ids = [o.id for o in found]
    assert ids[:2] == ["shp-21", "shp-20"] or set(ids[:2]) == {"shp-20", "shp-21"}
    assert "pel-lappi" in ids and ids[-1] == "pel-lappi"


def test_find_by_id_or_name_in_either_language():
    registry = organisers.shipped()
    assert [o.id for o in registry.find("Lapin pelastuslaitos")] == ["pel-lappi"]
    assert [o.id for o in registry.find("lapplands räddningsverk")] == ["pel-lappi"]
    assert [o.id for o in registry.find("pel-lappi")] == ["pel-lappi"]
    assert registry.find("Ei tällaista") == []


def test_topics_are_data_in_three_languages():
    keys = [t.key for t in organisers.topics()]
    assert keys == ["agreements", "staff", "premises", "ict_archives", "assets"]
    assert organisers.topic_key("ICT ja arkistot") == "ict_archives"
    assert organisers.topic_key("Personal") == "staff"
    assert organisers.topic_key("nothing") is None


def test_the_script_rebuilds_the_shipped_files_unchanged(tmp_path, monkeypatch):
    script = _script()
    monkeypatch.setattr(script, "ORGANISERS_PATH", tmp_path / "o.csv")
    monkeypatch.setattr(script, "MEMBERS_PATH", tmp_path / "m.csv")
    assert script.main([]) == 0
    assert (tmp_path / "o.csv").read_text(encoding="utf-8") == organisers.ORGANISERS_PATH.read_text(
        encoding="utf-8"
    )
    assert (tmp_path / "m.csv").read_text(encoding="utf-8") == organisers.MEMBERS_PATH.read_text(
        encoding="utf-8"
    )


def test_the_script_refuses_a_member_that_is_no_municipality():
    script = _script()
    problems: list[str] = []
    script.expand_members("999 area:21 -091", {"21": ["698"]}, problems)
    assert "unknown municipality '999'" in problems and any("-091" in p for p in problems)


def test_rescue_areas_follow_the_classification_with_the_2021_moves():
    rescue = [o for o in organisers.registry() if o.type == "rescue"]
    members = {o.id: set(o.member_codes) for o in rescue}
    assert len(members) == 22
    # 1.1.2021 (SM tiedote 70/2020): Vaala to Oulu-Koillismaa, Isokyrö to Etelä-Pohjanmaa, …
    assert "785" in members["pel-oulu-koillismaa"] and "785" not in members["pel-kainuu"]
    assert "152" in members["pel-etela-pohjanmaa"] and "291" in members["pel-pirkanmaa"]
    # the Jakobstad region (seutukunta 154), Kruunupyy included, with Keski-Pohjanmaa
    assert {"288", "440", "598", "599", "893"} <= members["pel-keski-pohjanmaa"]
    assert not {"288", "598"} & members["pel-pohjanmaa"]
    assert members["pel-keski-uusimaa"] == {"092", "106", "186", "245", "505", "543", "611", "858"}
    approximate = {o.id for o in rescue if o.approximate}
    assert approximate == {"pel-oulu-koillismaa", "pel-jokilaaksot"}


def test_a_rescue_rule_names_what_the_classification_lacks():
    script = _script()
    key = script._read(script.KEY_FILE)
    reform = {m.code for m in municipalities.all_municipalities() if m.area_code != "91"}
    problems: list[str] = []
    assert script.expand_rule("maakunta:18 -seutukunta:999", key, reform, problems) == sorted(
        row["municipality_code"] for row in key if row["maakunta_code"] == "18"
    )
    assert script.expand_rule("kunta:091", key, reform, problems) == []
    assert script.expand_rule("maakunta:21", key, reform, problems) == []  # Åland: outside
    assert len(problems) == 3


def test_every_hand_kept_row_not_flagged_approximate_names_a_public_source():
    script = _script()
    rows = script._read(script.HAND_KEPT_FILE)
    checked = [r for r in rows if r["approximate"] == "no"]
    assert checked, "no hand-kept row is checked against a source"
    for row in checked:
        assert "https://" in row["source"] or "http://" in row["source"], row["id"]
        assert "remembered" not in row["source"], row["id"]
    assert {r["approximate"] for r in rows} <= {"yes", "no"}
    flagged = {o.id for o in organisers.registry() if o.approximate and o.id.startswith("ky-")}
    assert flagged == {
        r["id"] for r in rows if r["approximate"] == "yes" and r["id"].startswith("ky-")
    }


def test_hand_kept_memberships_follow_their_sources():
    registry = organisers.shipped()
    basic = {
        code: o.id
        for o in registry.organisers
        if o.type in ("social_health", "municipality")
        for code in o.member_codes
    }
    assert basic["620"] == "kunta-620"  # Puolanka: Kainuun sote for specialised care only
    assert basic["288"] == "ky-soite"  # Kruunupyy's services were Soite's, not Pohjanmaa's
    assert basic["905"] == basic["598"] == "ky-pohjanmaa"
    assert basic["681"] == "kunta-681" and basic["740"] == "ky-sosteri"  # Rantasalmi, Savonlinna
    assert basic["111"] == "kunta-111" and basic["142"] == "ky-phhyky"  # Heinola, Iitti
    # Kessote organised all services of its four members from 1.1.2021 (nakkila.fi, 2020)
    kessote = registry.by_id["ky-kessote"]
    assert set(kessote.member_codes) == {"051", "079", "271", "531"} and not kessote.approximate
    # PoSa and Raahe's joint authority: members from partial pages, so flagged
    assert registry.by_id["ky-posa"].approximate and basic["608"] == "ky-posa"  # Pomarkku
    assert basic["484"] == "kunta-484"  # Merikarvia: Pori's host-municipality area, its own
    assert registry.by_id["ky-raahe"].approximate and basic["748"] == "ky-raahe"
