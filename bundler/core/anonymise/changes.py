"""One redaction made in one source, before its bundle page is known (for the schedule)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Change"]


@dataclass(frozen=True)
class Change:
    """One redaction in one source, before we know its bundle page."""

    doc_id: str
    page: int | None  # 1-based source page; None for a DOCX change (located by ``where``)
    category: str
    action: str
    reason: str = ""
    where: str = ""
    cleanup: bool = False  # metadata clean-up (properties, comments, tracked changes), no page text
