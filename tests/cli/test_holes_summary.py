"""``sote summary`` on a database of risks without a roadmap, and ``--json`` as one JSON object
for an error too (issue 14)."""

import json
from datetime import date

import pytest

from sotedata.cli import main
from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.model import RiskRating
from sotedata.store.engine import Store


@pytest.fixture
def risks_only(db_url):
    with Store.open(db_url) as store:
        store.add_risk_ratings(
            [
                RiskRating("21", "rekry", "Rekrytoinnit", "", 4, 3, None, None, date(2026, 9, 30)),
                RiskRating("21", "ict", "Järjestelmät", "", 2, 2, None, None, date(2026, 10, 31)),
                RiskRating("16", "talous", "Talous", "", 5, 5, None, None, date(2026, 10, 15)),
            ]
        )
        assert not store.load_roadmap().measures
    return db_url


def _one_object(out: str) -> dict:
    result = json.loads(out)  # raises on anything but exactly one JSON value
    assert isinstance(result, dict)
    return result


def test_summary_of_risks_without_a_roadmap_gives_the_22_areas_and_their_risks(risks_only, capsys):
    assert main(["summary", "--json", "--db", risks_only]) == 0
    result = _one_object(capsys.readouterr().out)
    assert result["as_of"] == "2026-10-31"  # the last rating: there are no status reports
    assert [area["code"] for area in result["areas"]] == list(REFORM_CODES)
    by_code = {area["code"]: area for area in result["areas"]}
    assert all(area["measures"] == 0 and area["done_share"] is None for area in by_code.values())
    assert (by_code["21"]["risks"], by_code["21"]["max_risk"]) == (2, 12)
    assert (by_code["16"]["risks"], by_code["16"]["max_risk"]) == (1, 25)
    assert by_code["01"]["risks"] == 0
    assert result["national"] == {"median_done_share": None, "median_started_share": None}


def test_the_text_summary_of_risks_only_is_a_table_too(risks_only, capsys):
    assert main(["summary", "--db", risks_only, "--kieli", "en"]) == 0
    captured = capsys.readouterr()
    lapland = next(line for line in captured.out.splitlines() if line.startswith("21 "))
    assert "Lapland" in lapland and lapland.split()[-1] == "12" and not captured.err


def test_summary_json_of_a_bad_date_is_one_object_and_exit_2(risks_only, capsys):
    assert main(["summary", "--json", "--as-of", "2026-13-45", "--db", risks_only]) == 2
    captured = capsys.readouterr()
    result = _one_object(captured.out)
    assert result["ok"] is False and [e["code"] for e in result["errors"]] == ["invalid_date"]
    assert "2026-13-45" in result["errors"][0]["message"]


def test_summary_json_of_an_empty_database_is_one_object_and_exit_1(tmp_path, capsys):
    assert main(["summary", "--json", "--db", f"sqlite:///{tmp_path / 'tyhja.sqlite'}"]) == 1
    result = _one_object(capsys.readouterr().out)
    assert result == {"ok": False, "errors": [result["errors"][0]]}
    assert result["errors"][0]["code"] == "no_data" and result["errors"][0]["suggestion"]


def test_summary_json_of_an_unreachable_database_is_one_object_and_exit_1(capsys):
    url = "postgresql+nosuchdriver://u:salasana@h/db"
    assert main(["summary", "--json", "--db", url]) == 1
    captured = capsys.readouterr()
    result = _one_object(captured.out)
    assert [e["code"] for e in result["errors"]] == ["database_unreachable"]
    assert "salasana" not in captured.out + captured.err
