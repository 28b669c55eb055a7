"""The varslingsblanket: one form for every notification the center sends a kommune (B1–B9, A5, F1).

The agreement (B5) refers to Region Hovedstaden's *Blanket – forvarsling og færdigbehandling*. Its exact
layout is not available to us, so this form does not imitate it: it carries everything the agreement
says such a message must tell the kommune, in numbered sections, on one layout for all seven kinds:

- the kind, as a row of check boxes (☒ for the chosen one) and a framed note quoting the duty or
  consequence of that kind (B5 færdigmelding: sengedagsbetaling, sundhedsloven § 238; B6 i bero;
  B7 afmelding; …);
- 1 Patient (name, full CPR – the kommune needs it –, address or "Hjemløs");
- 2 Modtager (kommune, kommunekode, as which kind of kommune (B5/A5), secure mailbox (F3));
- 3 Afsender (center, afsnit, the ward's contact person – not "udskrivningskoordinator", see
  :data:`SENDER_LABEL` –, phone, secure mail, when sent);
- 4 Indlæggelse og forløb (admitted, scenario, expected færdigbehandlet as a medical judgement and by whom, the
  latest varsling day and – for a late varsling – how late, also marked under the kind; færdigbehandlet / i bero /
  genoptaget / afmeldt from, and the doctor's judgement of a færdigmelding);
- 5 Kommunal indsats (today; expected at discharge);
- 6 Planlagte tiltag (netværksmøde (C2), udskrivningsaftale §13a, koordinationsplan §13b);
- 7 Samtykke / hjemmel (F1);
- 8 Bemærkninger (any length; flows onto further pages);
- 9 Underskrift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from coordinator_app.documents import layout
from coordinator_app.documents.layout import DocumentMeta, format_date, format_datetime
from coordinator_app.domain.cpr import format_cpr
from coordinator_app.domain.scenarios import varsling_due
from coordinator_app.domain.workdays import WorkCalendar


class FormType(StrEnum):
    ORIENTERING = "orientering"
    VARSLING = "varsling"
    FAERDIGMELDING = "faerdigmelding"
    AFMELDING = "afmelding"
    I_BERO = "i_bero"
    GENOPTAGET = "genoptaget"
    ORIENTERING_UDSKRIVNING = "orientering_udskrivning"


#: The document title of each kind (page heading, page header, archive title).
FORM_TITLES: dict[FormType, str] = {
    FormType.ORIENTERING: "Orientering – patient indlagt på psykiatrisk center",
    FormType.VARSLING: "Varsling – forventet behov for kommunal indsats ved udskrivning",
    FormType.FAERDIGMELDING: "Færdigmelding – patienten er færdigbehandlet under indlæggelse",
    FormType.AFMELDING: "Afmelding af færdigmelding – behandlingen er genoptaget",
    FormType.I_BERO: "Færdigmelding i bero – afventer lægelige oplysninger",
    FormType.GENOPTAGET: "Færdigmelding genoptaget",
    FormType.ORIENTERING_UDSKRIVNING: "Orientering om udskrivning",
}

#: What an optional field the app has no value for prints, on every form: "Ingen" would claim there is none
#: (and contradict scenario 1 or 2 on the same form), so unknown is said as unknown.
NOT_KNOWN = layout.NOT_KNOWN

#: The label of the person who sends the form. Not "Udskrivningskoordinator": in the agreement (section
#: *Udskrivningskoordinatorer*) that is the mentor a patient covered by lov om aktiv beskæftigelsesindsats § 6
#: has a right to, not the ward's coordinator.
SENDER_LABEL = "Kontaktperson på afsnittet"

#: The check-box label of each kind, in the order printed.
FORM_LABELS: dict[FormType, str] = {
    FormType.ORIENTERING: "Orientering",
    FormType.VARSLING: "Varsling",
    FormType.FAERDIGMELDING: "Færdigmelding",
    FormType.AFMELDING: "Afmelding",
    FormType.I_BERO: "I bero",
    FormType.GENOPTAGET: "Genoptaget",
    FormType.ORIENTERING_UDSKRIVNING: "Orientering om udskrivning",
}

#: What each kind means for the kommune, printed in a framed note under the kind (agreement B, A1).
FORM_NOTES: dict[FormType, str] = {
    FormType.ORIENTERING: (
        "Orientering om indlæggelse (A1). Centret orienterer kommunen om, at patienten er indlagt. Har "
        "patienten et større eller nyt behov for kommunal indsats ved udskrivningen (scenarie 2 og 3), "
        "beder centret om dialog så tidligt som muligt. Varsling og færdigmelding følger kun, hvis "
        "patienten ikke kan udskrives, før en kommunal indsats er på plads (B5)."
    ),
    FormType.VARSLING: (
        "Varsling (B5). Patienten forventes ikke at kunne udskrives, før en kommunal indsats er iværksat. "
        "Varslingen sendes så tidligt som muligt og senest 8 dage før, patienten efter lægelig vurdering "
        "forventes at være færdigbehandlet. Den supplerer – men erstatter ikke – den tværsektorielle "
        "dialog og netværksmøderne (C2)."
    ),
    FormType.FAERDIGMELDING: (
        "Færdigmelding (B5). Patienten er efter lægelig vurdering færdigbehandlet under indlæggelse fra "
        "den anførte dato. Fra færdigmeldingen betaler kommunen regionen pr. sengedag "
        "(sundhedsloven § 238, stk. 1). Er der ventetid på den kommunale indsats, skal kommunen sørge for "
        "anden støtte i ventetiden, så patienten kan udskrives så hurtigt som muligt."
    ),
    FormType.AFMELDING: (
        "Afmelding af færdigmelding (B7). Patientens tilstand er forværret efter færdigmeldingen, og den "
        "behandlingsansvarlige læge har genoptaget behandlingen. Patienten er derfor ikke længere "
        "færdigbehandlet fra den anførte dato. Når patienten igen er parat til udskrivning, sendes en ny "
        "færdigmelding."
    ),
    FormType.I_BERO: (
        "Færdigmelding i bero (B6). De lægelige oplysninger, kommunen skal bruge for at behandle sagen, er "
        "ikke leveret inden for fristerne i aftalen om socialt-lægeligt samarbejde. Færdigmeldingen er sat "
        "i bero fra den anførte dato, indtil oplysningerne er leveret; derefter genoptages den."
    ),
    FormType.GENOPTAGET: (
        "Færdigmelding genoptaget (B6). De lægelige oplysninger er leveret til kommunen, og "
        "færdigmeldingen gælder igen fra den anførte dato."
    ),
    FormType.ORIENTERING_UDSKRIVNING: (
        "Orientering om udskrivning (B1, B4, B9). Centret orienterer kommunen om patientens udskrivning, "
        "så kommunen kan tilrettelægge sin indsats. Orienteringen er hverken en varsling eller en "
        "færdigmelding."
    ),
}

#: The scenarios in the agreement's own words (B, table).
SCENARIO_TEXTS: dict[int, str] = {
    1: "1 – har en kommunal indsats; behovet for støtte forventes uændret ved udskrivningen",
    2: "2 – har en kommunal indsats; behovet for støtte forventes større ved udskrivningen",
    3: "3 – har ingen kommunal indsats; centret skønner, at der kan blive behov for kommunal indsats ved udskrivningen",
}

#: Kinds that concern the færdigmelding (B5–B7): these go to the kommune under B5.
B5_FORMS = frozenset(
    {FormType.VARSLING, FormType.FAERDIGMELDING, FormType.AFMELDING, FormType.I_BERO, FormType.GENOPTAGET}
)

#: The label of the "from" date on kinds that have one.
FROM_LABELS: dict[FormType, str] = {
    FormType.FAERDIGMELDING: "Færdigbehandlet fra",
    FormType.AFMELDING: "Afmeldt fra",
    FormType.I_BERO: "I bero fra",
    FormType.GENOPTAGET: "Genoptaget fra",
}
FROM_NOTES: dict[FormType, str] = {
    FormType.FAERDIGMELDING: "sengedagsbetaling fra denne dato (B5, sundhedsloven § 238)",
    FormType.AFMELDING: "behandlingen genoptaget (B7)",
    FormType.I_BERO: "afventer lægelige oplysninger (B6)",
    FormType.GENOPTAGET: "oplysningerne er leveret (B6)",
}


@dataclass(frozen=True)
class VarslingsblanketData:
    """Everything printed on the form. Dates are calendar dates; ``event_time`` is an aware moment."""

    form_type: FormType
    patient_name: str
    cpr: str  # 10 characters; printed in full as ddmmåå-xxxx (the kommune needs it)
    address: str | None
    homeless: bool
    recipient_kommune_name: str
    recipient_kommune_code: str
    recipient_role: str  # "bopaelskommune", "opholdskommune" or "handlekommune"
    recipient_secure_mail: str | None
    sender_center: str
    sender_ward: str
    coordinator_name: str
    sender_phone: str | None
    sender_secure_mail: str | None
    admitted: date
    expected_faerdigbehandlet: date | None
    faerdigbehandlet_from: date | None  # færdigmelding / afmelding / i bero / genoptaget: from which day
    scenario: int | None
    current_indsats: str  # what the kommune provides today ("" = not known: printed "Ikke oplyst")
    expected_needs: str  # expected needs at discharge
    netvaerksmoede_requested: bool
    considered_13a: bool
    considered_13b: bool
    consent_basis: str  # consent (to whom, when, how) or the legal basis without consent (F1)
    free_text: str
    signature_name: str
    signature_title: str
    signature_date: date
    event_time: datetime | None = None  # when the notification was sent
    #: Latest varsling day as the ward's rule settings compute it; ``None``: the adult agreement's
    #: default (8 calendar days before, moved back to a working day).
    varsling_latest: date | None = None
    #: B5, the doctor who judged the expected færdigbehandlet day (``""``: not recorded).
    expected_judged_by: str = ""
    #: B5, a varsling sent after its latest day: how many days late (0: in time), and the days of notice the
    #: kommune gets before the expected færdigbehandlet day – the form is marked late.
    days_late: int = 0
    notice_days: int = 0
    #: B5, a færdigmelding: the doctor who judged the patient færdigbehandlet, and when (``""``/``None``: not
    #: recorded).
    judged_by: str = ""
    judged_on: date | None = None


def recipient_role_label(role: str, form_type: FormType) -> str:
    """How the recipient is addressed: ``"bopaelskommune"`` → ``"Bopælskommune"`` etc. (A5, B5)."""
    if role == "bopaelskommune":
        return "Bopælskommune"
    if role == "opholdskommune":
        where = "B5" if form_type in B5_FORMS else "A5"
        return f"Senest kendte opholdskommune (hjemløs, {where})"
    if role == "handlekommune":
        return "Handlekommune (A5)"
    return role


def _or(value: str | None, empty: str) -> str:
    return value.strip() if value and value.strip() else empty


def _address(data: VarslingsblanketData) -> str:
    if data.homeless:
        known = _or(data.address, "")
        return f"Hjemløs (senest kendte adresse: {known})" if known else "Hjemløs"
    return _or(data.address, NOT_KNOWN)


def _varsling_latest(data: VarslingsblanketData) -> str:
    if data.expected_faerdigbehandlet is None:
        return "Kan ikke beregnes, før forventet færdigbehandlet er fastsat (B5)"
    if data.varsling_latest is not None:
        return f"{format_date(data.varsling_latest)} – senest varslingsdag (B5)"
    latest = varsling_due(data.expected_faerdigbehandlet, WorkCalendar())
    return f"{format_date(latest)} – senest 8 dage før forventet færdigbehandlet (B5)"


def _course_rows(data: VarslingsblanketData) -> list[tuple[str, str]]:
    scenario = SCENARIO_TEXTS.get(data.scenario, NOT_KNOWN) if data.scenario else NOT_KNOWN
    expected = format_date(data.expected_faerdigbehandlet, "Ikke fastsat endnu")
    judged = f", vurderet af {data.expected_judged_by}" if data.expected_judged_by else ""
    rows = [
        ("Indlagt", format_date(data.admitted)),
        ("Scenarie", scenario),
        ("Forventet færdigbehandlet", f"{expected} – lægelig vurdering (B5){judged}"),
    ]
    if data.form_type is FormType.VARSLING:
        rows.append(("Varsling senest", _varsling_latest(data)))
        if data.days_late:
            rows.append(("Sendt for sent", _late_text(data)))
    if data.form_type in FROM_LABELS:
        day = format_date(data.faerdigbehandlet_from, NOT_KNOWN)
        rows.append((FROM_LABELS[data.form_type], f"{day} – {FROM_NOTES[data.form_type]}"))
    if data.form_type is FormType.FAERDIGMELDING and data.judged_by:
        on = f", {format_date(data.judged_on)}" if data.judged_on else ""
        rows.append(("Lægelig vurdering", f"{data.judged_by}{on} (B5)"))
    return rows


def _days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


def _late_text(data: VarslingsblanketData) -> str:
    """A late varsling (B5): how late, and the notice the kommune gets ("5 dages varsel")."""
    notice = f"{data.notice_days} {'dags' if data.notice_days == 1 else 'dages'} varsel"
    return (
        f"{_days(data.days_late)} efter seneste varslingsdag – kommunen får {notice} før forventet færdigbehandlet (B5)"
    )


def varslingsblanket_flowables(data: VarslingsblanketData, meta: DocumentMeta) -> list[Flowable]:
    """The form's content, for :func:`layout.build_pdf` (exposed for documents that embed it)."""
    out: list[Flowable] = [
        layout.title(meta.title),
        layout.subtitle(
            "Blanket til orientering, varsling og færdigmelding · Samarbejdsaftale om voksne borgere med "
            "psykisk sygdom (2022)"
        ),
        layout.spacer(3),
        layout.caption("Meddelelsens art"),
        layout.checkbox_grid(
            [(FORM_LABELS[kind], kind is data.form_type) for kind in FormType],
            columns=4,
            widths=(32 * mm, 32 * mm, 56 * mm, 50 * mm),
        ),
        layout.spacer(2.5),
        layout.note(FORM_NOTES[data.form_type]),
    ]
    if data.form_type is FormType.VARSLING and data.days_late:
        out += [layout.spacer(2), layout.note(f"FOR SEN VARSLING: {_late_text(data)}.")]

    out += layout.section("Patient", 1)
    out += layout.field_rows(
        [
            ("Navn", data.patient_name),
            ("CPR-nummer", format_cpr(data.cpr)),
            ("Adresse", _address(data)),
        ]
    )

    out += layout.section("Modtager", 2)
    out += layout.field_rows(
        [
            ("Kommune", data.recipient_kommune_name),
            ("Kommunekode", data.recipient_kommune_code),
            ("Modtager som", recipient_role_label(data.recipient_role, data.form_type)),
            ("Sikker postkasse", _or(data.recipient_secure_mail, NOT_KNOWN)),
        ]
    )

    out += layout.section("Afsender", 3)
    sender = [
        ("Psykiatrisk center", data.sender_center),
        ("Afsnit", data.sender_ward),
        (SENDER_LABEL, data.coordinator_name),
        ("Telefon", _or(data.sender_phone, NOT_KNOWN)),
        ("Sikker mail", _or(data.sender_secure_mail, NOT_KNOWN)),
    ]
    if data.event_time is not None:
        sender.append(("Afsendt", format_datetime(data.event_time)))
    out += layout.field_rows(sender)

    out += layout.section("Indlæggelse og forløb", 4)
    out += layout.field_rows(_course_rows(data))

    out += layout.section("Kommunal indsats", 5)
    out += layout.field_rows(
        [
            ("Nuværende indsats", _or(data.current_indsats, NOT_KNOWN)),
            ("Forventede behov ved udskrivning", _or(data.expected_needs, NOT_KNOWN)),
        ]
    )

    out += layout.section("Planlagte tiltag", 6)
    out.append(
        layout.checkbox_grid(
            [
                ("Tværsektorielt netværksmøde ønskes (C2)", data.netvaerksmoede_requested),
                ("Udskrivningsaftale overvejet (psykiatriloven § 13a)", data.considered_13a),
                ("Koordinationsplan overvejet (psykiatriloven § 13b)", data.considered_13b),
            ]
        )
    )

    out += layout.section("Samtykke og hjemmel (F1)", 7)
    out += layout.field_rows([("Grundlag for videregivelse", _or(data.consent_basis, NOT_KNOWN))])

    out += layout.section("Bemærkninger", 8)
    out += layout.text_block(data.free_text, empty="Ingen bemærkninger.")

    out += layout.section("Underskrift", 9)
    out.append(layout.signature_block(data.signature_name, data.signature_title, data.signature_date))
    return out


def render_varslingsblanket(data: VarslingsblanketData, meta: DocumentMeta) -> bytes:
    """The form as PDF bytes; identical input gives identical bytes."""
    return layout.build_pdf(meta.for_patient(data.patient_name, data.cpr), varslingsblanket_flowables(data, meta))
