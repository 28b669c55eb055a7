"""Cases taken offline on a laptop (issue 19, ``docs/offline.md``): check-out, the ward's view of a loan, revoke.

* ``check_out``: a koordinator or administrator (``Permission.LEND_CASES``; læseadgang and mødeleder never) picks
  admissions (and ambulant patients); a new SQLCipher file with the passphrase given is made holding exactly what
  working on those patients needs (``storage.offline_copy``), and the loan is recorded with an audit line per
  patient — all in one transaction on the ward's database: if the file cannot be made, no loan is recorded and the
  half-made file is removed; if the loan cannot be recorded, the file is removed.
* ``loans_out``/``loan_of``: what the ward shows on a lent case ("Udlånt til … af … siden …").
* ``revoke``: the administrator's (``Permission.REVOKE_LOAN``), with a reason, logged; the ward may write again.
* ``loans_listed``: «Udlånte sager…» (the loans out with their patients, overdue marked).
* ``lendable``: what the app's «Tag med offline…» offers (current admissions, ambulant patients with a planned
  meeting); ``offline_copy_info``: whether the open database is a laptop file (the window's «Offline-kopi» banner;
  a laptop file cannot lend further).

While a loan is out every write to its patients is refused before anything is written (``domain.offline
.LentCaseError``, raised by the storage layer's flush guard inside the service's transaction, ``storage.loans``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, select

from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.domain.errors import (
    DatabaseBusyError,
    NotFoundError,
    ProcessError,
    StorageError,
    ValidationError,
)
from coordinator_app.domain.meetings import MeetingStatus
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
from coordinator_app.services.context import COPENHAGEN, ServiceContext, require
from coordinator_app.storage.database import open_database as _open_storage
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.offline_copy import copy_cases
from coordinator_app.storage.orm import AdmissionRow, AppMetaRow, MeetingRow, PatientRow

__all__ = [
    "META_KEYS",
    "CheckoutResult",
    "LendableCase",
    "ListedLoan",
    "OfflineCopyInfo",
    "check_out",
    "lendable",
    "loan_of",
    "loans_listed",
    "loans_out",
    "offline_copy_info",
    "revoke",
]

_T = TypeVar("_T")

#: What the laptop file says about itself in its ``app_meta``.
META_KEYS = (
    "offline_loan_id",
    "offline_laptop",
    "offline_lent_by",
    "offline_lent_at",
    "offline_source",
    "offline_expected_return",
)


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
    _refuse_in_offline_copy(ctx)
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
    try:
        return _check_out(
            ctx, admissions, output, passphrase, laptop, set(patient_ids), expected_return, progress, started
        )
    except DatabaseBusyError as busy:  # another check-out (or the ward's writes) held the loans past the timeout
        raise DatabaseBusyError(
            "En anden arbejdsplads er ved at tage sager med offline eller skrive i databasen lige nu, så udlånet "
            "måtte vente for længe. Prøv igen om lidt. Intet er udlånt."
        ) from busy


def _check_out(
    ctx: ServiceContext,
    admissions: list[int],
    output: Path,
    passphrase: str,
    laptop: str,
    patient_ids: set[int],
    expected_return: date | None,
    progress: Callable[[int, int], None] | None,
    started: float,
) -> CheckoutResult:
    """``check_out``'s transaction. The loans are taken first (``LoanRepository.lock``): a second check-out waits
    for this one and then finds its loan; the ward's writes to cases in progress are waited for (and are in the
    file), later ones wait for this transaction and are refused as lent."""
    made = False  # the file is ours to remove: a failure up to the commit leaves no file without its loan
    try:
        with ctx.database.session() as session:
            if ctx.database.dialect == "postgresql":  # one snapshot for every table (SQLite's transaction is one)
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            loans = LoanRepository(session)
            loans.lock()  # before the first read: PostgreSQL's snapshot is taken after it (a LOCK takes none)
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
            patients = set(found.values()) | patient_ids
            names = {
                row.id: f"{row.given_name} {row.family_name}"
                for row in session.execute(
                    select(PatientRow.id, PatientRow.given_name, PatientRow.family_name).where(
                        PatientRow.id.in_(patients)
                    )
                )
            }
            for patient_id in patients:
                if patient_id not in names:
                    raise NotFoundError(f"Patient nr. {patient_id} findes ikke. Kontrollér nummeret. Intet er udlånt.")
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
                "offline_expected_return": expected_return.isoformat() if expected_return else "",
            }
            if output.exists() or output.is_symlink():  # another check-out to the same name, waited for above
                raise StorageError(f"Filen {output} findes allerede. Vælg et nyt filnavn; en fil overskrives aldrig.")
            made = True
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
        if made:
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
        loans.lock()  # a second revoke (or a check-out) waits, then reads the loan as this one leaves it
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


# -- the app's check-out dialog and the laptop file's banner ---------------------------------------------------------


@dataclass(frozen=True)
class LendableCase:
    """A case «Tag med offline…» offers: a current admission, or an ambulant patient (``admission_id`` None) with a
    planned meeting. ``lent``: "Udlånt til … af … siden …" when the patient is in a loan that is out."""

    patient_id: int
    admission_id: int | None
    name: str
    cpr: str
    what: str
    lent: str | None = None


def lendable(ctx: ServiceContext) -> list[LendableCase]:
    """The ward's current admissions and the ambulant patients with a planned meeting (and no current admission),
    by name — each marked when it is already lent. Read with ``Permission.READ``; lending needs
    ``Permission.LEND_CASES`` (``check_out``)."""
    require(ctx, Permission.READ)
    cases: list[LendableCase] = []
    with ctx.database.session() as session:
        admitted = session.execute(
            select(AdmissionRow.id, AdmissionRow.patient_id, AdmissionRow.admitted, AdmissionRow.ward)
            .where(AdmissionRow.discharged.is_(None))
            .order_by(AdmissionRow.id)
        ).all()
        current = {row.patient_id for row in admitted}
        planned: dict[int, datetime | None] = {}
        for patient_id, planned_at in session.execute(
            select(MeetingRow.patient_id, MeetingRow.planned_at)
            .where(MeetingRow.admission_id.is_(None), MeetingRow.status == MeetingStatus.PLANLAGT.value)
            .order_by(MeetingRow.planned_at)
        ):
            if patient_id not in current and patient_id not in planned:
                planned[patient_id] = planned_at
        wanted = current | set(planned)
        people = {
            row.id: (f"{row.given_name} {row.family_name}", row.cpr)
            for row in session.execute(
                select(PatientRow.id, PatientRow.given_name, PatientRow.family_name, PatientRow.cpr).where(
                    PatientRow.id.in_(wanted)
                )
            )
        }
        lent: dict[int, str] = {}
        for loan in LoanRepository(session).out_for(wanted):
            for patient_id in loan.patient_ids:
                lent[patient_id] = loan.ward_label
    for row in admitted:
        name, cpr = people[row.patient_id]
        what = f"Indlagt {row.admitted:%d-%m-%Y}, {row.ward}"
        cases.append(LendableCase(row.patient_id, row.id, name, cpr, what, lent.get(row.patient_id)))
    for patient_id, planned_at in planned.items():
        name, cpr = people[patient_id]
        when = f" {planned_at.astimezone(COPENHAGEN):%d-%m-%Y}" if planned_at is not None else ""
        what = f"Ambulant, møde planlagt{when}"
        cases.append(LendableCase(patient_id, None, name, cpr, what, lent.get(patient_id)))
    return sorted(cases, key=lambda case: (case.name.casefold(), case.admission_id is None, case.admission_id or 0))


@dataclass(frozen=True)
class OfflineCopyInfo:
    """What a laptop file says about itself (``META_KEYS`` in its ``app_meta``): the window's «Offline-kopi»
    banner."""

    loan_id: str
    laptop: str
    lent_by: str
    lent_at: datetime | None
    source: str
    expected_return: date | None
    patients: tuple[str, ...] = ()  # the names of the patients in the file (what is out), sorted

    @property
    def cases(self) -> str:
        """What is out, for the banner: "Laura Madsen og Omar Bech", "A, B, C og 7 andre"."""
        names = list(self.patients)
        if len(names) > 4:
            names = [*names[:3], f"{len(self.patients) - 3} andre"]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1] if names else ""

    @property
    def since(self) -> str:
        return self.lent_at.astimezone(COPENHAGEN).strftime("%d-%m-%Y") if self.lent_at is not None else "?"

    @property
    def expected(self) -> str:
        return self.expected_return.strftime("%d-%m-%Y") if self.expected_return is not None else ""


def offline_copy_info(ctx: ServiceContext) -> OfflineCopyInfo | None:
    """The open database is a laptop file made by ``check_out``: what it says about its loan; ``None`` for a
    ward's database."""
    with ctx.database.session() as session:
        rows = session.execute(select(AppMetaRow.key, AppMetaRow.value).where(AppMetaRow.key.in_(META_KEYS)))
        meta: dict[str, str] = {key: value for key, value in rows}
        loan_id = meta.get("offline_loan_id")
        if not loan_id:
            return None
        names = sorted(
            (
                f"{given} {family}"
                for given, family in session.execute(select(PatientRow.given_name, PatientRow.family_name))
            ),
            key=str.casefold,
        )
    return OfflineCopyInfo(
        loan_id=loan_id,
        laptop=meta.get("offline_laptop", ""),
        lent_by=meta.get("offline_lent_by", ""),
        lent_at=_parse(datetime.fromisoformat, meta.get("offline_lent_at")),
        source=meta.get("offline_source", ""),
        expected_return=_parse(date.fromisoformat, meta.get("offline_expected_return")),
        patients=tuple(names),
    )


