"""The tamper-evident archive (issue 17): an archived document is trusted only while its bytes match the SHA-256 in
its own row *and* the one its issue line recorded in the hash-chained audit log.

The row's hash sits beside the bytes, so whoever can rewrite one can rewrite the other. The issue line
("… udstedt (dokument 12, SHA-256 <hex>)", ``domain.audit.issued_document``) is written in the same transaction
as the document and is covered by the chain: changing it breaks ``audit verify``'s chain check, and leaving it
makes the rewritten bytes differ from it.

* ``problem`` — why one document's bytes are not what was issued (Danish), or None. ``read_archived`` (opening,
  printing, «Gem som PDF», ``pdf -o``) refuses such a document with ``changed_message``.
* ``ArchiveService.verify`` — every archived document re-hashed, for ``koordinator audit verify``.

Documents issued before the digest was logged have no hash in the log: they are checked against their row's hash
only and reported as such, not as a failure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coordinator_app.domain.access import Permission
from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.domain.model import ArchivedDocument
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.repositories import DocumentRepository, PatientRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["ArchiveReport", "ArchiveService", "DocumentCheck", "changed_message", "logged_hash", "problem"]

#: How many documents without a logged hash ``ArchiveReport.lines`` names one by one (the rest are counted).
NAMED_UNLOGGED = 20


def logged_hash(session: Session, document: ArchivedDocument) -> str | None:
    """The SHA-256 the document's issue line recorded, or None (issued before the digest was logged)."""
    assert document.id is not None
    return AuditRepository(session).issued_hash_of(document.id, patient_id=document.patient_id)


def problem(content: bytes, row_hash: str, logged: str | None) -> str | None:
    """Why ``content`` is not the issued document (Danish, lower case), or None when it is."""
    actual = hashlib.sha256(content).hexdigest()
    if logged is None:
        return None if actual == row_hash else "indholdet passer ikke med dokumentets kontrolsum"
    if actual == row_hash == logged:
        return None
    if actual == row_hash:
        return "indholdet og dokumentets kontrolsum er ændret og passer ikke med kontrolsummen i revisionsloggen"
    if row_hash == logged:
        return "indholdet passer ikke med dokumentets kontrolsum eller kontrolsummen i revisionsloggen"
    return "indholdet passer hverken med dokumentets kontrolsum eller med kontrolsummen i revisionsloggen"


def changed_message(document_id: int, reason: str) -> str:
    """The refusal shown when an archived document is opened, printed or exported after it was changed."""
    return (
        "Dokumentet er ændret efter udstedelsen og kan ikke åbnes, skrives ud eller gemmes.\n\n"
        f"Dokument nr. {document_id}: {reason}.\n\n"
        "Kontakt IT (revisionsloggen kontrolleres med «koordinator audit verify»), og udsted et nyt dokument, hvis "
        "der er brug for det."
    )


@dataclass(frozen=True)
class DocumentCheck:
    """One archived document as ``audit verify`` found it; ``patient`` is the masked CPR number."""

    document_id: int
    kind: str
    title: str
    patient: str
    logged: bool  # its SHA-256 is in the audit log
    problem: str | None  # None: the bytes are what was issued

    @property
    def label(self) -> str:
        return f"Dokument nr. {self.document_id} ({self.kind}, «{self.title}», patient {self.patient})"


def _count(n: int) -> str:
    return "1 dokument" if n == 1 else f"{n} dokumenter"


@dataclass(frozen=True)
class ArchiveReport:
    """Every archived document re-hashed: how many, those changed after issue, those without a logged hash."""

    checked: int
    changed: tuple[DocumentCheck, ...]
    unlogged: tuple[DocumentCheck, ...]  # not changed, but checked against their row's hash only

    @property
    def ok(self) -> bool:
        return not self.changed

    def lines(self) -> list[str]:
        """What ``audit verify`` prints about the archive (Danish)."""
        if self.changed:
            out = [f"Arkivet er ikke intakt: {_count(len(self.changed))} er ændret efter udstedelsen."]
            out += [f"{c.label}: {c.problem}." for c in self.changed]
        else:
            logged = self.checked - len(self.unlogged)
            out = [f"Arkivet er intakt: {_count(logged)} stemmer med kontrolsummen i revisionsloggen."]
        if self.unlogged:
            out.append(
                f"{_count(len(self.unlogged))} er udstedt før kontrolsummen kom i revisionsloggen og er kun "
                "kontrolleret mod dokumentets egen kontrolsum:"
            )
            out += [c.label + "." for c in self.unlogged[:NAMED_UNLOGGED]]
            if len(self.unlogged) > NAMED_UNLOGGED:
                out.append(f"… og {_count(len(self.unlogged) - NAMED_UNLOGGED)} mere.")
        return out


class ArchiveService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def verify(self) -> ArchiveReport:
        """Re-hash every archived document (one in memory at a time) against its row and its issue line
        (VIEW_AUDIT, as the chain check)."""
        require(self._ctx, Permission.VIEW_AUDIT)
        checks: list[DocumentCheck] = []
        with self._ctx.database.session() as session:
            logged = AuditRepository(session).issued_hashes()
            documents = DocumentRepository(session)
            patients = PatientRepository(session)
            cprs: dict[int, str] = {}
            for document_id in documents.ids():
                document = documents.get(document_id, with_content=True)
                assert document.content is not None and document.patient_id is not None
                if document.patient_id not in cprs:
                    cprs[document.patient_id] = mask_cpr(patients.get(document.patient_id).cpr)
                digest = logged.get(document_id)
                checks.append(
                    DocumentCheck(
                        document_id=document_id,
                        kind=document.kind,
                        title=document.title,
                        patient=cprs[document.patient_id],
                        logged=digest is not None,
                        problem=problem(document.content, document.sha256, digest),
                    )
                )
        return ArchiveReport(
            checked=len(checks),
            changed=tuple(c for c in checks if c.problem is not None),
            unlogged=tuple(c for c in checks if c.problem is None and not c.logged),
        )
