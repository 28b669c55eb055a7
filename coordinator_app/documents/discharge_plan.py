"""The udskrivningsaftale (psykiatriloven § 13 a) and the koordinationsplan (§ 13 b) as printed (E1–E3).

One layout for both kinds, in numbered sections:

- the title with its legal reference, the plan's version (two printed versions can be told apart) and the
  netværksmøde its content was agreed at, a framed note on the legal frame (the overlæge is responsible), and the
  legal condition that applied, in plain words from the admission's recorded facts ("Ikke oplyst" when none was
  recorded), with the agreement's section on the plan;
- 1 Patient og indlæggelse (name, full CPR – the parties need it –, address; centre, afsnit, admitted, planned
  discharge; bopælskommune);
- 2 Parter (role, name, organisation, phone, e-mail); a koordinationsplan says, framed, that the patient does
  not take part and that the department makes it with the kommune and others (§ 13 b);
- 3 Behandlingstilbud and 4 Sociale tilbud (what, who is responsible, from when, remark);
- 5 Patientens ønsker og mål;
- 6 Kontaktperson / koordinator efter udskrivning (the responsible overlæge by name, and the coordinator who
  made it);
- 7 Hvis aftalen/planen ikke følges – hvem reagerer og hvordan (E3), in a heavy frame;
- 8 Periode: start and end, and E3's rule that it ends at the end date or on readmission;
- 9 Patientens tilslutning (udskrivningsaftale only);
- then (numbered on) Bemærkninger, Sendt til (recipient, date, channel, "med epikrise"; an udskrivningsaftale
  goes with the epikrise to egen læge; then the earlier versions' sendings) and Underskrifter: a field for the
  responsible overlæge, by name, and for every party (not the patient of a koordinationsplan, who does not take
  part), kept on one page.

Koordinator's rule IDs are not printed: the recipients cannot look them up, so the agreement is cited by its
section names (``agreement_sections.cite``); the law is cited as the law.

Any text prints, however long: long words break inside their column, tables split between rows (a long row
also inside, :class:`layout.FlowingTable`), and headings are kept with the start of what follows, never with all
of it (see :func:`_unchain`). Even the signature fields, kept on one page, flow on when they are longer than one.

A preview (``draft=True``) carries "KLADDE – ikke gældende" on every page. Same frame as every Koordinator
document (:mod:`layout`); identical input gives identical bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table, TableStyle

from coordinator_app.documents import layout
from coordinator_app.documents.layout import (
    CONTENT_WIDTH,
    FRAME_HEIGHT,
    LONG_ROW,
    PAGE_HEIGHT,
    TALLEST_WHOLE_ROW,
    DocumentMeta,
    FlowingTable,
    format_date,
)
from coordinator_app.domain import agreement_sections
from coordinator_app.domain.cpr import format_cpr
from coordinator_app.domain.discharge_plans import (
    LEGAL_REFERENCES,
    PARTY_ROLE_LABELS,
    PLAN_TITLES,
    SEND_CHANNEL_LABELS,
    LegalCondition,
    Offer,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    SentTo,
)

DRAFT_MARKING = "KLADDE – ikke gældende"
SUBTITLE = "Samarbejdsaftale om voksne borgere med psykisk sygdom (2022)"
NOT_STATED = "Ikke angivet"

#: The legal frame under the title (psykiatriloven §§ 13 a–13 b, the agreement's section E).
INTRO_NOTES: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: (
        "Overlægen har ansvaret for, at der indgås en udskrivningsaftale, inden patienten udskrives "
        "(psykiatriloven § 13 a). Aftalen skal understøtte, at patienten forbliver i den behandling og de "
        "sociale tilbud, der er nødvendige for patientens helbred, og den fastlægger, hvem der reagerer, hvis "
        "aftalen ikke følges."
    ),
    PlanKind.KOORDINATIONSPLAN: (
        "Overlægen har ansvaret for at udarbejde en koordinationsplan, når en patient, der er omfattet af "
        "§ 13 a, ikke vil medvirke til at indgå en udskrivningsaftale (psykiatriloven § 13 b). Planen skal "
        "understøtte, at patienten forbliver i den behandling og de sociale tilbud, der er nødvendige for "
        "patientens helbred, og den fastlægger, hvem der reagerer, hvis planen ikke følges."
    ),
}

#: Who the parties are (section 2).
PARTIES_NOTES: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: (
        "Aftalen indgås mellem patienten, den psykiatriske afdeling og de relevante myndigheder, "
        "privatpraktiserende sundhedspersoner m.fl. (psykiatriloven § 13 a)."
    ),
    PlanKind.KOORDINATIONSPLAN: (
        "Patienten medvirker ikke (psykiatriloven § 13 b). Koordinationsplanen er udarbejdet af den psykiatriske "
        "afdeling i samarbejde med kommunen og andre relevante myndigheder, privatpraktiserende sundhedspersoner "
        "m.fl. og fastlægger rammen for de behandlingsmæssige og sociale tilbud til patienten."
    ),
}

#: The plan is time-limited (section Periode), cited by the agreement's section (not Koordinator's rule ID).
PERIOD_NOTES: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: (
        "Udskrivningsaftalen er tidsbegrænset. Den ophører ved slutdatoen, eller hvis patienten forinden bliver "
        "genindlagt på psykiatrisk afdeling. Ved hver udskrivning udarbejdes en ny udskrivningsaftale eller "
        "koordinationsplan, hvis betingelserne fortsat er opfyldt "
        f"({agreement_sections.cite('E3')})."
    ),
    PlanKind.KOORDINATIONSPLAN: (
        "Koordinationsplanen er tidsbegrænset. Den ophører ved slutdatoen, eller hvis patienten forinden bliver "
        "genindlagt på psykiatrisk afdeling. Ved hver udskrivning udarbejdes en ny udskrivningsaftale eller "
        "koordinationsplan, hvis betingelserne fortsat er opfyldt "
        f"({agreement_sections.cite('E3')})."
    ),
}

#: The caption over the legal condition that applied (under the title).
CONDITION_CAPTIONS: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: "Derfor skal der indgås en udskrivningsaftale (psykiatriloven § 13 a)",
    PlanKind.KOORDINATIONSPLAN: "Derfor udarbejdes en koordinationsplan (psykiatriloven § 13 b)",
}
#: Where the agreement describes the plan of each kind (cited under the legal condition).
AGREEMENT_CITATIONS: dict[PlanKind, str] = {
    PlanKind.UDSKRIVNINGSAFTALE: f"Se også {agreement_sections.cite('E1')}.",
    PlanKind.KOORDINATIONSPLAN: f"Se også {agreement_sections.cite('E2')}.",
}

EPIKRISE_LINE = "Udskrivningsaftalen sendes med epikrisen til patientens egen læge (psykiatriloven § 13 a)."
NOT_AGREED_LINE = (
    "Vil patienten ikke medvirke til en udskrivningsaftale, udarbejdes i stedet en koordinationsplan "
    "(psykiatriloven § 13 b)."
)

REACTION_FILL = colors.HexColor("#f4f4f4")
#: At most this much of a long text or table is kept on the page of its heading.
KEEP_LEAD = 25 * mm
#: A table up to this height is kept on one page with its heading.
KEEP_WHOLE = 50 * mm


def document_title(kind: PlanKind) -> str:
    """``"Udskrivningsaftale (psykiatriloven § 13 a)"`` / ``"Koordinationsplan (psykiatriloven § 13 b)"``."""
    return f"{PLAN_TITLES[kind]} ({LEGAL_REFERENCES[kind]})"


@dataclass(frozen=True)
class DischargePlanDocument:
    """Everything printed on the plan. Dates are calendar dates."""

    kind: PlanKind
    content: PlanContent
    patient_name: str
    cpr: str  # 10 digits; printed in full as ddmmåå-xxxx (the parties need it)
    address: str | None
    center: str  # "Psykiatrisk Center København"
    ward: str  # "Afsnit 7"
    admitted: date
    planned_discharge: date | None
    kommune_name: str  # the patient's bopælskommune
    coordinator_name: str
    coordinator_phone: str | None
    coordinator_secure_mail: str | None
    version_number: int  # the plan's version (printed, so two printed versions can be told apart)
    source_meeting: str | None = None  # e.g. "Netværksmøde NM-2026-0012, 20-11-2026"
    draft: bool = False  # a preview: "KLADDE – ikke gældende" on every page
    #: Why the plan was required, from the admission's recorded facts; None or no reasons: "Ikke oplyst".
    condition: LegalCondition | None = None
    #: The sendings of the earlier issued versions of this plan: (version number, sending), oldest first.
    earlier_sendings: tuple[tuple[int, SentTo], ...] = ()


# -- styles and small builders ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Styles:
    head: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    missing: ParagraphStyle
    muted: ParagraphStyle
    group: ParagraphStyle
    reaction_label: ParagraphStyle
    reaction_value: ParagraphStyle
    reaction_missing: ParagraphStyle
    sign_role: ParagraphStyle
    sign_name: ParagraphStyle
    sign_org: ParagraphStyle


@cache
def _styles() -> _Styles:
    st = layout.styles()
    reaction_value = ParagraphStyle("PlanReactionValue", parent=st.value, fontSize=10, leading=13.5)
    return _Styles(
        head=st.cell_head,
        cell=st.cell,
        cell_bold=st.cell_bold,
        missing=st.cell_missing,
        muted=ParagraphStyle("PlanMuted", parent=st.body, textColor=layout.MUTED),
        group=ParagraphStyle("PlanGroup", parent=st.label, fontName=st.fonts.bold, textColor=layout.INK),
        reaction_label=ParagraphStyle("PlanReactionLabel", parent=st.value, fontName=st.fonts.bold, fontSize=10),
        reaction_value=reaction_value,
        reaction_missing=ParagraphStyle(
            "PlanReactionMissing", parent=reaction_value, fontName=st.fonts.bold, textColor=layout.MISSING_COLOR
        ),
        sign_role=ParagraphStyle("PlanSignRole", parent=st.small, fontName=st.fonts.bold, fontSize=7.5),
        sign_name=ParagraphStyle("PlanSignName", parent=st.value, fontName=st.fonts.bold, fontSize=9.5, leading=12),
        sign_org=ParagraphStyle("PlanSignOrg", parent=st.value, fontSize=8.5, leading=11),
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(layout._text(text), style)


def _or(value: str | None, empty: str) -> str:
    return value.strip() if value and value.strip() else empty


class _Grid(FlowingTable):
    """A ruled table whose header row repeats on the next page; ``lead`` is what must fit under the section
    heading: a short table whole, a longer one its header and first row."""

    lead: float = 0.0


def _grid(header: Sequence[str], rows: list[list[Any]], widths: Sequence[float]) -> _Grid:
    ts = _styles()
    data = [[_p(h, ts.head) for h in header], *rows]
    style = layout.grid_style()
    # splitInRow: a row taller than a page (a very long remark) continues on the next page instead of failing.
    table = _Grid(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(style)
    whole = table.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
    if whole <= KEEP_WHOLE:  # a short table is not split
        table.lead = whole
    else:
        lead = Table(data[:2], colWidths=list(widths))
        lead.setStyle(style)
        first = lead.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1]
        # A first row up to ``TALLEST_WHOLE_ROW`` moves whole (``layout.FlowingTable``), so all of it must fit under
        # the heading; a taller one is split inside, and then the first ``LONG_ROW`` of it is enough.
        table.lead = first if first <= TALLEST_WHOLE_ROW else LONG_ROW
    return table


def _height(flowable: Flowable) -> float:
    return flowable.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def _section(text: str, number: int, body: list[Flowable]) -> list[Flowable]:
    """A numbered section. ``layout.section`` keeps the heading with the next flowable; for a section with a
    table that would move heading and whole table to the next page when the table does not fit (a half-empty
    page), so such a section is kept together only as far as the table's header and first row."""
    flowables = layout.section(text, number)
    grid = next((f for f in body if isinstance(f, _Grid)), None)
    if grid is None:
        return flowables + body
    heading = flowables[-1]
    heading.keepWithNext = False
    lead = _height(heading) + sum(_height(f) for f in body[: body.index(grid)]) + grid.lead + 2 * mm
    # Never more than a page holds: on a fresh page the break must not fire again (an empty page).
    return [CondPageBreak(min(lead, FRAME_HEIGHT - 1 * mm)), heading, *body]


