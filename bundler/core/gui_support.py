"""Pure edits and look-ups the desktop app needs, kept here so they run headless too.

The GUI wraps each edit in an undo command; nothing in this module knows about Qt.
Page counts are read cheaply (the page tree only needs how many, never the pages).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from bundler.core.anonymise.detect import Hit
from bundler.core.edits import add_document, relative_source_path
from bundler.core.errors import BundlerError, ProjectError
from bundler.core.frontmatter import count_index_pages
from bundler.core.model import Bundle, CaseDetails, Document, Section
from bundler.core.naming import parse_date
from bundler.core.pagemap import compute_page_map
from bundler.core.probe import SUPPORTED_SUFFIXES
from bundler.core.sources import open_pdf, parse_page_selection

__all__ = [
    "EDITABLE_FIELDS",
    "Rect",
    "add_section",
    "insert_section",
    "remove_section",
    "rename_section",
    "move_section",
    "insert_document",
    "document_position",
    "checked_field_value",
    "set_document_field",
    "new_document",
    "expand_sources",
    "rebase_paths",
    "count_pages",
    "converted_pdf",
    "tree_page_ranges",
    "tree_page_labels",
    "hit_rects",
]

EDITABLE_FIELDS = ("title", "date", "description", "pages", "rotation")
PageRange = tuple[int, int]
Rect = tuple[float, float, float, float]


def _section(bundle: Bundle, section_id: str) -> Section:
    for section in bundle.sections:
        if section.id == section_id:
            return section
    raise ProjectError(f"There is no section with id '{section_id}' in this bundle.")


def _next_letter(bundle: Bundle) -> str:
    used = {s.letter for s in bundle.sections}
    candidates = [
        *string.ascii_uppercase,
        *(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase),
    ]
    return str(next(c for c in candidates if c not in used))


def add_section(bundle: Bundle, title: str, position: int | None = None) -> Section:
    """A new empty section with the next free tab letter."""
    if not title.strip():
        raise ProjectError("A section needs a name, e.g. 'Witness statements'.")
    section = Section(letter=_next_letter(bundle), title=title.strip())
    insert_section(bundle, len(bundle.sections) if position is None else position, section)
    return section


def insert_section(bundle: Bundle, position: int, section: Section) -> None:
    bundle.sections.insert(position, section)


def remove_section(bundle: Bundle, section_id: str) -> tuple[int, Section]:
    """Remove a section with its documents; returns where it was, for undo."""
    section = _section(bundle, section_id)
    position = bundle.sections.index(section)
    bundle.sections.pop(position)
    return position, section


def rename_section(bundle: Bundle, section_id: str, title: str) -> str:
    """Returns the old title."""
    if not title.strip():
        raise ProjectError("A section needs a name. Type one, or press Esc to keep the old name.")
    section = _section(bundle, section_id)
    old, section.title = section.title, title.strip()
    return old


def move_section(bundle: Bundle, section_id: str, position: int) -> None:
    _, section = remove_section(bundle, section_id)
    bundle.sections.insert(position, section)


def insert_document(bundle: Bundle, section_id: str, position: int, doc: Document) -> None:
    _section(bundle, section_id).documents.insert(position, doc)


def document_position(bundle: Bundle, doc_id: str) -> tuple[str, int]:
    """(section id, row) of a document."""
    for section in bundle.sections:
        for row, doc in enumerate(section.documents):
            if doc.id == doc_id:
                return section.id, row
    raise ProjectError(f"There is no document with id '{doc_id}' in this bundle.")


def checked_field_value(doc: Document, field: str, value: object) -> object:
    """``value`` as ``doc.<field>`` would store it; ProjectError when it is not acceptable."""
    if field not in EDITABLE_FIELDS:
        raise ProjectError(f"'{field}' is not an editable field of a document.")
    text = "" if value is None else str(value).strip()
    if field == "title" and not text:
        raise ProjectError("A document needs a title. Type one, or press Esc to keep the old title.")
    if field == "date":
        iso = parse_date(text.replace("/", ".")) if text else None  # 11/08/2019 is typed in the UK
        if text and iso is None:
            raise ProjectError(f"'{text}' is not a date. Type it as YYYY-MM-DD or DD/MM/YYYY, or leave it empty.")
        return iso
    if field == "pages":
        # Only the syntax: the build checks the range against the document's pages.
        parse_page_selection(text, 1_000_000, Path(doc.path).name)
    if field == "rotation":
        if not text.lstrip("-").isdigit() or int(text) % 90:
            raise ProjectError(f"Rotation '{text}' is not a quarter turn. Use 0, 90, 180 or 270.")
        return int(text) % 360
    return text


def set_document_field(bundle: Bundle, doc_id: str, field: str, value: object) -> object:
    """Set one of ``EDITABLE_FIELDS`` after checking it; returns the old value."""
    section_id, row = document_position(bundle, doc_id)
    doc = _section(bundle, section_id).documents[row]
    old = getattr(doc, field)
    setattr(doc, field, checked_field_value(doc, field, value))
    return old


def new_document(source: Path, project_dir: Path | None, password: str | None = None) -> Document:
    """A checked document for ``source`` (title and date proposed), not yet in any bundle.

    It reuses ``edits.add_document`` on a scratch bundle so probing stays in one place.
    Without a project folder (an untitled bundle) the path is absolute.
    """
    scratch = Bundle(CaseDetails("", ""), sections=[Section("A", "scratch")])
    doc = add_document(scratch, project_dir or source.parent, source, "A", password=password)
    if project_dir is None:
        doc.path = source.resolve().as_posix()
    return doc


def expand_sources(paths: Iterable[Path]) -> list[Path]:
    """Folders become the documents inside them (by name, recursively); files stay as given."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(path.rglob("*"), key=lambda p: [part.casefold() for part in p.parts]):
            hidden = child.name.startswith((".", "~$"))  # dot files and Word lock files
            if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(child)
    return found


