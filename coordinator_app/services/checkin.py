"""Check-in of a laptop file (issue 19, ``docs/offline.md``): every change made offline arrives in the ward's database
in one all-or-nothing step, or none does.

``check_in(ctx, path, passphrase, resolutions)`` runs on the WARD's context (a koordinator or administrator:
``Permission.LEND_CASES``, the permission that lent the cases). It opens the laptop file (a wrong passphrase is
refused before anything is read), finds its loan on the ward, and in ONE ward transaction:

1. applies the file's change journal as compare-and-set against the values at check-out (``storage.checkin``):
   rows made offline get new ward ids and every reference to them is translated; a value the ward changed too is a
   conflict, and while one waits for a person (``resolutions`` maps ``Conflict.key`` to "laptop" or "ward") the
   transaction rolls back — nothing is applied and the result lists the conflicts;
2. appends the file's audit lines to the ward's chain (original user and time, marked with the laptop's name);
3. marks the loan ``afleveret`` and writes who handed it in, per patient, in the ward's audit log.

Only after the commit is the file marked returned (``app_meta``). A second check-in finds the loan handed in and
does nothing (``CheckinResult.already``); a killed check-in leaves the ward as it was (the transaction never
committed) and can be run again.

``delete_laptop_file(ctx, path, passphrase)`` then deletes a file marked returned (the program's offer after a
check-in); a file not handed in is refused, for its work would be lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from coordinator_app.domain.access import Permission
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.checkin import CheckinResult, Side, unresolved
from coordinator_app.domain.errors import (
    DatabaseBusyError,
    NotFoundError,
    ProcessError,
    StorageError,
    ValidationError,
    WrongPassphraseError,
)
from coordinator_app.domain.offline import LoanState
from coordinator_app.infra.files import fsync_folder
from coordinator_app.infra.oserrors import describe
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, require
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.checkin import Applied, append_audit, apply_changes, hand_in, read_journal
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.journal import LOAN_KEY, RETURNED_KEY, mark_returned
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.sqlite_file import remove_quietly, sidecars

__all__ = ["CheckinResult", "check_in", "delete_laptop_file"]


class _Pending(Exception):
    """Conflicts wait for a person: raised inside the ward's transaction so it rolls back."""

    def __init__(self, laptop: str, applied: Applied) -> None:
        super().__init__("conflicts")
        self.laptop = laptop
        self.applied = applied


def _open_laptop(path: Path, passphrase: str, nothing: str = "Intet er afleveret.") -> Database:
    if not path.is_file():
        raise StorageError(f"Offline-kopien {path} findes ikke. Kontrollér filnavnet. {nothing}")
    try:  # a removable drive is where such a file lives
        return open_database(path, passphrase=passphrase, must_exist=True, allow_risky_location=True)
    except WrongPassphraseError:  # refused before anything is read
        raise WrongPassphraseError(
            f"Forkert adgangskode til offline-kopien {path}. Skriv den adgangskode, der blev valgt, da sagerne blev "
            f"taget med – store og små bogstaver tæller med. {nothing}"
        ) from None


