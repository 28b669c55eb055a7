"""Roles govern every way out on the command line (issue 18): ``pdf … -o`` and ``backup`` log in, a role without the
right is refused in Danish before anything is written (exit status 2, no file, no export line), and an allowed
export is one audit line that says export and names its file — not a view ("… åbnet").

Before, a læseadgang user's ``pdf udskrivningsaftale -o`` was reported to write the PDF, and ``backup`` needed no
login at all."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from helpers.commands import run_koordinator
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte

from coordinator_app.domain.access import Role
from coordinator_app.domain.audit import AuditAction, AuditEntry
from coordinator_app.services.users import UserService
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import open_database

PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
READER_REFUSED_PDF = "Din rolle (Læseadgang) må ikke skrive dokumenter ud eller gemme dem som fil."


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, int]:
    """A real (not demo) database with one sent varsling and a user of each role; the admission's number."""
    path = tmp_path / "afsnit.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    created = admit_in_glostrup(ctx)
    varsle_gentofte(ctx, created)
    users = UserService(ctx, hasher=FAST)
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    users.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    users.create_user("laeser", "Lise Læser", Role.LAESEADGANG, PASSWORD)
    db.dispose()
    return path, created.admission_id


def koordinator(*args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run as a script would: no terminal, only the credentials given here (every user has ``PASSWORD``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_") or k == "KOORDINATOR_TEST"}
    if user is not None:
        env["KOORDINATOR_USER"], env["KOORDINATOR_PASSWORD"] = user, PASSWORD
    env["KOORDINATOR_EXPORT_PASSWORD"] = "Eksport-2026-test"
    return run_koordinator(*args, env=env)


def audit_log(path: Path) -> list[AuditEntry]:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            return AuditRepository(session).all()
    finally:
        db.dispose()


def exports(path: Path) -> list[AuditEntry]:
    return [e for e in audit_log(path) if e.action is AuditAction.EKSPORT]


@pytest.mark.parametrize("document", ["varslingsblanket", "udskrivningsaftale", "koordinationsplan"])
def test_laeseadgang_cannot_write_a_pdf(ward: tuple[Path, int], tmp_path: Path, document: str) -> None:
    path, admission_id = ward
    out = tmp_path / "dokument.pdf"
    before = len(audit_log(path))
    result = koordinator(
        "--database", str(path), "pdf", document, "--admission", str(admission_id), "-o", str(out), user="laeser"
    )
    assert result.returncode == 2
    assert READER_REFUSED_PDF in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and list(tmp_path.glob("*.pdf")) == []
    after = audit_log(path)[before:]
    assert [(e.action, e.what) for e in after] == [(AuditAction.LOGIN, "Logget ind")]  # nothing issued or exported


def test_an_allowed_pdf_is_one_export_line_naming_its_file(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, admission_id = ward
    out = tmp_path / "blanket.pdf"
    result = koordinator(
        "--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id), "-o", str(out),
        user="mhansen",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    (line,) = exports(path)
    assert line.user == "Mette Hansen (mhansen)"
    assert line.what.endswith(f") eksporteret, fil: {out}") and "åbnet" not in line.what


def test_backup_needs_a_login(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = ward
    result = koordinator("--database", str(path), "backup", "--to", str(tmp_path / "kopier"))
    assert result.returncode == 2
    assert "Databasen kræver login" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "kopier").exists() or list((tmp_path / "kopier").iterdir()) == []


@pytest.mark.parametrize(("user", "label"), [("laeser", "Læseadgang"), ("mhansen", "Koordinator")])
def test_backup_is_the_administrators(ward: tuple[Path, int], tmp_path: Path, user: str, label: str) -> None:
    path, _ = ward
    folder = tmp_path / "kopier"
    folder.mkdir()
    result = koordinator("--database", str(path), "backup", "--to", str(folder), user=user)
    assert result.returncode == 2
    assert f"Din rolle ({label}) må ikke tage sikkerhedskopier af databasen." in result.stderr
    assert list(folder.iterdir()) == []
    assert exports(path) == []


def test_an_administrators_backup_is_one_export_line_naming_its_file(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, _ = ward
    folder = tmp_path / "kopier"
    folder.mkdir()
    result = koordinator("--database", str(path), "backup", "--to", str(folder), user="admin")
    assert result.returncode == 0, result.stderr
    (backup,) = folder.iterdir()
    (line,) = exports(path)
    assert (line.user, line.what) == ("Anne Administrator (admin)", f"Sikkerhedskopi af databasen taget, fil: {backup}")
