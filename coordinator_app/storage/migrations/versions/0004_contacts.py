"""The contact directory (kontaktbog, C1/C5; F3's entrances stay on ``kommuner.secure_mail``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

One new table, nothing existing changes. ``contacts`` rows are never deleted by the app: "deleting" a person
sets ``active`` false, so an old referat naming them stays explainable. ``version`` guards edits (optimistic
locking, as for patients, admissions and meetings).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("organisation", sa.String(length=200), server_default="", nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=100), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=40), server_default="", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("kommune_code", sa.String(length=3), nullable=True),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["kommune_code"], ["kommuner.code"], name=op.f("fk_contacts_kommune_code_kommuner")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )


def downgrade() -> None:
    op.drop_table("contacts")
