"""Each area's statuses on each of its reporting dates (``status_summary``), for the area page's
progress series.

The series (the done share per reporting date beside the national median and the plan) read
every status report once per data version: at 32 times the example history that was seconds of
CPU for the area page's first run. One row per area × own reporting date (the done count and the
not-applicable measures) answers it, and every change of ``status_reports`` keeps it in the same
transaction (``store/summary.py``). A database with reports gets its rows here, from them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from sotedata.store import summary

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_summary",
        sa.Column("area_code", sa.String(2), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("not_applicable", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("area_code", "reported_on", name="pk_status_summary"),
    )
    # the rows of the reports already stored, by the rule every later write keeps (the table's
    # columns here are this revision's, which store.db describes until a later one changes them)
    summary.refresh(op.get_bind())


def downgrade() -> None:
    op.drop_table("status_summary")
