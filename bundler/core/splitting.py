"""Splitting one document into several (a scanned bundle of letters is many letters).

Each part is a document of the same source file with its own page selection, title and
date. Pages are counted as the document is filed (its chosen pages, in order), so
"split at 4, 8" makes pages 1-3, 4-7 and 8 to the end. The first part keeps the
document's id and place; the others follow it in its section. A redaction box drawn on a
page that goes to another part goes with that page.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from bundler.core.edits import checked_field_value, document_position
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, Document, new_id
from bundler.core.pdf.sources import parse_page_selection

__all__ = ["SplitPlan", "parse_split_points", "selection_text", "plan_split", "apply_split", "split_document"]


@dataclass(frozen=True)
class SplitPlan:
    section_id: str
    row: int  # the document's row in its section
    before: Document  # the document as it was
    parts: list[Document]  # parts[0] keeps the document's id
    box_moves: dict[str, str] = field(default_factory=dict)  # box id -> the part it now belongs to


def parse_split_points(text: str) -> list[int]:
    """'4, 8' (or '4 8') → [4, 8]: the pages where a new document starts."""
    words = [w for w in re.split(r"[,;\s]+", text.strip()) if w]
    if not words or not all(w.isdigit() for w in words):
        raise ProjectError(f"'{text}' is not a list of pages. Type the pages where a new document starts, e.g. 4, 8.")
    return sorted({int(w) for w in words})


def selection_text(pages: list[int]) -> str:
    """0-based pages → '1-3,5' (runs of consecutive pages as ranges)."""
    runs: list[list[int]] = []
    for page in pages:
        if runs and page == runs[-1][-1] + 1:
            runs[-1].append(page)
        else:
            runs.append([page])
    return ",".join(f"{r[0] + 1}-{r[-1] + 1}" if len(r) > 1 else f"{r[0] + 1}" for r in runs)


def _check_points(doc: Document, starts: list[int], count: int) -> None:
    if not starts:
        raise ProjectError("Say where to split: the pages where a new document starts, e.g. 4, 8.")
    if starts[0] < 2 or starts[-1] > count:
        raise ProjectError(
            f"'{doc.title}' has {count} page(s) in the bundle: a new document can start at pages 2 to {count}."
        )


def _check_not_served(bundle: Bundle, doc: Document) -> None:
    if bundle.served is not None and any(d.document_id == doc.id for d in bundle.served.documents):
        raise ProjectError(
            f"'{doc.title}' was served: splitting it would renumber served pages. "
            "Add the parts as new documents instead."
        )


def _part(doc: Document, pages: list[int], number: int, title: str | None, date: str | None) -> Document:
    part = copy.deepcopy(doc)
    part.id = doc.id if number == 1 else new_id()
    part.pages = selection_text(pages)
    part.title = str(checked_field_value(part, "title", title or f"{doc.title} (part {number})"))
    if date is not None:
        typed = _checked_date(part, date)
        if typed != doc.date:  # a date the user gave this part: confirmed, whatever the whole's was
            part.date_source = "typed"
        part.date = typed
    return part


def _checked_date(doc: Document, typed: str) -> str | None:
    found = checked_field_value(doc, "date", typed)  # refuses what is not a date
    return found if isinstance(found, str) else None


def _nth(values: list[str] | None, n: int) -> str | None:
    return values[n - 1] if values and n <= len(values) else None


def plan_split(
    bundle: Bundle,
    doc_id: str,
    starts: list[int],
    page_count: int,
    titles: list[str] | None = None,
    dates: list[str] | None = None,
) -> SplitPlan:
    """Check a split and say what it makes; ``page_count`` is the source's full page count.

    ``titles`` and ``dates`` (by part, as typed; '' for undated) default to the document's
    title with "(part N)" and its date."""
    section_id, row = document_position(bundle, doc_id)
    doc = next(s for s in bundle.sections if s.id == section_id).documents[row]
    _check_not_served(bundle, doc)
    chosen = parse_page_selection(doc.pages, page_count, Path(doc.path).name)
    _check_points(doc, starts, len(chosen))
    bounds = [0, *(s - 1 for s in starts), len(chosen)]
    spans = list(zip(bounds[:-1], bounds[1:], strict=True))
    parts = [_part(doc, chosen[a:b], n, _nth(titles, n), _nth(dates, n)) for n, (a, b) in enumerate(spans, 1)]
    return SplitPlan(section_id, row, copy.deepcopy(doc), parts, _box_moves(bundle, doc_id, chosen, spans, parts))


def _box_moves(
    bundle: Bundle, doc_id: str, chosen: list[int], spans: list[tuple[int, int]], parts: list[Document]
) -> dict[str, str]:
    """Boxes on pages that go to a later part, with that part's id."""
    moves = {}
    for box in bundle.register.boxes:
        if box.document_id != doc_id or box.page - 1 not in chosen:
            continue  # another document's, or on a page that is not filed
        position = chosen.index(box.page - 1)
        part = next(p for p, (a, b) in zip(parts, spans, strict=True) if a <= position < b)
        if part.id != doc_id:
            moves[box.id] = part.id
    return moves


def apply_split(bundle: Bundle, plan: SplitPlan) -> None:
    """Make the split in ``bundle``: the first part in place, the others after it."""
    section = next(s for s in bundle.sections if s.id == plan.section_id)
    first = plan.parts[0]
    doc = section.documents[plan.row]
    doc.pages, doc.title, doc.date, doc.date_source = first.pages, first.title, first.date, first.date_source
    section.documents[plan.row + 1 : plan.row + 1] = plan.parts[1:]
    for box in bundle.register.boxes:
        box.document_id = plan.box_moves.get(box.id, box.document_id)


def split_document(
    bundle: Bundle, doc_id: str, starts: list[int], page_count: int, **named: list[str]
) -> list[Document]:
    """Split a document at ``starts``; returns the parts, the first being the document itself."""
    plan = plan_split(bundle, doc_id, starts, page_count, **named)
    apply_split(bundle, plan)
    section = next(s for s in bundle.sections if s.id == plan.section_id)
    return section.documents[plan.row : plan.row + len(plan.parts)]
