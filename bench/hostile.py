"""Benchmark: every file of the hostile corpus through ``sote import``, beside the limits.

Each file (tests/hostile; the large ones built once into ``BENCH_DIR``, default
``/tmp/sote-hostile``) is imported with ``sote import --json --dry-run`` in its own child
process, one at a time, and the table shows the exit code, the error code it gave (and the one
it should give), the wall seconds (Python's start included) and the child's peak memory
(wait4's ru_maxrss, the xls reader's own child included). Limits (issue 14): exit 1 with a
clear error, under 20 s and 400 MB. Exit status 1 if any file misses them.

    make bench-hostile
    python bench/hostile.py far_cell.xls big_200mb.csv   # only these files
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sotedata.store.engine import Store  # noqa: E402
from tests.hostile.corpus import CASES, PEAK_MB, SECONDS, path_of, run_import  # noqa: E402


def main(names: list[str]) -> int:
    folder = Path(os.environ.get("BENCH_DIR") or "/tmp/sote-hostile")
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'bench.sqlite'}"
    with Store.open(url):
        pass
    cases = [case for case in CASES if not names or case.name in names]
    print(
        f"sote import --json --dry-run, each file in its own process; "
        f"limits: exit 1, the expected error, < {SECONDS:.0f} s, < {PEAK_MB:.0f} MB"
    )
    header = f"{'file':30} {'MB':>7} {'exit':>4} {'error code':22} {'s':>6} {'peak MB':>8}  ok"
    print(header)
    print("-" * len(header))
    failed = 0
    for case in cases:
        path = path_of(case, folder)
        outcome = run_import(path, url)
        code = ",".join(outcome.codes) or "–"
        good = (
            outcome.exit_code == 1
            and outcome.codes == [case.code]
            and outcome.seconds < SECONDS
            and outcome.peak_mb < PEAK_MB
            and "Traceback" not in outcome.stderr
        )
        failed += not good
        note = "" if good else f"  (expected {case.code})"
        print(
            f"{case.name:30} {path.stat().st_size / 1e6:7.1f} {outcome.exit_code:4d} {code:22} "
            f"{outcome.seconds:6.2f} {outcome.peak_mb:8.0f}  {'yes' if good else 'NO'}{note}",
            flush=True,
        )
    print(f"{len(cases) - failed} of {len(cases)} files within the limits")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
