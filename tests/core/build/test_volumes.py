"""A bundle split into volumes: continuous numbers, each file whole on its own."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.build.context import BuildOptions
from bundler.core.build.volumes import build_volumes, plan_volumes
from bundler.core.model import CaseDetails
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.pdfs import links, make_pdf, outline_pdfium, stamps


def test_plan_keeps_documents_whole_and_under_the_limit():
    sizes = [("a", 100, 1), ("b", 200, 1), ("c", 150, 1), ("d", 600, 1), ("e", 10, 1)]
    assert plan_volumes(sizes, 400, None) == [["a", "b"], ["c"], ["d"], ["e"]]
    assert plan_volumes(sizes, None, 2) == [["a", "b"], ["c", "d"], ["e"]]


def test_a_1200_page_bundle_in_three_volumes(tmp_path):
    bundle = new_bundle("jr-hearing", CaseDetails("AB v X", "AC-1"))
    for n in range(24):  # 24 documents of 50 pages
        source = make_pdf(tmp_path / f"2020-01-{n + 1:02d} Exhibit {n}.pdf", 50)
        add_document(bundle, tmp_path, source, "ABCDEF"[n // 4])
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    reports = build_volumes(project, load_project(project), BuildOptions(tmp_path / "cache"), max_pages=450)
    assert len(reports) == 3
    first = 1
    for number, report in enumerate(reports, start=1):
        out = Path(report.output)
        assert out.name == f"AB v X - Hearing Bundle - AC-1 - Volume {number} of 3.pdf"
        reader = PdfReader(out)
        expected = [f"HB{n}" for n in range(first, first + report.pages)]
        assert stamps(out) == expected and reader.page_labels == expected
        assert f"volume {number} of 3" in reader.pages[0].extract_text().casefold()
        for _, target, _ in links(reader, 1):  # index links land inside this file
            assert 1 <= target <= report.pages
        for _, title, page in outline_pdfium(out):
            assert title.endswith(f"HB{first + page - 1}")
        assert report.pages <= 450
        first += report.pages
    assert sum(len(r.documents) for r in reports) == 24
    tabs = [d.tab for r in reports for d in r.documents]
    assert len(set(tabs)) == 24 and "A1" in tabs and "F4" in tabs
