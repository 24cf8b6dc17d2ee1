"""A redaction box drawn on the preview, driven with the mouse and keys on the real window:
seen, selected, moved, resized, deleted, each step undone and redone; then the public bundle,
read back by poppler, has lost exactly the words under the box's final place.

The page the box is drawn on is turned a quarter (the preview shows it landscape), so the
box must be stored in the source page's own, unturned, user space to land on the words.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import require
from tests.gui.test_app_flow import BUILD_TIMEOUT, new_from_template, section, titles

Rect = tuple[float, float, float, float]
# Page 2's words: (text, x, baseline). The box starts on ALPHA, moves to BRAVO, grows over CHARLIE.
WORDS = [("ALPHA111", 72, 700), ("BRAVO222", 72, 560), ("CHARLIE333", 240, 560), ("DELTA444", 430, 560)]
FONT, SIZE = "Helvetica", 14
ROOM = 4  # pixels: boxes are drawn this far around the words seen


def _letter(path: Path) -> Path:
    pdf = Canvas(str(path), pagesize=A4)
    pdf.setFont(FONT, SIZE)
    pdf.drawString(72, 760, "Page one ECHO555")
    pdf.showPage()
    pdf.setFont(FONT, SIZE)
    for text, x, y in WORDS:
        pdf.drawString(x, y, text)
    pdf.showPage()
    pdf.save()
    return path


def _glyphs(pdf: Path) -> dict[str, Rect]:
    """Each word's glyph boxes on page 2, united, from PDFium (unturned user space)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[1].get_textpage()
        words = {}
        for word, _, _ in WORDS:
            start = text.get_text_range().index(word)
            boxes = [text.get_charbox(start + k) for k in range(len(word))]
            words[word] = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
        return words
    finally:
        document.close()


def _covers(rect: Rect, *inner: Rect) -> bool:
    return all(rect[0] <= i[0] and rect[1] <= i[1] and rect[2] >= i[2] and rect[3] >= i[3] for i in inner)


def _clear_of(rect: Rect, other: Rect) -> bool:
    return rect[2] < other[0] or other[2] < rect[0] or rect[3] < other[1] or other[3] < rect[1]


def _pil(widget: QWidget) -> Image.Image:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())
    return Image.frombytes("RGB", (image.width(), image.height()), data, "raw", "RGB", image.bytesPerLine())


def _runs(profile: Image.Image, gap: int) -> list[tuple[int, int]]:
    """Runs of inked positions in a one-pixel-thick profile, joined across gaps up to ``gap``."""
    inked = [i for i, v in enumerate(profile.tobytes()) if v > 0]
    runs: list[tuple[int, int]] = []
    for i in inked:
        if runs and i - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _painted_words(widget: QWidget) -> dict[str, QRectF]:
    """Where page 2's words are painted, from the pixels alone (the page is turned: words run down).

    ALPHA's column is right of the others; BRAVO, CHARLIE and DELTA follow down their column.
    """
    dark = _pil(widget).convert("L").point(lambda v: 255 if v < 110 else 0)
    width, height = dark.size
    columns = _runs(dark.resize((width, 1), Image.Resampling.BOX), 6)
    assert len(columns) == 2, columns
    found = {}
    names = (["BRAVO222", "CHARLIE333", "DELTA444"], ["ALPHA111"])
    for (left, right), words in zip(columns, names, strict=True):
        band = dark.crop((left, 0, right + 1, height)).resize((1, height), Image.Resampling.BOX)
        rows = _runs(band, 6)
        assert len(rows) == len(words), rows
        for word, (top, bottom) in zip(words, rows, strict=True):
            found[word] = QRectF(QPointF(left, top), QPointF(right + 1, bottom + 1))
    return found


def _poppler(pdf: Path, page: int) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    command = ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _red_share(widget: QWidget, area: QRectF) -> float:
    """The share of pixels inside ``area`` tinted red (the drawn-box colour)."""
    inner = area.toAlignedRect().adjusted(3, 3, -3, -3)
    crop = _pil(widget).crop((inner.left(), inner.top(), inner.right(), inner.bottom()))
    data = crop.tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    return sum(1 for r, g, b in pixels if r - b > 30 and r - g > 30) / max(1, len(pixels))


def _drag(widget: QWidget, start: QPointF, end: QPointF) -> None:
    a, b = start.toPoint(), end.toPoint()
    QTest.mousePress(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(widget, (a + b) / 2)
    QTest.mouseMove(widget, b)
    QTest.mouseRelease(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, b)


def _click(widget: QWidget, point: QPointF) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point.toPoint())


def _screenshot(qtbot, window, box_id: str, path: Path) -> None:
    """The window with the box selected."""
    _click(window.preview.overlay, window.preview.overlay.box_pixels(box_id).center())
    window.grab().save(str(path))


def _open_turned_page(qtbot, window, answers, letter_pdf: Path):
    """A project with the letter; its page 2 turned a quarter and shown in the preview, given room."""
    new_from_template(qtbot, window, case_name="R (AB) v Wessex Police", short_name="AB v Wessex", claim_no="AC-1")
    answers.files = [letter_pdf]
    window.tree.select_id(section(window, "C").id)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=30_000):
        window.action_set.add_files.trigger()
    assert titles(window, "C") == ["Letter"], answers.errors
    letter = section(window, "C").documents[0]
    window.tree.select_id(letter.id)
    preview = window.preview
    qtbot.waitUntil(lambda: window.pages.preview_doc_id == letter.id and preview.page_count() == 2, timeout=20_000)
    preview.show_page(1)
    preview.toolbar.rotate_right.click()
    assert letter.page_rotations == {"2": 90}
    size = preview._doc.pagePointSize
    qtbot.waitUntil(lambda: preview.current_page() == 1 and size(1).width() > size(1).height(), timeout=20_000)
    window.resize(1600, 900)
    window.splitter.setSizes([260, 860, 480])
    qtbot.waitUntil(lambda: _inked(preview))  # painted at its new size
    return letter


