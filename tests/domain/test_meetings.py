"""Netværksmøde domain (C1–C7): deadlines, lateness, the checks that help, starting before the planned day (C2), what
the history records when a meeting is held (C2, C6), the patient among the participants (C1), who gets the referat
(C7), and tasks from a closed meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from helpers.meetings import meeting_record

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.meetings import (
    AgreementItem,
    AgreementStatus,
    FollowUp,
    Meeting,
    MeetingContent,
    MeetingStatus,
    Occasion,
    Participant,
    check_meeting,
    check_start,
    days_before_planned,
    default_agreement_deadline,
    default_template,
    held_notes,
    is_late,
    is_patient,
    meeting_deadline,
    patient_participant,
    referat_exclusion,
    same_leader_and_referent,
    tasks_of,
)
from coordinator_app.domain.model import Sector
from coordinator_app.domain.workdays import WorkCalendar

CAL = WorkCalendar()
KOMMUNE = Participant("k", "Kis Kommunesen", "Københavns Kommune", Sector.KOMMUNE, "sagsbehandler")
REGION = Participant(
    "r", "Rie Regionsen", "Psykiatrisk Center København", Sector.REGION, "overlæge", health_professional=True
)
BORGER = Participant("b", "Testa Fiktivsen", "", Sector.BORGER, "patient")


def rules_of(m: Meeting) -> list[str]:
    return [w.rule for w in check_meeting(m)]


def test_meeting_at_the_latest_5_arbejdsdage_after_invitation_c2() -> None:
    assert meeting_deadline(date(2026, 11, 23), Occasion.UNDER_INDLAEGGELSE, CAL) == date(2026, 11, 30)
    # Invited the Friday before Easter 2027 (Easter Sunday 28 March): skærtorsdag/langfredag/2. påskedag closed.
    assert meeting_deadline(date(2027, 3, 19), Occasion.UNDER_INDLAEGGELSE, CAL) == date(2027, 3, 31)


def test_after_discharge_follows_c3_with_the_same_five_days() -> None:
    assert meeting_deadline(date(2026, 11, 23), Occasion.EFTER_UDSKRIVNING, CAL) == date(2026, 11, 30)


def test_a_meeting_planned_after_the_deadline_is_late() -> None:
    on_time = meeting_record(MeetingContent(), planned_at=datetime(2026, 11, 30, 9, tzinfo=UTC))
    late = meeting_record(MeetingContent(), planned_at=datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert not is_late(on_time, CAL)
    assert is_late(late, CAL)
    assert not is_late(meeting_record(MeetingContent()), CAL)


def test_a_complete_meeting_has_no_warnings() -> None:
    content = MeetingContent(
        texts={"formaal": "Plan for udskrivning", "behandling": "Medicin uændret"},
        participants=(KOMMUNE, REGION, BORGER),
        leader_key="k",
        referent_key="r",
        tovholder_key="k",
        agreements=(AgreementItem("a1", "Bostøtte bevilges", "k", date(2026, 12, 1)),),
        follow_up=FollowUp(needed=False),
    )
    assert check_meeting(meeting_record(content)) == []


def test_c1_needs_kommune_region_and_patient() -> None:
    content = MeetingContent(participants=(REGION,), leader_key="r", referent_key="r")
    rules = rules_of(meeting_record(content))
    assert rules.count("C1") == 2


def test_c6_leader_and_referent_should_not_be_the_same_person() -> None:
    content = MeetingContent(participants=(KOMMUNE, REGION, BORGER), leader_key="k", referent_key="k")
    warnings = check_meeting(meeting_record(content))
    assert any(w.rule == "C6" and "samme person" in w.text for w in warnings)


def test_c6_treatment_section_by_a_non_health_professional_referent() -> None:
    content = MeetingContent(
        texts={"behandling": "Ny medicin"}, participants=(KOMMUNE, REGION, BORGER), leader_key="r", referent_key="k"
    )
    warnings = check_meeting(meeting_record(content))
    assert any(w.rule == "C6" and w.section == "behandling" for w in warnings)


def test_c5_agreement_without_owner_or_deadline() -> None:
    content = MeetingContent(
        participants=(KOMMUNE, REGION, BORGER), agreements=(AgreementItem("a1", "Ring til botilbud"),)
    )
    texts = [w.text for w in check_meeting(meeting_record(content)) if w.rule == "C5"]
    assert any("mangler en ansvarlig" in t for t in texts)
    assert any("mangler en frist" in t for t in texts)


def test_closing_turns_agreements_into_tasks_with_owner_and_deadline() -> None:
    content = MeetingContent(
        participants=(KOMMUNE, REGION),
        agreements=(
            AgreementItem("a1", "Bostøtte bevilges", "k", date(2026, 12, 1)),
            AgreementItem("a2", "Epikrise til egen læge", "r", date(2026, 11, 25), AgreementStatus.UDFOERT),
            AgreementItem("a3", "   "),
        ),
    )
    assert tasks_of(meeting_record(content)) == []  # not closed yet
    tasks = tasks_of(meeting_record(content, status=MeetingStatus.AFSLUTTET))
    assert [(t.what, t.owner, t.deadline, t.done) for t in tasks] == [
        ("Bostøtte bevilges", "Kis Kommunesen (Københavns Kommune)", date(2026, 12, 1), False),
        ("Epikrise til egen læge", "Rie Regionsen (Psykiatrisk Center København)", date(2026, 11, 25), True),
    ]


def test_default_agreement_deadline_is_five_working_days_ahead() -> None:
    assert default_agreement_deadline(date(2026, 12, 22), CAL) == date(2027, 1, 4)  # over jul og nytår
    assert CAL.is_working_day(default_agreement_deadline(date(2026, 12, 22), CAL))
    assert default_agreement_deadline(date(2026, 11, 23), CAL) == date(2026, 11, 30)


def test_default_template_follows_c5() -> None:
    keys = [s.key for s in default_template().sections]
    assert keys == ["formaal", "deltagere", "roller", "behandling", "aftaler", "opfoelgning"]
    assert all(s.guidance for s in default_template().sections)


# -- starting before the planned day (C2–C4) --------------------------------------------------------------------------
#: Thursday 26 November 2026, 10:00 in Copenhagen: the day the parties agreed on.
PLANNED = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_c2_a_meeting_starts_before_its_planned_day_only_when_that_is_confirmed() -> None:
    meeting = meeting_record(planned_at=PLANNED)
    with pytest.raises(ValidationError) as refused:
        check_start(meeting, date(2026, 11, 23), before_planned_day=False)
    assert (refused.value.rule, refused.value.field) == ("C2", "planned_at")
    assert "26.11.2026" in refused.value.message and "3 dage" in refused.value.message
    check_start(meeting, date(2026, 11, 23), before_planned_day=True)  # confirmed: allowed
    check_start(meeting, date(2026, 11, 26), before_planned_day=False)  # on the day
    check_start(meeting, date(2026, 11, 27), before_planned_day=False)  # after it
    check_start(meeting_record(), date(2026, 11, 23), before_planned_day=False)  # no day planned yet
    assert days_before_planned(meeting, date(2026, 11, 25)) == 1


def test_an_early_start_is_named_by_the_occasions_rule() -> None:
    for occasion, rule in ((Occasion.EFTER_UDSKRIVNING, "C3"), (Occasion.VED_UDSKRIVNING, "C4")):
        with pytest.raises(ValidationError) as refused:
            check_start(
                meeting_record(planned_at=PLANNED, occasion=occasion), date(2026, 11, 25), before_planned_day=False
            )
        assert refused.value.rule == rule and "1 dag " in refused.value.message


def test_held_notes_record_an_early_meeting_and_leader_equal_to_referent() -> None:
    same = MeetingContent(participants=(KOMMUNE, REGION, BORGER), leader_key="k", referent_key="k")
    assert same_leader_and_referent(same)
    assert held_notes(meeting_record(same, planned_at=PLANNED), date(2026, 11, 23)) == [
        "holdt 3 dage før den planlagte dag 26.11.2026 (C2)",
        "mødeleder og referent var samme person (C6)",
    ]
    apart = MeetingContent(participants=(KOMMUNE, REGION, BORGER), leader_key="k", referent_key="r")
    assert not same_leader_and_referent(apart) and not same_leader_and_referent(MeetingContent())
    assert held_notes(meeting_record(apart, planned_at=PLANNED), date(2026, 11, 26)) == []


# -- the patient and the sectors (C1) ---------------------------------------------------------------------------------
def test_c1_a_sector_is_chosen_not_defaulted() -> None:
    assert Participant("x", "Cai Clausen").sector is None  # no default sector: the coordinator picks one
    content = MeetingContent(participants=(KOMMUNE, REGION, BORGER, Participant("x", "Cai Clausen")))
    warnings = check_meeting(meeting_record(content))
    assert [w.text for w in warnings if w.rule == "C1"] == ["Vælg sektor for Cai Clausen."]
    assert next(w for w in warnings if w.rule == "C1").section == "deltagere"


def test_c1_the_patient_is_recognised_by_name_and_asked_to_be_a_borger() -> None:
    as_other = Participant("t", "Testa  Fiktivsen", sector=Sector.ANDET)
    assert is_patient(as_other, "testa fiktivsen") and not is_patient(as_other)
    assert is_patient(BORGER) and is_patient(Participant("p", "Patienten"))
    assert not is_patient(KOMMUNE, "Testa Fiktivsen")
    content = MeetingContent(participants=(KOMMUNE, REGION, as_other))
    texts = [w.text for w in check_meeting(meeting_record(content), patient_name="Testa Fiktivsen") if w.rule == "C1"]
    assert texts == ["Vælg sektoren Borger for patienten (Testa  Fiktivsen)."]
    me = patient_participant(" Testa   Fiktivsen ")
    assert (me.name, me.sector, me.role, len(me.key)) == ("Testa Fiktivsen", Sector.BORGER, "patient", 32)


# -- who gets the referat (C7) ----------------------------------------------------------------------------------------
def test_c7_a_participant_left_out_of_the_referat_is_told_why() -> None:
    with_mail = Participant("k", "Kis", email="kis@example.dk")
    assert referat_exclusion(with_mail) == ""
    assert "afbud" in referat_exclusion(Participant("s", "Søster", email="s@example.dk", present=False))
    assert "samtykke (C7)" in referat_exclusion(Participant("s", "Søster", present=False))
    assert referat_exclusion(Participant("r", "Rie")).startswith("Ingen e-mail registreret")
    assert "udlever referatet til patienten" in referat_exclusion(BORGER)
