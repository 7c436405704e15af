"""Benchmark: importing a 50 000-row status workbook beside merely reading it, as whole processes.

The workbook is long form (Hyvinvointialue, Tunnus, Toimenpide, Tila, Tilannepäivä, Kommentti):
the example roadmap's 165 measures × 22 areas × monthly reports. Twelve months give 43 560 rows,
so the reports run on for 14 months (15.1.2022–15.2.2023) and the file is cut at 50 000 rows.

Each is a fresh process, timed from its start to its end as a user meets it (Python's start-up and
its imports included), with its own peak memory (ru_maxrss) and CPU time (user + system: on a
shared, busy machine the CPU time moves less than the wall time, so the ratios are given by both):

* ``sote import``: the command line into a new SQLite database holding the roadmap (the database
  is made before the clock starts) — read, measured, validated and stored in one transaction;
* ``pandas-openpyxl``: ``pandas.read_excel(path, engine="openpyxl")``, nothing else;
* ``calamine``: python-calamine alone reading the sheet into Python lists (the reading floor);
* ``sote --help``: the command line's start-up.

The runs alternate (a busy moment of the machine hits all alike); the figures are medians with the
spread (min–max) beside them, the ratios the median of each run's own ratio. Targets (issue 17):
``sote import`` ≤ 0.1 × pandas-openpyxl, peak memory ≤ 300 MB, ``sote --help`` < 0.5 s. Run with
``make bench-import``; ``BENCH_ROWS`` changes the size, ``BENCH_RUNS`` the runs (3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MONTHS = 14
TARGET_RATIO = 0.1  # sote import's time / pandas-openpyxl's
TARGET_MB = 300
TARGET_HELP_SECONDS = 0.5

_PANDAS = "import sys, pandas; pandas.read_excel(sys.argv[1], engine='openpyxl')"
_CALAMINE = (
    "import sys, python_calamine as c; "
    "c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()"
)


def _dates() -> list[date]:
    return [date(2022 + (m - 1) // 12, (m - 1) % 12 + 1, 15) for m in range(1, MONTHS + 1)]


def build_workbook(path: Path, rows: int) -> int:
    """The long-form status workbook (write-only openpyxl); returns the data rows written."""
    from openpyxl import Workbook

    from sotedata.demo.generator import build_demo
    from sotedata.domain import areas

    demo = build_demo()
    latest: dict[tuple[str, str], tuple[str, str | None]] = {}
    by_date: dict[date, dict[tuple[str, str], tuple[str, str | None]]] = {}
    for report in demo.status_reports:
        by_date.setdefault(report.reported_on, {})[(report.area_code, report.measure_id)] = (
            report.status.label("fi"),
            report.comment,
        )
    names = {a.code: a.name_fi for a in areas.reform_areas()}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tilanne")
    sheet.append(["Hyvinvointialue", "Tunnus", "Toimenpide", "Tila", "Tilannepäivä", "Kommentti"])
    written = 0
    for day in _dates():
        reported = by_date.get(date(2022, day.month, 15) if day.year == 2022 else None, {})
        for code in areas.REFORM_CODES:
            for measure in demo.roadmap.measures:
                key = (code, measure.id)
                status, comment = reported.get(key) or latest.get(key) or ("Ei koske", None)
                if key in reported:
                    latest[key] = reported[key]
                if written == rows:
                    break
                sheet.append(
                    [names[code], measure.id, measure.name, status, datetime(*day.timetuple()[:3]),
                     comment]
                )  # fmt: skip
                written += 1
    book.save(path)
    return written


@dataclass(frozen=True)
class Run:
    """One process: wall seconds from start to exit, CPU seconds (user + system), peak MB."""

    seconds: float
    cpu: float
    peak_mb: float
    out: str


#: runs each command it is sent (one JSON list a line) and answers with one JSON line. The timed
#: processes are started by this small process, not by the benchmark's own, which holds the demo
#: and the workbook: on Linux a child's peak memory counts what its parent held when it forked.
_RUNNER = """
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    args = json.loads(line)
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        print(json.dumps([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                          child.returncode, output.read()]), flush=True)
"""


class Runner:
    """The small process that starts and measures the timed ones (see ``_RUNNER``)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip

    def run(self, args: list[str]) -> Run:
        """Wall seconds, CPU seconds and peak MB of ``args`` run to its end (os.wait4)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(args) + "\n")
        self.process.stdin.flush()
        seconds, cpu, peak_mb, code, out = json.loads(self.process.stdout.readline())
        if code != 0:
            raise SystemExit(f"{args[:3]} failed (exit {code}):\n{out[-3000:]}")
        return Run(seconds, cpu, peak_mb, out)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def _fresh_db(folder: Path, name: str) -> str:
    from sotedata.demo.generator import example_roadmap
    from sotedata.store.engine import Store

    url = f"sqlite:///{folder / name}"
    with Store.open(url) as store:
        store.save_roadmap(example_roadmap())
    return url


def _spread(runs: list[Run]) -> str:
    times = sorted(run.seconds for run in runs)
    return f"{times[0]:.2f}–{times[-1]:.2f}"


def _line(name: str, runs: list[Run], pandas: list[Run] | None = None) -> str:
    wall = median(run.seconds for run in runs)
    cpu = median(run.cpu for run in runs)
    peak = max(run.peak_mb for run in runs)
    text = f"{name:18}{wall:>8.2f} s {_spread(runs):>12}{cpu:>9.2f} s{peak:>9.0f} MB"
    if pandas is not None:
        ratio = median(run.seconds / base.seconds for run, base in zip(runs, pandas, strict=True))
        cpu_ratio = median(run.cpu / base.cpu for run, base in zip(runs, pandas, strict=True))
        text += f"{ratio:>9.3f} ×{cpu_ratio:>8.3f} ×"
    return text


def main() -> None:
    runner = Runner()  # first, while this process is still small
    python = sys.executable
    sote = str(Path(python).parent / "sote")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "tilanne_50000.xlsx"
        started = time.perf_counter()
        written = build_workbook(path, ROWS)
        build_seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6

        imports: list[Run] = []
        reads: list[Run] = []
        floors: list[Run] = []
        helps: list[Run] = []
        for run in range(RUNS):
            url = _fresh_db(folder, f"run{run}.db")
            imports.append(runner.run([sote, "import", str(path), "--json", "--db", url]))
            reads.append(runner.run([python, "-c", _PANDAS, str(path)]))
            floors.append(runner.run([python, "-c", _CALAMINE, str(path)]))
            helps.append(runner.run([sote, "--help"]))
        runner.close()
    stored = json.loads(imports[-1].out)
    if not stored["ok"] or stored["counts"]["status"] != written:
        raise SystemExit(f"the benchmark file was not imported whole: {stored['errors'][:3]}")

    print(f"workbook: {written} rows, {size_mb:.1f} MB, built in {build_seconds:.1f} s")
    print(f"{RUNS} runs, each a whole process; wall time median and spread, CPU = user + system")
    print(f"{'whole process':18}{'median':>10}{'min–max':>13}{'CPU':>11}{'peak':>12}"
          f"{'÷ pandas':>11}{'CPU ÷':>9}")  # fmt: skip
    print(_line("pandas-openpyxl", reads, reads))
    print(_line("calamine alone", floors, reads))
    print(_line("sote import", imports, reads))
    print(_line("sote --help", helps))
    ratio = median(run.seconds / base.seconds for run, base in zip(imports, reads, strict=True))
    peak = max(run.peak_mb for run in imports)
    help_seconds = median(run.seconds for run in helps)
    for met, what in (
        (ratio <= TARGET_RATIO, f"sote import ≤ {TARGET_RATIO} × pandas-openpyxl ({ratio:.3f} ×)"),
        (peak <= TARGET_MB, f"sote import peak ≤ {TARGET_MB} MB ({peak:.0f} MB)"),
        (help_seconds < TARGET_HELP_SECONDS, f"sote --help < {TARGET_HELP_SECONDS} s "
         f"({help_seconds:.2f} s)"),
    ):  # fmt: skip
        print(f"target {'met' if met else 'NOT met'}: {what}")


if __name__ == "__main__":
    main()
