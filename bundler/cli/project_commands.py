"""Managing a project from the command line: add, list, remove, move, set and check.

A document is named by its tab (``C3``: section C, third document), its id, its file
name or its title. Wildcards are expanded here, since Windows shells pass ``*.docx`` on
as it is; folders become the documents inside them, sorted by name.
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path
from typing import Any

from bundler.cli.passwords import keep_if_asked, password_for_add
from bundler.core.adding import add_document, expand_sources
from bundler.core.edits import find_section, move_document, remove_document, set_document_field
from bundler.core.errors import ExitCode, ProjectError
from bundler.core.fsutil import atomic_write_bytes, sha256_file
from bundler.core.model import Bundle, Document
from bundler.core.naming import guess_words
from bundler.core.preflight.sources import check_project, tab_of
from bundler.core.project import load_project, save_project

__all__ = ["add_parsers", "cmd_add", "cmd_check", "write_json", "expand_patterns", "find_document"]

_WILDCARDS = "*?["


def write_json(target: Path, data: object) -> None:
    """Write ``data`` as JSON to ``target``; ``-`` means standard output."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if str(target) == "-":
        sys.stdout.write(text)
    else:
        atomic_write_bytes(target, text.encode("utf-8"))


def expand_patterns(paths: list[Path]) -> list[Path]:
    """Wildcards matched (sorted by name), folders opened; a pattern matching nothing is an error."""
    found: list[Path] = []
    for path in paths:
        text = str(path)
        if not any(char in text for char in _WILDCARDS) or path.exists():
            found.append(path)
            continue
        matches = sorted(glob.glob(text), key=str.casefold)
        if not matches:
            raise ProjectError(f"No file matches '{text}'. Check the folder and the pattern, e.g. 'letters/*.pdf'.")
        found.extend(Path(m) for m in matches)
    return expand_sources(found)


def find_document(bundle: Bundle, key: str) -> Document:
    """By tab (``C3``), then id, file name or unique title."""
    for section in bundle.sections:
        number = key[len(section.letter) :]
        ours = key.upper().startswith(section.letter.upper()) and number.isdigit()
        if ours and 1 <= int(number) <= len(section.documents):
            return section.documents[int(number) - 1]
    found = bundle.find_document(key)
    if found is None:
        raise ProjectError(
            f"No single document matches '{key}'. Name it by tab (e.g. C3), id, file name or title; "
            "'bundler list' shows them."
        )
    return found[1]


def _warn_duplicates(bundle: Bundle, files: list[Path]) -> None:
    known = {doc.sha256: tab_of(bundle, doc) for _, doc in bundle.documents()}
    for path in files:
        try:
            digest = sha256_file(path)
        except OSError:
            continue  # add_document names the unreadable file
        if digest in known:
            print(f"Warning: '{path.name}' is already in the bundle as {known[digest]}; added again.", file=sys.stderr)
        known[digest] = "another file given now"


