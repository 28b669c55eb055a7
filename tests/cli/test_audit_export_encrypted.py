"""`koordinator audit export` writes one patient's log encrypted (issue 8): a zip with AES-256 that opens only with
the password from KOORDINATOR_EXPORT_PASSWORD (or typed in a terminal); without a password nothing is written and
nothing is logged as exported; a demo database writes the plain CSV and says so. The lines name the logged-in user."""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pyzipper
from helpers.commands import run_koordinator
from helpers.ward import admit_in_glostrup, service_context

from coordinator_app.cli.audit import EXPORT_PASSWORD_ENV, run_audit
from coordinator_app.domain.access import Principal, Role
from coordinator_app.services.audit import AuditService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.ward import DEMO_META_KEY
from coordinator_app.storage.database import open_database

PASSWORD = "Indsigt-2026-ærø"
MOMENT = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "ward.db"
    db = open_database(f"sqlite:///{path}")
    created = admit_in_glostrup(service_context(db, now=MOMENT, user="koordinator"))
    db.dispose()
    return path, created.patient_id


def export(path: Path, patient_id: int, output: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != EXPORT_PASSWORD_ENV} | env
    return run_koordinator(
        "--database", str(path), "audit", "export", "--patient", str(patient_id), "-o", str(output), env=environment
    )


def exported_lines(path: Path, patient_id: int) -> list[str]:
    db = open_database(f"sqlite:///{path}")
    try:
        entries = AuditService(ServiceContext(database=db)).patient_log(patient_id)
    finally:
        db.dispose()
    return [e.what for e in entries if "eksporteret" in e.what]


def test_the_export_is_an_aes_zip_that_needs_the_password(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, patient_id = ward
    result = export(path, patient_id, tmp_path / "indsigt.csv", **{EXPORT_PASSWORD_ENV: PASSWORD})
    assert result.returncode == 0, result.stderr
    output = tmp_path / "indsigt.zip"  # a zip is not called .csv
    assert not (tmp_path / "indsigt.csv").exists()
    assert "krypteret" in result.stdout and "anden vej" in result.stdout
    with pyzipper.AESZipFile(output) as zf:
        (name,) = zf.namelist()
        with pytest.raises(RuntimeError):
            zf.read(name)
        zf.setpassword(PASSWORD.encode())
        rows = list(csv.reader(io.StringIO(zf.read(name).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Linje", "Tidspunkt", "Bruger", "Handling"]
    assert rows[-1][6] == f"Revisionslog for patienten eksporteret, fil: {output}"


def test_without_a_password_nothing_is_written_or_logged(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, patient_id = ward
    result = export(path, patient_id, tmp_path / "indsigt.csv")
    assert result.returncode == 2
    assert EXPORT_PASSWORD_ENV in result.stderr and "Intet er gemt" in result.stderr
    short = export(path, patient_id, tmp_path / "indsigt.csv", **{EXPORT_PASSWORD_ENV: "kort"})
    assert short.returncode == 2 and "mindst 8 tegn" in short.stderr
    assert not list(tmp_path.glob("indsigt*"))
    assert exported_lines(path, patient_id) == []


def test_a_demo_database_writes_the_plain_csv_and_says_demo(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, patient_id = ward
    db = open_database(f"sqlite:///{path}")
    db.set_meta(DEMO_META_KEY, "1")
    db.dispose()
    result = export(path, patient_id, tmp_path / "indsigt.csv")
    assert result.returncode == 0, result.stderr
    assert "demo – ikke krypteret" in result.stdout
    assert (tmp_path / "indsigt.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_lines_name_the_logged_in_user_not_the_os_account(
    ward: tuple[Path, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, patient_id = ward
    db = open_database(f"sqlite:///{path}")
    admin = Principal(username="mhansen", full_name="Mette Hansen", role=Role.ADMINISTRATOR)
    ctx = ServiceContext(database=db, clock=fixed_clock(MOMENT), principal=admin)
    args = argparse.Namespace(
        database=None, audit_command="export", patient=patient_id, output=str(tmp_path / "indsigt.zip")
    )
    monkeypatch.setenv(EXPORT_PASSWORD_ENV, PASSWORD)
    assert run_audit(args, lambda _url: (db, ctx)) == 0  # the opener hands over the logged-in administrator
    check = open_database(f"sqlite:///{path}")
    try:
        (line,) = [
            e for e in AuditService(ServiceContext(database=check)).patient_log(patient_id) if e.action == "eksport"
        ]
    finally:
        check.dispose()
    assert line.user == "Mette Hansen (mhansen)"
