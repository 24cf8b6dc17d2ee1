"""CLI command 'xrefs': check a skeleton argument's bundle references, optionally link them."""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from bundler.core.errors import ExitCode, SourceError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.naming import plural

if TYPE_CHECKING:
    from bundler.core.xrefs.reference import Reference

__all__ = ["add_parsers", "cmd_xrefs"]

_STATUS = {"ok": "ok", "missing-page": "MISSING PAGE", "wrong-section": "WRONG SECTION", "other-bundle": "not checked"}


def _where(ref: Reference) -> str:
    return f"p.{ref.page_in_doc}" + (f" para {ref.paragraph}" if ref.paragraph else "")


def _summary(refs: list[Reference]) -> str:
    counts = Counter(ref.status for ref in refs)
    parts = [f"{n} {_STATUS[s].lower()}" for s, n in sorted(counts.items())]
    return f"{plural(len(refs), 'reference')}" + (f": {', '.join(parts)}." if parts else ".")


def _bundle_link_name(bundle: Path, linked: Path) -> str:
    """The bundle's path relative to the linked copy, so both can move together."""
    try:
        return Path(os.path.relpath(bundle.resolve(), linked.resolve().parent)).as_posix()
    except ValueError:  # another drive (Windows): only the name can be relative
        return bundle.name


def _write_json(path: Path, args: argparse.Namespace, refs: list[Reference]) -> None:
    data = {
        "skeleton": str(args.skeleton),
        "bundle": str(args.bundle),
        "broken": sum(ref.broken for ref in refs),
        "references": [ref.to_dict() for ref in refs],
    }
    atomic_write_bytes(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())


def cmd_xrefs(args: argparse.Namespace) -> int:
    from bundler.core.xrefs.check import find_references, link_references  # python-docx: only here

    if args.link and args.skeleton.suffix.lower() != ".pdf":
        raise SourceError(
            args.skeleton,
            "is not a PDF, so links cannot be added to it",
            "Save the skeleton as PDF and run this again with --link",
        )
    refs = find_references(args.skeleton, args.bundle, args.pattern or None, password=args.password)
    for ref in refs:
        print(f"{_where(ref):<14} {ref.text:<14} {_STATUS[ref.status]:<13} {ref.message}")
    print(_summary(refs))
    if args.json:
        _write_json(args.json, args, refs)
    if args.link:
        made = link_references(args.skeleton, _bundle_link_name(args.bundle, args.link), refs, args.link)
        print(f"{plural(made, 'reference')} linked into the bundle in {args.link}.")
    return ExitCode.CHECK_FAILED if any(ref.broken for ref in refs) else ExitCode.OK


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    x = sub.add_parser("xrefs", help="check a skeleton's bundle references ([B/45], HB/123, p.45)")
    x.add_argument("skeleton", type=Path, help="the skeleton argument or statement (.docx or .pdf)")
    x.add_argument("bundle", type=Path, help="the built bundle PDF")
    x.add_argument("--json", type=Path, help="also write the references as JSON")
    x.add_argument(
        "--link",
        type=Path,
        metavar="OUT.pdf",
        help="write a copy of a PDF skeleton whose valid references open the bundle",
    )
    x.add_argument(
        "--pattern",
        action="append",
        default=[],
        metavar="REGEX",
        help="reference pattern (repeatable; replaces the defaults): name the groups "
        "page, and optionally end, section, prefix; {prefix} is the bundle's page prefix",
    )
    x.add_argument("--password", help="password of the bundle, if it is encrypted")
    x.set_defaults(func=cmd_xrefs)
