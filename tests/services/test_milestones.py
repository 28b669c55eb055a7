"""Issue 16, "Registrér som udført…": the duties met by a milestone note (A3, A4, D1, D2, D4, D6, D8, D9) carry an
action, and ``MilestoneService`` records the note — on SQLite and PostgreSQL: it meets the deadline (I dag drops the
row), works after discharge for the epikrise (D1), refuses the reading role, an empty note, a future moment and a
milestone with a workflow of its own, and writes its audit line."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers.ward import Admitted, admit, assess, assess_scenario, discharge

from coordinator_app.domain.access import Principal, Role
from coordinator_app.domain.audit import AuditAction
from coordinator_app.domain.errors import AccessDeniedError, KoordinatorError, ValidationError
from coordinator_app.domain.model import AdmissionFlags, DeadlineState, EventKind
from coordinator_app.domain.rules import NOTE_MILESTONES, RULES, RULES_BY_KEY, Milestone
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import COPENHAGEN, ServiceContext
from coordinator_app.services.deadline_actions import ActionKind, action_for, record_milestones, record_rules
from coordinator_app.services.milestones import MilestoneInput, MilestoneService
from coordinator_app.services.overview import OverviewService
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.repositories import EventRepository

TODAY = date(2026, 11, 23)  # the ``ctx`` fixture's clock: Monday 23 November 2026, 10:00 in Copenhagen
ADMITTED = date(2026, 11, 16)
CHECKED = "Børn i familien undersøgt; faren tager sig af dem."


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=COPENHAGEN).astimezone(UTC)


def with_children(ctx: ServiceContext) -> Admitted:
    admitted = admit(ctx, admitted=ADMITTED, flags=AdmissionFlags(children=True))
    assess(ctx, admitted, scenario=None)  # A1 met (intet scenarie), the flags kept: only A4 is left
    return admitted


def today_rules(ctx: ServiceContext, admission_id: int) -> list[str]:
    return [i.rule_id for i in OverviewService(ctx).today_items(TODAY) if i.admission_id == admission_id]


def deadline(ctx: ServiceContext, admission_id: int, kind: str):
    [found] = [d for d in AdmissionService(ctx).details(admission_id).deadlines if d.kind == kind]
    return found


# -- the action ------------------------------------------------------------------------------------------------------
def test_every_center_rule_met_by_a_note_milestone_gets_the_record_action_and_no_other_rule_does() -> None:
    for rule in RULES:
        action = action_for(rule.key)
        notes = [m for m in rule.fulfilled_by if m in NOTE_MILESTONES]
        if rule.responsible == "center" and notes:
            assert action is not None and action.kind is ActionKind.RECORD, rule.key
            assert (action.label, action.rule) == ("Registrér som udført…", rule.key)
            assert rule.rule_id in action.hint
            assert [m.value for m in record_milestones(rule.key)] == notes
        else:
            assert action is None or action.kind is not ActionKind.RECORD, rule.key
    assert record_milestones("boern_vurdering") == (Milestone.BOERN_VURDERET, Milestone.UNDERRETNING_SENDT)
    expected = [r.key for r in RULES if r.responsible == "center" and set(r.fulfilled_by) & NOTE_MILESTONES]
    assert list(record_rules()) == expected  # the Send menu's submenu
    assert [RULES_BY_KEY[k].rule_id for k in expected] == ["A3", "A4", "D1", "D2", "D4", "D6", "D8", "D9"]


def test_the_a4_row_carries_the_record_action_and_it_is_allowed(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    [a4] = [i for i in OverviewService(ctx).today_items(TODAY) if i.admission_id == admitted.admission_id]
    assert a4.rule_id == "A4" and a4.action is not None and a4.action.kind is ActionKind.RECORD
    assert OverviewService(ctx).action_refusals(admitted.admission_id, [a4.action]) == {a4.action: None}
    reader = dataclasses.replace(ctx, principal=Principal("test.laeser", Role.LAESEADGANG, "Test Læser"))
    refusal = OverviewService(reader).action_refusals(admitted.admission_id, [a4.action])[a4.action]
    assert refusal is not None and refusal.startswith("Din rolle (Læseadgang) må ikke")


# -- recording ----------------------------------------------------------------------------------------------------
def test_recording_a4_children_checked_meets_a4_and_leaves_i_dag(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    assert today_rules(ctx, admitted.admission_id) == ["A4"]
    assert deadline(ctx, admitted.admission_id, "boern_vurdering").state is DeadlineState.OVERDUE
    result = MilestoneService(ctx).record(
        admitted.admission_id, MilestoneInput(Milestone.BOERN_VURDERET.value, f"  {CHECKED}  ")
    )
    assert result.changes.admission_id == admitted.admission_id
    assert today_rules(ctx, admitted.admission_id) == []
    met = deadline(ctx, admitted.admission_id, "boern_vurdering")
    assert (met.state, met.met_on, met.late) == (DeadlineState.MET, TODAY, True)
    with ctx.database.session() as session:
        event = EventRepository(session).get(result.event_id)
    assert (event.kind, event.data, event.note, event.recorded_by) == (
        EventKind.NOTE,
        {"milestone": "boern_vurderet"},
        CHECKED,
        "koordinator.test",
    )
    assert event.occurred_at == ctx.clock.now()  # no moment given: now


def test_a_moment_on_the_day_of_admission_meets_a4_on_time(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    MilestoneService(ctx).record(
        admitted.admission_id, MilestoneInput(Milestone.BOERN_VURDERET.value, CHECKED, at(ADMITTED, 14))
    )
    met = deadline(ctx, admitted.admission_id, "boern_vurdering")
    assert (met.state, met.met_on, met.late) == (DeadlineState.MET, ADMITTED, False)


def test_the_epikrise_is_recorded_after_discharge_and_meets_d1(ctx: ServiceContext, clock) -> None:
    admitted = admit(ctx, admitted=ADMITTED)
    assess_scenario(ctx, admitted)
    discharge(ctx, admitted)  # now: 23-11 10:00
    d1 = deadline(ctx, admitted.admission_id, "epikrise")
    assert d1.state is DeadlineState.OPEN
    action = action_for("epikrise")
    assert action is not None and action.kind is ActionKind.RECORD
    assert OverviewService(ctx).action_refusals(admitted.admission_id, [action]) == {action: None}
    clock.moment = clock.moment + timedelta(hours=3)
    MilestoneService(ctx).record(
        admitted.admission_id, MilestoneInput(Milestone.EPIKRISE_SENDT.value, "Epikrise sendt via MedCom.")
    )
    met = deadline(ctx, admitted.admission_id, "epikrise")
    assert (met.state, met.met_on) == (DeadlineState.MET, TODAY)


def test_the_reading_role_is_refused_and_nothing_is_written(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    reader = dataclasses.replace(ctx, principal=Principal("test.laeser", Role.LAESEADGANG, "Test Læser"))
    with pytest.raises(AccessDeniedError, match="Læseadgang"):
        MilestoneService(reader).record(admitted.admission_id, MilestoneInput(Milestone.BOERN_VURDERET.value, CHECKED))
    assert today_rules(ctx, admitted.admission_id) == ["A4"]


@pytest.mark.parametrize("note", ["", "   \n "])
def test_an_empty_note_is_refused_in_danish(ctx: ServiceContext, note: str) -> None:
    admitted = with_children(ctx)
    with pytest.raises(ValidationError, match="Skriv, hvad der er gjort") as caught:
        MilestoneService(ctx).record(admitted.admission_id, MilestoneInput(Milestone.BOERN_VURDERET.value, note))
    assert (caught.value.field, caught.value.rule) == ("note", "A4")
    assert today_rules(ctx, admitted.admission_id) == ["A4"]


def test_a_future_moment_is_refused(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    later = ctx.clock.now() + timedelta(minutes=30)
    with pytest.raises(ValidationError, match="fremtiden") as caught:
        MilestoneService(ctx).record(
            admitted.admission_id, MilestoneInput(Milestone.BOERN_VURDERET.value, CHECKED, later)
        )
    assert caught.value.field == "occurred_at"


def test_a_moment_before_the_admission_is_refused(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    with pytest.raises(KoordinatorError, match="før indlæggelsesdatoen"):
        MilestoneService(ctx).record(
            admitted.admission_id,
            MilestoneInput(Milestone.BOERN_VURDERET.value, CHECKED, at(ADMITTED - timedelta(days=1))),
        )


@pytest.mark.parametrize(
    ("milestone", "rule_id"),
    [
        (Milestone.SAMTYKKE, "F1"),
        (Milestone.KOMMUNE_KONTAKT, "B2/B3"),
        (Milestone.UDSKRIVNINGSAFTALE, "E1"),
        (Milestone.KOORDINATIONSPLAN, "E2"),
        (Milestone.KOMMUNAL_AFGOERELSE, "G1"),
        (Milestone.STATUSMOEDE, "G2"),
        (Milestone.UENIGHED_ESKALERET, "G3"),
    ],
)
def test_a_milestone_with_its_own_workflow_is_refused_naming_the_rule(
    ctx: ServiceContext, milestone: Milestone, rule_id: str
) -> None:
    admitted = with_children(ctx)
    with pytest.raises(ValidationError, match="registreres ikke som udført her") as caught:
        MilestoneService(ctx).record(admitted.admission_id, MilestoneInput(milestone.value, CHECKED))
    assert (caught.value.field, caught.value.rule) == ("milestone", rule_id)


def test_an_unknown_milestone_is_refused(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    with pytest.raises(ValidationError, match="Ukendt milepæl"):
        MilestoneService(ctx).record(admitted.admission_id, MilestoneInput("noget_andet", CHECKED))


def test_the_recording_writes_its_audit_line(ctx: ServiceContext) -> None:
    admitted = with_children(ctx)
    with ctx.database.session() as session:
        before = len(AuditRepository(session).all())
    result = MilestoneService(ctx).record(
        admitted.admission_id, MilestoneInput(Milestone.BOERN_VURDERET.value, CHECKED)
    )
    with ctx.database.session() as session:
        lines = AuditRepository(session).all()[before:]
    assert [(e.action, e.patient_id, e.admission_id, e.user) for e in lines] == [
        (AuditAction.OPRET, admitted.patient_id, admitted.admission_id, "koordinator.test")
    ]
    assert lines[0].what == f"Registreret som udført: Børn i familien undersøgt (A4) (hændelse {result.event_id})"
    assert CHECKED not in lines[0].what  # the free text stays in the event, not in the log
