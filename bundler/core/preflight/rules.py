"""The court rules of PRODUCT.md §2 that can be checked on the PDF alone.

Each check is a small generator of verdicts over a ``PreflightContext``; ``RULES``
lists them in report order. The file and page-content rules live here, the
page-number rules in ``preflight_pages.py`` and the link and bookmark rules in
``preflight_links.py``. Page numbers in messages and verdicts are 1-based.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.parsers.expat import ExpatError

from pypdf.errors import PyPdfError

from bundler.core.ocr.tesseract import ocr_remedy
from bundler.core.preflight.findings import Rule, Verdict, format_examples, pages_are
from bundler.core.preflight.links import check_bookmark_zoom, check_bookmarks, check_index_links, check_link_zoom
from bundler.core.preflight.pages import check_page_labels, check_page_numbers, check_stamp_placement
from bundler.core.preflight.render_time import check_render_time
from bundler.core.preflight.scan import PreflightContext
from bundler.core.preflight.targets import target_of, zoom_words

__all__ = ["RULES"]

MB = 1_000_000  # decimal megabytes: the stricter reading of "36 MB" and "50 MB"
EMAIL_LIMIT = 36 * MB
CE_FILE_LIMIT = 50 * MB
MAX_DPI = 300.0
DPI_SLACK = 1.1  # a 300-dpi scan shrunk a little to clear the stamp margin is no problem
NOT_A_NAME = frozenset({"", "anonymous", "unknown"})  # placeholders (reportlab's default)
FILE_NAME = re.compile(r"(?P<case>\S.*?) - (?P<bundle>\S.*?) - (?P<claim>[^ ].*\d.*)\.pdf", re.I)


# --- file ------------------------------------------------------------------------


def check_encryption(ctx: PreflightContext) -> Iterator[Verdict]:
    if ctx.reader.is_encrypted:
        yield Verdict(
            "fail",
            "The PDF is encrypted; the court needs it without any password or permissions. Save an unprotected copy.",
        )
    else:
        yield Verdict("pass", "Not encrypted.")


def check_file_size(ctx: PreflightContext) -> Iterator[Verdict]:
    size = ctx.path.stat().st_size
    text = f"{size / MB:.1f} MB"
    if size > CE_FILE_LIMIT:
        yield Verdict("fail", f"{text} is over CE-File's 50 MB limit: split it into volumes.")
    elif size > EMAIL_LIMIT:
        yield Verdict("warn", f"{text} is over 36 MB, too big to email: consider volumes.")
    else:
        yield Verdict("pass", f"{text}: small enough to email and to file.")


def check_file_name(ctx: PreflightContext) -> Iterator[Verdict]:
    if FILE_NAME.fullmatch(ctx.path.name):
        yield Verdict("pass", f"File name '{ctx.path.name}' follows the convention.")
    else:
        yield Verdict(
            "warn",
            f"File name '{ctx.path.name}' should read '<short case name> - "
            "<bundle name> - <claim no>.pdf', e.g. "
            "'AB v MPC - Hearing Bundle - AC-2019-LON-002345.pdf'.",
        )


def check_author(ctx: PreflightContext) -> Iterator[Verdict]:
    info = ctx.reader.metadata
    authors = [str(info.author)] if info is not None and info.author else []
    try:
        xmp = ctx.reader.xmp_metadata
        creators = (xmp.dc_creator or []) if xmp is not None else []
        authors += [str(a) for a in creators if str(a).strip()]
    except (PyPdfError, ValueError, ExpatError):
        pass  # unreadable XMP has no author to leak that a reader would show
    authors = [a for a in authors if a.strip().strip("()").casefold() not in NOT_A_NAME]
    if authors:
        yield Verdict(
            "warn",
            f"The file's properties name an author ({format_examples(authors)}); "
            "a bundle should carry no author's name.",
        )
    else:
        yield Verdict("pass", "The file's properties name no author.")


def check_open_action(ctx: PreflightContext) -> Iterator[Verdict]:
    root = ctx.reader.root_object
    target = target_of(ctx, root.get("/OpenAction")) if "/OpenAction" in root else None
    if target is None:
        yield Verdict("warn", "The bundle does not say where to open: it should open at page 1, at 100% zoom.")
    elif target.page != 1:
        yield Verdict("warn", f"The bundle opens at page {target.page}, not page 1.", (target.page,))
    elif target.fit != "/XYZ" or target.zoom != 1:
        yield Verdict(
            "fail",
            f"The bundle opens at a zoom other than 100% ({zoom_words(target)}); "
            "the court's guidance asks for 100%. Build it again with bundler.",
            (1,),
        )
    else:
        yield Verdict("pass", "The bundle opens at page 1, at 100% zoom.")


# --- page content ----------------------------------------------------------------


def check_text_layer(ctx: PreflightContext) -> Iterator[Verdict]:
    textless = tuple(p.number for p in ctx.pages if p.body_chars == 0)
    if textless:
        yield Verdict(
            "warn",
            "These pages have no searchable text besides the page number (a scan, or a blank page). " + ocr_remedy(),
            textless,
        )
    else:
        yield Verdict("pass", "Every page has searchable text.")


def check_orientation(ctx: PreflightContext) -> Iterator[Verdict]:
    upside_down = tuple(p.number for p in ctx.pages if p.rotation == 180)
    if upside_down:
        them = "it" if len(upside_down) == 1 else "them"
        yield Verdict("warn", f"{pages_are(upside_down)} turned upside down (rotated 180°): check {them}.", upside_down)
    else:
        yield Verdict("pass", "No page is turned upside down.")


def check_image_dpi(ctx: PreflightContext) -> Iterator[Verdict]:
    dense = [p for p in ctx.pages if p.image_dpi > MAX_DPI * DPI_SLACK]
    if dense:
        top = max(p.image_dpi for p in dense)
        yield Verdict(
            "warn",
            f"Some pictures are sharper than the court needs (up to {top:.0f} dots per inch; 300 is enough): "
            "reduce them to keep the file small.",
            tuple(p.number for p in dense),
        )
    else:
        yield Verdict("pass", "No picture is sharper than 300 dots per inch.")


RULES: tuple[Rule, ...] = (
    Rule("encryption", check_encryption),
    Rule("file-size", check_file_size),
    Rule("file-name", check_file_name),
    Rule("metadata-author", check_author),
    Rule("open-action", check_open_action),
    Rule("page-numbers", check_page_numbers),
    Rule("stamp-placement", check_stamp_placement),
    Rule("page-labels", check_page_labels),
    Rule("index-links", check_index_links),
    Rule("link-zoom", check_link_zoom),
    Rule("bookmarks", check_bookmarks),
    Rule("bookmark-zoom", check_bookmark_zoom),
    Rule("text-layer", check_text_layer),
    Rule("orientation", check_orientation),
    Rule("image-dpi", check_image_dpi),
    Rule("render-time", check_render_time),
)
