"""Users and roles (issue 8): who may log in, with which role, and the lock-out after failed logins.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

One new table, ``users``; nothing existing changes. ``username`` is stored in lower case and unique, so it is
case-insensitive on SQLite and PostgreSQL alike. ``password_hash`` is an Argon2id PHC string (``argon2-cffi``),
never the password. Rows are never deleted (the audit log names the users): ``active`` false deactivates one.
``version`` guards edits (optimistic locking, as for patients and meetings). An existing database has no users
after the upgrade: the program asks for the first administrator at the next start. Going back drops the users.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOMENT = sa.DateTime(timezone=True)  # UTC; storage.types.UTCDateTime in the ORM


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=32), nullable=False),
        sa.Column("full_name", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("locked_until", MOMENT, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("last_login_at", MOMENT, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )


def downgrade() -> None:
    op.drop_table("users")