def rebase_paths(bundle: Bundle, old_base: Path | None, new_base: Path | None) -> None:
    """Re-express document paths for a project saved somewhere else (or untitled: absolute)."""
    for _, doc in bundle.documents():
        source = Path(doc.path)
        if not source.is_absolute():
            if old_base is None:
                continue
            source = old_base / source
        doc.path = relative_source_path(source, new_base) if new_base else source.resolve().as_posix()


def count_pages(path: Path, kind: str, password: str | None = None) -> int | None:
    """How many pages a source has, cheaply; None when unknown (DOCX not converted, bad file)."""
    try:
        if kind == "pdf":
            return len(open_pdf(path, password).pages)
        if kind == "image":
            with Image.open(path) as img:
                return int(getattr(img, "n_frames", 1))
    except (BundlerError, OSError, SyntaxError, ValueError):
        return None  # the build names the problem; the tree just shows no number
    return None


def converted_pdf(cache_dir: Path, doc: Document) -> Path | None:
    """The cached conversion of a DOCX or image, if a build or preview already made one."""
    for converter in ("libreoffice", "builtin", "image"):
        candidate = cache_dir / f"{doc.sha256}.{converter}.pdf"
        if candidate.is_file():
            return candidate
    return None


def _selected(doc: Document, total: int | None) -> int | None:
    if total is None:
        return None
    try:
        return len(parse_page_selection(doc.pages, total, Path(doc.path).name))
    except ProjectError:
        return total  # the build will report the bad selection; show the whole document meanwhile


