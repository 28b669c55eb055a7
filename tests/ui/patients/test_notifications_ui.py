"""From the details panel: send a varsling, see refusals with their reasons, correct, save and print the form; a
form changed in the database after it was issued is refused (issue 17)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers.qt import wait_for_modal
from helpers.sending import open_action, select_with_status
from helpers.tamper import unguarded
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog, QMessageBox
from sqlalchemy import text

from coordinator_app.domain.model import EventKind
from coordinator_app.ui.common import printing


def test_send_varsling_from_the_menu_updates_status_and_archives_the_form(main_window, qtbot) -> None:
    admission_id = select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    qtbot.keyClicks(dialog.indsats, "Bostøtte 3 timer om ugen")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert main_window.patients_tab.selected_admission_id() == admission_id
    row = main_window.patients_tab.model.row_at(main_window.patients_tab.table.selectionModel().selectedRows()[0].row())
    assert row.status == "Varslet"
    assert main_window.patients_tab.details.documents.rowCount() == 1
    assert "Varsling" in main_window.patients_tab.details.documents.item(0, 1).text()
    assert "Sendt" in main_window.statusBar().currentMessage()


def test_a_forbidden_action_is_visible_but_disabled_with_the_reason(main_window) -> None:
    select_with_status(main_window, "Orienteret")
    afmeld = main_window.patients_tab.details.action_items[EventKind.AFMELDING.value]
    assert not afmeld.isEnabled()
    assert "B7" in afmeld.toolTip()
    genoptag = main_window.patients_tab.details.action_items[EventKind.GENOPTAGET.value]
    assert not genoptag.isEnabled()
    assert "B6" in genoptag.toolTip()


def test_without_consent_the_dialog_explains_and_nothing_is_sent(main_window, qtbot) -> None:
    admission_id = select_with_status(main_window, None, wants_to_leave=True)  # B8: the demo has no consent
    before = main_window.services.documents.documents(admission_id)
    dialog = open_action(main_window, qtbot, EventKind.ORIENTERING_UDSKRIVNING)
    assert "B8" in " ".join(label.text() for label in dialog.findChildren(type(dialog.error_label)))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "samtykke" in dialog.error_label.text()
    assert "F1" in dialog.error_label.text()
    dialog.reject()
    assert main_window.services.documents.documents(admission_id) == before


def test_a_mistaken_varsling_is_corrected_and_history_keeps_both(main_window, qtbot, monkeypatch) -> None:
    admission_id = select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    dialog.send()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    history = main_window.patients_tab.details.history
    history.selectRow(0)  # newest first: the varsling
    assert history.item(0, 1).text().startswith("Varsling")
    assert main_window.patients_tab.details.correct_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Sendt ved en fejl", True))
    qtbot.mouseClick(main_window.patients_tab.details.correct_button, Qt.MouseButton.LeftButton)
    details = main_window.services.admissions.details(admission_id)
    assert details.status == "Orienteret"
    kinds = [e.kind for e in details.events]
    assert EventKind.VARSLING in kinds and EventKind.CORRECTION in kinds
    history = main_window.patients_tab.details.history
    assert "(korrigeret)" in "\n".join(history.item(r, 1).text() for r in range(history.rowCount()))


def test_save_as_pdf_writes_the_archived_bytes(main_window, qtbot, monkeypatch, tmp_path: Path) -> None:
    select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    dialog.send()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    target = tmp_path / "varsling"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    main_window.patients_tab.details.documents.selectRow(0)
    qtbot.mouseClick(main_window.patients_tab.details.doc_buttons["save"], Qt.MouseButton.LeftButton)
    saved = tmp_path / "varsling.pdf"
    document_id = main_window.patients_tab.details._document_ids[0]
    assert saved.read_bytes() == main_window.services.documents.content(document_id)


def test_printing_paints_every_page(main_window, qtbot, tmp_path: Path) -> None:
    select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    dialog.send()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    content = main_window.services.documents.content(main_window.patients_tab.details._document_ids[0])
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = printing.paint_pdf(printer, content, 72)
    assert pages >= 1
    assert pages == len(list(printing.page_images(content, 20)))
    assert (tmp_path / "printed.pdf").stat().st_size > 1000


def test_a_full_disk_gives_a_danish_message(tmp_path: Path) -> None:
    import errno

    message = printing.save_error_message(tmp_path / "x.pdf", OSError(errno.ENOSPC, "No space left on device"))
    assert "Disken er fuld" in message


def test_vurder_scenarie_opens_the_wizard_for_the_selected_admission(main_window, qtbot) -> None:
    from coordinator_app.ui.patients.scenario_wizard import ScenarioWizard

    row = select_with_status(main_window, "Indlagt")
    assert row
    qtbot.mouseClick(main_window.patients_tab.details.assess_button, Qt.MouseButton.LeftButton)
    wizard = wait_for_modal(qtbot, ScenarioWizard)
    assert main_window.patients_tab.details.title.text() in wizard.windowTitle()
    wizard.reject()


def test_afmelding_then_new_faerdigmelding_from_the_menu(main_window, qtbot) -> None:
    admission_id = select_with_status(main_window, "Færdigmeldt")
    for kind, status in ((EventKind.AFMELDING, "Afmeldt"), (EventKind.FAERDIGMELDING, "Færdigmeldt")):
        dialog = open_action(main_window, qtbot, kind)
        if kind is EventKind.FAERDIGMELDING:  # B5: the doctor who judged the patient færdigbehandlet (issue 16)
            qtbot.keyClicks(dialog.judged_by, "Overlæge Hanne Holm")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
        assert main_window.services.admissions.details(admission_id).status == status
    documents = main_window.patients_tab.details.documents
    titles = [documents.item(r, 1).text() for r in range(documents.rowCount())]
    assert any(t.startswith("Afmelding") for t in titles)
    assert any(t.startswith("Færdigmelding") for t in titles)


def test_reissue_makes_a_new_document_and_keeps_the_old(main_window, qtbot) -> None:
    select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    dialog.send()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    first = list(main_window.patients_tab.details._document_ids)
    main_window.patients_tab.details.documents.selectRow(0)
    qtbot.mouseClick(main_window.patients_tab.details.doc_buttons["reissue"], Qt.MouseButton.LeftButton)
    after = main_window.patients_tab.details._document_ids
    assert len(after) == 2 and set(first) < set(after)


# -- issue 17: a document changed after it was issued is refused ------------------------------------------------
FORGED = b"%PDF-1.4 en anden tekst end den udstedte"


@pytest.mark.parametrize("button", ["open", "print", "save"])
def test_a_document_changed_after_issue_is_refused_in_danish(main_window, qtbot, monkeypatch, button: str) -> None:
    select_with_status(main_window, "Orienteret", allowing=EventKind.VARSLING)
    dialog = open_action(main_window, qtbot, EventKind.VARSLING)
    dialog.send()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    details = main_window.patients_tab.details
    document_id = details._document_ids[0]
    with unguarded(main_window.services.ctx.database.engine) as conn:  # issue 18: the owner, past the triggers
        conn.execute(
            text("UPDATE documents SET content = :c, sha256 = :h WHERE id = :id"),
            {"c": FORGED, "h": hashlib.sha256(FORGED).hexdigest(), "id": document_id},
        )
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, message, *a: warnings.append(message))
    reached: list[str] = []
    monkeypatch.setattr(printing, "open_externally", lambda *a: reached.append("open"))
    monkeypatch.setattr(printing, "print_preview", lambda *a: reached.append("print"))

    def asked_for_a_file(*_a: object, **_k: object) -> tuple[str, str]:
        reached.append("save")
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", asked_for_a_file)
    details.documents.selectRow(0)
    qtbot.mouseClick(details.doc_buttons[button], Qt.MouseButton.LeftButton)
    assert reached == []
    (warning,) = warnings
    assert warning.startswith("Dokumentet er ændret efter udstedelsen") and f"Dokument nr. {document_id}:" in warning


def test_a_failed_save_is_told_in_danish_not_in_the_systems_english(tmp_path: Path) -> None:
    import errno

    message = printing.save_error_message(tmp_path / "x.pdf", OSError(errno.ENAMETOOLONG, "File name too long"))
    assert "File name" not in message and "x.pdf kunne ikke gemmes (navnet er for langt)" in message
