"""Domain records shared by the engine, services, storage and UI.

Plain dataclasses: storage maps them to tables, the engine reads them, the UI shows them. Dates are
``datetime.date``; moments are timezone-aware ``datetime`` in UTC (shown in Europe/Copenhagen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """What can happen to an admission. Append-only history; the value is stored in the database."""

    ORIENTERING_INDLAEGGELSE = "orientering_indlaeggelse"  # A1, B1–B3
    VARSLING = "varsling"  # B5
    FAERDIGMELDING = "faerdigmelding"  # B5
    I_BERO = "i_bero"  # B6
    GENOPTAGET = "genoptaget"  # B6: færdigmelding resumed after i bero
    AFMELDING = "afmelding"  # B7
    ORIENTERING_UDSKRIVNING = "orientering_udskrivning"  # B4, B9
    MEETING_INVITED = "netvaerksmoede_indkaldt"  # C2–C4 (invitation date starts the 5-day clock)
    MEETING_HELD = "netvaerksmoede_afholdt"  # C2–C4
    SCENARIO_ASSESSED = "scenarie_vurderet"  # answers recorded (data holds ScenarioAnswers fields)
    EXPECTED_FAERDIGBEHANDLET = "forventet_faerdigbehandlet"  # medical judgement of the date (data: date, by)
    DISCHARGE = "udskrivning"  # D1…
    READMISSION = "genindlaeggelse"  # E3: ends any udskrivningsaftale/koordinationsplan
    CORRECTION = "korrektion"  # undoes a mistaken event (corrects_event_id); history keeps both
    NOTE = "notat"


EVENT_LABELS: dict[EventKind, str] = {
    EventKind.ORIENTERING_INDLAEGGELSE: "Orientering ved indlæggelse",
    EventKind.VARSLING: "Varsling",
    EventKind.FAERDIGMELDING: "Færdigmelding",
    EventKind.I_BERO: "Færdigmelding sat i bero",
    EventKind.GENOPTAGET: "Færdigmelding genoptaget",
    EventKind.AFMELDING: "Afmelding af færdigmelding",
    EventKind.ORIENTERING_UDSKRIVNING: "Orientering om udskrivning",
    EventKind.MEETING_INVITED: "Netværksmøde indkaldt",
    EventKind.MEETING_HELD: "Netværksmøde afholdt",
    EventKind.SCENARIO_ASSESSED: "Scenarie vurderet",
    EventKind.EXPECTED_FAERDIGBEHANDLET: "Forventet færdigbehandlet-dato",
    EventKind.DISCHARGE: "Udskrivning",
    EventKind.READMISSION: "Genindlæggelse",
    EventKind.CORRECTION: "Korrektion",
    EventKind.NOTE: "Notat",
}


class Channel(StrEnum):
    SIKKER_MAIL = "sikker_mail"
    TELEFON = "telefon"
    MOF = "mof"  # MedCom Melding om færdigbehandling
    NETVAERKSMOEDE = "netvaerksmoede"
    ANDET = "andet"


@dataclass(frozen=True, slots=True)
class Kommune:
    code: str  # official 3-digit kommunekode, e.g. "101"
    name: str  # "København"
    region: str  # "Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"
    secure_mail: str | None = None  # F3: the system-based entrance


@dataclass(frozen=True, slots=True)
class Contact:
    """A person in the ward's contact directory (kontaktbog): picked as a netværksmøde participant (C1, C5).

    Never deleted, only deactivated, so an old referat naming the person stays explainable.
    """

    id: int | None
    name: str
    organisation: str
    sector: Sector  # meetings.Sector (kommune, region, almen praksis, …)
    role: str = ""  # e.g. "sagsbehandler", "overlæge"
    phone: str = ""
    email: str = ""
    kommune_code: str | None = None  # the kommune the person works for, if any
    note: str = ""
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    id: int | None
    cpr: str  # 10 digits, no dash; an erstatnings-CPR when replacement_cpr is True
    given_name: str
    family_name: str
    replacement_cpr: bool = False  # erstatnings-CPR (no Danish CPR or unknown)
    address: str | None = None
    phone: str | None = None
    version: int | None = None  # optimistic locking: the row version this copy was read at

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


@dataclass(frozen=True, slots=True)
class AdmissionFlags:
    """Special groups (A3–A5, B8, C9–C10, D2, D5–D8)."""

    homeless: bool = False  # A5, B5, D7
    botilbud: bool = False  # C9, D5
    misbrug: bool = False  # C10, D6
    retslig_foranstaltning: bool = False  # D8
    children: bool = False  # A4
    lab_par6: bool = False  # A3: covered by lov om aktiv beskæftigelsesindsats §6
    wants_to_leave: bool = False  # B8: wants to leave, cannot be held by force
    multiple_antipsychotics: bool = False  # D2


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The admission's facts that decide whether a discharge plan is required (E1, E2; ``discharge_plans``)."""

    afsnit_v_support: bool = False  # receives support under serviceloven afsnit V (reduced psychiatric function)
    wont_seek_help: bool = False  # presumably will not seek necessary treatment or social offers (§13a stk. 2)
    refuses_participation: bool = False  # will not take part in an udskrivningsaftale (§13b)


