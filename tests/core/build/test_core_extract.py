"""The core bundle: picked pages keep their main-bundle numbers beside their own."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.build.context import BuildOptions
from bundler.core.build.core_extract import build_core_bundle, document_ranges
from bundler.core.build.pipeline import build_bundle
from bundler.core.model import CaseDetails
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.pdfs import corner_text, make_pdf, outline_pypdf


def _main(tmp_path):
    bundle = new_bundle("jr-hearing", CaseDetails("AB v X", "AC-1"))
    for name, pages, section in (("Claim form", 3, "A"), ("Grounds", 4, "A"), ("Letter", 2, "E")):
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"{name}.pdf", pages), section, date="9 Sep 2019")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(tmp_path / "cache"))
    return project, Path(report.output)


def test_core_bundle_pages_show_both_numbers(tmp_path):
    project, main = _main(tmp_path)
    assert [(t, first, last) for t, _, _, first, last in document_ranges(PdfReader(main))] == [
        ("A1", 3, 5),
        ("A2", 6, 9),
        ("E1", 10, 11),
    ]
    out = tmp_path / "core.pdf"
    report = build_core_bundle(project, load_project(project), main, out, tmp_path / "cache", tabs=["E1"], pages="7")
    assert report.pages == 2 + 1 + 2  # cover, index, page HB7, the letter HB10-HB11
    pdf = pdfium.PdfDocument(str(out))
    for index, main_label in ((2, "HB7"), (3, "HB10"), (4, "HB11")):
        text = pdf[index].get_textpage().get_text_range()
        assert main_label in text  # the main bundle's stamp is still there, shrunk
        assert corner_text(pdf, index, width=70, height=30) == f"CB{index + 1}"
    titles = [t for _, t, _ in outline_pypdf(PdfReader(out))]
    assert any(t.startswith("A1. Grounds (main bundle HB7) (9 Sep 2019)") and t.endswith(" - CB3") for t in titles)
    assert any(t.startswith("A2. Letter (main bundle HB10-HB11) (9 Sep 2019)") and t.endswith(" - CB4") for t in titles)
    assert report.shrunk_pages == [3, 4, 5]
