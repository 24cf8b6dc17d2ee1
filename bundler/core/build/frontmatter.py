"""Our own pages: the cover, the index and section dividers, drawn with reportlab.

The index is laid out by one function (``layout_index``) used twice: once to
count index pages for the page map, once to draw them — so the count is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from bundler.core.build.cover import draw_cover
from bundler.core.build.lettering import BOLD, REGULAR, centred, register_fonts
from bundler.core.build.pagemap import Entry, Numbering, PageMap, compute_page_map
from bundler.core.model import Bundle, CaseDetails
from bundler.core.naming import format_date

__all__ = [
    "IndexLine",
    "IndexLink",
    "index_line",
    "index_lines",
    "layout_index",
    "count_index_pages",
    "settled_page_map",
    "render_front_matter",
]

_W, _H = A4
_LEFT, _RIGHT, _TOP, _BOTTOM = 56.0, _W - 56.0, _H - 64.0, 80.0  # bottom clear of the stamp
_COL_DESC, _COL_DATE = 104.0, 420.0
_DESC_WIDTH = _COL_DATE - _COL_DESC - 12
_SIZE, _LEADING = 10.0, 13.0
_FIRST_HEADER, _NEXT_HEADER, _COLUMN_HEADER = 84.0, 34.0, 22.0


@dataclass(frozen=True)
class IndexLink:
    page: int  # 1-based bundle page the row is printed on
    rect: tuple[float, float, float, float]
    target: int  # 1-based bundle page the row points at


@dataclass(frozen=True)
class IndexLine:
    """One row of the index as it is printed: the app's live Index tab shows the same words."""

    kind: str  # section | document
    tab: str  # "A", "A1"
    title: str
    date: str  # as printed; "" for a section or an undated document
    page: str  # the label printed in the Page column: the row's first bundle page
    first: int  # 1-based bundle pages the row spans
    last: int
    item_id: str  # the section's or document's id


def _indexed(page_map: PageMap) -> list[Entry]:
    return [e for e in page_map.entries if e.kind in ("section", "document")]


def index_line(entry: Entry, page_map: PageMap) -> IndexLine:
    """What the index prints for ``entry`` (a section or a document)."""
    item = entry.document if entry.kind == "document" else entry.section
    date = format_date(entry.date) if entry.kind == "document" else ""
    item_id = item.id if item is not None else ""
    return IndexLine(
        entry.kind, entry.tab, entry.title, date, page_map.label(entry.first), entry.first, entry.last, item_id
    )


def index_lines(page_map: PageMap) -> list[IndexLine]:
    """Every row of the index, in order, as printed."""
    return [index_line(entry, page_map) for entry in _indexed(page_map)]


@dataclass(frozen=True)
class _Row:
    entry: Entry
    lines: tuple[str, ...]
    height: float


def _rows(page_map: PageMap) -> list[_Row]:
    rows = []
    for entry in _indexed(page_map):
        font = BOLD if entry.kind == "section" else REGULAR
        lines = tuple(simpleSplit(entry.title, font, _SIZE, _DESC_WIDTH)) or ("",)
        gap = 8.0 if entry.kind == "section" else 3.0
        rows.append(_Row(entry, lines, gap + len(lines) * _LEADING))
    return rows


def layout_index(page_map: PageMap) -> list[list[_Row]]:
    """Rows per index page; a row never splits across pages."""
    register_fonts()
    pages: list[list[_Row]] = [[]]
    space = _TOP - _FIRST_HEADER - _COLUMN_HEADER - _BOTTOM
    for row in _rows(page_map):
        if row.height > space and pages[-1]:
            pages.append([])
            space = _TOP - _NEXT_HEADER - _COLUMN_HEADER - _BOTTOM
        pages[-1].append(row)
        space -= row.height
    return pages


def count_index_pages(page_map: PageMap) -> int:
    return len(layout_index(page_map))


def settled_page_map(bundle: Bundle, counts: dict[str, int], numbering: Numbering | None = None) -> PageMap:
    """The page map with its index pages counted: a draft with one index page is laid out
    first, then the real one with as many index pages as the draft's rows need."""
    numbering = numbering or Numbering()
    draft = compute_page_map(bundle, counts, 1, numbering)
    return compute_page_map(bundle, counts, count_index_pages(draft), numbering)


def _draw_index_header(pdf: Canvas, case: CaseDetails, first: bool, title: str) -> float:
    if first:
        y = centred(pdf, [case.case_name], BOLD, 12, _TOP)
        y = centred(pdf, [f"{case.bundle_name} - Claim No. {case.claim_no}"], REGULAR, 10, y - 2)
        centred(pdf, [title], BOLD, 14, y - 10)
        y = _TOP - _FIRST_HEADER
    else:
        centred(pdf, [f"{title} (continued)"], BOLD, 12, _TOP)
        y = _TOP - _NEXT_HEADER
    pdf.setFont(BOLD, 9)
    for x, text in ((_LEFT, "Tab"), (_COL_DESC, "Description"), (_COL_DATE, "Date")):
        pdf.drawString(x, y - 12, text)
    pdf.drawRightString(_RIGHT, y - 12, "Page")
    pdf.line(_LEFT, y - 17, _RIGHT, y - 17)
    return float(y - _COLUMN_HEADER)


def _draw_row(pdf: Canvas, row: _Row, y: float, page_map: PageMap) -> tuple[float, float, float, float]:
    printed = index_line(row.entry, page_map)
    top = y - (row.height - len(row.lines) * _LEADING)
    baseline = top - _SIZE
    font = BOLD if printed.kind == "section" else REGULAR
    pdf.setFont(font, _SIZE)
    pdf.drawString(_LEFT, baseline, printed.tab)
    for i, line in enumerate(row.lines):
        pdf.drawString(_COL_DESC, baseline - i * _LEADING, line)
    if printed.kind == "document":
        pdf.drawString(_COL_DATE, baseline, printed.date)
    pdf.drawRightString(_RIGHT, baseline, printed.page)
    return (_LEFT - 2, y - row.height, _RIGHT + 2, top + 1)


def _draw_divider(pdf: Canvas, entry: Entry) -> None:
    y = centred(pdf, [f"Section {entry.tab}"], BOLD, 28, _H / 2 + 60)
    centred(pdf, [entry.title], BOLD, 20, y - 10)


def render_front_matter(dst: Path, case: CaseDetails, page_map: PageMap) -> list[IndexLink]:
    """Write cover, index pages, then one divider per section, in that order."""
    register_fonts()
    pdf = Canvas(str(dst), pagesize=A4, pageCompression=1, invariant=1)
    if page_map.of_kind("cover"):
        draw_cover(pdf, case, page_map)
        pdf.showPage()
    links = []
    first_index = page_map.of_kind("index")[0].first
    for number, rows in enumerate(layout_index(page_map)):
        y = _draw_index_header(pdf, case, number == 0, page_map.numbering.index_title)
        for row in rows:
            rect = _draw_row(pdf, row, y, page_map)
            links.append(IndexLink(first_index + number, rect, row.entry.first))
            y -= row.height
        pdf.showPage()
    for entry in page_map.of_kind("divider"):
        _draw_divider(pdf, entry)
        pdf.showPage()
    pdf.save()
    return links