def tree_page_ranges(bundle: Bundle, totals: Mapping[str, int | None]) -> dict[str, PageRange | None]:
    """Bundle pages (first, last) of each document and section id, from the build's page map.

    ``totals`` holds each document's full page count (None: unknown). Numbers after an
    unknown count cannot be known, so they are None too.
    """
    counts = {d.id: _selected(d, totals.get(d.id)) for _, d in bundle.documents()}
    layout = {doc_id: count or 1 for doc_id, count in counts.items()}
    draft = compute_page_map(bundle, layout, index_pages=1)
    page_map = compute_page_map(bundle, layout, index_pages=count_index_pages(draft))
    ranges: dict[str, PageRange | None] = {}
    unknown = False
    for entry in page_map.entries:
        if entry.kind == "document" and entry.document is not None:
            unknown = unknown or counts[entry.document.id] is None
            ranges[entry.document.id] = None if unknown else (entry.first, entry.last)
    for entry in page_map.of_kind("section"):
        assert entry.section is not None
        last_doc = entry.section.documents[-1].id
        ranges[entry.section.id] = (entry.first, entry.last) if ranges[last_doc] else None
    return ranges


def hit_rects(pdf: Path, hits: Iterable[Hit], password: str | None = None) -> dict[str, list[Rect]]:
    """Where each hit shows on its page, as (x0, y0, x1, y1) in points, by hit key.

    PDFium must never run in two threads at once: call this where the other PDFium
    work runs (the detection worker), not from the UI thread.
    """
    try:
        document = pdfium.PdfDocument(pdf, password=password)
    except (pdfium.PdfiumError, OSError):
        return {}
    try:
        return {hit.key: _rects_on(document, hit) for hit in hits}
    finally:
        document.close()


def _rects_on(document: pdfium.PdfDocument, hit: Hit) -> list[Rect]:
    try:
        textpage = document[hit.page - 1].get_textpage()
        searcher = textpage.search(" ".join(hit.text.split()), match_case=False)
        rects: list[Rect] = []
        while (found := searcher.get_next()) is not None:
            rects += [_rect(textpage.get_rect(i)) for i in range(textpage.count_rects(*found))]
        return rects
    except (pdfium.PdfiumError, IndexError):
        return []


def _rect(box: tuple[float, ...]) -> Rect:
    x0, y0, x1, y1 = box
    return (x0, y0, x1, y1)


def _span(first: str, last: str) -> str:
    return first if first == last else f"{first}–{last}"


def tree_page_labels(bundle: Bundle, totals: Mapping[str, int | None]) -> dict[str, str | None]:
    """What the tree's Pages column shows for each document and section id.

    Before service: the bundle pages. Once frozen: served documents keep the pages they
    were served on, and later ones show how they will be numbered (N.1 … or N+1 …).
    """
    ranges = tree_page_ranges(bundle, totals)
    if bundle.served is None:
        return {key: None if r is None else _span(str(r[0]), str(r[1])) for key, r in ranges.items()}
    from bundler.core.late import additions_layout

    labels: dict[str, str | None] = {d.document_id: _span(str(d.first), str(d.last)) for d in bundle.served.documents}
    part, numbering = additions_layout(bundle)
    counts = {d.id: _selected(d, totals.get(d.id)) for _, d in part.documents()}
    if part.documents():
        layout = {doc_id: count or 1 for doc_id, count in counts.items()}
        draft = compute_page_map(part, layout, 1, numbering)
        page_map = compute_page_map(part, layout, count_index_pages(draft), numbering)
        for entry in page_map.of_kind("document"):
            assert entry.document is not None
            shown = _span(page_map.label(entry.first), page_map.label(entry.last))
            labels[entry.document.id] = shown if counts[entry.document.id] is not None else None
    for section in bundle.sections:  # a section spans its served pages, else its additions
        served = [d for d in bundle.served.documents if any(x.id == d.document_id for x in section.documents)]
        if served:
            labels[section.id] = _span(str(min(d.first for d in served)), str(max(d.last for d in served)))
        elif section.documents and all(labels.get(d.id) for d in section.documents):
            first, last = labels[section.documents[0].id], labels[section.documents[-1].id]
            labels[section.id] = _span(str(first).split("–")[0], str(last).split("–")[-1])
    return labels
