"""Project-aware preflight (PRODUCT.md §2.13): real bundles, one bad project per rule.

Each finding must name the document or page; the pages it names are checked
against the build report and, for duplicates, against text read back by pypdf.
"""

from __future__ import annotations

import dataclasses
import shutil
import textwrap
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundler.core.adding import add_document
from bundler.core.build.additions import build_additions, freeze
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.model import Bundle, CaseDetails, Person, new_id
from bundler.core.preflight.findings import Finding, Preflight
from bundler.core.preflight.project import run_project_preflight
from bundler.core.project import load_project, save_project
from bundler.core.report import BuildReport
from bundler.core.templates import new_bundle
from tests.pdfs import make_pdf

PROJECT_RULES = (
    "project-file-name",
    "document-pages",
    "duplicate-documents",
    "duplicate-pages",
    "correspondence-order",
    "undated-documents",
    "document-length",
)


def prose(topic: str) -> str:
    """A page's worth of words: well over the 200 characters a page needs to be compared."""
    return (
        f"{topic}. " + "The claimant's solicitors write about the defendant's policy on sharing "
        "victims' data with immigration enforcement and ask for its review. " * 4
    )


def text_pdf(path: Path, pages: list[str], title: str = "") -> Path:
    pdf = Canvas(str(path), pagesize=A4)
    pdf.setTitle(title or path.stem)  # different metadata: different bytes for the same words
    for text in pages:
        lines = pdf.beginText(72, A4[1] - 72)
        lines.setFont("Helvetica", 11)
        for line in textwrap.wrap(text, 85):
            lines.textLine(line)
        pdf.drawText(lines)
        pdf.showPage()
    pdf.save()
    return path


def noise_png(path: Path) -> Path:
    Image.effect_noise((300, 300), 60).convert("RGB").save(path)
    return path


def scan_pdf(path: Path, pages: list[str | Path]) -> Path:
    """A text string draws a page of prose; a Path places that image over half the page."""
    pdf = Canvas(str(path), pagesize=A4)
    pdf.setTitle(path.stem)
    for page in pages:
        if isinstance(page, Path):
            pdf.drawImage(str(page), 72, 250, 450, 450)
        else:
            pdf.setFont("Helvetica", 11)
            for i, line in enumerate(textwrap.wrap(page, 85)):
                pdf.drawString(72, A4[1] - 72 - 14 * i, line)
        pdf.showPage()
    pdf.save()
    return path


def new_project(tmp_path: Path, template: str = "jr-claim") -> tuple[Path, Bundle]:
    bundle = new_bundle(
        template,
        CaseDetails("AB v Chief Constable of Wessex Police", "AC-2019-LON-002345", short_name="AB v CC Wessex"),
    )
    return tmp_path / "case.bundle.json", bundle


def build(project: Path, bundle: Bundle, tmp_path: Path, **kw: object) -> BuildReport:
    save_project(bundle, project)
    return build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache", **kw))


def check(pdf: Path | str, project: Path) -> Preflight:
    return run_project_preflight(Path(pdf), project, load_project(project))


def findings(result: Preflight, rule: str) -> list[Finding]:
    found = [f for f in result.findings if f.rule == rule]
    assert found, f"rule {rule} gave no finding"
    return found


def only(result: Preflight, rule: str, status: str) -> Finding:
    found = findings(result, rule)
    assert [f.status for f in found] == [status], found
    return found[0]


def first_pages(report: BuildReport) -> dict[str, tuple[int, int]]:
    return {d.tab: (d.first_page, d.last_page) for d in report.documents}


