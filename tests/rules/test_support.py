"""The support-need ranking (``rules.support``): each reason from its figure, the weights from
their data file, the ranking by Σ weight × figure."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sotedata.rules import support
from sotedata.rules.outlook import OUTLOOK_COLUMNS, Outlook
from sotedata.rules.support import SupportInputs, grants_gap, rising_high_risks, support_need

AS_OF = date(2022, 6, 15)
SINCE = date(2022, 5, 15)


def view(rows: dict[str, tuple[float | None, float | None]]) -> Outlook:
    """An outlook whose areas have only a pace and a needed pace."""
    records = []
    for code, (pace, needed) in rows.items():
        record = dict.fromkeys(OUTLOOK_COLUMNS)
        record.update(code=code, pace_per_month=pace, needed_pace_per_month=needed)
        records.append(record)
    return Outlook(AS_OF, date(2022, 12, 31), pd.DataFrame(records), {})


def inputs(**given) -> SupportInputs:
    empty = pd.Series(dtype=float)
    values = {
        "overdue_critical": empty,
        "delayed_now": empty,
        "delayed_since": None,
        "rising_high_risks": empty,
        "grants_gap": empty,
        "since": SINCE,
    }
    values.update(given)
    return SupportInputs(**values)


def test_the_weights_are_the_data_file():
    text = support.WEIGHTS_FILE.read_text(encoding="utf-8")
    assert text.startswith("code,weight,threshold,unit")
    table = support.weights()
    assert list(table) == [
        "overdue_critical",
        "pace_below_needed",
        "more_delayed",
        "rising_high_risks",
        "grants_underspent",
    ]
    assert table["overdue_critical"].label("fi").startswith("Myöhässä olevat kriittiset")
    assert "per measure" in table["overdue_critical"].label("en")


def test_each_reason_comes_from_its_figure_with_its_weight():
    result = support_need(
        view({"01": (2.0, 5.0), "02": (6.0, 5.0)}),
        inputs(
            overdue_critical=pd.Series({"01": 2, "02": 0}),
            delayed_now=pd.Series({"01": 4, "02": 1}),
            delayed_since=pd.Series({"01": 1, "02": 1}),
            rising_high_risks=pd.Series({"02": 1}),
            grants_gap=pd.Series({"01": 5.0, "02": 25.0}),
        ),
    )
    reasons = {code: {r.code: r.value for r in why} for code, why in result.reasons.items()}
    assert reasons["01"] == {"overdue_critical": 2.0, "pace_below_needed": 3.0, "more_delayed": 3.0}
    # grants 5 points behind are under the threshold of 10; 25 points count
    assert reasons["02"] == {"rising_high_risks": 1.0, "grants_underspent": 25.0}
    need = result.table.set_index("code")["need"]
    assert need["01"] == pytest.approx(3 * 2 + 2 * 3 + 1 * 3)
    assert need["02"] == pytest.approx(2 * 1 + 0.1 * 25)
    assert result.table.set_index("code")["rank"].to_dict() == {"01": 1, "02": 2}


def test_no_progress_is_short_of_the_whole_needed_pace():
    result = support_need(view({"01": (0.0, 4.0), "02": (None, 4.0)}), inputs())
    for code in ("01", "02"):
        assert [(r.code, r.value) for r in result.reasons[code]] == [("pace_below_needed", 4.0)]


def test_ties_are_ranked_by_code():
    result = support_need(view({"03": (1.0, 1.0), "01": (1.0, 1.0)}), inputs())
    assert result.table.set_index("code")["rank"].to_dict() == {"01": 1, "03": 2}


def test_rising_high_risks_are_new_or_higher_high_ones():
    changes = pd.DataFrame(
        {
            "area_code": ["01", "01", "01", "02", None],
            "change": ["new", "rerated", "rerated", "new", "new"],
            "to_score": [16, 20, 16, 9, 25],
            "from_score": [None, 16, 20, None, None],
        }
    )
    assert rising_high_risks(changes).to_dict() == {"01": 2}


def test_grants_gap_is_spending_behind_the_time_passed():
    grants = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "area_code": ["01", "01", "02"],
            "project_key": ["a", "b", "c"],
            "granted": [100.0, 100.0, 100.0],
            "spent": [10.0, None, 50.0],
            "start_date": [date(2022, 1, 1), date(2022, 1, 1), date(2022, 6, 15)],
            "end_date": [date(2022, 12, 31), date(2022, 12, 31), date(2023, 6, 15)],
            "reported_on": [AS_OF, AS_OF, AS_OF],
            "import_id": [1, 1, 1],
        }
    )
    gap = grants_gap(grants, date(2022, 7, 2))  # half of 2022 passed
    assert gap["01"] == pytest.approx((182 / 364 * 100) - 10, abs=0.01)
    assert gap["02"] < 0  # spent ahead of its period
    assert grants_gap(None, AS_OF).empty


def test_support_reasons_in_three_languages():
    result = support_need(
        view({"01": (1.0, 1.0)}),
        inputs(delayed_now=pd.Series({"01": 3}), delayed_since=pd.Series({"01": 1})),
    )
    reason = result.reasons["01"][0]
    assert reason.message("fi") == "2 viivästynyttä toimenpidettä enemmän kuin 15.5.2022."
    assert reason.message("sv") == "2 fler försenade åtgärder än 15.5.2022."
    assert reason.message("en") == "2 more delayed measures than on 15 May 2022."


def test_one_is_said_in_the_singular():
    result = support_need(view({"01": (1.0, 1.0)}), inputs(overdue_critical=pd.Series({"01": 1})))
    reason = result.reasons["01"][0]
    assert reason.message("en") == "1 critical measure is past its deadline."
    assert reason.message("fi") == "1 kriittinen toimenpide on myöhässä määräajastaan."
