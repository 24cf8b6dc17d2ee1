"""The built bundle, read back with pypdf and pypdfium2 (PRODUCT.md §2)."""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.model import Bundle
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle
from tests.pdfs import (
    corner_text,
    links,
    make_mixed_pdf,
    make_pdf,
    outline_pdfium,
    outline_pypdf,
    stamps,
    text_in_rect,
    viewed_chars,
)


def _project(tmp_path: Path, prefix: str = "") -> tuple[Path, Bundle]:
    bundle = claim_bundle()
    bundle.options.page_prefix = prefix
    return tmp_path / "case.bundle.json", bundle


def _loaded(project: Path, bundle: Bundle) -> Bundle:
    """The saved project as a build sees it, with the passwords given this session (the project
    file never holds them): as the CLI's prompt or the app's dialog would supply them."""
    loaded = load_project(project)
    given = {doc.id: doc.password for _, doc in bundle.documents()}
    for _, doc in loaded.documents():
        doc.password = given.get(doc.id)
    return loaded


def _build(project: Path, bundle: Bundle, cache: Path, stored: bool = False, **kw):
    """Build; with ``stored``, first build the same documents behind an extra one (so every page
    lands elsewhere): the real build then makes nothing, it places the stored chunks."""
    if stored:
        earlier = copy.deepcopy(bundle)
        add_document(earlier, project.parent, make_pdf(project.parent / "zz-earlier.pdf", 3), "A")
        earlier.sections[0].documents.insert(0, earlier.sections[0].documents.pop())
        save_project(earlier, project)
        build_bundle(project, _loaded(project, earlier), BuildOptions(cache_dir=cache, output=project.parent / "x.pdf"))
        chunks = sorted((cache / "chunks").glob("*.chunk"))
    save_project(bundle, project)
    report = build_bundle(project, _loaded(project, bundle), BuildOptions(cache_dir=cache, **kw))
    if stored:
        assert sorted((cache / "chunks").glob("*.chunk")) == chunks  # nothing made, nothing new stored
    return report


@pytest.fixture(params=[False, True], ids=["made", "stored"])
def stored(request) -> bool:
    """Run a read-back test on a bundle whose documents were just made, and on one whose
    documents all came from the chunk store, stored by a build that placed them elsewhere."""
    return bool(request.param)


@pytest.fixture
def mixed_bundle(tmp_path, cache_dir, stored):
    project, bundle = _project(tmp_path, prefix="HB")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "2019-08-11 Letter before claim.pdf", 3), "C")
    add_document(bundle, tmp_path, make_mixed_pdf(tmp_path / "mixed.pdf"), "B", date="2019-07-01")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "claim.pdf", 2), "A", title="Claim form N461")
    report = _build(project, bundle, cache_dir, stored)
    return Path(report.output), report


def test_every_page_shows_its_pdf_page_number_with_both_readers(mixed_bundle):
    out, report = mixed_bundle
    reader = PdfReader(out)
    assert len(reader.pages) == report.pages == 2 + 2 + 6 + 3
    assert stamps(out) == [f"HB{n}" for n in range(1, report.pages + 1)]
    for n, page in enumerate(reader.pages, start=1):
        assert f"HB{n}" in page.extract_text()


def test_page_labels_and_open_action(mixed_bundle):
    out, report = mixed_bundle
    reader = PdfReader(out)
    assert reader.page_labels == [f"HB{n}" for n in range(1, report.pages + 1)]
    pdf = pdfium.PdfDocument(str(out))
    assert [pdf.get_page_label(i) for i in range(len(pdf))] == reader.page_labels
    action = reader.trailer["/Root"]["/OpenAction"]
    assert action[0].idnum == reader.pages[0].indirect_reference.idnum
    assert action[1] == "/XYZ" and action[4] == 1


def test_rotated_landscape_and_cropped_pages_are_stamped_upright_in_the_visible_corner(mixed_bundle):
    out, _ = mixed_bundle
    pdf = pdfium.PdfDocument(str(out))
    reader = PdfReader(out)
    first = 5  # cover, index, A1 (2 pages) -> B1 starts on page 5
    assert [reader.pages[first - 1 + i].rotation for i in range(6)] == [0, 0, 0, 90, 270, 0]
    for i in range(6):
        index = first - 1 + i
        w, h = pdf[index].get_size()
        chars = [(c, x, y) for c, x, y in viewed_chars(pdf, index) if c.strip()]
        stamp = [(x, y) for c, x, y in chars if x > w - 160 and y < 60]
        assert corner_text(pdf, index) == f"HB{index + 1}"
        xs = [x for x, _ in stamp]
        assert xs == sorted(xs), "stamp digits read left to right as viewed (upright)"
        assert all(0 < y < 45 and w - 80 < x < w for x, y in stamp)


