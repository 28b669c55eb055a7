"""Roles are enforced in the services (issue 8), not only by greyed-out buttons: every write is called directly
with a ServiceContext for each role, and each role is denied what it may not do — with the Danish message, and
with nothing written (every table, the audit log included, is byte-for-byte the same afterwards). Both backends."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers.ward import (
    Admitted,
    admission_input,
    admit,
    assess,
    record_consent,
    send_faerdigmelding,
    send_varsling,
    service_context,
)
from sqlalchemy import select

from coordinator_app.domain.access import ROLE_LABELS, ROLE_PERMISSIONS, Permission, Principal, Role
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.discharge_plans import PlanKind
from coordinator_app.domain.errors import AccessDeniedError
from coordinator_app.domain.meetings import AgreementItem, AgreementStatus, MeetingContent, MeetingStatus, Occasion
from coordinator_app.domain.model import ConsentMethod, ConsentRecipient, EventKind, PlanFacts
from coordinator_app.services.admissions import AdmissionInput, AdmissionService
from coordinator_app.services.audit import AuditService
from coordinator_app.services.consent import ConsentInput, ConsentService
from coordinator_app.services.contacts import ContactInput, ContactService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.documents import DocumentService
from coordinator_app.services.exports import ExportService
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.notifications import NotificationInput, NotificationService
from coordinator_app.services.plans import PlanService
from coordinator_app.services.scenario import ScenarioAssessment, ScenarioService
from coordinator_app.services.settings import (
    CalendarSettings,
    add_ward,
    save_calendar_settings,
    save_rates,
    update_ward_profile,
)
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.services.users import UserService
from coordinator_app.storage.orm import Base
from coordinator_app.storage.plans import DischargePlanRepository
from coordinator_app.storage.repositories import AdmissionRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
EXPORT_PASSWORD = "Rolle-test-2026"


@dataclass
class Ward:
    """One patient with everything a role could touch: a varsling and its form, a consent, three meetings
    (planned, running, closed with an agreement), a plan kladde, a contact and a statistics result."""

    patient_id: int
    admission_id: int
    event_id: int
    document_id: int
    consent_id: int
    planned_id: int
    running_id: int
    running_version: int
    closed_id: int
    plan_id: int
    plan_version: int
    contact_id: int
    contact_version: int
    stats: Any
    out: Path  # an empty folder an export would be written to


def as_role(ctx: ServiceContext, role: Role) -> ServiceContext:
    principal = Principal(username=f"test.{role.value}", role=role, full_name=f"Test {ROLE_LABELS[role]}")
    return ServiceContext(database=ctx.database, calendar=ctx.calendar, clock=ctx.clock, principal=principal)


@pytest.fixture
def ctx(database) -> ServiceContext:
    return service_context(database, now=NOW, user="opsætning")


@pytest.fixture
def ward(ctx: ServiceContext, tmp_path: Path) -> Ward:
    admitted = admit(ctx, expected_faerdigbehandlet=date(2026, 12, 7))
    pid, aid = admitted
    assess(ctx, admitted, scenario=2, b5=True, expected=date(2026, 12, 7))  # B5: varsling and færdigmelding
    record_consent(ctx, admitted, scope="Udskrivning")
    sent = send_varsling(ctx, admitted)
    assert sent.document_id is not None
    meetings = MeetingService(ctx)

    def schedule() -> int:
        planned = datetime(2026, 11, 26, 10, tzinfo=COPENHAGEN)
        meeting = meetings.schedule(ScheduleInput(pid, aid, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23), planned))
        assert meeting.id is not None
        return meeting.id

    planned_id, running_id, closed_id = schedule(), schedule(), schedule()
    running = meetings.start(running_id, before_planned_day=True)  # planned for 26-11: started early, confirmed
    closing = meetings.start(closed_id, before_planned_day=True)
    content = MeetingContent(texts={"formaal": "Status"}, agreements=(AgreementItem("a1", "Bostøtte visiteres"),))
    closing = meetings.save_content(closed_id, content, expected_version=closing.version or 0)
    meetings.close(closed_id, expected_version=closing.version or 0)
    plan = PlanService(ctx).create(aid, PlanKind.UDSKRIVNINGSAFTALE)
    contact = ContactService(ctx).add(ContactInput("Kim Kommune", "Københavns Kommune"))
    stats = StatisticsService(ctx).compute(date(2026, 1, 1), date(2026, 12, 31))
    assert plan.id is not None and contact.id is not None
    out = tmp_path / "eksport"
    out.mkdir()
    return Ward(
        pid,
        aid,
        sent.event_id,
        sent.document_id,
        ConsentService(ctx).for_patient(pid)[0].id or 0,
        planned_id,
        running_id,
        running.version or 0,
        closed_id,
        plan.id,
        plan.version or 0,
        contact.id,
        contact.version or 0,
        stats,
        out,
    )


Operation = Callable[[ServiceContext, Ward], object]


#: Every write the services offer (admissions.py's come with the lead's require lines), with what it needs.
def _new_admission() -> AdmissionInput:
    return admission_input(
        cpr="020290-9908", given_name="Anden", family_name="Testesen", ward="Afsnit 7", admitted=date(2026, 11, 10)
    )


OPERATIONS: dict[str, tuple[Permission, Operation]] = {
    "admit a patient": (Permission.EDIT_ADMISSION, lambda c, w: AdmissionService(c).create_admission(_new_admission())),
    "edit an admission": (
        Permission.EDIT_ADMISSION,
        lambda c, w: AdmissionService(c).update_admission(w.admission_id, _new_admission()),
    ),
    "create an ambulant patient": (
        Permission.MANAGE_MEETING,
        lambda c, w: AdmissionService(c).find_or_create_patient("020290-9908", "Anden", "Testesen"),
    ),
    "send varsling": (
        Permission.SEND_NOTIFICATION,
        lambda c, w: NotificationService(c).send(w.admission_id, NotificationInput(kind=EventKind.FAERDIGMELDING)),
    ),
    "correct a sending": (
        Permission.SEND_NOTIFICATION,
        lambda c, w: NotificationService(c).correct(w.event_id, "Sendt til den forkerte kommune"),
    ),
    "record the discharge": (
        Permission.EDIT_ADMISSION,
        lambda c, w: NotificationService(c).send(w.admission_id, NotificationInput(kind=EventKind.DISCHARGE)),
    ),
    "assess the scenario": (
        Permission.EDIT_ADMISSION,
        lambda c, w: ScenarioService(c).assess(w.admission_id, ScenarioAssessment(has_indsats=True)),
    ),
    "issue the form again": (Permission.ISSUE_DOCUMENT, lambda c, w: DocumentService(c).reissue(w.document_id)),
    "issue the form for an event": (
        Permission.ISSUE_DOCUMENT,
        lambda c, w: DocumentService(c).issue_for_event(w.event_id),
    ),
    "print a document": (
        Permission.EXPORT_DOCUMENT,
        lambda c, w: DocumentService(c).content(w.document_id, use=AuditAction.UDSKRIV),
    ),
    "save a document as a file": (
        Permission.EXPORT_DOCUMENT,
        lambda c, w: DocumentService(c).content(w.document_id, use=AuditAction.EKSPORT),
    ),
    "export a document (Gem som PDF)": (
        Permission.EXPORT_DOCUMENT,
        lambda c, w: ExportService(c).document(w.document_id),
    ),
    "record a consent": (
        Permission.MANAGE_CONSENT,
        lambda c, w: ConsentService(c).record(
            w.patient_id,
            w.admission_id,
            ConsentInput(ConsentRecipient.PAAROERENDE, "Søster", "Udskrivning", ConsentMethod.SKRIFTLIGT),
        ),
    ),
    "withdraw a consent": (Permission.MANAGE_CONSENT, lambda c, w: ConsentService(c).withdraw(w.consent_id)),
    "schedule a meeting": (
        Permission.MANAGE_MEETING,
        lambda c, w: MeetingService(c).schedule(
            ScheduleInput(w.patient_id, w.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23))
        ),
    ),
    "reschedule a meeting": (
        Permission.MANAGE_MEETING,
        lambda c, w: MeetingService(c).update_schedule(
            w.planned_id,
            ScheduleInput(w.patient_id, w.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23)),
            expected_version=1,
        ),
    ),
    "edit the meeting template": (
        Permission.MANAGE_MEETING,
        lambda c, w: MeetingService(c).save_template(MeetingService(c).current_template()),
    ),
    "make the .ics invitation": (Permission.MANAGE_MEETING, lambda c, w: MeetingService(c).ics(w.planned_id)),
    "add a referat recipient": (
        Permission.MANAGE_MEETING,
        lambda c, w: MeetingService(c).add_recipient(
            w.closed_id, name="Socialrådgiver", address="sr@kk.example.dk", recipient=ConsentRecipient.KOMMUNE
        ),
    ),
    "give a participant an address for the referat": (
        Permission.MANAGE_MEETING,
        lambda c, w: MeetingService(c).add_participant_address(w.closed_id, "p1", "deltager@example.dk"),
    ),
    "start a meeting": (
        Permission.RUN_MEETING,
        lambda c, w: MeetingService(c).start(w.planned_id, before_planned_day=True),
    ),
    "autosave a meeting": (
        Permission.RUN_MEETING,
        lambda c, w: MeetingService(c).save_content(
            w.running_id, MeetingContent(texts={"formaal": "Skrevet"}), expected_version=w.running_version
        ),
    ),
    "close a meeting": (
        Permission.RUN_MEETING,
        lambda c, w: MeetingService(c).close(w.running_id, expected_version=w.running_version),
    ),
    "issue the referat": (Permission.RUN_MEETING, lambda c, w: MeetingService(c).issue_referat(w.closed_id)),
    "mark an agreement done": (
        Permission.RUN_MEETING,
        lambda c, w: MeetingService(c).set_task_status(w.closed_id, "a1", AgreementStatus.UDFOERT),
    ),
    "set the plan facts": (
        Permission.EDIT_PLAN,
        lambda c, w: PlanService(c).set_facts(
            w.admission_id, PlanFacts(afsnit_v_support=True), None, expected_version=_admission_version(c, w)
        ),
    ),
    "start a plan": (Permission.EDIT_PLAN, lambda c, w: PlanService(c).create(w.admission_id)),
    "save a plan kladde": (
        Permission.EDIT_PLAN,
        lambda c, w: PlanService(c).save(w.plan_id, _plan_content(c, w), expected_version=w.plan_version),
    ),
    "put a plan in force": (
        Permission.EDIT_PLAN,
        lambda c, w: PlanService(c).activate(w.plan_id, _plan_content(c, w), expected_version=w.plan_version),
    ),
    "end a plan": (
        Permission.EDIT_PLAN,
        lambda c, w: PlanService(c).end(w.plan_id, "Ikke længere aktuel", expected_version=w.plan_version),
    ),
    "pull a plan from a meeting": (
        Permission.EDIT_PLAN,
        lambda c, w: PlanService(c).pull_from_meeting(w.plan_id, w.closed_id, expected_version=w.plan_version),
    ),
    "add a contact": (Permission.EDIT_CONTACTS, lambda c, w: ContactService(c).add(ContactInput("Ny Person"))),
    "edit a contact": (
        Permission.EDIT_CONTACTS,
        lambda c, w: ContactService(c).update(w.contact_id, ContactInput("Kim K."), w.contact_version),
    ),
    "deactivate a contact": (Permission.EDIT_CONTACTS, lambda c, w: ContactService(c).deactivate(w.contact_id)),
    "export statistics": (Permission.EXPORT_STATISTICS, lambda c, w: ExportService(c).statistics(w.stats, "xlsx")),
    "write (and log) a statistics export": (
        Permission.EXPORT_STATISTICS,
        lambda c, w: ExportService(c).write(
            ExportService(_full_rights(c)).statistics(w.stats, "csv"), w.out / "statistik.zip", EXPORT_PASSWORD
        ),
    ),
    "change the bed-day rate": (
        Permission.MANAGE_SETTINGS,
        lambda c, w: save_rates(c, {2026: Decimal("2150")}, source="Takstblad"),
    ),
    "change the calendar": (
        Permission.MANAGE_SETTINGS,
        lambda c, w: save_calendar_settings(c, CalendarSettings(extra_closing_days=False)),
    ),
    "change the sender profile": (
        Permission.MANAGE_SETTINGS,
        lambda c, w: update_ward_profile(c, phone="", secure_mail="", coordinator_title="Koordinator"),
    ),
    "add a ward": (Permission.MANAGE_SETTINGS, lambda c, w: add_ward(c, "Psykiatrisk Center Ny", "Afsnit 1")),
    "set a kommune's secure mailbox": (
        Permission.MANAGE_SETTINGS,
        lambda c, w: ContactService(c).set_kommune_entrance("101", "sikker@kk.example.dk"),
    ),
    "export a patient's audit log": (
        Permission.VIEW_AUDIT,
        lambda c, w: AuditService(c).export_patient_log(w.patient_id),
    ),
    "export a patient's audit log as a file": (
        Permission.VIEW_AUDIT,
        lambda c, w: ExportService(c).patient_log(w.patient_id),
    ),
    "read a patient's audit log": (Permission.VIEW_AUDIT, lambda c, w: AuditService(c).patient_log(w.patient_id)),
    "verify the audit log": (Permission.VIEW_AUDIT, lambda c, w: AuditService(c).verify()),
    "create a user": (
        Permission.MANAGE_USERS,
        lambda c, w: UserService(c).create_user("ny", "Ny Bruger", Role.ADMINISTRATOR, "en lang sætning her"),
    ),
}


def _full_rights(ctx: ServiceContext) -> ServiceContext:
    """The same database as the demo user, who may do everything: an export made there, written by the role."""
    return ServiceContext(database=ctx.database, calendar=ctx.calendar, clock=ctx.clock)


def _admission_version(ctx: ServiceContext, w: Ward) -> int:
    """Read straight from storage: a service read may itself be logged (a view), which is not the point here."""
    with ctx.database.session() as session:
        return AdmissionRepository(session).get(w.admission_id).version or 0


def _plan_content(ctx: ServiceContext, w: Ward):
    with ctx.database.session() as session:
        return DischargePlanRepository(session).get(w.plan_id).content


def snapshot(ctx: ServiceContext) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order: a denial must leave all of it as it was."""
    with ctx.database.session() as session:
        return {
            table.name: [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


DENIALS = [
    pytest.param(role, name, id=f"{role.value}-{name.replace(' ', '_')}")
    for role in Role
    for name, (permission, _op) in OPERATIONS.items()
    if permission not in ROLE_PERMISSIONS[role]
]


@pytest.mark.parametrize(("role", "operation"), DENIALS)
def test_each_role_is_denied_what_it_may_not_do_and_nothing_is_written(
    ctx: ServiceContext, ward: Ward, role: Role, operation: str
) -> None:
    permission, call = OPERATIONS[operation]
    before = snapshot(ctx)
    with pytest.raises(AccessDeniedError) as caught:
        call(as_role(ctx, role), ward)
    assert caught.value.message.startswith(f"Din rolle ({ROLE_LABELS[role]}) må ikke ")
    assert caught.value.permission == permission.value
    assert snapshot(ctx) == before
    assert list(ward.out.iterdir()) == []  # and no file either


def test_every_role_is_denied_something_except_the_administrator() -> None:
    denied = {role for role, _name in (p.values for p in DENIALS)}
    assert denied == {Role.LAESEADGANG, Role.MOEDELEDER, Role.KOORDINATOR}
    assert {p.values[1] for p in DENIALS if p.values[0] is Role.LAESEADGANG} == set(OPERATIONS)


def test_laeseadgang_cannot_send_a_varsling_and_is_told_why(ctx: ServiceContext, ward: Ward) -> None:
    with pytest.raises(AccessDeniedError) as caught:
        NotificationService(as_role(ctx, Role.LAESEADGANG)).send(
            ward.admission_id, NotificationInput(kind=EventKind.FAERDIGMELDING)
        )
    assert caught.value.message == "Din rolle (Læseadgang) må ikke sende varslinger. Kontakt afsnittets administrator."


def test_laeseadgang_reads_the_list_the_details_and_the_documents(ctx: ServiceContext, ward: Ward) -> None:
    reader = as_role(ctx, Role.LAESEADGANG)
    assert [r.admission_id for r in AdmissionService(reader).list_rows()] == [ward.admission_id]
    assert AdmissionService(reader).details(ward.admission_id).patient.id == ward.patient_id
    assert DocumentService(reader).content(ward.document_id).startswith(b"%PDF")  # viewing is logged, as for all
    assert MeetingService(reader).get(ward.closed_id).status is MeetingStatus.AFSLUTTET
    assert PlanService(reader).panel(ward.admission_id).plans
    assert StatisticsService(reader).compute(date(2026, 1, 1), date(2026, 12, 31)) is not None


def test_the_actions_menu_greys_out_what_the_role_may_not_send(ctx: ServiceContext, ward: Ward) -> None:
    states = {s.kind: s for s in NotificationService(as_role(ctx, Role.MOEDELEDER)).actions(ward.admission_id)}
    assert states[EventKind.FAERDIGMELDING].reason == (
        "Din rolle (Mødeleder) må ikke sende varslinger. Kontakt afsnittets administrator."
    )
    assert "Mødeleder" in (states[EventKind.DISCHARGE].reason or "")
    koordinator = {s.kind: s for s in NotificationService(as_role(ctx, Role.KOORDINATOR)).actions(ward.admission_id)}
    assert koordinator[EventKind.FAERDIGMELDING].allowed


def test_moedeleder_runs_autosaves_and_closes_a_meeting_and_issues_the_referat(ctx: ServiceContext, ward: Ward) -> None:
    leader = as_role(ctx, Role.MOEDELEDER)
    meetings = MeetingService(leader)
    started = meetings.start(ward.planned_id, before_planned_day=True)
    assert started.version is not None
    saved = meetings.save_content(
        ward.planned_id, MeetingContent(texts={"formaal": "Ført af mødelederen"}), expected_version=started.version
    )
    assert saved.version is not None
    closed = meetings.close(ward.planned_id, expected_version=saved.version)
    assert closed.meeting.status is MeetingStatus.AFSLUTTET
    referat = meetings.issue_referat(ward.planned_id)
    assert referat.created_by == "Test Mødeleder (test.moedeleder)"
    lines = AuditService(ctx).patient_log(ward.patient_id)
    assert [e.user for e in lines[-3:]] == ["Test Mødeleder (test.moedeleder)"] * 3
    with pytest.raises(AccessDeniedError, match="sende varslinger"):
        NotificationService(leader).send(ward.admission_id, NotificationInput(kind=EventKind.FAERDIGMELDING))


def test_koordinator_sends_and_the_record_names_the_signed_in_user(ctx: ServiceContext, ward: Ward) -> None:
    koordinator = as_role(ctx, Role.KOORDINATOR)
    admitted = Admitted(ward.patient_id, ward.admission_id)
    result = send_faerdigmelding(koordinator, admitted, judged_on=date(2026, 11, 23), confirmed_early=True)
    document = DocumentService(ctx).documents(ward.admission_id)[0]
    assert document.id == result.document_id and document.created_by == "Test Koordinator (test.koordinator)"
    with pytest.raises(AccessDeniedError, match="ændre afsnittets indstillinger"):
        save_rates(as_role(ctx, Role.KOORDINATOR), {2026: Decimal("2150")})


def test_the_default_context_is_the_full_rights_demo_user(ctx: ServiceContext) -> None:
    assert ctx.principal.demo and ctx.user == "opsætning" and ctx.principal.username == "opsætning"
    assert all(ctx.may(p) for p in Permission)
    signed_in = as_role(ctx, Role.LAESEADGANG)
    assert signed_in.user == "Test Læseadgang (test.laeseadgang)" and not signed_in.principal.demo
    assert dataclasses.replace(signed_in).principal == signed_in.principal
