"""Funktioner → «Aflever offline-kopi…» (issue 19): pick the laptop file, type its passphrase, hand it in with
progress; decide the conflicts; then what arrived, and the offer to delete the file.

``CheckinDialog`` runs ``services.checkin.check_in`` off the UI thread behind a progress dialog (``ui.common.work``,
as the check-out does). A refusal (a wrong passphrase, a file of another database …) is shown in the dialog with
every field kept: nothing was handed in. Conflicts open ``ConflictsDialog``; once a person has decided every one,
the check-in runs again with the decisions (a conflict that arose meanwhile is asked for in turn); cancelled, the
dialog says that nothing was handed in. ``handed_in(result, path, passphrase)``: the check-in merged, or the file
had been handed in already. ``HandedInDialog`` then says what arrived (counts per kind in words, the laptop's audit
lines, the conflicts decided) and offers to delete the file (``services.checkin.delete_laptop_file``, confirmed:
the file is deleted, not overwritten — on flash that would not reach the old data — so a copy on the laptop itself
is deleted there too).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.checkin import CheckinResult
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.services import checkin
from coordinator_app.services.context import ServiceContext
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import OK_STYLE, WARNING_STYLE, buddy_label, error_label, text_label
from coordinator_app.ui.common.work import ProgressCallback, WorkRunner
from coordinator_app.ui.offline.checkout_dialog import SUFFIX, documents_folder
from coordinator_app.ui.offline.conflicts_dialog import ConflictsDialog

__all__ = ["NOTHING_HANDED_IN", "CheckinDialog", "HandedInDialog", "arrived", "handed_in_text"]

#: The dialog's text width: it grows downwards when a message shows, never clipped.
WIDTH = 640
NO_FILE = "Vælg offline-kopien, der skal afleveres (Vælg fil…)."
NO_PASSPHRASE = "Skriv offline-kopiens adgangskode – den, der blev valgt, da sagerne blev taget med."
NOTHING_HANDED_IN = (
    "Konflikterne er ikke afgjort, så intet er afleveret: afsnittets database er uændret, og sagerne er stadig "
    "udlånt. Aflever filen igen, når I kan afgøre dem."
)
#: What the rows of each table are, singular and plural (the summary counts them in words).
KINDS: dict[str, tuple[str, str]] = {
    "meetings": ("netværksmøde", "netværksmøder"),
    "documents": ("dokument", "dokumenter"),
    "events": ("hændelse (notat, vurdering, varsling …)", "hændelser (notater, vurderinger, varslinger …)"),
    "discharge_plans": ("plan", "planer"),
    "discharge_plan_versions": ("planversion", "planversioner"),
    "consents": ("samtykke", "samtykker"),
    "patients": ("patient", "patienter"),
    "admissions": ("indlæggelse", "indlæggelser"),
    "contacts": ("kontakt i Kontaktbogen", "kontakter i Kontaktbogen"),
    "meeting_templates": ("mødeskabelon", "mødeskabeloner"),
    "kommuner": ("kommune", "kommuner"),
    "centres": ("center", "centre"),
    "wards": ("afsnit", "afsnit"),
}
DELETE_ASK = (
    "Offline-kopien {path} slettes nu.\n\n"
    "Filen slettes – den overskrives ikke først: på en SSD eller en USB-nøgle når en overskrivning ikke de gamle "
    "data, så det er filens kryptering, der beskytter dem. Ligger der en kopi af filen på den bærbare, skal den "
    "slettes dér også."
)


def _count(n: int, kind: tuple[str, str]) -> str:
    return f"{n} {kind[0] if n == 1 else kind[1]}"


def arrived(result: CheckinResult) -> list[str]:
    """What arrived, one line a kind: "1 netværksmøde oprettet", "2 hændelser oprettet og 1 rettet"."""
    lines = []
    tables = [t for t in KINDS if t in result.inserted or t in result.updated]
    tables += sorted(t for t in {*result.inserted, *result.updated} if t not in KINDS)
    for table in tables:
        kind = KINDS.get(table, (table, table))
        made, changed = result.inserted.get(table, 0), result.updated.get(table, 0)
        if made and changed:
            lines.append(f"{_count(made, kind)} oprettet og {changed} rettet")
        elif made:
            lines.append(f"{_count(made, kind)} oprettet")
        elif changed:
            lines.append(f"{_count(changed, kind)} rettet")
    return lines


def handed_in_text(result: CheckinResult) -> str:
    """The summary after a check-in that merged, or found the file handed in already (plain text)."""
    if result.already:
        return (
            f"Offline-kopien fra {result.laptop} er allerede afleveret. Intet er gjort denne gang – det, der blev "
            "skrevet på den bærbare, kom med ved den første aflevering."
        )
    lines = [f"• {line}" for line in arrived(result)] or ["• ingen ændringer"]
    audit = "1 linje" if result.audit_lines == 1 else f"{result.audit_lines} linjer"
    lines.append(f"• {audit} fra bærbarens revisionslog føjet til afsnittets (mærket {result.laptop})")
    if result.decided:
        lines.append(f"• {result.decided} {'konflikt' if result.decided == 1 else 'konflikter'} afgjort")
    return (
        f"Offline-kopien fra {result.laptop} er afleveret. Det kom med:\n"
        + "\n".join(lines)
        + "\n\nSagerne kan skrives i igen her. Filen er markeret som afleveret og kan ikke afleveres igen."
    )


class CheckinDialog(QDialog):
    handed_in = Signal(object, object, str)  # CheckinResult, the file's Path, its passphrase (for the deletion)

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None, *, folder: Path | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._folder = folder or documents_folder()
        self._resolutions: dict[str, str] = {}
        self.conflicts_dialog: ConflictsDialog | None = None
        self.setWindowTitle("Aflever offline-kopi")
        self.setWindowModality(Qt.WindowModality.WindowModal)

        intro = text_label(
            "Det, der er skrevet i offline-kopien på den bærbare, flettes ind i afsnittets database i ét hug. "
            "Har afsnittet også ændret noget af det samme, vises det side om side, og I vælger, hvad der gælder. "
            "Bagefter kan sagerne skrives i igen her."
        )
        self.path = QLineEdit()
        self.path.setPlaceholderText("offline-kopiens fil (.db)")
        self.path.setAccessibleName("Offline-kopiens fil")
        choose = QPushButton("Vælg &fil…")
        choose.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Offline-kopiens adgangskode")
        form = QFormLayout()
        form.addRow(buddy_label("&Fil:", self.path), file_row)
        form.addRow(buddy_label("&Adgangskode:", self.passphrase), self.passphrase)

        self.error_label = error_label()
        self.note = text_label(NOTHING_HANDED_IN, WARNING_STYLE)
        self.note.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Aflever")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        for label in (intro, self.error_label, self.note):  # a wrapped label's height is known at a fixed width
            label.setFixedWidth(WIDTH)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)  # grows when a message line shows
        self.runner = WorkRunner(self)
        self.runner.busy_changed.connect(lambda: self.buttons.setEnabled(not self.runner.busy))
        self.path.setFocus()

    def _choose_file(self) -> None:
        start = self.path.text().strip() or str(self._folder)
        name, _filter = QFileDialog.getOpenFileName(
            self, "Vælg offline-kopien", start, f"Koordinator-database (*{SUFFIX});;Alle filer (*)"
        )
        if name:
            self.path.setText(name)
            self.passphrase.setFocus()

    def problem(self) -> str | None:
        if not self.path.text().strip():
            self.path.setFocus()
            return NO_FILE
        if not self.passphrase.text():
            self.passphrase.setFocus()
            return NO_PASSPHRASE
        return None

    def start(self) -> None:
        """«Aflever»: check the fields, then hand in off the UI thread (with the decisions made so far)."""
        if self.runner.busy:
            return
        problem = self.problem()
        if problem is not None:
            self._show(problem)
            return
        self.error_label.hide()
        self.note.hide()
        ctx, path, passphrase = self._ctx, Path(self.path.text().strip()).expanduser(), self.passphrase.text()
        resolutions = dict(self._resolutions)

        def work(progress: ProgressCallback) -> CheckinResult:
            return checkin.check_in(ctx, path, passphrase, resolutions, progress=progress)

        self.runner.start(
            work,
            title="Aflever offline-kopi",
            label="Åbner offline-kopien …",
            copy_label="Fletter ændringerne ind i afsnittets database …",
            done_label="Føjer bærbarens revisionslog til og gemmer …",
            finished=lambda result, error: self._finished(result, error, path, passphrase),
        )

    def _finished(self, result: object, error: BaseException | None, path: Path, passphrase: str) -> None:
        if isinstance(error, KoordinatorError):
            self._resolutions.clear()  # what is decided belongs to that file's conflicts
            self._show(error.message)
            return
        assert isinstance(result, CheckinResult)
        if result.conflicts:
            self._ask(result)
            return
        self._resolutions.clear()
        self.passphrase.clear()
        self.accept()
        self.handed_in.emit(result, path, passphrase)

    def _ask(self, result: CheckinResult) -> None:
        dialog = ConflictsDialog(result.conflicts, result.laptop, self)
        dialog.accepted.connect(lambda: self._decided(dialog))
        dialog.rejected.connect(self._not_decided)
        self.conflicts_dialog = dialog
        dialog.open()

    def _decided(self, dialog: ConflictsDialog) -> None:
        self._resolutions.update(dialog.resolutions())
        self.start()

    def _not_decided(self) -> None:
        self._resolutions.clear()
        self.note.show()

    def _show(self, text: str) -> None:
        self.error_label.setText("⚠ " + text)
        self.error_label.show()

    def done(self, result: int) -> None:
        """Never closed while the check-in runs; the passphrase is cleared when it closes."""
        if self.runner.busy:
            return
        self.passphrase.clear()
        super().done(result)


class HandedInDialog(QDialog):
    """What arrived, and «Slet offline-kopien…» (confirmed) for the file that was handed in."""

    deleted = Signal(list)  # the files deleted

    def __init__(
        self, ctx: ServiceContext, result: CheckinResult, path: Path, passphrase: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._path = path
        self._passphrase = passphrase
        self.setWindowTitle("Offline-kopien er afleveret")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = text_label(handed_in_text(result), OK_STYLE)
        self.label.setFixedWidth(620)
        self.offer = text_label(
            f"Offline-kopien ligger stadig i {path}. Den skal ikke bruges mere; slet den, så sagerne ikke ligger "
            "på drevet."
        )
        self.offer.setFixedWidth(620)
        self.error_label = error_label()
        self.error_label.setFixedWidth(620)
        self.delete_button = QPushButton("&Slet offline-kopien…")
        self.delete_button.clicked.connect(self.ask_delete)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.offer)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        if not path.exists():
            self.offer.hide()
            self.delete_button.hide()

    def text(self) -> str:
        return self.label.text()

    def ask_delete(self) -> None:
        answer = QMessageBox.question(
            self,
            "Slet offline-kopien",
            literal(DELETE_ASK.format(path=self._path)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            removed = checkin.delete_laptop_file(self._ctx, self._path, self._passphrase)
        except KoordinatorError as exc:
            self.error_label.setText("⚠ " + exc.message)
            self.error_label.show()
            return
        self._passphrase = ""
        self.offer.setText(
            f"Offline-kopien {self._path} er slettet. Slet også en kopi af filen på den bærbare, hvis der er en."
        )
        self.offer.setStyleSheet(OK_STYLE)
        self.delete_button.setEnabled(False)
        self.deleted.emit(removed)

    def done(self, result: int) -> None:
        self._passphrase = ""
        super().done(result)