def test_index_rows_link_to_the_page_they_print(mixed_bundle):
    out, report = mixed_bundle
    reader = PdfReader(out)
    found = links(reader, 1)
    firsts = {d.first_page for d in report.documents}
    assert {target for _, target, _ in found} >= firsts
    for rect, target, dest in found:
        assert dest[1] == "/XYZ" and dest[4].__class__.__name__ == "NullObject"  # keeps the reader's zoom
        printed = re.findall(r"HB(\d+)", text_in_rect(out, 1, rect))
        assert printed and int(printed[-1]) == target


def test_bookmarks_nest_documents_under_sections_and_carry_page_numbers(mixed_bundle):
    out, report = mixed_bundle
    by_pypdf = outline_pypdf(PdfReader(out))
    assert by_pypdf == outline_pdfium(out)
    top = [(title, page) for depth, title, page in by_pypdf if depth == 0]
    assert top == [
        ("A. Claim documents - HB3", 3),
        ("B. Decision under challenge - HB5", 5),
        ("C. Pre-action correspondence - HB11", 11),
    ]
    docs = [(title, page) for depth, title, page in by_pypdf if depth == 1]
    assert ("C1. Letter before claim (11 Aug 2019) - HB11", 11) in docs
    for title, page in docs:
        assert title.endswith(f"HB{page}")


def test_metadata_comes_from_the_case_only(mixed_bundle):
    out, _ = mixed_bundle
    meta = PdfReader(out).metadata
    assert meta["/Title"] == "AB v Chief Constable of Wessex Police - Claim Bundle"
    assert "/Author" not in meta
    assert out.name == "AB v Chief Constable of Wessex Police - Claim Bundle - AC-2019-LON-002345.pdf"


def test_ink_in_the_corner_is_never_covered(tmp_path, cache_dir, stored):
    project, bundle = _project(tmp_path)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "footer.pdf", 2, corner_text=True), "A")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "clean.pdf", 1), "A")
    report = _build(project, bundle, cache_dir, stored)
    assert report.shrunk_pages == [3, 4]
    pdf = pdfium.PdfDocument(report.output)
    for index in (2, 3):
        assert corner_text(pdf, index, width=70, height=40) == str(index + 1)
        assert "Source footer 99" in pdf[index].get_textpage().get_text_range()


def test_source_outline_and_internal_links_survive(corpus, tmp_path, cache_dir, stored):
    project, bundle = _project(tmp_path)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "first.pdf", 2), "A")
    add_document(bundle, tmp_path, corpus / "real-pdfs" / "pdflatex-outline.pdf", "A")
    report = _build(project, bundle, cache_dir, stored)
    reader = PdfReader(report.output)
    doc = report.documents[1]
    nested = [(d, t, p) for d, t, p in outline_pypdf(reader) if d >= 2]
    source = outline_pypdf(PdfReader(corpus / "real-pdfs" / "pdflatex-outline.pdf"))
    assert [(t, p + doc.first_page - 1) for _, t, p in source] == [(t, p) for _, t, p in nested]
    for index in range(doc.first_page - 1, doc.last_page):
        for _, target, _ in links(reader, index):
            assert doc.first_page <= target <= doc.last_page


def test_sixty_documents_make_a_multi_page_index_with_every_link_right(tmp_path, cache_dir, stored):
    project, bundle = _project(tmp_path)
    for n in range(65):
        src = make_pdf(tmp_path / f"2020-01-{n % 28 + 1:02d} Exhibit {n} with a longer description.pdf", 1 + n % 3)
        add_document(bundle, tmp_path, src, "ABCDEF"[n % 6])
    report = _build(project, bundle, cache_dir, stored)
    reader = PdfReader(report.output)
    index_pages = report.documents[0].first_page - 2  # pages before A1, less the cover
    assert index_pages >= 2
    targets = sorted(t for p in range(1, 1 + index_pages) for _, t, _ in links(reader, p))
    expected = sorted(
        [d.first_page for d in report.documents]
        + [min(d.first_page for d in report.documents if d.tab[0] == s) for s in "ABCDEF"]
    )
    assert targets == expected
    assert stamps(Path(report.output)) == [str(n) for n in range(1, report.pages + 1)]


