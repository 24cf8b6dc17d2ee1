"""What you see is what you file: after another document is chosen, the big page shows *its* page.

QPdfView renders pages on a worker thread and caches them by page number alone; a render of
the previous file that is still on its way must not be shown as the new file's page. The page
painted on screen is compared with PDFium's render of the file the preview says it shows, and
with PDFium's render of the file shown before it.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageStat
from PySide6.QtGui import QImage
from PySide6.QtPdfWidgets import QPdfView
from pytestqt.exceptions import TimeoutError as WaitTimedOut
from pytestqt.qtbot import QtBot

from bundler.gui.preview.placement import page_rect
from bundler.gui.preview.view import PreviewPane
from tests.gui.test_app_flow import section

CORPUS = Path("/work/shared/corpus/real-pdfs")
_SMALL = (48, 64)  # compared at low resolution: anti-aliasing and hinting do not matter
_FILES = {
    "B": ["pdflatex-4-pages.pdf"],
    "C": ["google-doc-document.pdf", "crazyones-pdfa.pdf"],
    "D": ["multicolumn.pdf"],
}


def _corpus(name: str) -> Path:
    path = CORPUS / name
    assert path.is_file(), f"the shared corpus lacks {name}"
    return path


def _add(qtbot: QtBot, window, answers, letter: str, names: list[str]) -> None:
    window.tree.select_id(section(window, letter).id)
    answers.files = [_corpus(name) for name in names]
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()


def _small(image: Image.Image) -> Image.Image:
    return image.convert("L").resize(_SMALL, Image.Resampling.BOX)


Box = tuple[float, float, float, float]  # part of a page, as fractions of its width and height
Page = tuple[Path, int]  # a file and a page of it (0-based)


@functools.cache
def _page_image(page: Page) -> Image.Image:
    """PDFium's picture of the page: what a reader independent of QtPdf sees."""
    pdf = pdfium.PdfDocument(str(page[0]))
    try:
        return pdf[page[1]].render(scale=1.5).to_pil()
    finally:
        pdf.close()


def _rendered(page: Page, part: Box) -> Image.Image:
    image = _page_image(page)
    width, height = image.size
    x0, y0, x1, y1 = part
    return _small(image.crop((round(x0 * width), round(y0 * height), round(x1 * width), round(y1 * height))))


def _visible(preview: PreviewPane) -> Box:
    """The part of the current page the view's window onto it shows."""
    view = preview.view
    page = page_rect(view)
    seen = page.intersected(view.viewport().rect())
    return (
        (seen.left() - page.left()) / page.width(),
        (seen.top() - page.top()) / page.height(),
        (seen.right() + 1 - page.left()) / page.width(),
        (seen.bottom() + 1 - page.top()) / page.height(),
    )


def _on_screen(preview: PreviewPane) -> Image.Image:
    """The page area the preview paints, as the user sees it."""
    view = preview.view
    image = view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    pil = Image.frombytes(
        "RGB", (image.width(), image.height()), bytes(image.constBits()), "raw", "RGB", image.bytesPerLine()
    )
    rect = page_rect(view).intersected(view.viewport().rect())
    return _small(pil.crop((rect.left(), rect.top(), rect.right() + 1, rect.bottom() + 1)))


def _difference(one: Image.Image, other: Image.Image) -> float:
    return float(ImageStat.Stat(ImageChops.difference(one, other)).mean[0])


def _settled(qtbot: QtBot, window, doc_id: str) -> Path:
    """Select ``doc_id`` and wait until the preview has opened the file prepared for it."""
    window.tree.select_id(doc_id)

    def opened() -> bool:
        idle = not window.tasks._running  # no preview still being prepared
        return idle and window.pages.preview_doc_id == doc_id and window.preview.current_path() is not None

    qtbot.waitUntil(opened, timeout=20_000)
    qtbot.wait(50)
    qtbot.waitUntil(opened, timeout=20_000)
    path = window.preview.current_path()
    assert path is not None
    return path


