"""Udskrivningsaftale and koordinationsplan in the UI (E1–E3): the facts on the Aftale/plan tab make the warning and
the list's deadline, a plan is started from a netværksmøde, edited, refused while incomplete, put in force with its
PDF archived, revised, ended with a reason, and every version is listed. Real widgets, clicked and typed into."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from helpers.qt import wait_for_modal
from helpers.screens import grab
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from coordinator_app.domain.discharge_plans import PlanKind, PlanStatus, SendChannel
from coordinator_app.ui.common import printing
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.patients.admission_table import COL_NEXT
from coordinator_app.ui.plans.plan_dialogs import NewPlanDialog, VersionsDialog
from coordinator_app.ui.plans.plan_editor import PlanEditorDialog
from coordinator_app.ui.plans.plan_issue_dialog import PlanIssueDialog
from coordinator_app.ui.plans.plan_tables import EditableTable

TODAY = date(2026, 11, 23)  # conftest.DEMO_MOMENT
TOMORROW = date(2026, 11, 24)
CTRL = Qt.KeyboardModifier.ControlModifier


# -- helpers ---------------------------------------------------------------------------------------------------
def shot(widget: QWidget, name: str) -> None:
    grab(widget, f"plan-{name}")


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_plan_tab(window, admission_id: int):
    assert window.patients_tab.select_admission(admission_id)
    details = window.patients_tab.details
    index = details.tabs.indexOf(details.plan_tab)
    assert details.tabs.tabText(index) == "&Aftale/plan"
    details.tabs.setCurrentIndex(index)
    return details.plan_tab


def fresh_admission(window) -> int:
    """A current admission with no plan requirement yet and nothing due before tomorrow."""
    for row in range(window.patients_tab.model.rowCount()):
        r = window.patients_tab.model.row_at(row)
        if r.discharged is not None or (r.next_due is not None and r.next_due <= TOMORROW):
            continue
        panel = window.services.plans.panel(r.admission_id)
        if not panel.overview.requirement.required and not panel.plans:
            return r.admission_id
    raise AssertionError("no demo admission without a plan requirement")


def meeting_admission(window) -> int:
    """The demo admission whose netværksmøde was held last week, with agreements."""
    for row in range(window.patients_tab.model.rowCount()):
        r = window.patients_tab.model.row_at(row)
        if any(m.agreements for m in window.services.plans.panel(r.admission_id).meetings):
            return r.admission_id
    raise AssertionError("the demo ward has no held netværksmøde with agreements")


def next_deadline(window, admission_id: int) -> str:
    row = window.patients_tab.model.row_of_admission(admission_id)
    return window.patients_tab.model.index(row, COL_NEXT).data()


def new_plan(qtbot, window, admission_id: int, *, source: str = "meeting", kind: PlanKind | None = None):
    """Ny …  → choose the source (and kind) → Opret og åbn → the editor."""
    tab = open_plan_tab(window, admission_id)
    click(qtbot, tab.new_button)
    dialog = wait_for_modal(qtbot, NewPlanDialog)
    shot(dialog, f"new-{source}")
    if kind is PlanKind.KOORDINATIONSPLAN:
        click(qtbot, dialog.plan)
    button = {"meeting": dialog.from_meeting, "blank": dialog.blank, "copy": dialog.copy_previous}[source]
    click(qtbot, button)
    click(qtbot, dialog.buttons.buttons()[0])  # Opret og åbn
    editor = wait_for_modal(qtbot, PlanEditorDialog)
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def type_cell(qtbot, table: EditableTable, row: int, col: int, text: str) -> None:
    table.setFocus()
    table.setCurrentCell(row, col)
    qtbot.keyClick(table, Qt.Key.Key_F2)  # edit the cell
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit | QAbstractSpinBox)  # a text or a date cell's editor
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    done_editing(qtbot, table)


def done_editing(qtbot, table: EditableTable) -> None:
    """Enter commits and closes the cell editor a moment later (Qt queues it); wait as a user would."""
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def add_offer(qtbot, editor: PlanEditorDialog, what: str, responsible: str) -> None:
    """Tilføj behandlingstilbud, type what, Tab to Ansvarlig, type, Enter."""
    click(qtbot, editor.form.treatment_editor.add_button)
    cell = QApplication.focusWidget()
    qtbot.keyClicks(cell, what)
    qtbot.keyClick(cell, Qt.Key.Key_Tab)  # the next cell's editor opens
    qtbot.keyClicks(QApplication.focusWidget(), responsible)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    done_editing(qtbot, editor.form.treatment)


def type_date(qtbot, edit: QDateTimeEdit, day: date) -> None:
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClicks(edit, f"{day:%d%m%Y}")
    assert edit.date() == QDate(day.year, day.month, day.day)


def complete(qtbot, editor: PlanEditorDialog) -> None:
    """Fill in what check_complete still misses, by keyboard and mouse."""
    for row, values in enumerate(editor.form.parties.rows()):
        if not values[1].strip():
            type_cell(qtbot, editor.form.parties, row, 1, f"Fiktiv Person {row + 1}")
    if not editor.form.content().treatment_offers and not editor.form.content().social_offers:
        add_offer(qtbot, editor, "Ambulant opfølgning hver 14. dag", "Distriktspsykiatrien")
    if not editor.form.overlaege.text().strip():
        qtbot.keyClicks(editor.form.overlaege, "Fiktiv Overlægesen")
    qtbot.keyClicks(editor.form.reaction_who, "Kontaktpersonen i socialpsykiatrien")
    qtbot.keyClicks(editor.form.reaction_how, "Ringer samme dag og indkalder til netværksmøde")
    if editor.form.end.value() is None:
        click(qtbot, editor.form.end.check)
        type_date(qtbot, editor.form.end.edit, date(2027, 5, 28))
    if editor.form.agrees.isVisible() and not editor.form.agrees.isChecked():
        click(qtbot, editor.form.agrees)


class FakePreview:
    """Stands in for the print preview (rasterising the PDF adds nothing to these tests)."""

    def __init__(self, shown: list[tuple[bytes, str]], pdf: bytes, title: str) -> None:
        shown.append((pdf, title))

    def open(self) -> None:
        pass


@pytest.fixture
def previews(monkeypatch) -> Iterator[list[tuple[bytes, str]]]:
    shown: list[tuple[bytes, str]] = []
    monkeypatch.setattr(printing, "print_preview", lambda _parent, pdf, title: FakePreview(shown, pdf, title))
    yield shown


# -- the facts, the warning and the deadline -----------------------------------------------------------------------
def test_facts_make_the_warning_and_the_E1_then_E2_deadline_in_the_list(main_window, qtbot) -> None:
    admission_id = fresh_admission(main_window)
    assert main_window.patients_tab.select_admission(admission_id)
    main_window.patients_tab.table.setFocus()
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.keyClick(main_window.patients_tab.table, Qt.Key.Key_A, alt)  # Alt+A: the Aftale/plan tab
    assert main_window.patients_tab.details.tabs.currentWidget() is main_window.patients_tab.details.plan_tab
    tab = open_plan_tab(main_window, admission_id)
    assert not tab.warning.isVisible() and not tab.save_facts_button.isEnabled()
    assert "(E1)" not in (next_deadline(main_window, admission_id) or "")

    click(qtbot, tab.fact_checks["afsnit_v_support"])
    click(qtbot, tab.planned.check)
    type_date(qtbot, tab.planned.edit, TOMORROW)
    assert tab.save_facts_button.isEnabled()
    click(qtbot, tab.save_facts_button)

    tab = main_window.patients_tab.details.plan_tab
    qtbot.waitUntil(tab.warning.isVisible)
    assert "Udskrivningsaftale mangler" in tab.warning.text() and "24-11-2026" in tab.warning.text()
    assert "(E1)" in tab.warning.text()
    assert "servicelovens afsnit V" in tab.reason.text()
    assert tab.new_button.text() == "&Ny udskrivningsaftale…"
    assert next_deadline(main_window, admission_id) == "24-11-2026 · Udskrivningsaftale (E1)"
    admission = main_window.services.admissions.details(admission_id).admission
    assert admission.plan_facts.afsnit_v_support and admission.planned_discharge == TOMORROW
    shot(main_window, "tab-warning")
    main_window.patients_tab.details.tabs.setCurrentIndex(0)  # Overblik says it too, with a link back to the tab
    assert main_window.patients_tab.details.plan_line.isVisible()
    assert "Udskrivningsaftale mangler" in main_window.patients_tab.details.plan_line.text()
    main_window.patients_tab.details.plan_line.linkActivated.emit("plan")
    assert main_window.patients_tab.details.tabs.currentWidget() is main_window.patients_tab.details.plan_tab

    # The patient will not take part: a koordinationsplan (E2) instead.
    click(qtbot, tab.fact_checks["refuses_participation"])
    click(qtbot, tab.save_facts_button)
    qtbot.waitUntil(lambda: "Koordinationsplan" in main_window.patients_tab.details.plan_tab.warning.text())
    assert "(E2)" in main_window.patients_tab.details.plan_tab.warning.text()
    assert next_deadline(main_window, admission_id) == "24-11-2026 · Koordinationsplan (E2)"
    assert main_window.patients_tab.details.plan_tab.new_button.text() == "&Ny koordinationsplan…"


# -- the editor --------------------------------------------------------------------------------------------------
def test_a_plan_from_the_netvaerksmoede_has_its_participants_and_agreements(main_window, qtbot) -> None:
    admission_id = meeting_admission(main_window)
    editor = new_plan(qtbot, main_window, admission_id, source="meeting")
    names = [r[1] for r in editor.form.parties.rows()]
    assert "Lone Fiktivsen" in names and "Jonas Eksempel" in names
    lone = next(r for r in editor.form.parties.rows() if r[1] == "Lone Fiktivsen")
    assert lone[2:] == ["Kommunens socialforvaltning", "12 34 56 78", "lone.fiktivsen@example.dk"]
    assert editor.form.parties.item(names.index("Lone Fiktivsen"), 0).text() == "Kommune"
    social = [r[0] for r in editor.form.social.rows()]
    treatment = [r[0] for r in editor.form.treatment.rows()]
    assert "Ansøgning om bostøtte behandles" in social
    assert "Epikrise og medicinliste til egen læge" in treatment
    assert "netværksmøde" in editor.subtitle.text()
    assert editor.missing.count() > 0 and "Mangler" in editor.missing_title.text()
    shot(editor, "editor-from-meeting")
    editor.reject()


def test_edits_are_saved_with_ctrl_s_and_kept_when_reopened(main_window, qtbot) -> None:
    admission_id = fresh_admission(main_window)
    editor = new_plan(qtbot, main_window, admission_id, source="blank")
    plan_id = editor.plan.id
    qtbot.keyClicks(editor.form.contact_person, "Lone Fiktivsen, Socialpsykiatrien, 12 34 56 78")
    qtbot.keyClicks(editor.form.wishes, "Vil bo i egen lejlighed")
    qtbot.keyClicks(editor.form.goals, "Passe sin medicin selv")
    add_offer(qtbot, editor, "Depotmedicin i distriktspsykiatrien", "Distriktspsykiatrien")
    type_cell(qtbot, editor.form.parties, 1, 1, "Jonas Eksempel, overlæge")
    assert editor.dirty
    qtbot.keyClick(editor.form.contact_person, Qt.Key.Key_S, CTRL)
    assert editor.ok_label.isVisible() and "gemt" in editor.ok_label.text()
    assert not editor.dirty
    click(qtbot, editor.close_button)  # nothing unsaved: closes without asking
    qtbot.waitUntil(lambda: not editor.isVisible())

    tab = main_window.patients_tab.details.plan_tab
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "Kladde"
    tab.table.selectRow(0)
    click(qtbot, tab.open_button)
    again = wait_for_modal(qtbot, PlanEditorDialog)
    assert again.plan.id == plan_id
    assert again.form.contact_person.text() == "Lone Fiktivsen, Socialpsykiatrien, 12 34 56 78"
    assert again.form.wishes.toPlainText() == "Vil bo i egen lejlighed"
    assert again.form.goals.toPlainText() == "Passe sin medicin selv"
    assert again.form.treatment.rows()[0][:2] == ["Depotmedicin i distriktspsykiatrien", "Distriktspsykiatrien"]
    assert again.form.parties.rows()[1][1] == "Jonas Eksempel, overlæge"
    again.reject()


def test_escape_with_unsaved_changes_asks_and_cancel_keeps_the_editor_open(main_window, qtbot, monkeypatch) -> None:
    editor = new_plan(qtbot, main_window, fresh_admission(main_window), source="blank")
    qtbot.keyClicks(editor.form.contact_person, "Ny kontaktperson")
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(_parent: object, _title: str, text: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.keyClick(editor.form.contact_person, Qt.Key.Key_Escape)
    assert asked and "ikke er gemt" in asked[0]
    assert editor.isVisible()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Save))
    qtbot.keyClick(editor.form.contact_person, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not editor.isVisible())
    panel = main_window.services.plans.panel(editor.plan.admission_id)
    assert panel.plans[-1].content.contact_person == "Ny kontaktperson"


def test_activate_with_something_missing_gives_the_danish_message_and_nothing_is_in_force(
    main_window, qtbot, previews
) -> None:
    admission_id = fresh_admission(main_window)
    documents_before = main_window.services.documents.documents(admission_id)
    editor = new_plan(qtbot, main_window, admission_id, source="blank")
    first_missing = editor.missing.item(0).text()
    qtbot.keyClick(editor.form.contact_person, Qt.Key.Key_Return, CTRL)
    assert editor.error_label.isVisible()
    message = editor.error_label.text()
    assert message.startswith("⚠ Ikke sat i kraft: ")
    assert first_missing.removeprefix("• ").rstrip(".") in message
    assert editor.form.parties.hasFocus()  # pointed at the field the message is about
    assert editor.form.parties.currentColumn() == 1  # the first party without a name
    shot(editor, "editor-refused")
    # A line in the list of what is missing goes to its field.
    lines = [editor.missing.item(i) for i in range(editor.missing.count())]
    who = next(item for item in lines if "hvem der reagerer" in item.text())
    editor.missing.scrollToItem(who)
    qtbot.mouseClick(
        editor.missing.viewport(), Qt.MouseButton.LeftButton, pos=editor.missing.visualItemRect(who).center()
    )
    assert editor.form.reaction_who.hasFocus()
    assert not previews
    assert main_window.services.plans.panel(admission_id).plans[-1].status is PlanStatus.KLADDE
    assert main_window.services.documents.documents(admission_id) == documents_before
    editor.reject()


def test_complete_plan_in_force_archived_revised_ended_and_versions_listed(
    main_window, qtbot, monkeypatch, previews
) -> None:
    admission_id = fresh_admission(main_window)
    tab = open_plan_tab(main_window, admission_id)
    click(qtbot, tab.fact_checks["afsnit_v_support"])
    click(qtbot, tab.planned.check)
    type_date(qtbot, tab.planned.edit, TOMORROW)
    click(qtbot, tab.save_facts_button)
    qtbot.waitUntil(main_window.patients_tab.details.plan_tab.warning.isVisible)

    editor = new_plan(qtbot, main_window, admission_id, source="blank")
    complete(qtbot, editor)
    assert editor.missing_title.text().startswith("✓")
    shot(editor, "editor-complete")
    qtbot.keyClick(editor.form.reaction_who, Qt.Key.Key_Return, CTRL)  # Sæt i kraft og skriv ud
    issuing = wait_for_modal(qtbot, PlanIssueDialog)
    assert issuing.overlaege.text() == "Fiktiv Overlægesen"
    click(qtbot, issuing.issue_button)

    assert not editor.error_label.isVisible(), editor.error_label.text()
    assert editor.plan.status is PlanStatus.I_KRAFT
    assert previews and previews[-1][0].startswith(b"%PDF")  # the archived PDF is shown for printing
    assert editor.read_only and editor.form.contact_person.isReadOnly()
    assert editor.form.parties.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert editor.revise_button.isVisible() and not editor.save_button.isVisible()
    shot(editor, "editor-in-force")

    # Ret og udsted ny version: a new archived version with a later end date.
    click(qtbot, editor.revise_button)
    assert not editor.read_only and editor.activate_button.text() == "Udsted n&y version og skriv ud"
    type_date(qtbot, editor.form.end.edit, date(2027, 6, 28))
    click(qtbot, editor.activate_button)
    click(qtbot, wait_for_modal(qtbot, PlanIssueDialog).issue_button)
    assert editor.read_only and editor.plan.content.end == date(2027, 6, 28)
    assert len(previews) == 2
    editor.reject()
    qtbot.waitUntil(lambda: not editor.isVisible())

    details = main_window.patients_tab.details
    tab = details.plan_tab
    assert tab.warning.text() == "✓ Kravet er opfyldt (E1): Udskrivningsaftale – I kraft til 28-06-2027."
    assert tab.table.item(0, 1).text() == "I kraft til 28-06-2027"
    assert "(E1)" not in (next_deadline(main_window, admission_id) or "")
    titles = [details.documents.item(r, 1).text() for r in range(details.documents.rowCount())]
    assert "Udskrivningsaftale – version 1" in titles and "Udskrivningsaftale – version 2" in titles
    plan_row = titles.index("Udskrivningsaftale – version 2")
    details.documents.selectRow(plan_row)
    assert not details.doc_buttons["reissue"].isEnabled()  # a plan is reissued as a new version, not here
    assert "I kraft" in details.plan_line.text() and not details.plan_line.isHidden()
    shot(main_window, "tab-in-force")

    # Afslut… with a reason and a confirmation.
    tab.table.selectRow(0)
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Erstattet af ny aftale", True))

    def question(_parent: object, _title: str, text: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    click(qtbot, tab.end_button)
    assert asked and "Erstattet af ny aftale" in asked[0]
    tab = main_window.patients_tab.details.plan_tab
    qtbot.waitUntil(lambda: tab.table.item(0, 1).text().startswith("Afsluttet"))
    assert tab.table.item(0, 1).text() == "Afsluttet 23-11-2026"
    assert not tab.end_button.isEnabled()

    # Versioner…: every save and issue, oldest first.
    click(qtbot, tab.versions_button)
    versions = wait_for_modal(qtbot, VersionsDialog)
    actions = [cell(versions.table, r, 3).text() for r in range(versions.table.rowCount())]
    assert actions[0].startswith("Oprettet")
    assert "Sat i kraft" in actions and "Ny version udstedt" in actions
    assert actions[-1] == "Afsluttet: Erstattet af ny aftale"
    assert [cell(versions.table, r, 0).text() for r in range(len(actions))] == [
        str(i) for i in range(1, len(actions) + 1)
    ]
    assert cell(versions.table, 0, 1).text().startswith("23-11-2026 10:")  # Copenhagen time
    shot(versions, "versions")
    versions.reject()


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_issuing_dialog_asks_the_overlaege_and_how_each_copy_goes(main_window, qtbot, previews) -> None:
    """Sæt i kraft og skriv ud asks the responsible overlæge's name (refused without it, naming the agreement's
    section) and, per recipient, the day and the channel; the archived PDF prints them. A new version asks again,
    and its PDF keeps the first sending under the earlier ones."""
    admission_id = fresh_admission(main_window)
    editor = new_plan(qtbot, main_window, admission_id, source="blank")
    complete(qtbot, editor)
    editor.form.overlaege.clear()
    assert any("overlæge" in editor.missing.item(i).text() for i in range(editor.missing.count()))
    click(qtbot, editor.activate_button)
    dialog = wait_for_modal(qtbot, PlanIssueDialog)
    assert dialog.windowTitle() == "Sæt i kraft og skriv ud"
    qtbot.waitUntil(dialog.overlaege.hasFocus)
    rows = {r.send.text(): r for r in dialog.recipients}
    kommune = next(name for name in rows if name != "Egen læge")
    assert all(r.send.isChecked() and r.day.value() == TODAY for r in rows.values())
    assert [r.channel.currentText() for r in rows.values()] == ["Sikker post"] * 2
    assert rows["Egen læge"].epikrise.text() == "med epikrise"

    click(qtbot, dialog.issue_button)  # no overlæge: refused, the dialog stays open
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "ansvarlige overlæge" in dialog.error_label.text()
    assert "samarbejdsaftalen, «Udskrivningsaftale»" in dialog.error_label.text()
    assert editor.plan.status is PlanStatus.KLADDE and not previews

    qtbot.keyClicks(dialog.overlaege, "Birgit Overlægesen")
    rows[kommune].channel.setCurrentIndex(rows[kommune].channel.findText("Papir (brev)"))
    shot(dialog, "issue")
    click(qtbot, dialog.issue_button)
    qtbot.waitUntil(lambda: editor.plan.status is PlanStatus.I_KRAFT)
    sent = {s.recipient: (s.sent_on, s.channel) for s in editor.plan.content.sent_to}
    assert sent == {"Egen læge": (TODAY, SendChannel.SIKKER_POST), kommune: (TODAY, SendChannel.PAPIR)}
    assert editor.plan.content.overlaege == "Birgit Overlægesen"
    assert editor.form.overlaege.text() == "Birgit Overlægesen" and editor.form.overlaege.isReadOnly()
    first = pdf_text(previews[-1][0])
    assert "Egen læge 23-11-2026 Sikker post med epikrise" in first
    assert f"{kommune} 23-11-2026 Papir (brev)" in first
    assert "ANSVARLIG OVERLÆGE Birgit Overlægesen" in first and "Ansvarlig overlæge Birgit Overlægesen" in first

    # A resend is a new version: this time only the kommune's copy goes; the first sending stays in the history.
    click(qtbot, editor.revise_button)
    click(qtbot, editor.activate_button)
    again = wait_for_modal(qtbot, PlanIssueDialog)
    assert again.windowTitle() == "Udsted ny version og skriv ud" and again.overlaege.text() == "Birgit Overlægesen"
    rows = {r.send.text(): r for r in again.recipients}
    assert rows[kommune].channel.currentText() == "Papir (brev)"  # as last time
    box = rows["Egen læge"].send
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # on the tick box
    assert not box.isChecked()
    assert not rows["Egen læge"].day.isEnabled()
    click(qtbot, again.issue_button)
    qtbot.waitUntil(lambda: len(previews) == 2)
    second = pdf_text(previews[-1][0])
    assert "Egen læge Ikke sendt" in second and f"{kommune} 23-11-2026 Papir (brev)" in second
    assert "Tidligere udsendelser (tidligere versioner)" in second
    assert "1 Egen læge 23-11-2026 Sikker post med epikrise" in second
    editor.reject()


def test_ending_needs_a_reason(main_window, qtbot, monkeypatch) -> None:
    editor = new_plan(qtbot, main_window, fresh_admission(main_window), source="blank")
    editor.reject()
    tab = main_window.patients_tab.details.plan_tab
    tab.table.selectRow(0)
    shown: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("  ", True))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    click(qtbot, tab.end_button)
    assert shown and "begrundelse" in shown[0]
    assert main_window.patients_tab.details.plan_tab.table.item(0, 1).text() == "Kladde"


def test_a_koordinationsplan_has_no_patient_party_and_no_agreement(main_window, qtbot) -> None:
    editor = new_plan(qtbot, main_window, fresh_admission(main_window), source="blank", kind=PlanKind.KOORDINATIONSPLAN)
    assert editor.plan.kind is PlanKind.KOORDINATIONSPLAN
    assert "Koordinationsplan" in editor.windowTitle()
    assert not editor.form.agrees.isVisible()
    assert all(r[0] != "patient" for r in editor.form.parties.rows())
    click(qtbot, editor.form.parties_editor.add_button)  # the role editor offers no "Patient"
    editor.form.parties.setCurrentCell(editor.form.parties.rowCount() - 1, 0)
    qtbot.keyClick(editor.form.parties, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Patient" not in labels and "Kommune" in labels
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    assert editor.isVisible()  # Escape closed the cell editor, not the dialog
    editor.form.parties.remove_current_row()
    assert not editor.dirty
    editor.reject()


def test_tables_type_add_and_remove_by_keyboard(qtbot) -> None:
    from coordinator_app.ui.plans.plan_form import OFFER_COLUMNS

    table = EditableTable(OFFER_COLUMNS, default_date=lambda: TODAY)
    host = QDialog()
    qtbot.addWidget(host)
    table.setParent(host)
    host.show()
    qtbot.waitExposed(host)
    table.set_rows([["Bostøtte", "Kommunen", date(2026, 12, 1), ""]])
    assert table.rows() == [["Bostøtte", "Kommunen", date(2026, 12, 1), ""]]
    table.setFocus()
    table.setCurrentCell(0, 2)
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # clears the date
    assert table.rows()[0][2] is None
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Delete, CTRL)  # removes the row
    assert table.rows() == []


def test_pull_from_the_meeting_into_a_kladde_and_preview_the_draft(main_window, qtbot, monkeypatch, previews) -> None:
    admission_id = meeting_admission(main_window)
    editor = new_plan(qtbot, main_window, admission_id, source="blank")
    assert "Lone Fiktivsen" not in [r[1] for r in editor.form.parties.rows()]
    qtbot.keyClicks(editor.form.goals, "Egen bolig")  # unsaved: saved before the pull, not lost
    offered: list[list[str]] = []

    def pick(_parent, _title, _label, items, *a, **k):
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    click(qtbot, editor.pull_button)
    assert offered and offered[0][0].startswith("NM-") and "2 aftaler" in offered[0][0]
    assert "Lone Fiktivsen" in [r[1] for r in editor.form.parties.rows()]
    assert "Ansøgning om bostøtte behandles" in [r[0] for r in editor.form.social.rows()]
    assert editor.form.goals.toPlainText() == "Egen bolig" and not editor.dirty
    assert "Hentet fra" in editor.ok_label.text()

    click(qtbot, editor.preview_button)
    assert previews and previews[-1][0].startswith(b"%PDF") and "kladde" in previews[-1][1]
    assert main_window.services.plans.panel(admission_id).plans[-1].status is PlanStatus.KLADDE  # nothing archived
    editor.reject()


def test_recipients_come_from_the_parties_with_the_epikrise_to_the_gp(main_window, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    editor = new_plan(qtbot, main_window, fresh_admission(main_window), source="blank")
    form = editor.form
    form.sent.set_rows([])
    gp = next(i for i, r in enumerate(form.parties.rows()) if r[0] == "egen_laege")
    type_cell(qtbot, form.parties, gp, 1, "Lægehuset Eksempelvej")
    click(qtbot, form.from_parties_button)
    assert form.sent.hasFocus() and form.sent.currentColumn() == 1  # on the Sendt date, to fill in when sent
    sent = {r[0]: r[2] for r in form.sent.rows()}
    assert sent.pop("Lægehuset Eksempelvej") is True  # with the epikrise
    assert list(sent.values()) == [False] and "Kommune" in next(iter(sent))
    click(qtbot, form.from_parties_button)  # each recipient once
    assert len(form.sent.rows()) == 2
    assert sorted(s.with_epikrise for s in form.content().sent_to) == [False, True]
    qtbot.keyClick(form.sent, Qt.Key.Key_S, CTRL)
    assert not editor.dirty
    editor.reject()
