"""The bundle's index as a Word document, for agreeing it with the other side.

One table, Tab | Description | Date | Page, with the rows the bundle's own index
has (sections in bold, then their documents), read from the built bundle so
the pages are the served ones. A4, no author, nothing but the case's words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bundler.core.build.gated import write_docx
from bundler.core.exports.rows import ExportView, IndexRow, read_export_view
from bundler.core.model import Bundle
from bundler.core.naming import format_date

__all__ = ["export_index_docx", "index_table_rows", "INDEX_HEADINGS"]

INDEX_HEADINGS = ("Tab", "Description", "Date", "Page")
_WIDTHS_MM = (18.0, 105.0, 30.0, 17.0)  # fits A4 with 20 mm margins


def index_table_rows(view: ExportView) -> list[tuple[str, str, str, str]]:
    """The cells of every index row, as the bundle's index prints them."""
    return [
        (row.tab, row.title, format_date(row.date) if row.kind == "document" else "", row.first_label)
        for row in view.rows
    ]


def _page_setup(doc: Any) -> None:
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))


def _blank_properties(doc: Any, view: ExportView) -> None:
    """python-docx's template names itself as author; a court document names nobody."""
    props = doc.core_properties
    props.author = props.last_modified_by = props.comments = props.category = ""
    props.title = f"{view.case.case_name} - {view.case.bundle_name} - Index"
    props.subject, props.keywords = f"Claim No. {view.case.claim_no}", view.case.claim_no


def _heading(doc: Any, view: ExportView) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    def line(text: str, bold: bool, size: float, align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> None:
        paragraph = doc.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)

    for court_line in view.case.court.splitlines():
        line(court_line, True, 12)
    line(f"Claim No. {view.case.claim_no}", False, 11, WD_ALIGN_PARAGRAPH.RIGHT)
    line(view.case.case_name, True, 14)
    line(view.case.bundle_name, True, 13)
    line("INDEX", True, 13)


def _fill(cells: Any, values: tuple[str, ...], bold: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.width = Mm(_WIDTHS_MM[i])
        paragraph = cell.paragraphs[0]
        paragraph.add_run(value).bold = bold
        if i == len(values) - 1:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc: Any, view: ExportView) -> None:
    from docx.oxml import OxmlElement

    table = doc.add_table(rows=1, cols=len(INDEX_HEADINGS))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0]
    _fill(header.cells, INDEX_HEADINGS, bold=True)
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeats on every page
    for row, values in zip(view.rows, index_table_rows(view), strict=True):
        _fill(table.add_row().cells, values, bold=row.kind == "section")


def export_index_docx(
    bundle_pdf: Path,
    project: Path,
    bundle: Bundle,
    dst: Path,
    *,
    confidential: bool = False,
    password: str | None = None,
) -> list[IndexRow]:
    """Write the index of ``bundle_pdf`` as DOCX; return its rows."""
    from docx import Document  # heavy import, only when an index is exported

    view = read_export_view(bundle_pdf, project, bundle, confidential=confidential, password=password)
    doc = Document()
    _page_setup(doc)
    _blank_properties(doc, view)
    _heading(doc, view)
    _table(doc, view)
    write_docx(dst, lambda tmp: doc.save(str(tmp)), view.targets)
    return view.rows
