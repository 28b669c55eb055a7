"""`koordinator [--database URL] audit verify` and `audit export --patient NR -o FIL`, run as an administrator would
(issue 8): exit status 0 only while the chain is intact; a tampered line is named."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pyzipper
from helpers.commands import run_koordinator
from helpers.tamper import tamper as tamper_as_owner
from helpers.ward import admit_in_glostrup, service_context, varsle_gentofte

from coordinator_app.storage.database import open_database


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, int]:
    """A database with one patient whose consent and varsling wrote a few audit lines; the patient's id."""
    path = tmp_path / "ward.db"
    db = open_database(f"sqlite:///{path}")
    ctx = service_context(db, now=datetime(2026, 11, 23, 9, tzinfo=UTC), user="koordinator")
    created = admit_in_glostrup(ctx)
    varsle_gentofte(ctx, created)
    db.dispose()
    return path, created.patient_id


#: A synthetic export password (issue 8: the patient's log leaves the database only inside an AES zip).
EXPORT_PASSWORD = "Indsigt-2026-test"


def koordinator(*args: str) -> subprocess.CompletedProcess[str]:
    return run_koordinator(*args, env={**os.environ, "KOORDINATOR_EXPORT_PASSWORD": EXPORT_PASSWORD})


def tamper(path: Path, sql: str) -> None:
    """Raw SQL as the database's owner, past its triggers (issue 18)."""
    tamper_as_owner(f"sqlite:///{path}", sql)


def test_verify_says_intact_then_names_the_tampered_line(ward: tuple[Path, int]) -> None:
    path, _ = ward
    intact = koordinator("--database", str(path), "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    end, first, newest, archive = intact.stdout.splitlines()
    assert end.startswith("Revisionsloggens ende før dette login: linje ")  # issue 18: read before anything is logged
    assert first.startswith("Revisionsloggen er intakt (") and first.endswith(" linjer).")
    assert newest.startswith("Seneste linjes kontrolsum: ") and len(newest.split()[3]) == 64
    assert archive == "Arkivet er intakt: 1 dokument stemmer med kontrolsummen i revisionsloggen."  # the varsling's

    tamper(path, "UPDATE audit_log SET what = 'Ingenting at se her' WHERE seq = 2")
    broken = koordinator("--database", str(path), "audit", "verify")
    assert broken.returncode == 1
    assert broken.stdout.splitlines()[1:] == ["Revisionsloggen er ikke intakt: Linje 2 er ændret."]


def test_verify_names_a_deleted_line(ward: tuple[Path, int]) -> None:
    path, _ = ward
    tamper(path, "DELETE FROM audit_log WHERE seq = 1")
    broken = koordinator("--database", str(path), "audit", "verify")
    assert (broken.returncode, broken.stdout.splitlines()[1:]) == (
        1,
        ["Revisionsloggen er ikke intakt: Linje 1 mangler (hul i rækkefølgen)."],
    )


def test_export_writes_the_patients_log_as_csv_in_an_encrypted_zip(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, patient_id = ward
    output = tmp_path / "indsigt.zip"
    result = koordinator("--database", str(path), "audit", "export", "--patient", str(patient_id), "-o", str(output))
    assert result.returncode == 0, result.stderr
    with pyzipper.AESZipFile(output) as zf:
        zf.setpassword(EXPORT_PASSWORD.encode())
        (name,) = zf.namelist()
        plain = zf.read(name)
    rows = list(csv.reader(io.StringIO(plain.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Linje", "Tidspunkt", "Bruger", "Handling"]
    assert {r[4] for r in rows[1:]} == {str(patient_id)}
    assert rows[-1][6] == f"Revisionslog for patienten eksporteret, fil: {output}"  # an export, naming its file
    assert result.stdout.strip().startswith(
        f"Revisionsloggen for patient nr. {patient_id}: {len(rows) - 1} linjer gemt krypteret i {output}"
    )
    assert "010190" not in plain.decode("utf-8-sig")  # never the CPR number
    assert koordinator("--database", str(path), "audit", "verify").returncode == 0  # the export is a line too


def test_export_to_a_missing_folder_is_explained_in_danish(ward: tuple[Path, int], tmp_path: Path) -> None:
    path, patient_id = ward
    output = tmp_path / "findes-ikke" / "indsigt.zip"
    result = koordinator("--database", str(path), "audit", "export", "--patient", str(patient_id), "-o", str(output))
    assert result.returncode == 2
    # issue 18: refused before a password is asked or an export line logged, not when the write fails
    assert result.stderr.startswith(f"Mappen {output.parent} findes ikke") and "Intet er gemt" in result.stderr
