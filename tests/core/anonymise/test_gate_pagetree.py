"""The gate's own listing of pages (``gate.pagetree``): the same pages, in the same order, with
the same inherited entries as pypdf's listing; pages a verdict proved are not read; any
unusual tree is left to pypdf; and PDFium counting otherwise is a finding."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from bundler.core.anonymise.gate.found import Unreadable
from bundler.core.anonymise.gate.pagetree import _walk, page_tree
from bundler.core.anonymise.gate.places import pdfium_pages
from tests.pdfs import CORPUS, make_pdf, raw_pdf

PAGE = b"<< /Type /Page /Parent %d 0 R /Contents 9 0 R >>"


def _nested(**changes: bytes) -> dict[int, bytes]:
    """Pages 3, 5, 6: page 3 under the root, 5 and 6 under node 4, which turns its pages."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 /MediaBox [0 0 200 300] >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 9 0 R /Rotate 0 >>",
        4: b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 6 0 R] /Count 2 /Rotate 90 >>",
        5: PAGE % 4,
        6: PAGE % 4,
        9: b"<< /Length 0 >>\nstream\n\nendstream",
    }
    return objects | {int(key[1:]): value for key, value in changes.items()}


def _reader(objects: dict[int, bytes]) -> PdfReader:
    return PdfReader(io.BytesIO(raw_pdf(objects)))


def _pypdf(reader: PdfReader) -> list[int | None]:
    return [page.indirect_reference.idnum if page.indirect_reference else None for page in reader.pages]


def test_a_nested_tree_lists_the_pages_pypdf_lists_with_what_they_inherit() -> None:
    reader = _reader(_nested())
    tree = page_tree(reader)
    assert [ref.idnum for ref in tree.refs if ref] == _pypdf(reader) == [3, 5, 6]
    assert tree.numbers == {3: 1, 5: 2, 6: 3}
    assert all(tree.inherits(n) for n in (1, 2, 3))  # the root's /MediaBox
    assert tree.page(1)["/Rotate"] == 0 and tree.page(2)["/Rotate"] == 90  # a page's own entry wins
    for n, page in enumerate(reader.pages, 1):
        assert dict(tree.page(n)) == dict(page)


def test_a_tree_that_passes_nothing_down_is_not_inherited_from() -> None:
    objects = _nested(
        o2=b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>", o4=_nested()[4].replace(b"/Rotate 90", b"")
    )
    tree = page_tree(_reader(objects))
    assert not any(tree.inherits(n) for n in (1, 2, 3))


def test_a_page_named_as_proven_is_listed_without_being_read(monkeypatch: pytest.MonkeyPatch) -> None:
    reader, read = _reader(_nested()), []
    real = reader.get_object

    def get_object(ref: object) -> object:
        read.append(getattr(ref, "idnum", ref))
        return real(ref)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "get_object", get_object)
    tree = page_tree(reader, leaves={5, 6})
    assert [ref.idnum for ref in tree.refs if ref] == [3, 5, 6]
    assert 3 in read and 5 not in read and 6 not in read
    assert tree.inherits(2)  # on a path that passes /MediaBox and /Rotate down: never vouched for


@pytest.mark.parametrize(
    "changes",
    [
        {"o4": b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R << /Type /Page /Contents 9 0 R >>] /Count 2 >>"},
        {"o4": b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 5 0 R] /Count 2 >>"},  # one page twice
        {"o4": b"<< /Type /Pages /Parent 2 0 R /Kids [5 0 R 2 0 R] /Count 2 >>"},  # a cycle
        {"o4": b"<< /Type /Pages /Parent 2 0 R /Kids 5 0 R /Count 2 >>"},  # /Kids no array
        {"o6": b"<< /Type /Annot /Parent 4 0 R >>"},  # a kid of another type
    ],
    ids=["inline-kid", "page-twice", "cycle", "kids-not-array", "odd-kid"],
)
def test_an_unusual_tree_is_left_to_pypdf(changes: dict[str, bytes]) -> None:
    objects = _nested(**changes)
    reader = _reader(objects)
    try:
        expected: list[int | None] | type[Exception] = _pypdf(reader)
    except Exception as exc:  # noqa: BLE001 - then the gate's listing raises too
        expected = type(exc)
    assert _walk(_reader(objects), ()) is None  # not walked here
    if isinstance(expected, list):
        assert [ref.idnum if ref else None for ref in page_tree(_reader(objects)).refs] == expected
    else:
        with pytest.raises(expected):
            page_tree(_reader(objects))


def test_real_files_list_as_pypdf_lists_them() -> None:
    files = sorted((CORPUS / "real-pdfs").glob("*.pdf"))
    assert len(files) >= 10
    for path in files:
        reader = PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        try:
            expected = _pypdf(reader)
        except Exception:  # noqa: BLE001, S112 - a file pypdf cannot list is not the gate's to walk
            continue
        everything = set(expected)
        for leaves in (set(), everything):
            tree = page_tree(reader, leaves)
            assert [ref.idnum for ref in tree.refs if ref] == expected, path.name
        tree = page_tree(reader)
        for n, page in enumerate(reader.pages, 1):
            assert set(tree.page(n)) == set(page), (path.name, n)


def test_pdfium_counting_otherwise_is_a_finding_and_every_page_is_read(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "three.pdf", pages=3)
    found = list(pdfium_pages(pdf, None, None, vouched=frozenset({1, 2}), count=4))
    assert isinstance(found[0], Unreadable) and "PDFium counts 3 pages, pypdf 4" in found[0].reason
    assert [f.page for f in found[1:] if "(pypdfium2)" in f.place and f.place.endswith("text (pypdfium2)")] == [1, 2, 3]
    agreed = list(pdfium_pages(pdf, None, None, vouched=frozenset({1, 2}), count=3))
    assert [f.page for f in agreed if f.place.endswith("text (pypdfium2)")] == [3]


def _raw_texts(data: bytes, proven: dict[int, int] | None) -> str:
    from bundler.core.anonymise.gate.places import _all_strings
    from bundler.core.anonymise.gate.raw import raw_places

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(f.text for f in raw_places(reader, data, {}, _all_strings, proven) if hasattr(f, "text"))


def test_the_raw_scan_steps_over_proven_objects_and_reads_what_lies_between() -> None:
    """Proven objects are stepped over as the object walk's listed ones are; bytes between them
    that are not white space, and objects after them, are still read."""
    objects = _nested(o6=b"<< /Type /Page /Parent 4 0 R /Contents 9 0 R /Note (Farida Khanum) >>")
    data = raw_pdf(objects)
    starts = [m.start() for m in re.finditer(rb"\d+ 0 obj", data)]
    ends = [data.index(b"endobj", start) + 6 for start in starts]
    spans = dict(zip(starts, ends, strict=True))
    assert "Farida Khanum" in _raw_texts(data, None)  # read where nothing is proven
    assert "Farida Khanum" not in _raw_texts(data, spans)  # proven: its verdict read it
    unproven = {s: e for s, e in spans.items() if b"Farida" not in data[s:e]}
    assert "Farida Khanum" in _raw_texts(data, unproven)
    # something written between two proven objects is read, however the objects around it are
    third = starts[3]
    planted = data[:third] + b"% Farida Khanum\n" + data[third:]
    moved = {s + (16 if s >= third else 0): e + (16 if s >= third else 0) for s, e in spans.items()}
    assert "Farida Khanum" in _raw_texts(planted, moved)
