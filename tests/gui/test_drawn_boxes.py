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

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from tests.conftest import require
from tests.gui.test_app_flow import BUILD_TIMEOUT, new_from_template, section, titles

Rect = tuple[float, float, float, float]
# Page 2's words: (text, x, baseline). The box starts on ALPHA, moves to BRAVO, grows over CHARLIE.
WORDS = [("ALPHA111", 72, 700), ("BRAVO222", 72, 560), ("CHARLIE333", 240, 560), ("DELTA444", 430, 560)]
FONT, SIZE, PAD = "Helvetica", 14, 4.0


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


def _around(*names: str) -> Rect:
    """The user-space box around the named words of page 2, with a little room."""
    found = [(x, y, stringWidth(t, FONT, SIZE)) for t, x, y in WORDS if t in names]
    return (
        min(x for x, _, _ in found) - PAD,
        min(y for _, y, _ in found) - 4 - PAD,
        max(x + w for x, _, w in found) + PAD,
        max(y for _, y, _ in found) + SIZE + PAD,
    )


def _poppler(pdf: Path, page: int) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    command = ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _red_share(widget: QWidget, area: QRectF) -> float:
    """The share of pixels inside ``area`` tinted red (the drawn-box colour)."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(image.constBits())
    pil = Image.frombytes("RGB", (image.width(), image.height()), data, "raw", "RGB", image.bytesPerLine())
    inner = area.toAlignedRect().adjusted(4, 4, -4, -4)
    crop = pil.crop((inner.left(), inner.top(), inner.right(), inner.bottom()))
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


def _near(rect: Rect, target: Rect, most: float = 3.0) -> bool:
    return all(abs(a - b) <= most for a, b in zip(rect, target, strict=True))


def _screenshot(qtbot, window, box_id: str, path: Path) -> None:
    """The window with the box selected, the preview given most of the room."""
    window.resize(1600, 900)
    window.splitter.setSizes([260, 860, 480])
    qtbot.wait(100)
    _click(window.preview.overlay, window.preview.overlay.box_pixels(box_id).center())
    window.grab().save(str(path))


def _open_turned_page(qtbot, window, answers, tmp_path: Path):
    """A project with the letter; its page 2 turned a quarter and shown in the preview."""
    new_from_template(qtbot, window, case_name="R (AB) v Wessex Police", short_name="AB v Wessex", claim_no="AC-1")
    answers.files = [_letter(tmp_path / "Letter.pdf")]
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
    return letter


def test_a_drawn_box_is_seen_edited_undone_and_honoured_by_the_build(qtbot, window, answers, tmp_path):
    letter = _open_turned_page(qtbot, window, answers, tmp_path)
    overlay, register = window.preview.overlay, window.bundle.register
    QTest.mouseClick(window.anonymise.box_mode, Qt.MouseButton.LeftButton)
    alpha = overlay.to_pixels(_around("ALPHA111"))
    assert _red_share(overlay.parentWidget(), alpha) == 0  # nothing drawn there yet

    _drag(overlay, alpha.topLeft(), alpha.bottomRight())  # draw
    (box,) = register.boxes
    assert (box.document_id, box.page) == (letter.id, 2)  # the source page, in its unturned space
    assert _near(box.rect, _around("ALPHA111"))
    assert overlay.boxes() == [(box.id, box.rect)] and overlay.selected_box() == box.id
    assert _red_share(overlay.parentWidget(), alpha) > 0.5  # painted over the page
    window.stack.undo()
    assert register.boxes == [] and overlay.boxes() == []
    window.stack.redo()
    assert [b.rect for b in register.boxes] == [box.rect] and len(overlay.boxes()) == 1
    box_id = register.boxes[0].id

    QTest.mouseClick(window.anonymise.box_mode, Qt.MouseButton.LeftButton)  # out of box mode
    QTest.keyClick(overlay, Qt.Key.Key_Escape)
    assert overlay.selected_box() is None
    _click(overlay, overlay.box_pixels(box_id).center())
    assert overlay.selected_box() == box_id

    start = overlay.box_pixels(box_id)
    bravo = overlay.to_pixels(_around("BRAVO222"))
    QTest.mousePress(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start.center().toPoint())
    QTest.mouseMove(overlay, bravo.center().toPoint())
    QTest.keyClick(overlay, Qt.Key.Key_Escape)  # Esc mid-drag: the box stays
    QTest.mouseRelease(overlay, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bravo.center().toPoint())
    assert register.boxes[0].rect == box.rect and window.stack.undoText() == "Redaction box on page 2"
    _drag(overlay, start.center(), start.center() + (bravo.center() - start.center()))  # move
    assert _near(register.boxes[0].rect, _around("BRAVO222"), 4)
    assert len(register.boxes) == 1 and overlay.selected_box() == box_id
    assert window.stack.undoText() == "Move a redaction box"
    window.stack.undo()
    assert _near(register.boxes[0].rect, _around("ALPHA111"))
    window.stack.redo()
    moved = register.boxes[0].rect

    # Resize: the corner that grows the box over CHARLIE (a bottom corner on screen: the page is turned).
    shown, wanted = overlay.box_pixels(box_id), overlay.to_pixels(_around("BRAVO222", "CHARLIE333"))
    _drag(overlay, shown.bottomRight(), wanted.bottomRight())
    resized = register.boxes[0].rect
    assert _near(resized, _around("BRAVO222", "CHARLIE333"), 4), resized
    assert window.stack.undoText() == "Resize a redaction box"
    window.stack.undo()
    assert register.boxes[0].rect == moved
    window.stack.redo()
    assert register.boxes[0].rect == resized
    assert _red_share(overlay.parentWidget(), wanted) > 0.5

    _click(overlay, overlay.box_pixels(box_id).center())
    QTest.keyClick(overlay, Qt.Key.Key_Delete)  # delete with the key
    assert register.boxes == [] and overlay.boxes() == []
    assert window.stack.undoText() == "Delete a redaction box"
    assert _red_share(overlay.parentWidget(), wanted) == 0
    window.stack.undo()
    assert [b.rect for b in register.boxes] == [resized]
    _click(overlay, overlay.box_pixels(box_id).center())
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
