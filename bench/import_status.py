"""Benchmark: importing a 50 000-row status workbook beside pandas merely reading it.

The workbook is long form (Hyvinvointialue, Tunnus, Toimenpide, Tila, Tilannepäivä, Kommentti):
the example roadmap's 165 measures × 22 areas × monthly reports. Twelve months give 43 560 rows,
so the reports run on for 14 months (15.1.2022–15.2.2023) and the file is cut at 50 000 rows.

In the same run, each in a fresh child process so that peak memory (ru_maxrss) is its own:

* ``import``: ``import_file`` into a temporary SQLite database holding the roadmap — read,
  validated and stored in one transaction (the time excludes starting Python);
* ``sote import``: the same through the command line, as a user runs it (wall time, startup in);
* ``pandas``: ``pandas.read_excel(path, engine="openpyxl")`` of the same file, nothing else.

Target (issue 4): import ≤ 1/5 of the pandas read time, peak memory < 300 MB. Run with
``make bench-import``; ``BENCH_ROWS`` changes the size, ``BENCH_RUNS`` the runs (median, 3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROWS = int(os.environ.get("BENCH_ROWS", "50000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
MONTHS = 14
TARGET_RATIO = 5.0
TARGET_MB = 300

_CHILD_IMPORT = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from sotedata.ingest import import_file
from sotedata.store.engine import Store
path, url = sys.argv[1], sys.argv[2]
data = Path(path).read_bytes()
with Store.open(url) as store:
    start = time.perf_counter()
    report = import_file(store, data, Path(path).name)
    seconds = time.perf_counter() - start
errors = [e.render() for e in report.errors[:3]]
print(json.dumps({{"seconds": seconds, "ok": report.ok, "status": report.counts["status"],
                  "errors": errors,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

_CHILD_PANDAS = """
import json, resource, sys, time
import pandas as pd
start = time.perf_counter()
frame = pd.read_excel(sys.argv[1], engine="openpyxl")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": len(frame),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_CHILD_BASELINE = """
import json, resource, sys
sys.path.insert(0, {root!r})
import pandas, sotedata.ingest, sotedata.store.engine, openpyxl  # what both children load anyway
print(json.dumps({{"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


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


def _child(script: str, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _median(results: list[dict]) -> dict:
    """The run with the median time (its own memory figure beside it)."""
    ordered = sorted(results, key=lambda r: r["seconds"])
    median = dict(ordered[len(ordered) // 2])
    median["all"] = [round(r["seconds"], 2) for r in results]
    median["peak_mb"] = max(r["peak_mb"] for r in results)
    return median


def _fresh_db(folder: Path, name: str) -> str:
    from sotedata.demo.generator import example_roadmap
    from sotedata.store.engine import Store

    url = f"sqlite:///{folder / name}"
    with Store.open(url) as store:
        store.save_roadmap(example_roadmap())
    return url


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "tilanne_50000.xlsx"
        started = time.perf_counter()
        written = build_workbook(path, ROWS)
        build_seconds = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6

        # alternate the two so that a busy moment of the machine hits both alike; medians
        imports, reads = [], []
        for run in range(RUNS):
            url = _fresh_db(folder, f"run{run}.db")
            imports.append(_child(_CHILD_IMPORT.format(root=str(ROOT)), str(path), url))
            reads.append(_child(_CHILD_PANDAS, str(path)))
        imported = _median(imports)
        read = _median(reads)
        if not imported["ok"]:
            raise SystemExit(f"the benchmark file was rejected: {imported['errors']}")
        sote = Path(sys.executable).parent / "sote"
        cli_url = _fresh_db(folder, "b.db")
        started = time.perf_counter()
        cli = subprocess.run(
            [str(sote), "import", str(path), "--db", cli_url], capture_output=True, text=True
        )
        cli_seconds = time.perf_counter() - started
        baseline = _child(_CHILD_BASELINE.format(root=str(ROOT)))

    ratio = read["seconds"] / imported["seconds"]
    print(f"workbook: {written} rows, {size_mb:.1f} MB, built in {build_seconds:.1f} s")
    print(f"{'':34}{'time':>10}{'peak RSS':>12}")
    print(
        f"{'import_file (read+validate+store)':34}{imported['seconds']:>9.2f}s"
        f"{imported['peak_mb']:>10.0f} MB"
    )
    cli_note = "" if cli.returncode == 0 else f"  (exit {cli.returncode})"
    print(f"{'sote import (CLI, startup incl.)':34}{cli_seconds:>9.2f}s{'':>12}{cli_note}")
    print(f"{'pandas.read_excel(openpyxl)':34}{read['seconds']:>9.2f}s{read['peak_mb']:>10.0f} MB")
    print(f"{'python + pandas + sotedata loaded':34}{'':>10}{baseline['peak_mb']:>10.0f} MB")
    print(f"status values stored: {imported['status']}; pandas read {read['rows']} rows")
    print(f"runs (s): import {imported['all']}, pandas {read['all']}; medians above, peak = max")
    print(f"ratio pandas/import: {ratio:.1f} × (target ≥ {TARGET_RATIO:.0f} ×)")
    verdict = ratio >= TARGET_RATIO and imported["peak_mb"] < TARGET_MB
    print(
        f"target {'met' if verdict else 'NOT met'}: ≥ {TARGET_RATIO:.0f} × faster, < {TARGET_MB} MB"
    )


if __name__ == "__main__":
    main()
