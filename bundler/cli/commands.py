"""The CLI's commands: each parses nothing, prints little, and calls the core."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from bundler.cli.case_commands import apply_case_arguments
from bundler.cli.passwords import with_passwords
from bundler.cli.progress import TerminalProgress
from bundler.cli.settings import default_cache_dir
from bundler.core.build.additions import build_additions
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.build.volumes import build_volumes
from bundler.core.errors import ExitCode, ProjectError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.model import CaseDetails
from bundler.core.pdf.passwords import KeyringStore, move_to_keyring
from bundler.core.project import load_project, save_project, schema_path
from bundler.core.report import BuildReport
from bundler.core.templates import list_templates, new_bundle

__all__ = ["cmd_new", "cmd_build", "cmd_check", "cmd_schema", "cmd_templates", "cmd_gui"]


def _write_json(path: Path, data: object) -> None:
    if str(path) == "-":  # standard output
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    atomic_write_bytes(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def _text_out(args: argparse.Namespace) -> TextIO:
    """Where the human-readable summary goes: standard error when the JSON takes standard output."""
    return sys.stderr if str(args.json) == "-" else sys.stdout


def cmd_new(args: argparse.Namespace) -> int:
    project: Path = args.project
    if project.exists() and not args.force:
        raise ProjectError(f"'{project}' already exists. Choose another name, or add --force to replace it.")
    case = CaseDetails(
        case_name=args.case_name,
        claim_no=args.claim_no,
        bundle_name=args.bundle_name or "",
        short_name=args.short_name or "",
    )
    if args.court:
        case.court = args.court.replace("\\n", "\n")
    if args.bundle_date is None:
        args.bundle_date = date.today().isoformat()  # stored: every rebuild prints the same date
    apply_case_arguments(case, args, project.parent)
    bundle = new_bundle(args.template, case)
    if args.prefix is not None:
        bundle.options.page_prefix = args.prefix
    save_project(bundle, project)
    print(f"Created {project} ({args.template}: {', '.join(s.letter for s in bundle.sections)})")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    bundle = load_project(args.project)
    cache_dir = args.cache_dir or default_cache_dir()
    if args.no_ocr:
        bundle.options.ocr = "off"
    if args.soffice:  # the converter chain reads it where it looks for LibreOffice
        os.environ["BUNDLER_SOFFICE"] = args.soffice
    options = BuildOptions(
        cache_dir=cache_dir,
        output=args.output,
        accept_changed=args.accept_changed,
        confidential=args.confidential,
        force=args.force,
    )

    def build() -> list[BuildReport]:
        progress = TerminalProgress()
        try:
            if args.max_pages or args.max_mb:
                return build_volumes(
                    args.project, bundle, options, max_pages=args.max_pages, max_mb=args.max_mb, progress=progress
                )
            if bundle.served is not None and not args.main:
                return [build_additions(args.project, bundle, options, args.additions, progress)]
            return [build_bundle(args.project, bundle, options, progress)]
        finally:
            progress.close()

    reports = with_passwords(bundle, args.project.parent, cache_dir, build)
    if args.accept_changed or bundle.served is not None:
        save_project(bundle, args.project)  # new hashes; the count of supplements
    for report in reports:
        print("\n".join(report.summary_lines()), file=_text_out(args))
    if args.json:
        data = [r.to_dict() for r in reports]
        _write_json(args.json, data[0] if len(data) == 1 else {"volumes": data})
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bundler.core.preflight.check import run_preflight
    from bundler.core.preflight.project import run_project_preflight

    if args.project is not None:
        bundle = load_project(args.project)
        result = run_project_preflight(args.pdf, args.project, bundle, password=args.password)
    else:
        result = run_preflight(args.pdf, password=args.password)
    print(result.format_text(), file=_text_out(args))
    if args.json:
        _write_json(args.json, result.to_dict())
    return ExitCode.CHECK_FAILED if result.has_failures else ExitCode.OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_path().read_text(encoding="utf-8"))
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from bundler.cli.gui_launch import launch  # Qt is loaded only for the GUI

    return launch([str(args.project)] if args.project else [])


def cmd_templates(args: argparse.Namespace) -> int:
    for template in list_templates():
        sections = ", ".join(f"{letter} {title}" for letter, title in template.sections)
        print(f"{template.name:<12} {template.title}: {sections}")
    return 0


def cmd_passwords(args: argparse.Namespace) -> int:
    """Say where each protected PDF's password is kept; move older files' passwords to the keyring."""
    bundle = load_project(args.project)
    in_file = [d for _, d in bundle.documents() if d.password_kept == "project"]
    if args.move_to_keyring and in_file:
        store = KeyringStore()
        why_not = store.available()
        if why_not is not None:
            raise ProjectError(f"{why_not} The passwords stay in the project file.")
        moved = move_to_keyring(bundle, store)
        save_project(bundle, args.project)
        print(f"Moved {moved} password{'' if moved == 1 else 's'} from the project file to this computer's keyring.")
        return 0
    for _, doc in bundle.documents():
        if doc.password_kept:
            where = "this computer's keyring" if doc.password_kept == "keyring" else "the project file (in clear)"
            print(f"{Path(doc.path).name}: password kept in {where}")
    if in_file:
        print("Passwords in the project file can be read by anyone with the file: '--move-to-keyring' moves them.")
    return 0
