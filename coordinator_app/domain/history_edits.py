"""Edits of an admission that must keep its history readable (issue 16).

Status and deadlines are never stored: they are replayed from the admission's events (``process.replay``). An edit
of the admission itself — its admission date, its discharge date — could leave events outside the admission (an
orientering before the new admission date, a varsling after the new discharge date), and then the history can no
longer be replayed: the admission shows «Historik kan ikke læses» and nothing can be done with it. Such an edit is
refused here, before anything is written, naming the event that would fall outside; the user picks another date or
corrects the event first (Historik → Korrigér).

An admission whose history is already unreadable (data from before this guard) may still be edited — to be fixed;
an edit is refused only when it makes the history unreadable or unreadable for another reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from coordinator_app.domain.errors import ProcessError, ValidationError
from coordinator_app.domain.model import EVENT_LABELS, Admission, Event, EventKind
from coordinator_app.domain.process import AFTER_DISCHARGE_KINDS, effective_events, replay_effective
from coordinator_app.domain.workdays import local_date

__all__ = ["DEFINITE", "check_admission_edit", "event_name", "history_problem"]

K = EventKind

#: Each event kind as the subject of a Danish sentence («Orienteringen ved indlæggelse 03-11-2026 ligger …»).
DEFINITE: dict[EventKind, str] = {
    K.ORIENTERING_INDLAEGGELSE: "Orienteringen ved indlæggelse",
    K.VARSLING: "Varslingen",
    K.FAERDIGMELDING: "Færdigmeldingen",
    K.I_BERO: "Færdigmeldingen i bero",
    K.GENOPTAGET: "Genoptagelsen af færdigmeldingen",
    K.AFMELDING: "Afmeldingen af færdigmeldingen",
    K.ORIENTERING_UDSKRIVNING: "Orienteringen om udskrivning",
    K.MEETING_INVITED: "Indkaldelsen til netværksmøde",
    K.MEETING_HELD: "Netværksmødet",
    K.SCENARIO_ASSESSED: "Scenarievurderingen",
    K.EXPECTED_FAERDIGBEHANDLET: "Den lægelige vurdering af forventet færdigbehandlet",
    K.DISCHARGE: "Udskrivningen",
    K.READMISSION: "Genindlæggelsen",
    K.NOTE: "Notatet",
    K.CORRECTION: "Korrektionen",
}
#: Events that belong after the discharge, or are the discharge: never "after the discharge date".
_AFTER_OK = AFTER_DISCHARGE_KINDS | {K.DISCHARGE, K.READMISSION}


def event_name(kind: EventKind) -> str:
    """The event kind as the subject of a Danish sentence."""
    return DEFINITE.get(kind, f"Hændelsen «{EVENT_LABELS[kind]}»")


def _others(n: int) -> str:
    return "" if n == 0 else f" (og {n} {'anden hændelse' if n == 1 else 'andre hændelser'})"


def history_problem(
    admission: Admission, events: Sequence[Event], *, new_admitted: bool = False, new_discharged: bool = False
) -> tuple[str, str, str] | None:
    """Why ``admission``'s history cannot be read with its dates, or None when it can: ``(what, field, Danish
    message)``. ``what`` identifies the problem (the same problem gives the same ``what``); ``field`` is the form
    field to change ("admitted" or "discharged"); the message names the first event in the way, and says "den nye"
    of a date the user has just changed (``new_admitted``, ``new_discharged``)."""
    history = effective_events(events)
    days = [local_date(e.occurred_at) for e in history]
    admitted = admission.admitted
    before = [(e, d) for e, d in zip(history, days, strict=True) if d < admitted]
    if before:
        event, day = before[0]
        which = "den nye indlæggelsesdato" if new_admitted else "indlæggelsesdatoen"
        return (
            f"before:{event.id}",
            "admitted",
            f"{event_name(event.kind)} {day:%d-%m-%Y} ligger før {which} {admitted:%d-%m-%Y}"
            f"{_others(len(before) - 1)}. Vælg en indlæggelsesdato senest {day:%d-%m-%Y}, eller korrigér "
            "hændelsen under Historik først.",
        )
    discharged = admission.discharged
    if discharged is not None:
        after = [(e, d) for e, d in zip(history, days, strict=True) if d > discharged and e.kind not in _AFTER_OK]
        if after:
            event, day = after[-1]
            which = "den nye udskrivningsdato" if new_discharged else "udskrivningsdatoen"
            return (
                f"after:{event.id}",
                "discharged",
                f"{event_name(event.kind)} {day:%d-%m-%Y} ligger efter {which} {discharged:%d-%m-%Y}"
                f"{_others(len(after) - 1)}. Vælg en udskrivningsdato tidligst {day:%d-%m-%Y}, eller korrigér "
                "hændelsen under Historik først.",
            )
    try:
        replay_effective(admission, history, days)
    except ProcessError as exc:
        return f"replay:{exc.message}", "discharged" if discharged is not None else "admitted", exc.message
    return None


def check_admission_edit(current: Admission, edited: Admission, events: Sequence[Event]) -> None:
    """Refuse (``ValidationError`` on the field to change) an edit of ``current`` into ``edited`` that would make
    the history unreadable, or unreadable for another reason than it already is. Only the dates matter: an edit
    that keeps them is never refused here."""
    if (edited.admitted, edited.discharged) == (current.admitted, current.discharged):
        return
    problem = history_problem(
        edited,
        events,
        new_admitted=edited.admitted != current.admitted,
        new_discharged=edited.discharged != current.discharged,
    )
    if problem is None:
        return
    was = history_problem(current, events)
    if was is not None and was[0] == problem[0]:
        return  # already unreadable for this very reason: the edit does not make it worse
    _what, field, message = problem
    raise ValidationError(f"{message} Intet er gemt.", field=field)
