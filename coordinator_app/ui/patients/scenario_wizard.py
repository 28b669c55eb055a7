"""Scenario wizard (A1, B1–B5, B8, F1): one question per page, the plan it gives, saved on "Gem vurdering".

The pages ask only what ``scenarios.decide`` needs; the branching is QWizard's ``nextId``. The plan page
shows ``ScenarioService.preview``; Finish calls ``ScenarioService.assess``. An error from the service is shown
in Danish on the plan page and the wizard stays open with every answer kept.

Re-running (e.g. after an afmelding, B7) starts from the admission's stored answers, flags and date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coordinator_app.domain import validation
from coordinator_app.domain.errors import KoordinatorError, ValidationError
from coordinator_app.domain.model import AdmissionFlags, ConsentMethod, ConsentRecipient, EventKind
from coordinator_app.domain.process import effective_events
from coordinator_app.domain.reference import official_kommune_name as official_name
from coordinator_app.domain.special_groups import RECIPIENT_LABELS, recipient_kommune, recipient_role
from coordinator_app.services.admissions import AdmissionDetails, Changes
from coordinator_app.services.consent import ConsentInput
from coordinator_app.services.scenario import PlanView, ScenarioAssessment, ScenarioService
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, WARNING_STYLE, buddy_label, text_label
from coordinator_app.ui.common.widgets import DateField, OptionalDateField
from coordinator_app.ui.patients.admission_dialog import FLAG_LABELS

PAGE_INDSATS, PAGE_NEED, PAGE_SUPPORT, PAGE_DISCHARGE, PAGE_EXPECTED, PAGE_FLAGS, PAGE_CONSENT, PAGE_PLAN = range(8)
DEFAULT_SCOPE = "Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning"
NO_DATE = "ingen fast dato"
#: Where the answer behind a field the service refuses was given (short page names for the message).
FIELD_PAGES = {
    "judged_by": "Forventet færdigbehandlet",
    "expected_faerdigbehandlet": "Forventet færdigbehandlet",
    "homeless": "Særlige forhold",
    "given_to": "Samtykke",
    "scope": "Samtykke",
    "given_on": "Samtykke",
    "consent": "Samtykke",
}


class _Page(QWizardPage):
    """A page with the question (and its rule) as title, the answers, a guidance text and an error line."""

    def __init__(self, question: str, guidance: str) -> None:
        super().__init__()
        self.setTitle(question)
        self.next_page: Callable[[], int] = lambda: -1
        self.body = QVBoxLayout(self)
        self.content = QVBoxLayout()
        self.body.addLayout(self.content)
        # The error sits right under the answers it is about; the guidance follows.
        self.error = text_label(style=ERROR_STYLE)
        self.error.setAccessibleName("Fejlbesked")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.body.addWidget(self.error)
        self.body.addSpacing(12)
        self.guidance = text_label(guidance, MUTED)
        self.guidance.setAccessibleName("Vejledning")
        self.body.addWidget(self.guidance)
        self.body.addStretch(1)

    def nextId(self) -> int:
        return self.next_page()

    def show_error(self, message: str, focus: QWidget | None = None) -> None:
        self.error.setText("⚠ " + message)
        self.error.show()
        if focus is not None:
            focus.setFocus()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()


class ChoicePage(_Page):
    """Two answers as radio buttons: Alt-mnemonics, arrow keys, Next only once answered.

    ``value()`` is ``True`` for ``yes``; ``yes_first=False`` shows the ``no`` answer first (reading order).
    """

    def __init__(self, question: str, guidance: str, yes: str, no: str, *, yes_first: bool = True) -> None:
        super().__init__(question, guidance)
        # Created in display order: the focus chain (Tab, arrow keys) follows creation.
        if yes_first:
            self.yes, self.no = QRadioButton(yes), QRadioButton(no)
            shown = (self.yes, self.no)
        else:
            self.no, self.yes = QRadioButton(no), QRadioButton(yes)
            shown = (self.no, self.yes)
        self.group = QButtonGroup(self)
        for button in shown:
            self.group.addButton(button)
            self.content.addWidget(button)
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        return False if self.no.isChecked() else None

    def set_value(self, value: bool | None) -> None:
        if value is not None:
            (self.yes if value else self.no).setChecked(True)

    def isComplete(self) -> bool:
        return self.value() is not None

    def initializePage(self) -> None:
        (self.group.checkedButton() or self.group.buttons()[0]).setFocus()


class ExpectedPage(_Page):
    """The expected færdigbehandlet date (B5): a medical judgement, so who judged it is required with it."""

    def __init__(self, wizard: ScenarioWizard, today: date) -> None:
        super().__init__("Hvornår forventes patienten færdigbehandlet? (B5)", "")
        self._wizard = wizard
        self.date = OptionalDateField("Vurderet:", today)
        self.judged_by = QLineEdit()
        self.judged_by.setPlaceholderText("Lægens navn")
        self.judged_by.setEnabled(False)
        self.date.check.toggled.connect(self.judged_by.setEnabled)
        form = QFormLayout()
        form.addRow(buddy_label("Forventet &færdigbehandlet:", self.date), self.date)
        form.addRow(buddy_label("Vurderet af (&læge):", self.judged_by), self.judged_by)
        self.content.addLayout(form)

    def initializePage(self) -> None:
        varsling = self._wizard.service.rules.rule("varsling").description.lower()
        if self._wizard.branch() == "B5":
            self.setTitle("Hvornår forventes patienten færdigbehandlet? (B5)")
            self.guidance.setText(
                "Færdigbehandlet er altid en lægelig vurdering (B5). Datoen giver varslingsfristen: "
                f"{varsling}. Uden dato kan fristen ikke beregnes endnu – kør vurderingen igen, når lægen "
                "har vurderet datoen."
            )
        else:
            self.setTitle("Hvornår forventes patienten færdigbehandlet? (valgfrit, B5)")
            self.guidance.setText(
                "Valgfrit i dette scenarie: der skal ikke varsles. Datoen gemmes på indlæggelsen og bruges, "
                "hvis scenariet senere ændres. Færdigbehandlet er altid en lægelig vurdering (B5)."
            )
        self.date.setFocus()

    def validatePage(self) -> bool:
        expected = self.date.value()
        try:
            if expected is not None:
                validation.require_name(self.judged_by.text(), field="judged_by", label="Lægens navn")
                details = self._wizard.details
                validation.check_admission_dates(details.admission.admitted, None, expected, today=self._wizard.today)
        except ValidationError as exc:
            if exc.field == "judged_by":
                self.show_error(f"{exc.message} Færdigbehandlet er en lægelig vurdering (B5).", self.judged_by)
            else:
                self.show_error(exc.message, self.date.edit)
            return False
        self.clear_error()
        return True


class FlagsPage(_Page):
    """Special groups (A3–A5, B8, C9–C10, D2, D5–D8), prefilled from the admission."""

    def __init__(self, wizard: ScenarioWizard) -> None:
        super().__init__(
            "Gælder nogen af disse særlige forhold for patienten?",
            "De særlige forhold giver ekstra pligter og påmindelser – reglen står i parentes. "
            "For en hjemløs patient går varsling og færdigmelding til den senest kendte opholdskommune (B5), "
            "anden kontakt til handlekommunen, hvis den kendes (A5).",
        )
        self._wizard = wizard
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (name, label) in enumerate(FLAG_LABELS):
            box = QCheckBox(label)
            self.boxes[name] = box
            grid.addWidget(box, i // 2, i % 2)
        self.content.addLayout(grid)
        self.homeless_warning = text_label(
            "Der er ikke registreret en opholdskommune eller handlekommune for denne indlæggelse. "
            "Ret indlæggelsen først (A5, B5) – ellers kan vurderingen ikke gemmes.",
            WARNING_STYLE,
        )
        self.homeless_warning.hide()
        self.content.addWidget(self.homeless_warning)
        self.boxes["homeless"].toggled.connect(self._homeless_toggled)

    def _homeless_toggled(self, checked: bool) -> None:
        a = self._wizard.details.admission
        self.homeless_warning.setVisible(checked and not (a.opholdskommune or a.handlekommune))

    def flags(self) -> AdmissionFlags:
        return AdmissionFlags(**{name: box.isChecked() for name, box in self.boxes.items()})

    def set_flags(self, flags: AdmissionFlags) -> None:
        for name, box in self.boxes.items():
            box.setChecked(bool(getattr(flags, name)))

    def initializePage(self) -> None:
        self.boxes[FLAG_LABELS[0][0]].setFocus()


class ConsentPage(_Page):
    """Consent to share with the kommune (F1), and the B8 warning for a patient who wants to leave."""

    def __init__(self, wizard: ScenarioWizard, today: date) -> None:
        super().__init__(
            "Har patienten samtykket til deling med kommunen? (F1)",
            "Udveksling af oplysninger med kommunen kræver patientens samtykke eller en lovhjemmel (F1). "
            "Registrér hvad, til hvem, hvornår og hvordan. Vælg kun mundtligt eller skriftligt, hvis "
            "samtykket gives nu – et tidligere samtykke gælder, indtil det trækkes tilbage.",
        )
        self._wizard = wizard
        self.none = QRadioButton("&Intet nyt samtykke")
        self.oral = QRadioButton("&Mundtligt samtykke")
        self.written = QRadioButton("&Skriftligt samtykke")
        self.group = QButtonGroup(self)
        for button in (self.none, self.oral, self.written):
            self.group.addButton(button)
            self.content.addWidget(button)
        self.none.setChecked(True)
        self.given_to = QLineEdit()
        self.scope = QLineEdit(DEFAULT_SCOPE)
        self.given_on = DateField(today)
        self.given_on.setMaximumDate(self.given_on.date())
        self._given_to_edited = False
        self.given_to.textEdited.connect(self._mark_edited)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(buddy_label("Til &hvem:", self.given_to), self.given_to)
        form.addRow(buddy_label("Hv&ad må deles:", self.scope), self.scope)
        form.addRow(buddy_label("Givet &den:", self.given_on), self.given_on)
        self.fields = QWidget()
        self.fields.setLayout(form)
        form.setContentsMargins(24, 4, 0, 0)
        self.content.addWidget(self.fields)
        self.b8_warning = text_label(
            "Patienten ønsker udskrivning og kan ikke tilbageholdes (B8): kommunen må kun orienteres, hvis "
            "patienten giver samtykke – også hvor der ellers skulle have været varslet. Som hovedregel skal "
            "der laves en udskrivningsaftale eller en koordinationsplan (E1, E2).",
            WARNING_STYLE,
        )
        self.content.addSpacing(6)
        self.content.addWidget(self.b8_warning)
        self.group.buttonToggled.connect(lambda *_: self._sync())
        self._sync()

    def _mark_edited(self) -> None:
        self._given_to_edited = True

    def _sync(self) -> None:
        self.fields.setEnabled(not self.none.isChecked())

    def method(self) -> ConsentMethod | None:
        if self.oral.isChecked():
            return ConsentMethod.MUNDTLIGT
        return ConsentMethod.SKRIFTLIGT if self.written.isChecked() else None

    def consent(self) -> ConsentInput | None:
        method = self.method()
        if method is None:
            return None
        given_on = self.given_on.value()
        return ConsentInput(
            recipient=ConsentRecipient.KOMMUNE,
            given_to=self.given_to.text(),
            scope=self.scope.text(),
            method=method,
            given_on=None if given_on == self._wizard.today else given_on,
        )

    def initializePage(self) -> None:
        if not self._given_to_edited:
            name = self._wizard.contact_kommune_name()
            self.given_to.setText(official_name(name) if name else "")
        self.b8_warning.setVisible(self._wizard.flags_page.boxes["wants_to_leave"].isChecked())
        (self.group.checkedButton() or self.none).setFocus()

    def validatePage(self) -> bool:
        if self.method() is not None:
            try:
                validation.require_name(self.given_to.text(), field="given_to", label="Hvem samtykket gælder")
            except ValidationError as exc:
                self.show_error(exc.message, self.given_to)
                return False
            try:
                validation.require_name(self.scope.text(), field="scope", label="Hvad samtykket omfatter")
            except ValidationError as exc:
                self.show_error(exc.message, self.scope)
                return False
        self.clear_error()
        return True


class PlanPage(_Page):
    """The plan the answers give (``ScenarioService.preview``); Finish saves it (``assess``)."""

    HEADERS = ("Hvad", "Senest", "Modtager", "Regel")

    def __init__(self, wizard: ScenarioWizard) -> None:
        super().__init__(
            "Planen: det skal afsnittet gøre over for kommunen",
            "Tjek planen. »Gem vurdering« gemmer svarene på indlæggelsen og i historikken; fristerne "
            "beregnes derefter ud fra hændelserne. Netværksmødets frist (C2) dateres, når indkaldelsen "
            "registreres.",
        )
        self._wizard = wizard
        self.plan: PlanView | None = None
        self.scenario_label = QLabel()
        font = self.scenario_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.scenario_label.setFont(font)
        self.scenario_label.setWordWrap(True)
        self.branch_label = text_label()
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.setAccessibleName("Planens trin")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setStyleSheet("QTableWidget::item { padding: 2px 6px; } QHeaderView::section { padding: 2px 6px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.notes = text_label(style=WARNING_STYLE)
        for widget in (self.scenario_label, self.branch_label, self.table, self.notes):
            self.content.addWidget(widget)

    def initializePage(self) -> None:
        self.clear_error()
        self.plan = None
        try:
            self.plan = self._wizard.service.preview(self._wizard.admission_id, self._wizard.assessment())
        except KoordinatorError as exc:
            self.show_error(exc.message)
        self._show(self.plan)

    def _show(self, plan: PlanView | None) -> None:
        self.scenario_label.setText(plan.label if plan else "")
        branch = plan.branch if plan else None
        if branch == "B4":
            text = "B4: kan udskrives, før indsatsen er på plads – ingen varsling og ingen færdigmelding."
        elif branch == "B5":
            text = "B5: kan ikke udskrives, før indsatsen er på plads – varsling og færdigmelding."
        elif plan is not None and plan.scenario is None:
            text = (
                "Ingen tværsektoriel meldepligt efter B1–B5. Børn i familien (A4), netværksmøder (C) og "
                "udskrivningsaftale/koordinationsplan (E) gælder stadig."
            )
        else:
            text = ""
        self.branch_label.setText(text)
        self.branch_label.setVisible(bool(text))
        steps = plan.steps if plan else ()
        self.table.setVisible(bool(steps))
        self.table.setRowCount(len(steps))
        for row, step in enumerate(steps):
            role = RECIPIENT_LABELS.get(step.recipient_role or "", "")
            if step.kommune_name:
                recipient = f"{step.kommune_name} ({role.lower()})" if role else step.kommune_name
                if step.secure_mail:
                    recipient += f"\nSikker mail: {step.secure_mail}"
            else:
                recipient = f"{role} – ikke registreret" if role else "–"
            due = f"{step.due:%d-%m-%Y}" if step.due else NO_DATE
            for col, text in enumerate((step.label, due, recipient, step.rule)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.selectionModel().clearCurrentIndex()  # no focus frame on the first cell
        notes = []
        if self._wizard.flags_page.boxes["wants_to_leave"].isChecked() and self._wizard.consent_page.method() is None:
            notes.append("B8: uden samtykke må kommunen ikke orienteres om patienten, der ønsker udskrivning.")
        if branch == "B5" and self._wizard.expected_page.date.value() is None:
            notes.append("B5: uden forventet færdigbehandlet-dato kan varslingsfristen ikke beregnes endnu.")
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    def validatePage(self) -> bool:
        """Finish: save the assessment. A refusal is shown here in Danish; nothing the user chose is lost."""
        try:
            changes = self._wizard.service.assess(self._wizard.admission_id, self._wizard.assessment())
        except KoordinatorError as exc:
            message = exc.message
            page = FIELD_PAGES.get(getattr(exc, "field", None) or "")
            if page is not None:
                message += f" (Svaret står på siden »{page}« – tryk Tilbage for at ændre det.)"
            self.show_error(message)
            return False
        self._wizard.changes = changes
        self._wizard.assessed.emit(changes)
        return True


class ScenarioWizard(QWizard):
    """Vurder scenarie: the answers ``ScenarioService`` needs, one question per page, then the plan."""

    assessed = Signal(object)  # Changes, after a successful "Gem vurdering"

    def __init__(
        self,
        service: ScenarioService,
        details: AdmissionDetails,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert details.admission.id is not None
        self.service = service
        self.details = details
        self.admission_id: int = details.admission.id
        self.today = today
        self.changes: Changes | None = None
        self.setWindowTitle(f"Vurder scenarie – {details.patient.name}")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setMinimumSize(680, 520)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Næste >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Tilbage")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Annuller")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Gem vurdering")

        self.indsats_page = ChoicePage(
            "Har patienten en kommunal indsats i dag? (A1)",
            "A1: Spørg ved indlæggelsen, om patienten får kommunal støtte (fx bostøtte, botilbud eller "
            "støttekontaktperson). Har patienten en indsats, eller kan der blive behov, adviseres kommunen, "
            "så snart det er afklaret.",
            "&Ja, patienten har en kommunal indsats",
            "N&ej, ingen kommunal indsats",
        )
        self.need_page = ChoicePage(
            "Er behovet ved udskrivning uændret eller større? (B1/B2)",
            "B1: uændret behov – kommunen orienteres ved indlæggelsen og om udskrivningen; der varsles ikke. "
            "B2: større behov – kontakt kommunen straks om det større behov; derefter B4 eller B5.",
            yes="&Større behov – scenarie 2 (B2)",
            no="&Uændret behov – scenarie 1 (B1)",
            yes_first=False,
        )
        self.support_page = ChoicePage(
            "Kan patienten få brug for støtte efter udskrivning? (B3)",
            "B3: vurderer I, at patienten kan få brug for støtte, kontaktes kommunen hurtigst muligt efter "
            "indlæggelsen, så sagsbehandlingen kan begynde. Forventes intet behov, er der ingen tværsektoriel "
            "meldepligt – børn (A4), netværksmøder (C) og udskrivningsaftaler (E) gælder stadig.",
            "&Ja, kan få brug for støtte – scenarie 3 (B3)",
            "N&ej, intet behov forventes – intet scenarie",
        )
        varsling = service.rules.rule("varsling").description
        self.discharge_page = ChoicePage(
            "Kan patienten udskrives, før indsatsen er på plads? (B4/B5)",
            "B4: kan udskrives, selv om indsatsen ikke er på plads – ingen varsling og ingen færdigmelding; "
            "kommunen orienteres om udskrivningen. "
            f"B5: {varsling[0].lower()}{varsling[1:]} (varslingsblanket), færdigmelding når patienten "
            "efter lægelig vurdering er færdigbehandlet; fra færdigmeldingen betaler kommunen pr. sengedag.",
            "&Ja, kan udskrives før indsatsen er på plads (B4)",
            "N&ej, skal vente på indsatsen (B5)",
        )
        self.expected_page = ExpectedPage(self, today)
        self.flags_page = FlagsPage(self)
        self.consent_page = ConsentPage(self, today)
        self.plan_page = PlanPage(self)

        for page_id, page in (
            (PAGE_INDSATS, self.indsats_page),
            (PAGE_NEED, self.need_page),
            (PAGE_SUPPORT, self.support_page),
            (PAGE_DISCHARGE, self.discharge_page),
            (PAGE_EXPECTED, self.expected_page),
            (PAGE_FLAGS, self.flags_page),
            (PAGE_CONSENT, self.consent_page),
            (PAGE_PLAN, self.plan_page),
        ):
            self.setPage(page_id, page)
        self.indsats_page.next_page = lambda: PAGE_NEED if self.indsats_page.value() is not False else PAGE_SUPPORT
        self.need_page.next_page = lambda: PAGE_DISCHARGE if self.need_page.value() else PAGE_EXPECTED
        self.support_page.next_page = lambda: PAGE_DISCHARGE if self.support_page.value() else PAGE_EXPECTED
        self.discharge_page.next_page = lambda: PAGE_EXPECTED
        self.expected_page.next_page = lambda: PAGE_FLAGS
        self.flags_page.next_page = lambda: PAGE_CONSENT
        self.consent_page.next_page = lambda: PAGE_PLAN
        self.setStartId(PAGE_INDSATS)
        self._prefill(details)

    # -- answers -------------------------------------------------------------------------------------
    def _prefill(self, details: AdmissionDetails) -> None:
        """The stored answers (``None``: the question was not asked then), flags, date and who judged it."""
        a = details.admission
        answers = a.scenario_answers or {}
        self.indsats_page.set_value(answers.get("has_indsats"))
        self.need_page.set_value(answers.get("need_greater"))
        self.support_page.set_value(answers.get("may_need_support"))
        can = answers.get("can_discharge_before_support")
        if a.scenario in (2, 3) or answers.get("branch") in ("B4", "B5"):
            self.discharge_page.set_value(can)
        self.expected_page.date.set_value(a.expected_faerdigbehandlet)
        self.expected_page.judged_by.setText(self._judged_by(details))
        self.flags_page.set_flags(a.flags)

    @staticmethod
    def _judged_by(details: AdmissionDetails) -> str:
        """Who judged the current expected date (the latest EXPECTED_FAERDIGBEHANDLET event for it)."""
        expected = details.admission.expected_faerdigbehandlet
        if expected is None:
            return ""
        for event in reversed(effective_events(details.events)):
            if event.kind is EventKind.EXPECTED_FAERDIGBEHANDLET:
                if event.data.get("date") == expected.isoformat():
                    return str(event.data.get("by") or "")
                return ""
        return ""

    def scenario(self) -> int | None:
        if self.indsats_page.value():
            return 2 if self.need_page.value() else 1
        return 3 if self.support_page.value() else None

    def branch(self) -> str | None:
        if self.scenario() in (2, 3):
            return "B4" if self.discharge_page.value() is not False else "B5"
        return None

    def contact_kommune_name(self) -> str:
        """The kommune the consent is prefilled for: the one the center contacts (A5, B5)."""
        a = self.details.admission
        role = recipient_role(
            homeless=self.flags_page.boxes["homeless"].isChecked(),
            handlekommune_known=a.handlekommune is not None,
        )
        code = recipient_kommune(a, role)
        if code is None:
            return ""
        if code == a.bopaelskommune and self.details.kommune is not None:
            return self.details.kommune.name
        return self.details.kommune_name(code)

    def assessment(self) -> ScenarioAssessment:
        has_indsats = bool(self.indsats_page.value())
        branch = self.branch()
        expected = self.expected_page.date.value()
        return ScenarioAssessment(
            has_indsats=has_indsats,
            need_greater=has_indsats and bool(self.need_page.value()),
            may_need_support=not has_indsats and bool(self.support_page.value()),
            can_discharge_before_support=branch != "B5",
            expected_faerdigbehandlet=expected,
            judged_by=self.expected_page.judged_by.text().strip() if expected else "",
            flags=self.flags_page.flags(),
            consent=self.consent_page.consent(),
        )


def open_scenario_wizard(
    parent: QWidget | None, service: ScenarioService, details: AdmissionDetails, today: date
) -> ScenarioWizard:
    """Open the wizard window-modally and return it; ``assessed`` (and ``changes``) after "Gem vurdering"."""
    wizard = ScenarioWizard(service, details, today, parent)
    wizard.open()
    return wizard
