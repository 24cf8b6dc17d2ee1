"""Preflight: check any PDF against the machine-checkable court rules (PRODUCT.md §2).

``run_preflight`` opens the file once with two engines — pypdf for the document
structure (outline, links, labels, metadata) and pypdfium2 for what a reader sees
(text, stamps, images) — and runs a list of small rules over a shared context.
Each rule gives pass / warn / fail findings naming the pages. The rules live in
``preflight_rules.py``; later rules (project-aware ones) are added by passing a
longer rule list, never by registering into module state.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from bundler.core.errors import PasswordError, SourceError
from bundler.core.sources import captured_pdf_warnings

__all__ = [
    "Status",
    "Finding",
    "Verdict",
    "Rule",
    "Preflight",
    "PreflightContext",
    "PageFacts",
    "StampHit",
    "Box",
    "corner_box",
    "format_pages",
    "open_pdf",
    "run_preflight",
]

Status = Literal["pass", "warn", "fail"]
STATUSES: tuple[Status, ...] = ("pass", "warn", "fail")
MAX_PAGE_GROUPS = 25  # longer page lists are cut short in the text report (JSON keeps all)


@dataclass(frozen=True)
class Finding:
    rule: str  # stable id, e.g. "page-numbers"
    status: Status
    message: str
    pages: tuple[int, ...] = ()  # 1-based PDF page numbers


class Verdict(NamedTuple):
    """What a rule's check returns; the runner adds the rule's id."""

    status: Status
    message: str
    pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    check: Callable[[PreflightContext], Iterable[Verdict]]


@dataclass
class Preflight:
    path: Path
    findings: list[Finding]

    @property
    def has_failures(self) -> bool:
        return any(f.status == "fail" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(f.status == s for f in self.findings) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        findings = [
            {"rule": f.rule, "status": f.status, "message": f.message, "pages": list(f.pages)}
            for f in self.findings
        ]
        return {"file": str(self.path), "summary": self.counts, "findings": findings}

    def format_text(self) -> str:
        counts = self.counts
        head = f"Preflight of '{self.path.name}': " + ", ".join(
            f"{counts[s]} {s}" for s in STATUSES
        )
        width = max((len(f.rule) for f in self.findings), default=0)
        lines = [head] + [_format_finding(f, width) for f in self.findings]
        return "\n".join(lines)


def _format_finding(finding: Finding, width: int) -> str:
    pages = f" (page {format_pages(finding.pages)})" if finding.pages else ""
    return f"{finding.status.upper():4}  {finding.rule:{width}}  {finding.message}{pages}"


def format_pages(pages: Iterable[int]) -> str:
    """``[3, 7, 8, 9]`` → ``"3, 7–9"``; very long lists end with ``"… (+N more)"``."""
    groups: list[list[int]] = []
    for page in sorted(set(pages)):
        if groups and page == groups[-1][-1] + 1:
            groups[-1].append(page)
        else:
            groups.append([page])
    text = [str(g[0]) if len(g) == 1 else f"{g[0]}–{g[-1]}" for g in groups]
    if len(text) > MAX_PAGE_GROUPS:
        more = sum(len(g) for g in groups[MAX_PAGE_GROUPS:])
        return ", ".join(text[:MAX_PAGE_GROUPS]) + f", … (+{more} more)"
    return ", ".join(text)


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space
CORNER_WIDTH = 160.0  # where a stamp is looked for: the bottom-right corner as viewed
CORNER_HEIGHT = 60.0
MAX_FORM_DEPTH = 15  # as pdfium's own helpers: deeper nesting is a malformed file
MIN_IMAGE_AREA = 72.0 * 72.0  # square points; smaller images (logos, signatures) don't weigh
# A prefix ("", "HB", "A-" …: whatever stands before the number) and the number
_STAMP_TOKEN = re.compile(r"[^\d\s]{0,6}(\d+)")
_IMAGE_OR_FORM = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM)


@dataclass(frozen=True)
class StampHit:
    """A token in the stamp corner that ends in this page's own number."""

    token: str
    upright: bool  # reads upright as the page is viewed (``/Rotate`` honoured)
    covers_text: bool  # other text lies under the stamp


