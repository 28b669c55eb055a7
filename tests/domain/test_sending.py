"""What a notification needs before it is sent (issue 16): the scenario's refusals (B1, B4, B5), the B5 facts of a
varsling (expected date and who judged it; late, with the days) and a færdigmelding (the doctor's judgement; the notice
the kommune got; an early one confirmed), and the B2/B3 contact met by a varsling or a logged contact. No Qt, no
database."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from engine_helpers import admission, ev, expected, milestone

from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import Admission, DeadlineState, Event, EventKind
from coordinator_app.domain.process import Status, replay
from coordinator_app.domain.scenarios import Assessment, current_assessment
from coordinator_app.domain.sending import (
    RECORD,
    ExpectedDate,
    Notice,
    VarslingTiming,
    check_early,
    check_judgement,
    check_send,
    contact_refusal,
    current_expected,
    faerdigmelding_notice,
    faerdigmelding_notices,
    notice_lines,
    scenario_refusal,
    send_refusals,
    varsling_timing,
)
from coordinator_app.domain.workdays import WorkCalendar

K = EventKind
D = date
CAL = WorkCalendar()
ADMITTED = D(2024, 5, 1)
EXPECTED = D(2024, 6, 14)  # Friday → the latest varsling day is Thursday 6 June (8 days before)


def assessed(scenario: int | None, b5: bool = False) -> Admission:
    adm = admission(ADMITTED, scenario=scenario, b5=b5 if scenario in (2, 3) else None, expected_faerdigbehandlet=None)
    if scenario is None:  # intet scenarie: answered, but no indsats and no need
        adm = dataclasses.replace(adm, scenario_answers={"has_indsats": False, "may_need_support": False})
    return adm


def refusals(adm: Admission, events: list[Event] | None = None) -> dict[EventKind, str | None]:
    history = events or []
    return send_refusals(replay(adm, history), current_assessment(adm, history))


# -- the scenario decides what may be sent (B1, B4, B5) -------------------------------------------------------------


def test_scenario_1_refuses_varsling_and_faerdigmelding_naming_b1_and_the_way_back() -> None:
    reasons = refusals(assessed(1))
    for kind in (K.VARSLING, K.FAERDIGMELDING):
        reason = reasons[kind]
        assert reason is not None and "(B1)" in reason and "Vurder scenarie igen" in reason
    assert reasons[K.ORIENTERING_INDLAEGGELSE] is None
    assert reasons[K.ORIENTERING_UDSKRIVNING] is None
    with pytest.raises(ProcessError) as caught:
        check_send(replay(assessed(1), []), current_assessment(assessed(1), []), K.VARSLING, ADMITTED)
    assert caught.value.rule == "B1"


@pytest.mark.parametrize("scenario", [2, 3])
def test_the_b4_branch_refuses_varsling_and_faerdigmelding_and_points_to_the_orientering(scenario: int) -> None:
    reasons = refusals(assessed(scenario, b5=False))
    for kind in (K.VARSLING, K.FAERDIGMELDING):
        reason = reasons[kind]
        assert reason is not None and "(B4)" in reason and "orientér kommunen om udskrivningen" in reason
        assert "Vurder scenarie igen" in reason
    assert reasons[K.ORIENTERING_UDSKRIVNING] is None


@pytest.mark.parametrize("scenario", [2, 3])
def test_the_b5_branch_allows_varsling_then_faerdigmelding(scenario: int) -> None:
    adm = assessed(scenario, b5=True)
    assert refusals(adm)[K.VARSLING] is None
    assert refusals(adm)[K.FAERDIGMELDING] is None  # allowed; without varsling it warns (below)
    varslet = [ev(K.VARSLING, D(2024, 6, 3))]
    assert refusals(adm, varslet)[K.FAERDIGMELDING] is None
    assert refusals(adm, varslet)[K.VARSLING] is None  # again, e.g. a new expected date


def test_without_an_assessment_varsling_and_faerdigmelding_ask_for_the_scenario_first() -> None:
    adm = admission(ADMITTED)  # nothing answered yet
    assert current_assessment(adm, []) == Assessment(False, None, None, ADMITTED)
    reasons = refusals(adm)
    for kind in (K.VARSLING, K.FAERDIGMELDING):
        reason = reasons[kind]
        assert reason is not None and "ikke vurderet" in reason and "(B5)" in reason and "Vurder scenarie" in reason
    assert reasons[K.ORIENTERING_INDLAEGGELSE] is None  # A1: orienting the kommune is never wrong


def test_intet_scenarie_refuses_varsling_and_faerdigmelding() -> None:
    reason = refusals(assessed(None))[K.VARSLING]
    assert reason is not None and reason.startswith("Intet scenarie") and "Vurder scenarie igen" in reason


@pytest.mark.parametrize("scenario", [2, 3])
def test_a_scenario_without_the_b4_b5_answer_asks_for_the_assessment_again(scenario: int) -> None:
    adm = dataclasses.replace(assessed(scenario), scenario_answers={})  # a scenario recorded without its answers
    assessment = current_assessment(adm, [])
    assert (assessment.scenario, assessment.branch) == (scenario, None)
    refusal = scenario_refusal(assessment, K.VARSLING)
    assert refusal is not None and refusal[1] == "B5"
    assert f"Scenarie {scenario} er vurderet uden svar" in refusal[0] and "Vurder scenarie igen" in refusal[0]
    assert "Intet scenarie" not in refusal[0]


def test_the_latest_assessment_wins() -> None:
    adm = assessed(1)
    again = ev(K.SCENARIO_ASSESSED, D(2024, 5, 5), data={"has_indsats": True, "need_greater": True, "branch": "B5"})
    assert refusals(adm, [again])[K.VARSLING] is None
    assert current_assessment(adm, [again]).identified_on == D(2024, 5, 5)  # recorded answers beat the stored ones


def test_the_process_refusal_comes_before_the_scenarios() -> None:
    """Afmelding and friends follow the status alone; a færdigmelding twice is the process's refusal (B7)."""
    adm = assessed(1)
    history = [ev(K.VARSLING, D(2024, 5, 2)), ev(K.FAERDIGMELDING, D(2024, 5, 3))]  # from before a re-assessment
    reasons = refusals(adm, history)
    assert reasons[K.AFMELDING] is None  # the old færdigmelding can always be withdrawn
    assert "(B7)" in (reasons[K.FAERDIGMELDING] or "")
    assert replay(adm, history).status is Status.FAERDIGMELDT  # the history stays readable
    assert scenario_refusal(current_assessment(adm, history), K.AFMELDING) is None


