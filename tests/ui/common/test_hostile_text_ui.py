"""Typed text with markup is shown as typed (ui/common/safe_text.py), on the demo ward with a patient, a Kontaktbog
person, a meeting participant and a template section whose names are HTML (synthetic): every screen that shows them
shows the literal characters — no bold, no link, no image — in its labels, tooltips and message boxes.

What a user sees is worked out as Qt does it: a plain-text label shows its text; a rich (or guessed rich) one shows
its HTML parsed (``QTextDocument.toPlainText``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest
from helpers.qt import wait_for_modal
from helpers.screens import grab
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import Qt as QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QLabel, QMessageBox, QWidget

from coordinator_app.domain.discharge_plans import PartyRole
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.meetings import MeetingForm, Occasion, Participant
from coordinator_app.domain.model import AdmissionFlags, EventKind, Sector
from coordinator_app.services.admissions import AdmissionInput
from coordinator_app.services.contacts import ContactInput
from coordinator_app.services.meetings import ScheduleInput
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.contacts.contacts_dialog import ContactsDialog, open_contacts_dialog
from coordinator_app.ui.meetings.live_meeting import open_live_meeting
from coordinator_app.ui.meetings.meeting_template_editor import open_template_editor
from coordinator_app.ui.patients.milestone_dialog import MilestoneDialog
from coordinator_app.ui.patients.notification_dialog import NotificationDialog
from coordinator_app.ui.plans.plan_editor import PlanEditorDialog

if TYPE_CHECKING:  # the window's modules are imported by the fixture (tests/ui/conftest.py)
    from coordinator_app.ui.shell.main_window import MainWindow

GIVEN = '<b>Fed</b> <a href="x">Link</a>'
FAMILY = '&amp; <img src="y">'
NAME = f"{GIVEN} {FAMILY}"
LISTED = f"{FAMILY}, {GIVEN}"  # the lists: family name first
PERSON = '<h1>Kim</h1> <a href="file:///etc">Kommune</a>'
SECTION = "<table><tr><td>Formål</td></tr></table> <i>kursiv</i>"
TODAY = date(2026, 11, 23)


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt draws for ``text`` in a label (or tooltip, message box) of ``text_format``."""
    if text_format == Qt.TextFormat.PlainText or (
        text_format == Qt.TextFormat.AutoText and not QtGui.mightBeRichText(text)
    ):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_texts(widget: QWidget) -> list[str]:
    """What every label in ``widget`` (and the widget, if it is a label) shows, and its tooltips."""
    labels = [widget] if isinstance(widget, QLabel) else []
    labels += widget.findChildren(QLabel)
    texts = [shown(label.text(), label.textFormat()) for label in labels]
    texts += [shown(w.toolTip()) for w in [widget, *widget.findChildren(QWidget)] if w.toolTip()]
    return texts


