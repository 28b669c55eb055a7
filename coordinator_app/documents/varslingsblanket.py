"""The varslingsblanket: one form for every notification the center sends a kommune (rules B1–B9, A5, F1).

The agreement (section *Orientering, varsling og færdigmelding*) refers to Region Hovedstaden's *Blanket –
forvarsling og færdigbehandling*. Its exact layout is not available to us, so this form does not imitate it: it
carries everything the agreement says such a message must tell the kommune, in numbered sections, on one layout for
all seven kinds:

- the kind, as a row of check boxes (☒ for the chosen one; each column as wide as its labels set in bold, so a
  ticked label never wraps) and a framed note quoting the duty or consequence of that kind;
- 1 Patient and 2 Modtager side by side (name, full CPR – the kommune needs it –, address or "Hjemløs"; kommune,
  kommunekode, as which kind of kommune, secure mailbox);
- 3 Afsender (center, afsnit, the ward's contact person – not "udskrivningskoordinator", see :data:`SENDER_LABEL`
  –, phone, secure mail, when sent);
- 4 Indlæggelse og udskrivning (admitted; discharged, or the expected discharge; scenario; expected færdigbehandlet
  as a medical judgement and the doctor who judged it; the latest varsling day and – for a late varsling – how late;
  færdigbehandlet / i bero / genoptaget / afmeldt from, the original færdigmelding the last three concern, and the
  doctor's judgement of a færdigmelding);
- 5 Funktionsniveau og kommunal indsats (functioning, today's indsats, expected needs, LAB § 6);
- 6 Planlagte tiltag (netværksmøde, udskrivningsaftale § 13 a, koordinationsplan § 13 b);
- 7 Samtykke og hjemmel (the consent's date, whom it covers, what and how – or the legal basis without consent);
- 8 Bemærkninger (any length; flows onto further pages);
- 9 Underskrift.

What leaves the ward cites the agreement by its own section headings (``agreement_sections.cite``), never by
Koordinator's rule IDs: a kommune cannot look "B5" up. What the app does not know prints "Ikke oplyst".

The form is set compactly – shaded section bands, label/value pairs two to a row – so that a typical notification
fits on one page (set with the shared document styles it needed a page and a half, and the heading kept with its
rows pushed section 5 over, leaving page 1 with a blank end); long texts flow onto further pages, whose footer
names the patient.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from coordinator_app.documents import layout
from coordinator_app.documents.layout import DocumentMeta, format_date, format_datetime
from coordinator_app.domain.agreement_sections import AGREEMENT_NAME, cite
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

#: Where the agreement says what each kind is (printed in the kind's note; cited by section, never by rule ID).
_NOTIFYING = cite("B5")  # «Orientering, varsling og færdigmelding»

#: What each kind means for the kommune, printed in a framed note under the kind.
FORM_NOTES: dict[FormType, str] = {
    FormType.ORIENTERING: (
        "Orientering om indlæggelse. Centret orienterer kommunen om, at patienten er indlagt. Har "
        "patienten et større eller nyt behov for kommunal indsats ved udskrivningen (scenarie 2 og 3), "
        "beder centret om dialog så tidligt som muligt. Varsling og færdigmelding følger kun, hvis "
        f"patienten ikke kan udskrives, før en kommunal indsats er på plads ({_NOTIFYING})."
    ),
    FormType.VARSLING: (
        "Varsling. Patienten forventes ikke at kunne udskrives, før en kommunal indsats er iværksat. "
        "Varslingen sendes så tidligt som muligt og senest 8 dage før, patienten efter lægelig vurdering "
        "forventes at være færdigbehandlet. Den supplerer – men erstatter ikke – den tværsektorielle "
        f"dialog og netværksmøderne ({_NOTIFYING})."
    ),
    FormType.FAERDIGMELDING: (
        "Færdigmelding. Patienten er efter lægelig vurdering færdigbehandlet under indlæggelse fra "
        "den anførte dato. Fra færdigmeldingen betaler kommunen regionen pr. sengedag "
        "(sundhedsloven § 238, stk. 1). Er der ventetid på den kommunale indsats, skal kommunen sørge for "
        f"anden støtte i ventetiden, så patienten kan udskrives så hurtigt som muligt ({_NOTIFYING})."
    ),
    FormType.AFMELDING: (
        "Afmelding af færdigmelding. Patientens tilstand er forværret efter færdigmeldingen, og den "
        "behandlingsansvarlige læge har genoptaget behandlingen. Patienten er derfor ikke længere "
        "færdigbehandlet fra den anførte dato. Når patienten igen er parat til udskrivning, sendes en ny "
        f"færdigmelding ({cite('B7')})."
    ),
    FormType.I_BERO: (
        "Færdigmelding i bero. De lægelige oplysninger, kommunen skal bruge for at behandle sagen, er "
        "ikke leveret inden for fristerne i aftalen om socialt-lægeligt samarbejde. Færdigmeldingen er sat "
        f"i bero fra den anførte dato, indtil oplysningerne er leveret; derefter genoptages den ({_NOTIFYING})."
    ),
    FormType.GENOPTAGET: (
        "Færdigmelding genoptaget. De lægelige oplysninger er leveret til kommunen, og "
        f"færdigmeldingen gælder igen fra den anførte dato ({_NOTIFYING})."
    ),
    FormType.ORIENTERING_UDSKRIVNING: (
        "Orientering om udskrivning. Centret orienterer kommunen om patientens udskrivning, "
        "så kommunen kan tilrettelægge sin indsats. Orienteringen er hverken en varsling eller en "
        f"færdigmelding ({cite('B4', 'B9')})."
    ),
}

#: The scenarios in the agreement's own words (section *Orientering, varsling og færdigmelding*, table).
SCENARIO_TEXTS: dict[int, str] = {
    1: "1 – har en kommunal indsats; behovet for støtte forventes uændret ved udskrivningen",
    2: "2 – har en kommunal indsats; behovet for støtte forventes større ved udskrivningen",
    3: "3 – har ingen kommunal indsats; centret skønner, at der kan blive behov for kommunal indsats ved udskrivningen",
}

#: The label of the "from" date on kinds that have one.
FROM_LABELS: dict[FormType, str] = {
    FormType.FAERDIGMELDING: "Færdigbehandlet fra",
    FormType.AFMELDING: "Afmeldt fra",
    FormType.I_BERO: "I bero fra",
    FormType.GENOPTAGET: "Genoptaget fra",
}
FROM_NOTES: dict[FormType, str] = {
    FormType.FAERDIGMELDING: "sengedagsbetaling fra denne dato (sundhedsloven § 238)",
    FormType.AFMELDING: "behandlingen genoptaget",
    FormType.I_BERO: "afventer lægelige oplysninger",
    FormType.GENOPTAGET: "oplysningerne er leveret",
}
#: The kinds that concern an earlier færdigmelding: they print its date (the § 238 payment period runs from it).
CONCERNS_FAERDIGMELDING = frozenset({FormType.I_BERO, FormType.GENOPTAGET, FormType.AFMELDING})
ORIGINAL_LABEL = "Oprindelig færdigmelding"
#: A færdigmelding: the doctor who judged the patient færdigbehandlet, and the day.
JUDGED_LABEL = "Lægelig vurdering"

#: LAB § 6: whether the patient asked for an udskrivningskoordinator, and the law that gives the right.
LAB6_LABEL = "Udskrivningskoordinator"
LAB6_LAW = "patientens ønske efter lov om aktiv beskæftigelsesindsats § 6"


@dataclass(frozen=True)
class VarslingsblanketData:
    """Everything printed on the form. Dates are calendar dates; ``event_time`` is an aware moment. Text fields are
    ``""`` when not known (printed "Ikke oplyst")."""

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
    consent_basis: str  # the sending's basis as worded when sent (F1); printed when no consent facts are recorded
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
    #: The day the patient was discharged (then ``expected_discharge`` is not printed), else the expected one.
    discharged: date | None = None
    expected_discharge: date | None = None
    #: The patient's current level of functioning: what the kommune must plan for.
    funktionsniveau: str = ""
    #: LAB § 6: "Ja", "Nej", "Ikke spurgt" ("": not recorded).
    lab6: str = ""
    #: B6/B7: the day of the færdigmelding an i bero, genoptaget or afmelding concerns.
    original_faerdigmelding: date | None = None
    #: F1, the recorded consent the sending rests on: when, to whom, what it covers, how ("mundtligt"/"skriftligt");
    #: or the legal basis it was sent on without consent.
    consent_given_on: date | None = None
    consent_given_to: str = ""
    consent_scope: str = ""
    consent_method: str = ""
    legal_basis: str = ""


Field = tuple[str, str]


def recipient_role_label(role: str) -> str:
    """How the recipient is addressed: ``"bopaelskommune"`` → ``"Bopælskommune"`` etc. (A5, B5)."""
    if role == "bopaelskommune":
        return "Bopælskommune"
    if role == "opholdskommune":
        return "Senest kendte opholdskommune (hjemløs)"
    if role == "handlekommune":
        return "Handlekommune"
    return role


def _or(value: str | None, empty: str = NOT_KNOWN) -> str:
    return value.strip() if value and value.strip() else empty


def _address(data: VarslingsblanketData) -> str:
    if data.homeless:
        known = _or(data.address, "")
        return f"Hjemløs (senest kendte adresse: {known})" if known else "Hjemløs"
    return _or(data.address, NOT_KNOWN)


def _varsling_latest(data: VarslingsblanketData) -> str:
    if data.expected_faerdigbehandlet is None:
        return "Kan ikke beregnes, før forventet færdigbehandlet er fastsat"
    if data.varsling_latest is not None:
        return f"{format_date(data.varsling_latest)} – senest varslingsdag"
    latest = varsling_due(data.expected_faerdigbehandlet, WorkCalendar())
    return f"{format_date(latest)} – senest 8 dage før forventet færdigbehandlet"


def _days(n: int) -> str:
    return f"{n} dag" if n == 1 else f"{n} dage"


def _late_text(data: VarslingsblanketData) -> str:
    """A late varsling: how late, and the notice the kommune gets ("5 dages varsel")."""
    notice = f"{data.notice_days} {'dags' if data.notice_days == 1 else 'dages'} varsel"
    return f"{_days(data.days_late)} efter seneste varslingsdag – kommunen får {notice} før forventet færdigbehandlet"


def _discharge(data: VarslingsblanketData) -> tuple[str, str]:
    if data.discharged is not None:
        return ("Udskrevet", format_date(data.discharged))
    return ("Forventes udskrevet", format_date(data.expected_discharge, NOT_KNOWN))


def consent_rows(data: VarslingsblanketData) -> list[Field | tuple[Field, Field]]:
    """Section 7: the recorded consent – when and how it was given, whom it covers, what it covers –, or the legal
    basis without consent, or – for a notification recorded before these facts were kept – its worded basis with date
    and scope unknown."""
    if data.consent_given_on or data.consent_given_to or data.consent_scope:
        how = f", {data.consent_method}" if data.consent_method and data.consent_given_on else ""
        return [
            (
                ("Samtykket er givet", format_date(data.consent_given_on, NOT_KNOWN) + how),
                ("Samtykket gælder", _or(data.consent_given_to)),
            ),
            ("Samtykket omfatter", _or(data.consent_scope)),
        ]
    if data.legal_basis.strip():
        return [("Grundlag for videregivelse", f"Uden samtykke, med lovhjemmel: {data.legal_basis.strip()}")]
    return [
        ("Grundlag for videregivelse", _or(data.consent_basis)),
        (("Samtykket er givet", NOT_KNOWN), ("Samtykket omfatter", NOT_KNOWN)),
    ]


# -- compact building blocks ----------------------------------------------------------------------------------------

#: The columns of a row of two fields (label, value, label, value), filling the content width: the left labels are
#: the long ones ("Forventet færdigbehandlet"), the right ones short.
PAIR_LABEL = 38.5 * mm
COLUMNS = (PAIR_LABEL, 54.5 * mm, 31 * mm, layout.CONTENT_WIDTH - 124 * mm)
#: A pair whose value is longer than this is set as two full-width rows instead.
PAIR_CHARS = 160
PAD = 1.5 * mm


@dataclass(frozen=True)
class _Styles:
    label: ParagraphStyle
    value: ParagraphStyle
    band: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    note: ParagraphStyle
    check: ParagraphStyle
    checked: ParagraphStyle


def _styles() -> _Styles:
    """The form's compact styles, derived from the document styles (again when those are made anew, e.g. with
    another font family)."""
    return _derived(layout.styles())


@cache
def _derived(st: layout.Styles) -> _Styles:
    bold = st.fonts.bold

    def derive(name: str, parent: ParagraphStyle, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(f"Varsling{name}", parent=parent, **kw)

    value = derive("Value", st.value, fontSize=9, leading=11)
    return _Styles(
        label=derive("Label", st.label, fontSize=7.5, leading=11),
        value=value,
        band=derive("Band", st.value, fontName=bold, fontSize=9.5, leading=12),
        title=derive("Title", st.title, fontSize=13, leading=16, spaceAfter=1),
        subtitle=derive("Subtitle", st.subtitle, fontSize=8, leading=10.5, spaceAfter=0),
        note=derive("Note", st.note, fontSize=8.5, leading=10.5),
        check=derive("Check", value),
        checked=derive("Checked", value, fontName=bold),
    )


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(layout._text(text), style)


def _band(*titles: str) -> Table:
    """A section's heading as a shaded band (two titles: two sections side by side), kept with what follows."""
    st = _styles()
    left = COLUMNS[0] + COLUMNS[1]  # a second section starts where the right-hand fields do
    widths = [layout.CONTENT_WIDTH] if len(titles) == 1 else [left, layout.CONTENT_WIDTH - left]
    band = layout.FlowingTable([[_para(t, st.band) for t in titles]], colWidths=widths, hAlign="LEFT")
    band.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
                ("BACKGROUND", (0, 0), (-1, -1), layout.HEAD_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.6, layout.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.0),
            ]
        )
    )
    band.keepWithNext = 1
    band.spaceBefore = 2.2 * mm  # dropped at the top of a page
    band.spaceAfter = 0.6 * mm
    return band


