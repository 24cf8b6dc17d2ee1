"""Exports for agreeing and filing a bundle: the index as DOCX, the page map, the N461.

Every export reads the built bundle PDF (its bookmarks and page labels) and the
project, so it describes the served file exactly. Public exports (the default)
carry pseudonyms only and are checked for protected originals before they are
written; every file is written atomically.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from bundler.core.build.gated import write_text
from bundler.core.exports.index_docx import export_index_docx
from bundler.core.exports.n461 import export_n461, find_claim_form
from bundler.core.exports.rows import ExportView, IndexRow, read_export_view
from bundler.core.model import Bundle

__all__ = [
    "IndexRow",
    "ExportView",
    "read_export_view",
    "export_index_docx",
    "export_pagemap_csv",
    "export_pagemap_json",
    "pagemap_dict",
    "export_n461",
    "find_claim_form",
]

_CSV_HEADINGS = ("Tab", "Title", "Date", "First page", "Last page", "First label", "Last label", "Pages", "Source")


def _csv_values(row: IndexRow) -> list[str]:
    pages = row.last_page - row.first_page + 1
    return [
        row.tab,
        row.title,
        row.date or "",
        str(row.first_page),
        str(row.last_page),
        row.first_label,
        row.last_label,
        str(pages),
        row.source,
    ]


def export_pagemap_csv(
    bundle_pdf: Path,
    project: Path,
    bundle: Bundle,
    dst: Path,
    *,
    confidential: bool = False,
    password: str | None = None,
) -> list[IndexRow]:
    """One line per document: where it is in the bundle and which source it came from."""
    view = read_export_view(bundle_pdf, project, bundle, confidential=confidential, password=password)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # Excel on Windows expects CRLF
    writer.writerow(_CSV_HEADINGS)
    writer.writerows(_csv_values(row) for row in view.documents)
    write_text(dst, buffer.getvalue(), view.targets, bom=True)  # the BOM tells Excel it is UTF-8
    return view.documents


def _json_row(row: IndexRow) -> dict[str, Any]:
    data: dict[str, Any] = {"tab": row.tab, "title": row.title}
    if row.kind == "document":
        data["date"] = row.date
    data.update(
        first_page=row.first_page,
        last_page=row.last_page,
        first_label=row.first_label,
        last_label=row.last_label,
        pages=row.last_page - row.first_page + 1,
    )
    if row.kind == "document":
        data["source"] = row.source or None  # None: withheld, it names a protected person
    return data


def pagemap_dict(view: ExportView) -> dict[str, Any]:
    """What the JSON page map holds (also handy for a GUI preview)."""
    case = view.case
    return {
        "case_name": case.case_name,
        "bundle_name": case.bundle_name,
        "claim_no": case.claim_no,
        "pages": view.pages,
        "public": view.public,
        "sections": [_json_row(r) for r in view.rows if r.kind == "section"],
        "documents": [_json_row(r) for r in view.documents],
    }


def export_pagemap_json(
    bundle_pdf: Path,
    project: Path,
    bundle: Bundle,
    dst: Path,
    *,
    confidential: bool = False,
    password: str | None = None,
) -> list[IndexRow]:
    """The page map as JSON: sections and documents with their page ranges and labels."""
    view = read_export_view(bundle_pdf, project, bundle, confidential=confidential, password=password)
    text = json.dumps(pagemap_dict(view), indent=2, ensure_ascii=False) + "\n"
    write_text(dst, text, view.targets)
    return view.documents
