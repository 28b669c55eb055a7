"""Special groups (A3–A5, B8, C9–C10, D2, D5–D8, E1–E2): who is contacted, and the undated duties they bring.

Dated duties of the groups (A4 children check and 24-hour underretning assessment, D5 botilbud follow-up)
are deadlines in ``deadlines.py``; the duties with no number are ``Reminder``s here, each marked done once the
event or milestone that fulfils it (``rules.Rule.fulfilled_by``) is in the history.

Recipient (A5, B5): the bopælskommune, except for homeless patients. Their varsling and færdigmelding go to
the *last known opholdskommune* (B5); other contact goes to the *handlekommune* when known, else the
opholdskommune (A5, source footnote 13).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coordinator_app.domain.model import Admission, Event
from coordinator_app.domain.process import effective_events
from coordinator_app.domain.rules import RULES, Rule

BOPAELSKOMMUNE = "bopaelskommune"
OPHOLDSKOMMUNE = "opholdskommune"
HANDLEKOMMUNE = "handlekommune"

RECIPIENT_LABELS: dict[str, str] = {
    BOPAELSKOMMUNE: "Bopælskommune",
    OPHOLDSKOMMUNE: "Opholdskommune",
    HANDLEKOMMUNE: "Handlekommune",
}


def recipient_role(*, homeless: bool, handlekommune_known: bool = False, b5: bool = False) -> str:
    """Which kommune: A5 for contact and orientering, B5 (``b5=True``) for varsling/færdigmelding."""
    if not homeless:
        return BOPAELSKOMMUNE
    if b5 or not handlekommune_known:
        return OPHOLDSKOMMUNE
    return HANDLEKOMMUNE


def kommune_of(bopaelskommune: str, opholdskommune: str | None, *, homeless: bool) -> str:
    """The kommune an admission's figures belong to: the B5 recipient — the last known opholdskommune for a
    homeless patient (when recorded), else the bopælskommune."""
    if recipient_role(homeless=homeless, b5=True) == OPHOLDSKOMMUNE and opholdskommune:
        return opholdskommune
    return bopaelskommune


def responsible_kommune(admission: Admission) -> str:
    """``kommune_of`` for an admission."""
    return kommune_of(admission.bopaelskommune, admission.opholdskommune, homeless=admission.flags.homeless)


def recipient_kommune(admission: Admission, role: str | None) -> str | None:
    """The kommunekode behind a recipient role (``None`` when that kommune is not recorded)."""
    if role == BOPAELSKOMMUNE:
        return admission.bopaelskommune
    if role == OPHOLDSKOMMUNE:
        return admission.opholdskommune
    if role == HANDLEKOMMUNE:
        return admission.handlekommune
    return None


def contact_role(admission: Admission) -> str:
    """A5: the role to contact for this admission."""
    known = admission.handlekommune is not None
    return recipient_role(homeless=admission.flags.homeless, handlekommune_known=known)


def contact_kommune(admission: Admission, *, homeless: bool) -> str | None:
    """A5, B5: the kommunekode the center contacts (consent, orientering) if the patient is (not) ``homeless`` –
    an answer not yet saved on the admission; ``None`` when that kommune is not recorded."""
    role = recipient_role(homeless=homeless, handlekommune_known=admission.handlekommune is not None)
    return recipient_kommune(admission, role)


def homeless_kommune_known(admission: Admission) -> bool:
    """A5, B5: a homeless patient is contacted through the opholdskommune or the handlekommune – is either
    recorded on the admission?"""
    return bool(admission.opholdskommune or admission.handlekommune)


def notify_role(admission: Admission) -> str:
    """B5: the role a varsling/færdigmelding goes to."""
    return recipient_role(homeless=admission.flags.homeless, b5=True)


#: Group name (``Rule.group``) → does it apply to this admission?
GROUPS: dict[str, Callable[[Admission], bool]] = {
    "homeless": lambda a: a.flags.homeless,
    "botilbud": lambda a: a.flags.botilbud,
    "botilbud_tvang": lambda a: a.flags.botilbud and a.involuntary,
    "misbrug": lambda a: a.flags.misbrug,
    "retslig_foranstaltning": lambda a: a.flags.retslig_foranstaltning,
    "children": lambda a: a.flags.children,
    "lab_par6": lambda a: a.flags.lab_par6,
    "wants_to_leave": lambda a: a.flags.wants_to_leave,
    "multiple_antipsychotics": lambda a: a.flags.multiple_antipsychotics,
}

#: Extra reminders for a group beyond its own rules: B8 brings E1/E2 (a plan is needed as a rule).
EXTRA_FOR_GROUP: dict[str, tuple[str, ...]] = {"wants_to_leave": ("udskrivningsaftale", "koordinationsplan")}


@dataclass(frozen=True, slots=True)
class Reminder:
    rule_id: str
    text: str  # Danish
    done: bool = False
    key: str = ""  # the rule entry (rules.RULES_BY_KEY)


def markers(event: Event) -> set[str]:
    """What an event stands for: its kind, plus ``data["milestone"]`` when present."""
    out = {event.kind.value}
    milestone = event.data.get("milestone") if event.data else None
    if isinstance(milestone, str):
        out.add(milestone)
    return out


def _fulfilled(rule: Rule, seen: set[str]) -> bool:
    return any(m in seen for m in rule.fulfilled_by)


def _a5_text(admission: Admission) -> str:
    if admission.handlekommune:
        return "Hjemløs: kontakt handlekommunen (A5)"
    if admission.opholdskommune:
        return "Hjemløs: handlekommunen er ukendt – kontakt opholdskommunen (A5)"
    return "Hjemløs: registrér handlekommune eller senest kendte opholdskommune (A5, B5)"


def reminders(admission: Admission, events: Sequence[Event]) -> list[Reminder]:
    """Undated duties of the admission's special groups, in rule order, each with whether it is done."""
    seen: set[str] = set()
    for event in effective_events(events):
        seen |= markers(event)
    keys: list[str] = []
    for rule in RULES:
        if rule.group and GROUPS[rule.group](admission) and not rule.has_deadline:
            keys.append(rule.key)
    for group, extra in EXTRA_FOR_GROUP.items():
        if GROUPS[group](admission):
            keys.extend(k for k in extra if k not in keys)
    by_key = {r.key: r for r in RULES}
    out: list[Reminder] = []
    for key in keys:
        rule = by_key[key]
        if key == "hjemloes_kontakt":
            known = bool(admission.handlekommune or admission.opholdskommune)
            out.append(Reminder(rule.rule_id, _a5_text(admission), known, key))
        else:
            out.append(Reminder(rule.rule_id, rule.description, _fulfilled(rule, seen), key))
    return out