def test_every_corpus_pdf_builds_into_one_bundle(corpus, tmp_path, cache_dir, stored):
    project, bundle = _project(tmp_path)
    sources = sorted((corpus / "real-pdfs").glob("*.pdf"))
    for src in sources:
        password = "openpassword" if "password" in src.name else None
        add_document(bundle, tmp_path, src, "E", password=password)
    report = _build(project, bundle, cache_dir, stored)
    expected = sum(len(PdfReader(s, password="openpassword" if "password" in s.name else None).pages) for s in sources)
    assert report.pages == 2 + expected
    assert stamps(Path(report.output)) == [str(n) for n in range(1, report.pages + 1)]
    assert len(outline_pdfium(Path(report.output))) >= len(sources) + 1


def test_a_failed_build_leaves_the_previous_bundle_untouched(tmp_path, cache_dir):
    project, bundle = _project(tmp_path)
    src = make_pdf(tmp_path / "a.pdf")
    add_document(bundle, tmp_path, src, "A")
    out = Path(_build(project, bundle, cache_dir).output)
    before = out.read_bytes()
    src.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(Exception, match="has changed since it was added"):
        _build(project, load_project(project), cache_dir)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_source_rewritten_to_the_same_size_with_its_old_time_put_back_is_still_seen_changed(tmp_path, cache_dir):
    """The second build knows the sources' hashes from the first (``KnownHashes``): an edit that
    keeps the size and puts the modification time back is still found (the change time moved)."""
    project, bundle = _project(tmp_path)
    src = make_pdf(tmp_path / "a.pdf")
    then = src.stat().st_mtime_ns - 60_000_000_000
    os.utime(src, ns=(then, then))
    add_document(bundle, tmp_path, src, "A")
    _build(project, bundle, cache_dir)
    assert (cache_dir / "file-hashes.json").is_file()
    _build(project, load_project(project), cache_dir)  # from what was kept: builds as before
    data = src.read_bytes()
    edited = data.replace(b"ReportLab", b"ReportLaB", 1)
    assert len(edited) == len(data) and edited != data
    src.write_bytes(edited)
    os.utime(src, ns=(then, then))
    with pytest.raises(Exception, match="has changed since it was added"):
        _build(project, load_project(project), cache_dir)


def test_a_single_page_can_be_turned_and_its_number_stays_upright(tmp_path, cache_dir, stored):
    from bundler.core.edits import rotate_page

    project, bundle = _project(tmp_path)
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "scan.pdf", 3), "D")
    rotate_page(bundle, doc.id, 2, 90)
    rotate_page(bundle, doc.id, 3, 270)
    rotate_page(bundle, doc.id, 3, 90)  # back to upright: no entry left
    assert doc.page_rotations == {"2": 90}
    report = _build(project, bundle, cache_dir, stored)
    reader = PdfReader(report.output)
    assert [p.rotation for p in reader.pages[2:5]] == [0, 90, 0]
    assert stamps(Path(report.output)) == [str(n) for n in range(1, 6)]


def test_the_stamp_position_within_the_corner_is_an_option(tmp_path, cache_dir):
    import pypdfium2 as pdfium

    project, bundle = _project(tmp_path)
    bundle.options.stamp_right, bundle.options.stamp_bottom = 60.0, 36.0
    add_document(bundle, tmp_path, make_pdf(tmp_path / "a.pdf"), "A")
    report = _build(project, bundle, cache_dir)
    pdf = pdfium.PdfDocument(report.output)
    w, _ = pdf[2].get_size()
    digits = [(x, y) for c, x, y in viewed_chars(pdf, 2) if c == "3"]
    assert digits and all(w - 90 < x < w - 60 and 36 < y < 60 for x, y in digits)


def test_section_divider_pages_are_numbered_and_linked(tmp_path, cache_dir, stored):
    project, bundle = _project(tmp_path)
    bundle.options.section_dividers = True
    add_document(bundle, tmp_path, make_pdf(tmp_path / "a.pdf", 2), "A")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "c.pdf", 1), "C")
    report = _build(project, bundle, cache_dir, stored)
    out = Path(report.output)
    assert report.pages == 1 + 1 + (1 + 2) + (1 + 1)
    reader = PdfReader(out)
    assert "Section A" in reader.pages[2].extract_text() and "Section C" in reader.pages[5].extract_text()
    assert [d.first_page for d in report.documents] == [4, 7]
    top = [(t, p) for depth, t, p in outline_pypdf(reader) if depth == 0]
    assert top == [("A. Claim documents - 3", 3), ("C. Pre-action correspondence - 6", 6)]
    assert sorted(t for _, t, _ in links(reader, 1)) == [3, 4, 6, 7]
    assert stamps(out) == [str(n) for n in range(1, 8)]
