"""Funktioner → «Tag med offline…» (issue 19): pick the cases, name the laptop, the expected return, the file and its
passphrase, then check out with progress.

The cases are the ward's current admissions and the ambulant patients with a planned meeting
(``services.offline.lendable``), searchable by name or CPR number; the patient list's selection is ticked. A case
already lent says so in its row (the service refuses it, naming the loan). The passphrase is typed twice under the
export password's rules (``ui.common.export_password.PasswordPair``). The check-out runs off the UI thread behind a
progress dialog (``ui.common.work``, as backups do); a refusal is shown in the dialog with every field kept, and
nothing is lent and no file is left. ``checked_out(result, cases)``: the loan was recorded and the file written
(``cases``: the cases lent, for the summary).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.domain.offline import check_laptop_name
from coordinator_app.services import offline
from coordinator_app.services.context import ServiceContext
from coordinator_app.ui.common.export_password import PasswordPair
from coordinator_app.ui.common.safe_text import literal
from coordinator_app.ui.common.style import OK_STYLE, WARNING_STYLE, buddy_label, error_label, text_label
from coordinator_app.ui.common.tables import SortItem
from coordinator_app.ui.common.widgets import DateField, to_qdate
from coordinator_app.ui.common.work import ProgressCallback, WorkRunner

__all__ = ["SUFFIX", "CheckoutDialog", "SummaryDialog", "default_file"]

#: The app's database files end in .db (the first run's «Koordinator-database (*.db)»); a laptop file is one.
SUFFIX = ".db"
COLUMNS = ("Patient", "CPR-nr.", "Forløb", "Udlånt")
CASE_ROLE = Qt.ItemDataRole.UserRole
NOTHING_CHOSEN = "Vælg mindst én indlæggelse eller patient at tage med offline (sæt flueben i listen)."
NO_FILE = "Vælg hvor offline-kopien skal gemmes (Vælg fil…)."
KEEP_APART = (
    "Adgangskoden skal bruges, hver gang filen åbnes på den bærbare. Giv den til dem, der skal arbejde offline, ad "
    "en anden vej end den bærbare – skriv den aldrig på den bærbare eller i tasken."
)


def default_file(folder: Path, laptop: str, today_text: str) -> Path:
    """``folder``/koordinator-offline-<laptop>-<date>.db, numbered -2, -3 … past a file that exists."""
    slug = re.sub(r"[^0-9a-zæøå]+", "-", laptop.casefold()).strip("-") or "baerbar"
    stem = f"koordinator-offline-{slug}-{today_text}"
    path, number = folder / f"{stem}{SUFFIX}", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}{SUFFIX}", number + 1
    return path


def documents_folder() -> Path:
    """The user's documents folder (Qt's), else the home folder."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


