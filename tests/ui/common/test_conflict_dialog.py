"""Two workstations edit one admission in the shared PostgreSQL database (issue 8, concurrent edits).

Each workstation has its own ``Database`` and its own «Ret indlæggelse» dialog, opened on the same admission.
A saves; B saves after A → the conflict dialog appears with B's typed values next to A's. «Gem mine som notat»
keeps B's values as a note and A's values stay; «Genindlæs» shows A's values in B's form.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from helpers.ward import admit
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from coordinator_app.domain.model import EventKind
from coordinator_app.infra.resources import load_centres
from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext, fixed_clock
from coordinator_app.services.setup import ensure_reference_data
from coordinator_app.storage.database import open_database
from coordinator_app.ui.common.conflict_dialog import ConflictDialog
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.patients.admission_dialog import AdmissionDialog

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def workstations(pg_url: str) -> Iterator[tuple[AdmissionService, AdmissionService, int]]:
    first, second = open_database(pg_url), open_database(pg_url)
    try:
        ctx_a = ServiceContext(database=first, clock=fixed_clock(NOW), user="anne.a")
        ctx_b = ServiceContext(database=second, clock=fixed_clock(NOW), user="bo.b")
        ensure_reference_data(ctx_a)
        a, b = AdmissionService(ctx_a), AdmissionService(ctx_b)
        created = admit(ctx_a, admitted=date(2026, 11, 10))
        assert created.admission_id is not None
        yield a, b, created.admission_id
    finally:
        first.dispose()
        second.dispose()


def edit_dialog(service: AdmissionService, admission_id: int, qtbot) -> AdmissionDialog:
    dialog = AdmissionDialog(
        service,
        kommuner=service.kommuner(),
        centres=load_centres(),
        today=NOW.date(),
        existing=service.details(admission_id),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def retype(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def save(dialog: AdmissionDialog, qtbot) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


Forms = tuple[AdmissionDialog, ConflictDialog]


def b_loses_to_a(a: AdmissionService, b: AdmissionService, admission_id: int, qtbot) -> Forms:
    form_a, form_b = edit_dialog(a, admission_id, qtbot), edit_dialog(b, admission_id, qtbot)
    retype(qtbot, form_a.address, "Annesvej 1, 2100 København Ø")
    save(form_a, qtbot)
    assert form_a.result() == AdmissionDialog.DialogCode.Accepted
    retype(qtbot, form_b.address, "Bosvej 2, 2200 København N")
    retype(qtbot, form_b.family_name, "Bosen")
    save(form_b, qtbot)
    qtbot.waitUntil(lambda: form_b.conflict_dialog is not None and form_b.conflict_dialog.isVisible())
    conflict = form_b.conflict_dialog
    assert conflict is not None
    return form_b, conflict


def table_rows(conflict: ConflictDialog) -> list[tuple[str, str, str]]:
    t = conflict.table
    return [(cell(t, r, 0).text(), cell(t, r, 1).text(), cell(t, r, 2).text()) for r in range(t.rowCount())]


def test_saving_after_another_workstation_shows_the_conflict_and_keeps_mine_as_a_note(workstations, qtbot) -> None:
    a, b, admission_id = workstations
    form_b, conflict = b_loses_to_a(a, b, admission_id, qtbot)
    assert any("ændret af anne.a 23-11-2026 kl. 10:00" in label.text() for label in conflict.findChildren(QLabel))
    assert table_rows(conflict) == [
        ("Efternavn", "Bosen", "Fiktivsen"),
        ("Adresse", "Bosvej 2, 2200 København N", "Annesvej 1, 2100 København Ø"),
    ]
    conflict.grab().save("/tmp/conflict/conflict_dialog.png")

    qtbot.mouseClick(conflict.note_button, Qt.MouseButton.LeftButton)

    stored = a.details(admission_id)
    assert stored.patient.address == "Annesvej 1, 2100 København Ø"  # A's values remain
    assert stored.patient.family_name == "Fiktivsen"
    (note,) = [e for e in stored.events if e.kind is EventKind.NOTE]
    assert note.recorded_by == "bo.b"
    assert "Efternavn: Bosen (gemt: Fiktivsen)" in note.note
    assert "Adresse: Bosvej 2, 2200 København N" in note.note
    # B's form now shows what is stored, says where B's values went, and stays open.
    assert form_b.isVisible()
    assert form_b.address.text() == "Annesvej 1, 2100 København Ø"
    assert form_b.family_name.text() == "Fiktivsen"
    assert "notat" in form_b.info_label.text()
    form_b.grab().save("/tmp/conflict/form_after_note.png")
    # Saving again now works (the form holds the current version).
    retype(qtbot, form_b.ward.lineEdit(), "Afsnit 4")
    save(form_b, qtbot)
    assert form_b.result() == AdmissionDialog.DialogCode.Accepted
    assert a.details(admission_id).admission.ward == "Afsnit 4"


def test_reload_shows_the_other_workstations_values_and_cancel_keeps_mine(workstations, qtbot) -> None:
    a, b, admission_id = workstations
    form_b, conflict = b_loses_to_a(a, b, admission_id, qtbot)
    qtbot.mouseClick(conflict.cancel_button, Qt.MouseButton.LeftButton)
    assert form_b.address.text() == "Bosvej 2, 2200 København N"  # Annuller: nothing typed is lost
    assert form_b.error_label.isVisible() and "Intet er gemt" in form_b.error_label.text()

    save(form_b, qtbot)  # still based on the old read: the dialog comes again
    qtbot.waitUntil(lambda: form_b.conflict_dialog is not None and form_b.conflict_dialog.isVisible())
    assert form_b.conflict_dialog is not None
    qtbot.mouseClick(form_b.conflict_dialog.reload_button, Qt.MouseButton.LeftButton)
    assert form_b.address.text() == "Annesvej 1, 2100 København Ø"
    assert form_b.family_name.text() == "Fiktivsen"
    assert not [e for e in a.details(admission_id).events if e.kind is EventKind.NOTE]
