"""Headless commands log in (issue 8): against a real database with users, ``pdf`` and ``audit`` need
KOORDINATOR_USER/KOORDINATOR_PASSWORD (or a terminal to ask on) and refuse in Danish without them (exit status 2);
the role counts as in the window; a demo database needs no login."""

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
from coordinator_app.services.users import UserService
from coordinator_app.services.ward import DEMO_META_KEY
from coordinator_app.storage.audit_repository import AuditRepository
from coordinator_app.storage.database import open_database

PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def make_ward(path: Path, *, demo: bool = False) -> int:
    """A database with one sent varsling, an administrator and a koordinator; the admission's number."""
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    created = admit_in_glostrup(ctx)
    varsle_gentofte(ctx, created)
    users = UserService(ctx, hasher=FAST)
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    users.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    if demo:
        db.set_meta(DEMO_META_KEY, "1")
    db.dispose()
    return created.admission_id


def koordinator(*args: str, user: str | None = None, password: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run as a script would: no terminal on stdin, only the credentials given here."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_") or k == "KOORDINATOR_TEST"}
    if user is not None:
        env["KOORDINATOR_USER"] = user
    if password is not None:
        env["KOORDINATOR_PASSWORD"] = password
    env["KOORDINATOR_EXPORT_PASSWORD"] = "Eksport-2026-test"  # issue 8: exported PDFs are encrypted
    return run_koordinator(*args, env=env)


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "afsnit.db"
    return path, make_ward(path)


def test_pdf_against_a_real_database_without_credentials_is_refused_in_danish(ward, tmp_path: Path) -> None:
    path, admission_id = ward
    out = tmp_path / "blanket.pdf"
    result = koordinator("--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id),
                         "-o", str(out))  # fmt: skip
    assert result.returncode == 2
    assert "Databasen kræver login" in result.stderr
    assert "KOORDINATOR_USER og KOORDINATOR_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_pdf_with_a_wrong_password_is_refused_without_saying_which_was_wrong(ward, tmp_path: Path) -> None:
    path, admission_id = ward
    out = tmp_path / "blanket.pdf"
    result = koordinator("--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id),
                         "-o", str(out), user="mhansen", password="forkert adgangskode")  # fmt: skip
    assert result.returncode == 2
    assert "Forkert brugernavn eller adgangskode" in result.stderr and not out.exists()


def test_pdf_with_credentials_issues_the_form_in_the_users_name(ward, tmp_path: Path) -> None:
    path, admission_id = ward
    out = tmp_path / "blanket.pdf"
    result = koordinator("--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission_id),
                         "-o", str(out), user="MHansen", password=PASSWORD)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            users = [e.user for e in AuditRepository(session).all()]
        assert users[-3:] == ["Mette Hansen (mhansen)"] * 3  # logged in, issued, saved as a file
    finally:
        db.dispose()


def test_audit_needs_an_administrator(ward) -> None:
    path, _ = ward
    refused = koordinator("--database", str(path), "audit", "verify", user="mhansen", password=PASSWORD)
    assert refused.returncode == 2
    assert "Din rolle (Koordinator) må ikke se eller eksportere revisionsloggen" in refused.stderr
    allowed = koordinator("--database", str(path), "audit", "verify", user="admin", password=PASSWORD)
    assert allowed.returncode == 0, allowed.stderr
    assert "Revisionsloggen er intakt" in allowed.stdout


def test_a_demo_database_needs_no_login(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    make_ward(path, demo=True)
    result = koordinator("--database", str(path), "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "Revisionsloggen er intakt" in result.stdout