@pytest.fixture
def good(tmp_path):
    """A sound claim bundle: claim form, grounds, decision, letters in date order."""
    project, bundle = new_project(tmp_path)
    add_document(
        bundle,
        tmp_path,
        text_pdf(tmp_path / "N461.pdf", [prose("Claim form"), prose("Remedy")]),
        "A",
        title="Claim form N461",
        date="2019-10-01",
    )
    add_document(
        bundle,
        tmp_path,
        make_pdf(tmp_path / "sfg.pdf", 40),
        "A",
        title="Statement of facts and grounds",
        date="2019-10-01",
    )
    add_document(bundle, tmp_path, make_pdf(tmp_path / "reply.pdf", 5), "A", title="Reply", date="2019-12-01")
    add_document(bundle, tmp_path, text_pdf(tmp_path / "decision.pdf", [prose("Decision")]), "B", date="2019-06-01")
    for day, name in (("2019-07-01", "Letter before claim"), ("2019-08-11", "Response to letter")):
        add_document(bundle, tmp_path, text_pdf(tmp_path / f"{name}.pdf", [prose(name)]), "C", date=day)
    return project, bundle, build(project, bundle, tmp_path)


def test_a_good_project_passes_every_project_rule(good):
    project, _, report = good
    result = check(report.output, project)
    for rule in PROJECT_RULES:
        assert [f.status for f in findings(result, rule)] == ["pass"], findings(result, rule)
    assert not result.has_failures, result.format_text()
    # the file-only findings come first, then the project's
    rules = [f.rule for f in result.findings]
    assert rules.index("page-numbers") < rules.index("document-pages")


def test_the_same_file_twice_is_a_duplicate_naming_both_places(tmp_path):
    project, bundle = new_project(tmp_path)
    statement = text_pdf(tmp_path / "statement.pdf", [prose("Witness statement"), prose("Exhibits")])
    add_document(bundle, tmp_path, statement, "B", date="2019-06-01")
    add_document(bundle, tmp_path, statement, "D", title="Statement again", date="2019-06-01")
    report = build(project, bundle, tmp_path)
    finding = only(check(report.output, project), "duplicate-documents", "warn")
    pages = first_pages(report)
    assert "B1 'statement'" in finding.message and "D1 'Statement again'" in finding.message
    assert "the same file" in finding.message
    assert finding.pages == (pages["B1"][0], pages["D1"][0])
    assert f"pages {pages['D1'][0]}–{pages['D1'][1]}" in finding.message
    # the pages of a duplicate document are not reported a second time
    assert only(check(report.output, project), "duplicate-pages", "pass")


def test_the_same_text_in_two_files_is_a_duplicate(tmp_path):
    project, bundle = new_project(tmp_path)
    words = [prose("Grant letter"), prose("Second page")]
    first = text_pdf(tmp_path / "letter.pdf", words, title="original")
    second = text_pdf(tmp_path / "letter copy.pdf", words, title="copy")
    assert first.read_bytes() != second.read_bytes()
    add_document(bundle, tmp_path, first, "C", date="2019-07-01")
    add_document(bundle, tmp_path, second, "E", date="2019-07-01")
    report = build(project, bundle, tmp_path)
    finding = only(check(report.output, project), "duplicate-documents", "warn")
    assert "the same content" in finding.message and "C1" in finding.message and "E1" in finding.message


def test_a_repeated_page_is_named_at_both_places(tmp_path):
    project, bundle = new_project(tmp_path)
    shared = prose("Minutes of the meeting")
    add_document(bundle, tmp_path, text_pdf(tmp_path / "x.pdf", [prose("Unique one"), shared]), "B", date="2019-06-01")
    add_document(bundle, tmp_path, text_pdf(tmp_path / "y.pdf", [shared, prose("Unique two")]), "D", date="2019-06-02")
    report = build(project, bundle, tmp_path)
    result = check(report.output, project)
    only(result, "duplicate-documents", "pass")
    finding = only(result, "duplicate-pages", "warn")
    pages = first_pages(report)
    expected = (pages["B1"][0] + 1, pages["D1"][0])
    assert finding.pages == expected
    assert f"page {expected[0]} (B1 'x', its page 2)" in finding.message
    assert f"page {expected[1]} (D1 'y', its page 1)" in finding.message
    reader = PdfReader(report.output)  # an independent reader sees the same words there
    texts = [" ".join(reader.pages[n - 1].extract_text().split()) for n in expected]
    assert all("Minutes of the meeting" in t for t in texts)


