"""Tværsektorielle netværksmøder (C1–C10): templates, meetings, their checks and what closing one produces.

Pure domain: the template (C5), participants with sector and contact details, roles (C6), agreements with
owner and deadline (C5, C7), follow-up, and the checks that *help rather than block*: leader = referent (C6),
an agreement without owner or deadline (C5), treatment/medication sections by someone who is not a health
professional (C6), fewer than one kommune and one region participant, a participant whose sector is not chosen
yet, and the patient not registered as borger (C1). The deadline of a meeting is the engine's C2–C4 rule
(5 arbejdsdage after the invitation, ``rules.py``).

Two guards decide rather than remind: a meeting is started before the day the parties agreed on (C2–C4: they
find the time together) only when the coordinator confirmed it (``check_start``), and who receives the referat
(C7: the participants; anyone else only with the patient's consent) is said for every participant, with the
reason when one does not (``referat_exclusion``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import Deadline, DeadlineState, Sector
from coordinator_app.domain.rules import DEFAULT_SETTINGS, RuleSettings, apply_offset
from coordinator_app.domain.workdays import WorkCalendar, local_date


class SectionKind(StrEnum):
    AGENDA = "formaal"  # C5: written beforehand with the patient — it *is* the agenda
    PARTICIPANTS = "deltagere"
    ROLES = "roller"  # C6
    AGREEMENTS = "aftaler"  # C5, C7
    FOLLOW_UP = "opfoelgning"
    TEXT = "tekst"  # a free section the ward adds (e.g. "Behandling og medicin")


@dataclass(frozen=True, slots=True)
class TemplateSection:
    key: str  # stable within a template's versions, e.g. "formaal"
    kind: SectionKind
    title: str  # Danish
    guidance: str  # short vejledning (C5)
    required: bool = False
    default_items: tuple[str, ...] = ()  # default agenda items / prompts
    health_professional_only: bool = False  # C6: treatment or medication — written by a health professional


@dataclass(frozen=True, slots=True)
class MeetingTemplate:
    id: int | None
    name: str
    version: int  # a meeting keeps the version it was created with; editing makes a new version
    sections: tuple[TemplateSection, ...]
    created_at: datetime | None = None
    created_by: str = ""


DEFAULT_SECTIONS: tuple[TemplateSection, ...] = (
    TemplateSection(
        "formaal",
        SectionKind.AGENDA,
        "Formål og dagsorden",
        "Aftalt med patienten før mødet – formålet er dagsordenen (C5).",
        required=True,
        default_items=("Status på indlæggelsen", "Patientens ønsker og mål", "Støtte efter udskrivning"),
    ),
    TemplateSection(
        "deltagere",
        SectionKind.PARTICIPANTS,
        "Deltagere",
        "Mindst én fra kommunen og én fra regionen samt patienten; pårørende efter patientens ønske (C1). "
        "Skriv konkrete kontaktoplysninger.",
        required=True,
    ),
    TemplateSection(
        "roller",
        SectionKind.ROLES,
        "Roller",
        "Aftal mødeleder, referent og tovholder ved mødets start; mødeleder og referent bør ikke være samme "
        "person (C6).",
        required=True,
    ),
    TemplateSection(
        "behandling",
        SectionKind.TEXT,
        "Behandling og medicin",
        "Skrives af en sundhedsfaglig deltager (C6).",
        health_professional_only=True,
    ),
    TemplateSection(
        "aftaler",
        SectionKind.AGREEMENTS,
        "Aftaler",
        "Hvad er aftalt, hvem er ansvarlig, og hvornår skal det være gjort (C5). Aftalerne er referatet (C7).",
        required=True,
    ),
    TemplateSection(
        "opfoelgning",
        SectionKind.FOLLOW_UP,
        "Opfølgning",
        "Er der brug for et opfølgningsmøde? Hvornår, og hvem indkalder (C5)?",
        required=True,
    ),
)


def default_template() -> MeetingTemplate:
    return MeetingTemplate(id=None, name="Netværksmøde (samarbejdsaftalen)", version=1, sections=DEFAULT_SECTIONS)


class Occasion(StrEnum):
    UNDER_INDLAEGGELSE = "under_indlaeggelse"  # C2
    VED_UDSKRIVNING = "ved_udskrivning"  # C4
    EFTER_UDSKRIVNING = "efter_udskrivning"  # C3
    EFTER_TVANG = "efter_tvangsindlaeggelse"  # C9: botilbud resident, botilbud leader present
    MISBRUG = "koordinerende_indsatsplan"  # C10
    OVERGANG_18 = "overgang_18"  # D9
    PATIENT_ELLER_PAAROERENDE = "indkaldt_af_patient"  # C4: called by the patient or relatives


OCCASION_LABELS: dict[Occasion, str] = {
    Occasion.UNDER_INDLAEGGELSE: "Under indlæggelse (C2)",
    Occasion.VED_UDSKRIVNING: "Ved udskrivning (C4)",
    Occasion.EFTER_UDSKRIVNING: "Efter udskrivning (C3)",
    Occasion.EFTER_TVANG: "Efter tvangsindlæggelse af botilbudsbeboer (C9)",
    Occasion.MISBRUG: "Koordinerende indsatsplan – misbrug (C10)",
    Occasion.OVERGANG_18: "18-årsovergang (D9)",
    Occasion.PATIENT_ELLER_PAAROERENDE: "Indkaldt af patient eller pårørende (C4)",
}

#: Which deadline rule (rules.py key) an occasion's 5-arbejdsdage clock follows.
OCCASION_RULES: dict[Occasion, str] = {
    Occasion.EFTER_UDSKRIVNING: "netvaerksmoede_efter_udskrivning",
    Occasion.VED_UDSKRIVNING: "netvaerksmoede_ved_udskrivning",
    Occasion.PATIENT_ELLER_PAAROERENDE: "netvaerksmoede_ved_udskrivning",
}


class MeetingForm(StrEnum):
    FYSISK = "fysisk"
    VIDEO = "video"
    TELEFON = "telefon"
    BLANDET = "blandet"  # C8: decided with the patient


class MeetingStatus(StrEnum):
    PLANLAGT = "planlagt"
    I_GANG = "i_gang"
    AFSLUTTET = "afsluttet"


class AgreementStatus(StrEnum):
    AABEN = "aaben"
    UDFOERT = "udfoert"


@dataclass(frozen=True, slots=True)
class Participant:
    key: str  # stable id within the meeting (uuid hex)
    name: str
    organisation: str = ""
    sector: Sector | None = None  # None: not chosen yet — the coordinator picks it (C1); "Andet" is no default
    role: str = ""  # e.g. "sagsbehandler", "kontaktperson", "overlæge"
    phone: str = ""
    email: str = ""
    present: bool = True  # False: afbud
    health_professional: bool = False  # C6


@dataclass(frozen=True, slots=True)
class AgreementItem:
    key: str
    what: str
    owner_key: str | None = None  # a participant's key (C5: who is responsible)
    deadline: date | None = None
    status: AgreementStatus = AgreementStatus.AABEN


@dataclass(frozen=True, slots=True)
class FollowUp:
    needed: bool | None = None  # None: not decided yet
    when: date | None = None
    caller_key: str | None = None  # who calls it (a participant's key)


@dataclass(frozen=True, slots=True)
class Inviter:
    """Who called the meeting (C2–C4: the party that has the need calls it): the person, and the organisation or
    role they called it for ("Psykiatrisk Center Testrup, afsnit P3", "pårørende (datter)"). Empty: not recorded
    (a meeting from before it was asked)."""

    name: str = ""
    organisation: str = ""

    @property
    def known(self) -> bool:
        return bool(self.name.strip() or self.organisation.strip())

    def label(self) -> str:
        """``"Kåre Prøvesen (Psykiatrisk Center Testrup)"``, the organisation alone, or "" when not recorded."""
        name, organisation = self.name.strip(), self.organisation.strip()
        if name and organisation:
            return f"{name} ({organisation})"
        return name or organisation


@dataclass(frozen=True, slots=True)
class MeetingContent:
    """What is typed during the meeting; saved as one unit by autosave.

    ``invited_by`` and ``agenda_with_patient`` are recorded when the meeting is scheduled and may be corrected in
    the live meeting: who called it, and whether the agenda was prepared together with the patient (the
    netværksmøde note the agreement builds on asks for that; None: not recorded, as for older meetings)."""

    texts: dict[str, str] = field(default_factory=dict)  # section key → text (agenda, free sections)
    participants: tuple[Participant, ...] = ()
    leader_key: str | None = None
    referent_key: str | None = None
    tovholder_key: str | None = None
    agreements: tuple[AgreementItem, ...] = ()
    follow_up: FollowUp = field(default_factory=FollowUp)
    invited_by: Inviter = field(default_factory=Inviter)
    agenda_with_patient: bool | None = None


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int | None
    patient_id: int
    admission_id: int | None  # None for an ambulant patient
    template: MeetingTemplate  # the version it was created with (a snapshot; later edits do not touch it)
    occasion: Occasion
    invited_on: date
    reference: str  # e.g. "NM-2026-0012": the only identifier on an .ics invitation
    planned_at: datetime | None = None
    form: MeetingForm = MeetingForm.FYSISK
    place: str = ""  # address or video link
    late_reason: str = ""  # required when planned after the deadline
    status: MeetingStatus = MeetingStatus.PLANLAGT
    content: MeetingContent = field(default_factory=MeetingContent)
    version: int | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    follow_up_of: int | None = None  # the meeting whose follow-up this is


@dataclass(frozen=True, slots=True)
class MeetingWarning:
    rule: str
    text: str  # Danish
    section: str | None = None  # template section key to jump to


def meeting_deadline(
    invited_on: date, occasion: Occasion, cal: WorkCalendar, settings: RuleSettings | None = None
) -> date:
    """C2–C4: the meeting is held at the latest 5 arbejdsdage after the invitation (invitation = day 0)."""
    rule = (settings or DEFAULT_SETTINGS).rule(OCCASION_RULES.get(occasion, "netvaerksmoede"))
    return apply_offset(rule, invited_on, cal)


def is_late(meeting: Meeting, cal: WorkCalendar, settings: RuleSettings | None = None) -> bool:
    if meeting.planned_at is None:
        return False
    return local_date(meeting.planned_at) > meeting_deadline(meeting.invited_on, meeting.occasion, cal, settings)


def occasion_rule_id(occasion: Occasion, settings: RuleSettings | None = None) -> str:
    """The agreement ID of the 5-arbejdsdage clock an occasion follows: "C2", "C3" or "C4"."""
    return (settings or DEFAULT_SETTINGS).rule(OCCASION_RULES.get(occasion, "netvaerksmoede")).rule_id


# -- starting on the agreed day (C2–C4) ------------------------------------------------------------------------
def planned_day(meeting: Meeting) -> date | None:
    """The Danish date the meeting is planned for (None: no time fixed yet)."""
    return None if meeting.planned_at is None else local_date(meeting.planned_at)


def days_before_planned(meeting: Meeting, today: date) -> int:
    """How many days before its planned day the meeting is started or held ``today`` (0: on or after that day,
    or no day planned)."""
    day = planned_day(meeting)
    return 0 if day is None or today >= day else (day - today).days


def days_text(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


def check_start(meeting: Meeting, today: date, *, before_planned_day: bool) -> None:
    """C2–C4: the parties found the meeting's time together, so starting it on an earlier day is the coordinator's
    confirmed decision (``before_planned_day``), never a slip. Otherwise ``ValidationError`` (field "planned_at",
    rule the occasion's C2/C3/C4) naming the planned day."""
    early = days_before_planned(meeting, today)
    day = planned_day(meeting)
    if early and day is not None and not before_planned_day:
        raise ValidationError(
            f"Mødet {meeting.reference} er planlagt til {day:%d.%m.%Y}, {days_text(early)} fra i dag. Tidspunktet "
            "er aftalt med deltagerne; start kun mødet før, når I er enige om det, og bekræft, at det startes før "
            "den planlagte dag.",
            field="planned_at",
            rule=occasion_rule_id(meeting.occasion),
        )


# -- the patient among the participants (C1, §13b) --------------------------------------------------------------
#: The role written for the patient as a participant; also how older meetings named them without a name.
PATIENT_ROLE = "patient"
PATIENT_WORD = "patienten"


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()


def is_patient(p: Participant, patient_name: str = "") -> bool:
    """Is participant ``p`` the patient: registered as borger, or named as the patient (``patient_name``) or just
    "Patienten"? (C1: the patient takes part; §13b: never a party of a koordinationsplan.)"""
    if p.sector == Sector.BORGER:  # ==: a form may hand the value over as the plain string
        return True
    name = _plain(p.name)
    return bool(name) and name in {_plain(patient_name), PATIENT_WORD}


def patient_participant(name: str) -> Participant:
    """The patient as a participant of their meeting: sector borger (C1), role "patient", a fresh key."""
    return Participant(key=uuid.uuid4().hex, name=" ".join(name.split()), sector=Sector.BORGER, role=PATIENT_ROLE)


# -- who receives the referat (C7) -----------------------------------------------------------------------------
def referat_exclusion(p: Participant, patient_name: str = "") -> str:
    """C7: why participant ``p`` does not receive the referat by e-mail, in Danish ("" when they do). The present
    participants receive it; one who sent afbud did not take part and needs the patient's consent like anyone else."""
    if not p.present:
        return "Meldte afbud og deltog ikke: får kun referatet med patientens samtykke (C7)."
    if not p.email.strip():
        if is_patient(p, patient_name):
            return "Ingen e-mail: udlever referatet til patienten, eller angiv en adresse her."
        return "Ingen e-mail registreret: angiv en adresse her, eller giv referatet på anden måde."
    return ""


#: C6: the agreement recommends a mødeleder and a referent who are not the same person.
SAME_LEADER_AND_REFERENT = "Mødeleder og referent bør ikke være samme person."


def same_leader_and_referent(content: MeetingContent) -> bool:
    """C6: one participant is both mødeleder and referent (shown as a reminder, recorded when the meeting closes)."""
    return content.leader_key is not None and content.leader_key == content.referent_key


def _by_key(participants: Sequence[Participant]) -> dict[str, Participant]:
    return {p.key: p for p in participants}


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def check_meeting(meeting: Meeting, *, patient_name: str = "") -> list[MeetingWarning]:
    """Warnings that help the meeting leader; none of them blocks saving. ``patient_name``: the patient's name, so
    a participant named so is recognised as the patient (C1)."""
    c = meeting.content
    people = _by_key(c.participants)
    out: list[MeetingWarning] = []
    sectors = {p.sector for p in c.participants if p.present}
    if Sector.KOMMUNE not in sectors or Sector.REGION not in sectors:
        out.append(
            MeetingWarning("C1", "Mødet bør have mindst én deltager fra kommunen og én fra regionen.", "deltagere")
        )
    unchosen = [p.name.strip() or "en deltager uden navn" for p in c.participants if p.sector is None]
    if unchosen:
        out.append(MeetingWarning("C1", f"Vælg sektor for {_listed(unchosen)}.", "deltagere"))
    misfiled = [p for p in c.participants if p.sector is not None and is_patient(p, patient_name)]
    misfiled = [p for p in misfiled if p.sector != Sector.BORGER]
    for p in misfiled:
        out.append(MeetingWarning("C1", f"Vælg sektoren Borger for patienten ({p.name.strip()}).", "deltagere"))
    if Sector.BORGER not in sectors and not misfiled:
        out.append(MeetingWarning("C1", "Patienten (borgeren) er ikke registreret som deltager.", "deltagere"))
    if c.leader_key is None or c.referent_key is None:
        out.append(MeetingWarning("C6", "Aftal mødeleder og referent ved mødets start.", "roller"))
    elif same_leader_and_referent(c):
        out.append(MeetingWarning("C6", SAME_LEADER_AND_REFERENT, "roller"))
    for i, a in enumerate(c.agreements, start=1):
        if not a.what.strip():
            continue
        if a.owner_key is None or a.owner_key not in people:
            out.append(MeetingWarning("C5", f"Aftale {i} mangler en ansvarlig.", "aftaler"))
        if a.deadline is None:
            out.append(MeetingWarning("C5", f"Aftale {i} mangler en frist.", "aftaler"))
    referent = people.get(c.referent_key or "")
    for section in meeting.template.sections:
        if section.health_professional_only and c.texts.get(section.key, "").strip():
            if referent is None or not referent.health_professional:
                out.append(
                    MeetingWarning(
                        "C6",
                        f"«{section.title}» skal skrives af en sundhedsfaglig deltager; referenten er ikke "
                        "markeret som sundhedsfaglig.",
                        section.key,
                    )
                )
    for section in meeting.template.sections:
        if section.required and section.kind in (SectionKind.AGENDA, SectionKind.TEXT):
            if not c.texts.get(section.key, "").strip():
                out.append(MeetingWarning("C5", f"«{section.title}» er ikke udfyldt.", section.key))
    if c.follow_up.needed is None:
        out.append(MeetingWarning("C5", "Tag stilling til, om der skal være et opfølgningsmøde.", "opfoelgning"))
    return out


def held_notes(meeting: Meeting, today: date) -> list[str]:
    """What the history records about a meeting closed ``today`` beyond "afholdt" (Danish, each with its rule):
    held before its planned day (C2–C4, confirmed when it was started) and leader = referent (C6)."""
    out = []
    early = days_before_planned(meeting, today)
    day = planned_day(meeting)
    if early and day is not None:
        rule = occasion_rule_id(meeting.occasion)
        out.append(f"holdt {days_text(early)} før den planlagte dag {day:%d.%m.%Y} ({rule})")
    if same_leader_and_referent(meeting.content):
        out.append("mødeleder og referent var samme person (C6)")
    return out


@dataclass(frozen=True, slots=True)
class Task:
    """An agreement from a closed meeting, tracked in the admission's overview until done."""

    meeting_id: int
    agreement_key: str
    what: str
    owner: str  # participant name (organisation)
    deadline: date | None
    done: bool


def tasks_of(meeting: Meeting) -> list[Task]:
    """C5/C7: a closed meeting's agreements become tasks with their owner and deadline."""
    if meeting.status is not MeetingStatus.AFSLUTTET or meeting.id is None:
        return []
    people = _by_key(meeting.content.participants)
    out = []
    for a in meeting.content.agreements:
        if not a.what.strip():
            continue
        owner = people.get(a.owner_key or "")
        label = f"{owner.name} ({owner.organisation})" if owner and owner.organisation else owner.name if owner else ""
        out.append(Task(meeting.id, a.key, a.what.strip(), label, a.deadline, a.status is AgreementStatus.UDFOERT))
    return out


def default_agreement_deadline(today: date, cal: WorkCalendar, working_days: int = 5) -> date:
    """A sensible default deadline for a new agreement: 5 arbejdsdage ahead (editable)."""
    return cal.add_working_days(today, working_days)


def task_deadlines(tasks: Sequence[Task], today: date | None) -> list[Deadline]:
    """Agreements from closed netværksmøder shown as deadlines (C5): who is responsible, by when."""
    out = []
    for t in tasks:
        if t.deadline is None or today is None:
            continue
        if t.done:
            state = DeadlineState.MET
        elif today > t.deadline:
            state = DeadlineState.OVERDUE
        else:
            state = DeadlineState.DUE_TODAY if today == t.deadline else DeadlineState.OPEN
        out.append(
            Deadline(
                rule_id="C5",
                kind="moedeaftale",
                description=f"Aftale fra netværksmøde: {t.what}",
                due=t.deadline,
                state=state,
                met_on=None,
                calendar="",
                recipient=None,
                responsible=t.owner or "Ikke angivet",
            )
        )
    return out
