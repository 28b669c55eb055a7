"""Archived documents belong to a patient; the admission is optional (issue 5: an ambulant patient's referat).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

``documents`` gets ``patient_id`` (FK patients, NOT NULL, indexed), filled for the existing rows from their
admission before it becomes NOT NULL; ``admission_id`` becomes nullable. SQLite rebuilds the table
(``batch_alter_table``); the rows and their bytes are copied unchanged (no UPDATE of a document's content).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("patient_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE documents SET patient_id = "
        "(SELECT admissions.patient_id FROM admissions WHERE admissions.id = documents.admission_id)"
    )
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("patient_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("admission_id", existing_type=sa.Integer(), nullable=True)
        batch.create_foreign_key(op.f("fk_documents_patient_id_patients"), "patients", ["patient_id"], ["id"])
        batch.create_index(op.f("ix_documents_patient_id"), ["patient_id"])


def downgrade() -> None:
    # An ambulant patient's documents have no admission to go back to: they cannot be kept by 0004.
    op.execute("DELETE FROM documents WHERE admission_id IS NULL")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index(op.f("ix_documents_patient_id"))
        batch.drop_constraint(op.f("fk_documents_patient_id_patients"), type_="foreignkey")
        batch.alter_column("admission_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("patient_id")
