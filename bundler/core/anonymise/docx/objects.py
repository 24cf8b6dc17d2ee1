"""An embedded object goes with its picture: the preview Word draws in its place.

An OLE object (``w:object`` holding a VML ``v:shape``/``v:imagedata`` preview
and an ``o:OLEObject``), or a DrawingML ``w:drawing`` whose graphic is an
object, shows a picture of the object's content: a spreadsheet's cells, a
name. Removing only the ``o:OLEObject`` left that picture on the page. So the
element removed is the whole object: the outermost container inside its run.
"""

from __future__ import annotations

from lxml import etree

from bundler.core.anonymise.docx.xml import W, local

__all__ = ["object_container"]

_CONTAINERS = frozenset({"object", "pict", "drawing", "AlternateContent"})
_STOP = frozenset({"r", "p", "body", "tc", "txbxContent"})


def _namespace(el: etree._Element) -> str:
    return etree.QName(el).namespace or ""


def object_container(el: etree._Element) -> etree._Element:
    """The outermost object container around ``el`` within its run, else ``el`` itself."""
    found = el
    node = el.getparent()
    while node is not None and not (local(node) in _STOP and _namespace(node) in W):
        if local(node) in _CONTAINERS:
            found = node
        node = node.getparent()
    return found
