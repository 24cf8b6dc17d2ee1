"""The build report: what was built, from what, and what the user should look at."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from bundler.core.naming import plural

__all__ = ["DocumentReport", "BuildReport"]


@dataclass
class DocumentReport:
    tab: str
    title: str
    date: str | None
    source: str  # path as stored in the project
    first_page: int
    last_page: int
    converter: str  # source-pdf | libreoffice | builtin | image
    cached: bool = False
    first_label: str = ""  # what those pages show: differs from the PDF page in volumes 2+ and
    last_label: str = ""  # supplementary bundles (e.g. "HB612", "143.1")

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1


@dataclass
class BuildReport:
    output: str
    pages: int = 0
    documents: list[DocumentReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # repairs and fallbacks: worth knowing, not acting on
    shrunk_pages: list[int] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0
    public: bool = True
    leak_gate: str = "not run: the register is empty"
    unread_pages: int = 0  # pages without a text layer not OCR'd in a public build: never searched
    redactions: int = 0
    schedule: list[str] = field(default_factory=list)  # CSV and DOCX schedule of redactions

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for doc, raw in zip(self.documents, data["documents"], strict=True):
            raw["pages"] = doc.pages
        return data

    def summary_lines(self) -> list[str]:
        lines = [
            f"Built {self.output}",
            f"  {self.pages} pages, {len(self.documents)} documents, {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s",
        ]
        for doc in self.documents:
            how = f"{doc.converter}{', cached' if doc.cached else ''}"
            shown = f"{doc.first_label}-{doc.last_label}" if doc.first_label else f"{doc.first_page}-{doc.last_page}"
            lines.append(f"  {doc.tab:<5} {shown:>13} {doc.title} [{how}]")
        if self.public:
            lines.append(f"  leak gate: {self.leak_gate}")
            if self.schedule:
                lines.append(f"  {plural(self.redactions, 'redaction')}; schedule: {self.schedule[0]}")
        else:
            lines.append("  CONFIDENTIAL: unredacted; not for the public file")
        lines += [f"  warning: {w}" for w in self.warnings]
        lines += [f"  note: {n}" for n in self.notes]
        return lines