def section(number: int, title: str, *also: tuple[int, str]) -> Table:
    """The band "4  Indlæggelse og udskrivning" (with ``also``: a second section beside it)."""
    return _band(*(f"{n}\u2002{t}" for n, t in ((number, title), *also)))


def _long(value: str) -> bool:
    return len(value) > layout.LONG_VALUE_CHARS or value.count("\n") > 6


def grid(rows: Sequence[Field | tuple[Field, Field]]) -> list[Flowable]:
    """Label/value rows in two columns: a pair of fields shares a row (label, value, label, value); a single field
    spans the row. A pair with a long value is set as two rows; a value too long for a table row is set under its
    label as paragraphs that may continue on the next page."""
    st = _styles()
    out: list[Flowable] = []
    cells: list[list[object]] = []
    spans: list[int] = []

    def flush() -> None:
        if not cells:
            return
        table = layout.FlowingTable(list(cells), colWidths=list(COLUMNS), hAlign="LEFT")
        commands: list[tuple[object, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (0, -1), 1 * mm),  # the labels: "Forventet færdigbehandlet" on one line
            ("RIGHTPADDING", (2, 0), (2, -1), 1 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 0.9),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.1),
        ]
        commands += [("SPAN", (1, r), (3, r)) for r in spans]
        table.setStyle(TableStyle(commands))
        out.append(table)
        cells.clear()
        spans.clear()

    flat: list[tuple[Field, ...]] = []
    for row in rows:
        if isinstance(row[0], tuple):
            pair = (row[0], row[1])
            assert isinstance(pair[1], tuple)
            if any(len(value) > PAIR_CHARS or "\n" in value for _label, value in pair):
                flat += [(pair[0],), (pair[1],)]
            else:
                flat.append(pair)
        else:
            flat.append((row,))
    for fields in flat:
        if len(fields) == 1 and _long(fields[0][1]):
            flush()
            label, value = fields[0]
            out.append(_para(label, ParagraphStyle("VarslingLabelKeep", parent=st.label, keepWithNext=1)))
            out.extend(layout._paragraphs(value, st.value, indent=PAIR_LABEL + PAD))
            continue
        row_cells: list[object] = []
        for i, (label, value) in enumerate(fields):
            width = COLUMNS[2 * i + 1] if len(fields) == 2 else sum(COLUMNS[1:])
            row_cells += [_para(label, st.label), _para(_email(value, width - 2 * PAD), st.value)]
        if len(fields) == 1:
            spans.append(len(cells))
            row_cells += ["", ""]
        cells.append(row_cells)
    flush()
    return out