def _start_height(flowable: Flowable) -> float:
    """How much of ``flowable`` must fit under a heading: a table's header and first row, a few lines of a
    long paragraph or table, all of anything that cannot be split."""
    if isinstance(flowable, _Grid):
        return flowable.lead
    height = _height(flowable)
    splits = isinstance(flowable, Paragraph) or (
        isinstance(flowable, Table) and (getattr(flowable, "_nrows", 1) > 1 or flowable.splitInRow)
    )
    return min(height, KEEP_LEAD) if splits else height


def _unchain(flowables: list[Flowable]) -> list[Flowable]:
    """Replace ``keepWithNext`` (headings, captions) by a conditional page break.

    reportlab keeps such a flowable with the *whole* next one: a heading over a text longer than the rest of
    the page would be moved, with the text, to the next page and leave this one half empty. Here the page
    breaks before the heading only when the heading and the start of what follows do not fit."""
    out: list[Flowable] = []
    run: list[Flowable] = []
    for flowable in flowables:
        if flowable.getKeepWithNext():
            run.append(flowable)
            continue
        if run:
            for kept in run:
                kept.__dict__["keepWithNext"] = False
            keep = sum(_height(f) for f in run) + _start_height(flowable) + 1 * mm
            out += [CondPageBreak(min(keep, FRAME_HEIGHT - 1 * mm)), *run]
            run = []
        out.append(flowable)
    return out + run


