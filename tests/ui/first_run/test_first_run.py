"""The first-run wizard (issue 9), clicked through like a ward's first user: *Denne computer* ends in an encrypted
file with an administrator who can log in, the ward and its kommuner and the saved choice; *Delt database* only
goes on after a passed connection test against the real test PostgreSQL; a failure while creating leaves nothing
behind and keeps the wizard open; start-up uses the saved choice and the keyring (issue 8)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import stat
from pathlib import Path

import pg_roles
import pytest
from argon2 import PasswordHasher
from memory_keyring import *  # noqa: F403 (the fixtures)
from pg_roles import *  # noqa: F403 (the fixtures)
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from coordinator_app.domain.errors import StorageError
from coordinator_app.services import connection
from coordinator_app.services import first_run as first_run_service
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.first_run import load_ward_setup
from coordinator_app.services.settings import centre_list
from coordinator_app.services.users import UserService
from coordinator_app.storage.database import open_database
from coordinator_app.ui.first_run.first_run import PAGE_SUMMARY, FirstRunWizard
from coordinator_app.ui.shell import app as app_module
from coordinator_app.ui.shell import opening

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSPHRASE = "fire ord er nok 2026"
ADMIN_PASSWORD = "en god sætning"
NEXT, FINISH = QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton


@pytest.fixture
def wizard(qtbot, tmp_path: Path) -> FirstRunWizard:
    app_module.install_danish(app_module.ensure_application())
    made = FirstRunWizard(local_path=tmp_path / "afsnit.db", users=lambda ctx: UserService(ctx, hasher=FAST))
    qtbot.addWidget(made)
    with qtbot.waitExposed(made):
        made.show()
    return made


def click(qtbot, wizard: FirstRunWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled(), f"{button.text()} er grået ud på siden {wizard.currentPage().title()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)
    assert field.text() == text


def check_kommune(qtbot, wizard: FirstRunWizard, search: str, name: str) -> None:
    page = wizard.ward
    type_into(qtbot, page.filter, search)
    item = next(page.kommuner.item(r) for r in range(page.kommuner.count()) if page.kommuner.item(r).text() == name)
    assert not item.isHidden()
    rect = page.kommuner.visualItemRect(item)
    qtbot.mouseClick(
        page.kommuner.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 10, rect.center().y())
    )
    assert item.checkState() == Qt.CheckState.Checked


def fill_admin_and_ward(qtbot, wizard: FirstRunWizard) -> None:
    admin = wizard.admin
    type_into(qtbot, admin.full_name, "Anne Admin")
    type_into(qtbot, admin.username, "Anne")
    type_into(qtbot, admin.password, "kort")
    type_into(qtbot, admin.repeat, "kort")
    click(qtbot, wizard, NEXT)
    assert wizard.currentPage() is admin and "mindst 10 tegn" in admin.error.text()  # UserService's rule
    type_into(qtbot, admin.password, ADMIN_PASSWORD)
    type_into(qtbot, admin.repeat, ADMIN_PASSWORD)
    click(qtbot, wizard, NEXT)
    ward = wizard.ward
    assert wizard.currentPage() is ward
    type_into(qtbot, ward.centre.lineEdit(), "Psykiatrisk Center Nordsjælland")
    type_into(qtbot, ward.ward.lineEdit(), "Afsnit 3 Øst")
    click(qtbot, wizard, NEXT)
    assert wizard.currentPage() is ward and "mindst én kommune" in ward.error.text()
    check_kommune(qtbot, wizard, "hill", "Hillerød")
    check_kommune(qtbot, wizard, "helsin", "Helsingør")
    type_into(qtbot, ward.filter, "")
    assert ward.count.text() == "2 kommuner valgt."
    click(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_SUMMARY


def test_denne_computer_ends_in_an_encrypted_database_with_administrator_ward_and_choice(
    no_keyring, qtbot, wizard, tmp_path
) -> None:
    click(qtbot, wizard, NEXT)  # Denne computer is chosen
    local = wizard.local
    assert not local.remember.isEnabled() and "ingen nøglering" in local.remember.toolTip()
    type_into(qtbot, local.passphrase, "for kort")
    assert not wizard.button(NEXT).isEnabled() and "mindst 12 tegn" in local.hint.text()
    type_into(qtbot, local.passphrase, PASSPHRASE)
    type_into(qtbot, local.repeat, PASSPHRASE + "x")
    assert not wizard.button(NEXT).isEnabled()
    type_into(qtbot, local.repeat, PASSPHRASE)
    click(qtbot, wizard, NEXT)
    fill_admin_and_ward(qtbot, wizard)
    summary = wizard.summary.summary.text()
    assert "krypteret lokal database" in summary and "Helsingør, Hillerød" in summary and "Anne Admin" in summary
    wizard.summary.grab().save(str(tmp_path / "summary.png"))
    click(qtbot, wizard, FINISH)

    assert wizard.created is not None and not wizard.isVisible()
    path = tmp_path / "afsnit.db"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchall()
    db = open_database(path, passphrase=PASSPHRASE)
    try:
        assert db.encrypted
        ctx = ServiceContext(database=db)
        user = UserService(ctx, hasher=FAST).authenticate("anne", ADMIN_PASSWORD)
        assert user.full_name == "Anne Admin" and user.role.value == "administrator"
        setup = load_ward_setup(ctx)
        assert setup is not None and setup.name == "Psykiatrisk Center Nordsjælland, Afsnit 3 Øst"
        assert set(setup.kommuner) == {"219", "217"}  # Hillerød, Helsingør
        assert "Afsnit 3 Øst" in {w for c in centre_list(ctx) for w in c.wards}
    finally:
        db.dispose()
    config = connection.config_path()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert json.loads(config.read_text()) == {"version": 1, "mode": "lokal", "path": str(path), "nøglering": False}
    assert PASSPHRASE not in config.read_text()


def test_a_failure_while_creating_leaves_nothing_and_keeps_the_wizard_open_then_the_keyring_keeps_the_frase(
    memory_keyring, qtbot, wizard, tmp_path, monkeypatch
) -> None:
    click(qtbot, wizard, NEXT)
    type_into(qtbot, wizard.local.passphrase, PASSPHRASE)
    type_into(qtbot, wizard.local.repeat, PASSPHRASE)
    assert wizard.local.remember.isEnabled()  # a keyring exists here
    wizard.local.remember.click()
    click(qtbot, wizard, NEXT)
    fill_admin_and_ward(qtbot, wizard)

    def disk_full(*_args, **_kwargs):
        raise StorageError("Disken er fuld, så ændringen kunne ikke gemmes.")

    with monkeypatch.context() as disk:  # only this patch ends below, not the test's isolated home
        disk.setattr(first_run_service, "add_ward", disk_full)
        click(qtbot, wizard, FINISH)
        assert wizard.isVisible() and wizard.currentId() == PAGE_SUMMARY and wizard.created is None
        error = wizard.summary.error.text()
        assert "Disken er fuld" in error and "Intet er oprettet" in error
        assert sorted(p.name for p in tmp_path.iterdir()) == []  # no half-created database, no WAL files
        assert not connection.config_path().exists() and memory_keyring.entries == {}

    # the disk has room again: the same input finishes
    click(qtbot, wizard, FINISH)
    path = tmp_path / "afsnit.db"
    assert wizard.created is not None and path.exists()
    assert memory_keyring.entries == {("Koordinator", str(path)): PASSPHRASE}
    assert json.loads(connection.config_path().read_text())["nøglering"] is True


def test_delt_database_needs_a_passed_test_then_migrates_and_stores_everything(
    no_keyring, qtbot, wizard, empty_pg_database
) -> None:
    cluster, name = empty_pg_database
    wizard.welcome.shared.click()
    click(qtbot, wizard, NEXT)
    shared = wizard.shared
    type_into(qtbot, shared.host, cluster.host)
    shared.port.setValue(1)
    type_into(qtbot, shared.database, name)
    type_into(qtbot, shared.user, pg_roles.ROLE)
    type_into(qtbot, shared.password, pg_roles.PASSWORD)
    assert not wizard.button(NEXT).isEnabled()
    qtbot.mouseClick(shared.test, Qt.MouseButton.LeftButton)
    assert "port 1 svarer ikke" in shared.result.text() and not wizard.button(NEXT).isEnabled()
    shared.port.setValue(cluster.port)
    type_into(qtbot, shared.password, "forkert")
    qtbot.mouseClick(shared.test, Qt.MouseButton.LeftButton)
    assert "afviste brugernavnet" in shared.result.text() and not wizard.button(NEXT).isEnabled()
    type_into(qtbot, shared.password, pg_roles.PASSWORD)
    qtbot.mouseClick(shared.test, Qt.MouseButton.LeftButton)
    assert "er tom" in shared.result.text() and shared.create_tables.isVisible()
    assert not wizard.button(NEXT).isEnabled()  # creating the tables needs a yes
    shared.create_tables.click()
    click(qtbot, wizard, NEXT)
    fill_admin_and_ward(qtbot, wizard)
    assert (
        "tabeller oprettes" in wizard.summary.summary.text() and pg_roles.PASSWORD not in wizard.summary.summary.text()
    )
    click(qtbot, wizard, FINISH)

    assert wizard.created is not None
    assert connection.check_connection(pg_roles.url(cluster, name)) == connection.ConnectionStatus(has_users=True)
    config = connection.load_config()
    assert config is not None and config.mode == "delt" and config.password_in == "fil"
    db = open_database(config.database_url())
    try:
        ctx = ServiceContext(database=db)
        assert UserService(ctx, hasher=FAST).authenticate("anne", ADMIN_PASSWORD).full_name == "Anne Admin"
        setup = load_ward_setup(ctx)
        assert setup is not None and setup.ward == "Afsnit 3 Øst"
    finally:
        db.dispose()


def test_a_second_workstation_only_connects_to_a_shared_database_already_set_up(qtbot, wizard, pg_url) -> None:
    db = open_database(pg_url)
    UserService(ServiceContext(database=db), hasher=FAST).create_administrator("bo", "Bo Admin", ADMIN_PASSWORD)
    db.dispose()
    wizard.welcome.shared.click()
    click(qtbot, wizard, NEXT)
    type_into(qtbot, wizard.shared.url, pg_url)
    qtbot.mouseClick(wizard.shared.test, Qt.MouseButton.LeftButton)
    assert "allerede sat op" in wizard.shared.result.text()
    click(qtbot, wizard, NEXT)
    assert wizard.currentId() == PAGE_SUMMARY and "allerede sat op" in wizard.summary.summary.text()
    demos: list[str] = []
    wizard._create_demo = lambda: demos.append("demo.db")  # the separate practice file, never the shared one
    wizard.summary.demo.click()
    click(qtbot, wizard, FINISH)
    assert wizard.created is not None and connection.load_config() is not None
    assert demos == ["demo.db"] and "koordinator --demo" in wizard.demo_note


# -- start-up: the saved choice, the wizard, the keyring ----------------------------------------------------------


def no_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args):
        raise AssertionError("ingen adgangskode skulle spørges om")

    monkeypatch.setattr(opening, "ask_passphrase_to_remember", refuse)
    monkeypatch.delenv("KOORDINATOR_PASSPHRASE", raising=False)


def test_a_new_workstation_gets_the_wizard_and_opens_what_it_made(qapp, tmp_path, monkeypatch, no_keyring) -> None:
    from coordinator_app.ui.first_run import first_run as wizard_module

    assert first_run_service.needs_first_run()
    made = []

    def finish_wizard(*_args):
        result = first_run_service.create_workstation(
            first_run_service.LocalTarget(tmp_path / "ny.db", PASSPHRASE),
            first_run_service.AdminInput("anne", "Anne Admin", ADMIN_PASSWORD),
            first_run_service.WardInput("Psykiatrisk Center Test", "Afsnit 1", ("101",)),
            users=lambda ctx: UserService(ctx, hasher=FAST),
        )
        made.append(result)
        return result

    monkeypatch.setattr(wizard_module, "run_first_run", finish_wizard)
    no_prompt(monkeypatch)
    db, passphrase = opening.open_for_start(app_module.LaunchOptions(database_url=None))
    assert made and db is not None and db.encrypted and db.path == tmp_path / "ny.db" and passphrase == PASSPHRASE
    db.dispose()
    assert not first_run_service.needs_first_run()


def test_the_administrator_the_wizard_made_is_signed_in_without_a_second_prompt(
    qapp, tmp_path, monkeypatch, no_keyring
) -> None:
    """What was typed a moment ago is not asked again: the new administrator is signed in (and it is logged)."""
    from coordinator_app.storage.audit_repository import AuditRepository
    from coordinator_app.ui.first_run import first_run as wizard_module

    def finish_wizard(*_args):
        return first_run_service.create_workstation(
            first_run_service.LocalTarget(tmp_path / "ny.db", PASSPHRASE),
            first_run_service.AdminInput("anne", "Anne Admin", ADMIN_PASSWORD),
            first_run_service.WardInput("Psykiatrisk Center Test", "Afsnit 1", ("101",)),
            users=lambda ctx: UserService(ctx, hasher=FAST),
        )

    def no_login_dialog(*_args, **_kwargs):
        raise AssertionError("ingen login-dialog skulle vises")

    monkeypatch.setattr(wizard_module, "run_first_run", finish_wizard)
    monkeypatch.setattr(app_module, "sign_in", no_login_dialog)
    no_prompt(monkeypatch)
    created: list[first_run_service.FirstRunResult] = []
    options = app_module.LaunchOptions(database_url=None)
    db, _ = opening.open_for_start(options, on_first_run=created.append)
    assert db is not None and created and created[0].admin is not None
    admin = created[0].admin
    signed_in = dataclasses.replace(options, sign_in_as=(admin.username, admin.password))
    principal = app_module.sign_in_for_start(db, signed_in)
    assert principal is not None and principal.username == "anne" and principal.full_name == "Anne Admin"
    with db.session() as session:
        assert any("anne" in line.user for line in AuditRepository(session).all())
    db.dispose()
    # Without the wizard's credentials the normal login is asked for.
    again = open_database(f"sqlite:///{tmp_path / 'ny.db'}", passphrase=PASSPHRASE)
    try:
        with pytest.raises(AssertionError, match="ingen login-dialog"):
            app_module.sign_in_for_start(again, options)
    finally:
        again.dispose()


def test_smoke_and_demo_never_show_the_wizard(qapp, monkeypatch) -> None:
    from coordinator_app.ui.first_run import first_run as wizard_module

    def refuse(*_args):
        raise AssertionError("guiden må ikke vises")

    monkeypatch.setattr(wizard_module, "run_first_run", refuse)
    for options in (app_module.LaunchOptions(None, smoke=True), app_module.LaunchOptions(None, demo=True)):
        db, _ = opening.open_for_start(options)
        assert db is not None
        db.dispose()


def test_the_saved_choice_opens_with_the_adgangskode_from_the_keyring(
    qapp, encrypted_path, memory_keyring, monkeypatch
) -> None:
    from db_fixtures import TEST_PASSPHRASE

    connection.save_config(connection.ConnectionConfig("lokal", path=encrypted_path, remember_passphrase=True))
    memory_keyring.set_password("Koordinator", str(encrypted_path), TEST_PASSPHRASE)
    no_prompt(monkeypatch)
    db, passphrase = opening.open_for_start(app_module.LaunchOptions(database_url=None))
    assert db is not None and db.path == encrypted_path and passphrase == TEST_PASSPHRASE
    db.dispose()


def test_a_wrong_keyring_entry_is_removed_and_husk_stores_the_right_one(
    qtbot, encrypted_path, memory_keyring, monkeypatch
) -> None:
    from db_fixtures import TEST_PASSPHRASE

    from coordinator_app.ui.shell.login_dialog import PassphraseDialog

    account = ("Koordinator", str(encrypted_path))
    memory_keyring.entries[account] = "gammel adgangskode"
    monkeypatch.delenv("KOORDINATOR_PASSPHRASE", raising=False)
    prompts: list[str] = []
    stored_while_asking: list[object] = []

    def answer(dialog: PassphraseDialog) -> int:
        prompts.append(dialog.message.text())
        stored_while_asking.append(memory_keyring.entries.get(account))
        qtbot.keyClicks(dialog.passphrase, TEST_PASSPHRASE)
        dialog.remember.click()
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(PassphraseDialog, "exec", answer)
    db, _ = opening.open_with_passphrase(str(encrypted_path))
    assert db is not None
    db.dispose()
    assert prompts == ["Adgangskoden i nøgleringen passer ikke længere og er fjernet. Skriv adgangskoden:"]
    assert stored_while_asking == [None]  # the wrong entry was gone before asking
    assert memory_keyring.entries[account] == TEST_PASSPHRASE  # "Husk i nøgleringen"


def test_the_window_title_names_the_ward_the_first_run_set_up(qtbot, sqlite_url, tmp_path) -> None:
    from coordinator_app.services.first_run import WARD_SETUP_KEY

    db = open_database(sqlite_url)
    db.set_meta(WARD_SETUP_KEY, json.dumps({"centre": "Psykiatrisk Center Test", "ward": "Afsnit 1", "kommuner": []}))
    window = app_module.build_window(db, app_module.LaunchOptions(sqlite_url, settings_path=str(tmp_path / "s.ini")))
    qtbot.addWidget(window)
    assert window.windowTitle() == "Koordinator — Psykiatrisk Center Test, Afsnit 1"
    window.close()
    db.dispose()
