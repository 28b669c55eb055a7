"""The check-in races (issue 19), with two real processes on SQLite and PostgreSQL (``helpers/offline_race.py``).

* Two workstations hand in the same laptop file at once (two copies of one USB stick): one merges, the other is told
  it was handed in already — the ward has every note and audit line once, never twice.
* A check-in racing the revoke of its loan: the revoke first (the check-in still merges, the loan ends handed in after
  the revoke) or the check-in first (the revoke is told the loan is handed in) — one audit line for each act.
* A ward user edits the Kontaktbog entry the laptop changed while the check-in runs: the check-in locks the row it
  compares, so the ward's save waits and is told someone else changed it (PostgreSQL) or is refused at once (SQLite);
  a ward edit in progress when the check-in comes is waited for and shown as a conflict. Never a ward value
  overwritten without a conflict.
* A note written on the ward while the check-in merges: refused as lent (SQLite), or it waits and lands after the
  hand-in (PostgreSQL; on SQLite when it starts after the commit) — never while the loan is out.
  The meeting's autosave from a screen read before the check-out waits and is told the meeting changed meanwhile;
  the referat written offline stays.
* A meeting template saved on the ward while a check-in brings one: numbered after it (PostgreSQL waits), or refused
  with nothing saved (SQLite) — before, it failed on the database's unique rule.
* A check-out of the patient while the check-in runs waits for it and lends the case again with what it brought.

Handshakes, not sleeps: a worker holds half-way and is released by the test; on PostgreSQL only once the other
waits for a lock (``pg_locks``). SQLite shows no waiter; both orders must give the same promise there.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.offline import CONTACT, LAPTOP, PASSPHRASE, Lent, as_user, laptop_file, lend_a_case
from helpers.offline_race import PASSPHRASE as RACE_PASSPHRASE
from helpers.offline_race import Workstation, no_crash, until_waiting
from helpers.ward import service_context
from sqlalchemy import select

from coordinator_app.domain.meetings import MeetingContent
from coordinator_app.domain.offline import LoanState
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.audit import AuditService
from coordinator_app.services.checkin import check_in
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.meetings import MeetingService
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.loans import LoanRepository
from coordinator_app.storage.orm import AuditRow, EventRow

ROUNDS = 3
HANDED_IN = f"Offline-kopi fra {LAPTOP} afleveret"  # the check-in's line per patient
FROM_LAPTOP = f"[Offline-kopi på {LAPTOP}]"  # the laptop's own lines, appended to the ward's chain
REVOKED = f"Udlånet til {LAPTOP} "  # the revoke's line per patient ("… (af … siden …) tilbagekaldt: …")
CHANGED = "En anden bruger har ændret"  # ConflictError: the row changed since it was read
LOCKED = "Databasen er låst af et andet program"  # SQLite: a write that read first, while another holds the lock
LENT = "er udlånt til"


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, user="koordinator.test")


@pytest.fixture
def pair(db_url: str) -> Iterator[tuple[Workstation, Workstation]]:
    barrier = multiprocessing.get_context("spawn").Barrier(2)
    a = Workstation(db_url, "koordinator.a", barrier)
    b = Workstation(db_url, "koordinator.b", barrier)
    yield a, b
    a.stop()
    b.stop()


def _laptop_phone(lent: Lent, ctx: ServiceContext, phone: str) -> None:
    with laptop_file(lent.path) as laptop:
        contacts = ContactService(as_user(ctx, laptop, "mhansen"))
        current = contacts.get(lent.contact.id or 0)
        contacts.update(current.id or 0, dataclasses.replace(CONTACT, phone=phone), current.version or 0)


def _laptop_note(lent: Lent, ctx: ServiceContext, note: str) -> int:
    """A note on the laptop file; how many audit lines the file now has."""
    with laptop_file(lent.path) as laptop:
        AdmissionService(as_user(ctx, laptop, "mhansen")).add_note(lent.admitted.admission_id, note)
        with laptop.session() as session:
            return len(session.scalars(select(AuditRow.seq)).all())


def _lend_again(ctx: ServiceContext, lent: Lent, folder: Path, name: str) -> Lent:
    result = offline.check_out(ctx, [lent.admitted.admission_id], folder / name, PASSPHRASE, laptop=LAPTOP)
    return lent._replace(loan=result.loan, path=result.path)


def _notes(ctx: ServiceContext, admission_id: int) -> list[str]:
    with ctx.database.session() as session:
        return sorted(
            session.scalars(
                select(EventRow.note).where(EventRow.admission_id == admission_id, EventRow.kind == "notat")
            ).all()
        )


def _lines(ctx: ServiceContext, start: str) -> list[tuple[int, str]]:
    """(seq, what) of the ward's audit lines starting with ``start``, in order."""
    with ctx.database.session() as session:
        rows = session.execute(select(AuditRow.seq, AuditRow.what).order_by(AuditRow.seq)).all()
    return [(seq, what) for seq, what in rows if what.startswith(start)]


