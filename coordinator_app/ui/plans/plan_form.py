"""The fields of an udskrivningsaftale / koordinationsplan (E1–E3), on one scrolling page in the order of the
printed plan: parties and the responsible overlæge, treatment and social offers, the patient's wishes and
goals, contact person and who reacts (and how) if the plan is not followed, the period and the patient's
agreement, who it is sent to (and how), and a note.

``PlanForm`` knows nothing about saving: it loads a ``PlanContent``, gives one back, can be read-only, and can put
the cursor on the field a ``ValidationError`` names. The editor dialog (``plan_editor``) does the rest. Its table
columns and small builders are in ``plan_form_parts``; which roles and fields a kind has, and who a plan is usually
sent to, are the domain's (``discharge_plans``).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.discharge_plans import (
    PARTY_ROLE_LABELS,
    Offer,
    Party,
    PartyRole,
    PlanContent,
    PlanKind,
    SentTo,
    party_roles,
    send_channel,
    takes_patient_agreement,
    usual_recipients,
)
from coordinator_app.ui.common.safe_text import plain_label, rich_label
from coordinator_app.ui.common.style import MUTED, buddy_label, text_label
from coordinator_app.ui.common.widgets import DateField, OptionalDateField
from coordinator_app.ui.plans.plan_form_parts import (
    DEFINITE,
    OFFER_COLUMNS,
    PARTY_COLUMNS,
    SENT_COLUMNS,
    channel_choices,
    channel_label,
    group_box,
    party_role,
    role_label,
    text_edit,
)
from coordinator_app.ui.plans.plan_tables import EditableTable, RowsEditor


class PlanForm(QScrollArea):
    """Every field of the plan. ``changed`` on each edit (not while loading)."""

    changed = Signal()

    def __init__(self, kind: PlanKind, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._today = today
        self._loading = False
        aftale = takes_patient_agreement(kind)

        # -- parties -------------------------------------------------------------------------------------------
        self.parties = EditableTable(
            PARTY_COLUMNS, labels=role_label, choices=self._role_choices, default_date=self._default_date
        )
        self.parties.setAccessibleName("Parter")
        self.parties_editor = RowsEditor(
            self.parties,
            add_text="Tilføj &part",
            remove_text="Fjern part",
            new_row=lambda: [PartyRole.ANDEN.value, "", "", "", ""],
            edit_column=1,
        )
        parties_hint = (
            "Patienten, den psykiatriske afdeling, kommunen og dens enheder, egen læge og andre, fx botilbud eller "
            "Kriminalforsorgen – med kontaktoplysninger."
            if aftale
            else "Den psykiatriske afdeling, kommunen og dens enheder, egen læge og andre, fx botilbud eller "
            "Kriminalforsorgen – med kontaktoplysninger. Patienten er ikke part i en koordinationsplan (§ 13 b)."
        )
        self.overlaege = QLineEdit()
        self.overlaege.setPlaceholderText("Navnet på den overlæge, der har ansvaret for planen")
        overlaege_row = QFormLayout()
        overlaege_row.addRow(buddy_label("Ansvarlig overl&æge:", self.overlaege), self.overlaege)
        parties_box = group_box("Parter", text_label(parties_hint, MUTED), self.parties_editor, overlaege_row)

        # -- offers --------------------------------------------------------------------------------------------
        self.treatment = EditableTable(OFFER_COLUMNS, default_date=self._default_date)
        self.treatment.setAccessibleName("Behandlingstilbud")
        self.treatment_editor = RowsEditor(
            self.treatment,
            add_text="Tilføj &behandlingstilbud",
            remove_text="Fjern tilbud",
            new_row=lambda: ["", "", None, ""],
        )
        self.social = EditableTable(OFFER_COLUMNS, default_date=self._default_date)
        self.social.setAccessibleName("Sociale tilbud")
        self.social_editor = RowsEditor(
            self.social,
            add_text="Tilføj s&ocialt tilbud",
            remove_text="Fjern tilbud",
            new_row=lambda: ["", "", None, ""],
        )
        offers_box = group_box(
            "Tilbud efter udskrivning",
            text_label("Hvert tilbud med hvem der er ansvarlig, og fra hvornår.", MUTED),
            rich_label("<b>Behandlingstilbud</b>"),
            self.treatment_editor,
            rich_label("<b>Sociale tilbud</b>"),
            self.social_editor,
        )

        # -- wishes and goals -----------------------------------------------------------------------------------
        self.wishes = text_edit("Patientens egne ønsker til tiden efter udskrivning", 4)
        self.goals = text_edit("Patientens mål", 4)
        wg = QGridLayout()
        wg.addWidget(buddy_label("Patientens ø&nsker:", self.wishes), 0, 0)
        wg.addWidget(buddy_label("Patientens &mål:", self.goals), 0, 1)
        wg.addWidget(self.wishes, 1, 0)
        wg.addWidget(self.goals, 1, 1)
        wishes_box = group_box("Patientens ønsker og mål", wg)

        # -- contact and reaction (E3) --------------------------------------------------------------------------
        self.contact_person = QLineEdit()
        self.contact_person.setPlaceholderText("Navn, enhed og telefon på kontaktperson/koordinator efter udskrivning")
        self.reaction_who = QLineEdit()
        self.reaction_who.setPlaceholderText("Fx kommunens socialpsykiatri, sagsbehandler Lone Fiktivsen")
        self.reaction_how = text_edit("Fx kontakter patienten inden for 2 hverdage og indkalder til netværksmøde", 3)
        cf = QFormLayout()
        cf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        cf.addRow(buddy_label("&Kontaktperson / koordinator:", self.contact_person), self.contact_person)
        cf.addRow(buddy_label("Hvem &reagerer, hvis planen ikke følges:", self.reaction_who), self.reaction_who)
        cf.addRow(buddy_label("H&vordan:", self.reaction_how), self.reaction_how)
        contact_box = group_box("Kontaktperson og opfølgning (E3)", cf)

        # -- period and the patient's agreement ------------------------------------------------------------------
        self.start = OptionalDateField("", today)
        self.start.check.setAccessibleName("Startdato angivet")
        self.end = OptionalDateField("", today)
        self.end.check.setAccessibleName("Slutdato angivet")
        self.agrees = QCheckBox("Patienten til&slutter sig udskrivningsaftalen")
        self.agreed_on = DateField(today)
        self.agreed_on.setAccessibleName("Dato for patientens tilslutning")
        self.agreed_on.setEnabled(False)
        self.agrees.toggled.connect(lambda on: self.agreed_on.setEnabled(on and self.agrees.isEnabled()))
        period = QFormLayout()
        start_row = QHBoxLayout()
        start_row.addWidget(self.start)
        start_row.addStretch(1)
        end_row = QHBoxLayout()
        end_row.addWidget(self.end)
        end_row.addWidget(
            text_label("Planen er tidsbegrænset: den ophører på slutdatoen eller ved genindlæggelse.", MUTED), 1
        )
        period.addRow(buddy_label("St&artdato:", self.start), start_row)
        period.addRow(buddy_label("Sl&utdato:", self.end), end_row)
        self.agree_row = QWidget()
        ar = QHBoxLayout(self.agree_row)
        ar.setContentsMargins(0, 0, 0, 0)
        ar.addWidget(self.agrees)
        ar.addWidget(plain_label("den"))
        ar.addWidget(self.agreed_on)
        ar.addStretch(1)
        period.addRow("", self.agree_row)
        self.agree_row.setVisible(aftale)
        period_box = group_box("Periode og patientens tilslutning" if aftale else "Periode", period)

        # -- sent to and a note ----------------------------------------------------------------------------------
        self.sent = EditableTable(
            SENT_COLUMNS, labels=channel_label, choices=channel_choices, default_date=self._default_date
        )
        self.sent.setAccessibleName("Sendt til")
        self.from_parties_button = QPushButton("Egen læge og kommune fra parterne")
        self.from_parties_button.setToolTip("Tilføj egen læge (med epikrisen) og kommunen fra listen over parter")
        self.from_parties_button.clicked.connect(self.add_recipients_from_parties)
        self.sent_editor = RowsEditor(
            self.sent,
            add_text="Tilføj mod&tager",
            remove_text="Fjern modtager",
            new_row=lambda: ["", None, False, None],
            extra=[self.from_parties_button],
        )
        sent_box = group_box(
            "Sendt til",
            text_label(
                f"{DEFINITE[kind].capitalize()} sendes med epikrisen til egen læge og til kommunen. Hvornår og hvordan "
                "hver kopi sendes, spørges der om, når planen sættes i kraft, og det står på den arkiverede PDF.",
                MUTED,
            ),
            self.sent_editor,
        )
        self.note = text_edit("Andet, der skal stå i planen", 2)
        note_box = group_box("B&emærkning", self.note)
        note_box.setFocusProxy(self.note)

        page = QWidget()
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 0, 8, 0)
        for box in (parties_box, offers_box, wishes_box, contact_box, period_box, sent_box, note_box):
            pl.addWidget(box)
        pl.addStretch(1)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(page)

        self.fields: dict[str, QWidget] = {  # PlanContent field → the widget a ValidationError points at
            "parties": self.parties,
            "overlaege": self.overlaege,
            "treatment_offers": self.treatment,
            "social_offers": self.social,
            "wishes": self.wishes,
            "goals": self.goals,
            "contact_person": self.contact_person,
            "reaction_who": self.reaction_who,
            "reaction_how": self.reaction_how,
            "start": self.start,
            "end": self.end,
            "patient_agrees": self.agrees,
            "patient_agreed_on": self.agreed_on,
            "sent_to": self.sent,
            "note": self.note,
        }
        self._placeholders: dict[QLineEdit | QPlainTextEdit, str] = {
            w: w.placeholderText()
            for w in (
                self.overlaege,
                self.contact_person,
                self.reaction_who,
                self.wishes,
                self.goals,
                self.reaction_how,
                self.note,
            )
        }
        for table in (self.parties, self.treatment, self.social, self.sent):
            table.changed.connect(self._edited)
        for edit in (self.overlaege, self.contact_person, self.reaction_who):
            edit.textChanged.connect(self._edited)
        for text in (self.wishes, self.goals, self.reaction_how, self.note):
            text.textChanged.connect(self._edited)
        for optional in (self.start, self.end):
            optional.changed.connect(self._edited)
            optional.edit.dateChanged.connect(self._edited)
        self.agrees.toggled.connect(self._edited)
        self.agreed_on.dateChanged.connect(self._edited)

    def _role_choices(self) -> list[tuple[str, str]]:
        """The roles the plan's kind has (§ 13 b: no patient in a koordinationsplan)."""
        return [(r.value, PARTY_ROLE_LABELS[r]) for r in party_roles(self.kind)]

    def _default_date(self) -> date:
        return self.start.value() or self._today

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    # -- content ---------------------------------------------------------------------------------------------
    def load(self, c: PlanContent) -> None:
        self._loading = True
        self.parties.set_rows([[p.role.value, p.name, p.organisation, p.phone, p.email] for p in c.parties])
        self.treatment.set_rows([[o.what, o.responsible, o.from_date, o.note] for o in c.treatment_offers])
        self.social.set_rows([[o.what, o.responsible, o.from_date, o.note] for o in c.social_offers])
        self.sent.set_rows(
            [[s.recipient, s.sent_on, s.with_epikrise, s.channel.value if s.channel else None] for s in c.sent_to]
        )
        self.overlaege.setText(c.overlaege)
        self.wishes.setPlainText(c.wishes)
        self.goals.setPlainText(c.goals)
        self.contact_person.setText(c.contact_person)
        self.reaction_who.setText(c.reaction_who)
        self.reaction_how.setPlainText(c.reaction_how)
        self.note.setPlainText(c.note)
        self.start.set_value(c.start)
        self.end.set_value(c.end)
        self.agrees.setChecked(c.patient_agrees)
        self.agreed_on.set_value(c.patient_agreed_on or self._today)
        self._loading = False

    def content(self, *, commit: bool = True) -> PlanContent:
        """What the fields say now; empty offer rows are left out. ``commit``: an open cell editor's text counts
        (Ctrl+S while typing in a cell); the live list of what is missing reads only committed cells."""
        if commit:
            for table in (self.parties, self.treatment, self.social, self.sent):
                table.commit_pending()

        def offers(table: EditableTable) -> tuple[Offer, ...]:
            out = []
            for what, responsible, from_date, note in table.rows():
                if what.strip() or responsible.strip() or note.strip() or from_date is not None:
                    out.append(Offer(what.strip(), responsible.strip(), from_date, note.strip()))
            return tuple(out)

        parties = tuple(
            Party(party_role(role), name.strip(), org.strip(), phone.strip(), email.strip())
            for role, name, org, phone, email in self.parties.rows()
        )
        sent = tuple(
            SentTo(recipient.strip(), sent_on, bool(epikrise), send_channel(channel))
            for recipient, sent_on, epikrise, channel in self.sent.rows()
            if recipient.strip() or sent_on is not None
        )
        agrees = takes_patient_agreement(self.kind) and self.agrees.isChecked()
        return PlanContent(
            parties=parties,
            treatment_offers=offers(self.treatment),
            social_offers=offers(self.social),
            wishes=self.wishes.toPlainText().strip(),
            goals=self.goals.toPlainText().strip(),
            contact_person=self.contact_person.text().strip(),
            overlaege=self.overlaege.text().strip(),
            reaction_who=self.reaction_who.text().strip(),
            reaction_how=self.reaction_how.toPlainText().strip(),
            start=self.start.value(),
            end=self.end.value(),
            patient_agrees=agrees,
            patient_agreed_on=self.agreed_on.value() if agrees else None,
            sent_to=sent,
            note=self.note.toPlainText().strip(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for editor in (self.parties_editor, self.treatment_editor, self.social_editor, self.sent_editor):
            editor.set_read_only(read_only)
        for line in (self.overlaege, self.contact_person, self.reaction_who):
            line.setReadOnly(read_only)
        for text in (self.wishes, self.goals, self.reaction_how, self.note):
            text.setReadOnly(read_only)
        for widget, hint in self._placeholders.items():  # an empty field of an issued plan is just empty
            widget.setPlaceholderText("" if read_only else hint)
        for w in (self.start, self.end, self.agrees):
            w.setEnabled(not read_only)
        self.agreed_on.setEnabled(not read_only and self.agrees.isChecked())

    # -- pointing at a field -----------------------------------------------------------------------------------
    def focus_field(self, field: str | None) -> None:
        """Scroll to the field a problem names and put the cursor there (in a table: the first incomplete row)."""
        widget = self.fields.get(field or "")
        if widget is None:
            return
        self.ensureWidgetVisible(widget, 20, 60)
        if isinstance(widget, EditableTable):
            row, col = self._first_gap(widget)
            widget.focus_row(row, col)
        else:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _first_gap(self, table: EditableTable) -> tuple[int, int]:
        rows = table.rows()
        if table is self.parties:
            for i, r in enumerate(rows):
                if not r[1].strip():
                    return i, 1
            return max(0, len(rows) - 1), 0
        if table in (self.treatment, self.social):
            for i, r in enumerate(rows):
                if not r[0].strip():
                    return i, 0
                if not r[1].strip():
                    return i, 1
        return (0, 0) if rows else (-1, 0)

    def add_recipients_from_parties(self) -> None:
        """The usual recipients (``discharge_plans.usual_recipients``): egen læge with the epikrise, and the
        kommune, each once."""
        listed = [r[0] for r in self.sent.rows()]
        for sent in usual_recipients(self.content().parties, listed):
            channel = sent.channel.value if sent.channel else None
            self.sent.add_row([sent.recipient, sent.sent_on, sent.with_epikrise, channel], edit_column=1, edit=False)
