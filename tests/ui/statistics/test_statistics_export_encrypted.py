"""Statistik exports are encrypted (issue 8): the sheet behind the figures lists admission ids (personal data), so
outside a demo database XLSX is written as Excel encrypts it and CSV inside an AES zip, both with the password the
user typed twice; a demo database's export stays plain and says so."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import msoffcrypto
import pytest
import pyzipper
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from coordinator_app.documents.statistics_export import SHEET_FIGURES, SHEET_IDS
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.exports import ExportService
from coordinator_app.services.statistics import StatisticsService
from coordinator_app.services.ward import DEMO_META_KEY
from coordinator_app.ui.common.export_password import ExportPasswordDialog
from coordinator_app.ui.statistics.statistics_tab import StatisticsTab

MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PASSWORD = "Statistik-2026-æøå"


@pytest.fixture
def ctx(demo_db_path: Path) -> Iterator[ServiceContext]:
    from coordinator_app.storage.database import open_database

    db = open_database(f"sqlite:///{demo_db_path}")
    yield ServiceContext(database=db, clock=fixed_clock(MOMENT), user="koordinator.test")
    db.dispose()


def tab_for(qtbot, ctx: ServiceContext, *, demo: bool) -> StatisticsTab:
    """The tab on the demo ward's data, in a database that is a demo one (``demo``) or marked as a real one."""
    if not demo:
        ctx.database.set_meta(DEMO_META_KEY, "0")
    tab = StatisticsTab(
        StatisticsService(ctx), lambda _ids, _title: None, today=ctx.clock.today, exports=ExportService(ctx)
    )
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.computed, timeout=10_000):
        tab.show()
    return tab


def choose(monkeypatch: pytest.MonkeyPatch, target: Path, suggested: list[str]) -> None:
    def fake(_parent, _caption, directory, _filter):
        suggested.append(directory)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


def give_password(qtbot) -> None:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ExportPasswordDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ExportPasswordDialog)
    qtbot.keyClicks(dialog.first, PASSWORD)
    qtbot.keyClicks(dialog.second, PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_xlsx_export_is_encrypted_and_opens_with_the_password(qtbot, ctx, monkeypatch, tmp_path: Path) -> None:
    tab = tab_for(qtbot, ctx, demo=False)
    suggested: list[str] = []
    choose(monkeypatch, tmp_path / "statistik", suggested)
    assert not tab.export("xlsx")  # waits for the password
    assert not (tmp_path / "statistik.xlsx").exists()
    give_password(qtbot)
    path = tmp_path / "statistik.xlsx"
    qtbot.waitUntil(path.exists)
    assert "krypteret" in tab.message.text()

    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    assert office.is_encrypted()
    office.load_key(password=PASSWORD)
    plain = io.BytesIO()
    office.decrypt(plain)
    book = load_workbook(plain, read_only=True)
    assert {SHEET_FIGURES, SHEET_IDS} <= set(book.sheetnames)
    assert len(list(book[SHEET_IDS].iter_rows())) > 1  # the admission ids behind the figures are in it


def test_csv_export_goes_into_an_aes_zip(qtbot, ctx, monkeypatch, tmp_path: Path) -> None:
    tab = tab_for(qtbot, ctx, demo=False)
    suggested: list[str] = []
    choose(monkeypatch, tmp_path / "statistik", suggested)
    tab.export("csv")
    assert Path(suggested[0]).suffix == ".zip"
    give_password(qtbot)
    path = tmp_path / "statistik.zip"
    qtbot.waitUntil(path.exists)
    with pyzipper.AESZipFile(path) as zf:
        assert zf.namelist() == ["statistik.csv"]
        with pytest.raises(RuntimeError):
            zf.read("statistik.csv")
        zf.setpassword(PASSWORD.encode())
        assert zf.read("statistik.csv").decode("utf-8-sig").startswith("Statistik")


def test_a_demo_database_exports_plain_and_says_demo(qtbot, ctx, monkeypatch, tmp_path: Path) -> None:
    tab = tab_for(qtbot, ctx, demo=True)
    choose(monkeypatch, tmp_path / "statistik.csv", [])
    assert tab.export("csv")
    assert (tmp_path / "statistik.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "demo – ikke krypteret" in tab.message.text()