def check_in(
    ctx: ServiceContext,
    path: Path,
    passphrase: str,
    resolutions: Mapping[str, str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> CheckinResult:
    """Hand in the laptop file at ``path`` (see the module's docstring). Refused (Danish, nothing touched) without
    ``Permission.LEND_CASES``, for a missing file, a wrong passphrase, a file that is no offline copy or belongs to
    another database, a file whose audit log does not verify, and a file marked returned whose loan the ward does not
    have as handed in. ``progress(done, total)`` after each row changed (the window's progress bar)."""
    require(ctx, Permission.LEND_CASES)
    started = time.monotonic()
    path = Path(path).expanduser().resolve()
    chosen = dict(resolutions or {})
    unresolved((), chosen)  # a decision that is neither side is refused before anything is opened
    laptop = _open_laptop(path, passphrase)
    try:
        loan_id = laptop.get_meta(LOAN_KEY)
        if not loan_id:
            raise ValidationError(
                f"Filen {path} er ikke en offline-kopi (den har intet udlån). Intet er afleveret.", field="path"
            )
        returned = laptop.get_meta(RETURNED_KEY)
        with laptop.session() as session:  # the laptop's lines join the ward's chain: they must be as written
            verified = AuditRepository(session).verify()
        if not verified.ok:
            raise StorageError(
                f"Revisionsloggen i offline-kopien {path} er ikke intakt ({verified.reason}, linje "
                f"{verified.first_bad_seq}); den kan ikke føjes til afsnittets. Intet er afleveret. Kontakt IT."
            )
        try:
            with laptop.engine.connect() as source, ctx.database.session() as session:
                loans = LoanRepository(session)
                loans.lock()  # a second check-in, a revoke or a check-out waits, then reads what this one committed
                try:
                    loan = loans.get(loan_id)
                except NotFoundError:
                    raise NotFoundError(
                        f"Offline-kopien {path} hører ikke til denne database ({ctx.database.where}); den er udlånt "
                        "fra en anden. Intet er afleveret."
                    ) from None
                if loan.state is LoanState.AFLEVERET:
                    result = CheckinResult(laptop=loan.laptop, already=True)
                elif returned:
                    raise ProcessError(
                        f"Offline-kopien {path} er allerede markeret som afleveret ({returned}) og kan ikke "
                        "afleveres igen."
                    )
                else:
                    result = _merge(ctx, session, source, loan_id, loan.laptop, chosen, progress)
        except _Pending as pending:  # the ward's transaction rolled back: nothing applied
            return _timed(CheckinResult(laptop=pending.laptop, conflicts=pending.applied.conflicts), started)
        except DatabaseBusyError as busy:  # another check-in, check-out or revoke held the loans past the timeout
            raise DatabaseBusyError(
                "En anden arbejdsplads er ved at aflevere eller udlåne sager eller skrive i databasen lige nu, så "
                "afleveringen måtte vente for længe. Prøv igen om lidt. Intet er afleveret."
            ) from busy
        if not returned:  # a second check-in of the same file, waiting behind this one, keeps this one's mark
            with laptop.session() as marking:
                mark_returned(marking.connection(), ctx.clock.now().isoformat())
    finally:
        laptop.dispose()
    return _timed(result, started)


def _merge(
    ctx: ServiceContext,
    session: Session,
    source: Connection,
    loan_id: str,
    laptop_name: str,
    chosen: dict[str, str],
    progress: Callable[[int, int], None] | None,
) -> CheckinResult:
    loans = LoanRepository(session)
    loan = loans.get(loan_id)
    entries = read_journal(source, loan_id)
    applied = apply_changes(session, source, entries, resolutions=chosen, lent_at=loan.lent_at, progress=progress)
    if applied.conflicts:
        raise _Pending(laptop_name, applied)
    lines = append_audit(session, source, laptop_name, applied.id_map)
    if not hand_in(session, loan_id, at=ctx.clock.now(), by=ctx.user):
        raise ProcessError(f"Udlånet til {laptop_name} blev afleveret af en anden imens. Intet er afleveret her.")
    audit = AuditService(ctx)
    for conflict, side in applied.decisions:  # a person decided: the log says what was chosen over what
        kept, dropped = (
            (f"bærbarens «{conflict.laptop_value}»", f"afsnittets «{conflict.ward_value}»")
            if side == Side.LAPTOP.value
            else (f"afsnittets «{conflict.ward_value}»", f"bærbarens «{conflict.laptop_value}»")
        )
        audit.record_in(
            session,
            AuditAction.RET,
            f"Konflikt ved aflevering fra {laptop_name} afgjort: {conflict.label}: {kept} valgt frem for {dropped}",
        )
    inserted, updated = sum(applied.inserted.values()), sum(applied.updated.values())
    for patient_id in sorted(loan.patient_ids):
        audit.record_in(
            session,
            AuditAction.RET,
            f"Offline-kopi fra {laptop_name} afleveret (udlånt af {loan.lent_by} siden {loan.since}): "
            f"{inserted} rækker oprettet, {updated} rettet, {len(applied.decisions)} konflikter afgjort, "
            f"{lines} linjer fra bærbarens revisionslog",
            patient_id=patient_id,
        )
    return CheckinResult(
        laptop=laptop_name,
        merged=True,
        inserted=dict(applied.inserted),
        updated=dict(applied.updated),
        audit_lines=lines,
        decided=len(applied.decisions),
        id_map=dict(applied.id_map),
    )


def _timed(result: CheckinResult, started: float) -> CheckinResult:
    return replace(result, seconds=time.monotonic() - started)


def delete_laptop_file(ctx: ServiceContext, path: Path, passphrase: str) -> list[Path]:
    """Delete the handed-in laptop file at ``path`` with SQLite's ``-journal``, ``-wal`` and ``-shm`` beside it; the
    files deleted. The file is deleted, not overwritten: on flash storage (an SSD, a USB stick) overwriting does not
    reach the old blocks, so the copy on the laptop itself must be deleted there too. Refused (Danish, nothing
    deleted) without ``Permission.LEND_CASES``, for a wrong passphrase, a file that is no offline copy, and a file not
    marked returned — its work has not reached the ward. The deletion is a line in the ward's audit log."""
    require(ctx, Permission.LEND_CASES)
    path = Path(path).expanduser().resolve()
    laptop = _open_laptop(path, passphrase, "Intet er slettet.")
    try:
        loan_id, returned = laptop.get_meta(LOAN_KEY), laptop.get_meta(RETURNED_KEY)
        name = laptop.get_meta("offline_laptop") or "en bærbar"
    finally:
        laptop.dispose()
    if not loan_id:
        raise ValidationError(f"Filen {path} er ikke en offline-kopi, så den slettes ikke her.", field="path")
    if not returned:
        raise ProcessError(
            f"Offline-kopien {path} er ikke afleveret: det, der er skrevet i den, er ikke kommet med til afsnittet. "
            "Aflever den først. Intet er slettet."
        )
    files = [path, path.with_name(path.name + "-journal"), *sidecars(path)]
    present = [file for file in files if file.exists()]
    try:
        remove_quietly(*files)
        fsync_folder(path.parent)
    except OSError as exc:
        raise StorageError(f"Offline-kopien {path} kunne ikke slettes: {describe(exc)}.") from exc
    AuditService(ctx).record(AuditAction.SLET, f"Offline-kopien {path} fra {name} slettet efter aflevering")
    return present
