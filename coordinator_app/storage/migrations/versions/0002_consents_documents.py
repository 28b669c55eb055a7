"""Consents (F1, F2) and immutably archived documents (the issued PDFs).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Two new tables, nothing existing changes. Document rows are never updated or deleted by the app
(``orm.py`` refuses it); the bytes are ``LargeBinary`` (BLOB on SQLite, bytea on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM


def upgrade() -> None:
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=20), nullable=False),
        sa.Column("given_to", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("given_at", MOMENT, nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("withdrawn_at", MOMENT, nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["admission_id"], ["admissions.id"], name=op.f("fk_consents_admission_id_admissions")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_consents_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index(op.f("ix_consents_patient_id"), "consents", ["patient_id"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.CHAR(length=64), nullable=False),
        sa.Column("data_version", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["admission_id"], ["admissions.id"], name=op.f("fk_documents_admission_id_admissions")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_documents_event_id_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index(op.f("ix_documents_admission_id"), "documents", ["admission_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_admission_id"), table_name="documents")
    op.drop_table("documents")
    op.drop_index(op.f("ix_consents_patient_id"), table_name="consents")
    op.drop_table("consents")
