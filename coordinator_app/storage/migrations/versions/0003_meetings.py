"""Netværksmøder (C1–C10): versioned meeting templates and meetings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

Two new tables, nothing existing changes. ``meeting_templates`` rows are never updated or deleted by the app
(a template edit is a new version; ``orm.py`` refuses changes); a meeting points at the exact version it was
created with. ``meetings.content`` holds what is typed during the meeting (``storage/meeting_codec.py``) and
``meetings.version`` guards it (optimistic locking, as for patients and admissions).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM
JSON = sa.JSON(none_as_null=True)


def upgrade() -> None:
    op.create_table(
        "meeting_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sections", JSON, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_templates")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_meeting_templates_name_version")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("occasion", sa.String(length=40), nullable=False),
        sa.Column("invited_on", sa.Date(), nullable=False),
        sa.Column("planned_at", MOMENT, nullable=True),
        sa.Column("form", sa.String(length=20), nullable=False),
        sa.Column("place", sa.Text(), server_default="", nullable=False),
        sa.Column("late_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("content", JSON, server_default=sa.text("'{}'"), nullable=False),
        sa.Column("recipients", JSON, server_default=sa.text("'[]'"), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("closed_at", MOMENT, nullable=True),
        sa.Column("follow_up_of", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["admission_id"], ["admissions.id"], name=op.f("fk_meetings_admission_id_admissions")),
        sa.ForeignKeyConstraint(["follow_up_of"], ["meetings.id"], name=op.f("fk_meetings_follow_up_of_meetings")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_meetings_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["template_id"], ["meeting_templates.id"], name=op.f("fk_meetings_template_id_meeting_templates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("reference", name=op.f("uq_meetings_reference")),
    )
    op.create_index(op.f("ix_meetings_admission_id"), "meetings", ["admission_id"])
    op.create_index(op.f("ix_meetings_patient_id"), "meetings", ["patient_id"])
    op.create_index(op.f("ix_meetings_planned_at"), "meetings", ["planned_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_meetings_planned_at"), table_name="meetings")
    op.drop_index(op.f("ix_meetings_patient_id"), table_name="meetings")
    op.drop_index(op.f("ix_meetings_admission_id"), table_name="meetings")
    op.drop_table("meetings")
    op.drop_table("meeting_templates")