# -- sections --------------------------------------------------------------------------------------


def _patient(data: DischargePlanDocument) -> list[Flowable]:
    """Patient and admission side by side."""
    ts = _styles()
    st = layout.styles()
    left = [
        ("Navn", data.patient_name),
        ("CPR-nummer", format_cpr(data.cpr)),
        ("Adresse", _or(data.address, layout.NOT_KNOWN)),
        ("Bopælskommune", _or(data.kommune_name, layout.NOT_KNOWN)),
    ]
    right = [
        ("Psykiatrisk center", data.center),
        ("Afsnit", data.ward),
        ("Indlagt", format_date(data.admitted)),
        ("Planlagt udskrivning", format_date(data.planned_discharge, "Ikke fastsat")),
    ]
    rows: list[list[Any]] = [[_p("Patient", ts.group), "", "", _p("Indlæggelse", ts.group), ""]]
    for (l_label, l_value), (r_label, r_value) in zip(left, right, strict=True):
        rows.append([_p(l_label, st.label), _p(l_value, st.value), "", _p(r_label, st.label), _p(r_value, st.value)])
    widths = [31 * mm, 48 * mm, 4 * mm, 35 * mm, CONTENT_WIDTH - 118 * mm]
    table = FlowingTable(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("RIGHTPADDING", (-1, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (3, 0), (4, 0)),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 2.5),
            ]
        )
    )
    return [table]