def _loan_state(ctx: ServiceContext, loan_id: str) -> tuple[LoanState, str]:
    with ctx.database.session() as session:
        loan = LoanRepository(session).get(loan_id)
    return loan.state, loan.ended_reason


def _phone(ctx: ServiceContext, lent: Lent) -> str:
    return ContactService(ctx).get(lent.contact.id or 0).phone


# -- two check-ins of one laptop file -------------------------------------------------------------------------------


def test_a_check_in_waits_for_another_of_the_same_file_and_is_told_it_is_handed_in(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    lines = _laptop_note(lent, ctx, "Notat fra bærbaren")
    _laptop_phone(lent, ctx, "99 88 77 66")
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)  # a has written its first change and holds the loans

    b.send("checkin", str(lent.path), PASSPHRASE, started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: b waits for the loans
    a.release()
    assert a.answer() == ("ok", "merged")
    assert b.answer() == ("ok", "already")  # b waited, then read the loan a handed in
    assert _notes(ctx, lent.admitted.admission_id) == ["Notat fra bærbaren"]
    assert len(_lines(ctx, FROM_LAPTOP)) == lines and len(_lines(ctx, HANDED_IN)) == 1
    assert _phone(ctx, lent) == "99 88 77 66"
    assert AuditService(ctx).verify().ok


def test_a_check_in_that_waits_too_long_for_another_is_told_to_try_again_and_then_finds_it_handed_in(
    ctx: ServiceContext, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    _laptop_note(lent, ctx, "Notat fra bærbaren")
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)

    b.send("checkin", str(lent.path), PASSPHRASE, patience="short")
    kind, error, told = b.answer()  # b waited past its busy timeout while a held on
    assert (kind, error) == ("refused", "DatabaseBusyError")
    assert told.startswith("En anden arbejdsplads er ved at aflevere") and told.endswith(
        "Prøv igen om lidt. Intet er afleveret."
    )
    a.release()
    assert a.answer() == ("ok", "merged")
    b.send("checkin", str(lent.path), PASSPHRASE)
    assert b.answer() == ("ok", "already")  # tried again: handed in by a, nothing twice
    assert _notes(ctx, lent.admitted.admission_id) == ["Notat fra bærbaren"] and len(_lines(ctx, HANDED_IN)) == 1


def test_two_check_ins_of_one_laptop_file_at_once_merge_it_once(
    ctx: ServiceContext, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path, name="0.kdb")
    notes: list[str] = []
    laptop_lines = 0
    for round_ in range(ROUNDS):
        if round_:
            lent = _lend_again(ctx, lent, tmp_path, f"{round_}.kdb")
        notes.append(f"Notat fra bærbaren i runde {round_}")
        laptop_lines += _laptop_note(lent, ctx, notes[-1])
        for worker in (a, b):
            worker.send("checkin", str(lent.path), PASSPHRASE, sync=True)
        answers = [a.answer(), b.answer()]
        no_crash(*answers)
        assert sorted(answers) == [("ok", "already"), ("ok", "merged")], answers
        assert _notes(ctx, lent.admitted.admission_id) == sorted(notes)  # each note once
        assert len(_lines(ctx, FROM_LAPTOP)) == laptop_lines and len(_lines(ctx, HANDED_IN)) == round_ + 1
        assert _loan_state(ctx, lent.loan.loan_id) == (LoanState.AFLEVERET, "Afleveret")
    assert AuditService(ctx).verify().ok


# -- a check-in racing a revoke --------------------------------------------------------------------------------------


def test_a_revoke_waits_for_a_check_in_and_is_told_the_loan_is_handed_in(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    _laptop_note(lent, ctx, "Notat fra bærbaren")
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)

    b.send("revoke", lent.loan.loan_id, started=True)
    assert b.answer() == ("started",)
    until_waiting(database)
    a.release()
    assert a.answer() == ("ok", "merged")
    assert b.answer() == ("refused", "ProcessError", f"Udlånet til {LAPTOP} er afleveret og kan ikke tilbagekaldes.")
    assert _loan_state(ctx, lent.loan.loan_id) == (LoanState.AFLEVERET, "Afleveret")
    assert _lines(ctx, REVOKED) == [] and len(_lines(ctx, HANDED_IN)) == 1


def test_a_check_in_and_a_revoke_of_its_loan_at_once_end_the_loan_handed_in_with_one_line_each(
    ctx: ServiceContext, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path, name="0.kdb")
    revoked = 0
    for round_ in range(ROUNDS):
        if round_:
            lent = _lend_again(ctx, lent, tmp_path, f"{round_}.kdb")
        note = f"Notat fra bærbaren i runde {round_}"
        _laptop_note(lent, ctx, note)
        a.send("checkin", str(lent.path), PASSPHRASE, sync=True)
        b.send("revoke", lent.loan.loan_id, sync=True)
        handed, revoke = a.answer(), b.answer()
        no_crash(handed, revoke)
        assert handed == ("ok", "merged"), handed  # first or after the revoke, the file is merged
        assert note in _notes(ctx, lent.admitted.admission_id)
        state, reason = _loan_state(ctx, lent.loan.loan_id)
        assert state is LoanState.AFLEVERET
        if revoke[0] == "ok":  # the revoke came first: the check-in merged as after a revoke
            assert revoke == ("ok", "tilbagekaldt") and reason.startswith("Afleveret efter tilbagekald: "), reason
            revoked += 1
        else:  # the check-in came first
            assert revoke[1:] == ("ProcessError", f"Udlånet til {LAPTOP} er afleveret og kan ikke tilbagekaldes.")
            assert reason == "Afleveret"
        assert len(_lines(ctx, REVOKED)) == revoked and len(_lines(ctx, HANDED_IN)) == round_ + 1
    assert AuditService(ctx).verify().ok


# -- compare-and-set while the ward edits the same field -------------------------------------------------------------


def test_a_ward_edit_while_the_check_in_compares_the_same_field_waits_and_is_told_never_lost(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    """The check-in has read the ward's phone (still the value at check-out) and holds before its write. The ward's
    save, from a screen read before, must not commit in between and then be overwritten by the laptop's value."""
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    _laptop_phone(lent, ctx, "99 88 77 66")
    screen = ContactService(ctx).get(lent.contact.id or 0)  # the ward user's screen, before the check-in
    a.send("checkin", str(lent.path), PASSPHRASE, hold="contacts")
    assert a.answer() == ("holding",)  # between the compare's read and its write

    b.send("phone", lent.contact.id, "55 55 55 55", screen.version, started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the ward's UPDATE waits for the row the check-in holds
    a.release()
    assert a.answer() == ("ok", "merged")
    kind, error, told = b.answer()
    assert kind == "refused", told
    if database.dialect == "postgresql":  # it waited, then found the row changed
        assert error == "ConflictError" and told.startswith(CHANGED), told
    else:  # refused at once while the check-in held the write lock, or (after its commit) as changed
        assert told.startswith((LOCKED, CHANGED)), told
    assert _phone(ctx, lent) == "99 88 77 66"  # the laptop's, and the ward user was told theirs was not saved


def test_a_ward_edit_in_progress_when_the_check_in_comes_is_waited_for_and_is_a_conflict(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    _laptop_phone(lent, ctx, "99 88 77 66")
    b.send("phone", lent.contact.id, "55 55 55 55", lent.contact.version, hold=True)
    assert b.answer() == ("holding",)  # the ward's UPDATE is flushed, not committed

    a.send("checkin", str(lent.path), PASSPHRASE, started=True)
    assert a.answer() == ("started",)
    until_waiting(database)  # the check-in waits for the row (PostgreSQL) or the write lock (SQLite)
    b.release()
    assert b.answer()[0] == "ok"
    key = f"contacts:{lent.contact.id}:phone"
    assert a.answer() == ("ok", f"conflicts {key}")  # it saw the ward's value: a person decides, nothing applied
    assert _phone(ctx, lent) == "55 55 55 55"
    assert offline.loan_of(ctx, lent.admitted.patient_id) is not None
    merged = check_in(ctx, lent.path, PASSPHRASE, {key: "ward"})
    assert merged.merged and _phone(ctx, lent) == "55 55 55 55"


# -- a ward write to the lent case during check-in -----------------------------------------------------------------


def test_a_note_on_the_ward_during_check_in_is_refused_as_lent_or_lands_after_the_hand_in(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    _laptop_note(lent, ctx, "Notat fra bærbaren")
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)  # the laptop's note is written on the ward, not committed; the loan is out

    b.send("note", lent.admitted.admission_id, "Notat fra afsnittet", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the note waits for the check-in (as for a check-out)
    a.release()
    assert a.answer() == ("ok", "merged")
    written = b.answer()
    no_crash(written)
    notes = _notes(ctx, lent.admitted.admission_id)
    if written[0] == "ok":  # it read the loans after the hand-in (PostgreSQL: always, having waited for it)
        assert notes == ["Notat fra afsnittet", "Notat fra bærbaren"]
        ((handed_at, _),) = _lines(ctx, HANDED_IN)
        ((noted_at, _),) = _lines(ctx, "Notat registreret")  # the laptop's own is marked FROM_LAPTOP
        assert noted_at > handed_at
    else:  # SQLite: it read the loan still out, or wanted to write while the check-in held the lock
        assert database.dialect == "sqlite", written
        assert LENT in written[2] or written[2].startswith(LOCKED), written
        assert "Intet er gemt." in written[2] and notes == ["Notat fra bærbaren"]
    assert AuditService(ctx).verify().ok


# -- a meeting template saved on the ward during check-in ------------------------------------------------------------


def test_a_template_saved_on_the_ward_during_a_check_in_that_brings_one_is_numbered_after_it(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    """Before, on PostgreSQL the ward's save took the number the check-in was inserting and failed on the database's
    rule («Ændringen strider mod databasens regler …») once the check-in committed."""
    a, b = pair
    ward = MeetingService(ctx)
    first = ward.current_template()
    lent = lend_a_case(ctx, tmp_path)
    with laptop_file(lent.path) as laptop:
        laptop_meetings = MeetingService(as_user(ctx, laptop, "mhansen"))
        current = laptop_meetings.current_template()
        laptop_meetings.save_template(dataclasses.replace(current, sections=current.sections[1:]))
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)  # the laptop's version is written (inserts come first), not committed

    b.send("template", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the save waits for the check-in
    a.release()
    assert a.answer() == ("ok", "merged")  # no ward version since check-out when it read: no conflict
    saved = b.answer()
    no_crash(saved)
    versions = [v.version for v in ward.template_versions(first.name)]
    if saved[0] == "ok":  # after the check-in: numbered after the laptop's, and current
        assert saved[1] == f"{first.name} {first.version + 2}" and versions == [1, 2, 3]
        assert ward.current_template().version == first.version + 2
    else:  # SQLite: it read before the check-in committed and wrote after (or while it held the lock); nothing saved
        assert database.dialect == "sqlite" and saved[2].startswith((LOCKED, CHANGED)), saved
        assert versions == [1, 2]


def test_an_autosave_on_the_ward_during_check_in_never_overwrites_what_the_laptop_wrote(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    """The meeting's autosave is one Core UPDATE (no flush guard): from a screen read before the check-out, while the
    check-in writes the referat held offline, it waits for the check-in and is refused as changed meanwhile."""
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    screen = MeetingService(ctx).get(lent.meeting_id)  # the ward's screen, open since before the check-out
    with laptop_file(lent.path) as laptop:
        meetings = MeetingService(as_user(ctx, laptop, "mhansen"))
        started = meetings.start(lent.meeting_id, before_planned_day=True)
        assert started.version is not None
        held = MeetingContent(texts={"formaal": "Skrevet på bærbaren"})
        meetings.save_content(lent.meeting_id, held, expected_version=started.version)
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)

    b.send("autosave", lent.meeting_id, screen.version, "Skrevet på afsnittet", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the autosave waits for the check-in
    a.release()
    assert a.answer() == ("ok", "merged")
    kind, error, told = b.answer()  # it waited for the check-in (SQLite: its one UPDATE waits for the write lock)
    assert (kind, error) == ("refused", "ConflictError") and told.startswith(CHANGED), told
    content = MeetingService(ctx).get(lent.meeting_id).content
    assert content.texts.get("formaal") == "Skrevet på bærbaren" and "Skrevet på afsnittet" not in str(content)


def test_a_check_out_of_the_patient_waits_for_the_check_in_and_takes_what_it_brought(
    ctx: ServiceContext, database: Database, pair: tuple[Workstation, Workstation], tmp_path: Path
) -> None:
    a, b = pair
    lent = lend_a_case(ctx, tmp_path)
    _laptop_note(lent, ctx, "Notat fra bærbaren")
    a.send("checkin", str(lent.path), PASSPHRASE, hold=True)
    assert a.answer() == ("holding",)

    again = tmp_path / "igen.kdb"
    b.send("checkout", lent.admitted.admission_id, str(again), "Bærbar B", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the check-out waits for the loans
    a.release()
    assert a.answer() == ("ok", "merged")
    lent_again = b.answer()
    assert lent_again[0] == "ok", lent_again  # the loan was handed in when it read: lendable again
    assert [loan.loan_id for loan in offline.loans_out(ctx)] == [lent_again[1]]
    copy = open_database(again, passphrase=RACE_PASSPHRASE, must_exist=True)
    try:  # the new laptop file has what the check-in brought
        assert _notes(service_context(copy), lent.admitted.admission_id) == ["Notat fra bærbaren"]
    finally:
        copy.dispose()
