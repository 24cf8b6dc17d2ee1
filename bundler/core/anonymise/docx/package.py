"""The OPC package around a DOCX: zip members, content types, relationships.

Decides which parts survive. Kept: parts reachable through relationships that
are XML (cleaned part by part) or images (metadata stripped). Removed, with the
relationships that point at them: comments and the people behind them,
thumbnails (a picture of page one), digital signatures (a certificate names its
signer), macros, embedded objects and fonts, and anything else we cannot clean
or that nothing refers to.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from bundler.core.anonymise.docx.xml import parse_part

__all__ = [
    "CONTENT_TYPES",
    "PackageError",
    "PartPlan",
    "read_package",
    "write_package",
    "plan_parts",
    "content_type",
    "is_xml_type",
    "rels_source",
]

CONTENT_TYPES = "[Content_Types].xml"
_MAX_TOTAL = 1 << 30  # 1 GiB unpacked: larger is a zip bomb, not a witness statement
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
# Relationship types whose targets are dropped whatever their format (last URI segment).
_DROP_TYPES = frozenset(
    {
        "comments",
        "commentsExtended",
        "commentsIds",
        "commentsExtensible",
        "people",
        "thumbnail",
        "origin",
        "signature",
        "vbaProject",
        "vbaProjectSignature",
        "oleObject",
        "package",
        "control",
        "activeXControlBinary",
        "printerSettings",
        "aFChunk",
        "attachedToolbars",
        "font",
    }
)


class PackageError(ValueError):
    """The file is not a usable DOCX package."""


@dataclass
class PartPlan:
    keep: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    dropped_ids: dict[str, set[str]] = field(default_factory=dict)  # source part -> rel ids
    reasons: dict[str, str] = field(default_factory=dict)  # removed part -> why


def read_package(src: Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(src) as archive:
            infos = archive.infolist()
            _check_members(infos)
            return {info.filename: archive.read(info) for info in infos if not info.is_dir()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        with open(src, "rb") as fh:
            if fh.read(8) == _OLE_MAGIC:  # Word wraps password-protected DOCX in an OLE file
                raise PackageError("is password-protected or in the old Word 97-2003 format") from exc
        raise PackageError(f"is not a readable DOCX package ({exc})") from exc


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise PackageError("holds two parts with the same name")
    if sum(info.file_size for info in infos) > _MAX_TOTAL:
        raise PackageError("unpacks to more than 1 GB")
    if any(info.flag_bits & 0x1 for info in infos):
        raise PackageError("is an encrypted zip file")
    if CONTENT_TYPES not in names:
        raise PackageError("has no [Content_Types].xml, so it is not a DOCX package")


def write_package(dst: Path, parts: dict[str, bytes]) -> None:
    """Write a fresh zip: content types first, fixed timestamps, no zip comment."""
    order = [CONTENT_TYPES] + [name for name in parts if name != CONTENT_TYPES]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, parts[name])


def content_type(name: str, types: etree._Element) -> str:
    """The part's content type; OPC part names compare case-insensitively."""
    for el in types:
        if el.tag.endswith("Override") and el.get("PartName", "").lstrip("/").lower() == name.lower():
            return str(el.get("ContentType", ""))
    extension = name.rpartition(".")[2].lower()
    for el in types:
        if el.tag.endswith("Default") and el.get("Extension", "").lower() == extension:
            return str(el.get("ContentType", ""))
    return ""


def is_xml_type(name: str, ctype: str) -> bool:
    return name.endswith(".rels") or ctype.endswith("+xml") or ctype.endswith("/xml")


def _keepable(name: str, ctype: str) -> bool:
    return is_xml_type(name, ctype) or ctype.startswith("image/")


def rels_source(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` -> ``word/document.xml``; the package's own -> ``""``."""
    folder, _, file = rels_name.rpartition("/")
    return posixpath.join(posixpath.dirname(folder), file[: -len(".rels")]).lstrip("/")


def _rels_name(part: str) -> str:
    folder, _, file = part.rpartition("/")
    return posixpath.join(folder, "_rels", f"{file}.rels")


def _resolve(source: str, target: str, members: dict[str, str]) -> str | None:
    """The zip member a relationship points at: raw or percent-decoded, any letter case."""
    for form in (target, unquote(target)):
        if form.startswith("/"):
            path = posixpath.normpath(form).lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(source), form))
        if path.lower() in members:
            return members[path.lower()]
    return None


def _relationships(parts: dict[str, bytes], members: dict[str, str], source: str) -> list[etree._Element]:
    name = members.get((_rels_name(source) if source else "_rels/.rels").lower())
    return [] if name is None else list(parse_part(parts[name]))


def _internal_targets(
    parts: dict[str, bytes], members: dict[str, str], source: str
) -> Iterator[tuple[etree._Element, str]]:
    for rel in _relationships(parts, members, source):
        if rel.get("TargetMode") != "External":
            target = _resolve(source, rel.get("Target", ""), members)
            if target is not None:
                yield rel, target


def _walk(parts: dict[str, bytes], plan: PartPlan) -> set[str]:
    """Parts reachable from the package root without passing a dropped relationship."""
    types = parse_part(parts[CONTENT_TYPES])
    members = {name.lower(): name for name in parts}
    reached: set[str] = set()
    queue = [""]
    while queue:
        source = queue.pop()
        for rel, target in _internal_targets(parts, members, source):
            kind = rel.get("Type", "").rpartition("/")[2]
            if kind in _DROP_TYPES or not _keepable(target, content_type(target, types)):
                plan.dropped_ids.setdefault(source, set()).add(rel.get("Id", ""))
                plan.reasons.setdefault(target, kind if kind in _DROP_TYPES else "cannot be cleaned")
            elif target not in reached:
                reached.add(target)
                queue.append(target)
    return reached


def plan_parts(parts: dict[str, bytes]) -> PartPlan:
    """Walk the relationships from the package root and sort every member."""
    plan = PartPlan()
    reached = _walk(parts, plan)
    wanted = {n.lower() for n in reached | {CONTENT_TYPES, "_rels/.rels"}}
    wanted |= {_rels_name(p).lower() for p in reached}
    plan.keep = [name for name in parts if name.lower() in wanted]
    plan.remove = [name for name in parts if name.lower() not in wanted]
    for name in plan.remove:
        plan.reasons.setdefault(name, "not referenced")
    return plan
