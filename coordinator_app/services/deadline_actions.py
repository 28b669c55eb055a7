"""The action that fulfils a deadline (issue 16): every deadline row in I dag and Overblik carries it, one click away.

Which action fulfils a deadline is the rule table's own answer: ``rules.Rule.fulfilled_by`` names the event or
milestone that meets it, and each of those has one place in the program where it is recorded —

* a scenario assessment (A1) → the scenario wizard, *Vurder scenarie…*;
* a sending to the kommune (B1–B3 orientering, B5 varsling and færdigmelding, B4/B9 orientering om udskrivning) →
  the Send dialog for that notification;
* a netværksmøde held (C2–C4) → *Nyt netværksmøde…* (the schedule dialog);
* an udskrivningsaftale or koordinationsplan in force (E1, E2) → the plan editor;
* a milestone that is only a note (``rules.NOTE_MILESTONES``: A3 udskrivningskoordinator, A4 children checked or
  underretning sent, D1 epikrise, D2 GP dialogue, D4 genoptræningsplan, D6, D8, D9) → *Registrér som udført…*
  (``services.milestones``; the action names the rule, the dialog offers the rule's note milestones);
* an admission whose history cannot be replayed → *Ret indlæggelse…* (the error row of I dag).

Only the ward's own duties (``responsible == "center"``) carry an action; the kommune's and the GP's (D3, D5, D7,
G1, G2), G3's escalation (a disagreement the program does not record) and an agreement from a netværksmøde have
none: the row opens the admission. Whether the action is allowed *now* (the process, the scenario, the role) is the
services' answer (``OverviewService.action_refusals``): the UI greys it out with the reason, or says it when clicked.

Pure and SQLAlchemy-free: the first screen (``services.ward_view``) builds the I dag rows with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coordinator_app.domain.model import EventKind
from coordinator_app.domain.rules import NOTE_MILESTONES, RULES_BY_KEY, Milestone

__all__ = [
    "HISTORY_ERROR",
    "SEND_LABELS",
    "ActionKind",
    "DeadlineAction",
    "action_for",
    "all_actions",
    "record_milestones",
    "record_rules",
]

#: ``TodayItem.kind`` of an admission whose history cannot be replayed (an error to fix, not a deadline).
HISTORY_ERROR = "historik_fejl"
_CENTER = "center"
_PLAN_ENDS = "plan_udloeber"  # E3: an end date, not an action


class ActionKind(StrEnum):
    ASSESS = "vurder_scenarie"  # the scenario wizard
    SEND = "send"  # the Send dialog for ``DeadlineAction.event``
    MEETING = "nyt_netvaerksmoede"  # the schedule dialog of a new netværksmøde
    PLAN = "plan"  # the plan editor: the draft, else a new plan of the required kind
    EDIT = "ret_indlaeggelse"  # the admission form
    RECORD = "registrer"  # "Registrér som udført…": a milestone note (``DeadlineAction.rule``)


#: The Send menu's text for each notification a deadline asks for (``services.notifications.ACTIONS``; a test
#: keeps the two equal — that module loads the storage layer, this one must not).
SEND_LABELS: dict[EventKind, str] = {
    EventKind.ORIENTERING_INDLAEGGELSE: "Send orientering…",
    EventKind.VARSLING: "Send varsling…",
    EventKind.FAERDIGMELDING: "Send færdigmelding…",
    EventKind.I_BERO: "Sæt færdigmelding i bero…",
    EventKind.GENOPTAGET: "Genoptag færdigmelding…",
    EventKind.AFMELDING: "Afmeld færdigmelding…",
    EventKind.ORIENTERING_UDSKRIVNING: "Orientér om udskrivning…",
    EventKind.DISCHARGE: "Udskriv patienten…",
}


@dataclass(frozen=True, slots=True)
class DeadlineAction:
    """What fulfils a deadline: ``label`` is the button's Danish text, ``hint`` its tooltip."""

    kind: ActionKind
    label: str
    hint: str
    event: EventKind | None = None  # SEND: the notification
    rule: str | None = None  # RECORD: the rule key (``Deadline.kind``) whose note milestone is recorded


