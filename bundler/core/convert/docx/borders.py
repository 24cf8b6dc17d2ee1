"""Table borders and cell margins, from the table style chain and direct formatting."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from reportlab.lib import colors

from bundler.core.convert.docx.props import Element, StyleSheet, child, twips

__all__ = [
    "Border",
    "table_layers",
    "table_borders",
    "table_border_commands",
    "cell_border_commands",
    "cell_margins",
]

Border = tuple[float, Any]  # line width in points, reportlab colour
_SIDE = {"start": "left", "end": "right"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word's defaults when nothing sets tblCellMar: 0.08 in left and right, nothing above/below.
_DEFAULT_MARGINS = {"top": 0.0, "bottom": 0.0, "left": 5.4, "right": 5.4}


def table_layers(tbl_pr: Element | None, sheet: StyleSheet) -> list[Element]:
    """``w:tblPr`` of the table style chain, base first, then the table's own."""
    style = child(tbl_pr, "tblStyle")
    chain = sheet.chain(None if style is None else style.get(qn("w:val")))
    layers = [child(s, "tblPr") for s in chain] + [tbl_pr]
    return [layer for layer in layers if layer is not None]


def _side(el: Element) -> str:
    name = el.tag[len(_W) :] if isinstance(el.tag, str) and el.tag.startswith(_W) else ""
    return _SIDE.get(name, name)


def _border(el: Element) -> Border | None:
    if el.get(qn("w:val"), "nil") in ("nil", "none"):
        return None
    try:
        width = max(int(el.get(qn("w:sz"), "4")) / 8.0, 0.25)  # w:sz is in eighths of a point
    except ValueError:
        width = 0.5
    value = el.get(qn("w:color"), "auto")
    try:
        colour = colors.HexColor(f"#{value}") if len(value) == 6 else colors.black
    except ValueError:
        colour = colors.black
    return width, colour


def _borders(el: Element | None) -> dict[str, Border | None]:
    return {} if el is None else {_side(b): _border(b) for b in el if _side(b)}


def table_borders(layers: list[Element]) -> dict[str, Border | None]:
    found: dict[str, Border | None] = {}
    for layer in layers:
        found.update(_borders(child(layer, "tblBorders")))
    return found


def table_border_commands(borders: dict[str, Border | None], rows: int, cols: int) -> list[tuple[Any, ...]]:
    places = {
        "top": ("LINEABOVE", (0, 0), (-1, 0)),
        "bottom": ("LINEBELOW", (0, -1), (-1, -1)),
        "left": ("LINEBEFORE", (0, 0), (0, -1)),
        "right": ("LINEAFTER", (-1, 0), (-1, -1)),
        "insideH": ("LINEBELOW", (0, 0), (-1, rows - 2)),
        "insideV": ("LINEAFTER", (0, 0), (cols - 2, -1)),
    }
    commands = []
    for side, border in borders.items():
        inside_missing = (side == "insideH" and rows < 2) or (side == "insideV" and cols < 2)
        if border is not None and side in places and not inside_missing:
            op, start, stop = places[side]
            commands.append((op, start, stop, *border))
    return commands


def cell_border_commands(tc_pr: Element | None, start: tuple[int, int], stop: tuple[int, int]) -> list[tuple[Any, ...]]:
    """Lines a cell sets for itself (``w:tcBorders``), drawn over the table's own."""
    ops = {"top": "LINEABOVE", "bottom": "LINEBELOW", "left": "LINEBEFORE", "right": "LINEAFTER"}
    return [
        (ops[side], start, stop, *border)
        for side, border in _borders(child(tc_pr, "tcBorders")).items()
        if border is not None and side in ops
    ]


def cell_margins(layers: list[Element]) -> dict[str, float]:
    margins = dict(_DEFAULT_MARGINS)
    for layer in layers:
        cell_mar = child(layer, "tblCellMar")
        for el in [] if cell_mar is None else cell_mar:
            if _side(el) in margins and (value := twips(el, "w")) is not None:
                margins[_side(el)] = max(value, 0.0)
    return margins
