"""The comparison's charts (``charts.compare``): one scale for every area, numbers only where
they fit, areas told apart by more than colour."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sotedata.charts import compare as cc


def _phases() -> pd.DataFrame:
    rows = []
    for code, area, counts in (("21", "Lappi", (24, 0, 1, 0)), ("12", "Etelä-Savo", (5, 5, 0, 0))):
        total = sum(counts)
        for order, (status, count) in enumerate(
            zip(("done", "in_progress", "delayed", "not_started"), counts, strict=True)
        ):
            rows.append(
                {
                    "area_code": code,
                    "area": area,
                    "key": 1,
                    "label": "1. Vaihe",
                    "status": status,
                    "count": count,
                    "total": total,
                    "share": count / total,
                    "order": order,
                }
            )
    return pd.DataFrame(rows)


def _data(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_a_narrow_segment_gets_no_number_so_24_and_1_never_read_241():
    spec = cc.phase_bars(_phases(), ["Lappi", "Etelä-Savo"], lang="fi").to_dict()
    labels = {(r["area"], r["status"]): r["count_text"] for r in _data(spec)}
    assert labels[("Lappi", "done")] == "24"
    assert labels[("Lappi", "delayed")] == ""
    assert labels[("Etelä-Savo", "in_progress")] == "5"
    assert spec["spec"]["layer"][0]["encoding"]["y"]["sort"] == ["Lappi", "Etelä-Savo"]


def test_progress_lines_share_one_axis_and_differ_by_shape_and_dash():
    days = [date(2022, 1, 15), date(2022, 2, 15)]
    progress = pd.DataFrame(
        {
            "day": days * 3,
            "series": ["21", "21", "12", "12", "median", "median"],
            "value": [0.5, 0.6, 0.4, 0.45, 0.48, 0.55],
        }
    )
    spec = cc.progress_lines(progress, {"21": "Lappi", "12": "Etelä-Savo"}, lang="fi").to_dict()
    encoding = spec["layer"][0]["encoding"]
    assert encoding["y"]["scale"]["domain"] == [0, 1]
    assert encoding["color"]["scale"]["domain"] == ["Lappi", "Etelä-Savo", "Koko maan mediaani"]
    shapes = encoding["shape"]["scale"]["range"]
    dashes = encoding["strokeDash"]["scale"]["range"]
    assert len(set(shapes)) == 3 and dashes[-1] == cc.MEDIAN_DASH
    ends = _data({"datasets": {k: v for k, v in spec["datasets"].items() if "end_label" in v[0]}})
    assert sorted(r["end_label"] for r in ends)[0].startswith("Etelä-Savo 45")