def _email(value: str, width: float) -> str:
    """An e-mail address too wide for its column is broken after the "@", not inside a word."""
    st = _styles().value
    if "@" in value and " " not in value.strip() and stringWidth(value, st.fontName, st.fontSize) > width:
        local, _, domain = value.strip().partition("@")
        return f"{local}@\n{domain}"
    return value


def checkboxes(options: Sequence[tuple[str, bool]], columns: int) -> Table:
    """☒ (bold) / ☐ options filled row by row into ``columns`` columns, each as wide as its widest label set in
    bold – a ticked label never wraps –, the rest of the width given to the last column."""
    st = _styles()
    font = st.checked
    boxes = [f"{layout.styles().fonts.checkbox(chosen)}\u00a0\u00a0" for _t, chosen in options]
    texts = [box + text for box, (text, _chosen) in zip(boxes, options, strict=True)]
    widths = [0.0] * columns
    for i, text in enumerate(texts):
        need = stringWidth(text, font.fontName, font.fontSize) + 2 * PAD + 2
        widths[i % columns] = max(widths[i % columns], need)
    cells: list[object] = [
        _para(text, st.checked if chosen else st.check) for text, (_t, chosen) in zip(texts, options, strict=True)
    ]
    while len(cells) % columns:
        cells.append("")
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    table = layout.FlowingTable(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 0.9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.1),
            ]
        )
    )
    return table


