"""Is a .docx sound enough to convert? Checked once, at add, so no converter meets a broken one.

A DOCX is a zip of XML parts, and every layer can be broken on its own: the zip (a bad
member, corrupt deflate data, a wrong CRC), the XML (a part that is not well-formed), the
package (a missing main document, a content type that is not Word's) or its size (a "zip
bomb" that unpacks to gigabytes). Each becomes one ``ConversionError`` naming the file and
what to do, never a library's traceback.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from bundler.core.errors import ConversionError

__all__ = ["check_docx", "MAX_UNPACKED"]

MAX_UNPACKED = 1 << 30  # bytes: no real Word document unpacks to more than a gigabyte
_MAX_RATIO = 200  # a part that shrank more than this (and is big) is a bomb, not a document
_RATIO_FROM = 10 << 20
_RESAVE = "Open it in Word, save it again as .docx, then add it again"
_WORD_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_OFFICE_DOCUMENT = "/officeDocument"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def _broken(path: Path, problem: str) -> ConversionError:
    return ConversionError(path, problem, _RESAVE)


def _check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if sum(m.file_size for m in members) > MAX_UNPACKED:
        raise ConversionError(path, "unpacks to more than a gigabyte", "Check it is the right file, then add it again")
    for m in members:
        if m.file_size > _RATIO_FROM and m.file_size > _MAX_RATIO * max(m.compress_size, 1):
            raise ConversionError(
                path, f"has a part ({m.filename}) that unpacks to an implausible size", "Check it is the right file"
            )


def _read(path: Path, package: zipfile.ZipFile, name: str, keep: bool = True) -> bytes:
    """A part's bytes (or, not ``keep``ing them, just its deflate data and CRC checked)."""
    try:
        if keep:
            return package.read(name)
        with package.open(name) as member:
            while member.read(1 << 20):
                pass
        return b""
    except KeyError:
        raise _broken(path, f"is missing its part '{name}'") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _broken(path, f"is damaged: its part '{name}' cannot be unpacked ({exc})") from None


def _xml(path: Path, package: zipfile.ZipFile, name: str) -> etree._Element:
    try:
        return etree.fromstring(_read(path, package, name), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _broken(path, f"has a damaged part '{name}' (not well-formed XML: {exc.msg})") from None


def _main_part(path: Path, package: zipfile.ZipFile) -> str:
    """The main document's part name, from the package relationships."""
    for rel in _xml(path, package, "_rels/.rels"):
        if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
            return posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
    raise _broken(path, "has no main document (no officeDocument relationship)")


def _content_type(types: etree._Element, part: str) -> str:
    for node in types:
        if node.tag.endswith("Override") and str(node.get("PartName", "")).lstrip("/") == part:
            return str(node.get("ContentType", ""))
    return ""


def _check_package(path: Path, package: zipfile.ZipFile) -> None:
    types = _xml(path, package, "[Content_Types].xml")
    main = _main_part(path, package)
    if main not in package.namelist():
        raise _broken(path, f"is missing its main document '{main}'")
    kind = _content_type(types, main)
    if kind not in _WORD_TYPES:
        raise ConversionError(
            path,
            f"is not a Word document (its main part is '{kind or 'of no declared type'}')",
            "Save it as .docx from the program that made it, then add it again",
        )
    for name in package.namelist():
        if name.endswith((".xml", ".rels")):
            _xml(path, package, name)  # reads every part: a bad CRC or deflate stream fails here too
        else:
            _read(path, package, name, keep=False)


def check_docx(path: Path) -> None:
    """Raise ``ConversionError`` unless ``path`` is a complete, well-formed Word package."""
    try:
        with zipfile.ZipFile(path) as package:
            _check_sizes(path, package.infolist())
            _check_package(path, package)
    except ConversionError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError):
        raise _broken(path, "cannot be read as a Word document (its zip container is damaged)") from None
    except (OSError, ValueError, RuntimeError) as exc:  # unreadable, encrypted members, odd headers
        raise _broken(path, f"cannot be read as a Word document ({exc.__class__.__name__})") from None
