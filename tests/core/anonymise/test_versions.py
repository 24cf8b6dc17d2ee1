"""The engines' versions key stored results: from the source files, or in a frozen app from
the executable that carries the compiled code (it has no .py files to read)."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from bundler.core.anonymise import versions


def _fresh() -> None:
    versions.redactor_version.cache_clear()
    versions.gate_version.cache_clear()


def test_from_the_sources_the_two_engines_differ() -> None:
    _fresh()
    assert versions.redactor_version() != versions.gate_version()


def test_a_frozen_app_is_keyed_by_its_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    exe = tmp_path / "bundler.exe"
    exe.write_bytes(b"build one")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setattr(versions, "_HERE", tmp_path / "no-sources-here")
    try:
        _fresh()
        first = versions.redactor_version()
        exe.write_bytes(b"build two")
        _fresh()
        assert versions.redactor_version() != first
    finally:
        monkeypatch.undo()
        _fresh()


def test_code_version_follows_the_sources_or_the_frozen_executable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = tmp_path / "module.py"
    module.write_text("x = 1\n")
    first = versions.code_version(module)
    module.write_text("x = 2\n")
    assert versions.code_version(module) != first
    exe = tmp_path / "bundler.exe"
    exe.write_bytes(b"frozen build")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    missing = tmp_path / "not-shipped.py"  # a frozen app carries no source files
    assert versions.code_version(missing) == versions.code_version(module)


@pytest.mark.parametrize("engine", ["REDACTOR", "GATE"])
def test_each_version_hashes_the_modules_its_engine_imports_however_indirectly(engine: str) -> None:
    """A stored result keyed on a version that missed a module it ran would outlive a fix to
    it: the look-alike table is only reached through the matcher, the JPEG walker through
    the gate's reading and the sanitiser, the gate's finder through the sanitiser's image check."""
    hashed = {p.name for p in versions.source_files(getattr(versions, engine))}
    assert {"terms.py", "lookalikes.py", "jpeg.py", "detect.py", "images.py", "finder.py"} <= hashed
    assert engine != "GATE" or "joins.py" in hashed


def test_a_module_imported_by_the_redactor_changes_its_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Change a module only reached by import (a copy of the package, its look-alike table
    edited): the redactor's version changes."""
    copy = tmp_path / "anonymise"
    shutil.copytree(Path(versions.__file__).resolve().parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(versions, "_HERE", copy)
    _fresh()
    first = versions.redactor_version()
    (copy / "lookalikes.py").write_text((copy / "lookalikes.py").read_text() + "\n# changed\n")
    _fresh()
    assert versions.redactor_version() != first
    monkeypatch.undo()
    _fresh()


@pytest.mark.parametrize("name", versions._PDF_READING)
def test_how_pypdf_is_made_to_read_changes_every_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str
) -> None:
    """The gate and the redactor read through bundler/core/pdf's QuickReader, ASCII85 decoder,
    named encodings and in-memory file: a fix there must not leave a verdict made with the old
    reading standing."""
    copy = tmp_path / "pdf"
    shutil.copytree(versions._PDF, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(versions, "_PDF", copy)
    _fresh()
    versions.detector_version.cache_clear()
    before = (versions.gate_version(), versions.redactor_version(), versions.detector_version())
    (copy / name).write_text((copy / name).read_text() + "\n# changed\n")
    _fresh()
    versions.detector_version.cache_clear()
    after = (versions.gate_version(), versions.redactor_version(), versions.detector_version())
    assert all(b != a for b, a in zip(before, after, strict=True))
    monkeypatch.undo()
    _fresh()
    versions.detector_version.cache_clear()


def test_every_module_that_changes_how_pypdf_reads_is_in_every_version() -> None:
    """Each module bundler/core/pdf installs into pypdf at import (its ``install``) changes what
    the gate and the redactor read: it must be one whose change makes a new version."""
    init = (versions._PDF / "__init__.py").read_text(encoding="utf-8")
    installed = re.findall(r"^from bundler\.core\.pdf\.(\w+) import install\b", init, re.M)
    assert installed and {f"{name}.py" for name in installed} <= set(versions._PDF_READING)