def model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """What a view shows of ``model`` (display text, drawn plain by the default delegate) and its tooltips."""
    parent = parent or QModelIndex()
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list widget's model keeps columnCount private: one column
        columns = 1
    texts: list[str] = []
    for row in range(model.rowCount(parent)):
        for column in range(columns):
            index = model.index(row, column, parent)
            texts.append(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
            texts.append(shown(str(index.data(Qt.ItemDataRole.ToolTipRole) or "")))
        texts += model_texts(model, model.index(row, 0, parent))
    return texts


def assert_literal(texts: list[str], hostile: str) -> None:
    near = [text for text in texts if "Fed" in text or "Kim" in text or "kursiv" in text]
    assert any(hostile in text for text in texts), f"{hostile!r} is not shown literally: {near!r}"


@dataclasses.dataclass
class Ward:
    window: MainWindow
    admission_id: int
    patient_id: int


@pytest.fixture
def ward(main_window) -> Iterator[Ward]:
    services = main_window.services
    created = services.admissions.create_admission(
        AdmissionInput(
            cpr="0101901234",
            given_name=GIVEN,
            family_name=FAMILY,
            bopaelskommune="101",
            center="Psykiatrisk Center København",
            ward="Afsnit 1",
            admitted=date(2026, 11, 16),
            flags=AdmissionFlags(children=True),
        )
    )
    assert created.admission_id is not None and created.patient_id is not None
    main_window.refresh()
    main_window.open_admission(created.admission_id)
    yield Ward(main_window, created.admission_id, created.patient_id)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            widget.reject()


def test_the_details_panel_shows_the_name_as_typed(ward: Ward) -> None:
    details = ward.window.patients_tab.details
    assert details.title.textFormat() == Qt.TextFormat.PlainText
    assert details.title.text() == NAME
    assert_literal(label_texts(details), NAME)
    grab(ward.window, "hostile-name-details")


def test_the_status_line_shows_an_error_and_a_loan_quoting_the_name_as_typed(ward: Ward) -> None:
    window = ward.window
    details = window.services.admissions.details(ward.admission_id)
    broken = dataclasses.replace(
        details,
        status=f"Status {NAME}",
        status_error=f"Historikken for {NAME} kan ikke læses",
        lent=f"Udlånt til {NAME}",
    )
    panel = window.patients_tab.details
    panel.show_details(broken, today=TODAY)
    assert panel.status_line.textFormat() == Qt.TextFormat.RichText  # the bold and the colours are ours …
    shown_status = shown(panel.status_line.text(), panel.status_line.textFormat())
    for text in (f"Status {NAME}", f"⚠ Historikken for {NAME} kan ikke læses", f"Udlånt til {NAME}"):
        assert text in shown_status  # … the texts in it are escaped
    grab(panel, "hostile-name-status-line")


def test_the_patient_list_and_i_dag_show_the_name_as_typed(ward: Ward) -> None:
    assert_literal(model_texts(ward.window.patients_tab.model), LISTED)
    ward.window.tabs.setCurrentWidget(ward.window.today_tab)
    assert_literal(model_texts(ward.window.today_tab.model), NAME)


def open_notification(ward: Ward, qtbot) -> QDialog:
    ward.window.patient_actions.send_notification(ward.admission_id, EventKind.NOTE.value)
    return wait_for_modal(qtbot, NotificationDialog)


def open_milestone(ward: Ward, qtbot) -> QDialog:
    ward.window.patient_actions.record_milestone(ward.admission_id, "boern_vurdering")
    return wait_for_modal(qtbot, MilestoneDialog)


@pytest.mark.parametrize("open_dialog", [open_notification, open_milestone], ids=["send", "milestone"])
def test_the_dialogs_title_shows_the_name_as_typed(ward: Ward, qtbot, open_dialog: Callable[..., QDialog]) -> None:
    dialog = open_dialog(ward, qtbot)
    texts = label_texts(dialog)
    assert_literal(texts, NAME)
    [title] = [label for label in dialog.findChildren(QLabel) if "Fed" in label.text()]
    assert title.textFormat() == Qt.TextFormat.RichText  # the bold heading is ours …
    assert "&lt;b&gt;Fed&lt;/b&gt;" in title.text() and "<a href" not in title.text()  # … the name is escaped
    grab(dialog, f"hostile-name-{open_dialog.__name__}")
    dialog.reject()


def test_the_kontaktbog_and_its_question_show_the_person_as_typed(ward: Ward, qtbot) -> None:
    contact = ward.window.services.contacts.add(ContactInput(name=PERSON, organisation=FAMILY, sector=Sector.KOMMUNE))
    dialog = open_contacts_dialog(ward.window, ward.window.services.contacts)
    assert isinstance(dialog, ContactsDialog)
    assert contact.id is not None
    dialog.select(contact.id)
    assert_literal(model_texts(dialog.table.model()), PERSON)
    box = dialog.deactivate_person()
    assert box is not None
    assert_literal(label_texts(box), f"Gør {PERSON} ({FAMILY}) inaktiv?")
    grab(box, "hostile-name-kontaktbog-question")
    box.reject()
    dialog.reject()


def test_a_meeting_shows_participant_and_section_titles_as_typed(ward: Ward, qtbot) -> None:
    services = ward.window.services
    template = services.meetings.current_template()
    first = dataclasses.replace(template.sections[0], title=SECTION)
    renamed = dataclasses.replace(template, name=f"Skabelon {SECTION}", sections=(first, *template.sections[1:]))
    services.meetings.save_template(renamed)
    meeting = services.meetings.schedule(
        ScheduleInput(
            patient_id=ward.patient_id,
            admission_id=ward.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            form=MeetingForm.FYSISK,
            place="Afsnit 1",
        )
    )
    assert meeting.id is not None
    started = services.meetings.start(meeting.id)
    assert started.version is not None
    person = Participant(key="p1", name=PERSON, organisation=FAMILY, sector=Sector.KOMMUNE)
    content = dataclasses.replace(started.content, participants=(person,))
    services.meetings.save_content(meeting.id, content, expected_version=started.version)

    window = open_live_meeting(None, services.meetings, meeting.id, today=TODAY, patient_label=NAME)
    qtbot.addWidget(window)
    texts = label_texts(window)
    assert_literal(texts, SECTION)
    views = window.findChildren(QAbstractItemView)
    assert_literal([t for view in views if view.model() is not None for t in model_texts(view.model())], PERSON)
    grab(window, "hostile-name-live-meeting")
    window.close()

    editor = open_template_editor(ward.window, services.meetings)
    assert_literal(label_texts(editor), f"Skabelon {SECTION}")
    editor.list.setCurrentRow(0)
    editor.remove_section()
    box = wait_for_modal(qtbot, QMessageBox)
    assert_literal(label_texts(box), f"Fjern afsnittet »{SECTION}« fra skabelonen?")
    box.reject()
    editor.reject()


def test_an_error_quoting_the_name_shows_it_as_typed(ward: Ward, qtbot) -> None:
    seen: list[list[str]] = []

    def look() -> None:
        box = wait_for_modal(qtbot, QMessageBox)
        seen.append(label_texts(box))
        box.accept()

    QTimer.singleShot(0, look)
    show_error(ward.window, KoordinatorError(f"{NAME} findes allerede.", rule="F1"))
    assert_literal(seen[0], f"{NAME} findes allerede.")


def test_the_meetings_tab_shows_a_place_and_a_late_reason_as_typed(ward: Ward, qtbot) -> None:
    services = ward.window.services
    services.meetings.schedule(
        ScheduleInput(
            patient_id=ward.patient_id,
            admission_id=ward.admission_id,
            occasion=Occasion.UNDER_INDLAEGGELSE,
            invited_on=TODAY,
            planned_at=datetime(2027, 1, 14, 9, 0, tzinfo=UTC),  # weeks after the C2 deadline
            form=MeetingForm.FYSISK,
            place=f"Lokale {SECTION}",
            late_reason=f"Kommunen {PERSON} kan først da",
        )
    )
    ward.window.tabs.setCurrentWidget(ward.window.meetings_tab)  # built and filled when first shown
    texts = model_texts(ward.window.meetings_tab.table.model())
    assert_literal(texts, f"Lokale {SECTION}")
    assert_literal(texts, f"Begrundelse: Kommunen {PERSON} kan først da")


def test_the_plan_tab_and_editor_show_a_party_a_wish_and_an_end_reason_as_typed(ward: Ward, qtbot) -> None:
    plans = ward.window.services.plans
    plan = plans.create(ward.admission_id)
    assert plan.id is not None and plan.version is not None
    parties = tuple(
        dataclasses.replace(p, name=PERSON) if p.role is PartyRole.KOMMUNE else p for p in plan.content.parties
    )
    content = dataclasses.replace(plan.content, parties=parties, wishes=NAME)
    saved = plans.save(plan.id, content, expected_version=plan.version)
    assert saved.version is not None
    plans.end(plan.id, f"Erstattet af {NAME}", expected_version=saved.version)
    ward.window.refresh()
    details = ward.window.patients_tab.details
    details.tabs.setCurrentWidget(details.plan_tab)
    assert_literal(model_texts(details.plan_tab.table.model()), f"Afsluttet: Erstattet af {NAME}")

    ward.window.patients_tab.plan_actions.open_plan(ward.admission_id, plan.id)
    editor = wait_for_modal(qtbot, PlanEditorDialog)
    assert_literal(model_texts(editor.form.parties.model()), PERSON)
    assert editor.form.wishes.toPlainText() == NAME
    # No label or tooltip in the editor renders the party or the wish as markup (bold "Fed", link "Link" …).
    assert not any("Fed Link" in text or "Kim\nKommune" in text for text in label_texts(editor))
    grab(editor, "hostile-name-plan-editor")
    editor.reject()
