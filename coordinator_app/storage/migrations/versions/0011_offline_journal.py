"""The change journal of a laptop file (issue 19, ``docs/offline.md``, ``storage.journal``).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

One new table; nothing existing changes. ``offline_journal``: one row per change the program makes in an offline
copy (its loan, the table, the row's key in the file, insert/update/delete, the changed columns with their old and
new values, who and when), read at check-in. The ward's database has the table too and leaves it empty. Going back
drops it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offline_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=32), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("row_key", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_journal")),
    )


def downgrade() -> None:
    op.drop_table("offline_journal")
