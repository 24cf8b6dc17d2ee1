"""The rows every export is made from: the built bundle's bookmarks, joined to the project.

Reading the served PDF (not recomputing the page map) means an exported index
or page map shows exactly the pages and the (pseudonymised) titles of the file
the other side received. In a public export every word we write is anonymised
and a source path that names a protected person is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from bundler.core.anonymise.terms import Target, anonymise_case, anonymise_text, find_matches, targets_from_register
from bundler.core.errors import PasswordError, ProjectError, SourceError
from bundler.core.model import Bundle, CaseDetails
from bundler.core.pdf.outline import Mark, Placement, description, place_documents, read_marks

__all__ = ["IndexRow", "ExportView", "read_export_view"]

_REBUILD = "Build the bundle again from this project, then export"


@dataclass(frozen=True)
class IndexRow:
    kind: str  # section | document
    tab: str  # "A" or "A1"
    title: str  # as the bundle prints it (pseudonymised in a public bundle)
    date: str | None  # ISO; None for sections and undated documents
    first_page: int  # 1-based PDF pages of the bundle
    last_page: int
    first_label: str  # what those pages are numbered, e.g. "HB4"
    last_label: str
    source: str = ""  # the document's path in the project; "" for sections or when withheld


@dataclass(frozen=True)
class ExportView:
    """What an export may show: the case's words, the rows, and what must not appear."""

    case: CaseDetails  # pseudonymised unless confidential
    rows: list[IndexRow]
    pages: int
    targets: list[Target]  # empty for a confidential export: nothing is withheld
    reader: PdfReader
    public: bool = True

    @property
    def documents(self) -> list[IndexRow]:
        return [r for r in self.rows if r.kind == "document"]


def _open(pdf: Path, password: str | None) -> PdfReader:
    if not pdf.is_file():
        raise SourceError(pdf, "cannot be found", "Check the bundle's file name and folder")
    try:
        reader = PdfReader(pdf)
        if reader.is_encrypted and not (reader.decrypt("") or (password and reader.decrypt(password))):
            raise PasswordError(pdf, "is password-protected", "Give its password with --password")
        len(reader.pages)
    except (PyPdfError, FileNotDecryptedError, ValueError, KeyError, TypeError) as err:
        raise SourceError(pdf, f"cannot be read as a PDF ({err})", _REBUILD) from None
    return reader


def _shown_case(case: CaseDetails, targets: list[Target]) -> CaseDetails:
    return anonymise_case(case, targets)


def _source(path: str, targets: list[Target]) -> str:
    """The project path, unless it names a protected person (then nothing at all)."""
    return "" if find_matches(path, targets) else path


def _check_matches(pdf: Path, project: Path, placements: list[Placement], marks: list[Mark]) -> None:
    missing = [p.tab for p in placements if p.mark is None]
    extra = [m.tab for m in marks if m.is_document and m.tab not in {p.tab for p in placements}]
    if missing or extra:
        what = f"no bookmark for {', '.join(missing)}" if missing else f"extra documents {', '.join(extra)}"
        raise ProjectError(f"'{pdf.name}' was not built from '{project.name}' as it is now ({what}). {_REBUILD}.")


def _row(mark: Mark, labels: list[str], targets: list[Target], placement: Placement | None) -> IndexRow:
    date = placement.document.filed_date if placement else None
    words = description(mark, date) if placement else mark.words
    source = _source(placement.document.path, targets) if placement else ""
    return IndexRow(
        "document" if placement else "section",
        mark.tab,
        anonymise_text(words, targets),
        date,
        mark.first,
        mark.last,
        labels[mark.first - 1],
        labels[mark.last - 1],
        source,
    )


def read_export_view(
    pdf: Path, project: Path, bundle: Bundle, *, confidential: bool = False, password: str | None = None
) -> ExportView:
    """The bundle's index as rows, checked against the project; raise if they disagree."""
    reader = _open(pdf, password)
    marks = read_marks(reader)
    placements = place_documents(bundle, marks)
    _check_matches(pdf, project, placements, marks)
    targets = [] if confidential else targets_from_register(bundle.register)
    by_tab = {p.tab: p for p in placements}
    labels = list(reader.page_labels)
    rows = [_row(m, labels, targets, by_tab.get(m.tab) if m.is_document else None) for m in marks]
    return ExportView(
        _shown_case(bundle.case, targets), rows, len(reader.pages), targets, reader, public=not confidential
    )
