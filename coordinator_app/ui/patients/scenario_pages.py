"""The question pages of the scenario wizard (``scenario_wizard``): the page every question sits on, the yes/no
questions (A1, B1–B5), the expected færdigbehandlet date and who judged it (B5), the special groups (A3–A5, B8 …)
and the consent to share with the kommune (F1).

They ask; they decide nothing. What the answers lead to – the next question, whether the date is needed, the
kommune the consent is for – the wizard asks ``coordinator_app.domain.scenarios`` and ``special_groups``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from coordinator_app.domain import validation
from coordinator_app.domain.errors import ValidationError
from coordinator_app.domain.model import AdmissionFlags, ConsentMethod, ConsentRecipient
from coordinator_app.domain.reference import official_kommune_name as official_name
from coordinator_app.domain.special_groups import homeless_kommune_known
from coordinator_app.services.consent import ConsentInput
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, WARNING_STYLE, buddy_label, text_label
from coordinator_app.ui.common.widgets import DateField, OptionalDateField
from coordinator_app.ui.patients.admission_dialog import FLAG_LABELS

if TYPE_CHECKING:  # the wizard builds the pages; they read its other answers through it
    from coordinator_app.ui.patients.scenario_wizard import ScenarioWizard

DEFAULT_SCOPE = "Oplysninger om indlæggelse, funktionsniveau og forventet udskrivning"


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
        if self._wizard.choices().needs_expected_date:
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
        self.homeless_warning.setVisible(checked and not homeless_kommune_known(self._wizard.details.admission))

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
