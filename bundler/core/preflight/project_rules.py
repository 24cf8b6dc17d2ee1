"""Project-aware rules: file name, document placement, date order, dates and lengths.

Each check takes the run's ``ProjectContext`` and yields verdicts that name the
document (tab, pseudonymised title, bundle pages) and carry its first page.
Duplicates live in ``preflight_duplicates.py``.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError

from bundler.core.anonymise.terms import anonymise_text, find_matches
from bundler.core.build.pipeline import default_output_name
from bundler.core.errors import BundlerError
from bundler.core.model import Document
from bundler.core.naming import format_date, guess_words, plural
from bundler.core.pdf.outline import Placement, index_words
from bundler.core.pdf.sources import open_pdf, parse_page_selection
from bundler.core.preflight.findings import Verdict
from bundler.core.preflight.targets import target_of

if TYPE_CHECKING:
    from pathlib import Path

    from bundler.core.preflight.context import ProjectContext

__all__ = [
    "source_page_count",
    "check_project_file_name",
    "check_document_pages",
    "check_correspondence_order",
    "check_undated",
    "check_guessed_dates",
    "check_document_length",
]

GROUNDS_LIMIT, REPLY_LIMIT = 40, 5  # pages, as the Administrative Court expects
_GROUNDS = re.compile(r"statement of facts and grounds", re.I)
_GROUNDS_IN_A = re.compile(r"\bgrounds\b", re.I)
_REPLY = re.compile(r"\breply\b", re.I)
_REBUILD = "the bundle is out of date for this project: build it again"


def _project_names(p: ProjectContext) -> re.Pattern[str]:
    """The names a build of this project takes: main, confidential, supplementary, with additions."""
    stems = (default_output_name(p.view)[:-4], default_output_name(p.bundle, confidential=True)[:-4])
    either = "|".join(re.escape(stem) for stem in stems)
    return re.compile(rf"(?:{either})(?: - Supplementary \d+| - with additions)?\.pdf", re.I)


def check_project_file_name(p: ProjectContext) -> Iterator[Verdict]:
    name = p.pdf.path.name
    public = default_output_name(p.view)
    if find_matches(name, p.targets):
        shown = anonymise_text(name, p.targets)
        yield Verdict(
            "fail",
            f"The file name contains a protected name (shown anonymised: '{shown}'); rename it, e.g. to '{public}'.",
        )
    elif not _project_names(p).fullmatch(name):
        yield Verdict("warn", f"File name '{name}' differs from the project's '{public}'.")
    else:
        yield Verdict("pass", f"File name '{name}' is the project's, with no protected name.")


def source_page_count(base: Path, doc: Document) -> int | None:
    """Pages the document's selection takes from its source; None for a DOCX (known after conversion)."""
    path = base / doc.path
    if doc.kind == "pdf":
        total = len(open_pdf(path, doc.password).pages)
    elif doc.kind == "image":
        try:
            with Image.open(path) as img:
                total = int(getattr(img, "n_frames", 1))
        except (OSError, UnidentifiedImageError) as err:
            raise BundlerError(f"'{path.name}' cannot be read as an image ({err}).") from None
    else:
        return None
    return len(parse_page_selection(doc.pages, total, path.name))


def _index_links(p: ProjectContext) -> Counter[int]:
    """How many links on our own pages (cover, index, dividers) lead to each page."""
    inside = {n for m in p.marks if m.is_document for n in range(m.first, m.last + 1)}
    counts: Counter[int] = Counter()
    for number, page in enumerate(p.pdf.reader.pages, start=1):
        if number in inside:
            continue  # a source's own links do not make an index row
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            dest = annot.get("/Dest", annot.get("/A"))
            target = target_of(p.pdf, dest) if annot.get("/Subtype") == "/Link" and dest else None
            if target is not None:
                counts[target.page] += 1
    return counts


def _placement_problems(
    p: ProjectContext, placement: Placement, links: Counter[int], starts: Counter[int]
) -> Iterator[str]:
    mark, doc = placement.mark, placement.document
    if mark is None:
        yield f"{p.name(placement)} has no bookmark"
        return
    wanted = {index_words(doc.title, doc.filed_date), index_words(p.shown_titles[doc.id], doc.filed_date)}
    if mark.words not in wanted:
        shown = anonymise_text(mark.words, p.targets)
        yield f"{placement.tab}'s bookmark reads '{shown}', not '{index_words(p.shown_titles[doc.id], doc.filed_date)}'"
    shown = p.page_labels[mark.first - 1]  # what that page is numbered
    if mark.label != shown:
        yield f"{placement.tab}'s bookmark says page {mark.label} but goes to page {shown}"
    if links[mark.first] < starts[mark.first]:
        yield f"{p.name(placement)} has no index link to its first page"
    try:
        expected = source_page_count(p.project.parent, doc)
    except BundlerError as err:
        yield f"{placement.tab}: its page count could not be checked ({err})"
        return
    if expected is not None and expected != mark.pages:
        yield f"{p.name(placement)} has {plural(mark.pages, 'page')} but its source gives {expected}"


