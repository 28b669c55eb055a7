"""The audit log through the services (issue 8), on SQLite and PostgreSQL: issuing a varslingsblanket, putting a
plan in force, recording a consent … each writes exactly one line for the right patient, in the same transaction
as the change — so a failed change writes none — and an administrator can export one patient's log as CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from helpers.plans import completed
from helpers.ward import Admitted, admission_input, assess, record_consent, service_context
from helpers.ward import admit as admit_patient

from coordinator_app.domain.audit import AuditAction, AuditEntry
from coordinator_app.domain.discharge_plans import PlanKind
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.meetings import AgreementItem, AgreementStatus, MeetingContent, Occasion, Participant
from coordinator_app.domain.model import ConsentRecipient, EventKind, PlanFacts, Sector
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.audit import EXPORT_HEADERS, AuditService
from coordinator_app.services.consent import ConsentService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.notifications import NotificationInput, NotificationService
from coordinator_app.services.plans import PlanService
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.repositories import DocumentRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Copenhagen
TODAY = date(2026, 11, 23)
CPR = "010190-9909"


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="koordinator.test")


def admit(ctx: ServiceContext, cpr: str = CPR, given_name: str = "Testa") -> Admitted:
    """Testa Fiktivsen (or ``given_name``) on Afsnit 7, expected færdigbehandlet 7 December, assessed as scenario 2
    on the B5 branch (so a varsling may be sent)."""
    admitted = admit_patient(
        ctx, cpr=cpr, given_name=given_name, ward="Afsnit 7", expected_faerdigbehandlet=date(2026, 12, 7)
    )
    assess(ctx, admitted, scenario=2, b5=True, expected=date(2026, 12, 7))
    return admitted


@pytest.fixture
def admitted(ctx: ServiceContext) -> Admitted:
    return admit(ctx)


def consent(ctx: ServiceContext, a: Admitted, recipient: ConsentRecipient = ConsentRecipient.KOMMUNE) -> None:
    record_consent(ctx, a, recipient=recipient, given_on=TODAY)


def log(ctx: ServiceContext) -> list[AuditEntry]:
    with ctx.database.session() as session:
        return AuditRepository(session).all()


def sha256(ctx: ServiceContext, document_id: int | None) -> str:
    """The archived document's SHA-256 as its row holds it (the issue line carries it too, issue 17)."""
    assert document_id is not None
    with ctx.database.session() as session:
        return DocumentRepository(session).get(document_id, with_content=False).sha256


def new_lines(ctx: ServiceContext, before: list[AuditEntry]) -> list[tuple[AuditAction, int | None, int | None]]:
    return [(e.action, e.patient_id, e.admission_id) for e in log(ctx)[len(before) :]]


# -- each change writes its line -------------------------------------------------------------------------------


def test_recording_a_consent_writes_one_line_for_the_patient(ctx, admitted: Admitted) -> None:
    before = log(ctx)
    consent(ctx, admitted)
    assert new_lines(ctx, before) == [(AuditAction.OPRET, admitted.patient_id, admitted.admission_id)]
    line = log(ctx)[-1]
    assert line.what.startswith("Samtykke nr. ") and line.what.endswith("til kommunen registreret (mundtligt)")
    assert (line.user, line.at) == ("koordinator.test", NOW)
    (recorded,) = ConsentService(ctx).for_patient(admitted.patient_id)
    assert recorded.id is not None
    before = log(ctx)
    ConsentService(ctx).withdraw(recorded.id)
    assert new_lines(ctx, before) == [(AuditAction.RET, admitted.patient_id, admitted.admission_id)]
    assert log(ctx)[-1].what == f"Samtykke nr. {recorded.id} trukket tilbage"


def test_issuing_a_varslingsblanket_writes_one_line(ctx, admitted: Admitted) -> None:
    consent(ctx, admitted)
    sent = NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))
    before = log(ctx)
    document = DocumentService(ctx).issue_for_event(sent.event_id)
    assert new_lines(ctx, before) == [(AuditAction.UDSKRIV, admitted.patient_id, admitted.admission_id)]
    assert log(ctx)[-1].what == (
        f"Varslingsblanket (varsling) udstedt (dokument {document.id}, SHA-256 {document.sha256})"
    )