def _note(text: str) -> Table:
    note = layout.FlowingTable([[_para(text, _styles().note)]], colWidths=[layout.CONTENT_WIDTH], hAlign="LEFT")
    note.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
                ("BACKGROUND", (0, 0), (-1, -1), layout.NOTE_FILL),
                ("LINEBEFORE", (0, 0), (0, -1), 2, layout.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6 * mm),
            ]
        )
    )
    return note


def _signature(name: str, title_: str, day: date | None) -> Table:
    """Signature line, name, title and date on one row above their captions; kept on one page."""
    st = _styles()
    small = layout.styles().small
    gap = 3.5 * mm
    widths = [42 * mm, gap, 46 * mm, gap, 50 * mm, gap, layout.CONTENT_WIDTH - 138 * mm - 3 * gap]
    rows = [
        ["", "", _para(name, st.value), "", _para(title_, st.value), "", _para(format_date(day), st.value)],
        [_para(t, small) if t else "" for t in ("Underskrift", "", "Navn", "", "Titel", "", "Dato")],
    ]
    table = layout.WholeTable(rows, colWidths=widths, rowHeights=[9.5 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                *[("LINEBELOW", (c, 0), (c, 0), 0.6, layout.INK) for c in (0, 2, 4, 6)],
            ]
        )
    )
    return table


