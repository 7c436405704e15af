"""An area's risks as data: the register by latest rating with its trend arrows, and the
likelihood × impact matrix's counts and colour bands.

A risk whose latest rating closed it is gone by ``metrics``' rule, so the matrix agrees with the
key figures' count of high risks.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from ..domain.i18n import t
from ..domain.model import HIGH_RISK_SCORE, RISK_SCALE
from ..domain.themes import label as theme_label
from ..rules import metrics
from .table_base import text_cells

#: the risk list's columns in display order: the score and its trend beside the title
RISK_REGISTER_COLUMNS = [
    "title",
    "score",
    "trend",
    "previous_score",
    "theme",
    "mitigation",
    "owner",
    "likelihood",
    "impact",
    "risk_id",
    "reported_on",
]


def trend_arrow(previous: float | None, current: float, lang: str | None = None) -> str:
    """↑ the score rose, ↓ it fell, → unchanged, "uusi" when the risk had no rating before."""
    if previous is None or pd.isna(previous):
        return t("area.risk.new", lang)
    if current > previous:
        return "↑"
    if current < previous:
        return "↓"
    return "→"


def _latest_risks(risks: pd.DataFrame, code: str, day: date) -> pd.DataFrame:
    if risks is None or risks.empty:
        return pd.DataFrame(columns=list(risks.columns) if risks is not None else [])
    own = risks[risks["area_code"] == code]
    if own.empty:
        return own
    return metrics.latest_rows(own, ["risk_id"], day)


def risk_register(
    risks: pd.DataFrame, code: str, as_of: date, since: date | None, lang: str | None = None
) -> pd.DataFrame:
    """The area's risks by their latest rating on ``as_of``, highest score first, with the score
    on ``since`` and the trend arrow between them (national risks are never an area's; a risk
    whose latest rating closed it is gone, by ``metrics``' rule, so the matrix agrees with the
    key figures)."""
    now = _latest_risks(risks, code, as_of)
    if now.empty:
        return pd.DataFrame(columns=RISK_REGISTER_COLUMNS)
    now = now.copy()
    now["likelihood"] = now["likelihood"].astype("int64")
    now["impact"] = now["impact"].astype("int64")
    now["score"] = now["likelihood"] * now["impact"]
    previous: dict[str, int] = {}
    if since is not None:
        then = _latest_risks(risks, code, since)
        if not then.empty:
            scores = then["likelihood"].astype("int64") * then["impact"].astype("int64")
            previous = dict(zip(then["risk_id"], scores, strict=True))
    now["previous_score"] = pd.array([previous.get(r) for r in now["risk_id"]], dtype="Int64")
    now["trend"] = [
        trend_arrow(previous.get(r), s, lang)
        for r, s in zip(now["risk_id"], now["score"], strict=True)
    ]
    now["theme"] = [theme_label(th, lang) if isinstance(th, str) else "" for th in now["theme"]]
    for column in ("mitigation", "owner"):  # an empty cell, never "None"
        now[column] = text_cells(now[column])
    now = now.sort_values(["score", "risk_id"], ascending=[False, True], kind="stable")
    return now[RISK_REGISTER_COLUMNS].reset_index(drop=True)


def risk_band(score: int) -> str:
    """The matrix's colour band of a score: low < 5 ≤ moderate < 10 ≤ considerable < 15 ≤ high."""
    if score >= HIGH_RISK_SCORE:
        return "high"
    if score >= 10:
        return "considerable"
    if score >= 5:
        return "moderate"
    return "low"


def risk_matrix_counts(register: pd.DataFrame) -> pd.DataFrame:
    """All 25 cells of the likelihood × impact matrix with the number of risks in each
    (empty cells included, so the grid is always whole)."""
    cells = pd.MultiIndex.from_product(
        [list(RISK_SCALE), list(RISK_SCALE)], names=["likelihood", "impact"]
    )
    if register.empty:
        counts = pd.Series(0, index=cells)
    else:
        counts = register.groupby(["likelihood", "impact"]).size().reindex(cells, fill_value=0)
    frame = counts.astype("int64").rename("count").reset_index()
    frame["score"] = frame["likelihood"] * frame["impact"]
    frame["band"] = frame["score"].map(risk_band)
    return frame


def risks_in_cell(
    register: pd.DataFrame, likelihood: int | None, impact: int | None
) -> pd.DataFrame:
    """The register's rows of one matrix cell (all rows when no cell is chosen)."""
    if likelihood is None or impact is None:
        return register
    keep = (register["likelihood"] == int(likelihood)) & (register["impact"] == int(impact))
    return register[keep]
