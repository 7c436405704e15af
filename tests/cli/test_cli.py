"""The ``sote`` command: demo, then summary on a new SQLite file, in-process and as a process."""

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from pathlib import Path

import pytest

from sotedata.cli import COMMANDS, main
from sotedata.domain.areas import REFORM_CODES
from sotedata.domain.model import RiskRating, default_roadmap
from sotedata.rules import metrics
from sotedata.store.engine import Store

AREA_KEYS = [
    "code",
    "name",
    "measures",
    "started_share",
    "done_share",
    "critical_started_share",
    "critical_done_share",
    "overdue",
    "delayed",
    "risks",
    "high_risks",
    "max_risk",
]
SHARES = ("started_share", "done_share", "critical_started_share", "critical_done_share")
SOTE = Path(sys.executable).with_name("sote")


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """``sote demo`` once into a new file in a folder that does not exist yet."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'var' / 'sote.sqlite'}"
    code, out, err = _run("demo", "--db", url)
    assert code == 0, err
    return url, out


def test_demo_says_in_finnish_what_it_loaded(loaded):
    _, out = loaded
    assert out.startswith("Esimerkkiaineisto ladattu")
    assert "165 toimenpidettä" in out and "22 aluetta" in out and "12 raportointipäivää" in out


def test_summary_json_has_the_documented_shape(loaded):
    url, _ = loaded
    code, out, err = _run("summary", "--json", "--db", url)
    assert code == 0 and not err
    result = json.loads(out)
    assert list(result) == ["as_of", "areas", "national"]
    assert [area["code"] for area in result["areas"]] == list(REFORM_CODES)
    assert "91" not in {area["code"] for area in result["areas"]}
    for area in result["areas"]:
        assert list(area) == AREA_KEYS
        assert all(0 <= area[key] <= 1 for key in SHARES)
        assert area["measures"] > 0 and isinstance(area["measures"], int)
    assert result["areas"][-1]["name"] == "Helsingin kaupunki"
    assert list(result["national"]) == ["median_done_share", "median_started_share"]


def test_summary_defaults_to_the_last_reporting_date_and_matches_the_api(loaded):
    url, _ = loaded
    _, out, _ = _run("summary", "--json", "--db", url)
    result = json.loads(out)
    with Store.open(url) as store:
        last = store.reporting_dates()[-1]
        expected = metrics.summary(metrics.load_frames(store), last)
    assert result["as_of"] == "2022-12-15" == last.isoformat()
    assert result == json.loads(json.dumps(expected))


def test_summary_as_of_an_earlier_date(loaded):
    url, _ = loaded
    _, out, _ = _run("summary", "--json", "--as-of", "2022-03-01", "--db", url)
    early = json.loads(out)
    _, out, _ = _run("summary", "--json", "--db", url)
    late = json.loads(out)
    assert early["as_of"] == "2022-03-01"
    assert early["national"]["median_done_share"] < late["national"]["median_done_share"]


def test_summary_text_is_a_finnish_table(loaded):
    url, _ = loaded
    code, out, _ = _run("summary", "--db", url)
    assert code == 0
    assert "15.12.2022" in out and "Esimerkkiaineisto" in out
    assert "Lappi" in out and "Ahvenanmaa" not in out
    assert "\u00a0%" in out  # "64 %" with a no-break space
    assert "Koko maan mediaani" in out


def test_a_bad_date_is_exit_2_with_the_finnish_message(loaded):
    url, _ = loaded
    code, out, err = _run("summary", "--as-of", "2022-13-45", "--db", url)
    assert code == 2 and not out
    assert "Päivämäärä ”2022-13-45” ei kelpaa." in err
    assert "Traceback" not in err


def test_an_empty_database_is_no_data(tmp_path):
    code, out, err = _run("summary", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert code == 1 and not out
    assert "Tietokannassa ei ole vielä tiekarttaa" in err and "sote demo" in err


def test_an_unreachable_database_is_an_issue_not_a_traceback():
    code, _, err = _run("summary", "--db", "postgresql+nosuchdriver://u:salasana@h/db")
    assert code == 1
    assert err.startswith("Virhe: Tietokantaan") and "salasana" not in err


def test_demo_if_empty_leaves_a_filled_database_alone(loaded):
    url, _ = loaded
    with Store.open(url) as store:
        before = len(store.imports())
    code, out, _ = _run("demo", "--if-empty", "--db", url)
    assert code == 0 and "ei ladattu" in out
    with Store.open(url) as store:
        assert len(store.imports()) == before


def test_demo_refuses_to_replace_real_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'real.sqlite'}"
    with Store.open(url) as store:
        store.save_roadmap(default_roadmap())
        store.set_dataset(is_example=False, description="Alueiden raportit")
        store.add_risk_ratings(
            [RiskRating("21", "R1", "Riski", "Talous", 2, 2, None, None, date(2022, 1, 15))]
        )
    code, _, err = _run("demo", "--db", url)
    assert code == 1 and "--force" in err
    with Store.open(url) as store:
        assert not store.is_example() and len(store.risk_ratings()) == 1


def test_usage_errors_exit_2_and_room_for_more_commands():
    assert set(COMMANDS) >= {"demo", "summary"}
    assert _run()[0] == 2
    assert _run("nosuchcommand")[0] == 2
    assert _run("summary", "--nosuchoption")[0] == 2


@pytest.mark.skipif(not SOTE.exists(), reason="the console script is not installed")
def test_the_installed_console_script_prints_the_same_json(loaded):
    url, _ = loaded
    completed = subprocess.run(
        [str(SOTE), "summary", "--json", "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    _, out, _ = _run("summary", "--json", "--db", url)
    assert json.loads(completed.stdout) == json.loads(out)


#: what a command loads only when it runs: ``sote --help`` must not wait for any of them
HEAVY = ("pandas", "sqlalchemy", "alembic", "pptx", "altair", "openpyxl", "sotedata.store.engine")


def _loaded_by(argv: list[str]) -> set[str]:
    """The heavy modules a fresh interpreter holds after ``sote ARGV`` printed its help."""
    probe = (
        "import contextlib, io, sys\n"
        "from sotedata.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main({argv!r}) == 0 and 'usage: sote' in out.getvalue()\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return set(completed.stdout.split())


def test_sote_help_loads_no_commands_module():
    """Issue 17: ``sote --help`` is fast because it imports no command's module."""
    assert _loaded_by(["--help"]) == set()


def test_a_commands_help_loads_that_command_and_no_other():
    loaded = _loaded_by(["template", "--help"])
    assert "openpyxl" in loaded  # the template's own library
    assert not {"pptx", "altair"} & loaded  # the meeting pack's and the charts' are not
