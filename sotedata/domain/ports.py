"""What the rules read from the store, said as Protocols: the rules sit below the store and may not
import it, yet a few of them take a store to read its frames once. Each Protocol names only the
reads its rule makes (``store.engine.Store`` has them all), so a rule's signature says what it
needs and a test may hand it anything that answers those reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Protocol

from .model import Roadmap

if TYPE_CHECKING:  # lazy: imported where used, for the CLI's start-up time
    import pandas as pd


class ReformSource(Protocol):
    """The roadmap with every status report and risk rating: what the figures are made of."""

    def load_roadmap(self) -> Roadmap: ...
    def status_reports(self, until: date | None = None) -> pd.DataFrame: ...
    def risk_ratings(self, until: date | None = None) -> pd.DataFrame: ...


class SnapshotSource(Protocol):
    """The roadmap with the latest report per area × measure and rating per risk on some dates
    (``store.snapshot``): what the figures of those dates are made of."""

    def load_roadmap(self) -> Roadmap: ...
    def status_on_dates(self, days: Iterable[date]) -> pd.DataFrame: ...
    def risks_on_dates(self, days: Iterable[date]) -> pd.DataFrame: ...


class IndicatorSource(Protocol):
    """The stored indicators and their values (one indicator's, or all when None)."""

    def indicators(self) -> pd.DataFrame: ...
    def indicator_values(self, indicator: str | None = None) -> pd.DataFrame: ...


class MetricStore(Protocol):
    """What a registered map metric (``rules.metric_spec``) may read beyond the frames of its
    dates: the whole history (a pace over months). A metric that needs tables of its own adds
    their reads here (``store.engine.Store`` answers them); the registry hands it the store."""

    def load_roadmap(self) -> Roadmap: ...
    def status_reports(self, until: date | None = None) -> pd.DataFrame: ...
    def risk_ratings(self, until: date | None = None) -> pd.DataFrame: ...
    def organiser_done_shares(self, as_of: date | None) -> dict[str, float | None]: ...
