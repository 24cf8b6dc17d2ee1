"""Whole-document hygiene around redaction: what we keep, and what we let go.

The redacted copy is a full rewrite. Document-level parts that the bundle
rebuilds anyway (information dictionary, XMP, outline, names, structure tree,
scripts) are dropped rather than searched, and objects left unreferenced by
our edits (such as a page's original content stream) are removed so they are
never written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pypdf import PageObject, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from bundler.core.anonymise.pdf.geometry import Spot, intersects, normal_rect
from bundler.core.anonymise.pdf.scan import LeakScanner

__all__ = [
    "strip_document",
    "strip_page_extras",
    "filter_annotations",
    "prune_form_fields",
    "prune_unreferenced",
]

# /PageLabels is not kept: the bundle numbers its own pages, and a source's label
# prefix ("Khanum-1") would otherwise make the whole document a refusal.
_CATALOG_KEEP = frozenset(
    {
        "/Type",
        "/Pages",
        "/AcroForm",
        "/Lang",
        "/ViewerPreferences",
        "/PageLayout",
        "/OCProperties",
        "/Version",
    }
)
# Page entries no bundle needs, which can carry text or a picture of the page.
_PAGE_EXTRAS = ("/Metadata", "/PieceInfo", "/Thumb", "/StructParents", "/AA", "/B", "/ID")


def strip_document(writer: PdfWriter) -> list[str]:
    """Keep only the catalog entries a page-faithful copy needs; report what went."""
    root = writer.root_object
    dropped = sorted(k for k in root if k not in _CATALOG_KEEP)
    for key in dropped:
        del root[key]
    form = root.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject) and "/XFA" in form:
        # an XFA form's XML (template, data sets) is drawn by no page of a bundle: it goes
        del form["/XFA"]
        dropped.append("/AcroForm /XFA")
    writer.metadata = None
    return [f"dropped document-level {', '.join(dropped)}"] if dropped else []


def strip_page_extras(page: PageObject) -> None:
    for key in _PAGE_EXTRAS:
        if key in page:
            del page[key]


def _annotation_leaks(annotation: DictionaryObject, scanner: LeakScanner) -> bool:
    """Its own text and appearance, and the form field(s) it belongs to."""
    node: Any = annotation
    for _ in range(32):  # a field hierarchy deeper than this is malformed
        if scanner.leaks(_without(node, "/Parent", "/Kids")):
            return True
        parent = node.get("/Parent")
        if parent is None:
            return False
        node = parent.get_object()
    return True


def _without(node: DictionaryObject, *keys: str) -> DictionaryObject:
    return DictionaryObject({k: v for k, v in node.items() if k not in keys})


def _overlaps(annotation: Any, spots: list[Spot]) -> bool:
    try:
        rect = normal_rect(*(float(v) for v in annotation["/Rect"]))
    except (KeyError, TypeError, ValueError):
        return bool(spots)  # no usable position: it might be anywhere
    return any(intersects(rect, spot.rect) for spot in spots)


def filter_annotations(page: PageObject, scanner: LeakScanner, spots: list[Spot]) -> tuple[list[IndirectObject], int]:
    """Drop annotations that mention a target or lie over a box.

    Returns the kept ones and how many were dropped.
    """
    listed = page.get("/Annots")
    if listed is None:
        return [], 0
    annots: Any = listed.get_object()
    kept = [
        ref
        for ref in annots
        if not _overlaps(ref.get_object(), spots) and not _annotation_leaks(ref.get_object(), scanner)
    ]
    if kept:
        page[NameObject("/Annots")] = ArrayObject(kept)
    else:
        del page["/Annots"]
    return kept, len(annots) - len(kept)


def prune_form_fields(writer: PdfWriter, scanner: LeakScanner) -> int:
    """Remove form fields whose name, value or appearance mentions a target."""
    form = writer.root_object.get("/AcroForm")
    if form is None:
        return 0
    form = form.get_object()
    fields = form.get("/Fields", ArrayObject()).get_object()
    kept = [f for f in fields if not scanner.leaks(_without(f.get_object(), "/Parent"))]
    form[NameObject("/Fields")] = ArrayObject(kept)
    return len(fields) - len(kept)


def _references(obj: Any) -> list[IndirectObject]:
    found: list[IndirectObject] = []
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            found.append(item)
        elif isinstance(item, DictionaryObject):
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return found


def prune_unreferenced(writer: PdfWriter, pruned: dict[int, Any] | None = None) -> None:
    """Forget every object the catalog no longer reaches, so it is not written; ``pruned`` is
    given each (object number: object), for ``restore_pruned``."""
    # pypdf writes every object it holds; its own pruning is single-pass, so we walk ourselves.
    objects = writer._objects
    reached: set[int] = set()
    info = writer._info  # the document information dictionary, when it was kept
    stack = [writer.root_object.indirect_reference, getattr(info, "indirect_reference", None)]
    while stack:
        ref = stack.pop()
        if ref is None or ref.idnum in reached or ref.pdf is not writer:
            continue
        reached.add(ref.idnum)
        stack.extend(_references(objects[ref.idnum - 1]))
    for index in range(len(objects)):
        if index + 1 not in reached:
            if pruned is not None and objects[index] is not None:
                pruned[index + 1] = objects[index]
            objects[index] = None


def restore_pruned(writer: PdfWriter, pruned: dict[int, Any], roots: Iterable[Any]) -> None:
    """Put back every object ``roots`` reach that ``prune_unreferenced`` forgot (``pruned``)."""
    objects = writer._objects
    stack = [ref for root in roots for ref in _references(root)]
    while stack:
        ref = stack.pop()
        if ref.pdf is not writer or not 0 < ref.idnum <= len(objects) or objects[ref.idnum - 1] is not None:
            continue
        found = pruned.get(ref.idnum)
        if found is not None:
            objects[ref.idnum - 1] = found
            stack.extend(_references(found))
