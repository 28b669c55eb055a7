"""Lean charts for the Statistik tab, drawn with QPainter (PySide6-Essentials has no QtCharts).

One widget, ``HorizontalBarChart``: a title, a subtitle, one labelled bar per row with its Danish value text at
the bar's end, light gridlines with a Danish axis, readable on a slide. Each bar can be hovered (tooltip, hand
cursor), chosen with ↑/↓ and activated by double-click or Enter (``bar_activated``) — the Statistik tab opens
the admissions behind it. Plus the Danish number formats every figure on screen uses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from coordinator_app.ui.common.safe_text import literal

__all__ = [
    "Bar",
    "HorizontalBarChart",
    "format_count",
    "format_days",
    "format_decimal",
    "format_share",
    "nice_ticks",
]

# Light, print-friendly colours (a projector washes out anything paler).
BACKGROUND = QColor("#ffffff")
FRAME = QColor("#d5dbe3")
TITLE = QColor("#1c2733")
TEXT = QColor("#2b3640")
MUTED = QColor("#5f6b78")
GRID = QColor("#e6eaef")
AXIS = QColor("#aab4bf")
BAR = QColor("#9ec5e8")
BAR_EDGE = QColor("#4f86bd")
BAR_HOVER = QColor("#79addd")
BAR_MUTED = QColor("#d3d9e0")
BAR_MUTED_EDGE = QColor("#9aa5b1")
FOCUS = QColor("#1f5f9e")

PADDING = 16
GAP = 10


# -- Danish numbers ---------------------------------------------------------------------------------------------


def format_decimal(value: float | Decimal, decimals: int = 1) -> str:
    """``12345.67`` → ``"12.345,7"``: thousands with a dot, decimals with a comma (Danish)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "#").replace(".", ",").replace("#", ".")


def format_count(value: int) -> str:
    return format_decimal(value, 0)


def format_share(value: float | None) -> str:
    """``0.125`` → ``"12,5 %"``; ``None`` (nothing measured) → ``"–"``."""
    return "–" if value is None else f"{format_decimal(value * 100, 1)} %"


def format_days(value: float | int | None) -> str:
    """``6.5`` → ``"6,5 dage"``, ``1`` → ``"1 dag"``, ``25`` → ``"25 dage"``; ``None`` → ``"–"``."""
    if value is None:
        return "–"
    text = format_count(int(value)) if float(value).is_integer() else format_decimal(value, 1)
    return f"{text} {'dag' if value == 1 else 'dage'}"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round axis values from 0 to at least ``maximum`` (about ``count`` steps of 1, 2, 2.5 or 5 × 10ⁿ)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if step * 4 < 1 and power >= 1:  # counts: whole steps
        step = 1
    top = math.ceil(maximum / step - 1e-9) * step
    return [i * step for i in range(round(top / step) + 1)]


# -- the chart ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float  # in the chart's units (a share as 0–100)
    text: str  # Danish, drawn at the bar's end
    tooltip: str = ""
    muted: bool = False  # drawn grey: "Øvrige", or nothing measured