def _compared(preview: PreviewPane, previous: Page) -> tuple[float, float]:
    """How far the page on screen is from the shown file's page, and from ``previous``."""
    path = preview.current_path()
    assert path is not None
    part, seen = _visible(preview), _on_screen(preview)  # the view may still be laying the page out
    expected = _rendered((path, preview.current_page()), part)
    assert _difference(expected, _rendered(previous, part)) > 3, "two pages look alike: the test could not tell"
    return _difference(seen, expected), _difference(seen, _rendered(previous, part))


def _check(qtbot: QtBot, preview: PreviewPane, what: str, previous: Page) -> Page:
    """Wait for the page on screen to be the shown file's own; that page, for the next check."""
    try:
        qtbot.waitUntil(lambda: (lambda right, stale: right < stale / 2)(*_compared(preview, previous)), timeout=8_000)
    except WaitTimedOut:
        right, stale = _compared(preview, previous)
        raise AssertionError(
            f"{what}: the page on screen differs from its file by {right:.1f} "
            f"and from the page shown before by {stale:.1f}"
        ) from None
    path = preview.current_path()
    assert path is not None
    return path, preview.current_page()


def test_the_big_page_is_the_chosen_documents_page_after_each_switch(qtbot: QtBot, window, answers) -> None:
    for letter, names in _FILES.items():
        _add(qtbot, window, answers, letter, names)  # each added document is previewed
    docs = [d for letter in _FILES for d in section(window, letter).documents]
    for number, doc in enumerate(docs, start=1):
        window.edits.edit_field(doc.id, "title", f"Document number {number}")
        window.edits.edit_field(doc.id, "date", f"2020-01-{number:02d}")
    b1, c1, c2, d1 = docs
    files = {}
    for doc in (c1, c2, d1, b1):  # as the colleague saw it: D1 on show, then B1 chosen
        files[doc.id] = _settled(qtbot, window, doc.id)
    previous = _check(qtbot, window.preview, b1.title, (files[d1.id], 0))

    # The window opens a file when its preview is prepared on a worker, which may land while
    # the page passed over is still being rendered. Here that moment is made certain: the page
    # is asked for (a paint), and the next file is opened before its render comes back.
    for _ in range(4):
        window.preview.toolbar.zoom_in.click()  # a big page takes PDFium longer to render
    for passing, doc in [(d1, b1), (c1, d1), (b1, c2), (d1, b1), (c2, d1), (c1, b1)] * 2:
        window.preview.show_pdf(files[passing.id])
        window.preview.view.viewport().repaint()
        previous = (files[passing.id], 0)
        window.preview.show_pdf(files[doc.id])
        previous = _check(qtbot, window.preview, f"{doc.title} after {passing.title}", previous)
    # the views of the files passed over are gone, with their render threads
    qtbot.waitUntil(lambda: len(window.preview.findChildren(QPdfView)) == 1, timeout=5_000)


def test_a_file_opened_while_the_last_ones_page_renders_shows_its_own_page(qtbot: QtBot, tmp_path: Path) -> None:
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(720, 820)
    pane.show()
    qtbot.waitExposed(pane)
    a4 = [_corpus("multicolumn.pdf"), _corpus("pdflatex-4-pages.pdf")]  # same page size: same render size
    copies = [shutil.copy(a4[n % 2], tmp_path / f"{n}.pdf") for n in range(8)]  # each one a new file
    pane.show_pdf(copies[0])
    pane.toolbar.zoom_in.click()
    pane.set_box_mode(True)
    zoom = pane.view.zoomFactor()
    for passing, shown in zip(copies[1::2], copies[2::2] + [copies[0]], strict=True):
        pane.show_pdf(passing)
        pane.view.viewport().repaint()  # its page 1 is asked for, and is on its way
        pane.show_pdf(shown)
        _check(qtbot, pane, f"{shown.name} after {passing.name}", (passing, 0))
    # what the user set stays with the new view; the boxes layer sits on it
    assert pane.view.zoomFactor() == zoom and pane.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert pane.overlay.box_mode() and pane.overlay.parentWidget() is pane.view.viewport()
    assert pane.overlay.isVisible() and pane.overlay.size() == pane.view.viewport().size()
