"""``bundler redact``: one document (or each) redacted on its own, through the same gate."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from bundler.cli.progress import TerminalProgress
from bundler.cli.settings import default_cache_dir
from bundler.core.anonymise.terms import anonymise_text, targets_from_register
from bundler.core.build.context import BuildOptions
from bundler.core.build.single import SingleReport, default_redacted_name, document_tabs, redact_document
from bundler.core.errors import ProjectError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.naming import plural
from bundler.core.project import load_project

__all__ = ["add_parsers", "cmd_redact"]


def _print(report: SingleReport) -> None:
    made = ", ".join(p for p in (report.output, report.docx_output) if p)
    print(
        f"{report.tab} '{report.title}': {made} ({plural(len(report.schedule), 'redaction')}); "
        f"leak gate {report.leak_gate}"
    )


def _one(args: argparse.Namespace, key: str, pdf_out: Path | None, docx_out: Path | None) -> SingleReport:
    options = BuildOptions(cache_dir=args.cache_dir or default_cache_dir(), accept_changed=args.accept_changed)
    progress = TerminalProgress()
    try:
        bundle = load_project(args.project)
        return redact_document(
            args.project, bundle, key, options, pdf_out=pdf_out, docx_out=docx_out, progress=progress
        )
    finally:
        progress.close()


def _all(args: argparse.Namespace) -> list[SingleReport]:
    bundle = load_project(args.project)
    targets = targets_from_register(bundle.register)
    reports = []
    for tab, (_, doc) in document_tabs(bundle).items():
        word = doc.kind == "docx" and args.docx_too
        title = anonymise_text(doc.title, targets)  # a file name never shows a protected name
        pdf = args.out_dir / default_redacted_name(bundle, tab, title)
        docx = args.out_dir / default_redacted_name(bundle, tab, title, ".docx") if word else None
        reports.append(_one(args, doc.id, pdf, docx))
    return reports


def cmd_redact(args: argparse.Namespace) -> int:
    if args.all == (args.document is not None):
        raise ProjectError("Name one document (e.g. D1), or give --all with --out-dir.")
    if args.all and args.out_dir is None:
        raise ProjectError("With --all, say where the copies go: --out-dir FOLDER.")
    reports = _all(args) if args.all else [_one(args, args.document, args.output, args.docx)]
    for report in reports:
        _print(report)
    if args.json:
        data = [dataclasses.asdict(r) for r in reports]
        atomic_write_bytes(args.json, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser("redact", help="a redacted copy of one document on its own (PDF; DOCX for Word sources)")
    r.add_argument("project", type=Path)
    r.add_argument("document", nargs="?", help="tab (e.g. D1), id or title of the document")
    r.add_argument("-o", "--output", type=Path, help="the redacted PDF (default: '<tab> <title> - REDACTED.pdf')")
    r.add_argument("--docx", type=Path, help="also (or only) write the anonymised Word file, for a DOCX source")
    r.add_argument("--all", action="store_true", help="every document, one file each (needs --out-dir)")
    r.add_argument("--out-dir", type=Path, help="folder for --all")
    r.add_argument("--docx-too", action="store_true", help="with --all: Word sources also as anonymised DOCX")
    r.add_argument("--json", type=Path, help="write the report (files, schedule, leak gate) as JSON")
    r.add_argument("--cache-dir", type=Path)
    r.add_argument("--accept-changed", action="store_true", help="use sources that changed since added")
    r.set_defaults(func=cmd_redact)
