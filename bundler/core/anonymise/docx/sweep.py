"""The last check before an anonymised DOCX is allowed to exist: fail closed.

Reads the written file back as an outsider would: every zip member name, every
text node, tail, comment and attribute value (also URL-decoded) of every XML
part, each paragraph's visible text joined across runs, each field
instruction, and the non-pixel bytes of every image. Any protected original
raises ``BuildError`` naming the part; the caller then never moves the file
into place. Deliberately does not reuse the anonymiser's own walkers.
"""

from __future__ import annotations

import bisect
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from bundler.core.anonymise.docx.media import image_texts
from bundler.core.anonymise.docx.package import CONTENT_TYPES, content_type, is_xml_type
from bundler.core.anonymise.docx.text import sym_char
from bundler.core.anonymise.docx.xml import (
    TEXT_NAMESPACES,
    A,
    W,
    XmlPartError,
    is_el,
    local,
    namespace,
    parse_part,
    url_forms,
)
from bundler.core.anonymise.terms import Target, find_matches
from bundler.core.errors import BuildError

__all__ = ["sweep_docx"]

_SEPARATOR = " | "  # no protected form can match across it
_KNOWN_NS = (
    "http://schemas.openxmlformats.org/",
    "http://schemas.microsoft.com/",
    "http://purl.oclc.org/ooxml/",
    "http://www.w3.org/",
    "urn:schemas-microsoft-com:",
    "http://purl.org/dc/",
)
_FORBIDDEN = (
    "del",
    "ins",
    "moveFrom",
    "moveTo",
    "delText",
    "delInstrText",
    "commentRangeStart",
    "commentRangeEnd",
    "commentReference",
)
_SPACES = ("tab", "ptab", "br", "cr")


def _with_visible_forms(forms: Iterable[str]) -> Iterator[str]:
    """Each form, and the form without invisible format characters (U+200B and kin).

    "Far\u200bida" renders as "Farida"; the shared matcher may not see through it,
    so the sweep looks at the text as a reader would, and fails closed.
    """
    for form in forms:
        yield form
        if form.isascii():
            continue  # every format character (Cf) lies above U+007F: nothing to drop
        visible = "".join(c for c in form if unicodedata.category(c) != "Cf")
        if visible != form:
            yield visible


@dataclass
class _Texts:
    """Many small strings checked in one matcher pass, each remembering where it came from."""

    parts: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    size: int = 0
    seen: set[str] = field(default_factory=set)

    def add(self, place: str, text: str | None) -> None:
        if not text:
            return  # most tails and texts are empty: no form of them is looked at
        for form in _with_visible_forms(url_forms(text or "")):
            if form.strip() and form not in self.seen:  # the same value only needs one look
                self.seen.add(form)
                self.starts.append(self.size)
                self.places.append(place)
                self.parts.append(form)
                self.size += len(form) + len(_SEPARATOR)

    def add_raw(self, place: str, text: str) -> None:
        """Add without URL-decoding (binary text: decoding could only add noise)."""
        self.starts.append(self.size)
        self.places.append(place)
        self.parts.append(text)
        self.size += len(text) + len(_SEPARATOR)

    def first_hit(self, targets: list[Target]) -> tuple[str, Target] | None:
        matches = find_matches(_SEPARATOR.join(self.parts), targets)
        if not matches:
            return None
        index = bisect.bisect_right(self.starts, matches[0].start) - 1
        return self.places[index], matches[0].target


def _fail(source: str, part: str, place: str, target: Target) -> BuildError:
    return BuildError(
        f"'{source}': a protected {target.category} is still in {part} ({place}) after "
        "anonymising, so no anonymised copy was written. Remove it by hand in Word "
        "(or re-save the document), then add it again."
    )


def _visible(el: etree._Element) -> str:
    out: list[str] = []
    for child in el:
        if is_el(child, W | A, "p") or is_el(child, W, "instrText"):
            continue
        if namespace(child) in TEXT_NAMESPACES and local(child).endswith("Pr"):
            continue
        if is_el(child, TEXT_NAMESPACES, "t"):
            out.append(child.text or "")
        elif is_el(child, W, *_SPACES) or is_el(child, A, "br"):
            out.append(" ")
        elif is_el(child, W, "sym"):
            out.append(sym_char(child))
        elif is_el(child, W, "noBreakHyphen"):
            out.append("-")
        else:
            out.append(_visible(child))
    return "".join(out)


def _instructions(root: etree._Element) -> list[str]:
    found = [""]
    for el in root.iter():
        if is_el(el, W, "instrText"):
            found[-1] += el.text or ""
        elif is_el(el, W, "fldChar"):
            found.append("")
    return found


def _node_texts(el: etree._Element, texts: _Texts) -> None:
    name = local(el) or "XML comment"
    texts.add(f"text of <{name}>", el.text)
    texts.add(f"text after <{name}>", el.tail)
    if not isinstance(el.tag, str):
        return
    unknown = not namespace(el).startswith(_KNOWN_NS)
    if unknown:
        texts.add("element name", local(el))
    for key, value in el.attrib.items():
        attribute = key.rpartition("}")[2]
        texts.add(f"attribute '{attribute}' of <{name}>", value)
        if unknown:
            texts.add("attribute name", attribute)


def _sweep_xml(part: str, data: bytes, targets: list[Target], source: str) -> None:
    try:
        root = parse_part(data, keep_comments=True)
    except XmlPartError as exc:
        raise BuildError(f"'{source}': anonymised part {part} is not clean XML ({exc}).") from exc
    texts = _Texts()
    for el in root.iter():
        if is_el(el, W, *_FORBIDDEN):
            raise BuildError(f"'{source}': a tracked change or comment survived in {part}.")
        _node_texts(el, texts)
    for number, paragraph in enumerate(root.iter(*_paragraph_tags()), start=1):
        texts.add(f"paragraph {number}", _visible(paragraph))
    for number, instruction in enumerate(_instructions(root), start=1):
        texts.add(f"field code {number}", instruction)
    hit = texts.first_hit(targets)
    if hit:
        raise _fail(source, part, *hit)


def _paragraph_tags() -> list[str]:
    return [f"{{{ns}}}p" for ns in sorted(W | A)]


def _sweep_member(name: str, data: bytes, types: etree._Element, targets: list[Target], source: str) -> None:
    ctype = content_type(name, types)
    if is_xml_type(name, ctype) or name == CONTENT_TYPES:
        _sweep_xml(name, data, targets, source)
    elif ctype.startswith("image/"):
        texts = _Texts()
        for text in image_texts(data):
            texts.add_raw("image metadata", text)
        hit = texts.first_hit(targets)
        if hit:
            raise _fail(source, name, *hit)
    else:
        raise BuildError(f"'{source}': anonymised copy holds a part we cannot check ({name}).")


def sweep_docx(path: Path, targets: list[Target], *, source: str) -> None:
    """Raise ``BuildError`` if any protected original can still be found in ``path``."""
    with zipfile.ZipFile(path) as archive:
        names = _Texts()
        names.add("zip comment", archive.comment.decode("latin-1"))
        for name in archive.namelist():
            names.add("part name", name)
        hit = names.first_hit(targets)
        if hit:
            raise _fail(source, "the package", *hit)
        types = parse_part(archive.read(CONTENT_TYPES))
        for name in archive.namelist():
            _sweep_member(name, archive.read(name), types, targets, source)
