"""Benchmark: does the national page slow down as the history grows?

The example history (12 monthly reporting dates in 2022) is copied back in time, one year per copy,
through the store's own write path (``Store.add_status_reports``, ``Store.add_risk_ratings``):
at 32 copies that is 1.4 M status reports, what weekly reporting by 22 areas on a 250-measure
roadmap reaches in about five years. The figures on the latest date are those of the example
data at every length (older reports never outrank newer ones), which the bench checks.

In one run, for each length (``BENCH_COPIES``, default ``1,32``):

* **figures**, the functions the national page calls, with no Streamlit: the facts (empty,
  example, reporting dates), the frames, ``build_national_view`` and the changes section's
  ``areas_moved``. ``history`` is the path that reads every report into pandas
  (``metrics.load_frames``); ``snapshot`` reads the latest rows of the as-of and comparison dates
  from the database (``store.snapshot``). First run = from the database; warm = what a rerun
  still computes when the data is cached (the view itself).
* **page**, ``app.py`` in Streamlit's AppTest (the national page): first run after the data caches
  are cleared, and warm reruns.

Each figure is the median of ``BENCH_RUNS`` runs (default 3) with its spread (min–max); the
ratio column is 32× over 1×. The long databases are built once and kept under ``var/bench/``,
named by the code that builds them (``make bench-history`` after a change rebuilds them).
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sotedata.demo.generator import load_demo  # noqa: E402
from sotedata.geo.chain import load_area_boundaries  # noqa: E402
from sotedata.rules import changes, metrics  # noqa: E402
from sotedata.store.engine import Store  # noqa: E402
from sotedata.views.national import NationalParams, build_national_view  # noqa: E402

RUNS = max(3, int(os.environ.get("BENCH_RUNS", "3")))
COPIES = [int(n) for n in os.environ.get("BENCH_COPIES", "1,32").split(",")]
FOLDER = ROOT / "var" / "bench"
#: what the long database is made of (the schema and the example data): a change to any of these,
#: or to ``build`` itself, builds it again; a faster write path stores the same rows, so not that
BUILT_FROM = ("sotedata/demo", "sotedata/store/db.py", "sotedata/store/migrations")
QUIET = (
    "streamlit.runtime.caching.cache_data_api",
    "streamlit.runtime.scriptrunner_utils.script_run_context",
)
PATHS = os.environ.get("BENCH_PATHS", "history,snapshot").split(",")


def code_version() -> str:
    digest = hashlib.sha256()
    for name in BUILT_FROM:
        path = ROOT / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in {".py", ".csv"}:
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    for function in (build, _years_back):
        digest.update(inspect.getsource(function).encode())
    return digest.hexdigest()[:12]


def _years_back(day: date, years: int) -> date:
    return day.replace(year=day.year - years)  # the example's dates are the 15th: no 29 Feb


def build(copies: int) -> Path:
    """The example history copied ``copies`` times into a SQLite file (cached by code version)."""
    path = FOLDER / f"history-{copies}x-{code_version()}.sqlite"
    if path.exists():
        return path
    FOLDER.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store.open(f"sqlite:///{partial}") as store:
        data = load_demo(store)
        for years in range(1, copies):
            source = f"historia-{years}"
            store.add_status_reports(
                (
                    replace(r, reported_on=_years_back(r.reported_on, years))
                    for r in data.status_reports
                ),
                source=source,
            )
            store.add_risk_ratings(
                (
                    replace(r, reported_on=_years_back(r.reported_on, years))
                    for r in data.risk_ratings
                ),
                source=source,
            )
    partial.rename(path)
    print(f"built {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


# --- the national page's figures, without Streamlit -------------------------------------------


def _facts(store: Store) -> dict:
    return {
        "empty": store.is_empty(),
        "example": store.is_example(),
        "dates": store.reporting_dates(),
    }


Path_ = tuple[Callable[[], tuple], Callable[[dict, metrics.Frames], tuple]]


def history_path(store: Store, boundaries) -> Path_:
    """Today's pages: every report into pandas once, then every figure from those frames."""

    def first():
        facts = _facts(store)
        frames = metrics.load_frames(store)
        return facts, frames, warm_with(facts, frames)

    def warm_with(facts, frames):
        return _figures(facts, frames, boundaries)

    return first, warm_with


def snapshot_path(store: Store, boundaries) -> Path_:
    """The pages' path since issue 17: the data version, the reporting dates by the index walk,
    and the as-of and comparison dates' latest rows only (``metrics.frames_on``)."""

    def first():
        store.data_version()
        dates = store.reporting_dates()
        facts = {"empty": store.is_empty(), "example": store.is_example(), "dates": dates}
        as_of = max(dates)
        days = [d for d in (changes.default_since(dates, as_of), as_of) if d is not None]
        frames = metrics.frames_on(store, days)
        return facts, frames, warm_with(facts, frames)

    def warm_with(facts, frames):
        return _figures(facts, frames, boundaries)

    return first, warm_with


