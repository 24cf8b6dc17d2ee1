"""Resolve what Word keeps out of sight: comments, tracked changes, hidden text.

Tracked changes are *accepted*: insertions stay as ordinary text, deletions go
with their ``w:delText``, and every property-change record (with its author)
disappears. Hidden text is emptied, because a hidden run between "Far" and
"ida" would otherwise keep the visible "Farida" from matching.
"""

from __future__ import annotations

from lxml import etree

from bundler.core.anonymise.docx.xml import W, is_el, local, namespace

__all__ = ["remove_comment_marks", "accept_revisions", "hidden_styles", "drop_hidden_text"]

_COMMENT_MARKS = ("commentRangeStart", "commentRangeEnd", "commentReference")
_UNWRAP = ("ins", "moveTo")
_DROP = ("del", "moveFrom")
_RECORDS = (
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tblPrExChange",
    "tblGridChange",
    "tcPrChange",
    "trPrChange",
    "numberingChange",
    "cellIns",
    "cellDel",
    "cellMerge",
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "customXmlInsRangeStart",
    "customXmlInsRangeEnd",
    "customXmlDelRangeStart",
    "customXmlDelRangeEnd",
    "customXmlMoveFromRangeStart",
    "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd",
    "delText",  # only legal inside w:del; a stray one is removed all the same
    "delInstrText",
)
_HIDDEN_CONTENT = ("t", "sym", "tab", "ptab", "br", "cr", "noBreakHyphen", "softHyphen")
_FALSE = frozenset({"0", "false", "off"})


def _remove(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    for offset, child in enumerate(list(el)):
        parent.insert(index + offset, child)
    parent.remove(el)


def remove_comment_marks(root: etree._Element) -> int:
    marks = [el for el in root.iter() if is_el(el, W, *_COMMENT_MARKS)]
    for el in marks:
        _remove(el)
    return len(marks)


def _in_properties(el: etree._Element) -> bool:
    parent = el.getparent()
    return parent is not None and local(parent).endswith("Pr")


def _merge_into_next(mark: etree._Element) -> None:
    """A deleted paragraph mark joins its paragraph to the next one, as Word does."""
    properties = mark.getparent().getparent()  # w:p > w:pPr > w:rPr > mark
    paragraph = properties.getparent() if properties is not None else None
    _remove(mark)
    if properties is None or paragraph is None or not is_el(properties, W, "pPr"):
        return
    following = paragraph.getnext()
    if following is None or not is_el(following, W, "p"):
        return
    start = 1 if len(following) and is_el(following[0], W, "pPr") else 0
    content = [child for child in paragraph if not is_el(child, W, "pPr")]
    for offset, child in enumerate(content):
        following.insert(start + offset, child)
    _remove(paragraph)


def _accept_marker(el: etree._Element) -> None:
    parent = el.getparent()
    if local(el) in _DROP and parent is not None and is_el(parent, W, "rPr"):
        _merge_into_next(el)
    elif local(el) in _DROP and parent is not None and is_el(parent, W, "trPr"):
        row = parent.getparent()
        _remove(row if row is not None else el)
    else:
        _remove(el)


def accept_revisions(root: etree._Element) -> int:
    """Accept every tracked change in a WordprocessingML part; return how many."""
    found = [el for el in root.iter() if namespace(el) in W]
    count = 0
    for el in found:
        name = local(el)
        if name in _UNWRAP + _DROP and _in_properties(el):
            _accept_marker(el)
        elif name in _UNWRAP:
            _unwrap(el)
        elif name in _DROP or name in _RECORDS:
            _remove(el)
        else:
            continue
        count += 1
    return count


def _vanish(properties: etree._Element | None) -> bool | None:
    if properties is None:
        return None
    for child in properties:
        if is_el(child, W, "vanish"):
            value = next((v for k, v in child.attrib.items() if k.endswith("}val")), "1")
            return value.lower() not in _FALSE
    return None


def _child(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    return next((c for c in el if is_el(c, W, name)), None)


def _val(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return next((v for k, v in el.attrib.items() if k.endswith("}val")), "")


def hidden_styles(styles: etree._Element | None) -> dict[str, bool]:
    """Style id -> whether its text is hidden, following ``w:basedOn`` chains.

    Styles that say nothing either way (all the way down) are left out.
    """
    if styles is None:
        return {}
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in (el for el in styles if is_el(el, W, "style")):
        sid = next((v for k, v in style.attrib.items() if k.endswith("}styleId")), "")
        own[sid] = _vanish(_child(style, "rPr"))
        based[sid] = _val(_child(style, "basedOn"))
    resolved: dict[str, bool] = {}
    for sid in own:
        seen, current = set(), sid
        while current in own and current not in seen and own[current] is None:
            seen.add(current)
            current = based.get(current, "")
        value = own.get(current)
        if value is not None:
            resolved[sid] = value
    return resolved


def _run_hidden(run: etree._Element, styles: dict[str, bool]) -> bool:
    properties = _child(run, "rPr")
    direct = _vanish(properties)
    if direct is not None:
        return direct
    character = _val(_child(properties, "rStyle"))
    if character in styles:
        return styles[character]
    paragraph = next((a for a in run.iterancestors() if is_el(a, W, "p")), None)
    return styles.get(_val(_child(_child(paragraph, "pPr"), "pStyle")), False)


def drop_hidden_text(root: etree._Element, styles: dict[str, bool]) -> int:
    """Empty runs formatted as hidden (directly or by style); return how many."""
    runs = [el for el in root.iter() if is_el(el, W, "r") and _run_hidden(el, styles)]
    emptied = 0
    for run in runs:
        content = [c for c in run if is_el(c, W, *_HIDDEN_CONTENT)]
        for child in content:
            run.remove(child)
        emptied += bool(content)
    return emptied