def test_sending_records_the_event_and_the_issued_form(ctx, admitted: Admitted) -> None:
    consent(ctx, admitted)
    before = log(ctx)
    sent = NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))
    who = (admitted.patient_id, admitted.admission_id)
    assert new_lines(ctx, before) == [(AuditAction.OPRET, *who), (AuditAction.UDSKRIV, *who)]
    assert [e.what for e in log(ctx)[-2:]] == [
        f"Varsling registreret til kommune 101 (hændelse {sent.event_id})",
        f"Varslingsblanket (varsling) udstedt (dokument {sent.document_id}, SHA-256 {sha256(ctx, sent.document_id)})",
    ]
    before = log(ctx)
    NotificationService(ctx).correct(sent.event_id, "Sendt ved en fejl")
    assert new_lines(ctx, before) == [(AuditAction.KORRIGER, *who)]
    assert "Sendt ved en fejl" not in log(ctx)[-1].what  # free text stays in the event


def test_opening_printing_and_saving_an_archived_document_are_logged(ctx, admitted: Admitted) -> None:
    consent(ctx, admitted)
    sent = NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))
    assert sent.document_id is not None
    documents = DocumentService(ctx)
    before = log(ctx)
    documents.content(sent.document_id)
    documents.content(sent.document_id, use=AuditAction.UDSKRIV)
    documents.content(sent.document_id, use=AuditAction.EKSPORT)
    who = (admitted.patient_id, admitted.admission_id)
    assert new_lines(ctx, before) == [(AuditAction.VIS, *who), (AuditAction.UDSKRIV, *who), (AuditAction.EKSPORT, *who)]
    assert log(ctx)[-3].what.startswith(f"Dokument {sent.document_id} (Varsling – ")
    assert [e.what.rsplit(") ", 1)[1] for e in log(ctx)[-3:]] == ["åbnet", "skrevet ud på printer", "eksporteret"]


