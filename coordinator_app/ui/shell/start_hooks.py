"""What is called when the main window is first on screen with its data (``on_shown``) and when its services are
ready for input (``on_ready``): ``ui.shell.startup`` and ``ui.shell.app`` call them with the window.

A module of its own that imports nothing at run time, so that a caller — ``benchmarks/run.py`` timing the start —
can register a hook without loading the UI (and with it PySide6) before the program does: ``koordinator`` imports
the window's modules only inside ``cli.commands.main``, with the cyclic garbage collector paused for the start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coordinator_app.ui.shell.main_window import MainWindow

#: Called with the window when it is first on screen with its data / when its services are ready.
on_shown: list[Callable[[MainWindow], None]] = []
on_ready: list[Callable[[MainWindow], None]] = []
