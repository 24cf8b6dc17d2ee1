"""Word tables as platypus tables: grid widths, merged cells, shading, grid lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn
from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from bundler.core.convert.docx.borders import (
    cell_border_commands,
    cell_margins,
    table_border_commands,
    table_borders,
    table_layers,
)
from bundler.core.convert.docx.context import RenderContext
from bundler.core.convert.docx.props import Element, child, twips

__all__ = ["table_flowables"]

CellRenderer = Callable[[Element, RenderContext, float, str], list[Any]]
_WRAPPERS = (qn("w:sdt"), qn("w:customXml"), qn("w:sdtContent"))


@dataclass
class _Grid:
    """The table being assembled: cell contents and style commands."""

    widths: list[float]
    margins: dict[str, float]
    rows: list[list[Any]] = field(default_factory=list)
    commands: list[tuple[Any, ...]] = field(default_factory=list)
    spans: list[list[int]] = field(default_factory=list)
    open_merges: dict[int, list[int]] = field(default_factory=dict)


def _children(el: Element, tag: str) -> list[Element]:
    """Rows or cells of ``el``, looking through content controls that wrap them."""
    out: list[Element] = []
    for sub in el:
        if sub.tag == qn(tag):
            out.append(sub)
        elif sub.tag in _WRAPPERS:
            out.extend(_children(sub, tag))
    return out


def _int_val(el: Element | None, default: int) -> int:
    try:
        return max(int(el.get(qn("w:val"))), 0) if el is not None else default
    except (TypeError, ValueError):
        return default


def _widths(tbl: Element, rows: list[Element], width: float) -> list[float]:
    columns = child(tbl, "tblGrid")
    grid = [twips(col, "w") or 0.0 for col in ([] if columns is None else columns.iterfind(qn("w:gridCol")))]
    needed = max((_row_span(tr) for tr in rows), default=1)
    grid += [0.0] * (needed - len(grid))
    known = [w for w in grid if w > 0]
    fill = (width - sum(known)) / max(len(grid) - len(known), 1) if len(known) < len(grid) else 0.0
    grid = [w if w > 0 else max(fill, 36.0) for w in grid]
    scale = min(1.0, width / sum(grid)) if sum(grid) > 0 else 1.0
    return [w * scale for w in grid]


def _row_span(tr: Element) -> int:
    trpr = child(tr, "trPr")
    total = _int_val(child(trpr, "gridBefore"), 0)
    for tc in _children(tr, "w:tc"):
        total += _int_val(child(child(tc, "tcPr"), "gridSpan"), 1) or 1
    return total


def _shade(grid: _Grid, tcpr: Element | None, col: int, row: int, span: int) -> None:
    shd = child(tcpr, "shd")
    fill = "" if shd is None else shd.get(qn("w:fill"), "")
    if len(fill) == 6 and fill.lower() != "auto":
        try:
            colour = colors.HexColor(f"#{fill}")
        except ValueError:
            return
        grid.commands.append(("BACKGROUND", (col, row), (col + span - 1, row), colour))


def _add_row(grid: _Grid, tr: Element, ctx: RenderContext, style: str, render: CellRenderer) -> None:
    row_index = len(grid.rows)
    cells: list[Any] = [""] * len(grid.widths)
    col = _int_val(child(child(tr, "trPr"), "gridBefore"), 0)
    for tc in _children(tr, "w:tc"):
        if col >= len(cells):
            break
        tcpr = child(tc, "tcPr")
        span = min(_int_val(child(tcpr, "gridSpan"), 1) or 1, len(cells) - col)
        merge = child(tcpr, "vMerge")
        if merge is not None and merge.get(qn("w:val"), "continue") == "continue" and col in grid.open_merges:
            grid.open_merges[col][3] = row_index  # extend the merged cell above downwards
        else:
            width = sum(grid.widths[col : col + span]) - grid.margins["left"] - grid.margins["right"]
            cells[col] = render(tc, ctx, max(width, 6.0), style)
            grid.open_merges.pop(col, None)
            if merge is not None or span > 1:
                grid.spans.append([col, row_index, col + span - 1, row_index])
            if merge is not None:
                grid.open_merges[col] = grid.spans[-1]
            _shade(grid, tcpr, col, row_index, span)
            grid.commands += cell_border_commands(tcpr, (col, row_index), (col + span - 1, row_index))
        col += span
    grid.rows.append(cells)


def _style(grid: _Grid, layers: list[Element]) -> TableStyle:
    pads = grid.margins
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pads["left"]),
        ("RIGHTPADDING", (0, 0), (-1, -1), pads["right"]),
        ("TOPPADDING", (0, 0), (-1, -1), pads["top"] + 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pads["bottom"] + 1),
        *table_border_commands(table_borders(layers), len(grid.rows), len(grid.widths)),
        *grid.commands,
    ]
    for c0, r0, c1, r1 in grid.spans:
        if (c0, r0) != (c1, r1):
            commands.append(("SPAN", (c0, r0), (c1, r1)))
    return TableStyle(commands)


def _header_rows(rows: list[Element]) -> int:
    count = 0
    while count < len(rows) and child(child(rows[count], "trPr"), "tblHeader") is not None:
        count += 1
    return count


def table_flowables(tbl: Element, ctx: RenderContext, width: float, render: CellRenderer) -> list[Flowable]:
    """A Word table; in safe mode its cells simply follow one another as paragraphs."""
    rows = [tr for tr in _children(tbl, "w:tr") if child(child(tr, "trPr"), "del") is None]
    tbl_pr = child(tbl, "tblPr")
    style_el = child(tbl_pr, "tblStyle")
    style = "" if style_el is None else style_el.get(qn("w:val"), "")
    if ctx.safe:
        return [f for tr in rows for tc in _children(tr, "w:tc") for f in render(tc, ctx, width, style)]
    if not rows:
        return []
    layers = table_layers(tbl_pr, ctx.sheet)
    grid = _Grid(_widths(tbl, rows, width), cell_margins(layers))
    for tr in rows:
        _add_row(grid, tr, ctx, style, render)
    jc = child(tbl_pr, "jc")
    align = {"center": "CENTER", "right": "RIGHT", "end": "RIGHT"}.get(
        "" if jc is None else jc.get(qn("w:val"), ""), "LEFT"
    )
    table = Table(grid.rows, colWidths=grid.widths, repeatRows=_header_rows(rows), splitInRow=1, hAlign=align)
    table.setStyle(_style(grid, layers))
    return [table]
