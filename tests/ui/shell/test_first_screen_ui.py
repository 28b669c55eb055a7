"""The first screen (issue 7: cold start): the main window shows the ward's list and I dag before the storage layer
loads, and the usual start then finishes that same window — or builds its own when the file no longer matches."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coordinator_app.services.admissions import AdmissionService
from coordinator_app.services.context import ServiceContext
from coordinator_app.services.settings import CALENDAR_META_KEY
from coordinator_app.services.ward_view import AdmissionRow
from coordinator_app.storage.database import open_database
from coordinator_app.ui.shell import app as app_module
from coordinator_app.ui.shell import start_hooks, startup
from coordinator_app.ui.shell.main_window import MainWindow


def _options(path: Path, tmp_path: Path) -> startup.LaunchOptions:
    return startup.LaunchOptions(database_url=f"sqlite:///{path}", smoke=True, settings_path=str(tmp_path / "s.ini"))


def _show_first_screen(qtbot, path: Path, tmp_path: Path) -> tuple[startup.LaunchOptions, startup.FirstView]:
    """``--smoke --database path``'s first screen, shown (it must be: a demo database needs no login)."""
    options = _options(path, tmp_path)
    first = startup.show_first_screen(options)
    assert first is not None
    qtbot.addWidget(first.window)
    return options, first


@pytest.fixture
def stamps() -> Iterator[dict[str, list[MainWindow]]]:
    seen: dict[str, list[MainWindow]] = {"shown": [], "ready": []}
    shown, ready = seen["shown"].append, seen["ready"].append
    start_hooks.on_shown.append(shown)
    start_hooks.on_ready.append(ready)
    yield seen
    start_hooks.on_shown.remove(shown)
    start_hooks.on_ready.remove(ready)


def _service_rows(path: Path) -> list[AdmissionRow]:
    db = open_database(f"sqlite:///{path}")
    try:
        return list(AdmissionService(ServiceContext(database=db)).list_rows())
    finally:
        db.dispose()


