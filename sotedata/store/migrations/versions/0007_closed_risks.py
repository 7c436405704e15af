"""A risk rating can close the risk: from that date on the risk counts no more, and the change
lists show it as closed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("risk_ratings", recreate="never") as batch:
        batch.add_column(
            sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("risk_ratings", recreate="never") as batch:
        batch.drop_column("closed")
