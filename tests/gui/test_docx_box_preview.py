"""A Word document is previewed as the public bundle files it, and a box drawn there lands on its words.

The real window: the statement is shown plain while the register is empty; once a
person is protected the preview shows the anonymised conversion (the pseudonym, not
the name, read back by poppler from the file on show), whose lines moved. A box
dragged with the mouse over an unregistered name on that page hides exactly that
name in the built public bundle; a box drawn before on the plain pages is pointed out.
A detection hit on it is highlighted where it is shown.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from bundler.core.adding import add_document
from bundler.core.anonymise.basis import public_rendering
from bundler.core.anonymise.register import add_person
from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.model import CaseDetails
from bundler.core.progress import NullProgress
from bundler.core.templates import new_bundle
from bundler.gui.workers import detect_job
from tests.core.anonymise.test_docx_box_basis import _statement, word_rect
from tests.gui.test_app_flow import BUILD_TIMEOUT, new_from_template, section, titles
from tests.gui.test_drawn_boxes import _drag


def _shown_text(window) -> str:
    path = window.preview.current_path()
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_a_word_document_is_previewed_anonymised_and_a_box_drawn_there_lands(qtbot, window, answers, tmp_path):
    new_from_template(qtbot, window, case_name="R (AB) v Wessex Police", short_name="AB v Wessex", claim_no="AC-1")
    answers.files = [_statement(tmp_path / "statement.docx")]
    window.tree.select_id(section(window, "D").id)
    with qtbot.waitSignal(window.pageCountsUpdated, timeout=60_000):
        window.action_set.add_files.trigger()
    assert titles(window, "D") == ["statement"], answers.errors
    doc = section(window, "D").documents[0]
    window.resize(1600, 900)
    window.splitter.setSizes([260, 860, 480])
    window.tree.select_id(doc.id)
    preview = window.preview
    qtbot.waitUntil(lambda: window.pages.preview_doc_id == doc.id and preview.page_count() >= 1, timeout=60_000)
    plain, plain_basis = preview.current_path(), window.pages.basis
    assert "Farida Khanum" in _shown_text(window)
    plain_hollis = word_rect(plain, "Hollis")

    window.edits.add_person("Farida Khanum", "A", [], "replace")  # the register changes: shown again
    qtbot.waitUntil(lambda: window.pages.basis != plain_basis and preview.page_count() >= 1, timeout=60_000)
    qtbot.waitUntil(lambda: preview.current_path() is not None and "A saw it" in _shown_text(window), timeout=60_000)
    shown = _shown_text(window)
    assert "Farida" not in shown and "Khanum" not in shown and "A saw it" in shown
    hollis = word_rect(preview.current_path(), "Hollis")
    assert hollis[1] > plain_hollis[1] + 8  # the anonymised lines moved: Hollis is higher up
    assert window.pages.basis is not None

    said: list[str] = []
    window.session.message.connect(lambda text, _ms: said.append(text))
    window.edits.add_box(doc.id, 1, plain_hollis, plain_basis)  # as drawn before the name was protected
    assert any("was drawn on an earlier version of these pages" in text for text in said), said
    window.stack.undo()

    preview.show_page(0)
    qtbot.waitUntil(lambda: _settled(preview, hollis), timeout=20_000)  # a late render may still move the view
    x0, y0, x1, y1 = hollis
    inside = (x0 + 1.0, y0, x1 - 1.0, y1)  # dragged over the word, as a hand does: pixel rounding stays on it
    area = preview.overlay.to_pixels(inside)
    assert area is not None and preview.overlay.rect().contains(area.toRect()), area
    QTest.mouseClick(window.anonymise.box_mode, Qt.MouseButton.LeftButton)
    _drag(preview.overlay, area.topLeft(), QPointF(area.right(), area.bottom()))
    (box,) = window.bundle.register.boxes
    assert box.document_id == doc.id and box.page == 1 and box.basis == window.pages.basis

    answers.save_as = tmp_path / "case.bundle.json"
    with qtbot.waitSignal(window.buildFinished, timeout=BUILD_TIMEOUT) as built:
        window.action_set.build.trigger()
    qtbot.waitSignal(window.preflightFinished, timeout=BUILD_TIMEOUT).wait()
    output = Path(built.args[0].output)
    first = window.session.model.ranges[doc.id][0]
    text = subprocess.run(
        ["pdftotext", "-f", str(first), "-l", str(first), str(output), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Hollis" not in text  # under the box: gone
    assert "Witnessed by Mr" in text and "of the same street" in text  # beside it: kept
    assert "Farida" not in text and not answers.errors


def _settled(preview, rect) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``rect`` maps to the same pixels now and a moment later: the view has stopped moving."""
    first = preview.overlay.to_pixels(rect)
    QTest.qWait(300)
    return first is not None and first == preview.overlay.to_pixels(rect)


def test_a_hit_on_a_word_document_is_highlighted_where_the_preview_shows_it(tmp_path):
    bundle = new_bundle("jr-claim", CaseDetails("R (FK) v Wessex Police", "AC-1"))
    doc = add_document(bundle, tmp_path, _statement(tmp_path / "statement.docx"), "D", title="Statement")
    add_person(bundle, "Farida Khanum", "A")
    found = detect_job(bundle, tmp_path, tmp_path / "cache")(NullProgress())
    (hollis,) = [h for h in found.hits if h.text == "Hollis"]
    source = tmp_path / "statement.docx"
    public, _ = public_rendering(bundle.register, bundle.options.converter, doc, source, tmp_path / "cache")
    plain = prepare_sources(
        [SourceJob(doc.id, source, doc.sha256, "docx")], tmp_path / "cache", "auto", NullProgress(), []
    )
    (rect,) = found.rects[hollis.key]
    shown, before = word_rect(public.pdf, "Hollis"), word_rect(plain[doc.id].pdf, "Hollis")
    assert shown[0] <= rect[0] and shown[1] <= rect[1] and rect[2] <= shown[2] and rect[3] <= shown[3], (rect, shown)
    assert rect[3] < before[1] or before[3] < rect[1]  # not where the plain conversion had it
