"""Sanitise an export in memory, before the builder writes it (PRODUCT.md §3).

Everything that can carry a name or run code without being part of the pages goes:
source annotations, attachments, JavaScript and other actions, form fields (their
appearance is drawn into the page first, so filled-in values stay visible), optional
content, thumbnails, ``/PieceInfo``, per-page and per-image XMP, and the structure
tree. Document info and XMP are rewritten from the case details only (no author).
Objects nothing refers to any more are dropped, and the builder writes the file in
full — never incrementally — so nothing removed here survives in an older revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from bundler.core.anonymise.sanitise.forms import editable_pages, flatten_form
from bundler.core.anonymise.sanitise.images import ReadClean, clean_image, clean_inline_images
from bundler.core.anonymise.sanitise.links import link_shows_target
from bundler.core.anonymise.terms import Target
from bundler.core.build.chunks.splice import ChunkObject, chunk_references
from bundler.core.naming import plural

__all__ = ["sanitise_writer", "sanitise_pages"]

_INFO_KEYS = (
    "/Title",
    "/Subject",
    "/Keywords",
    "/Creator",
    "/Producer",
    "/CreationDate",
    "/ModDate",
)
_CATALOG = {
    "/AA": "document actions",
    "/OCProperties": "optional content (hidden layers now show)",
    "/PieceInfo": "application data (/PieceInfo)",
    "/StructTreeRoot": "the structure tree (tags, /ActualText, /Alt)",
    "/MarkInfo": "",
    "/Threads": "article threads",
    "/Collection": "portfolio settings",
    "/SpiderInfo": "web-capture data",
    "/Legal": "",
    "/Perms": "",
}
_NAMES = (
    "/EmbeddedFiles",
    "/JavaScript",
    "/AP",
    "/Templates",
    "/Pages",
    "/IDS",
    "/URLS",
    "/Renditions",
    "/AlternatePresentations",
)
_PAGE = ("/AA", "/Thumb", "/PieceInfo", "/Metadata", "/B", "/StructParents", "/PresSteps")
_XOBJECT = ("/Metadata", "/PieceInfo", "/OC", "/StructParent", "/StructParents", "/OPI")
_SAFE_ACTIONS = ("/GoTo", "/URI")
# What a kept link keeps: where it is and where it goes, and how its border looks. Nothing else:
# not its text (/Contents, /T, /RC …), nor an appearance of its own (/AP, /AS, /MK), which poppler
# draws and reads as the page's text while PDFium and pypdf never read it (round 32: a link's
# appearance showing "qwxyzw" in a font whose glyphs are named F a r i d a … put the name in the
# public bundle's text and on its page)
_LINK_KEEPS = frozenset(
    {"/Type", "/Subtype", "/Rect", "/A", "/Dest", "/Border", "/BS", "/C", "/H", "/QuadPoints", "/F", "/P"}
)


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _get(obj: Any, key: str) -> Any:
    return _resolved(obj.get(key)) if isinstance(obj, DictionaryObject) else None


def _safe_action(action: Any, depth: int = 0) -> bool:
    """A GoTo or URI action whose /Next actions are all safe too."""
    if action is None:
        return True
    if depth > 8 or not isinstance(action, DictionaryObject) or action.get("/S") not in _SAFE_ACTIONS:
        return False
    following = _get(action, "/Next")
    following = following if isinstance(following, ArrayObject) else [following] if following else []
    return all(_safe_action(_resolved(item), depth + 1) for item in following)


def _kept_link(annotation: Any, keep_links: bool, targets: list[Target]) -> bool:
    """A link to a page or a web address whose target shows no protected term."""
    if not keep_links or annotation.get("/Subtype") != "/Link" or not _safe_action(_get(annotation, "/A")):
        return False
    return not link_shows_target(annotation, targets)


def _filter_annotations(page: Any, keep_links: bool, targets: list[Target]) -> int:
    """Keep only links that go to a page or a web address; return how many went."""
    annotations = _get(page, "/Annots")
    if annotations is None:
        return 0
    kept = ArrayObject()
    for ref in annotations:
        annotation = ref.get_object()
        if _kept_link(annotation, keep_links, targets):
            for key in [key for key in annotation if key not in _LINK_KEEPS]:
                del annotation[key]
            kept.append(ref)
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page["/Annots"]
    return len(annotations) - len(kept)


def _clean_xobjects(resources: Any, seen: set[int]) -> None:
    """Drop metadata, application data and optional-content membership from images and forms."""
    for ref in (_get(resources, "/XObject") or {}).values():
        xobject = ref.get_object()
        if id(xobject) in seen:
            continue
        seen.add(id(xobject))
        for key in _XOBJECT:
            xobject.pop(key, None)
        _clean_xobjects(_get(xobject, "/Resources"), seen)


def _clean_pages(writer: PdfWriter, keep_links: bool, notes: list[str], targets: list[Target]) -> None:
    removed, seen = 0, set[int]()
    for page in editable_pages(writer):
        removed += _filter_annotations(page, keep_links, targets)
        for key in _PAGE:
            page.pop(key, None)
        _clean_xobjects(_get(page, "/Resources"), seen)
    if removed:
        notes.append(
            f"removed {plural(removed, 'annotation')}: comments, highlights, widgets, unsafe or protected links …"
        )


def _clean_images(writer: PdfWriter, targets: list[Target], read_clean: ReadClean | None = None) -> None:
    """Every image the writer holds, wherever it is drawn from (a page, a pattern, a glyph, a
    mask), and every inline image in its content streams: no JPEG metadata, no bytes that
    spell a target (``images``)."""
    for obj in writer._objects:
        if isinstance(obj, StreamObject) and obj.get("/Subtype") == "/Image":
            clean_image(obj, targets, read_clean)
        elif isinstance(obj, StreamObject):
            clean_inline_images(obj, targets)


def _clean_catalog(writer: PdfWriter, notes: list[str]) -> None:
    root = writer.root_object
    for key, what in _CATALOG.items():
        if root.pop(key, None) is not None and what:
            notes.append(f"removed {what}")
    open_action = _get(root, "/OpenAction")
    if isinstance(open_action, DictionaryObject) and (
        open_action.get("/S") != "/GoTo" or not _safe_action(open_action)
    ):
        del root["/OpenAction"]
        notes.append(f"removed the opening action ({open_action.get('/S')})")
    names = _get(root, "/Names")
    if isinstance(names, DictionaryObject):
        for key in _NAMES:
            if names.pop(key, None) is not None:
                notes.append(f"removed {key[1:]} from the name tree")
        if not names:
            del root["/Names"]


def _xmp_date(pdf_date: str, fallback: str) -> str:
    digits = "".join(ch for ch in pdf_date if ch.isdigit())[:14]
    if len(digits) < 14:
        return fallback
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T{digits[8:10]}:{digits[10:12]}:{digits[12:14]}Z"


def _alternative(tag: str, value: str) -> str:
    return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li></rdf:Alt></{tag}>'


def _xmp(info: dict[str, str], now: str) -> bytes:
    """A minimal XMP packet carrying the same fields as the document info, nothing else."""
    created = _xmp_date(info.get("/CreationDate", ""), now)
    modified = _xmp_date(info.get("/ModDate", ""), created)
    fields = [
        "<dc:format>application/pdf</dc:format>",
        _alternative("dc:title", info.get("/Title", "")),
        _alternative("dc:description", info.get("/Subject", "")),
        f"<pdf:Keywords>{escape(info.get('/Keywords', ''))}</pdf:Keywords>",
        f"<pdf:Producer>{escape(info.get('/Producer', ''))}</pdf:Producer>",
        f"<xmp:CreatorTool>{escape(info.get('/Creator', ''))}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{created}</xmp:CreateDate><xmp:ModifyDate>{modified}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
    ]
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        + "\n".join(fields)
        + '\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode("utf-8")


def _rewrite_metadata(writer: PdfWriter, info: dict[str, str], notes: list[str]) -> None:
    given = {(k if k.startswith("/") else f"/{k}"): str(v) for k, v in info.items()}
    if any(key not in _INFO_KEYS for key in given):
        notes.append(f"left out document info fields {sorted(set(given) - set(_INFO_KEYS))}")
    now = datetime.now(timezone.utc)
    given.setdefault("/CreationDate", now.strftime("D:%Y%m%d%H%M%SZ"))
    kept = {key: value for key, value in given.items() if key in _INFO_KEYS}
    dropped = sorted(set(writer.metadata or {}) - set(kept))
    if dropped:
        notes.append(f"replaced the document info (dropped {', '.join(dropped)})")
    writer.metadata = kept
    xmp = DecodedStreamObject()
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    xmp.set_data(_xmp(kept, now.strftime("%Y-%m-%dT%H:%M:%SZ")))
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)


def _drop_unreachable(writer: PdfWriter) -> int:
    """Forget objects that nothing refers to any more, so they are not written out.

    pypdf writes every object it holds, referenced or not; a removed attachment
    would otherwise still be in the file.
    """
    stack: list[Any] = [writer.root_object.indirect_reference, writer._info_obj]
    seen: set[tuple[int, int]] = set()
    chunks: set[int] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (id(obj.pdf), obj.idnum) in seen:
                continue
            seen.add((id(obj.pdf), obj.idnum))
            obj = obj.get_object()
        if isinstance(obj, ChunkObject):  # a stored chunk holds only what its pages reach
            if id(obj.placement) not in chunks:
                chunks.add(id(obj.placement))
                numbers, outside = chunk_references(obj)
                seen.update((id(writer), n) for n in numbers)
                stack.extend(IndirectObject(n, 0, writer) for n in outside)
        elif isinstance(obj, DictionaryObject):
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    reached = {idnum for pdf, idnum in seen if pdf == id(writer)}
    dropped = [i for i, obj in enumerate(writer._objects) if obj is not None and i + 1 not in reached]
    for index in dropped:
        writer._objects[index] = None
    return len(dropped)


def sanitise_pages(writer: PdfWriter, targets: Sequence[Target] = (), read_clean: ReadClean | None = None) -> list[str]:
    """Sanitise the pages of one document before it is stored (catalog and metadata are the bundle's).

    ``targets``: a link whose target shows one of them goes (a public build's). ``read_clean``
    is told of image bytes found to spell none of them (``images._unspell``)."""
    notes: list[str] = []
    flatten_form(writer, notes)
    _clean_pages(writer, True, notes, list(targets))
    _clean_images(writer, list(targets), read_clean)
    return notes


def sanitise_writer(
    writer: PdfWriter, *, info: dict[str, str], keep_links: bool = True, targets: Sequence[Target] = ()
) -> list[str]:
    """Sanitise ``writer`` in place; return notes of what was removed, for the build report.

    ``info`` holds /Title, /Subject, /Keywords, /Creator and /Producer (and optionally
    /CreationDate and /ModDate); any other field, such as /Author, is left out.
    """
    notes: list[str] = []
    flatten_form(writer, notes)
    _clean_pages(writer, keep_links, notes, list(targets))
    _clean_images(writer, list(targets))
    _clean_catalog(writer, notes)
    _rewrite_metadata(writer, info, notes)
    dropped = _drop_unreachable(writer)
    if dropped:
        notes.append(f"dropped {plural(dropped, 'object')} nothing refers to any more")
    return notes
