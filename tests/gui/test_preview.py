"""The page preview, driven as a user would: pages, thumbnails, boxes drawn with the mouse.

Where a box lands is checked against two things bundler does not compute: the
pixels QtPdf painted (where the word is seen) and PDFium's character boxes (where
the word is in the file).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from pypdf import PdfWriter
from pypdf.generic import NameObject, RectangleObject
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, QRect, Qt  # noqa: E402
from PySide6.QtGui import QImage, QWheelEvent  # noqa: E402
from PySide6.QtPdfWidgets import QPdfView  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from bundler.gui.preview.view import PreviewPane  # noqa: E402

WORD = "Redactme"
Rect = tuple[float, float, float, float]


# --- sample PDFs -----------------------------------------------------------------------


def _pages_pdf(path: Path, count: int) -> Path:
    """Page n says "Page n", lower on each page: the page shown can be told from its pixels."""
    pdf = Canvas(str(path), pagesize=A4)
    for n in range(1, count + 1):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, A4[1] - 72 - 40 * (n % 15), f"Page {n}")
        pdf.showPage()
    pdf.save()
    return path


def _word_pdf(path: Path) -> Path:
    """WORD on four pages: plain, /Rotate 90, cropped (origin moved), cropped and /Rotate 270."""
    pdf = Canvas(str(path), pagesize=A4)
    for _ in range(4):
        pdf.setFont("Helvetica-Bold", 28)
        pdf.drawString(150, 500, WORD)
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=str(path))
    writer.pages[1].rotate(90)
    writer.pages[2][NameObject("/CropBox")] = RectangleObject([60, 120, 520, 780])
    writer.pages[3][NameObject("/CropBox")] = RectangleObject([30, 200, 480, 700])
    writer.pages[3].rotate(270)
    writer.write(str(path))
    return path


def _word_box(path: Path, index: int) -> Rect:
    """The union of WORD's character boxes on a page, from PDFium (user space)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        text = pdf[index].get_textpage()
        start = text.get_text_range().index(WORD)
        boxes = [text.get_charbox(start + k) for k in range(len(WORD))]
    finally:
        pdf.close()
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _pages_pdf(tmp_path_factory.mktemp("big") / "big.pdf", 2000)


# --- reading the screen ------------------------------------------------------------------


def _pil(widget: QWidget) -> Image.Image:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())
    return Image.frombytes("RGB", (image.width(), image.height()), data, "raw", "RGB", image.bytesPerLine())


def _ink(widget: QWidget) -> QRect | None:
    """Bounding box of the dark (text) pixels painted in ``widget``."""
    box = _pil(widget).convert("L").point(lambda v: 255 if v < 100 else 0).getbbox()
    return None if box is None else QRect(QPoint(box[0], box[1]), QPoint(box[2] - 1, box[3] - 1))


def _tinted(widget: QWidget) -> QRect | None:
    """Bounding box of the yellow-tinted pixels (the highlight colour: much more red than blue)."""
    red, _green, blue = _pil(widget).split()
    box = ImageChops.subtract(red, blue).point(lambda v: 255 if v > 60 else 0).getbbox()
    return None if box is None else QRect(QPoint(box[0], box[1]), QPoint(box[2] - 1, box[3] - 1))


def _drag(widget: QWidget, start: QPoint, end: QPoint) -> None:
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(widget, (start + end) / 2)
    QTest.mouseMove(widget, end)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)


def _covers(outer: Rect, inner: Rect, slack: float = 0.5) -> bool:
    return (
        outer[0] <= inner[0] + slack
        and outer[1] <= inner[1] + slack
        and outer[2] >= inner[2] - slack
        and outer[3] >= inner[3] - slack
    )


def _close_to(outer: Rect, inner: Rect, most: float) -> bool:
    return all(abs(a - b) <= most for a, b in zip(outer, inner, strict=True))


@pytest.fixture
def pane(qtbot: QtBot) -> PreviewPane:
    widget = PreviewPane()
    qtbot.addWidget(widget)
    widget.resize(720, 820)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _shown(qtbot: QtBot, pane: PreviewPane) -> QRect:
    """Wait until the page is painted; where its text is, in viewport pixels."""
    qtbot.waitUntil(lambda: _ink(pane.view.viewport()) is not None, timeout=5000)
    ink = _ink(pane.view.viewport())
    assert ink is not None
    return ink


# --- pages and navigation --------------------------------------------------------------


