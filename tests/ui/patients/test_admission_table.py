"""The list model: passes Qt's model tester, filters and sorts on precomputed keys."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from coordinator_app.domain.model import DeadlineState
from coordinator_app.services.ward_view import AdmissionRow
from coordinator_app.ui.patients.admission_table import COL_NAME, COL_NEXT, AdmissionTableModel


def row(i: int, family: str, *, state: DeadlineState | None = None, kommune: str = "København") -> AdmissionRow:
    return AdmissionRow(
        admission_id=i,
        patient_id=i,
        given_name="Testa",
        family_name=family,
        cpr=f"01017{i:01d}9999"[:10],
        replacement_cpr=False,
        center="Psykiatrisk Center København",
        ward="Afsnit 1",
        kommune_code="101",
        kommune_name=kommune,
        admitted=date(2026, 11, 1),
        discharged=None,
        scenario=2,
        status="Varslet",
        next_kind="faerdigmelding" if state else None,
        next_description="Færdigmelding" if state else None,
        next_rule="B5" if state else None,
        next_due=date(2026, 11, 20 + i) if state else None,
        next_state=state,
    )


def make_model(qapp) -> AdmissionTableModel:
    model = AdmissionTableModel()
    model.set_rows(
        [
            row(1, "Østergaard", state=DeadlineState.OVERDUE),
            row(2, "Aagaard", state=DeadlineState.DUE_TODAY, kommune="Tårnby"),
            row(3, "Zacho"),
            row(4, "Ærø-Hansen", state=DeadlineState.OPEN),
            row(5, "Andersen"),
        ]
    )
    return model


def test_model_passes_qt_model_tester(qapp, qtmodeltester) -> None:
    qtmodeltester.check(make_model(qapp))


def test_sorting_by_name_uses_danish_alphabet(qapp) -> None:
    model = make_model(qapp)
    model.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    names = [model.row_at(i).family_name for i in range(model.rowCount())]
    # Danish: … Z, Æ, Ø, Å — and "Aa" counts as Å.
    assert names == ["Andersen", "Zacho", "Ærø-Hansen", "Østergaard", "Aagaard"]


def test_filter_matches_every_word_case_insensitively(qapp) -> None:
    model = make_model(qapp)
    model.set_filter("TÅRNBY")
    assert [model.row_at(i).family_name for i in range(model.rowCount())] == ["Aagaard"]
    model.set_filter("testa øster")
    assert [model.row_at(i).family_name for i in range(model.rowCount())] == ["Østergaard"]
    model.set_filter("")
    assert model.rowCount() == 5


def test_next_deadline_sort_puts_dated_deadlines_first(qapp) -> None:
    model = make_model(qapp)
    model.sort(COL_NEXT, Qt.SortOrder.AscendingOrder)
    dues = [model.row_at(i).next_due for i in range(model.rowCount())]
    assert dues[:3] == sorted(d for d in dues if d is not None)
    assert dues[3:] == [None, None]
