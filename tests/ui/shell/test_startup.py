"""Start-up paths: a database that cannot be opened, the smoke test, the Qt None-refcount regression."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from coordinator_app.ui.shell import app as app_module


def test_a_database_that_cannot_be_opened_gives_a_clear_message(qtbot, tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database file at all" * 200)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text, *a, **k: shown.append((title, text)))
    code = app_module.run(app_module.LaunchOptions(database_url=str(broken), settings_path=str(tmp_path / "s.ini")))
    assert code == 2
    assert len(shown) == 1
    title, text = shown[0]
    assert "databasen kan ikke åbnes" in title
    assert "Intet er ændret" in text
    assert "Traceback" not in text
    assert broken.read_bytes().startswith(b"this is not a database")


def test_demo_is_refused_over_real_data(qtbot, tmp_path: Path, monkeypatch) -> None:
    from datetime import date

    from coordinator_app.domain.model import Admission, Kommune, Patient
    from coordinator_app.storage.database import open_database
    from coordinator_app.storage.repositories import AdmissionRepository, KommuneRepository, PatientRepository

    path = tmp_path / "real.db"
    db = open_database(f"sqlite:///{path}")
    with db.session() as s:
        KommuneRepository(s).upsert_many([Kommune("101", "København", "Hovedstaden")])
        p = PatientRepository(s).add(Patient(None, "0101709999", "Testa", "Fiktivsen"))
        assert p.id is not None
        AdmissionRepository(s).add(
            Admission(None, p.id, "Psykiatrisk Center København", "Afsnit 1", date(2026, 11, 1), "101")
        )
    db.dispose()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a, **k: shown.append(text))
    code = app_module.run(
        app_module.LaunchOptions(database_url=str(path), demo=True, settings_path=str(tmp_path / "s.ini"))
    )
    assert code == 2
    assert "rigtige patientdata" in shown[0]
    db = open_database(f"sqlite:///{path}")
    with db.session() as s:
        assert AdmissionRepository(s).count() == 1
    db.dispose()


@pytest.mark.slow
def test_smoke_command_exits_zero(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coordinator_app", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "røgtest ok" in result.stdout


def test_version_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "coordinator_app", "--version"], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.startswith("Koordinator ")


class _NoneModel(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 1

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None


def test_reading_none_through_a_model_does_not_leak_references(qapp) -> None:
    """PySide6 6.12.0 drops a None reference on each read and later aborts (pyproject.toml pins 6.11.3); 6.11.3
    does not."""
    model = _NoneModel()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(100_000):
        index.data(Qt.ItemDataRole.ToolTipRole)
    assert sys.getrefcount(None) >= before - 10


def test_pyside6s_feature_scan_no_longer_reads_every_later_modules_source() -> None:
    """``ui.common.pyside`` answers PySide6's per-module feature scan at once (see its docstring); the function it
    replaces must still exist in the pinned PySide6, and a module imported afterwards is not read as text."""
    probe = textwrap.dedent(
        """
        import inspect, sys
        reads = []
        original = inspect.getsource
        inspect.getsource = lambda obj: reads.append(getattr(obj, "__name__", obj)) or original(obj)
        import PySide6.QtCore
        import colorsys  # a module nothing has imported yet: PySide6's scan reads its source
        before = "colorsys" in reads
        from coordinator_app.ui.common import pyside
        import wave  # imported after the scan is switched off: not read
        print(pyside.SKIPPED, before, "wave" in reads)
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "False"]
