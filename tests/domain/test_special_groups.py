"""Special groups (A3–A5, B8, C9–C10, D2, D5–D8): recipients, dated duties and reminders."""

from __future__ import annotations

from datetime import date

import pytest
from engine_helpers import admission, ev, milestone

from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.model import DeadlineState, Event, EventKind
from coordinator_app.domain.rules import Milestone
from coordinator_app.domain.special_groups import (
    contact_kommune,
    homeless_kommune_known,
    recipient_kommune,
    recipient_role,
    reminders,
)
from coordinator_app.domain.workdays import WorkCalendar

K = EventKind
M = Milestone
D = date
CAL = WorkCalendar()
ADMITTED = D(2024, 5, 1)


@pytest.mark.parametrize(
    ("homeless", "handlekommune_known", "b5", "role"),
    [
        (False, False, False, "bopaelskommune"),
        (False, True, True, "bopaelskommune"),
        (True, False, False, "opholdskommune"),  # A5: handlekommune unknown
        (True, True, False, "handlekommune"),  # A5
        (True, True, True, "opholdskommune"),  # B5: last known opholdskommune
        (True, False, True, "opholdskommune"),
    ],
)
def test_recipient_role_a5_b5(homeless: bool, handlekommune_known: bool, b5: bool, role: str) -> None:
    assert recipient_role(homeless=homeless, handlekommune_known=handlekommune_known, b5=b5) == role


def test_recipient_kommune_looks_up_the_code() -> None:
    adm = admission(ADMITTED, homeless=True, opholdskommune="147", handlekommune="185")
    assert [recipient_kommune(adm, r) for r in ("bopaelskommune", "opholdskommune", "handlekommune", None)] == [
        "101",
        "147",
        "185",
        None,
    ]


def test_the_kommune_contacted_follows_the_homeless_answer_a5() -> None:
    both = admission(ADMITTED, opholdskommune="147", handlekommune="185")
    assert contact_kommune(both, homeless=False) == "101"
    assert contact_kommune(both, homeless=True) == "185"  # A5: the handlekommune when known
    assert contact_kommune(admission(ADMITTED, opholdskommune="147"), homeless=True) == "147"
    assert contact_kommune(admission(ADMITTED), homeless=True) is None  # not recorded


def test_a_homeless_patient_needs_an_opholdskommune_or_handlekommune() -> None:
    assert not homeless_kommune_known(admission(ADMITTED))
    assert homeless_kommune_known(admission(ADMITTED, opholdskommune="147"))
    assert homeless_kommune_known(admission(ADMITTED, handlekommune="185"))


@pytest.mark.parametrize(
    ("flags", "involuntary", "rule_ids"),
    [
        ({}, False, []),
        ({"homeless": True}, False, ["A5", "D7"]),
        ({"lab_par6": True}, False, ["A3"]),
        ({"botilbud": True}, False, []),  # D5 is a dated deadline after discharge
        ({"botilbud": True}, True, ["C9"]),
        ({"misbrug": True}, False, ["C10", "D6"]),
        ({"retslig_foranstaltning": True}, False, ["D8"]),
        ({"wants_to_leave": True}, False, ["B8", "E1", "E2"]),
        ({"multiple_antipsychotics": True}, False, ["D2"]),
        ({"children": True}, False, []),  # A4 is dated: check at admission, underretning in 24 h
    ],
)
def test_each_special_group_brings_its_reminders(
    flags: dict[str, bool], involuntary: bool, rule_ids: list[str]
) -> None:
    found = reminders(admission(ADMITTED, involuntary=involuntary, group_flags=flags), [])
    assert [r.rule_id for r in found] == rule_ids
    assert all(r.text and not r.done for r in found if r.rule_id != "A5")


