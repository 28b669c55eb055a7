"""Create or edit a patient's admission, with the domain's validation shown in Danish.

Nothing typed is lost on an error: the dialog stays open, the message says what to do, and the
offending field gets the focus. A new admission starts on the ward's own centre and afsnit (``own_ward``: the
first run's setup or the demo ward, as the window's title names it — issue 16), not on the first in the list. An
admission whose history cannot be read says why when the form opens: its dates are what usually fixes it (an
edit that would put an event outside the admission is refused by the service, naming the event).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.cpr import format_cpr
from coordinator_app.domain.errors import ConflictError, KoordinatorError, ValidationError
from coordinator_app.domain.model import AdmissionFlags, Kommune
from coordinator_app.domain.reference import Centre
from coordinator_app.services.admissions import AdmissionDetails, AdmissionInput, AdmissionService, Changes
from coordinator_app.services.ward import WardSetup
from coordinator_app.ui.common.conflict_dialog import ConflictChoice, ConflictDialog, differences, note_text
from coordinator_app.ui.common.labels import FLAG_LABELS
from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, buddy_label
from coordinator_app.ui.common.widgets import DateField, KommuneCombo, OptionalDateField

#: The form's fields as the conflict dialog names them, in the form's order (issue 8).
FIELD_LABELS: dict[str, str] = {
    "cpr": "CPR-nummer",
    "replacement_cpr": "Erstatnings-CPR",
    "given_name": "Fornavn(e)",
    "family_name": "Efternavn",
    "address": "Adresse",
    "center": "Center",
    "ward": "Afsnit",
    "admitted": "Indlagt",
    "involuntary": "Tvangsindlagt",
    "bopaelskommune": "Bopælskommune",
    "expected_faerdigbehandlet": "Forventet færdigbehandlet",
    "discharged": "Udskrivning",
    **dict(FLAG_LABELS),
    "opholdskommune": "Sidst kendte opholdskommune",
}


def input_of(details: AdmissionDetails) -> AdmissionInput:
    """The stored record as the form would collect it (to compare with what the user typed)."""
    p, a = details.patient, details.admission
    return AdmissionInput(
        cpr=p.cpr,
        replacement_cpr=p.replacement_cpr,
        given_name=p.given_name,
        family_name=p.family_name,
        address=p.address,
        bopaelskommune=a.bopaelskommune,
        opholdskommune=a.opholdskommune if a.flags.homeless else None,
        center=a.center,
        ward=a.ward,
        admitted=a.admitted,
        involuntary=a.involuntary,
        expected_faerdigbehandlet=a.expected_faerdigbehandlet,
        discharged=a.discharged,
        flags=a.flags,
    )


def shown_values(data: AdmissionInput, kommune_names: dict[str, str]) -> dict[str, str]:
    """Each field as the user reads it in the form: dates dd-mm-åååå, Ja/Nej, kommune by name."""

    def day(value: date | None) -> str:
        return f"{value:%d-%m-%Y}" if value else ""

    def yes(value: bool) -> str:
        return "Ja" if value else "Nej"

    def kommune(code: str | None) -> str:
        return f"{kommune_names.get(code, code)} ({code})" if code else ""

    digits = "".join(ch for ch in data.cpr if ch.isdigit())
    values = {
        "cpr": format_cpr(digits) if len(digits) == 10 else data.cpr.strip(),
        "replacement_cpr": yes(data.replacement_cpr),
        "given_name": data.given_name.strip(),
        "family_name": data.family_name.strip(),
        "address": (data.address or "").strip(),
        "center": data.center.strip(),
        "ward": data.ward.strip(),
        "admitted": day(data.admitted),
        "involuntary": yes(data.involuntary),
        "bopaelskommune": kommune(data.bopaelskommune),
        "expected_faerdigbehandlet": day(data.expected_faerdigbehandlet),
        "discharged": day(data.discharged),
        "opholdskommune": kommune(data.opholdskommune),
    }
    values.update({name: yes(bool(getattr(data.flags, name))) for name, _label in FLAG_LABELS})
    return values


class AdmissionDialog(QDialog):
    def __init__(
        self,
        service: AdmissionService,
        *,
        kommuner: Sequence[Kommune],
        centres: Sequence[Centre],
        today: date,
        existing: AdmissionDetails | None = None,
        own_ward: WardSetup | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``own_ward``: where a new admission starts (``AdmissionService.own_ward``); an edit shows its own."""
        super().__init__(parent)
        self._service = service
        self._existing = existing
        self._centres = {c.name: c for c in centres}
        self._kommune_names = {k.code: k.name for k in kommuner}
        self.conflict_dialog: ConflictDialog | None = None  # open while the user decides (issue 8)
        self.changes: Changes | None = None
        self.setWindowTitle("Ret indlæggelse" if existing else "Ny indlæggelse")
        self.setMinimumWidth(620)

        # -- patient ----------------------------------------------------------------------------------
        self.cpr = QLineEdit()
        self.cpr.setPlaceholderText("ddmmåå-xxxx")
        self.cpr.setMaxLength(11)
        self.replacement_cpr = QCheckBox("Erstatnings-CPR (ingen dansk CPR eller ukendt)")
        self.given_name = QLineEdit()
        self.family_name = QLineEdit()
        self.address = QLineEdit()
        self.address.setPlaceholderText("Valgfri")
        patient_box = QGroupBox("Patient")
        pf = QFormLayout(patient_box)
        cpr_row = QHBoxLayout()
        cpr_row.addWidget(self.cpr)
        cpr_row.addWidget(self.replacement_cpr)
        pf.addRow(buddy_label("&CPR-nummer:", self.cpr), cpr_row)
        pf.addRow("&Fornavn(e):", self.given_name)
        pf.addRow("&Efternavn:", self.family_name)
        pf.addRow("A&dresse:", self.address)

        # -- admission --------------------------------------------------------------------------------
        self.center = QComboBox()
        self.center.setEditable(True)
        self.center.addItems(list(self._centres))
        self.ward = QComboBox()
        self.ward.setEditable(True)
        self.center.currentTextChanged.connect(self._fill_wards)
        self.admitted = DateField(today)
        self.involuntary = QCheckBox("Tvangsindlagt")
        self.bopaelskommune = KommuneCombo(kommuner)
        self.expected = OptionalDateField("Kendt:", today)
        self.discharged = OptionalDateField("Udskrevet:", today)
        adm_box = QGroupBox("Indlæggelse")
        af = QFormLayout(adm_box)
        af.addRow("C&enter:", self.center)
        af.addRow("&Afsnit:", self.ward)
        adm_row = QHBoxLayout()
        adm_row.addWidget(self.admitted, 1)
        adm_row.addWidget(self.involuntary)
        af.addRow(buddy_label("&Indlagt:", self.admitted), adm_row)
        af.addRow("&Bopælskommune:", self.bopaelskommune)
        af.addRow("Forventet &færdigbehandlet:", self.expected)
        expected_hint = plain_label("Lægelig vurdering (B5). Kan ændres senere.")
        expected_hint.setStyleSheet("color: palette(mid);")
        af.addRow("", expected_hint)
        if existing is not None:
            af.addRow("&Udskrivning:", self.discharged)

        # -- special groups ---------------------------------------------------------------------------
        flags_box = QGroupBox("Særlige forhold")
        grid = QGridLayout(flags_box)
        self.flag_boxes: dict[str, QCheckBox] = {}
        for i, (name, label) in enumerate(FLAG_LABELS):
            box = QCheckBox(label)
            self.flag_boxes[name] = box
            grid.addWidget(box, i // 2, i % 2)
        self.opholdskommune = KommuneCombo(kommuner, allow_empty=True)
        self.opholdskommune.setEnabled(False)
        self.flag_boxes["homeless"].toggled.connect(self.opholdskommune.setEnabled)
        ophold_row = QFormLayout()
        ophold_row.addRow("Sidst kendte &opholdskommune:", self.opholdskommune)
        grid.addLayout(ophold_row, len(FLAG_LABELS) // 2 + 1, 0, 1, 2)

        # -- error line and buttons -------------------------------------------------------------------
        self.error_label = plain_label()
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setAccessibleName("Fejlbesked")
        self.error_label.hide()
        self.info_label = plain_label()
        self.info_label.setWordWrap(True)
        self.info_label.setStyleSheet("color: palette(text); background: palette(alternate-base); padding: 4px;")
        self.info_label.setAccessibleName("Besked")
        self.info_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Gem")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(patient_box)
        layout.addWidget(adm_box)
        layout.addWidget(flags_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.info_label)
        layout.addWidget(self.buttons)

        self._fields: dict[str, QWidget] = {
            "cpr": self.cpr,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "address": self.address,
            "center": self.center,
            "ward": self.ward,
            "admitted": self.admitted,
            "bopaelskommune": self.bopaelskommune,
            "kommune": self.bopaelskommune,
            "opholdskommune": self.opholdskommune,
            "expected_faerdigbehandlet": self.expected,
            "discharged": self.discharged,
        }
        if existing is None and own_ward is not None:
            self.center.setCurrentText(own_ward.centre)
        self._fill_wards(self.center.currentText())
        if existing is None and own_ward is not None:
            self.ward.setCurrentText(own_ward.ward)
        if existing is not None:
            self._load(existing)
            if existing.status_error:
                self.show_info(
                    f"Historikken kan ikke læses: {existing.status_error} Ret datoerne herunder, eller korrigér "
                    "hændelsen under Historik."
                )
        self.cpr.setFocus()

    def _fill_wards(self, centre_name: str) -> None:
        current = self.ward.currentText()
        self.ward.clear()
        centre = self._centres.get(centre_name)
        if centre:
            self.ward.addItems(list(centre.wards))
        if current:
            self.ward.setCurrentText(current)

    def _load(self, details: AdmissionDetails) -> None:
        p, a = details.patient, details.admission
        self.cpr.setText(format_cpr(p.cpr))
        self.replacement_cpr.setChecked(p.replacement_cpr)
        self.given_name.setText(p.given_name)
        self.family_name.setText(p.family_name)
        self.address.setText(p.address or "")
        self.center.setCurrentText(a.center)
        self._fill_wards(a.center)
        self.ward.setCurrentText(a.ward)
        self.admitted.set_value(a.admitted)
        self.involuntary.setChecked(a.involuntary)
        self.bopaelskommune.set_code(a.bopaelskommune)
        self.expected.set_value(a.expected_faerdigbehandlet)
        self.discharged.set_value(a.discharged)
        for name, box in self.flag_boxes.items():
            box.setChecked(bool(getattr(a.flags, name)))
        self.opholdskommune.set_code(a.opholdskommune)

    def collect(self) -> AdmissionInput:
        bopael = self.bopaelskommune.code()
        if bopael == "":
            raise ValidationError(
                f"Kommunen «{self.bopaelskommune.currentText()}» findes ikke. Vælg en kommune fra listen.",
                field="bopaelskommune",
            )
        ophold = self.opholdskommune.code() if self.flag_boxes["homeless"].isChecked() else None
        if ophold == "":
            raise ValidationError(
                f"Kommunen «{self.opholdskommune.currentText()}» findes ikke. Vælg en kommune fra listen.",
                field="opholdskommune",
            )
        return AdmissionInput(
            cpr=self.cpr.text(),
            replacement_cpr=self.replacement_cpr.isChecked(),
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            address=self.address.text(),
            bopaelskommune=bopael or "",
            opholdskommune=ophold,
            center=self.center.currentText(),
            ward=self.ward.currentText(),
            admitted=self.admitted.value(),
            involuntary=self.involuntary.isChecked(),
            expected_faerdigbehandlet=self.expected.value(),
            discharged=self.discharged.value() if self._existing is not None else None,
            flags=AdmissionFlags(**{name: box.isChecked() for name, box in self.flag_boxes.items()}),
        )

    def save(self) -> None:
        self.info_label.hide()
        try:
            data = self.collect()
            if self._existing is None:
                self.changes = self._service.create_admission(data)
            else:
                existing = self._existing
                assert existing.admission.id is not None
                self.changes = self._service.update_admission(
                    existing.admission.id,
                    data,
                    admission_version=existing.admission.version,
                    patient_version=existing.patient.version,
                )
        except ValidationError as exc:
            self.show_error(exc.message, exc.field)
            return
        except ConflictError:
            self._resolve_conflict(data)  # another workstation saved first: nothing of ours is written
            return
        except KoordinatorError as exc:
            self.show_error(exc.message, None)
            return
        self.accept()

    # -- a save that lost to another user's (optimistic locking, issue 8) ----------------------------------
    def _resolve_conflict(self, mine: AdmissionInput) -> None:
        assert self._existing is not None and self._existing.admission.id is not None
        admission_id = self._existing.admission.id
        try:
            stored = self._service.details(admission_id)
            last = self._service.last_change(admission_id)
        except KoordinatorError as exc:  # deleted meanwhile, or the database is gone: the form keeps the values
            self.show_error(exc.message, None)
            return
        diffs = differences(
            FIELD_LABELS,
            mine=shown_values(mine, self._kommune_names),
            read=shown_values(input_of(self._existing), self._kommune_names),
            stored=shown_values(input_of(stored), self._kommune_names),
        )
        what = f"indlæggelse nr. {admission_id}"
        dialog = ConflictDialog(what=what, diffs=diffs, last=last, parent=self)
        dialog.finished.connect(lambda _r: self._conflict_decided(dialog, stored, note_text(what, diffs, last)))
        self.conflict_dialog = dialog
        dialog.open()

    def _conflict_decided(self, dialog: ConflictDialog, stored: AdmissionDetails, note: str) -> None:
        self.conflict_dialog = None
        choice = dialog.choice
        dialog.deleteLater()
        if choice is ConflictChoice.CANCEL:
            self.show_error(
                "Intet er gemt: en anden bruger har ændret indlæggelsen. Dine ændringer står stadig i formularen; "
                "vælg Gem for at se forskellene igen, eller Annuller for at lukke uden at gemme.",
                None,
            )
            return
        admission_id = stored.admission.id
        assert admission_id is not None
        if choice is ConflictChoice.KEEP_AS_NOTE:
            try:
                self._service.add_note(admission_id, note, data={"conflict": True})
            except KoordinatorError as exc:  # the note failed: the form keeps the user's values
                self.show_error(f"Dine ændringer kunne ikke gemmes som notat. {exc.message}", None)
                return
            message = (
                "Dine ændringer er gemt som notat i indlæggelsens historik. Formularen viser nu de gemte "
                "oplysninger; ret igen, eller luk."
            )
        else:
            message = "Formularen viser nu de gemte oplysninger. Dine ændringer er kasseret."
        self._existing = stored
        self._load(stored)
        self.changes = Changes(admission_id=admission_id, patient_id=stored.patient.id)  # the list refreshes
        self.error_label.hide()
        self.show_info(message)

    def show_info(self, message: str) -> None:
        self.info_label.setText("ℹ " + message)
        self.info_label.show()

    def show_error(self, message: str, field: str | None) -> None:
        self.error_label.setText("⚠ " + message)
        self.error_label.show()
        widget = self._fields.get(field or "")
        if widget is not None:
            widget.setFocus()
