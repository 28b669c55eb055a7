# ruff: noqa: E501  (the rule table keeps one rule per line so it reads like the agreement)
"""The agreement's duties and deadlines as data (the IDs are explained in ``docs/regler.md``).

Every A–G rule that puts a duty on someone has an entry here, so "why does the app say this?" ends at a rule ID
and a paragraph of the *Samarbejdsaftale* (2022) or Københavns Kommune's handleplan (G). A rule with a number
(``offset`` + ``unit``) becomes a dated deadline in ``deadlines.py``; one without is a duty or reminder.

Units are settings (``RuleSettings``): the 2022 adult agreement counts "8 dage" before færdigbehandlet in calendar
days, the child-psychiatry agreement says "8 hverdage" — ``RuleSettings.child_psychiatry()``.

Triggers and fulfilments are strings: an ``EventKind`` value, a ``Trigger`` (dates of the admission itself) or a
``Milestone`` — a NOTE event with ``data["milestone"]`` for things that have no event kind of their own
(epikrise sent, korrespondance answered, …).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from coordinator_app.domain.model import EventKind
from coordinator_app.domain.workdays import WorkCalendar, local_date


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"
    WEEKS = "weeks"


UNIT_LABELS: dict[Unit, tuple[str, str]] = {  # singular, plural
    Unit.CALENDAR_DAYS: ("dag", "dage"),
    Unit.WORKING_DAYS: ("arbejdsdag", "arbejdsdage"),
    Unit.HOURS: ("time", "timer"),
    Unit.WEEKS: ("uge", "uger"),
}


class Trigger(StrEnum):
    """Dates that come from the admission rather than from one event."""

    ADMISSION = "indlaeggelse"
    EXPECTED_FAERDIGBEHANDLET = "forventet_faerdigbehandlet"  # latest medical judgement (B5)
    SCENARIO = "scenarie"  # when the need for support was identified (A1, B1–B3)
    PLANNED_DISCHARGE = "planlagt_udskrivning"  # E1/E2: planned discharge, else expected færdigbehandlet


class Milestone(StrEnum):
    """Facts recorded as a NOTE event with ``data["milestone"]`` (no event kind of their own)."""

    EPIKRISE_SENDT = "epikrise_sendt"  # D1
    KORRESPONDANCE_SENDT = "korrespondance_sendt"  # D3
    KORRESPONDANCE_BESVARET = "korrespondance_besvaret"  # D3
    GENOPTRAENINGSPLAN = "genoptraeningsplan"  # D4
    BOTILBUD_KONKRET_VURDERING = "botilbud_konkret_vurdering"  # D5: follow-up within 5 days instead
    BOTILBUD_OPFOELGNING = "botilbud_opfoelgning"  # D5
    BOERN_VURDERET = "boern_vurderet"  # A4
    UNDERRETNING_SENDT = "underretning_sendt"  # A4
    UNDERRETNING_VURDERET = "underretning_vurderet"  # A4
    UDSKRIVNINGSKOORDINATOR = "udskrivningskoordinator"  # A3
    GP_DIALOG = "gp_dialog"  # D2
    MISBRUG_KONTAKT = "misbrug_kontakt"  # D6
    OPHOLDSSTED = "opholdssted"  # D7
    KRIMINALFORSORGEN = "kriminalforsorgen"  # D8
    BUC_OVERGANG = "buc_overgang"  # D9
    SAMTYKKE = "samtykke"  # F1, F2, B8
    KOMMUNE_KONTAKT = "kommune_kontakt"  # B2, B3: a contact with the kommune logged as a note (data["kommune"])
    UDSKRIVNINGSAFTALE = "udskrivningsaftale"  # E1; data["end"] ISO date (E3)
    KOORDINATIONSPLAN = "koordinationsplan"  # E2; data["end"] ISO date (E3)
    KOMMUNAL_AFGOERELSE = "kommunal_afgoerelse"  # G1
    STATUSMOEDE = "statusmoede"  # G2
    UENIGHED = "uenighed"  # G3
    UENIGHED_ESKALERET = "uenighed_eskaleret"  # G3


@dataclass(frozen=True, slots=True)
class Rule:
    """One duty of the agreement. ``text`` may use ``{n}`` and ``{unit}`` for the configurable number."""

    key: str  # unique; also the Deadline.kind
    rule_id: str  # agreement ID, e.g. "B5"
    text: str  # Danish, shown to the user
    reference: str  # where the source says it
    trigger: str | None = None
    offset: int | None = None
    unit: Unit | None = None
    before: bool = False  # the deadline lies before the trigger (varsling)
    latest_send: bool = False  # a latest sending day on a closed day moves to the previous working day
    fulfilled_by: tuple[str, ...] = ()
    responsible: str = "center"  # center, kommune, gp, botilbudsteam
    group: str | None = None  # special group (AdmissionFlags field, or "botilbud_tvang")

    @property
    def has_deadline(self) -> bool:
        return self.offset is not None and self.unit is not None

    @property
    def description(self) -> str:
        if self.offset is None or self.unit is None:
            return self.text
        singular, plural = UNIT_LABELS[self.unit]
        return self.text.format(n=self.offset, unit=singular if self.offset == 1 else plural)


SA = "Samarbejdsaftale om voksne borgere med psykisk sygdom (2022)"
KK = "Københavns Kommune, handleplan for hjemtagning af færdigbehandlede borgere"

_CD, _WD, _H, _W = Unit.CALENDAR_DAYS, Unit.WORKING_DAYS, Unit.HOURS, Unit.WEEKS
_K = EventKind
_M = Milestone

RULES: tuple[Rule, ...] = (
    # A. Indlæggelse
    Rule(
        "spoerg_om_stoette",
        "A1",
        "Vurder scenarie: spørg om kommunal støtte ved indlæggelsen",
        f"{SA}, Indlæggelse",
        trigger=Trigger.ADMISSION,
        offset=0,
        unit=_CD,
        fulfilled_by=(_K.SCENARIO_ASSESSED,),
    ),
    Rule(
        "informer_forventet_udskrivning",
        "A2",
        "Hold kommunen orienteret om funktionsniveau og forventet udskrivningsdato",
        f"{SA}, Indlæggelse",
    ),
    Rule(
        "udskrivningskoordinator",
        "A3",
        "Tilbyd udskrivningskoordinator (LAB §6) og kontakt kommunen, hvis patienten ønsker det",
        f"{SA}, Udskrivningskoordinator",
        fulfilled_by=(_M.UDSKRIVNINGSKOORDINATOR,),
        group="lab_par6",
    ),
    Rule(
        "boern_vurdering",
        "A4",
        "Undersøg om der er børn i familien, og om nogen tager sig af dem; tag stilling til underretning",
        f"{SA}, Børn i familier med psykisk sygdom",
        trigger=Trigger.ADMISSION,
        offset=0,
        unit=_CD,
        fulfilled_by=(_M.BOERN_VURDERET, _M.UNDERRETNING_SENDT),
        group="children",
    ),
    Rule(
        "underretning_vurdering",
        "A4",
        "Kommunen vurderer underretningen inden {n} {unit}",
        f"{SA}, Børn i familier med psykisk sygdom",
        trigger=_M.UNDERRETNING_SENDT,
        offset=24,
        unit=_H,
        fulfilled_by=(_M.UNDERRETNING_VURDERET,),
        responsible="kommune",
        group="children",
    ),
    Rule(
        "hjemloes_kontakt",
        "A5",
        "Hjemløs: kontakt handlekommunen; er den ukendt, opholdskommunen",
        f"{SA}, Hjemløse",
        group="homeless",
    ),
    # B. Scenarierne
    Rule(
        "orientering_scenarie_1",
        "B1",
        "Orientér kommunen ved indlæggelsen (scenarie 1)",
        f"{SA}, Scenarie 1",
        trigger=Trigger.SCENARIO,
        offset=0,
        unit=_CD,
        fulfilled_by=(_K.ORIENTERING_INDLAEGGELSE,),
    ),
    Rule(
        "kontakt_scenarie_2",
        "B2",
        "Kontakt kommunen straks om det større behov (scenarie 2)",
        f"{SA}, Scenarie 2",
        trigger=Trigger.SCENARIO,
        offset=0,
        unit=_CD,
        fulfilled_by=(_K.ORIENTERING_INDLAEGGELSE, _K.VARSLING, _M.KOMMUNE_KONTAKT),  # same kommune (deadlines)
    ),
    Rule(
        "kontakt_scenarie_3",
        "B3",
        "Kontakt kommunen hurtigst muligt efter indlæggelsen (scenarie 3)",
        f"{SA}, Scenarie 3",
        trigger=Trigger.SCENARIO,
        offset=0,
        unit=_CD,
        fulfilled_by=(_K.ORIENTERING_INDLAEGGELSE, _K.VARSLING, _M.KOMMUNE_KONTAKT),  # same kommune (deadlines)
    ),
    Rule(
        "orientering_udskrivning_b4",
        "B4",
        "Kan udskrives før indsatsen er på plads: ingen varsling eller færdigmelding – orientér om udskrivningen",
        f"{SA}, Scenarie 2–3",
        fulfilled_by=(_K.ORIENTERING_UDSKRIVNING,),
    ),
    Rule(
        "varsling",
        "B5",
        "Varsling senest {n} {unit} før færdigbehandlet",
        f"{SA}, Scenarie 2–3 (varsling)",
        trigger=Trigger.EXPECTED_FAERDIGBEHANDLET,
        offset=8,
        unit=_CD,
        before=True,
        latest_send=True,
        fulfilled_by=(_K.VARSLING,),
    ),
    Rule(
        "faerdigmelding",
        "B5",
        "Færdigmelding når patienten er færdigbehandlet (lægelig vurdering)",
        f"{SA}, Scenarie 2–3 (færdigmelding)",
        trigger=Trigger.EXPECTED_FAERDIGBEHANDLET,
        offset=0,
        unit=_CD,
        fulfilled_by=(_K.FAERDIGMELDING,),
    ),
    Rule(
        "i_bero",
        "B6",
        "Færdigmelding i bero, indtil de lægelige oplysninger er leveret – genoptag derefter",
        f"{SA}, Scenarie 2 (i bero)",
        fulfilled_by=(_K.GENOPTAGET,),
    ),
    Rule(
        "afmelding",
        "B7",
        "Afmeld færdigmeldingen, hvis behandlingen genoptages; ny færdigmelding efter B1–B5",
        f"{SA}, Afmelding af færdigmelding",
        fulfilled_by=(_K.AFMELDING,),
    ),
    Rule(
        "oensker_udskrivning",
        "B8",
        "Vil ikke være indlagt: orientér kommunen kun med samtykke; udskrivningsaftale eller koordinationsplan er som hovedregel nødvendig",
        f"{SA}, Scenarie 2–3",
        fulfilled_by=(_M.SAMTYKKE,),
        group="wants_to_leave",
    ),
    Rule(
        "udskrivningsdato",
        "B9",
        "Orientér eller varsl kommunen, så snart udskrivningsdatoen kendes",
        f"{SA}, Udskrivning",
        fulfilled_by=(_K.ORIENTERING_UDSKRIVNING,),
    ),
    # C. Netværksmøder
    Rule(
        "deltagere",
        "C1",
        "Netværksmøde: mindst én fra kommunen og én fra regionen samt patienten",
        f"{SA}, Tværsektorielle netværksmøder",
    ),
    Rule(
        "netvaerksmoede",
        "C2",
        "Netværksmøde senest {n} {unit} efter invitationen",
        f"{SA}, Netværksmøder under indlæggelse",
        trigger=_K.MEETING_INVITED,
        offset=5,
        unit=_WD,
        fulfilled_by=(_K.MEETING_HELD,),
    ),
    Rule(
        "netvaerksmoede_efter_udskrivning",
        "C3",
        "Netværksmøde efter udskrivning senest {n} {unit} efter anmodningen",
        f"{SA}, Netværksmøder under indlæggelse",
        trigger=_K.MEETING_INVITED,
        offset=5,
        unit=_WD,
        fulfilled_by=(_K.MEETING_HELD,),
    ),
    Rule(
        "netvaerksmoede_ved_udskrivning",
        "C4",
        "Netværksmøde ved udskrivning senest {n} {unit} efter anmodningen",
        f"{SA}, Netværksmøder ved udskrivning",
        trigger=_K.MEETING_INVITED,
        offset=5,
        unit=_WD,
        fulfilled_by=(_K.MEETING_HELD,),
    ),
    Rule(
        "skabelon",
        "C5",
        "Brug netværksmødeskabelonen: dagsorden, deltagere, aftaler med ansvarlig og frist, opfølgning",
        f"{SA}, Netværksmødeskabelon",
    ),
    Rule(
        "roller",
        "C6",
        "Aftal mødeleder, referent og tovholder; mødeleder og referent er ikke samme person",
        f"{SA}, Netværksmødeskabelon",
    ),
    Rule("referat", "C7", "Referatet sendes til deltagerne; til andre kun med samtykke", f"{SA}, Netværksmødeskabelon"),
    Rule(
        "moedeform",
        "C8",
        "Mødeform (fysisk, video, telefon) aftales med patienten",
        f"{SA}, Tværsektorielle netværksmøder",
    ),
    Rule(
        "botilbud_tvang",
        "C9",
        "Tvangsindlagt botilbudsbeboer: hold netværksmøde med botilbuddets leder",
        f"{SA}, Botilbud",
        fulfilled_by=(_K.MEETING_HELD,),
        group="botilbud_tvang",
    ),
    Rule(
        "misbrug_moede",
        "C10",
        "Psykisk sygdom og misbrug: netværksmødet er den koordinerende indsatsplan",
        f"{SA}, Misbrug",
        fulfilled_by=(_K.MEETING_HELD,),
        group="misbrug",
    ),
    # D. Udskrivning og efter
    Rule(
        "epikrise",
        "D1",
        "Epikrise til egen læge inden {n} {unit} efter udskrivning",
        f"{SA}, Udskrivning",
        trigger=_K.DISCHARGE,
        offset=24,
        unit=_H,
        fulfilled_by=(_M.EPIKRISE_SENDT,),
    ),
    Rule(
        "antipsykotika",
        "D2",
        "Flere antipsykotika eller tæt monitorering: dialog med egen læge før udskrivning",
        f"{SA}, Udskrivning",
        fulfilled_by=(_M.GP_DIALOG,),
        group="multiple_antipsychotics",
    ),
    Rule(
        "korrespondance_svar",
        "D3",
        "Egen læge svarer på korrespondancemeddelelsen inden {n} {unit}",
        f"{SA}, Udskrivning",
        trigger=_M.KORRESPONDANCE_SENDT,
        offset=3,
        unit=_WD,
        fulfilled_by=(_M.KORRESPONDANCE_BESVARET,),
        responsible="gp",
    ),
    Rule(
        "genoptraening",
        "D4",
        "Genoptræningsplan ved lægefagligt begrundet behov",
        f"{SA}, Udskrivning",
        fulfilled_by=(_M.GENOPTRAENINGSPLAN,),
    ),
    Rule(
        "botilbud_opfoelgning",
        "D5",
        "Botilbudsteamet følger op {n} {unit} efter udskrivning",
        f"{SA}, Botilbud",
        trigger=_K.DISCHARGE,
        offset=1,
        unit=_CD,
        fulfilled_by=(_M.BOTILBUD_OPFOELGNING,),
        responsible="botilbudsteam",
        group="botilbud",
    ),
    Rule(
        "botilbud_opfoelgning_konkret",
        "D5",
        "Botilbudsteamet følger op senest {n} {unit} efter udskrivning (konkret vurdering)",
        f"{SA}, Botilbud",
        trigger=_K.DISCHARGE,
        offset=5,
        unit=_CD,
        fulfilled_by=(_M.BOTILBUD_OPFOELGNING,),
        responsible="botilbudsteam",
        group="botilbud",
    ),
    Rule(
        "misbrug_kontakt",
        "D6",
        "Misbrugsbehandling under indlæggelsen: kontakt kommunens behandlingssystem (med samtykke)",
        f"{SA}, Misbrug",
        fulfilled_by=(_M.MISBRUG_KONTAKT,),
        group="misbrug",
    ),
    Rule(
        "hjemloes_opholdssted",
        "D7",
        "Hjemløs: kommunen hjælper med at finde et opholdssted før udskrivning",
        f"{SA}, Hjemløse",
        fulfilled_by=(_M.OPHOLDSSTED,),
        responsible="kommune",
        group="homeless",
    ),
    Rule(
        "retslig",
        "D8",
        "Retslig foranstaltning: overlægen varetager foranstaltningen; Kriminalforsorgen deltager i netværksmøder",
        f"{SA}, Retslig foranstaltning",
        fulfilled_by=(_M.KRIMINALFORSORGEN,),
        group="retslig_foranstaltning",
    ),
    Rule(
        "overgang_18",
        "D9",
        "18-årsovergang: BUC inviterer voksenpsykiatrien til netværksmøde",
        f"{SA}, Unge 18 år",
        fulfilled_by=(_M.BUC_OVERGANG,),
    ),
    # E. Udskrivningsaftale og koordinationsplan
    Rule(
        "udskrivningsaftale",
        "E1",
        "Udskrivningsaftale før udskrivning (psykiatriloven §13a)",
        f"{SA}, Udskrivningsaftaler",
        trigger=Trigger.PLANNED_DISCHARGE,
        offset=0,
        unit=_CD,
        fulfilled_by=(_M.UDSKRIVNINGSAFTALE, _M.KOORDINATIONSPLAN),
    ),
    Rule(
        "koordinationsplan",
        "E2",
        "Koordinationsplan før udskrivning, når patienten ikke vil medvirke til en udskrivningsaftale (§13b)",
        f"{SA}, Koordinationsplaner",
        trigger=Trigger.PLANNED_DISCHARGE,
        offset=0,
        unit=_CD,
        fulfilled_by=(_M.KOORDINATIONSPLAN,),
    ),
    Rule(
        "plan_udloeber",
        "E3",
        "Udskrivningsaftale/koordinationsplan udløber (slutdato eller genindlæggelse)",
        f"{SA}, Udskrivningsaftaler",
        trigger=_M.UDSKRIVNINGSAFTALE,
        offset=0,
        unit=_CD,
        fulfilled_by=(_K.READMISSION,),
    ),
    # F. Samtykke
    Rule(
        "samtykke",
        "F1",
        "Registrér samtykke: hvad, til hvem, hvornår og hvordan; respektér tilbagetrækning",
        f"{SA}, Samtykke",
        fulfilled_by=(_M.SAMTYKKE,),
    ),
    Rule("paaroerende", "F2", "Inddragelse af pårørende kræver samtykke", f"{SA}, Samtykke"),
    Rule("systemindgang", "F3", "Brug kommunens systemindgang (sikker postkasse)", f"{SA}, Kommunikation"),
    # G. Kommunen
    Rule(
        "sagsbehandling",
        "G1",
        "Kommunens sagsbehandlingsfrist: {n} {unit} fra varsling/færdigmelding",
        KK,
        trigger=_K.VARSLING,
        offset=12,
        unit=_W,
        fulfilled_by=(_M.KOMMUNAL_AFGOERELSE, _K.DISCHARGE),
        responsible="kommune",
    ),
    Rule(
        "statusmoede",
        "G2",
        "Statusmøde hver {n}. dag, mens patienten er færdigmeldt",
        KK,
        trigger=_K.FAERDIGMELDING,
        offset=14,
        unit=_CD,
        fulfilled_by=(_M.STATUSMOEDE, _K.MEETING_HELD),
        responsible="kommune",
    ),
    Rule(
        "eskalering",
        "G3",
        "Uenighed om udskrivning løftes til chefniveau inden {n} {unit}",
        KK,
        trigger=_M.UENIGHED,
        offset=1,
        unit=_W,
        fulfilled_by=(_M.UENIGHED_ESKALERET,),
    ),
)

RULES_BY_KEY: dict[str, Rule] = {r.key: r for r in RULES}

#: Each milestone's Danish name (the history shows a milestone note with it, "Registrér som udført" offers it).
MILESTONE_LABELS: dict[Milestone, str] = {
    Milestone.EPIKRISE_SENDT: "Epikrise sendt til egen læge",
    Milestone.KORRESPONDANCE_SENDT: "Korrespondancemeddelelse sendt til egen læge",
    Milestone.KORRESPONDANCE_BESVARET: "Egen læge har svaret på korrespondancemeddelelsen",
    Milestone.GENOPTRAENINGSPLAN: "Genoptræningsplan udarbejdet",
    Milestone.BOTILBUD_KONKRET_VURDERING: "Botilbud: konkret vurdering – opfølgning inden 5 dage",
    Milestone.BOTILBUD_OPFOELGNING: "Botilbudsteamet har fulgt op",
    Milestone.BOERN_VURDERET: "Børn i familien undersøgt",
    Milestone.UNDERRETNING_SENDT: "Underretning sendt til kommunen",
    Milestone.UNDERRETNING_VURDERET: "Kommunen har vurderet underretningen",
    Milestone.UDSKRIVNINGSKOORDINATOR: "Udskrivningskoordinator tilbudt",
    Milestone.GP_DIALOG: "Dialog med egen læge før udskrivning",
    Milestone.MISBRUG_KONTAKT: "Kontakt til kommunens misbrugsbehandling",
    Milestone.OPHOLDSSTED: "Opholdssted fundet",
    Milestone.KRIMINALFORSORGEN: "Kriminalforsorgen inddraget",
    Milestone.BUC_OVERGANG: "18-årsovergang: netværksmøde med BUC",
    Milestone.SAMTYKKE: "Samtykke",
    Milestone.KOMMUNE_KONTAKT: "Kontakt med kommunen",
    Milestone.UDSKRIVNINGSAFTALE: "Udskrivningsaftale i kraft",
    Milestone.KOORDINATIONSPLAN: "Koordinationsplan i kraft",
    Milestone.KOMMUNAL_AFGOERELSE: "Kommunens afgørelse",
    Milestone.STATUSMOEDE: "Statusmøde",
    Milestone.UENIGHED: "Uenighed om udskrivning",
    Milestone.UENIGHED_ESKALERET: "Uenighed løftet til chefniveau",
}

#: The milestones that are only a note — recorded with "Registrér som udført…" (``services.milestones``). The
#: others have a workflow of their own: samtykke (Samtykker…, F1), kommune_kontakt (Registrér kontakt med
#: kommunen…, B2/B3), udskrivningsaftale/koordinationsplan (the plan editor, E1/E2), or are the kommune's and
#: the disagreement's (G1–G3).
NOTE_MILESTONES: frozenset[Milestone] = frozenset(Milestone) - {
    Milestone.SAMTYKKE,
    Milestone.KOMMUNE_KONTAKT,
    Milestone.UDSKRIVNINGSAFTALE,
    Milestone.KOORDINATIONSPLAN,
    Milestone.KOMMUNAL_AFGOERELSE,
    Milestone.STATUSMOEDE,
    Milestone.UENIGHED,
    Milestone.UENIGHED_ESKALERET,
}


#: Where the first rule that names a milestone is not the one it is known by.
_MILESTONE_RULE_IDS = {
    Milestone.SAMTYKKE: "F1",
    Milestone.KOMMUNE_KONTAKT: "B2/B3",
    Milestone.KOORDINATIONSPLAN: "E2",
    Milestone.BOTILBUD_KONKRET_VURDERING: "D5",
}


def milestone_rule_id(milestone: str) -> str | None:
    """The agreement ID a milestone belongs to: the first rule it fulfils, else the first it starts."""
    if milestone in _MILESTONE_RULE_IDS:
        return _MILESTONE_RULE_IDS[Milestone(milestone)]
    for rule in RULES:
        if milestone in rule.fulfilled_by:
            return rule.rule_id
    for rule in RULES:
        if rule.trigger == milestone:
            return rule.rule_id
    return None


def milestone_label(milestone: object) -> str | None:
    """The Danish name of a note's ``data["milestone"]`` with its rule ID ("Børn i familien undersøgt (A4)"),
    None when the note carries no known milestone."""
    if not isinstance(milestone, str) or milestone not in Milestone.__members__.values():
        return None
    label = MILESTONE_LABELS[Milestone(milestone)]
    rule_id = milestone_rule_id(milestone)
    return f"{label} ({rule_id})" if rule_id else label


def rules_for(rule_id: str) -> list[Rule]:
    """All entries for one agreement ID (B5 has two: varsling and færdigmelding)."""
    return [r for r in RULES if r.rule_id == rule_id]


@dataclass(frozen=True, slots=True)
class RuleOverride:
    offset: int | None = None
    unit: Unit | None = None


@dataclass(frozen=True)
class RuleSettings:
    """Per-rule overrides of number and unit; defaults are the 2022 adult agreement."""

    overrides: Mapping[str, RuleOverride] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.overrides) - set(RULES_BY_KEY)
        if unknown:
            raise KeyError(f"Ukendte regler i indstillingerne: {', '.join(sorted(unknown))}")

    @classmethod
    def child_psychiatry(cls) -> RuleSettings:
        """The child-psychiatry agreement counts the varsling in hverdage (B5)."""
        return cls({"varsling": RuleOverride(unit=Unit.WORKING_DAYS)})

    def rule(self, key: str) -> Rule:
        base = RULES_BY_KEY[key]
        override = self.overrides.get(key)
        if override is None:
            return base
        return dataclasses.replace(
            base,
            offset=base.offset if override.offset is None else override.offset,
            unit=base.unit if override.unit is None else override.unit,
        )


DEFAULT_SETTINGS = RuleSettings()


def apply_offset(rule: Rule, anchor: date | datetime, cal: WorkCalendar) -> date:
    """The due date of ``rule`` counted from ``anchor`` (a moment for hour rules when one is known).

    Hours count from the moment and land on its Danish date; from a bare date, 24 h is the next day.
    A latest sending day on a closed day moves back to the previous working day (B5; ``docs/regler.md``, *Sådan
    tælles fristerne*).
    """
    if rule.offset is None or rule.unit is None:
        raise ValueError(f"Regel {rule.rule_id} ({rule.key}) har ingen frist")
    n = -rule.offset if rule.before else rule.offset
    if rule.unit is Unit.HOURS:
        if isinstance(anchor, datetime):
            due = local_date(anchor + timedelta(hours=n))
        else:
            due = anchor + timedelta(days=-((-n) // 24))  # ceil(n / 24) days
    else:
        day = local_date(anchor) if isinstance(anchor, datetime) else anchor
        if rule.unit is Unit.WORKING_DAYS:
            due = cal.add_working_days(day, n)
        elif rule.unit is Unit.WEEKS:
            due = day + timedelta(weeks=n)
        else:
            due = day + timedelta(days=n)
    return cal.previous_working_day(due) if rule.latest_send else due


def calendar_label(rule: Rule, cal: WorkCalendar) -> str:
    """Which calendar produced a deadline: the working-day calendar, or plain calendar days."""
    if rule.unit is Unit.WORKING_DAYS or rule.latest_send:
        return cal.name
    return "Kalenderdage"
