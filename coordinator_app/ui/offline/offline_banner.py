"""The «Offline-kopi» banner (issue 19): above the tabs, always visible, when the open database is a laptop file —
which laptop, lent by whom since when, the expected return, and that the work must be handed in on the ward."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from coordinator_app.ui.common.safe_text import literal, plain_label

if TYPE_CHECKING:  # the banner is built from what the service read; the service loads with the storage layer
    from coordinator_app.services.offline import OfflineCopyInfo

__all__ = ["HAND_IN", "OfflineBanner", "banner_text"]

HAND_IN = "Aflever filen på afsnittet: Funktioner → Aflever offline-kopi…"
_STYLE = (
    "QFrame#offlineBanner { background: #fcefc7; border: 2px solid #c99a1a; border-radius: 4px; }"
    " QLabel { color: #4a3600; background: transparent; }"
)


def banner_text(info: OfflineCopyInfo) -> str:
    """The banner's words (plain text)."""
    back = f" Forventes tilbage {info.expected}." if info.expected else ""
    cases = f": {info.cases}" if info.cases else ""
    return (
        f"Udlånt til {info.laptop} af {info.lent_by} siden {info.since}{cases}.{back} Ændringer gemmes kun i denne "
        f"fil, til den er afleveret. {HAND_IN}"
    )


class OfflineBanner(QFrame):
    def __init__(self, info: OfflineCopyInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName("Offline-kopi")
        title = plain_label("Offline-kopi")
        title.setStyleSheet("QLabel { font-weight: bold; font-size: 13pt; }")
        title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.text = plain_label(banner_text(info))
        self.text.setWordWrap(True)
        self.text.setToolTip(literal(f"Udlånt fra: {info.source}") if info.source else "")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addWidget(self.text, 1)
