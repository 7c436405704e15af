"""metrics.last_reported: each area's latest reporting date on or before a day."""

from datetime import date

import pandas as pd

from sotedata.rules import metrics


def test_the_latest_date_on_or_before_the_day_and_none_for_an_area_without_reports():
    reports = pd.DataFrame(
        {
            "area_code": ["19", "19", "21", "19"],
            "measure_id": ["a", "b", "a", "a"],
            "status": ["done"] * 4,
            "reported_on": ["2022-11-15", "2022-12-15", "2022-11-15", "2022-12-20"],
        }
    )
    last = metrics.last_reported(reports, date(2022, 12, 15), ["19", "21", "01"])
    assert last.to_dict() == {"01": None, "19": date(2022, 12, 15), "21": date(2022, 11, 15)}
