"""Template editor for the netværksmøde (C5, C6): sections, their guidance, default agenda items, required.

Saving always makes a NEW version (``MeetingService.save_template``); a meeting keeps the version it was
created with, so editing here never changes past minutes. Keyboard: Insert adds, Delete removes (confirmed),
Ctrl+Up/Ctrl+Down move the selected section, F2 renames, Ctrl+S saves.

This module is the dialog: the list of sections and what is done to it (add, remove, move, save, close). The
selected section is edited in ``template_section_form.SectionForm``; the sections being edited are
``template_draft.SectionDraft``s.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import MeetingTemplate, SectionKind
from coordinator_app.services.meetings import MeetingService
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, OK_STYLE, text_label
from coordinator_app.ui.meetings.template_draft import KIND_LABELS, SectionDraft, new_key
from coordinator_app.ui.meetings.template_section_form import SectionForm


class TemplateEditorDialog(QDialog):
    """Skabelon for netværksmøder: the list of sections (left), the selected one (right), save as a new version."""

    def __init__(self, service: MeetingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self.template: MeetingTemplate = service.current_template()
        self.saved: MeetingTemplate | None = None  # the last version saved from this dialog
        self._sections = [SectionDraft.of(s) for s in self.template.sections]
        self._dirty = False
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
        list_label = plain_label("&Afsnit:")
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
        self.section_form = SectionForm()
        self.section_form.edited.connect(self._section_edited)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addWidget(self.section_form, 3)

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
            item.setToolTip(literal(KIND_LABELS[s.kind]))
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
        self.section_form.show_section(self._sections[row] if 0 <= row < len(self._sections) else None)
        self._update_buttons()

    def _section_edited(self) -> None:
        """The form wrote an edit into the current section: its line in the list follows, and it is unsaved."""
        s = self.current()
        item = self.list.currentItem()
        if s is not None and item is not None:
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
        self.section_form.focus_title()

    def remove_section(self) -> None:
        s = self.current()
        if s is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Fjern afsnit",
            literal(
                f"Fjern afsnittet »{s.title}« fra skabelonen?\n\nMøder, der allerede er oprettet, beholder afsnittet."
            ),
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
