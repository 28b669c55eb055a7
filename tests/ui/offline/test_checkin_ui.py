"""Handing in a laptop file in the app (issue 19), by the real widgets: the issue's walk — two admissions checked out
from «Tag med offline…», the laptop file opened in a second window as a mødeleder who schedules a meeting, holds it
live (typed, autosaved, ended) and issues the referat, then Funktioner → «Aflever offline-kopi…» on the ward: the
meeting and the referat are on the ward with the laptop user as author, and the offer to delete the file deletes it.
Conflicts (a Kontaktbog entry and a meeting's words changed on both sides after a revoked loan) are decided in the
conflicts dialog — nothing preselected, OK only when all are decided, cancel applies nothing. Who may hand in, and
the laptop file itself, say why the menu item is greyed out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.offline import CONTACT, as_user, laptop_file, lend_a_case
from helpers.offline import PASSPHRASE as LENT_PASSPHRASE
from helpers.qt import wait_for_modal
from helpers.screens import grab
from helpers.windows import window_as, window_on
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMenu, QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from coordinator_app.domain.access import Role
from coordinator_app.domain.checkin import Conflict, Side
from coordinator_app.domain.meetings import MeetingContent
from coordinator_app.services import offline
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.meetings import MeetingService
from coordinator_app.storage.database import open_database
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.meetings.live_meeting import LiveMeetingWindow
from coordinator_app.ui.meetings.meeting_schedule_dialog import ScheduleDialog
from coordinator_app.ui.meetings.referat_dialog import ReferatDialog
from coordinator_app.ui.offline.checkin_dialog import NOTHING_HANDED_IN, CheckinDialog, HandedInDialog
from coordinator_app.ui.offline.checkout_dialog import CheckoutDialog
from coordinator_app.ui.offline.conflicts_dialog import ConflictsDialog
from coordinator_app.ui.offline.offline_actions import HAND_IN_ON_THE_WARD, NOT_YOUR_ROLE_HAND_IN
from coordinator_app.ui.shell.main_window import MainWindow

PASSPHRASE = "Bærbar-tre-2026"
REFERAT = "Referat af netværksmøde"


@pytest.fixture
def koordinator(qtbot: QtBot, demo_db_path: Path, tmp_path: Path) -> Iterator[MainWindow]:
    yield from window_as(qtbot, demo_db_path, tmp_path, Role.KOORDINATOR)


def open_hand_in(window: MainWindow, qtbot: QtBot) -> CheckinDialog:
    window.act_hand_in.trigger()
    dialog = window.offline_actions.open_dialog
    assert isinstance(dialog, CheckinDialog)
    qtbot.waitExposed(dialog)
    return dialog


def hand_in(qtbot: QtBot, dialog: CheckinDialog, path: Path, passphrase: str) -> None:
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(path))
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def check_out_two(window: MainWindow, qtbot: QtBot, path: Path) -> list[int]:
    """Two current admissions ticked in «Tag med offline…» and lent to Bærbar 3; their ids."""
    window.act_take_offline.trigger()
    dialog = window.offline_actions.open_dialog
    assert isinstance(dialog, CheckoutDialog)
    qtbot.waitExposed(dialog)
    for case in dialog.chosen():
        dialog.set_checked(dialog.row_of(admission_id=case.admission_id, patient_id=case.patient_id), False)
    admissions = [
        case.admission_id
        for row in range(dialog.table.rowCount())
        if (case := dialog.case_at(row)).admission_id is not None and not case.lent
    ][:2]
    for admission_id in admissions:
        item = dialog.table.item(dialog.row_of(admission_id=admission_id), 0)
        assert item is not None
        dialog.table.scrollToItem(item)
        rect = dialog.table.visualItemRect(item)
        viewport, left = dialog.table.viewport(), Qt.MouseButton.LeftButton
        qtbot.mouseClick(viewport, left, pos=rect.center() + QPoint(rect.width() // 4, 0))
        qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert sorted(c.admission_id for c in dialog.chosen() if c.admission_id) == sorted(admissions)
    for field, text in ((dialog.laptop, "Bærbar 3"), (dialog.path, str(path))):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClicks(dialog.pair.first, PASSPHRASE)
    qtbot.keyClicks(dialog.pair.second, PASSPHRASE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.offline_actions.summary is not None, timeout=30_000)
    summary = window.offline_actions.summary
    assert summary is not None
    summary.accept()
    return [a for a in admissions if a is not None]


def hold_meeting_and_issue_referat(laptop: MainWindow, qtbot: QtBot, admission_id: int) -> str:
    """On the laptop window: schedule a meeting from the admission, hold it live (typed, autosaved, ended) and issue
    its referat from the summary; the meeting's reference."""
    assert laptop.patients_tab.select_admission(admission_id)
    details = laptop.patients_tab.details
    details.tabs.setCurrentIndex(2)
    qtbot.mouseClick(details.new_meeting_button, Qt.MouseButton.LeftButton)
    schedule = wait_for_modal(qtbot, ScheduleDialog)
    qtbot.mouseClick(schedule.save_button, Qt.MouseButton.LeftButton)
    meeting = schedule.meeting
    assert meeting is not None and meeting.id is not None
    schedule.accept()
    reference = meeting.reference
    qtbot.waitUntil(
        lambda: any(cell(details.meetings, r, 1).text() == reference for r in range(details.meetings.rowCount()))
    )
    row = next(r for r in range(details.meetings.rowCount()) if cell(details.meetings, r, 1).text() == reference)
    details.meetings.selectRow(row)
    qtbot.mouseClick(details.meeting_buttons["live"], Qt.MouseButton.LeftButton)
    early = QApplication.activeModalWidget()
    if isinstance(early, QMessageBox):  # planned for a later day: the early start confirmed (C2–C4)
        qtbot.mouseClick(early.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, LiveMeetingWindow) for w in laptop.meeting_actions.windows))
    live = next(w for w in laptop.meeting_actions.windows if isinstance(w, LiveMeetingWindow))
    qtbot.waitExposed(live)
    agenda = live.text_edits["formaal"]
    agenda.setFocus()
    qtbot.keyClick(agenda, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(agenda, Qt.Key.Key_Return)
    qtbot.keyClicks(agenda, "- Udskrivelse til Botilbuddet Solgården aftalt")
    qtbot.waitUntil(lambda: live.save_label.text().startswith("Gemt kl."), timeout=10_000)  # autosaved
    assert not live.dirty
    live.request_close_meeting()
    ask = wait_for_modal(qtbot, QMessageBox)
    qtbot.mouseClick(ask.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: live.close_result is not None and isinstance(QApplication.activeModalWidget(), QMessageBox))
    summary = QApplication.activeModalWidget()
    assert isinstance(summary, QMessageBox)
    issue = next(b for b in summary.buttons() if b.text() == "Udsted &referat…")
    qtbot.mouseClick(issue, Qt.MouseButton.LeftButton)
    referat = wait_for_modal(qtbot, ReferatDialog)
    qtbot.mouseClick(referat.issue_button, Qt.MouseButton.LeftButton)
    assert referat.document is not None, referat.message.text()
    referat.reject()
    return reference


def test_the_issues_walk_check_out_hold_a_meeting_offline_hand_in_and_delete_the_file(
    koordinator: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = koordinator
    path = tmp_path / "bærbar-3.db"
    admissions = check_out_two(ward, qtbot, path)
    assert path.is_file() and len(admissions) == 2

    laptop_settings = tmp_path / "laptop"
    laptop_settings.mkdir()
    db = open_database(path, passphrase=PASSPHRASE)
    laptop = window_on(qtbot, db, laptop_settings, Role.MOEDELEDER)
    try:
        assert laptop.offline_banner is not None
        assert not laptop.act_hand_in.isEnabled() and laptop.act_hand_in.toolTip() == HAND_IN_ON_THE_WARD
        reference = hold_meeting_and_issue_referat(laptop, qtbot, admissions[0])
        assert reference.startswith("NM-2026-"), "a meeting made offline has the loan in its reference"
        author = laptop.services.ctx.user
    finally:
        laptop.close()
        db.dispose()
    assert author.endswith("(test.moedeleder)") and author != ward.services.ctx.user

    functions = next(a.menu() for a in ward.menuBar().actions() if a.text() == "&Funktioner")
    assert isinstance(functions, QMenu)
    assert "A&flever offline-kopi…" in [a.text() for a in functions.actions()]
    assert ward.act_hand_in.isEnabled()
    dialog = open_hand_in(ward, qtbot)
    picked: list[str] = []

    def pick(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        picked.append(start)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    dialog._choose_file()  # «Vælg fil…»: the file dialog's answer fills the field
    assert dialog.path.text() == str(path) and picked
    grab(dialog, "offline-aflever")

    hand_in(qtbot, dialog, path, PASSPHRASE + "x")  # a wrong passphrase: refused, nothing handed in
    qtbot.waitUntil(lambda: not dialog.runner.busy and dialog.error_label.isVisible(), timeout=20_000)
    assert "adgangskode" in dialog.error_label.text().casefold() and dialog.isVisible()
    assert len(offline.loans_out(ward.services.ctx)) == 1
    assert dialog.path.text() == str(path), "the fields are kept"
    grab(dialog, "offline-aflever-afvist")

    steps: list[tuple[int, int]] = []
    dialog.runner.progressed.connect(lambda done, total: steps.append((done, total)))
    hand_in(qtbot, dialog, path, PASSPHRASE)
    assert dialog.runner.busy and not dialog.buttons.isEnabled(), "the check-in runs off the UI thread"
    qtbot.waitUntil(lambda: ward.offline_actions.handed_in_dialog is not None, timeout=30_000)
    assert steps and steps[-1][0] == steps[-1][1], "the progress dialog was fed change by change"
    box = ward.offline_actions.handed_in_dialog
    assert isinstance(box, HandedInDialog) and not dialog.isVisible()
    text = box.text()
    assert text.startswith("Offline-kopien fra Bærbar 3 er afleveret. Det kom med:")
    assert "• 1 netværksmøde oprettet" in text and "• 1 dokument oprettet" in text
    assert "fra bærbarens revisionslog føjet til afsnittets (mærket Bærbar 3)" in text
    grab(box, "offline-afleveret")
    assert offline.loans_out(ward.services.ctx) == []

    # The ward shows the meeting and the referat on that admission, by the laptop's user.
    ward.open_admission(admissions[0])
    details = ward.patients_tab.details
    assert "Udlånt til" not in details.status_line.text()
    meetings = [cell(details.meetings, r, 1).text() for r in range(details.meetings.rowCount())]
    assert reference in meetings
    documents = [
        (cell(details.documents, r, 1).text(), cell(details.documents, r, 2).text())
        for r in range(details.documents.rowCount())
    ]
    assert any(title.startswith(REFERAT) and author in by for title, by in documents), documents
    [held] = [m for m in ward.services.meetings.for_admission(admissions[0]) if m.reference == reference]
    assert held.status.value == "afsluttet" and held.content.texts["formaal"].endswith("Solgården aftalt")
    [document] = [d for d in ward.services.documents.documents(admissions[0]) if d.title.startswith(REFERAT)]
    assert document.created_by == author

    # The offer to delete the file: asked first (No keeps it), then deleted.
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(_parent: object, _title: str, text: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(box.delete_button, Qt.MouseButton.LeftButton)
    assert path.is_file(), "«Nej»: the file stays"
    qtbot.mouseClick(box.delete_button, Qt.MouseButton.LeftButton)
    assert "overskrives ikke" in asked[0] and "på den bærbare" in asked[0]
    assert not path.exists() and not path.with_name(path.name + "-wal").exists()
    assert "er slettet" in box.offer.text() and not box.delete_button.isEnabled()
    grab(box, "offline-afleveret-slettet")
    box.reject()


def lent_with_conflicts(ward: MainWindow, folder: Path) -> tuple[Path, int, int]:
    """A case lent (helpers.offline), edited on the laptop — the Kontaktbog entry's phone and e-mail, the planned
    meeting's words — then the loan revoked and the same values changed on the ward: three conflicts. The laptop
    file, the contact's and the meeting's ids."""
    ctx = ward.services.ctx
    lent = lend_a_case(ctx, folder)
    contact_id = lent.contact.id or 0
    long_words = "Bostøtten fortsætter som aftalt med kommunen. " * 12
    with laptop_file(lent.path) as laptop:
        mette = as_user(ctx, laptop, "mhansen")
        ContactService(mette).update(
            contact_id,
            dataclasses.replace(CONTACT, phone="99 88 77 66", email="bostoette@aarhus.example.dk"),
            lent.contact.version or 0,
        )
        meetings = MeetingService(mette)
        started = meetings.start(lent.meeting_id, before_planned_day=True)
        meetings.save_content(
            lent.meeting_id,
            MeetingContent(texts={"formaal": "Bærbaren: " + long_words}),
            expected_version=started.version or 0,
        )
    admin = as_user(ctx, ctx.database, "admin", Role.ADMINISTRATOR)
    offline.revoke(admin, lent.loan.loan_id, "den bærbare var væk en uge")
    contact = ContactService(ctx).get(contact_id)
    ContactService(ctx).update(
        contact_id,
        dataclasses.replace(CONTACT, phone="55 55 55 55", email="visitation@aarhus.example.dk"),
        contact.version or 0,
    )
    meetings = MeetingService(ctx)
    started = meetings.start(lent.meeting_id, before_planned_day=True)
    meetings.save_content(
        lent.meeting_id,
        MeetingContent(texts={"formaal": "Afsnittet: " + long_words}),
        expected_version=started.version or 0,
    )
    return lent.path, contact_id, lent.meeting_id


def test_conflicts_are_decided_in_the_dialog_and_cancel_applies_nothing(
    koordinator: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    ward = koordinator
    ctx = ward.services.ctx
    path, contact_id, meeting_id = lent_with_conflicts(ward, tmp_path)
    contacts = ContactService(ctx)

    dialog = open_hand_in(ward, qtbot)
    hand_in(qtbot, dialog, path, LENT_PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.conflicts_dialog is not None and dialog.conflicts_dialog.isVisible(), timeout=30_000)
    conflicts = dialog.conflicts_dialog
    assert isinstance(conflicts, ConflictsDialog)
    labels = [row.conflict.label for row in conflicts.rows]
    assert "Kontaktbog: Aarhus Kommune, telefon" in labels and "Kontaktbog: Aarhus Kommune, e-mail" in labels
    assert any(label.startswith("Netværksmøde: ") and label.endswith("indhold") for label in labels)
    assert all(row.side() is None for row in conflicts.rows), "nothing preselected: a person decides each one"
    assert not conflicts.ok_button.isEnabled() and "0 af 3 afgjort" in conflicts.counter.text()
    words = next(row for row in conflicts.rows if row.conflict.column == "content")
    shown = [box.toPlainText() for box in words.findChildren(QPlainTextEdit)]
    assert len(shown) == 2 and shown[0].startswith("Afsnittet: ") and shown[1].startswith("Bærbaren: ")
    assert all(text.endswith("med kommunen.") for text in shown), "a referat's words are shown whole"
    grab(conflicts, "offline-konflikter")

    qtbot.mouseClick(conflicts.buttons.button(conflicts.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.note.isVisible())
    assert dialog.note.text() == NOTHING_HANDED_IN and dialog.isVisible()
    grab(dialog, "offline-aflever-annulleret")
    assert contacts.get(contact_id).phone == "55 55 55 55", "cancelled: nothing applied"
    assert MeetingService(ctx).get(meeting_id).content.texts["formaal"].startswith("Afsnittet: ")

    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # again: the same three, decided this time
    qtbot.waitUntil(lambda: dialog.conflicts_dialog is not conflicts and dialog.conflicts_dialog is not None)
    conflicts = dialog.conflicts_dialog
    assert isinstance(conflicts, ConflictsDialog)
    qtbot.waitExposed(conflicts)
    qtbot.mouseClick(conflicts.all_ward, Qt.MouseButton.LeftButton)  # the shortcut, then one row changed
    assert all(row.side() is Side.WARD for row in conflicts.rows) and conflicts.ok_button.isEnabled()
    phone = next(row for row in conflicts.rows if row.conflict.column == "phone")
    conflicts.listing.ensureWidgetVisible(phone.use_laptop)
    middle = phone.use_laptop.height() // 2  # on the round button (the radio button is as wide as its column)
    qtbot.mouseClick(phone.use_laptop, Qt.MouseButton.LeftButton, pos=QPoint(8, middle))
    assert phone.side() is Side.LAPTOP and "Alle 3 er afgjort" in conflicts.counter.text()
    qtbot.mouseClick(conflicts.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ward.offline_actions.handed_in_dialog is not None, timeout=30_000)
    box = ward.offline_actions.handed_in_dialog
    assert isinstance(box, HandedInDialog)
    assert "• 3 konflikter afgjort" in box.text()
    after = contacts.get(contact_id)
    assert (after.phone, after.email) == ("99 88 77 66", "visitation@aarhus.example.dk"), "each as decided"
    assert MeetingService(ctx).get(meeting_id).content.texts["formaal"].startswith("Afsnittet: ")
    box.reject()

    again = open_hand_in(ward, qtbot)  # the same file once more: said so, nothing done
    hand_in(qtbot, again, path, LENT_PASSPHRASE)
    qtbot.waitUntil(lambda: ward.offline_actions.handed_in_dialog is not box, timeout=30_000)
    second = ward.offline_actions.handed_in_dialog
    assert isinstance(second, HandedInDialog)
    assert "er allerede afleveret. Intet er gjort" in second.text()
    assert contacts.get(contact_id).phone == "99 88 77 66"
    second.reject()


def test_who_may_hand_in(qtbot: QtBot, demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    for role in (Role.LAESEADGANG, Role.MOEDELEDER):
        folder = tmp_path / role.value
        folder.mkdir()
        for window in window_as(qtbot, demo_db_path, folder, role):
            assert not window.act_hand_in.isEnabled()
            assert window.act_hand_in.toolTip() == NOT_YOUR_ROLE_HAND_IN
            told.clear()
            window.offline_actions.hand_in()  # a stale menu: told why, no dialog
            assert told == [NOT_YOUR_ROLE_HAND_IN] and window.offline_actions.open_dialog is None


def test_the_conflicts_dialog_shows_typed_text_as_typed(qtbot: QtBot) -> None:
    at = datetime(2026, 11, 24, 12, 5, tzinfo=UTC)
    hostile = "<b>Hansen & Søn</b>"
    conflict = Conflict(
        "contacts", "4", "name", f"Kontaktbog: {hostile}, navn", hostile, "", at, "<i>x</i>", "<u>mh</u>", at
    )
    dialog = ConflictsDialog([conflict], "Bærbar & <i>3</i>")
    qtbot.addWidget(dialog)
    [row] = dialog.rows
    assert row.use_laptop.text() == "Brug bærbarens (Bærbar && <i>3</i>):", "no Alt-key letter from a typed name"
    texts = [label.text() for label in row.findChildren(QLabel)]
    assert f"1. Kontaktbog: {hostile}, navn" in texts and hostile in texts and "<i>x</i>" in texts
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in row.findChildren(QLabel))
    assert "Ændret 24-11-2026 kl. 13.05 (af hvem vides ikke)" in texts
    assert "Ændret af <u>mh</u> 24-11-2026 kl. 13.05" in texts
