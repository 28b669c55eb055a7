"""The right-hand side of the template editor: the selected section's title, kind, guidance, default items and
whether it is required or written by a health professional (C6). Edits are written into the ``SectionDraft``
at once and announced with ``edited``; the dialog (``meeting_template_editor``) keeps the list and saving."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from coordinator_app.ui.common.safe_text import plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, text_label
from coordinator_app.ui.meetings.template_draft import KIND_LABELS, TEXT_KINDS, SectionDraft

ITEMS_HINT = "Ét punkt pr. linje – sættes ind som »- punkt«, når afsnittet er tomt"


class SectionForm(QWidget):
    """One section of the template being edited; ``show_section(None)`` empties and disables the form."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft: SectionDraft | None = None
        self._loading = False

        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Afsnittets titel")
        self.kind_label = plain_label()
        self.guidance_edit = QPlainTextEdit()
        self.guidance_edit.setTabChangesFocus(True)
        self.guidance_edit.setPlaceholderText("Kort vejledning, som mødelederen ser under mødet")
        self.guidance_edit.setMinimumHeight(80)
        self.items_edit = QPlainTextEdit()
        self.items_edit.setTabChangesFocus(True)
        self.items_edit.setPlaceholderText(ITEMS_HINT)
        self.items_edit.setMinimumHeight(100)
        self.required_check = QCheckBox("&Skal udfyldes (påkrævet)")
        self.hp_check = QCheckBox("Skal skrives af sundhedsfaglig (C&6)")
        self.hp_check.setToolTip(
            "Dele af referatet om psykiatrisk behandling eller medicin skal skrives af en sundhedsfaglig (C6)."
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        title_label = plain_label("T&itel:")
        title_label.setBuddy(self.title_edit)
        form.addRow(title_label, self.title_edit)
        form.addRow("Type:", self.kind_label)
        guidance_label = plain_label("&Vejledning:")
        guidance_label.setBuddy(self.guidance_edit)
        form.addRow(guidance_label, self.guidance_edit)
        self.items_label = plain_label("Standard&punkter:")
        self.items_label.setBuddy(self.items_edit)
        form.addRow(self.items_label, self.items_edit)
        form.addRow("", self.required_check)
        form.addRow("", self.hp_check)
        self.section_error = text_label(style=ERROR_STYLE)
        self.section_error.hide()
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.section_error)
        right.addStretch(1)
        self.setLayout(right)

        self.title_edit.textEdited.connect(self._title_edited)
        self.guidance_edit.textChanged.connect(self._field_changed)
        self.items_edit.textChanged.connect(self._field_changed)
        self.required_check.toggled.connect(self._field_changed)
        self.hp_check.toggled.connect(self._field_changed)

    def show_section(self, s: SectionDraft | None) -> None:
        """Show ``s`` (None: nothing selected). Default items and the C6 mark apply to text sections only."""
        self._draft = s
        self._loading = True
        for w in (self.title_edit, self.guidance_edit, self.items_edit, self.required_check, self.hp_check):
            w.setEnabled(s is not None)
        self.title_edit.setText(s.title if s else "")
        self.kind_label.setText(KIND_LABELS[s.kind] if s else "")
        self.guidance_edit.setPlainText(s.guidance if s else "")
        self.items_edit.setPlainText("\n".join(s.default_items) if s else "")
        text_kind = s is not None and s.kind in TEXT_KINDS
        self.items_edit.setEnabled(text_kind)
        self.items_edit.setPlaceholderText(
            ITEMS_HINT if text_kind else "Standardpunkter bruges kun i tekstafsnit (fx Formål og dagsorden)."
        )
        self.hp_check.setEnabled(text_kind)
        self.required_check.setChecked(bool(s and s.required))
        self.hp_check.setChecked(bool(s and s.health_professional_only))
        self._loading = False
        self._check_title()

    def focus_title(self) -> None:
        """F2 and a new section: the title selected, ready to be typed over."""
        if self._draft is not None:
            self.title_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.title_edit.selectAll()

    def _title_edited(self, text: str) -> None:
        s = self._draft
        if s is None:
            return
        s.title = text
        self._check_title()
        self.edited.emit()

    def _check_title(self) -> None:
        s = self._draft
        if s is not None and not s.title.strip():
            self.section_error.setText("⚠ Afsnittet skal have en titel.")
            self.section_error.show()
        else:
            self.section_error.hide()

    def _field_changed(self) -> None:
        s = self._draft
        if self._loading or s is None:
            return
        s.guidance = self.guidance_edit.toPlainText()
        s.default_items = [line.strip().lstrip("-•").strip() for line in self.items_edit.toPlainText().splitlines()]
        s.required = self.required_check.isChecked()
        s.health_professional_only = self.hp_check.isChecked()
        self.edited.emit()
