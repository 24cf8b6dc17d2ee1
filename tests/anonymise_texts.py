"""Texts for matcher tests: other tests' strings, the corpus, a name disguised in look-alike letters."""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from bundler.core.anonymise.detect import pdfium_texts

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real-pdfs"

# "Farida Khanum" as a red team disguised it: letters of other scripts that print as Latin ones.
DISGUISED = {
    "Cyrillic a": "F\u0430rid\u0430 Kh\u0430num",
    "Greek alpha": "F\u03b1rid\u03b1 Kh\u03b1num",
    "mixed scripts": "F\u0430r\u0456d\u03b1 \u041a\u04bb\u0430num",
    "Cyrillic capitals": "F\u0410RID\u0410 K\u041d\u0410NUM",
    "Greek capitals": "F\u0391RID\u0391 \u039a\u0397\u0391\u039dU\u039c",  # small eta is an n, small nu a v
    "Armenian h and u": "F\u0430rid\u0430 K\u0570an\u057dm",
    "Latin alpha and dotless i": "F\u0251r\u0131da Kh\u0251num",
    "small capitals": "\ua730\u1d00\u0280\u026a\u1d05\u1d00 \u1d0b\u029c\u1d00\u0274\u1d1c\u1d0d",
}
# The letters those use, read as a person reads them: written out here, not taken from the
# product's table, so what a reader extracts is checked by a fold the product does not share.
_LOOKS_LIKE = {
    "a": "\u0430\u0410\u03b1\u0391\u0251\u1d00",
    "d": "\u1d05",
    "f": "\ua730",
    "h": "\u041d\u04bb\u0397\u0570\u029c",
    "i": "\u0456\u0131\u026a",
    "k": "\u041a\u039a\u1d0b",
    "m": "\u039c\u1d0d",
    "n": "\u039d\u0274",
    "o": "\u039f\u03bf",
    "r": "\u0280",
    "u": "\u057d\u1d1c",
}
_AS_LATIN = str.maketrans({ch: latin for latin, chars in _LOOKS_LIKE.items() for ch in chars})


def as_read(text: str) -> str:
    """``text`` as a person reads it: accents and case ignored, ``DISGUISED``'s letters as Latin."""
    text = unicodedata.normalize("NFKD", text).translate(_AS_LATIN)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


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
