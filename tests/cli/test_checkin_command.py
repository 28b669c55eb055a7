"""``koordinator [--database URL] checkin FIL`` (issue 19), run as a script would: it logs in like ``checkout``, takes
the laptop file's passphrase from ``KOORDINATOR_PASSPHRASE``, and answers in Danish with rc 0 (merged, or handed in
already), 3 (conflicts side by side, nothing applied, decided in the program) or 2 (refused)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from helpers.commands import run_koordinator
from helpers.offline import CONTACT, PASSPHRASE, Lent, as_user, laptop_file, lend_a_case
from helpers.ward import service_context
from sqlalchemy import select

from coordinator_app.domain.access import Role
from coordinator_app.services import offline
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.contacts import ContactService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.users import UserService
from coordinator_app.storage.database import open_database
from coordinator_app.storage.orm import Base

PASSWORD = "grøn hest på taget"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _phone(ctx: ServiceContext, lent: Lent, phone: str) -> None:
    contacts = ContactService(ctx)
    current = contacts.get(lent.contact.id or 0)
    contacts.update(current.id or 0, dataclasses.replace(CONTACT, phone=phone), current.version or 0)


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, Lent]:
    """A real (not demo) plain ward database with users, Testa Fiktivsen's admission lent to a laptop file, and a note
    and a Kontaktbog edit made on the laptop."""
    path = tmp_path / "afsnit.db"
    db = open_database(f"sqlite:///{path}")
    try:
        ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC), user="mhansen")
        lent = lend_a_case(ctx, tmp_path)
        users = UserService(ctx, hasher=FAST)
        users.create_administrator("admin", "Anne Administrator", PASSWORD)
        users.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
        users.create_user("laeser", "Lise Læser", Role.LAESEADGANG, PASSWORD)
        with laptop_file(lent.path) as laptop:
            mette = as_user(ctx, laptop, "mhansen")
            AdmissionService(mette).add_note(lent.admitted.admission_id, "Notat fra bærbaren")
            _phone(mette, lent, "99 88 77 66")
    finally:
        db.dispose()
    return path, lent


def checkin(
    path: Path, file: Path, *, user: str = "mhansen", passphrase: str | None = PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_") or k == "KOORDINATOR_TEST"}
    env["KOORDINATOR_USER"], env["KOORDINATOR_PASSWORD"] = user, PASSWORD
    if passphrase is not None:
        env["KOORDINATOR_PASSPHRASE"] = passphrase
    return run_koordinator("--database", str(path), "checkin", str(file), env=env)


def _cases(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            return {
                t.name: [tuple(r) for r in session.execute(select(t))]
                for t in Base.metadata.sorted_tables
                if t.name not in ("audit_log", "audit_head", "users")
            }
    finally:
        db.dispose()


def _out(path: Path, lent: Lent) -> bool:
    db = open_database(f"sqlite:///{path}")
    try:
        return offline.loan_of(ServiceContext(database=db), lent.admitted.patient_id) is not None
    finally:
        db.dispose()


def test_checkin_merges_and_a_second_run_does_nothing(ward: tuple[Path, Lent]) -> None:
    path, lent = ward
    result = checkin(path, lent.path)
    assert result.returncode == 0, result.stderr
    assert "Offline-kopien fra Bærbar 3 er afleveret" in result.stdout
    assert "1 række oprettet, 1 rettet" in result.stdout and not _out(path, lent)
    again = checkin(path, lent.path)
    assert again.returncode == 0, again.stderr
    assert "Offline-kopien fra Bærbar 3 er allerede afleveret; intet er gjort." in again.stdout


def test_conflicts_are_shown_side_by_side_and_nothing_is_applied(ward: tuple[Path, Lent]) -> None:
    path, lent = ward
    db = open_database(f"sqlite:///{path}")
    try:  # the ward edits the shared Kontaktbog meanwhile (as the administrator: the database has users now)
        _phone(as_user(service_context(db, reference_data=False), db, "admin", Role.ADMINISTRATOR), lent, "55 55 55 55")
    finally:
        db.dispose()
    before = _cases(path)
    result = checkin(path, lent.path)
    assert result.returncode == 3, result.stderr
    assert "Kontaktbog: Aarhus Kommune, telefon" in result.stdout
    assert "afsnittet: «55 55 55 55» (ukendt, 23-11-2026 10.00)" in result.stdout
    assert "bærbaren:  «99 88 77 66» (Mhansen (mhansen)" in result.stdout
    assert "Funktioner → «Aflever offline-kopi…»" in result.stdout and "Intet er afleveret" in result.stdout
    assert _out(path, lent) and _cases(path) == before  # the login's audit line is all that was written


@pytest.mark.parametrize(
    ("user", "passphrase", "said"),
    [
        ("mhansen", "forkert-adgangskode", "adgangskode"),
        ("laeser", PASSPHRASE, "Læseadgang"),
        ("mhansen", None, "KOORDINATOR_PASSPHRASE"),
    ],
)
def test_checkin_refusals_are_danish_with_rc_2_and_touch_nothing(
    ward: tuple[Path, Lent], user: str, passphrase: str | None, said: str
) -> None:
    path, lent = ward
    result = checkin(path, lent.path, user=user, passphrase=passphrase)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert said.lower() in result.stderr.lower(), result.stderr
    assert _out(path, lent)
