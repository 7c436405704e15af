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

Every cell is the median of its runs with the spread (min-max), on the wall clock and on the CPU
clock (this process's threads: on a shared, busy machine it moves less); runs alternate between
the pages so that a busy moment hits them alike. Then the targets of issue 17: a warm
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import streamlit as st  # noqa: E402
from history import build  # noqa: E402  (bench/history.py: the long history, built once)
from streamlit.components.v2.component_manager import BidiComponentManager  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

# not Streamlit's warnings that st.cache_data is cleared outside a page run (the bench does that)
for _name in ("scriptrunner_utils.script_run_context", "caching.cache_data_api"):
    logging.getLogger(f"streamlit.runtime.{_name}").disabled = True
# A server compiles each page script once (its ScriptCache lives as long as it does) and looks for
# installed components once, when it starts. AppTest makes a new script cache for every run and
# scans every installed package for components in each new session: the national page's
# compilation and the scan were about 0.1 s of CPU each, costs no user waits for. Here one cache
# and one scan serve every run, as on a server; BENCH_AS_APPTEST=1 measures AppTest as it comes.


class _DiscoveredOnce(BidiComponentManager):
    """The installed components, looked for on the first session only."""

    found = False

    def discover_and_register_components(self, *args: Any, **kwargs: Any) -> None:
        if not self.found:
            super().discover_and_register_components(*args, **kwargs)
            self.found = True


if os.environ.get("BENCH_AS_APPTEST") != "1":
    _SCRIPTS = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _SCRIPTS  # type: ignore
    _COMPONENTS = _DiscoveredOnce()
    app_test.BidiComponentManager = lambda: _COMPONENTS  # type: ignore
RUNS = max(1, int(os.environ.get("BENCH_RUNS", "3")))
RERUNS = max(1, int(os.environ.get("BENCH_RERUNS", "5")))
COPIES = [int(n) for n in os.environ.get("BENCH_COPIES", "1,32").split(",")]
APP = str(ROOT / "app.py")
NAIVE = str(BENCH / "naive_map_page.py")
AREA = "19"
KINDS = ("first", "open", "rerun")
CLOCKS = ("wall", "cpu")
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


def timed_run(at: AppTest) -> tuple[float, float]:
    """Wall and CPU seconds of one run (CPU: every thread of this process, the page's included;
    on a shared, busy machine it moves less than the wall clock)."""
    started, cpu = time.perf_counter(), time.process_time()
    at.run()
    seconds = time.perf_counter() - started, time.process_time() - cpu
    if at.exception:
        raise SystemExit(f"page failed: {at.exception[0].message}")
    return seconds


Times = dict[str, dict[str, dict[str, list[float]]]]  # clock -> page -> kind -> seconds


def measure(url: str) -> Times:
    """Each page's first, open and rerun times on the database at ``url``."""
    os.environ["SOTE_DATABASE_URL"] = url
    times: Times = {clock: {page: {k: [] for k in KINDS} for page in PAGES} for clock in CLOCKS}

    def note(page: str, kind: str, seconds: tuple[float, float]) -> None:
        for clock, value in zip(CLOCKS, seconds, strict=True):
            times[clock][page][kind].append(value)

    for make in PAGES.values():
        timed_run(make())  # imports, the store, the boundaries: paid once per server
    for _ in range(RUNS):
        for page, make in PAGES.items():
            st.cache_data.clear()
            note(page, "first", timed_run(make()))
    for make in PAGES.values():
        timed_run(make())  # each first run above emptied the caches the other pages had filled
    for _ in range(RERUNS):
        for page, make in PAGES.items():
            at = make()
            note(page, "open", timed_run(at))
            note(page, "rerun", timed_run(at))
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


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _verdict(value: float, limit: float) -> str:
    return f"{value:5.2f}x {'met    ' if value <= limit else 'NOT met'}"


def _table(results: dict[int, Times], clock: str) -> dict:
    """One clock's table; returns its medians for the JSON line."""
    base, top = COPIES[0], COPIES[-1]
    print(f"\n{clock} seconds per run: median (min-max); first x{RUNS}, open and rerun x{RERUNS}")
    header = f"{'page':<15}{'run':<7}" + "".join(f"{f'{n}x history':>24}" for n in COPIES)
    print(header + (f"{f'{top}x / {base}x':>12}" if len(COPIES) > 1 else ""))
    medians: dict = {}
    for page in PAGES:
        for kind in KINDS:
            line = f"{page:<15}{kind:<7}"
            for copies in COPIES:
                values = results[copies][clock][page][kind]
                line += f"{_cell(values):>24}"
                medians.setdefault(page, {}).setdefault(kind, {})[f"{copies}x"] = round(
                    _median(values), 4
                )
            if len(COPIES) > 1:
                by = (_median(results[n][clock][page][kind]) for n in (top, base))
                line += f"{next(by) / next(by):>11.2f}x"
            print(line)
    return medians


def _targets(results: dict[int, Times]) -> None:
    """Each target with its ratio on the wall clock and on the CPU clock."""
    base, top = COPIES[0], COPIES[-1]
    rows: list[tuple[str, float, dict[str, float]]] = []
    for copies in COPIES:
        for page in ("national page", "area page"):
            for kind in ("open", "rerun"):
                shares = {}
                for clock in CLOCKS:
                    naive = results[copies][clock]["naive map"]
                    page_time = _median(results[copies][clock][page][kind])
                    shares[clock] = page_time / _median(naive["open"] + naive["rerun"])
                rows.append((f"{copies}x {page} {kind} / naive map", WARM_SHARE, shares))
    if len(COPIES) > 1:
        for page in ("national page", "area page"):
            for kind in KINDS:
                growth = {
                    clock: _median(results[top][clock][page][kind])
                    / _median(results[base][clock][page][kind])
                    for clock in CLOCKS
                }
                rows.append((f"{page} {kind}, {top}x / {base}x history", GROWTH, growth))
    print(f"\n{'targets':<48}{'limit':>7}{'wall':>8}{'':<10}{'cpu':>6}")
    for label, limit, ratios in rows:
        verdicts = "  ".join(_verdict(ratios[clock], limit) for clock in CLOCKS)
        print(f"  {label:<46}{limit:>6}x  {verdicts}")


def report(results: dict[int, Times], sent: int) -> dict:
    """Prints both clocks' tables and the targets; returns the medians for the JSON line."""
    medians = {clock: _table(results, clock) for clock in CLOCKS}
    _targets(results)
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
