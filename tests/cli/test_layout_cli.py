"""A line drawn in pieces out of reading order is redacted, as readers that order text by
position read it (tests/layouts.py): the pieces sit on one baseline, each just after the last,
with other lines drawn between them, so pdfium and pypdf read "Far", another line, "ida Kha".

After the build: exit 0, neither ``pdftotext`` nor pdfminer.six reads any part of the name,
and the rest of the page is still text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bundler.cli.main import main
from bundler.core.errors import ExitCode
from tests.layouts import ABOVE, BELOW, interleaved, pdfminer, pdftotext, rotated, shows_name

SOURCES: dict[str, Callable[[Path], Path]] = {
    "other-lines-below": lambda path: interleaved(path, BELOW),
    "other-lines-above": lambda path: interleaved(path, ABOVE),
    "each-piece-a-form-xobject": lambda path: interleaved(path, BELOW, forms=True),
    "page-rotate-90": lambda path: rotated(interleaved(path, BELOW), 90),
    "text-turned-90": lambda path: interleaved(path, BELOW, turn=90),
    "text-turned-180": lambda path: interleaved(path, BELOW, turn=180),
    "text-turned-270": lambda path: interleaved(path, BELOW, turn=270),
}


def _build(folder: Path, source: Path) -> tuple[int, Path]:
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D"]) == 0
    assert main(["register", str(project), "add-person", "Farida Khanum", "--pseudonym", "AB"]) == 0
    out = folder / "out" / "public.pdf"
    out.parent.mkdir()
    code = main(["build", str(project), "-o", str(out), "--cache-dir", str(folder / "cache"), "--no-ocr"])
    return code, out


@pytest.mark.parametrize("kind", sorted(SOURCES))
def test_a_line_drawn_in_pieces_between_other_lines_is_redacted(tmp_path: Path, kind: str) -> None:
    source = SOURCES[kind](tmp_path / "source.pdf")
    assert shows_name(pdftotext(source)), "the attack: poppler reads the name in the source"
    code, out = _build(tmp_path, source)
    assert code == ExitCode.OK
    for reader in (pdftotext, pdfminer):
        text = reader(out)
        assert not shows_name(text), f"{kind}: {reader.__name__} reads the name in the bundle"
    kept = "A heading" if kind == "other-lines-above" else "grounds of claim"
    assert kept in pdftotext(out), "the rest of the page is still text (redacted, not made a picture)"
