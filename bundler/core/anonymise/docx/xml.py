"""Small OOXML helpers shared by the DOCX anonymiser and its leak sweep.

Elements are recognised by namespace *and* local name, for both the
transitional and the strict OOXML namespaces, so a Strict-saved document
cannot slip past a check written for the transitional one.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from bundler.core.anonymise.terms import Match, Target, find_matches

__all__ = [
    "W",
    "A",
    "M",
    "R",
    "TEXT_NAMESPACES",
    "XmlPartError",
    "Replaced",
    "parse_part",
    "serialise_part",
    "local",
    "namespace",
    "is_el",
    "replace_in_text",
    "anonymise_value",
    "url_forms",
    "screen",
    "SEPARATOR",
    "without_invisible",
    "reveal",
]

W = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
A = frozenset(
    {
        "http://schemas.openxmlformats.org/drawingml/2006/main",
        "http://purl.oclc.org/ooxml/drawingml/main",
    }
)
M = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/math",
        "http://purl.oclc.org/ooxml/officeDocument/math",
    }
)
R = frozenset(
    {
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
)
TEXT_NAMESPACES = W | A | M
SEPARATOR = " | "  # joins strings for one matcher pass; no protected form can match across it
_MAX_DECODE_ROUNDS = 3  # "%2546" is "%46" is "F": decode a few times, never forever


class XmlPartError(ValueError):
    """A part is not well-formed XML, or carries a DTD (never legitimate in OOXML)."""


@dataclass(frozen=True)
class Replaced:
    text: str
    matches: list[Match]


def parse_part(data: bytes, *, keep_comments: bool = False) -> etree._Element:
    # No DTDs, no entities, no network: a DTD could hide text outside every node we check.
    # libxml2's default limits (depth, node size) stay on: a 'document' beyond them is an attack.
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        remove_comments=not keep_comments,
        remove_pis=not keep_comments,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XmlPartError(str(exc)) from exc
    if root.getroottree().docinfo.doctype:
        raise XmlPartError("it declares a DTD")
    return root


def serialise_part(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def namespace(el: etree._Element) -> str:
    tag = el.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def is_el(el: etree._Element, namespaces: frozenset[str], *names: str) -> bool:
    return local(el) in names and namespace(el) in namespaces


def replace_in_text(text: str, targets: list[Target]) -> Replaced:
    """``text`` with every match swapped for its label (pseudonym or ``[REDACTED]``)."""
    matches = find_matches(text, targets)
    for m in reversed(matches):
        text = text[: m.start] + m.target.label + text[m.end :]
    return Replaced(text, matches)


def url_forms(value: str) -> Iterable[str]:
    """``value`` and its percent-decoded forms, so "Far%69da" is seen as "Farida"."""
    yield value
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(value)
        if decoded == value:
            return
        value = decoded
        yield value


def without_invisible(text: str) -> str:
    """``text`` without format characters (U+200B, U+2060, U+FEFF...): they print as nothing."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def reveal(text: str, targets: list[Target]) -> str:
    """``text`` without invisible characters if they are all that hides a protected name."""
    bare = text if text.isascii() else without_invisible(text)
    if bare != text and len(find_matches(bare, targets)) > len(find_matches(text, targets)):
        return bare
    return text


def anonymise_value(value: str, targets: list[Target]) -> Replaced:
    """Replace hits in ``value``; where a hit only shows once URL-decoded, decode first."""
    found: list[Match] = []
    text = reveal(value, targets)
    for _ in range(_MAX_DECODE_ROUNDS + 1):
        done = replace_in_text(text, targets)
        found += done.matches
        text = done.text
        hidden = [form for form in list(url_forms(text))[1:] if find_matches(form, targets)]
        if not hidden:
            break
        text = hidden[0]
    return Replaced(text, found)


def _screen_forms(text: str) -> Iterable[str]:
    for form in url_forms(text):
        yield form
        bare = form if form.isascii() else without_invisible(form)
        if bare != form:
            yield bare


def screen(texts: Sequence[str], targets: list[Target]) -> list[bool]:
    """Which of ``texts`` (or their URL-decoded forms) hold a hit, in one matcher pass.

    A part has tens of thousands of small values, most of them repeated (rsids,
    sizes, style ids); matching each one alone would dominate the run time.
    """
    unique = list(dict.fromkeys(texts))
    forms: list[str] = []
    owners: list[int] = []
    starts: list[int] = []
    size = 0
    for number, text in enumerate(unique):
        for form in _screen_forms(text):
            forms.append(form)
            owners.append(number)
            starts.append(size)
            size += len(form) + len(SEPARATOR)
    hits = {owners[bisect.bisect_right(starts, m.start) - 1] for m in find_matches(SEPARATOR.join(forms), targets)}
    flagged = {unique[n] for n in hits}
    return [text in flagged for text in texts]
