"""Thumbnails of a document's source pages, rendered by pypdfium2 on a thread of their own.

Only the pages the grid asks for are rendered (a view paints only the rows it shows), the
newest request first, so scrolling through a 2,000-page scan shows what is on screen at
once. Each page is rendered under the app's PDFium lock (PDFium must never be entered from
two threads at once), so a build started meanwhile waits one page at most. Pages are
rendered upright as stored; the grid turns each picture as the bundle will.
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
    """Finds the document's PDF (``locate`` may convert a DOCX), then renders the pages asked for."""

    rendered = Signal(int, QImage)  # 1-based source page, its picture
    failed = Signal(str)  # why there are no pictures (the grid still works without them)

    def __init__(self, locate: Callable[[], Path], password: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._locate, self._password = locate, password
        self._wanted: list[int] = []  # 1-based source pages; the newest request last
        self._changed = threading.Condition()
        self._stopping = False

    def want(self, source: int) -> None:
        """Render source page ``source`` (1-based) next; called on the UI thread."""
        with self._changed:
            if source in self._wanted:
                self._wanted.remove(source)
            self._wanted.append(source)
            self._changed.notify()

    def stop(self) -> None:
        """Stop after the page being rendered, and wait for it."""
        with self._changed:
            self._stopping = True
            self._changed.notify()
        self.wait()

    def _next(self) -> int | None:
        with self._changed:
            while not self._wanted and not self._stopping:
                self._changed.wait()
            return None if self._stopping else self._wanted.pop()

    def run(self) -> None:
        try:
            path = self._locate()
            with PDFIUM_LOCK:
                pdf = pdfium.PdfDocument(str(path), password=self._password)
            self._serve(pdf)
        except Exception as exc:  # a picture is a convenience: say why, never crash the dialog
            self.failed.emit(f"The page pictures could not be shown ({exc.__class__.__name__}: {exc}).")

    def _serve(self, pdf: pdfium.PdfDocument) -> None:
        try:
            while (source := self._next()) is not None:
                if 1 <= source <= len(pdf):
                    with PDFIUM_LOCK:
                        image = page_image(pdf, source - 1)
                    self.rendered.emit(source, image)
        finally:
            with PDFIUM_LOCK:
                pdf.close()