ASSESS = DeadlineAction(
    ActionKind.ASSESS, "Vurder scenarie…", "Åbner guiden Vurder scenarie: spørgsmålene i samarbejdsaftalen (A1, B1–B5)."
)
MEETING = DeadlineAction(
    ActionKind.MEETING,
    "Nyt netværksmøde…",
    "Planlæg et netværksmøde (C2–C4). Et møde, der allerede er planlagt, holdes fra fanen Møder.",
)
EDIT = DeadlineAction(
    ActionKind.EDIT,
    "Ret indlæggelse…",
    "Ret indlæggelsesdatoen eller udskrivningsdatoen, så hændelserne ligger inden for indlæggelsen – eller korrigér "
    "hændelsen under Historik.",
)
PLANS: dict[str, DeadlineAction] = {
    "udskrivningsaftale": DeadlineAction(
        ActionKind.PLAN,
        "Lav udskrivningsaftale…",
        "Åbner udskrivningsaftalen i editoren (E1): kladden, hvis der er en, ellers en ny.",
    ),
    "koordinationsplan": DeadlineAction(
        ActionKind.PLAN,
        "Lav koordinationsplan…",
        "Åbner koordinationsplanen i editoren (E2): kladden, hvis der er en, ellers en ny.",
    ),
}
_PLAN_MILESTONES = frozenset({Milestone.UDSKRIVNINGSAFTALE.value, Milestone.KOORDINATIONSPLAN.value})


RECORD_LABEL = "Registrér som udført…"


def record_milestones(rule_key: str) -> tuple[Milestone, ...]:
    """The note milestones (``rules.NOTE_MILESTONES``) that fulfil the rule, in the rule table's order."""
    rule = RULES_BY_KEY.get(rule_key)
    if rule is None:
        return ()
    return tuple(Milestone(m) for m in rule.fulfilled_by if m in NOTE_MILESTONES)


def _record(rule_key: str) -> DeadlineAction:
    rule = RULES_BY_KEY[rule_key]
    return DeadlineAction(
        ActionKind.RECORD,
        RECORD_LABEL,
        f"Registrér, at opgaven er udført ({rule.rule_id}): hvornår, og hvad der er gjort. "
        "Notatet kommer i historikken.",
        rule=rule_key,
    )


def _send(kind: EventKind) -> DeadlineAction:
    return DeadlineAction(ActionKind.SEND, SEND_LABELS[kind], f"Åbner dialogen «{SEND_LABELS[kind]}».", event=kind)


def action_for(kind: str) -> DeadlineAction | None:
    """The action that fulfils a deadline of this ``Deadline.kind`` (a rule key), ``EDIT`` for ``HISTORY_ERROR``,
    None when no action of the program records its fulfilment (see the module docstring)."""
    if kind == HISTORY_ERROR:
        return EDIT
    rule = RULES_BY_KEY.get(kind)
    if rule is None or rule.responsible != _CENTER or rule.key == _PLAN_ENDS:
        return None
    for fulfilment in rule.fulfilled_by:
        if fulfilment == EventKind.SCENARIO_ASSESSED:
            return ASSESS
        if fulfilment in SEND_LABELS:
            return _send(EventKind(fulfilment))
        if fulfilment == EventKind.MEETING_HELD:
            return MEETING
        if fulfilment in _PLAN_MILESTONES:
            return PLANS.get(rule.key)
        if fulfilment in NOTE_MILESTONES:
            return _record(rule.key)
    return None


def record_rules() -> tuple[str, ...]:
    """The rule keys whose action is *Registrér som udført…*, in the rule table's order (the Send menu lists them:
    the undated ones without a special group, D4 and D9, have no row or reminder to carry it)."""
    return tuple(key for key in RULES_BY_KEY if (a := action_for(key)) is not None and a.kind is ActionKind.RECORD)


def all_actions() -> tuple[DeadlineAction, ...]:
    """Every action a deadline row can carry, once each (what a column of them must have room for)."""
    found = (action_for(key) for key in (*RULES_BY_KEY, HISTORY_ERROR))
    return tuple(dict.fromkeys(a for a in found if a is not None))
