"""Notes by the risk they cite: what the tests check the stored notes' risk links with.

The risks page lists only the national risks' notes (``rules.notes.national_risk_notes``); these
two read the same links for any risk, which nothing in the app shows yet, so they live here.
"""

from __future__ import annotations

import pandas as pd


def notes_for_risk(frame: pd.DataFrame, risk_id: str, area_code: str | None = None) -> pd.DataFrame:
    """The notes that cite one risk (of ``area_code``, None: a national risk), newest first."""
    if frame.empty:
        return frame.copy()
    same_area = frame["area_code"].isna() if area_code is None else frame["area_code"] == area_code
    rows = frame[(frame["risk_id"] == risk_id) & same_area]
    return rows.sort_values(["noted_on", "id"], ascending=False).reset_index(drop=True)


def risk_note_counts(frame: pd.DataFrame) -> dict[tuple[str | None, str], int]:
    """How many notes cite each risk: (area code or None, risk id) → count."""
    if frame.empty:
        return {}
    cited = frame[frame["risk_id"].notna()]
    counts: dict[tuple[str | None, str], int] = {}
    for area, risk in zip(cited["area_code"], cited["risk_id"], strict=True):
        key = (None if pd.isna(area) else str(area), str(risk))
        counts[key] = counts.get(key, 0) + 1
    return counts
