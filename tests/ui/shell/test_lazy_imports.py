"""Start-up imports only what the first screen needs (issue 7: cold start to a populated list ≤ 4× a bare Qt window).

PDF rendering (reportlab), PDF preview (pypdfium2), PDF encryption (pypdf), the XLSX export (openpyxl), invitations
(icalendar) and the holiday package are loaded when first used; the main window module must not pull them in.
Checked in a fresh interpreter, so what other tests imported does not count. A module named at start through
``lazy.lazy_import`` is in ``sys.modules`` before its code runs: only a module whose code ran counts as
loaded."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("reportlab", "openpyxl", "pypdfium2", "pypdf", "holidays", "icalendar")
#: The tabs other than I dag and Patienter are built on first show, so their modules wait too.
LATER_TABS = (
    "coordinator_app.ui.meetings.meetings_tab",
    "coordinator_app.ui.statistics.statistics_tab",
    "coordinator_app.ui.statistics.charts",
)


def _imported_after(statement: str, names: tuple[str, ...]) -> list[str]:
    """Which of ``names`` have run their code after ``statement`` (a module only named lazily has not)."""
    probe = (
        f"import sys\n{statement}\nfrom coordinator_app.lazy import is_loaded\n"
        f"print(' '.join(n for n in {names!r} if n in sys.modules and is_loaded(sys.modules[n])))"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_importing_the_main_window_leaves_pdf_xlsx_and_holiday_libraries_unloaded() -> None:
    assert _imported_after("import coordinator_app.ui.shell.main_window", HEAVY + LATER_TABS) == []


#: Loaded when first used, not at start: password hashing (a login or a user's new password), the PostgreSQL
#: dialect (a shared database), Alembic (a migration), the admission form and its conflict dialog (the details
#: panel needs only the flags' labels), python-stdnum (it pulls in pydoc; a CPR number typed in, not one shown),
#: the demo generator (loading the demo ward), the first run and the workstation's saved choice (not for
#: ``--database``/``--smoke``/``--demo``), the services of the later tabs and dialogs (consent, scenario,
#: meetings: made on first use by the main window), the exports (a file saved, statistics exported) and the
#: Statistik figures' domain (computed when the tab is first shown).
NOT_AT_START = (
    "argon2",
    "alembic",
    "sqlalchemy.dialects.postgresql",
    "coordinator_app.ui.patients.admission_dialog",
    "coordinator_app.ui.common.conflict_dialog",
    "stdnum",
    "pydoc",
    "coordinator_app.demo",
    "coordinator_app.services.first_run",
    "coordinator_app.services.connection",
    "coordinator_app.ui.first_run.first_run",
    "coordinator_app.services.consent",
    "coordinator_app.services.scenario",
    "coordinator_app.services.meetings",
    "coordinator_app.services.exports",
    "coordinator_app.documents.protect",
    "coordinator_app.domain.statistics",
)


def test_importing_the_app_leaves_what_the_first_screen_does_not_need_unloaded() -> None:
    assert _imported_after("import coordinator_app.ui.shell.app", HEAVY + LATER_TABS + NOT_AT_START) == []


def test_the_export_service_loads_the_file_libraries_only_when_a_file_is_exported() -> None:
    """``services.exports`` is imported where a file may be saved (printing, Statistik); openpyxl, pypdf and the
    encryption libraries wait for the first export."""
    heavy = (*HEAVY, "msoffcrypto", "pyzipper")
    assert _imported_after("import coordinator_app.services.exports", heavy) == []


def test_the_app_imports_the_service_stack_before_pyside6_and_not_the_orm() -> None:
    """PySide6's import hook inspects every module imported after it, so SQLAlchemy (Core) and our services come
    first. The ORM (``sqlalchemy.orm`` and the mappings) is not imported with the app at all: it loads on the first
    session — the first write, or once idle after the window is ready — as the start reads through Core (issue 15;
    ``test_start_without_orm.py`` starts the program to ready and saves a note)."""
    probe = (
        "import sys\nimport coordinator_app.ui.shell.app\nnames = list(sys.modules)\n"
        "print(*(names.index(n) for n in ('sqlalchemy', 'coordinator_app.services.users', 'PySide6')))\n"
        "print('sqlalchemy.orm' in sys.modules, 'coordinator_app.storage.orm' in sys.modules)"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    order, loaded = done.stdout.splitlines()
    core, users, pyside = map(int, order.split())
    assert core < pyside and users < pyside
    assert loaded == "False False"


def test_the_check_can_see_a_loaded_library() -> None:
    """The probe itself works: a module that does import reportlab is reported."""
    assert _imported_after("import coordinator_app.documents.layout", HEAVY) == ["reportlab"]


def test_the_check_counts_a_lazily_named_module_once_its_code_ran() -> None:
    """A module named through ``lazy_import`` is not loaded until used, and is reported once it is; every module
    the checks here name is a plain module once loaded, so the probe sees each of them."""
    named = f"from coordinator_app.lazy import lazy_import\ntab = lazy_import({LATER_TABS[0]!r})"
    assert _imported_after(named, LATER_TABS) == []
    assert _imported_after(f"{named}\ntab.MeetingsTab", LATER_TABS[:1]) == list(LATER_TABS[:1])
    every = HEAVY + LATER_TABS + NOT_AT_START + STORAGE_LAYER
    imported = "import importlib\n" + "\n".join(f"importlib.import_module({n!r})" for n in every)
    assert _imported_after(imported, every) == list(every)


def test_the_later_tabs_are_built_on_first_show_in_their_place(main_window, qtbot) -> None:
    from PySide6.QtCore import Qt

    from coordinator_app.ui.meetings.meetings_tab import MeetingsTab
    from coordinator_app.ui.statistics.statistics_tab import StatisticsTab
    from coordinator_app.ui.today.faerdigmeldte_tab import FaerdigmeldteTab

    window = main_window
    tabs = window.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles == ["I dag", "&Patienter", "F&ærdigmeldte", "&Møder", "Statistik"]
    kinds = (FaerdigmeldteTab, MeetingsTab, StatisticsTab)
    assert not any(isinstance(tabs.widget(i), kinds) for i in range(tabs.count())), "nothing built before shown"

    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(tabs.currentWidget(), MeetingsTab) and tabs.currentIndex() == 3
    assert window.meetings_tab is tabs.currentWidget()
    assert window.meetings_tab.table.rowCount() > 0, "filled when first shown (the demo ward has meetings)"
    tabs.setCurrentIndex(2)  # a click on the tab bar
    assert isinstance(tabs.currentWidget(), FaerdigmeldteTab) and window.faerdigmeldte_tab.model.rowCount() > 0
    assert [tabs.tabText(i) for i in range(tabs.count())] == titles
    assert not isinstance(tabs.widget(4), StatisticsTab)


def test_showing_cpr_numbers_leaves_stdnum_unloaded_and_validating_one_loads_it() -> None:
    """``format_cpr``/``mask_cpr`` (every list row) answer without python-stdnum; a typed number is still checked
    by it."""
    shown = (
        "from coordinator_app.domain.cpr import format_cpr, mask_cpr\nformat_cpr('0101909909'); mask_cpr('010190-9909')"
    )
    assert _imported_after(shown, ("stdnum",)) == []
    checked = (
        "from datetime import date\nfrom coordinator_app.domain.cpr import birth_date\n"
        "birth_date('0101909909', today=date(2026, 12, 7))"
    )
    assert _imported_after(checked, ("stdnum",)) == ["stdnum"]


def test_the_compact_form_of_a_cpr_number_is_stdnums_for_ascii_and_unicode_dashes() -> None:
    from stdnum.util import clean

    from coordinator_app.domain.cpr import format_cpr

    for text in ("010190-9909", " 010190 9909 ", "010190–9909", "010190\u00a09909", "0101909909", "abc-d e"):
        expected = "".join(clean(text, " -").split()).upper()
        assert format_cpr(text) == (f"{expected[:6]}-{expected[6:]}" if len(expected) == 10 else text)


def test_the_later_services_are_made_on_first_use_once(main_window) -> None:
    from coordinator_app.services.consent import ConsentService
    from coordinator_app.services.documents import DocumentService
    from coordinator_app.services.meetings import MeetingService
    from coordinator_app.services.scenario import ScenarioService

    services = main_window.services
    for name, kind in (
        ("meetings", MeetingService),
        ("consents", ConsentService),
        ("documents", DocumentService),
        ("scenarios", ScenarioService),
    ):
        service = getattr(services, name)
        assert isinstance(service, kind) and getattr(services, name) is service, name


#: The first screen (``ui.startup``) is shown before any of these load (issue 7: cold start).
STORAGE_LAYER = ("sqlalchemy", "coordinator_app.storage.orm", "coordinator_app.storage.database", "alembic")


def test_the_first_screens_modules_leave_the_storage_layer_unloaded() -> None:
    modules = (
        "coordinator_app.ui.shell.startup",
        "coordinator_app.ui.shell.main_window",
        "coordinator_app.services.first_screen",
    )
    statement = "import " + ", ".join(modules)
    assert _imported_after(statement, STORAGE_LAYER) == []


def test_the_check_sees_the_storage_layer_when_it_loads() -> None:
    """The app loads SQLAlchemy (Core) and the database; the mappings wait for the first session (issue 15)."""
    assert _imported_after("import coordinator_app.ui.shell.app", STORAGE_LAYER[:3]) == [
        "sqlalchemy",
        "coordinator_app.storage.database",
    ]
    assert _imported_after("import coordinator_app.storage.orm", STORAGE_LAYER[:3]) == list(STORAGE_LAYER[:2])
