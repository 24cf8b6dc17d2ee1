"""Arranging a document's pages: which source pages it files, in which order, each turned how,
and pages taken out into new documents of their own (the app's page grid).

Everything is said in the document's own fields: ``pages`` lists the source pages in the
order they are filed ("5,1-3" files page 5 first), ``page_rotations`` turns single pages.
An extracted document is another document of the same source file with the extracted
pages as its selection; it follows the document in its section, and the pages leave the
document (a page filed twice would be a duplicate in the bundle). A redaction box drawn
on an extracted page goes with that page.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from bundler.core.edits import checked_field_value, document_position
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, Document, new_id
from bundler.core.pdf.sources import parse_page_selection
from bundler.core.splitting import selection_text

__all__ = [
    "Arrangement",
    "ArrangePlan",
    "Extract",
    "apply_arrangement",
    "current_arrangement",
    "plan_arrangement",
]


@dataclass(frozen=True)
class Extract:
    """Source pages (1-based, in the order they are filed) that become a new document."""

    title: str
    pages: list[int]


@dataclass(frozen=True)
class Arrangement:
    """A document's pages as the grid shows them."""

    order: list[int]  # 1-based source pages, as filed
    turns: dict[int, int] = field(default_factory=dict)  # 1-based source page: its own clockwise turn
    extracts: list[Extract] = field(default_factory=list)


@dataclass(frozen=True)
class ArrangePlan:
    section_id: str
    row: int  # the document's row in its section
    before: Document  # the document as it was
    after: Document  # the same document (same id) as arranged
    extracted: list[Document]  # new documents, after it in its section
    box_moves: dict[str, str] = field(default_factory=dict)  # box id -> the extracted document it goes to


def current_arrangement(doc: Document, page_count: int) -> Arrangement:
    """The pages ``doc`` files now, with their turns; ProjectError if its selection does not fit."""
    order = [i + 1 for i in parse_page_selection(doc.pages, page_count, Path(doc.path).name)]
    return Arrangement(order, {int(p): a % 360 for p, a in doc.page_rotations.items() if a % 360})


def _selection(order: list[int], page_count: int) -> str:
    """The ``pages`` text filing ``order``: empty when it is every page in order."""
    if order == list(range(1, page_count + 1)):
        return ""
    return selection_text([p - 1 for p in order])


def _turns_of(arrangement: Arrangement, pages: list[int]) -> dict[str, int]:
    return {str(p): arrangement.turns[p] % 360 for p in sorted(pages) if arrangement.turns.get(p, 0) % 360}


def _check_pages(doc: Document, arrangement: Arrangement, page_count: int) -> None:
    if not arrangement.order:
        raise ProjectError(
            f"Keep at least one page of '{doc.title}'. To take the whole document out of the bundle, remove it."
        )
    every = arrangement.order + [p for e in arrangement.extracts for p in e.pages]
    if any(not 1 <= p <= page_count for p in every):
        raise ProjectError(f"'{doc.title}' has {page_count} pages: pages count from 1 to {page_count}.")
    if len(set(every)) != len(every):
        raise ProjectError(f"A page of '{doc.title}' is chosen twice: each page can be filed once.")
    if any(not e.pages for e in arrangement.extracts):
        raise ProjectError("Choose the pages to extract into the new document first.")


def _check_not_served(bundle: Bundle, doc: Document, after: Document, extracting: bool) -> None:
    served = bundle.served is not None and any(d.document_id == doc.id for d in bundle.served.documents)
    if served and (extracting or after.pages != doc.pages):
        raise ProjectError(
            f"'{doc.title}' was served: deleting, moving or extracting its pages would renumber served pages. "
            "Add new documents instead."
        )


def _extracted(doc: Document, arrangement: Arrangement, page_count: int) -> list[Document]:
    made = []
    for extract in arrangement.extracts:
        new = copy.deepcopy(doc)
        new.id = new_id()
        new.title = str(checked_field_value(new, "title", extract.title))
        new.pages = _selection(extract.pages, page_count)
        new.page_rotations = _turns_of(arrangement, extract.pages)
        made.append(new)
    return made


def plan_arrangement(bundle: Bundle, doc_id: str, page_count: int, arrangement: Arrangement) -> ArrangePlan:
    """Check an arrangement of a document's pages and say what it makes; ``page_count`` is the
    source's full page count."""
    section_id, row = document_position(bundle, doc_id)
    doc = next(s for s in bundle.sections if s.id == section_id).documents[row]
    _check_pages(doc, arrangement, page_count)
    after = copy.deepcopy(doc)
    after.pages = _selection(arrangement.order, page_count)
    after.page_rotations = _turns_of(arrangement, arrangement.order)
    _check_not_served(bundle, doc, after, bool(arrangement.extracts))
    extracted = _extracted(doc, arrangement, page_count)
    owners = {p: new.id for new, e in zip(extracted, arrangement.extracts, strict=True) for p in e.pages}
    moves = {b.id: owners[b.page] for b in bundle.register.boxes if b.document_id == doc_id and b.page in owners}
    return ArrangePlan(section_id, row, copy.deepcopy(doc), after, extracted, moves)


def apply_arrangement(bundle: Bundle, plan: ArrangePlan) -> None:
    """Make the arrangement in ``bundle``: the document rearranged, the extracted ones after it."""
    section = next(s for s in bundle.sections if s.id == plan.section_id)
    doc = section.documents[plan.row]
    doc.pages, doc.page_rotations = plan.after.pages, dict(plan.after.page_rotations)
    section.documents[plan.row + 1 : plan.row + 1] = copy.deepcopy(plan.extracted)
    for box in bundle.register.boxes:
        box.document_id = plan.box_moves.get(box.id, box.document_id)
