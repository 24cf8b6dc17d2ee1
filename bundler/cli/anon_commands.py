"""CLI commands for anonymisation: register, detect, redact-box, leakcheck."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from bundler.cli.passwords import with_passwords
from bundler.cli.settings import default_cache_dir
from bundler.core.anonymise import register as reg
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.errors import LeakError, ProjectError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.model import Person, Term
from bundler.core.naming import plural
from bundler.core.project import load_project, save_project

__all__ = ["cmd_register", "cmd_detect", "cmd_redact_box", "cmd_leakcheck"]


def cmd_register(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    if args.action == "list":
        print("\n".join(reg.describe_register(bundle)))
        return 0
    entry: Person | Term | None
    if args.action == "add-person":
        variants, own = reg.split_variants(args.variant)
        entry = reg.add_person(
            bundle,
            args.text,
            args.pseudonym or "",
            variants=variants,
            action="redact" if args.redact else "replace",
            reason=args.reason,
            variant_replacements=own,
        )
    elif args.action == "add-term":
        entry = reg.add_term(
            bundle,
            args.text,
            action="replace" if args.replace_with else "redact",
            replacement=args.replace_with or "",
            category=args.category,
            reason=args.reason,
        )
    else:
        reg.remove_entry(bundle, args.text)
        entry = None
    save_project(bundle, args.project)
    print(f"Register updated{f' ({entry.id})' if entry else ''}.")
    return 0


def _pick(hits: list, keys: list[str]) -> list:  # type: ignore[type-arg]
    chosen = [h for h in hits if h.key in keys or any(h.key.startswith(k) for k in keys)]
    if len(chosen) < len(keys):
        raise ProjectError("Some hit keys were not found. Run 'bundler detect' again to list the current hits.")
    return chosen


def cmd_detect(args: argparse.Namespace) -> int:
    from bundler.core.anonymise.review import detect_bundle, hit_states, reject_hits  # the detector: only here

    bundle = load_project(args.project)
    cache_dir = args.cache_dir or default_cache_dir()
    hits = with_passwords(
        bundle,
        args.project.parent,
        cache_dir,
        lambda: detect_bundle(args.project, bundle, cache_dir, include_rejected=True),
    )
    rejected_before = set(bundle.register.rejected_hits)
    # A key named with --accept is the user's decision on that hit; --accept-all never overturns a rejection.
    accepted = _pick(hits, args.accept) + [
        h for h in hits if h.rule in args.accept_all and h.key not in rejected_before
    ]
    rejected = _pick(hits, args.reject) + [h for h in hits if h.rule in args.reject_all]
    for hit in accepted:
        if hit.key in bundle.register.rejected_hits:
            bundle.register.rejected_hits.remove(hit.key)
        print(f"accepted {hit.key[:10]}: {reg.accept_hit(bundle, hit)}")
    reject_hits(bundle, rejected, hits)  # takes back what accepting added once every place is rejected
    if accepted or rejected:
        save_project(bundle, args.project)
    for hit, state in zip(hits, hit_states(bundle.register, hits), strict=True):
        print(
            f"{hit.key[:10]}  {state:<21} {hit.document} p.{hit.page}  [{hit.rule}] {hit.suggestion}: …{hit.context}…"
        )
    print(f"{plural(len(hits), 'hit')}.")
    if args.json:
        data = [dataclasses.asdict(h) for h in hits]
        atomic_write_bytes(args.json, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
    return 0


def _rect(text: str) -> tuple[float, float, float, float]:
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("give the rectangle as x0,y0,x1,y1 in points") from None
    return (x0, y0, x1, y1)


def cmd_redact_box(args: argparse.Namespace) -> int:
    from bundler.core.anonymise.basis import public_rendering

    bundle = load_project(args.project)
    found = bundle.find_document(args.document)
    basis = None
    if found is not None and found[1].kind == "docx":
        # a Word document's points are those of the pages a public build files (names replaced)
        doc = found[1]
        cache = args.cache_dir or default_cache_dir()
        _, basis = public_rendering(
            bundle.register, bundle.options.converter, doc, args.project.parent / doc.path, cache
        )
    box = reg.add_box(bundle, args.document, args.page, args.rect, args.reason, basis=basis)
    save_project(bundle, args.project)
    where = (
        " of the public bundle's rendering (names replaced)" if basis and targets_from_register(bundle.register) else ""
    )
    print(f"Redaction box {box.id} added on page {box.page}{where}.")
    return 0


def cmd_leakcheck(args: argparse.Namespace) -> int:
    from bundler.core.anonymise.gate.gate import leak_scan

    bundle = load_project(args.project)
    targets = targets_from_register(bundle.register)
    if not targets:
        raise ProjectError("The project's register is empty: there is nothing to look for.")
    leaks = leak_scan(args.pdf, targets, file_name=args.pdf.name, password=args.password)
    if leaks:
        for leak in leaks:
            print(f"LEAK  {leak.place}: …{leak.text}…")
        raise LeakError(f"{plural(len(leaks), 'place')} in '{args.pdf.name}' show a protected original.")
    print(f"No protected original found in '{args.pdf.name}' ({plural(len(targets), 'form')} searched).")
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser("register", help="the anonymisation register: protected people and terms")
    r.add_argument("project", type=Path)
    r.add_argument("action", choices=["add-person", "add-term", "remove", "list"])
    r.add_argument("text", nargs="?", default="", help="the real name, the term, or the entry id to remove")
    r.add_argument("--pseudonym", help="pseudonym or cipher for a person, e.g. Aisha or AB")
    r.add_argument(
        "--variant",
        action="append",
        default=[],
        help='another form of the name (repeatable); "Mrs Khanum=Aisha" gives it its own replacement',
    )
    r.add_argument("--redact", action="store_true", help="redact instead of replacing")
    r.add_argument("--replace-with", help="replacement for a term (default: redact it)")
    r.add_argument("--category", default="identifier", help="place, address, identifier, ...")
    r.add_argument("--reason", default="", help="reason shown in the schedule of redactions")
    r.set_defaults(func=cmd_register)
    d = sub.add_parser("detect", help="find protected names and identifiers for review")
    d.add_argument("project", type=Path)
    d.add_argument("--json", type=Path, help="write the hits as JSON")
    d.add_argument("--accept", action="append", default=[], metavar="KEY", help="accept a hit (key prefix)")
    d.add_argument("--reject", action="append", default=[], metavar="KEY", help="reject a hit (key prefix)")
    d.add_argument("--accept-all", action="append", default=[], metavar="RULE", help="accept every hit of a rule")
    d.add_argument("--reject-all", action="append", default=[], metavar="RULE", help="reject every hit of a rule")
    d.add_argument("--cache-dir", type=Path)
    d.set_defaults(func=cmd_detect)
    b = sub.add_parser("redact-box", help="redact a rectangle on a page (signatures, photos, scans)")
    b.add_argument("project", type=Path)
    b.add_argument("document", help="document id, file name or title")
    b.add_argument("--page", type=int, required=True, help="1-based page of the document")
    b.add_argument("--rect", type=_rect, required=True, help="x0,y0,x1,y1 in points from the bottom-left")
    b.add_argument("--reason", default="", help="reason shown in the schedule of redactions")
    b.add_argument("--cache-dir", type=Path, help="where a Word document's conversion is cached")
    b.set_defaults(func=cmd_redact_box)
    k = sub.add_parser("leakcheck", help="search any PDF for the project's protected originals")
    k.add_argument("pdf", type=Path)
    k.add_argument("--project", type=Path, required=True)
    k.add_argument("--password")
    k.set_defaults(func=cmd_leakcheck)
