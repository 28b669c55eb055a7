"""The referat of a tværsektorielt netværksmøde (C5–C8): the template's content as the participants receive it.

C7: the minutes *are* the template's agreements, and the participants receive them; anyone else (e.g. the
GP) only with the patient's consent. The referat therefore prints:

- the title, the meeting reference, status (a draft is marked as such), date and time ("lørdag 30-05-2026
  kl. 10.00"), mødeform (C8) and place, the occasion (C2–C4, C9, C10, D9), **who called the meeting** (the party
  with the need calls it) and when, **whether the agenda was prepared with the patient** (Ja / Nej / "Ikke
  oplyst" for a meeting from before it was recorded), the template and its version;
- the patient: name, full CPR (ddmmåå-xxxx) and the admission (or ambulant course) it concerns;
- the template's sections **in the order of the meeting's template version**, numbered, with the ward's
  titles (a ward may rename, reorder and add sections; a meeting keeps the version it was created with):

  - agenda (C5) and free sections the ward added: their text, flowing over pages; a section about treatment
    or medication (``health_professional_only``) carries a small note that a health professional writes it;
  - participants (C1, C5): a table with name and role, organisation, sector, phone and e-mail, and
    fremmøde (til stede / afbud);
  - roles (C6): mødeleder, referent and tovholder by name;
  - agreements (C5, C7): a table with number, what, who is responsible (name and organisation), deadline and
    status; a missing owner or deadline prints a visible "Mangler";
  - follow-up (C5): whether a follow-up meeting is needed, when, and who calls it;

- a distribution note (C7) with the present participants who receive the referat.

The referat leaves the ward, so Koordinator's rule IDs ("C5") are not printed: where a reference helps, it
cites the agreement's own section (``agreement_sections.cite``); occasion labels and generated texts lose their
"(C2)" (:func:`off_paper`). Dates are dd-mm-åååå, times "kl. 10.00".

Same frame as every Koordinator document (:mod:`layout`): embedded font, confidentiality header,
"Side x af y", document ID and creation time, the patient on continuation pages; identical input gives
identical bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from coordinator_app.documents import layout
from coordinator_app.documents.layout import (
    CONTENT_WIDTH,
    FRAME_HEIGHT,
    KEEP_START,
    PAGE_HEIGHT,
    TALLEST_WHOLE_ROW,
    DocumentMeta,
    FlowingTable,
    format_date,
    format_moment,
)
from coordinator_app.domain.agreement_sections import cite
from coordinator_app.domain.cpr import format_cpr
from coordinator_app.domain.meetings import (
    OCCASION_LABELS,
    AgreementStatus,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Participant,
    SectionKind,
    TemplateSection,
)
from coordinator_app.domain.model import SECTOR_LABELS
from coordinator_app.domain.workdays import local_date

REFERAT_TITLE = "Referat af tværsektorielt netværksmøde"
SUBTITLE = "Netværksmødeskabelon · Samarbejdsaftale om voksne borgere med psykisk sygdom (2022)"

MISSING = "Mangler"
NOT_FILLED = "Ikke udfyldt."

FORM_LABELS: dict[MeetingForm, str] = {
    MeetingForm.FYSISK: "Fysisk fremmøde",
    MeetingForm.VIDEO: "Video",
    MeetingForm.TELEFON: "Telefon",
    MeetingForm.BLANDET: "Blandet (fysisk fremmøde og video/telefon)",
}

AGREEMENT_STATUS_LABELS: dict[AgreementStatus, str] = {
    AgreementStatus.AABEN: "Åben",
    AgreementStatus.UDFOERT: "Udført",
}

HEALTH_PROFESSIONAL_NOTE = "(skrevet af sundhedsfaglig deltager)"
#: When the referent (who writes the minutes) is not marked as a health professional, the referat does not
#: claim that the section was written by one: it states the rule instead (mirrors ``check_meeting``, C6).
HEALTH_PROFESSIONAL_RULE = (
    f"(skal skrives af en sundhedsfaglig deltager, jf. {cite('C6')} – referenten er ikke registreret som "
    "sundhedsfaglig)"
)

#: C7: who receives the referat.
DISTRIBUTION_NOTE = (
    f"Referatet sendes til mødets deltagere. Andre modtagere kun med patientens samtykke ({cite('C7')})."
)
#: C5: an agreement names who is responsible and by when.
MISSING_NOTE = f"Mangler: aftalen har endnu ingen ansvarlig eller ingen frist ({cite('C5')})."

#: C5: the agenda is prepared before the meeting together with the patient (the agreement's netværksmøde note).
AGENDA_WITH_PATIENT = "Dagsorden med patienten"  # fits the label column on one line
AGENDA_ANSWERS: dict[bool | None, str] = {
    True: "Ja – forberedt sammen med patienten",
    False: "Nej – ikke forberedt med patienten",
    None: layout.NOT_KNOWN,
}

#: A rule ID in parentheses, e.g. " (C2)", " (C2–C4)", " (C5, F1)": Koordinator's numbering, not the agreement's.
_RULE_REFERENCE = re.compile(r"\s*\((?:[A-H]\d{1,2})(?:\s*[–,/-]\s*(?:[A-H]?\d{1,2}))*\)")

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


# -- styles ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TableStyles:
    head: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    missing: ParagraphStyle
    hp_note: ParagraphStyle


@cache
def _styles() -> _TableStyles:
    st = layout.styles()
    return _TableStyles(
        head=st.cell_head,
        cell=st.cell,
        cell_bold=st.cell_bold,
        cell_small=ParagraphStyle(
            "ReferatCellSmall", parent=st.cell, fontSize=7.5, leading=9.5, textColor=layout.MUTED
        ),
        missing=st.cell_missing,
        hp_note=ParagraphStyle(
            "ReferatHpNote", parent=st.small, fontSize=8, leading=10.5, spaceAfter=3, keepWithNext=1
        ),
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(layout._text(text), style)


def _stack(*parts: tuple[str, ParagraphStyle]) -> list[Paragraph]:
    """Several paragraphs in one table cell (empty parts left out)."""
    return [_p(text, style) for text, style in parts if text.strip()]


def _grid(header: Sequence[str], rows: list[list[Any]], widths: Sequence[float]) -> FlowingTable:
    """A ruled table with a shaded header row that is repeated when the table continues on the next page.
    ``table.referat_lead`` is what must fit under a heading: the header and the first row (a row is never split
    under the repeated header, see ``layout.FlowingTable``) – of a first row taller than
    ``layout.TALLEST_WHOLE_ROW``, which is split, the first ``KEEP_START``."""
    ts = _styles()
    data = [[_p(h, ts.head) for h in header], *rows]
    style = layout.grid_style()
    table = FlowingTable(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(style)

    def height(rows: list[list[Any]]) -> float:
        part = FlowingTable(rows, colWidths=list(widths))
        part.setStyle(style)
        return float(part.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1])

    head = height(data[:1])
    first = height(data[:2]) - head
    table.referat_lead = head + (first if head + first <= TALLEST_WHOLE_ROW else KEEP_START)
    return table


def _heading(text: str, number: int | None, body: list[Flowable]) -> list[Flowable]:
    """The section heading, kept with what follows.

    ``layout.section`` keeps the heading with the next flowable, and reportlab then moves heading *and* a
    whole table to the next page when the table does not fit the rest of the page (a half-empty page before
    every long table). A section that holds a table is therefore kept together only as far as the table's
    header and first row: the page breaks before the heading unless those fit, and the table then splits
    between rows across pages with its header repeated."""
    flowables = layout.section(text, number)
    grid = next((f for f in body if hasattr(f, "referat_lead")), None)
    if grid is None:
        return flowables + body
    heading = flowables[-1]
    heading.keepWithNext = False
    before = body[: body.index(grid)]
    lead = heading.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] + heading.getSpaceBefore() + heading.getSpaceAfter()
    lead += sum(f.wrap(CONTENT_WIDTH, PAGE_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in before)
    lead += grid.referat_lead + 2 * mm
    if lead > FRAME_HEIGHT:  # never more than a page holds (a page break at the top of a page leaves it empty)
        lead = FRAME_HEIGHT / 3
    return [CondPageBreak(lead), heading, *body]


def off_paper(text: str) -> str:
    """``text`` without Koordinator's rule IDs in parentheses ("Under indlæggelse (C2)" → "Under indlæggelse"):
    the labels shared with the screen, and texts the app wrote (a follow-up meeting's late reason), as printed."""
    return _RULE_REFERENCE.sub("", text)


def _muted(text: str) -> Paragraph:
    st = layout.styles()
    return Paragraph(layout._text(text), ParagraphStyle("ReferatMuted", parent=st.body, textColor=layout.MUTED))


# -- values ----------------------------------------------------------------------------------------


def _person(person: Participant | None, empty: str) -> str:
    """``"Kåre Prøvesen (Psykiatrisk Center Testrup)"``, or ``empty`` for nobody."""
    if person is None or not person.name.strip():
        return empty
    org = person.organisation.strip()
    return f"{person.name.strip()} ({org})" if org else person.name.strip()


def _when(meeting: Meeting) -> str:
    """``"lørdag 30-05-2026 kl. 10.00"``."""
    if meeting.planned_at is None:
        return "Ikke fastsat"
    day = local_date(meeting.planned_at)
    return f"{WEEKDAYS[day.weekday()]} {format_moment(meeting.planned_at)}"


def _status(meeting: Meeting) -> str:
    if meeting.status is MeetingStatus.AFSLUTTET:
        closed = format_moment(meeting.closed_at)
        return f"Afsluttet {closed}" if closed else "Afsluttet"
    return "Udkast – mødet er ikke afsluttet"


def _follow_up_answer(needed: bool | None) -> str:
    if needed is None:
        return "Ikke besluttet"
    return "Ja" if needed else "Nej"


# -- sections --------------------------------------------------------------------------------------


def _head_rows(meeting: Meeting) -> list[tuple[str, str]]:
    template = meeting.template
    rows = [
        ("Mødereference", meeting.reference),
        ("Status", _status(meeting)),
        ("Dato og tidspunkt", _when(meeting)),
        ("Mødeform", FORM_LABELS.get(meeting.form, str(meeting.form))),
        ("Sted / link", meeting.place.strip() or layout.NOT_KNOWN),
        ("Anledning", off_paper(OCCASION_LABELS.get(meeting.occasion, str(meeting.occasion)))),
        ("Indkaldt af", meeting.content.invited_by.label() or layout.NOT_KNOWN),
        ("Indkaldt den", format_date(meeting.invited_on)),
    ]
    if meeting.late_reason.strip():
        rows.append(("Begrundelse for afholdelse efter fristen", off_paper(meeting.late_reason.strip())))
    rows.append((AGENDA_WITH_PATIENT, AGENDA_ANSWERS[meeting.content.agenda_with_patient]))
    rows.append(("Skabelon", f"{template.name}, version {template.version}"))
    return rows


def _patient_rows(patient_name: str, cpr: str, admission_label: str) -> list[tuple[str, str]]:
    return [
        ("Patient", patient_name),
        ("CPR-nummer", format_cpr(cpr)),
        ("Indlæggelse", admission_label.strip() or "Ambulant forløb"),
    ]


def _text_section(meeting: Meeting, section: TemplateSection, people: dict[str, Participant]) -> list[Flowable]:
    text = meeting.content.texts.get(section.key, "")
    out: list[Flowable] = []
    if section.health_professional_only:
        referent = people.get(meeting.content.referent_key or "")
        hp = referent is not None and referent.health_professional
        note = HEALTH_PROFESSIONAL_NOTE if hp or not text.strip() else HEALTH_PROFESSIONAL_RULE
        out.append(_p(note, _styles().hp_note))
    out += layout.text_block(text, empty=NOT_FILLED)
    return out


def _participants_table(participants: Sequence[Participant]) -> list[Flowable]:
    if not participants:
        return [_muted("Ingen deltagere registreret.")]
    ts = _styles()
    widths = (42 * mm, 37 * mm, 21 * mm, 49 * mm, 21 * mm)
    rows = []
    for p in participants:
        rows.append(
            [
                _stack(
                    (p.name, ts.cell_bold),
                    (p.role, ts.cell),
                    ("sundhedsfaglig" if p.health_professional else "", ts.cell_small),
                ),
                _p(p.organisation, ts.cell),
                _p(SECTOR_LABELS.get(p.sector, str(p.sector)) if p.sector else layout.NOT_KNOWN, ts.cell),
                _stack((p.phone, ts.cell), (layout.cell_email(p.email, widths[3]), ts.cell)),
                _p("Til stede" if p.present else "Afbud", ts.cell if p.present else ts.cell_bold),
            ]
        )
    header = ("Navn og rolle", "Organisation", "Sektor", "Telefon og e-mail", "Fremmøde")
    return [_grid(header, rows, widths)]


def _roles(meeting: Meeting, people: dict[str, Participant]) -> list[Flowable]:
    c = meeting.content
    return layout.field_rows(
        [
            ("Mødeleder", _person(people.get(c.leader_key or ""), "Ikke aftalt")),
            ("Referent", _person(people.get(c.referent_key or ""), "Ikke aftalt")),
            ("Tovholder", _person(people.get(c.tovholder_key or ""), "Ikke aftalt")),
        ]
    )


def _agreements_table(meeting: Meeting, people: dict[str, Participant]) -> list[Flowable]:
    ts = _styles()
    rows = []
    incomplete = False
    # Numbered as in the meeting's checks (check_meeting: "Aftale 2 mangler …"); empty rows are not printed.
    for number, a in enumerate(meeting.content.agreements, start=1):
        if not a.what.strip():
            continue
        owner = people.get(a.owner_key or "")
        if owner is None or not owner.name.strip():
            owner_cell: Any = _p(MISSING, ts.missing)
            incomplete = True
        else:
            owner_cell = _stack((owner.name, ts.cell), (owner.organisation, ts.cell_small))
        if a.deadline is None:
            deadline_cell = _p(MISSING, ts.missing)
            incomplete = True
        else:
            deadline_cell = _p(format_date(a.deadline), ts.cell)
        rows.append(
            [
                _p(f"{number}.", ts.cell),
                _p(a.what.strip(), ts.cell),
                owner_cell,
                deadline_cell,
                _p(AGREEMENT_STATUS_LABELS.get(a.status, str(a.status)), ts.cell),
            ]
        )
    if not rows:
        return [_muted("Ingen aftaler registreret.")]
    widths = (10 * mm, 76 * mm, 44 * mm, 22 * mm, 18 * mm)
    out: list[Flowable] = [_grid(("Nr.", "Hvad er aftalt", "Ansvarlig", "Frist", "Status"), rows, widths)]
    if incomplete:
        out += [
            layout.spacer(1.5),
            _p(MISSING_NOTE, layout.styles().small),
        ]
    return out


def _follow_up(meeting: Meeting, people: dict[str, Participant]) -> list[Flowable]:
    f = meeting.content.follow_up
    rows = [("Opfølgningsmøde", _follow_up_answer(f.needed))]
    if f.needed:
        rows += [
            ("Hvornår", format_date(f.when, "Ikke fastsat")),
            ("Hvem indkalder", _person(people.get(f.caller_key or ""), "Ikke aftalt")),
        ]
    return layout.field_rows(rows)


def _extra_text(meeting: Meeting, section: TemplateSection) -> list[Flowable]:
    """Notes typed under a structured section (kept, never lost)."""
    text = meeting.content.texts.get(section.key, "")
    if not text.strip():
        return []
    return [layout.spacer(2), layout.caption("Bemærkninger"), *layout.text_block(text)]


def _template_section(meeting: Meeting, section: TemplateSection, people: dict[str, Participant]) -> list[Flowable]:
    kind = section.kind
    if kind in (SectionKind.AGENDA, SectionKind.TEXT):
        return _text_section(meeting, section, people)
    if kind is SectionKind.PARTICIPANTS:
        body = _participants_table(meeting.content.participants)
    elif kind is SectionKind.ROLES:
        body = _roles(meeting, people)
    elif kind is SectionKind.AGREEMENTS:
        body = _agreements_table(meeting, people)
    elif kind is SectionKind.FOLLOW_UP:
        body = _follow_up(meeting, people)
    else:  # a kind this module does not know yet: print what was typed
        return layout.text_block(meeting.content.texts.get(section.key, ""), empty=NOT_FILLED)
    return body + _extra_text(meeting, section)


def _distribution(participants: Sequence[Participant]) -> list[Flowable]:
    ts = _styles()
    out: list[Flowable] = [layout.note(DISTRIBUTION_NOTE), layout.spacer(2.5)]
    present = [p for p in participants if p.present and p.name.strip()]
    if not present:
        return [*out, _muted("Ingen deltagere er registreret som til stede.")]
    widths = (44 * mm, 62 * mm, 64 * mm)
    rows = [
        [
            _p(p.name, ts.cell_bold),
            _p(p.organisation, ts.cell),
            _p(layout.cell_email(p.email, widths[2]) or "Ingen e-mail", ts.cell),
        ]
        for p in present
    ]
    return [*out, _grid(("Modtager (til stede)", "Organisation", "E-mail"), rows, widths)]


# -- the document ----------------------------------------------------------------------------------


def referat_flowables(
    meeting: Meeting, *, patient_name: str, cpr: str, admission_label: str, meta: DocumentMeta
) -> list[Flowable]:
    """The referat's content, for :func:`layout.build_pdf` (exposed for documents that embed it)."""
    people = {p.key: p for p in meeting.content.participants}
    out: list[Flowable] = [
        layout.title(REFERAT_TITLE),
        layout.subtitle(SUBTITLE),
        layout.spacer(3),
    ]
    if meeting.status is not MeetingStatus.AFSLUTTET:
        out += [layout.note("Udkast: mødet er ikke afsluttet, og referatet kan stadig ændres."), layout.spacer(2)]
    out += layout.field_rows(_head_rows(meeting))
    out.append(layout.spacer(2.5))
    out += layout.field_rows(_patient_rows(patient_name, cpr, admission_label))

    for number, section in enumerate(meeting.template.sections, start=1):
        out += _heading(section.title, number, _template_section(meeting, section, people))
    out += _heading("Distribution", None, _distribution(meeting.content.participants))
    return out


def render_referat(meeting: Meeting, *, patient_name: str, cpr: str, admission_label: str, meta: DocumentMeta) -> bytes:
    """The referat as PDF bytes (C5, C7); identical input gives identical bytes."""
    flowables = referat_flowables(
        meeting, patient_name=patient_name, cpr=cpr, admission_label=admission_label, meta=meta
    )
    return layout.build_pdf(meta.for_patient(patient_name, cpr), flowables)
