"""The frozen bundle on its own: starts, creates and reopens an encrypted database, issues a PDF.

Each is a path where PyInstaller can silently leave something out: the Qt platform plugin (--smoke), the SQLCipher
extension and the Alembic migrations read as files (the encrypted database), reportlab and resources/fonts (the PDF).
"""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

import pypdf
import pytest
from bundle_helpers import ROOT, SMOKE_LINE, Artefacts, run_frozen
from packaging.utils import canonicalize_name

import coordinator_app

# Runs the built bundle (and builds it first when it is missing or stale): `-m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

PASSPHRASE = "Hemmelig-kode-1"


@pytest.fixture(scope="module")
def demo_database(artefacts: Artefacts, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``koordinator --smoke --demo`` into a file: the smoke run IT does after installing, kept for the PDF test."""
    folder = tmp_path_factory.mktemp("frozen-demo")
    path = folder / "demo.db"
    result = run_frozen(artefacts.executable, "--smoke", "--demo", "--database", str(path), home=folder / "home")
    assert result.returncode == 0, result.stderr[-3000:]
    return path, result.stdout


def test_the_bundle_starts_without_python_and_passes_its_smoke_test(demo_database: tuple[Path, str]) -> None:
    _path, stdout = demo_database
    assert SMOKE_LINE in stdout
    assert "indlæggelser i listen (sqlite)" in stdout


def test_the_bundle_creates_and_reopens_an_encrypted_database(artefacts: Artefacts, tmp_path: Path) -> None:
    path = tmp_path / "afdeling.db"
    home = tmp_path / "home"
    created = run_frozen(
        artefacts.executable, "--smoke", "--database", str(path), home=home, KOORDINATOR_PASSPHRASE=PASSPHRASE
    )
    assert created.returncode == 0, created.stderr[-3000:]
    assert "røgtest ok, 0 indlæggelser" in created.stdout
    assert not path.read_bytes().startswith(b"SQLite format 3"), "databasen blev ikke krypteret"

    reopened = run_frozen(
        artefacts.executable, "--database", str(path), "check", home=home, KOORDINATOR_PASSPHRASE=PASSPHRASE
    )
    assert reopened.returncode == 0, reopened.stderr
    assert "er i orden" in reopened.stdout

    wrong = run_frozen(artefacts.executable, "--database", str(path), "check", home=home, KOORDINATOR_PASSPHRASE="x")
    assert wrong.returncode == 2
    assert "Forkert adgangskode" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_the_bundle_issues_a_varslingsblanket_with_the_shipped_fonts(
    artefacts: Artefacts, demo_database: tuple[Path, str], tmp_path: Path
) -> None:
    path, _ = demo_database
    with closing(sqlite3.connect(path)) as connection:
        (admission,) = connection.execute(
            "SELECT admission_id FROM events WHERE kind = 'varsling' ORDER BY id LIMIT 1"
        ).fetchone()
    out = tmp_path / "blanket.pdf"
    result = run_frozen(
        artefacts.executable,
        *("--database", str(path), "pdf", "varslingsblanket", "--admission", str(admission), "-o", str(out)),
        home=tmp_path / "home",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reader = pypdf.PdfReader(out)
    assert "Blanket til orientering, varsling og færdigmelding" in reader.pages[0].extract_text()
    resources: Any = reader.pages[0]["/Resources"]  # pypdf types every value as a bare PdfObject
    fonts = {str(font.get_object()["/BaseFont"]) for font in resources["/Font"].values()}
    assert fonts and all(font.split("+")[-1].startswith("DejaVuSans") for font in fonts), fonts


def test_the_bundle_knows_every_bundled_librarys_version(artefacts: Artefacts) -> None:
    """The About dialog asks importlib.metadata; frozen, it finds the metadata copied into _internal/."""
    frozen = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in distributions(path=[str(artefacts.bundle / "_internal")])
    }
    installed = {canonicalize_name(dist.metadata["Name"]) for dist in distributions()}  # the venv's
    with (ROOT / "resources" / "licenser" / "biblioteker.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    # The table also lists what is not a Python distribution (Python, Qt, SQLCipher, DejaVu): no metadata to find.
    listed = {canonicalize_name(r["navn"]): r["version"] for r in rows if canonicalize_name(r["navn"]) in installed}
    assert len(listed) > 20, "biblioteker.csv nævner næsten ingen Python-biblioteker"
    wrong = {name: (version, frozen.get(name)) for name, version in listed.items() if frozen.get(name) != version}
    assert not wrong, f"bibliotek: (version i biblioteker.csv, version i pakken): {wrong}"
    assert frozen[canonicalize_name("koordinator")] == coordinator_app.__version__
