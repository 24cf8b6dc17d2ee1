"""The stamp read-back, shared with the leak gate's PDFium pass, decides as it does alone.

``StampReadback.page`` is handed each page the gate reads; the verdict it gives from
that pass must be the one ``unreadable_stamps`` gives reading the file on its own, and
whenever the pass did not see exactly the file's pages it reads the file on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.readback import Expected, StampReadback, unreadable_stamps
from bundler.core.errors import BuildError
from bundler.core.model import Person, Register
from bundler.core.pdf.stamp import StampStyle, stamp_rect

TARGETS = targets_from_register(Register(people=[Person("Farida Khanum", "Aisha", id="p1")]))
BOX = (0.0, 0.0, A4[0], A4[1])
STYLE = StampStyle()


def _stamped(path: Path, labels: list[str], missing: set[int], text: str = "Statement of Aisha") -> Path:
    """Pages showing their label inside the stamp box, but the 1-based ``missing`` ones."""
    pdf = Canvas(str(path), pagesize=A4)
    for n, label in enumerate(labels, 1):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, A4[1] - 72, f"{text}, page {n}")
        if n not in missing:
            x0, y0, _, _ = stamp_rect(BOX, 0, label, STYLE)
            pdf.setFont("Helvetica-Bold", STYLE.size)
            pdf.drawString(x0 + STYLE.pad, y0 + STYLE.pad + 0.22 * STYLE.size, label)
        pdf.showPage()
    pdf.save()
    return path


def _expected(labels: list[str]) -> list[Expected]:
    return [Expected(BOX, 0, label) for label in labels]


LABELS = ["A1", "A2", "B1", "B2"]


def test_the_gates_pass_gives_the_same_pages_as_reading_alone(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing={2, 4})
    alone = unreadable_stamps(pdf, _expected(LABELS), STYLE)
    assert alone == [2, 4]  # the fixture really has pages whose number does not read back
    readback = StampReadback(_expected(LABELS), STYLE)
    assert leak_scan(pdf, TARGETS, on_page=readback.page) == leak_scan(pdf, TARGETS)  # the gate finds the same
    assert sorted(readback.seen) == [0, 1, 2, 3]  # decided from the gate's pass, not a second one
    assert readback.unreadable(pdf) == alone
    with pytest.raises(BuildError, match="pages 2, 4 could not be read back"):
        readback(pdf)


def test_every_page_read_back_passes(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing=set())
    readback = StampReadback(_expected(LABELS), STYLE)
    leak_scan(pdf, TARGETS, on_page=readback.page)
    assert readback.seen == {0: True, 1: True, 2: True, 3: True}
    readback(pdf)  # no error


def test_a_leak_found_still_reads_every_page(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing={3}, text="Statement of Farida Khanum")
    readback = StampReadback(_expected(LABELS), STYLE)
    assert leak_scan(pdf, TARGETS, on_page=readback.page)
    assert readback.unreadable(pdf) == [3]


def test_without_a_gate_pass_the_file_is_read_on_its_own(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing={1})
    readback = StampReadback(_expected(LABELS), STYLE)
    assert leak_scan(pdf, [], on_page=readback.page) == []  # nothing protected: the gate reads nothing
    assert readback.seen == {}
    assert readback.unreadable(pdf) == [1]


def test_a_partial_pass_is_not_trusted(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing={4})
    readback = StampReadback(_expected(LABELS), STYLE)
    readback.seen = {0: True, 1: True, 2: True}  # page 4 never seen (a pass cut short)
    assert readback.unreadable(pdf) == [4]


def test_a_file_with_more_pages_than_expected_fails_every_page(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing=set())
    readback = StampReadback(_expected(LABELS[:3]), STYLE)
    leak_scan(pdf, TARGETS, on_page=readback.page)
    assert readback.extra
    assert readback.unreadable(pdf) == unreadable_stamps(pdf, _expected(LABELS[:3]), STYLE) == [1, 2, 3]


def test_a_reader_error_on_a_page_falls_back_to_reading_alone(tmp_path: Path) -> None:
    pdf = _stamped(tmp_path / "bundle.pdf", LABELS, missing={2})
    readback = StampReadback(_expected(LABELS), STYLE)
    readback.page(0, None, None)  # type: ignore[arg-type]  # no text page: the read raises
    assert 0 not in readback.seen
    assert readback.unreadable(pdf) == [2]
