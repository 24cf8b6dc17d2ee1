"""The engines' versions key stored results: from the source files, or in a frozen app from
the executable that carries the compiled code (it has no .py files to read)."""

from __future__ import annotations

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
