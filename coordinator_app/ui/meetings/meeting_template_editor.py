"""Template editor for the netværksmøde (C5, C6): sections, their guidance, default agenda items, required.

Saving always makes a NEW version (``MeetingService.save_template``); a meeting keeps the version it was
created with, so editing here never changes past minutes. Keyboard: Insert adds, Delete removes (confirmed),
Ctrl+Up/Ctrl+Down move the selected section, F2 renames, Ctrl+S saves.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import MeetingTemplate, SectionKind, TemplateSection
from coordinator_app.services.meetings import MeetingService
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, OK_STYLE, text_label

KIND_LABELS: dict[SectionKind, str] = {
    SectionKind.AGENDA: "Formål og dagsorden",
    SectionKind.PARTICIPANTS: "Deltagerliste",
    SectionKind.ROLES: "Roller (mødeleder, referent, tovholder)",
    SectionKind.AGREEMENTS: "Aftaler (hvad, hvem, hvornår)",
    SectionKind.FOLLOW_UP: "Opfølgningsmøde",
    SectionKind.TEXT: "Fri tekst",
}
#: Sections whose editor is a text field: default items are prefilled there as "- punkt" lines.
TEXT_KINDS = (SectionKind.AGENDA, SectionKind.TEXT)


@dataclass
class SectionDraft:
    """A section while it is edited (the domain's ``TemplateSection`` is frozen)."""

    key: str
    kind: SectionKind
    title: str
    guidance: str = ""
    required: bool = False
    default_items: list[str] = field(default_factory=list)
    health_professional_only: bool = False

    @classmethod
    def of(cls, s: TemplateSection) -> SectionDraft:
        return cls(s.key, s.kind, s.title, s.guidance, s.required, list(s.default_items), s.health_professional_only)

    def frozen(self) -> TemplateSection:
        return TemplateSection(
            key=self.key,
            kind=self.kind,
            title=self.title.strip(),
            guidance=self.guidance.strip(),
            required=self.required,
            default_items=tuple(i.strip() for i in self.default_items if i.strip()),
            health_professional_only=self.health_professional_only,
        )


def new_key(title: str, taken: set[str]) -> str:
    """A stable key for a new section: a slug of its first title, unique within the template."""
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
    slug = re.sub(r"[^a-z0-9]+", "_", title.casefold().translate(table)).strip("_")[:24] or "afsnit"
    key = slug
    while key in taken:
        key = f"{slug}_{uuid.uuid4().hex[:4]}"
    return key


class TemplateEditorDialog(QDialog):
    def __init__(self, service: MeetingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.template: MeetingTemplate = service.current_template()
        self.saved: MeetingTemplate | None = None  # the last version saved from this dialog
        self._sections = [SectionDraft.of(s) for s in self.template.sections]
        self._dirty = False
        self._loading = False
        self._confirm: QMessageBox | None = None
        self.setWindowTitle("Skabelon for netværksmøder")
        self.setMinimumSize(900, 600)

        self.header = text_label()
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        intro = text_label(
            "Afsnittene følger samarbejdsaftalens netværksmødeskabelon (C5). Ændringer gemmes som en ny version; "
            "møder, der allerede er oprettet, beholder den version, de blev oprettet med.",
            MUTED,
        )

        # -- the list of sections -------------------------------------------------------------------------
        self.list = QListWidget()
        self.list.setAccessibleName("Afsnit i skabelonen")
        self.list.currentRowChanged.connect(self._show_section)
        list_label = QLabel("&Afsnit:")
        list_label.setBuddy(self.list)
        self.add_button = QPushButton("&Tilføj afsnit")
        self.add_button.setToolTip("Tilføj et afsnit med fri tekst (Insert)")
        self.remove_button = QPushButton("&Fjern…")
        self.remove_button.setToolTip("Fjern det valgte afsnit (Delete)")
        self.up_button = QPushButton("&Op")
        self.up_button.setToolTip("Flyt afsnittet op (Ctrl+Pil op)")
        self.down_button = QPushButton("&Ned")
        self.down_button.setToolTip("Flyt afsnittet ned (Ctrl+Pil ned)")
        self.add_button.clicked.connect(self.add_section)
        self.remove_button.clicked.connect(self.remove_section)
        self.up_button.clicked.connect(lambda: self.move_section(-1))
        self.down_button.clicked.connect(lambda: self.move_section(1))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.list.setSpacing(2)
        legend = text_label("* skal udfyldes · (C6) skrives af sundhedsfaglig", MUTED)
        left = QVBoxLayout()
        left.addWidget(list_label)
        left.addWidget(self.list, 1)
        left.addWidget(legend)
        left.addLayout(buttons)

        # -- the selected section -------------------------------------------------------------------------
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Afsnittets titel")
        self.kind_label = QLabel()
        self.guidance_edit = QPlainTextEdit()
        self.guidance_edit.setTabChangesFocus(True)
        self.guidance_edit.setPlaceholderText("Kort vejledning, som mødelederen ser under mødet")
        self.guidance_edit.setMinimumHeight(80)
        self.items_edit = QPlainTextEdit()
        self.items_edit.setTabChangesFocus(True)
        self.items_edit.setPlaceholderText("Ét punkt pr. linje – sættes ind som »- punkt«, når afsnittet er tomt")
        self.items_edit.setMinimumHeight(100)
        self.required_check = QCheckBox("&Skal udfyldes (påkrævet)")
        self.hp_check = QCheckBox("Skal skrives af sundhedsfaglig (C&6)")
        self.hp_check.setToolTip(
            "Dele af referatet om psykiatrisk behandling eller medicin skal skrives af en sundhedsfaglig (C6)."
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        title_label = QLabel("T&itel:")
        title_label.setBuddy(self.title_edit)
        form.addRow(title_label, self.title_edit)
        form.addRow("Type:", self.kind_label)
        guidance_label = QLabel("&Vejledning:")
        guidance_label.setBuddy(self.guidance_edit)
        form.addRow(guidance_label, self.guidance_edit)
        self.items_label = QLabel("Standard&punkter:")
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
        right_widget = QWidget()
        right_widget.setLayout(right)

        self.title_edit.textEdited.connect(self._title_edited)
        self.guidance_edit.textChanged.connect(self._field_changed)
        self.items_edit.textChanged.connect(self._field_changed)
        self.required_check.toggled.connect(self._field_changed)
        self.hp_check.toggled.connect(self._field_changed)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addWidget(right_widget, 3)

        # -- messages and the bottom buttons -----------------------------------------------------------------
        self.error_label = text_label(style=ERROR_STYLE)
        self.error_label.setAccessibleName("Fejlbesked")
        self.error_label.hide()
        self.saved_label = text_label(style=OK_STYLE)
        self.saved_label.hide()
        self.save_button = QPushButton("&Gem som ny version")
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton("&Luk")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.saved_label)
        layout.addLayout(bottom)

        for text, keys, slot in (
            ("Tilføj afsnit", ["Insert", "Ctrl+N"], self.add_section),
            ("Fjern afsnit", ["Delete"], self.remove_section),
            ("Flyt op", ["Ctrl+Up"], lambda: self.move_section(-1)),
            ("Flyt ned", ["Ctrl+Down"], lambda: self.move_section(1)),
            ("Omdøb", ["F2"], self.rename_section),
            ("Gem", ["Ctrl+S"], self.save),
        ):
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.triggered.connect(slot)
            if keys == ["Delete"]:
                # Delete removes a section only from the list; in a text field it deletes text.
                self.list.addAction(act)
                act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            else:
                self.addAction(act)

        self._refresh_header()
        self._fill_list(0)
        self.list.setFocus()

    # -- list -----------------------------------------------------------------------------------------------
    def _item_text(self, s: SectionDraft) -> str:
        marks = " *" if s.required else ""
        marks += " (C6)" if s.health_professional_only else ""
        return f"{s.title or '(uden titel)'}{marks}"

    def _fill_list(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for s in self._sections:
            item = QListWidgetItem(self._item_text(s))
            item.setToolTip(KIND_LABELS[s.kind])
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self._sections:
            self.list.setCurrentRow(max(0, min(select, len(self._sections) - 1)))
        else:
            self._show_section(-1)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.remove_button.setEnabled(row >= 0)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < len(self._sections) - 1)

    def current(self) -> SectionDraft | None:
        row = self.list.currentRow()
        return self._sections[row] if 0 <= row < len(self._sections) else None

    def _show_section(self, row: int) -> None:
        self._loading = True
        s = self._sections[row] if 0 <= row < len(self._sections) else None
        for w in (self.title_edit, self.guidance_edit, self.items_edit, self.required_check, self.hp_check):
            w.setEnabled(s is not None)
        self.title_edit.setText(s.title if s else "")
        self.kind_label.setText(KIND_LABELS[s.kind] if s else "")
        self.guidance_edit.setPlainText(s.guidance if s else "")
        self.items_edit.setPlainText("\n".join(s.default_items) if s else "")
        text_kind = s is not None and s.kind in TEXT_KINDS
        self.items_edit.setEnabled(text_kind)
        self.items_edit.setPlaceholderText(
            "Ét punkt pr. linje – sættes ind som »- punkt«, når afsnittet er tomt"
            if text_kind
            else "Standardpunkter bruges kun i tekstafsnit (fx Formål og dagsorden)."
        )
        self.hp_check.setEnabled(text_kind)
        self.required_check.setChecked(bool(s and s.required))
        self.hp_check.setChecked(bool(s and s.health_professional_only))
        self._loading = False
        self._check_title()
        self._update_buttons()

    def _title_edited(self, text: str) -> None:
        s = self.current()
        if s is None:
            return
        s.title = text
        item = self.list.currentItem()
        if item is not None:
            item.setText(self._item_text(s))
        self._check_title()
        self._mark_dirty()

    def _check_title(self) -> None:
        s = self.current()
        if s is not None and not s.title.strip():
            self.section_error.setText("⚠ Afsnittet skal have en titel.")
            self.section_error.show()
        else:
            self.section_error.hide()

    def _field_changed(self) -> None:
        if self._loading:
            return
        s = self.current()
        if s is None:
            return
        s.guidance = self.guidance_edit.toPlainText()
        s.default_items = [line.strip().lstrip("-•").strip() for line in self.items_edit.toPlainText().splitlines()]
        s.required = self.required_check.isChecked()
        s.health_professional_only = self.hp_check.isChecked()
        item = self.list.currentItem()
        if item is not None:
            item.setText(self._item_text(s))
        self._mark_dirty()

    def _mark_dirty(self) -> None:
        self._dirty = True
        self.saved_label.hide()
        self.error_label.hide()

    # -- operations -------------------------------------------------------------------------------------------
    def add_section(self) -> None:
        title = "Nyt afsnit"
        taken = {s.key for s in self._sections}
        section = SectionDraft(new_key(title, taken), SectionKind.TEXT, title)
        row = self.list.currentRow() + 1 if self.list.currentRow() >= 0 else len(self._sections)
        self._sections.insert(row, section)
        self._fill_list(row)
        self._mark_dirty()
        self.rename_section()

    def rename_section(self) -> None:
        if self.current() is not None:
            self.title_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.title_edit.selectAll()

    def remove_section(self) -> None:
        s = self.current()
        if s is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Fjern afsnit",
            f"Fjern afsnittet »{s.title}« fra skabelonen?\n\nMøder, der allerede er oprettet, beholder afsnittet.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("&Fjern")
        box.button(QMessageBox.StandardButton.No).setText("&Behold")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _r: self._removal_answered(box, s))
        self._confirm = box
        box.open()

    def _removal_answered(self, box: QMessageBox, s: SectionDraft) -> None:
        self._confirm = None
        self.list.setFocus()
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes) or s not in self._sections:
            return
        row = self._sections.index(s)
        self._sections.remove(s)
        self._fill_list(row)
        self._mark_dirty()
        self.list.setFocus()

    def move_section(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < len(self._sections):
            return
        self._sections[row], self._sections[target] = self._sections[target], self._sections[row]
        self._fill_list(target)
        self._mark_dirty()

    def draft(self) -> MeetingTemplate:
        return MeetingTemplate(
            id=self.template.id,
            name=self.template.name,
            version=self.template.version,
            sections=tuple(s.frozen() for s in self._sections),
        )

    def save(self) -> None:
        problem = self._local_problem()
        if problem is not None:
            self._show_error(*problem)
            return
        try:
            saved = self._service.save_template(self.draft())
        except KoordinatorError as exc:
            self._show_error(exc.message + (f" ({exc.rule})" if exc.rule and exc.rule not in exc.message else ""))
            return
        self.template = saved
        self.saved = saved
        self._dirty = False
        self._refresh_header()
        self.error_label.hide()
        self.saved_label.setText(f"✓ Version {saved.version} gemt – tidligere møder beholder deres version.")
        self.saved_label.show()

    def _local_problem(self) -> tuple[str, int] | None:
        if not self._sections:
            return "Skabelonen skal have mindst ét afsnit.", -1
        for row, s in enumerate(self._sections):
            if not s.title.strip():
                return f"Afsnit nr. {row + 1} mangler en titel.", row
        seen: dict[str, int] = {}
        for row, s in enumerate(self._sections):
            title = s.title.strip().casefold()
            if title in seen:
                return f"To afsnit hedder »{s.title.strip()}«. Giv dem forskellige titler.", row
            seen[title] = row
        return None

    def _show_error(self, message: str, row: int = -1) -> None:
        self.saved_label.hide()
        self.error_label.setText("⚠ " + message + " Intet er gemt.")
        self.error_label.show()
        if row >= 0:
            self.list.setCurrentRow(row)
            self.rename_section()

    def _refresh_header(self) -> None:
        t = self.template
        when = f" · gemt {t.created_at:%d-%m-%Y}" if t.created_at else ""
        who = f" af {t.created_by}" if t.created_by else ""
        self.header.setText(f"{t.name} – version {t.version}{when}{who}")

    def reject(self) -> None:
        """Escape, "Luk" and the window's close button: ask before unsaved changes are thrown away."""
        if self._dirty:
            answer = QMessageBox.question(
                self,
                "Skabelon for netværksmøder",
                "Der er ændringer, som ikke er gemt. Luk uden at gemme?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def open_template_editor(parent: QWidget | None, service: MeetingService) -> TemplateEditorDialog:
    """Open the template editor window-modally and return it; ``saved`` holds the last version saved."""
    dialog = TemplateEditorDialog(service, parent)
    dialog.open()
    return dialog
