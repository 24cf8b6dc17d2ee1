"""The bundle model: plain dataclasses, no Qt, no I/O.

A ``Bundle`` is what a ``*.bundle.json`` project file holds. Paths of documents
are relative to the project file (POSIX separators) so a case folder can move.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath

__all__ = [
    "SCHEMA_VERSION",
    "DATE_SOURCES",
    "CaseDetails",
    "Party",
    "PARTY_ROLES",
    "Options",
    "Document",
    "Section",
    "Person",
    "Term",
    "RedactionBox",
    "Register",
    "ServedDocument",
    "Served",
    "Bundle",
    "new_id",
]

SCHEMA_VERSION = 1
DOCX_SUFFIXES = frozenset({".docx", ".docm"})
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
PDF_SUFFIXES = frozenset({".pdf"})
DATE_SOURCES = ("typed", "filename", "metadata")
DATE_GUESSES = frozenset({"filename", "metadata"})


def new_id() -> str:
    return uuid.uuid4().hex[:12]


# The parties' roles in the order a JR cover lists them, with their labels (one, several).
PARTY_ROLES = {
    "claimant": ("Claimant", "Claimants"),
    "defendant": ("Defendant", "Defendants"),
    "interested_party": ("Interested Party", "Interested Parties"),
}


@dataclass
class Party:
    name: str  # as the cover prints it, e.g. "THE KING on the application of AB"
    role: str = "claimant"  # claimant | defendant | interested_party


@dataclass
class CaseDetails:
    case_name: str
    claim_no: str
    court: str = "In the High Court of Justice\nKing's Bench Division\nAdministrative Court"
    bundle_name: str = ""  # the template's name when empty
    short_name: str = ""  # e.g. "AB v MPC"; the file name uses it (PRODUCT.md §2.10)
    bundle_date: str | None = None  # ISO date the user sets, printed on the cover; none printed when None
    parties: list[Party] = field(default_factory=list)  # the cover lists them by role; case_name when empty
    cover_pdf: str = ""  # the user's own one-page cover, relative to the project file; "" draws ours

    def parties_in_role(self, role: str) -> list[Party]:
        return [p for p in self.parties if p.role == role]


@dataclass
class Options:
    page_prefix: str = ""  # e.g. "HB": stamps read "HB12"; the number is the PDF page
    section_dividers: bool = False
    converter: str = "auto"  # auto (Word, then LibreOffice, then built-in) | word | libreoffice | builtin
    stamp_font_size: float = 10.0
    # Where in the bottom-right margin (PRODUCT.md §2.4): points from the visible right and bottom edges.
    stamp_right: float = 24.0
    stamp_bottom: float = 14.0
    additions: str = "supplementary"  # after service: supplementary (143.1, 143.2 ...) | append
    ocr: str = "auto"  # auto: scanned pages get a text layer when Tesseract is installed | off


@dataclass
class Document:
    path: str  # relative to the project file, POSIX separators
    sha256: str
    title: str
    date: str | None = None  # ISO yyyy-mm-dd, None when undated
    # Where the date came from: "typed" (entered or confirmed by the user; older files),
    # "filename" or "metadata" (guessed when the file was added, until the user confirms it).
    date_source: str = "typed"
    description: str = ""
    pages: str = ""  # page selection "1-3,5"; empty means all pages
    rotation: int = 0  # extra clockwise rotation for every page: 0, 90, 180, 270
    page_rotations: dict[str, int] = field(default_factory=dict)  # "3": 90 turns source page 3 too
    password: str | None = None  # in memory for the session; written to the file only for older projects
    password_kept: str = ""  # "" asked for when needed | "keyring" | "project" (older files; move it)
    id: str = field(default_factory=new_id)

    @property
    def date_is_guess(self) -> bool:
        """True while the date is the app's guess, not yet confirmed by the user."""
        return self.date is not None and self.date_source in DATE_GUESSES

    @property
    def filed_date(self) -> str | None:
        """The date the bundle prints: a guess from the PDF's properties is never used silently."""
        return None if self.date_source == "metadata" else self.date

    def extra_rotation(self, index: int) -> int:
        """Clockwise turn the bundle gives 0-based source page ``index``."""
        return (self.rotation + self.page_rotations.get(str(index + 1), 0)) % 360

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.path).suffix.lower()

    @property
    def kind(self) -> str:
        if self.suffix in DOCX_SUFFIXES:
            return "docx"
        if self.suffix in IMAGE_SUFFIXES:
            return "image"
        return "pdf"


