"""Cases lent to a laptop file (issue 19, ``docs/offline.md``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-21

Two new tables; nothing existing changes. ``loans``: one loan of cases to a laptop file — its random ``loan_id``
(the file carries it), the laptop's name, who lent and when, the expected return, the ``state`` (udlaant,
afleveret, tilbagekaldt) and how it ended. ``loan_cases``: the patients (and admissions) each loan took out. While a
loan is ``udlaant`` the services refuse writes to its patients. Going back drops both.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM


def upgrade() -> None:
    op.create_table(
        "loans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=32), nullable=False),
        sa.Column("laptop", sa.String(length=100), nullable=False),
        sa.Column("lent_by", sa.String(length=100), nullable=False),
        sa.Column("lent_at", MOMENT, nullable=False),
        sa.Column("expected_return", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("ended_at", MOMENT, nullable=True),
        sa.Column("ended_by", sa.String(length=100), nullable=True),
        sa.Column("ended_reason", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
        sa.UniqueConstraint("loan_id", name=op.f("uq_loans_loan_id")),
    )
    op.create_index(op.f("ix_loans_state"), "loans", ["state"])
    op.create_table(
        "loan_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name=op.f("fk_loan_cases_loan_id_loans")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_loan_cases_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["admission_id"], ["admissions.id"], name=op.f("fk_loan_cases_admission_id_admissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_cases")),
    )
    op.create_index(op.f("ix_loan_cases_loan_id"), "loan_cases", ["loan_id"])
    op.create_index(op.f("ix_loan_cases_patient_id"), "loan_cases", ["patient_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_loan_cases_patient_id"), table_name="loan_cases")
    op.drop_index(op.f("ix_loan_cases_loan_id"), table_name="loan_cases")
    op.drop_table("loan_cases")
    op.drop_index(op.f("ix_loans_state"), table_name="loans")
    op.drop_table("loans")
