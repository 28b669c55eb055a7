"""Udskrivningsaftale (§13a) and koordinationsplan (§13b): the admission's facts and the plans (issue 6, E1–E3).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

``admissions`` gets the three facts that decide whether a plan is required (``model.PlanFacts``: NOT NULL, false
for the existing rows) and the planned discharge day (nullable). Two new tables: ``discharge_plans`` (``version``
guards every save, as for admissions and meetings) and ``discharge_plan_versions``, one row per save, never
updated or deleted by the app (``orm.py`` refuses it; only a demo reload clears them with their plans).

The admission columns are plain ``ADD COLUMN`` / ``DROP COLUMN`` on both backends (SQLite ≥ 3.35 drops a column
in place): no table rebuild, which on SQLite would have to drop ``admissions`` while events, consents, documents
and meetings point at it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM
JSON = sa.JSON(none_as_null=True)
FACTS = ("afsnit_v_support", "wont_seek_help", "refuses_participation")


def upgrade() -> None:
    for name in FACTS:
        op.add_column("admissions", sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("admissions", sa.Column("planned_discharge", sa.Date(), nullable=True))
    op.create_table(
        "discharge_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("content", JSON, server_default=sa.text("'{}'"), nullable=False),
        sa.Column("source_meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("activated_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["admission_id"], ["admissions.id"], name=op.f("fk_discharge_plans_admission_id_admissions")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_discharge_plans_document_id_documents")
        ),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_discharge_plans_event_id_events")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_discharge_plans_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["source_meeting_id"], ["meetings.id"], name=op.f("fk_discharge_plans_source_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discharge_plans")),
    )
    op.create_index(op.f("ix_discharge_plans_admission_id"), "discharge_plans", ["admission_id"])
    op.create_index(op.f("ix_discharge_plans_patient_id"), "discharge_plans", ["patient_id"])
    op.create_table(
        "discharge_plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("saved_at", MOMENT, nullable=False),
        sa.Column("saved_by", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("action", sa.Text(), server_default="", nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["discharge_plans.id"], name=op.f("fk_discharge_plan_versions_plan_id_discharge_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discharge_plan_versions")),
        # Also the index for a plan's versions (plan_id leads).
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_discharge_plan_versions_plan_id_number")),
    )


def downgrade() -> None:
    op.drop_table("discharge_plan_versions")
    op.drop_index(op.f("ix_discharge_plans_patient_id"), table_name="discharge_plans")
    op.drop_index(op.f("ix_discharge_plans_admission_id"), table_name="discharge_plans")
    op.drop_table("discharge_plans")
    op.drop_column("admissions", "planned_discharge")
    for name in reversed(FACTS):
        op.drop_column("admissions", name)
