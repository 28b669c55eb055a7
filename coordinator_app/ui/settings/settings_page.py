"""What every page of Indstillinger shares (``SettingsPage``): its own Gem button, a refusal shown in Danish on
the page with the field or row in focus, a confirmation, and the unsaved-changes flag the dialog asks about before
closing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QWidget,
)

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.services.context import ServiceContext
from coordinator_app.ui.common.style import (
    OK_STYLE,
    error_label,
    text_label,
)


class SettingsPage(QWidget):
    """A page with its own Gem button, an ok/error line and an unsaved-changes flag."""

    saved = Signal(str)
    key = ""
    title = ""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.dirty = False
        self.error = error_label()
        self.ok = text_label(style=OK_STYLE)
        self.ok.hide()
        self.save_button = QPushButton("&Gem")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)

    def footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.ok, 1)
        row.addStretch(0)
        row.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        return row

    def changed(self) -> None:
        self.dirty = True
        self.ok.hide()

    def refused(self, exc: KoordinatorError, focus: QWidget | None = None) -> None:
        self.error.setText("⚠ " + exc.message)
        self.error.show()
        self.ok.hide()
        if focus is not None:
            focus.setFocus()

    def done(self, text: str) -> None:
        self.error.hide()
        self.ok.setText("✓ " + text)
        self.ok.show()
        self.dirty = False
        self.saved.emit(self.key)

    def save(self) -> bool:
        raise NotImplementedError


# -- Sengedagstakst ---------------------------------------------------------------------------------------------