def _inked(preview) -> bool:
    try:
        _painted_words(preview.view.viewport())
    except AssertionError:
        return False
    return True


def _around(*seen: QRectF) -> QRectF:
    """The pixels around words seen on screen, with a little room."""
    united = seen[0]
    for rect in seen[1:]:
        united = united.united(rect)
    return united.adjusted(-ROOM, -ROOM, ROOM, ROOM)


def test_a_drawn_box_is_seen_edited_undone_and_honoured_by_the_build(qtbot, window, answers, tmp_path):
    letter_pdf = _letter(tmp_path / "Letter.pdf")
    glyphs = _glyphs(letter_pdf)  # read before the app's workers use PDFium
    letter = _open_turned_page(qtbot, window, answers, letter_pdf)
    overlay, register, viewport = window.preview.overlay, window.bundle.register, window.preview.view.viewport()
    words = _painted_words(viewport)
    QTest.mouseClick(window.anonymise.box_mode, Qt.MouseButton.LeftButton)
    alpha = _around(words["ALPHA111"])
    assert _red_share(viewport, alpha) == 0  # nothing drawn there yet

    _drag(overlay, alpha.topLeft(), alpha.bottomRight())  # draw
    (box,) = register.boxes
    assert (box.document_id, box.page) == (letter.id, 2)  # the source page, in its unturned space
    assert _covers(box.rect, glyphs["ALPHA111"]) and _clear_of(box.rect, glyphs["BRAVO222"]), box.rect
    assert overlay.boxes() == [(box.id, box.rect)] and overlay.selected_box() == box.id
    assert _red_share(viewport, alpha) > 0.5  # painted over the page
    window.stack.undo()
    assert register.boxes == [] and overlay.boxes() == [] and _red_share(viewport, alpha) == 0
    window.stack.redo()
    assert [b.rect for b in register.boxes] == [box.rect] and len(overlay.boxes()) == 1
    box_id = register.boxes[0].id

    QTest.mouseClick(window.anonymise.box_mode, Qt.MouseButton.LeftButton)  # out of box mode
    QTest.keyClick(overlay, Qt.Key.Key_Escape)
    assert overlay.selected_box() is None
    _click(overlay, alpha.center())
    assert overlay.selected_box() == box_id

    bravo = _around(words["BRAVO222"])
    QTest.mousePress(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, alpha.center().toPoint())
    QTest.mouseMove(overlay, bravo.center().toPoint())
    QTest.keyClick(overlay, Qt.Key.Key_Escape)  # Esc mid-drag: the box stays
    QTest.mouseRelease(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bravo.center().toPoint())
    assert register.boxes[0].rect == box.rect and window.stack.undoText() == "Redaction box on page 2"
    _drag(overlay, alpha.center(), bravo.center())  # move
    moved = register.boxes[0].rect
    assert _covers(moved, glyphs["BRAVO222"]) and _clear_of(moved, glyphs["ALPHA111"]), moved
    assert _clear_of(moved, glyphs["CHARLIE333"]) and overlay.selected_box() == box_id
    assert window.stack.undoText() == "Move a redaction box"
    window.stack.undo()
    assert register.boxes[0].rect == box.rect
    window.stack.redo()
    assert register.boxes[0].rect == moved

    # Resize: the bottom edge grows the box down over CHARLIE (the page is turned: x runs down).
    shown, wanted = overlay.box_pixels(box_id), _around(words["BRAVO222"], words["CHARLIE333"])
    bottom = QPointF(shown.center().x(), shown.bottom())
    _drag(overlay, bottom, QPointF(bottom.x(), wanted.bottom()))
    resized = register.boxes[0].rect
    assert _covers(resized, glyphs["BRAVO222"], glyphs["CHARLIE333"]), resized
    assert _clear_of(resized, glyphs["DELTA444"]) and _clear_of(resized, glyphs["ALPHA111"]), resized
    assert window.stack.undoText() == "Resize a redaction box"
    window.stack.undo()
    assert register.boxes[0].rect == moved
    window.stack.redo()
    assert register.boxes[0].rect == resized
    assert _red_share(viewport, wanted) > 0.5

    _click(overlay, wanted.center())
    QTest.keyClick(overlay, Qt.Key.Key_Delete)  # delete with the key
    assert register.boxes == [] and overlay.boxes() == []
    assert window.stack.undoText() == "Delete a redaction box"
    assert _red_share(viewport, wanted) == 0
    window.stack.undo()
    assert [b.rect for b in register.boxes] == [resized]
    _click(overlay, wanted.center())
    menu = overlay.box_menu()  # delete from the context menu
    (delete,) = [a for a in menu.actions() if a.text() == "Delete box"]
    delete.trigger()
    menu.deleteLater()
    assert register.boxes == []
    window.stack.undo()
    assert [b.rect for b in register.boxes] == [resized] and overlay.selected_box() is None

    if os.environ.get("BUNDLER_SCREENSHOT"):  # resources/screenshots/drawn-box.png is made this way
        _screenshot(qtbot, window, box_id, Path(os.environ["BUNDLER_SCREENSHOT"]))

    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT).wait()
    output = Path(built.args[0].output)
    first = window.session.model.ranges[letter.id][0]
    assert "ECHO555" in _poppler(output, first)
    text = _poppler(output, first + 1)
    assert "ALPHA111" in text and "DELTA444" in text  # outside the box: kept
    assert "BRAVO222" not in text and "CHARLIE333" not in text  # under it: gone
    assert not answers.errors
