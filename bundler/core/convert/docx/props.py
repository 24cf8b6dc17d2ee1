"""Formatting resolution for the built-in DOCX renderer.

Word layers formatting: document defaults, then the table style, the paragraph style
chain (``basedOn``), numbering, character styles and finally direct formatting.
python-docx exposes only part of this, so we read the OOXML elements directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from docx.oxml.ns import qn

from bundler.core.convert.docx.fonts import RunProps

__all__ = [
    "Element",
    "ParaProps",
    "StyleSheet",
    "apply_ppr",
    "apply_rpr",
    "on_off",
    "twips",
    "child",
]

Element = Any  # an lxml element from python-docx; lxml ships no type stubs
_ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right"}
_MAX_CHAIN = 20  # guards against basedOn cycles in damaged files


@dataclass(frozen=True)
class ParaProps:
    """Resolved paragraph formatting (lengths in points)."""

    align: str = "left"
    before: float = 0.0
    after: float = 0.0
    line: float = 240.0
    line_rule: str = "auto"
    left: float = 0.0
    right: float = 0.0
    first: float = 0.0
    keep_next: bool = False
    break_before: bool = False
    contextual: bool = False
    num_id: str = ""
    ilvl: int = 0


def child(el: Element | None, tag: str) -> Element | None:
    return None if el is None else el.find(qn(f"w:{tag}"))


def on_off(el: Element | None, default: bool = False) -> bool:
    if el is None:
        return default
    return el.get(qn("w:val"), "true").lower() not in ("0", "false", "off", "none")


def _number(el: Element | None, attr: str) -> float | None:
    raw = None if el is None else el.get(qn(f"w:{attr}"))
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None  # "auto" and other non-numbers: keep the inherited value


def twips(el: Element | None, attr: str) -> float | None:
    value = _number(el, attr)
    return None if value is None else value / 20.0


def _font(rfonts: Element, theme: dict[str, str]) -> str | None:
    for attr in ("asciiTheme", "hAnsiTheme"):
        if theme_name := rfonts.get(qn(f"w:{attr}")):
            return theme.get("major" if theme_name.startswith("major") else "minor")
    name = rfonts.get(qn("w:ascii")) or rfonts.get(qn("w:hAnsi"))
    return str(name) if name else None


def apply_rpr(props: RunProps, rpr: Element | None, theme: dict[str, str]) -> RunProps:
    if rpr is None:
        return props
    changes: dict[str, Any] = {}
    for tag, name in (("b", "bold"), ("i", "italic"), ("caps", "caps"), ("smallCaps", "caps")):
        if (el := child(rpr, tag)) is not None:
            changes[name] = on_off(el)
    for tag in ("strike", "dstrike"):
        if (el := child(rpr, tag)) is not None:
            changes["strike"] = on_off(el)
    if (el := child(rpr, "vanish")) is not None:
        changes["hidden"] = on_off(el)
    if (el := child(rpr, "u")) is not None:
        changes["underline"] = el.get(qn("w:val"), "single") != "none"
    if (el := child(rpr, "vertAlign")) is not None:
        changes["vert"] = {"superscript": "superscript", "subscript": "subscript"}.get(el.get(qn("w:val"), ""), "")
    if (rise := _number(child(rpr, "position"), "val")) is not None:
        changes["rise"] = rise / 2.0
    if (size := _number(child(rpr, "sz"), "val")) is not None and size > 0:
        changes["size"] = size / 2.0
    if (el := child(rpr, "rFonts")) is not None and (font := _font(el, theme)):
        changes["font"] = font
    if (el := child(rpr, "color")) is not None:
        value = el.get(qn("w:val"), "auto")
        changes["color"] = value if len(value) == 6 and value != "auto" else ""
    return replace(props, **changes)


def _apply_ind(changes: dict[str, Any], ind: Element) -> None:
    for attrs, name in ((("left", "start"), "left"), (("right", "end"), "right")):
        for attr in attrs:
            if (value := twips(ind, attr)) is not None:
                changes[name] = value
    if (value := twips(ind, "firstLine")) is not None:
        changes["first"] = value
    if (value := twips(ind, "hanging")) is not None:
        changes["first"] = -value


def _apply_spacing(changes: dict[str, Any], spacing: Element) -> None:
    for attr in ("before", "after", "line"):
        if (value := _number(spacing, attr)) is not None:
            changes[attr] = value if attr == "line" else value / 20.0
    for attr in ("beforeAutospacing", "afterAutospacing"):
        if spacing.get(qn(f"w:{attr}")) in ("1", "true", "on"):
            changes[attr.replace("Autospacing", "")] = 14.0  # Word's "auto" HTML spacing
    if rule := spacing.get(qn("w:lineRule")):
        changes["line_rule"] = rule


def apply_ppr(props: ParaProps, ppr: Element | None) -> ParaProps:
    if ppr is None:
        return props
    changes: dict[str, Any] = {}
    if (el := child(ppr, "jc")) is not None:
        changes["align"] = _ALIGN.get(el.get(qn("w:val"), "left"), "justify")
    if (el := child(ppr, "spacing")) is not None:
        _apply_spacing(changes, el)
    if (el := child(ppr, "ind")) is not None:
        _apply_ind(changes, el)
    flags = (("keepNext", "keep_next"), ("pageBreakBefore", "break_before"))
    for tag, name in (*flags, ("contextualSpacing", "contextual")):
        if (el := child(ppr, tag)) is not None:
            changes[name] = on_off(el)
    if (numpr := child(ppr, "numPr")) is not None:
        if (el := child(numpr, "numId")) is not None:
            changes["num_id"] = el.get(qn("w:val"), "")
        if (level := _number(child(numpr, "ilvl"), "val")) is not None:
            changes["ilvl"] = int(level)
    return replace(props, **changes)


class StyleSheet:
    """The document's styles, resolved on demand and cached per render."""

    def __init__(self, styles: Element | None, theme: dict[str, str]) -> None:
        self.theme = theme
        self._by_id: dict[str, Element] = {}
        self._default: dict[str, str] = {}
        self._cache: dict[tuple[str, str], tuple[ParaProps, RunProps]] = {}
        defaults = child(styles, "docDefaults")
        run_default = child(child(defaults, "rPrDefault"), "rPr")
        para_default = child(child(defaults, "pPrDefault"), "pPr")
        self._base = (
            apply_ppr(ParaProps(), para_default),
            apply_rpr(RunProps(), run_default, theme),
        )
        for style in [] if styles is None else styles.iterfind(qn("w:style")):
            style_id = style.get(qn("w:styleId"), "")
            self._by_id[style_id] = style
            if style.get(qn("w:default")) in ("1", "true", "on"):
                self._default.setdefault(style.get(qn("w:type"), ""), style_id)

    def chain(self, style_id: str | None) -> list[Element]:
        """The style and its ``basedOn`` ancestors, base first."""
        out: list[Element] = []
        while style_id and style_id in self._by_id and len(out) < _MAX_CHAIN:
            style = self._by_id[style_id]
            if style in out:
                break
            out.insert(0, style)
            based = child(style, "basedOn")
            style_id = None if based is None else based.get(qn("w:val"))
        return out

    def _layer(self, props: tuple[ParaProps, RunProps], styles: list[Element]) -> tuple[ParaProps, RunProps]:
        para, run = props
        for style in styles:
            para = apply_ppr(para, child(style, "pPr"))
            run = apply_rpr(run, child(style, "rPr"), self.theme)
        return para, run

    def paragraph(self, style_id: str | None, table_style: str = "") -> tuple[ParaProps, RunProps]:
        style_id = style_id if style_id in self._by_id else self._default.get("paragraph", "")
        key = (style_id or "", table_style)
        if key not in self._cache:
            para_chain, table_chain = self.chain(style_id), self.chain(table_style)
            if style_id == self._default.get("paragraph"):
                # Word lets a table style override Normal, but not other paragraph styles.
                layers = para_chain + table_chain
            else:
                layers = table_chain + para_chain
            self._cache[key] = self._layer(self._base, layers)
        return self._cache[key]

    def run(self, base: RunProps, rpr: Element | None) -> RunProps:
        """Character style chain, then direct run formatting, over ``base``."""
        style = child(rpr, "rStyle")
        for layer in self.chain(None if style is None else style.get(qn("w:val"))):
            base = apply_rpr(base, child(layer, "rPr"), self.theme)
        return apply_rpr(base, rpr, self.theme)
