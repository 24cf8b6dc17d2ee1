"""Gate verdicts per chunk: each stored chunk searched once, on its own, by the full leak gate.

A chunk without a verdict (for its bytes, these targets, this gate) is placed alone in
a small PDF — its objects exactly as a bundle writes them, with a blank stamp — and
that file goes through ``leak_scan`` like any bundle: both text engines, every object
and stream, the raw bytes. Only a clean result is stored. The bundle's own gate then
reads again everything that is not a verified chunk, and checks each verified chunk's
objects byte for byte in the written file before its verdict counts (``gate.vouched``).
A chunk that is not clean simply has no verdict: the bundle's gate reads it in full,
finds what is there and refuses the bundle, naming the page.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfWriter

from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.terms import Target
from bundler.core.build.chunks.splice import attach
from bundler.core.build.chunks.store import Chunk
from bundler.core.pdf.pagework import new_font, new_stream
from bundler.core.pdf.stamp import StampStyle
from bundler.core.progress import Progress, check_cancel

__all__ = ["verdict_store", "verify_chunks"]


def verdict_store(cache: Path) -> VerdictStore:
    return VerdictStore(cache / "verdicts")


def _alone(chunk: Chunk, style: StampStyle, pdf: Path) -> None:
    """``chunk`` written as a PDF of its own, laid out as in a bundle, its stamps blank."""
    writer = PdfWriter()
    attach(writer, chunk, [""] * len(chunk.pages), style, new_font(writer), new_stream(writer, b"q\n"))
    with open(pdf, "wb") as fh:
        writer.write(fh)


def verify_chunk(chunk: Chunk, targets: Sequence[Target], store: VerdictStore, style: StampStyle, work: Path) -> bool:
    """Whether ``chunk`` has a clean verdict, searching it (and storing the verdict) if need be."""
    blob = bytes(chunk.data())
    chunk.release()
    digest = hashlib.sha256(blob).hexdigest()
    if store.is_clean(digest, targets):
        return True
    pdf = work / "chunk-verdict.pdf"
    try:
        _alone(dataclasses.replace(chunk, blob=blob, path=None), style, pdf)  # these very bytes
        if leak_scan(pdf, list(targets), file_name=""):
            return False
    finally:
        pdf.unlink(missing_ok=True)
    store.record_clean(digest, targets)
    return True


def verify_chunks(
    chunks: list[Chunk],
    targets: Sequence[Target],
    store: VerdictStore,
    style: StampStyle,
    work: Path,
    progress: Progress,
) -> int:
    """Give every chunk a verdict it can have; returns how many are verified clean."""
    progress.stage("Leak gate: searching each document once", sum(len(c.pages) for c in chunks))
    clean = 0
    for chunk in chunks:
        check_cancel(progress)
        clean += verify_chunk(chunk, targets, store, style, work)
        progress.advance(len(chunk.pages))
    return clean