class HorizontalBarChart(QWidget):
    """A titled horizontal bar chart; ``bar_activated(index)`` on double-click or Enter."""

    bar_activated = Signal(int)

    def __init__(
        self,
        title: str = "",
        *,
        maximum: float | None = None,
        axis_format: Callable[[float], str] = lambda v: format_decimal(v, 0),
        activation_hint: str = "Dobbeltklik for at se indlæggelserne bag tallet.",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._title = title
        self._subtitle = ""
        self._bars: list[Bar] = []
        self._fixed_maximum = maximum
        self._axis_format = axis_format
        self._hint = activation_hint
        self._hover: int | None = None
        self._current: int | None = None
        self.empty_text = "Ingen tal i perioden"
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # -- data ---------------------------------------------------------------------------------------------------
    def set_title(self, title: str) -> None:
        self._title = title
        self.setAccessibleName(title)
        self.updateGeometry()
        self.update()

    def title(self) -> str:
        return self._title

    def subtitle(self) -> str:
        return self._subtitle

    def set_bars(self, bars: Sequence[Bar], *, subtitle: str = "") -> None:
        self._bars = list(bars)
        self._subtitle = subtitle
        self._hover = None
        self._current = None if not self._bars else min(self._current or 0, len(self._bars) - 1)
        self.setAccessibleDescription("; ".join(f"{b.label}: {b.text}" for b in self._bars))
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    # -- geometry -----------------------------------------------------------------------------------------------
    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() * 1.25)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.92)
        return title, base, small

    def _row_height(self) -> int:
        return max(28, round(QFontMetrics(self.font()).height() * 1.9))

    def _header_height(self) -> int:
        title, _base, small = self._fonts()
        height = QFontMetrics(title).height()
        if self._subtitle:
            height += 4 + QFontMetrics(small).height()
        return height + 12

    def _axis_height(self) -> int:
        return QFontMetrics(self._fonts()[2]).height() + 8

    def sizeHint(self) -> QSize:
        rows = max(len(self._bars), 2)
        return QSize(560, 2 * PADDING + self._header_height() + rows * self._row_height() + self._axis_height())

    def minimumSizeHint(self) -> QSize:
        rows = max(len(self._bars), 1)
        return QSize(320, 2 * PADDING + self._header_height() + rows * 22 + self._axis_height())

    def _maximum(self) -> float:
        if self._fixed_maximum is not None:
            return self._fixed_maximum
        return max((b.value for b in self._bars), default=0.0)

    def _layout(self) -> tuple[QRect, int, int, list[float]]:
        """(plot rectangle for the bars, label column width, value column width, axis ticks)."""
        _title, base, _small = self._fonts()
        fm = QFontMetrics(base)
        inner = self.rect().adjusted(PADDING, PADDING, -PADDING, -PADDING)
        label_w = min(max((fm.horizontalAdvance(b.label) for b in self._bars), default=0), int(inner.width() * 0.42))
        value_w = max((fm.horizontalAdvance(b.text) for b in self._bars), default=0)
        top = inner.top() + self._header_height()
        plot = QRect(
            inner.left() + label_w + GAP,
            top,
            max(inner.width() - label_w - value_w - 2 * GAP, 40),
            max(inner.bottom() - self._axis_height() - top, 10),
        )
        maximum = self._maximum()
        ticks = [0.0, maximum] if self._fixed_maximum is not None else nice_ticks(maximum)
        if self._fixed_maximum == 100:
            ticks = [0.0, 25.0, 50.0, 75.0, 100.0]
        return plot, label_w, value_w, ticks

    def _row_rect(self, plot: QRect, index: int) -> QRect:
        """Rows share the plot's height: at least 22 px, at most 1.6× the preferred row (no fat bars)."""
        count = max(len(self._bars), 1)
        room = plot.height() // count
        height = max(min(room, round(self._row_height() * 1.6)), min(22, room))
        top = plot.top() + max((plot.height() - height * count) // 2 - self._axis_height() // 2, 0)
        return QRect(plot.left(), top + index * height, plot.width(), height)

    def bar_rect(self, index: int) -> QRect:
        """Where bar ``index`` is drawn (at least a few pixels wide, so even 0 can be clicked)."""
        plot, _lw, _vw, ticks = self._layout()
        row = self._row_rect(plot, index)
        scale = ticks[-1] or 1.0
        width = max(round(plot.width() * min(self._bars[index].value / scale, 1.0)), 3)
        thickness = max(round(row.height() * 0.62), 12)
        return QRect(row.left(), row.top() + (row.height() - thickness) // 2, width, thickness)

    def bar_at(self, pos: QPoint) -> int | None:
        """The bar whose row (label, bar and value) is under ``pos``."""
        if not self._bars:
            return None
        plot = self._layout()[0]
        for index in range(len(self._bars)):
            row = self._row_rect(plot, index)
            if QRect(PADDING, row.top(), self.width() - 2 * PADDING, row.height()).contains(pos):
                return index
        return None

    # -- painting -----------------------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        painter.setPen(QPen(FRAME, 1))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        self._paint_header(painter)
        if not self._bars:
            painter.setPen(MUTED)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        plot, label_w, _value_w, ticks = self._layout()
        self._paint_grid(painter, plot, ticks)
        for index, bar in enumerate(self._bars):
            self._paint_bar(painter, plot, label_w, index, bar)
        painter.end()

    def _paint_header(self, painter: QPainter) -> None:
        title, _base, small = self._fonts()
        inner = self.rect().adjusted(PADDING, PADDING, -PADDING, -PADDING)
        painter.setFont(title)
        painter.setPen(TITLE)
        fm = QFontMetrics(title)
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), fm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(self._title, Qt.TextElideMode.ElideRight, inner.width()),
        )
        if self._subtitle:
            painter.setFont(small)
            painter.setPen(MUTED)
            sfm = QFontMetrics(small)
            painter.drawText(
                QRect(inner.left(), inner.top() + fm.height() + 4, inner.width(), sfm.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                sfm.elidedText(self._subtitle, Qt.TextElideMode.ElideRight, inner.width()),
            )

    def _paint_grid(self, painter: QPainter, plot: QRect, ticks: list[float]) -> None:
        _title, _base, small = self._fonts()
        painter.setFont(small)
        fm = QFontMetrics(small)
        rows_top = self._row_rect(plot, 0).top()
        rows_bottom = self._row_rect(plot, len(self._bars) - 1).bottom()
        scale = ticks[-1] or 1.0
        for value in ticks:
            x = plot.left() + round(plot.width() * value / scale)
            painter.setPen(QPen(AXIS if value == 0 else GRID, 1))
            painter.drawLine(x, rows_top, x, rows_bottom)
            text = self._axis_format(value)
            width = fm.horizontalAdvance(text)
            painter.setPen(MUTED)
            left = min(max(x - width // 2, plot.left() - width // 2), plot.right() - width // 2)
            painter.drawText(QRect(left, rows_bottom + 4, width + 2, fm.height()), Qt.AlignmentFlag.AlignLeft, text)

    def _paint_bar(self, painter: QPainter, plot: QRect, label_w: int, index: int, bar: Bar) -> None:
        _title, base, _small = self._fonts()
        fm = QFontMetrics(base)
        row = self._row_rect(plot, index)
        rect = self.bar_rect(index)
        painter.setFont(base)
        painter.setPen(TEXT)
        label = QRect(plot.left() - GAP - label_w, row.top(), label_w, row.height())
        painter.drawText(
            label,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            fm.elidedText(bar.label, Qt.TextElideMode.ElideMiddle, label_w),
        )
        fill = BAR_MUTED if bar.muted else (BAR_HOVER if index == self._hover else BAR)
        edge = BAR_MUTED_EDGE if bar.muted else BAR_EDGE
        painter.setPen(QPen(edge, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        if index == self._current and self.hasFocus():
            painter.setPen(QPen(FOCUS, 2, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRect(PADDING // 2, row.top() + 1, self.width() - PADDING, row.height() - 2))
        painter.setPen(TEXT)
        value = QRect(rect.right() + GAP, row.top(), self.width() - rect.right() - GAP - PADDING, row.height())
        painter.drawText(value, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, bar.text)

    # -- interaction --------------------------------------------------------------------------------------------
    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position().toPoint())
        if index != self._hover:
            self._hover = index
            if index is None:
                self.unsetCursor()
            else:
                self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover = None
        self.unsetCursor()
        self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position().toPoint())
        if index is not None:
            self._current = index
            self.update()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.bar_at(event.position().toPoint())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self._current = index
            self.bar_activated.emit(index)
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._bars and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = (-1 if key == Qt.Key.Key_Up else 1) if self._current is not None else 0
            self._current = min(max((self._current or 0) + step, 0), len(self._bars) - 1)
            self.update()
            return
        if self._bars and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.bar_activated.emit(self._current or 0)
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.bar_at(event.pos())
            if index is None:
                QToolTip.hideText()
                event.ignore()
                return True
            bar = self._bars[index]
            tip = bar.tooltip or f"{bar.label}: {bar.text}"
            QToolTip.showText(event.globalPos(), literal(f"{tip}\n{self._hint}" if self._hint else tip), self)
            return True
        return super().event(event)
