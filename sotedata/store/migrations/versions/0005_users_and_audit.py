"""Users with their roles and areas, and the audit trail (who did what, when, from where).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("display_name", sa.Text()),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("areas", sa.Text(), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text()),
        sa.CheckConstraint(
            "role IN ('lukija', 'valmistelija', 'ministerio', 'yllapitaja')",
            name="ck_users_role",
        ),
        sa.PrimaryKeyConstraint("username", name="pk_users"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("target", sa.Text()),
        sa.Column("details", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_at", "audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_at", table_name="audit")
    op.drop_table("audit")
    op.drop_table("users")
