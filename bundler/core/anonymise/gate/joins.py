"""Where a verified page meets the rest of the file: could its text join a stamp into a name?

A vouched page draws the verified chunk's content and, around it, content that is
not the chunk's: the shared opener and the stamp with the page's number. PDFium
reads every page in full, joins included. pypdf's reading of a vouched page is
skipped only when no join can form a target: the outside text must be letters and
digits only, none of which appears in any target (with OCR's confusions for
identifiers, the only targets matched with them: "0" may stand for an identifier's
"o"). A target found across the join would have to contain a character that the
outside text contributes, so a stamp "123" never completes "Farida Khanum", while
it may complete "14 Elm Road": such a page is read in full.
"""

from __future__ import annotations

from collections.abc import Sequence

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, StreamObject

from bundler.core.anonymise.forms import OCR_CONFUSIONS, is_identifier
from bundler.core.anonymise.gate import syntax
from bundler.core.anonymise.gate.vouched import Vouched
from bundler.core.anonymise.lookalikes import fold_letters
from bundler.core.anonymise.terms import Target

__all__ = ["joinable_pages", "never_joins"]

_PARTNERS = {ch: set(group) for group in OCR_CONFUSIONS for ch in group}


def _folded_chars(text: str, ocr: bool) -> set[str]:
    """The characters of ``text`` as the matcher folds them: a Cyrillic "а" in a stamp is the
    "a" of a name. One the fold drops (a mark, a format character) stays itself: no letter."""
    chars = {folded for ch in set(text) for folded in fold_letters(ch) or ch if not folded.isspace()}
    return chars | {p for ch in chars for p in _PARTNERS.get(ch, ())} if ocr else chars


def _target_chars(targets: Sequence[Target]) -> set[str]:
    return set().union(*(_folded_chars(t.text, is_identifier(t.text, t.category)) for t in targets))


def _drawn_text(reader: PdfReader, number: int, texts: dict[int, str | None]) -> str | None:
    """Text operands of object ``number`` if it is a stream; "" for a dictionary, which draws
    nothing (the page tree, a font); None for anything else (unreadable: read the page in full)."""
    if number not in texts:
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            texts[number] = syntax.text_operands(obj.get_data())
        else:
            texts[number] = "" if isinstance(obj, DictionaryObject) else None
    return texts[number]


def _may_join(text: str | None, target_chars: set[str]) -> bool:
    if text is None:
        return True
    chars = _folded_chars(text, ocr=False)  # a target's own OCR partners are in ``target_chars``
    return any(not ch.isalnum() for ch in chars) or not chars.isdisjoint(target_chars)


def never_joins(text: str, targets: Sequence[Target]) -> bool:
    """Whether ``text``, set anywhere beside a page's text, can be part of no target found:
    letters and digits only, none of which (folded) any target holds, with OCR's confusions."""
    return not _may_join(text, _target_chars(targets))


def joinable_pages(reader: PdfReader, known: Vouched, targets: Sequence[Target]) -> set[int]:
    """Of the vouched pages, those whose outside text could join into a target.

    A page's outside is every object outside its chunk that the chunk refers to from the
    page's object or from its other objects (``vouched``): more than the page's content
    streams, never less."""
    target_chars = _target_chars(targets)
    texts: dict[int, str | None] = {}
    joinable = set()
    for number in known.pages:
        try:
            parts = [_drawn_text(reader, outside, texts) for outside in sorted(known.outside.get(number, ()))]
            text = None if None in parts else "\n".join(p for p in parts if p)
        except Exception:  # noqa: BLE001 - a page we cannot take apart is read in full
            text = None
        if _may_join(text, target_chars):
            joinable.add(number)
    return joinable
