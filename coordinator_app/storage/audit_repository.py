"""The audit log in storage (issue 8, migration 0007; its anchored end, issue 18, migration 0009): append a chained
line, read, verify.

Lines are only ever inserted (``orm.AuditRow`` refuses updates and deletes, bulk ones too; since 0009 the database's
triggers refuse them as well). ``append`` reads the log's head (``audit_head``: the newest line's number and hash),
writes the next line chained to it and moves the head onto it, in the caller's transaction. Chaining to the head,
not to the last row in the table, keeps a cut-off end visible: lines cut off and then a new line appended leave a
gap that ``verify`` names. A head that does not fit — gone, its seal broken, or behind the last line (all only with
raw SQL) — is left as it is, and the line follows the last one: the evidence stays for ``verify``, and the ward keeps
working. Two appends must never read the same head:

* PostgreSQL: a transaction-scoped advisory lock (``pg_advisory_xact_lock``), taken before reading, makes
  appenders take turns until their transaction ends (an empty log has no row to ``SELECT … FOR UPDATE``). The
  loans are held first (``storage.loans.hold_against_checkout``): a check-out holds them and then appends its lines
  from a REPEATABLE READ snapshot taken when it got them, so no line may be appended meanwhile (the check-out would
  chain to a head it no longer sees), and an appender holding the chain and then waiting for the loans (a write to
  a case flushed after its line) would deadlock with it.
* SQLite: one writer at a time already; a no-op write takes the write lock *before* the read, so the read sees
  the newest commit (a read first would fail later as a stale snapshot instead of waiting).

``seq`` is given by the app, not by a sequence: a rolled-back append leaves no gap for ``verify`` to report.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, insert, select, text, update

from coordinator_app.domain.audit import (
    AuditAction,
    AuditEntry,
    AuditHead,
    VerifyResult,
    check_noted,
    head_after,
    issued_hash,
    seal,
    verify_chain,
)
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import tables
from coordinator_app.storage.loans import hold_against_checkout

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = ["AuditRepository"]

#: Arbitrary constant shared by every Koordinator: "the audit log is being appended to" (migrate.py uses another).
_PG_AUDIT_LOCK_KEY = 0x4B4F4155  # "KOAU"
#: Lines per query when streaming the whole log (verify): memory stays flat for millions of lines.
CHUNK = 2000


#: The columns read back (plain rows, not ORM objects: streaming a big log leaves no trace in the session).
_COLUMNS = (
    tables.audit_log.c.seq,
    tables.audit_log.c.at,
    tables.audit_log.c.username,
    tables.audit_log.c.action,
    tables.audit_log.c.patient_id,
    tables.audit_log.c.admission_id,
    tables.audit_log.c.what,
    tables.audit_log.c.prev_hash,
    tables.audit_log.c.hash,
)


def _table(cls: type[orm.AuditRow] | type[orm.AuditHeadRow]) -> Table:
    table = cls.__table__
    assert isinstance(table, Table)
    return table


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        user=row.username,
        action=AuditAction(row.action),
        patient_id=row.patient_id,
        admission_id=row.admission_id,
        what=row.what,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(
        self,
        user: str,
        action: AuditAction,
        what: str,
        *,
        patient_id: int | None = None,
        admission_id: int | None = None,
        at: datetime,
    ) -> AuditEntry:
        """The next line after the head, and the head moved onto it, in the caller's transaction: both commit or roll
        back with the change the line records."""
        self._lock()
        head, last = self.head(), self._last()
        on_head = head is not None and head.sealed and (last.seq if last is not None else 0) <= head.seq
        entry = seal(
            head if on_head else last,
            at=at,
            user=user,
            action=action,
            what=what,
            patient_id=patient_id,
            admission_id=admission_id,
        )
        conn = self._session.connection()
        conn.execute(
            insert(_table(orm.AuditRow)),
            {
                "seq": entry.seq,
                "at": entry.at,
                "username": entry.user,
                "action": entry.action.value,
                "patient_id": entry.patient_id,
                "admission_id": entry.admission_id,
                "what": entry.what,
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            },
        )
        if on_head:
            moved = head_after(entry)
            conn.execute(
                update(_table(orm.AuditHeadRow)).where(_table(orm.AuditHeadRow).c.id == 1),
                {"seq": moved.seq, "hash": moved.hash, "seal": moved.seal},
            )
        return entry

    def all(self) -> list[AuditEntry]:
        return list(self.stream())

    def for_patient(self, patient_id: int) -> list[AuditEntry]:
        rows = self._session.execute(
            select(*_COLUMNS).where(orm.AuditRow.patient_id == patient_id).order_by(orm.AuditRow.seq)
        ).all()
        return [_entry(r) for r in rows]

    def count(self) -> int:
        last = self._last()
        return last.seq if last is not None else 0

    def stream(self, chunk: int = CHUNK) -> Iterator[AuditEntry]:
        """Every line in order, read ``chunk`` lines at a time (keyset paging on ``seq``)."""
        after = 0
        while True:
            rows = self._session.execute(
                select(*_COLUMNS).where(orm.AuditRow.seq > after).order_by(orm.AuditRow.seq).limit(chunk)
            ).all()
            for row in rows:
                yield _entry(row)
            if len(rows) < chunk:
                return
            after = rows[-1].seq

    def issued_hashes(self, *, patient_id: int | None = None, chunk: int = CHUNK) -> dict[int, str]:
        """The SHA-256 each issue line recorded for its document (issue 17), by document id: every patient's, or
        ``patient_id``'s only. Documents issued before the digest was logged are absent. Read ``chunk`` lines at a
        time, issue lines only (``UDSKRIV`` naming a SHA-256)."""
        where = [orm.AuditRow.action == AuditAction.UDSKRIV.value, orm.AuditRow.what.like("%, SHA-256 %")]
        if patient_id is not None:
            where.append(orm.AuditRow.patient_id == patient_id)
        hashes: dict[int, str] = {}
        after = 0
        while True:
            rows = self._session.execute(
                select(*_COLUMNS).where(orm.AuditRow.seq > after, *where).order_by(orm.AuditRow.seq).limit(chunk)
            ).all()
            for row in rows:
                found = issued_hash(_entry(row))
                if found is not None:
                    hashes.setdefault(*found)
            if len(rows) < chunk:
                return hashes
            after = rows[-1].seq

    def issued_hash_of(self, document_id: int, *, patient_id: int | None = None) -> str | None:
        """The SHA-256 the issue line of ``document_id`` recorded, or None (issued before the digest was logged).
        Looked for among ``patient_id``'s lines first (indexed), then in the whole log, so a document row moved to
        another patient still finds its line."""
        where = [
            orm.AuditRow.action == AuditAction.UDSKRIV.value,
            orm.AuditRow.what.like(f"%(dokument {int(document_id)}, SHA-256 %"),
        ]
        scopes = ([orm.AuditRow.patient_id == patient_id],) if patient_id is not None else ()
        for scope in (*scopes, []):
            rows = self._session.execute(select(*_COLUMNS).where(*where, *scope).order_by(orm.AuditRow.seq)).all()
            for row in rows:
                found = issued_hash(_entry(row))
                if found is not None and found[0] == document_id:
                    return found[1]
        return None

    def head(self) -> AuditHead | None:
        """Where the log ends, as stored (None: the row is gone)."""
        row = self._session.execute(
            select(orm.AuditHeadRow.seq, orm.AuditHeadRow.hash, orm.AuditHeadRow.seal).where(orm.AuditHeadRow.id == 1)
        ).first()
        return AuditHead(row.seq, row.hash, row.seal) if row is not None else None

    def verify(self, chunk: int = CHUNK, *, noted: tuple[int, str] | None = None) -> VerifyResult:
        """The whole chain and its end against the head, read in one snapshot (PostgreSQL: a fresh session is made
        REPEATABLE READ first, so lines appended meanwhile by others are not seen past the head read before them;
        SQLite: one read transaction is a snapshot already). ``noted``: a head noted down earlier, which line
        ``seq`` must still match (else the result names it)."""
        self._snapshot()
        result = verify_chain(self.stream(chunk), head=self.head())
        if result.ok and noted is not None:
            problem = check_noted(self.stream(chunk), noted)
            if problem is not None:
                return VerifyResult(ok=False, count=result.count, first_bad_seq=noted[0], reason=problem)
        return result

    # -- helpers ------------------------------------------------------------------------------------------
    def _lock(self) -> None:
        conn = self._session.connection()
        if conn.dialect.name == "postgresql":
            hold_against_checkout(conn)  # lock order: the loans, then the chain
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK_KEY})
        else:
            conn.execute(text("UPDATE audit_log SET seq = seq WHERE 0"))

    def _snapshot(self) -> None:
        bind = self._session.get_bind()
        if bind.dialect.name == "postgresql" and not self._session.in_transaction():
            self._session.connection(execution_options={"isolation_level": "REPEATABLE READ"})

    def _last(self) -> AuditEntry | None:
        row = self._session.execute(select(*_COLUMNS).order_by(orm.AuditRow.seq.desc()).limit(1)).first()
        return _entry(row) if row is not None else None
