"""No edit of an admission's dates may make its history unreadable (issue 16): an event outside the admission is
named, and an admission that is already unreadable may still be edited — to be fixed. Pure domain, no database."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from engine_helpers import admission, ev

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.history_edits import DEFINITE, check_admission_edit, event_name, history_problem
from coordinator_app.domain.model import Admission, EventKind

K = EventKind
D = date
ADMITTED = D(2026, 11, 2)
ORIENTERING = ev(K.ORIENTERING_INDLAEGGELSE, D(2026, 11, 3))
VARSLING = ev(K.VARSLING, D(2026, 11, 10))


def moved(admitted: date = ADMITTED, discharged: date | None = None) -> Admission:
    return dataclasses.replace(admission(ADMITTED), admitted=admitted, discharged=discharged)


def test_moving_the_admission_date_after_an_event_is_refused_naming_the_event() -> None:
    with pytest.raises(ValidationError) as info:
        check_admission_edit(admission(ADMITTED), moved(admitted=D(2026, 11, 5)), [ORIENTERING, VARSLING])
    assert info.value.field == "admitted"
    assert info.value.message == (
        "Orienteringen ved indlæggelse 03-11-2026 ligger før den nye indlæggelsesdato 05-11-2026. Vælg en "
        "indlæggelsesdato senest 03-11-2026, eller korrigér hændelsen under Historik først. Intet er gemt."
    )


def test_the_message_counts_the_other_events_in_the_way() -> None:
    with pytest.raises(ValidationError) as info:
        check_admission_edit(admission(ADMITTED), moved(admitted=D(2026, 11, 12)), [ORIENTERING, VARSLING])
    assert "Orienteringen ved indlæggelse 03-11-2026 ligger før den nye indlæggelsesdato 12-11-2026 (og 1 anden " \
        "hændelse)." in info.value.message  # fmt: skip


@pytest.mark.parametrize("new", [D(2026, 11, 3), D(2026, 10, 28)])
def test_an_admission_date_on_or_before_the_first_event_is_accepted(new: date) -> None:
    check_admission_edit(admission(ADMITTED), moved(admitted=new), [ORIENTERING, VARSLING])


def test_a_corrected_event_is_not_in_the_way() -> None:
    fix = ev(K.CORRECTION, D(2026, 11, 4), corrects=ORIENTERING.id)
    check_admission_edit(admission(ADMITTED), moved(admitted=D(2026, 11, 4)), [ORIENTERING, fix])


def test_a_discharge_date_before_a_sending_is_refused_naming_the_last_one() -> None:
    with pytest.raises(ValidationError) as info:
        check_admission_edit(admission(ADMITTED), moved(discharged=D(2026, 11, 6)), [ORIENTERING, VARSLING])
    assert info.value.field == "discharged"
    assert info.value.message.startswith(
        "Varslingen 10-11-2026 ligger efter den nye udskrivningsdato 06-11-2026. Vælg en udskrivningsdato tidligst "
        "10-11-2026"
    )


def test_notes_and_meetings_may_follow_the_discharge() -> None:
    """C3/C4 meetings and notes (D1 epikrise, D5 follow-up) belong after the discharge."""
    after = [ORIENTERING, ev(K.MEETING_INVITED, D(2026, 11, 9)), ev(K.NOTE, D(2026, 11, 10))]
    check_admission_edit(admission(ADMITTED), moved(discharged=D(2026, 11, 6)), after)


def test_an_edit_that_keeps_the_dates_is_never_refused_even_of_an_unreadable_history() -> None:
    """Data from before the guard: the coordinator must be able to open the form and fix it."""
    broken = moved(admitted=D(2026, 11, 5))
    assert history_problem(broken, [ORIENTERING]) is not None
    check_admission_edit(broken, dataclasses.replace(broken, involuntary=True), [ORIENTERING])


def test_fixing_an_unreadable_history_is_accepted_and_a_new_reason_is_refused() -> None:
    broken = moved(admitted=D(2026, 11, 5))
    check_admission_edit(broken, moved(admitted=D(2026, 11, 3)), [ORIENTERING])  # fixed
    check_admission_edit(broken, moved(admitted=D(2026, 11, 4)), [ORIENTERING])  # still the same event: no worse
    with pytest.raises(ValidationError):
        check_admission_edit(broken, moved(admitted=D(2026, 11, 3), discharged=D(2026, 11, 3)), [ORIENTERING, VARSLING])


def test_the_replay_catches_what_the_named_checks_do_not() -> None:
    """Events inside the admission that the process cannot replay: the process's own Danish reason, with its rule."""
    afmelding = [ev(K.AFMELDING, D(2026, 11, 4))]  # an afmelding of someone never færdigmeldt
    problem = history_problem(admission(ADMITTED), afmelding)
    assert problem is not None and problem[0].startswith("replay:")
    assert problem[2] == "Afmelding kræver, at patienten er færdigmeldt – patienten er indlagt (B7)."


def test_every_event_kind_has_a_danish_name() -> None:
    assert set(DEFINITE) == set(EventKind)
    assert event_name(K.ORIENTERING_INDLAEGGELSE) == "Orienteringen ved indlæggelse"
