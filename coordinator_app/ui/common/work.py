"""Running long work off the UI thread, behind a progress dialog: a backup, a check or a restore
(``ui.settings.backup_dialog``), a check-out to a laptop file (``ui.offline``).

The work (a service call) runs in a ``QThread``; its progress callback ``(done, total)`` feeds a window-modal
``QProgressDialog`` (a bar while pages or tables are copied, then e.g. "Kontrollerer …" once they all are), so the
window keeps painting. One piece of work at a time. The outcome is handed back on the UI thread: a ``KoordinatorError``
as the error to show, anything else re-raised there for the crash handler (a bug, not a storage failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from coordinator_app.domain.errors import KoordinatorError

__all__ = ["Finished", "ProgressCallback", "WorkRunner"]

#: ``progress(done, total)``: what the work reports while it copies.
ProgressCallback = Callable[[int, int], None]

#: ``finished(result, error)`` on the UI thread: the work's result, or the ``KoordinatorError`` it raised.
Finished = Callable[[Any, BaseException | None], None]


class _Job(QThread):
    """One piece of work off the UI thread; ``progressed(done, total)`` while it copies.

    The outcome (``result`` or ``error``) is read after ``finished``, on the UI thread.
    """

    progressed = Signal(int, int)

    def __init__(self, work: Callable[[ProgressCallback], Any], parent: QObject) -> None:
        super().__init__(parent)
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._work(self.progressed.emit)
        except BaseException as exc:  # handed to the UI thread: a KoordinatorError is shown, anything else re-raised
            self.error = exc


class WorkRunner(QObject):
    """Runs one piece of work at a time for ``parent`` (the dialog the progress dialog belongs to).

    ``progressed(done, total)`` mirrors the page-copy progress; ``busy_changed`` fires when work starts and again
    when it has ended, before its ``finished`` callback runs.
    """

    progressed = Signal(int, int)
    busy_changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._job: _Job | None = None
        self._progress: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(
        self,
        work: Callable[[ProgressCallback], Any],
        *,
        title: str,
        label: str,
        finished: Finished,
        copy_label: str | None = None,
        done_label: str | None = None,
    ) -> None:
        """Run ``work(progress)`` in the background: ``label`` at first, ``copy_label`` while pages are copied,
        ``done_label`` once they all are (the check of the copy); then ``finished(result, error)``."""
        progress = QProgressDialog(label, "", 0, 0, self._parent)
        progress.setWindowTitle(title)
        progress.setCancelButton(None)  # a page copy cannot be stopped halfway; it is over in seconds
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumDuration(300)
        progress.setMinimumWidth(420)
        self._progress = progress

        def step(done: int, total: int) -> None:
            if total <= 0:
                return
            # Before setValue: a window-modal progress dialog's setValue runs the event loop, which delivers the
            # next queued step (and the finish) first; emitted after it, listeners saw the steps out of order.
            self.progressed.emit(done, total)
            if done >= total and done_label is not None:
                progress.setRange(0, 0)
                progress.setLabelText(done_label)
            else:
                if progress.maximum() != total:
                    progress.setRange(0, total)
                    if copy_label is not None:
                        progress.setLabelText(copy_label)
                progress.setValue(done)

        job = _Job(work, self)
        job.progressed.connect(step)
        job.finished.connect(lambda: self._finish(job, finished))
        self._job = job
        self.busy_changed.emit()
        job.start()

    def _finish(self, job: _Job, finished: Finished) -> None:
        job.wait()
        self._job = None
        job.deleteLater()
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self.busy_changed.emit()
        if job.error is not None and not isinstance(job.error, KoordinatorError):
            raise job.error  # a bug, not a storage failure: the crash handler reports it
        finished(job.result, job.error)