@dataclass(frozen=True, slots=True)
class Admission:
    id: int | None
    patient_id: int
    center: str  # "Psykiatrisk Center København"
    ward: str  # "Afsnit 7"
    admitted: date
    bopaelskommune: str  # kommunekode
    opholdskommune: str | None = None  # A5/B5 for homeless
    handlekommune: str | None = None  # A5
    discharged: date | None = None
    involuntary: bool = False  # tvangsindlæggelse (C9)
    expected_faerdigbehandlet: date | None = None  # medical judgement (B5)
    scenario: int | None = None  # 1, 2, 3 or None — from the last assessment
    scenario_answers: dict[str, Any] = field(default_factory=dict)
    flags: AdmissionFlags = field(default_factory=AdmissionFlags)
    demo: bool = False
    version: int | None = None  # optimistic locking: the row version this copy was read at
    plan_facts: PlanFacts = field(default_factory=PlanFacts)  # E1, E2
    planned_discharge: date | None = None  # the planned discharge day (A2, B4; the E1/E2 deadline)


@dataclass(frozen=True, slots=True)
class Event:
    """One entry in an admission's append-only history."""

    id: int | None
    admission_id: int
    kind: EventKind
    occurred_at: datetime  # timezone-aware, UTC
    recorded_by: str  # user name
    recipient_kommune: str | None = None  # kommunekode
    channel: Channel | None = None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    corrects_event_id: int | None = None


class ConsentRecipient(StrEnum):
    """Who the consent lets us share with (F1, F2, C7)."""

    KOMMUNE = "kommune"  # the patient's kommune(r): bopæls-, opholds-, handlekommune
    EGEN_LAEGE = "egen_laege"
    PAAROERENDE = "paaroerende"
    ANDET = "andet"


CONSENT_RECIPIENT_LABELS: dict[ConsentRecipient, str] = {
    ConsentRecipient.KOMMUNE: "Kommunen",
    ConsentRecipient.EGEN_LAEGE: "Egen læge",
    ConsentRecipient.PAAROERENDE: "Pårørende",
    ConsentRecipient.ANDET: "Andre",
}


class ConsentMethod(StrEnum):
    MUNDTLIGT = "mundtligt"
    SKRIFTLIGT = "skriftligt"


@dataclass(frozen=True, slots=True)
class Consent:
    """The patient's consent to share information (F1, F2): what, with whom, when, how; withdrawal honoured."""

    id: int | None
    patient_id: int
    recipient: ConsentRecipient
    given_to: str  # e.g. "Københavns Kommune", "egen læge", "pårørende: søster"
    scope: str  # what may be shared, e.g. "Varsling og færdigmelding, oplysninger om funktionsniveau"
    method: ConsentMethod
    given_at: datetime  # aware UTC
    recorded_by: str
    admission_id: int | None = None
    withdrawn_at: datetime | None = None
    note: str = ""

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class ArchivedDocument:
    """An issued document, archived immutably: the exact PDF bytes, their SHA-256 and the data they came from."""

    id: int | None
    admission_id: int | None  # None: an ambulant patient's document (issue 5)
    kind: str  # "varslingsblanket", "netvaerksmoede_referat", "udskrivningsaftale", …
    title: str  # Danish, shown in the history, e.g. "Varslingsblanket – varsling"
    created_at: datetime  # aware UTC
    created_by: str
    sha256: str  # hex digest of ``content``
    data_version: str  # digest of the input data the PDF was rendered from
    event_id: int | None = None  # the notification event it was issued with
    content: bytes | None = None  # None when listed without the bytes
    patient_id: int | None = None  # always set once stored; derived from the admission when not given


# -- shared by the deadline engine and the netværksmøder (here, so neither imports the other) --------------


class Sector(StrEnum):
    KOMMUNE = "kommune"
    REGION = "region"
    ALMEN_PRAKSIS = "almen_praksis"
    BORGER = "borger"
    PAAROERENDE = "paaroerende"
    ANDET = "andet"


SECTOR_LABELS: dict[Sector, str] = {
    Sector.KOMMUNE: "Kommune",
    Sector.REGION: "Region",
    Sector.ALMEN_PRAKSIS: "Almen praksis",
    Sector.BORGER: "Borger",
    Sector.PAAROERENDE: "Pårørende",
    Sector.ANDET: "Andet",
}


class DeadlineState(StrEnum):
    MET = "met"
    OPEN = "open"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


DEADLINE_STATE_LABELS: dict[DeadlineState, str] = {
    DeadlineState.MET: "Overholdt",
    DeadlineState.OPEN: "Åben",
    DeadlineState.DUE_TODAY: "Frist i dag",
    DeadlineState.OVERDUE: "Overskredet",
}


@dataclass(frozen=True, slots=True)
class Deadline:
    rule_id: str
    kind: str  # rules.Rule.key
    description: str  # Danish, e.g. "Varsling senest 8 dage før færdigbehandlet"
    due: date
    state: DeadlineState
    met_on: date | None
    calendar: str  # which calendar produced ``due``
    recipient: str | None  # "bopaelskommune", "opholdskommune", "handlekommune" or None
    responsible: str = "center"
    missed: bool = False  # can no longer be met

    @property
    def late(self) -> bool:
        """Met, but after the due date (for the H measures)."""
        return self.met_on is not None and self.met_on > self.due
