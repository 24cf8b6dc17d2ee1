"""List numbering for the built-in DOCX renderer: the numbering part and its counters.

Word numbers paragraphs from ``w:numPr`` (numId + level) through ``w:num`` to an
``w:abstractNum``. Lists that share an abstract definition continue one count unless
a ``w:num`` overrides the start, as Word's "restart numbering" does.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

from bundler.core.convert.docx.props import Element, StyleSheet, child

__all__ = ["Level", "Numbering", "format_number"]

_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip
# Symbol and Wingdings bullets live at private-use code points (U+F0xx).
_SYMBOL_BULLETS = {0xB7: "•", 0xA7: "▪", 0xD8: "➢", 0x76: "❖", 0xFC: "✓", 0x71: "❑", 0x6E: "■"}


@dataclass(frozen=True)
class Level:
    """One level of a list definition; ``text`` is the label pattern such as ``"%1."``."""

    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    ppr: Element | None = None
    rpr: Element | None = None
    legal: bool = False
    restart: int | None = None


def _roman(value: int) -> str:
    out = ""
    for number, letters in _ROMAN:
        count, value = divmod(value, number)
        out += letters * count
    return out


def format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerRoman", "upperRoman") and value > 0:
        text = _roman(value)
        return text.upper() if fmt == "upperRoman" else text
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        # Word repeats the letter after z: a … z, aa … zz, aaa …
        text = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    return "" if fmt == "none" else str(value)


def _bullet(text: str, rpr: Element | None) -> str:
    fonts = child(rpr, "rFonts")
    font = "" if fonts is None else (fonts.get(qn("w:ascii")) or "")
    symbolic = font.startswith(("Symbol", "Wingdings"))
    if not text or (not symbolic and not 0xF000 <= ord(text[0]) <= 0xF0FF):
        return text or "•"
    return _SYMBOL_BULLETS.get(ord(text[0]) & 0xFF, "•")


def _int(el: Element | None, default: int | None) -> int | None:
    try:
        return int(el.get(qn("w:val"))) if el is not None else default
    except (TypeError, ValueError):
        return default


def _level(el: Element) -> Level:
    fmt_el, text_el = child(el, "numFmt"), child(el, "lvlText")
    return Level(
        start=_int(child(el, "start"), 1) or 0,
        fmt="decimal" if fmt_el is None else fmt_el.get(qn("w:val"), "decimal"),
        text="" if text_el is None else text_el.get(qn("w:val"), ""),
        ppr=child(el, "pPr"),
        rpr=child(el, "rPr"),
        legal=child(el, "isLgl") is not None,
        restart=_int(child(el, "lvlRestart"), None),
    )


def _levels(parent: Element) -> dict[int, Level]:
    return {
        int(lvl.get(qn("w:ilvl"))): _level(lvl)
        for lvl in parent.iterfind(qn("w:lvl"))
        if (lvl.get(qn("w:ilvl")) or "").isdigit()
    }


class Numbering:
    """Definitions plus the running counters of one render."""

    def __init__(self, numbering: Element | None, sheet: StyleSheet) -> None:
        self._sheet = sheet
        self._abstract: dict[str, Element] = {}
        self._nums: dict[str, Element] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._seen: set[str] = set()
        self._parsed: dict[str, dict[int, Level]] = {}
        for el in [] if numbering is None else numbering:
            if el.tag == qn("w:abstractNum"):
                self._abstract[el.get(qn("w:abstractNumId"), "")] = el
            elif el.tag == qn("w:num"):
                self._nums[el.get(qn("w:numId"), "")] = el

    def _abstract_id(self, num_id: str, depth: int = 0) -> str | None:
        num = self._nums.get(num_id)
        ref = child(num, "abstractNumId")
        abstract_id = None if ref is None else ref.get(qn("w:val"))
        link = child(self._abstract.get(abstract_id or ""), "numStyleLink")
        if link is not None and depth < 2:
            # The list's levels live with the numbering style that it links to.
            chain = self._sheet.chain(link.get(qn("w:val")))
            numpr = child(child(chain[-1], "pPr"), "numPr") if chain else None
            linked = child(numpr, "numId")
            if linked is not None:
                return self._abstract_id(linked.get(qn("w:val"), ""), depth + 1)
        return abstract_id if abstract_id in self._abstract else None

    def level(self, num_id: str, ilvl: int) -> Level | None:
        abstract_id = self._abstract_id(num_id)
        if abstract_id is None:
            return None
        for override in self._nums[num_id].iterfind(qn("w:lvlOverride")):
            lvl = child(override, "lvl")
            if override.get(qn("w:ilvl")) == str(ilvl) and lvl is not None:
                return _level(lvl)
        if abstract_id not in self._parsed:
            self._parsed[abstract_id] = _levels(self._abstract[abstract_id])
        return self._parsed[abstract_id].get(ilvl)

    def _restart_overrides(self, num_id: str, counters: dict[int, int]) -> None:
        """On a list's first use, apply its ``startOverride``s (Word's "restart at")."""
        if num_id in self._seen:
            return
        self._seen.add(num_id)
        for override in self._nums[num_id].iterfind(qn("w:lvlOverride")):
            start = _int(child(override, "startOverride"), None)
            level = override.get(qn("w:ilvl"), "")
            if start is not None and level.isdigit():
                counters[int(level)] = start - 1

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, Level] | None:
        """Advance the counter of ``num_id``/``ilvl`` and return its label text and level."""
        level, abstract_id = self.level(num_id, ilvl), self._abstract_id(num_id)
        if level is None or abstract_id is None:
            return None
        counters = self._counters.setdefault(abstract_id, {})
        self._restart_overrides(num_id, counters)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            restart = self._restart_of(num_id, deeper)
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]
        return self._text(num_id, level, counters), level

    def _restart_of(self, num_id: str, ilvl: int) -> int | None:
        level = self.level(num_id, ilvl)
        return None if level is None else level.restart

    def _text(self, num_id: str, level: Level, counters: dict[int, int]) -> str:
        if level.fmt == "bullet":
            return _bullet(level.text, level.rpr)
        text = level.text
        for index in range(9):
            if f"%{index + 1}" in text:
                other = self.level(num_id, index) or Level()
                value = counters.get(index, other.start)
                fmt = "decimal" if level.legal else other.fmt  # "legal" style: 1.1.1
                text = text.replace(f"%{index + 1}", format_number(value, fmt))
        return text
