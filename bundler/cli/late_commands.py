"""CLI commands for after service: freeze, and proving served pages unchanged."""

from __future__ import annotations

import argparse
from pathlib import Path

from bundler.core.errors import BuildError
from bundler.core.late import freeze
from bundler.core.project import load_project, save_project
from bundler.core.served_check import same_pages
from bundler.core.sources import open_pdf

__all__ = ["add_parsers"]


def cmd_freeze(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    served = freeze(args.project, bundle, args.served)
    save_project(bundle, args.project)
    print(f"Frozen: '{args.served.name}', {served.pages} pages, {len(served.documents)} documents, "
          f"served {served.date}. Later additions will not renumber these pages.")
    return 0


def cmd_served_check(args: argparse.Namespace) -> int:
    count = len(open_pdf(args.served).pages)
    if not same_pages(args.served, args.pdf, count):
        raise BuildError(f"Pages 1-{count} of '{args.pdf.name}' are not the pages of '{args.served.name}'.")
    print(f"Pages 1-{count} of '{args.pdf.name}' are exactly the served pages.")
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