@pytest.mark.parametrize(
    ("flags", "involuntary", "event", "rule_id"),
    [
        ({"lab_par6": True}, False, milestone(M.UDSKRIVNINGSKOORDINATOR, ADMITTED), "A3"),
        ({"botilbud": True}, True, ev(K.MEETING_HELD, D(2024, 5, 3)), "C9"),
        ({"misbrug": True}, False, ev(K.MEETING_HELD, D(2024, 5, 3)), "C10"),
        ({"misbrug": True}, False, milestone(M.MISBRUG_KONTAKT, D(2024, 5, 3)), "D6"),
        ({"multiple_antipsychotics": True}, False, milestone(M.GP_DIALOG, D(2024, 5, 3)), "D2"),
        ({"wants_to_leave": True}, False, milestone(M.SAMTYKKE, D(2024, 5, 3)), "B8"),
        ({"wants_to_leave": True}, False, milestone(M.KOORDINATIONSPLAN, D(2024, 5, 3)), "E2"),
        ({"retslig_foranstaltning": True}, False, milestone(M.KRIMINALFORSORGEN, D(2024, 5, 3)), "D8"),
        ({"homeless": True}, False, milestone(M.OPHOLDSSTED, D(2024, 5, 3)), "D7"),
    ],
)
def test_a_reminder_is_done_once_its_event_is_recorded(
    flags: dict[str, bool], involuntary: bool, event: Event, rule_id: str
) -> None:
    adm = admission(ADMITTED, involuntary=involuntary, group_flags=flags)
    done = {r.rule_id: r.done for r in reminders(adm, [event])}
    assert done[rule_id] is True


def test_a_corrected_milestone_does_not_count() -> None:
    note = milestone(M.GP_DIALOG, D(2024, 5, 3))
    fix = ev(K.CORRECTION, D(2024, 5, 3), hour=11, corrects=note.id)
    adm = admission(ADMITTED, multiple_antipsychotics=True)
    assert [r.done for r in reminders(adm, [note, fix])] == [False]


@pytest.mark.parametrize(
    ("ophold", "handle", "text", "done"),
    [
        (None, None, "registrér handlekommune eller senest kendte opholdskommune", False),
        ("147", None, "handlekommunen er ukendt – kontakt opholdskommunen", True),
        ("147", "185", "kontakt handlekommunen", True),
    ],
)
def test_homeless_reminder_says_whom_to_contact_a5(
    ophold: str | None, handle: str | None, text: str, done: bool
) -> None:
    adm = admission(ADMITTED, homeless=True, opholdskommune=ophold, handlekommune=handle)
    a5 = next(r for r in reminders(adm, []) if r.rule_id == "A5")
    assert text in a5.text and a5.done is done


def test_children_are_checked_on_the_admission_day_a4() -> None:
    adm = admission(ADMITTED, children=True)
    check = next(d for d in compute_deadlines(adm, [], CAL, ADMITTED) if d.kind == "boern_vurdering")
    assert (check.rule_id, check.due, check.state) == ("A4", ADMITTED, DeadlineState.DUE_TODAY)
    done = compute_deadlines(adm, [milestone(M.BOERN_VURDERET, ADMITTED)], CAL, ADMITTED)
    assert next(d for d in done if d.kind == "boern_vurdering").state is DeadlineState.MET


def test_underretning_is_assessed_by_the_kommune_within_24_hours_a4() -> None:
    adm = admission(ADMITTED, children=True)
    sent = milestone(M.UNDERRETNING_SENDT, D(2024, 5, 2), hour=14)
    found = {d.kind: d for d in compute_deadlines(adm, [sent], CAL, D(2024, 5, 2))}
    assert (found["underretning_vurdering"].due, found["underretning_vurdering"].responsible) == (
        D(2024, 5, 3),
        "kommune",
    )
    assert found["boern_vurdering"].state is DeadlineState.MET  # an underretning is a decision on the children
    assessed = [sent, milestone(M.UNDERRETNING_VURDERET, D(2024, 5, 3))]
    found = {d.kind: d for d in compute_deadlines(adm, assessed, CAL, D(2024, 5, 3))}
    assert found["underretning_vurdering"].state is DeadlineState.MET


@pytest.mark.parametrize(("concrete", "due"), [(False, D(2024, 5, 11)), (True, D(2024, 5, 15))])
def test_botilbud_follow_up_the_day_after_discharge_or_within_5_days_d5(concrete: bool, due: date) -> None:
    adm = admission(ADMITTED, botilbud=True)
    events = [ev(K.DISCHARGE, D(2024, 5, 10))]
    if concrete:
        events.append(milestone(M.BOTILBUD_KONKRET_VURDERING, D(2024, 5, 10), hour=11))
    follow = [d for d in compute_deadlines(adm, events, CAL, D(2024, 5, 11)) if d.rule_id == "D5"]
    assert [(d.due, d.responsible) for d in follow] == [(due, "botilbudsteam")]


def test_no_botilbud_follow_up_without_the_flag() -> None:
    found = compute_deadlines(admission(ADMITTED), [ev(K.DISCHARGE, D(2024, 5, 10))], CAL, D(2024, 5, 11))
    assert "D5" not in {d.rule_id for d in found}
