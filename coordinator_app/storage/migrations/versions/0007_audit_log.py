"""The audit log (issue 8): who viewed or changed which patient's record, when and what — hash-chained.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

One new table, ``audit_log``. ``seq`` is the line number (1, 2, 3 … without gaps, set by the app under a lock,
not by a sequence), ``prev_hash``/``hash`` chain each line to the one before (``coordinator_app.domain.audit``).
``patient_id`` and ``admission_id`` have no foreign keys on purpose: the log outlives what it speaks of.
The index on ``patient_id`` serves the administrator's export of one patient's log (GDPR art. 15).
Going back drops the log.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("admission_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.CHAR(length=64), nullable=False),
        sa.Column("hash", sa.CHAR(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_patient_id"), "audit_log", ["patient_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_patient_id"), table_name="audit_log")
    op.drop_table("audit_log")
