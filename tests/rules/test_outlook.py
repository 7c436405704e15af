"""The outlook's rules (``rules.outlook``): pace over the last three months, the needed pace,
linear projections that are exact for a linear history, and each status from a crafted history."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.domain.model import Phase
from sotedata.rules.outlook import (
    add_months,
    done_counts,
    months_between,
    outlook,
    roadmap_end,
    window_days,
)

END = date(2022, 12, 31)
PHASES = (Phase(1, date(2020, 1, 1), date(2021, 6, 30)), Phase(2, date(2021, 7, 1), END))


def measures(count: int, critical: int = 0) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": [f"M-{i:02d}" for i in range(count)],
            "name": [f"Measure {i}" for i in range(count)],
            "phase": 2,
            "work_stream": "ict",
            "critical": [i < critical for i in range(count)],
            "deadline": date(2022, 12, 31),
        }
    )


def monthly_history(done_per_date: list[int], count: int, area: str = "01") -> pd.DataFrame:
    """Reports on the 15th of each month from January 2022: the first ``done`` measures done on
    each date, the rest in progress."""
    rows = []
    for month, done in enumerate(done_per_date, start=1):
        for i in range(count):
            status = "done" if i < done else "in_progress"
            rows.append((area, f"M-{i:02d}", status, date(2022, month, 15), None))
    return pd.DataFrame(
        rows, columns=["area_code", "measure_id", "status", "reported_on", "comment"]
    )


def area_outlook(done_per_date: list[int], count: int, critical: int = 0):
    frame = measures(count, critical)
    reports = monthly_history(done_per_date, count)
    days = [date(2022, m, 15) for m in range(1, len(done_per_date) + 1)]
    as_of = days[-1]
    window = window_days(days, as_of)
    counts = done_counts(frame, reports, window, ["01"])
    view = outlook(counts, window, as_of, roadmap_end(PHASES))
    return view.table.set_index("code").loc["01"], view.reasons["01"]


def test_calendar_months_are_exact_on_the_same_day_of_the_month():
    assert months_between(date(2022, 1, 15), date(2022, 4, 15)) == 3.0
    assert add_months(date(2022, 4, 15), 8.0) == date(2022, 12, 15)
    assert add_months(date(2022, 4, 15), 0.5) == date(2022, 4, 30)
    assert add_months(date(2022, 1, 31), 1.0) == date(2022, 2, 28)
    assert months_between(date(2022, 4, 15), date(2022, 1, 15)) == -3.0


def test_the_roadmap_end_is_the_last_phase_end():
    assert roadmap_end(PHASES) == END
    assert roadmap_end(()) is None


def test_window_is_the_last_three_months_of_reports_or_all_when_fewer():
    days = [date(2022, m, 15) for m in range(1, 8)]
    assert window_days(days, date(2022, 7, 15)) == tuple(date(2022, m, 15) for m in (4, 5, 6, 7))
    assert window_days(days, date(2022, 2, 20)) == (date(2022, 1, 15), date(2022, 2, 15))
    assert window_days(days, date(2021, 12, 1)) == ()


def test_a_linear_history_projects_exactly_the_month_of_its_last_measure():
    row, _ = area_outlook([1, 2, 3, 4], count=12)
    assert row["pace_per_month"] == 1.0
    assert row["projected_done_on"] == date(2022, 12, 15)  # 8 left at one a month from 15.4.
    assert row["band_days"] == 0
    assert row["needed_pace_per_month"] == pytest.approx(8 / months_between(date(2022, 4, 15), END))


def test_the_pace_reads_only_the_last_three_months():
    # ten done in January, then one a month: the pace is the recent one
    row, _ = area_outlook([10, 11, 12, 13, 14], count=20)
    assert row["pace_per_month"] == 1.0
    assert row["projected_done_on"] == date(2022, 11, 15)


def test_critical_measures_have_their_own_projection():
    # measures 0-3 are critical and done one a month; 4 of 8 critical left at 15.4.
    row, _ = area_outlook([1, 2, 3, 4], count=12, critical=8)
    assert row["critical_pace_per_month"] == 1.0
    assert row["projected_critical_done_on"] == date(2022, 8, 15)


def test_a_varying_pace_gets_a_band():
    row, _ = area_outlook([0, 2, 2, 6], count=20)
    assert row["pace_per_month"] == 2.0
    assert row["band_days"] > 0


def test_done():
    row, reasons = area_outlook([10, 12], count=12)
    assert row["status"] == "done"
    assert [r.code for r in reasons] == ["all_done"]
    assert row["projected_done_on"] == date(2022, 2, 15)


def test_on_track():
    row, reasons = area_outlook([1, 2, 3, 4], count=12)
    assert row["status"] == "on_track"
    assert reasons[0].code == "projected_early"
    assert reasons[0].value == 16.0  # 15.12. is 16 days before 31.12.


def test_at_risk_up_to_ninety_days_late():
    row, reasons = area_outlook([1, 2, 3, 4], count=14)  # done 15.2.2023: 46 days late
    assert row["status"] == "at_risk"
    assert row["days_after_end"] == 46
    assert reasons[0].code == "projected_late"


def test_off_track_when_later():
    row, reasons = area_outlook([1, 2, 3, 4], count=20)  # done 15.8.2023
    assert row["status"] == "off_track"
    assert reasons[0].value == (date(2023, 8, 15) - END).days


def test_off_track_without_progress_in_three_months():
    row, reasons = area_outlook([2, 5, 5, 5, 5], count=12)
    assert row["status"] == "off_track"
    assert row["projected_done_on"] is None
    assert [r.code for r in reasons] == ["no_progress"]


def test_late_critical_measures_make_an_area_late():
    # every measure is critical, but their done count is set to lag: one in three months
    frame = measures(12, critical=12)
    reports = monthly_history([1, 2, 3, 4], 12)
    days = [date(2022, m, 15) for m in range(1, 5)]
    counts = done_counts(frame, reports, days, ["01"])
    counts.loc[:, "critical_done"] = [0, 0, 0, 1]
    view = outlook(counts, days, days[-1], END)
    row = view.table.set_index("code").loc["01"]
    assert row["status"] == "off_track"
    assert "critical_late" in [r.code for r in view.reasons["01"]]


def test_one_report_is_too_few_for_a_pace():
    row, reasons = area_outlook([3], count=12)
    assert row["status"] == "off_track"
    assert row["pace_per_month"] is None
    assert reasons[0].code == "no_history"


def test_reasons_are_written_in_three_languages():
    _, reasons = area_outlook([1, 2, 3, 4], count=14)
    fi, sv, en = (reasons[0].message(lang) for lang in ("fi", "sv", "en"))
    assert "15.2.2023" in fi and "46 päivää" in fi
    assert "15.2.2023" in sv and "46 dagar" in sv
    assert "15 Feb 2023" in en and "46 days after" in en
