"""What an import yields: a file read and checked (``ParsedFile``, nothing stored yet), and the
report every door renders (``ImportReport``, whose ``to_json`` is the documented ``sote import
--json`` shape). Plain records, shared by the importer, the Sotkanet fetch and the example data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..domain.errors import Issue
from ..domain.indicators import MUNICIPALITY_LEVEL, Indicator, IndicatorValue
from ..domain.model import Measure, RiskRating, StatusReport
from ..domain.organisers import Organiser, OrganiserReport
from ..rules.grants import Grant
from ..rules.notes import Note

KINDS = (
    "roadmap",
    "status",
    "risks",
    "indicators",
    "grants",
    "notes",
    "organisers",  # the organisers' registry, added to or corrected (issue 20)
    "organiser_status",  # the organisers' handover reports (issue 20)
    "instructions",  # the template's own instruction and list sheets (ingest.own_sheets)
    "ignored",
)


@dataclass(frozen=True)
class SheetInfo:
    name: str
    kind: str  # one of KINDS
    rows: int


@dataclass
class ParsedFile:
    """A file read and checked, nothing stored: what it would add, and what is wrong with it."""

    filename: str
    sha256: str
    sheets: list[SheetInfo] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    status_reports: list[StatusReport] = field(default_factory=list)
    risk_ratings: list[RiskRating] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    indicator_values: list[IndicatorValue] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    organiser_edits: list[Organiser] = field(default_factory=list)
    organiser_reports: list[OrganiserReport] = field(default_factory=list)
    #: the areas of the organisers the file's organiser rows name (their members' areas)
    organiser_areas: frozenset[str] = frozenset()
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    more_errors: int = 0  # errors beyond the cap
    more_warnings: int = 0  # warnings beyond the cap
    #: indicators whose stored metadata this import leaves alone (``indicator_metadata_kept``)
    kept_metadata: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, Any]:
        """measures upserted, status values (one per area × measure × date), risk ratings,
        indicator values (one per indicator × region × period), the distinct municipalities they
        name, state-grant project rows, notes, and the sorted codes of every area any row touches
        (a national risk or note touches none)."""
        touched = {r.area_code for r in self.status_reports}
        touched |= {r.area_code for r in self.risk_ratings if r.area_code}
        touched |= {v.area_code for v in self.indicator_values}
        touched |= {g.area_code for g in self.grants}
        touched |= {n.area_code for n in self.notes if n.area_code}
        touched |= self.organiser_areas
        towns = {v.region_code for v in self.indicator_values if v.level == MUNICIPALITY_LEVEL}
        return {
            "measures": len(self.measures),
            "status": len(self.status_reports),
            "risks": len(self.risk_ratings),
            "indicator_values": len(self.indicator_values),
            "municipalities": len(towns),
            "grants": len(self.grants),
            "notes": len(self.notes),
            "organisers": len(self.organiser_edits),
            "organiser_status": len(self.organiser_reports),
            # last, as in the JSON contract since issue 9: new counts go before it
            "areas": sorted(touched),
        }


def issue_json(issue: Issue, lang: str | None) -> dict[str, Any]:
    return {
        "code": issue.code,
        "sheet": issue.sheet,
        "cell": issue.cell,
        "row": issue.row,
        "column": issue.column,
        "message": issue.message(lang),
        "suggestion": issue.suggestion(lang),
    }


@dataclass
class ImportReport:
    """The outcome of ``import_file``: the same for the CLI (``--json``) and the upload page.

    ``import_id`` is the new import's id; for a ``duplicate_file`` it is the earlier import of the
    same bytes; None when rejected or a dry run. Errors beyond ``Limits.max_errors`` are summed up
    in one last ``too_many_errors`` entry, so the JSON shape stays the documented one.
    """

    ok: bool
    file: str
    sha256: str
    dry_run: bool
    sheets: list[SheetInfo]
    counts: dict[str, Any]
    errors: list[Issue]
    warnings: list[Issue]
    import_id: int | None

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The documented ``sote import --json`` object, exactly."""
        return {
            "ok": self.ok,
            "file": self.file,
            "sha256": self.sha256,
            "dry_run": self.dry_run,
            "sheets": [{"name": s.name, "kind": s.kind, "rows": s.rows} for s in self.sheets],
            "counts": {
                "measures": self.counts["measures"],
                "status": self.counts["status"],
                "risks": self.counts["risks"],
                "indicator_values": self.counts["indicator_values"],
                "municipalities": self.counts["municipalities"],
                # a report built without a parse (an unreachable database) may lack the newer ones
                "grants": self.counts.get("grants", 0),
                "notes": self.counts.get("notes", 0),
                "organisers": self.counts.get("organisers", 0),
                "organiser_status": self.counts.get("organiser_status", 0),
                "areas": list(self.counts["areas"]),
            },
            "errors": [issue_json(issue, lang) for issue in self.errors],
            "warnings": [issue_json(issue, lang) for issue in self.warnings],
            "import_id": self.import_id,
        }
