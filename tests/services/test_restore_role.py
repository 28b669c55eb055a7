"""A restore is an administrator's act (issue 18): ``backups.restore`` needs ``Permission.RESTORE``, refuses every
other role in Danish before anything is touched, and leaves an audit line in the restored database naming the backup
and where the previous database went. ``restore_unopened`` (a missing or damaged database) asks the backup's own
users; a shared PostgreSQL database is left to IT."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from coordinator_app.domain.access import ROLE_LABELS, Principal, Role
from coordinator_app.domain.audit import AuditAction, AuditEntry
from coordinator_app.domain.errors import AccessDeniedError, StorageError
from coordinator_app.services import backups
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.users import UserService
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import Database, open_database

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "korrekt hest batteri 7"


def signed_in(db: Database, role: Role) -> ServiceContext:
    principal = Principal(username=f"test.{role.value}", role=role, full_name=f"Test {ROLE_LABELS[role]}")
    return ServiceContext(database=db, principal=principal)


def log(path: Path) -> list[AuditEntry]:
    db = open_database(path, migrate=False)
    try:
        with db.session() as session:
            return AuditRepository(session).all()
    finally:
        db.dispose()


@pytest.fixture
def local(sqlite_url: str, tmp_path: Path) -> tuple[Path, Path]:
    """The database (one marker in app_meta) and a backup of it; the marker then changed in the database."""
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    db = open_database(path)
    db.set_meta("markør", "i kopien")
    backup = backups.take_backup(ServiceContext(database=db), tmp_path / "kopier").path
    db.set_meta("markør", "efter kopien")
    db.dispose()
    return path, backup


@pytest.mark.parametrize("role", [Role.LAESEADGANG, Role.MOEDELEDER, Role.KOORDINATOR])
def test_only_an_administrator_restores_and_nothing_is_touched_before(local: tuple[Path, Path], role: Role) -> None:
    path, backup = local
    before = path.read_bytes()
    entries = log(path)
    db = open_database(path, migrate=False)
    try:
        with pytest.raises(AccessDeniedError) as caught:
            backups.restore(signed_in(db, role), backup)
        assert caught.value.message == (
            f"Din rolle ({ROLE_LABELS[role]}) må ikke gendanne databasen fra en sikkerhedskopi. "
            "Kontakt afsnittets administrator."
        )
        assert db.get_meta("markør") == "efter kopien"  # still open and usable
    finally:
        db.dispose()
    assert path.read_bytes() == before and log(path) == entries
    assert not list(path.parent.glob("*before-restore*")) and not list(path.parent.glob("*restore-tmp*"))


def test_an_administrators_restore_is_logged_in_the_restored_database(local: tuple[Path, Path]) -> None:
    path, backup = local
    db = open_database(path, migrate=False)
    info = backups.restore(signed_in(db, Role.ADMINISTRATOR), backup)
    previous = path.with_name("koordinator.db.before-restore")
    assert info.previous == previous
    restored = open_database(path, migrate=False)
    try:
        assert restored.get_meta("markør") == "i kopien"
    finally:
        restored.dispose()
    line = log(path)[-1]
    assert (line.action, line.user) == (AuditAction.RET, "Test Administrator (test.administrator)")
    assert line.what == (
        f"Databasen gendannet fra sikkerhedskopien {backup}; den tidligere database er gemt som {previous}"
    )
    assert all("gendannet" not in e.what for e in log(previous))


def test_a_damaged_database_is_restored_by_an_administrator_of_the_backup(local: tuple[Path, Path]) -> None:
    path, backup = local
    db = open_database(backup, migrate=False)  # the backup's own users (a copy: the backup itself is not written)
    users = UserService(ServiceContext(database=db), hasher=FAST)
    users.create_user("ada", "Ada Admin", Role.ADMINISTRATOR, PASSWORD)
    users.create_user("kim", "Kim Koordinator", Role.KOORDINATOR, PASSWORD)
    db.dispose()
    backup_bytes = backup.read_bytes()
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)  # the schema page: nobody logs in to this one
    path.write_bytes(bytes(data))

    def as_user(name: str) -> Callable[[Database], ServiceContext]:
        def login(staged: Database) -> ServiceContext:
            user = UserService(ServiceContext(database=staged)).authenticate(name, PASSWORD)
            return ServiceContext(database=staged, principal=user.principal)

        return login

    with pytest.raises(AccessDeniedError):
        backups.restore_unopened(path, backup, login=as_user("kim"))
    assert path.read_bytes() == bytes(data) and not list(path.parent.glob("*before-restore*"))
    info = backups.restore_unopened(path, backup, login=as_user("ada"))
    assert info.previous is not None and info.previous.read_bytes() == bytes(data)
    assert backup.read_bytes() == backup_bytes  # the login was checked on the copy
    line = log(path)[-1]
    assert line.user == "Ada Admin (ada)" and line.what.startswith("Databasen gendannet fra sikkerhedskopien")


def test_a_shared_database_is_restored_by_it_with_pg_restore() -> None:
    with pytest.raises(StorageError, match="pg_restore"):
        backups.restore_target("postgresql+psycopg://app@127.0.0.1:1/x")