# -- the form -------------------------------------------------------------------------------------------------------


def kind_boxes(form_type: FormType) -> Table:
    """The row of kinds, the chosen one ticked (four columns: "Orientering om udskrivning" in the widest)."""
    return checkboxes([(FORM_LABELS[kind], kind is form_type) for kind in FormType], columns=4)


def _course_rows(data: VarslingsblanketData) -> list[Field | tuple[Field, Field]]:
    scenario = SCENARIO_TEXTS.get(data.scenario, NOT_KNOWN) if data.scenario else NOT_KNOWN
    expected = format_date(data.expected_faerdigbehandlet, "Ikke fastsat endnu")
    rows: list[Field | tuple[Field, Field]] = [
        (("Indlagt", format_date(data.admitted)), _discharge(data)),
        ("Scenarie", scenario),
        (
            ("Forventet færdigbehandlet", f"{expected} – lægelig vurdering"),
            ("Vurderet af (læge)", _or(data.expected_judged_by)),
        ),
    ]
    if data.form_type is FormType.VARSLING:
        rows.append(("Varsling senest", _varsling_latest(data)))  # a late one: the note under the kind says so
    if data.form_type in FROM_LABELS:
        day = format_date(data.faerdigbehandlet_from, NOT_KNOWN)
        rows.append((FROM_LABELS[data.form_type], f"{day} – {FROM_NOTES[data.form_type]}"))
    if data.form_type in CONCERNS_FAERDIGMELDING:
        original = format_date(data.original_faerdigmelding, NOT_KNOWN)
        if data.original_faerdigmelding is not None:
            original += " – sengedagsbetaling efter sundhedsloven § 238 fra denne dato"
        rows.append((ORIGINAL_LABEL, original))
    if data.form_type is FormType.FAERDIGMELDING:
        on = f", {format_date(data.judged_on)}" if data.judged_on and data.judged_by else ""
        rows.append((JUDGED_LABEL, f"{_or(data.judged_by)}{on}"))
    return rows