def test_a_contact_with_the_kommune_is_logged_while_admitted_not_after_the_discharge() -> None:
    adm = assessed(3)
    assert refusals(adm)[K.NOTE] is None  # the Send menu's "Registrér kontakt med kommunen…" (B2/B3)
    discharged = [ev(K.DISCHARGE, D(2024, 5, 20))]
    assert contact_refusal(replay(adm, discharged)) is not None
    assert "udskrevet" in (refusals(adm, discharged)[K.NOTE] or "")
    assert contact_refusal(replay(adm, [])) is None


# -- the varsling: an expected date and who judged it; late is allowed and marked (B5) --------------------------


def test_a_varsling_needs_the_expected_date_and_who_judged_it() -> None:
    with pytest.raises(ValidationError) as caught:
        varsling_timing(ExpectedDate(None), D(2024, 6, 1), CAL)
    assert (caught.value.field, caught.value.rule) == ("expected_faerdigbehandlet", "B5")
    with pytest.raises(ValidationError) as caught:
        varsling_timing(ExpectedDate(EXPECTED, "  "), D(2024, 6, 1), CAL)
    assert (caught.value.field, caught.value.rule) == ("expected_judged_by", "B5")


def test_a_varsling_in_time_has_no_warning() -> None:
    timing = varsling_timing(ExpectedDate(EXPECTED, "Overlæge Hansen"), D(2024, 6, 6), CAL)
    assert (timing.due, timing.late, timing.notice_days, timing.warning()) == (D(2024, 6, 6), False, 8, None)


def test_a_late_varsling_is_marked_with_the_days_it_came_too_late() -> None:
    timing = varsling_timing(ExpectedDate(EXPECTED, "Overlæge Hansen"), D(2024, 6, 9), CAL)
    assert (timing.days_late, timing.notice_days) == (3, 5)
    assert timing.warning() == (
        "Varslingen er for sen: seneste varslingsdag var 06-06-2024 (forventet færdigbehandlet 14-06-2024). "
        "Kommunen får 5 dages varsel – 3 dage for sent (B5). Den kan sendes og markeres som for sen."
    )
    event = ev(K.VARSLING, D(2024, 6, 9), data={RECORD: timing.record()})
    assert notice_lines(event) == (
        "Forventet færdigbehandlet 14-06-2024 (vurderet af Overlæge Hansen)",
        "⚠ For sen: sendt 3 dage efter seneste varslingsdag 06-06-2024 – kommunen fik 5 dages varsel (B5)",
    )
    assert VarslingTiming.from_record(D(2024, 6, 9), timing.record()) == timing


