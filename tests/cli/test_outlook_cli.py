"""``sote outlook``: the JSON is the Python API's, the table reads, and an imported history in
which an area finishes one measure a month projects the month its last measure is done."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from sotedata.cli import main
from sotedata.store.engine import Store
from sotedata.views.outlook import build_outlook, outlook_json
from tests.support.workbooks import xlsx

AS_OF = date(2022, 6, 15)


def test_the_json_is_the_python_api(demo_db_url, capsys):
    assert main(["outlook", "--json", "--as-of", "2022-06-15", "--db", demo_db_url]) == 0
    printed = json.loads(capsys.readouterr().out)
    with Store.open(demo_db_url) as store:
        expected = outlook_json(build_outlook(store, AS_OF), "fi")
    assert printed == json.loads(json.dumps(expected))
    assert len(printed["areas"]) == 22


def test_the_table_ranks_by_need_and_states_the_weights(demo_db_url, capsys):
    assert main(["outlook", "--as-of", "2022-06-15", "--kieli", "en", "--db", demo_db_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Outlook on 15 Jun 2022, roadmap ends 31 Dec 2022")
    assert "Support need = the sum of the weights: Overdue critical measures: 3 per measure" in out
    assert "areas often catch up before deadlines" in out
    assert "\n1. " in out and "\n22. " in out


def test_a_wrong_date_is_a_usage_error_as_json(demo_db_url, capsys):
    assert main(["outlook", "--json", "--as-of", "15.6.2022", "--db", demo_db_url]) == 2
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "invalid_date"


def test_help_does_not_load_the_outlook():
    code = (
        "import sys; from sotedata.cli import main; main(['--help']);"
        "print('sotedata.cli.outlook' in sys.modules, 'sotedata.rules.outlook' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "outlook" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_one_measure_a_month_projects_the_month_of_the_last(tmp_path, capsys):
    """Done when: an imported history in which Lapland finishes one of its ten measures a month
    (15.1.-15.4.2022) projects its last measure done on 15.10.2022."""
    roadmap = [["Tunnus", "Toimenpide", "Vaihe", "Teema"]]
    roadmap += [[f"X-{i:02d}", f"Toimenpide {i}", 3, "ICT"] for i in range(10)]
    status = [["Hyvinvointialue", "Tunnus", "Tila", "Tilannepäivä"]]
    for month in range(1, 5):
        for i in range(10):
            word = "Valmis" if i < month else "Käynnissä"
            status.append(["21", f"X-{i:02d}", word, f"15.{month}.2022"])
    path = tmp_path / "historia.xlsx"
    path.write_bytes(xlsx({"Tiekartta": roadmap, "Tila": status}))
    url = f"sqlite:///{tmp_path / 'sote.sqlite'}"
    assert main(["import", str(path), "--db", url]) == 0
    capsys.readouterr()
    assert main(["outlook", "--json", "--db", url]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["as_of"] == "2022-04-15" and result["roadmap_end"] == "2022-12-31"
    lapland = next(a for a in result["areas"] if a["code"] == "21")
    assert (lapland["done"], lapland["applicable"]) == (4, 10)
    assert lapland["pace_per_month"] == 1.0
    assert lapland["projected_done_on"] == "2022-10-15"
    assert lapland["band_days"] == 0
    assert lapland["status"] == "on_track"
    others = [a for a in result["areas"] if a["code"] != "21"]
    assert {a["status"] for a in others} == {"off_track"}
    assert {a["reasons"][0]["code"] for a in others} == {"no_progress"}


def test_a_database_without_a_roadmap_has_no_outlook(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'tyhja.sqlite'}"
    assert main(["outlook", "--json", "--db", url]) == 1
    assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "no_data"
