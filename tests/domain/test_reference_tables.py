"""The reference tables the importer reads for real exports: Sotkanet's region ids and the list of
municipal mergers (built and checked by scripts/build_reference_tables.py)."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

from sotedata.domain import areas, municipalities

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "sotedata" / "data"


def _script():
    spec = importlib.util.spec_from_file_location(
        "build_reference_tables", ROOT / "scripts" / "build_reference_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_shipped_tables_pass_their_checks():
    script = _script()
    assert script.check(_rows("sotkanet_regions.csv"), _rows("municipal_mergers.csv")) == []
    assert script.main(["--check"]) == 0


def test_the_check_catches_a_wrong_id_a_missing_county_and_an_unknown_successor():
    script = _script()
    regions, mergers = _rows("sotkanet_regions.csv"), _rows("municipal_mergers.csv")
    wrong = [dict(row, code="092") if row["sotkanet_id"] == "46" else row for row in regions]
    assert any("id 46" in problem for problem in script.check(wrong, mergers))
    no_lapland = [row for row in regions if not (row["code"] == "21" and row["current"] == "1")]
    assert any("counties" in problem for problem in script.check(no_lapland, mergers))
    lost = [
        dict(row, successor_code="999") if row["former_code"] == "532" else row for row in mergers
    ]
    assert any("532" in problem for problem in script.check(regions, lost))


def test_every_current_area_has_one_current_sotkanet_id_and_both_numberings_agree():
    rows = [row for row in _rows("sotkanet_regions.csv") if row["category"] == "HYVINVOINTIALUE"]
    current = {row["code"]: row for row in rows if row["current"] == "1"}
    assert sorted(current) == sorted(area.code for area in areas.all_areas())
    for row in rows:
        area = areas.get(row["code"])
        assert row["name_fi"] == area.name_fi
        # the newer ids list Statistics Finland's code, the older ones the 2021 numbering
        expected = area.code if row["current"] == "1" else area.code_2021
        assert row["sotkanet_code"] == expected, row


def test_sotkanet_municipality_ids_name_current_or_merged_municipalities():
    rows = [row for row in _rows("sotkanet_regions.csv") if row["category"] == "KUNTA"]
    by_code = {row["code"]: row for row in rows}
    assert len(by_code) == len(rows)
    for town in municipalities.all_municipalities():
        assert by_code[town.code]["current"] == "1", town.code
    merged = {row["former_code"] for row in _rows("municipal_mergers.csv")}
    for row in rows:
        if row["current"] == "0":
            assert row["code"] in merged, row
    assert by_code["091"]["sotkanet_id"] == "46"  # Helsinki, as the REST API names it


def test_mergers_since_2000_follow_to_a_current_municipality():
    rows = _rows("municipal_mergers.csv")
    assert all(int(row["year"]) >= 2000 for row in rows)
    assert len({row["former_code"] for row in rows}) == len(rows)
    by_code = {row["former_code"]: row for row in rows}
    assert (by_code["164"]["successor_name"], by_code["164"]["year"]) == ("Kurikka", "2016")
    assert (by_code["099"]["successor_code"], by_code["099"]["year"]) == ("214", "2021")
    assert by_code["413"]["effective"] == "2014-11-26" and by_code["413"]["year"] == "2015"


def test_sotkanet_names_its_municipalities_as_statistics_finland_does_but_koski():
    """The 2013 listing agrees with today's names everywhere but one: Sotkanet calls Koski Tl
    plain "Koski" (as files saved from it do), which the importer must therefore know."""
    differ = {
        row["code"]: row["name_fi"]
        for row in _rows("sotkanet_regions.csv")
        if row["category"] == "KUNTA"
        and row["current"] == "1"
        and municipalities.get(row["code"]).name_fi != row["name_fi"]
    }
    assert differ == {"284": "Koski"}