def test_the_expected_date_is_the_current_rounds() -> None:
    adm = assessed(2, b5=True)
    judged = [expected(EXPECTED, on=D(2024, 5, 3))]
    assert current_expected(adm, judged) == ExpectedDate(EXPECTED, "overlæge")
    round_two = [
        *judged,
        ev(K.VARSLING, D(2024, 6, 3)),
        ev(K.FAERDIGMELDING, D(2024, 6, 14)),
        ev(K.AFMELDING, D(2024, 6, 20)),
    ]
    assert current_expected(adm, round_two) == ExpectedDate(None)  # B7: a new round needs a new date
    later = D(2024, 7, 10)
    assert current_expected(adm, [*round_two, expected(later, on=D(2024, 6, 24))]).day == later


def test_the_expected_date_agrees_with_the_varsling_deadline() -> None:
    adm = assessed(3, b5=True)
    events = [expected(EXPECTED, on=D(2024, 5, 3))]
    (deadline,) = [d for d in compute_deadlines(adm, events, CAL, D(2024, 5, 3)) if d.kind == "varsling"]
    assert varsling_timing(current_expected(adm, events), D(2024, 5, 3), CAL).due == deadline.due


# -- the færdigmelding: the doctor's judgement, the notice, an early one confirmed (B5) --------------------------


def test_a_faerdigmelding_needs_the_doctor_and_the_day_of_the_judgement() -> None:
    for by, on, field in (("", D(2024, 6, 14), "judged_by"), ("Overlæge Hansen", None, "judged_on")):
        with pytest.raises(ValidationError) as caught:
            check_judgement(by, on, D(2024, 6, 14), ADMITTED)
        assert (caught.value.field, caught.value.rule) == (field, "B5")
    with pytest.raises(ValidationError, match="efter færdigmeldingen"):
        check_judgement("Overlæge Hansen", D(2024, 6, 15), D(2024, 6, 14), ADMITTED)
    check_judgement("Overlæge Hansen", D(2024, 6, 13), D(2024, 6, 14), ADMITTED)


def test_faerdigmelding_without_varsling_warns_with_zero_days_of_notice_and_is_recorded() -> None:
    adm = assessed(2, b5=True)
    notice = faerdigmelding_notice(adm, [expected(EXPECTED, on=D(2024, 5, 3))], EXPECTED, CAL)
    assert (notice.no_varsling, notice.notice_days, notice.short) == (True, 0, True)
    (warning,) = notice.warnings()
    assert "ikke sendt en varsling" in warning and "0 dage" in warning and "(B5)" in warning
    assert notice.short_text() == "⚠ Ingen varsling"


def test_faerdigmelding_after_a_late_varsling_says_how_many_days_the_kommune_got() -> None:
    adm = assessed(2, b5=True)
    events = [expected(EXPECTED, on=D(2024, 5, 3)), ev(K.VARSLING, D(2024, 6, 10))]
    notice = faerdigmelding_notice(adm, events, EXPECTED, CAL)
    assert (notice.varsling_late, notice.notice_days) == (True, 4)
    (warning,) = notice.warnings()
    assert "for sent (10-06-2024; seneste varslingsdag var 06-06-2024)" in warning and "4 dages varsel" in warning
    assert notice.short_text() == "⚠ 4 dage, for sen"


def test_faerdigmelding_after_a_timely_varsling_has_no_warning() -> None:
    adm = assessed(2, b5=True)
    events = [expected(EXPECTED, on=D(2024, 5, 3)), ev(K.VARSLING, D(2024, 6, 3))]
    notice = faerdigmelding_notice(adm, events, EXPECTED, CAL)
    assert (notice.warnings(), notice.notice_days, notice.short_text()) == ((), 11, "11 dage")


def test_after_an_afmelding_the_new_round_needs_its_own_varsling() -> None:
    adm = assessed(2, b5=True)
    events = [
        expected(EXPECTED, on=D(2024, 5, 3)),
        ev(K.VARSLING, D(2024, 6, 3)),
        ev(K.FAERDIGMELDING, D(2024, 6, 14)),
        ev(K.AFMELDING, D(2024, 6, 20)),
    ]
    assert faerdigmelding_notice(adm, events, D(2024, 7, 1), CAL).no_varsling


def test_an_early_faerdigmelding_needs_the_coordinators_confirmation() -> None:
    adm = assessed(2, b5=True)
    events = [expected(EXPECTED, on=D(2024, 5, 3)), ev(K.VARSLING, D(2024, 6, 3))]
    notice = faerdigmelding_notice(adm, events, D(2024, 6, 10), CAL)
    assert notice.days_early == 4
    assert notice.early_question() == (
        "Færdigmeldingen ligger 4 dage før den forventede færdigbehandlet-dato 14-06-2024. Er patienten efter "
        "lægelig vurdering færdigbehandlet nu (B5)?"
    )
    with pytest.raises(ValidationError) as caught:
        check_early(notice)
    assert (caught.value.field, caught.value.rule) == ("confirmed_early", "B5")
    check_early(dataclasses.replace(notice, confirmed_early=True))
    assert faerdigmelding_notice(adm, events, EXPECTED, CAL).early_question() is None