def check_document_pages(p: ProjectContext) -> Iterator[Verdict]:
    """Every project document is where the index and its bookmark say, as long as its source."""
    links, starts = _index_links(p), Counter(m.first for m in p.marks)
    problems = 0
    for placement in p.placements:
        found = list(_placement_problems(p, placement, links, starts))
        problems += len(found)
        if found:
            pages = (placement.mark.first,) if placement.mark else ()
            yield Verdict("fail", "; ".join(found) + f": {_REBUILD}.", pages)
    known = {pl.tab for pl in p.placements}
    extra = [m for m in p.marks if m.is_document and m.tab not in known]
    if extra:
        shown = ", ".join(repr(anonymise_text(m.title, p.targets)) for m in extra)
        yield Verdict(
            "fail", f"The bundle has documents the project lacks ({shown}): {_REBUILD}.", tuple(m.first for m in extra)
        )
    if not (problems or extra):
        yield Verdict(
            "pass",
            f"All {len(p.placements)} documents start on the page their index row "
            "and bookmark give, with the project's titles and page counts.",
        )


def _dated(p: ProjectContext, placement: Placement) -> str:
    return f"{p.name(placement)}, {format_date(placement.document.filed_date)},"


def check_correspondence_order(p: ProjectContext) -> Iterator[Verdict]:
    sections = [s for s in p.bundle.sections if "correspondence" in s.title.casefold()]
    disorder = False
    for section in sections:
        dated = [pl for pl in p.placements if pl.section is section and pl.document.filed_date]
        late = [(a, b) for a, b in itertools.pairwise(dated) if str(b.document.filed_date) < str(a.document.filed_date)]
        if late:
            disorder = True
            said = "; ".join(f"{_dated(p, b)} comes after {_dated(p, a)[:-1]}" for a, b in late)
            pages = tuple(b.mark.first for _, b in late if b.mark)
            yield Verdict(
                "warn",
                f"Section {section.letter} is out of date order: {said}. Put the correspondence in date order.",
                pages,
            )
    if not disorder:
        checked = ", ".join(s.letter for s in sections) or "none in this bundle"
        yield Verdict("pass", f"Correspondence is in date order (sections checked: {checked}).")


def _undated_words(p: ProjectContext, placement: Placement) -> str:
    doc = placement.document
    if doc.date and doc.date_source == "metadata":
        return f"{p.name(placement)} (its PDF properties say {format_date(doc.date)}: confirm it if that is its date)"
    return p.name(placement)


def check_undated(p: ProjectContext) -> Iterator[Verdict]:
    undated = [pl for pl in p.placements if not pl.document.filed_date]
    if undated:
        names = "; ".join(_undated_words(p, pl) for pl in undated)
        have = "has" if len(undated) == 1 else "have"
        yield Verdict(
            "warn",
            f"{plural(len(undated), 'document')} {have} no date: {names}. Give each its date.",
            tuple(pl.mark.first for pl in undated if pl.mark),
        )
    else:
        yield Verdict("pass", f"All {len(p.placements)} documents are dated.")


def check_guessed_dates(p: ProjectContext) -> Iterator[Verdict]:
    """A date read from a file name is printed in the index, but the user is asked to confirm it."""
    guessed = [pl for pl in p.placements if pl.document.filed_date and pl.document.date_is_guess]
    for pl in guessed:
        yield Verdict(
            "warn",
            f"{p.name(pl)}: its date, {format_date(pl.document.date)}, was guessed from "
            f"{guess_words(pl.document.date_source)}. Confirm it or correct it.",
            (pl.mark.first,) if pl.mark else (),
        )
    if not guessed:
        yield Verdict("pass", "Every date in the index was typed or confirmed by you.")


def _limit(placement: Placement) -> tuple[int, str] | None:
    title, section = placement.document.title, placement.section
    if _GROUNDS.search(title) or (section.letter == "A" and _GROUNDS_IN_A.search(title)):
        return GROUNDS_LIMIT, "statement of facts and grounds"
    if _REPLY.search(title) and "correspondence" not in section.title.casefold():
        return REPLY_LIMIT, "reply"
    return None


def check_document_length(p: ProjectContext) -> Iterator[Verdict]:
    limited = [(pl, limit) for pl in p.placements if pl.mark and (limit := _limit(pl))]
    over = [(pl, limit) for pl, limit in limited if pl.mark and pl.mark.pages > limit[0]]
    for pl, (pages, what) in over:
        assert pl.mark is not None
        yield Verdict(
            "warn",
            f"{p.name(pl)} is {pl.mark.pages} pages: a {what} should not exceed "
            f"{pages} pages without the court's permission.",
            (pl.mark.first,),
        )
    if not over:
        names = ", ".join(pl.tab for pl, _ in limited) or "none found"
        yield Verdict("pass", f"Statements of grounds and replies are within their page limits ({names}).")
