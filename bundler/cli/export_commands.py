"""``bundler export``: the index as DOCX, the page map as CSV/JSON, the N461 on its own."""

from __future__ import annotations

import argparse
from pathlib import Path

from bundler.core.errors import ProjectError
from bundler.core.exports.pagemap import export_index_docx, export_n461, export_pagemap_csv, export_pagemap_json
from bundler.core.project import load_project

__all__ = ["cmd_export", "add_parsers"]


def cmd_export(args: argparse.Namespace) -> int:
    wanted = [
        (args.index_docx, export_index_docx, "index"),
        (args.pagemap_csv, export_pagemap_csv, "page map"),
        (args.pagemap_json, export_pagemap_json, "page map"),
        (args.n461, export_n461, "claim form"),
    ]
    wanted = [w for w in wanted if w[0] is not None]
    if not wanted:
        raise ProjectError("Nothing to export: give --index-docx, --pagemap-csv, --pagemap-json or --n461.")
    bundle = load_project(args.project)
    for dst, export, what in wanted:
        export(args.bundle_pdf, args.project, bundle, dst, confidential=args.confidential, password=args.password)
        print(f"Exported the {what} to {dst}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    e = sub.add_parser("export", help="export a built bundle's index (DOCX), page map (CSV/JSON) or N461")
    e.add_argument("project", type=Path, help="the bundle's project file, CASE.bundle.json")
    e.add_argument("bundle_pdf", type=Path, help="the built bundle PDF the exports describe")
    e.add_argument("--index-docx", type=Path, metavar="OUT.docx", help="the index as a Word table")
    e.add_argument("--pagemap-csv", type=Path, metavar="OUT.csv", help="each document's pages, as CSV")
    e.add_argument("--pagemap-json", type=Path, metavar="OUT.json", help="sections and documents, as JSON")
    e.add_argument("--n461", type=Path, metavar="OUT.pdf", help="the N461 claim form's pages on their own")
    e.add_argument(
        "--confidential",
        action="store_true",
        help="the bundle is the unredacted one: keep real names (default: public, pseudonyms only)",
    )
    e.add_argument("--password", help="password, if the bundle PDF is encrypted")
    e.set_defaults(func=cmd_export)
