"""The audit log's anchored end, and the database refusing to change the log and the archive (issue 18).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14

* New table ``audit_head``: one row (``id`` 1) with the newest line's ``seq`` and ``hash`` and a ``seal`` over both
  (``domain.audit.head_seal``). An existing log gets the head of its last line; an empty one line 0 and 64 zeros.
  From here on every appended line moves it forward in the same transaction, so cutting lines off the end (or all
  of them) leaves a head that the lines no longer reach — ``audit verify`` says so.
* Triggers on both backends refuse UPDATE and DELETE of ``audit_log``; UPDATE of ``documents`` and DELETE unless
  the demo reload is under way on a demo database (``app_meta`` holds ``demo = 1`` *and* the ``demo_reload`` flag
  that only ``bulk.clear_all`` writes and removes again in its own transaction); and any change of ``audit_head``
  but one line forward onto a line that is there with that hash, and its deletion. A line inserted with raw SQL is
  not refused (the chain and the head name it: it stands after the head). PostgreSQL also refuses TRUNCATE of the
  three, and the migrating role (the owner, normally) gives up its own UPDATE/DELETE/TRUNCATE privilege on
  ``audit_log``, DELETE/TRUNCATE on ``audit_head`` and UPDATE/TRUNCATE on ``documents``: a plain statement then fails
  on the privilege before it reaches a trigger. A superuser, or the owner who deliberately
  drops the triggers and grants itself the privileges back, still gets past — and verify still names the result.

A later migration that must change these tables drops the triggers it needs out of the way and re-creates them;
on SQLite ``batch_alter_table`` re-creates a table without its triggers, so such a migration re-creates them too.
Going back drops the triggers, the functions and ``audit_head`` and gives the privileges back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64

#: SQLite: (name, statement). RAISE(ABORT) undoes the statement; the caller's transaction decides the rest.
SQLITE_TRIGGERS = (
    (
        "audit_log_refuse_update",
        "CREATE TRIGGER audit_log_refuse_update BEFORE UPDATE ON audit_log BEGIN "
        "SELECT RAISE(ABORT, 'koordinator: audit_log is append-only, a line is never updated'); END",
    ),
    (
        "audit_log_refuse_delete",
        "CREATE TRIGGER audit_log_refuse_delete BEFORE DELETE ON audit_log BEGIN "
        "SELECT RAISE(ABORT, 'koordinator: audit_log is append-only, a line is never deleted'); END",
    ),
    (
        "audit_head_refuse_delete",
        "CREATE TRIGGER audit_head_refuse_delete BEFORE DELETE ON audit_head BEGIN "
        "SELECT RAISE(ABORT, 'koordinator: the head of the audit log is never deleted'); END",
    ),
    (
        "audit_head_one_line_forward",
        "CREATE TRIGGER audit_head_one_line_forward BEFORE UPDATE ON audit_head "
        "WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1 "
        "OR NEW.hash IS NOT (SELECT hash FROM audit_log WHERE seq = NEW.seq) BEGIN "
        "SELECT RAISE(ABORT, 'koordinator: the head of the audit log only moves one line forward'); END",
    ),
    (
        "documents_refuse_update",
        "CREATE TRIGGER documents_refuse_update BEFORE UPDATE ON documents BEGIN "
        "SELECT RAISE(ABORT, 'koordinator: an archived document is never changed'); END",
    ),
    (
        "documents_refuse_delete",
        "CREATE TRIGGER documents_refuse_delete BEFORE DELETE ON documents "
        "WHEN NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'demo_reload' AND value = '1') "
        "OR NOT EXISTS (SELECT 1 FROM app_meta WHERE key = 'demo' AND value = '1') BEGIN "
        "SELECT RAISE(ABORT, 'koordinator: an archived document is only deleted by the reload of a demo database');"
        " END",
    ),
)

#: PostgreSQL: the functions, then the triggers that call them.
PG_FUNCTIONS = (
    """CREATE FUNCTION koordinator_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'koordinator: % of % is refused: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0];
END $$""",
    """CREATE FUNCTION koordinator_audit_head_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id = OLD.id AND NEW.seq = OLD.seq + 1
       AND NEW.hash = (SELECT hash FROM audit_log WHERE seq = NEW.seq) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'koordinator: the head of the audit log only moves one line forward';
END $$""",
    """CREATE FUNCTION koordinator_documents_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM app_meta WHERE key = 'demo_reload' AND value = '1')
       AND EXISTS (SELECT 1 FROM app_meta WHERE key = 'demo' AND value = '1') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'koordinator: an archived document is only deleted by the reload of a demo database';
END $$""",
)
PG_TRIGGERS = (
    ("audit_log_refuse_update", "audit_log", "BEFORE UPDATE", "ROW", "koordinator_refuse('append-only')"),
    ("audit_log_refuse_delete", "audit_log", "BEFORE DELETE", "ROW", "koordinator_refuse('append-only')"),
    ("audit_log_refuse_truncate", "audit_log", "BEFORE TRUNCATE", "STATEMENT", "koordinator_refuse('append-only')"),
    ("audit_head_refuse_delete", "audit_head", "BEFORE DELETE", "ROW", "koordinator_refuse('the head stays')"),
    ("audit_head_refuse_truncate", "audit_head", "BEFORE TRUNCATE", "STATEMENT", "koordinator_refuse('the head')"),
    ("audit_head_one_line_forward", "audit_head", "BEFORE UPDATE", "ROW", "koordinator_audit_head_update()"),
    ("documents_refuse_update", "documents", "BEFORE UPDATE", "ROW", "koordinator_refuse('archived')"),
    ("documents_refuse_truncate", "documents", "BEFORE TRUNCATE", "STATEMENT", "koordinator_refuse('archived')"),
    ("documents_refuse_delete", "documents", "BEFORE DELETE", "ROW", "koordinator_documents_delete()"),
)
#: What the migrating role gives up (PostgreSQL): table → privileges.
PG_REVOKED = {
    "audit_log": "UPDATE, DELETE, TRUNCATE",
    "audit_head": "DELETE, TRUNCATE",
    "documents": "UPDATE, TRUNCATE",
}


def head_seal(seq: int, last_hash: str) -> str:
    """A frozen copy of ``domain.audit.head_seal`` (a migration never changes with the code)."""
    fields = {"head_seq": seq, "head_hash": last_hash}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.CHAR(length=64), nullable=False),
        sa.Column("seal", sa.CHAR(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).first()
    seq, last_hash = (int(last[0]), str(last[1])) if last is not None else (0, GENESIS)
    conn.execute(
        sa.text("INSERT INTO audit_head (id, seq, hash, seal) VALUES (1, :seq, :hash, :seal)"),
        {"seq": seq, "hash": last_hash, "seal": head_seal(seq, last_hash)},
    )
    if conn.dialect.name == "postgresql":
        for function in PG_FUNCTIONS:
            op.execute(function)
        for name, table, when, level, call in PG_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH {level} EXECUTE FUNCTION {call}")
        for table, privileges in PG_REVOKED.items():
            op.execute(f"REVOKE {privileges} ON {table} FROM PUBLIC, CURRENT_USER")
    else:
        for _name, statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for table, privileges in PG_REVOKED.items():
            op.execute(f"GRANT {privileges} ON {table} TO CURRENT_USER")
        for name, table, *_rest in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function.split()[2]}")
    else:
        for name, _statement in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("audit_head")
