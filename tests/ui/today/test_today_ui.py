"""The I dag and Færdigmeldte tabs (issue 7) on the demo ward with the clock frozen at Monday 23-11-2026: I dag
lists exactly the ward's open deadlines as of that date, grouped and counted, and opens the admission; Færdigmeldte
lists exactly the færdigmeldte/i bero admissions with their days, the kommune's G1–G3 and the cost with its rate.

The expected sets are computed here from the engine (``compute_deadlines``, ``task_deadlines``, ``replay``,
``bed_days``) on the records read straight from the database — not from ``OverviewService``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from coordinator_app.domain.bed_days import bed_days
from coordinator_app.domain.deadlines import compute_deadlines
from coordinator_app.domain.meetings import task_deadlines, tasks_of
from coordinator_app.domain.model import DeadlineState, EventKind
from coordinator_app.domain.process import Status, replay
from coordinator_app.services.context import fixed_clock
from coordinator_app.services.notifications import NotificationInput
from coordinator_app.storage.database import open_database
from coordinator_app.storage.reads import list_rows
from coordinator_app.storage.repositories import AdmissionRepository, EventRepository, MeetingRepository
from coordinator_app.ui.shell.app import LaunchOptions, build_window, ensure_application, install_danish
from coordinator_app.ui.today.faerdigmeldte_tab import COL_BERO, COL_DAYS, COL_G2, COL_PATIENT, COL_SINCE
from coordinator_app.ui.today.today_tab import BUCKETS, COL_DUE, COL_STATE, COL_WHAT

DEMO_MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # as conftest.DEMO_MOMENT
TODAY = date(2026, 11, 23)
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def started(qtbot, demo_db_path: Path, tmp_path: Path) -> Iterator[object]:
    """The main window exactly as the program starts it (``main_window`` may pick a tab for other tests)."""
    install_danish(ensure_application())
    db = open_database(f"sqlite:///{demo_db_path}")
    options = LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
    window = build_window(db, options, clock=fixed_clock(DEMO_MOMENT))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    yield window
    window.close()
    db.dispose()


def show(window, tab) -> None:
    window.tabs.setCurrentWidget(tab)
    assert window.tabs.currentWidget() is tab


def expected_open_deadlines(window) -> list[tuple[int, str, str, date]]:
    """(admission, rule ID, description, due) of every open deadline the ward acts on, from the engine."""
    with window.services.ctx.database.session() as s:
        current = [r.admission_id for r in list_rows(s.connection(), include_discharged=False) if r.discharged is None]
        admissions = AdmissionRepository(s).get_many(current)
        events = EventRepository(s).for_admissions(current)
        closed = MeetingRepository(s).closed_for_admissions(current)
    out = []
    for admission_id in current:
        calendar = window.services.ctx.calendar
        deadlines = compute_deadlines(admissions[admission_id], events[admission_id], calendar, TODAY)
        ward = [d for d in deadlines if d.responsible == "center" and d.rule_id != "E3"]
        tasks = [t for m in closed if m.admission_id == admission_id for t in tasks_of(m)]
        for d in [*ward, *task_deadlines(tasks, TODAY)]:
            if d.state is not DeadlineState.MET and not d.missed:
                out.append((admission_id, d.rule_id, d.description, d.due))
    return sorted(out)


def leaf_indexes(model) -> list[QModelIndex]:
    out: list[QModelIndex] = []
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        out.extend(model.index(r, 0, group) for r in range(model.rowCount(group)))
    return out


# -- I dag -----------------------------------------------------------------------------------------------------
def test_the_program_starts_on_i_dag_the_first_tab(started) -> None:
    titles = [started.tabs.tabText(i) for i in range(started.tabs.count())]
    assert titles[:4] == ["I dag", "&Patienter", "F&ærdigmeldte", "&Møder"]  # Statistik comes after Møder
    assert started.tabs.currentWidget() is started.today_tab
    assert started.today_tab.model.items(), "the start view is filled before the window is shown"


def test_i_dag_lists_exactly_the_open_ward_deadlines_of_the_demo_ward(main_window) -> None:
    show(main_window, main_window.today_tab)
    model = main_window.today_tab.model
    shown = []
    for index in leaf_indexes(model):
        item = model.item_at(index)
        row = index.row()
        what = model.index(row, COL_WHAT, index.parent()).data()
        due = model.index(row, COL_DUE, index.parent()).data()
        assert f"({item.rule_id})" in what and item.what in what  # what and by which rule, on screen
        assert due.endswith(f"{item.due:%d-%m-%Y}")
        shown.append((item.admission_id, item.rule_id, item.what, item.due))
    expected = expected_open_deadlines(main_window)
    assert sorted(shown) == expected
    assert len(expected) > 20  # the demo ward is busy: the comparison means something
    assert {"B5", "C2", "C5", "E1"} <= {rule for _, rule, _, _ in expected}


def test_i_dag_groups_overdue_first_and_counts_them(main_window) -> None:
    show(main_window, main_window.today_tab)
    tab, model = main_window.today_tab, main_window.today_tab.model
    groups = [model.index(g, 0).data() for g in range(model.rowCount())]
    assert [g.split("  (")[0] for g in groups] == ["Overskredet", "I dag", "Næste 7 dage", "Senere"]
    expected = expected_open_deadlines(main_window)
    overdue = sum(1 for *_, due in expected if due < TODAY)
    today = sum(1 for *_, due in expected if due == TODAY)
    week = sum(1 for *_, due in expected if TODAY < due <= date(2026, 11, 30))
    later = len(expected) - overdue - today - week
    assert groups == [f"Overskredet  ({overdue})", f"I dag  ({today})", f"Næste 7 dage  ({week})", f"Senere  ({later})"]
    assert tab.counts.text() == f"{overdue} overskredne · {today} i dag · {week} de næste 7 dage · {later} senere"
    assert overdue and today and week and later
    # Overdue rows say so in words, not only in colour; "Senere" starts folded.
    first = model.index(0, COL_STATE, model.index(0, 0))
    assert first.data().startswith("⚠") and first.data().endswith("over")
    assert [tab.view.isExpanded(model.index(g, 0)) for g in range(len(BUCKETS))] == [True, True, True, False]
    assert tab.heading.text() == "I dag – mandag 23. november 2026"


def test_i_dag_model_passes_qtmodeltester(main_window, qtmodeltester) -> None:
    show(main_window, main_window.today_tab)
    qtmodeltester.check(main_window.today_tab.model)


def test_double_click_on_a_deadline_opens_its_admission_in_patienter(main_window, qtbot) -> None:
    show(main_window, main_window.today_tab)
    view, model = main_window.today_tab.view, main_window.today_tab.model
    index = model.index(1, COL_WHAT, model.index(0, 0))  # the second overdue deadline
    item = model.item_at(index)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.tabs.currentWidget() is main_window.patients_tab
    assert main_window.patients_tab.selected_admission_id() == item.admission_id
    assert main_window.patients_tab.details.title.text() == item.patient_name


def test_enter_on_a_deadline_opens_its_admission_even_when_the_search_hides_it(main_window, qtbot) -> None:
    main_window.patients_tab.search.setText("zzzz-ingen-patient")
    qtbot.waitUntil(lambda: main_window.patients_tab.model.rowCount() == 0)
    show(main_window, main_window.today_tab)
    view, model = main_window.today_tab.view, main_window.today_tab.model
    index = model.index(0, 0, model.index(2, 0))  # the first deadline of the next 7 days
    item = model.item_at(index)
    view.setFocus()
    view.setCurrentIndex(index)
    assert main_window.today_tab.open_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert main_window.tabs.currentWidget() is main_window.patients_tab
    assert main_window.patients_tab.search.text() == ""
    assert main_window.patients_tab.selected_admission_id() == item.admission_id


def test_i_dag_follows_a_write_and_f5(main_window, qtbot) -> None:
    show(main_window, main_window.today_tab)
    model = main_window.today_tab.model
    item = model.item_at(model.index(0, 0, model.index(0, 0)))
    discharge = NotificationInput(kind=EventKind.DISCHARGE, issue_document=False)
    main_window.services.notifications.send(item.admission_id, discharge)
    qtbot.keyClick(main_window, Qt.Key.Key_F5)
    assert item.admission_id not in {model.item_at(i).admission_id for i in leaf_indexes(model)}
    assert sorted((model.item_at(i).admission_id, model.item_at(i).rule_id, model.item_at(i).what, model.item_at(i).due)
                  for i in leaf_indexes(model)) == expected_open_deadlines(main_window)  # fmt: skip


def test_ctrl_digits_switch_tabs_and_ctrl_m_still_shows_moeder(main_window, qtbot) -> None:
    window = main_window
    for key, tab in (
        (Qt.Key.Key_3, window.faerdigmeldte_tab),
        (Qt.Key.Key_2, window.patients_tab),
        (Qt.Key.Key_4, window.meetings_tab),
        (Qt.Key.Key_1, window.today_tab),
    ):
        qtbot.keyClick(window, key, CTRL)
        assert window.tabs.currentWidget() is tab
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL)
    assert window.tabs.currentWidget() is window.meetings_tab
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Vis")
    texts = [
        a.text() for a in view_menu.actions() if a.shortcut().toString() in ("Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4")
    ]
    assert texts == ["I dag", "&Patienter", "F&ærdigmeldte", "&Møder"]


# -- Færdigmeldte ----------------------------------------------------------------------------------------------
def expected_faerdigmeldte(window) -> dict[int, tuple[Status, date | None, int, int]]:
    """admission → (status, færdigmeldt since, bed days, days i bero) from the engine."""
    with window.services.ctx.database.session() as s:
        current = [r.admission_id for r in list_rows(s.connection(), include_discharged=False) if r.discharged is None]
        admissions = AdmissionRepository(s).get_many(current)
        events = EventRepository(s).for_admissions(current)
    out: dict[int, tuple[Status, date | None, int, int]] = {}
    for i in current:
        state = replay(admissions[i], events[i])
        if state.status in (Status.FAERDIGMELDT, Status.I_BERO):
            bero = sum(((p.end or TODAY) - p.start).days for p in state.bero_periods)
            out[i] = (state.status, state.faerdigmeldt_on, bed_days(admissions[i], events[i], TODAY), bero)
    return out


def test_faerdigmeldte_lists_exactly_the_faerdigmeldte_with_their_days(main_window) -> None:
    show(main_window, main_window.faerdigmeldte_tab)
    model = main_window.faerdigmeldte_tab.model
    expected = expected_faerdigmeldte(main_window)
    assert len(expected) >= 5 and any(s is Status.I_BERO for s, *_ in expected.values())
    shown = {}
    for row in range(model.rowCount()):
        r = model.row_at(row)
        cells = [model.index(row, c).data() for c in range(model.columnCount())]
        assert cells[COL_PATIENT].startswith(r.patient_name)
        assert cells[COL_SINCE] == f"{r.faerdigmeldt_on:%d-%m-%Y}"
        assert cells[COL_DAYS] == str(r.bed_days)
        assert cells[COL_BERO] == (str(r.bero_days) if r.bero_days else "–")
        shown[r.admission_id] = (r.status, r.faerdigmeldt_on, int(cells[COL_DAYS]), r.bero_days)
    assert shown == expected
    days = [model.row_at(row).bed_days for row in range(model.rowCount())]
    assert days == sorted(days, reverse=True)  # longest færdigmeldt first


def test_faerdigmeldte_totals_in_danish_kroner_with_the_rate_year_and_source(main_window) -> None:
    show(main_window, main_window.faerdigmeldte_tab)
    tab = main_window.faerdigmeldte_tab
    expected = expected_faerdigmeldte(main_window)
    total_days = sum(d for _, _, d, _ in expected.values())
    cost = f"{1976 * total_days:,}".replace(",", ".")  # the default rate: the law's 2016 ceiling
    assert tab.totals.text().startswith(
        f"{len(expected)} patienter færdigmeldt (heraf 1 i bero) · {total_days} sengedage"
    )
    assert tab.totals.text().endswith(f"udgift indtil nu {cost} kr.")
    assert tab.rate.text().startswith("Sats: 2016: 1.976 kr. pr. sengedag (Lovens loft")
    assert "sundhedsloven § 238" in tab.rate.text()
    assert tab.by_kommune.text().startswith("Pr. kommune: ")


def test_faerdigmeldte_model_passes_qtmodeltester_and_marks_a_late_status_meeting(main_window, qtmodeltester) -> None:
    show(main_window, main_window.faerdigmeldte_tab)
    model = main_window.faerdigmeldte_tab.model
    qtmodeltester.check(model)
    for row in range(model.rowCount()):
        r = model.row_at(row)
        cell = model.index(row, COL_G2)
        late = r.g2 is not None and r.g2.state is DeadlineState.OVERDUE
        assert cell.data().startswith("⚠") == late
        assert (cell.data(Qt.ItemDataRole.BackgroundRole) is not None) == (
            r.g2 is not None and r.g2.state in (DeadlineState.OVERDUE, DeadlineState.DUE_TODAY)
        )


def test_double_click_in_faerdigmeldte_opens_the_admission(main_window, qtbot) -> None:
    show(main_window, main_window.faerdigmeldte_tab)
    table, model = main_window.faerdigmeldte_tab.table, main_window.faerdigmeldte_tab.model
    admission_id = model.row_at(1).admission_id
    rect = table.visualRect(model.index(1, COL_PATIENT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert main_window.tabs.currentWidget() is main_window.patients_tab
    assert main_window.patients_tab.selected_admission_id() == admission_id