def _figures(facts: dict, frames: metrics.Frames, boundaries):
    dates = facts["dates"]
    view = build_national_view(
        frames, boundaries, NationalParams(), reporting_dates=dates, example=facts["example"]
    )
    since = changes.default_since(dates, view.as_of)
    moved = changes.areas_moved(frames, since, view.as_of)
    return view.table, moved


def _timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure_figures(url: str, boundaries) -> dict[str, dict[str, list[float]]]:
    results: dict[str, dict[str, list[float]]] = {}
    answers = {}
    for name, path in (("history", history_path), ("snapshot", snapshot_path)):
        if name not in PATHS:
            continue
        with Store.open(url) as store:
            first, warm_with = path(store, boundaries)
            firsts, warms = [], []
            for _ in range(RUNS):
                seconds, (facts, frames, answer) = _timed(first)
                firsts.append(seconds)
            for _ in range(RUNS):
                warms.append(_timed(partial(warm_with, facts, frames))[0])
            answers[name] = answer
            results[name] = {"first": firsts, "warm": warms}
    if len(answers) > 1:
        for got, expected in zip(answers["snapshot"], answers["history"], strict=True):
            if not got.equals(expected):
                raise SystemExit("the snapshot path's figures differ from the history path's")
    results["_answer"] = next(iter(answers.values()))
    return results


# --- the page in AppTest ----------------------------------------------------------------------


def measure_page(url: str) -> dict[str, list[float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["SOTE_DATABASE_URL"] = url

    def run() -> float:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
        if at.exception:
            raise SystemExit(f"page failed: {at.exception[0].message}")
        if len(at.get("vega_lite_chart")) < 3:  # the map, the bars, the work-stream table
            raise SystemExit("the national page drew no figures: is the database empty?")
        return seconds

    run()  # the store resource (and the first time, imports): paid once per server
    firsts, warms = [], []
    for _ in range(RUNS):
        st.cache_data.clear()
        firsts.append(run())
    for _ in range(RUNS):
        warms.append(run())
    return {"first": firsts, "warm": warms}


# --- report -----------------------------------------------------------------------------------


def _cell(times: list[float]) -> str:
    return f"{statistics.median(times):7.3f} s ({min(times):.2f}–{max(times):.2f})"


def main() -> None:
    for name in QUIET:  # bare-mode caching warns on every call (a filter: AppTest resets levels)
        logging.getLogger(name).addFilter(lambda record: record.levelno >= logging.ERROR)
    os.environ.setdefault("SOTE_OFFLINE", "1")
    os.environ.setdefault("SOTE_DATA_DIR", str(ROOT / "var"))
    from sotedata.domain.settings import load_settings

    boundaries = load_area_boundaries(load_settings())
    rows: dict[tuple[str, str], dict[int, list[float]]] = {}
    answers = {}
    for copies in COPIES:
        path = build(copies)
        url = f"sqlite:///{path}"
        with Store.open(url) as store:
            reports = len(store.status_reports())
        print(f"{copies}x: {reports:,} status reports".replace(",", " "), flush=True)
        figures = measure_figures(url, boundaries)
        answers[copies] = figures.pop("_answer")
        for name, times in figures.items():
            for kind, values in times.items():
                rows.setdefault((f"figures, {name}", kind), {})[copies] = values
        for kind, values in measure_page(url).items():
            rows.setdefault(("page (app.py)", kind), {})[copies] = values
    base = COPIES[0]
    for copies in COPIES[1:]:
        for got, expected in zip(answers[copies], answers[base], strict=True):
            if not got.equals(expected):
                raise SystemExit(f"the figures at {copies}x differ from those at {base}x")
    print(f"\nmedian of {RUNS} runs (min–max); figures equal at every length: yes")
    header = f"{'what':<26}{'run':<7}" + "".join(f"{f'{n}x':>26}" for n in COPIES)
    if len(COPIES) > 1:
        header += f"{f'{COPIES[-1]}x / {base}x':>12}"
    print(header)
    for (what, kind), by_copies in rows.items():
        line = f"{what:<26}{kind:<7}" + "".join(f"{_cell(by_copies[n]):>26}" for n in COPIES)
        if len(COPIES) > 1:
            ratio = statistics.median(by_copies[COPIES[-1]]) / statistics.median(by_copies[base])
            line += f"{ratio:>11.2f}×"
        print(line)
    for copies in COPIES:
        for kind in ("first", "warm"):
            history = rows.get(("figures, history", kind), {}).get(copies)
            new = rows.get(("figures, snapshot", kind), {}).get(copies)
            if history and new:
                ratio = statistics.median(new) / statistics.median(history)
                print(f"{copies}x {kind}: snapshot / history = {ratio:.2f}")


if __name__ == "__main__":
    main()
