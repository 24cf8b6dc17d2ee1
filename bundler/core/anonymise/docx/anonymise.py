"""Anonymise a DOCX at the source, in every part, before it is converted to PDF.

The source is never modified: a cleaned copy is written to ``dst``. Order
matters and is fixed: comments go and tracked changes are accepted first (so
deleted text is gone and inserted text joins its neighbours), hidden text is
emptied, then paragraphs, field codes and every remaining value are matched.
Finally ``sweep_docx`` reads the written copy back and refuses it, before it is
moved into place, if any protected original can still be found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from bundler.core.anonymise.docx import package, rels
from bundler.core.anonymise.docx.fields import freeze_outside_fields
from bundler.core.anonymise.docx.media import clean_image
from bundler.core.anonymise.docx.revisions import (
    accept_revisions,
    drop_hidden_text,
    hidden_styles,
    remove_comment_marks,
)
from bundler.core.anonymise.docx.sweep import sweep_docx
from bundler.core.anonymise.docx.text import Hit, anonymise_field_codes, anonymise_paragraphs
from bundler.core.anonymise.docx.values import anonymise_values
from bundler.core.anonymise.docx.xml import W, XmlPartError, is_el, parse_part, serialise_part
from bundler.core.anonymise.terms import Target, find_matches
from bundler.core.errors import BuildError, SourceError
from bundler.core.fsutil import atomic_output
from bundler.core.naming import plural

__all__ = ["DocxChange", "DocxReport", "anonymise_docx"]

_RESAVE = "Open it in Word or LibreOffice, save it again as .docx, then add it again."


@dataclass(frozen=True)
class DocxChange:
    """One thing changed in the copy. Never holds the protected original itself."""

    part: str  # e.g. "word/document.xml"
    kind: str  # replace | redact | property | author | remove-comment | accept-revision |
    #            remove-hidden | freeze-field | link | remove-part | remove-object | image-metadata
    category: str  # the register category for replace/redact, else what the change concerns
    location: str  # for people: "paragraph 12", "core property 'creator'", "3 tracked changes"
    replacement: str = ""


@dataclass
class DocxReport:
    changes: list[DocxChange] = field(default_factory=list)

    def count(self, kind: str | None = None) -> int:
        return sum(1 for c in self.changes if kind is None or c.kind == kind)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for change in self.changes:
            found[change.kind] = found.get(change.kind, 0) + 1
        return found

    def add(self, part: str, kind: str, category: str, location: str, replacement: str = "") -> None:
        self.changes.append(DocxChange(part, kind, category, location, replacement))

    def add_hits(self, part: str, hits: list[Hit], kind: str | None = None) -> None:
        for hit in hits:
            default = "replace" if hit.target.replacement is not None else "redact"
            self.add(part, kind or default, hit.target.category, hit.location, hit.target.label)


def _safe_name(name: str, targets: list[Target]) -> str:
    """A part name fit for the report (an attacker can name a part after a person)."""
    return "[part name withheld]" if find_matches(name, targets) else name


@dataclass
class _Context:
    targets: list[Target]
    author: str
    plan: package.PartPlan
    hidden: dict[str, bool]


def _clean_document_xml(root: etree._Element, part: str, ctx: _Context, report: DocxReport) -> None:
    if n := remove_comment_marks(root):
        report.add(part, "remove-comment", "comments", plural(n, "comment mark"))
    if n := accept_revisions(root):
        report.add(part, "accept-revision", "tracked changes", f"{plural(n, 'tracked change')} accepted")
    if n := drop_hidden_text(root, ctx.hidden):
        report.add(part, "remove-hidden", "hidden text", f"{plural(n, 'hidden run')} emptied")
    if n := freeze_outside_fields(root):
        report.add(
            part, "freeze-field", "fields", f"{plural(n, 'field or link', 'fields or links')} to outside content"
        )
    report.add_hits(part, anonymise_paragraphs(root, ctx.targets))
    report.add_hits(part, anonymise_field_codes(root, ctx.targets))
    values = anonymise_values(root, ctx.targets, part=part, author=ctx.author)
    report.add_hits(part, values.hits)
    report.add_hits(part, values.property_hits, kind="property")
    for name in values.people:
        report.add(part, "property", "author", f"core property '{name}'", ctx.author)
    if values.authors:
        report.add(part, "author", "author", plural(values.authors, "author attribute"), ctx.author)
    for name in rels.drop_references(root, ctx.plan.dropped_ids.get(part, set())):
        report.add(part, "remove-object", "embedded object", f"<{name}> of a removed part")


def _clean_xml(root: etree._Element, part: str, ctx: _Context, report: DocxReport) -> None:
    if part == package.CONTENT_TYPES:
        rels.drop_overrides(root, set(ctx.plan.remove))
    elif part.endswith(".rels"):
        source = package.rels_source(part)
        rels.drop_relationships(root, ctx.plan.dropped_ids.get(source, set()))
        for where in rels.neutralise_links(root, ctx.targets):
            report.add(part, "link", "link target", where, "#")
    else:
        _clean_document_xml(root, part, ctx, report)


def _parse_all(src: Path, parts: dict[str, bytes], names: list[str]) -> dict[str, etree._Element]:
    types = _parse(src, package.CONTENT_TYPES, parts[package.CONTENT_TYPES])
    xml = [n for n in names if package.is_xml_type(n, package.content_type(n, types))]
    return {name: _parse(src, name, parts[name]) for name in xml}


def _parse(src: Path, name: str, data: bytes) -> etree._Element:
    try:
        return parse_part(data)
    except XmlPartError as exc:
        problem = f"is damaged: its part {name} is not usable XML ({exc})"
        raise SourceError(src, problem, _RESAVE) from exc


def _clean_parts(src: Path, parts: dict[str, bytes], ctx: _Context, report: DocxReport) -> dict[str, bytes]:
    roots = _parse_all(src, parts, ctx.plan.keep)
    for root in roots.values():
        if is_el(root, W, "styles"):
            ctx.hidden.update(hidden_styles(root))
    cleaned: dict[str, bytes] = {}
    for name in ctx.plan.keep:
        if name in roots:
            _clean_xml(roots[name], name, ctx, report)
            cleaned[name] = serialise_part(roots[name])
        else:
            cleaned[name] = clean_image(parts[name])
            if cleaned[name] != parts[name]:
                report.add(name, "image-metadata", "image metadata", "metadata removed")
    for name in ctx.plan.remove:
        report.add(_safe_name(name, ctx.targets), "remove-part", ctx.plan.reasons[name], "whole part")
    return cleaned


def _check_paths(src: Path, dst: Path, targets: list[Target]) -> None:
    if dst.resolve() == src.resolve():
        raise BuildError(f"'{src.name}': refusing to overwrite a source document with its anonymised copy.")
    if find_matches(dst.name, targets):
        # LibreOffice's FILENAME field and PDF titles can show the copy's own name.
        raise BuildError(f"'{src.name}': the anonymised copy may not be named after a protected person.")


def _read(src: Path) -> tuple[dict[str, bytes], package.PartPlan]:
    try:
        parts = package.read_package(src)
        return parts, package.plan_parts(parts)
    except package.PackageError as exc:
        raise SourceError(src, str(exc), _RESAVE) from exc
    except XmlPartError as exc:
        raise SourceError(src, f"is damaged ({exc})", _RESAVE) from exc
    except OSError as exc:
        remedy = "Check the file exists and is not open elsewhere."
        raise SourceError(src, f"cannot be read ({exc.strerror})", remedy) from exc


def anonymise_docx(src: Path, dst: Path, targets: list[Target], *, author: str = "bundler") -> DocxReport:
    """Write an anonymised copy of ``src`` to ``dst``; raise rather than write a leaking file.

    ``dst`` is written through a temporary file and only moved into place after
    the leak sweep has read it back clean; a previous ``dst`` survives a failure.
    """
    _check_paths(src, dst, targets)
    parts, plan = _read(src)
    report = DocxReport()
    cleaned = _clean_parts(src, parts, _Context(targets, author, plan, {}), report)
    with atomic_output(dst) as tmp:
        package.write_package(tmp, cleaned)
        sweep_docx(tmp, targets, source=src.name)
    return report
