"""The audit log as the other services and the administrator use it (issue 8).

* ``record_in`` writes the line in the caller's transaction: the change and its line are committed together or
  not at all. Call it after the change's own writes (the append takes the log's lock until commit).
* ``record`` writes a line in a transaction of its own — for views, after the data was read.
* ``verify`` checks the whole chain and its anchored end (issue 18); ``log_end`` reads where the log ends without a
  login, so ``audit verify`` can show it before its own login line is written; ``patient_log``/``export_patient_log``
  give one patient's lines (GDPR art. 15: who has seen or changed the record). The export itself is logged.

Lines name the patient by id only: never a CPR number or a name in ``what``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import ACTION_LABELS, AuditAction, AuditEntry, AuditHead, VerifyResult
from coordinator_app.services.context import COPENHAGEN, ServiceContext, require
from coordinator_app.storage.audit_repository import AuditRepository

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.services.database import Database

#: Column headings of the patient export (CSV for Danish Excel: ``;``, UTF-8 with BOM).
EXPORT_HEADERS = ("Linje", "Tidspunkt", "Bruger", "Handling", "Patient", "Indlæggelse", "Hvad", "Kontrolsum")


@dataclass(frozen=True)
class LastChange:
    """The newest line that wrote to an admission: who, when (aware UTC) and what (Danish, no CPR or name)."""

    user: str
    at: datetime
    what: str


#: Lines that record a write (views and logins are not changes).
_WRITES = frozenset({AuditAction.OPRET, AuditAction.RET, AuditAction.KORRIGER})


def log_end(database: Database) -> AuditHead | None:
    """Where the log ends as stored (None: the head's row is gone), read before anyone logs in: a line number and a
    hash, nothing about a patient, so it needs no role. Writes nothing."""
    with database.session() as session:
        return AuditRepository(session).head()


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def record_in(
        self,
        session: Session,
        action: AuditAction,
        what: str,
        *,
        patient_id: int | None = None,
        admission_id: int | None = None,
    ) -> AuditEntry:
        """One line by the context's user, now, in ``session``'s transaction."""
        return AuditRepository(session).append(
            self._ctx.user,
            action,
            what,
            patient_id=patient_id,
            admission_id=admission_id,
            at=self._ctx.clock.now(),
        )

    def record(
        self, action: AuditAction, what: str, *, patient_id: int | None = None, admission_id: int | None = None
    ) -> AuditEntry:
        """One line in a transaction of its own (a view: nothing else to commit with it)."""
        with self._ctx.database.session() as session:
            return self.record_in(session, action, what, patient_id=patient_id, admission_id=admission_id)

    def last_change(self, patient_id: int, admission_id: int) -> LastChange | None:
        """Who last wrote to ``admission_id``, when and what, for the conflict dialog (issue 8). Not a view of the
        log for an access request, so it needs no VIEW_AUDIT; the caller checks READ. Read from the patient's lines
        (one patient's log is small)."""
        with self._ctx.database.session() as session:
            entries = AuditRepository(session).for_patient(patient_id)
        for entry in reversed(entries):
            if entry.admission_id == admission_id and entry.action in _WRITES:
                return LastChange(entry.user, entry.at, entry.what)
        return None

    def verify(self, *, noted: tuple[int, str] | None = None) -> VerifyResult:
        """The chain and its end; ``noted`` (line, hash) written down at an earlier check must still hold."""
        require(self._ctx, Permission.VIEW_AUDIT)
        with self._ctx.database.session() as session:
            return AuditRepository(session).verify(noted=noted)

    def patient_log(self, patient_id: int) -> list[AuditEntry]:
        """The patient's lines, oldest first."""
        require(self._ctx, Permission.VIEW_AUDIT)
        with self._ctx.database.session() as session:
            return AuditRepository(session).for_patient(patient_id)

    def export_patient_log(self, patient_id: int, target: str | None = None) -> bytes:
        """The patient's lines as CSV (``;``, UTF-8 with BOM, Danish headings and local time), for an access
        request (GDPR art. 15). The export is logged first, so the file shows it too; ``target`` (the file it goes
        to) is named in that line."""
        require(self._ctx, Permission.VIEW_AUDIT)
        what = "Revisionslog for patienten eksporteret"
        self.record(AuditAction.EKSPORT, f"{what}, fil: {target}" if target else what, patient_id=patient_id)
        entries = self.patient_log(patient_id)
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(EXPORT_HEADERS)
        for e in entries:
            writer.writerow(
                (
                    e.seq,
                    f"{e.at.astimezone(COPENHAGEN):%d-%m-%Y %H:%M:%S}",
                    e.user,
                    ACTION_LABELS[e.action],
                    e.patient_id if e.patient_id is not None else "",
                    e.admission_id if e.admission_id is not None else "",
                    e.what,
                    e.hash,
                )
            )
        return out.getvalue().encode("utf-8")
