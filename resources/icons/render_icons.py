"""Render the app icon's PNG sizes from ``koordinator.svg`` (run after editing the SVG).

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/render_icons.py

Uses Qt's own SVG renderer (QtSvg is part of PySide6-Essentials), so the PNGs match what Qt shows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "koordinator.svg"
SIZES = (16, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return HERE / f"koordinator-{size}.png"


def render(size: int, renderer: QSvgRenderer) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"Kan ikke læse {SOURCE}", file=sys.stderr)
        return 1
    for size in SIZES:
        path = png_path(size)
        if not render(size, renderer).save(str(path), "PNG"):
            print(f"Kan ikke gemme {path}", file=sys.stderr)
            return 1
        print(path.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
