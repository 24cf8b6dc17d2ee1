"""The version of each engine whose results are stored: a hash of its own source code.

A stored redaction (and, later, a stored gate verdict) is only as good as the code
that made it. Keying the store on a hash of that code means any change to the
redactor, the matcher or the gate — a fix, a new place searched — invalidates what
was stored, without anyone remembering to bump a number. The PDF libraries' versions
are part of it: a new pypdf may read a stream differently.
"""

from __future__ import annotations

import hashlib
import re
import sys
from functools import cache
from importlib.metadata import version
from pathlib import Path

__all__ = [
    "redactor_version",
    "gate_version",
    "docx_sweep_version",
    "detector_version",
    "code_version",
    "source_files",
    "REDACTOR",
    "GATE",
]

_HERE = Path(__file__).resolve().parent  # bundler/core/anonymise: the code hashed is our own
_MATCHING = ("terms.py", "lookalikes.py", "detect.py", "words.py", "patterns.py")  # what both engines search with
_LIBRARIES = ("pypdf", "pypdfium2", "reportlab")  # reportlab: the standard fonts' metrics (``glyphs.advance``)
_PACKAGE = "bundler.core.anonymise."
REDACTOR = ("pdf", "sanitise", *_MATCHING)  # what each engine is, with what it imports (``source_files``)
GATE = ("gate", *_MATCHING)
# Everything ``detect_text`` and the document reading behind it run: what a stored detection depends on.
_DETECTING = (
    "detected.py",
    "detect_pool.py",
    "page_hits.py",
    "people.py",
    "given_names.py",
    "shortforms.py",
    "addresses.py",
    "pattern_windows.py",  # where the identifier patterns look
    *_MATCHING,
    "forms.py",
)
# in bundler/core/pdf: how pypdf is made to read (the fallback, ASCII85, object headers, bytes in memory,
# named encodings, content streams, text by table and fonts kept per reading)
_PDF_READING = (
    "sources.py",
    "decrypting.py",
    "repair.py",
    "a85.py",
    "quickreader.py",
    "inmemory.py",
    "named_encodings.py",
    "quickcontent.py",
    "quicktext.py",
)
_PDF = _HERE.parent / "pdf"


def _frozen_hash() -> str:
    """A frozen app carries no .py files: its compiled code and libraries are inside the
    executable, which changes with any change to them, so the executable stands for them."""
    return hashlib.sha256(b"frozen\x00" + Path(sys.executable).read_bytes()).hexdigest()[:16]


def code_version(*modules: Path) -> str:
    """A hash of these modules' source files; in a frozen app, of the executable."""
    if getattr(sys, "frozen", False):
        return _frozen_hash()
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.read_bytes() + b"\x00")
    return digest.hexdigest()[:16]


# ``from bundler.core.anonymise.X import a, b`` (or a parenthesised list), at any indent
_IMPORT = re.compile(r"^[ \t]*from[ \t]+bundler\.core\.anonymise((?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)


@cache
def _imports(file: Path) -> frozenset[Path]:
    """The modules of bundler/core/anonymise that ``file`` imports (a text scan: parsing
    every module's syntax tree would cost a rebuild half a second)."""
    found = set()
    for m in _IMPORT.finditer(file.read_text(encoding="utf-8")):
        inner = m.group(1).split(".")[1:]
        names = [n.split()[0] for n in m.group(2).strip("()").replace("\n", " ").split(",") if n.strip()]
        for extra in ([], *([name] for name in names)):  # the module, or modules from a package
            for candidate in (
                _HERE.joinpath(*inner, *extra).with_suffix(".py"),
                _HERE.joinpath(*inner, *extra, "__init__.py"),
            ):
                if candidate.is_file():
                    found.add(candidate)
    return frozenset(found)


def source_files(parts: tuple[str, ...]) -> tuple[Path, ...]:
    """The files an engine runs: ``parts`` (folders and modules of bundler/core/anonymise)
    and every module of it they import, however indirectly — so a version cannot miss one."""
    return _closure(_HERE, parts)


@cache
def _closure(here: Path, parts: tuple[str, ...]) -> tuple[Path, ...]:
    roots: set[Path] = set()
    for part in parts:
        path = here / part
        roots |= set(path.rglob("*.py")) if path.is_dir() else {path}
    reached, todo = set(roots), list(roots)
    while todo:
        for module in _imports(todo.pop()) - reached:
            reached.add(module)
            todo.append(module)
    return tuple(sorted(reached))


def _source_hash(parts: tuple[str, ...]) -> str:
    if getattr(sys, "frozen", False):
        return _frozen_hash()
    digest = hashlib.sha256()
    for file in source_files(parts):
        digest.update(str(file.relative_to(_HERE)).encode() + b"\x00" + file.read_bytes() + b"\x00")
    for file in (_PDF / name for name in _PDF_READING):  # every engine here reads PDFs through them
        digest.update(file.name.encode() + b"\x00" + file.read_bytes() + b"\x00")
    for library in _LIBRARIES:
        digest.update(f"{library}={version(library)}\x00".encode())
    return digest.hexdigest()[:16]


@cache
def redactor_version() -> str:
    """Changes whenever the PDF redactor, the matcher or the PDF libraries change; and the
    gate's reading, which the sanitiser cleans images by (``sanitise.images``)."""
    return _source_hash(REDACTOR)


@cache
def gate_version() -> str:
    """Changes whenever the leak gate, the matcher or the PDF libraries change."""
    return _source_hash(GATE)


@cache
def docx_sweep_version() -> str:
    """Changes whenever the DOCX sweep (``docx/``), the matcher or the libraries it reads with change."""
    digest = hashlib.sha256(b"docx sweep\x00" + _source_hash(("docx", *_MATCHING)).encode())
    if not getattr(sys, "frozen", False):  # frozen: the executable's hash stands for its libraries
        for library in ("lxml", "Pillow"):
            digest.update(f"\x00{library}={version(library)}".encode())
    return digest.hexdigest()[:16]


@cache
def detector_version() -> str:
    """Changes whenever detection, the matcher, the PDF reading behind it or the PDF libraries change."""
    return hashlib.sha256(f"detector\x00{_source_hash(_DETECTING)}".encode()).hexdigest()[:16]
