"""bundler's core: everything the app and the command line do, headless and without Qt.

The public API is the short list below; each name is imported on first use, so
``import bundler.core.model`` stays light (no PDF engine is loaded for it).
Everything else is internal and may move.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Bundle",
    "CaseDetails",
    "Document",
    "Section",
    "Register",
    "Person",
    "Term",
    "BundlerError",
    "ExitCode",
    "load_project",
    "save_project",
    "new_bundle",
    "add_document",
    "add_person",
    "detect_bundle",
    "BuildOptions",
    "build_bundle",
    "run_preflight",
]

_HOMES = {
    "bundler.core.model": ("Bundle", "CaseDetails", "Document", "Section", "Register", "Person", "Term"),
    "bundler.core.errors": ("BundlerError", "ExitCode"),
    "bundler.core.project": ("load_project", "save_project"),
    "bundler.core.templates": ("new_bundle",),
    "bundler.core.adding": ("add_document",),
    "bundler.core.anonymise.register": ("add_person",),
    "bundler.core.anonymise.review": ("detect_bundle",),
    "bundler.core.build.context": ("BuildOptions",),
    "bundler.core.build.pipeline": ("build_bundle",),
    "bundler.core.preflight.check": ("run_preflight",),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _HOME_OF:
        raise AttributeError(f"module 'bundler.core' has no attribute '{name}'")
    return getattr(importlib.import_module(_HOME_OF[name]), name)
