"""The tamper-evident archive through the services (issue 17), on SQLite and PostgreSQL: the issue line carries the
document's SHA-256 in the hash chain, and a document whose bytes (with or without its row hash) were rewritten with
plain SQL is refused in Danish when opened, printed or exported — never a traceback."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from helpers.tamper import unguarded
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte
from sqlalchemy import text

from coordinator_app.domain.audit import AuditAction, issued_hash
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.services.archive import ArchiveService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.services.exports import ExportService
from coordinator_app.storage.audit_repository import AuditRepository

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
FORGED = b"%PDF-1.4 en anden tekst end den udstedte"
CHANGED = "Dokumentet er ændret efter udstedelsen"


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator")


@pytest.fixture
def document_id(ctx: ServiceContext) -> int:
    sent = varsle_gentofte(ctx, admit_in_glostrup(ctx))
    assert sent.document_id is not None
    return sent.document_id


def rewrite(ctx: ServiceContext, document_id: int, *, row_hash: bool = True) -> None:
    """Plain SQL, as someone with a copy of the database would: new bytes, and (``row_hash``) their SHA-256 too."""
    sql = "UPDATE documents SET content = :content" + (", sha256 = :digest" if row_hash else "") + " WHERE id = :id"
    with unguarded(ctx.database.engine) as conn:  # issue 18: only the owner, past the database's triggers
        conn.execute(text(sql), {"content": FORGED, "digest": hashlib.sha256(FORGED).hexdigest(), "id": document_id})


def test_the_issue_line_carries_the_documents_sha256(ctx: ServiceContext, document_id: int) -> None:
    content = DocumentService(ctx).content(document_id)
    with ctx.database.session() as session:
        lines = AuditRepository(session).all()
        assert AuditRepository(session).issued_hashes() == {document_id: hashlib.sha256(content).hexdigest()}
    (issue,) = [e for e in lines if issued_hash(e) is not None]
    assert issue.action is AuditAction.UDSKRIV
    assert issue.what.endswith(f"(dokument {document_id}, SHA-256 {hashlib.sha256(content).hexdigest()})")
    assert issued_hash(issue) == (document_id, hashlib.sha256(content).hexdigest())


def test_an_untouched_document_opens_exports_and_verifies(ctx: ServiceContext, document_id: int) -> None:
    content = DocumentService(ctx).content(document_id)
    assert content.startswith(b"%PDF")
    assert ExportService(ctx).document(document_id).data == content
    report = ArchiveService(ctx).verify()
    assert (report.ok, report.checked, report.changed, report.unlogged) == (True, 1, (), ())


@pytest.mark.parametrize("row_hash", [True, False], ids=["bytes-and-row-hash", "bytes-only"])
def test_a_rewritten_document_is_refused(ctx: ServiceContext, document_id: int, row_hash: bool) -> None:
    rewrite(ctx, document_id, row_hash=row_hash)
    for use in (AuditAction.VIS, AuditAction.UDSKRIV, AuditAction.EKSPORT):
        with pytest.raises(KoordinatorError, match=CHANGED) as refused:
            DocumentService(ctx).content(document_id, use=use)
        assert f"Dokument nr. {document_id}: " in refused.value.message
    with pytest.raises(KoordinatorError, match=CHANGED):
        ExportService(ctx).document(document_id)
    report = ArchiveService(ctx).verify()
    assert not report.ok
    (changed,) = report.changed
    assert (changed.document_id, changed.kind, changed.patient, changed.logged) == (
        document_id,
        "varslingsblanket",
        "010190-xxxx",
        True,
    )


def test_a_rewritten_document_moved_to_another_patient_is_refused(ctx: ServiceContext, document_id: int) -> None:
    """The issue line is found by the document's id, not only among its (possibly rewritten) patient's lines."""
    other = admit_in_glostrup(ctx, cpr="020290-9908", given_name="Anden")
    rewrite(ctx, document_id)
    with unguarded(ctx.database.engine) as conn:
        conn.execute(
            text("UPDATE documents SET patient_id = :p, admission_id = :a WHERE id = :id"),
            {"p": other.patient_id, "a": other.admission_id, "id": document_id},
        )
    with pytest.raises(KoordinatorError, match=CHANGED):
        DocumentService(ctx).content(document_id)
    assert [c.document_id for c in ArchiveService(ctx).verify().changed] == [document_id]
