"""A backup is a way out of the program (issue 18): ``backups.take_backup`` needs ``Permission.BACKUP`` (the
administrator's), refuses every other role in Danish before anything is written, and logs an allowed backup as one
export line naming its file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coordinator_app.domain.access import ROLE_LABELS, Principal, Role
from coordinator_app.domain.audit import AuditAction, AuditEntry
from coordinator_app.domain.errors import AccessDeniedError
from coordinator_app.services.backups import take_backup
from coordinator_app.services.context import ServiceContext
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import Database, open_database


@pytest.fixture
def local(sqlite_url: str) -> Iterator[Database]:
    db = open_database(sqlite_url)
    yield db
    db.dispose()


def signed_in(db: Database, role: Role) -> ServiceContext:
    principal = Principal(username=f"test.{role.value}", role=role, full_name=f"Test {ROLE_LABELS[role]}")
    return ServiceContext(database=db, principal=principal)


def log(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return AuditRepository(session).all()


@pytest.mark.parametrize("role", [Role.LAESEADGANG, Role.MOEDELEDER, Role.KOORDINATOR])
def test_only_an_administrator_takes_a_backup(local: Database, tmp_path: Path, role: Role) -> None:
    folder = tmp_path / "kopier"
    with pytest.raises(AccessDeniedError) as caught:
        take_backup(signed_in(local, role), folder)
    assert caught.value.message == (
        f"Din rolle ({ROLE_LABELS[role]}) må ikke tage sikkerhedskopier af databasen. Kontakt afsnittets administrator."
    )
    assert not folder.exists()  # nothing written, not even the folder
    assert log(local) == []


def test_an_administrators_backup_is_logged_as_an_export_naming_its_file(local: Database, tmp_path: Path) -> None:
    info = take_backup(signed_in(local, Role.ADMINISTRATOR), tmp_path / "kopier")
    assert info.path.parent == tmp_path / "kopier" and info.path.exists()
    (line,) = log(local)
    assert (line.action, line.user) == (AuditAction.EKSPORT, "Test Administrator (test.administrator)")
    assert line.what == f"Sikkerhedskopi af databasen taget, fil: {info.path}"
