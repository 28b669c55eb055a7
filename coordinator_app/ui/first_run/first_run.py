"""The first-run wizard (issue 9): where the data lives, the first administrator, the ward and its kommuner.

Shown by ``app.run`` when Koordinator starts without ``--database``, without a saved choice
(``services.connection``) and without a database at the default place. *Denne computer* makes an encrypted
SQLCipher file protected by an adgangsfrase (optionally kept in the system keyring); *Delt database* connects to a
PostgreSQL database IT has made, after "Test forbindelsen" succeeded. Afslut calls
``services.first_run.create_workstation`` — all or nothing; on an error the message is shown on the last page and
the wizard stays open with everything typed. A shared database another workstation already set up skips the
administrator and ward pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QMessageBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.services import connection
from coordinator_app.services.context import Clock, ServiceContext
from coordinator_app.services.first_run import (
    FirstRunResult,
    LocalTarget,
    SharedTarget,
    create_demo_database,
    create_workstation,
    default_local_path,
)
from coordinator_app.services.users import UserService
from coordinator_app.ui.common.safe_text import literal, plain_label
from coordinator_app.ui.common.style import ERROR_STYLE, INFO_STYLE, MUTED, text_label
from coordinator_app.ui.first_run.first_run_pages import (
    LATER,
    PAGE_ADMIN,
    PAGE_LOCAL,
    PAGE_SHARED,
    PAGE_SUMMARY,
    PAGE_WARD,
    PAGE_WELCOME,
    AdminPage,
    LocalPage,
    SharedPage,
    WelcomePage,
    show_message,
)
from coordinator_app.ui.first_run.first_run_ward import WardPage

__all__ = ["PAGE_SUMMARY", "FirstRunWizard", "run_first_run"]

DEMO_TIP = (
    "Demo-afdelingen har kun fiktive patienter. Den lægges i en separat øvedatabase (demo.db, ikke krypteret og "
    "mærket DEMO) ved siden af den rigtige – aldrig i den rigtige database, for en demo-database åbner uden login "
    "og uden kryptering. Åbn den med «koordinator --demo»."
)


class SummaryPage(QWizardPage):
    """What will be created, the demo option, and Afslut (which creates it all or nothing)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Klar til at oprette")
        self.setSubTitle("Kontrollér oplysningerne. Afslut opretter databasen og starter Koordinator.")
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setStyleSheet(INFO_STYLE)
        self.demo = QCheckBox("Opret også &demo-afdelingen til øvelse (fiktive patienter, separat database)")
        self.demo.setToolTip(literal(DEMO_TIP))
        self.error = text_label(style=ERROR_STYLE)
        self.error.setAccessibleName("Fejlbesked")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addSpacing(6)
        layout.addWidget(self.demo)
        layout.addWidget(text_label(DEMO_TIP, MUTED))
        layout.addStretch(1)
        layout.addWidget(text_label(LATER, MUTED))
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        self.error.hide()
        self.summary.setText("\n".join(self._wizard.summary_lines()))

    def validatePage(self) -> bool:
        return self._wizard.create_database()

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    """``created`` is the ``FirstRunResult`` after a successful Afslut (None if cancelled)."""

    def __init__(
        self,
        *,
        local_path: Path | None = None,
        clock: Clock | None = None,
        users: Callable[[ServiceContext], UserService] = UserService,
        check: Callable[[str], connection.ConnectionStatus] = connection.check_connection,
        create_demo: Callable[[], object] = create_demo_database,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._users = users
        self._create_demo = create_demo
        self.created: FirstRunResult | None = None
        self.demo_note = ""
        self.setWindowTitle("Koordinator – første opstart")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, label in (
            (QWizard.WizardButton.NextButton, "&Næste >"),
            (QWizard.WizardButton.BackButton, "< &Tilbage"),
            (QWizard.WizardButton.CancelButton, "Annuller"),
            (QWizard.WizardButton.FinishButton, "&Opret og start"),
        ):
            self.setButtonText(button, label)
        self.welcome = WelcomePage()
        self.local = LocalPage(local_path or default_local_path())
        self.shared = SharedPage(check)
        self.admin = AdminPage()
        self.ward = WardPage()
        self.summary = SummaryPage(self)
        for page_id, page in (
            (PAGE_WELCOME, self.welcome),
            (PAGE_LOCAL, self.local),
            (PAGE_SHARED, self.shared),
            (PAGE_ADMIN, self.admin),
            (PAGE_WARD, self.ward),
            (PAGE_SUMMARY, self.summary),
        ):
            self.setPage(page_id, page)
        self.setStartId(PAGE_WELCOME)
        self.resize(780, 620)

    @property
    def is_local(self) -> bool:
        return self.welcome.local.isChecked()

    def summary_lines(self) -> list[str]:
        if self.is_local:
            keyring = "gemmes i systemets nøglering" if self.local.remember.isChecked() else "skrives ved hver start"
            lines = [
                "Database: krypteret lokal database (SQLCipher)",
                f"    {self.local.path.text()}",
                f"    Adgangsfrasen {keyring}.",
            ]
        else:
            url = connection.hide_password(self.shared.tested or "")
            lines = ["Database: delt PostgreSQL-database", f"    {url}"]
            if self.shared.already_set_up:
                return [
                    *lines,
                    "",
                    "Databasen er allerede sat op af en anden computer: administrator, afsnit og kommuner "
                    "beholdes. Du logger ind med din egen bruger.",
                ]
            if self.shared.empty:
                lines.append("    Koordinators tabeller oprettes i den tomme database.")
        admin = self.admin.admin()
        ward = self.ward.ward_input()
        names = self.ward.chosen_names()
        shown = ", ".join(names[:8]) + (f" og {len(names) - 8} flere" if len(names) > 8 else "")
        lines += [
            "",
            f"Administrator: {' '.join(admin.full_name.split())} (brugernavn {admin.username.strip().lower()})",
            f"Afsnit: {' '.join(ward.centre.split())}, {' '.join(ward.ward.split())}",
            f"Kommuner ({len(names)}): {shown}",
        ]
        return lines

    def target(self) -> LocalTarget | SharedTarget:
        return self.local.target() if self.is_local else self.shared.target()

    def create_database(self) -> bool:
        """Afslut: create everything or nothing; on an error say so on the summary page and stay open."""
        target = self.target()
        set_up = isinstance(target, SharedTarget) and target.already_set_up
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.created = create_workstation(
                target,
                None if set_up else self.admin.admin(),
                None if set_up else self.ward.ward_input(),
                clock=self._clock,
                users=self._users,
            )
        except KoordinatorError as exc:
            show_message(self.summary.error, exc.message, ERROR_STYLE)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if self.summary.demo.isChecked():
            try:
                self._create_demo()
                self.demo_note = "Demo-afdelingen er oprettet. Åbn den med «koordinator --demo»."
            except KoordinatorError as exc:
                self.demo_note = f"Demo-afdelingen kunne ikke oprettes: {exc.message}"
        return True


def run_first_run(wizard: FirstRunWizard | None = None) -> FirstRunResult | None:
    """Show the wizard; the result after Afslut, None when cancelled."""
    wizard = wizard or FirstRunWizard()
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        wizard.resize(min(wizard.width(), area.width()), min(wizard.height(), area.height()))
    if wizard.exec() != QWizard.DialogCode.Accepted:
        return None
    if wizard.demo_note:
        QMessageBox.information(None, "Koordinator – demo-afdelingen", literal(wizard.demo_note))
    return wizard.created
