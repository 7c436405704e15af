"""What a file import hands the store: the rows of one accepted file, as ``save_import`` reads them.

The importer's ``ingest.ParsedFile`` is one (so is the example data's); the store sits below
ingest and cannot name that class, so this Protocol says what the store needs of it, and nothing
about sheets, errors or warnings, which stay the importer's business.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from ..domain.indicators import Indicator, IndicatorValue
from ..domain.model import Measure, RiskRating, StatusReport
from ..rules.grants import Grant
from ..rules.notes import Note


class ImportBatch(Protocol):
    """One file's rows to store in one transaction; ``sha256`` None: not from a file."""

    @property
    def filename(self) -> str: ...
    @property
    def sha256(self) -> str | None: ...
    @property
    def measures(self) -> Sequence[Measure]: ...
    @property
    def status_reports(self) -> Sequence[StatusReport]: ...
    @property
    def risk_ratings(self) -> Sequence[RiskRating]: ...
    @property
    def indicators(self) -> Sequence[Indicator]: ...
    @property
    def indicator_values(self) -> Sequence[IndicatorValue]: ...
    @property
    def grants(self) -> Sequence[Grant]: ...
    @property
    def notes(self) -> Sequence[Note]: ...
    @property
    def kept_metadata(self) -> Collection[str]:
        """Indicators whose stored metadata this file leaves alone (the importer decides)."""
        ...

    def counts(self) -> dict[str, Any]:
        """The import record's counts (its JSON), as the importer reports them."""
        ...
