"""Edits to the package's own XML: relationships, content types, dangling references.

External link targets that name a protected person are pointed at "#";
relationships to removed parts go, and so do the elements that used them
(an OLE object's ``o:OLEObject``, a chart's ``c:externalData``...), so no
reference dangles.
"""

from __future__ import annotations

from lxml import etree

from bundler.core.anonymise.docx.objects import object_container
from bundler.core.anonymise.docx.xml import R, local, url_forms
from bundler.core.anonymise.terms import Target, find_matches

__all__ = ["neutralise_links", "drop_relationships", "drop_overrides", "drop_references"]

_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def neutralise_links(rels: etree._Element, targets: list[Target]) -> list[str]:
    """Point external targets naming a protected person at "#"; return what changed.

    The whole target goes, not just the name: the rest of a profile URL or
    e-mail address identifies the person as well as the name does.
    """
    changed = []
    for rel in rels:
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            continue
        if any(find_matches(form, targets) for form in url_forms(target)):
            rel.set("Target", "#")
            changed.append(f"{rel.get('Type', '').rpartition('/')[2]} link {rel.get('Id', '')}")
    return changed


def drop_relationships(rels: etree._Element, ids: set[str]) -> None:
    for rel in [r for r in rels if r.get("Id") in ids]:
        rels.remove(rel)


def drop_overrides(types: etree._Element, removed: set[str]) -> None:
    """Forget removed parts; a macro-enabled main part becomes a plain one (macros are gone)."""
    gone = {name.lower() for name in removed}
    for el in [e for e in types if e.get("PartName", "").lstrip("/").lower() in gone]:
        types.remove(el)
    for el in types:
        if el.get("ContentType") == _MACRO_MAIN:
            el.set("ContentType", _PLAIN_MAIN)


def drop_references(root: etree._Element, ids: set[str]) -> list[str]:
    """Remove elements that point (``r:id``, ``r:embed``...) at dropped relationships."""
    found = [el for el in root.iter() if any(k[1:].partition("}")[0] in R and v in ids for k, v in el.attrib.items())]
    found = list(dict.fromkeys(object_container(el) for el in found))  # the object's preview goes too
    for el in found:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return [local(el) for el in found]
