"""The organisers' registry corrections (an ``organisers`` sheet) and their handover reports (an
``organiser_status`` sheet): issue 20. The shipped registry itself is data
(``sotedata/data/organisers.csv``); these rows are laid over it, and a revert deletes an
import's rows like any other's.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

STATUS_VALUES = ("not_started", "in_progress", "done", "delayed", "not_applicable")


def upgrade() -> None:
    op.create_table(
        "organiser_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.String(60), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("name_fi", sa.Text(), nullable=False),
        sa.Column("name_sv", sa.Text()),
        sa.Column("member_codes", sa.Text(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_organiser_edits_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organiser_edits"),
    )
    op.create_index("ix_organiser_edits_import_id", "organiser_edits", ["import_id"])
    op.create_table(
        "organiser_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organiser_id", sa.String(60), nullable=False),
        sa.Column("topic", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in STATUS_VALUES) + ")",
            name="ck_organiser_status_status",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_organiser_status_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organiser_status"),
    )
    op.create_index("ix_organiser_status_import_id", "organiser_status", ["import_id"])
    op.create_index("ix_organiser_status_organiser_id", "organiser_status", ["organiser_id"])


def downgrade() -> None:
    op.drop_table("organiser_status")
    op.drop_table("organiser_edits")