class CheckoutDialog(QDialog):
    checked_out = Signal(object, list)  # services.offline.CheckoutResult, the LendableCases lent

    def __init__(
        self,
        ctx: ServiceContext,
        cases: list[offline.LendableCase],
        *,
        preselected: int | None,
        laptop: str,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = ctx.clock.today()
        self._folder = folder or documents_folder()
        self._path_edited = False
        self.setWindowTitle("Tag med offline")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumSize(780, 700)

        intro = text_label(
            "Sagerne gemmes i en krypteret offline-kopi til en bærbar, så der kan arbejdes på dem uden netværk. "
            "Indtil filen er afleveret, kan sagerne kun læses her på afsnittet."
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText("Søg på navn eller CPR-nr. …")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Søg i sagerne")
        self.search.textChanged.connect(self._filter)
        self.table = self._case_table(cases, preselected)

        self.laptop = QLineEdit(laptop)
        self.laptop.setPlaceholderText("fx Bærbar 3")
        self.laptop.setAccessibleName("Den bærbares navn")
        self.laptop.textEdited.connect(self._laptop_edited)
        self.expected_return = DateField(self._today + timedelta(days=7))
        self.expected_return.setMinimumDate(to_qdate(self._today))
        self.expected_return.setAccessibleName("Forventet tilbage")
        self.path = QLineEdit(str(default_file(self._folder, laptop, self._today.isoformat())))
        self.path.setAccessibleName("Offline-kopiens fil")
        self.path.textEdited.connect(self._path_typed)
        choose = QPushButton("Vælg &fil…")
        choose.clicked.connect(self._choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(choose)
        self.pair = PasswordPair()

        form = QFormLayout()
        form.addRow(buddy_label("&Navn:", self.laptop), self.laptop)
        form.addRow(buddy_label("&Forventet tilbage:", self.expected_return), self.expected_return)
        form.addRow(buddy_label("Gem &som:", self.path), file_row)

        self.error_label = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Tag med offline")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuller")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(buddy_label("&Sager:", self.search))
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        laptop_box = QGroupBox("Den bærbare")
        laptop_box.setLayout(form)
        layout.addWidget(laptop_box)
        secret_box = QGroupBox("Adgangskode til offline-kopien")
        secret = QVBoxLayout(secret_box)
        secret.addWidget(self.pair)
        secret.addWidget(text_label(KEEP_APART, WARNING_STYLE))
        layout.addWidget(secret_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.runner = WorkRunner(self)
        self.runner.busy_changed.connect(lambda: self.buttons.setEnabled(not self.runner.busy))
        (self.laptop if not laptop else self.pair.first).setFocus()

    # -- the cases ----------------------------------------------------------------------------------------------
    def _case_table(self, cases: list[offline.LendableCase], preselected: int | None) -> QTableWidget:
        table = QTableWidget(len(cases), len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.setAccessibleName("Sager, der kan tages med")
        for row, case in enumerate(cases):
            first = SortItem(case.name)
            first.setFlags(first.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = preselected is not None and case.admission_id == preselected
            first.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            first.setData(CASE_ROLE, case)
            table.setItem(row, 0, first)
            table.setItem(row, 1, SortItem(mask_cpr(case.cpr)))
            table.setItem(row, 2, SortItem(case.what))
            lent = SortItem(case.lent or "")
            if case.lent:
                lent.setForeground(Qt.GlobalColor.darkRed)
                lent.setToolTip(literal(case.lent))
            table.setItem(row, 3, lent)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.cellDoubleClicked.connect(self._toggle)
        ticked = next((row for row, case in enumerate(cases) if case.admission_id == preselected), None)
        if preselected is not None and ticked is not None:
            table.selectRow(ticked)
            center = QTableWidget.ScrollHint.PositionAtCenter  # once laid out: the ticked case in view
            QTimer.singleShot(0, lambda: table.scrollTo(table.model().index(ticked, 0), center))
        return table

    def _toggle(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _filter(self, text: str) -> None:
        wanted = text.casefold().replace("-", "").split()
        for row in range(self.table.rowCount()):
            case = self.case_at(row)
            haystack = f"{case.name} {case.cpr} {case.what}".casefold().replace("-", "")
            self.table.setRowHidden(row, not all(word in haystack for word in wanted))

    def case_at(self, row: int) -> offline.LendableCase:
        item = self.table.item(row, 0)
        assert item is not None
        case = item.data(CASE_ROLE)
        assert isinstance(case, offline.LendableCase)
        return case

    def row_of(self, *, admission_id: int | None = None, patient_id: int | None = None) -> int:
        """The row of an admission (or an ambulant patient), or -1."""
        for row in range(self.table.rowCount()):
            case = self.case_at(row)
            if (admission_id is not None and case.admission_id == admission_id) or (
                admission_id is None and case.admission_id is None and case.patient_id == patient_id
            ):
                return row
        return -1

    def set_checked(self, row: int, checked: bool = True) -> None:
        item = self.table.item(row, 0)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[offline.LendableCase]:
        """The ticked cases, also those a search hides."""
        return [
            self.case_at(row)
            for row in range(self.table.rowCount())
            if (item := self.table.item(row, 0)) is not None and item.checkState() == Qt.CheckState.Checked
        ]

    # -- the file ------------------------------------------------------------------------------------------------
    def _laptop_edited(self, name: str) -> None:
        """Until the user picks a file, its default name follows the laptop's."""
        if not self._path_edited:
            self.path.setText(str(default_file(self._folder, name, self._today.isoformat())))

    def _path_typed(self, _text: str) -> None:
        self._path_edited = True

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, "Hvor skal offline-kopien gemmes?", self.path.text(), f"Koordinator-database (*{SUFFIX})"
        )
        if name:
            self.path.setText(str(self._with_suffix(Path(name))))
            self._path_edited = True

    @staticmethod
    def _with_suffix(path: Path) -> Path:
        return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)

    # -- check-out -----------------------------------------------------------------------------------------------
    def problem(self) -> str | None:
        """What must be fixed before the check-out (Danish), the field focused; None when it can start."""
        if not self.chosen():
            self.table.setFocus()
            return NOTHING_CHOSEN
        try:
            check_laptop_name(self.laptop.text())
        except KoordinatorError as exc:
            self.laptop.setFocus()
            return exc.message
        text = self.path.text().strip()
        if not text:
            self.path.setFocus()
            return NO_FILE
        path = self._with_suffix(Path(text).expanduser())
        if path.exists():
            self.path.setFocus()
            return f"Filen {path} findes allerede. Vælg et nyt filnavn; en fil overskrives aldrig."
        return self.pair.problem()

    def start(self) -> None:
        """«Tag med offline»: check the fields, then lend in the background; the outcome in ``_finished``."""
        if self.runner.busy:
            return
        problem = self.problem()
        if problem is not None:
            self._show(problem)
            return
        self.error_label.hide()
        chosen = self.chosen()
        admissions = [case.admission_id for case in chosen if case.admission_id is not None]
        ambulant = [case.patient_id for case in chosen if case.admission_id is None]
        path = self._with_suffix(Path(self.path.text().strip()).expanduser())
        passphrase, laptop, expected = self.pair.first.text(), self.laptop.text(), self.expected_return.value()
        ctx = self._ctx

        def work(progress: ProgressCallback) -> offline.CheckoutResult:
            return offline.check_out(
                ctx,
                admissions,
                path,
                passphrase,
                laptop=laptop,
                patient_ids=ambulant,
                expected_return=expected,
                progress=progress,
            )

        self.runner.start(
            work,
            title="Tag med offline",
            label="Opretter offline-kopien …",
            copy_label="Kopierer sagerne til offline-kopien …",
            done_label="Gemmer udlånet …",
            finished=self._finished,
        )

    def _finished(self, result: object, error: BaseException | None) -> None:
        if isinstance(error, KoordinatorError):
            self._show(error.message)
            return
        assert isinstance(result, offline.CheckoutResult)
        lent = self.chosen()
        self.pair.clear()
        self.accept()
        self.checked_out.emit(result, lent)

    def _show(self, text: str) -> None:
        self.error_label.setText("⚠ " + text)
        self.error_label.show()

    def done(self, result: int) -> None:
        """Never closed while the check-out runs; the passphrase is cleared when it closes."""
        if self.runner.busy:
            return
        self.pair.clear()
        super().done(result)


class SummaryDialog(QDialog):
    """After a check-out: what was lent, where the file is, and that the cases can only be read here (window-modal,
    wide enough for a path on one line)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Taget med offline")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.label = text_label(text, OK_STYLE)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)  # as tall as the text at its width
        self.label.setFixedWidth(600)

    def text(self) -> str:
        return self.label.text()