@dataclass(frozen=True)
class PageFacts:
    """What one pass over a page with pypdfium2 found; every page rule reads these."""

    number: int  # 1-based
    rotation: int  # /Rotate, normalised to 0, 90, 180 or 270
    visible: Box  # CropBox ∩ MediaBox
    corner_tokens: tuple[str, ...]
    stamps: tuple[StampHit, ...]
    body_chars: int  # characters of text outside the stamp corner
    image_dpi: float  # highest effective dpi of a large image as placed; 0 when none


def corner_box(visible: Box, rotation: int) -> Box:
    """The bottom-right corner *as viewed*, mapped back to user space."""
    x0, y0, x1, y1 = visible
    w, h = CORNER_WIDTH, CORNER_HEIGHT
    if rotation == 90:  # viewed bottom is the user-space right edge, viewed right is the top
        return (x1 - h, y1 - w, x1, y1)
    if rotation == 180:
        return (x0, y1 - h, x0 + w, y1)
    if rotation == 270:
        return (x0, y0, x0 + h, y0 + w)
    return (x1 - w, y0, x1, y0 + h)


def scan_page(page: pdfium.PdfPage, number: int) -> PageFacts:
    rotation = page.get_rotation() % 360
    visible = _intersect(page.get_mediabox(), page.get_cropbox())
    corner = corner_box(visible, rotation)
    textpage = page.get_textpage()
    try:
        corner_text = textpage.get_text_bounded(*corner)
        tokens = tuple(corner_text.split())
        own = [t for t in tokens if _ends_in(t, number)]
        stamps = tuple(_stamp_hit(textpage, t, corner, rotation) for t in own)
        body = max(0, textpage.count_chars() - len(corner_text))
    finally:
        textpage.close()
    return PageFacts(number, rotation, visible, tokens, stamps, body, _max_image_dpi(page))


def _ends_in(token: str, number: int) -> bool:
    m = _STAMP_TOKEN.fullmatch(token)
    return m is not None and m.group(1) == str(number)


def _intersect(a: Sequence[float], b: Sequence[float]) -> Box:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    return (x0, y0, max(x0, min(a[2], b[2])), max(y0, min(a[3], b[3])))


def _stamp_hit(textpage: pdfium.PdfTextPage, token: str, corner: Box, rotation: int) -> StampHit:
    # Searched from the end: a stamp is usually drawn last, so it is usually found first.
    last = max(0, textpage.count_chars() - 1)
    searcher = textpage.search(token, index=last, match_case=True, match_whole_word=True)
    try:
        while (found := searcher.get_prev()) is not None:
            x0, y0, x1, y1 = textpage.get_charbox(found[0])
            if _inside((x0 + x1) / 2, (y0 + y1) / 2, corner):
                box = _span_box(textpage, *found)
                upright = _upright(textpage, found[0], rotation)
                return StampHit(token, upright, _covers_text(textpage, box, token))
    finally:
        searcher.close()
    return StampHit(token, upright=True, covers_text=False)  # not located again: assume fine


def _span_box(textpage: pdfium.PdfTextPage, index: int, count: int) -> Box:
    boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _inside(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _upright(textpage: pdfium.PdfTextPage, index: int, rotation: int) -> bool:
    # pdfium measures the glyph angle clockwise; the viewer turns the page by /Rotate
    # clockwise, so upright-as-viewed text is turned counter-clockwise by /Rotate.
    angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)
    if angle < 0:
        return True  # unknown: don't accuse
    counter_clockwise = (360.0 - math.degrees(angle)) % 360.0
    off = (counter_clockwise - rotation) % 360.0
    return min(off, 360.0 - off) < 5.0


