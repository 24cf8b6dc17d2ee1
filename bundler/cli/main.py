"""``bundler`` command line. The ONLY place errors become exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from bundler import __version__
from bundler.cli import (
    anon_commands,
    cache_commands,
    case_commands,
    commands,
    export_commands,
    project_commands,
    redact_commands,
    split_commands,
    workflow_commands,
    xref_commands,
)
from bundler.cli.progress import cancel_on_interrupt
from bundler.cli.settings import default_cache_dir
from bundler.core.children import collect_for_one_job
from bundler.core.errors import BundlerError, ExitCode

__all__ = ["main", "run", "build_parser"]


def _rotation(text: str) -> int:
    value = int(text)
    if value % 90:
        raise argparse.ArgumentTypeError("rotation must be 0, 90, 180 or 270")
    return value % 360


def _add_new(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("new", help="start a bundle project from a template")
    p.add_argument("project", type=Path, help="the project file to create, e.g. CASE.bundle.json")
    p.add_argument("--template", default="jr-claim", help="jr-claim, jr-hearing or authorities")
    p.add_argument("--case-name", required=True, help='e.g. "AB v Chief Constable of Wessex Police"')
    p.add_argument("--claim-no", required=True, help="e.g. AC-2019-LON-002345")
    p.add_argument("--court", help="court heading for the cover (use \\n between lines)")
    p.add_argument("--bundle-name", help="default: the template's, e.g. 'Claim Bundle'")
    p.add_argument("--short-name", help="short case name for the file name, e.g. 'AB v CC Wessex'")
    p.add_argument("--prefix", help="page-number prefix, e.g. HB (default: the template's)")
    p.add_argument("--force", action="store_true", help="replace an existing project file")
    case_commands.add_case_arguments(p, new=True)
    p.set_defaults(func=commands.cmd_new)


def _add_add(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("add", help="add documents (PDF, DOCX, JPEG, PNG, TIFF) to a section")
    p.add_argument("project", type=Path)
    p.add_argument("files", type=Path, nargs="+", help="files, folders (their documents, by name) or patterns (*.pdf)")
    p.add_argument("--section", required=True, help="section letter or name, e.g. C")
    p.add_argument("--title", help="default: from the file name, then its metadata")
    p.add_argument("--date", help="2019-08-11, 11/08/2019 or '11 Aug 2019' (day first); default: from the file name")
    p.add_argument(
        "--password", help="password of a protected PDF (asked for when needed; never written to the project file)"
    )
    p.add_argument("--remember-password", action="store_true", help="keep the password in this computer's keyring")
    p.add_argument("--pages", help="page selection, e.g. 1-3,5 (default: all)")
    p.add_argument("--rotate", type=_rotation, default=0, help="extra clockwise rotation: 90, 180, 270")
    p.set_defaults(func=project_commands.cmd_add)
    w = sub.add_parser("passwords", help="where protected PDFs' passwords are kept; move old ones to the keyring")
    w.add_argument("project", type=Path)
    w.add_argument("--move-to-keyring", action="store_true", help="move passwords out of the project file")
    w.set_defaults(func=commands.cmd_passwords)


def _add_build_and_check(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help="build the bundle PDF")
    p.add_argument("project", type=Path)
    p.add_argument("-o", "--output", type=Path, help="default: '<case> - <bundle> - <claim no>.pdf'")
    p.add_argument("--json", type=Path, help="also write the build report as JSON ('-': standard output)")
    p.add_argument("--cache-dir", type=Path, help=f"converted-document cache (default {default_cache_dir()})")
    p.add_argument("--accept-changed", action="store_true", help="use sources that changed since added")
    p.add_argument("--force", action="store_true", help="let --confidential replace a file that is not confidential")
    p.add_argument(
        "--confidential",
        action="store_true",
        help="build the UNREDACTED confidential bundle (default: the anonymised public one)",
    )
    p.add_argument(
        "--additions",
        choices=["supplementary", "append"],
        help="after 'freeze': a supplementary bundle (143.1 ...) or pages appended (default: project's)",
    )
    p.add_argument("--main", action="store_true", help="after 'freeze': rebuild the whole main bundle anyway")
    p.add_argument("--soffice", help="LibreOffice's soffice (or its folder), when it is not found by itself")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR scanned pages (default: when Tesseract is found)")
    p.add_argument("--max-pages", type=int, help="split into volumes of at most this many pages")
    p.add_argument("--max-mb", type=float, help="split into volumes of at most this many MB (CE-File: 50)")
    p.set_defaults(func=commands.cmd_build)
    c = sub.add_parser("check", help="preflight a project before building, or any PDF against the e-bundle rules")
    c.add_argument("pdf", type=Path, metavar="FILE", help="CASE.bundle.json (sources, sections, dates) or a PDF")
    c.add_argument("--json", type=Path, help="also write the findings as JSON ('-': standard output)")
    c.add_argument("--password", help="password, if the PDF is encrypted")
    c.add_argument(
        "--project", type=Path, help="the bundle's project: also check duplicates, date order, lengths and placement"
    )
    c.set_defaults(func=project_commands.cmd_check)


EXIT_CODES = """exit codes:
  0 ok    2 check found a failure    3 project file problem    4 unusable source
  5 password needed or wrong    6 conversion failed    7 build failed
  8 leak gate stopped the build    70 internal error (see crash.log)    130 interrupted"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bundler",
        description="Build court-ready JR bundles.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bundler {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_new(sub)
    _add_add(sub)
    _add_build_and_check(sub)
    anon_commands.add_parsers(sub)
    redact_commands.add_parsers(sub)
    xref_commands.add_parsers(sub)
    export_commands.add_parsers(sub)
    workflow_commands.add_parsers(sub)
    project_commands.add_parsers(sub)
    case_commands.add_parsers(sub)
    split_commands.add_parsers(sub)
    cache_commands.add_parsers(sub)
    sub.add_parser("schema", help="print the project file's JSON Schema").set_defaults(func=commands.cmd_schema)
    g = sub.add_parser("gui", help="open the desktop application")
    g.add_argument("project", type=Path, nargs="?", help="a project to open")
    g.set_defaults(func=commands.cmd_gui)
    sub.add_parser("templates", help="list bundle templates").set_defaults(func=commands.cmd_templates)
    return parser


