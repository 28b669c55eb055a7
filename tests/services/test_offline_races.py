"""The check-out races (issue 19), with two real processes on SQLite and PostgreSQL (``helpers/offline_race.py``).

* Two workstations lending the same patient at once: one loan, one laptop file; the other is told in Danish who has
  the patient (or, when it waited past its busy timeout behind a long check-out, to try again) — never two loans,
  never a file without a loan, never a traceback.
* A note written on the ward while the patient is lent: it lands before the loan and is in the laptop file, or it
  is refused — never a note on the ward that the file misses while the loan is out. (Before, on PostgreSQL a note
  committed while a check-out was copying was missing from the file: the guard did not wait for the check-out.)
* A check-out and a revoke at once, and two revokes of one loan at once: one audit line per act that happened.

Handshakes, not sleeps: a worker holds half-way through and is released by the test; on PostgreSQL the test
releases only once the other worker waits for a lock (``pg_locks``), so the order is forced. SQLite shows no waiter;
there the other worker has started its call when the first is released, and both orders must give the same promise.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers.offline_race import PASSPHRASE, Workstation, no_crash, until_waiting
from helpers.ward import Admitted, admit, service_context
from sqlalchemy import select

from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.meetings import Occasion
from coordinator_app.domain.offline import Loan
from coordinator_app.services import offline
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.orm import AuditRow, EventRow, MeetingRow

ROUNDS = 3
TAKEN = "er allerede udlånt til"  # check_lendable's refusal, naming the loan that has the patient
TRY_AGAIN = "Prøv igen om lidt. Intet er udlånt."
LENT = "er udlånt til"  # the ward's write refused (lent_refusal)
#: SQLite, a write that read before the check-out's commit: refused at once while the check-out holds the write lock
#: (SQLite does not wait when a reading transaction wants to write), or as a stale snapshot after it.
REFUSED_ON_SQLITE = ("Databasen er låst af et andet program", "En anden bruger har ændret")


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, user="koordinator.test")


@pytest.fixture
def patient(ctx: ServiceContext) -> Admitted:
    return admit(ctx)


@pytest.fixture
def laptops(tmp_path: Path) -> Path:
    """Where the laptop files go (the SQLite ward's file is in ``tmp_path``)."""
    folder = tmp_path / "bærbare"
    folder.mkdir()
    return folder


@pytest.fixture
def pair(db_url: str) -> Iterator[tuple[Workstation, Workstation]]:
    barrier = multiprocessing.get_context("spawn").Barrier(2)
    a = Workstation(db_url, "koordinator.a", barrier)
    b = Workstation(db_url, "koordinator.b", barrier)
    yield a, b
    a.stop()
    b.stop()


def _loans_of(ctx: ServiceContext, patient_id: int) -> list[Loan]:
    return [loan for loan in offline.loans_out(ctx) if patient_id in loan.patient_ids]


def _audit_lines(ctx: ServiceContext, patient_id: int, action: AuditAction, start: str) -> list[str]:
    with ctx.database.session() as session:
        lines = session.scalars(
            select(AuditRow.what).where(AuditRow.patient_id == patient_id, AuditRow.action == action.value)
        ).all()
    return [line for line in lines if line.startswith(start)]


def _notes(db: Database, admission_id: int) -> set[str]:
    with db.session() as session:
        return set(
            session.scalars(
                select(EventRow.note).where(EventRow.admission_id == admission_id, EventRow.kind == "notat")
            ).all()
        )


def _notes_in_file(path: Path, admission_id: int) -> set[str]:
    laptop = open_database(path, passphrase=PASSPHRASE, must_exist=True)
    try:
        return _notes(laptop, admission_id)
    finally:
        laptop.dispose()


def _revoke(ctx: ServiceContext, loan_id: str) -> None:
    offline.revoke(ctx, loan_id, "Næste runde")


# -- two check-outs of one patient --------------------------------------------------------------------------------


def test_two_checkouts_of_one_patient_at_once_lend_it_once(
    ctx: ServiceContext, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    for round_ in range(ROUNDS):
        files = {a: laptops / f"{round_}-a.kdb", b: laptops / f"{round_}-b.kdb"}
        for worker, laptop in ((a, "Bærbar A"), (b, "Bærbar B")):
            worker.send("checkout", patient.admission_id, str(files[worker]), laptop, sync=True)
        answers = {a: a.answer(), b: b.answer()}
        no_crash(*answers.values())
        won = [w for w, answer in answers.items() if answer[0] == "ok"]
        assert len(won) == 1, answers
        (winner,) = won
        (loser,) = {a, b} - {winner}
        loans = _loans_of(ctx, patient.patient_id)
        assert [loan.loan_id for loan in loans] == [answers[winner][1]]  # exactly one loan, the winner's
        told = answers[loser][2]
        assert f"Testa Fiktivsen {TAKEN} {loans[0].laptop} af " in told or TRY_AGAIN in told, told
        assert files[winner].exists() and not files[loser].exists()  # one laptop file, the loan's
        assert sorted(p.name for p in laptops.iterdir() if p.name.startswith(f"{round_}-")) == [files[winner].name]
        _revoke(ctx, loans[0].loan_id)  # free for the next round


def test_a_checkout_waits_for_a_long_one_and_is_then_told_who_has_the_patient(
    ctx: ServiceContext, database: Database, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    a.send("checkout", patient.admission_id, str(laptops / "a.kdb"), "Bærbar A", hold=True)
    assert a.answer() == ("holding",)  # a holds the loans, half-way through copying

    b.send("checkout", patient.admission_id, str(laptops / "b.kdb"), "Bærbar B", patience="short")
    kind, error, told = b.answer()  # b waited past its busy timeout while a held on
    assert (kind, error) == ("refused", "DatabaseBusyError")
    assert told.startswith("En anden arbejdsplads er ved at tage sager med offline") and told.endswith(TRY_AGAIN)
    assert "locked" not in told and not (laptops / "b.kdb").exists()

    b.send("checkout", patient.admission_id, str(laptops / "b.kdb"), "Bærbar B", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)
    a.release()
    ok, loan_id = a.answer()
    assert ok == "ok"
    kind, error, told = b.answer()  # b waited for a, then read a's loan
    assert (kind, error) == ("refused", "ProcessError")
    assert told.startswith(f"Testa Fiktivsen {TAKEN} Bærbar A af koordinator.a siden ")
    assert [loan.loan_id for loan in _loans_of(ctx, patient.patient_id)] == [loan_id]
    assert sorted(p.name for p in laptops.iterdir()) == ["a.kdb"]


# -- a ward write racing a check-out --------------------------------------------------------------------------------


def test_a_note_written_while_a_checkout_copies_waits_and_is_refused_as_lent(
    ctx: ServiceContext, database: Database, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    laptop_file = laptops / "a.kdb"
    a.send("checkout", patient.admission_id, str(laptop_file), "Bærbar A", hold=True)
    assert a.answer() == ("holding",)  # a's snapshot is taken: a note committed now would not be in its file

    b.send("note", patient.admission_id, "Ringet til kommunen", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the note waits for the check-out (before: it committed at once)
    a.release()
    assert a.answer()[0] == "ok"
    kind, error, told = b.answer()
    assert kind == "refused", told
    if database.dialect == "postgresql":
        assert error == "LentCaseError" and LENT in told
    else:  # refused as lent, or (it read before the loan was committed) as locked or stale
        assert LENT in told or told.startswith(REFUSED_ON_SQLITE), told
    assert "Intet er gemt." in told
    assert _notes(database, patient.admission_id) == set() == _notes_in_file(laptop_file, patient.admission_id)


def test_a_checkout_waits_for_a_note_being_written_and_the_note_is_in_the_laptop_file(
    ctx: ServiceContext, database: Database, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    laptop_file = laptops / "a.kdb"
    b.send("note", patient.admission_id, "Ringet til kommunen", hold=True)
    assert b.answer() == ("holding",)  # the note is flushed past the guard, not committed

    a.send("checkout", patient.admission_id, str(laptop_file), "Bærbar A", started=True)
    assert a.answer() == ("started",)
    until_waiting(database)  # PostgreSQL: the check-out waits for the note (before: it copied without it)
    b.release()
    assert b.answer()[0] == "ok"
    assert a.answer()[0] == "ok"
    assert _notes(database, patient.admission_id) == {"Ringet til kommunen"}
    assert _notes_in_file(laptop_file, patient.admission_id) == {"Ringet til kommunen"}


def test_an_autosave_while_a_checkout_copies_waits_and_is_refused_as_lent(
    ctx: ServiceContext, database: Database, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    """The meeting's autosave is one Core UPDATE, which the flush guard does not see. Before, on PostgreSQL it
    committed while the check-out copied, and the laptop file held the referat as it was before."""
    a, b = pair
    planned = datetime(2026, 11, 26, 10, tzinfo=COPENHAGEN)
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(
            patient.patient_id, patient.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23), planned
        )
    )
    assert meeting.id is not None
    laptop_file = laptops / "a.kdb"
    a.send("checkout", patient.admission_id, str(laptop_file), "Bærbar A", hold=True)
    assert a.answer() == ("holding",)

    b.send("autosave", meeting.id, meeting.version, "Skrevet på afsnittet under udlånet", started=True)
    assert b.answer() == ("started",)
    until_waiting(database)
    a.release()
    assert a.answer()[0] == "ok"
    kind, error, told = b.answer()
    assert (kind, error) == ("refused", "LentCaseError") and told.startswith(f"Sagen {LENT} Bærbar A"), told
    for db in (database, open_database(laptop_file, passphrase=PASSPHRASE, must_exist=True)):
        with db.session() as session:
            content = session.scalar(select(MeetingRow.content).where(MeetingRow.id == meeting.id))
        assert "Skrevet på afsnittet" not in str(content)
        if db is not database:
            db.dispose()


def test_notes_and_checkouts_at_once_never_leave_a_note_the_laptop_file_misses(
    ctx: ServiceContext, database: Database, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    for round_ in range(ROUNDS):
        laptop_file = laptops / f"{round_}.kdb"
        note = f"Notat i runde {round_}"
        a.send("checkout", patient.admission_id, str(laptop_file), "Bærbar A", sync=True)
        b.send("note", patient.admission_id, note, sync=True)
        lent, written = a.answer(), b.answer()
        no_crash(lent, written)
        assert lent[0] == "ok", lent  # a note never stops a check-out
        on_ward = note in _notes(database, patient.admission_id)
        assert on_ward == (written[0] == "ok"), written
        if not on_ward:
            assert LENT in written[2] or written[2].startswith(REFUSED_ON_SQLITE), written
        assert (note in _notes_in_file(laptop_file, patient.admission_id)) == on_ward
        _revoke(ctx, lent[1])


# -- revokes ---------------------------------------------------------------------------------------------------


def test_a_checkout_and_a_revoke_of_another_loan_at_once_both_happen_each_logged_once(
    ctx: ServiceContext, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    other = admit(ctx, cpr="020290-9908", given_name="Anden", family_name="Udenforsen")
    for round_ in range(ROUNDS):
        first = offline.check_out(
            ctx, [other.admission_id], laptops / f"{round_}-other.kdb", PASSPHRASE, laptop="Bærbar 1"
        )
        a.send("checkout", patient.admission_id, str(laptops / f"{round_}-a.kdb"), "Bærbar A", sync=True)
        b.send("revoke", first.loan.loan_id, sync=True)
        lent, revoked = a.answer(), b.answer()
        assert lent[0] == "ok" and revoked == ("ok", "tilbagekaldt"), (lent, revoked)
        assert _loans_of(ctx, other.patient_id) == []
        assert [loan.loan_id for loan in _loans_of(ctx, patient.patient_id)] == [lent[1]]
        assert len(_audit_lines(ctx, other.patient_id, AuditAction.RET, "Udlånet til Bærbar 1")) == round_ + 1
        assert len(_audit_lines(ctx, patient.patient_id, AuditAction.EKSPORT, "Udlånt til Bærbar A")) == round_ + 1
        _revoke(ctx, lent[1])


def test_a_checkout_racing_the_revoke_of_the_loan_that_has_the_patient_never_lends_it_twice(
    ctx: ServiceContext, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    for round_ in range(ROUNDS):
        first = offline.check_out(
            ctx, [patient.admission_id], laptops / f"{round_}-first.kdb", PASSPHRASE, laptop="Bærbar 1"
        )
        again = laptops / f"{round_}-a.kdb"
        a.send("checkout", patient.admission_id, str(again), "Bærbar A", sync=True)
        b.send("revoke", first.loan.loan_id, sync=True)
        lent, revoked = a.answer(), b.answer()
        no_crash(lent, revoked)
        assert revoked == ("ok", "tilbagekaldt")  # the revoke always happens
        out = _loans_of(ctx, patient.patient_id)
        if lent[0] == "ok":  # after the revoke: lent again, once
            assert [loan.loan_id for loan in out] == [lent[1]] and again.exists()
            _revoke(ctx, lent[1])
        else:  # before it: told who had the patient then
            assert f"Testa Fiktivsen {TAKEN} Bærbar 1 af " in lent[2], lent
            assert out == [] and not again.exists()


def test_two_revokes_of_one_loan_at_once_one_wins_the_other_is_told_one_audit_line(
    ctx: ServiceContext, patient: Admitted, pair: tuple[Workstation, Workstation], laptops: Path
) -> None:
    a, b = pair
    for round_ in range(ROUNDS):
        loan = offline.check_out(ctx, [patient.admission_id], laptops / f"{round_}.kdb", PASSPHRASE, laptop="Bærbar 1")
        a.send("revoke", loan.loan.loan_id, sync=True)
        b.send("revoke", loan.loan.loan_id, sync=True)
        answers = [a.answer(), b.answer()]
        assert sorted(answer[0] for answer in answers) == ["ok", "refused"], answers
        (told,) = [answer for answer in answers if answer[0] == "refused"]
        assert told[1:] == ("ProcessError", "Udlånet til Bærbar 1 er tilbagekaldt og kan ikke tilbagekaldes.")
        lines = _audit_lines(ctx, patient.patient_id, AuditAction.RET, "Udlånet til Bærbar 1")
        assert len(lines) == round_ + 1  # one line per revoke that happened
