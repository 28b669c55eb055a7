"""Udskrivningsaftale (psykiatriloven §13a) and koordinationsplan (§13b): when one is required, what it holds,
when it is complete, and its lifecycle (E1–E3).

* **E1** an udskrivningsaftale is required before discharge when the patient receives support under serviceloven
  afsnit V because of reduced psychiatric function, or presumably will not seek the treatment and social offers
  they need (§13a stk. 2).
* **E2** when such a patient will not take part, a koordinationsplan is made instead, without the patient as a
  party.
* **E3** both are time-limited: they end at their end date or when the patient is readmitted; a new one is made at
  each discharge if the conditions still hold. Both say who reacts, and how, if they are not followed.

A plan is a *kladde* until the coordinator puts it in force (``check_complete`` must pass); then it is
``I_KRAFT`` and the service records a milestone event (``rules.Milestone.UDSKRIVNINGSAFTALE`` /
``KOORDINATIONSPLAN`` with ``data["end"]``), which meets the E1/E2 deadline and starts the E3 one. Every save
keeps a version.

A discharge while the required plan is missing is not done quietly (``discharge_without_plan``): it is refused
naming the rule until the coordinator says why, and the answer is recorded on the discharge event
(``data[WITHOUT_PLAN_KEY]`` and its note), where the history, the plan's warning and Statistik find it.
Pure domain: no Qt, no database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from coordinator_app.domain import agreement_sections, validation
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import PlanFacts

if TYPE_CHECKING:  # only for types: meetings imports deadlines, which imports this module
    from coordinator_app.domain.meetings import Meeting, Participant

# -- kinds and requirement ------------------------------------------------------------------------------------


class PlanKind(StrEnum):
    UDSKRIVNINGSAFTALE = "udskrivningsaftale"  # E1, §13a
    KOORDINATIONSPLAN = "koordinationsplan"  # E2, §13b


PLAN_DOCUMENT_KIND = {  # ArchivedDocument.kind of each plan kind
    PlanKind.UDSKRIVNINGSAFTALE: "udskrivningsaftale",
    PlanKind.KOORDINATIONSPLAN: "koordinationsplan",
}


def is_plan_document(document_kind: str) -> bool:
    """Is an archived document (``ArchivedDocument.kind``) a plan's PDF? Such a PDF is not issued again as it
    was: the plan is revised and issued as a new version (E3), from its editor."""
    return document_kind in PLAN_DOCUMENT_KIND.values()


PLAN_TITLES: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: "Udskrivningsaftale",
    PlanKind.KOORDINATIONSPLAN: "Koordinationsplan",
}

#: The definite form, for sentences ("Udskrivningsaftalen er afsluttet").
PLAN_DEFINITE: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: "Udskrivningsaftalen",
    PlanKind.KOORDINATIONSPLAN: "Koordinationsplanen",
}

#: The legal reference a document of the kind is titled with.
LEGAL_REFERENCES: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: "psykiatriloven § 13 a",
    PlanKind.KOORDINATIONSPLAN: "psykiatriloven § 13 b",
}

PLAN_RULES: dict[PlanKind, str] = {PlanKind.UDSKRIVNINGSAFTALE: "E1", PlanKind.KOORDINATIONSPLAN: "E2"}


PLAN_FACT_LABELS: tuple[tuple[str, str], ...] = (
    ("afsnit_v_support", "Modtager støtte efter servicelovens afsnit V pga. nedsat psykisk funktionsevne"),
    ("wont_seek_help", "Vil formentlig ikke selv søge nødvendig behandling eller sociale tilbud (§ 13 a, stk. 2)"),
    ("refuses_participation", "Vil ikke medvirke til en udskrivningsaftale (§ 13 b)"),
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """Whether the admission needs a plan before discharge, which kind, and why (Danish)."""

    kind: PlanKind | None
    rule_id: str | None
    reason: str

    @property
    def required(self) -> bool:
        return self.kind is not None

    @property
    def suggested_kind(self) -> PlanKind:
        """The kind a new plan is made as: the required one, else an udskrivningsaftale (the patient takes part)."""
        return self.kind or PlanKind.UDSKRIVNINGSAFTALE


def requirement(facts: PlanFacts) -> Requirement:
    """E1/E2 from the admission's facts."""
    if not (facts.afsnit_v_support or facts.wont_seek_help):
        if facts.refuses_participation:
            return Requirement(
                None,
                None,
                "Ingen krav om udskrivningsaftale: patienten modtager ikke støtte efter servicelovens afsnit V, "
                "og det antages ikke, at patienten vil undlade at søge behandling.",
            )
        return Requirement(None, None, "Ingen krav om udskrivningsaftale eller koordinationsplan.")
    why = (
        "patienten modtager støtte efter servicelovens afsnit V"
        if facts.afsnit_v_support
        else "det må antages, at patienten ikke selv vil søge nødvendig behandling eller sociale tilbud"
    )
    if facts.refuses_participation:
        return Requirement(
            PlanKind.KOORDINATIONSPLAN,
            "E2",
            f"Koordinationsplan kræves før udskrivning (psykiatriloven § 13 b): {why}, "
            "og patienten vil ikke medvirke til en udskrivningsaftale.",
        )
    return Requirement(
        PlanKind.UDSKRIVNINGSAFTALE,
        "E1",
        f"Udskrivningsaftale kræves før udskrivning (psykiatriloven § 13 a): {why}.",
    )


