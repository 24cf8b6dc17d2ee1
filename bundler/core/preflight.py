"""Preflight: check any PDF against the machine-checkable court rules (PRODUCT.md §2).

``run_preflight`` opens the file once with two engines — pypdf for the document
structure (outline, links, labels, metadata) and pypdfium2 for what a reader sees
(text, stamps, images) — and runs a list of small rules over a shared context.
Each rule gives pass / warn / fail findings naming the pages. The rules live in
``preflight_rules.py``; later rules (project-aware ones) are added by passing a
longer rule list, never by registering into module state.
"""

from __future__ import annotations

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
from pypdf.errors import PdfReadError, PyPdfError

from bundler.core.errors import PasswordError, SourceError

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
MIN_IMAGE_AREA = 72.0 * 72.0  # square points; smaller images (logos, signatures) don't weigh
_STAMP_PREFIX = r"[^\d\s]{0,6}"  # "", "HB", "A-" ...: whatever stands before the number
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
        own = re.compile(_STAMP_PREFIX + str(number))
        stamps = tuple(
            _stamp_hit(textpage, t, corner, rotation) for t in tokens if own.fullmatch(t)
        )
        body = max(0, textpage.count_chars() - len(corner_text))
    finally:
        textpage.close()
    return PageFacts(number, rotation, visible, tokens, stamps, body, _max_image_dpi(page))


def _intersect(a: Sequence[float], b: Sequence[float]) -> Box:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    return (x0, y0, max(x0, min(a[2], b[2])), max(y0, min(a[3], b[3])))


def _stamp_hit(textpage: pdfium.PdfTextPage, token: str, corner: Box, rotation: int) -> StampHit:
    searcher = textpage.search(token, match_case=True, match_whole_word=True)
    try:
        while (found := searcher.get_next()) is not None:
            box = _span_box(textpage, *found)
            if _inside((box[0] + box[2]) / 2, (box[1] + box[3]) / 2, corner):
                return StampHit(token, _upright(textpage, found[0], rotation),
                                _covers_text(textpage, box, token))
    finally:
        searcher.close()
    return StampHit(token, upright=True, covers_text=False)  # not located again: assume fine


def _span_box(textpage: pdfium.PdfTextPage, index: int, count: int) -> Box:
    boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


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
    best = 0.0
    forms: list[Linear] = []  # absolute matrix of the enclosing form at each nesting level
    for obj in page.get_objects(filter=_IMAGE_OR_FORM):
        del forms[obj.level :]
        m = obj.get_matrix()
        linear = _compose((m.a, m.b, m.c, m.d), forms[-1] if forms else (1.0, 0.0, 0.0, 1.0))
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            forms.append(linear)
        else:
            best = max(best, _image_dpi(obj, linear))
    return best


def _compose(inner: Linear, outer: Linear) -> Linear:
    a, b, c, d = inner
    p, q, r, s = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s)


def _image_dpi(image: Any, linear: Linear) -> float:
    """Pixels per inch as placed, in the image's coarser direction."""
    width, height = math.hypot(linear[0], linear[1]), math.hypot(linear[2], linear[3])
    if width * height < MIN_IMAGE_AREA:
        return 0.0
    try:
        px_w, px_h = image.get_px_size()
    except pdfium.PdfiumError:
        return 0.0  # an image pdfium cannot decode has no size to judge
    return float(min(px_w * 72.0 / width, px_h * 72.0 / height))


@dataclass
class PreflightContext:
    """Everything a rule may look at; expensive facts are computed once, on first use."""

    path: Path
    reader: PdfReader
    pdf: pdfium.PdfDocument
    _textpages: dict[int, pdfium.PdfTextPage] = field(default_factory=dict, repr=False)

    @cached_property
    def pages(self) -> list[PageFacts]:
        facts = []
        for index in range(len(self.pdf)):
            page = self.pdf[index]
            facts.append(scan_page(page, index + 1))
            page.close()
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


def open_pdf(path: Path, password: str | None = None) -> tuple[PdfReader, pdfium.PdfDocument]:
    """Open ``path`` with both engines, or raise SourceError / PasswordError."""
    if not path.is_file():
        raise SourceError(path, "does not exist", "Check the path and run the check again")
    reader = _open_reader(path, password)
    try:
        return reader, pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as err:
        raise SourceError(path, f"cannot be read as a PDF ({err})", _REPAIR) from err


_REPAIR = "Check that it is a complete PDF file, or re-save it from the program that made it"


def _open_reader(path: Path, password: str | None) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(password or ""):
            raise _password_error(path, password)
        len(reader.pages)  # forces the page tree: a broken file fails here, not in a rule
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, OSError) as err:
        raise SourceError(path, f"is not a readable PDF ({err})", _REPAIR) from err
    return reader


def _password_error(path: Path, password: str | None) -> PasswordError:
    if password:
        return PasswordError(path, "could not be opened with the password given", "Check it")
    return PasswordError(
        path, "is password-protected", "Give its password, or remove the protection first"
    )


# Malformed PDFs make the libraries raise these from deep inside; one broken
# structure must not hide the other findings, so the rule reports it instead.
_RULE_ERRORS = (PyPdfError, pdfium.PdfiumError, ValueError, KeyError, TypeError, IndexError)


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
    reader, pdf = open_pdf(path, password)
    try:
        ctx = PreflightContext(path=path, reader=reader, pdf=pdf)
        findings = [finding for rule in rules for finding in _run_rule(rule, ctx)]
    finally:
        pdf.close()
    return Preflight(path=path, findings=findings)
