"""The schedule's Word table is built row by row without python-docx's ``add_row`` (which costs
about a millisecond a row): what it writes must be what python-docx writes, read back by
python-docx and by LibreOffice, and a character Word cannot hold must not fail the build."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docx import Document
from docx.shared import Cm

from bundler.core.anonymise.schedule import (
    _REDACTION_COLUMNS,
    ScheduleRow,
    _repeat_header,
    _table,
    write_schedule_docx,
)
from tests.conftest import require

VALUES = [
    ("A1", "Letter from the Home Office", "12", "person", "replaced with 'Aisha'", "protected person"),
    ("B2", "  leading and trailing  ", "HB12-HB14", "address", "redacted", ""),
    ("C3", 'Quotes "and" <angles> & ampersands', "3", "identifier", "redacted\tafter a tab", "line\nbreak\r\nthere"),
    ("", "", "", "", "", ""),
    ("D4", "Ünïcödé — ‘quotes’ 文書", "7", "manual box", "redacted (page rasterised)", "a non\u00a0breaking space"),
]


def _by_python_docx(doc: Document, values: list[tuple[str, ...]]) -> None:
    """The table as python-docx's own API builds it (the way the schedule was built before)."""
    table = doc.add_table(rows=1, cols=len(_REDACTION_COLUMNS))
    table.style, table.autofit = "Table Grid", False
    for cell, (name, width) in zip(table.rows[0].cells, _REDACTION_COLUMNS, strict=True):
        cell.text, cell.width = name, Cm(width)
        cell.paragraphs[0].runs[0].bold = True
    for row in values:
        for cell, value, (_, width) in zip(table.add_row().cells, row, _REDACTION_COLUMNS, strict=True):
            cell.text, cell.width = value, Cm(width)
    for column, (_, width) in zip(table.columns, _REDACTION_COLUMNS, strict=True):
        column.width = Cm(width)
    _repeat_header(table.rows[0])


def test_rows_are_written_as_python_docx_writes_them() -> None:
    fast, slow = Document(), Document()
    _table(fast, _REDACTION_COLUMNS, VALUES)
    _by_python_docx(slow, VALUES)
    fast_tbl, slow_tbl = fast.tables[0]._tbl, slow.tables[0]._tbl
    assert fast_tbl.xml == slow_tbl.xml
    read = [[cell.text for cell in row.cells] for row in fast.tables[0].rows[1:]]
    assert read == [[v.replace("\r\n", "\n\n").replace("\r", "\n") for v in row] for row in VALUES]


def test_a_character_word_cannot_hold_does_not_fail_the_build(tmp_path: Path) -> None:
    rows = [ScheduleRow("A1", "Scan\x0c of \x00letter\ud800", "4", "person", "redacted")]
    out = tmp_path / "schedule.docx"
    write_schedule_docx(rows, "R (Aisha) v SSHD", out, [])
    cells = Document(str(out)).tables[0].rows[1].cells
    assert cells[1].text == "Scan\ufffd of \ufffdletter\ufffd"


def test_libreoffice_reads_a_long_schedule(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require(soffice is not None, "LibreOffice (soffice)")
    assert soffice is not None
    rows = [ScheduleRow(f"T{i % 40}", f"Document {i}", str(i), "person", "replaced with 'Aisha'") for i in range(2000)]
    out = tmp_path / "schedule.docx"
    write_schedule_docx(rows, "R (Aisha) v SSHD", out, [])
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "txt:Text"]
        + ["--outdir", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = (tmp_path / "schedule.txt").read_text(encoding="utf-8-sig")
    assert "Document 1999" in text and "2000 redactions, by bundle page." in text
    assert text.count("replaced with 'Aisha'") == 2000
