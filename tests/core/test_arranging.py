"""The pure edits and look-ups behind the desktop app, checked against real files and builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from bundler.core.adding import add_document, expand_sources, new_document, rebase_paths
from bundler.core.anonymise.detect import detect_text
from bundler.core.anonymise.register import add_person
from bundler.core.anonymise.review import accept_hits, hit_state, planned_schedule, reject_hits
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.build.planned import count_pages, tree_page_ranges
from bundler.core.convert.chain import converted_pdf
from bundler.core.edits import (
    add_section,
    document_position,
    move_section,
    remove_section,
    rename_section,
    set_document_field,
)
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle
from bundler.core.project import save_project
from tests.conftest import claim_bundle
from tests.pdfs import make_pdf, outline_pypdf


def test_sections_add_rename_move_remove():
    bundle = claim_bundle()
    letters = [s.letter for s in bundle.sections]
    added = add_section(bundle, "  Late additions ")
    assert (added.letter, added.title) == ("G", "Late additions") and "G" not in letters
    assert rename_section(bundle, added.id, "Supplementary") == "Late additions"
    move_section(bundle, added.id, 0)
    assert bundle.sections[0].title == "Supplementary"
    position, removed = remove_section(bundle, added.id)
    assert (position, removed.id) == (0, added.id) and [s.letter for s in bundle.sections] == letters
    with pytest.raises(ProjectError, match="needs a name"):
        add_section(bundle, "  ")


def test_document_fields_are_checked_and_normalised(tmp_path):
    bundle = claim_bundle()
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "letter.pdf"), "C")
    proposed = doc.date  # reportlab stamps today's date in the metadata
    assert set_document_field(bundle, doc.id, "date", "11.08.2019") == proposed
    assert doc.date == "2019-08-11"
    set_document_field(bundle, doc.id, "date", "01/02/2020")
    assert doc.date == "2020-02-01"  # day first, as typed in England and Wales
    set_document_field(bundle, doc.id, "date", "")
    assert doc.date is None
    assert set_document_field(bundle, doc.id, "rotation", "270") == 0 and doc.rotation == 270
    for field, value, message in (
        ("date", "next week", "not a date"),
        ("title", " ", "needs a title"),
        ("rotation", "45", "quarter turn"),
        ("pages", "3-1", "Page selection"),
        ("sha256", "x", "not an editable field"),
    ):
        with pytest.raises(ProjectError, match=message):
            set_document_field(bundle, doc.id, field, value)
    assert document_position(bundle, doc.id) == (bundle.sections[2].id, 0)


def test_new_document_relative_or_absolute(tmp_path):
    (tmp_path / "docs").mkdir()
    source = make_pdf(tmp_path / "docs" / "2019-08-11 Letter before claim.pdf")
    doc = new_document(source, tmp_path)
    assert (doc.path, doc.title, doc.date) == (
        "docs/2019-08-11 Letter before claim.pdf",
        "Letter before claim",
        "2019-08-11",
    )
    untitled = new_document(source, None)
    assert Path(untitled.path).is_absolute() and Path(untitled.path) == source.resolve()


def test_rebase_paths_round_trip(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    source = make_pdf(tmp_path / "docs" / "a.pdf")
    bundle = claim_bundle()
    bundle.sections[0].documents.append(new_document(source, None))
    rebase_paths(bundle, None, tmp_path)
    assert bundle.sections[0].documents[0].path == "docs/a.pdf"
    rebase_paths(bundle, tmp_path, tmp_path / "elsewhere")
    assert bundle.sections[0].documents[0].path == "../docs/a.pdf"
    rebase_paths(bundle, tmp_path / "elsewhere", None)
    assert Path(bundle.sections[0].documents[0].path) == source.resolve()


def test_expand_sources_walks_folders_in_name_order(tmp_path):
    folder = tmp_path / "exhibits"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.pdf", "A.pdf", "sub/c.docx", ".hidden.pdf", "~$lock.docx", "notes.txt"):
        (folder / name).write_bytes(b"x")
    loose = tmp_path / "loose.txt"
    assert expand_sources([folder, loose]) == [
        folder / "A.pdf",
        folder / "b.pdf",
        folder / "sub" / "c.docx",
        loose,
    ]


def test_count_pages_reads_pdfs_and_images_not_docx(tmp_path):
    assert count_pages(make_pdf(tmp_path / "five.pdf", 5), "pdf") == 5
    frames = [Image.new("RGB", (50, 50), c) for c in ("red", "green", "blue")]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:])
    assert count_pages(tmp_path / "scan.tif", "image") == 3
    assert count_pages(tmp_path / "statement.docx", "docx") is None
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    assert count_pages(tmp_path / "broken.pdf", "pdf") is None


def test_converted_pdf_finds_the_cache_entry(tmp_path):
    bundle = claim_bundle()
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "a.pdf"), "A")
    assert converted_pdf(tmp_path, doc) is None
    (tmp_path / f"{doc.sha256}.builtin.pdf").write_bytes(b"%PDF")
    assert converted_pdf(tmp_path, doc) == tmp_path / f"{doc.sha256}.builtin.pdf"


def test_tree_page_ranges_match_the_built_bundle(tmp_path, cache_dir):
    bundle = claim_bundle()
    docs = [
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"d{i}.pdf", n), s)
        for i, (n, s) in enumerate(((3, "C"), (2, "A"), (4, "C"), (1, "D")))
    ]
    set_document_field(bundle, docs[2].id, "pages", "2-3")
    totals = {d.id: count_pages(tmp_path / d.path, d.kind) for d in docs}
    ranges = tree_page_ranges(bundle, totals)
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(project, bundle, BuildOptions(cache_dir=cache_dir))
    built = {(r.first_page, r.last_page) for r in report.documents}
    assert {ranges[d.id] for d in docs} == built
    outline = outline_pypdf(PdfReader(report.output))
    assert (
        0,
        "C. Pre-action correspondence - " + str(ranges[bundle.sections[2].id][0]),
        ranges[bundle.sections[2].id][0],
    ) in outline
    unknown = tree_page_ranges(bundle, {**totals, docs[0].id: None})
    assert unknown[docs[1].id] == ranges[docs[1].id]  # section A comes before the unknown one
    assert unknown[docs[0].id] is None and unknown[docs[3].id] is None and unknown[bundle.sections[2].id] is None


def _hits(bundle: Bundle, text: str):
    return detect_text("doc1", "Letter", [text], targets_from_register(bundle.register))


def test_accept_and_reject_hits(tmp_path):
    bundle = claim_bundle()
    add_person(bundle, "Fatima Khanum", "Aisha")
    hits = _hits(bundle, "Fatima Khanum (FK) lives at SW1A 1AA; call 07700 900123.")
    by_rule = {h.rule.split(":")[0] + ":" + h.category: h for h in hits}
    register_hit = next(h for h in hits if h.category == "person")
    initials = next(h for h in hits if h.category == "initials")
    pattern = next(h for h in hits if h.rule.startswith("pattern:"))
    assert by_rule and hit_state(bundle.register, register_hit) == "accepted"
    assert hit_state(bundle.register, initials) == hit_state(bundle.register, pattern) == "pending"
    reject_hits(bundle, [pattern, pattern])
    assert bundle.register.rejected_hits == [pattern.key] and hit_state(bundle.register, pattern) == "rejected"
    accept_hits(bundle, [pattern, initials, pattern], overturn=True)
    assert bundle.register.rejected_hits == []
    assert [t.text for t in bundle.register.terms] == [pattern.text]
    assert bundle.register.terms[0].action == "redact" and bundle.register.people[0].variants == ["FK"]
    again = _hits(bundle, "Fatima Khanum (FK) lives at SW1A 1AA; call 07700 900123.")
    assert {hit_state(bundle.register, h) for h in again if h.text in (pattern.text, "FK")} == {"accepted"}


def test_planned_schedule_holds_no_protected_original(tmp_path):
    bundle = claim_bundle()
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "letter.pdf"), "C", title="Letter")
    add_person(bundle, "Fatima Khanum", "Aisha")
    hits = detect_text(
        doc.id,
        doc.title,
        ["x", "Dear Fatima Khanum, SW1A 1AA"],
        targets_from_register(bundle.register),
    )
    reject_hits(bundle, [h for h in hits if h.rule.startswith("pattern:")])
    rows = planned_schedule(bundle, hits)
    assert [(r.tab, r.document, r.page, r.category, r.action) for r in rows] == [
        ("C1", "Letter", "document page 2", "person", "replaced with 'Aisha'")
    ]
    assert "Fatima" not in repr(rows) and "Khanum" not in repr(rows)


def test_hit_rects_locate_each_hit_on_its_page(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from bundler.core.anonymise.detect import page_texts
    from bundler.core.anonymise.highlight import hit_rects

    pdf = Canvas(str(tmp_path / "letter.pdf"))
    pdf.drawString(72, 700, "Page one says nothing.")
    pdf.showPage()
    pdf.drawString(300, 500, "Dear Fatima Khanum,")
    pdf.showPage()
    pdf.save()
    bundle = claim_bundle()
    add_person(bundle, "Fatima Khanum", "Aisha")
    texts = page_texts(tmp_path / "letter.pdf")
    (hit,) = detect_text("d1", "Letter", texts, targets_from_register(bundle.register))
    rects = hit_rects(tmp_path / "letter.pdf", [hit])
    ((x0, y0, x1, y1),) = rects[hit.key]
    assert hit.page == 2 and 320 < x0 < x1 < 420 and 495 < y0 < y1 < 515
    assert hit_rects(tmp_path / "missing.pdf", [hit]) == {}


def test_tree_labels_after_service_match_the_additions_build(tmp_path, cache_dir):
    from bundler.core.build.additions import build_additions, freeze
    from bundler.core.build.planned import tree_page_labels

    bundle = claim_bundle()
    bundle.options.page_prefix = ""
    served_docs = [
        add_document(bundle, tmp_path, make_pdf(tmp_path / f"s{i}.pdf", n), "A") for i, n in enumerate((2, 3))
    ]
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    served = tmp_path / "served.pdf"
    build_bundle(project, bundle, BuildOptions(cache_dir=cache_dir, output=served))
    freeze(project, bundle, served)
    late = add_document(bundle, tmp_path, make_pdf(tmp_path / "late.pdf", 2), "C")
    totals = {d.id: count_pages(tmp_path / d.path, d.kind) for _, d in bundle.documents()}
    for mode, expected in (("supplementary", "7.3–7.4"), ("append", "9–10")):
        bundle.options.additions = mode
        labels = tree_page_labels(bundle, totals)
        assert labels[served_docs[0].id] == "3–4" and labels[served_docs[1].id] == "5–7"
        assert labels[late.id] == expected
        report = build_additions(project, bundle, BuildOptions(cache_dir=cache_dir), mode)
        assert f"{report.documents[0].first_label}–{report.documents[0].last_label}" == expected
        bundle.served.supplements = 0


def test_the_core_public_api_names_real_things() -> None:
    import bundler.core as core

    assert sorted(core.__all__) == sorted(set(core.__all__))
    for name in core.__all__:
        assert getattr(core, name).__name__ == name
