"""The text search's matching and cache, and the planned index the app's Index tab shows."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from bundler.core.anonymise.register import add_person
from bundler.core.build.frontmatter import index_lines, settled_page_map
from bundler.core.build.planned import planned_index
from bundler.core.model import CaseDetails, Document
from bundler.core.search import find_text, page_texts
from bundler.core.templates import new_bundle


def test_search_ignores_case_and_line_breaks_and_reads_each_file_once(tmp_path):
    pdf = tmp_path / "letter.pdf"
    canvas = Canvas(str(pdf))
    for _ in range(2):
        canvas.drawString(72, 700, "Dear Sir, this claim for judicial")  # the words run on to the next line
        canvas.drawString(72, 686, "review is brought")
        canvas.showPage()
    canvas.save()
    texts = page_texts(pdf, None, tmp_path / "cache", "abc")
    assert len(texts) == 2 and "judicial review" in texts[0]
    pdf.unlink()  # the second read comes from the cache
    assert page_texts(pdf, None, tmp_path / "cache", "abc") == texts
    hits = find_text({"d1": texts}, "judicial   REVIEW")
    assert [(h.document_id, h.page) for h in hits] == [("d1", 1), ("d1", 2)]
    hit = hits[0]
    assert hit.snippet[hit.start : hit.start + hit.length] == "judicial review"
    assert find_text({"d1": texts}, "  ") == [] and find_text({"d1": texts}, "absent") == []


def _bundle():
    bundle = new_bundle("jr-claim", CaseDetails("R (AB) v CC", "AC-1"))
    docs = [
        Document("/x/a.pdf", "a" * 64, "Statement of Farida Khanum", "2020-01-02"),
        Document("/x/b.pdf", "b" * 64, "Letter", None),
    ]
    bundle.sections[1].documents.extend(docs)
    return bundle, docs


def test_planned_index_is_the_builds_index_with_protected_names_replaced():
    bundle, (statement, letter) = _bundle()
    add_person(bundle, "Farida Khanum", "FK")
    planned = planned_index(bundle, {statement.id: 3, letter.id: 2})
    rows = [(line.tab, line.title, line.date, line.page) for line in planned.lines]
    assert rows == [
        ("B", bundle.sections[1].title, "", "3"),
        ("B1", "Statement of FK", "2 Jan 2020", "3"),
        ("B2", "Letter", "Undated", "6"),
    ]
    assert (planned.index_pages, planned.total_pages, planned.unknown) == (1, 7, frozenset())
    confidential = planned_index(bundle, {statement.id: 3, letter.id: 2}, public=False)
    assert confidential.lines[1].title == "Statement of Farida Khanum"
    built = index_lines(settled_page_map(bundle, {statement.id: 3, letter.id: 2}))  # what the build prints
    assert [(x.tab, x.page) for x in built] == [(r[0], r[3]) for r in rows]


def test_pages_after_a_document_not_counted_yet_are_unknown():
    bundle, (statement, letter) = _bundle()
    planned = planned_index(bundle, {statement.id: None, letter.id: 2})
    assert planned.total_pages is None
    assert planned.unknown == {statement.id, letter.id, bundle.sections[1].id}
    assert Path(statement.path).name == "a.pdf"