def test_a_plan_from_kladde_to_in_force_to_ended(ctx, admitted: Admitted) -> None:
    plans = PlanService(ctx)
    who = (admitted.patient_id, admitted.admission_id)
    version = plans.panel(admitted.admission_id).admission.version
    assert version is not None
    before = log(ctx)
    plans.set_facts(
        admitted.admission_id, PlanFacts(afsnit_v_support=True), date(2026, 12, 4), expected_version=version
    )
    plan = plans.create(admitted.admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    assert plan.id is not None and plan.version is not None
    plan_id = plan.id
    plan = plans.save(plan_id, completed(plan.content), expected_version=plan.version)
    assert plan.version is not None
    assert new_lines(ctx, before) == [(AuditAction.RET, *who), (AuditAction.OPRET, *who), (AuditAction.RET, *who)]
    assert log(ctx)[-2].what == f"Udskrivningsaftale nr. {plan.id} oprettet som kladde"

    before = log(ctx)
    active, document = plans.activate(plan_id, plan.content, expected_version=plan.version)
    assert active.version is not None
    assert new_lines(ctx, before) == [(AuditAction.UDSKRIV, *who)]
    assert log(ctx)[-1].what == (
        f"Udskrivningsaftale nr. {plan.id} sat i kraft, version 1 (dokument {document.id}, SHA-256 {document.sha256})"
    )

    before = log(ctx)
    plans.end(plan_id, "Patienten flyttede til Testa Fiktivsens søster", expected_version=active.version)
    assert new_lines(ctx, before) == [(AuditAction.RET, *who)]
    assert log(ctx)[-1].what == f"Udskrivningsaftale nr. {plan.id} afsluttet 23-11-2026"


def test_the_panel_writes_nothing_and_a_draft_preview_is_a_view(ctx, admitted: Admitted) -> None:
    plans = PlanService(ctx)
    plan = plans.create(admitted.admission_id, PlanKind.KOORDINATIONSPLAN)
    assert plan.id is not None
    before = log(ctx)
    plans.panel(admitted.admission_id)
    plans.versions(plan.id)
    assert new_lines(ctx, before) == []
    plans.draft_pdf(plan.id)
    assert new_lines(ctx, before) == [(AuditAction.VIS, admitted.patient_id, admitted.admission_id)]


PEOPLE = (
    Participant("p1", "Kim Kommune", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler", email="kim@kk.example.dk"),
    Participant("p2", "Rikke Region", "PC København", Sector.REGION, "overlæge", health_professional=True),
)


def test_a_meeting_scheduled_held_and_its_referat_issued(ctx, admitted: Admitted) -> None:
    service = MeetingService(ctx)
    who = (admitted.patient_id, admitted.admission_id)
    before = log(ctx)
    meeting = service.schedule(
        ScheduleInput(
            patient_id=admitted.patient_id,
            admission_id=admitted.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            planned_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        )
    )
    assert new_lines(ctx, before) == [(AuditAction.OPRET, *who)]
    assert log(ctx)[-1].what == f"Netværksmøde {meeting.reference} planlagt"
    assert meeting.id is not None
    started = service.start(meeting.id, before_planned_day=True)
    assert started.version is not None
    content = MeetingContent(
        participants=PEOPLE, leader_key="p2", agreements=(AgreementItem("a1", "Bostøtte visiteres", "p1"),)
    )
    before = log(ctx)
    saved = service.save_content(meeting.id, content, expected_version=started.version)
    assert new_lines(ctx, before) == []  # autosave: one UPDATE and nothing else
    assert saved.version is not None
    service.close(meeting.id, expected_version=saved.version)
    service.set_task_status(meeting.id, "a1", AgreementStatus.UDFOERT)
    document = service.issue_referat(meeting.id)
    assert new_lines(ctx, before) == [(AuditAction.RET, *who), (AuditAction.RET, *who), (AuditAction.UDSKRIV, *who)]
    assert log(ctx)[-1].what == (
        f"Netværksmøde {meeting.reference} referat udstedt (dokument {document.id}, SHA-256 {document.sha256})"
    )


# -- a failed change writes nothing ----------------------------------------------------------------------------------


def test_a_refused_sending_writes_no_line(ctx, admitted: Admitted) -> None:
    before = log(ctx)
    with pytest.raises(ValidationError, match="samtykke"):
        NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))
    assert new_lines(ctx, before) == []


