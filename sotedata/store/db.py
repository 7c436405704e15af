"""The tables, in portable SQL: the same schema runs on SQLite (default) and PostgreSQL.

Reports are never overwritten: each import adds rows, and "the status on a date" is the latest
report for each area × measure on or before that date. The migration
``migrations/versions/0001_initial.py`` creates these tables and ``0002_file_imports.py`` adds
what file imports record; ``tests/store/test_store.py``
compares the two so they cannot drift.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    false,
)

#: constraint names stable across databases, so a later migration can drop them by name
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
STATUS_VALUES = ("not_started", "in_progress", "done", "delayed", "not_applicable")


def _status_check() -> CheckConstraint:
    """The five status words, the only values a measure's or an organiser's status may hold."""
    return CheckConstraint(
        "status IN (" + ", ".join(f"'{s}'" for s in STATUS_VALUES) + ")", name="status"
    )


metadata = MetaData(naming_convention=NAMING_CONVENTION)

# One row at most: what the data as a whole is (the example data is labelled everywhere).
dataset = Table(
    "dataset",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("is_example", Boolean, nullable=False),
    Column("description", Text),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
)

phases = Table(
    "phases",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
)

work_streams = Table(
    "work_streams",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name_fi", Text, nullable=False),
    Column("name_sv", Text, nullable=False),
    Column("name_en", Text, nullable=False),
)

measures = Table(
    "measures",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("phase", Integer, ForeignKey("phases.number"), nullable=False),
    Column("work_stream", String(40), ForeignKey("work_streams.key"), nullable=False),
    Column("critical", Boolean, nullable=False),
    Column("deadline", Date),
    # the file import that created the measure (revision 0002): reverting it removes the measure
    # when nothing else reports on it; NULL for the roadmap loaded by other means
    Column("import_id", Integer),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),  # roadmap, status, risks
    Column("source", Text, nullable=False),  # a file name, or "demo"
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Column("row_count", Integer, nullable=False),
    # revision 0002: a file import's record (file name, bytes' sha256, who, what it held)
    Column("file_name", Text),
    Column("sha256", String(64)),
    Column("imported_by", Text),
    Column("counts", Text),  # JSON: {"measures": n, "status": n, "risks": n, "areas": [...]}
    Column("status", String(20), nullable=False, server_default="active"),  # active, reverted
    Column("reverted_at", DateTime(timezone=True)),
    # revision 0004: JSON [{"id": …, "before": {…}, "after": {…}}] of the measures it changed
    Column("measure_edits", Text),
    Index("ix_imports_sha256", "sha256"),
)

status_reports = Table(
    "status_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_code", String(2), nullable=False),
    Column("measure_id", String(40), ForeignKey("measures.id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("comment", Text),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    _status_check(),
    # revision 0003: by import (a revert's delete); revision 0010: by area × measure × date again,
    # ``id`` last, for the newest report of each pair on a date (``snapshot.status_on_query``)
    Index("ix_status_reports_reported_on", "reported_on"),
    Index("ix_status_reports_import_id", "import_id"),
    Index("ix_status_reports_area_measure_date", "area_code", "measure_id", "reported_on", "id"),
)

# revision 0011: each area's done count and not-applicable measures on each of its reporting
# dates, kept in the transaction of every change of status_reports (store/summary.py): what the
# area page's progress series reads instead of every report
status_summary = Table(
    "status_summary",
    metadata,
    Column("area_code", String(2), primary_key=True),
    Column("reported_on", Date, primary_key=True),
    Column("done", Integer, nullable=False),
    Column("not_applicable", Text, nullable=False),  # measure ids, space-separated
)

risk_ratings = Table(
    "risk_ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_code", String(2)),  # NULL: a national risk
    Column("risk_id", String(40), nullable=False),
    Column("title", Text, nullable=False),
    Column("theme", Text, nullable=False),
    Column("likelihood", Integer, nullable=False),
    Column("impact", Integer, nullable=False),
    Column("mitigation", Text),
    Column("owner", Text),
    Column("reported_on", Date, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    # revision 0007: the area closed the risk on this date (its scores are the last ones it had)
    Column("closed", Boolean, nullable=False, server_default=false()),
    CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood"),
    CheckConstraint("impact BETWEEN 1 AND 5", name="impact"),
    Index("ix_risk_ratings_area_risk_date", "area_code", "risk_id", "reported_on"),
    Index("ix_risk_ratings_import_id", "import_id"),
)

# revision 0005: who may do what (see access.py), and the audit trail of who did what
users = Table(
    "users",
    metadata,
    Column("username", String(200), primary_key=True),  # as the identity provider gives it
    Column("display_name", Text),
    Column("role", String(20), nullable=False),
    Column("areas", Text, nullable=False, server_default=""),  # area codes, comma-separated
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text),
    CheckConstraint("role IN ('lukija', 'valmistelija', 'ministerio', 'yllapitaja')", name="role"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("channel", String(10), nullable=False),  # ui, cli
    Column("action", String(30), nullable=False),  # import, revert, role, export, …
    Column("target", Text),  # an import's id, a user name, a table's name
    Column("details", Text),  # JSON: filters, counts, areas, the role before and after
    Index("ix_audit_at", "at"),
)

# revision 0006: indicators (THL Sotkanet, Statistics Finland) and their values per region and time
indicators = Table(
    "indicators",
    metadata,
    Column("key", String(200), primary_key=True),  # "sotkanet:3064" or "file:<name>"
    Column("name", Text, nullable=False),
    Column("unit", Text),
    Column("source", Text),
    Column("licence", Text),
    Column("import_id", Integer, ForeignKey("imports.id")),  # the import that first brought it
)

indicator_values = Table(
    "indicator_values",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_key", String(200), ForeignKey("indicators.key"), nullable=False),
    Column("level", String(20), nullable=False),  # area, municipality
    Column("region_code", String(3), nullable=False),
    Column("area_code", String(2), nullable=False),
    Column("period", String(20), nullable=False),  # as written: 2021, 2018-2020, 2021Q3
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("value", Float),  # NULL: missing in the source ("..")
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    CheckConstraint("level IN ('area', 'municipality')", name="level"),
    Index("ix_indicator_values_indicator_key", "indicator_key"),
    Index("ix_indicator_values_import_id", "import_id"),
)

# revision 0009: the metadata each import gave an indicator; ``indicators`` holds the newest one
# (an import whose change was refused gets no row), and a revert falls back to the newest left
indicator_metadata = Table(
    "indicator_metadata",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_key", String(200), ForeignKey("indicators.key"), nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id")),  # NULL: from before revision 0009
    Column("name", Text, nullable=False),
    Column("unit", Text),
    Column("source", Text),
    Column("licence", Text),
    Index("ix_indicator_metadata_indicator_key", "indicator_key"),
    Index("ix_indicator_metadata_import_id", "import_id"),
)

# revision 0008: state-grant projects (hankeseuranta), the measures they serve, and dated notes
GRANT_STATUSES = ("planned", "ongoing", "completed", "cancelled")
NOTE_SOURCES = ("meeting", "interview", "survey", "media", "other")

grants = Table(
    "grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_code", String(2), nullable=False),
    Column("project_key", String(200), nullable=False),  # the name, normalised: the identity
    Column("project", Text, nullable=False),
    Column("programme", Text),
    Column("granted", Float, nullable=False),  # euros
    Column("spent", Float),  # euros; NULL: not reported
    Column("start_date", Date),
    Column("end_date", Date),
    Column("period", String(60)),  # as written
    Column("status", String(20)),
    Column("reported_on", Date, nullable=False),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    CheckConstraint(
        "status IN (" + ", ".join(f"'{s}'" for s in GRANT_STATUSES) + ")", name="status"
    ),
    Index("ix_grants_area_code", "area_code"),
    Index("ix_grants_import_id", "import_id"),
)

grant_measures = Table(
    "grant_measures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("grant_id", Integer, ForeignKey("grants.id"), nullable=False),
    # no foreign key: a link must not stop the roadmap from changing (an id may go away)
    Column("measure_id", String(40), nullable=False),
    Index("ix_grant_measures_grant_id", "grant_id"),
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("area_code", String(2)),  # NULL: a national note
    Column("noted_on", Date, nullable=False),
    Column("text", Text, nullable=False),
    Column("source_type", String(20), nullable=False),
    Column("link", Text),
    Column("tags", Text, nullable=False, server_default=""),  # comma-separated
    Column("measure_id", String(40)),
    Column("risk_id", String(40)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Text),
    Column("import_id", Integer, ForeignKey("imports.id")),  # NULL: added on the area page
    CheckConstraint(
        "source_type IN (" + ", ".join(f"'{s}'" for s in NOTE_SOURCES) + ")", name="source_type"
    ),
    Index("ix_notes_area_code", "area_code"),
    Index("ix_notes_import_id", "import_id"),
)

# revision 0012: the organisers' registry corrections and their handover reports (issue 20);
# the shipped registry is data (domain/organisers.py), these rows are laid over it
organiser_edits = Table(
    "organiser_edits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organiser_id", String(60), nullable=False),
    Column("type", String(30), nullable=False),
    Column("name_fi", Text, nullable=False),
    Column("name_sv", Text),
    Column("member_codes", Text, nullable=False),  # space-separated municipality codes
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    Index("ix_organiser_edits_import_id", "import_id"),
)

organiser_status = Table(
    "organiser_status",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organiser_id", String(60), nullable=False),
    Column("topic", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reported_on", Date, nullable=False),
    Column("comment", Text),
    Column("import_id", Integer, ForeignKey("imports.id"), nullable=False),
    _status_check(),
    Index("ix_organiser_status_import_id", "import_id"),
    Index("ix_organiser_status_organiser_id", "organiser_id"),
)

#: deletion order that never breaks a foreign key
TABLES_CHILD_FIRST = (
    organiser_status,
    organiser_edits,
    grant_measures,
    grants,
    notes,
    indicator_values,
    indicator_metadata,
    indicators,
    status_summary,
    status_reports,
    risk_ratings,
    imports,
    measures,
    work_streams,
    phases,
    dataset,
)