def varslingsblanket_flowables(data: VarslingsblanketData, meta: DocumentMeta) -> list[Flowable]:
    """The form's content, for :func:`layout.build_pdf` (exposed for documents that embed it)."""
    st = _styles()
    out: list[Flowable] = [
        _para(meta.title, st.title),
        _para(f"Blanket til orientering, varsling og færdigmelding · {AGREEMENT_NAME}", st.subtitle),
        Spacer(1, 1.5 * mm),
        kind_boxes(data.form_type),
        Spacer(1, 1.2 * mm),
        _note(FORM_NOTES[data.form_type]),
    ]
    if data.form_type is FormType.VARSLING and data.days_late:
        out += [Spacer(1, 1.2 * mm), _note(f"FOR SEN VARSLING: {_late_text(data)}.")]

    out.append(section(1, "Patient", (2, "Modtager")))
    out += grid(
        [
            (("Navn", data.patient_name), ("Kommune", data.recipient_kommune_name)),
            (("CPR-nummer", format_cpr(data.cpr)), ("Kommunekode", data.recipient_kommune_code)),
            (("Adresse", _address(data)), ("Modtager som", recipient_role_label(data.recipient_role))),
            (("", ""), ("Sikker postkasse", _or(data.recipient_secure_mail))),
        ]
    )

    out.append(section(3, "Afsender"))
    sent = format_datetime(data.event_time)
    out += grid(
        [
            (("Psykiatrisk center", data.sender_center), ("Afsnit", data.sender_ward)),
            ((SENDER_LABEL, data.coordinator_name), ("Telefon", _or(data.sender_phone))),
            (("Sikker mail", _or(data.sender_secure_mail)), ("Afsendt", sent) if data.event_time else ("", "")),
        ]
    )

    out.append(section(4, "Indlæggelse og udskrivning"))
    out += grid(_course_rows(data))

    out.append(section(5, "Funktionsniveau og kommunal indsats"))
    out += grid(
        [
            ("Funktionsniveau", _or(data.funktionsniveau)),
            ("Nuværende indsats", _or(data.current_indsats)),
            ("Forventede behov ved udskrivning", _or(data.expected_needs)),
            (LAB6_LABEL, f"{data.lab6} ({LAB6_LAW})" if data.lab6.strip() else NOT_KNOWN),
        ]
    )

    out.append(section(6, "Planlagte tiltag"))
    out.append(
        checkboxes(
            [
                ("Tværsektorielt netværksmøde ønskes", data.netvaerksmoede_requested),
                ("Udskrivningsaftale overvejet (psykiatriloven § 13 a)", data.considered_13a),
                ("Koordinationsplan overvejet (psykiatriloven § 13 b)", data.considered_13b),
            ],
            columns=1,
        )
    )

    out.append(section(7, "Samtykke og hjemmel"))
    out += grid(consent_rows(data))

    out.append(section(8, "Bemærkninger"))
    remark = ParagraphStyle("VarslingRemark", parent=st.value, leftIndent=PAD, spaceAfter=3)
    if data.free_text.strip():
        out += [Spacer(1, 0.8 * mm), *layout._paragraphs(data.free_text, remark)]
    else:
        muted = ParagraphStyle("VarslingRemarkEmpty", parent=remark, textColor=layout.MUTED)
        out += [Spacer(1, 0.8 * mm), _para("Ingen bemærkninger.", muted)]

    out.append(section(9, "Underskrift"))
    out.append(_signature(data.signature_name, data.signature_title, data.signature_date))
    return out


def render_varslingsblanket(data: VarslingsblanketData, meta: DocumentMeta) -> bytes:
    """The form as PDF bytes; identical input gives identical bytes."""
    return layout.build_pdf(meta.for_patient(data.patient_name, data.cpr), varslingsblanket_flowables(data, meta))
