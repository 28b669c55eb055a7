"""The body of the live meeting: the template version's sections listed on the left (✓ filled, ⚠ a reminder
applies, ○ empty) and the section being written on the right.

A text section (agenda, free text, or a second section of a kind the template already has) is a plain text field;
above the agenda (or the first section, in a template without one) stand who called the meeting and whether the
agenda was prepared with the patient (``invitation_editor``);
Deltagere, Roller, Aftaler and Opfølgning have their own editors (``participants_editor``, ``agreements_editor``,
``roles_follow_up``). ``SectionsView`` turns a ``MeetingContent`` into what the editors show and back, and passes
the participants on to every combo box that picks one of them. Saving, reminders and ending the meeting are the
window's (``live_meeting``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.meetings import (
    MeetingContent,
    MeetingWarning,
    Participant,
    SectionKind,
    TemplateSection,
)
from coordinator_app.services.meetings import ParticipantChoices
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import MUTED, text_label
from coordinator_app.ui.common.widgets import DateField
from coordinator_app.ui.meetings.agreements_editor import AgreementsEditor
from coordinator_app.ui.meetings.invitation_editor import InvitationEditor
from coordinator_app.ui.meetings.participants_editor import ParticipantsEditor
from coordinator_app.ui.meetings.roles_follow_up import FollowUpEditor, RolesEditor


class SectionsView(QSplitter):
    """The navigator and the section pages. ``changed`` is emitted for anything typed or chosen in any section."""

    changed = Signal()

    def __init__(
        self,
        sections: Sequence[TemplateSection],
        *,
        choices: ParticipantChoices,
        agreement_deadline: date,
        follow_up_day: date,
        font: QFont,
    ) -> None:
        """``choices``: who the participant picker offers; ``font``: the meeting's (larger) font; each page's title
        is drawn in it, bold and a little larger."""
        super().__init__(Qt.Orientation.Horizontal)
        self._font = font
        self.sections = tuple(sections)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Afsnit")
        self.nav.setMinimumWidth(260)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        self.text_edits: dict[str, QPlainTextEdit] = {}
        self.participants_editor = ParticipantsEditor(
            choices.earlier, directory=choices.directory, patient=choices.patient
        )
        self.roles_editor = RolesEditor()
        self.agreements_editor = AgreementsEditor(agreement_deadline)
        self.follow_up_editor = FollowUpEditor(follow_up_day)
        self.invitation_editor = InvitationEditor()
        agendas = [i for i, s in enumerate(self.sections) if s.kind is SectionKind.AGENDA]
        self._invitation_page = agendas[0] if agendas else 0
        self._section_index: dict[str, int] = {}
        self._focus_of: list[QWidget] = []
        used: set[SectionKind] = set()
        for index, section in enumerate(self.sections):
            self.nav.addItem(QListWidgetItem(section.title))
            self._section_index[section.key] = index
            page, focus = self._build_page(section, used)
            self.stack.addWidget(page)
            self._focus_of.append(focus)
        self.nav.currentRowChanged.connect(self._section_changed)

        self.addWidget(self.nav)
        self.addWidget(self.stack)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 4)
        self.setChildrenCollapsible(False)

        for editor in self.editors():
            editor.changed.connect(self.changed)
        self.invitation_editor.changed.connect(self.changed)
        # After the window has heard of the change: the roles, owners and caller offer the new participants.
        self.participants_editor.changed.connect(self._people_changed)

    def editors(self) -> tuple[ParticipantsEditor, RolesEditor, AgreementsEditor, FollowUpEditor]:
        return (self.participants_editor, self.roles_editor, self.agreements_editor, self.follow_up_editor)

    def _build_page(self, section: TemplateSection, used: set[SectionKind]) -> tuple[QWidget, QWidget]:
        page = QWidget()
        layout = QVBoxLayout(page)
        title = plain_label(section.title)
        font = QFont(self._font)
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        layout.addWidget(title)
        guidance = section.guidance
        if section.health_professional_only and "C6" not in guidance:
            guidance += " Skrives af en sundhedsfaglig deltager (C6)."
        if guidance:
            layout.addWidget(text_label(guidance, MUTED))
        if self.stack.count() == self._invitation_page:  # this page is being built
            layout.addWidget(self.invitation_editor)
        kind = section.kind
        editor: QWidget
        if kind in (SectionKind.AGENDA, SectionKind.TEXT) or kind in used:
            if kind not in (SectionKind.AGENDA, SectionKind.TEXT):
                layout.addWidget(
                    text_label("Dette afsnit findes allerede i skabelonen; skriv eventuelle noter her.", MUTED)
                )
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(section.title)
            edit.textChanged.connect(self.changed)
            self.text_edits[section.key] = edit
            editor = edit
            focus: QWidget = edit
        else:
            used.add(kind)
            editor = {
                SectionKind.PARTICIPANTS: self.participants_editor,
                SectionKind.ROLES: self.roles_editor,
                SectionKind.AGREEMENTS: self.agreements_editor,
                SectionKind.FOLLOW_UP: self.follow_up_editor,
            }[kind]
            focus = editor
        layout.addWidget(editor, 1)
        return page, focus

    # -- navigation ----------------------------------------------------------------------------------------
    def go_to(self, index: int, *, focus: bool = True) -> None:
        if not 0 <= index < len(self.sections):
            return
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)
        else:
            self._section_changed(index)
        if focus:
            target = self._focus_of[index]
            first = getattr(target, "first_focus", None)
            if callable(first):
                target = first()
            if isinstance(target, QPlainTextEdit):  # continue writing where the text ends
                target.moveCursor(QTextCursor.MoveOperation.End)
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step(self, delta: int) -> None:
        self.go_to((self.nav.currentRow() + delta) % len(self.sections))

    def _section_changed(self, index: int) -> None:
        if 0 <= index < self.stack.count():
            self.stack.setCurrentIndex(index)

    def current_section(self) -> TemplateSection:
        return self.sections[self.nav.currentRow()]

    def go_to_reminder(self, warnings: Sequence[MeetingWarning], n: int) -> int:
        """Go to the section of reminder ``n`` (counted round among those that belong to a section); returns the
        number of the next one."""
        warnings = [w for w in warnings if (w.section or "") in self._section_index]
        if not warnings:
            return n
        n %= len(warnings)
        self.go_to(self._section_index[warnings[n].section or ""])
        return n + 1

    def _index_of_kind(self, kind: SectionKind) -> int | None:
        return next((i for i, s in enumerate(self.sections) if s.kind is kind), None)

    def add_participant(self) -> None:
        """Ctrl+Shift+P: add what the picker holds, or go to the picker to type a name."""
        index = self._index_of_kind(SectionKind.PARTICIPANTS)
        if index is None:
            return
        self.go_to(index, focus=False)
        if self.participants_editor.picker.currentText().strip():
            self.participants_editor.add_from_picker()
        else:
            self.participants_editor.focus_picker()

    def add_agreement(self) -> None:
        index = self._index_of_kind(SectionKind.AGREEMENTS)
        if index is None:
            return
        self.go_to(index, focus=False)
        self.agreements_editor.add()

    # -- content -------------------------------------------------------------------------------------------
    def load(self, content: MeetingContent, *, prefill: bool) -> None:
        """Show ``content``; with ``prefill`` an empty text section starts with its default items as "- punkt"."""
        for section in self.sections:
            edit = self.text_edits.get(section.key)
            if edit is None:
                continue
            text = content.texts.get(section.key, "")
            if not text.strip() and prefill and section.default_items:
                text = "".join(f"- {item}\n" for item in section.default_items)
            edit.setPlainText(text)
        self.participants_editor.set_items(content.participants)
        self._distribute_people(content.participants)
        self.roles_editor.leader.set_key(content.leader_key)
        self.roles_editor.referent.set_key(content.referent_key)
        self.roles_editor.tovholder.set_key(content.tovholder_key)
        self.agreements_editor.set_items(content.agreements)
        self.follow_up_editor.set_value(content.follow_up)
        self.invitation_editor.set_value(content.invited_by, content.agenda_with_patient)

    def _distribute_people(self, people: Sequence[Participant]) -> None:
        for editor in (self.roles_editor, self.agreements_editor):
            editor.set_people(people)
        self.follow_up_editor.caller.set_people(people)

    def _people_changed(self) -> None:
        self._distribute_people(self.participants_editor.people())

    def content(self) -> MeetingContent:
        roles = self.roles_editor
        invited_by, agenda_with_patient = self.invitation_editor.value()
        return MeetingContent(
            texts={key: edit.toPlainText() for key, edit in self.text_edits.items()},
            participants=tuple(self.participants_editor.people()),
            leader_key=roles.leader.key(),
            referent_key=roles.referent.key(),
            tovholder_key=roles.tovholder.key(),
            agreements=tuple(self.agreements_editor.items()),
            follow_up=self.follow_up_editor.value(),
            invited_by=invited_by,
            agenda_with_patient=agenda_with_patient,
        )

    def _filled(self, section: TemplateSection, c: MeetingContent) -> bool:
        if section.key in self.text_edits:
            return bool(c.texts.get(section.key, "").strip())
        return {
            SectionKind.PARTICIPANTS: bool(c.participants),
            SectionKind.ROLES: c.leader_key is not None and c.referent_key is not None,
            SectionKind.AGREEMENTS: any(a.what.strip() for a in c.agreements),
            SectionKind.FOLLOW_UP: c.follow_up.needed is not None,
        }.get(section.kind, False)

    def mark(self, content: MeetingContent, warnings: Sequence[MeetingWarning]) -> None:
        """Each section's mark in the navigator: ⚠ a reminder (its text the tooltip), ✓ filled, ○ not yet."""
        flagged = {w.section for w in warnings}
        for index, section in enumerate(self.sections):
            mark = "⚠" if section.key in flagged else "✓" if self._filled(section, content) else "○"
            required = " *" if section.required else ""
            text = f"{mark}  {section.title}{required}"
            item = self.nav.item(index)
            if item.text() != text:
                item.setText(text)
                item.setToolTip(literal("; ".join(w.text for w in warnings if w.section == section.key)))

    def set_read_only(self) -> None:
        for edit in self.text_edits.values():
            edit.setReadOnly(True)
        self.participants_editor.set_read_only()  # the forms stay disabled when another row is selected
        self.agreements_editor.set_read_only()
        self.invitation_editor.set_read_only()
        for editor in self.editors():
            for child in editor.findChildren(QWidget):
                if isinstance(child, (QLineEdit, QComboBox, QPushButton, QCheckBox, DateField)):
                    child.setEnabled(False)