def test_shows_pdf_and_navigates(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    with qtbot.waitSignal(pane.pageChanged) as opened:
        pane.show_pdf(_pages_pdf(tmp_path / "three.pdf", 3))
    assert opened.args == [0] and pane.message() == "" and pane.page_count() == 3
    first = _shown(qtbot, pane)
    with qtbot.waitSignal(pane.pageChanged) as moved:
        qtbot.mouseClick(pane.toolbar.next, Qt.MouseButton.LeftButton)
    assert moved.args == [1] and pane.toolbar.spin.value() == 2
    qtbot.waitUntil(lambda: (_ink(pane.view.viewport()) or first).top() > first.top() + 20)  # "Page 2" sits lower
    with qtbot.waitSignal(pane.pageChanged) as typed:
        pane.toolbar.spin.setValue(3)
    assert typed.args == [2] and not pane.toolbar.next.isEnabled()
    with qtbot.waitSignal(pane.pageChanged) as back:
        qtbot.mouseClick(pane.toolbar.previous, Qt.MouseButton.LeftButton)
    assert back.args == [1]
    pane.show_page(99)
    assert pane.current_page() == 2  # clamped to the last page


def test_thumbnail_click_changes_page(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    pane.show_pdf(_pages_pdf(tmp_path / "three.pdf", 3))
    third = pane.strip.visualRect(pane.thumbnails.index(2)).center()
    with qtbot.waitSignal(pane.pageChanged) as clicked:
        qtbot.mouseClick(pane.strip.viewport(), Qt.MouseButton.LeftButton, pos=third)
    assert clicked.args == [2] and pane.toolbar.spin.value() == 3


def test_rotate_zoom_and_fit_width(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    pane.show_pdf(_pages_pdf(tmp_path / "three.pdf", 3), page=1)
    with qtbot.waitSignal(pane.rotateRequested) as rotated:
        qtbot.mouseClick(pane.toolbar.rotate_right, Qt.MouseButton.LeftButton)
    assert rotated.args == [2, 90]
    with qtbot.waitSignal(pane.rotateRequested) as rotated:
        qtbot.mouseClick(pane.toolbar.rotate_left, Qt.MouseButton.LeftButton)
    assert rotated.args == [2, 270]
    fitted = pane.view.viewport().width()
    qtbot.mouseClick(pane.toolbar.zoom_in, Qt.MouseButton.LeftButton)
    assert pane.view.zoomMode() == QPdfView.ZoomMode.Custom and not pane.toolbar.fit.isChecked()
    assert pane.view.horizontalScrollBar().maximum() > 0  # the zoomed page is wider than the view
    qtbot.mouseClick(pane.toolbar.fit, Qt.MouseButton.LeftButton)
    assert pane.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert pane.view.horizontalScrollBar().maximum() == 0 and fitted > 0


def test_fit_width_zoom_shown_follows_the_view_width(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    path = _pages_pdf(tmp_path / "wide.pdf", 1)
    writer = PdfWriter(clone_from=str(path))
    writer.pages[0].rotate(90)  # landscape: shorter than the view, so no scroll range changes
    writer.write(str(path))
    pane.show_pdf(path)
    _shown(qtbot, pane)
    before = pane.toolbar.zoom.text()
    pane.resize(pane.width() + 300, pane.height())
    qtbot.waitUntil(lambda: pane.toolbar.zoom.text() != before)
    assert int(pane.toolbar.zoom.text().rstrip("%")) > int(before.rstrip("%"))


def test_missing_and_unreadable_files_say_why(pane: PreviewPane, tmp_path: Path) -> None:
    pane.show_pdf(tmp_path / "Exhibit 4.pdf")
    assert "'Exhibit 4.pdf' cannot be found" in pane.message() and pane.page_count() == 0
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\nthis is not a PDF at all")
    pane.show_pdf(junk)
    assert "'junk.pdf' cannot be read as a PDF" in pane.message()
    pane.show_pdf(None)
    assert "Select a document" in pane.message()


def test_encrypted_pdf_uses_password(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    writer = PdfWriter(clone_from=str(_pages_pdf(tmp_path / "plain.pdf", 2)))
    writer.encrypt("s3cret", algorithm="AES-256")
    writer.write(str(path))
    pane.show_pdf(path)
    assert "'locked.pdf' is password-protected" in pane.message()
    pane.show_pdf(path, password="wrong")
    assert "did not open with the password given" in pane.message()
    pane.show_pdf(path, password="s3cret", page=1)
    assert pane.message() == "" and pane.page_count() == 2 and pane.current_page() == 1
    _shown(qtbot, pane)


# --- thumbnails -------------------------------------------------------------------------


def test_thumbnails_render_lazily_off_the_ui_thread(qtbot: QtBot, pane: PreviewPane, big_pdf: Path) -> None:
    started = time.perf_counter()
    pane.show_pdf(big_pdf)
    opened = time.perf_counter() - started
    model = pane.thumbnails
    assert model.rowCount() == 2000 and pane.page_count() == 2000
    assert model.thumbnail(0) is None  # not rendered while opening
    qtbot.waitUntil(lambda: model.thumbnail(0) is not None, timeout=10000)
    image = model.thumbnail(0)
    assert image is not None and 0 < image.width() <= 96 and 0 < image.height() <= 128
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    assert any(gray.pixelColor(x, y).value() < 200 for x in range(gray.width()) for y in range(gray.height()))
    qtbot.wait(300)  # give a runaway renderer time to show itself
    assert model.rendered_count <= 60, f"{model.rendered_count} thumbnails rendered for a few visible rows"
    pane.show_page(1999)
    qtbot.waitUntil(lambda: model.thumbnail(1999) is not None, timeout=10000)
    assert model.thumbnail(1000) is None and model.rendered_count <= 120
    print(f"2,000-page PDF opened in {opened * 1000:.0f} ms")


def test_closing_while_thumbnails_render(qtbot: QtBot, big_pdf: Path) -> None:
    widget = PreviewPane()
    widget.resize(400, 900)
    widget.show()
    widget.show_pdf(big_pdf, page=500)
    widget.show_pdf(big_pdf.with_name("gone.pdf"))  # switching files stops the old renders
    widget.show_pdf(big_pdf, page=10)
    model = widget.thumbnails
    qtbot.waitUntil(lambda: model.rendered_count > 0, timeout=10000)
    with qtbot.waitSignal(widget.destroyed):
        widget.deleteLater()  # with renders still queued: no crash, no Qt warning


def test_thumbnail_model_passes_model_tester(qtmodeltester: ModelTester, pane: PreviewPane, tmp_path: Path) -> None:
    pane.show_pdf(_pages_pdf(tmp_path / "three.pdf", 3))
    qtmodeltester.check(pane.thumbnails)


# --- boxes and highlights ------------------------------------------------------------------


@pytest.mark.parametrize("index", [0, 1, 2, 3], ids=["plain", "rotate90", "cropped", "cropped-rotate270"])
def test_box_drawn_over_a_word_covers_its_characters(
    qtbot: QtBot, pane: PreviewPane, tmp_path: Path, index: int
) -> None:
    path = _word_pdf(tmp_path / "word.pdf")
    pane.show_pdf(path, page=index)
    ink = _shown(qtbot, pane)
    pane.set_box_mode(True)
    with qtbot.waitSignal(pane.boxDrawn) as drawn:
        _drag(pane.overlay, ink.topLeft() - QPoint(6, 6), ink.bottomRight() + QPoint(6, 6))
    page, rect = drawn.args
    word = _word_box(path, index)
    assert page == index + 1
    assert _covers(rect, word), f"{rect} does not cover {word}"
    assert _close_to(rect, word, 14), f"{rect} is far from {word}"


def test_box_honours_zoom_and_scrolling(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    path = _word_pdf(tmp_path / "word.pdf")
    pane.show_pdf(path, page=1)  # rotated 90: the word runs down the page
    pane.view.setZoomMode(QPdfView.ZoomMode.Custom)
    pane.view.setZoomFactor(2.0)
    pane.view.horizontalScrollBar().setValue(pane.view.horizontalScrollBar().maximum() // 2)
    pane.view.verticalScrollBar().setValue(pane.view.verticalScrollBar().maximum() // 3)
    ink = _shown(qtbot, pane)
    pane.set_box_mode(True)
    with qtbot.waitSignal(pane.boxDrawn) as drawn:
        _drag(pane.overlay, ink.bottomRight() + QPoint(8, 8), ink.topLeft() - QPoint(8, 8))  # dragged upwards
    rect, word = drawn.args[1], _word_box(path, 1)
    assert _covers(rect, word) and _close_to(rect, word, 10), f"{rect} vs {word}"


def test_no_box_outside_box_mode_or_for_a_click(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    pane.show_pdf(_word_pdf(tmp_path / "word.pdf"))
    drawn: list[object] = []
    pane.boxDrawn.connect(lambda *args: drawn.append(args))
    _drag(pane.overlay, QPoint(100, 100), QPoint(200, 200))
    pane.set_box_mode(True)
    _drag(pane.overlay, QPoint(100, 100), QPoint(101, 101))
    assert drawn == []


@pytest.mark.parametrize("index", [0, 3], ids=["plain", "cropped-rotate270"])
def test_highlight_is_painted_over_the_word(qtbot: QtBot, pane: PreviewPane, tmp_path: Path, index: int) -> None:
    path = _word_pdf(tmp_path / "word.pdf")
    pane.show_pdf(path, page=index)
    ink = _shown(qtbot, pane)
    assert _tinted(pane.view.viewport()) is None
    pane.set_highlights(index + 1, [_word_box(path, index)])
    qtbot.waitUntil(lambda: _tinted(pane.view.viewport()) is not None)
    tint = _tinted(pane.view.viewport())
    assert tint is not None
    for ours, theirs in (
        (tint.left(), ink.left()),
        (tint.top(), ink.top()),
        (tint.right(), ink.right()),
        (tint.bottom(), ink.bottom()),
    ):
        assert abs(ours - theirs) <= 6, f"highlight {tint} vs word {ink}"


def test_highlights_belong_to_their_page(qtbot: QtBot, pane: PreviewPane, tmp_path: Path) -> None:
    path = _word_pdf(tmp_path / "word.pdf")
    pane.show_pdf(path)
    pane.set_highlights(3, [_word_box(path, 2)])
    assert pane.overlay.highlights() == []
    pane.show_page(2)
    assert pane.overlay.highlights() == [_word_box(path, 2)]
    pane.show_pdf(_pages_pdf(tmp_path / "other.pdf", 3), page=2)
    assert pane.overlay.highlights() == []  # another file: its own highlights only


@pytest.mark.parametrize("index", [1, 3], ids=["rotate90", "cropped-rotate270"])
def test_drawn_box_is_painted_over_the_word_it_covers(
    qtbot: QtBot, pane: PreviewPane, tmp_path: Path, index: int
) -> None:
    path = _word_pdf(tmp_path / "word.pdf")
    pane.show_pdf(path, page=index)
    ink = _shown(qtbot, pane)
    pane.set_boxes({index + 1: [("box1", _word_box(path, index))]})
    qtbot.waitUntil(lambda: _tinted(pane.view.viewport()) is not None)
    tint = _tinted(pane.view.viewport())
    assert tint is not None and abs(tint.left() - ink.left()) <= 6 and abs(tint.top() - ink.top()) <= 6
    assert abs(tint.right() - ink.right()) <= 6 and abs(tint.bottom() - ink.bottom()) <= 6, f"{tint} vs {ink}"


def test_drawn_boxes_belong_to_their_page_and_are_picked_by_the_mouse(
    qtbot: QtBot, pane: PreviewPane, tmp_path: Path
) -> None:
    path = _word_pdf(tmp_path / "word.pdf")
    pane.show_pdf(path)
    pane.set_boxes({2: [("box2", (100.0, 100.0, 300.0, 200.0))]})
    assert pane.overlay.boxes() == []
    _drag(pane.overlay, QPoint(100, 100), QPoint(200, 200))  # no box here: the view's own drag
    pane.show_page(1)
    assert pane.overlay.boxes() == [("box2", (100.0, 100.0, 300.0, 200.0))]
    shown = pane.overlay.box_pixels("box2")
    assert shown is not None
    QTest.mouseClick(pane.overlay, Qt.MouseButton.LeftButton, pos=shown.center().toPoint())
    assert pane.overlay.selected_box() == "box2"
    with qtbot.waitSignal(pane.boxDeleted) as deleted:
        QTest.keyClick(pane.overlay, Qt.Key.Key_Delete)
    assert deleted.args == ["box2"]
    pane.view.setZoomMode(QPdfView.ZoomMode.Custom)
    pane.view.setZoomFactor(3.0)
    bar = pane.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    at = QPointF(pane.overlay.width() / 2, pane.overlay.height() / 2)
    wheel = QWheelEvent(
        at,
        pane.overlay.mapToGlobal(at),
        QPoint(),
        QPoint(0, -240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(pane.overlay, wheel)  # the overlay takes the mouse: the page still scrolls
    assert bar.value() > 0
    pane.show_pdf(_pages_pdf(tmp_path / "other.pdf", 3), page=1)
    assert pane.overlay.boxes() == []  # another file: none of this one's boxes
