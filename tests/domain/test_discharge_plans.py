"""Udskrivningsaftale and koordinationsplan (E1–E3): requirement, completeness, lifecycle, deadlines, meetings."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from engine_helpers import admission, ev, expected, milestone
from helpers.meetings import meeting_record
from hypothesis import given
from hypothesis import strategies as st

from coordinator_app.domain.deadlines import compute_deadlines, next_deadline
from coordinator_app.domain.discharge_plans import (
    WITHOUT_PLAN_FIELD,
    WITHOUT_PLAN_KEY,
    DischargePlan,
    Offer,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    PlanState,
    PlanStatus,
    SendChannel,
    SentTo,
    WithoutPlan,
    check_complete,
    check_sendings,
    content_from_meeting,
    discharge_without_plan,
    is_plan_document,
    legal_condition,
    lifecycle,
    missing_at_discharge,
    next_plan_content,
    overview,
    party_roles,
    plan_due,
    readmission_after,
    requirement,
    sendings_for_issue,
    takes_patient_agreement,
    usual_recipients,
    validate_dates,
)
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.meetings import (
    AgreementItem,
    Meeting,
    MeetingContent,
    Participant,
)
from coordinator_app.domain.model import DeadlineState, EventKind, PlanFacts, Sector
from coordinator_app.domain.rules import Milestone
from coordinator_app.domain.workdays import WorkCalendar

D = date
CAL = WorkCalendar()
AFTALE, PLAN = PlanKind.UDSKRIVNINGSAFTALE, PlanKind.KOORDINATIONSPLAN


# -- requirement (E1, E2) ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "kind", "rule"),
    [
        (PlanFacts(), None, None),
        (PlanFacts(afsnit_v_support=True), AFTALE, "E1"),
        (PlanFacts(wont_seek_help=True), AFTALE, "E1"),  # §13a stk. 2
        (PlanFacts(refuses_participation=True), None, None),  # refusing alone requires nothing
        (PlanFacts(afsnit_v_support=True, refuses_participation=True), PLAN, "E2"),
        (PlanFacts(wont_seek_help=True, refuses_participation=True), PLAN, "E2"),
    ],
)
def test_requirement_follows_the_facts(facts: PlanFacts, kind: PlanKind | None, rule: str | None) -> None:
    req = requirement(facts)
    assert (req.kind, req.rule_id, req.required) == (kind, rule, kind is not None)
    assert req.reason  # always a Danish sentence to show


def test_requirement_reasons_name_the_law() -> None:
    assert "§ 13 a" in requirement(PlanFacts(afsnit_v_support=True)).reason
    assert "afsnit V" in requirement(PlanFacts(afsnit_v_support=True)).reason
    assert "§ 13 b" in requirement(PlanFacts(afsnit_v_support=True, refuses_participation=True)).reason


# -- content and completeness ------------------------------------------------------------------------------


def complete(kind: PlanKind = AFTALE) -> PlanContent:
    parties = [
        Party(PartyRole.PSYKIATRI, "Rie Regionsen", "Psykiatrisk Center København, Afsnit 7", "12 34 56 70"),
        Party(PartyRole.KOMMUNE, "Kis Kommunesen", "Københavns Kommune, Socialpsykiatrien", "12 34 56 71"),
        Party(PartyRole.EGEN_LAEGE, "Lis Lægesen", "Lægehuset", "12 34 56 72"),
    ]
    if kind is AFTALE:
        parties.insert(0, Party(PartyRole.PATIENT, "Testa Fiktivsen"))
    return PlanContent(
        parties=tuple(parties),
        treatment_offers=(Offer("Ambulant opfølgning i distriktspsykiatrien", "Rie Regionsen", D(2026, 12, 1)),),
        social_offers=(Offer("Bostøtte 3 timer om ugen", "Kis Kommunesen", D(2026, 12, 1)),),
        wishes="Vil gerne bo i egen lejlighed.",
        goals="Passe sin medicin selv.",
        contact_person="Kis Kommunesen, 12 34 56 71",
        overlaege="Rie Regionsen",
        reaction_who="Kontaktpersonen i Socialpsykiatrien",
        reaction_how="Ringer til patienten og kontakter distriktspsykiatrien samme dag.",
        start=D(2026, 12, 1),
        end=D(2027, 5, 31),
        patient_agrees=kind is AFTALE,
        patient_agreed_on=D(2026, 11, 30) if kind is AFTALE else None,
        sent_to=(SentTo("Egen læge", D(2026, 12, 1), with_epikrise=True, channel=SendChannel.SIKKER_POST),),
    )


def fields_of(errors: list[ValidationError]) -> list[str | None]:
    return [e.field for e in errors]


def test_a_complete_aftale_and_plan_pass() -> None:
    assert check_complete(AFTALE, complete(AFTALE)) == []
    assert check_complete(PLAN, complete(PLAN)) == []  # no patient party, no agreement: §13b


def test_an_empty_plan_lists_everything_missing_in_editor_order() -> None:
    errors = check_complete(AFTALE, PlanContent())
    assert fields_of(errors) == [
        "parties",
        "parties",
        "parties",
        "overlaege",
        "treatment_offers",
        "reaction_who",
        "reaction_how",
        "start",
        "end",
        "patient_agrees",
    ]
    assert all(e.message for e in errors)
    assert {e.rule for e in errors} <= {"E1", "E3"}


def test_the_aftale_needs_the_patient_and_their_agreement() -> None:
    c = complete(AFTALE)
    without_patient = dataclasses.replace(c, parties=c.parties[1:])
    assert fields_of(check_complete(AFTALE, without_patient)) == ["parties"]
    assert "koordinationsplan" in check_complete(AFTALE, dataclasses.replace(c, patient_agrees=False))[0].message


def test_who_reacts_is_required_e3() -> None:
    errors = check_complete(PLAN, dataclasses.replace(complete(PLAN), reaction_who=" "))
    assert [(e.field, e.rule) for e in errors] == [("reaction_who", "E3")]


def test_offers_need_text_and_responsible() -> None:
    c = dataclasses.replace(complete(), social_offers=(Offer("Bostøtte", ""), Offer("", "Kis")))
    messages = [e.message for e in check_complete(AFTALE, c)]
    assert messages == [
        "Socialt tilbud 1 («Bostøtte») mangler en ansvarlig.",
        "Socialt tilbud 2 mangler en beskrivelse.",
    ]


def test_end_before_start_is_refused_even_in_a_kladde() -> None:
    c = dataclasses.replace(complete(), end=D(2026, 11, 1))
    assert fields_of(check_complete(AFTALE, c)) == ["end"]
    with pytest.raises(ValidationError) as info:
        validate_dates(c)
    assert info.value.field == "end"
    validate_dates(PlanContent(start=D(2026, 12, 1)))  # an open end is fine while drafting


def test_the_responsible_overlaege_is_named_before_the_plan_is_in_force() -> None:
    for kind, rule, section in ((AFTALE, "E1", "«Udskrivningsaftale»"), (PLAN, "E2", "«Koordinationsplan»")):
        errors = check_complete(kind, dataclasses.replace(complete(kind), overlaege="  "))
        assert [(e.field, e.rule) for e in errors] == [("overlaege", rule)]
        assert "ansvarlige overlæge" in errors[0].message and f"samarbejdsaftalen, {section}" in errors[0].message


def test_a_sending_needs_its_channel_and_cannot_lie_ahead() -> None:
    today = D(2026, 12, 1)
    fine = (
        SentTo("Egen læge", today, True, SendChannel.SIKKER_POST),
        SentTo("Kommunen"),  # not sent this time: nothing to say
    )
    assert check_sendings(AFTALE, fine, today) == []
    errors = check_sendings(
        PLAN, (SentTo("Kommunen", today), SentTo("Botilbud", D(2026, 12, 2), channel=SendChannel.PAPIR)), today
    )
    assert [(e.field, e.rule) for e in errors] == [("sent_to", "E2"), ("sent_to", "E2")]
    assert errors[0].message == "Angiv, hvordan kopien til Kommunen er sendt."
    assert "02-12-2026" in errors[1].message and "fremtiden" in errors[1].message


def test_the_issue_proposes_today_and_the_usual_channel_for_each_recipient() -> None:
    today = D(2026, 12, 3)
    c = dataclasses.replace(
        complete(),
        sent_to=(
            SentTo("Egen læge", D(2026, 12, 1), True, SendChannel.PAPIR),  # sent by letter last time: kept
            SentTo("Patienten"),
            SentTo("Kommunen"),
            SentTo("  "),
        ),
    )
    assert sendings_for_issue(c, today) == (
        SentTo("Egen læge", today, True, SendChannel.PAPIR),
        SentTo("Patienten", today, False, SendChannel.DIGITAL_POST),
        SentTo("Kommunen", today, False, SendChannel.SIKKER_POST),
    )
    # No recipients listed: egen læge (with the epikrise) and the kommune from the parties.
    proposed = sendings_for_issue(dataclasses.replace(c, sent_to=()), today)
    assert [(s.recipient, s.with_epikrise, s.channel) for s in proposed] == [
        ("Kis Kommunesen (Københavns Kommune, Socialpsykiatrien)", False, SendChannel.SIKKER_POST),
        ("Lis Lægesen (Lægehuset)", True, SendChannel.SIKKER_POST),
    ]


def test_the_legal_condition_in_words_and_not_known_when_not_recorded() -> None:
    both = legal_condition(AFTALE, PlanFacts(afsnit_v_support=True, wont_seek_help=True))
    assert both.law == "psykiatriloven § 13 a"
    assert len(both.reasons) == 2
    assert "servicelovens afsnit V" in both.reasons[0] and "§ 13 a, stk. 2" in both.reasons[1]
    refused = legal_condition(PLAN, PlanFacts(afsnit_v_support=True, refuses_participation=True))
    assert refused.law == "psykiatriloven § 13 b"
    assert (
        refused.reasons[-1] == "Patienten vil ikke medvirke til at indgå en udskrivningsaftale (psykiatriloven § 13 b)."
    )
    assert legal_condition(AFTALE, PlanFacts()).reasons == ()
    assert legal_condition(PLAN, PlanFacts(refuses_participation=True)).reasons == ()  # no § 13 a condition


def test_content_round_trips_through_json() -> None:
    c = complete()
    assert PlanContent.from_dict(c.to_dict()) == c
    assert PlanContent.from_dict({}) == PlanContent()


_text = st.text(max_size=20)
_day = st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2030, 12, 31)))
_offer = st.builds(Offer, _text, _text, _day, _text)


@given(
    st.builds(
        PlanContent,
        parties=st.lists(st.builds(Party, st.sampled_from(PartyRole), _text, _text, _text, _text), max_size=4).map(
            tuple
        ),
        treatment_offers=st.lists(_offer, max_size=3).map(tuple),
        social_offers=st.lists(_offer, max_size=3).map(tuple),
        wishes=_text,
        reaction_who=_text,
        start=_day,
        end=_day,
        patient_agrees=st.booleans(),
        sent_to=st.lists(st.builds(SentTo, _text, _day, st.booleans()), max_size=2).map(tuple),
    )
)
def test_any_content_round_trips(content: PlanContent) -> None:
    assert PlanContent.from_dict(content.to_dict()) == content


# -- lifecycle (E3) ----------------------------------------------------------------------------------------


def plan(status: PlanStatus = PlanStatus.I_KRAFT, kind: PlanKind = AFTALE, **kw: object) -> DischargePlan:
    return DischargePlan(id=1, admission_id=1, patient_id=1, kind=kind, status=status, content=complete(kind), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2026, 11, 25), PlanState.KOMMENDE),
        (D(2026, 12, 1), PlanState.I_KRAFT),
        (D(2027, 5, 31), PlanState.I_KRAFT),  # the end date is the last day in force
        (D(2027, 6, 1), PlanState.UDLOEBET),
    ],
)
def test_a_plan_runs_from_start_to_end_date(today: date, state: PlanState) -> None:
    assert lifecycle(plan(), today).state is state


def test_readmission_ends_the_plan_before_its_end_date() -> None:
    life = lifecycle(plan(), D(2027, 2, 1), readmitted_on=D(2027, 1, 10))
    assert (life.state, life.ended_on) == (PlanState.OPHOERT_GENINDLAEGGELSE, D(2027, 1, 10))
    assert "genindlæggelse 10-01-2027" in life.label
    # A readmission after the end date does not rewrite history: it had already expired.
    assert lifecycle(plan(), D(2027, 8, 1), readmitted_on=D(2027, 7, 1)).state is PlanState.UDLOEBET
    # A readmission "in the future" (bad data) is not applied yet.
    assert lifecycle(plan(), D(2027, 1, 1), readmitted_on=D(2027, 3, 1)).state is PlanState.I_KRAFT


def test_a_plan_ended_by_hand_and_a_kladde() -> None:
    ended = plan(PlanStatus.AFSLUTTET, ended_on=D(2027, 1, 5), ended_reason="Erstattet")
    assert lifecycle(ended, D(2027, 2, 1)).state is PlanState.AFSLUTTET
    assert lifecycle(plan(PlanStatus.KLADDE), D(2030, 1, 1)).state is PlanState.KLADDE


def test_readmission_after_discharge() -> None:
    assert readmission_after(None, [D(2027, 1, 1)]) is None
    assert readmission_after(D(2026, 12, 1), [D(2026, 5, 1), D(2027, 2, 1), D(2027, 1, 3)]) == D(2027, 1, 3)
    assert readmission_after(D(2026, 12, 1), [D(2026, 5, 1)]) is None


def test_the_next_discharge_starts_from_the_last_plan_without_its_period_or_agreement() -> None:
    new = next_plan_content(complete(), D(2027, 3, 1))
    assert (new.start, new.end, new.patient_agrees, new.sent_to) == (D(2027, 3, 1), None, False, ())
    assert new.parties == complete().parties
    assert [o.what for o in new.social_offers] == ["Bostøtte 3 timer om ugen"]
    assert all(o.from_date is None for o in (*new.social_offers, *new.treatment_offers))


# -- overview: what the admission shows ----------------------------------------------------------------------


def test_overview_warns_when_missing_before_planned_discharge() -> None:
    o = overview(PlanFacts(afsnit_v_support=True), [], D(2026, 11, 23), due=D(2026, 12, 4))
    assert o.missing and o.warning == "Udskrivningsaftale mangler – skal foreligge før udskrivning 04-12-2026 (E1)."


def test_overview_a_kladde_is_not_enough() -> None:
    o = overview(PlanFacts(afsnit_v_support=True), [plan(PlanStatus.KLADDE)], D(2026, 11, 23))
    assert o.missing and o.warning is not None and "kladde" in o.warning


def test_overview_in_force_no_warning_and_koordinationsplan_covers_e1() -> None:
    o = overview(PlanFacts(afsnit_v_support=True), [plan()], D(2026, 12, 2))
    assert (o.missing, o.warning, o.current_state and o.current_state.state) == (False, None, PlanState.I_KRAFT)
    covered = overview(PlanFacts(wont_seek_help=True), [plan(kind=PLAN)], D(2026, 12, 2))
    assert not covered.missing
    # E2 is not met by an udskrivningsaftale: the patient refused to take part in one.
    assert overview(PlanFacts(afsnit_v_support=True, refuses_participation=True), [plan()], D(2026, 12, 2)).missing


def test_overview_after_a_discharge_without_a_plan() -> None:
    o = overview(PlanFacts(wont_seek_help=True), [], D(2026, 12, 10), discharged=D(2026, 12, 5))
    assert o.warning == "Udskrivningsaftale mangler: patienten blev udskrevet 05-12-2026 uden (E1)."


def test_overview_not_required() -> None:
    o = overview(PlanFacts(), [], D(2026, 12, 10))
    assert (o.missing, o.warning, o.requirement.required) == (False, None, False)


def test_plan_due_prefers_the_planned_discharge() -> None:
    assert plan_due(D(2026, 12, 4), D(2026, 12, 1)) == D(2026, 12, 4)
    assert plan_due(None, D(2026, 12, 1)) == D(2026, 12, 1)
    assert plan_due(None, None) is None


# -- deadlines in the list (E1, E2) ----------------------------------------------------------------------------

K = EventKind


def adm(facts: PlanFacts, **kw: object):
    base = admission(D(2026, 11, 2), **kw)  # type: ignore[arg-type]
    return dataclasses.replace(base, plan_facts=facts)


def plan_deadlines(a, events, today):
    return [d for d in compute_deadlines(a, events, CAL, today) if d.rule_id in ("E1", "E2")]


def test_e1_deadline_on_the_planned_discharge_day_and_first_in_the_list_when_overdue() -> None:
    a = dataclasses.replace(adm(PlanFacts(afsnit_v_support=True)), planned_discharge=D(2026, 11, 20))
    [d] = plan_deadlines(a, [], D(2026, 11, 23))
    assert (d.rule_id, d.kind, d.due, d.state) == ("E1", "udskrivningsaftale", D(2026, 11, 20), DeadlineState.OVERDUE)
    assessed = [ev(K.SCENARIO_ASSESSED, D(2026, 11, 2), data={"has_indsats": False, "may_need_support": False})]
    nxt = next_deadline(compute_deadlines(a, assessed, CAL, D(2026, 11, 23)))  # A1 met: the assessment is recorded
    assert nxt is not None and nxt.rule_id == "E1"


def test_e1_falls_back_to_the_latest_expected_faerdigbehandlet_day() -> None:
    a = adm(PlanFacts(wont_seek_help=True), expected_faerdigbehandlet=D(2026, 12, 1))
    assert [d.due for d in plan_deadlines(a, [], D(2026, 11, 23))] == [D(2026, 12, 1)]
    moved = [expected(D(2026, 12, 9), D(2026, 11, 20))]
    assert [d.due for d in plan_deadlines(a, moved, D(2026, 11, 23))] == [D(2026, 12, 9)]
    assert plan_deadlines(adm(PlanFacts(wont_seek_help=True)), [], D(2026, 11, 23)) == []  # no date known yet


def test_the_milestone_meets_e1_and_starts_e3() -> None:
    a = dataclasses.replace(adm(PlanFacts(afsnit_v_support=True)), planned_discharge=D(2026, 12, 4))
    events = [milestone(Milestone.UDSKRIVNINGSAFTALE, D(2026, 11, 30), end="2027-05-31", plan_id=1)]
    [d] = plan_deadlines(a, events, D(2026, 12, 1))
    assert (d.state, d.met_on) == (DeadlineState.MET, D(2026, 11, 30))
    [e3] = [d for d in compute_deadlines(a, events, CAL, D(2026, 12, 1)) if d.rule_id == "E3"]
    assert e3.due == D(2027, 5, 31)


def test_e2_is_not_met_by_an_udskrivningsaftale() -> None:
    a = dataclasses.replace(
        adm(PlanFacts(afsnit_v_support=True, refuses_participation=True)), planned_discharge=D(2026, 12, 4)
    )
    aftale = [milestone(Milestone.UDSKRIVNINGSAFTALE, D(2026, 11, 30), end="2027-05-31")]
    [d] = plan_deadlines(a, aftale, D(2026, 12, 1))
    assert (d.rule_id, d.state) == ("E2", DeadlineState.OPEN)
    plan_event = [milestone(Milestone.KOORDINATIONSPLAN, D(2026, 11, 30), end="2027-05-31")]
    assert plan_deadlines(a, plan_event, D(2026, 12, 1))[0].state is DeadlineState.MET


def test_a_corrected_milestone_no_longer_counts() -> None:
    a = dataclasses.replace(adm(PlanFacts(afsnit_v_support=True)), planned_discharge=D(2026, 12, 4))
    m = milestone(Milestone.UDSKRIVNINGSAFTALE, D(2026, 11, 30), end="2027-05-31")
    undo = ev(K.CORRECTION, D(2026, 11, 30), hour=11, corrects=m.id)
    assert plan_deadlines(a, [m, undo], D(2026, 12, 1))[0].state is DeadlineState.OPEN


def test_discharged_without_a_plan_is_missed_on_the_day_they_left() -> None:
    a = dataclasses.replace(
        adm(PlanFacts(afsnit_v_support=True), discharged=D(2026, 11, 27)), planned_discharge=D(2026, 12, 4)
    )
    [d] = plan_deadlines(a, [], D(2026, 12, 1))
    assert (d.due, d.state, d.missed) == (D(2026, 11, 27), DeadlineState.OVERDUE, True)


def test_discharged_today_without_a_plan_is_missed_never_due_today() -> None:
    """The discharge day is the E1 deadline day: once the patient has left without the plan, it is overdue and
    missed — not "I dag" and "kan ikke længere nås" at once — and the list skips it."""
    a = dataclasses.replace(
        adm(PlanFacts(afsnit_v_support=True), discharged=D(2026, 11, 23)), planned_discharge=D(2026, 12, 4)
    )
    discharge = ev(K.DISCHARGE, D(2026, 11, 23))
    [d] = plan_deadlines(a, [discharge], D(2026, 11, 23))
    assert (d.due, d.state, d.missed) == (D(2026, 11, 23), DeadlineState.OVERDUE, True)
    nxt = next_deadline(compute_deadlines(a, [discharge], CAL, D(2026, 11, 23)))
    assert nxt is None or nxt.rule_id != "E1"
    # Before the discharge the same day is simply due today.
    admitted = dataclasses.replace(a, discharged=None, planned_discharge=D(2026, 11, 23))
    [due] = plan_deadlines(admitted, [], D(2026, 11, 23))
    assert (due.state, due.missed) == (DeadlineState.DUE_TODAY, False)
    # A plan put in force on the discharge day meets it.
    made = milestone(Milestone.UDSKRIVNINGSAFTALE, D(2026, 11, 23), hour=9, end="2027-05-31", plan_id=1)
    [met] = plan_deadlines(a, [made, discharge], D(2026, 11, 23))
    assert (met.state, met.missed) == (DeadlineState.MET, False)


def test_no_plan_deadline_when_not_required() -> None:
    a = dataclasses.replace(adm(PlanFacts(refuses_participation=True)), planned_discharge=D(2026, 12, 4))
    assert plan_deadlines(a, [], D(2026, 12, 1)) == []


# -- discharge without the required plan (E1, E2) -----------------------------------------------------------------


def test_what_a_discharge_would_leave_missing() -> None:
    on = D(2026, 12, 4)
    assert missing_at_discharge(PlanFacts(), [], on) is None  # nothing required
    missing = missing_at_discharge(PlanFacts(afsnit_v_support=True), [], on)
    assert missing is not None and (missing.kind, missing.rule_id) == (AFTALE, "E1")
    assert missing_at_discharge(PlanFacts(afsnit_v_support=True), [plan()], on) is None  # in force that day
    assert missing_at_discharge(PlanFacts(afsnit_v_support=True), [plan(PlanStatus.KLADDE)], on) is not None
    assert missing_at_discharge(PlanFacts(afsnit_v_support=True), [plan()], D(2027, 6, 1)) is not None  # expired
    e2 = missing_at_discharge(PlanFacts(wont_seek_help=True, refuses_participation=True), [plan()], on)
    assert e2 is not None and (e2.kind, e2.rule_id) == (PLAN, "E2")  # an udskrivningsaftale does not meet E2


@pytest.mark.parametrize(
    ("facts", "rule_id", "title"),
    [
        (PlanFacts(afsnit_v_support=True), "E1", "udskrivningsaftale"),
        (PlanFacts(wont_seek_help=True, refuses_participation=True), "E2", "koordinationsplan"),
    ],
)
def test_a_discharge_without_the_required_plan_is_refused_until_it_says_why(
    facts: PlanFacts, rule_id: str, title: str
) -> None:
    missing = missing_at_discharge(facts, [], D(2026, 12, 4))
    for reason in (None, "", "   \n "):
        with pytest.raises(ValidationError) as refused:
            discharge_without_plan(missing, reason)
        assert (refused.value.rule, refused.value.field) == (rule_id, WITHOUT_PLAN_FIELD)
        assert f"ingen {title} i kraft" in refused.value.message and "Aftale/plan" in refused.value.message
    record = discharge_without_plan(missing, "  Patienten ønskede at gå (B8).  ")
    assert record is not None
    assert (record.rule_id, record.reason) == (rule_id, "Patienten ønskede at gå (B8).")
    assert record.note == f"Udskrevet uden {title} ({rule_id}): Patienten ønskede at gå (B8)."
    answer = {"kind": title, "rule": rule_id, "reason": "Patienten ønskede at gå (B8)."}
    assert record.data == {WITHOUT_PLAN_KEY: answer}
    assert WithoutPlan.from_data(record.data) == record
    assert WithoutPlan.from_data({}) is None and WithoutPlan.from_data({WITHOUT_PLAN_KEY: {"kind": "x"}}) is None


def test_nothing_missing_needs_no_answer_and_a_kladde_is_named() -> None:
    assert discharge_without_plan(None, None) is None
    missing = missing_at_discharge(PlanFacts(afsnit_v_support=True), [plan(PlanStatus.KLADDE)], D(2026, 12, 4))
    with pytest.raises(ValidationError, match="kun en kladde"):
        discharge_without_plan(missing, "", draft=True)
    with pytest.raises(ValidationError, match="højst 1000 tegn"):
        discharge_without_plan(missing, "x" * 1001)


def test_the_warning_after_a_discharge_without_a_plan_gives_the_recorded_reason() -> None:
    o = overview(
        PlanFacts(wont_seek_help=True),
        [],
        D(2026, 12, 10),
        discharged=D(2026, 12, 5),
        without_plan_reason="Kommunen kunne ikke nå at deltage før udskrivningen.",
    )
    assert o.warning == (
        "Udskrivningsaftale mangler: patienten blev udskrevet 05-12-2026 uden (E1). "
        "Begrundelse: Kommunen kunne ikke nå at deltage før udskrivningen."
    )


# -- from a netværksmøde (C5 → E1) ---------------------------------------------------------------------------

KOMMUNE = Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler", "12 34 56 71")
REGION = Participant("r", "Rie Regionsen", "Psykiatrisk Center København", Sector.REGION, "overlæge")
GP = Participant("g", "Lis Lægesen", "Lægehuset", Sector.ALMEN_PRAKSIS, "egen læge")
BORGER = Participant("b", "Testa Fiktivsen", "", Sector.BORGER, "patient")
BOTILBUD = Participant("o", "Bo Botilbudsen", "Botilbuddet Eksempelvej", Sector.ANDET, "kontaktperson")


def meeting() -> Meeting:
    content = MeetingContent(
        participants=(KOMMUNE, REGION, GP, BORGER, BOTILBUD),
        agreements=(
            AgreementItem("a1", "Ambulant opfølgning hver 14. dag", "r", D(2026, 12, 7)),
            AgreementItem("a2", "Bostøtte 3 timer om ugen", "k", D(2026, 12, 1)),
            AgreementItem("a3", "Medicingennemgang", "g", None),
            AgreementItem("a4", "Hjælp til at handle ind", None, None),
        ),
        texts={"oensker": "Vil gerne tilbage til egen lejlighed."},
    )
    return meeting_record(content, id=5, invited_on=D(2026, 11, 16), reference="NM-2026-0005")


def test_a_meeting_fills_parties_and_offers() -> None:
    c = content_from_meeting(meeting(), kind=AFTALE)
    assert [(p.role, p.name) for p in c.parties] == [
        (PartyRole.KOMMUNE, "Kis Kommunesen"),
        (PartyRole.PSYKIATRI, "Rie Regionsen"),
        (PartyRole.EGEN_LAEGE, "Lis Lægesen"),
        (PartyRole.PATIENT, "Testa Fiktivsen"),
        (PartyRole.ANDEN, "Bo Botilbudsen"),
    ]
    assert c.parties[0].phone == "12 34 56 71"
    assert [(o.what, o.responsible, o.from_date) for o in c.treatment_offers] == [
        ("Ambulant opfølgning hver 14. dag", "Rie Regionsen (Psykiatrisk Center København)", D(2026, 12, 7)),
        ("Medicingennemgang", "Lis Lægesen (Lægehuset)", None),
    ]
    assert [(o.what, o.responsible) for o in c.social_offers] == [
        ("Bostøtte 3 timer om ugen", "Kis Kommunesen (Københavns Kommune)"),
        ("Hjælp til at handle ind", ""),  # no owner: check_complete will ask for one
    ]
    assert c.wishes == "Vil gerne tilbage til egen lejlighed."


def test_pulling_twice_does_not_double_and_keeps_typed_content() -> None:
    typed = PlanContent(
        parties=(Party(PartyRole.KOMMUNE, "Kis Kommunesen", "Københavns Kommune"),),
        wishes="Egne ord",
        reaction_who="Kontaktpersonen",
    )
    once = content_from_meeting(meeting(), typed, kind=AFTALE)
    twice = content_from_meeting(meeting(), once, kind=AFTALE)
    assert twice == once
    assert len(once.parties) == 5 and once.wishes == "Egne ord" and once.reaction_who == "Kontaktpersonen"


def test_a_meeting_fills_the_nameless_prefilled_parties() -> None:
    kladde = PlanContent(
        parties=(
            Party(PartyRole.PATIENT, "Testa Fiktivsen"),
            Party(PartyRole.PSYKIATRI, "", "Psykiatrisk Center København, Afsnit 7", "12 34 56 78"),
            Party(PartyRole.KOMMUNE, "", "Københavns Kommune", "12 34 56 99"),
        )
    )
    c = content_from_meeting(meeting(), kladde, kind=AFTALE)
    assert [(p.role, p.name, p.organisation, p.phone) for p in c.parties] == [
        (PartyRole.PATIENT, "Testa Fiktivsen", "", ""),
        (PartyRole.PSYKIATRI, "Rie Regionsen", "Psykiatrisk Center København", "12 34 56 78"),
        (PartyRole.KOMMUNE, "Kis Kommunesen", "Københavns Kommune", "12 34 56 71"),
        (PartyRole.EGEN_LAEGE, "Lis Lægesen", "Lægehuset", ""),
        (PartyRole.ANDEN, "Bo Botilbudsen", "Botilbuddet Eksempelvej", ""),
    ]
    assert content_from_meeting(meeting(), c, kind=AFTALE).parties == c.parties


def test_a_nameless_party_is_named_by_its_role() -> None:
    c = dataclasses.replace(complete(), parties=(*complete().parties, Party(PartyRole.EGEN_LAEGE, " ")))
    assert [e.message for e in check_complete(AFTALE, c)] == ["Part 5 (Egen læge) mangler et navn."]


def test_a_plan_ended_by_hand_no_longer_covers_while_admitted() -> None:
    ended = plan(PlanStatus.AFSLUTTET, ended_on=D(2026, 12, 5), ended_reason="Lavet ved en fejl")
    assert overview(PlanFacts(afsnit_v_support=True), [ended], D(2026, 12, 6)).missing
    # After discharge the plan made for it still counts, even if it has ended since.
    after = overview(PlanFacts(afsnit_v_support=True), [ended], D(2027, 1, 6), discharged=D(2026, 12, 4))
    assert not after.missing
    assert not overview(PlanFacts(afsnit_v_support=True), [plan()], D(2027, 8, 1), discharged=D(2026, 12, 4)).missing


def test_e1_is_open_again_when_its_plan_is_ended_by_hand_before_discharge() -> None:
    a = dataclasses.replace(adm(PlanFacts(afsnit_v_support=True)), planned_discharge=D(2026, 12, 4))
    made = milestone(Milestone.UDSKRIVNINGSAFTALE, D(2026, 11, 30), end="2027-05-31", plan_id=9)
    ended = ev(K.NOTE, D(2026, 12, 1), data={"plan_id": 9, "plan_ended": "2026-12-01"})
    [d] = plan_deadlines(a, [made, ended], D(2026, 12, 2))
    assert d.state is DeadlineState.OPEN
    e3 = [x for x in compute_deadlines(a, [made, ended], CAL, D(2026, 12, 2)) if x.rule_id == "E3"]
    assert [(x.state, x.met_on) for x in e3] == [(DeadlineState.MET, D(2026, 12, 1))]


def test_a_koordinationsplan_leaves_the_patient_out() -> None:
    c = content_from_meeting(meeting(), kind=PLAN)
    assert PartyRole.PATIENT not in {p.role for p in c.parties}


def test_a_koordinationsplan_never_makes_the_patient_a_party_whatever_the_sector_said() -> None:
    """§13b: the patient registered under "Andet", with no sector chosen, or as "Patienten" is still the patient."""
    as_other = Participant("t", "Testa  Fiktivsen", "", Sector.ANDET, "patient")
    unchosen = Participant("u", "Patienten")
    content = MeetingContent(participants=(KOMMUNE, REGION, as_other, unchosen))
    held = meeting_record(content, id=6, reference="NM-2026-0006")
    kladde = PlanContent(parties=(Party(PartyRole.PATIENT, "Testa Fiktivsen"), Party(PartyRole.KOMMUNE, "")))
    c = content_from_meeting(held, kladde, kind=PLAN, patient_name="Testa Fiktivsen")
    assert [(p.role, p.name) for p in c.parties] == [
        (PartyRole.KOMMUNE, "Kis Kommunesen"),
        (PartyRole.PSYKIATRI, "Rie Regionsen"),
    ]
    # In an udskrivningsaftale the same participant is the patient party, once (§13a).
    c = content_from_meeting(held, kind=AFTALE, patient_name="Testa Fiktivsen")
    assert [(p.role, p.name) for p in c.parties if p.role is PartyRole.PATIENT] == [
        (PartyRole.PATIENT, "Testa  Fiktivsen")
    ]
    assert PartyRole.ANDEN not in {p.role for p in c.parties}


def test_a_plans_pdf_is_a_plan_document_and_is_not_issued_again_as_it_was() -> None:
    assert is_plan_document("udskrivningsaftale") and is_plan_document("koordinationsplan")
    assert not is_plan_document("varslingsblanket") and not is_plan_document("netvaerksmoede_referat")


def test_a_stopped_plan_is_ended_and_can_be_neither_ended_nor_revised() -> None:
    assert lifecycle(plan(), D(2027, 6, 1)).ended  # expired
    assert lifecycle(plan(), D(2027, 2, 1), readmitted_on=D(2027, 1, 10)).ended
    assert lifecycle(plan(PlanStatus.AFSLUTTET, ended_on=D(2027, 1, 5), ended_reason="Erstattet"), D(2027, 2, 1)).ended
    assert lifecycle(plan(PlanStatus.AFSLUTTET), D(2027, 1, 1)).ended  # ended by hand, no date recorded
    for running in (plan(), plan(PlanStatus.KLADDE)):
        assert not lifecycle(running, D(2026, 12, 1)).ended
    assert not lifecycle(plan(), D(2026, 11, 25)).ended  # coming into force


def test_the_patient_is_a_party_and_agrees_only_to_an_udskrivningsaftale() -> None:
    assert takes_patient_agreement(PlanKind.UDSKRIVNINGSAFTALE)
    assert not takes_patient_agreement(PlanKind.KOORDINATIONSPLAN)
    assert party_roles(PlanKind.UDSKRIVNINGSAFTALE) == tuple(PartyRole)
    assert PartyRole.PATIENT not in party_roles(PlanKind.KOORDINATIONSPLAN)
    assert len(party_roles(PlanKind.KOORDINATIONSPLAN)) == len(PartyRole) - 1


def test_a_new_plan_is_of_the_required_kind_else_an_udskrivningsaftale() -> None:
    assert requirement(PlanFacts()).suggested_kind is PlanKind.UDSKRIVNINGSAFTALE
    assert requirement(PlanFacts(afsnit_v_support=True)).suggested_kind is PlanKind.UDSKRIVNINGSAFTALE
    refuses = PlanFacts(afsnit_v_support=True, refuses_participation=True)
    assert requirement(refuses).suggested_kind is PlanKind.KOORDINATIONSPLAN


def test_the_usual_recipients_are_the_gp_with_the_epikrise_and_the_kommune_each_once() -> None:
    parties = (
        Party(PartyRole.PATIENT, "Testa Fiktivsen"),
        Party(PartyRole.EGEN_LAEGE, "Lægehuset Prøvevej"),
        Party(PartyRole.KOMMUNE, "Lone Fiktivsen", "Københavns Kommune"),
        Party(PartyRole.KOMMUNE, "", "Socialpsykiatrien"),
        Party(PartyRole.KOMMUNE, "", ""),
        Party(PartyRole.EGEN_LAEGE, "lægehuset prøvevej"),
    )
    assert usual_recipients(parties) == (
        SentTo("Lægehuset Prøvevej", None, True),
        SentTo("Lone Fiktivsen (Københavns Kommune)", None, False),
        SentTo("Socialpsykiatrien", None, False),
    )
    assert usual_recipients(parties, [" socialpsykiatrien "]) == (
        SentTo("Lægehuset Prøvevej", None, True),
        SentTo("Lone Fiktivsen (Københavns Kommune)", None, False),
    )


def test_the_plan_is_late_on_its_deadline_day_or_once_the_patient_has_left() -> None:
    required = overview(PlanFacts(afsnit_v_support=True), [], D(2026, 11, 20), due=D(2026, 11, 24))
    assert not required.late(D(2026, 11, 23), discharged=None)
    assert required.late(D(2026, 11, 24), discharged=None)
    assert required.late(D(2026, 11, 20), discharged=D(2026, 11, 20))
    assert not overview(PlanFacts(), [], D(2026, 11, 20)).late(D(2030, 1, 1), discharged=None)  # no deadline
