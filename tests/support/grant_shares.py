"""The grants' spent share per area as a plain series: the reference the tests hold the national
map's derived indicator (``rules.grants.spent_share_indicator``) against.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from sotedata.rules.grants import area_totals
from sotedata.store.engine import Store


def spent_share_by_area(store: Store, as_of: date | None = None) -> pd.Series:
    """Spent ÷ granted (0–1) per area code, for all 22 areas of the reform, NaN where an area has
    no project with its spending reported."""
    totals = area_totals(store.grants(), as_of)
    return pd.Series(
        totals["spent_share"].to_numpy(dtype=float),
        index=pd.Index(totals["area_code"], name="area_code"),
        name="spent_share",
    )