def test_the_window_shows_the_list_and_i_dag_before_the_storage_layer_loads(demo_db_path: Path) -> None:
    """In a fresh interpreter: the first screen is on screen and SQLAlchemy is not yet imported."""
    probe = (
        "import sys\n"
        "from coordinator_app.ui.shell import startup\n"
        f"options = startup.LaunchOptions(database_url={str(demo_db_path)!r}, smoke=True)\n"
        "first = startup.show_first_screen(options)\n"
        "w = first.window\n"
        "print(w.isVisible(), w.patients_tab.model.rowCount(), w.today_tab.model.rowCount(), "
        "'sqlalchemy' in sys.modules, 'coordinator_app.storage.orm' in sys.modules)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    visible, rows, items, sqlalchemy, orm = done.stdout.split()
    assert visible == "True" and int(rows) == len(_service_rows(demo_db_path)) and int(items) > 0
    assert sqlalchemy == "False" and orm == "False"


def test_the_usual_start_finishes_the_first_screens_window(
    qtbot, demo_db_path: Path, tmp_path: Path, stamps: dict[str, list[MainWindow]]
) -> None:
    options, first = _show_first_screen(qtbot, demo_db_path, tmp_path)
    shown_rows = [first.window.patients_tab.model.row_at(i) for i in range(first.window.patients_tab.model.rowCount())]
    assert stamps["shown"] == [first.window] and stamps["ready"] == []
    assert sorted(r.admission_id for r in shown_rows) == sorted(r.admission_id for r in _service_rows(demo_db_path))
    assert app_module.run(options, first) == 0
    assert stamps["ready"] == [first.window], "the same window, given its services"
    assert not first.discarded
    assert first.window.services.ctx.database is not None and first.window.idle_lock is not None


def test_a_file_changed_after_the_first_screen_gets_its_own_window(
    qtbot, demo_db_path: Path, tmp_path: Path, stamps: dict[str, list[MainWindow]]
) -> None:
    options, first = _show_first_screen(qtbot, demo_db_path, tmp_path)
    db = open_database(f"sqlite:///{demo_db_path}")
    db.set_meta(CALENDAR_META_KEY, '{"extra_closing_days": false}')  # changed since: the calendar differs
    db.dispose()
    assert app_module.run(options, first) == 0
    assert first.discarded
    assert len(stamps["ready"]) == 1 and stamps["ready"][0] is not first.window
    assert stamps["shown"][-1] is stamps["ready"][0], "the new window is shown too"


def test_a_start_with_a_login_shows_no_first_screen(demo_db_path: Path, tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{demo_db_path}")
    db.set_meta("demo", "0")  # a real database …
    from coordinator_app.services.users import UserService

    UserService(ServiceContext(database=db)).create_administrator("admin", "Administrator", "korrekt hest batteri 7")
    db.dispose()  # … with a user: the login comes first
    assert startup.show_first_screen(_options(demo_db_path, tmp_path)) is None
    demo = startup.LaunchOptions(database_url=str(demo_db_path), demo=True)
    assert startup.show_first_screen(demo) is None  # --demo rebuilds the ward first


def _garble(path: Path, table: str) -> None:
    """Garble ``table``'s root page (header too): the first screen's tables still read, ``quick_check`` fails."""
    db = open_database(path, migrate=False)
    with db.engine.connect() as conn:
        root = conn.exec_driver_sql(f"SELECT rootpage FROM sqlite_master WHERE name = '{table}'").scalar_one()
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    db.dispose()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = os.urandom(page_size)
    path.write_bytes(bytes(data))


def test_a_file_found_damaged_after_the_first_screen_ends_read_only_in_a_new_window(
    qtbot, demo_db_path: Path, tmp_path: Path, stamps: dict[str, list[MainWindow]], monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(app_module.QMessageBox, "warning", staticmethod(lambda _p, _t, text, *_: warned.append(text)))
    monkeypatch.setattr(app_module.QMessageBox, "critical", staticmethod(lambda _p, _t, text, *_: warned.append(text)))
    _garble(demo_db_path, "documents")
    before = demo_db_path.read_bytes()
    options, first = _show_first_screen(qtbot, demo_db_path, tmp_path)
    assert first.window.patients_tab.model.rowCount() > 0  # the list's tables are whole
    assert app_module.run(options, first) == 0
    assert warned and "beskadiget og åbnes kun til læsning" in warned[0]
    ready = stamps["ready"][-1]
    assert ready is not first.window and not first.window.isVisible()
    assert ready.services.ctx.database.read_only
    assert ready.db_label.text() == "Demo-database – KUN LÆSNING (beskadiget: gendan fra sikkerhedskopi)"
    assert demo_db_path.read_bytes() == before, "nothing was written to the damaged file"


@pytest.mark.parametrize(
    ("dialect", "demo", "read_only", "encrypted", "text"),
    [
        ("sqlite", True, False, False, "DEMO – ikke krypteret · fiktive patienter"),
        ("sqlite", True, False, True, "DEMO – krypteret · fiktive patienter"),  # a demo ward's laptop file
        ("sqlite", False, True, True, "Lokal database – KUN LÆSNING (beskadiget: gendan fra sikkerhedskopi)"),
        ("sqlite", False, False, True, "Lokal database – krypteret"),
        ("sqlite", False, False, False, "Lokal database – IKKE krypteret"),
        ("postgresql", False, False, False, "Delt database (PostgreSQL)"),
    ],
)
def test_the_status_bar_names_the_database(
    dialect: str, demo: bool, read_only: bool, encrypted: bool, text: str
) -> None:
    label = startup.label_of(dialect, demo=demo, read_only=read_only, encrypted=encrypted)
    assert label.text == text
    assert label.warning == (text not in ("Lokal database – krypteret", "Delt database (PostgreSQL)"))


def test_in_a_narrow_window_the_calendar_gives_way_to_the_database_label(
    qtbot, demo_db_path: Path, tmp_path: Path
) -> None:
    _, first = _show_first_screen(qtbot, demo_db_path, tmp_path)
    window = first.window
    window.db_label.setText(startup.label_of("sqlite", demo=True, read_only=True).text)
    calendar = window.calendar_label.text()
    window.resize(window.minimumWidth(), 560)
    qtbot.wait(50)
    assert window.db_label.width() >= window.db_label.sizeHint().width(), "the warning is never cut off"
    shown = window.calendar_label.shown_text()
    assert shown.endswith("…") and len(shown) < len(calendar)
    assert window.calendar_label.toolTip() == calendar
    window.resize(1400, 560)
    qtbot.wait(50)
    assert window.calendar_label.shown_text() == calendar
