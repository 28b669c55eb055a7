"""Issue 18, point 5, in storage on SQLite and PostgreSQL: migration 0009 gives an existing log the head of its last
line and its guards, and going back removes both; the head moves with each line and not with a rolled-back one; a
log cut short or emptied is "afkortet"; the demo reload still deletes archived documents, and only in a demo
database."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from helpers.databases import migrate_to, revision_and_tables
from helpers.tamper import unguarded
from sqlalchemy import text
from storage_data import MOMENT

from coordinator_app.domain.audit import START, AuditAction, head_after, seal
from coordinator_app.domain.errors import StorageError
from coordinator_app.domain.model import Admission, ArchivedDocument, Patient
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.backup import backup_now
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.repositories import DocumentRepository, clear_all


def append(db: Database, count: int) -> None:
    for i in range(count):
        with db.session() as session:
            AuditRepository(session).append("k", AuditAction.VIS, f"Linje {i}", at=MOMENT + timedelta(seconds=i))


def test_the_head_moves_with_each_line_and_not_with_a_rolled_back_one(database: Database) -> None:
    with database.session() as session:
        assert AuditRepository(session).head() == START
    append(database, 3)
    with pytest.raises(RuntimeError, match="fortrudt"), database.session() as session:
        AuditRepository(session).append("k", AuditAction.RET, "Ændring", at=MOMENT)
        raise RuntimeError("fortrudt")
    with database.session() as session:
        repo = AuditRepository(session)
        head = repo.head()
        assert head == head_after(repo.all()[-1])
        assert head is not None and head.seq == 3


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        ("DELETE FROM audit_log WHERE seq = 5", "men linje 5 mangler."),
        ("DELETE FROM audit_log WHERE seq > 2", "men linje 3–5 mangler."),
        ("DELETE FROM audit_log", "men alle linjer mangler (linje 1–5)."),
    ],
    ids=["last", "last-three", "all"],
)  # fmt: skip
def test_a_log_cut_short_or_emptied_is_reported(database: Database, cut: str, message: str) -> None:
    append(database, 5)
    with unguarded(database.engine) as conn:
        conn.execute(text(cut))
    with database.session() as session:
        result = AuditRepository(session).verify()
    assert (result.ok, result.truncated) == (False, True)
    assert result.message == f"Revisionsloggen er afkortet: den sluttede ved linje 5, {message}"
    append(database, 1)  # the next line follows the head, so the cut stays visible as a gap
    with database.session() as session:
        result = AuditRepository(session).verify()
    assert not result.ok and result.missing is not None and result.missing[1] == 5


def test_a_0008_database_with_lines_gets_the_head_of_its_last_line_and_back(empty_db_url: str) -> None:
    migrate_to(empty_db_url, "0008")
    db = open_database(empty_db_url, migrate=False)
    try:
        with db.engine.begin() as conn:  # written as 0008 knew it: no head to move
            previous = None
            for i in range(3):
                line = seal(previous, at=MOMENT, user="k", action=AuditAction.VIS, what=f"Linje {i}")
                conn.execute(
                    text("INSERT INTO audit_log (seq, at, username, action, what, prev_hash, hash) "
                         "VALUES (:seq, :at, 'k', 'vis', :what, :prev, :hash)"),
                    {"seq": line.seq, "at": line.at if conn.dialect.name != "sqlite" else line.at.replace(tzinfo=None),
                     "what": line.what, "prev": line.prev_hash, "hash": line.hash},
                )  # fmt: skip
                previous = line
    finally:
        db.dispose()
    assert previous is not None
    db = open_database(empty_db_url)  # the new Koordinator opens the 0008 database
    try:
        with db.session() as session:
            repo = AuditRepository(session)
            assert repo.head() == head_after(previous)
            assert repo.verify().ok and repo.verify().count == 3
        append(db, 1)
        with db.session() as session, pytest.raises(Exception, match="koordinator: "):
            session.connection().execute(text("DELETE FROM audit_log WHERE seq = 4"))
    finally:
        db.dispose()
    migrate_to(empty_db_url, "0008", down=True)
    revision, tables = revision_and_tables(empty_db_url)
    assert (revision, "audit_head" in tables) == ("0008", False)
    db = open_database(empty_db_url, migrate=False)
    try:
        with db.engine.begin() as conn:  # no trigger is left behind
            conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 3
    finally:
        db.dispose()


def _with_document(db: Database, p: Patient) -> ArchivedDocument:
    content = b"%PDF arkiveret"
    assert p.id is not None
    with db.session() as session:
        return DocumentRepository(session).add(
            ArchivedDocument(None, None, "netvaerksmoede_referat", "Referat", MOMENT, "test",
                             hashlib.sha256(content).hexdigest(), "v1", content=content, patient_id=p.id)
        )  # fmt: skip


def test_clear_all_refuses_a_real_ward_and_the_flag_alone_opens_nothing(
    admitted: tuple[Database, Patient, Admission],
) -> None:
    db, p, _a = admitted
    doc = _with_document(db, p)
    with pytest.raises(StorageError, match="ikke en demo-database"), db.session() as session:
        clear_all(session)
    with pytest.raises(Exception, match="koordinator: "), db.engine.begin() as conn:  # the flag without demo = 1
        conn.execute(text("INSERT INTO app_meta (key, value) VALUES ('demo_reload', '1')"))
        conn.execute(text("DELETE FROM documents"))
    with db.session() as session:
        assert DocumentRepository(session).get(doc.id or 0).content == b"%PDF arkiveret"
    db.set_meta("demo", "1")  # a demo database: the reload deletes them, and leaves no flag behind
    with db.session() as session:
        clear_all(session)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM app_meta WHERE key = 'demo_reload'")).scalar_one() == 0


def test_every_backup_carries_the_head_it_was_taken_at(sqlite_url: str, tmp_path: Path) -> None:
    """A backup is a page copy of the file, so its ``audit_head`` is the log's end when it was taken: compared with
    the live log later, a cut-off end shows (``--noteret`` with the backup's head)."""
    db = open_database(sqlite_url)
    try:
        append(db, 3)
        with db.session() as session:
            live = AuditRepository(session).head()
        taken = backup_now(db, tmp_path / "kopier")
    finally:
        db.dispose()
    copy = open_database(f"sqlite:///{taken.path}", migrate=False)
    try:
        with copy.session() as session:
            assert AuditRepository(session).head() == live
    finally:
        copy.dispose()