def _parties(kind: PlanKind, parties: Sequence[Party]) -> list[Flowable]:
    ts = _styles()
    lead: list[Flowable]
    if kind is PlanKind.KOORDINATIONSPLAN:
        lead = [layout.note(PARTIES_NOTES[kind]), layout.spacer(2.5)]
    else:
        lead = [_p(PARTIES_NOTES[kind], ts.muted)]
    named = [p for p in parties if p.name.strip() or p.organisation.strip()]
    if not named:
        return [*lead, _p("Ingen parter registreret.", ts.muted)]
    widths = (33 * mm, 35 * mm, 41 * mm, 22 * mm, CONTENT_WIDTH - 131 * mm)
    rows = [
        [
            _p(PARTY_ROLE_LABELS.get(p.role, str(p.role)), ts.cell),
            _p(p.name.strip() or NOT_STATED, ts.cell_bold if p.name.strip() else ts.missing),
            _p(p.organisation.strip(), ts.cell),
            _p(p.phone.strip(), ts.cell),
            _p(layout.cell_email(p.email, widths[4]), ts.cell),
        ]
        for p in named
    ]
    return [*lead, _grid(("Rolle", "Navn", "Organisation / enhed", "Telefon", "E-mail"), rows, widths)]


def _offers(offers: Sequence[Offer], empty: str) -> list[Flowable]:
    ts = _styles()
    listed = [o for o in offers if o.what.strip() or o.responsible.strip()]
    if not listed:
        return [_p(empty, ts.muted)]
    rows = [
        [
            _p(o.what.strip() or NOT_STATED, ts.cell if o.what.strip() else ts.missing),
            _p(o.responsible.strip() or NOT_STATED, ts.cell if o.responsible.strip() else ts.missing),
            _p(format_date(o.from_date, "–"), ts.cell),
            _p(o.note.strip(), ts.cell),
        ]
        for o in listed
    ]
    widths = (60 * mm, 45 * mm, 23 * mm, CONTENT_WIDTH - 128 * mm)
    return [_grid(("Tilbud", "Ansvarlig", "Fra dato", "Bemærkning"), rows, widths)]


