"""The first schema: kommuner, centres/wards, patients, admissions, append-only events, app_meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Written from ``orm.py`` at the time; migrations use plain SQLAlchemy types (never the app's own
classes) so they keep meaning the same thing when the app's code changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM
JSON = sa.JSON(none_as_null=True)
EMPTY_JSON = sa.text("'{}'")


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "app_meta",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_meta")),
    )
    op.create_table(
        "kommuner",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=50), nullable=False),
        sa.Column("secure_mail", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_kommuner")),
    )
    op.create_table(
        "centres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_centres")),
        sa.UniqueConstraint("name", name=op.f("uq_centres_name")),
    )
    op.create_table(
        "wards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["centre_id"], ["centres.id"], name=op.f("fk_wards_centre_id_centres"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wards")),
        sa.UniqueConstraint("centre_id", "name", name=op.f("uq_wards_centre_id_name")),
    )
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cpr", sa.String(length=10), nullable=False),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        _flag("replacement_cpr"),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("cpr", name=op.f("uq_patients_cpr")),
    )
    op.create_table(
        "admissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("center", sa.String(length=200), nullable=False),
        sa.Column("ward", sa.String(length=100), nullable=False),
        sa.Column("admitted", sa.Date(), nullable=False),
        sa.Column("discharged", sa.Date(), nullable=True),
        sa.Column("bopaelskommune", sa.String(length=3), nullable=False),
        sa.Column("opholdskommune", sa.String(length=3), nullable=True),
        sa.Column("handlekommune", sa.String(length=3), nullable=True),
        _flag("involuntary"),
        sa.Column("expected_faerdigbehandlet", sa.Date(), nullable=True),
        sa.Column("scenario", sa.SmallInteger(), nullable=True),
        sa.Column("scenario_answers", JSON, server_default=EMPTY_JSON, nullable=False),
        _flag("homeless"),
        _flag("botilbud"),
        _flag("misbrug"),
        _flag("retslig_foranstaltning"),
        _flag("children"),
        _flag("lab_par6"),
        _flag("wants_to_leave"),
        _flag("multiple_antipsychotics"),
        _flag("demo"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bopaelskommune"], ["kommuner.code"], name=op.f("fk_admissions_bopaelskommune_kommuner")
        ),
        sa.ForeignKeyConstraint(
            ["handlekommune"], ["kommuner.code"], name=op.f("fk_admissions_handlekommune_kommuner")
        ),
        sa.ForeignKeyConstraint(
            ["opholdskommune"], ["kommuner.code"], name=op.f("fk_admissions_opholdskommune_kommuner")
        ),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_admissions_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admissions")),
    )
    op.create_index(op.f("ix_admissions_discharged"), "admissions", ["discharged"])
    op.create_index(op.f("ix_admissions_patient_id"), "admissions", ["patient_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", MOMENT, nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recipient_kommune", sa.String(length=3), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("data", JSON, server_default=EMPTY_JSON, nullable=False),
        sa.Column("corrects_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["admission_id"], ["admissions.id"], name=op.f("fk_events_admission_id_admissions")),
        sa.ForeignKeyConstraint(["corrects_event_id"], ["events.id"], name=op.f("fk_events_corrects_event_id_events")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_admission_id_occurred_at", "events", ["admission_id", "occurred_at"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("admissions")
    op.drop_table("patients")
    op.drop_table("wards")
    op.drop_table("centres")
    op.drop_table("kommuner")
    op.drop_table("app_meta")