def _internal_error(exc: BaseException, cache_dir: Path | None) -> int:
    log = (cache_dir or default_cache_dir()) / "crash.log"  # the folder the user chose
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
        where = f" Details are in {log}; please send them to support."
    except OSError:
        where = ""
    print(f"bundler: internal error ({exc.__class__.__name__}: {exc}). Nothing was changed.{where}", file=sys.stderr)
    return ExitCode.INTERNAL


def _library_noise_to_log() -> None:
    """pypdf, pikepdf and the rest warn through ``logging`` and ``warnings``: into the log
    file, never onto the terminal, where the one-line message is all a user should see."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if any(getattr(h, "_bundler", False) for h in root.handlers):
        return
    try:
        log = default_cache_dir() / "bundler.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log, encoding="utf-8", delay=True)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    handler._bundler = True  # type: ignore[attr-defined]
    root.addHandler(handler)


def run() -> int:
    """The ``bundler`` command: ``main``, in a process that does this one job and exits
    (not done by ``main`` itself, which tests call many times in one process)."""
    collect_for_one_job()
    return main()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _library_noise_to_log()
    cancel_on_interrupt()
    try:
        return int(args.func(args))
    except BundlerError as exc:
        print(f"bundler: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. piped into 'head': the work itself is done
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep Python's exit flush quiet
        return ExitCode.OK
    except KeyboardInterrupt:
        print("bundler: interrupted; nothing was changed.", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # the last line of defence: never a traceback for the user
        return _internal_error(exc, getattr(args, "cache_dir", None))