def _parse(parse: Callable[[str], _T], text: str | None) -> _T | None:
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:  # a hand-edited file: the banner says less rather than nothing
        return None


def _refuse_in_offline_copy(ctx: ServiceContext) -> None:
    """A laptop file cannot lend further: its cases belong to the ward's database, where the file is handed in."""
    info = offline_copy_info(ctx)
    if info is not None:
        raise ProcessError(
            f"Denne database er en offline-kopi (udlånt til {info.laptop}); herfra kan intet tages med offline. "
            "Aflever filen på afsnittet, og tag sagerne med derfra. Intet er udlånt."
        )


@dataclass(frozen=True)
class ListedLoan:
    """A loan that is out, as «Udlånte sager…» lists it: ``patients`` by name (CPR masked), ``overdue`` when the
    expected return has passed."""

    loan: Loan
    patients: tuple[str, ...]
    overdue: bool


def loans_listed(ctx: ServiceContext) -> list[ListedLoan]:
    """Every loan still out with its patients' names, the oldest first."""
    require(ctx, Permission.READ)
    today = ctx.clock.today()
    with ctx.database.session() as session:
        loans = LoanRepository(session).out()
        wanted = {patient_id for loan in loans for patient_id in loan.patient_ids}
        people = {
            row.id: f"{row.given_name} {row.family_name} ({mask_cpr(row.cpr)})"
            for row in session.execute(
                select(PatientRow.id, PatientRow.given_name, PatientRow.family_name, PatientRow.cpr).where(
                    PatientRow.id.in_(wanted)
                )
            )
        }
    return [
        ListedLoan(
            loan=loan,
            patients=tuple(sorted(people.get(p, f"patient nr. {p}") for p in loan.patient_ids)),
            overdue=loan.expected_return is not None and loan.expected_return < today,
        )
        for loan in sorted(loans, key=lambda loan: loan.lent_at)
    ]
