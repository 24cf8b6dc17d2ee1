"""The page preview: one page at a time (QtPdf), a strip of lazy thumbnails, and a layer
for hit highlights and hand-drawn redaction boxes.

Opening a document reads only what QtPdf needs to count its pages, so a 5,000-page
bundle opens at once; thumbnails and page geometry are read when first needed.

Each file gets a fresh QPdfView. QPdfView renders on a worker thread and keeps the pages by
number alone; its renderer skips a request that matches one still on its way (same page and
size), and forgets a request made while the document was not ready. So, with one view for
every file, a render of the previous file's page 1 could land as the new file's page 1 and
stay, or a page could never be drawn. A new view has no pages, requests or renders of any
other file; the old one is cut from the document (which waits for a render in progress)
before the document is closed, and is deleted with whatever it still had on the way.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from bundler.gui.preview.geometry import PageGeometry, PageGeometryReader, Rect
from bundler.gui.preview.load import FileKey, file_key, load_for_preview
from bundler.gui.preview.overlay import DrawnBox, PageOverlay
from bundler.gui.preview.placement import page_rect
from bundler.gui.preview.thumbnails import THUMBNAIL_SIZE, ThumbnailModel, thumbnail_strip
from bundler.gui.preview.toolbar import PageToolbar

__all__ = ["PreviewPane"]

NO_DOCUMENT = "Select a document or build the bundle to preview it here."
_ZOOM_STEPS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class PreviewPane(QWidget):
    pageChanged = Signal(int)  # 0-based page shown
    boxDrawn = Signal(int, object)  # (1-based page, (x0, y0, x1, y1) in unrotated user space)
    boxMoved = Signal(str, object)  # a drawn box's id, and where it now is (user space of its page)
    boxDeleted = Signal(str)  # a drawn box's id
    rotateRequested = Signal(int, int)  # (1-based page, degrees clockwise)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Children die in the order made: the thumbnail workers are waited for first, then the
        # document goes while the view is whole (the view reacts to its closing). Each file's
        # view is made later still (``_fresh_view``), so this order holds.
        self.thumbnails = ThumbnailModel(self)
        self._doc = QPdfDocument(self)
        self._nothing = QPdfDocument(self)  # never loaded: what an old view is left holding
        self.view = self._make_view()
        self._key: FileKey | None = None
        self._geometry: PageGeometryReader | None = None
        self._highlights: dict[int, list[Rect]] = {}
        self._boxes: dict[int, list[DrawnBox]] = {}  # hand-drawn boxes by 1-based page
        self.toolbar = PageToolbar(self)
        self.overlay = PageOverlay(self.view, self._current_geometry)
        self.strip = thumbnail_strip(self.thumbnails, self)
        self._message = QLabel(NO_DOCUMENT, self)
        self._message.setObjectName("previewMessage")
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._message)
        self._stack.addWidget(self.view)
        self._lay_out()
        self._connect()

    def _make_view(self, zoom: tuple[QPdfView.ZoomMode, float] | None = None) -> QPdfView:
        view = QPdfView(self)
        view.setPageMode(QPdfView.PageMode.SinglePage)
        mode, factor = zoom or (QPdfView.ZoomMode.FitToWidth, 1.0)
        view.setZoomMode(mode)
        view.setZoomFactor(factor)
        return view

    def _wire_view(self, view: QPdfView) -> None:
        """Follow ``view``'s page, size and scrolling."""
        view.pageNavigator().currentPageChanged.connect(self._on_page)
        view.viewport().installEventFilter(self)  # a wider view is a new fit-width zoom
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.connect(self.overlay.update)
            bar.rangeChanged.connect(self._layout_changed)  # QPdfView re-laid out the page

    def _unwire_view(self, view: QPdfView) -> None:
        """Stop following ``view`` (it is on its way out)."""
        view.pageNavigator().currentPageChanged.disconnect(self._on_page)
        view.viewport().removeEventFilter(self)
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.disconnect(self.overlay.update)
            bar.rangeChanged.disconnect(self._layout_changed)

    def _fresh_view(self) -> None:
        """Put a new view, with no pages or renders of any file, where the old one was."""
        old = self.view
        self._unwire_view(old)
        old.setDocument(self._nothing)  # its renderer lets go of the file, once a render in progress ends
        self.view = self._make_view((old.zoomMode(), old.zoomFactor()))
        self.view.setGeometry(old.geometry())
        self._stack.insertWidget(self._stack.indexOf(old), self.view)
        self._stack.removeWidget(old)
        self.overlay.attach(self.view)
        self._wire_view(self.view)
        old.deleteLater()  # with any render of the old file still on its way

    def _lay_out(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.strip)
        splitter.addWidget(self._stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([THUMBNAIL_SIZE.width() + 40, 600])
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.toolbar)
        column.addWidget(splitter, 1)

    def _connect(self) -> None:
        self.toolbar.pageRequested.connect(self.show_page)
        self.toolbar.zoomStepped.connect(self._step_zoom)
        self.toolbar.fitWidthToggled.connect(self._fit_width)
        self.toolbar.rotateClicked.connect(lambda degrees: self.rotateRequested.emit(self.current_page() + 1, degrees))
        self._wire_view(self.view)
        self.strip.selectionModel().currentChanged.connect(self._on_thumbnail)
        self.overlay.boxDrawn.connect(lambda rect: self.boxDrawn.emit(self.current_page() + 1, rect))
        self.overlay.boxMoved.connect(self.boxMoved)
        self.overlay.boxDeleted.connect(self.boxDeleted)
        shortcuts = (
            (QKeySequence.StandardKey.MoveToNextPage, 1),
            (QKeySequence.StandardKey.MoveToPreviousPage, -1),
        )
        for key, step in shortcuts:
            QShortcut(
                key,
                self,
                lambda step=step: self.show_page(self.current_page() + step),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        for key, step in (
            (QKeySequence.StandardKey.ZoomIn, 1),
            (QKeySequence.StandardKey.ZoomOut, -1),
        ):
            QShortcut(
                key,
                self,
                lambda step=step: self._step_zoom(step),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

    # --- the interface the main window uses -------------------------------------------

    def current_path(self) -> Path | None:
        """The file on show, if any."""
        return None if self._key is None else Path(self._key[0])

    def show_pdf(self, path: Path | None, password: str | None = None, page: int = 0) -> None:
        """Show ``path`` at ``page`` (0-based); a file that will not open shows why instead."""
        key = None if path is None else file_key(Path(path), password)
        if key is not None and key == self._key:
            self.show_page(page)  # already open: keep thumbnails and highlights
            return
        self._unload()
        if path is None:
            return
        problem = load_for_preview(self._doc, Path(path), password)
        if problem is not None:
            self._message.setText(problem)
            return
        self._key, self._geometry = key, PageGeometryReader(Path(path), password)
        self.view.setDocument(self._doc)
        self.thumbnails.set_document(self._doc)
        self._stack.setCurrentWidget(self.view)
        self.show_page(page)

    def show_page(self, index: int) -> None:
        """Go to page ``index`` (0-based, clamped to the document)."""
        count = self.page_count()
        if count == 0:
            return
        index = min(max(index, 0), count - 1)
        navigator = self.view.pageNavigator()
        if navigator.currentPage() == index:
            self._on_page(index)  # a newly opened document starts where the last one was
        else:
            navigator.jump(index, QPointF())

    def set_box_mode(self, on: bool) -> None:
        self.overlay.set_box_mode(on)

    def set_highlights(self, page: int, rects: list[tuple[float, float, float, float]]) -> None:
        """Highlight ``rects`` (user space) on ``page`` (1-based), replacing that page's others."""
        self._highlights[page] = [(float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1 in rects]
        if page == self.current_page() + 1:
            self.overlay.set_highlights(self._highlights[page])

    def set_boxes(self, boxes: dict[int, list[DrawnBox]]) -> None:
        """The hand-drawn boxes to show, by 1-based page (user space); replaces all others."""
        self._boxes = {page: list(found) for page, found in boxes.items()}
        self.overlay.set_boxes(self._boxes.get(self.current_page() + 1, []) if self.page_count() else [])

    # --- state for the main window and tests --------------------------------------------

    def page_count(self) -> int:
        return self._doc.pageCount() if self._doc.status() == QPdfDocument.Status.Ready else 0

    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage() if self.page_count() else 0

    def page_label(self, index: int) -> str:
        """The number page ``index`` (0-based) carries in the file, "" when it has none."""
        return self._doc.pageLabel(index) if 0 <= index < self.page_count() else ""

    def message(self) -> str:
        """The text shown instead of a page, or "" when a page is shown."""
        return self._message.text() if self._stack.currentWidget() is self._message else ""

    # --- internals ----------------------------------------------------------------------

    def _unload(self) -> None:
        if self.view.document() is not None:
            self._fresh_view()  # before the document closes: the old view's renderer lets go first
        self.thumbnails.set_document(None)
        self._doc.close()
        self._key, self._geometry = None, None
        self._highlights.clear()
        self._boxes.clear()
        self.overlay.set_highlights([])
        self.overlay.set_boxes([])
        self.toolbar.set_page(0, 0)
        self._message.setText(NO_DOCUMENT)
        self._stack.setCurrentWidget(self._message)

    def _current_geometry(self) -> PageGeometry | None:
        if not self.page_count():
            return None
        index = self.current_page()
        found = self._geometry.page(index) if self._geometry is not None else None
        if found is not None:
            return found
        size = self._doc.pagePointSize(index)  # the file hides its geometry: assume a plain page
        return PageGeometry((0.0, 0.0, size.width(), size.height()), 0)

    def _on_page(self, index: int) -> None:
        count = self.page_count()
        if not count or not 0 <= index < count:
            return
        self.toolbar.set_page(index, count)
        self.overlay.set_highlights(self._highlights.get(index + 1, []))
        self.overlay.set_boxes(self._boxes.get(index + 1, []))
        thumb = self.thumbnails.index(index)
        self.strip.selectionModel().setCurrentIndex(thumb, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.strip.scrollTo(thumb)
        self._layout_changed()
        self.pageChanged.emit(index)

    def _on_thumbnail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() != self.current_page():
            self.show_page(current.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._layout_changed)  # once QPdfView has laid the page out again
        return False

    def _zoom_factor(self) -> float:
        """The zoom shown, also in fit-width mode, where QPdfView chooses it."""
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or not self.page_count():
            return self.view.zoomFactor()
        points = self._doc.pagePointSize(self.current_page()).width()
        scale = QGuiApplication.primaryScreen().logicalDotsPerInch() / 72.0
        return page_rect(self.view).width() / (points * scale) if points > 0 else 1.0

    def _layout_changed(self) -> None:
        fit = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.toolbar.set_zoom(self._zoom_factor(), fit)
        self.overlay.update()

    def _step_zoom(self, step: int) -> None:
        current = self._zoom_factor()
        bigger = [z for z in _ZOOM_STEPS if z > current * 1.01]
        smaller = [z for z in _ZOOM_STEPS if z < current * 0.99]
        choice = (bigger[:1] if step > 0 else smaller[-1:]) or [current]
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(choice[0])
        self._layout_changed()

    def _fit_width(self, on: bool) -> None:
        current = self._zoom_factor()
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth if on else QPdfView.ZoomMode.Custom)
        if not on:
            self.view.setZoomFactor(current)
        self._layout_changed()

    def sizeHint(self) -> QSize:
        return QSize(760, 820)
