"""A redaction kept in the cache serves every document with the same file, name and register,
and its schedule rows are that document's own.

The cache is shared by a user's projects (a copy for a supplementary bundle, a document
removed and added back). A stored redaction once carried the id of the document it was
first made for: another project's rebuild then stopped with an internal error, and a file
added twice had its rows put under one tab. The real CLI runs in-process.
"""

from __future__ import annotations

import csv
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main


def _exhibit(path: Path) -> Path:
    pdf = Canvas(str(path))
    for n in range(3):
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 760, f"Page {n + 1}: Farida Khanum attended the hearing.")
        pdf.showPage()
    pdf.save()
    return path


def _project(folder: Path, exhibit: Path, titles: list[str]) -> Path:
    folder.mkdir()
    project = folder / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    for title in titles:
        assert main(["add", str(project), str(exhibit), "--section", "D", "--title", title]) == 0
    assert main(["register", str(project), "add-person", "Farida Khanum", "--pseudonym", "AB"]) == 0
    return project


def _rows(out: Path) -> list[tuple[str, str]]:
    with Path(f"{out.with_suffix('')} - Redaction schedule.csv").open(encoding="utf-8-sig") as fh:
        return sorted((row["Tab"], row["Document"]) for row in csv.DictReader(fh))


def test_projects_sharing_a_cache_each_get_their_own_schedule(tmp_path: Path) -> None:
    exhibit = _exhibit(tmp_path / "exhibit.pdf")
    cache = tmp_path / "cache"
    first = _project(tmp_path / "first", exhibit, ["Letter"])
    second = _project(tmp_path / "second", exhibit, ["Exhibit FK1"])
    build = ["--cache-dir", str(cache), "--no-ocr"]
    assert main(["build", str(first), "-o", str(tmp_path / "first.pdf"), *build]) == 0
    assert _rows(tmp_path / "first.pdf") == [("D1", "Letter")] * 3
    assert main(["build", str(second), "-o", str(tmp_path / "second.pdf"), *build]) == 0  # the stored redaction
    assert _rows(tmp_path / "second.pdf") == [("D1", "Exhibit FK1")] * 3
    assert main(["build", str(first), "-o", str(tmp_path / "again.pdf"), *build]) == 0
    assert _rows(tmp_path / "again.pdf") == [("D1", "Letter")] * 3


def test_a_file_added_twice_has_rows_under_both_tabs(tmp_path: Path) -> None:
    exhibit = _exhibit(tmp_path / "exhibit.pdf")
    project = _project(tmp_path / "case", exhibit, ["First copy", "Second copy"])
    for n in range(2):  # made in one build, then taken from the cache
        out = tmp_path / f"bundle{n}.pdf"
        assert main(["build", str(project), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--no-ocr"]) == 0
        assert _rows(out) == [("D1", "First copy")] * 3 + [("D2", "Second copy")] * 3
