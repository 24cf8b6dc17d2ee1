"""The case details the cover prints, from the command line: ``new`` options and ``case``.

``bundler case CASE.bundle.json`` shows them; with options it changes them. Naming any
party replaces the parties (give them all: claimants, defendants, interested parties).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bundler.core.case_details import checked_bundle_date, checked_cover, describe_case, parties_from_names
from bundler.core.model import CaseDetails
from bundler.core.project import load_project, save_project

__all__ = ["add_case_arguments", "apply_case_arguments", "add_parsers", "cmd_case"]

_ROLES = (("claimant", "--claimant"), ("defendant", "--defendant"), ("interested_party", "--interested-party"))


def add_case_arguments(p: argparse.ArgumentParser, new: bool) -> None:
    """The cover's options; ``new`` gives the bundle today's date unless told otherwise."""
    for role, flag in _ROLES:
        p.add_argument(
            flag, action="append", dest=role, metavar="NAME", help=f"a {role.replace('_', ' ')} (repeat for several)"
        )
    today = " (default: today)" if new else ""
    p.add_argument(
        "--date", dest="bundle_date", help=f"the bundle date on the cover, e.g. '5 Dec 2026'; '' for none{today}"
    )
    p.add_argument("--cover-pdf", type=Path, help="a one-page PDF of your own to use as the cover ('' for ours)")


def apply_case_arguments(case: CaseDetails, args: argparse.Namespace, project_dir: Path) -> None:
    names = {role: getattr(args, role) for role, _ in _ROLES if getattr(args, role) is not None}
    if names:
        case.parties = parties_from_names(names)
    if args.bundle_date is not None:
        case.bundle_date = checked_bundle_date(args.bundle_date)
    if args.cover_pdf is not None:
        case.cover_pdf = checked_cover(args.cover_pdf, project_dir) if str(args.cover_pdf) not in ("", ".") else ""


def cmd_case(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    changing = any(
        getattr(args, n) is not None for n in ("claimant", "defendant", "interested_party", "bundle_date", "cover_pdf")
    )
    if changing:
        apply_case_arguments(bundle.case, args, args.project.parent)
        save_project(bundle, args.project)
    print("\n".join(describe_case(bundle.case)))
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("case", help="show or change the cover: parties, bundle date, your own cover PDF")
    p.add_argument("project", type=Path)
    add_case_arguments(p, new=False)
    p.set_defaults(func=cmd_case)
