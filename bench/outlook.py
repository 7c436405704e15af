"""Backtest: how right is the outlook's linear projection? (``make bench-outlook``)

For the example data (seed 2021) and a second seed (``BENCH_OUTLOOK_SEEDS``, default
``2021,7``) the outlook is computed from every reporting date that has one three calendar months
after it in the data (``views.outlook.outlook_from_frames``, the rule the pages and ``sote
outlook`` use) and compared with what the data shows on that later date:

* **MAE of the done share**: the mean, over areas and dates, of |projected − actual| share of
  applicable measures done three months later, the projection being ``done + 3 × pace``
  (at most all of them); beside it the same error of assuming no progress at all, as a baseline;
* **status right**: how often the status from a date is the status computed three months later
  (with the data up to then); a status that changes is one the projection did not foresee.

Areas without a pace (the first reporting date) are left out. Prints one line per seed and all.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sotedata.demo.generator import load_demo  # noqa: E402
from sotedata.rules import metrics  # noqa: E402
from sotedata.rules.outlook import add_whole_months, done_counts  # noqa: E402
from sotedata.store.engine import Store  # noqa: E402
from sotedata.views.outlook import outlook_from_frames  # noqa: E402

HORIZON_MONTHS = 3


def backtest(seed: int, folder: Path) -> dict[str, float]:
    """The errors and the status agreement of one seed's example data."""
    with Store.open(f"sqlite:///{folder / f'seed{seed}.sqlite'}") as store:
        load_demo(store, seed)
        frames = metrics.load_frames(store)
        dates = store.reporting_dates()
        grants = store.grants()
    errors, baseline, agree, total = [], [], 0, 0
    for day in dates:
        later = add_whole_months(day, HORIZON_MONTHS)
        if later not in dates:
            continue
        now = outlook_from_frames(frames, dates, day, grants).table.set_index("code")
        then = outlook_from_frames(frames, dates, later, grants).table.set_index("code")
        actual = done_counts(frames.measures, frames.reports, [later]).set_index("code")
        for code, row in now.iterrows():
            pace = row["pace_per_month"]
            if pace is None or row["applicable"] == 0:
                continue
            share = float(actual.loc[code, "done"]) / float(actual.loc[code, "applicable"])
            projected = min(1.0, (row["done"] + HORIZON_MONTHS * pace) / row["applicable"])
            errors.append(abs(projected - share))
            baseline.append(abs(row["done"] / row["applicable"] - share))
            agree += int(row["status"] == then.loc[code, "status"])
            total += 1
    return {
        "n": float(total),
        "mae": sum(errors) / len(errors),
        "baseline": sum(baseline) / len(baseline),
        "right": agree / total,
        "sum_mae": sum(errors),
        "sum_baseline": sum(baseline),
        "agree": float(agree),
    }


def main() -> int:
    seeds = [int(s) for s in os.environ.get("BENCH_OUTLOOK_SEEDS", "2021,7").split(",")]
    print(f"Outlook backtest: projection from each reporting date, {HORIZON_MONTHS} months ahead")
    print(f"{'seed':>6} {'n':>5} {'MAE share':>10} {'no-progress MAE':>16} {'status right':>13}")
    sums = {"n": 0.0, "sum_mae": 0.0, "sum_baseline": 0.0, "agree": 0.0}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for seed in seeds:
            result = backtest(seed, Path(folder))
            for key in sums:
                sums[key] += result[key]
            print(
                f"{seed:>6} {int(result['n']):>5} {result['mae'] * 100:>9.1f}% "
                f"{result['baseline'] * 100:>15.1f}% {result['right'] * 100:>12.0f}%"
            )
    n = sums["n"]
    print(
        f"{'all':>6} {int(n):>5} {sums['sum_mae'] / n * 100:>9.1f}% "
        f"{sums['sum_baseline'] / n * 100:>15.1f}% {sums['agree'] / n * 100:>12.0f}%"
    )
    print(f"({time.perf_counter() - started:.0f} s; {date.today().isoformat()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
