"""Click through the real main window: search, sort, CPR masking, deadlines marked, layout remembered."""

from __future__ import annotations

import re

from db_fixtures import DEMO_MOMENT
from PySide6.QtCore import QPoint, QSettings, Qt

from coordinator_app.domain.reference import danish_sort_key
from coordinator_app.services.context import fixed_clock
from coordinator_app.ui.patients.admission_table import COL_CPR, COL_NAME, COL_NEXT, COL_STATUS


def visible(window, column: int) -> list[str]:
    model = window.patients_tab.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_opens_on_the_demo_ward_with_about_forty_current_admissions(main_window) -> None:
    rows = main_window.patients_tab.model.rowCount()
    assert 30 <= rows <= 60
    assert "DEMO" in main_window.db_label.text()
    assert all(status != "Udskrevet" for status in visible(main_window, COL_STATUS))


def test_typing_in_the_search_box_filters_as_you_type(main_window, qtbot) -> None:
    all_rows = [main_window.patients_tab.model.row_at(i) for i in range(main_window.patients_tab.model.rowCount())]
    kommune = all_rows[0].kommune_name
    expected = {r.admission_id for r in all_rows if r.kommune_name == kommune}
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main_window.patients_tab.search.hasFocus()
    qtbot.keyClicks(main_window.patients_tab.search, kommune.lower())
    qtbot.waitUntil(lambda: main_window.patients_tab.model.rowCount() < len(all_rows))
    model = main_window.patients_tab.model
    shown = {model.row_at(i).admission_id for i in range(model.rowCount())}
    assert expected <= shown
    qtbot.keyClicks(main_window.patients_tab.search, " zzzz-ingen-patient")
    qtbot.waitUntil(lambda: main_window.patients_tab.model.rowCount() == 0)
    assert main_window.patients_tab.count_label.text().startswith("0 af")
    main_window.patients_tab.search.clear()
    qtbot.waitUntil(lambda: main_window.patients_tab.model.rowCount() == len(all_rows))


def test_search_finds_by_name_and_by_cpr_with_or_without_dash(main_window, qtbot) -> None:
    row = main_window.patients_tab.model.row_at(0)
    for text in (row.family_name.upper(), row.cpr, f"{row.cpr[:6]}-{row.cpr[6:]}"):
        main_window.patients_tab.search.setText(text)
        qtbot.waitUntil(lambda: main_window.patients_tab.model.rowCount() < main_window.patients_tab.model.total_count)
        model = main_window.patients_tab.model
        ids = [model.row_at(i).admission_id for i in range(model.rowCount())]
        assert row.admission_id in ids, text


def _name_keys(window) -> list[tuple[str, str]]:
    rows = [window.patients_tab.model.row_at(i) for i in range(window.patients_tab.model.rowCount())]
    return [(danish_sort_key(r.family_name), danish_sort_key(r.given_name)) for r in rows]


def test_clicking_the_name_header_sorts_in_danish_order(main_window, qtbot) -> None:
    header = main_window.patients_tab.table.horizontalHeader()
    x = header.sectionViewportPosition(COL_NAME) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    first = _name_keys(main_window)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    second = _name_keys(main_window)
    ascending, descending = (first, second) if first == sorted(first) else (second, first)
    assert ascending == sorted(ascending)
    assert descending == sorted(descending, reverse=True)
    assert ascending != descending


def test_cpr_is_masked_until_revealed(main_window) -> None:
    cells = visible(main_window, COL_CPR)
    assert all(re.fullmatch(r"\d{6}-xxxx", c) for c in cells)
    main_window.act_reveal.trigger()
    revealed = visible(main_window, COL_CPR)
    assert all(re.fullmatch(r"\d{6}-[0-9A-Z]{4}", c) for c in revealed)
    assert revealed != cells


def test_overdue_and_due_today_rows_say_so_in_words_not_only_colour(main_window) -> None:
    texts = visible(main_window, COL_NEXT)
    assert any(t.startswith("⚠ Overskredet") for t in texts)
    model = main_window.patients_tab.model
    for r in range(model.rowCount()):
        text = model.index(r, COL_NEXT).data()
        brush = model.index(r, COL_NAME).data(Qt.ItemDataRole.BackgroundRole)
        if text.startswith("⚠ Overskredet") or text.startswith("● I dag"):
            assert brush is not None
        else:
            assert brush is None


def test_show_discharged_adds_history_rows(main_window, qtbot) -> None:
    current = main_window.patients_tab.model.rowCount()
    qtbot.keyClick(main_window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert main_window.patients_tab.show_discharged.isChecked()
    assert main_window.patients_tab.model.rowCount() > current + 1000
    assert "Udskrevet" in visible(main_window, COL_STATUS)


def test_selecting_a_row_shows_details_and_history(main_window, qtbot) -> None:
    main_window.patients_tab.table.selectRow(0)
    row = main_window.patients_tab.model.row_at(0)
    assert main_window.patients_tab.details.title.text() == row.name
    assert main_window.patients_tab.details.cpr_label.text().endswith("xxxx")
    assert f"Indlæggelse nr. {row.admission_id}" in main_window.patients_tab.details.subtitle.text()
    assert main_window.patients_tab.details.history.rowCount() >= 1
    qtbot.mouseClick(main_window.patients_tab.details.reveal_button, Qt.MouseButton.LeftButton)
    assert not main_window.patients_tab.details.cpr_label.text().endswith("xxxx")


def test_window_geometry_columns_and_splitter_are_restored_in_the_next_window(
    main_window, qtbot, demo_db_path, tmp_path
) -> None:
    from coordinator_app.storage.database import open_database
    from coordinator_app.ui.shell.app import LaunchOptions, build_window

    # The offscreen screen is small and the window opens as large as it allows (at least its minimum width), so a
    # remembered height 50 px below that tells the restored geometry from a first start's.
    first_start = (main_window.width(), main_window.height())
    remembered = (first_start[0], first_start[1] - 50)
    main_window.resize(*remembered)
    main_window.patients_tab.table.setColumnWidth(COL_NAME, 321)
    main_window.patients_tab.splitter.setSizes([300, 600])
    sizes = main_window.patients_tab.splitter.sizes()
    main_window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("main/geometry") is not None and settings.value("main/header") is not None

    db = open_database(f"sqlite:///{demo_db_path}")
    try:
        options = LaunchOptions(database_url=None, settings_path=str(tmp_path / "settings.ini"))
        again = build_window(db, options, clock=fixed_clock(DEMO_MOMENT))
        qtbot.addWidget(again)
        with qtbot.waitExposed(again):
            again.show()
        again.tabs.setCurrentWidget(again.patients_tab)
        qtbot.waitUntil(lambda: sum(again.patients_tab.splitter.sizes()) == sum(sizes))
        assert (again.width(), again.height()) == remembered != first_start
        assert again.patients_tab.table.columnWidth(COL_NAME) == 321
        not_default = main_window.patients_tab.table.columnWidth(COL_CPR)
        assert again.patients_tab.table.columnWidth(COL_NAME) != not_default  # not a default width
        assert again.patients_tab.splitter.sizes() == sizes
        again.close()
    finally:
        db.dispose()