# -- content --------------------------------------------------------------------------------------------------


class PartyRole(StrEnum):
    PATIENT = "patient"
    PSYKIATRI = "psykiatri"  # the psychiatric department
    KOMMUNE = "kommune"  # the kommune and its units (socialpsykiatri, jobcenter, …)
    EGEN_LAEGE = "egen_laege"
    PAAROERENDE = "paaroerende"
    ANDEN = "anden"  # botilbud, Kriminalforsorgen, misbrugsbehandling, …


PARTY_ROLE_LABELS: dict[PartyRole, str] = {
    PartyRole.PATIENT: "Patient",
    PartyRole.PSYKIATRI: "Psykiatrisk afdeling",
    PartyRole.KOMMUNE: "Kommune",
    PartyRole.EGEN_LAEGE: "Egen læge",
    PartyRole.PAAROERENDE: "Pårørende",
    PartyRole.ANDEN: "Andre (fx botilbud, Kriminalforsorgen)",
}


def takes_patient_agreement(kind: PlanKind) -> bool:
    """§ 13 a: the patient is a party to an udskrivningsaftale and agrees to it; a koordinationsplan is made
    without the patient (§ 13 b), so it has neither a patient party nor the patient's agreement."""
    return kind is PlanKind.UDSKRIVNINGSAFTALE


def party_roles(kind: PlanKind) -> tuple[PartyRole, ...]:
    """The roles a party of a plan of ``kind`` can have (no patient in a koordinationsplan, § 13 b)."""
    return tuple(r for r in PartyRole if r is not PartyRole.PATIENT or takes_patient_agreement(kind))


@dataclass(frozen=True, slots=True)
class Party:
    role: PartyRole
    name: str  # a person, or the unit when no person is named
    organisation: str = ""  # e.g. "Københavns Kommune, Socialpsykiatrien"
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class Offer:
    """A treatment or social offer: what, who is responsible, from when."""

    what: str
    responsible: str
    from_date: date | None = None
    note: str = ""


class SendChannel(StrEnum):
    """How a copy of the plan went to its recipient."""

    SIKKER_POST = "sikker_post"  # secure e-mail / MedCom to the kommune's or the practice's secure mailbox
    DIGITAL_POST = "digital_post"  # the patient's Digital Post (e-Boks)
    PAPIR = "papir"  # a letter
    UDLEVERET = "udleveret"  # handed over at the meeting


SEND_CHANNEL_LABELS: dict[SendChannel, str] = {
    SendChannel.SIKKER_POST: "Sikker post",
    SendChannel.DIGITAL_POST: "Digital Post (e-Boks)",
    SendChannel.PAPIR: "Papir (brev)",
    SendChannel.UDLEVERET: "Udleveret på mødet",
}


