"""A bundle reference found in a skeleton argument, and what checking it found."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["BROKEN", "Reference"]


BROKEN = ("missing-page", "wrong-section")


@dataclass
class Reference:
    text: str  # as written, e.g. "[B/45]"
    page_in_doc: int  # 1-based page of the skeleton (DOCX: as Word last laid it out)
    target_page: int  # bundle page cited (the first, for a range)
    section: str | None  # cited section letter, or None
    status: str  # ok | missing-page | wrong-section | other-bundle
    message: str
    end_page: int | None = None  # last page of a range ("pp.45-47")
    prefix: str | None = None  # the letters of "HB/123"
    paragraph: int | None = None  # DOCX: 1-based body paragraph
    offset: int | None = None  # PDF: pdfium index of the reference's first character on its page
    bundle_index: int | None = None  # 0-based page of the bundle file that shows ``target_page``

    @property
    def broken(self) -> bool:
        return self.status in BROKEN

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