def _wishes(content: PlanContent) -> list[Flowable]:
    st = layout.styles()
    keep = ParagraphStyle("PlanCaptionKeep", parent=st.label, keepWithNext=1)
    return [
        _p("Patientens ønsker", keep),
        *layout.text_block(content.wishes, empty=layout.NOT_KNOWN),
        layout.spacer(1),
        _p("Patientens mål", keep),
        *layout.text_block(content.goals, empty=layout.NOT_KNOWN),
    ]


def _condition(data: DischargePlanDocument) -> list[Flowable]:
    """The legal condition that applied, in words a kommune and a GP understand, and where the agreement
    describes the plan; "Ikke oplyst" when the admission's facts were not recorded."""
    ts = _styles()
    st = layout.styles()
    reasons = data.condition.reasons if data.condition is not None else ()
    lines: list[Flowable] = [_p(CONDITION_CAPTIONS[data.kind], ts.group)]
    if reasons:
        lines += [_p(f"•\u00a0{reason}", st.body) for reason in reasons]
    else:
        lines.append(_p(layout.NOT_KNOWN, st.body))
    lines.append(_p(AGREEMENT_CITATIONS[data.kind], ts.muted))
    return [layout.spacer(2.5), *lines]


def _contact(data: DischargePlanDocument) -> list[Flowable]:
    coordinator = data.coordinator_name.strip() or NOT_STATED
    return layout.field_rows(
        [
            ("Kontaktperson", _or(data.content.contact_person, NOT_STATED)),
            ("Ansvarlig overlæge", _or(data.content.overlaege, NOT_STATED)),
            ("Udarbejdet af", f"{coordinator}, {data.center}, {data.ward}"),
            ("Telefon", _or(data.coordinator_phone, layout.NOT_KNOWN)),
            ("Sikker mail", _or(data.coordinator_secure_mail, layout.NOT_KNOWN)),
        ]
    )


