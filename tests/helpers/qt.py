"""Typed look-ups the GUI tests share: Qt answers "maybe None" where the test knows what is there."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

W = TypeVar("W", bound=QWidget)


def wait_for_modal(qtbot: QtBot, kind: type[W]) -> W:
    """Wait until the modal widget on top is a ``kind`` (a dialog the test opened) and return it."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    widget = QApplication.activeModalWidget()
    assert isinstance(widget, kind)
    return widget