def test_a_change_that_fails_after_its_line_takes_the_line_with_it(
    ctx, admitted: Admitted, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event and its OPRET line are written, then rendering the form fails: everything is rolled back."""
    consent(ctx, admitted)

    def broken(*_args: object) -> bytes:
        raise RuntimeError("printeren brændte")

    monkeypatch.setattr(
        "coordinator_app.documents.varslingsblanket.render_varslingsblanket", broken
    )  # imported when used
    before = log(ctx)
    with pytest.raises(RuntimeError, match="printeren"):
        NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))
    assert new_lines(ctx, before) == []
    assert AuditService(ctx).verify().ok


def test_record_in_shares_the_callers_transaction(ctx) -> None:
    audit = AuditService(ctx)
    with pytest.raises(RuntimeError), ctx.database.session() as session:
        audit.record_in(session, AuditAction.RET, "Ændring der fortrydes", patient_id=1)
        raise RuntimeError("fortrudt")
    assert log(ctx) == []
    line = audit.record(AuditAction.VIS, "Detaljer vist", patient_id=1, admission_id=2)
    assert log(ctx) == [line]
    assert (line.seq, line.user, line.at) == (1, "koordinator.test", NOW)


# -- what the lines say, verify and the patient's export ---------------------------------------------------------


def test_no_line_carries_the_cpr_number_or_the_name(ctx, admitted: Admitted) -> None:
    consent(ctx, admitted)
    NotificationService(ctx).send(admitted.admission_id, NotificationInput(kind=EventKind.VARSLING))
    plans = PlanService(ctx)
    plan = plans.create(admitted.admission_id, PlanKind.UDSKRIVNINGSAFTALE)
    assert plan.id is not None and plan.version is not None
    plans.activate(plan.id, completed(plan.content), expected_version=plan.version)
    lines = log(ctx)
    assert len(lines) >= 5
    for line in lines:
        for secret in (CPR, CPR.replace("-", ""), "Testa", "Fiktivsen"):
            assert secret not in line.what


def test_verify_through_the_service(ctx, admitted: Admitted) -> None:
    consent(ctx, admitted)
    result = AuditService(ctx).verify()
    assert result.ok and result.count == len(log(ctx))


def test_one_patients_log_exported_as_csv_for_danish_excel(ctx, admitted: Admitted) -> None:
    other = admit(ctx, cpr="020290-9908", given_name="Anden")
    consent(ctx, admitted)
    consent(ctx, other)
    consent(ctx, admitted, ConsentRecipient.EGEN_LAEGE)
    audit = AuditService(ctx)
    mine = audit.patient_log(admitted.patient_id)
    assert {e.patient_id for e in mine} == {admitted.patient_id}

    raw = audit.export_patient_log(admitted.patient_id)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert tuple(rows[0]) == EXPORT_HEADERS
    body = rows[1:]
    assert len(body) == len(mine) + 1  # the export logs itself first
    assert {r[4] for r in body} == {str(admitted.patient_id)}
    assert [int(r[0]) for r in body] == sorted(int(r[0]) for r in body)
    assert body[0][1:4] == ["23-11-2026 10:00:00", "koordinator.test", "Oprettelse"]
    assert body[-1][3:7] == ["Eksport", str(admitted.patient_id), "", "Revisionslog for patienten eksporteret"]
    assert body[-1][7] == audit.patient_log(admitted.patient_id)[-1].hash
    assert audit.verify().ok


def test_a_demo_reload_keeps_the_log_and_marks_the_reload(ctx) -> None:
    from coordinator_app.services.setup import load_demo_ward

    AuditService(ctx).record(AuditAction.VIS, "Statistik vist")  # a line from before the (re)load
    first = log(ctx)
    assert first
    load_demo_ward(ctx)
    after = log(ctx)
    assert after[: len(first)] == first  # nothing before the reload is gone
    reloads = [e for e in after if e.what == "Demo-data genindlæst"]
    assert len(reloads) == 1 and reloads[0].action is AuditAction.SLET and reloads[0].patient_id is None
    assert after.index(reloads[0]) == len(first)  # written before the demo's own lines
    assert AuditService(ctx).verify().ok


def test_admissions_viewed_created_changed_and_patients_created_are_logged(ctx) -> None:
    before = log(ctx)
    a = admit(ctx)
    assert new_lines(ctx, before) == [(AuditAction.OPRET, a.patient_id, a.admission_id)]
    service = AdmissionService(ctx)
    before = log(ctx)
    service.details(a.admission_id)
    service.list_rows()  # the list is not a view of one record
    assert new_lines(ctx, before) == [(AuditAction.VIS, a.patient_id, a.admission_id)]
    before = log(ctx)
    details = service.details(a.admission_id)
    service.update_admission(
        a.admission_id,
        admission_input(cpr=CPR, family_name="Fiktivsen-Ny", ward="Afsnit 7"),
        admission_version=details.admission.version,
    )
    assert new_lines(ctx, before)[-1] == (AuditAction.RET, a.patient_id, a.admission_id)
    before = log(ctx)
    patient = service.find_or_create_patient("020290-9908", "Ambulant", "Testesen")
    service.find_or_create_patient("020290-9908", "Ambulant", "Testesen")  # known: nothing created
    assert new_lines(ctx, before) == [(AuditAction.OPRET, patient.id, None)]
    assert AuditService(ctx).verify().ok
