"""State-grant projects (hankeseuranta), the roadmap measures each serves, and dated notes from
meetings, interviews, surveys and the media.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(2), nullable=False),
        sa.Column("project_key", sa.String(200), nullable=False),
        sa.Column("project", sa.Text(), nullable=False),
        sa.Column("programme", sa.Text()),
        sa.Column("granted", sa.Float(), nullable=False),
        sa.Column("spent", sa.Float()),
        sa.Column("start_date", sa.Date()),
        sa.Column("end_date", sa.Date()),
        sa.Column("period", sa.String(60)),
        sa.Column("status", sa.String(20)),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('planned', 'ongoing', 'completed', 'cancelled')", name="ck_grants_status"
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_grants_import_id_imports"),
        sa.PrimaryKeyConstraint("id", name="pk_grants"),
    )
    op.create_index("ix_grants_area_code", "grants", ["area_code"])
    op.create_index("ix_grants_import_id", "grants", ["import_id"])
    op.create_table(
        "grant_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["grants.id"], name="fk_grant_measures_grant_id_grants"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_grant_measures"),
    )
    op.create_index("ix_grant_measures_grant_id", "grant_measures", ["grant_id"])
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(2)),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_type", sa.String(20), nullable=False),
        sa.Column("link", sa.Text()),
        sa.Column("tags", sa.Text(), nullable=False, server_default=""),
        sa.Column("measure_id", sa.String(40)),
        sa.Column("risk_id", sa.String(40)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text()),
        sa.Column("import_id", sa.Integer()),
        sa.CheckConstraint(
            "source_type IN ('meeting', 'interview', 'survey', 'media', 'other')",
            name="ck_notes_source_type",
        ),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name="fk_notes_import_id_imports"),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
    )
    op.create_index("ix_notes_area_code", "notes", ["area_code"])
    op.create_index("ix_notes_import_id", "notes", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_notes_import_id", table_name="notes")
    op.drop_index("ix_notes_area_code", table_name="notes")
    op.drop_table("notes")
    op.drop_index("ix_grant_measures_grant_id", table_name="grant_measures")
    op.drop_table("grant_measures")
    op.drop_index("ix_grants_import_id", table_name="grants")
    op.drop_index("ix_grants_area_code", table_name="grants")
    op.drop_table("grants")
