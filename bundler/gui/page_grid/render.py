"""Thumbnails of a document's source pages, rendered by pypdfium2 on a thread of their own.

Each page is rendered under the app's PDFium lock (PDFium must never be entered from two
threads at once), one page at a time, so a build started meanwhile waits one page at most.
Pages are rendered upright as stored; the grid turns each picture as the bundle will.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from bundler.gui.workers import PDFIUM_LOCK

__all__ = ["ThumbnailRenderer", "THUMB_EDGE"]

THUMB_EDGE = 140  # px: the longer side of a thumbnail


def page_image(pdf: pdfium.PdfDocument, index: int, edge: int = THUMB_EDGE) -> QImage:
    """Page ``index`` scaled so its longer side is ``edge`` pixels, as a QImage of its own."""
    page = pdf[index]
    width, height = page.get_size()
    bitmap = page.render(scale=edge / max(width, height, 1.0), rev_byteorder=True)
    fmt = QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
    image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
    page.close()
    return image


class ThumbnailRenderer(QThread):
    """Finds the document's PDF (``locate`` may convert a DOCX), then renders every page."""

    rendered = Signal(int, QImage)  # 1-based source page, its picture
    failed = Signal(str)  # why there are no pictures (the grid still works without them)

    def __init__(self, locate: Callable[[], Path], password: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locate, self._password = locate, password
        self._stop = threading.Event()

    def stop(self) -> None:
        """Stop after the page being rendered, and wait for it."""
        self._stop.set()
        self.wait()

    def run(self) -> None:
        try:
            path = self._locate()
            with PDFIUM_LOCK:
                pdf = pdfium.PdfDocument(str(path), password=self._password)
            self._render_all(pdf)
        except Exception as exc:  # a picture is a convenience: say why, never crash the dialog
            self.failed.emit(f"The page pictures could not be shown ({exc.__class__.__name__}: {exc}).")

    def _render_all(self, pdf: pdfium.PdfDocument) -> None:
        try:
            for index in range(len(pdf)):
                if self._stop.is_set():
                    return
                with PDFIUM_LOCK:
                    image = page_image(pdf, index)
                self.rendered.emit(index + 1, image)
        finally:
            with PDFIUM_LOCK:
                pdf.close()
