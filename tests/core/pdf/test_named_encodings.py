"""pypdf's named encodings, kept per name, are pypdf's own: the same table, a fresh copy each time."""

from __future__ import annotations

from pathlib import Path

import pypdf._codecs
import pypdf._text_extraction._text_extractor as extractor
import pypdf.generic._font as font
import pytest
from pypdf import PdfReader

import bundler.core.pdf  # noqa: F401 - installs the kept tables
from bundler.core.pdf import named_encodings
from tests.pdfs import CORPUS, make_pdf

_NAMES = ("cp1252", "mac_roman", "latin-1", "ascii", "utf-16-be", "symbol", "no-such-codec", "")


def test_the_kept_table_is_pypdfs_for_every_name() -> None:
    for name in _NAMES:
        try:
            expected = pypdf._codecs.encoding_dict_from_named_encoding(name)
        except LookupError:
            expected = None
        try:
            got = named_encodings.encoding_dict_from_named_encoding(name)
        except LookupError:
            got = None
        assert got == expected, name


def test_each_caller_gets_its_own_copy() -> None:
    first = named_encodings.encoding_dict_from_named_encoding("cp1252")
    first[65] = "changed by a font's /Differences"
    del first[66]
    pypdfs = pypdf._codecs.encoding_dict_from_named_encoding
    assert named_encodings.encoding_dict_from_named_encoding("cp1252") == pypdfs("cp1252")


def test_pypdf_reads_through_it_and_extracts_the_same_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert extractor.encoding_dict_from_named_encoding is named_encodings.encoding_dict_from_named_encoding
    assert font.encoding_dict_from_named_encoding is named_encodings.encoding_dict_from_named_encoding
    paths = [*sorted((CORPUS / "real-pdfs").glob("*.pdf")), make_pdf(tmp_path / "plain.pdf", pages=3)]
    kept = [_texts(path) for path in paths]
    for module in (extractor, font):  # pypdf's own function back in place
        monkeypatch.setattr(
            module, "encoding_dict_from_named_encoding", pypdf._codecs.encoding_dict_from_named_encoding
        )
    assert [_texts(path) for path in paths] == kept


def _texts(path: Path) -> list[str]:
    try:
        reader = PdfReader(path)
        return [page.extract_text() for page in reader.pages]
    except Exception as exc:  # noqa: BLE001 - a file pypdf cannot read fails the same way both times
        return [type(exc).__name__]
