"""The N461 claim form as a file of its own, cut from the built bundle.

CE-File asks for the claim form separately. Its pages are copied from the
bundle as served — page-number stamps and redactions included — and keep the
bundle's numbers as their page labels. A public export passes the leak gate.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from pypdf import PdfWriter
from pypdf.constants import PageLabelStyle

from bundler import __version__
from bundler.core.build.gated import write_pdf
from bundler.core.errors import LeakError, ProjectError
from bundler.core.exports.rows import IndexRow, read_export_view
from bundler.core.model import Bundle

__all__ = ["find_claim_form", "export_n461"]

CLAIM_FORM_SECTION = "A"
_CLAIM_FORM = re.compile(r"\bn ?461\b|\bclaim form\b")
_LABEL = re.compile(r"(?P<prefix>.*?)(?P<number>\d+)")


def _words(text: str) -> str:
    """Case folded, with '_' and '-' as spaces: file names write "Claim_Form" or "N461-form"."""
    return " ".join(re.sub(r"[_\-.]+", " ", text).casefold().split())


def find_claim_form(bundle: Bundle) -> str | None:
    """The tab ("A1") of the claim form: a section A document whose title or file name says so."""
    for section in bundle.sections:
        if section.letter != CLAIM_FORM_SECTION:
            continue
        for number, doc in enumerate(section.documents, start=1):
            if _CLAIM_FORM.search(_words(doc.title)) or _CLAIM_FORM.search(_words(PurePosixPath(doc.path).name)):
                return f"{section.letter}{number}"
    return None


def _label_pages(writer: PdfWriter, row: IndexRow) -> None:
    """The bundle's numbers as page labels, so a viewer's page box agrees with the stamps."""
    m = _LABEL.fullmatch(row.first_label)
    if m is not None:
        writer.set_page_label(
            0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, prefix=m["prefix"] or None, start=int(m["number"])
        )


def export_n461(
    bundle_pdf: Path,
    project: Path,
    bundle: Bundle,
    dst: Path,
    *,
    confidential: bool = False,
    password: str | None = None,
) -> IndexRow:
    """Write the claim form's pages of ``bundle_pdf`` to ``dst``; return its index row."""
    tab = find_claim_form(bundle)
    if tab is None:
        raise ProjectError(
            "The project has no N461 claim form in section A (a document whose title or "
            "file name says 'N461' or 'claim form'). Add it, or export without the claim form "
            "(leave out --n461; in the app, untick 'Claim form N461')."
        )
    view = read_export_view(bundle_pdf, project, bundle, confidential=confidential, password=password)
    row = next(r for r in view.documents if r.tab == tab)
    writer = PdfWriter()
    writer.append(view.reader, pages=(row.first_page - 1, row.last_page), import_outline=False)
    _label_pages(writer, row)
    info = {
        "/Title": f"{view.case.case_name} - {row.title}",
        "/Subject": f"Claim No. {view.case.claim_no}",
        "/Creator": f"bundler {__version__}",
        "/Producer": f"bundler {__version__}",
    }
    try:  # the bundle given may be the confidential one: never let it out as public
        write_pdf(writer, dst, view.targets, info=info)
    except LeakError as leak:
        raise LeakError(
            f"'{dst.name}' would show a protected original ({leak.places}); nothing was written. "
            "Export from the public bundle, or export as confidential for the unredacted one "
            "(--confidential; in the app, tick 'Confidential')."
        ) from leak
    return row
