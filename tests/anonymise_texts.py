"""Texts for tests that compare a quick matcher with the plain way: other tests' strings, the corpus."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from bundler.core.anonymise.detect import pdfium_texts

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real-pdfs"


def strings_of_tests(folder: Path, pattern: str) -> Iterator[str]:
    """Every string constant longer than 4 of the test files ``pattern`` matches in ``folder``."""
    for path in sorted(folder.glob(pattern)):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 4:
                yield node.value


def corpus_texts() -> list[str]:
    """PDFium's text of every page of the shared corpus (the test is skipped without it)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is missing: {CORPUS}")
    texts = []
    for pdf in sorted(CORPUS.glob("*.pdf")):
        try:
            texts += pdfium_texts(pdf, None)
        except Exception:  # noqa: BLE001 - the encrypted sample needs its password: not a matter here
            continue
    return texts