def test_a_repeated_scanned_page_is_found_by_its_image(tmp_path):
    project, bundle = new_project(tmp_path)
    scan = noise_png(tmp_path / "scan.png")
    add_document(bundle, tmp_path, scan_pdf(tmp_path / "p.pdf", [scan, prose("Cover note")]), "D", date="2019-06-01")
    add_document(bundle, tmp_path, scan_pdf(tmp_path / "q.pdf", [prose("Other note"), scan]), "E", date="2019-06-02")
    report = build(project, bundle, tmp_path)
    pages = first_pages(report)
    finding = only(check(report.output, project), "duplicate-pages", "warn")
    assert finding.pages == (pages["D1"][0], pages["E1"][0] + 1)
    assert "D1 'p', its page 1" in finding.message and "E1 'q', its page 2" in finding.message


def test_short_pages_alike_are_not_duplicates(tmp_path):
    project, bundle = new_project(tmp_path)
    for name in ("a", "b"):  # "This page is intentionally left blank" says too little to compare
        add_document(
            bundle, tmp_path, text_pdf(tmp_path / f"{name}.pdf", [prose(name), "Left blank"]), "D", date="2019-06-01"
        )
    report = build(project, bundle, tmp_path)
    only(check(report.output, project), "duplicate-pages", "pass")


def test_letters_out_of_date_order_are_named(tmp_path):
    project, bundle = new_project(tmp_path)
    for day, name in (
        ("2019-08-11", "Letter before claim"),
        ("2019-07-01", "Early letter"),
        ("2019-09-01", "Response"),
    ):
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"{name}.pdf", 2), "C", date=day)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "w.pdf"), "D", date="2018-01-01")  # not correspondence
    report = build(project, bundle, tmp_path)
    finding = only(check(report.output, project), "correspondence-order", "warn")
    c2 = first_pages(report)["C2"]
    assert finding.pages == (c2[0],)
    assert "C2 'Early letter'" in finding.message and "1 Jul 2019" in finding.message
    assert "comes after C1 'Letter before claim'" in finding.message and "C3" not in finding.message


def test_undated_documents_are_named(tmp_path):
    project, bundle = new_project(tmp_path)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "dated.pdf"), "B", date="2019-06-01")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "note.pdf", 2), "E").date = None
    report = build(project, bundle, tmp_path)
    finding = only(check(report.output, project), "undated-documents", "warn")
    e1 = first_pages(report)["E1"]
    assert finding.pages == (e1[0],) and f"E1 'note' (pages {e1[0]}–{e1[1]})" in finding.message
    assert "B1" not in finding.message


@pytest.mark.parametrize(
    ("title", "pages", "section"),
    [
        ("Statement of facts and grounds", 41, "A"),
        ("Grounds for judicial review", 41, "A"),
        ("Claimant's reply", 6, "A"),
    ],
)
def test_over_long_grounds_and_reply_are_named(tmp_path, title, pages, section):
    project, bundle = new_project(tmp_path)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "doc.pdf", pages), section, title=title, date="2019-10-01")
    report = build(project, bundle, tmp_path)
    finding = only(check(report.output, project), "document-length", "warn")
    assert f"A1 '{title}'" in finding.message and f"is {pages} pages" in finding.message
    assert finding.pages == (first_pages(report)["A1"][0],)


def test_a_reply_in_the_correspondence_is_a_letter_not_a_reply(tmp_path):
    project, bundle = new_project(tmp_path)
    add_document(
        bundle, tmp_path, make_pdf(tmp_path / "r.pdf", 6), "C", title="Reply to letter before claim", date="2019-08-01"
    )
    report = build(project, bundle, tmp_path)
    only(check(report.output, project), "document-length", "pass")


def test_a_protected_name_in_the_file_name_fails_without_printing_it(tmp_path):
    project, bundle = new_project(tmp_path)
    bundle.register.people.append(Person("Aisha Khanum", "AB"))
    add_document(bundle, tmp_path, make_pdf(tmp_path / "a.pdf"), "B", date="2019-06-01")
    report = build(project, bundle, tmp_path)
    only(check(report.output, project), "project-file-name", "pass")
    renamed = tmp_path / "Aisha Khanum v CC Wessex - Claim Bundle - AC-2019-LON-002345.pdf"
    shutil.copy(report.output, renamed)
    result = check(renamed, project)
    finding = only(result, "project-file-name", "fail")
    assert result.has_failures and "protected name" in finding.message
    assert "Khanum" not in finding.message and "Aisha" not in finding.message
    assert "AB v CC Wessex - Claim Bundle" in finding.message


