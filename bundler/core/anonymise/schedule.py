"""The schedule of redactions (document, page, category, reason) as CSV and DOCX.

It travels with the public bundle, so it holds no protected original: only
where something was hidden, what kind of thing it was and why.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from bundler.core.anonymise.terms import Target
from bundler.core.build.gated import write_docx, write_text

__all__ = ["ScheduleRow", "write_schedule_csv", "write_schedule_docx"]


@dataclass(frozen=True)
class ScheduleRow:
    tab: str
    document: str
    page: str  # bundle page label, or a place in a DOCX ("paragraph 4") before conversion
    category: str  # person, address, identifier, manual box ...
    action: str  # replaced with 'Aisha' | redacted | page rasterised | comments removed ...
    reason: str = ""


_HEADINGS = ("Tab", "Document", "Page", "Category", "Action", "Reason")


def write_schedule_csv(rows: list[ScheduleRow], path: Path, targets: list[Target]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # Excel on Windows expects CRLF
    writer.writerow(_HEADINGS)
    writer.writerows(astuple(row) for row in rows)
    write_text(path, buffer.getvalue(), targets, bom=True)  # the BOM tells Excel it is UTF-8


def write_schedule_docx(rows: list[ScheduleRow], title: str, path: Path, targets: list[Target]) -> None:
    from docx import Document  # heavy import, only when a schedule is written

    doc = Document()
    props = doc.core_properties  # python-docx's defaults name it as author; the case names nobody
    props.author, props.last_modified_by, props.comments, props.title = "", "", "", title
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"Schedule of redactions: {len(rows)} entr{'y' if len(rows) == 1 else 'ies'}.")
    table = doc.add_table(rows=1, cols=len(fields(ScheduleRow)))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, _HEADINGS, strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, value in zip(table.add_row().cells, astuple(row), strict=True):
            cell.text = str(value)
    write_docx(path, lambda tmp: doc.save(str(tmp)), targets)
