"""File imports: the import record keeps file name, sha256, user, counts and status (active or
reverted); a measure remembers the import that created it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("file_name", sa.Text()))
        batch.add_column(sa.Column("sha256", sa.String(64)))
        batch.add_column(sa.Column("imported_by", sa.Text()))
        batch.add_column(sa.Column("counts", sa.Text()))
        batch.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="active")
        )
        batch.add_column(sa.Column("reverted_at", sa.DateTime(timezone=True)))
        batch.create_index("ix_imports_sha256", ["sha256"])
    with op.batch_alter_table("measures") as batch:
        batch.add_column(sa.Column("import_id", sa.Integer()))


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): recreating a table that others reference
    # would break their foreign keys while it has data
    with op.batch_alter_table("measures", recreate="never") as batch:
        batch.drop_column("import_id")
    with op.batch_alter_table("imports", recreate="never") as batch:
        batch.drop_index("ix_imports_sha256")
        batch.drop_column("reverted_at")
        batch.drop_column("status")
        batch.drop_column("counts")
        batch.drop_column("imported_by")
        batch.drop_column("sha256")
        batch.drop_column("file_name")
