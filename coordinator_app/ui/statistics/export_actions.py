"""Statistik's **Eksportér XLSX…** and **Eksportér CSV…** (``statistics_tab``): exactly the ``Statistics`` on screen,
as a file — through ``services.exports``, the one way patient data leaves the program.

The sheet *Indlæggelser bag tallene* lists the admission ids behind each figure — pseudonymous, and so still
personal data (GDPR art. 4(5)): whoever has the program finds the patient from the id. So the export is encrypted
with a password the user types twice: XLSX as Excel encrypts it, CSV inside an AES zip. A demo database
(fictitious patients) exports plain; the service decides which (``ExportService.encrypts``) and checks the role
before a password is asked or a file exists. The file is written through a temporary file beside the target and
moved into place, so a full disk or a missing permission leaves nothing half-written (Danish message, and no audit
line: a failed export is not an export).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.statistics import Statistics
from coordinator_app.services.exports import XLSX, Export, ExportNotLoggedError, ExportService, Saved
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.export_password import ExportPasswordDialog, ask_export_password
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import ERROR_STYLE, OK_STYLE
from coordinator_app.ui.statistics.statistics_view import export_error_text

__all__ = ["StatisticsExport"]


class StatisticsExport:
    """The export of one Statistik tab: asks where (and, outside a demo, for a password), writes, and says so.

    ``statistics()`` gives the figures on screen (``None``: the chosen period is refused, already said),
    ``period()`` the chosen dates (for the suggested file name), ``say(text, style)`` the tab's message line.
    """

    def __init__(
        self,
        parent: QWidget,
        exports: ExportService,
        *,
        statistics: Callable[[], Statistics | None],
        period: Callable[[], tuple[date, date]],
        say: Callable[[str, str], None],
    ) -> None:
        self._parent = parent
        self._exports = exports
        self._statistics = statistics
        self._period = period
        self._say = say
        self.export_dir: Path | None = None  # where the last export went: the next one is suggested there
        self.last_export: Path | None = None
        self.message_box: QMessageBox | None = None  # the failure explained (open, not blocking)
        self.password_dialog: ExportPasswordDialog | None = None

    def default_file_name(self, kind: str) -> str:
        start, end = self._period()
        return f"koordinator-statistik-{start.isoformat()}-{end.isoformat()}.{self._exports.suffix(kind)}"

    def export(self, kind: str) -> bool:
        """Eksportér XLSX…/CSV…: ask where, then (unless demo) for a password, then write the figures on screen.

        True when the file is written at once (a demo database); False when cancelled or refused, and while the
        password is being asked for — the file is written when the user accepts it."""
        stats = self._statistics()
        if stats is None:
            return False
        folder = self.export_dir or Path.home()
        suffix = self._exports.suffix(kind)
        if kind == XLSX:
            caption, pattern = "Eksportér statistik som Excel-projektmappe", "Excel-projektmappe (*.xlsx)"
        elif suffix == "zip":
            caption, pattern = "Eksportér statistik som CSV (krypteret zip)", "CSV i krypteret zip (*.zip)"
        else:
            caption, pattern = "Eksportér statistik som CSV", "CSV til Excel (*.csv)"
        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent, caption, str(folder / self.default_file_name(kind)), pattern
        )
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() != f".{suffix}":
            path = path.with_name(f"{path.name}.{suffix}")
        export = self._prepare(stats, kind)  # the role is checked before a password is asked or a file exists
        if export is None:
            return False
        if not self._exports.encrypts():
            return self._write(path, export, None)
        self.password_dialog = ask_export_password(
            self._parent, "Statistikken", lambda password: self._write(path, export, password)
        )
        self.password_dialog.finished.connect(lambda _r: setattr(self, "password_dialog", None))
        return False

    def export_to(self, path: Path, kind: str, *, password: str | None = None) -> bool:
        """Write the figures on screen to ``path`` — encrypted with ``password`` unless the database is a demo (CSV
        then in an AES zip) — and log the export; a failure is explained in Danish."""
        stats = self._statistics()
        if stats is None:
            return False
        export = self._prepare(stats, kind)
        if export is None:
            return False
        return self._write(path, export, password)

    def _prepare(self, stats: Statistics, kind: str) -> Export | None:
        try:
            return self._exports.statistics(stats, kind)
        except KoordinatorError as exc:
            show_error(self._parent, exc)
            return None

    def _write(self, path: Path, export: Export, password: str | None) -> bool:
        try:
            saved = self._exports.write(export, path, password)
        except OSError as exc:
            text = export_error_text(path, exc)
            self._say(f"⚠ {text.splitlines()[0]} {text.splitlines()[2]}", ERROR_STYLE)
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Eksport mislykkedes",
                literal(text),
                QMessageBox.StandardButton.Ok,
                self._parent,
            )
            box.open()
            self.message_box = box
            return False
        except ExportNotLoggedError as exc:  # the file is written; say that the log line could not be
            show_error(self._parent, exc)
            saved = exc.saved
        except KoordinatorError as exc:  # a password the service refuses: nothing is written
            show_error(self._parent, exc)
            return False
        self._done(saved)
        return True

    def _done(self, saved: Saved) -> None:
        self.export_dir = saved.path.parent
        self.last_export = saved.path
        how = " (krypteret – send adgangskoden ad en anden vej)" if saved.encrypted else " (demo – ikke krypteret)"
        self._say(f"✓ Statistikken er gemt i {saved.path}{how}", OK_STYLE)
