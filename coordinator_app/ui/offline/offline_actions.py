"""Offline laptops in the Funktioner menu (issue 19, ``docs/offline.md``): «Tag med offline…» (the check-out dialog,
``checkout_dialog``), «Aflever offline-kopi…» (check-in, the conflicts decided, the offer to delete the file:
``checkin_dialog``, ``conflicts_dialog``), «Udlånte sager…» (the loans out, revoke: ``loans_dialog``) and the
window's «Offline-kopi» banner when the open database is a laptop file (``offline_banner``).

``lent(admission_ids)``: cases were lent (the window refreshes and shows the first); ``revoked``: a loan was revoked
(the window refreshes); ``handed_in``: a laptop file was handed in (the window refreshes); ``message(text)``: for
the status bar. The dialog modules and ``services.offline`` load when
first used (issue 7: start-up loads no storage layer).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from coordinator_app.domain.access import Permission
from coordinator_app.domain.cpr import mask_cpr
from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.lazy import lazy_import
from coordinator_app.services.registry import Services
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.safe_text import literal

if TYPE_CHECKING:
    from coordinator_app.domain.checkin import CheckinResult
    from coordinator_app.services import offline
    from coordinator_app.ui.offline import checkin_dialog, checkout_dialog, loans_dialog
else:
    offline = lazy_import("coordinator_app.services.offline")
    checkin_dialog = lazy_import("coordinator_app.ui.offline.checkin_dialog")
    checkout_dialog = lazy_import("coordinator_app.ui.offline.checkout_dialog")
    loans_dialog = lazy_import("coordinator_app.ui.offline.loans_dialog")

#: Why «Tag med offline…» is greyed out (its tooltip).
NOT_YOUR_ROLE = "Kun en koordinator eller en administrator kan tage sager med offline."
IN_OFFLINE_COPY = (
    "Dette er en offline-kopi: herfra kan intet tages med offline. Sager tages med fra afsnittets database."
)
NO_LOANS_HERE = "Dette er en offline-kopi: udlånene står i afsnittets database."
#: Why «Aflever offline-kopi…» is greyed out (its tooltip).
NOT_YOUR_ROLE_HAND_IN = "Kun en koordinator eller en administrator kan aflevere en offline-kopi."
HAND_IN_ON_THE_WARD = (
    "Dette er selve offline-kopien: den afleveres på afsnittet. Åbn afsnittets database på en arbejdsplads med "
    "netværk, vælg Funktioner → Aflever offline-kopi… og vælg denne fil."
)
#: The QSettings key of the laptop name last used: the next check-out's default.
LAST_LAPTOP = "offline/laptop"


#: How many lent cases the summary names; the rest are counted.
NAMED = 8


def summary_of(lent: list[offline.LendableCase]) -> str:
    """The lent cases, one a line ("• Ali Khan (040284-xxxx) – Indlagt 18-11-2026, Afsnit 7"), at most ``NAMED``."""
    lines = [f"• {case.name} ({mask_cpr(case.cpr)}) – {case.what}" for case in lent[:NAMED]]
    if len(lent) > NAMED:
        lines.append(f"• og {len(lent) - NAMED} til")
    return "\n".join(lines)


class OfflineActions(QObject):
    """The offline dialogs over ``window``; ``open_dialog`` is the last one opened (kept alive while open),
    ``summary`` the message shown after a check-out."""

    lent = Signal(list)
    revoked = Signal()
    handed_in = Signal()
    message = Signal(str)

    def __init__(
        self, window: QWidget, services: Services, settings: QSettings, *, selected: Callable[[], int | None]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._settings = settings
        self._selected = selected
        self.open_dialog: QDialog | None = None
        self.summary: checkout_dialog.SummaryDialog | None = None
        self.handed_in_dialog: checkin_dialog.HandedInDialog | None = None
        self.copy_info: offline.OfflineCopyInfo | None = None  # set when the open database is a laptop file

    # -- what the menu may offer --------------------------------------------------------------------------------
    def take_offline_refusal(self) -> str | None:
        """Why «Tag med offline…» is not offered here (a courtesy: the service refuses anyway), or None."""
        if self.copy_info is not None:
            return IN_OFFLINE_COPY
        if not self._services.ctx.may(Permission.LEND_CASES):
            return NOT_YOUR_ROLE
        return None

    def hand_in_refusal(self) -> str | None:
        """Why «Aflever offline-kopi…» is not offered here (the service refuses anyway), or None."""
        if self.copy_info is not None:
            return HAND_IN_ON_THE_WARD
        if not self._services.ctx.may(Permission.LEND_CASES):
            return NOT_YOUR_ROLE_HAND_IN
        return None

    # -- Funktioner → Tag med offline… ---------------------------------------------------------------------------
    def take_offline(self) -> None:
        refusal = self.take_offline_refusal()
        if refusal is not None:
            QMessageBox.information(self._window, "Tag med offline", literal(refusal))
            return
        ctx = self._services.ctx
        try:
            cases = offline.lendable(ctx)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        last = self._settings.value(LAST_LAPTOP)
        dialog = checkout_dialog.CheckoutDialog(
            ctx,
            cases,
            preselected=self._selected(),
            laptop=last if isinstance(last, str) else "",
            parent=self._window,
        )
        dialog.checked_out.connect(self._checked_out)
        dialog.open()
        self.open_dialog = dialog

    def _checked_out(self, result: offline.CheckoutResult, lent: list[offline.LendableCase]) -> None:
        loan = result.loan
        self._settings.setValue(LAST_LAPTOP, loan.laptop)
        count = len(loan.patient_ids)
        cases = "1 sag" if count == 1 else f"{count} sager"
        back = f", forventet tilbage {loan.expected_return:%d-%m-%Y}" if loan.expected_return else ""
        text = (
            f"{cases} er taget med offline til {loan.laptop}{back}:\n{summary_of(lent)}\n\n"
            f"Offline-kopien er gemt krypteret i:\n{result.path}\n\n"
            "Sagerne kan kun læses her, til filen er afleveret (Funktioner → Aflever offline-kopi…) eller en "
            "administrator tilbagekalder udlånet. Adgangskoden skal bruges for at åbne filen på den bærbare."
        )
        box = checkout_dialog.SummaryDialog(text, self._window)
        box.open()
        self.summary = box
        self.message.emit(f"{cases} udlånt til {loan.laptop}: {result.path.name}")
        self.lent.emit(sorted(loan.admission_ids))

    # -- Funktioner → Aflever offline-kopi… -------------------------------------------------------------------------
    def hand_in(self) -> None:
        refusal = self.hand_in_refusal()
        if refusal is not None:
            QMessageBox.information(self._window, "Aflever offline-kopi", literal(refusal))
            return
        dialog = checkin_dialog.CheckinDialog(self._services.ctx, self._window)
        dialog.handed_in.connect(self._handed_in)
        dialog.open()
        self.open_dialog = dialog

    def _handed_in(self, result: CheckinResult, path: Path, passphrase: str) -> None:
        box = checkin_dialog.HandedInDialog(self._services.ctx, result, path, passphrase, self._window)
        box.deleted.connect(lambda _files: self.message.emit(f"Offline-kopien {path.name} er slettet."))
        box.open()
        self.handed_in_dialog = box
        if result.already:
            self.message.emit(f"Offline-kopien fra {result.laptop} var allerede afleveret; intet er gjort.")
            return
        self.message.emit(f"Offline-kopien fra {result.laptop} er afleveret: {path.name}")
        self.handed_in.emit()

    # -- Funktioner → Udlånte sager… -----------------------------------------------------------------------------
    def show_loans(self) -> None:
        try:
            dialog = loans_dialog.LoansDialog(self._services.ctx, self._window)
        except KoordinatorError as exc:
            show_error(self._window, exc)
            return
        dialog.revoked.connect(self._revoked)
        dialog.open()
        self.open_dialog = dialog

    def _revoked(self, laptop: str) -> None:
        self.message.emit(f"Udlånet til {laptop} er tilbagekaldt; afsnittet kan skrive i sagerne igen.")
        self.revoked.emit()

    # -- the banner ----------------------------------------------------------------------------------------------
    def read_copy_info(self) -> offline.OfflineCopyInfo | None:
        """Whether the open database is a laptop file (``services.offline.offline_copy_info``); kept for the menu."""
        self.copy_info = offline.offline_copy_info(self._services.ctx)
        return self.copy_info
