"""Deadlines derived from an admission's events (B1–B5, C2–C4, D1, D3, G1–G3, E3): nothing stored."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from engine_helpers import admission, ev, expected, milestone

from coordinator_app.domain.deadlines import compute_deadlines, next_deadline
from coordinator_app.domain.errors import ProcessError
from coordinator_app.domain.model import Admission, Deadline, DeadlineState, Event, EventKind
from coordinator_app.domain.rules import Milestone, RuleSettings
from coordinator_app.domain.workdays import WorkCalendar

K = EventKind
M = Milestone
D = date
CAL = WorkCalendar()
ADMITTED = D(2024, 5, 1)
EXPECTED = D(2024, 6, 14)  # Friday → varsling at the latest Thursday 6 June


def b5(**kw: object) -> Admission:
    return admission(ADMITTED, scenario=2, b5=True, expected_faerdigbehandlet=EXPECTED, **kw)  # type: ignore[arg-type]


def deadlines(adm: Admission, events: list[Event], today: date, cal: WorkCalendar = CAL) -> dict[str, Deadline]:
    out = compute_deadlines(adm, events, cal, today)
    by_kind = {d.kind: d for d in out}
    assert len(by_kind) == len(out), "use all_of() for kinds that repeat"
    return by_kind


def all_of(adm: Admission, events: list[Event], today: date, kind: str) -> list[Deadline]:
    return [d for d in compute_deadlines(adm, events, CAL, today) if d.kind == kind]


# -- B5 varsling and færdigmelding ---------------------------------------------------------------------


def test_scenario_2_cannot_discharge_needs_varsling_8_days_before() -> None:
    varsling = deadlines(b5(), [], D(2024, 5, 20))["varsling"]
    assert (varsling.rule_id, varsling.due, varsling.state) == ("B5", D(2024, 6, 6), DeadlineState.OPEN)
    assert varsling.description == "Varsling senest 8 dage før færdigbehandlet"
    assert varsling.calendar == CAL.name
    assert varsling.recipient == "bopaelskommune"


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2024, 6, 5), DeadlineState.OPEN),
        (D(2024, 6, 6), DeadlineState.DUE_TODAY),
        (D(2024, 6, 7), DeadlineState.OVERDUE),
    ],
)
def test_varsling_state_follows_the_injected_today(today: date, state: DeadlineState) -> None:
    assert deadlines(b5(), [], today)["varsling"].state is state


@pytest.mark.parametrize(("sent", "late"), [(D(2024, 6, 3), False), (D(2024, 6, 10), True)])
def test_varsling_is_met_by_the_varsling_event_and_says_whether_late(sent: date, late: bool) -> None:
    varsling = deadlines(b5(), [ev(K.VARSLING, sent)], D(2024, 6, 11))["varsling"]
    assert (varsling.state, varsling.met_on, varsling.late) == (DeadlineState.MET, sent, late)


def test_a_new_expected_date_moves_the_varsling_and_the_latest_judgement_wins() -> None:
    events = [expected(D(2024, 6, 28), on=D(2024, 5, 10)), expected(D(2024, 6, 21), on=D(2024, 5, 15))]
    found = deadlines(b5(), events, D(2024, 5, 20))
    assert found["varsling"].due == D(2024, 6, 13)
    assert found["faerdigmelding"].due == D(2024, 6, 21)


def test_correcting_the_expected_date_moves_the_varsling_back() -> None:
    later = expected(D(2024, 6, 21), on=D(2024, 5, 15))
    fix = ev(K.CORRECTION, D(2024, 5, 16), corrects=later.id)
    assert deadlines(b5(), [later, fix], D(2024, 5, 20))["varsling"].due == D(2024, 6, 6)


def test_faerdigmelding_without_varsling_shows_the_varsling_as_missed() -> None:
    found = deadlines(b5(), [ev(K.FAERDIGMELDING, D(2024, 6, 14))], D(2024, 6, 17))
    assert found["varsling"].state is DeadlineState.OVERDUE and found["varsling"].missed
    assert found["faerdigmelding"].state is DeadlineState.MET
    nxt = next_deadline(found.values())
    assert nxt is not None and nxt.kind != "varsling"


def test_afmelding_starts_a_new_round_with_a_new_varsling() -> None:
    """B7: a new færdigmelding follows B1–B5 again — the old varsling does not count."""
    events = [
        ev(K.VARSLING, D(2024, 6, 3)),
        ev(K.FAERDIGMELDING, D(2024, 6, 14)),
        ev(K.AFMELDING, D(2024, 6, 18)),
        expected(D(2024, 7, 1), on=D(2024, 6, 18)),
    ]
    found = deadlines(b5(), events, D(2024, 6, 19))
    assert (found["varsling"].due, found["varsling"].state) == (D(2024, 6, 21), DeadlineState.OPEN)
    assert found["faerdigmelding"].met_on is None


def test_after_afmelding_without_a_new_expected_date_no_varsling_is_dated() -> None:
    events = [
        ev(K.VARSLING, D(2024, 6, 3)),
        ev(K.FAERDIGMELDING, D(2024, 6, 14)),
        ev(K.AFMELDING, D(2024, 6, 18)),
    ]
    assert "varsling" not in deadlines(b5(), events, D(2024, 6, 19))


def test_child_psychiatry_settings_count_the_varsling_in_working_days() -> None:
    found = compute_deadlines(b5(), [], CAL, D(2024, 5, 20), RuleSettings.child_psychiatry())
    varsling = next(d for d in found if d.kind == "varsling")
    assert (varsling.due, varsling.description) == (
        D(2024, 6, 3),
        "Varsling senest 8 arbejdsdage før færdigbehandlet",
    )


# -- A1 the scenario assessed at admission ----------------------------------------------------------------

NO_SUPPORT = {"has_indsats": False, "may_need_support": False}  # "intet scenarie": an answer all the same


def test_a_new_admission_must_have_its_scenario_assessed_on_the_admission_day() -> None:
    """A1: "ved indlæggelsen spørge borgeren, om denne modtager støtte fra kommunen" — due on the admission day."""
    a1 = deadlines(admission(ADMITTED), [], ADMITTED)["spoerg_om_stoette"]
    assert (a1.rule_id, a1.due, a1.state, a1.responsible, a1.recipient) == (
        "A1",
        ADMITTED,
        DeadlineState.DUE_TODAY,
        "center",
        None,
    )
    assert a1.description == "Vurder scenarie: spørg om kommunal støtte ved indlæggelsen"
    nxt = next_deadline(compute_deadlines(admission(ADMITTED), [], CAL, ADMITTED))
    assert nxt is not None and nxt.rule_id == "A1"  # the patient list's next deadline says so at once


def test_an_unassessed_admission_is_overdue_the_day_after() -> None:
    a1 = deadlines(admission(ADMITTED), [], D(2024, 5, 2))["spoerg_om_stoette"]
    assert (a1.state, a1.missed) == (DeadlineState.OVERDUE, False)


@pytest.mark.parametrize(
    "answers",
    [NO_SUPPORT, {"has_indsats": True, "need_greater": False}, {"has_indsats": False, "may_need_support": True}],
)
def test_a1_is_met_by_the_recorded_assessment_whatever_the_scenario(answers: dict[str, object]) -> None:
    a1 = deadlines(admission(ADMITTED), [ev(K.SCENARIO_ASSESSED, D(2024, 5, 3), data=answers)], D(2024, 5, 6))[
        "spoerg_om_stoette"
    ]
    assert (a1.state, a1.met_on, a1.late) == (DeadlineState.MET, D(2024, 5, 3), True)


def test_a_corrected_assessment_no_longer_meets_a1() -> None:
    assessed = ev(K.SCENARIO_ASSESSED, ADMITTED, data=NO_SUPPORT)
    fix = ev(K.CORRECTION, D(2024, 5, 2), corrects=assessed.id)
    assert deadlines(admission(ADMITTED), [assessed, fix], D(2024, 5, 2))["spoerg_om_stoette"].met_on is None


def test_a1_can_no_longer_be_met_after_discharge() -> None:
    a1 = deadlines(admission(ADMITTED, discharged=D(2024, 5, 4)), [], D(2024, 5, 6))["spoerg_om_stoette"]
    assert (a1.state, a1.missed) == (DeadlineState.OVERDUE, True)


def test_a_scenario_stored_without_an_assessment_event_gives_no_a1_date() -> None:
    """Imported data with the scenario on the admission but no assessment event: no day to show, no false to-do."""
    assert "spoerg_om_stoette" not in deadlines(admission(ADMITTED, scenario=1), [], D(2024, 5, 6))


# -- B1–B4 --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("scenario", "rule"), [(1, "B1"), (2, "B2"), (3, "B3")])
def test_contact_is_due_on_the_admission_day(scenario: int, rule: str) -> None:
    adm = admission(ADMITTED, scenario=scenario, b5=False)
    contact = [d for d in compute_deadlines(adm, [], CAL, ADMITTED) if d.rule_id == rule]
    assert [(d.due, d.state) for d in contact] == [(ADMITTED, DeadlineState.DUE_TODAY)]


def test_scenario_1_has_no_varsling() -> None:
    found = deadlines(admission(ADMITTED, scenario=1, expected_faerdigbehandlet=EXPECTED), [], D(2024, 5, 2))
    assert set(found) == {"orientering_scenarie_1"}


def test_b4_can_discharge_before_support_has_no_varsling_or_faerdigmelding() -> None:
    found = deadlines(admission(ADMITTED, scenario=3, b5=False, expected_faerdigbehandlet=EXPECTED), [], ADMITTED)
    assert set(found) == {"kontakt_scenarie_3"}


def test_contact_is_met_by_the_orientering() -> None:
    found = deadlines(b5(), [ev(K.ORIENTERING_INDLAEGGELSE, D(2024, 5, 2))], D(2024, 5, 3))
    assert (found["kontakt_scenarie_2"].state, found["kontakt_scenarie_2"].met_on) == (
        DeadlineState.MET,
        D(2024, 5, 2),
    )


def test_contact_is_due_when_the_need_was_identified() -> None:
    """A1: 'as soon as that is identified' — an assessment on day 3 makes the contact due that day."""
    answers = {"has_indsats": False, "may_need_support": True, "can_discharge_before_support": False}
    events = [ev(K.SCENARIO_ASSESSED, D(2024, 5, 3), data=answers), expected(EXPECTED, on=D(2024, 5, 3))]
    found = deadlines(admission(ADMITTED), events, D(2024, 5, 3))
    assert (found["kontakt_scenarie_3"].due, found["kontakt_scenarie_3"].state) == (
        D(2024, 5, 3),
        DeadlineState.DUE_TODAY,
    )
    assert found["varsling"].due == D(2024, 6, 6)


def test_contradictory_stored_answers_fall_back_to_the_recorded_scenario() -> None:
    contradictory = {"has_indsats": False, "need_greater": True}
    adm = dataclasses.replace(admission(ADMITTED, scenario=2), scenario_answers=contradictory)
    assert deadlines(adm, [], ADMITTED)["kontakt_scenarie_2"].rule_id == "B2"


# -- C2–C4 netværksmøder ------------------------------------------------------------------------------


def test_netvaerksmoede_at_the_latest_5_arbejdsdage_after_invitation_over_easter() -> None:
    adm = admission(D(2024, 3, 20))
    meeting = deadlines(adm, [ev(K.MEETING_INVITED, D(2024, 3, 27))], D(2024, 3, 28))["netvaerksmoede"]
    assert (meeting.rule_id, meeting.due, meeting.state) == ("C2", D(2024, 4, 8), DeadlineState.OPEN)


@pytest.mark.parametrize(("held", "late"), [(D(2024, 4, 8), False), (D(2024, 4, 9), True)])
def test_netvaerksmoede_held_meets_the_invitation(held: date, late: bool) -> None:
    events = [ev(K.MEETING_INVITED, D(2024, 3, 27)), ev(K.MEETING_HELD, held)]
    meeting = deadlines(admission(D(2024, 3, 20)), events, D(2024, 4, 10))["netvaerksmoede"]
    assert (meeting.state, meeting.late) == (DeadlineState.MET, late)


def test_each_meeting_held_meets_one_invitation() -> None:
    events = [
        ev(K.MEETING_INVITED, D(2024, 5, 6)),
        ev(K.MEETING_HELD, D(2024, 5, 8)),
        ev(K.MEETING_INVITED, D(2024, 5, 21)),
    ]
    meetings = all_of(admission(ADMITTED), events, D(2024, 5, 22), "netvaerksmoede")
    assert [(m.due, m.state) for m in meetings] == [
        (D(2024, 5, 14), DeadlineState.MET),  # Kristi himmelfart (9 May) skipped
        (D(2024, 5, 28), DeadlineState.OPEN),
    ]


def test_grundlovsdag_is_skipped_only_by_the_default_calendar() -> None:
    events = [ev(K.MEETING_INVITED, D(2024, 6, 3))]
    public = WorkCalendar(extra_closing_days=False)
    default = deadlines(admission(ADMITTED), events, D(2024, 6, 4))["netvaerksmoede"]
    plain = deadlines(admission(ADMITTED), events, D(2024, 6, 4), public)["netvaerksmoede"]
    assert (default.due, default.calendar) == (D(2024, 6, 11), CAL.name)
    assert (plain.due, plain.calendar) == (D(2024, 6, 10), public.name)


def test_meeting_requested_after_discharge_follows_c3() -> None:
    events = [ev(K.DISCHARGE, D(2024, 5, 10)), ev(K.MEETING_INVITED, D(2024, 5, 13))]
    found = deadlines(admission(ADMITTED), events, D(2024, 5, 14))
    assert (
        found["netvaerksmoede_efter_udskrivning"].rule_id,
        found["netvaerksmoede_efter_udskrivning"].due,
    ) == (
        "C3",
        D(2024, 5, 21),
    )


def test_meeting_at_discharge_may_be_marked_c4() -> None:
    events = [ev(K.MEETING_INVITED, D(2024, 5, 13), data={"rule": "C4"})]
    assert deadlines(admission(ADMITTED), events, D(2024, 5, 14))["netvaerksmoede_ved_udskrivning"].rule_id == "C4"


def test_correcting_the_invitation_removes_its_deadline() -> None:
    invited = ev(K.MEETING_INVITED, D(2024, 5, 13))
    events = [invited, ev(K.CORRECTION, D(2024, 5, 13), hour=11, corrects=invited.id)]
    assert "netvaerksmoede" not in deadlines(admission(ADMITTED), events, D(2024, 5, 14))


# -- D1, D3 -------------------------------------------------------------------------------------------


def test_epikrise_within_24_hours_of_discharge() -> None:
    events = [ev(K.DISCHARGE, D(2024, 5, 28), hour=23, minute=30)]
    epikrise = deadlines(admission(ADMITTED), events, D(2024, 5, 29))["epikrise"]
    assert (epikrise.rule_id, epikrise.due, epikrise.state) == ("D1", D(2024, 5, 29), DeadlineState.DUE_TODAY)
    done = deadlines(admission(ADMITTED), [*events, milestone(M.EPIKRISE_SENDT, D(2024, 5, 29))], D(2024, 5, 30))
    assert done["epikrise"].state is DeadlineState.MET


def test_gp_answers_korrespondance_within_3_hverdage() -> None:
    sent = milestone(M.KORRESPONDANCE_SENDT, D(2024, 6, 7))  # Friday
    answer = deadlines(admission(ADMITTED), [sent], D(2024, 6, 10))["korrespondance_svar"]
    assert (answer.rule_id, answer.due, answer.responsible) == ("D3", D(2024, 6, 12), "gp")
    answered = [sent, milestone(M.KORRESPONDANCE_BESVARET, D(2024, 6, 11))]
    assert deadlines(admission(ADMITTED), answered, D(2024, 6, 13))["korrespondance_svar"].state is DeadlineState.MET


# -- G1–G3, E3 -----------------------------------------------------------------------------------------


def test_kommune_has_12_weeks_from_the_varsling() -> None:
    found = deadlines(b5(), [ev(K.VARSLING, D(2024, 6, 3))], D(2024, 6, 4))
    assert (found["sagsbehandling"].rule_id, found["sagsbehandling"].due) == ("G1", D(2024, 8, 26))
    assert found["sagsbehandling"].responsible == "kommune"
    discharged = [ev(K.VARSLING, D(2024, 6, 3)), ev(K.DISCHARGE, D(2024, 7, 1))]
    assert deadlines(b5(), discharged, D(2024, 7, 2))["sagsbehandling"].met_on == D(2024, 7, 1)


def test_status_meeting_every_14_days_while_faerdigmeldt() -> None:
    events = [ev(K.VARSLING, D(2024, 6, 3)), ev(K.FAERDIGMELDING, D(2024, 6, 14))]
    assert deadlines(b5(), events, D(2024, 6, 20))["statusmoede"].due == D(2024, 6, 28)
    events.append(milestone(M.STATUSMOEDE, D(2024, 6, 25)))
    assert deadlines(b5(), events, D(2024, 6, 26))["statusmoede"].due == D(2024, 7, 9)
    events.append(ev(K.DISCHARGE, D(2024, 7, 1)))
    assert "statusmoede" not in deadlines(b5(), events, D(2024, 7, 2))


def test_disagreement_is_escalated_within_1_week() -> None:
    events = [milestone(M.UENIGHED, D(2024, 6, 20))]
    assert deadlines(admission(ADMITTED), events, D(2024, 6, 21))["eskalering"].due == D(2024, 6, 27)
    events.append(milestone(M.UENIGHED_ESKALERET, D(2024, 6, 24)))
    assert deadlines(admission(ADMITTED), events, D(2024, 6, 25))["eskalering"].state is DeadlineState.MET


@pytest.mark.parametrize(
    ("extra", "today", "state", "met_on"),
    [
        ([], D(2024, 8, 1), DeadlineState.OPEN, None),
        ([], D(2024, 9, 1), DeadlineState.DUE_TODAY, None),
        ([], D(2024, 9, 2), DeadlineState.MET, D(2024, 9, 1)),
        ([K.READMISSION], D(2024, 8, 1), DeadlineState.MET, D(2024, 6, 20)),
    ],
)
def test_udskrivningsaftale_ends_at_end_date_or_readmission(
    extra: list[EventKind], today: date, state: DeadlineState, met_on: date | None
) -> None:
    events = [
        milestone(M.UDSKRIVNINGSAFTALE, D(2024, 6, 10), end="2024-09-01"),
        ev(K.DISCHARGE, D(2024, 6, 12)),
    ]
    events += [ev(kind, D(2024, 6, 20)) for kind in extra]
    plan = deadlines(admission(ADMITTED), events, today)["plan_udloeber"]
    assert (plan.rule_id, plan.due, plan.state, plan.met_on) == ("E3", D(2024, 9, 1), state, met_on)


# -- recipients, ordering, next ----------------------------------------------------------------------


def test_homeless_varsling_to_opholdskommune_contact_to_handlekommune_when_known() -> None:
    found = deadlines(b5(homeless=True, opholdskommune="147", handlekommune="185"), [], D(2024, 5, 2))
    assert found["varsling"].recipient == "opholdskommune"
    assert found["kontakt_scenarie_2"].recipient == "handlekommune"


def test_deadlines_come_sorted_by_due_date() -> None:
    events = [ev(K.MEETING_INVITED, D(2024, 5, 6)), milestone(M.UENIGHED, D(2024, 5, 2))]
    dues = [d.due for d in compute_deadlines(b5(), events, CAL, D(2024, 5, 7))]
    assert dues == sorted(dues) and len(dues) == 5


def test_next_deadline_is_the_earliest_open_one_overdue_first() -> None:
    events = [ev(K.ORIENTERING_INDLAEGGELSE, D(2024, 5, 1)), ev(K.MEETING_INVITED, D(2024, 5, 6))]
    nxt = next_deadline(compute_deadlines(b5(), events, CAL, D(2024, 5, 20)))
    assert nxt is not None and (nxt.kind, nxt.state) == ("netvaerksmoede", DeadlineState.OVERDUE)


def test_next_deadline_is_none_when_everything_is_met() -> None:
    assessed = [ev(K.SCENARIO_ASSESSED, ADMITTED, data={"has_indsats": False, "may_need_support": False})]  # A1
    assert next_deadline(compute_deadlines(admission(ADMITTED), assessed, CAL, ADMITTED)) is None
    met = deadlines(b5(), [ev(K.ORIENTERING_INDLAEGGELSE, ADMITTED)], ADMITTED)["kontakt_scenarie_2"]
    assert next_deadline([met]) is None


def test_an_illegal_history_raises_process_error() -> None:
    with pytest.raises(ProcessError):
        compute_deadlines(b5(), [ev(K.AFMELDING, D(2024, 5, 2))], CAL, D(2024, 5, 3))