def _reaction(kind: PlanKind, content: PlanContent) -> list[Flowable]:
    """E3: who reacts, and how, if the plan is not followed – in a heavy frame that cannot be missed."""
    ts = _styles()

    def value(text: str) -> Paragraph:
        return _p(text.strip(), ts.reaction_value) if text.strip() else _p(NOT_STATED, ts.reaction_missing)

    rows = [
        [_p("Hvem reagerer", ts.reaction_label), value(content.reaction_who)],
        [_p("Hvordan", ts.reaction_label), value(content.reaction_how)],
    ]
    table = FlowingTable(rows, colWidths=[38 * mm, CONTENT_WIDTH - 38 * mm], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), REACTION_FILL),
                ("BOX", (0, 0), (-1, -1), 1.4, layout.INK),
                ("LINEBEFORE", (0, 0), (0, -1), 4, layout.INK),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, layout.GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 3.5 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3.5 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2.4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6 * mm),
            ]
        )
    )
    return [table]


def _period(kind: PlanKind, content: PlanContent) -> list[Flowable]:
    return [
        *layout.field_rows(
            [
                ("Startdato", format_date(content.start, NOT_STATED)),
                ("Slutdato", format_date(content.end, NOT_STATED)),
            ]
        ),
        layout.spacer(2),
        layout.note(PERIOD_NOTES[kind]),
    ]


def _agreement(content: PlanContent) -> list[Flowable]:
    st = layout.styles()

    def box(text: str, chosen: bool) -> Paragraph:
        return Paragraph(
            f"{st.fonts.checkbox(chosen)}\u00a0\u00a0{layout._text(text)}",
            st.checkbox_chosen if chosen else st.checkbox,
        )

    agrees = content.patient_agrees
    table = Table(
        [
            [_p("Patienten tilslutter sig udskrivningsaftalen", st.label), box("Ja", agrees), box("Nej", not agrees)],
            [_p("Dato for tilslutning", st.label), _p(format_date(content.patient_agreed_on, NOT_STATED), st.value)],
        ],
        colWidths=[layout.LABEL_WIDTH + 30 * mm, 22 * mm, CONTENT_WIDTH - layout.LABEL_WIDTH - 52 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3),
                ("SPAN", (1, 1), (2, 1)),
            ]
        )
    )
    out: list[Flowable] = [table]
    if not agrees:
        out += [layout.spacer(1.5), _p(NOT_AGREED_LINE, _styles().muted)]
    return out


def _channel(sending: SentTo) -> str:
    """How a copy went: the channel, "Ikke oplyst" for a copy sent without one recorded, nothing when unsent."""
    if sending.sent_on is None:
        return ""
    return SEND_CHANNEL_LABELS[sending.channel] if sending.channel is not None else layout.NOT_KNOWN


def _sent(kind: PlanKind, sent_to: Sequence[SentTo], earlier: Sequence[tuple[int, SentTo]] = ()) -> list[Flowable]:
    """This version's recipients, when and how each copy went; then the earlier versions' sendings (an archived
    version is never changed, so a resend is a new version that shows the history)."""
    ts = _styles()
    listed = [s for s in sent_to if s.recipient.strip()]
    out: list[Flowable] = []
    if kind is PlanKind.UDSKRIVNINGSAFTALE:
        out.append(_p(EPIKRISE_LINE, ts.muted))
    if not listed:
        out.append(_p("Ikke sendt endnu.", ts.muted))
    else:
        rows = [
            [
                _p(s.recipient.strip(), ts.cell),
                _p(format_date(s.sent_on, "Ikke sendt"), ts.cell),
                _p(_channel(s), ts.cell),
                _p("med epikrise" if s.with_epikrise else "", ts.cell),
            ]
            for s in listed
        ]
        out.append(
            _grid(
                ("Modtager", "Sendt", "Hvordan", "Bemærkning"),
                rows,
                (80 * mm, 24 * mm, 38 * mm, CONTENT_WIDTH - 142 * mm),
            )
        )
    before = [(number, s) for number, s in earlier if s.recipient.strip() and s.sent_on is not None]
    if before:
        keep = ParagraphStyle("PlanEarlierCaption", parent=layout.styles().label, keepWithNext=1)
        rows = [
            [
                _p(str(number), ts.cell),
                _p(s.recipient.strip(), ts.cell),
                _p(format_date(s.sent_on), ts.cell),
                _p(_channel(s), ts.cell),
                _p("med epikrise" if s.with_epikrise else "", ts.cell),
            ]
            for number, s in before
        ]
        out += [
            layout.spacer(2),
            _p("Tidligere udsendelser (tidligere versioner)", keep),
            _grid(
                ("Version", "Modtager", "Sendt", "Hvordan", "Bemærkning"),
                rows,
                (18 * mm, 62 * mm, 24 * mm, 38 * mm, CONTENT_WIDTH - 142 * mm),
            ),
        ]
    return out