def cmd_add(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    files = expand_patterns(args.files)
    if not files:
        raise ProjectError("No documents were found to add (PDF, DOCX, JPEG, PNG or TIFF).")
    if len(files) > 1 and args.title:
        raise ProjectError("--title names one document: add the files one at a time to title each.")
    _warn_duplicates(bundle, files)
    notes: list[str] = []
    options = {"title": args.title, "date": args.date, "pages": args.pages or ""}
    added = [
        add_document(
            bundle,
            args.project.parent,
            f,
            args.section,
            rotation=args.rotate,
            notes=notes,
            password=password_for_add(f, args.password),
            **options,
        )
        for f in files
    ]
    kept = [keep_if_asked(doc, args.remember_password) for doc in added]
    save_project(bundle, args.project)  # only once every file was accepted
    for doc in added:
        guess = f" (guessed from {guess_words(doc.date_source)}: confirm it)" * doc.date_is_guess
        print(f"Added {tab_of(bundle, doc)} {doc.path}: '{doc.title}', {doc.date or 'undated'}{guess}")
    for note in notes:
        print(f"  note: {note}")
    for line in filter(None, kept):
        print(line)
    return 0


def _listing(bundle: Bundle) -> list[dict[str, Any]]:
    rows = []
    for section in bundle.sections:
        docs = [
            {"tab": tab_of(bundle, d), "id": d.id, "title": d.title, "date": d.date, "path": d.path}
            | {"date_source": d.date_source, "pages": d.pages, "rotation": d.rotation}
            for d in section.documents
        ]
        rows.append({"letter": section.letter, "title": section.title, "documents": docs})
    return rows


def cmd_list(args: argparse.Namespace) -> int:
    rows = _listing(load_project(args.project))
    if args.json:
        write_json(args.json, {"sections": rows})
        return 0
    for section in rows:
        print(f"{section['letter']}  {section['title']}" + ("" if section["documents"] else "  (empty)"))
        for d in section["documents"]:
            extra = f"  pages {d['pages']}" * bool(d["pages"]) + f"  turned {d['rotation']}°" * bool(d["rotation"])
            guess = "  (date guessed: confirm it)" * (d["date"] is not None and d["date_source"] != "typed")
            print(
                f"  {d['tab']:<5} {d['date'] or 'undated':<10}  {d['title']}  [{d['path']}, id {d['id']}]{extra}{guess}"
            )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    docs = [find_document(bundle, key) for key in args.documents]  # all found before any is removed
    labels = [f"{tab_of(bundle, d)} '{d.title}'" for d in docs]
    for doc in docs:
        remove_document(bundle, doc.id)
    save_project(bundle, args.project)
    print("Removed " + ", ".join(labels) + " (the source files are untouched)")
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    doc = find_document(bundle, args.document)
    before = tab_of(bundle, doc)
    position = None if args.position is None else max(0, args.position - 1)
    move_document(bundle, doc.id, args.to or find_section_of(bundle, doc), position)
    save_project(bundle, args.project)
    print(f"Moved '{doc.title}' from {before} to {tab_of(bundle, doc)}")
    return 0


def find_section_of(bundle: Bundle, doc: Document) -> str:
    return next(s.letter for s in bundle.sections if any(d is doc for d in s.documents))


def cmd_set(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    doc = find_document(bundle, args.document)
    changes = {name: getattr(args, name) for name in ("title", "date", "description", "pages", "rotation")}
    changes = {name: value for name, value in changes.items() if value is not None}
    if args.confirm_date and "date" not in changes:
        changes["date"] = doc.date or ""  # the guessed date, now the user's
    if not changes and args.section is None:
        raise ProjectError(
            "Say what to set: --title, --date, --confirm-date, --section, --pages, --rotation or --description."
        )
    if args.pages:
        _check_pages(args.project.parent, doc, args.pages)
    for name, value in changes.items():
        set_document_field(bundle, doc.id, name, value)
    if args.section is not None:
        move_document(bundle, doc.id, find_section(bundle, args.section).letter)
    save_project(bundle, args.project)
    done = ", ".join(sorted(changes) + (["section"] if args.section else []))
    print(f"{tab_of(bundle, doc)} '{doc.title}', {doc.date or 'undated'}: {done} set")
    return 0


def _check_pages(base: Path, doc: Document, pages: str) -> None:
    from bundler.core.pdf.probe import probe_file
    from bundler.core.pdf.sources import parse_page_selection

    source = base / doc.path
    count = probe_file(source, doc.password).pages if source.is_file() else None
    parse_page_selection(pages, count or 1_000_000, source.name)


def cmd_check(args: argparse.Namespace) -> int:
    """``check CASE.bundle.json`` checks the project; ``check OUT.pdf`` the built bundle."""
    if not str(args.pdf).endswith(".json"):
        from bundler.cli.commands import cmd_check as check_pdf

        return check_pdf(args)
    result = check_project(args.pdf, load_project(args.pdf))
    if args.json:
        write_json(args.json, result.to_dict())
    print(result.format_text(), file=sys.stderr if str(args.json) == "-" else sys.stdout)
    return ExitCode.CHECK_FAILED if result.has_failures else ExitCode.OK


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("list", help="list the sections and documents with their tabs (C3) and ids")
    p.add_argument("project", type=Path)
    p.add_argument("--json", type=Path, help="write the list as JSON ('-': standard output)")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("remove", help="take documents out of the bundle (the files stay where they are)")
    p.add_argument("project", type=Path)
    p.add_argument("documents", nargs="+", metavar="DOC", help="tab (C3), id, file name or title")
    p.set_defaults(func=cmd_remove)
    p = sub.add_parser("move", help="move a document to another place or section")
    p.add_argument("project", type=Path)
    p.add_argument("document", metavar="DOC", help="tab (C3), id, file name or title")
    p.add_argument("--to", metavar="SECTION", help="section letter or name (default: its own)")
    p.add_argument("--position", type=int, help="1 = first in the section (default: last)")
    p.set_defaults(func=cmd_move)
    p = sub.add_parser("set", help="change a document's title, date, section, pages or rotation")
    p.add_argument("project", type=Path)
    p.add_argument("document", metavar="DOC", help="tab (C3), id, file name or title")
    p.add_argument("--title")
    p.add_argument("--date", help="e.g. 2019-08-11, 11/08/2019 or '11 Aug 2019' (day first); '' for undated")
    p.add_argument("--confirm-date", action="store_true", help="keep the date the app guessed, as confirmed")
    p.add_argument("--section", help="move it to the end of this section (letter or name)")
    p.add_argument("--pages", help="page selection, e.g. 1-3,5; '' for all")
    p.add_argument("--rotation", help="clockwise turn of every page: 0, 90, 180 or 270")
    p.add_argument("--description")
    p.set_defaults(func=cmd_set)
