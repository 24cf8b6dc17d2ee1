"""Skeleton cross-references checked against a really built bundle, and linked into it.

The bundles are built by the engine; the expected section ranges are read back
from their bookmarks with pypdf (not with the code under test).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.build.volumes import build_volumes
from bundler.core.errors import ProjectError, SourceError
from bundler.core.model import CaseDetails
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from bundler.core.xrefs.check import find_references, link_references, read_layout
from bundler.core.xrefs.read import read_passages
from tests.pdfs import corner_text, make_pdf, outline_pypdf, pages_pdf

# Cover 1, index 2; A: 3-7, B: 8-37, C: 38-47.
PAGES = {"A": 5, "B": 30, "C": 10}
TOTAL = 47
PAGE_ONE = "Skeleton argument. The decision [A/3] and the policy [B/999]; see [A/40] and pp.45-47."
PAGE_TWO = "Further: B/10 and [C/38-40], page 2, [G/3], [B/30-40] and pp.145-7."


def build(folder: Path, template: str) -> Path:
    folder.mkdir()
    bundle = new_bundle(template, CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    for letter, count in PAGES.items():
        add_document(bundle, folder, make_pdf(folder / f"{letter.lower()}.pdf", count), letter)
    project = folder / "case.bundle.json"
    save_project(bundle, project)
    return Path(build_bundle(project, load_project(project), BuildOptions(cache_dir=folder / "cache")).output)


@pytest.fixture(scope="module")
def plain_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("xrefs") / "claim", "jr-claim")


@pytest.fixture(scope="module")
def hb_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("xrefs") / "hearing", "jr-hearing")


def skeleton_pdf(path: Path, *pages: str) -> Path:
    return pages_pdf(path, list(pages), 11, (60, 700))


def statuses(refs) -> dict[str, str]:
    return {r.text: r.status for r in refs}


EXPECTED_ONE = {"[A/3]": "ok", "[B/999]": "missing-page", "[A/40]": "wrong-section", "pp.45-47": "ok"}
EXPECTED_TWO = {
    "B/10": "ok",
    "[C/38-40]": "ok",
    "page 2": "ok",
    "[G/3]": "wrong-section",
    "[B/30-40]": "wrong-section",
    "pp.145-7": "missing-page",
}


def test_layout_matches_the_bundles_own_bookmarks(plain_bundle, hb_bundle):
    for bundle, prefix in ((plain_bundle, ""), (hb_bundle, "HB")):
        reader = PdfReader(bundle)
        tops = [(title[0], page) for depth, title, page in outline_pypdf(reader) if depth == 0]
        layout = read_layout(bundle)
        assert layout.pages == len(reader.pages) == TOTAL and layout.prefix == prefix
        assert tops == [("A", 3), ("B", 8), ("C", 38)]
        assert layout.sections == {"A": (3, 7), "B": (8, 37), "C": (38, 47)}


def test_pdf_skeleton_references_are_judged(tmp_path, plain_bundle):
    refs = find_references(skeleton_pdf(tmp_path / "skeleton.pdf", PAGE_ONE, PAGE_TWO), plain_bundle)
    assert statuses(r for r in refs if r.page_in_doc == 1) == EXPECTED_ONE
    assert statuses(r for r in refs if r.page_in_doc == 2) == EXPECTED_TWO
    by_text = {r.text: r for r in refs}
    assert (by_text["[A/3]"].target_page, by_text["[A/3]"].section) == (3, "A")
    assert (by_text["pp.145-7"].target_page, by_text["pp.145-7"].end_page) == (145, 147)
    assert "section C" in by_text["[A/40]"].message and "3-7" in by_text["[A/40]"].message
    assert "ends at 47" in by_text["[B/999]"].message
    assert "no section G" in by_text["[G/3]"].message


def _docx_skeleton(path: Path, rendered: bool) -> Path:
    """Page one: a paragraph and a table; then a break (hard, or as Word last rendered it); page two."""
    document = docx.Document()
    document.add_paragraph("The decision [A/3] and the policy [B/999].")
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "Exhibit at [A/40]"
    second = document.add_paragraph()
    if rendered:
        second.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
    else:
        second.add_run().add_break(WD_BREAK.PAGE)
    second.add_run("On page two: HB/12 and p.46 and [C/38].")
    document.save(str(path))
    return path


@pytest.mark.parametrize("rendered", [False, True])
def test_docx_skeleton_paragraphs_tables_and_pages(tmp_path, plain_bundle, rendered):
    refs = find_references(_docx_skeleton(tmp_path / "skeleton.docx", rendered), plain_bundle)
    got = [(r.text, r.page_in_doc, r.status) for r in refs]
    assert got == [
        ("[A/3]", 1, "ok"),
        ("[B/999]", 1, "missing-page"),
        ("[A/40]", 1, "wrong-section"),
        ("HB/12", 2, "other-bundle"),
        ("p.46", 2, "ok"),
        ("[C/38]", 2, "ok"),
    ]
    assert [r.paragraph for r in refs] == [1, 1, 3, 4, 4, 4]  # the table's two cells are paragraphs 2 and 3


def _add_footnote(path: Path, text: str) -> None:
    """Give a python-docx file one footnote, marked in its last paragraph (python-docx cannot)."""
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = f'<w:footnotes {ns}><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    rel = (
        '<Relationship Id="rIdNote" Target="footnotes.xml" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footnotes"/>'
    )
    kind = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/>'
    )
    mark = '<w:r><w:footnoteReference w:id="1"/></w:r></w:p><w:sectPr'
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    parts["word/footnotes.xml"] = notes.encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", rel.encode() + b"</Relationships>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", kind.encode() + b"</Types>")
    body = parts["word/document.xml"].decode()
    parts["word/document.xml"] = re.sub(r"</w:p>\s*<w:sectPr", mark, body, count=1).encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


def test_a_footnote_reference_takes_the_page_of_its_mark(tmp_path, plain_bundle):
    path = _docx_skeleton(tmp_path / "skeleton.docx", rendered=False)
    _add_footnote(path, "See the witness statement at [B/12] and [C/99].")
    refs = [r for r in find_references(path, plain_bundle) if r.text in ("[B/12]", "[C/99]")]
    assert [(r.text, r.page_in_doc, r.paragraph, r.status) for r in refs] == [
        ("[B/12]", 2, 4, "ok"),
        ("[C/99]", 2, 4, "missing-page"),
    ]


def test_prefixed_bundle_checks_its_own_prefix_only(tmp_path, hb_bundle):
    text = "Bundle refs HB/12, [HB7], HB45, HB/60, AB/3 and CO/1234/2019 and [B/10] and [A/9]."
    refs = find_references(skeleton_pdf(tmp_path / "skeleton.pdf", text), hb_bundle)
    assert statuses(refs) == {
        "HB/12": "ok",
        "[HB7]": "ok",
        "HB45": "ok",
        "HB/60": "missing-page",
        "AB/3": "other-bundle",
        "[B/10]": "ok",
        "[A/9]": "wrong-section",
    }
    assert {r.text: r.target_page for r in refs}["[HB7]"] == 7
    assert {r.text: r.message for r in refs}["[A/9]"] == "page HB9 is in section B; section A is pages HB3-HB7"


def test_patterns_are_configurable(tmp_path, plain_bundle):
    skeleton = skeleton_pdf(tmp_path / "skeleton.pdf", "See tab 12 and tab 99, not [A/3].")
    refs = find_references(skeleton, plain_bundle, patterns=[r"tab (?P<page>\d+)"])
    assert statuses(refs) == {"tab 12": "ok", "tab 99": "missing-page"}
    with pytest.raises(ProjectError, match="not a valid regular expression"):
        find_references(skeleton, plain_bundle, patterns=["tab (\\d+"])
    with pytest.raises(ProjectError, match="page"):
        find_references(skeleton, plain_bundle, patterns=["tab \\d+"])


def test_unreadable_skeletons_get_a_clear_message(tmp_path, plain_bundle):
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 not a docx")
    with pytest.raises(SourceError, match="'old.doc' is not a .docx or .pdf"):
        find_references(tmp_path / "old.doc", plain_bundle)
    (tmp_path / "broken.docx").write_bytes(b"PK not really")
    with pytest.raises(SourceError, match="'broken.docx' is not a readable Word document"):
        find_references(tmp_path / "broken.docx", plain_bundle)
    with pytest.raises(SourceError, match="'nope.pdf' cannot be found"):
        find_references(tmp_path / "skeleton.pdf", tmp_path / "nope.pdf")


def test_word_layout_pages_of_a_real_document(corpus):
    path = corpus / "real-docx" / "par-rendered-page-breaks.docx"
    breaks = len(re.findall(rb"<w:lastRenderedPageBreak\s*/>", zipfile.ZipFile(path).read("word/document.xml")))
    assert breaks > 1 and max(p.page for p in read_passages(path)) == breaks + 1


def _links(path: Path, index: int) -> list[dict]:
    return [a.get_object() for a in PdfReader(path).pages[index].get("/Annots") or []]


def test_linked_copy_opens_the_bundle_at_the_cited_page(tmp_path, hb_bundle):
    folder = tmp_path / "out"
    folder.mkdir()
    shutil.copy(hb_bundle, folder / hb_bundle.name)
    skeleton = skeleton_pdf(tmp_path / "skeleton.pdf", PAGE_ONE, "Then HB/12 and [B/999] and B/10 and HB/12.")
    refs = find_references(skeleton, folder / hb_bundle.name)
    linked = folder / "skeleton linked.pdf"
    made = link_references(skeleton, hb_bundle.name, refs, linked)
    ok = [r for r in refs if r.status == "ok"]
    assert made == len(ok) == 5
    doc = pdfium.PdfDocument(str(linked))
    bundle = pdfium.PdfDocument(str(folder / hb_bundle.name))
    seen = []
    for index in range(2):
        textpage = doc[index].get_textpage()
        for annot in _links(linked, index):
            action = annot["/A"]
            assert annot["/Subtype"] == "/Link" and action["/S"] == "/GoToR"
            target = folder / action["/F"]["/F"]
            assert target.resolve() == (folder / hb_bundle.name).resolve()
            dest = action["/D"]
            assert isinstance(dest[0], int) and dest[1] == "/XYZ"
            under = textpage.get_text_bounded(*[float(v) for v in annot["/Rect"]]).strip()
            seen.append((index + 1, under, dest[0] + 1))
            assert corner_text(bundle, dest[0]) == f"HB{dest[0] + 1}"  # the page it opens shows that number
    assert sorted(seen) == sorted((r.page_in_doc, r.text, r.target_page) for r in ok)
    assert PdfReader(linked).pages[0].extract_text() == PdfReader(skeleton).pages[0].extract_text()


def test_linking_a_docx_skeleton_is_refused(tmp_path, plain_bundle):
    path = _docx_skeleton(tmp_path / "skeleton.docx", rendered=False)
    refs = find_references(path, plain_bundle)
    with pytest.raises(SourceError):
        link_references(path, plain_bundle.name, refs, tmp_path / "linked.pdf")


def test_a_later_volume_knows_its_own_page_numbers(tmp_path):
    """Volume 2 starts at HB8: its references resolve to pages of that file, links included."""
    bundle = new_bundle("jr-hearing", CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    for letter, count in PAGES.items():
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"{letter.lower()}.pdf", count), letter)
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    reports = build_volumes(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache"), max_pages=20)
    volume = Path(reports[1].output)
    labels = PdfReader(volume).page_labels
    assert labels[0] == "HB8" and reports[1].pages == 32  # cover, index, then B's 30 pages
    layout = read_layout(volume)
    assert (layout.first, layout.last, layout.sections) == (8, 39, {"B": (10, 39)})
    skeleton = skeleton_pdf(tmp_path / "skeleton.pdf", "See [B/12], [A/3] and HB/39 and HB/40.")
    refs = find_references(skeleton, volume)
    assert statuses(refs) == {"[B/12]": "ok", "[A/3]": "missing-page", "HB/39": "ok", "HB/40": "missing-page"}
    assert "not in this volume" in refs[1].message and "HB8 to HB39" in refs[1].message
    link_references(skeleton, volume.name, refs, tmp_path / "linked.pdf")
    dests = [a["/A"]["/D"][0] for a in _links(tmp_path / "linked.pdf", 0)]
    assert [labels[i] for i in dests] == ["HB12", "HB39"]
