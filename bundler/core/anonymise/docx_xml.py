"""Small OOXML helpers shared by the DOCX anonymiser and its leak sweep.

Elements are recognised by namespace *and* local name, for both the
transitional and the strict OOXML namespaces, so a Strict-saved document
cannot slip past a check written for the transitional one.
"""

from __future__ import annotations

from collections.abc import Iterable
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
_MAX_DECODE_ROUNDS = 3  # "%2546" is "%46" is "F": decode a few times, never forever


class XmlPartError(ValueError):
    """A part is not well-formed XML, or carries a DTD (never legitimate in OOXML)."""


@dataclass(frozen=True)
class Replaced:
    text: str
    matches: list[Match]


def parse_part(data: bytes, *, keep_comments: bool = False) -> etree._Element:
    # No DTDs, no entities, no network: a DTD could hide text outside every node we check.
    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        remove_comments=not keep_comments,
        remove_pis=not keep_comments,
        huge_tree=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XmlPartError(str(exc)) from exc
    if root.getroottree().docinfo.doctype:
        raise XmlPartError("it declares a DTD")
    return root


def serialise_part(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


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


def anonymise_value(value: str, targets: list[Target]) -> Replaced:
    """Replace hits in ``value``; where a hit only shows once URL-decoded, decode first."""
    found: list[Match] = []
    text = value
    for _ in range(_MAX_DECODE_ROUNDS + 1):
        done = replace_in_text(text, targets)
        found += done.matches
        text = done.text
        hidden = [form for form in list(url_forms(text))[1:] if find_matches(form, targets)]
        if not hidden:
            break
        text = hidden[0]
    return Replaced(text, found)
