"""Issue 16 through the services, the way I dag, Overblik and the admission form use them, on SQLite and PostgreSQL:
a new admission is asked for its scenario (A1) at once; every deadline row of the ward carries the action that
fulfils it, refused with the services' reason when it may not be taken now; an admission whose history cannot be
replayed is an error row of I dag, never left out; an edit that would put an event outside the admission is refused
naming the event."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from helpers.ward import Admitted, admission_input, admit, assess_scenario, record_consent

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.meetings import Occasion
from coordinator_app.domain.model import DeadlineState, EventKind
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.deadline_actions import (
    HISTORY_ERROR,
    SEND_LABELS,
    ActionKind,
    DeadlineAction,
    action_for,
)
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.notifications import ACTIONS, NotificationInput, NotificationService
from coordinator_app.services.overview import Bucket, OverviewService
from coordinator_app.services.scenario import ScenarioAssessment
from coordinator_app.storage.repositories import AdmissionRepository

D = date
TODAY = D(2026, 11, 23)  # the ``ctx`` fixture's clock: Monday 23 November 2026
ADMITTED = D(2026, 11, 2)
B5 = ScenarioAssessment(
    has_indsats=False,
    may_need_support=True,
    can_discharge_before_support=False,
    expected_faerdigbehandlet=D(2026, 12, 11),
    judged_by="Overlæge Ole Fiktiv",
)


def items_of(ctx: ServiceContext, admission_id: int):
    return [i for i in OverviewService(ctx).today_items(TODAY) if i.admission_id == admission_id]


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=COPENHAGEN).astimezone(UTC)


# -- A1 at once ------------------------------------------------------------------------------------------------------
def test_a_new_admission_is_asked_for_its_scenario_at_once(ctx: ServiceContext) -> None:
    admitted = admit(ctx, admitted=TODAY)
    [a1] = items_of(ctx, admitted.admission_id)
    assert (a1.rule_id, a1.kind, a1.due, a1.bucket) == ("A1", "spoerg_om_stoette", TODAY, Bucket.TODAY)
    assert a1.what.startswith("Vurder scenarie") and a1.action is not None
    assert (a1.action.kind, a1.action.label) == (ActionKind.ASSESS, "Vurder scenarie…")
    [row] = AdmissionService(ctx).list_rows()
    assert (row.next_rule, row.next_due) == ("A1", TODAY)  # the patient list says it too
    assert OverviewService(ctx).action_refusals(admitted.admission_id, [a1.action]) == {a1.action: None}


def test_an_unassessed_admission_is_overdue_and_the_assessment_meets_a1(ctx: ServiceContext) -> None:
    admitted = admit(ctx, admitted=ADMITTED)
    [a1] = items_of(ctx, admitted.admission_id)
    assert (a1.rule_id, a1.due, a1.bucket) == ("A1", ADMITTED, Bucket.OVERDUE)
    assess_scenario(ctx, admitted)  # "intet scenarie" is an answer: A1 met, no B1–B5 duty
    assert items_of(ctx, admitted.admission_id) == []
    details = AdmissionService(ctx).details(admitted.admission_id)
    [met] = [d for d in details.deadlines if d.rule_id == "A1"]
    assert (met.state, met.met_on) == (DeadlineState.MET, TODAY)


# -- the action of each deadline ----------------------------------------------------------------------------------
def test_each_deadline_row_carries_the_action_that_fulfils_it(ctx: ServiceContext) -> None:
    admitted = admit(ctx, admitted=ADMITTED)
    assess_scenario(ctx, admitted, B5)  # scenario 3, B5: contact, varsling and færdigmelding
    MeetingService(ctx).schedule(
        ScheduleInput(
            patient_id=admitted.patient_id,
            admission_id=admitted.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            planned_at=at(D(2026, 11, 25)),
        )
    )
    actions = {i.rule_id: i.action for i in items_of(ctx, admitted.admission_id)}
    assert set(actions) == {"B3", "B5", "C2"}  # A1 met by the assessment
    b3, c2 = actions["B3"], actions["C2"]
    assert b3 is not None and (b3.kind, b3.event, b3.label) == (
        ActionKind.SEND,
        EventKind.ORIENTERING_INDLAEGGELSE,
        "Send orientering…",
    )
    by_kind = {i.kind: i.action for i in items_of(ctx, admitted.admission_id)}
    assert by_kind["varsling"] == action_for("varsling") and by_kind["varsling"].event is EventKind.VARSLING
    assert by_kind["faerdigmelding"].event is EventKind.FAERDIGMELDING
    assert c2 is not None and (c2.kind, c2.label) == (ActionKind.MEETING, "Nyt netværksmøde…")


def test_a_send_action_is_refused_exactly_as_the_send_menu_refuses_it(ctx: ServiceContext) -> None:
    """What I dag and Overblik grey out is the Send menu's own answer, whatever the process (and the scenario)
    decides — one source for both. Discharged, the orientering is refused; so is a new assessment."""
    admitted = admit(ctx, admitted=ADMITTED)
    service = AdmissionService(ctx)
    version = service.details(admitted.admission_id).admission.version
    service.update_admission(
        admitted.admission_id, admission_input(discharged=D(2026, 11, 20)), admission_version=version
    )
    menu = {a.kind: a.reason for a in NotificationService(ctx).actions(admitted.admission_id)}
    sends = [
        a for k in ("kontakt_scenarie_2", "varsling", "faerdigmelding", "udskrivningsdato") if (a := action_for(k))
    ]
    assess = action_for("spoerg_om_stoette")
    assert assess is not None
    refusals = OverviewService(ctx).action_refusals(admitted.admission_id, [*sends, assess])
    assert {a.event: refusals[a] for a in sends} == {a.event: menu[a.event] for a in sends if a.event}
    assert refusals[sends[0]] is not None and "udskrevet" in (refusals[sends[0]] or "")
    assert refusals[assess] == "Indlæggelsen er afsluttet; scenariet kan ikke vurderes igen."


def test_a_reading_role_sees_every_action_refused_with_its_reason(ctx: ServiceContext) -> None:
    admitted = admit(ctx, admitted=ADMITTED)
    reader = dataclasses.replace(ctx, principal=Principal("test.laeser", Role.LAESEADGANG, "Test Læser"))
    keys = ("spoerg_om_stoette", "varsling", "netvaerksmoede", "udskrivningsaftale")
    actions = [a for k in keys if (a := action_for(k))]
    refusals = OverviewService(reader).action_refusals(admitted.admission_id, actions)
    assert all(reason and reason.startswith("Din rolle (Læseadgang) må ikke") for reason in refusals.values())


def test_the_send_labels_are_the_send_menus() -> None:
    assert {kind: label for kind, label in ACTIONS if kind in SEND_LABELS} == SEND_LABELS


# -- no history is dropped or broken ----------------------------------------------------------------------------
def _sent_orientering(ctx: ServiceContext) -> Admitted:
    admitted = admit(ctx, admitted=ADMITTED)
    record_consent(ctx, admitted, given_on=ADMITTED)
    NotificationService(ctx).send(
        admitted.admission_id,
        NotificationInput(
            kind=EventKind.ORIENTERING_INDLAEGGELSE, occurred_at=at(D(2026, 11, 3)), issue_document=False
        ),
    )
    return admitted


def test_moving_the_admission_date_after_the_orientering_is_refused_naming_it(ctx: ServiceContext) -> None:
    admitted = _sent_orientering(ctx)
    service = AdmissionService(ctx)
    before = service.details(admitted.admission_id)
    with pytest.raises(ValidationError) as info:
        service.update_admission(
            admitted.admission_id,
            admission_input(admitted=D(2026, 11, 5)),
            admission_version=before.admission.version,
            patient_version=before.patient.version,
        )
    assert info.value.field == "admitted"
    assert info.value.message.startswith(
        "Orienteringen ved indlæggelse 03-11-2026 ligger før den nye indlæggelsesdato 05-11-2026."
    )
    after = service.details(admitted.admission_id)
    assert (after.admission.admitted, after.admission.version, after.status_error) == (
        ADMITTED,
        before.admission.version,
        None,
    )


def test_a_discharge_date_before_a_sending_is_refused_and_a_fitting_one_is_saved(ctx: ServiceContext) -> None:
    admitted = _sent_orientering(ctx)
    service = AdmissionService(ctx)
    details = service.details(admitted.admission_id)
    with pytest.raises(ValidationError) as info:
        service.update_admission(
            admitted.admission_id,
            admission_input(admitted=ADMITTED, discharged=D(2026, 11, 2)),
            admission_version=details.admission.version,
        )
    assert (info.value.field, info.value.message[:60]) == (
        "discharged",
        "Orienteringen ved indlæggelse 03-11-2026 ligger efter den ny",
    )
    service.update_admission(
        admitted.admission_id,
        admission_input(admitted=D(2026, 11, 3), discharged=D(2026, 11, 20)),
        admission_version=details.admission.version,
    )
    assert service.details(admitted.admission_id).status == "Udskrevet"


def test_an_unreadable_history_is_an_error_row_of_i_dag_until_it_is_fixed(ctx: ServiceContext) -> None:
    """Data from before the guard (written past the service): never dropped, first in I dag, fixed by the form."""
    admitted = _sent_orientering(ctx)
    with ctx.database.session() as session:
        admissions = AdmissionRepository(session)
        stored = admissions.get(admitted.admission_id)
        admissions.update(dataclasses.replace(stored, admitted=D(2026, 11, 5)))
    [row] = items_of(ctx, admitted.admission_id)
    assert (row.kind, row.bucket, row.rule_id, row.is_error) == (HISTORY_ERROR, Bucket.ERROR, "", True)
    assert row.what.startswith("Historik kan ikke læses: Orientering ved indlæggelse (03-11-2026) ligger før")
    assert row.action is not None and (row.action.kind, row.action.label) == (ActionKind.EDIT, "Ret indlæggelse…")
    assert OverviewService(ctx).today_items(TODAY)[0] == row  # before every deadline
    # Every other action waits for the fix; the form's does not.
    assess = action_for("spoerg_om_stoette")
    assert assess is not None
    refusals = OverviewService(ctx).action_refusals(admitted.admission_id, [assess, row.action])
    assert refusals[row.action] is None
    assert (refusals[assess] or "").endswith("Ret indlæggelsen først (Ret indlæggelse…).")
    # An edit that keeps the broken dates is still accepted (the coordinator can open and save the form) …
    service = AdmissionService(ctx)
    details = service.details(admitted.admission_id)
    service.update_admission(
        admitted.admission_id,
        admission_input(admitted=D(2026, 11, 5), address="Fiktivvej 1"),
        admission_version=details.admission.version,
    )
    # … and moving the date back fixes it: the error row gives way to the deadlines.
    details = service.details(admitted.admission_id)
    service.update_admission(
        admitted.admission_id, admission_input(admitted=ADMITTED), admission_version=details.admission.version
    )
    assert [i.kind for i in items_of(ctx, admitted.admission_id)] == ["spoerg_om_stoette"]


def test_a_deadline_action_is_hashable_and_equal_by_value() -> None:
    """The refusals are keyed by action: the same action from I dag and from Overblik is one key."""
    assert action_for("kontakt_scenarie_2") == action_for("kontakt_scenarie_3")
    assert len({action_for("varsling"), action_for("varsling"), action_for("faerdigmelding")}) == 2
    assert isinstance(action_for(HISTORY_ERROR), DeadlineAction)


def test_a_sending_dated_outside_the_admission_is_refused_naming_it(ctx: ServiceContext) -> None:
    """An event's own date (the Send dialog's Tidspunkt) can no more break the history than the admission's: a
    sending dated before the admission date is refused naming it, and nothing is written (``process.check_transition``;
    a date before the last change of status is refused there too)."""
    admitted = admit(ctx, admitted=ADMITTED)
    record_consent(ctx, admitted, given_on=ADMITTED)
    service = NotificationService(ctx)
    early = NotificationInput(
        kind=EventKind.ORIENTERING_INDLAEGGELSE, occurred_at=at(D(2026, 11, 1)), issue_document=False
    )
    with pytest.raises(ProcessError) as info:
        service.send(admitted.admission_id, early)
    assert info.value.message == "Orientering ved indlæggelse (01-11-2026) ligger før indlæggelsesdatoen 02-11-2026."
    assert [e.kind for e in AdmissionService(ctx).details(admitted.admission_id).events] == []
    service.send(admitted.admission_id, dataclasses.replace(early, occurred_at=at(D(2026, 11, 4))))
    assert AdmissionService(ctx).details(admitted.admission_id).status_error is None
