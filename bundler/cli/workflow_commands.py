"""CLI commands for court workflows: freeze and served-check (additions after service),
and the core bundle."""

from __future__ import annotations

import argparse
from pathlib import Path

from bundler.cli.settings import default_cache_dir
from bundler.core.build.additions import freeze
from bundler.core.build.core_extract import build_core_bundle
from bundler.core.build.served import same_pages
from bundler.core.errors import BuildError
from bundler.core.pdf.sources import open_pdf
from bundler.core.project import load_project, save_project

__all__ = ["add_parsers"]


def cmd_freeze(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    served = freeze(args.project, bundle, args.served)
    save_project(bundle, args.project)
    print(
        f"Frozen: '{args.served.name}', {served.pages} pages, {len(served.documents)} documents, "
        f"served {served.date}. Later additions will not renumber these pages."
    )
    return 0


def cmd_served_check(args: argparse.Namespace) -> int:
    count = len(open_pdf(args.served).pages)
    if not same_pages(args.served, args.pdf, count):
        raise BuildError(f"Pages 1-{count} of '{args.pdf.name}' are not the pages of '{args.served.name}'.")
    print(f"Pages 1-{count} of '{args.pdf.name}' are exactly the served pages.")
    return 0


def cmd_core_bundle(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    output = args.output or args.main_pdf.with_name(f"{args.main_pdf.stem} - Core Bundle.pdf")
    tabs = [t.strip() for t in (args.documents or "").split(",") if t.strip()]
    report = build_core_bundle(
        args.project,
        bundle,
        args.main_pdf,
        output,
        args.cache_dir or default_cache_dir(),
        tabs=tabs,
        pages=args.pages or "",
        prefix=args.prefix,
    )
    print("\n".join(report.summary_lines()))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    f = sub.add_parser("freeze", help="record the served bundle: later additions never renumber it")
    f.add_argument("project", type=Path)
    f.add_argument("served", type=Path, help="the bundle PDF as served")
    f.set_defaults(func=cmd_freeze)
    c = sub.add_parser("served-check", help="prove pages 1..N of a bundle are the served pages")
    c.add_argument("pdf", type=Path)
    c.add_argument("served", type=Path)
    c.set_defaults(func=cmd_served_check)
    k = sub.add_parser("core-bundle", help="a core bundle of chosen documents or pages of the main bundle")
    k.add_argument("project", type=Path)
    k.add_argument("main_pdf", type=Path, help="the main bundle, as built")
    k.add_argument("--documents", help="tabs from the main index, e.g. A1,C2")
    k.add_argument("--pages", help="main-bundle pages, e.g. 12-15,40")
    k.add_argument("--prefix", default="CB", help="prefix of the core bundle's numbers (default CB)")
    k.add_argument("-o", "--output", type=Path)
    k.add_argument("--cache-dir", type=Path)
    k.set_defaults(func=cmd_core_bundle)
