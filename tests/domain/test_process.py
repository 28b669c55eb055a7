"""The færdigmelding process (B1–B9, E3): every legal and illegal move, corrections, ordering."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from engine_helpers import admission, ev

from coordinator_app.domain.errors import ProcessError
from coordinator_app.domain.model import Event, EventKind
from coordinator_app.domain.process import (
    NEUTRAL_KINDS,
    STATUS_LABELS,
    TRANSITIONS,
    Period,
    ProcessState,
    Status,
    allowed_actions,
    check_transition,
    correction_refusal,
    effective_events,
    replay,
)

K = EventKind
S = Status
D = date
ADMITTED = D(2024, 5, 1)

PATHS: dict[Status, list[EventKind]] = {
    S.INDLAGT: [],
    S.ORIENTERET: [K.ORIENTERING_INDLAEGGELSE],
    S.VARSLET: [K.ORIENTERING_INDLAEGGELSE, K.VARSLING],
    S.FAERDIGMELDT: [K.ORIENTERING_INDLAEGGELSE, K.VARSLING, K.FAERDIGMELDING],
    S.I_BERO: [K.ORIENTERING_INDLAEGGELSE, K.VARSLING, K.FAERDIGMELDING, K.I_BERO],
    S.AFMELDT: [K.ORIENTERING_INDLAEGGELSE, K.VARSLING, K.FAERDIGMELDING, K.AFMELDING],
    S.UDSKREVET: [K.ORIENTERING_INDLAEGGELSE, K.DISCHARGE],
}


def history(kinds: list[EventKind], start: date = ADMITTED) -> list[Event]:
    """One event a day from ``start``."""
    return [ev(kind, start + timedelta(days=i)) for i, kind in enumerate(kinds)]


def state_in(status: Status) -> ProcessState:
    state = replay(admission(ADMITTED), history(PATHS[status]))
    assert state.status is status
    return state


LEGAL: list[tuple[Status, EventKind, Status]] = [
    (S.INDLAGT, K.ORIENTERING_INDLAEGGELSE, S.ORIENTERET),
    (S.INDLAGT, K.VARSLING, S.VARSLET),
    (S.INDLAGT, K.FAERDIGMELDING, S.FAERDIGMELDT),  # allowed but late: B5 varsling missed
    (S.INDLAGT, K.ORIENTERING_UDSKRIVNING, S.INDLAGT),
    (S.INDLAGT, K.DISCHARGE, S.UDSKREVET),
    (S.ORIENTERET, K.ORIENTERING_INDLAEGGELSE, S.ORIENTERET),
    (S.ORIENTERET, K.VARSLING, S.VARSLET),
    (S.ORIENTERET, K.FAERDIGMELDING, S.FAERDIGMELDT),
    (S.ORIENTERET, K.ORIENTERING_UDSKRIVNING, S.ORIENTERET),
    (S.ORIENTERET, K.DISCHARGE, S.UDSKREVET),
    (S.VARSLET, K.ORIENTERING_INDLAEGGELSE, S.VARSLET),
    (S.VARSLET, K.VARSLING, S.VARSLET),
    (S.VARSLET, K.FAERDIGMELDING, S.FAERDIGMELDT),
    (S.VARSLET, K.ORIENTERING_UDSKRIVNING, S.VARSLET),
    (S.VARSLET, K.DISCHARGE, S.UDSKREVET),
    (S.FAERDIGMELDT, K.I_BERO, S.I_BERO),
    (S.FAERDIGMELDT, K.AFMELDING, S.AFMELDT),
    (S.FAERDIGMELDT, K.ORIENTERING_UDSKRIVNING, S.FAERDIGMELDT),
    (S.FAERDIGMELDT, K.DISCHARGE, S.UDSKREVET),
    (S.I_BERO, K.GENOPTAGET, S.FAERDIGMELDT),
    (S.I_BERO, K.AFMELDING, S.AFMELDT),
    (S.I_BERO, K.ORIENTERING_UDSKRIVNING, S.I_BERO),
    (S.I_BERO, K.DISCHARGE, S.UDSKREVET),
    (S.AFMELDT, K.VARSLING, S.VARSLET),
    (S.AFMELDT, K.FAERDIGMELDING, S.FAERDIGMELDT),
    (S.AFMELDT, K.ORIENTERING_INDLAEGGELSE, S.AFMELDT),
    (S.AFMELDT, K.ORIENTERING_UDSKRIVNING, S.AFMELDT),
    (S.AFMELDT, K.DISCHARGE, S.UDSKREVET),
    (S.UDSKREVET, K.READMISSION, S.UDSKREVET),
]


@pytest.mark.parametrize(("start", "kind", "end"), LEGAL, ids=[f"{a}-{k}" for a, k, _ in LEGAL])
def test_legal_transition(start: Status, kind: EventKind, end: Status) -> None:
    kinds = [*PATHS[start], kind]
    assert replay(admission(ADMITTED), history(kinds)).status is end


def test_the_legal_table_is_the_whole_state_machine() -> None:
    assert {(a, k) for a, k, _ in LEGAL} == set(TRANSITIONS)


ILLEGAL: list[tuple[Status, EventKind, str, str]] = [
    (S.INDLAGT, K.I_BERO, "B6", "Kun en færdigmelding kan sættes i bero"),
    (S.INDLAGT, K.GENOPTAGET, "B6", "ingen færdigmelding i bero"),
    (S.INDLAGT, K.AFMELDING, "B7", "kræver, at patienten er færdigmeldt"),
    (S.INDLAGT, K.READMISSION, "E3", "kun registreres efter udskrivning"),
    (S.ORIENTERET, K.AFMELDING, "B7", "kræver, at patienten er færdigmeldt"),
    (S.VARSLET, K.I_BERO, "B6", "Kun en færdigmelding"),
    (S.VARSLET, K.GENOPTAGET, "B6", "ingen færdigmelding i bero"),
    (S.FAERDIGMELDT, K.FAERDIGMELDING, "B5", "allerede færdigmeldt"),
    (S.FAERDIGMELDT, K.VARSLING, "B5", "før færdigmeldingen"),
    (S.FAERDIGMELDT, K.ORIENTERING_INDLAEGGELSE, "A1", "før færdigmeldingen"),
    (S.FAERDIGMELDT, K.GENOPTAGET, "B6", "ingen færdigmelding i bero"),
    (S.I_BERO, K.I_BERO, "B6", "allerede i bero"),
    (S.I_BERO, K.FAERDIGMELDING, "B5", "allerede færdigmeldt"),
    (S.AFMELDT, K.AFMELDING, "B7", "allerede afmeldt"),
    (S.AFMELDT, K.I_BERO, "B6", "Kun en færdigmelding"),
    (S.AFMELDT, K.GENOPTAGET, "B6", "ingen færdigmelding i bero"),
    (S.UDSKREVET, K.VARSLING, "B5", "efter udskrivning"),
    (S.UDSKREVET, K.FAERDIGMELDING, "B5", "efter udskrivning"),
    (S.UDSKREVET, K.AFMELDING, "B7", "efter udskrivning"),
    (S.UDSKREVET, K.DISCHARGE, "B9", "efter udskrivning"),
    (S.UDSKREVET, K.ORIENTERING_INDLAEGGELSE, "A1", "efter udskrivning"),
    (S.UDSKREVET, K.EXPECTED_FAERDIGBEHANDLET, "B5", "efter udskrivning"),
    (S.UDSKREVET, K.SCENARIO_ASSESSED, "A1", "efter udskrivning"),
]


@pytest.mark.parametrize(("start", "kind", "rule", "text"), ILLEGAL, ids=[f"{a}-{k}" for a, k, _, _ in ILLEGAL])
def test_illegal_transition_names_the_rule_in_danish(start: Status, kind: EventKind, rule: str, text: str) -> None:
    state = state_in(start)
    with pytest.raises(ProcessError, match=text) as caught:
        check_transition(state, kind, ADMITTED + timedelta(days=20))
    assert caught.value.rule == rule
    assert allowed_actions(state)[kind] == caught.value.message


@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_agree_with_check_transition(status: Status) -> None:
    state = state_in(status)
    for kind, reason in allowed_actions(state).items():
        if reason is None:
            check_transition(state, kind, ADMITTED + timedelta(days=20))
        else:
            with pytest.raises(ProcessError):
                check_transition(state, kind, ADMITTED + timedelta(days=20))


@pytest.mark.parametrize("status", [s for s in Status if s is not S.UDSKREVET])
def test_notes_and_assessments_never_change_status_before_discharge(status: Status) -> None:
    kinds = [*PATHS[status], *sorted(NEUTRAL_KINDS)]
    assert replay(admission(ADMITTED), history(kinds)).status is status


@pytest.mark.parametrize("kind", [K.NOTE, K.MEETING_INVITED, K.MEETING_HELD])
def test_meetings_and_notes_are_allowed_after_discharge(kind: EventKind) -> None:
    """C3/C4: a netværksmøde may follow discharge; D1/D3/D5 follow-up is recorded as notes."""
    assert allowed_actions(state_in(S.UDSKREVET))[kind] is None


def test_faerdigmelding_before_admission_date_is_refused() -> None:
    with pytest.raises(ProcessError, match="før indlæggelsesdatoen") as caught:
        check_transition(state_in(S.VARSLET), K.FAERDIGMELDING, ADMITTED - timedelta(days=1))
    assert caught.value.rule == "B5"


def test_a_history_with_an_event_before_admission_cannot_be_replayed() -> None:
    with pytest.raises(ProcessError):
        replay(admission(ADMITTED), [ev(K.VARSLING, ADMITTED - timedelta(days=3))])


def test_afmelding_of_someone_never_faerdigmeldt_makes_the_history_illegal() -> None:
    with pytest.raises(ProcessError) as caught:
        replay(admission(ADMITTED), history([K.ORIENTERING_INDLAEGGELSE, K.AFMELDING]))
    assert caught.value.rule == "B7"
    assert "(B7)" in str(caught.value)


def test_a_status_change_dated_before_the_last_one_is_refused() -> None:
    state = state_in(S.VARSLET)  # varslet on 2 May
    with pytest.raises(ProcessError, match="seneste statusændring"):
        check_transition(state, K.FAERDIGMELDING, D(2024, 5, 1))


def test_correction_cancels_the_event_it_corrects() -> None:
    wrong = ev(K.FAERDIGMELDING, D(2024, 5, 10))
    fix = ev(K.CORRECTION, D(2024, 5, 11), corrects=wrong.id)
    state = replay(admission(ADMITTED), [ev(K.VARSLING, D(2024, 5, 2)), wrong, fix])
    assert state.status is S.VARSLET
    assert state.faerdigmeldt_periods == ()


def test_correcting_a_correction_restores_the_original() -> None:
    original = ev(K.FAERDIGMELDING, D(2024, 5, 10))
    first = ev(K.CORRECTION, D(2024, 5, 11), corrects=original.id)
    second = ev(K.CORRECTION, D(2024, 5, 12), corrects=first.id)
    assert replay(admission(ADMITTED), [original, first, second]).status is S.FAERDIGMELDT
    assert [e.id for e in effective_events([original, first, second])] == [original.id]


def test_correction_makes_an_otherwise_illegal_history_legal() -> None:
    """A mistaken discharge is corrected; the færdigmelding that follows is then legal."""
    discharge = ev(K.DISCHARGE, D(2024, 5, 5))
    events = [discharge, ev(K.CORRECTION, D(2024, 5, 5), hour=11, corrects=discharge.id)]
    events.append(ev(K.FAERDIGMELDING, D(2024, 5, 6)))
    assert replay(admission(ADMITTED), events).status is S.FAERDIGMELDT


def test_events_replay_in_time_then_id_order_whatever_order_they_arrive_in() -> None:
    same_moment = D(2024, 5, 3)
    varsling = ev(K.VARSLING, same_moment, event_id=10)
    faerdig = ev(K.FAERDIGMELDING, same_moment, event_id=11)
    later = ev(K.I_BERO, D(2024, 5, 4), event_id=5)
    assert replay(admission(ADMITTED), [later, faerdig, varsling]).status is S.I_BERO


def test_discharge_date_without_event_discharges_at_the_end() -> None:
    state = replay(admission(ADMITTED, discharged=D(2024, 5, 9)), history([K.FAERDIGMELDING]))
    assert (state.status, state.discharged) == (S.UDSKREVET, D(2024, 5, 9))
    assert state.faerdigmeldt_periods == (Period(ADMITTED, D(2024, 5, 9)),)


def test_periods_record_faerdigmeldt_i_bero_and_afmelding() -> None:
    kinds = [K.FAERDIGMELDING, K.I_BERO, K.GENOPTAGET, K.AFMELDING, K.VARSLING, K.FAERDIGMELDING, K.DISCHARGE]
    state = replay(admission(ADMITTED), history(kinds, start=D(2024, 5, 10)))
    assert state.faerdigmeldt_periods == (
        Period(D(2024, 5, 10), D(2024, 5, 11)),
        Period(D(2024, 5, 12), D(2024, 5, 13)),
        Period(D(2024, 5, 15), D(2024, 5, 16)),
    )
    assert state.bero_periods == (Period(D(2024, 5, 11), D(2024, 5, 12)),)
    assert state.afmeldt_on == (D(2024, 5, 13),)
    assert state.round_start == D(2024, 5, 13)
    assert state.varslet_on == D(2024, 5, 14)


def test_readmission_ends_the_plan_e3() -> None:
    state = replay(admission(ADMITTED), history([K.DISCHARGE, K.READMISSION]))
    assert state.readmitted == D(2024, 5, 2)


def test_status_labels_are_danish() -> None:
    assert [STATUS_LABELS[s] for s in Status] == [
        "Indlagt",
        "Orienteret",
        "Varslet",
        "Færdigmeldt",
        "I bero",
        "Afmeldt",
        "Udskrevet",
    ]
    assert all(s.value.isascii() and s.value.islower() for s in Status)


def test_an_event_is_corrected_once_and_a_correction_is_not_corrected() -> None:
    sent = ev(K.VARSLING, date(2024, 5, 6))
    note = ev(K.NOTE, date(2024, 5, 7))
    assert sent.id is not None
    correction = ev(K.CORRECTION, date(2024, 5, 8), corrects=sent.id)
    history = [sent, note, correction]
    assert correction_refusal(note, history) is None
    assert correction_refusal(sent, history) == "Hændelsen er allerede korrigeret."
    assert correction_refusal(correction, history) == "En korrektion kan ikke korrigeres her."
    assert correction_refusal(sent, [sent, note]) is None
