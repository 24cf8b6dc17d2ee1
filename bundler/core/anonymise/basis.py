"""Which rendering of a document a hand-drawn box was drawn on, and refusing any other.

A box's rectangle is in the points of one rendering of its document. A PDF is its
own rendering, so its boxes always apply where drawn. A Word document is converted,
and a public build converts the ANONYMISED copy (names replaced), whose lines may
reflow: a box drawn on the plain conversion can land a line off. So every box on a
DOCX records its ``basis`` (the rendering's identity: the converted content's key
and the converter that laid it out) and a public build refuses a box whose basis is
not the rendering it is about to redact, rather than redact the wrong place.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from bundler.core.anonymise.terms import Target, targets_fingerprint, targets_from_register
from bundler.core.convert.chain import Prepared, SourceJob, docx_converter_name, prepare_sources
from bundler.core.errors import BuildError
from bundler.core.model import Document, RedactionBox, Register
from bundler.core.progress import NullProgress, Progress

__all__ = [
    "anonymised_key",
    "box_basis_error",
    "check_box_bases",
    "drawn_on",
    "public_rendering",
    "rendering_basis",
]


def anonymised_key(doc: Document, targets: list[Target]) -> str:
    """The content key of a DOCX as a build with ``targets`` converts it (the plain source's if none)."""
    if not targets:
        return doc.sha256
    parts = (doc.sha256, targets_fingerprint(targets))
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def rendering_basis(key: str, converter: str) -> str:
    """The identity of one rendering: what was converted (its key) and which converter laid it out."""
    return hashlib.sha256(f"{key}|{converter}".encode()).hexdigest()


def _kept(doc: Document) -> bool:
    """Whether the rendering redacted is the one shown whatever the register says (not a DOCX)."""
    return doc.kind != "docx"


_CONVERTERS = ("word", "libreoffice", "builtin")


def box_basis_error(doc: Document, box: RedactionBox, key: str, converter: str) -> str:
    """The one-line refusal for a box drawn on another rendering than ``key`` by ``converter``."""
    if box.basis in {rendering_basis(key, other) for other in _CONVERTERS if other != converter}:
        return (
            f"A box you drew on '{doc.title}' page {box.page} was drawn on this document's pages as another"
            f" converter laid them out (this build uses {converter}, so the text moved). Open it in the app,"
            " check the box and draw it again."
        )
    return (
        f"A box you drew on '{doc.title}' page {box.page} was drawn on an earlier version of this document's"
        " pages (names were replaced since, and the text moved). Open it in the app, check the box and"
        " draw it again."
    )


def drawn_on(box: RedactionBox, basis: str, plain: str) -> bool:
    """Whether ``box`` was drawn on rendering ``basis``; ``plain``: the plain conversion's (an old box's)."""
    return (box.basis or plain) == basis


def check_box_bases(doc: Document, boxes: list[RedactionBox], job: SourceJob, prepared: Prepared) -> None:
    """Refuse when a box on ``doc`` was drawn on another rendering than ``prepared`` (a DOCX's).

    A box without a basis (drawn before bases were kept) was drawn on the plain
    conversion, which is the one redacted only while nothing replaces its text.
    """
    if _kept(doc):
        return
    current = rendering_basis(job.key, prepared.converter)
    plain = rendering_basis(doc.sha256, prepared.converter)
    for box in sorted(boxes, key=lambda b: b.page):
        if not drawn_on(box, current, plain):
            raise BuildError(box_basis_error(doc, box, job.key, prepared.converter))


def public_rendering(
    register: Register,
    choice: str,
    doc: Document,
    source: Path,
    cache: Path,
    progress: Progress | None = None,
) -> tuple[Prepared, str | None]:
    """The PDF a public build redacts for ``doc`` and its basis (None: not a DOCX, any rendering holds).

    ``register`` says what is protected; ``choice`` is the project's DOCX converter.

    A DOCX is anonymised with the register's targets exactly as the build does (into a
    temporary copy, named by id), then converted through the shared cache.
    """
    from bundler.core.anonymise.docx.anonymise import anonymise_docx

    targets, progress = targets_from_register(register), progress or NullProgress()
    if doc.kind != "docx":
        job = SourceJob(doc.id, source, doc.sha256, doc.kind, doc.password if doc.kind == "pdf" else None)
        return prepare_sources([job], cache, choice, progress, [])[doc.id], None
    key = anonymised_key(doc, targets)
    name = docx_converter_name(choice)
    if (cache / f"{key}.{name}.pdf").is_file():  # converted before: nothing to anonymise again
        return Prepared(cache / f"{key}.{name}.pdf", name, cached=True), rendering_basis(key, name)
    with tempfile.TemporaryDirectory(prefix="bundler-basis-") as tmp:
        path = source
        if targets:
            path = Path(tmp) / f"{doc.id}.docx"
            anonymise_docx(source, path, targets)
        prepared = prepare_sources([SourceJob(doc.id, path, key, "docx")], cache, choice, progress, [])[doc.id]
    return prepared, rendering_basis(key, prepared.converter)
