"""``bundler split CASE DOC --at 4,8``: one document becomes several (pages 1-3, 4-7, 8-)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bundler.cli.project_commands import find_document
from bundler.core.errors import ProjectError
from bundler.core.pdf.probe import probe_file
from bundler.core.preflight.sources import tab_of
from bundler.core.project import load_project, save_project
from bundler.core.splitting import parse_split_points, split_document

__all__ = ["add_parsers", "cmd_split"]


def _page_count(base: Path, path: str, password: str | None) -> int:
    source = base / path
    pages = probe_file(source, password).pages
    if pages is None:
        raise ProjectError(
            f"'{source.name}' is a Word document: its pages are known only once converted. "
            "Split the PDF of it instead, or split it in the app after a build."
        )
    return pages


def cmd_split(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    doc = find_document(bundle, args.document)
    count = _page_count(args.project.parent, doc.path, doc.password)
    parts = split_document(
        bundle, doc.id, parse_split_points(args.at), count, titles=args.title or [], dates=args.date or []
    )
    save_project(bundle, args.project)
    for part in parts:
        print(f"{tab_of(bundle, part)} '{part.title}', {part.date or 'undated'}: pages {part.pages} of {part.path}")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("split", help="split a document into several at chosen pages (each with its own title and date)")
    p.add_argument("project", type=Path)
    p.add_argument("document", metavar="DOC", help="tab (C3), id, file name or title")
    p.add_argument("--at", required=True, help="pages where a new document starts, e.g. 4,8 (as the bundle has them)")
    p.add_argument(
        "--title", action="append", help="title of each part, in order (repeat; default: '<title> (part N)')"
    )
    p.add_argument("--date", action="append", help="date of each part, in order (repeat; '' for undated)")
    p.set_defaults(func=cmd_split)
