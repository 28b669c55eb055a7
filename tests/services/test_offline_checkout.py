"""Check-out of cases to a laptop file (issue 19, ``services.offline``), on SQLite and PostgreSQL: the encrypted file
holds the lent cases and nothing of other patients, the loan is recorded once, the ward's writes to a lent case are
refused with nothing written until an administrator revokes the loan, and læseadgang/mødeleder cannot lend."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from helpers.ward import CPR, Admitted, admit, record_consent, service_context
from sqlalchemy import func, select, text

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.discharge_plans import PlanKind
from coordinator_app.domain.errors import AccessDeniedError, ProcessError, WrongPassphraseError
from coordinator_app.domain.meetings import MeetingContent, Occasion
from coordinator_app.domain.offline import LentCaseError, LoanState
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.plans import PlanService
from coordinator_app.services.users import UserService
from coordinator_app.storage.bulk import DEMO_KEY, clear_all
from coordinator_app.storage.database import Database, open_database
from coordinator_app.storage.orm import AuditRow, Base, EventRow

OTHER_CPR = "020290-9908"
USER_PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSPHRASE = "Bærbar-3-offline"


def _as(ctx: ServiceContext, role: Role, username: str) -> ServiceContext:
    principal = Principal(username=username, role=role, full_name=f"Test {role.value}")
    return ServiceContext(database=ctx.database, clock=ctx.clock, principal=principal)


@pytest.fixture
def ctx(database: Database) -> ServiceContext:
    return service_context(database, user="koordinator.test")


@pytest.fixture
def cases(ctx: ServiceContext) -> tuple[Admitted, Admitted, int]:
    """Testa Fiktivsen (to be lent, with a consent and a planned meeting) and another patient (never lent)."""
    lent = admit(ctx)
    record_consent(ctx, lent)
    planned = datetime(2026, 11, 26, 10, tzinfo=COPENHAGEN)
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(lent.patient_id, lent.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23), planned)
    )
    other = admit(ctx, cpr=OTHER_CPR, given_name="Anden", family_name="Udenforsen")
    record_consent(ctx, other, given_to="Gentofte Kommune")
    assert meeting.id is not None
    return lent, other, meeting.id


def _check_out(ctx: ServiceContext, admitted: Admitted, path: Path) -> offline.CheckoutResult:
    return offline.check_out(ctx, [admitted.admission_id], path, PASSPHRASE, laptop="Bærbar 3")


def _dump(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.session() as session:
        return {t.name: [tuple(r) for r in session.execute(select(t))] for t in Base.metadata.sorted_tables}


def test_the_file_opens_with_the_passphrase_and_holds_the_case_and_nothing_of_other_patients(
    ctx: ServiceContext, cases: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    lent, _other, meeting_id = cases
    users = UserService(ctx, hasher=FAST)
    users.create_administrator("admin", "Anne Administrator", USER_PASSWORD)
    users.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, USER_PASSWORD)
    users.create_user("leder", "Lars Leder", Role.MOEDELEDER, USER_PASSWORD)
    users.create_user("laeser", "Lise Læser", Role.LAESEADGANG, USER_PASSWORD)
    path = tmp_path / "offline.kdb"
    result = _check_out(ctx, lent, path)
    assert result.path == path.resolve()
    laptop = open_database(path, passphrase=PASSPHRASE, must_exist=True)
    try:
        rows = _dump(laptop)
        assert laptop.encrypted
        assert laptop.get_meta("offline_loan_id") == result.loan.loan_id
        assert laptop.get_meta("offline_laptop") == "Bærbar 3"
    finally:
        laptop.dispose()
    assert [r[0] for r in rows["patients"]] == [lent.patient_id]
    assert [r[0] for r in rows["admissions"]] == [lent.admission_id]
    assert len(rows["consents"]) == 1 and [r[0] for r in rows["meetings"]] == [meeting_id]
    assert rows["events"] and rows["meeting_templates"] and rows["kommuner"]
    assert rows["audit_log"] == [] and rows["loans"] == [] and rows["loan_cases"] == []
    assert sorted(str(r[1]) for r in rows["users"]) == ["admin", "leder", "mhansen"]  # who may work on the cases
    everything = repr(rows)
    assert CPR.replace("-", "") in everything
    for trace in (OTHER_CPR.replace("-", ""), OTHER_CPR, "Udenforsen", "Gentofte Kommune"):
        assert trace not in everything, trace
    assert result.rows["patients"] == 1


def test_a_wrong_passphrase_is_refused(
    ctx: ServiceContext, cases: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    path = tmp_path / "offline.kdb"
    _check_out(ctx, cases[0], path)
    with pytest.raises(WrongPassphraseError):
        open_database(path, passphrase="forkert", must_exist=True)


def test_the_loan_is_recorded_logged_and_a_second_check_out_of_the_case_is_refused(
    ctx: ServiceContext, cases: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    lent, other, _meeting = cases
    result = _check_out(ctx, lent, tmp_path / "første.kdb")
    loan = offline.loan_of(ctx, lent.patient_id)
    assert loan is not None and loan.loan_id == result.loan.loan_id and loan.state is LoanState.UDLAANT
    assert loan.admission_ids == {lent.admission_id} and loan.patient_ids == {lent.patient_id}
    assert loan.ward_label == "Udlånt til Bærbar 3 af koordinator.test siden 23-11-2026"
    assert offline.loan_of(ctx, other.patient_id) is None
    with ctx.database.session() as session:
        lines = session.scalars(select(AuditRow.what).where(AuditRow.patient_id == lent.patient_id)).all()
    assert any(line.startswith("Udlånt til Bærbar 3 i offline-kopien") for line in lines)

    second = tmp_path / "anden.kdb"
    with pytest.raises(ProcessError, match="Testa Fiktivsen er allerede udlånt til Bærbar 3"):
        _check_out(ctx, lent, second)
    assert not second.exists()
    assert [x.loan_id for x in offline.loans_out(ctx)] == [result.loan.loan_id]
    _check_out(ctx, other, tmp_path / "tredje.kdb")  # another patient may go out on its own loan


def test_a_ward_write_to_a_lent_case_is_refused_until_an_administrator_revokes_the_loan(
    ctx: ServiceContext, cases: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    lent, other, meeting_id = cases
    result = _check_out(ctx, lent, tmp_path / "offline.kdb")
    before = _dump(ctx.database)
    admissions = AdmissionService(ctx)
    with pytest.raises(LentCaseError) as refused:
        admissions.add_note(lent.admission_id, "Ringet til kommunen")
    assert refused.value.message.startswith(
        "Indlæggelsen er udlånt til Bærbar 3 siden 23-11-2026; den kan kun læses her, til den er afleveret eller "
        "udlånet tilbagekaldt."
    )
    with pytest.raises(LentCaseError):
        record_consent(ctx, lent, given_to="Botilbuddet")
    meetings = MeetingService(ctx)
    with pytest.raises(LentCaseError):
        PlanService(ctx).create(lent.admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    with pytest.raises(LentCaseError):  # the autosave's one Core UPDATE is refused too
        meetings.save_content(meeting_id, MeetingContent(texts={"formaal": "Status"}), expected_version=1)
    assert _dump(ctx.database) == before  # nothing written
    admissions.add_note(other.admission_id, "Den anden patient er ikke udlånt")  # other patients are untouched

    with pytest.raises(AccessDeniedError):
        offline.revoke(_as(ctx, Role.KOORDINATOR, "k.koordinator"), result.loan.loan_id, "Bærbaren er væk")
    admin = _as(ctx, Role.ADMINISTRATOR, "a.admin")
    revoked = offline.revoke(admin, result.loan.loan_id, "Bærbaren er væk")
    assert revoked.state is LoanState.TILBAGEKALDT and revoked.ended_by == "Test administrator (a.admin)"
    assert offline.loan_of(ctx, lent.patient_id) is None
    with ctx.database.session() as session:
        lines = session.scalars(select(AuditRow.what).where(AuditRow.patient_id == lent.patient_id)).all()
        assert any("tilbagekaldt: Bærbaren er væk" in line for line in lines)
        events = session.scalar(select(func.count()).select_from(EventRow).where(EventRow.admission_id == lent[1]))
    admissions.add_note(lent.admission_id, "Ringet til kommunen")  # the ward writes again
    with ctx.database.session() as session:
        assert session.scalar(select(func.count()).select_from(EventRow).where(EventRow.admission_id == lent[1])) == (
            (events or 0) + 1
        )
    with pytest.raises(ProcessError):  # a revoked loan stays revoked
        offline.revoke(admin, result.loan.loan_id, "Igen")


@pytest.mark.parametrize("role", [Role.LAESEADGANG, Role.MOEDELEDER])
def test_laeseadgang_and_moedeleder_may_not_lend(
    ctx: ServiceContext, cases: tuple[Admitted, Admitted, int], tmp_path: Path, role: Role
) -> None:
    path = tmp_path / "offline.kdb"
    with pytest.raises(AccessDeniedError, match="må ikke tage sager med offline"):
        _check_out(_as(ctx, role, "r.rolle"), cases[0], path)
    assert not path.exists()
    with ctx.database.session() as session:
        assert session.execute(text("SELECT count(*) FROM loans")).scalar_one() == 0


def test_a_demo_reload_clears_the_loans_with_the_patients(
    ctx: ServiceContext, cases: tuple[Admitted, Admitted, int], tmp_path: Path
) -> None:
    _check_out(ctx, cases[0], tmp_path / "offline.kdb")
    ctx.database.set_meta(DEMO_KEY, "1")
    with ctx.database.session() as session:
        clear_all(session)
    rows = _dump(ctx.database)
    assert rows["loans"] == [] and rows["loan_cases"] == [] and rows["patients"] == []