def _covers_text(textpage: pdfium.PdfTextPage, box: Box, token: str) -> bool:
    pad = 4.0  # the stamp's white box reaches a little beyond its glyphs
    under = textpage.get_text_bounded(box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
    return bool(under.replace(token, "", 1).split())


Linear = tuple[float, float, float, float]  # a, b, c, d of a PDF matrix


def _max_image_dpi(page: pdfium.PdfPage) -> float:
    return _objects_dpi(
        page,
        pdfium_c.FPDFPage_CountObjects,
        pdfium_c.FPDFPage_GetObject,
        (1.0, 0.0, 0.0, 1.0),
        depth=0,
    )


def _objects_dpi(parent: Any, count: Any, get: Any, outer: Linear, depth: int) -> float:
    """Highest image dpi among ``parent``'s objects, descending into forms.

    Raw pdfium calls: a text-heavy page has thousands of objects, and wrapping each
    one in a helper object just to skip it costs more than the text extraction.
    """
    best = 0.0
    for i in range(count(parent)):
        obj = get(parent, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in _IMAGE_OR_FORM:
            continue
        linear = _compose(_linear(obj), outer)  # pdfium gives it relative to its form
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            best = max(best, _image_dpi(obj, linear))
        elif depth < MAX_FORM_DEPTH:
            best = max(
                best,
                _objects_dpi(
                    obj,
                    pdfium_c.FPDFFormObj_CountObjects,
                    pdfium_c.FPDFFormObj_GetObject,
                    linear,
                    depth + 1,
                ),
            )
    return best


def _linear(obj: Any) -> Linear:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0)
    return (m.a, m.b, m.c, m.d)


def _compose(inner: Linear, outer: Linear) -> Linear:
    a, b, c, d = inner
    p, q, r, s = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s)


def _image_dpi(image: Any, linear: Linear) -> float:
    """Pixels per inch as placed, in the image's coarser direction."""
    width, height = math.hypot(linear[0], linear[1]), math.hypot(linear[2], linear[3])
    if width * height < MIN_IMAGE_AREA:
        return 0.0
    px_w, px_h = ctypes.c_uint(), ctypes.c_uint()
    if not pdfium_c.FPDFImageObj_GetImagePixelSize(image, px_w, px_h):
        return 0.0  # an image pdfium cannot decode has no size to judge
    return float(min(px_w.value * 72.0 / width, px_h.value * 72.0 / height))


@dataclass
class PreflightContext:
    """Everything a rule may look at; expensive facts are computed once, on first use."""

    path: Path
    reader: PdfReader
    pdf: pdfium.PdfDocument
    _textpages: dict[int, pdfium.PdfTextPage] = field(default_factory=dict, init=False, repr=False)

    @cached_property
    def pages(self) -> list[PageFacts]:
        facts = []
        for index in range(len(self.pdf)):
            page = self.pdf[index]
            try:
                facts.append(scan_page(page, index + 1))
            finally:
                page.close()  # 5,000 open pages would hold every parsed content stream
        return facts

    @cached_property
    def prefix(self) -> str:
        """The page-number prefix the stamps use ("" or e.g. "HB"); labels when no stamps."""
        votes = Counter(h.token[: -len(str(p.number))] for p in self.pages for h in p.stamps)
        if votes:
            return votes.most_common(1)[0][0]
        labels = self.reader.page_labels
        return labels[0].rstrip("0123456789") if labels and labels[0].endswith("1") else ""

    @cached_property
    def page_of_object(self) -> dict[int, int]:
        """Page number (1-based) by the object number of its page dictionary."""
        return {
            page.indirect_reference.idnum: n
            for n, page in enumerate(self.reader.pages, start=1)
            if page.indirect_reference is not None
        }

    def text_in(self, number: int, box: Box) -> str:
        """Text whose glyph centres lie in ``box`` on page ``number`` (pages kept open)."""
        if number not in self._textpages:
            self._textpages[number] = self.pdf[number - 1].get_textpage()
        return str(self._textpages[number].get_text_bounded(*box))


