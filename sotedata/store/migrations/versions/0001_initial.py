"""The initial schema: dataset, roadmap (phases, work streams, measures), imports, reports, risks.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Written out table by table (not ``metadata.create_all``) so that this revision stays what it was
when ``sotedata/store/db.py`` changes later; constraint names follow ``db.NAMING_CONVENTION``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATUS_VALUES = ("not_started", "in_progress", "done", "delayed", "not_applicable")


def upgrade() -> None:
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("is_example", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dataset"),
    )
    op.create_table(
        "phases",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("number", name="pk_phases"),
    )
    op.create_table(
        "work_streams",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_fi", sa.Text(), nullable=False),
        sa.Column("name_sv", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_work_streams"),
    )
    op.create_table(
        "measures",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("work_stream", sa.String(40), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("deadline", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_measures"),
        sa.ForeignKeyConstraint(["phase"], ["phases.number"], name="fk_measures_phase_phases"),
        sa.ForeignKeyConstraint(
            ["work_stream"], ["work_streams.key"], name="fk_measures_work_stream_work_streams"
        ),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_imports"),
    )
    op.create_table(
        "status_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(2), nullable=False),
        sa.Column("measure_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_reports"),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measures.id"], name="fk_status_reports_measure_id_measures"
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_status_reports_import_id_imports"
        ),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUS_VALUES) + ")",
            name="ck_status_reports_status",
        ),
    )
    op.create_index(
        "ix_status_reports_area_measure_date",
        "status_reports",
        ["area_code", "measure_id", "reported_on"],
    )
    op.create_index("ix_status_reports_reported_on", "status_reports", ["reported_on"])
    op.create_table(
        "risk_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(2)),
        sa.Column("risk_id", sa.String(40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("mitigation", sa.Text()),
        sa.Column("owner", sa.Text()),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_risk_ratings"),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_risk_ratings_import_id_imports"
        ),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name="ck_risk_ratings_likelihood"),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name="ck_risk_ratings_impact"),
    )
    op.create_index(
        "ix_risk_ratings_area_risk_date", "risk_ratings", ["area_code", "risk_id", "reported_on"]
    )


def downgrade() -> None:
    op.drop_table("risk_ratings")
    op.drop_table("status_reports")
    op.drop_table("imports")
    op.drop_table("measures")
    op.drop_table("work_streams")
    op.drop_table("phases")
    op.drop_table("dataset")
