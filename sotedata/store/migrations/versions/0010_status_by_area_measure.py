"""Status reports: an index by area × measure × date again, for the figures of one date.

Revision 0003 dropped the index on (area_code, measure_id, reported_on) because no query used it
then: every figure started from one ordered read of the whole history. Since issue 17 a figure
"as of a date" reads only the newest report of each area × measure on or before that date
(``store/snapshot.py``): one probe of this index per pair, so a page's cost no longer grows with
the history's length. ``id`` ends the key so that the newest of one day is found in the index too
(the row stored last wins a tie), on PostgreSQL as on SQLite, where it is the rowid.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEX = "ix_status_reports_area_measure_date"


def upgrade() -> None:
    op.create_index(INDEX, "status_reports", ["area_code", "measure_id", "reported_on", "id"])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="status_reports")