_DAMAGED = "is damaged and cannot be read"
_RESAVE = "Re-save it (e.g. print it to a new PDF) and check it again"


def open_pdf(path: Path, password: str | None = None) -> tuple[PdfReader, pdfium.PdfDocument]:
    """Open ``path`` with both engines, or raise SourceError / PasswordError."""
    _check_is_pdf(path)
    reader, used = _open_reader(path, password)
    try:
        return reader, pdfium.PdfDocument(path, password=used)
    except pdfium.PdfiumError as err:
        raise SourceError(path, _DAMAGED, _RESAVE) from err


def _check_is_pdf(path: Path) -> None:
    if not path.is_file():
        raise SourceError(path, "cannot be found", "Check the file name and folder")
    with open(path, "rb") as fh:
        if b"%PDF-" not in fh.read(1024):
            raise SourceError(path, "is not a PDF", "Check the bundle's PDF file instead")


def _open_reader(path: Path, password: str | None) -> tuple[PdfReader, str | None]:
    """The reader, decrypted if need be, and the password that opened it."""
    try:
        reader = PdfReader(path)
        used = _decrypt(reader, path, password) if reader.is_encrypted else None
        count = len(reader.pages)  # forces the page tree: a broken file fails here
    except (FileNotDecryptedError, NotImplementedError) as err:
        raise PasswordError(
            path,
            f"uses encryption we cannot open ({err})",
            "Remove the protection and check it again",
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as err:
        raise SourceError(path, _DAMAGED, _RESAVE) from err
    if count == 0:
        raise SourceError(path, "has no pages", "Check you have the right file")
    return reader, used


def _decrypt(reader: PdfReader, path: Path, password: str | None) -> str:
    if reader.decrypt(""):
        return ""  # encrypted with an empty user password: opens, but the rule fails it
    if password is not None and reader.decrypt(password):
        return password
    if password is None:
        raise PasswordError(
            path, "is password-protected", "Give its password, or remove the protection first"
        )
    raise PasswordError(path, "did not open with the password given", "Check the password")


# Malformed PDFs make the libraries raise these from deep inside; one broken
# structure must not hide the other findings, so the rule reports it instead.
_RULE_ERRORS = (
    PyPdfError,
    pdfium.PdfiumError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
)


def _run_rule(rule: Rule, ctx: PreflightContext) -> list[Finding]:
    try:
        return [Finding(rule.id, *verdict) for verdict in rule.check(ctx)]
    except _RULE_ERRORS as err:
        return [Finding(rule.id, "warn", f"Could not be checked: the PDF is malformed ({err}).")]


def run_preflight(
    path: Path, password: str | None = None, rules: Sequence[Rule] | None = None
) -> Preflight:
    """Check ``path`` against ``rules`` (the court rules of PRODUCT.md §2 by default)."""
    if rules is None:
        # Imported here because the rules module builds on this module's model.
        from bundler.core.preflight_rules import RULES

        rules = RULES
    repairs: list[str] = []
    with captured_pdf_warnings(repairs, path.name):  # pypdf's repairs: a finding, not log noise
        reader, pdf = open_pdf(path, password)
        try:
            ctx = PreflightContext(path=path, reader=reader, pdf=pdf)
            findings = [finding for rule in rules for finding in _run_rule(rule, ctx)]
        finally:
            pdf.close()
    repairs = [note.removeprefix(f"{path.name}: ") for note in repairs]
    return Preflight(path=path, findings=[*findings, _structure_finding(repairs)])


def _structure_finding(repairs: list[str]) -> Finding:
    if not repairs:
        return Finding("pdf-structure", "pass", "No structural errors found while reading.")
    more = f" (+{len(repairs) - 3} more)" if len(repairs) > 3 else ""
    return Finding(
        "pdf-structure",
        "warn",
        "The PDF needed repairs to be read, so some readers "
        f"may fail on it: {'; '.join(repairs[:3])}{more}. Re-save it.",
    )