@dataclass(frozen=True)
class _Signer:
    role: str  # small caps line above the name
    name: str  # "" → a line to write the name on
    organisation: str


def _signers(data: DischargePlanDocument) -> list[_Signer]:
    """The responsible overlæge first, then every party (not the patient of a koordinationsplan, § 13 b)."""
    place = ", ".join(p for p in (data.center, data.ward) if p)
    overlaege = _Signer("Ansvarlig overlæge", data.content.overlaege.strip(), place)
    out = [overlaege]
    for p in data.content.parties:
        if not (p.name.strip() or p.organisation.strip()):
            continue
        if p.role is PartyRole.PATIENT and data.kind is PlanKind.KOORDINATIONSPLAN:
            continue
        out.append(_Signer(PARTY_ROLE_LABELS.get(p.role, str(p.role)), p.name.strip(), p.organisation.strip()))
    return out


SIGN_GAP = 8 * mm
SIGN_WIDTH = (CONTENT_WIDTH - SIGN_GAP) / 2


def _signature_cell(signer: _Signer) -> Table:
    """Who signs (role, name, organisation), then lines for the signature and the date. Every field has the same
    rows, so the lines of two fields side by side are level; a signer without a name (the overlæge) gets a line
    to write it on under the signature.

    The texts are rows of one column (not spans over the lines' columns), so a name or organisation longer than
    a page splits inside its row at the right width; the lines are one table that is never split."""
    ts = _styles()
    small = layout.styles().small
    date_width = 26 * mm
    inner = SIGN_WIDTH - 2 * 3 * mm
    padding: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
    ]
    lines: list[list[Any]] = [["", "", ""], [_p("Underskrift", small), "", _p("Dato", small)]]
    heights: list[float | None] = [12 * mm, None]
    style = [
        *padding,
        ("LINEBELOW", (0, 0), (0, 0), 0.6, layout.INK),
        ("LINEBELOW", (2, 0), (2, 0), 0.6, layout.INK),
    ]
    if not signer.name:
        lines += [["", "", ""], [_p("Navn (blokbogstaver)", small), "", ""]]
        heights += [8 * mm, None]
        style += [("LINEBELOW", (0, 2), (-1, 2), 0.6, layout.INK), ("SPAN", (0, 3), (-1, 3))]
    widths = [inner - date_width - 4 * mm, 4 * mm, date_width]
    lines_table = layout.WholeTable(lines, colWidths=widths, rowHeights=heights, hAlign="LEFT")
    lines_table.setStyle(TableStyle(style))
    rows: list[list[Any]] = [
        [_p(signer.role.upper(), ts.sign_role)],
        [_p(signer.name or "\u00a0", ts.sign_name)],
        [_p(signer.organisation or "\u00a0", ts.sign_org)],
        [lines_table],
    ]
    # Each text row at least 13 pt high (a 12 pt line and its padding), as when the texts spanned the lines'
    # columns, so the fields keep their spacing.
    table = FlowingTable(rows, colWidths=[inner], minRowHeights=[13.0] * 3, hAlign="LEFT")
    table.setStyle(TableStyle([*padding, ("TOPPADDING", (0, 3), (0, 3), 0), ("BOTTOMPADDING", (0, 3), (0, 3), 0)]))
    return table


