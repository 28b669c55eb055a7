"""Sikkerhedskopier (issue 8) through the dialog: take a backup with progress, check it, restore an older one
(the current file kept as ….before-restore), refuse a damaged backup without touching the database, and say
that a shared PostgreSQL database is backed up by IT."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pytest
from db_fixtures import TEST_PASSPHRASE
from PySide6.QtWidgets import QMessageBox

from coordinator_app.services.context import ServiceContext
from coordinator_app.storage.backup import BackupInfo, backup_now, default_backup_dir
from coordinator_app.storage.database import KIND_SHARED, Database, open_database
from coordinator_app.ui.settings.backup_dialog import BackupDialog, open_backup_dialog
from coordinator_app.ui.settings.backup_table import CHECKED, ENCRYPTED, NOTE

OLD = datetime(2026, 11, 20, 8, 30)  # an earlier backup, by name


class Local:
    """An open local database and what the dialog needs to work with it."""

    def __init__(self, path: Path, passphrase: str | None) -> None:
        self.path = path
        self.passphrase = passphrase
        self.db = open_database(path, passphrase=passphrase)

    def reopen(self) -> Database:
        self.db.dispose()
        self.db = open_database(self.path, passphrase=self.passphrase)
        return self.db


@pytest.fixture(params=["plain", "encrypted"])
def local(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Local]:
    if request.param == "plain":
        path = Path(str(request.getfixturevalue("sqlite_url")).removeprefix("sqlite:///"))
        opened = Local(path, None)
    else:
        opened = Local(request.getfixturevalue("encrypted_path"), TEST_PASSPHRASE)
    opened.db.set_meta("afsnit", "før kopien")
    yield opened
    opened.db.dispose()


@pytest.fixture
def restored() -> list[Path]:
    return []


@pytest.fixture
def dialog(qtbot, local: Local, restored: list[Path]) -> BackupDialog:
    from coordinator_app.ui.shell.app import ensure_application, install_danish

    install_danish(ensure_application())
    dlg = open_backup_dialog(
        None, ServiceContext(database=local.db), passphrase=local.passphrase, on_restored=restored.append
    )
    qtbot.addWidget(dlg)
    return dlg


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Modal message boxes, answered without blocking: (title, text) of each warning/information."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: seen.append((title, text)))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a, **k: seen.append((title, text)))
    return seen


def answer_restore(monkeypatch: pytest.MonkeyPatch, choice: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return choice

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def cell(dialog: BackupDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def wait_idle(qtbot, dialog: BackupDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)


def take_via_button(qtbot, dialog: BackupDialog) -> list[tuple[int, int]]:
    steps: list[tuple[int, int]] = []
    dialog.progress_changed.connect(lambda done, total: steps.append((done, total)))
    with qtbot.waitSignal(dialog.backup_taken, timeout=20_000):
        dialog.backup_button.click()
    wait_idle(qtbot, dialog)
    return steps


def flip_bytes(info: BackupInfo) -> None:
    """Damage the last page (only its HMAC can tell, encrypted) or garble the table pages (plain)."""
    data = bytearray(info.path.read_bytes())
    if info.encrypted:
        for i in range(info.size - 2000, info.size - 1984):
            data[i] ^= 0xFF
    else:
        data[4096 + 100 : 4096 * 3] = os.urandom(4096 * 2 - 100)
    info.path.write_bytes(bytes(data))


# -- what the dialog shows ------------------------------------------------------------------------------------
def test_the_dialog_shows_the_file_its_encryption_and_the_folder(dialog: BackupDialog, local: Local) -> None:
    assert dialog.database_label.text() == str(local.path)
    assert dialog.folder_label.text() == str(default_backup_dir(local.path))
    expected = "Krypteret" if local.passphrase else "IKKE krypteret"
    assert dialog.encryption_label.text().startswith(expected)
    assert dialog.table.rowCount() == 0 and "ingen sikkerhedskopier" in dialog.count_label.text()
    assert dialog.backup_button.isEnabled()
    assert not dialog.check_button.isEnabled() and not dialog.restore_button.isEnabled()  # nothing to select


def test_backups_are_listed_newest_first_with_the_before_upgrade_marker(
    qtbot,
    local: Local,
) -> None:
    from coordinator_app.storage.backup import backup_from_connection

    assert local.db.file is not None
    raw = local.db.engine.raw_connection()
    try:
        backup_from_connection(
            raw.driver_connection, local.db.file, default_backup_dir(local.path), now=OLD, before_upgrade=True
        )
    finally:
        raw.close()
    backup_now(local.db, now=datetime(2026, 11, 21, 9, 0))
    other = default_backup_dir(local.path) / "andet-2026-11-22_090000.db"  # another database's backup
    other.write_bytes((default_backup_dir(local.path) / "koordinator-2026-11-21_090000.db").read_bytes())
    dlg = open_backup_dialog(
        None, ServiceContext(database=local.db), passphrase=local.passphrase, on_restored=lambda _p: None
    )
    qtbot.addWidget(dlg)
    assert [cell(dlg, r, 0) for r in range(dlg.table.rowCount())] == [
        "21-11-2026 kl. 09:00:00",
        "20-11-2026 kl. 08:30:00",
    ]
    assert [cell(dlg, r, NOTE) for r in range(2)] == ["", "Før opdatering"]
    assert cell(dlg, 0, ENCRYPTED) == ("Ja" if local.passphrase else "Nej")
    assert dlg.selected() == dlg.backups[0]
    assert "2 sikkerhedskopier" in dlg.count_label.text()


# -- taking and checking a backup -----------------------------------------------------------------------------
def test_tag_sikkerhedskopi_nu_adds_a_checked_row_with_progress(
    qtbot,
    dialog: BackupDialog,
    local: Local,
) -> None:
    steps = take_via_button(qtbot, dialog)
    assert steps and steps[-1][0] == steps[-1][1] > 0  # the page-copy progress reached the end
    assert dialog.table.rowCount() == 1
    backup = dialog.backups[0]
    assert backup.path.parent == default_backup_dir(local.path) and backup.encrypted == bool(local.passphrase)
    assert cell(dialog, 0, CHECKED) == "I orden"
    assert "er taget" in dialog.status_label.text() and dialog.status_label.isVisibleTo(dialog)
    assert dialog.backup_button.isEnabled() and dialog.restore_button.isEnabled()


def test_kontroller_checks_the_selected_backup(qtbot, local: Local) -> None:
    backup_now(local.db)
    dlg = open_backup_dialog(
        None, ServiceContext(database=local.db), passphrase=local.passphrase, on_restored=lambda _p: None
    )
    qtbot.addWidget(dlg)
    assert cell(dlg, 0, CHECKED) == ""  # not checked yet in this dialog
    dlg.check_button.click()
    wait_idle(qtbot, dlg)
    assert cell(dlg, 0, CHECKED) == "I orden"
    assert "kontrolleret og i orden" in dlg.status_label.text()


def test_kontroller_finds_a_damaged_backup(qtbot, dialog: BackupDialog) -> None:
    take_via_button(qtbot, dialog)
    flip_bytes(dialog.backups[0])
    dialog.check_button.click()
    wait_idle(qtbot, dialog)
    assert cell(dialog, 0, CHECKED) == "BESKADIGET"
    said = dialog.status_label.text()
    assert "er beskadiget" in said and "Vælg en anden sikkerhedskopi" in said


def test_a_failing_backup_is_shown_in_danish(
    qtbot,
    local: Local,
    tmp_path: Path,
    shown: list[tuple[str, str]],
) -> None:
    blocked = tmp_path / "ikke-en-mappe"
    blocked.write_text("en fil, hvor mappen skulle være")
    dlg = open_backup_dialog(
        None,
        ServiceContext(database=local.db),
        passphrase=local.passphrase,
        on_restored=lambda _p: None,
        folder=blocked,
    )
    qtbot.addWidget(dlg)
    dlg.backup_button.click()
    wait_idle(qtbot, dlg)
    assert shown and shown[0][0] == "Sikkerhedskopien mislykkedes"
    assert "Sikkerhedskopien kunne ikke gemmes" in shown[0][1] and "Databasen selv er ikke ændret" in shown[0][1]
    assert dlg.table.rowCount() == 0


# -- restore --------------------------------------------------------------------------------------------------
def test_gendan_restores_an_older_backup_and_keeps_the_current_file(
    qtbot,
    local: Local,
    restored: list[Path],
    shown: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup_now(local.db, now=OLD)  # the older backup: before "efter kopien"
    local.db.set_meta("afsnit", "efter kopien")
    dlg = open_backup_dialog(
        None, ServiceContext(database=local.db), passphrase=local.passphrase, on_restored=restored.append
    )
    qtbot.addWidget(dlg)
    take_via_button(qtbot, dlg)  # a newer one, holding "efter kopien"
    assert dlg.table.rowCount() == 2
    dlg.select(dlg.backups[1].path)
    selected = dlg.selected()
    assert selected is not None and selected.created == OLD
    asked = answer_restore(monkeypatch, QMessageBox.StandardButton.Yes)
    started: list[bool] = []
    dlg.restore_started.connect(lambda: started.append(True))
    steps: list[tuple[int, int]] = []
    dlg.progress_changed.connect(lambda done, total: steps.append((done, total)))

    dlg.restore_button.click()
    wait_idle(qtbot, dlg)

    assert asked and "20-11-2026 kl. 08:30:00" in asked[0]
    assert "koordinator.db.before-restore" in asked[0] and "går tabt" in asked[0] and "lukker databasen" in asked[0]
    assert started and steps and steps[-1][0] == steps[-1][1]
    assert restored == [local.path]
    assert shown and shown[-1][0] == "Databasen er gendannet" and "before-restore" in shown[-1][1]
    assert dlg.result() == BackupDialog.DialogCode.Accepted and not dlg.isVisible()
    assert local.path.with_name("koordinator.db.before-restore").exists()
    assert local.reopen().get_meta("afsnit") == "før kopien"  # what was typed after the backup is gone
    kept = open_database(local.path.with_name("koordinator.db.before-restore"), passphrase=local.passphrase)
    try:
        assert kept.get_meta("afsnit") == "efter kopien"
    finally:
        kept.dispose()


def test_gendan_cancelled_changes_nothing(
    qtbot,
    dialog: BackupDialog,
    local: Local,
    restored: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    take_via_button(qtbot, dialog)
    local.db.set_meta("afsnit", "efter kopien")
    answer_restore(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog.restore_button.click()
    assert not dialog.busy and restored == [] and dialog.isVisible()
    assert not local.path.with_name("koordinator.db.before-restore").exists()
    assert local.db.get_meta("afsnit") == "efter kopien"


def test_a_damaged_backup_is_refused_and_the_database_is_untouched(
    qtbot,
    dialog: BackupDialog,
    local: Local,
    restored: list[Path],
    shown: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    take_via_button(qtbot, dialog)
    local.db.set_meta("afsnit", "efter kopien")
    flip_bytes(dialog.backups[0])
    answer_restore(monkeypatch, QMessageBox.StandardButton.Yes)
    local.db.dispose()
    before = local.path.read_bytes()

    dialog.restore_button.click()
    wait_idle(qtbot, dialog)

    assert restored == [] and dialog.isVisible()
    assert shown and shown[-1][0] == "Gendannelsen mislykkedes"
    assert "er beskadiget" in shown[-1][1] and "Databasen er ikke ændret" in shown[-1][1]
    assert "Koordinator arbejder videre" in dialog.status_label.text()
    assert cell(dialog, 0, CHECKED) == "BESKADIGET"
    assert local.path.read_bytes() == before
    assert not local.path.with_name("koordinator.db.before-restore").exists()
    assert local.db.get_meta("afsnit") == "efter kopien"  # the same Database object keeps working


def test_a_plain_backup_is_never_restored_into_an_encrypted_database(
    qtbot,
    encrypted_path: Path,
    sqlite_template: Path,
    tmp_path: Path,
    shown: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "demo").mkdir()
    shutil.copyfile(sqlite_template, tmp_path / "demo" / "koordinator.db")
    plain = open_database(tmp_path / "demo" / "koordinator.db")
    db = open_database(encrypted_path, passphrase=TEST_PASSPHRASE)
    try:
        info = backup_now(plain, default_backup_dir(encrypted_path))  # same folder, same file name stem
        restored: list[Path] = []
        dlg = open_backup_dialog(
            None, ServiceContext(database=db), passphrase=TEST_PASSPHRASE, on_restored=restored.append
        )
        qtbot.addWidget(dlg)
        dlg.select(info.path)
        asked = answer_restore(monkeypatch, QMessageBox.StandardButton.Yes)
        before = encrypted_path.read_bytes()
        dlg.restore_button.click()
        assert not dlg.busy and asked == [] and restored == []
        assert shown and "ikke krypteret" in shown[-1][1] and "Databasen er ikke ændret" in shown[-1][1]
        assert encrypted_path.read_bytes() == before
    finally:
        plain.dispose()
        db.dispose()


def test_a_damaged_database_opened_read_only_can_only_be_restored(
    qtbot,
    local: Local,
) -> None:
    backup_now(local.db)
    local.db.dispose()
    read_only = open_database(local.path, passphrase=local.passphrase, read_only=True)
    try:
        dlg = open_backup_dialog(
            None, ServiceContext(database=read_only), passphrase=local.passphrase, on_restored=lambda _p: None
        )
        qtbot.addWidget(dlg)
        assert dlg.read_only_label.isVisibleTo(dlg) and "kun til læsning" in dlg.read_only_label.text()
        assert not dlg.backup_button.isEnabled()
        assert dlg.check_button.isEnabled() and dlg.restore_button.isEnabled()
    finally:
        read_only.dispose()


def test_abn_mappe_opens_the_backup_folder(
    dialog: BackupDialog,
    local: Local,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    dialog.open_folder_button.click()
    assert opened == [str(default_backup_dir(local.path))] and default_backup_dir(local.path).is_dir()


# -- a shared database ----------------------------------------------------------------------------------------
class SharedDatabase:
    """What the dialog reads of a PostgreSQL ``Database`` (no file, no key)."""

    dialect = "postgresql"
    path = None
    file = None
    encrypted = False
    read_only = False
    kind = KIND_SHARED
    where = "db.region.local:5432/koordinator"

    def dispose(self) -> None:
        raise AssertionError("the shared database is never closed by the backup dialog")


def test_a_shared_postgresql_database_is_backed_up_by_it(qtbot) -> None:
    dlg = open_backup_dialog(
        None,
        ServiceContext(database=cast(Database, SharedDatabase())),
        passphrase=None,
        on_restored=lambda _p: pytest.fail("restored"),
    )
    qtbot.addWidget(dlg)
    assert "IT på serveren (pg_dump)" in dlg.info_label.text()
    assert dlg.database_label.text() == SharedDatabase.where
    for button in (dlg.backup_button, dlg.check_button, dlg.restore_button, dlg.open_folder_button):
        assert not button.isEnabled()
    assert dlg.close_button.isEnabled() and not dlg.table.isVisibleTo(dlg)
    dlg.take_backup()
    dlg.restore_selected()
    assert not dlg.busy
