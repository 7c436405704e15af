"""Indicator metadata per import: each import that brings an indicator keeps the name, unit,
source and licence it gave, so that reverting it puts the earlier ones back.

Existing indicators get one row each, their current metadata under the import that first
brought them (NULL when that import has been reverted since).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_metadata",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_key", sa.String(200), nullable=False),
        sa.Column("import_id", sa.Integer()),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("licence", sa.Text()),
        sa.ForeignKeyConstraint(
            ["indicator_key"],
            ["indicators.key"],
            name="fk_indicator_metadata_indicator_key_indicators",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_indicator_metadata_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_indicator_metadata"),
    )
    op.create_index("ix_indicator_metadata_indicator_key", "indicator_metadata", ["indicator_key"])
    op.create_index("ix_indicator_metadata_import_id", "indicator_metadata", ["import_id"])
    op.execute(
        "INSERT INTO indicator_metadata (indicator_key, import_id, name, unit, source, licence) "
        "SELECT key, import_id, name, unit, source, licence FROM indicators ORDER BY key"
    )


def downgrade() -> None:
    op.drop_index("ix_indicator_metadata_import_id", table_name="indicator_metadata")
    op.drop_index("ix_indicator_metadata_indicator_key", table_name="indicator_metadata")
    op.drop_table("indicator_metadata")