def test_the_faerdigmelding_record_reads_back_in_the_history() -> None:
    notice = Notice(
        faerdigmeldt_on=D(2024, 6, 10),
        varslet_on=None,
        varsling_due=D(2024, 6, 6),
        expected=EXPECTED,
        judged_by="Overlæge Hansen",
        judged_on=D(2024, 6, 10),
        confirmed_early=True,
    )
    event = ev(K.FAERDIGMELDING, D(2024, 6, 10), data={RECORD: notice.record()})
    assert notice_lines(event) == (
        "Lægelig vurdering: Overlæge Hansen, 10-06-2024",
        "⚠ Ingen varsling sendt – kommunen fik ingen varsel (0 dage) før færdigmeldingen (B5)",
        "Færdigmeldt 4 dage før forventet færdigbehandlet (14-06-2024) – bekræftet af koordinatoren",
    )
    assert Notice.from_record(D(2024, 6, 10), notice.record()) == notice


def test_every_faerdigmelding_has_its_notice_recorded_or_worked_out() -> None:
    adm = assessed(2, b5=True)
    recorded = Notice(D(2024, 7, 1), None, None, None, "Overlæge Hansen", D(2024, 7, 1))
    events = [
        expected(EXPECTED, on=D(2024, 5, 3)),
        ev(K.VARSLING, D(2024, 6, 3)),
        ev(K.FAERDIGMELDING, D(2024, 6, 14)),  # from before the record existed: worked out
        ev(K.AFMELDING, D(2024, 6, 20)),
        ev(K.FAERDIGMELDING, D(2024, 7, 1), data={RECORD: recorded.record()}),
    ]
    notices = [n for _e, n in faerdigmelding_notices(adm, events, CAL)]
    assert [(n.faerdigmeldt_on, n.notice_days, n.short) for n in notices] == [
        (D(2024, 6, 14), 11, False),
        (D(2024, 7, 1), 0, True),
    ]


# -- B2/B3 met by a varsling or a logged contact to the same kommune ------------------------------------------------


def contact_deadline(adm: Admission, events: list[Event]) -> tuple[DeadlineState, date | None]:
    (found,) = [d for d in compute_deadlines(adm, events, CAL, D(2024, 5, 10)) if d.rule_id in ("B2", "B3")]
    return found.state, found.met_on


@pytest.mark.parametrize("scenario", [2, 3])
def test_a_varsling_to_the_kommune_meets_the_contact_duty(scenario: int) -> None:
    adm = assessed(scenario, b5=True)
    varsling = dataclasses.replace(ev(K.VARSLING, D(2024, 5, 6)), recipient_kommune="101")
    assert contact_deadline(adm, [varsling]) == (DeadlineState.MET, D(2024, 5, 6))


def test_a_logged_contact_note_to_the_kommune_meets_the_contact_duty() -> None:
    adm = assessed(3, b5=False)
    note = milestone("kommune_kontakt", D(2024, 5, 2), kommune="101")
    assert contact_deadline(adm, [note]) == (DeadlineState.MET, D(2024, 5, 2))


def test_a_contact_with_another_kommune_does_not_meet_it() -> None:
    adm = assessed(2, b5=True)
    elsewhere = dataclasses.replace(ev(K.VARSLING, D(2024, 5, 6)), recipient_kommune="147")
    note = milestone("kommune_kontakt", D(2024, 5, 2), kommune="147")
    assert contact_deadline(adm, [elsewhere, note]) == (DeadlineState.OVERDUE, None)


def test_a_homeless_patients_contact_goes_to_the_handlekommune_not_the_varsling_kommune() -> None:
    """A5: contact the handlekommune when known; the varsling goes to the last opholdskommune (B5)."""
    adm = dataclasses.replace(
        assessed(2, b5=True), opholdskommune="147", handlekommune="157", flags=admission(homeless=True).flags
    )
    varsling = dataclasses.replace(ev(K.VARSLING, D(2024, 5, 6)), recipient_kommune="147")
    assert contact_deadline(adm, [varsling])[1] is None
    contact = milestone("kommune_kontakt", D(2024, 5, 7), kommune="157")
    assert contact_deadline(adm, [varsling, contact]) == (DeadlineState.MET, D(2024, 5, 7))


def test_the_b1_orientering_still_meets_b1() -> None:
    adm = assessed(1)
    (found,) = [
        d
        for d in compute_deadlines(adm, [ev(K.ORIENTERING_INDLAEGGELSE, D(2024, 5, 1))], CAL, D(2024, 5, 2))
        if d.rule_id == "B1"
    ]
    assert (found.state, found.met_on) == (DeadlineState.MET, D(2024, 5, 1))
