"""Om Koordinator (issue 9): icon, name, version, purpose, the database in use, Python and Qt, and the bundled
libraries with version and licence — with a button to the full licence texts (the LGPL asks for them).

The library table is read from ``resources/licenser/biblioteker.csv`` through ``ui.licences`` (a pure helper that
finds the file in the repository and in the frozen bundle alike).
"""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coordinator_app import __version__
from coordinator_app.infra.oserrors import describe
from coordinator_app.ui.common.icons import app_icon
from coordinator_app.ui.common.safe_text import literal, plain_label, rich_label
from coordinator_app.ui.common.style import ERROR_STYLE, MUTED, text_label
from coordinator_app.ui.common.widgets import cell
from coordinator_app.ui.shell.licences import Library, licence_texts, load_libraries

PURPOSE = (
    "Udskrivningskoordinering i voksenpsykiatrien efter Samarbejdsaftale om voksne borgere med psykisk sygdom "
    "(Region Hovedstaden 2022)."
)
HEADERS = ("Bibliotek", "Version", "Licens")


def _icon_pixmap_label(size: int) -> QLabel:
    label = plain_label()
    label.setPixmap(app_icon().pixmap(QSize(size, size)))
    label.setAlignment(Qt.AlignmentFlag.AlignTop)
    return label


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, database_kind: str, libraries_file: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("Om Koordinator")
        self.setMinimumSize(640, 600)

        name = plain_label("Koordinator")
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        name.setFont(font)
        self.version_label = plain_label(f"Version {__version__}")
        self.version_label.setAccessibleName("Version")
        purpose = text_label(PURPOSE)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(name)
        heading.addWidget(self.version_label)
        heading.addSpacing(6)
        heading.addWidget(purpose)
        top = QHBoxLayout()
        top.addWidget(_icon_pixmap_label(64))
        top.addSpacing(12)
        top.addLayout(heading, 1)

        facts = QFormLayout()
        facts.setHorizontalSpacing(16)
        facts.addRow("Database:", text_label(database_kind or "–"))
        facts.addRow("Python:", plain_label(platform.python_version()))
        facts.addRow("Qt:", plain_label(f"{qVersion()} (PySide6 {PySide6.__version__})"))

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Biblioteker")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setStyleSheet("QTableWidget::item { padding: 0 6px; } QHeaderView::section { padding: 2px 6px; }")
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.error = text_label(style=ERROR_STYLE)
        self.error.hide()
        try:
            self.libraries = load_libraries(libraries_file)
        except (OSError, ValueError) as exc:
            self.libraries = []
            self.error.setText(
                f"Listen over biblioteker kunne ikke læses ({exc}). Bed IT om at geninstallere Koordinator."
            )
            self.error.show()
        self._fill(self.libraries)
        self.table.setCurrentCell(-1, -1)  # no focus frame on the first cell

        self.licences_button = QPushButton("Vis &licenstekster…")
        self.licences_button.clicked.connect(self.show_licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.addButton(self.licences_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        libraries_title = rich_label("<b>Biblioteker, der følger med</b>")
        note = text_label(
            "Qt og PySide6 bruges under LGPL-3.0: du må erstatte Qt-bibliotekerne med dine egne, kompatible "
            "versioner. Hold musen over et bibliotek for at se dets hjemmeside.",
            MUTED,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(facts)
        layout.addSpacing(8)
        layout.addWidget(libraries_title)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(700, 680)

    def _fill(self, libraries: list[Library]) -> None:
        self.table.setRowCount(len(libraries))
        for row, library in enumerate(libraries):
            for col, text in enumerate((library.name, library.version, library.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(literal(library.homepage))
                self.table.setItem(row, col, item)

    def library_names(self) -> list[str]:
        return [cell(self.table, row, 0).text() for row in range(self.table.rowCount())]

    def show_licences(self) -> None:
        LicenceTextsDialog(self).exec()


class LicenceTextsDialog(QDialog):
    """The licence texts shipped in ``resources/licenser``: a list of titles, the chosen text beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Licenstekster")
        self.texts = licence_texts()
        self.list = QListWidget()
        self.list.setAccessibleName("Licenser")
        for title, _path in self.texts:
            self.list.addItem(title)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Licenstekst")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.list.currentRowChanged.connect(self._show)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 640])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("&Luk")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(960, 640)
        if self.texts:
            self.list.setCurrentRow(0)
        else:
            self.text.setPlainText("Licensteksterne blev ikke fundet i installationen. Bed IT om at geninstallere.")

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.texts):
            title, path = self.texts[row]
            try:
                self.text.setPlainText(path.read_text(encoding="utf-8"))
            except OSError as exc:
                self.text.setPlainText(f"{title} kunne ikke læses: {describe(exc)}.")
