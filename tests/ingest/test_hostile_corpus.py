"""Every file of the hostile corpus (tests/hostile) gives its own clear error, through
``parse_file`` and through ``sote import --json`` in a child process: exit code 1, the expected
code, no traceback, under 20 s of CPU time and 400 MB of peak memory (the child's own, from wait4).
The children are forked from a process that has loaded the command line once
(``tests/support/forked_cli.py``): the start-up is the CLI tests' and ``make bench-hostile``'s.

The budget is CPU time, not the wall clock: on two cores shared by the parallel test workers a
file that takes 15 s alone can take 25 s of wall time while doing the same work. A hang that
uses no CPU is still caught: the wall clock may be at most three times the budget."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from sotedata.cli.imports import JSON_TEXT_LIMIT, capped
from sotedata.domain.model import default_roadmap
from sotedata.ingest import parse_file
from sotedata.store.engine import Store
from tests.hostile.corpus import CASES, FILES, PEAK_MB, SECONDS, Outcome, path_of
from tests.support.forked_cli import forkers

IDS = [case.name for case in CASES]


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    """The large files, built once per session."""
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="session")
def cli_outcomes(corpus_dir) -> dict[str, Outcome]:
    """Every file through ``sote import``, two children at a time (each measured alone)."""
    url = f"sqlite:///{corpus_dir / 'hostile.sqlite'}"
    with Store.open(url):  # the schema once, so that the children only read
        pass
    paths = {case.name: path_of(case, corpus_dir) for case in CASES}
    names = list(paths)
    with forkers(2) as pair, ThreadPoolExecutor(max_workers=2) as pool:

        def run(forker, share: list[str]) -> dict[str, Outcome]:
            return {name: forker.run_import(paths[name], url) for name in share}

        halves = [pool.submit(run, forker, names[i::2]) for i, forker in enumerate(pair)]
        found = {name: outcome for half in halves for name, outcome in half.result().items()}
    return {name: found[name] for name in names}


def test_every_small_file_is_in_the_repository_and_small():
    for case in CASES:
        if not case.large:
            assert (FILES / case.name).stat().st_size < 200_000, case.name
    listed = {case.name for case in CASES}
    assert {path.name for path in FILES.iterdir()} <= listed


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_parse_file_gives_the_expected_error(case, corpus_dir):
    data = path_of(case, corpus_dir).read_bytes()
    started, cpu_started = time.perf_counter(), time.process_time()
    parsed = parse_file(data, case.name, roadmap=default_roadmap(), today=date(2026, 1, 1))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    assert [issue.code for issue in parsed.errors] == [case.code]
    assert not parsed.status_reports and not parsed.measures
    assert cpu < SECONDS and seconds < 3 * SECONDS
    message = parsed.errors[0].render()
    assert "{" not in message and len(message) < 2_000  # formatted, and nothing echoed whole


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sote_import_gives_the_expected_error_within_the_limits(case, cli_outcomes):
    outcome = cli_outcomes[case.name]
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2_000:]
    assert outcome.exit_code == 1, (outcome.exit_code, outcome.stderr[-2_000:])
    assert outcome.codes == [case.code]
    assert 0 < outcome.cpu_seconds < SECONDS and outcome.seconds < 3 * SECONDS
    assert outcome.peak_mb < PEAK_MB
    assert outcome.stdout_bytes < 100_000


def test_the_import_json_cuts_long_texts():
    long = {"errors": [{"message": "x" * 50_000, "row": 3}], "file": "a.xlsx"}
    cut = capped(long)
    assert len(cut["errors"][0]["message"]) == JSON_TEXT_LIMIT
    assert cut["errors"][0]["row"] == 3 and cut["file"] == "a.xlsx"
    assert json.loads(json.dumps(cut)) == cut


def test_the_bench_lists_every_file_beside_the_limits(tmp_path):
    """``make bench-hostile`` on two small files: a row each, with the limits beside."""
    done = subprocess.run(
        [sys.executable, "bench/hostile.py", "encrypted.xlsx", "mixed_encoding.csv"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"BENCH_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any("encrypted.xlsx" in line and "encrypted_file" in line for line in lines)
    assert any("mixed_encoding.csv" in line and "mixed_encoding" in line for line in lines)
    assert "20 s" in done.stdout and "400 MB" in done.stdout


def test_the_corpus_readme_lists_every_file_with_its_code():
    table = (FILES.parent / "README.md").read_text(encoding="utf-8")
    for case in CASES:
        line = next(line for line in table.splitlines() if line.startswith(f"| `{case.name}`"))
        assert f"`{case.code}`" in line


def test_the_cli_refuses_a_file_over_the_limit_by_its_size_without_reading_it(
    tmp_path, monkeypatch, capsys
):
    import hashlib
    from pathlib import Path

    from sotedata.cli import main

    monkeypatch.setenv("SOTE_MAX_UPLOAD_MB", "0,001")
    path = tmp_path / "iso.csv"
    content = b"Alue;Tila\n" + b"Lappi;Valmis\n" * 1_000
    path.write_bytes(content)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read whole"))
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert main(["import", str(path), "--json", "--dry-run", "--db", url]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert [error["code"] for error in printed["errors"]] == ["file_too_large"]
    assert printed["sha256"] == hashlib.sha256(content).hexdigest()
    assert "0,0 Mt" in printed["errors"][0]["message"]  # 13 KB against 1 KB
