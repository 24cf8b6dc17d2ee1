"""The one gated writer: every file that leaves the program goes through here.

Bundle, volume, supplementary bundle, N461, schedule, index DOCX, page map: each
is written to a temporary file beside its destination, the leak gate reads that
temporary file back as an outsider would, and only then is it moved into place
(``os.replace``). A new kind of output cannot forget the gate, because there is no
other way to write one. With no protected targets (a confidential bundle, a
register that protects no one) the gate has nothing to search for, and the file is
still written atomically.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfWriter

from bundler.core.anonymise.docx.sweep import sweep_docx
from bundler.core.anonymise.gate.gate import require_no_leaks
from bundler.core.anonymise.gate.places import PageHook, VouchedHook
from bundler.core.anonymise.gate.verdicts import VerdictStore
from bundler.core.anonymise.gate.vouched import Claims
from bundler.core.anonymise.sanitise.document import sanitise_writer
from bundler.core.anonymise.terms import Target, find_matches
from bundler.core.anonymise.versions import docx_sweep_version
from bundler.core.errors import BuildError, LeakError
from bundler.core.fsutil import atomic_output
from bundler.core.naming import plural
from bundler.core.progress import NullProgress, Progress, check_cancel

__all__ = ["write_pdf", "write_text", "write_docx", "docx_verdicts", "gated_pdf_file"]

_BUFFER = 1 << 20  # pypdf writes in tiny pieces


def write_pdf(
    writer: PdfWriter,
    dst: Path,
    targets: list[Target],
    *,
    info: dict[str, str],
    progress: Progress | None = None,
    check: Callable[[Path], None] | None = None,
    claims: Claims | None = None,
    on_page: PageHook | None = None,
    on_vouched: VouchedHook | None = None,
    spend: bool = False,
) -> tuple[list[str], int]:
    """Sanitise ``writer``, write it in full, gate it, then move it to ``dst``.

    ``check`` runs on the temporary file after the gate (e.g. "the served pages are
    unchanged"); raising stops the write. ``claims``: verified chunks the writer holds,
    which the gate proves are in the file before it skips reading them again.
    ``on_page``: handed each page the gate's PDFium pass reads (``StampReadback.page``);
    ``on_vouched``: told each page a chunk's verdict stood for instead (``StampReadback.vouched``).
    ``spend``: the caller has no further use for ``writer``; its objects are let go once the
    file is written, before the gate reads it (a 5,000-page bundle's objects are hundreds of MB).
    Returns the sanitiser's notes and the size.
    """
    notes = sanitise_writer(writer, info=info, targets=targets)
    with gated_pdf_file(
        dst, targets, progress, check=check, claims=claims, on_page=on_page, on_vouched=on_vouched
    ) as tmp:
        with open(tmp, "wb", buffering=_BUFFER) as fh:
            writer.write(fh)
        if spend:
            _spend(writer)
        check_cancel(progress or NullProgress())
        size = tmp.stat().st_size
    return notes, size


def _spend(writer: PdfWriter) -> None:
    """Let go of everything ``writer`` holds (it is written; nothing reads it again)."""
    writer._objects.clear()  # noqa: SLF001 - pypdf keeps every object of the file in this list
    writer._idnum_hash.clear()  # noqa: SLF001
    writer.flattened_pages = None
    gc.collect()  # the objects refer to each other: free them now, not at some later collection


@contextmanager
def gated_pdf_file(
    dst: Path,
    targets: list[Target],
    progress: Progress | None = None,
    *,
    check: Callable[[Path], None] | None = None,
    claims: Claims | None = None,
    on_page: PageHook | None = None,
    on_vouched: VouchedHook | None = None,
) -> Iterator[Path]:
    """A temporary path to write a finished PDF to; gated, checked and moved to ``dst`` on exit."""
    progress = progress or NullProgress()
    with atomic_output(dst, suffix=".pdf.part") as tmp:
        yield tmp
        if targets:
            progress.stage("Leak gate: searching the file for protected names", 0)
            require_no_leaks(tmp, targets, file_name=dst.name, claims=claims, on_page=on_page, on_vouched=on_vouched)
        if check is not None:
            check(tmp)


def write_text(dst: Path, text: str, targets: list[Target], *, bom: bool = False) -> None:
    """CSV, JSON and other text exports: searched as text, then written atomically."""
    _require_clean_text([text, dst.name], targets, dst)
    data = text.encode("utf-8-sig" if bom else "utf-8")
    with atomic_output(dst, suffix=".part") as tmp:
        tmp.write_bytes(data)
        _require_clean_text([tmp.read_bytes().decode("utf-8-sig")], targets, dst)


def write_docx(
    dst: Path, save: Callable[[Path], None], targets: list[Target], verdicts: VerdictStore | None = None
) -> None:
    """A Word file: saved to a temporary file, every part swept, then moved to ``dst``.

    ``verdicts`` (``docx_verdicts``): a sweep that found nothing is recorded against the
    saved file's exact bytes, its name, the targets and the sweep's own code; the same
    bytes saved again (a schedule whose rows did not change) are then known clean
    without sweeping them twice. Anything else is swept in full."""
    _require_clean_text([dst.name], targets, dst)
    with atomic_output(dst, suffix=".docx.part") as tmp:
        save(tmp)
        if targets:
            digest = _docx_digest(tmp.read_bytes(), dst.name)
            if verdicts is not None and verdicts.is_clean(digest, targets):
                return
            try:
                sweep_docx(tmp, targets, source=dst.name)
            except BuildError as err:
                raise LeakError(f"{err} Nothing was written.") from err
            if verdicts is not None:
                verdicts.record_clean(digest, targets)


def docx_verdicts(cache_dir: Path) -> VerdictStore:
    """Sweep verdicts on Word files, in a folder of their own, under the sweep's own version."""
    return VerdictStore(cache_dir / "sweep-verdicts", f"docx-sweep-{docx_sweep_version()}")


def _docx_digest(data: bytes, name: str) -> str:
    encoded = name.encode("utf-8", "surrogatepass")
    return hashlib.sha256(b"docx\x00" + len(encoded).to_bytes(8, "big") + encoded + data).hexdigest()


def _require_clean_text(texts: list[str], targets: list[Target], dst: Path) -> None:
    found = [m for text in texts for m in find_matches(text, targets)]
    if found:
        kinds = sorted({m.target.category for m in found})
        raise LeakError(
            f"'{dst.name}' would show a protected {'/'.join(kinds)} ({plural(len(found), 'place')}); "
            "nothing was written. Add the form to the register, then export again."
        )
