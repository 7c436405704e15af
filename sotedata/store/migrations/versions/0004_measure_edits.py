"""An import remembers the measures it changed (their values before and after), so that a revert
puts the roadmap back as it was and not only removes the measures the import created.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports", recreate="never") as batch:
        batch.add_column(sa.Column("measure_edits", sa.Text()))


def downgrade() -> None:
    with op.batch_alter_table("imports", recreate="never") as batch:
        batch.drop_column("measure_edits")
