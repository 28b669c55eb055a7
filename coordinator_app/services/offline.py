"""Cases taken offline on a laptop (issue 19, ``docs/offline.md``): check-out, the ward's view of a loan, revoke.

* ``check_out``: a koordinator or administrator (``Permission.LEND_CASES``; læseadgang and mødeleder never) picks
  admissions (and ambulant patients); a new SQLCipher file with the passphrase given is made holding exactly what
  working on those patients needs (``storage.offline_copy``), and the loan is recorded with an audit line per
  patient — all in one transaction on the ward's database: if the file cannot be made, no loan is recorded and the
  half-made file is removed; if the loan cannot be recorded, the file is removed.
* ``loans_out``/``loan_of``: what the ward shows on a lent case ("Udlånt til … af … siden …").
* ``revoke``: the administrator's (``Permission.REVOKE_LOAN``), with a reason, logged; the ward may write again.

While a loan is out every write to its patients is refused before anything is written (``domain.offline
.LentCaseError``, raised by the storage layer's flush guard inside the service's transaction, ``storage.loans``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, select

from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import NotFoundError, StorageError, ValidationError
from coordinator_app.domain.offline import (
    Loan,
    LoanState,
    check_laptop_name,
    check_lendable,
    check_revocable,
    new_loan_id,
)
from coordinator_app.infra.oserrors import describe
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.storage.database import open_database as _open_storage
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.offline_copy import copy_cases
from coordinator_app.storage.orm import AdmissionRow, PatientRow

__all__ = ["META_KEYS", "CheckoutResult", "check_out", "loan_of", "loans_out", "revoke"]

#: What the laptop file says about itself in its ``app_meta``.
META_KEYS = ("offline_loan_id", "offline_laptop", "offline_lent_by", "offline_lent_at", "offline_source")


@dataclass(frozen=True)
class CheckoutResult:
    loan: Loan
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def check_out(
    ctx: ServiceContext,
    admission_ids: Iterable[int],
    output: Path,
    passphrase: str,
    *,
    laptop: str,
    patient_ids: Iterable[int] = (),
    expected_return: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckoutResult:
    """Lend ``admission_ids`` (their patients) and ``patient_ids`` (ambulant) to ``laptop`` in a new encrypted file
    ``output``. Refused (Danish, nothing written, no file) without ``Permission.LEND_CASES``, for an admission or
    patient that does not exist, a patient already lent, an empty passphrase or an ``output`` that exists."""
    require(ctx, Permission.LEND_CASES)
    laptop = check_laptop_name(laptop)
    if not passphrase or "\x00" in passphrase:
        raise ValidationError("Vælg en adgangskode til offline-kopien; den må ikke være tom.", field="passphrase")
    output = output.expanduser().resolve()
    if output.exists() or output.is_symlink():
        raise StorageError(f"Filen {output} findes allerede. Vælg et nyt filnavn; en fil overskrives aldrig.")
    if not output.parent.is_dir():
        raise StorageError(f"Mappen {output.parent} findes ikke. Vælg en mappe, der findes.")
    started = time.monotonic()
    admissions = sorted(set(admission_ids))
    with ctx.database.session() as session:
        if ctx.database.dialect == "postgresql":  # one snapshot for every table copied (SQLite's transaction is one)
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        found: dict[int, int] = {
            admission_id: patient_id
            for admission_id, patient_id in session.execute(
                select(AdmissionRow.id, AdmissionRow.patient_id).where(AdmissionRow.id.in_(admissions))
            )
        }
        for admission_id in admissions:
            if admission_id not in found:
                raise NotFoundError(
                    f"Indlæggelse nr. {admission_id} findes ikke. Kontrollér nummeret. Intet er udlånt."
                )
        patients = set(found.values()) | set(patient_ids)
        names = {
            row.id: f"{row.given_name} {row.family_name}"
            for row in session.execute(
                select(PatientRow.id, PatientRow.given_name, PatientRow.family_name)
                .where(PatientRow.id.in_(patients))
                .with_for_update()  # PostgreSQL: a second workstation lending the same patient waits for this one
            )
        }
        for patient_id in patients:
            if patient_id not in names:
                raise NotFoundError(f"Patient nr. {patient_id} findes ikke. Kontrollér nummeret. Intet er udlånt.")
        loans = LoanRepository(session)
        check_lendable(patients, loans.out_for(patients), names)
        loan = Loan(
            loan_id=new_loan_id(),
            laptop=laptop,
            lent_by=ctx.user,
            lent_at=ctx.clock.now(),
            patient_ids=frozenset(patients),
            admission_ids=frozenset(admissions),
            expected_return=expected_return,
        )
        meta = {
            "offline_loan_id": loan.loan_id,
            "offline_laptop": loan.laptop,
            "offline_lent_by": loan.lent_by,
            "offline_lent_at": loan.lent_at.isoformat(),
            "offline_source": ctx.database.where,
        }
        try:
            rows = _write_file(session.connection(), output, passphrase, patients, meta, progress)
            loan = loans.add(loan)
            audit = AuditService(ctx)
            for patient_id in sorted(patients):
                lent = sorted(a for a, p in found.items() if p == patient_id)
                what = f"Udlånt til {laptop} i offline-kopien {output}" + (
                    f" (indlæggelse nr. {', '.join(map(str, lent))})" if lent else " (ambulant)"
                )
                audit.record_in(session, AuditAction.EKSPORT, what, patient_id=patient_id)
            session.flush()
        except BaseException:
            _remove(output)
            raise
    return CheckoutResult(loan=loan, path=output, rows=rows, seconds=time.monotonic() - started)


def _write_file(
    source: Connection,
    output: Path,
    passphrase: str,
    patients: set[int],
    meta: dict[str, str],
    progress: Callable[[int, int], None] | None,
) -> dict[str, int]:
    try:  # written once and carried away: a removable drive is a fine place for it (not for a ward's database)
        target = _open_storage(output, passphrase=passphrase, allow_risky_location=True)
    except OSError as exc:
        raise StorageError(f"Offline-kopien {output} kunne ikke oprettes: {describe(exc)}. Intet er udlånt.") from exc
    try:
        with target.engine.begin() as conn:
            return copy_cases(source, conn, patients, meta=meta, progress=progress)
    finally:
        target.dispose()


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def loans_out(ctx: ServiceContext) -> list[Loan]:
    """Every loan still out (the ward's list marks their cases)."""
    require(ctx, Permission.READ)
    with ctx.database.session() as session:
        return LoanRepository(session).out()


def loan_of(ctx: ServiceContext, patient_id: int) -> Loan | None:
    """The loan that holds ``patient_id`` now, or ``None``: the case's "Udlånt til … af … siden …"."""
    require(ctx, Permission.READ)
    with ctx.database.session() as session:
        out = LoanRepository(session).out_for([patient_id])
    return out[0] if out else None


def revoke(ctx: ServiceContext, loan_id: str, reason: str) -> Loan:
    """End a loan without its laptop file (a lost laptop): the administrator's act, logged with the reason per
    patient. The ward may write to the cases again; a later check-in of the file meets every ward change as a
    conflict."""
    require(ctx, Permission.REVOKE_LOAN)
    with ctx.database.session() as session:
        loans = LoanRepository(session)
        loan = loans.get(loan_id)
        why = check_revocable(loan, reason)
        ended = loans.end(
            replace(loan, state=LoanState.TILBAGEKALDT, ended_at=ctx.clock.now(), ended_by=ctx.user, ended_reason=why)
        )
        audit = AuditService(ctx)
        for patient_id in sorted(loan.patient_ids):
            audit.record_in(
                session,
                AuditAction.RET,
                f"Udlånet til {loan.laptop} (af {loan.lent_by} siden {loan.since}) tilbagekaldt: {why}",
                patient_id=patient_id,
            )
    return ended
