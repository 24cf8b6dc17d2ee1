"""The schedule of redactions (document, page, category, reason) as CSV and DOCX.

It travels with the public bundle, so it holds no protected original: only
where something was hidden, what kind of thing it was and why. It is a document
a court can be served: each redaction listed once, with its bundle page, and the
clean-up of document properties, comments and tracked changes in a short section
of its own (they hide no text on any page). The app's Schedule tab, the CSV and
the DOCX all show :func:`court_schedule` of the same rows.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.kept_schedules import keep_docx, kept_docx
from bundler.core.anonymise.terms import Target
from bundler.core.anonymise.versions import code_version
from bundler.core.build.gated import write_docx, write_text

__all__ = [
    "REDACTED_LABEL",
    "SCHEDULE_HEADINGS",
    "schedule_table",
    "ScheduleRow",
    "Schedule",
    "court_schedule",
    "replacement_action",
    "write_schedule_csv",
    "write_schedule_docx",
]

REDACTED_LABEL = "[REDACTED]"


@dataclass(frozen=True)
class ScheduleRow:
    tab: str
    document: str
    page: str  # bundle page label ("12", "HB12"), or the document's page range for a Word source
    category: str  # person, address, identifier, manual box ...
    action: str  # replaced with 'Aisha' | redacted | document property cleared ...
    reason: str = ""
    cleanup: bool = False  # metadata clean-up (properties, comments, tracked changes): hides no page text


@dataclass(frozen=True)
class Schedule:
    redactions: list[ScheduleRow]  # each once, in bundle order
    cleanup: list[ScheduleRow]  # one line per document and kind of clean-up


def replacement_action(label: str, rasterised: bool = False) -> str:
    """The Action column for a box labelled ``label``: the one wording every view uses."""
    action = "redacted" if label == REDACTED_LABEL else f"replaced with '{label}'"
    return action + " (page rasterised)" if rasterised else action


def court_schedule(rows: list[ScheduleRow]) -> Schedule:
    """Identical rows once; clean-up apart, without pages (it concerns the file, not a page)."""
    redactions = list(dict.fromkeys(r for r in rows if not r.cleanup))
    cleanup = list(
        dict.fromkeys(
            ScheduleRow(r.tab, r.document, "", r.category, r.action, r.reason, True) for r in rows if r.cleanup
        )
    )
    return Schedule(redactions, cleanup)


SCHEDULE_HEADINGS = ("Section", "Tab", "Document", "Page", "Category", "Action", "Reason")
_REDACTION, _CLEANUP = "Redaction", "Metadata clean-up"


def _line(section: str, r: ScheduleRow) -> tuple[str, ...]:
    return (section, r.tab, r.document, r.page, r.category, r.action, r.reason)


def schedule_table(rows: list[ScheduleRow]) -> list[tuple[str, ...]]:
    """The schedule as lines under :data:`SCHEDULE_HEADINGS`: the CSV's rows and the app's table."""
    schedule = court_schedule(rows)
    return [_line(_REDACTION, r) for r in schedule.redactions] + [_line(_CLEANUP, r) for r in schedule.cleanup]


def write_schedule_csv(rows: list[ScheduleRow], path: Path, targets: list[Target]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # Excel on Windows expects CRLF
    writer.writerow(SCHEDULE_HEADINGS)
    writer.writerows(schedule_table(rows))
    write_text(path, buffer.getvalue(), targets, bom=True)  # the BOM tells Excel it is UTF-8


# Column widths in centimetres on A4 with 2 cm margins (17 cm of text width): short
# columns never break a tab or a page number; the document and reason get the room.
_REDACTION_COLUMNS = (
    ("Tab", 1.3),
    ("Document", 4.6),
    ("Page", 1.7),
    ("Category", 2.6),
    ("Action", 3.4),
    ("Reason", 3.3),
)
_CLEANUP_COLUMNS = (("Tab", 1.3), ("Document", 5.6), ("What was cleaned", 3.4), ("Action", 6.6))


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # Word cannot hold these
_BREAKS = re.compile("([\t\n\r])")


def _run(parent: Any, text: str) -> None:
    """``text`` as the run python-docx writes for ``cell.text``: tabs and line breaks as their own
    elements, spaces kept; a character XML cannot hold shows as U+FFFD instead of failing the build."""
    from docx.oxml.ns import qn
    from lxml import etree

    run = etree.SubElement(parent, qn("w:r"))
    for part in _BREAKS.split(_NOT_XML.sub("\ufffd", text)):
        if part in ("\n", "\r", "\t"):
            etree.SubElement(run, qn("w:tab" if part == "\t" else "w:br"))
        elif part:
            t = etree.SubElement(run, qn("w:t"))
            t.text = part
            if part != part.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _row(tbl: Any, values: tuple[str, ...], widths: list[int]) -> None:
    """One row of the table (the python-docx structure, built directly: ``add_row`` and
    ``cell.text`` take about a millisecond a row, which a schedule of thousands feels)."""
    from docx.oxml.ns import qn
    from lxml import etree

    tr = etree.SubElement(tbl, qn("w:tr"))
    for value, width in zip(values, widths, strict=True):
        tc = etree.SubElement(tr, qn("w:tc"))
        tcw = etree.SubElement(etree.SubElement(tc, qn("w:tcPr")), qn("w:tcW"))
        tcw.set(qn("w:w"), str(width))
        tcw.set(qn("w:type"), "dxa")
        _run(etree.SubElement(tc, qn("w:p")), str(value))


def _table(doc: Any, columns: tuple[tuple[str, float], ...], values: list[tuple[str, ...]]) -> None:
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(columns))
    table.style, table.autofit = "Table Grid", False
    for cell, (name, width) in zip(table.rows[0].cells, columns, strict=True):
        cell.text, cell.width = name, Cm(width)
        cell.paragraphs[0].runs[0].bold = True
    widths = [Cm(width).twips for _, width in columns]
    for row in values:
        _row(table._tbl, row, widths)
    for column, (_, width) in zip(table.columns, columns, strict=True):
        column.width = Cm(width)  # the grid (LibreOffice reads it) as well as each cell (Word does)
    _repeat_header(table.rows[0])


def _repeat_header(row: Any) -> None:
    """The headings row repeats at the top of every page of a long schedule."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def write_schedule_docx(
    rows: list[ScheduleRow],
    title: str,
    path: Path,
    targets: list[Target],
    verdicts: VerdictStore | None = None,
    made: Path | None = None,
) -> None:
    """The schedule as a Word file; ``verdicts``: the sweep's, so an unchanged schedule is not swept twice.

    ``made``: a cache folder keeping the Word file made for these rows, title and day by this
    code, so a rebuild whose schedule did not change writes the same bytes without making them
    again (python-docx takes a tenth of a second to load and lay out). Whatever the bytes'
    origin, ``gated.write_docx`` sweeps them unless a verdict on those very bytes stands."""
    data = _docx_bytes(rows, title, made)

    def save(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_docx(path, save, targets, verdicts)


def _docx_bytes(rows: list[ScheduleRow], title: str, made: Path | None) -> bytes:
    """Today's Word file for these rows: the one kept in ``made``, or made now (and kept)."""
    today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    kept = made / f"{_made_key(rows, title, today)}.schedule.docx" if made is not None else None
    data = kept_docx(kept) if kept is not None else None
    if data is None:
        data = _schedule_docx(rows, title, today)
        if kept is not None:
            keep_docx(kept, data)
    return data


def _made_key(rows: list[ScheduleRow], title: str, day: datetime) -> str:
    shape = [code_version(Path(__file__)), title, day.isoformat(), [dataclasses.astuple(row) for row in rows]]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()


def _schedule_docx(rows: list[ScheduleRow], title: str, today: datetime) -> bytes:
    """The Word file's bytes, dated ``today`` (to the day, not the second: an unchanged schedule
    saves to the same bytes all day, so its sweep verdict holds and it is not swept again)."""
    from docx import Document  # heavy import, only when a schedule is made
    from docx.shared import Cm

    schedule = court_schedule(rows)
    doc = Document()
    props = doc.core_properties  # python-docx's defaults name it as author; the case names nobody
    props.author, props.last_modified_by, props.comments, props.title = "", "", "", title
    props.modified = today
    for section in doc.sections:  # A4, as courts in England & Wales use
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.0)
    doc.add_heading(title, level=1)
    doc.add_heading("Schedule of redactions", level=2)
    count = len(schedule.redactions)
    doc.add_paragraph(f"{count} redaction{'' if count == 1 else 's'}, by bundle page.")
    _table(
        doc,
        _REDACTION_COLUMNS,
        [(r.tab, r.document, r.page, r.category, r.action, r.reason) for r in schedule.redactions],
    )
    if schedule.cleanup:
        doc.add_heading("Metadata clean-up", level=2)
        doc.add_paragraph("Hidden information removed from the source files; no page text was changed by these.")
        _table(doc, _CLEANUP_COLUMNS, [(r.tab, r.document, r.category, r.action) for r in schedule.cleanup])

    buffer = io.BytesIO()
    doc.save(buffer)
    return _dated(buffer.getvalue(), today)


def _dated(docx: bytes, day: datetime) -> bytes:
    """The same package with every part dated ``day`` (python-docx dates each to the second
    it was saved): an unchanged schedule is then the same bytes all day."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dated = zipfile.ZipInfo(info.filename, date_time=day.timetuple()[:6])
            dated.compress_type, dated.external_attr = info.compress_type, info.external_attr
            dst.writestr(dated, src.read(info.filename))
    return out.getvalue()