@dataclass
class Section:
    letter: str  # tab letter: "A", "B", ...
    title: str
    documents: list[Document] = field(default_factory=list)
    id: str = field(default_factory=new_id)


@dataclass
class Person:
    name: str  # the real name: never printed in a public bundle
    pseudonym: str  # e.g. "Aisha" or the cipher "AB"
    variants: list[str] = field(default_factory=list)
    action: str = "replace"  # replace | redact
    reason: str = ""
    id: str = field(default_factory=new_id)
    # A variant's own replacement, in place of the pseudonym: "Mrs Khanum" -> "Aisha", not "Mrs Aisha"
    variant_replacements: dict[str, str] = field(default_factory=dict)


@dataclass
class Term:
    text: str  # a place, address, reference number ...
    category: str = "identifier"  # person | place | address | identifier | ...
    action: str = "redact"  # replace | redact
    replacement: str = ""
    reason: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class RedactionBox:
    document_id: str
    page: int  # 1-based page of the source document
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin bottom-left
    reason: str = ""
    id: str = field(default_factory=new_id)
    # the rendering the rect is in (a DOCX's conversion, see anonymise/basis.py); None: a PDF's own pages
    basis: str | None = None


@dataclass
class Register:
    people: list[Person] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    boxes: list[RedactionBox] = field(default_factory=list)
    rejected_hits: list[str] = field(default_factory=list)  # detection hit keys the user rejected

    def is_empty(self) -> bool:
        return not (self.people or self.terms or self.boxes)


@dataclass
class ServedDocument:
    document_id: str
    first: int
    last: int


@dataclass
class Served:
    """The bundle as served: its pages must never be renumbered (PRODUCT.md §2.11)."""

    file: str  # the served PDF, relative to the project file
    sha256: str
    pages: int
    date: str  # ISO date of freezing
    documents: list[ServedDocument] = field(default_factory=list)
    supplements: int = 0  # supplementary bundles made since


@dataclass
class Bundle:
    case: CaseDetails
    options: Options = field(default_factory=Options)
    sections: list[Section] = field(default_factory=list)
    register: Register = field(default_factory=Register)
    template: str = ""
    served: Served | None = None
    schema_version: int = SCHEMA_VERSION

    def subset(self, ids: set[str]) -> Bundle:
        """A copy holding only the documents in ``ids`` (sections kept, for their letters)."""
        part = copy.deepcopy(self)
        for section in part.sections:
            section.documents = [d for d in section.documents if d.id in ids]
        part.served = None
        return part

    def documents(self) -> list[tuple[Section, Document]]:
        return [(s, d) for s in self.sections for d in s.documents]

    def find_document(self, key: str) -> tuple[Section, Document] | None:
        """By id, by path, or by (unique) title, in that order."""
        pairs = self.documents()
        for names in _DOCUMENT_NAMES:
            found = [(s, d) for s, d in pairs if key in names(d) or key.casefold() in names(d)]
            if len(found) == 1:
                return found[0]
        return None


def _by_id(d: Document) -> set[str]:
    return {d.id}


def _by_path(d: Document) -> set[str]:
    return {d.path, PurePosixPath(d.path).name}


def _by_title(d: Document) -> set[str]:
    return {d.title.casefold()}


_DOCUMENT_NAMES = (_by_id, _by_path, _by_title)  # tried in this order: the first unique match wins