def send_channel(value: Any) -> SendChannel | None:
    """A stored or chosen channel value as a ``SendChannel`` (``None`` for none or an unknown value)."""
    try:
        return SendChannel(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class SentTo:
    """Who the plan was sent to (E1: with the epikrise to the GP; to the kommune), when and how.

    The sending is recorded when the plan is issued (put in force, or a new version issued): the issuing dialog
    asks, per recipient, the day and the channel, and the archived PDF of that version prints them. An archived
    PDF is never changed, so a later sending (a resend, or a recipient added) is a new issued version; the PDF of
    that version lists the earlier versions' sendings below its own (``PlanVersion`` keeps each version's)."""

    recipient: str
    sent_on: date | None = None
    with_epikrise: bool = False
    channel: SendChannel | None = None


def usual_recipients(parties: Iterable[Party], listed: Iterable[str] = ()) -> tuple[SentTo, ...]:
    """Who a plan is usually sent to: the egen læge (with the epikrise) and the kommune among ``parties``, each
    named "Name (Organisation)" or by the organisation alone, and each once – not again if already ``listed``
    (compared without case). Not yet sent (``sent_on`` is ``None``)."""
    have = {name.strip().casefold() for name in listed}
    out = []
    for party in parties:
        if party.role not in (PartyRole.EGEN_LAEGE, PartyRole.KOMMUNE):
            continue
        name = " ".join([party.name, f"({party.organisation})" if party.name else party.organisation]).strip()
        name = name.removesuffix("()").strip()
        if not name or name.casefold() in have:
            continue
        have.add(name.casefold())
        out.append(SentTo(name, None, party.role is PartyRole.EGEN_LAEGE))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class PlanContent:
    """What the editor edits. Empty by default; ``check_complete`` says what is missing before it is in force."""

    parties: tuple[Party, ...] = ()
    treatment_offers: tuple[Offer, ...] = ()
    social_offers: tuple[Offer, ...] = ()
    wishes: str = ""  # the patient's own wishes
    goals: str = ""  # the patient's goals
    contact_person: str = ""  # contact person / coordinator after discharge (name, phone)
    overlaege: str = ""  # the responsible overlæge by name (§ 13 a/b: the overlæge is responsible for the plan)
    reaction_who: str = ""  # E3: who reacts if the plan is not followed
    reaction_how: str = ""  # E3: how they react
    start: date | None = None
    end: date | None = None
    patient_agrees: bool = False  # udskrivningsaftale only
    patient_agreed_on: date | None = None
    sent_to: tuple[SentTo, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (dates as ISO strings), for storage and the document's data digest."""

        def plain(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, tuple | list):
                return [plain(v) for v in value]
            if dataclasses.is_dataclass(value) and not isinstance(value, type):
                return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return value

        return {f.name: plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PlanContent:
        """The inverse of ``to_dict``; unknown keys are ignored, missing ones take their defaults."""

        def day(value: Any) -> date | None:
            return date.fromisoformat(value) if isinstance(value, str) and value else None

        def offers(items: Any) -> tuple[Offer, ...]:
            return tuple(
                Offer(
                    what=str(o.get("what", "")),
                    responsible=str(o.get("responsible", "")),
                    from_date=day(o.get("from_date")),
                    note=str(o.get("note", "")),
                )
                for o in items or ()
            )

        return cls(
            parties=tuple(
                Party(
                    role=PartyRole(p.get("role", PartyRole.ANDEN)),
                    name=str(p.get("name", "")),
                    organisation=str(p.get("organisation", "")),
                    phone=str(p.get("phone", "")),
                    email=str(p.get("email", "")),
                )
                for p in data.get("parties") or ()
            ),
            treatment_offers=offers(data.get("treatment_offers")),
            social_offers=offers(data.get("social_offers")),
            wishes=str(data.get("wishes", "")),
            goals=str(data.get("goals", "")),
            contact_person=str(data.get("contact_person", "")),
            overlaege=str(data.get("overlaege", "")),
            reaction_who=str(data.get("reaction_who", "")),
            reaction_how=str(data.get("reaction_how", "")),
            start=day(data.get("start")),
            end=day(data.get("end")),
            patient_agrees=bool(data.get("patient_agrees", False)),
            patient_agreed_on=day(data.get("patient_agreed_on")),
            sent_to=tuple(
                SentTo(
                    recipient=str(s.get("recipient", "")),
                    sent_on=day(s.get("sent_on")),
                    with_epikrise=bool(s.get("with_epikrise", False)),
                    channel=send_channel(s.get("channel")),
                )
                for s in data.get("sent_to") or ()
            ),
            note=str(data.get("note", "")),
        )


def check_complete(kind: PlanKind, content: PlanContent) -> list[ValidationError]:
    """What is missing before the plan can be put in force, in the editor's order (empty: complete).

    Each error names the ``field`` to focus and carries its rule.
    """
    out: list[ValidationError] = []
    rule = PLAN_RULES[kind]
    roles = {p.role for p in content.parties if p.name.strip()}
    if kind is PlanKind.UDSKRIVNINGSAFTALE and PartyRole.PATIENT not in roles:
        out.append(ValidationError("Patienten skal stå som part i udskrivningsaftalen.", field="parties", rule="E1"))
    if PartyRole.PSYKIATRI not in roles:
        out.append(ValidationError("Angiv den psykiatriske afdeling som part.", field="parties", rule=rule))
    if PartyRole.KOMMUNE not in roles:
        out.append(ValidationError("Angiv kommunen (og dens enhed) som part.", field="parties", rule=rule))
    for i, p in enumerate(content.parties, start=1):
        if not p.name.strip():
            out.append(
                ValidationError(
                    f"Part {i} ({PARTY_ROLE_LABELS[p.role].split(' (')[0]}) mangler et navn.",
                    field="parties",
                    rule=rule,
                )
            )
    if not content.overlaege.strip():
        out.append(
            ValidationError(
                f"Angiv den ansvarlige overlæges navn: overlægen har ansvaret for {PLAN_DEFINITE[kind].lower()} "
                f"({LEGAL_REFERENCES[kind]}; {agreement_sections.cite(rule)}).",
                field="overlaege",
                rule=rule,
            )
        )
    offers = [*content.treatment_offers, *content.social_offers]
    if not offers:
        out.append(
            ValidationError(
                "Angiv mindst ét behandlingstilbud eller socialt tilbud.", field="treatment_offers", rule=rule
            )
        )
    for label, name, items in (
        ("Behandlingstilbud", "treatment_offers", content.treatment_offers),
        ("Socialt tilbud", "social_offers", content.social_offers),
    ):
        for i, o in enumerate(items, start=1):
            if not o.what.strip():
                out.append(ValidationError(f"{label} {i} mangler en beskrivelse.", field=name, rule=rule))
            elif not o.responsible.strip():
                out.append(ValidationError(f"{label} {i} («{o.what}») mangler en ansvarlig.", field=name, rule=rule))
    if not content.reaction_who.strip():
        out.append(
            ValidationError("Angiv hvem der reagerer, hvis planen ikke følges.", field="reaction_who", rule="E3")
        )
    if not content.reaction_how.strip():
        out.append(
            ValidationError("Angiv hvordan der reageres, hvis planen ikke følges.", field="reaction_how", rule="E3")
        )
    if content.start is None:
        out.append(ValidationError("Angiv en startdato.", field="start", rule="E3"))
    if content.end is None:
        out.append(ValidationError("Angiv en slutdato: planen er tidsbegrænset.", field="end", rule="E3"))
    elif content.start is not None and content.end < content.start:
        out.append(ValidationError("Slutdatoen ligger før startdatoen.", field="end", rule="E3"))
    if kind is PlanKind.UDSKRIVNINGSAFTALE and not content.patient_agrees:
        out.append(
            ValidationError(
                "Udskrivningsaftalen kræver patientens tilslutning. Vil patienten ikke medvirke, "
                "laves en koordinationsplan (§ 13 b).",
                field="patient_agrees",
                rule="E1",
            )
        )
    return out


def check_sendings(kind: PlanKind, sent_to: Sequence[SentTo], today: date) -> list[ValidationError]:
    """What is wrong with the sendings recorded when the plan is issued (empty: nothing): a copy sent has a
    channel, and it cannot have gone later than today."""
    out: list[ValidationError] = []
    rule = PLAN_RULES[kind]
    for s in sent_to:
        if s.sent_on is None:
            continue
        who = s.recipient.strip() or "modtageren"
        if s.channel is None:
            out.append(ValidationError(f"Angiv, hvordan kopien til {who} er sendt.", field="sent_to", rule=rule))
        if s.sent_on > today:
            out.append(
                ValidationError(
                    f"Kopien til {who} kan ikke være sendt {s.sent_on:%d-%m-%Y}: datoen ligger i fremtiden.",
                    field="sent_to",
                    rule=rule,
                )
            )
    return out


def default_channel(recipient: str) -> SendChannel:
    """The channel a copy usually goes by: the patient's own copy to Digital Post, everyone else's (egen læge,
    the kommune, a botilbud) to their secure mailbox."""
    return SendChannel.DIGITAL_POST if "patient" in recipient.casefold() else SendChannel.SIKKER_POST


def sendings_for_issue(content: PlanContent, today: date) -> tuple[SentTo, ...]:
    """What the issuing dialog proposes: every recipient of ``content.sent_to`` (else the usual ones from the
    parties) sent ``today``, by the channel chosen last time or the usual one for the recipient."""
    listed = [s for s in content.sent_to if s.recipient.strip()] or list(usual_recipients(content.parties))
    return tuple(
        dataclasses.replace(s, sent_on=today, channel=s.channel or default_channel(s.recipient)) for s in listed
    )


@dataclass(frozen=True, slots=True)
class LegalCondition:
    """Why the plan was required, in words a kommune and a GP understand (from the admission's recorded facts):
    the law it follows and each condition that held. ``reasons`` empty: nothing was recorded."""

    law: str  # "psykiatriloven § 13 a"
    reasons: tuple[str, ...]


def legal_condition(kind: PlanKind, facts: PlanFacts) -> LegalCondition:
    """§ 13 a: the patient receives support under serviceloven afsnit V, or will presumably not seek the treatment
    and social offers they need (stk. 2); § 13 b: one of those, and the patient will not take part in an
    udskrivningsaftale. A condition not recorded is left out; with none recorded, ``reasons`` is empty."""
    reasons: list[str] = []
    if facts.afsnit_v_support:
        reasons.append(
            "Patienten modtager støtte efter servicelovens afsnit V på grund af nedsat psykisk funktionsevne."
        )
    if facts.wont_seek_help:
        reasons.append(
            "Det må antages, at patienten ikke selv vil søge den behandling eller de sociale tilbud, der er "
            "nødvendige for patientens helbred (psykiatriloven § 13 a, stk. 2)."
        )
    if kind is PlanKind.KOORDINATIONSPLAN and facts.refuses_participation and reasons:
        reasons.append("Patienten vil ikke medvirke til at indgå en udskrivningsaftale (psykiatriloven § 13 b).")
    return LegalCondition(LEGAL_REFERENCES[kind], tuple(reasons))


def validate_dates(content: PlanContent) -> None:
    """Checks that hold even for a kladde: an impossible period is refused at once."""
    if content.start is not None and content.end is not None and content.end < content.start:
        raise ValidationError("Slutdatoen ligger før startdatoen.", field="end", rule="E3")


# -- the plan and its lifecycle -------------------------------------------------------------------------------


class PlanStatus(StrEnum):
    """What the coordinator has done with it (stored)."""

    KLADDE = "kladde"
    I_KRAFT = "i_kraft"  # put in force: the milestone event is recorded, the PDF archived
    AFSLUTTET = "afsluttet"  # ended by hand before its end date (e.g. replaced)


class PlanState(StrEnum):
    """Where it stands today (derived, never stored)."""

    KLADDE = "kladde"
    KOMMENDE = "kommende"  # in force from a later start date
    I_KRAFT = "i_kraft"
    UDLOEBET = "udloebet"  # past its end date (E3)
    OPHOERT_GENINDLAEGGELSE = "ophoert_genindlaeggelse"  # the patient was readmitted (E3)
    AFSLUTTET = "afsluttet"


PLAN_STATE_LABELS: dict[PlanState, str] = {
    PlanState.KLADDE: "Kladde",
    PlanState.KOMMENDE: "Træder i kraft senere",
    PlanState.I_KRAFT: "I kraft",
    PlanState.UDLOEBET: "Udløbet",
    PlanState.OPHOERT_GENINDLAEGGELSE: "Ophørt ved genindlæggelse",
    PlanState.AFSLUTTET: "Afsluttet",
}


@dataclass(frozen=True, slots=True)
class DischargePlan:
    id: int | None
    admission_id: int
    patient_id: int
    kind: PlanKind
    status: PlanStatus = PlanStatus.KLADDE
    content: PlanContent = field(default_factory=PlanContent)
    source_meeting_id: int | None = None  # the netværksmøde its content was pulled from
    created_by: str = ""
    activated_on: date | None = None  # when it was put in force
    ended_on: date | None = None  # AFSLUTTET by hand
    ended_reason: str = ""
    event_id: int | None = None  # the milestone event recorded when put in force
    document_id: int | None = None  # the archived PDF of the version in force
    version: int | None = None  # optimistic locking


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """One saved version of a plan (E3: history keeps every version). Append-only."""

    number: int  # 1, 2, … per plan
    saved_at: datetime  # aware UTC
    saved_by: str
    status: PlanStatus
    content: PlanContent
    action: str = ""  # Danish, what the save was: "Oprettet", "Gemt", "Sat i kraft", "Afsluttet: …"


#: The states of a plan that has stopped (E3): ended by hand, expired, or ended at a readmission.
ENDED_STATES = frozenset({PlanState.AFSLUTTET, PlanState.UDLOEBET, PlanState.OPHOERT_GENINDLAEGGELSE})


@dataclass(frozen=True, slots=True)
class Lifecycle:
    state: PlanState
    ended_on: date | None  # the day it stopped (UDLOEBET: the day after the end date)
    label: str  # Danish, e.g. "Udløbet 31-12-2026"

    @property
    def ended(self) -> bool:
        """The plan has stopped (E3): it can be neither ended nor revised as a new version; a new plan is made."""
        return self.state in ENDED_STATES


def lifecycle(plan: DischargePlan, today: date, readmitted_on: date | None = None) -> Lifecycle:
    """E3: a plan in force ends at its end date or when the patient is readmitted (whichever comes first).

    ``readmitted_on`` is the first readmission after the plan's admission was discharged, if any.
    """
    if plan.status is PlanStatus.KLADDE:
        return Lifecycle(PlanState.KLADDE, None, PLAN_STATE_LABELS[PlanState.KLADDE])
    c = plan.content
    candidates: list[tuple[date, PlanState, str]] = []
    if plan.status is PlanStatus.AFSLUTTET and plan.ended_on is not None:
        candidates.append((plan.ended_on, PlanState.AFSLUTTET, f"Afsluttet {plan.ended_on:%d-%m-%Y}"))
    if readmitted_on is not None and readmitted_on <= today:
        candidates.append(
            (readmitted_on, PlanState.OPHOERT_GENINDLAEGGELSE, f"Ophørt ved genindlæggelse {readmitted_on:%d-%m-%Y}")
        )
    if c.end is not None and today > c.end:
        candidates.append((c.end, PlanState.UDLOEBET, f"Udløbet {c.end:%d-%m-%Y}"))
    if candidates:
        ended, state, label = min(candidates, key=lambda t: t[0])
        return Lifecycle(state, ended, label)
    if plan.status is PlanStatus.AFSLUTTET:
        return Lifecycle(PlanState.AFSLUTTET, None, PLAN_STATE_LABELS[PlanState.AFSLUTTET])
    if c.start is not None and c.start > today:
        return Lifecycle(PlanState.KOMMENDE, None, f"Træder i kraft {c.start:%d-%m-%Y}")
    until = f" til {c.end:%d-%m-%Y}" if c.end else ""
    return Lifecycle(PlanState.I_KRAFT, None, f"I kraft{until}")


def readmission_after(discharged: date | None, later_admissions: Iterable[date]) -> date | None:
    """E3: the first admission date after ``discharged`` (the patient's readmission), if any."""
    if discharged is None:
        return None
    after = [d for d in later_admissions if d >= discharged]
    return min(after) if after else None


@dataclass(frozen=True, slots=True)
class PlanOverview:
    """What the admission shows about E1–E3: required?, the current plan and its state, a warning."""

    requirement: Requirement
    current: DischargePlan | None  # the newest plan of this admission (kladde or not)
    current_state: Lifecycle | None
    missing: bool  # required, and nothing in force (or coming into force) for this admission
    warning: str | None  # Danish, shown prominently; None when all is well
    due: date | None  # the E1/E2 deadline day (planned discharge, else expected færdigbehandlet)

    def late(self, today: date, *, discharged: date | None) -> bool:
        """E1/E2: the deadline day has come, or the patient has been discharged (with or without the plan)."""
        return discharged is not None or (self.due is not None and self.due <= today)


def overview(
    facts: PlanFacts,
    plans: Sequence[DischargePlan],
    today: date,
    *,
    discharged: date | None = None,
    readmitted_on: date | None = None,
    due: date | None = None,
    without_plan_reason: str | None = None,
) -> PlanOverview:
    """The admission's plan status. ``plans`` are this admission's, oldest first; ``due`` from ``plan_due``;
    ``without_plan_reason`` the answer recorded when the patient was discharged without the plan (E1/E2)."""
    req = requirement(facts)
    current = plans[-1] if plans else None
    state = lifecycle(current, today, readmitted_on) if current is not None else None

    # A plan covers the requirement while it is in force (or about to be); once the patient has left, the plan
    # made for the discharge counts even if it has since expired. One ended by hand (replaced, made in error)
    # no longer counts while the patient is still admitted.
    def covering(p: DischargePlan) -> bool:
        if p.status is PlanStatus.KLADDE or not (p.kind is req.kind or _covers(req, p)):
            return False
        if discharged is not None:
            return p.status is PlanStatus.I_KRAFT or (p.ended_on is not None and p.ended_on >= discharged)
        return lifecycle(p, today, readmitted_on).state in (PlanState.I_KRAFT, PlanState.KOMMENDE)

    in_force = any(covering(p) for p in plans)
    missing = req.required and not in_force
    warning: str | None = None
    if missing and req.kind is not None:
        title = PLAN_TITLES[req.kind]
        if discharged is not None:
            warning = f"{title} mangler: patienten blev udskrevet {discharged:%d-%m-%Y} uden ({req.rule_id})."
            if without_plan_reason:
                warning += f" Begrundelse: {without_plan_reason}"
        elif current is not None and current.status is PlanStatus.KLADDE:
            when = f" før udskrivning {due:%d-%m-%Y}" if due else " før udskrivning"
            warning = f"{title} er en kladde: sæt den i kraft{when} ({req.rule_id})."
        else:
            when = f" – skal foreligge før udskrivning {due:%d-%m-%Y}" if due else " – skal foreligge før udskrivning"
            warning = f"{title} mangler{when} ({req.rule_id})."
    return PlanOverview(req, current, state, missing, warning, due)


def _covers(req: Requirement, plan: DischargePlan) -> bool:
    """E1 is met by either kind (a koordinationsplan when the patient would not take part); E2 only by a plan."""
    return req.kind is PlanKind.UDSKRIVNINGSAFTALE and plan.kind is PlanKind.KOORDINATIONSPLAN


def plan_due(planned_discharge: date | None, expected_faerdigbehandlet: date | None) -> date | None:
    """The E1/E2 deadline: the planned discharge day, else the expected færdigbehandlet day."""
    return planned_discharge or expected_faerdigbehandlet


# -- discharge without the required plan (E1/E2) ---------------------------------------------------------------

#: The discharge event's ``data`` key for a discharge without the required plan: ``{"kind", "rule", "reason"}``.
WITHOUT_PLAN_KEY = "plan_missing"
#: ``ValidationError.field`` of the refusal: the answer the discharge asks for (why the patient leaves without).
WITHOUT_PLAN_FIELD = "without_plan_reason"
WITHOUT_PLAN_MAX_LENGTH = 1000


def missing_at_discharge(facts: PlanFacts, plans: Sequence[DischargePlan], on: date) -> Requirement | None:
    """E1/E2: the requirement a discharge on ``on`` would leave unmet (nothing required in force or coming into
    force that day), ``None`` when nothing required is missing. ``plans`` are the admission's."""
    found = overview(facts, plans, on)
    return found.requirement if found.missing else None


@dataclass(frozen=True, slots=True)
class WithoutPlan:
    """What is recorded on a discharge without the required plan: the event's note line and its data."""

    kind: PlanKind
    rule_id: str
    reason: str

    @property
    def note(self) -> str:
        return f"Udskrevet uden {PLAN_TITLES[self.kind].lower()} ({self.rule_id}): {self.reason}"

    @property
    def data(self) -> dict[str, Any]:
        return {WITHOUT_PLAN_KEY: {"kind": self.kind.value, "rule": self.rule_id, "reason": self.reason}}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> WithoutPlan | None:
        """The record in a discharge event's ``data``, if any."""
        found = data.get(WITHOUT_PLAN_KEY)
        if not isinstance(found, Mapping):
            return None
        try:
            kind = PlanKind(str(found.get("kind")))
        except ValueError:
            return None
        return cls(kind, str(found.get("rule") or PLAN_RULES[kind]), str(found.get("reason") or ""))


def discharge_without_plan(
    missing: Requirement | None, reason: str | None, *, draft: bool = False
) -> WithoutPlan | None:
    """E1/E2 at the moment of discharge. ``missing`` from ``missing_at_discharge``; ``draft``: the plan exists
    as a kladde only. Nothing missing: ``None``. Missing and no ``reason``: refused (``ValidationError`` with the
    rule and ``field=WITHOUT_PLAN_FIELD`` — the dialog asks why). Missing with a reason: the record to keep."""
    if missing is None or missing.kind is None or missing.rule_id is None:
        return None
    title = PLAN_TITLES[missing.kind]
    answer = validation.optional_text(
        reason,
        field=WITHOUT_PLAN_FIELD,
        label="Begrundelsen for udskrivning uden " + title.lower(),
        max_length=WITHOUT_PLAN_MAX_LENGTH,
    )
    if answer is None:
        state = f"{title} er kun en kladde." if draft else f"Der er ingen {title.lower()} i kraft."
        raise ValidationError(
            f"{missing.reason} {state} Sæt den i kraft under fanen Aftale/plan før udskrivningen, "
            "eller skriv, hvorfor patienten udskrives uden.",
            field=WITHOUT_PLAN_FIELD,
            rule=missing.rule_id,
        )
    return WithoutPlan(missing.kind, missing.rule_id, answer)


def next_plan_content(previous: PlanContent, start: date) -> PlanContent:
    """E3: a new plan at the next discharge starts from the last one's parties and offers, with a new period,
    no agreement yet and nothing sent."""
    return dataclasses.replace(
        previous,
        start=start,
        end=None,
        patient_agrees=False,
        patient_agreed_on=None,
        sent_to=(),
        treatment_offers=tuple(dataclasses.replace(o, from_date=None) for o in previous.treatment_offers),
        social_offers=tuple(dataclasses.replace(o, from_date=None) for o in previous.social_offers),
    )


# -- from a netværksmøde ---------------------------------------------------------------------------------------

#: meetings.Sector value → the party's role in the plan.
SECTOR_ROLES: dict[str, PartyRole] = {
    "borger": PartyRole.PATIENT,
    "region": PartyRole.PSYKIATRI,
    "kommune": PartyRole.KOMMUNE,
    "almen_praksis": PartyRole.EGEN_LAEGE,
    "paaroerende": PartyRole.PAAROERENDE,
    "andet": PartyRole.ANDEN,
}

#: Template section keys whose text is the patient's wishes and goals, if a ward's template has them.
WISH_SECTION_KEYS = ("oensker", "patientens_oensker", "maal", "patientens_maal")


def _owner_label(p: Participant | None) -> str:
    if p is None:
        return ""
    return f"{p.name} ({p.organisation})" if p.organisation else p.name


def _is_the_patient(p: Participant, patient_name: str) -> bool:
    """The participant is the patient: sector borger, or named as the patient or just "Patienten" (an older meeting
    may have them under "Andet" or with no sector chosen). ``meetings.is_patient``, which this module cannot import."""
    name = " ".join(p.name.split()).casefold()
    return str(p.sector) == "borger" or (
        bool(name) and name in {" ".join(patient_name.split()).casefold(), "patienten"}
    )


def content_from_meeting(
    meeting: Meeting, base: PlanContent | None = None, kind: PlanKind | None = None, *, patient_name: str = ""
) -> PlanContent:
    """C5 → E1: pull a netværksmøde's participants and agreements into a plan instead of typing them twice.

    Participants become parties (by sector; afbud too — they are still parties), agreements become offers: one
    owned by someone from the region or almen praksis is a treatment offer, anything else a social offer, from
    the agreement's deadline. Existing parties (same role and name) and offers (same text) are kept,
    not doubled. The patient (sector borger, or the participant named ``patient_name`` or "Patienten" whatever
    their sector) is the patient party of an udskrivningsaftale and never a party of a koordinationsplan (§13b):
    there they are left out, and so is a patient party the plan already had.
    """
    base = base or PlanContent()
    content = meeting.content
    by_key = {p.key: p for p in content.participants}
    parties = list(base.parties)
    if kind is PlanKind.KOORDINATIONSPLAN:
        parties = [x for x in parties if x.role is not PartyRole.PATIENT]
    seen_parties = {(p.role, p.name.strip().casefold()) for p in parties}
    for p in content.participants:
        patient = _is_the_patient(p, patient_name)
        role = PartyRole.PATIENT if patient else SECTOR_ROLES.get(str(p.sector), PartyRole.ANDEN)
        if patient and (kind is PlanKind.KOORDINATIONSPLAN or any(x.role is PartyRole.PATIENT for x in parties)):
            continue  # §13b: not a party; or the patient is already one (the meeting may say just "Patienten")
        key = (role, p.name.strip().casefold())
        if not p.name.strip() or key in seen_parties:
            continue
        seen_parties.add(key)
        pulled = Party(role, p.name.strip(), p.organisation.strip(), p.phone.strip(), p.email.strip())
        # A prefilled party of the same role without a name (the kladde's "Kommune", "Psykiatrisk afdeling") is
        # the one this participant fills in: the participant's own unit and contact details win (they were given
        # at the meeting), the prefilled ones stay where the participant has none.
        slot = next((i for i, x in enumerate(parties) if x.role is role and not x.name.strip()), None)
        if slot is None:
            parties.append(pulled)
        else:
            old = parties[slot]
            parties[slot] = Party(
                role,
                pulled.name,
                pulled.organisation or old.organisation,
                pulled.phone or old.phone,
                pulled.email or old.email,
            )
    treatment = list(base.treatment_offers)
    social = list(base.social_offers)
    seen_offers = {o.what.strip().casefold() for o in (*treatment, *social)}
    for a in content.agreements:
        what = a.what.strip()
        if not what or what.casefold() in seen_offers:
            continue
        seen_offers.add(what.casefold())
        owner = by_key.get(a.owner_key or "")
        offer = Offer(what, _owner_label(owner), a.deadline)
        if owner is not None and str(owner.sector) in ("region", "almen_praksis"):
            treatment.append(offer)
        else:
            social.append(offer)
    wishes = base.wishes
    if not wishes.strip():
        sections = [content.texts.get(k, "").strip() for k in WISH_SECTION_KEYS]
        wishes = "\n".join(t for t in sections if t)
    return dataclasses.replace(
        base,
        parties=tuple(parties),
        treatment_offers=tuple(treatment),
        social_offers=tuple(social),
        wishes=wishes,
    )
