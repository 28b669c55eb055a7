"""Logging in and the idle lock (issue 8), as a user meets them: the login dialog (right, wrong, locked out), the
first run's "Opret administrator", the demo user without a prompt, and the lock that hides patient data until the
password is typed again — without losing what was typed in an open live meeting."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from helpers.qt import wait_for_modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox

from coordinator_app.domain.access import Role
from coordinator_app.domain.meetings import MeetingStatus, Occasion
from coordinator_app.services.context import COPENHAGEN, ServiceContext, fixed_clock
from coordinator_app.services.meetings import MeetingService, ScheduleInput
from coordinator_app.services.users import UserService, save_idle_minutes
from coordinator_app.storage.database import open_database
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.settings.users_dialog import UsersDialog
from coordinator_app.ui.shell.app import (
    LaunchOptions,
    build_window,
    ensure_application,
    install_danish,
    sign_in_for_start,
)
from coordinator_app.ui.shell.login_dialog import FirstRunDialog, LoginDialog, sign_in

DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # as conftest.DEMO_MOMENT
PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def real_db(tmp_path: Path):
    db = open_database(f"sqlite:///{tmp_path / 'afsnit.db'}")
    yield db
    db.dispose()


@pytest.fixture
def users(real_db) -> UserService:
    return UserService(ServiceContext(database=real_db, clock=fixed_clock(DEMO_MOMENT)), hasher=FAST)


def fill_and_ok(qtbot, dialog: QDialog, **fields: str) -> None:
    for name, text in fields.items():
        getattr(dialog, name).setText(text)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def test_login_with_the_right_password(qtbot, users: UserService) -> None:
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    dialog = LoginDialog(users, where="Lokal database – krypteret")
    qtbot.addWidget(dialog)
    dialog.open()
    fill_and_ok(qtbot, dialog, username="Admin", password=PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.username == "admin"
    assert dialog.password.text() == ""  # the password does not stay in the widget


def test_a_wrong_password_is_said_in_danish_and_asked_again(qtbot, users: UserService) -> None:
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    dialog.open()
    fill_and_ok(qtbot, dialog, username="admin", password="forkert adgangskode")
    assert dialog.isVisible() and dialog.user is None
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith("Forkert brugernavn eller adgangskode.")
    assert dialog.password.text() == ""
    fill_and_ok(qtbot, dialog, username="ingen", password="forkert adgangskode")
    assert dialog.error.text().startswith("Forkert brugernavn eller adgangskode.")  # the same for an unknown user


def test_after_five_wrong_passwords_the_dialog_says_the_account_is_locked(qtbot, users: UserService) -> None:
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    dialog = LoginDialog(users)
    qtbot.addWidget(dialog)
    dialog.open()
    for _ in range(5):
        fill_and_ok(qtbot, dialog, username="admin", password="forkert adgangskode")
    assert "spærret efter 5 forkerte forsøg" in dialog.error.text()
    fill_and_ok(qtbot, dialog, username="admin", password=PASSWORD)
    assert dialog.user is None and "Prøv igen kl. 10:15" in dialog.error.text()


def test_first_run_creates_the_administrator(qtbot, users: UserService) -> None:
    dialog = FirstRunDialog(users)
    qtbot.addWidget(dialog)
    dialog.open()
    fill_and_ok(qtbot, dialog, username="admin", full_name="Anne Administrator", password=PASSWORD, repeat="andet")
    assert "ikke ens" in dialog.error.text() and not users.has_users()
    fill_and_ok(qtbot, dialog, username="admin", full_name="Anne Administrator", password="kort", repeat="kort")
    assert "mindst 10 tegn" in dialog.error.text() and not users.has_users()
    fill_and_ok(qtbot, dialog, username="admin", full_name="Anne Administrator", password=PASSWORD, repeat=PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.role is Role.ADMINISTRATOR
    assert users.authenticate("admin", PASSWORD).full_name == "Anne Administrator"


def test_sign_in_asks_for_the_first_administrator_then_for_a_login_and_never_in_a_demo(users: UserService) -> None:
    shown: list[type] = []

    def cancel(dialog: QDialog) -> int:
        shown.append(type(dialog))
        return QDialog.DialogCode.Rejected

    assert sign_in(users, demo=False, run=cancel) is None
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    assert sign_in(users, demo=False, run=cancel) is None
    assert shown == [FirstRunDialog, LoginDialog]
    demo = sign_in(users, demo=True, run=cancel)
    assert demo is not None and demo.demo and shown == [FirstRunDialog, LoginDialog]


def test_a_demo_database_opens_as_the_marked_demo_user_without_a_prompt(main_window, demo_db_path: Path) -> None:
    db = main_window.services.ctx.database
    principal = sign_in_for_start(db, LaunchOptions(database_url=str(demo_db_path)))  # no dialog: it would block
    assert principal is not None and principal.demo
    texts = [w.text() for w in main_window.statusBar().findChildren(QLabel)]
    assert "Demobruger – ingen login (demo)" in texts
    assert main_window.idle_lock is not None and main_window.idle_lock.minutes is None  # never locks by itself


# -- the idle lock --------------------------------------------------------------------------------------------------


@pytest.fixture
def signed_in(qtbot, demo_db_template: Path, tmp_path: Path):
    """The demo ward opened by a signed-in koordinator (as on a real database), with the idle lock installed."""
    path = tmp_path / "afsnit.db"
    shutil.copyfile(demo_db_template, path)
    db = open_database(f"sqlite:///{path}")
    ctx = ServiceContext(database=db, clock=fixed_clock(DEMO_MOMENT))
    UserService(ctx, hasher=FAST).create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    save_idle_minutes(ctx, 7)
    user = UserService(ctx, hasher=FAST).authenticate("mhansen", PASSWORD)
    install_danish(ensure_application())
    options = LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
    window = build_window(db, options, clock=fixed_clock(DEMO_MOMENT), principal=user.principal)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.tabs.setCurrentWidget(window.patients_tab)
    yield window
    window.close()
    db.dispose()


def test_the_window_names_the_signed_in_user_and_locks_after_the_wards_minutes(signed_in) -> None:
    texts = [w.text() for w in signed_in.statusBar().findChildren(QLabel)]
    assert "Bruger: Mette Hansen · Koordinator" in texts
    lock = signed_in.idle_lock
    assert lock.minutes == 7 and lock.timer.interval() == 7 * 60_000 and lock.timer.isActive()
    assert not signed_in.act_users.isEnabled() and not signed_in.act_settings.isEnabled()  # koordinator


def test_idle_lock_hides_patient_data_and_unlocks_with_the_password(qtbot, signed_in) -> None:
    lock = signed_in.idle_lock
    lock.timer.setInterval(200)  # the ward's minutes, shortened for the test
    lock.timer.start()
    qtbot.keyClick(signed_in.patients_tab.search, Qt.Key.Key_A)  # use restarts the clock …
    assert not lock.locked
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)  # … and then nothing happens for a while
    assert not signed_in.tabs.isVisible() and not signed_in.patients_tab.table.isVisible()
    assert lock.screen.isVisible() and "Mette Hansen (mhansen)" in lock.screen.explanation.text()
    assert not signed_in.menuBar().isEnabled() and not signed_in.act_new.isEnabled()

    qtbot.keyClicks(lock.screen.password, "forkert adgangskode")
    qtbot.keyClick(lock.screen.password, Qt.Key.Key_Return)
    assert lock.locked and lock.screen.error.text().startswith("Forkert brugernavn eller adgangskode.")
    assert not signed_in.tabs.isVisible()

    qtbot.keyClicks(lock.screen.password, PASSWORD)
    qtbot.mouseClick(lock.screen.unlock_button, Qt.MouseButton.LeftButton)
    assert not lock.locked
    assert signed_in.tabs.isVisible() and signed_in.patients_tab.table.isVisible() and not lock.screen.isVisible()
    assert signed_in.menuBar().isEnabled() and signed_in.act_new.isEnabled()
    assert not signed_in.act_users.isEnabled()  # what the role may not do stays greyed out
    assert lock.screen.password.text() == ""


def test_ctrl_l_locks_at_once(qtbot, signed_in) -> None:
    signed_in.act_lock.trigger()
    assert signed_in.idle_lock.locked and not signed_in.tabs.isVisible()


def test_a_live_meetings_typed_text_survives_the_lock(qtbot, signed_in) -> None:
    ctx = signed_in.services.ctx
    admission = next(r for r in signed_in.patients_tab.model._rows if r.discharged is None)  # any current admission
    planned = datetime(2026, 11, 26, 10, tzinfo=COPENHAGEN)
    meeting = MeetingService(ctx).schedule(
        ScheduleInput(admission.patient_id, admission.admission_id, Occasion.UNDER_INDLAEGGELSE, date(2026, 11, 23),
                      planned)
    )  # fmt: skip
    signed_in.meeting_actions.open_live(meeting)
    early = wait_for_modal(qtbot, QMessageBox)  # planned for Thursday: «Start mødet før den planlagte dag?» (C2)
    qtbot.mouseClick(early.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(signed_in.meeting_actions.windows))
    live = signed_in.meeting_actions.windows[-1]
    qtbot.waitExposed(live)
    live.text_edits["formaal"].insertPlainText("Skrevet lige før låsen")
    assert live.dirty  # not yet autosaved

    signed_in.lock_screen()
    assert not live.isVisible()  # patient data hidden in the meeting window too
    assert meeting.id is not None
    saved = MeetingService(ctx).get(meeting.id)
    assert saved.status is MeetingStatus.I_GANG
    assert "Skrevet lige før låsen" in saved.content.texts["formaal"]

    assert signed_in.idle_lock.unlock(PASSWORD)
    assert live.isVisible() and "Skrevet lige før låsen" in live.text_edits["formaal"].toPlainText()
    live.close()


def test_the_users_dialog_is_for_administrators(qtbot, main_window) -> None:
    """The demo user is an administrator: the dialog lists, adds and changes users."""
    users = UserService(main_window.services.ctx, hasher=FAST)
    dialog = UsersDialog(main_window.services.ctx, users, main_window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    dialog.add_user()
    form = dialog.child
    assert form is not None
    fill_and_ok(qtbot, form, username="lone", full_name="Lone Læser", password=PASSWORD, repeat=PASSWORD)
    assert dialog.table.rowCount() == 1 and cell(dialog.table, 0, 2).text() == "Koordinator"
    dialog.role.setCurrentIndex(dialog.role.findData(Role.LAESEADGANG))
    dialog.save_role()
    assert cell(dialog.table, 0, 2).text() == "Læseadgang"
    dialog.toggle_active()
    assert cell(dialog.table, 0, 3).text() == "Deaktiveret"
    assert "deaktiveret" in dialog.message.text()
