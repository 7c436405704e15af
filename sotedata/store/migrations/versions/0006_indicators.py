"""Indicators and their values per region (area or municipality) and period.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("licence", sa.Text()),
        sa.Column("import_id", sa.Integer()),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_indicators_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("key", name="pk_indicators"),
    )
    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_key", sa.String(200), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("region_code", sa.String(3), nullable=False),
        sa.Column("area_code", sa.String(2), nullable=False),
        sa.Column("period", sa.String(20), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", sa.Float()),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("level IN ('area', 'municipality')", name="ck_indicator_values_level"),
        sa.ForeignKeyConstraint(
            ["indicator_key"],
            ["indicators.key"],
            name="fk_indicator_values_indicator_key_indicators",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name="fk_indicator_values_import_id_imports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_indicator_values"),
    )
    op.create_index("ix_indicator_values_indicator_key", "indicator_values", ["indicator_key"])
    op.create_index("ix_indicator_values_import_id", "indicator_values", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_indicator_values_import_id", table_name="indicator_values")
    op.drop_index("ix_indicator_values_indicator_key", table_name="indicator_values")
    op.drop_table("indicator_values")
    op.drop_table("indicators")
