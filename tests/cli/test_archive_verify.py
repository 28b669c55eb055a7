"""`koordinator audit verify` re-hashes the archive (issue 17), on SQLite and PostgreSQL: a document whose bytes and
row hash were rewritten together with plain SQL no longer passes — its issue line in the hash-chained audit log
still holds the SHA-256 it was issued with — and the document is named in Danish (number, kind, masked CPR).
Documents issued before the digest was logged are checked against their row only and listed as such."""

from __future__ import annotations

import hashlib
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from helpers.commands import run_koordinator
from helpers.tamper import tamper, unguarded
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte
from sqlalchemy import text

from coordinator_app.domain.audit import head_after, seal
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import open_database

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
FORGED = b"%PDF-1.4 en anden tekst end den udstedte"


def koordinator(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_koordinator("--database", url, *args, env=dict(os.environ))


def issue(url: str) -> int:
    """One patient's varsling issued and archived; the document's id."""
    db = open_database(url)
    try:
        ctx = service_context(db, now=NOW, user="koordinator")
        sent = varsle_gentofte(ctx, admit_in_glostrup(ctx))
        assert sent.document_id is not None
        return sent.document_id
    finally:
        db.dispose()


def execute(url: str, sql: str, **params: object) -> None:
    """Raw SQL as the database's owner, past its triggers (issue 18)."""
    tamper(url, sql, **params)


def substitute(url: str, document_id: int) -> None:
    """What the issue describes: the bytes and their SHA-256 rewritten in the same row with plain SQL."""
    execute(
        url,
        "UPDATE documents SET content = :content, sha256 = :digest WHERE id = :id",
        content=FORGED,
        digest=hashlib.sha256(FORGED).hexdigest(),
        id=document_id,
    )


def test_an_untouched_archive_verifies(db_url: str) -> None:
    issue(db_url)
    result = koordinator(db_url, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "Arkivet er intakt: 1 dokument stemmer med kontrolsummen i revisionsloggen." in result.stdout.splitlines()


def test_a_substituted_document_fails_verify_by_name(db_url: str) -> None:
    document_id = issue(db_url)
    substitute(db_url, document_id)
    result = koordinator(db_url, "audit", "verify")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Revisionsloggens ende før dette login: linje ")  # issue 18: read before the login
    assert lines[1].startswith("Revisionsloggen er intakt (")  # the chain itself was not touched
    assert "Arkivet er ikke intakt: 1 dokument er ændret efter udstedelsen." in lines
    (named,) = [line for line in lines if line.startswith(f"Dokument nr. {document_id} ")]
    assert "varslingsblanket" in named and "patient 010190-xxxx" in named
    assert "passer ikke med kontrolsummen i revisionsloggen" in named
    assert "9909" not in result.stdout and "Traceback" not in result.stderr  # masked, no traceback


def test_bytes_changed_without_the_row_hash_fail_too(db_url: str) -> None:
    document_id = issue(db_url)
    execute(db_url, "UPDATE documents SET content = :content WHERE id = :id", content=FORGED, id=document_id)
    result = koordinator(db_url, "audit", "verify")
    assert result.returncode == 1
    assert f"Dokument nr. {document_id} " in result.stdout


def test_a_document_issued_before_the_hash_was_logged_is_reported_not_failed(db_url: str) -> None:
    """An older database: the issue line ends "(dokument N)" without a digest. The chain is re-sealed as such a
    database would have it, so only the archive check differs."""
    document_id = issue(db_url)
    logged = f", SHA-256 {_digest(db_url, document_id)})"
    db = open_database(db_url)
    try:
        with db.session() as session:
            entries = AuditRepository(session).all()
        with unguarded(db.engine) as conn:  # the owner, past the triggers (issue 18)
            conn.execute(text("DELETE FROM audit_log"))
            previous = None
            for entry in entries:
                what = entry.what.replace(logged, ")")
                line = seal(
                    previous,
                    at=entry.at,
                    user=entry.user,
                    action=entry.action,
                    what=what,
                    patient_id=entry.patient_id,
                    admission_id=entry.admission_id,
                )
                conn.execute(
                    text(
                        "INSERT INTO audit_log (seq, at, username, action, patient_id, admission_id, what, prev_hash, "
                        "hash) VALUES (:seq, :at, :user, :action, :patient_id, :admission_id, :what, :prev, :hash)"
                    ),
                    {
                        "seq": line.seq,
                        "at": line.at,
                        "user": line.user,
                        "action": line.action.value,
                        "patient_id": line.patient_id,
                        "admission_id": line.admission_id,
                        "what": line.what,
                        "prev": line.prev_hash,
                        "hash": line.hash,
                    },
                )
                previous = line
            assert previous is not None  # the head such a database has after migration 0009: its last line
            end = head_after(previous)
            conn.execute(
                text("UPDATE audit_head SET seq = :seq, hash = :hash, seal = :seal"),
                {"seq": end.seq, "hash": end.hash, "seal": end.seal},
            )
    finally:
        db.dispose()
    result = koordinator(db_url, "audit", "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "Arkivet er intakt: 0 dokumenter stemmer med kontrolsummen i revisionsloggen." in lines
    assert (
        "1 dokument er udstedt før kontrolsummen kom i revisionsloggen og er kun kontrolleret mod dokumentets egen "
        "kontrolsum:" in lines
    )
    assert any(line.startswith(f"Dokument nr. {document_id} (varslingsblanket") for line in lines)


def test_pdf_refuses_a_changed_plan_and_writes_nothing(demo_db_path: Path, tmp_path: Path) -> None:
    """`pdf udskrivningsaftale … -o FIL` exports the archived plan in force: a substituted one is refused in Danish,
    exit status 2, no file, no traceback."""
    url = f"sqlite:///{demo_db_path}"
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            document_id, admission_id = conn.execute(
                text("SELECT id, admission_id FROM documents WHERE kind = 'udskrivningsaftale' ORDER BY id LIMIT 1")
            ).one()
    finally:
        db.dispose()
    substitute(url, document_id)
    out = tmp_path / "aftale.pdf"
    result = koordinator(url, "pdf", "udskrivningsaftale", "--admission", str(admission_id), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.startswith("Dokumentet er ændret efter udstedelsen")
    assert f"Dokument nr. {document_id}: " in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def _digest(url: str, document_id: int) -> str:
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            return str(conn.execute(text("SELECT sha256 FROM documents WHERE id = :id"), {"id": document_id}).scalar())
    finally:
        db.dispose()
