"""The færdigmelding process as a state machine (B1–B9, E3), replayed from an admission's events.

Status is never stored: ``replay`` walks the effective history in (occurred_at, id) order. CORRECTION events
cancel the event they correct (a correction of a correction restores the original).

Legal moves (anything else raises ``ProcessError`` naming the rule):

==================  ==============================================================================
from                event → to
==================  ==============================================================================
indlagt             orientering → orienteret; varsling → varslet; færdigmelding → færdigmeldt (late:
                    the B5 varsling shows as missed); orientering om udskrivning (stays); udskrivning
orienteret          orientering (stays); varsling → varslet; færdigmelding → færdigmeldt; orientering
                    om udskrivning (stays); udskrivning
varslet             orientering, varsling again (e.g. a new expected date), orientering om udskrivning
                    (all stay); færdigmelding → færdigmeldt; udskrivning
færdigmeldt         i bero → i bero (B6); afmelding → afmeldt (B7); orientering om udskrivning (stays);
                    udskrivning
i bero              genoptaget → færdigmeldt (B6); afmelding → afmeldt; orientering om udskrivning
                    (stays); udskrivning
afmeldt             varsling → varslet; færdigmelding → færdigmeldt (B7: new færdigmelding); orientering,
                    orientering om udskrivning (stay); udskrivning
udskrevet           genindlæggelse (stays; ends any udskrivningsaftale/koordinationsplan, E3)
==================  ==============================================================================

Notes, scenario assessments, expected-date changes and netværksmøder never change status and are allowed any
time before discharge; notes and netværksmøder also after it (C3/C4: a meeting may follow discharge, and
post-discharge duties such as the epikrise, D1, are recorded as notes). Nothing may be dated before admission.

The table is the order of events, whatever the scenario: a history stays readable when the assessment changes.
Whether a *new* varsling or færdigmelding may be sent also depends on the current scenario assessment (B1, B4,
B5) — ``sending.send_refusals``/``sending.check_send`` put that layer over ``allowed_actions``/``check_transition``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coordinator_app.domain.errors import ProcessError
from coordinator_app.domain.model import EVENT_LABELS, Admission, Event, EventKind
from coordinator_app.domain.workdays import local_date

K = EventKind


class Status(StrEnum):
    INDLAGT = "indlagt"
    ORIENTERET = "orienteret"
    VARSLET = "varslet"
    FAERDIGMELDT = "faerdigmeldt"
    I_BERO = "i_bero"
    AFMELDT = "afmeldt"
    UDSKREVET = "udskrevet"


STATUS_LABELS: dict[Status, str] = {
    Status.INDLAGT: "Indlagt",
    Status.ORIENTERET: "Orienteret",
    Status.VARSLET: "Varslet",
    Status.FAERDIGMELDT: "Færdigmeldt",
    Status.I_BERO: "I bero",
    Status.AFMELDT: "Afmeldt",
    Status.UDSKREVET: "Udskrevet",
}

S = Status
_BEFORE_FAERDIGMELDING = (S.INDLAGT, S.ORIENTERET, S.VARSLET, S.AFMELDT)
_ADMITTED = (*_BEFORE_FAERDIGMELDING, S.FAERDIGMELDT, S.I_BERO)

#: (from, event) → to. ``None`` as target means "status unchanged".
TRANSITIONS: dict[tuple[Status, EventKind], Status | None] = {
    **{(s, K.ORIENTERING_INDLAEGGELSE): None for s in _BEFORE_FAERDIGMELDING},
    (S.INDLAGT, K.ORIENTERING_INDLAEGGELSE): S.ORIENTERET,
    **{(s, K.VARSLING): S.VARSLET for s in _BEFORE_FAERDIGMELDING},
    **{(s, K.FAERDIGMELDING): S.FAERDIGMELDT for s in _BEFORE_FAERDIGMELDING},
    **{(s, K.ORIENTERING_UDSKRIVNING): None for s in _ADMITTED},
    **{(s, K.DISCHARGE): S.UDSKREVET for s in _ADMITTED},
    (S.FAERDIGMELDT, K.I_BERO): S.I_BERO,
    (S.I_BERO, K.GENOPTAGET): S.FAERDIGMELDT,
    (S.FAERDIGMELDT, K.AFMELDING): S.AFMELDT,
    (S.I_BERO, K.AFMELDING): S.AFMELDT,
    (S.UDSKREVET, K.READMISSION): None,
}

#: Never change status; allowed before discharge.
NEUTRAL_KINDS = frozenset({K.NOTE, K.SCENARIO_ASSESSED, K.EXPECTED_FAERDIGBEHANDLET, K.MEETING_INVITED, K.MEETING_HELD})
#: Also allowed after discharge (C3/C4 meetings; notes record D1/D3/D5 follow-up).
AFTER_DISCHARGE_KINDS = frozenset({K.NOTE, K.MEETING_INVITED, K.MEETING_HELD, K.CORRECTION})

KIND_RULES: dict[EventKind, str] = {
    K.ORIENTERING_INDLAEGGELSE: "A1",
    K.VARSLING: "B5",
    K.FAERDIGMELDING: "B5",
    K.I_BERO: "B6",
    K.GENOPTAGET: "B6",
    K.AFMELDING: "B7",
    K.ORIENTERING_UDSKRIVNING: "B9",
    K.DISCHARGE: "B9",
    K.READMISSION: "E3",
    K.MEETING_INVITED: "C2",
    K.MEETING_HELD: "C2",
    K.EXPECTED_FAERDIGBEHANDLET: "B5",
    K.SCENARIO_ASSESSED: "A1",
}


@dataclass(frozen=True, slots=True)
class Period:
    """Days from ``start``; ``end`` is the day the period stopped (``None`` while it lasts)."""

    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class ProcessState:
    admitted: date
    status: Status = Status.INDLAGT
    last_change: date | None = None  # date of the last status event
    varslet_on: date | None = None  # last varsling of the current round (after the last afmelding)
    faerdigmeldt_on: date | None = None  # færdigmelding of the current round
    faerdigmeldt_periods: tuple[Period, ...] = ()  # færdigmeldt and not i bero (bed days, B5/§238)
    bero_periods: tuple[Period, ...] = ()  # B6
    afmeldt_on: tuple[date, ...] = ()  # B7
    discharged: date | None = None
    readmitted: date | None = None  # E3

    @property
    def is_discharged(self) -> bool:
        return self.status is Status.UDSKREVET

    @property
    def round_start(self) -> date:
        """Start of the current orientering/varsling round: admission, or the last afmelding (B7)."""
        return self.afmeldt_on[-1] if self.afmeldt_on else self.admitted


def effective_events(events: Iterable[Event]) -> list[Event]:
    """The history without corrections and the events they cancel, in (occurred_at, id) order."""
    by_target: dict[int, list[Event]] = {}
    for e in events:
        if e.kind is K.CORRECTION and e.corrects_event_id is not None:
            by_target.setdefault(e.corrects_event_id, []).append(e)

    def cancelled(e: Event, depth: int = 0) -> bool:
        if e.id is None or depth > 50:
            return False
        return any(not cancelled(c, depth + 1) for c in by_target.get(e.id, ()))

    kept = [e for e in events if e.kind is not K.CORRECTION and not (by_target and cancelled(e))]
    kept.sort(key=lambda e: (e.occurred_at, e.id if e.id is not None else 0))
    return kept


def correction_refusal(event: Event, history: Iterable[Event]) -> str | None:
    """Why ``event`` cannot be corrected (Danish), ``None`` when it can: an event is corrected once, and a
    correction is not corrected (the history keeps both; a mistaken correction is a matter for a note)."""
    if event.id is None or any(e.corrects_event_id == event.id for e in history):
        return "Hændelsen er allerede korrigeret."
    if event.kind is K.CORRECTION:
        return "En korrektion kan ikke korrigeres her."
    return None


def _reason(state: ProcessState, kind: EventKind) -> str | None:
    """Danish reason ``kind`` is not allowed in ``state`` (``None`` when it is); dates not checked."""
    if kind is K.CORRECTION:
        return None
    if state.is_discharged:
        if kind in AFTER_DISCHARGE_KINDS or (state.status, kind) in TRANSITIONS:
            return None
        return (
            f"Patienten er udskrevet {state.discharged:%d-%m-%Y}; "
            f"{EVENT_LABELS[kind].lower()} kan ikke registreres efter udskrivning."
        )
    if kind in NEUTRAL_KINDS or (state.status, kind) in TRANSITIONS:
        return None
    label = STATUS_LABELS[state.status].lower()
    if kind is K.READMISSION:
        return "Genindlæggelse kan kun registreres efter udskrivning (E3)."
    if kind is K.FAERDIGMELDING:
        return "Patienten er allerede færdigmeldt. Send en afmelding, hvis behandlingen genoptages (B7)."
    if kind is K.VARSLING:
        return "Patienten er allerede færdigmeldt; varslingen skulle være sendt før færdigmeldingen (B5)."
    if kind is K.ORIENTERING_INDLAEGGELSE:
        return "Patienten er færdigmeldt; orientering ved indlæggelse hører til før færdigmeldingen (A1)."
    if kind is K.I_BERO:
        if state.status is S.I_BERO:
            return "Færdigmeldingen er allerede i bero (B6)."
        return f"Kun en færdigmelding kan sættes i bero – patienten er {label} (B6)."
    if kind is K.GENOPTAGET:
        return f"Der er ingen færdigmelding i bero at genoptage – patienten er {label} (B6)."
    if kind is K.AFMELDING:
        if state.status is S.AFMELDT:
            return "Færdigmeldingen er allerede afmeldt (B7)."
        return f"Afmelding kræver, at patienten er færdigmeldt – patienten er {label} (B7)."
    return f"{EVENT_LABELS[kind]} er ikke mulig, når patienten er {label}."


def check_transition(state: ProcessState, kind: EventKind, on: date) -> None:
    """Raise ``ProcessError`` (Danish, with the rule ID) if ``kind`` on ``on`` is not allowed in ``state``."""
    rule = KIND_RULES.get(kind)
    if kind is not K.CORRECTION and on < state.admitted:
        raise ProcessError(
            f"{EVENT_LABELS[kind]} ({on:%d-%m-%Y}) ligger før indlæggelsesdatoen {state.admitted:%d-%m-%Y}.",
            rule=rule,
        )
    reason = _reason(state, kind)
    if reason is not None:
        raise ProcessError(reason, rule=rule)
    if (state.status, kind) in TRANSITIONS and state.last_change is not None and on < state.last_change:
        raise ProcessError(
            f"{EVENT_LABELS[kind]} ({on:%d-%m-%Y}) ligger før den seneste statusændring "
            f"({state.last_change:%d-%m-%Y}). Ret den tidligere hændelse i stedet.",
            rule=rule,
        )


def allowed_actions(state: ProcessState) -> dict[EventKind, str | None]:
    """Every event kind → ``None`` if allowed now, else the Danish reason (a disabled button's tooltip)."""
    return {kind: _reason(state, kind) for kind in EventKind}


def _close(periods: tuple[Period, ...], on: date) -> tuple[Period, ...]:
    if periods and periods[-1].end is None:
        return (*periods[:-1], Period(periods[-1].start, on))
    return periods


def apply(state: ProcessState, kind: EventKind, on: date) -> ProcessState:
    """``state`` after ``kind`` on ``on``; raises ``ProcessError`` when not allowed."""
    check_transition(state, kind, on)
    key = (state.status, kind)
    if key not in TRANSITIONS:
        return state
    target = TRANSITIONS[key] or state.status
    s = dataclasses.replace(state, status=target, last_change=on)
    if kind is K.VARSLING:
        s = dataclasses.replace(s, varslet_on=on)
    elif kind is K.FAERDIGMELDING:
        periods = (*s.faerdigmeldt_periods, Period(on))
        s = dataclasses.replace(s, faerdigmeldt_on=on, faerdigmeldt_periods=periods)
    elif kind is K.I_BERO:
        s = dataclasses.replace(
            s,
            faerdigmeldt_periods=_close(s.faerdigmeldt_periods, on),
            bero_periods=(*s.bero_periods, Period(on)),
        )
    elif kind is K.GENOPTAGET:
        s = dataclasses.replace(
            s,
            bero_periods=_close(s.bero_periods, on),
            faerdigmeldt_periods=(*s.faerdigmeldt_periods, Period(on)),
        )
    elif kind in (K.AFMELDING, K.DISCHARGE):
        s = dataclasses.replace(
            s,
            faerdigmeldt_periods=_close(s.faerdigmeldt_periods, on),
            bero_periods=_close(s.bero_periods, on),
        )
        if kind is K.AFMELDING:
            s = dataclasses.replace(s, afmeldt_on=(*s.afmeldt_on, on), varslet_on=None, faerdigmeldt_on=None)
        else:
            s = dataclasses.replace(s, discharged=on)
    elif kind is K.READMISSION:
        s = dataclasses.replace(s, readmitted=on)
    return s


def replay(admission: Admission, events: Sequence[Event]) -> ProcessState:
    """The process state after the admission's effective history; ``ProcessError`` on an illegal history.

    An admission with a discharge date but no DISCHARGE event (imported/demo data) is discharged at the end.
    """
    return replay_effective(admission, effective_events(events))


def replay_effective(
    admission: Admission, history: Sequence[Event], days: Sequence[date] | None = None
) -> ProcessState:
    """``replay`` for a history already passed through ``effective_events``.

    ``days`` are the events' Danish dates (``local_date(occurred_at)``) when the caller has them already.
    Same result as folding ``apply`` over the history, without building a state per event: the legal moves
    are checked inline, and anything not plainly legal goes through ``check_transition`` for its exact
    Danish error.
    """
    if days is None:
        days = [local_date(event.occurred_at) for event in history]
    admitted = admission.admitted
    status = S.INDLAGT
    last_change: date | None = None
    varslet_on: date | None = None
    faerdigmeldt_on: date | None = None
    faerdigmeldt: list[Period] = []
    bero: list[Period] = []
    afmeldt: list[date] = []
    discharged: date | None = None
    readmitted: date | None = None

    def snapshot() -> ProcessState:
        return ProcessState(
            admitted=admitted,
            status=status,
            last_change=last_change,
            varslet_on=varslet_on,
            faerdigmeldt_on=faerdigmeldt_on,
            faerdigmeldt_periods=tuple(faerdigmeldt),
            bero_periods=tuple(bero),
            afmeldt_on=tuple(afmeldt),
            discharged=discharged,
            readmitted=readmitted,
        )

    for event, on in zip(history, days, strict=True):
        kind = event.kind
        key = (status, kind)
        moves = key in TRANSITIONS
        if (
            kind is not K.CORRECTION
            and (on < admitted or not (moves or kind in (_AFTER if status is S.UDSKREVET else NEUTRAL_KINDS)))
        ) or (moves and last_change is not None and on < last_change):
            check_transition(snapshot(), kind, on)  # raises the Danish reason
        if not moves:
            continue
        status = TRANSITIONS[key] or status
        last_change = on
        if kind is K.VARSLING:
            varslet_on = on
        elif kind is K.FAERDIGMELDING:
            faerdigmeldt_on = on
            faerdigmeldt.append(Period(on))
        elif kind is K.I_BERO:
            _close_open(faerdigmeldt, on)
            bero.append(Period(on))
        elif kind is K.GENOPTAGET:
            _close_open(bero, on)
            faerdigmeldt.append(Period(on))
        elif kind is K.AFMELDING or kind is K.DISCHARGE:
            _close_open(faerdigmeldt, on)
            _close_open(bero, on)
            if kind is K.AFMELDING:
                afmeldt.append(on)
                varslet_on = faerdigmeldt_on = None
            else:
                discharged = on
        elif kind is K.READMISSION:
            readmitted = on
    state = snapshot()
    if admission.discharged is not None and not state.is_discharged:
        state = apply(state, K.DISCHARGE, admission.discharged)
    return state


_AFTER = AFTER_DISCHARGE_KINDS


def _close_open(periods: list[Period], on: date) -> None:
    """``_close`` in place."""
    if periods and periods[-1].end is None:
        periods[-1] = Period(periods[-1].start, on)
