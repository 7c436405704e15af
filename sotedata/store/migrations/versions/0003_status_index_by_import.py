"""Status reports: index by import instead of by area × measure × date.

No query reads status reports by area and measure (the "as of a date" state is computed from one
ordered read), so that index only cost time: its keys arrive in random order and made up about a
quarter of a large import's insert time. What does filter by a column is a revert
(``DELETE … WHERE import_id = ?``), which scanned the whole table; an index on ``import_id`` grows
at its end, as imports are numbered, and costs little to keep.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_status_reports_area_measure_date", table_name="status_reports")
    op.create_index("ix_status_reports_import_id", "status_reports", ["import_id"])
    op.create_index("ix_risk_ratings_import_id", "risk_ratings", ["import_id"])


def downgrade() -> None:
    op.drop_index("ix_risk_ratings_import_id", table_name="risk_ratings")
    op.drop_index("ix_status_reports_import_id", table_name="status_reports")
    op.create_index(
        "ix_status_reports_area_measure_date",
        "status_reports",
        ["area_code", "measure_id", "reported_on"],
    )
