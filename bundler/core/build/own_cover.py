"""A cover PDF of the user's own, used instead of the generated cover.

It takes the generated cover's place as page 1 and is stamped like it. In a public
build it is truly redacted like any document (the leak gate reads it too). Volumes and
supplementary bundles, whose covers say which part they are, keep the generated cover.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter

from bundler.core.build.context import BuildContext
from bundler.core.errors import SourceError
from bundler.core.pdf.sources import open_pdf

__all__ = ["own_cover", "with_own_cover"]

_CHOOSE = "Choose a one-page PDF as the cover in Case details ('bundler case --cover-pdf'), or clear it"


def _checked(path: Path) -> None:
    if not path.is_file():
        raise SourceError(path, "(the bundle's own cover) cannot be found", _CHOOSE)
    pages = len(open_pdf(path).pages)
    if pages != 1:
        raise SourceError(path, f"(the bundle's own cover) has {pages} pages, not one", _CHOOSE)


def own_cover(ctx: BuildContext) -> Path | None:
    """The user's cover page ready to place (redacted in a public build), or None for ours."""
    numbering = ctx.options.numbering
    if not ctx.bundle.case.cover_pdf or not numbering.cover or numbering.cover_title:
        return None
    source = ctx.base / ctx.bundle.case.cover_pdf
    _checked(source)
    if not ctx.redacting:
        return source
    from bundler.core.anonymise.pdf.redact import redact_pdf

    redacted = ctx.work / "own-cover.pdf"
    redact_pdf(source, redacted, ctx.targets)
    return redacted


def with_own_cover(front: Path, cover: Path) -> PdfReader:
    """The front matter with its first page (our cover) replaced by ``cover``."""
    writer = PdfWriter()
    writer.add_page(PdfReader(cover).pages[0])
    for page in PdfReader(front).pages[1:]:
        writer.add_page(page)
    out = front.with_name("front-own-cover.pdf")
    with open(out, "wb") as fh:
        writer.write(fh)
    return PdfReader(out)
