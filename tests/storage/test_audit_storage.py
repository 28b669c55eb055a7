"""The audit log in storage (issue 8, migration 0007), on SQLite and PostgreSQL: lines chain across transactions,
are never updated or deleted through the ORM, and raw-SQL tampering is named by verify. Two writers at once keep
one unbroken chain."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import timedelta

import pytest
from helpers.databases import migrate_to, revision_and_tables
from helpers.tamper import unguarded
from sqlalchemy import delete, inspect, text, update
from storage_data import MOMENT

from coordinator_app.domain.audit import GENESIS, AuditAction, chain_hash, issued_document, verify_chain
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.orm import AuditRow


def append(db: Database, what: str, *, patient_id: int | None = None, seconds: int = 0) -> None:
    with db.session() as session:
        AuditRepository(session).append(
            "koordinator",
            AuditAction.VIS,
            what,
            patient_id=patient_id,
            admission_id=None if patient_id is None else patient_id * 10,
            at=MOMENT + timedelta(seconds=seconds, microseconds=123456),
        )


def filled(db: Database, count: int = 5) -> Database:
    for i in range(count):
        append(db, f"Linje {i + 1}: æøå «»", patient_id=i % 2 + 1, seconds=i)
    return db


def test_lines_chain_across_transactions_and_read_back_exactly(database: Database) -> None:
    with database.session() as session:
        first = AuditRepository(session).append(
            "koordinator", AuditAction.OPRET, "Samtykke nr. 3 til kommunen registreret (mundtligt)",
            patient_id=7, admission_id=8, at=MOMENT.replace(microsecond=654321),
        )  # fmt: skip
    with database.session() as session:
        second = AuditRepository(session).append("koordinator", AuditAction.VIS, "Detaljer vist", at=MOMENT)
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert (second.seq, second.prev_hash) == (2, first.hash)
    with database.session() as session:
        repo = AuditRepository(session)
        assert repo.all() == [first, second]
        assert repo.count() == 2
        assert repo.verify().ok


def test_a_rolled_back_append_leaves_neither_a_line_nor_a_gap(database: Database) -> None:
    filled(database, 2)
    with pytest.raises(RuntimeError, match="fortrudt"), database.session() as session:
        AuditRepository(session).append("koordinator", AuditAction.RET, "Ændring", at=MOMENT)
        raise RuntimeError("fortrudt")
    append(database, "Næste")
    with database.session() as session:
        repo = AuditRepository(session)
        assert [e.seq for e in repo.all()] == [1, 2, 3]
        assert repo.verify().ok


def test_for_patient_gives_only_that_patients_lines_in_order(database: Database) -> None:
    filled(database, 5)
    with database.session() as session:
        lines = AuditRepository(session).for_patient(2)
    assert [(e.seq, e.patient_id, e.admission_id) for e in lines] == [(2, 2, 20), (4, 2, 20)]


def test_the_orm_refuses_to_change_or_delete_a_line(database: Database) -> None:
    filled(database, 2)
    with pytest.raises(RuntimeError, match="append-only"), database.session() as session:
        row = session.get(AuditRow, 1)
        assert row is not None
        row.what = "Noget andet"
        session.flush()
    with pytest.raises(RuntimeError, match="append-only"), database.session() as session:
        row = session.get(AuditRow, 2)
        session.delete(row)
        session.flush()
    with pytest.raises(RuntimeError, match="append-only"), database.session() as session:
        session.execute(update(AuditRow).values(what="x"))
    with pytest.raises(RuntimeError, match="append-only"), database.session() as session:
        session.execute(delete(AuditRow).where(AuditRow.seq == 1))
    with database.session() as session:
        assert AuditRepository(session).verify().count == 2


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("UPDATE audit_log SET what = 'Ingenting' WHERE seq = 3", "Linje 3 er ændret"),
        ("UPDATE audit_log SET username = 'en anden' WHERE seq = 3", "Linje 3 er ændret"),
        ("UPDATE audit_log SET patient_id = 99 WHERE seq = 3", "Linje 3 er ændret"),
        ("UPDATE audit_log SET hash = :forged WHERE seq = 3", "Linje 3 er ændret"),
        ("DELETE FROM audit_log WHERE seq = 3", "Linje 3 mangler (hul i rækkefølgen)"),
        ("UPDATE audit_log SET seq = 100 WHERE seq = 3", "Linje 3 mangler (hul i rækkefølgen)"),
    ],
    ids=["what", "user", "patient", "hash", "delete", "move"],
)
def test_tampering_with_raw_sql_is_named_by_verify(database: Database, tamper: str, reason: str) -> None:
    filled(database, 5)
    with unguarded(database.engine) as conn:  # issue 18: the database refuses these unless its owner drops its guards
        conn.execute(text(tamper), {"forged": "f" * 64} if ":forged" in tamper else {})
    with database.session() as session:
        result = AuditRepository(session).verify()
    assert (result.ok, result.first_bad_seq, result.reason) == (False, 3, reason)


def test_a_line_rewritten_with_its_hash_recomputed_breaks_the_next_pointer(database: Database) -> None:
    filled(database, 4)
    with database.session() as session:
        line = AuditRepository(session).all()[1]
    forged = dataclasses.replace(line, what="Ingenting")
    with unguarded(database.engine) as conn:
        conn.execute(
            text("UPDATE audit_log SET what = :what, hash = :hash WHERE seq = 2"),
            {"what": forged.what, "hash": chain_hash(forged.prev_hash, forged)},
        )
    with database.session() as session:
        assert AuditRepository(session).verify().reason == "Linje 3 peger ikke på linje 2"


def test_verify_streams_in_chunks_and_finds_a_line_past_the_first_chunk(database: Database) -> None:
    filled(database, 7)
    with database.session() as session:
        repo = AuditRepository(session)
        assert repo.verify(chunk=2).count == 7
        assert verify_chain(repo.stream(chunk=3)) == repo.verify()
    with unguarded(database.engine) as conn:
        conn.execute(text("UPDATE audit_log SET what = 'x' WHERE seq = 6"))
    with database.session() as session:
        assert AuditRepository(session).verify(chunk=2).first_bad_seq == 6


def test_streaming_leaves_nothing_behind_in_the_session(database: Database) -> None:
    filled(database, 3)
    with database.session() as session:
        list(AuditRepository(session).stream(chunk=1))
        assert not list(session.identity_map.values())


WRITERS = 2
APPENDS = 15


def test_two_writers_at_once_keep_one_unbroken_chain(db_url: str) -> None:
    """Each writer holds its transaction open a moment after appending, so the other must wait for the lock;
    without it both would read the same newest line (duplicate seq or a fork)."""
    databases = [open_database(db_url) for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(db: Database, name: str) -> None:
        try:
            start.wait()
            for i in range(APPENDS):
                with db.session() as session:
                    AuditRepository(session).append(name, AuditAction.VIS, f"{name} {i}", at=MOMENT)
                    time.sleep(0.005)
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(db, f"bruger{n}")) for n, db in enumerate(databases)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not failures, failures
        with databases[0].session() as session:
            repo = AuditRepository(session)
            result = repo.verify()
            users = [e.user for e in repo.all()]
        assert result.ok, result.reason
        assert result.count == WRITERS * APPENDS
        assert sorted(set(users)) == [f"bruger{n}" for n in range(WRITERS)]
    finally:
        for db in databases:
            db.dispose()


def test_the_log_has_no_foreign_keys_and_an_index_on_patient(database: Database) -> None:
    with database.engine.connect() as conn:
        inspector = inspect(conn)
        assert inspector.get_foreign_keys("audit_log") == []
        assert {"ix_audit_log_patient_id"} <= {ix["name"] for ix in inspector.get_indexes("audit_log")}
        assert inspector.get_pk_constraint("audit_log")["constrained_columns"] == ["seq"]


def test_a_0006_database_is_upgraded_to_0007_and_back(empty_db_url: str) -> None:
    migrate_to(empty_db_url, "0006")
    db = open_database(empty_db_url)  # the new Koordinator opens the 0006 database
    try:
        filled(db, 3)
        with db.session() as session:
            assert AuditRepository(session).verify().count == 3
    finally:
        db.dispose()
    migrate_to(empty_db_url, "0006", down=True)
    revision, tables = revision_and_tables(empty_db_url)
    assert revision == "0006"
    assert "audit_log" not in tables


def test_issued_hashes_reads_the_digests_of_issue_lines_only(database: Database) -> None:
    """Issue 17: the SHA-256 each issue line recorded, by document id — all patients' or one's, across chunks."""
    digests = {n: f"{n:064x}" for n in range(1, 6)}
    with database.session() as session:
        repo = AuditRepository(session)
        for n, digest in digests.items():
            patient = n % 2 + 1
            repo.append("k", AuditAction.UDSKRIV, f"Referat udstedt ({issued_document(n, digest)})", patient_id=patient,
                        at=MOMENT)  # fmt: skip
            repo.append("k", AuditAction.UDSKRIV, f"Dokument {n} (Referat) udskrevet", patient_id=patient, at=MOMENT)
        repo.append("k", AuditAction.UDSKRIV, "Varslingsblanket (varsling) udstedt (dokument 9)", at=MOMENT)
    with database.session() as session:
        repo = AuditRepository(session)
        assert repo.issued_hashes(chunk=2) == digests
        assert repo.issued_hashes(patient_id=1) == {n: d for n, d in digests.items() if n % 2 == 0}
