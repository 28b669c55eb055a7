"""Loans of cases to laptop files (issue 19, ``domain.offline``): the repository, and the guard that refuses every
write to a lent patient.

The guard (``lent_cases_are_read_only``) is a ``before_flush`` listener on every session, installed by
``storage.orm`` with the mappings (they load with the first session, after start: issue 15). Before the ORM writes a
patient, admission, event, consent, document, meeting or discharge plan, it asks whether the patient is in a loan
that is still out and, if so, raises ``domain.offline.LentCaseError`` (Danish, naming the loan) — the service's
transaction rolls back and nothing is written. Writes that bypass the ORM's flush (the meeting's autosave, one Core
UPDATE) call ``refuse_lent`` themselves (or, to stay one statement, carry ``not_lent`` in their WHERE and call
``refuse_lent`` when no row changed). The question costs one indexed SELECT, only in a flush that touches such rows.
A laptop file has no loans, so nothing is refused there.

Races between processes (tested with real processes, ``tests/services/test_offline_races.py``): a check-out and a
revoke take the loans first (``LoanRepository.lock``) and a ward write to a case holds them against a check-out from
its guard to its commit (``hold_against_checkout``), so a write to a case either commits before a check-out's
snapshot (and is in the laptop file) or waits for the check-out and is refused as lent — never a write the file
misses. SQLite: one writer at a time, and ``lock`` takes the write lock before anything is read (a check-out that
read first would fail at its first write as a stale snapshot). PostgreSQL: ``LOCK TABLE loans`` — SHARE ROW
EXCLUSIVE for a check-out or revoke (they take turns, and wait for the writes in progress), ROW EXCLUSIVE for a
write (writes never wait for each other); a LOCK takes no snapshot, so the check-out's REPEATABLE READ snapshot is
taken after it holds the loans. Lock order: the loans before the audit chain (``AuditRepository`` takes them too).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Connection, exists, or_, select, text, update

from coordinator_app.domain.errors import NotFoundError
from coordinator_app.domain.offline import Loan, LoanState, lent_refusal
from coordinator_app.lazy import lazy_import
from coordinator_app.storage import tables

if TYPE_CHECKING:  # the repositories import this module at start; the ORM loads with the first session (issue 15)
    from sqlalchemy.orm import Session

    from coordinator_app.storage import orm
else:
    orm = lazy_import("coordinator_app.storage.orm")

__all__ = ["LoanRepository", "hold_against_checkout", "lent_cases_are_read_only", "not_lent", "refuse_lent"]

_LOANS = tables.loans
_CASES = tables.loan_cases
_ADMISSIONS = tables.admissions
_MEETINGS = tables.meetings


def _loan(row: Any, patient_ids: Iterable[int] = (), admission_ids: Iterable[int | None] = ()) -> Loan:
    return Loan(
        id=row.id,
        loan_id=row.loan_id,
        laptop=row.laptop,
        lent_by=row.lent_by,
        lent_at=row.lent_at,
        expected_return=row.expected_return,
        state=LoanState(row.state),
        ended_at=row.ended_at,
        ended_by=row.ended_by,
        ended_reason=row.ended_reason,
        patient_ids=frozenset(patient_ids),
        admission_ids=frozenset(a for a in admission_ids if a is not None),
    )


class LoanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def lock(self) -> None:
        """Take the loans for this transaction, before anything is read in it: a second check-out or revoke waits
        until this transaction ends (then reads what it committed), and so do the ward's writes to cases (they wait
        for a check-out, which waits for those in progress). A wait longer than the database's busy timeout is
        ``DatabaseBusyError`` (Danish) when the transaction ends."""
        conn = self._session.connection()
        if conn.dialect.name == "postgresql":
            conn.execute(text("LOCK TABLE loans IN SHARE ROW EXCLUSIVE MODE"))
        else:  # the write lock, taken before the first read (a no-op write: the audit log's ``_lock`` does the same)
            conn.execute(text("UPDATE loans SET state = state WHERE 0"))

    def add(self, loan: Loan) -> Loan:
        """Record a loan that is out, with its cases: one ``loan_cases`` row per admission, and one without an
        admission for each patient lent without one (ambulant)."""
        row = orm.LoanRow(
            loan_id=loan.loan_id,
            laptop=loan.laptop,
            lent_by=loan.lent_by,
            lent_at=loan.lent_at,
            expected_return=loan.expected_return,
            state=loan.state.value,
            ended_reason="",
        )
        self._session.add(row)
        self._session.flush()
        admissions = self._session.execute(
            select(_ADMISSIONS.c.id, _ADMISSIONS.c.patient_id).where(_ADMISSIONS.c.id.in_(loan.admission_ids))
        ).all()
        with_admission = {patient_id for _id, patient_id in admissions}
        cases: list[dict[str, int | None]] = [
            {"loan_id": row.id, "patient_id": p, "admission_id": a} for a, p in admissions
        ]
        cases += [
            {"loan_id": row.id, "patient_id": p, "admission_id": None}
            for p in sorted(loan.patient_ids - with_admission)
        ]
        self._session.execute(_CASES.insert(), cases)
        return self.get(loan.loan_id)

    def get(self, loan_id: str) -> Loan:
        row = self._session.execute(select(_LOANS).where(_LOANS.c.loan_id == loan_id)).first()
        if row is None:
            raise NotFoundError(f"Udlånet {loan_id} findes ikke i databasen.")
        cases = self._session.execute(
            select(_CASES.c.patient_id, _CASES.c.admission_id).where(_CASES.c.loan_id == row.id)
        ).all()
        return _loan(row, (c.patient_id for c in cases), (c.admission_id for c in cases))

    def out_for(self, patient_ids: Iterable[int]) -> list[Loan]:
        """The loans still out that hold any of ``patient_ids``."""
        rows = self._session.execute(
            select(_LOANS.c.loan_id)
            .join(_CASES, _CASES.c.loan_id == _LOANS.c.id)
            .where(_LOANS.c.state == LoanState.UDLAANT.value, _CASES.c.patient_id.in_(list(patient_ids)))
            .distinct()
        ).all()
        return [self.get(r.loan_id) for r in rows]

    def out(self) -> list[Loan]:
        """Every loan still out, oldest first."""
        rows = self._session.execute(
            select(_LOANS.c.loan_id).where(_LOANS.c.state == LoanState.UDLAANT.value).order_by(_LOANS.c.id)
        ).all()
        return [self.get(r.loan_id) for r in rows]

    def end(self, loan: Loan) -> Loan:
        """Write how a loan ended (``state``, ``ended_*``); only a loan still out moves (compare-and-set)."""
        done = self._session.execute(
            update(_LOANS)
            .where(_LOANS.c.loan_id == loan.loan_id, _LOANS.c.state == LoanState.UDLAANT.value)
            .values(
                state=loan.state.value, ended_at=loan.ended_at, ended_by=loan.ended_by, ended_reason=loan.ended_reason
            )
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
            raise NotFoundError(f"Udlånet til {loan.laptop} er ikke udlånt længere. Opdatér listen.")
        return self.get(loan.loan_id)


def not_lent(patient_id: ColumnElement[int]) -> ColumnElement[bool]:
    """A WHERE condition: the patient in ``patient_id`` is in no loan that is still out. For a Core UPDATE that must
    stay one statement (the meeting's autosave); when it changes no row, ``refuse_lent`` says whether this was why."""
    return ~exists().where(
        _CASES.c.patient_id == patient_id,
        _CASES.c.loan_id == _LOANS.c.id,
        _LOANS.c.state == LoanState.UDLAANT.value,
    )


def hold_against_checkout(conn: Connection) -> None:
    """PostgreSQL: until this transaction ends, a check-out (``LoanRepository.lock``) waits for it; while one runs,
    this waits for it. Called before a write to a case reads the loans, and before the audit chain is locked (lock
    order). SQLite needs nothing: one writer at a time, and a write that read before a check-out committed is refused
    (locked while the check-out holds the write lock, a stale snapshot after) instead of landing."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE loans IN ROW EXCLUSIVE MODE"))


def refuse_lent(
    session: Session,
    *,
    patient_ids: Iterable[int] = (),
    admission_ids: Iterable[int] = (),
    meeting_ids: Iterable[int] = (),
    what: str = "Indlæggelsen",
) -> None:
    """``LentCaseError`` (Danish, naming the loan) when any of these belongs to a patient in a loan still out."""
    patients, admissions, meetings = set(patient_ids), set(admission_ids), set(meeting_ids)
    if not (patients or admissions or meetings):
        return
    whose = []
    if patients:
        whose.append(_CASES.c.patient_id.in_(patients))
    if admissions:
        whose.append(_CASES.c.patient_id.in_(select(_ADMISSIONS.c.patient_id).where(_ADMISSIONS.c.id.in_(admissions))))
    if meetings:
        whose.append(_CASES.c.patient_id.in_(select(_MEETINGS.c.patient_id).where(_MEETINGS.c.id.in_(meetings))))
    with session.no_autoflush:
        hold_against_checkout(session.connection())
        row = session.execute(
            select(_LOANS)
            .join(_CASES, _CASES.c.loan_id == _LOANS.c.id)
            .where(_LOANS.c.state == LoanState.UDLAANT.value, or_(*whose))
            .order_by(_LOANS.c.id)
            .limit(1)
        ).first()
    if row is not None:
        raise lent_refusal(_loan(row), what)


def lent_cases_are_read_only(session: Session, _context: Any, _instances: Any) -> None:
    """The flush guard (``before_flush`` on every ``Session``, listened to by ``storage.orm``): ``LentCaseError``
    before anything is written when the flush adds, changes or deletes a row of a patient in a loan still out."""
    of_patient = (orm.ConsentRow, orm.DocumentRow, orm.MeetingRow, orm.DischargePlanRow)
    patients: set[int] = set()
    admissions: set[int] = set()
    what = "Patienten"
    changed = [*session.new, *session.deleted, *(o for o in session.dirty if session.is_modified(o))]
    for obj in changed:
        if isinstance(obj, orm.PatientRow):
            if obj.id is not None:
                patients.add(obj.id)
        elif isinstance(obj, orm.AdmissionRow):
            if obj.patient_id is not None:
                patients.add(obj.patient_id)
            what = "Indlæggelsen"
        elif isinstance(obj, orm.EventRow):
            if obj.admission_id is not None:
                admissions.add(obj.admission_id)
            what = "Indlæggelsen"
        elif isinstance(obj, of_patient):
            if obj.patient_id is not None:
                patients.add(obj.patient_id)
            if obj.admission_id is not None:
                what = "Indlæggelsen"
    if patients or admissions:
        refuse_lent(session, patient_ids=patients, admission_ids=admissions, what=what)
