"""The cover: court, claim number, the parties by role, the bundle's name and its date.

A JR cover lists the claimant(s), "– and –", the defendant(s), then any interested
parties, each name on the left and its role on the right. The date is the one the user
set (never the build date), so building twice prints the same cover. A project without
parties (an older one) shows its case name instead.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundler.core.build.lettering import BOLD, LEFT, PAGE_H, REGULAR, RIGHT, centred
from bundler.core.build.pagemap import PageMap
from bundler.core.model import PARTY_ROLES, CaseDetails

__all__ = ["draw_cover", "party_blocks", "cover_date"]

_NAME_X, _ROLE_GAP = LEFT, 18.0  # names wrap short of their role label
_PARTIES_FLOOR = 330.0  # the bundle's name and facts need the page below this
_MONTHS = "January February March April May June July August September October November December".split()


def cover_date(iso: str) -> str:
    """'2026-12-05' → '5 December 2026', as a court document writes it (in any locale)."""
    day = date.fromisoformat(iso)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def party_blocks(case: CaseDetails) -> list[tuple[list[str], str]]:
    """(names, role label) per role present, in the cover's order; several are numbered."""
    blocks = []
    for role, (one, many) in PARTY_ROLES.items():
        names = [p.name.strip() for p in case.parties_in_role(role) if p.name.strip()]
        if len(names) == 1:
            blocks.append((names, one))
        elif names:
            blocks.append(([f"({i}) {name}" for i, name in enumerate(names, 1)], many))
    return blocks


def _wrapped(names: list[str], label: str, size: float) -> list[str]:
    width = RIGHT - _NAME_X - stringWidth(label, REGULAR, 11) - _ROLE_GAP
    return [part for name in names for part in simpleSplit(name, BOLD, size, width)]


def _fitting_size(blocks: list[tuple[list[str], str]], top: float) -> float:
    """The largest name size (13 pt down to 8) at which every party fits above the floor."""
    size = 13.0
    while size > 8:
        lines = sum(len(_wrapped(names, label, size)) for names, label in blocks)
        if top - lines * size * 1.35 - (len(blocks) - 1) * 34 >= _PARTIES_FLOOR:
            break
        size -= 1
    return size


def _draw_parties(pdf: Canvas, blocks: list[tuple[list[str], str]], y: float) -> float:
    size = _fitting_size(blocks, y)
    for number, (names, label) in enumerate(blocks):
        if number:
            y = centred(pdf, ["– and –"], REGULAR, 11, y - 6) - 10
        lines = _wrapped(names, label, size)
        pdf.setFont(REGULAR, 11)
        pdf.drawRightString(RIGHT, y - (len(lines) - 1) // 2 * size * 1.35, label)
        pdf.setFont(BOLD, size)
        for line in lines:
            pdf.drawString(_NAME_X, y, line)
            y -= size * 1.35
    return y


def _facts(case: CaseDetails, page_map: PageMap) -> list[str]:
    index = page_map.of_kind("index")[0]
    dated = [f"Date: {cover_date(case.bundle_date)}"] if case.bundle_date else []
    return [
        *dated,
        f"Index at page {page_map.label(index.first)}",
        f"Pages {page_map.label(1)} to {page_map.label(page_map.total_pages)}",
    ]


def draw_cover(pdf: Canvas, case: CaseDetails, page_map: PageMap) -> None:
    court = [line.strip().upper() for line in case.court.splitlines() if line.strip()]
    y = centred(pdf, court, BOLD, 13, PAGE_H - 100)
    pdf.setFont(REGULAR, 11)
    pdf.drawRightString(RIGHT, y - 16, f"Claim No. {case.claim_no}")
    y = centred(pdf, ["BETWEEN"], BOLD, 11, y - 60)
    blocks = party_blocks(case)
    y = _draw_parties(pdf, blocks, y - 18) if blocks else centred(pdf, [case.case_name], BOLD, 18, y - 16)
    pdf.line(LEFT + 60, y - 6, RIGHT - 60, y - 6)
    title = page_map.numbering.cover_title or case.bundle_name
    y = centred(pdf, [title.upper()], BOLD, 22, y - 56)
    centred(pdf, _facts(case, page_map), REGULAR, 11, y - 30)