def _signatures(data: DischargePlanDocument, number: int) -> list[Flowable]:
    """A boxed field per signer, two to a row, kept on one page with the heading (split between rows only when
    there are more signers than a page holds)."""
    ts = _styles()
    cells = [_signature_cell(s) for s in _signers(data)]
    if len(cells) % 2:
        cells.append("")
    rows: list[list[Any]] = []
    heights: list[float | None] = []
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), layout.styles().fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
    ]
    for i in range(0, len(cells), 2):
        if rows:  # 4 mm between rows of fields
            rows.append(["", "", ""])
            heights.append(4 * mm)
        r = len(rows)
        rows.append([cells[i], "", cells[i + 1]])
        heights.append(None)
        for c in (0, 2):
            if rows[r][c] != "":
                style.append(("BOX", (c, r), (c, r), 0.5, layout.GRID))
    grid = FlowingTable(
        rows, colWidths=[SIGN_WIDTH, SIGN_GAP, SIGN_WIDTH], rowHeights=heights, hAlign="LEFT", style=TableStyle(style)
    )
    if data.kind is PlanKind.UDSKRIVNINGSAFTALE:
        intro = (
            "Med underskriften bekræfter parterne udskrivningsaftalens indhold. Overlægen er ansvarlig for, at "
            "aftalen indgås (psykiatriloven § 13 a)."
        )
    else:
        intro = (
            "Med underskriften bekræfter de medvirkende parter koordinationsplanens indhold. Patienten medvirker "
            "ikke (§ 13 b). Overlægen er ansvarlig for planen (psykiatriloven § 13 b)."
        )
    heading = layout.section("Underskrifter", number)[-1]
    heading.keepWithNext = False
    return [KeepTogether([heading, _p(intro, ts.muted), layout.spacer(1), grid])]


# -- the document ----------------------------------------------------------------------------------


def discharge_plan_flowables(data: DischargePlanDocument) -> list[Flowable]:
    """The document's content, for :func:`layout.build_pdf` (exposed for documents that embed it)."""
    kind, c = data.kind, data.content
    agreement = kind is PlanKind.UDSKRIVNINGSAFTALE
    what = "aftalen" if agreement else "planen"
    version = f"Version {data.version_number}"
    if data.source_meeting and data.source_meeting.strip():
        version += f" · Grundlag: {data.source_meeting.strip()}"
    out: list[Flowable] = [
        layout.title(document_title(kind)),
        layout.subtitle(version),
        layout.subtitle(SUBTITLE),
        layout.spacer(2.5),
        layout.note(INTRO_NOTES[kind]),
        *_condition(data),
    ]
    sections: list[tuple[str, list[Flowable]]] = [
        ("Patient og indlæggelse", _patient(data)),
        ("Parter", _parties(kind, c.parties)),
        ("Behandlingstilbud", _offers(c.treatment_offers, "Ingen behandlingstilbud anført.")),
        ("Sociale tilbud", _offers(c.social_offers, "Ingen sociale tilbud anført.")),
        ("Patientens ønsker og mål", _wishes(c)),
        ("Kontaktperson / koordinator efter udskrivning", _contact(data)),
        (f"Hvis {what} ikke følges – hvem reagerer og hvordan", _reaction(kind, c)),
        ("Periode", _period(kind, c)),
    ]
    if agreement:
        sections.append(("Patientens tilslutning", _agreement(c)))
    sections += [
        ("Bemærkninger", layout.text_block(c.note, empty="Ingen bemærkninger.")),
        ("Sendt til", _sent(kind, c.sent_to, data.earlier_sendings)),
    ]
    for number, (heading, body) in enumerate(sections, start=1):
        out += _section(heading, number, body)
    out += _signatures(data, len(sections) + 1)
    return _unchain(out)


def render_discharge_plan(data: DischargePlanDocument, meta: DocumentMeta) -> bytes:
    """The udskrivningsaftale or koordinationsplan as PDF bytes; identical input gives identical bytes."""
    meta = meta.for_patient(data.patient_name, data.cpr)
    return layout.build_pdf(meta, discharge_plan_flowables(data), marking=DRAFT_MARKING if data.draft else None)
