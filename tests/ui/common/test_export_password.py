"""«Gem som PDF» writes the archived document encrypted (issue 8): the file asks for the password the user typed
twice; a demo database's document is written plain, and a mistyped repeat or a short password is refused. The
export goes through ``services.exports`` (the role, the rule, the audit line)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.ward import admit
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from coordinator_app.documents import layout
from coordinator_app.documents.layout import DocumentMeta, build_pdf
from coordinator_app.domain.model import ArchivedDocument
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.exports import ExportService
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.services.ward import DEMO_META_KEY
from coordinator_app.storage.database import open_database
from coordinator_app.storage.repositories import DocumentRepository
from coordinator_app.ui.common import printing
from coordinator_app.ui.common.export_password import ExportPasswordDialog

PASSWORD = "Sommer-på-Ærø-26"
MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def archived() -> bytes:
    meta = DocumentMeta("VB-1", "Varslingsblanket", MOMENT, "1.0")
    return build_pdf(meta, [layout.title("Varsling – Testa Fiktivsen, 010190-9909")])


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ServiceContext]:
    """A real (not demo) database of its own, beside the folder the files are saved in."""
    folder = tmp_path / "database"
    folder.mkdir()
    db = open_database(folder / "afsnit.db")
    context = ServiceContext(database=db, clock=fixed_clock(MOMENT))
    ensure_reference_data(context)
    yield context
    db.dispose()


@pytest.fixture
def document_id(ctx: ServiceContext, archived: bytes) -> int:
    """``archived`` as an issued, archived document of a fictitious patient (synthetic CPR)."""
    created = admit(ctx)
    document = ArchivedDocument(
        id=None,
        admission_id=created.admission_id,
        kind="varslingsblanket",
        title="Varslingsblanket",
        created_at=MOMENT,
        created_by="test",
        sha256=hashlib.sha256(archived).hexdigest(),
        data_version="test",
        content=archived,
    )
    with ctx.database.session() as session:
        added = DocumentRepository(session).add(document)
    assert added.id is not None
    return added.id


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def choose(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))


def password_dialog(qtbot) -> ExportPasswordDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ExportPasswordDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ExportPasswordDialog)
    return dialog


def type_twice(qtbot, dialog: ExportPasswordDialog, first: str, second: str) -> None:
    dialog.first.clear()
    dialog.second.clear()
    qtbot.keyClicks(dialog.first, first)
    qtbot.keyClicks(dialog.second, second)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_save_as_pdf_writes_an_encrypted_file(qtbot, window, ctx, document_id, monkeypatch, tmp_path: Path) -> None:
    choose(monkeypatch, tmp_path / "varsling")
    saved: list[Path] = []
    exports = ExportService(ctx)
    assert printing.save_document_as(window, exports, document_id, "dokument.pdf", saved=saved.append) is None
    dialog = password_dialog(qtbot)
    assert "anden vej end filen" in " ".join(label.text() for label in dialog.findChildren(type(dialog.error_label)))
    dialog.grab().save("/tmp/conflict/export_password.png")

    type_twice(qtbot, dialog, "kort", "kort")  # too short: refused in Danish, nothing written
    assert "mindst 8 tegn" in dialog.error_label.text()
    type_twice(qtbot, dialog, PASSWORD, PASSWORD + "x")  # the repeat differs
    assert "ikke ens" in dialog.error_label.text()
    assert not (tmp_path / "varsling.pdf").exists()

    type_twice(qtbot, dialog, PASSWORD, PASSWORD)
    qtbot.waitUntil(lambda: bool(saved))
    path = tmp_path / "varsling.pdf"
    assert saved == [path]
    data = path.read_bytes()
    assert b"Fiktivsen" not in data
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted and not reader.decrypt("forkert-kode")
    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt(PASSWORD)
    assert "010190-9909" in (reader.pages[0].extract_text() or "")


def test_cancelling_the_password_writes_nothing(qtbot, window, ctx, document_id, monkeypatch, tmp_path: Path) -> None:
    choose(monkeypatch, tmp_path / "varsling.pdf")
    exports = ExportService(ctx)
    printing.save_document_as(window, exports, document_id, "dokument.pdf", saved=lambda _p: pytest.fail("written"))
    dialog = password_dialog(qtbot)
    qtbot.keyClicks(dialog.first, PASSWORD)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert [p.name for p in tmp_path.iterdir()] == ["database"]


def test_a_demo_database_saves_plain_at_once(
    qtbot, window, ctx, document_id, archived, monkeypatch, tmp_path: Path
) -> None:
    ctx.database.set_meta(DEMO_META_KEY, "1")
    choose(monkeypatch, tmp_path / "demo.pdf")
    path = printing.save_document_as(window, ExportService(ctx), document_id, "dokument.pdf")
    assert path == tmp_path / "demo.pdf"
    assert path.read_bytes() == archived
