"""The Statistik tab and Indstillinger in the main window: Ctrl+5, click-through to the admission (also a
discharged one), and Funktioner → Indstillinger."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_5_shows_statistik_and_a_figure_opens_its_admissions(main_window, qtbot) -> None:
    window = main_window
    qtbot.keyClick(window, Qt.Key.Key_5, CTRL)
    assert window.tabs.currentWidget() is window.statistics_tab
    qtbot.waitUntil(lambda: window.statistics_tab.statistics() is not None, timeout=10_000)
    stats = window.statistics_tab.statistics()
    row, figure = next(
        (i, f) for i, f in enumerate(stats.figures) if f.key == "discharges" or "udskriv" in f.label.lower()
    )
    assert figure.admission_ids, "the demo's last 12 months have discharges"
    window.statistics_tab.open_figure(row)
    dialog = window.statistics_actions.admission_list
    assert sorted(dialog.admission_ids()) == sorted(figure.admission_ids)
    wanted = dialog.admission_ids()[0]
    dialog.activate(0)
    # A discharged admission: the list shows discharged ones so it can be selected.
    assert window.tabs.currentWidget() is window.patients_tab
    assert window.patients_tab.selected_admission_id() == wanted
    assert window.patients_tab.show_discharged.isChecked()
    dialog.close()


def test_funktioner_indstillinger_opens_the_settings(main_window, qtbot) -> None:
    window = main_window
    functions = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Funktioner")
    entry = next(a for a in functions.actions() if a.text() == "&Indstillinger…")
    entry.trigger()
    dialog = window.settings_actions.open_dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    assert "Indstillinger" in dialog.windowTitle()
    dialog.close()


def test_funktioner_sikkerhedskopier_opens_the_backup_dialog(main_window, qtbot) -> None:
    window = main_window
    functions = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Funktioner")
    entry = next(a for a in functions.actions() if a.text() == "&Sikkerhedskopier…")
    entry.trigger()
    dialog = window.settings_actions.open_dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    dialog.close()
