"""Benchmark (`make bench`): do the pages stay fast in a meeting, at any length of history?

In one process, with Streamlit's AppTest, three pages are timed side by side, so every figure
carries the same framework overhead:

* **naive map**: ``bench/naive_map_page.py``, the issue's baseline: the raw, unsimplified
  boundaries read, reprojected and drawn as an Altair map on every run, with no cache at all;
* **national page**: ``app.py`` as it opens;
* **area page**: ``app.py`` on the area page of Pohjois-Pohjanmaa (``?alue=19``).

Each page is timed at the example history (1x) and at the example history copied back in time
32 times (1.4 M status reports; the databases are built through the store's own write path by
``bench/history.py`` and kept under ``var/bench/``), three ways:

* **first**: a new session after ``st.cache_data.clear()``: what the first person after a data
  change pays (the store and the boundaries, kept for the server's life, are already there);
* **open**: a new session with the caches warm: someone opening the page a moment later;
* **rerun**: the same session run again: a click in the meeting.

Every cell is the median of its runs with the spread (min-max); runs alternate between the pages
so that a busy moment on a shared machine hits them alike. Then the targets of issue 17: a warm
page (open and rerun) at most 0.3x the naive map, and each page's figures at 32x at most 1.5x its
figures at 1x. ``--profile [LINES] [--page area]`` prints where a warm rerun of
the national (or area) page spends its time.
Environment: ``BENCH_RUNS`` (first runs, default 3), ``BENCH_RERUNS`` (default 5),
``BENCH_COPIES`` (default ``1,32``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import streamlit as st  # noqa: E402
from history import build  # noqa: E402  (bench/history.py: the long history, built once)
from streamlit.testing.v1 import AppTest  # noqa: E402

# not Streamlit's warnings that st.cache_data is cleared outside a page run (the bench does that)
for _name in ("scriptrunner_utils.script_run_context", "caching.cache_data_api"):
    logging.getLogger(f"streamlit.runtime.{_name}").disabled = True
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "3")))
RERUNS = max(1, int(os.environ.get("BENCH_RERUNS", "5")))
COPIES = [int(n) for n in os.environ.get("BENCH_COPIES", "1,32").split(",")]
APP = str(ROOT / "app.py")
NAIVE = str(BENCH / "naive_map_page.py")
AREA = "19"
KINDS = ("first", "open", "rerun")
WARM_SHARE = 0.3  # a warm page at most this share of the naive map
GROWTH = 1.5  # a page at 32x history at most this times its figure at 1x
MAP_BYTES = 51_200  # the national map's spec and data (an earlier issue's target)


def naive() -> AppTest:
    return AppTest.from_file(NAIVE, default_timeout=300)


def national() -> AppTest:
    return AppTest.from_file(APP, default_timeout=300)


def area() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.switch_page("pages/area.py")
    at.query_params["alue"] = AREA
    return at


PAGES: dict[str, Callable[[], AppTest]] = {
    "naive map": naive,
    "national page": national,
    "area page": area,
}


def timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"page failed: {at.exception[0].message}")
    return seconds


def measure(url: str) -> dict[str, dict[str, list[float]]]:
    """Each page's first, open and rerun times on the database at ``url``."""
    os.environ["SOTE_DATABASE_URL"] = url
    times = {page: {kind: [] for kind in KINDS} for page in PAGES}
    for make in PAGES.values():
        timed_run(make())  # imports, the store, the boundaries: paid once per server
    for _ in range(RUNS):
        for page, make in PAGES.items():
            st.cache_data.clear()
            times[page]["first"].append(timed_run(make()))
    for _ in range(RERUNS):
        for page, make in PAGES.items():
            at = make()
            times[page]["open"].append(timed_run(at))
            times[page]["rerun"].append(timed_run(at))
    return times


