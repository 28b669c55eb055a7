"""``koordinator [--database URL] checkout --admission NR [--admission NR …] -o FIL`` (issue 19), run as a script
would: it logs in like ``pdf``/``backup``, takes the laptop file's passphrase from ``KOORDINATOR_PASSPHRASE``, and
answers in Danish with rc 0 (lent) or 2 (refused: nothing lent, no file)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from helpers.commands import run_koordinator
from helpers.ward import admit_in_glostrup, service_context

from coordinator_app.domain.access import Role
from coordinator_app.domain.offline import Loan
from coordinator_app.services import offline
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.users import UserService
from coordinator_app.storage.database import open_database

PASSWORD = "grøn hest på taget"
LAPTOP_PASSPHRASE = "Bærbar-tre-offline-2026"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, int, int]:
    """A real (not demo) plain database with two admissions and a user of each role that matters here."""
    path = tmp_path / "afsnit.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC))
    first = admit_in_glostrup(ctx)
    second = admit_in_glostrup(ctx, cpr="020290-9909", given_name="Anders", kommune="101")
    users = UserService(ctx, hasher=FAST)
    users.create_administrator("admin", "Anne Administrator", PASSWORD)
    users.create_user("mhansen", "Mette Hansen", Role.KOORDINATOR, PASSWORD)
    users.create_user("laeser", "Lise Læser", Role.LAESEADGANG, PASSWORD)
    db.dispose()
    return path, first.admission_id, second.admission_id


def checkout(
    path: Path, out: Path, *admissions: int, user: str = "mhansen", passphrase: str | None = LAPTOP_PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOORDINATOR_") or k == "KOORDINATOR_TEST"}
    env["KOORDINATOR_USER"], env["KOORDINATOR_PASSWORD"] = user, PASSWORD
    if passphrase is not None:
        env["KOORDINATOR_PASSPHRASE"] = passphrase
    numbers = [arg for a in admissions for arg in ("--admission", str(a))]
    return run_koordinator("--database", str(path), "checkout", *numbers, "-o", str(out), env=env)


def _loans_out(path: Path) -> list[Loan]:
    db = open_database(f"sqlite:///{path}")
    try:
        return offline.loans_out(ServiceContext(database=db))
    finally:
        db.dispose()


def test_checkout_lends_two_admissions_to_an_encrypted_file(ward: tuple[Path, int, int], tmp_path: Path) -> None:
    path, first, second = ward
    out = tmp_path / "baerbar3.kdb"
    result = checkout(path, out, first, second)
    assert result.returncode == 0, result.stderr
    assert f"Offline-kopi gemt: {out}" in result.stdout
    assert "2 indlæggelser udlånt til baerbar3.kdb af Mette Hansen (mhansen) siden " in result.stdout
    laptop = open_database(out, passphrase=LAPTOP_PASSPHRASE, must_exist=True)
    try:
        assert laptop.get_meta("offline_lent_by") == "Mette Hansen (mhansen)"
    finally:
        laptop.dispose()
    assert [sorted(loan.admission_ids) for loan in _loans_out(path)] == [sorted([first, second])]

    again = checkout(path, tmp_path / "igen.kdb", first)
    assert again.returncode == 2
    assert "er allerede udlånt til baerbar3.kdb" in again.stderr and "Traceback" not in again.stderr
    assert not (tmp_path / "igen.kdb").exists()


@pytest.mark.parametrize(
    ("user", "passphrase", "admission", "said"),
    [
        pytest.param(
            "laeser", LAPTOP_PASSPHRASE, 0, "Din rolle (Læseadgang) må ikke tage sager med offline", id="role"
        ),
        pytest.param("mhansen", None, 0, "Offline-kopien skal have en adgangskode", id="no-passphrase"),
        pytest.param("mhansen", "kort", 0, "KOORDINATOR_PASSPHRASE: ", id="short-passphrase"),
        pytest.param("mhansen", LAPTOP_PASSPHRASE, 999, "Indlæggelse nr. 999 findes ikke", id="no-such-admission"),
    ],
)
def test_checkout_refuses_in_danish_and_lends_nothing(
    ward: tuple[Path, int, int], tmp_path: Path, user: str, passphrase: str | None, admission: int, said: str
) -> None:
    path, first, _second = ward
    out = tmp_path / "baerbar.kdb"
    result = checkout(path, out, admission or first, user=user, passphrase=passphrase)
    assert result.returncode == 2
    assert said in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    assert _loans_out(path) == []
