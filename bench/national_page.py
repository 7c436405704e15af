"""Benchmark: the national page's script time beside an empty page, and the map bytes sent.

Both pages run in the same process with Streamlit's AppTest, so the baseline carries the same
framework overhead; the difference is what our page costs. Run with `make bench`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
EMPTY_PAGE = 'import streamlit as st\nst.title("tyhjä")\n'


def _time_runs(make, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        at = make()
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"page failed: {at.exception[0].message}")
    return times


def main() -> None:
    from streamlit.testing.v1 import AppTest

    from sotedata.demo.generator import load_demo
    from sotedata.store.engine import Store

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        os.environ.update({"SOTE_DATABASE_URL": url, "SOTE_DATA_DIR": folder, "SOTE_OFFLINE": "1"})
        started = time.perf_counter()
        store = Store.open(url)
        load_demo(store)
        store.close()
        demo_seconds = time.perf_counter() - started
        empty = Path(folder) / "empty_page.py"
        empty.write_text(EMPTY_PAGE)

        def page(path: Path):
            return lambda: AppTest.from_file(str(path), default_timeout=120)

        app = ROOT / "app.py"
        cold_app = _time_runs(page(app), 1)
        cold_empty = _time_runs(page(empty), 1)
        app_times = _time_runs(page(app), RUNS)
        empty_times = _time_runs(page(empty), RUNS)

        at = page(app)().run()
        charts = at.get("vega_lite_chart")
        sizes = [
            len(c.proto.spec.encode()) + sum(len(d.data.data) for d in c.proto.datasets)
            for c in charts
        ]

    print(f"example data loaded in {demo_seconds:.2f} s")
    print(f"{'page':<28}{'first run':>12}{'median warm':>14}{'min warm':>11}   (runs={RUNS})")
    for label, cold, warm in (
        ("empty Streamlit page", cold_empty[0], empty_times),
        ("national page (app.py)", cold_app[0], app_times),
    ):
        median = statistics.median(warm)
        print(f"{label:<28}{cold:>11.3f}s{median:>13.3f}s{min(warm):>10.3f}s")
    print(
        f"national page minus empty page (median warm): "
        f"{statistics.median(app_times) - statistics.median(empty_times):.3f} s"
    )
    print(
        "bytes sent per chart (spec + data):", ", ".join(f"{s:,}".replace(",", " ") for s in sizes)
    )
    print(f"map chart: {sizes[0]:,} bytes (target ≤ 51 200)".replace(",", " "))
    print(
        json.dumps(
            {
                "map_bytes": sizes[0],
                "app_median_s": statistics.median(app_times),
                "empty_median_s": statistics.median(empty_times),
            }
        )
    )


if __name__ == "__main__":
    main()