def map_bytes() -> int:
    """What the national map sends to the browser: its spec and its data."""
    at = national()
    timed_run(at)
    chart = at.get("vega_lite_chart")[0]
    return len(chart.proto.spec.encode()) + sum(len(d.data.data) for d in chart.proto.datasets)


def profile(url: str, lines: int, page: str) -> None:
    """cProfile of one warm rerun of ``page``, the costliest calls first."""
    os.environ["SOTE_DATABASE_URL"] = url
    at = PAGES[f"{page} page"]()
    timed_run(at)
    timed_run(at)
    profiler = cProfile.Profile()

    def start(*_: object) -> None:  # AppTest runs the page in a thread of its own: profile that
        sys.setprofile(None)
        profiler.enable()

    threading.setprofile(start)
    try:
        timed_run(at)
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(lines)


def _cell(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.2f}-{max(values):.2f})"


def _verdict(value: float, limit: float) -> str:
    return f"{value:.2f}x (target <= {limit}x: {'met' if value <= limit else 'NOT met'})"


def report(results: dict[int, dict[str, dict[str, list[float]]]], sent: int) -> dict:
    """Prints the table and the targets; returns the medians for the JSON line."""
    base, top = COPIES[0], COPIES[-1]
    print(f"\nseconds per run: median (min-max); first x{RUNS}, open and rerun x{RERUNS}")
    header = f"{'page':<15}{'run':<7}" + "".join(f"{f'{n}x history':>24}" for n in COPIES)
    if len(COPIES) > 1:
        header += f"{f'{top}x / {base}x':>12}"
    print(header)
    medians: dict = {}
    for page in PAGES:
        for kind in KINDS:
            line = f"{page:<15}{kind:<7}"
            for copies in COPIES:
                values = results[copies][page][kind]
                line += f"{_cell(values):>24}"
                medians.setdefault(page, {}).setdefault(kind, {})[f"{copies}x"] = round(
                    statistics.median(values), 4
                )
            if len(COPIES) > 1:
                growth = statistics.median(results[top][page][kind]) / statistics.median(
                    results[base][page][kind]
                )
                line += f"{growth:>11.2f}x"
            print(line)
    print("\ntargets")
    for copies in COPIES:
        naive_values = results[copies]["naive map"]["open"] + results[copies]["naive map"]["rerun"]
        baseline = statistics.median(naive_values)
        for page in ("national page", "area page"):
            for kind in ("open", "rerun"):
                share = statistics.median(results[copies][page][kind]) / baseline
                print(f"  {copies}x {page}, warm {kind} / naive map: {_verdict(share, WARM_SHARE)}")
    if len(COPIES) > 1:
        for page in ("national page", "area page"):
            for kind in KINDS:
                growth = statistics.median(results[top][page][kind]) / statistics.median(
                    results[base][page][kind]
                )
                print(f"  {page} {kind}, {top}x / {base}x history: {_verdict(growth, GROWTH)}")
    verdict = "met" if sent <= MAP_BYTES else "NOT met"
    print(f"  national map sent: {sent:,} bytes (target <= 51 200: {verdict})".replace(",", " "))
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--profile", type=int, nargs="?", const=40, metavar="LINES", help="profile a warm rerun"
    )
    parser.add_argument("--page", choices=("national", "area"), default="national")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update({"SOTE_DATA_DIR": folder, "SOTE_OFFLINE": "1"})
        os.environ.pop("SOTE_BOUNDARY_FILE", None)
        if args.profile:
            profile(f"sqlite:///{build(COPIES[0])}", args.profile, args.page)
            return
        results = {}
        for copies in COPIES:
            url = f"sqlite:///{build(copies)}"
            started = time.perf_counter()
            results[copies] = measure(url)
            seconds = time.perf_counter() - started
            print(f"{copies}x history measured in {seconds:.0f} s", flush=True)
        sent = map_bytes()
    medians = report(results, sent)
    print(json.dumps({"seconds": medians, "map_bytes": sent}))


if __name__ == "__main__":
    main()