def test_a_file_name_other_than_the_projects_is_a_warning(tmp_path):
    project, bundle = new_project(tmp_path)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "a.pdf"), "B", date="2019-06-01")
    report = build(project, bundle, tmp_path, output=tmp_path / "bundle.pdf")
    finding = only(check(report.output, project), "project-file-name", "warn")
    assert "AB v CC Wessex - Claim Bundle - AC-2019-LON-002345.pdf" in finding.message


def test_a_bundle_older_than_its_project_fails_naming_the_documents(good, tmp_path):
    project, bundle, report = good
    late = dataclasses.replace(bundle.sections[1].documents[0], id=new_id(), title="Late note")
    bundle.sections[4].documents.append(late)  # E1: added, not built
    bundle.sections[1].documents[0].title = "Decision letter"  # B1: retitled
    save_project(bundle, project)
    result = check(report.output, project)
    failed = findings(result, "document-pages")
    assert [f.status for f in failed] == ["fail", "fail"]
    assert failed[0].pages == (first_pages(report)["B1"][0],)
    assert "B1's bookmark reads 'decision (1 Jun 2019)', not 'Decision letter (1 Jun 2019)'" in failed[0].message
    assert failed[1].pages == () and "E1 'Late note' has no bookmark" in failed[1].message


def test_a_changed_page_selection_is_caught_by_the_page_count(good):
    project, bundle, report = good
    bundle.sections[0].documents[1].pages = "1-39"
    save_project(bundle, project)
    finding = only(check(report.output, project), "document-pages", "fail")
    a2 = first_pages(report)["A2"]
    assert finding.pages == (a2[0],)
    assert (
        f"A2 'Statement of facts and grounds' (pages {a2[0]}–{a2[1]}) has 40 pages but its source gives 39"
        in finding.message
    )


def test_a_supplementary_bundle_is_checked_against_the_late_documents_only(tmp_path):
    project, bundle = new_project(tmp_path, "jr-hearing")
    add_document(bundle, tmp_path, make_pdf(tmp_path / "a.pdf", 3), "A", date="2019-06-01")
    served_pdf = tmp_path / "served.pdf"
    build(project, bundle, tmp_path, output=served_pdf)
    bundle = load_project(project)
    freeze(project, bundle, served_pdf)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "late.pdf", 2), "A", date="2019-07-01")
    save_project(bundle, project)
    report = build_additions(project, bundle, BuildOptions(tmp_path / "cache"), "supplementary")
    result = check(report.output, project)
    assert only(result, "document-pages", "pass").message.startswith("All 1 documents")
    only(result, "project-file-name", "pass")
    only(check(served_pdf, project), "document-pages", "pass")


def test_real_world_sources_nested_bookmarks_and_a_true_duplicate(tmp_path, corpus):
    """The corpus: odd files, sources with their own outlines; two of them say the same words."""
    project, bundle = new_project(tmp_path)
    for source in sorted((corpus / "real-pdfs").glob("*.pdf")):
        if "password" not in source.name:
            add_document(bundle, tmp_path, source, "D", date="2019-01-01")
    report = build(project, bundle, tmp_path)
    result = check(report.output, project)
    only(result, "document-pages", "pass")
    only(result, "duplicate-pages", "pass")  # the duplicate's one page is reported with its document
    finding = only(result, "duplicate-documents", "warn")
    pages = {d.title: d.first_page for d in report.documents}
    assert finding.pages == (pages["minimal-document"], pages["with-attachment"])
    texts = [" ".join(PdfReader(report.output).pages[n - 1].extract_text().split()[:-1]) for n in finding.pages]
    assert texts[0] == texts[1] and len(texts[0]) > 200
