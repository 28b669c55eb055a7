"""Print preview, printing and "Gem som PDF…" for archived documents ("Gem som PDF" encrypts, issue 8).

Pages are rasterised with pdfium (``pypdfium2``: a small wheel with the renderer inside) because
PySide6-Essentials has no QtPdf; 300 dpi for the printer, 110 dpi for the preview.

"Gem som PDF" is an export: ``services.exports`` checks the role, decides whether the file is encrypted (not in a
demo database), writes it and logs it; this module asks where and for the password. Files Koordinator writes for
itself (the viewer's private copy, an invitation) go through ``infra.files.write_atomically`` too.
"""

from __future__ import annotations

import errno
import logging
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from coordinator_app.domain.errors import KoordinatorError
from coordinator_app.infra.files import write_atomically
from coordinator_app.infra.oserrors import describe
from coordinator_app.services.exports import Export, ExportNotLoggedError, ExportService
from coordinator_app.ui.common.errors import show_error
from coordinator_app.ui.common.export_password import ask_export_password
from coordinator_app.ui.common.safe_text import literal

log = logging.getLogger("koordinator.ui.printing")


def page_images(pdf: bytes, dpi: int) -> Iterator[QImage]:
    """Each page of ``pdf`` as an image (BGRA from pdfium is ARGB32 in memory on little-endian)."""
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, force_bitmap_format=pdfium_c.FPDFBitmap_BGRA)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_ARGB32)
            yield image.copy()  # detach from pdfium's buffer before it is freed
            bitmap.close()
            page.close()
    finally:
        document.close()


def paint_pdf(printer: QPrinter, pdf: bytes, dpi: int) -> int:
    """Paint every page onto ``printer``, one sheet a page, scaled into the printable area."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printeren kunne ikke startes")
    pages = 0
    try:
        for pages, image in enumerate(page_images(pdf, dpi), start=1):
            if pages > 1:
                printer.newPage()
            target = QRectF(painter.viewport())
            size = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.x(), target.y(), size.width(), size.height()), image)
    finally:
        painter.end()
    return pages


def print_preview(parent: QWidget | None, pdf: bytes, title: str) -> QPrintPreviewDialog:
    """Open Qt's print preview; printing from it uses the system's print dialog (QPrintDialog)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF carries its own margins
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"Udskriftsvisning – {title}")
    dialog.paintRequested.connect(lambda p: paint_pdf(p, pdf, 150))
    return dialog


def save_document_as(
    parent: QWidget | None,
    exports: ExportService,
    document_id: int,
    suggested: str,
    *,
    saved: Callable[[Path], None] | None = None,
) -> Path | None:
    """«Gem som PDF»: the archived document's exact bytes, encrypted with a password the user types twice (AES-256,
    issue 8: a file with patient data that leaves the program is encrypted). The role is checked before anything
    is asked (``ExportService.document``); a failing disk gets a Danish message.

    In a demo database (fictitious patients: ``ExportService.encrypts`` says no) the file is written plain, at once,
    and the path is returned. Otherwise the password dialog opens (not blocking) and ``None`` is returned;
    ``saved(path)`` is called in both cases once the file is written. Printing on paper is not a file and is not
    encrypted."""
    try:
        export = exports.document(document_id)
    except KoordinatorError as exc:
        show_error(parent, exc)
        return None
    name, _filter = QFileDialog.getSaveFileName(parent, "Gem som PDF", suggested, "PDF-dokumenter (*.pdf)")
    if not name:
        return None
    path = Path(name if name.lower().endswith(".pdf") else f"{name}.pdf")
    if not exports.encrypts():
        return path if _write_and_report(parent, exports, export, path, None, saved) else None

    def write_encrypted(password: str) -> None:
        _write_and_report(parent, exports, export, path, password, saved)

    ask_export_password(parent, f"PDF'en {path.name}", write_encrypted)
    return None


def _write_and_report(
    parent: QWidget | None,
    exports: ExportService,
    export: Export,
    path: Path,
    password: str | None,
    saved: Callable[[Path], None] | None,
) -> bool:
    try:
        exports.write(export, path, password)
    except OSError as exc:
        QMessageBox.warning(parent, "Koordinator", literal(save_error_message(path, exc)))
        return False
    except ExportNotLoggedError as exc:  # the file is there; say that its audit line is not
        show_error(parent, exc)
    except KoordinatorError as exc:  # e.g. not one of our PDFs: nothing is written
        show_error(parent, exc)
        return False
    if saved is not None:
        saved(path)
    return True


def write_pdf(path: Path, pdf: bytes) -> None:
    """Write ``pdf`` all or nothing (``infra.files.write_atomically``), readable by the user only — for the files
    that are not exports: the viewer's private copy (``open_externally``) and a meeting's invitation (.ics, without
    patient data)."""
    write_atomically(path, pdf)


def save_error_message(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"Disken er fuld, så {path.name} kunne ikke gemmes. Frigør plads, eller vælg et andet drev."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Du har ikke skriveadgang til {path.parent}. Vælg en anden mappe."
    return f"{path.name} kunne ikke gemmes ({describe(exc)}). Vælg en anden mappe, og prøv igen."


def open_externally(pdf: bytes, name: str) -> Path:
    """Open the document in the system's PDF viewer (a private temporary copy)."""
    folder = Path(tempfile.mkdtemp(prefix="koordinator-"))
    path = folder / name
    write_pdf(path, pdf)  # readable by the user only
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path
