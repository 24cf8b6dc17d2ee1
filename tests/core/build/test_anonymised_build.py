"""Public bundles end to end: the register applied to DOCX and PDF sources, the gate, the schedule."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as new_docx
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_box, add_person, add_term, split_variants
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import LeakError
from bundler.core.model import CaseDetails
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.conftest import require
from tests.pdfs import outline_pypdf, stamps

NAME_FORMS = ("farida", "khanum")


def _statement(path: Path) -> Path:
    doc = new_docx()
    doc.sections[0].header.paragraphs[0].text = "Statement of Farida Khanum"
    para = doc.add_paragraph("I, ")
    para.add_run("Far").bold = True
    para.add_run("ida Khan").italic = True
    para.add_run("um, of 14 Elm Road, make this statement.")
    doc.add_paragraph("Mrs Khanum's neighbour saw everything.")
    doc.core_properties.author = "Farida Khanum"
    doc.save(str(path))
    return path


def _letter(path: Path) -> Path:
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 760, "Dear Sirs, we act for Farida Khanum of 14 Elm Road.")
    pdf.drawString(72, 740, "The claimant's case is set out below and is not redacted.")
    pdf.drawString(72, 400, "Signature box")
    pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")  # conversions are keyed by content: safe to share


@pytest.fixture
def case(tmp_path):
    bundle = new_bundle(
        "jr-claim", CaseDetails("R (Farida Khanum) v Chief Constable of Wessex Police", "AC-2019-LON-002345")
    )
    add_document(bundle, tmp_path, _letter(tmp_path / "2019-08-11 Letter for Farida Khanum.pdf"), "C")
    add_document(
        bundle, tmp_path, _statement(tmp_path / "statement.docx"), "D", title="Witness statement of Farida Khanum"
    )
    add_person(bundle, "Farida Khanum", "Aisha", reason="anonymity order")
    add_term(bundle, "14 Elm Road", category="address", reason="home address")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    return project


def _text_everywhere(pdf: Path) -> str:
    """Three independent extractions: pdftotext (poppler), pypdf, and the raw file bytes."""
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    poppler = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    reader = PdfReader(pdf)
    pypdf_text = "\n".join(p.extract_text() for p in reader.pages)
    titles = " ".join(t for _, t, _ in outline_pypdf(reader))
    return (poppler + pypdf_text + titles + str(reader.metadata) + pdf.name).casefold()


def test_public_bundle_uses_the_pseudonym_everywhere_and_keeps_other_text(case, tmp_path, shared_cache):
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    out = Path(report.output)
    text = _text_everywhere(out)
    assert not any(form in text for form in NAME_FORMS) and "elm road" not in text
    assert "aisha" in text and "[redacted]" in text
    assert "the claimant's case is set out below and is not redacted." in text
    assert "neighbour saw everything" in text
    assert out.name == "R (Aisha) v Chief Constable of Wessex Police - Claim Bundle - AC-2019-LON-002345.pdf"
    assert re.fullmatch(r"passed: searched for \d+ protected names and numbers, none found", report.leak_gate)
    assert stamps(out) == [str(n) for n in range(1, report.pages + 1)]


def test_a_variant_with_its_own_replacement_reads_naturally(case, tmp_path, shared_cache):
    """A variant may carry its own words ("Mrs Khanum" -> "the claimant", not "Mrs Aisha");
    the file keeps them, and the gate still passes."""
    bundle = load_project(case)
    person = bundle.register.people[0]
    bundle.register.people.clear()
    forms, own = split_variants(["Mrs Khanum = the claimant", "Ms F. Khanum"])
    add_person(bundle, person.name, "Aisha", variants=forms, variant_replacements=own, reason=person.reason)
    save_project(bundle, case)
    assert load_project(case).register.people[0].variant_replacements == {"Mrs Khanum": "the claimant"}
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    text = _text_everywhere(Path(report.output))
    assert "the claimant's neighbour saw everything" in text and "mrs aisha" not in text
    assert "aisha" in text  # the other forms still take the pseudonym
    assert not any(form in text for form in NAME_FORMS)
    assert report.leak_gate.startswith("passed")


def test_schedule_of_redactions_names_no_protected_original(case, tmp_path, shared_cache):
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    csv_path = Path(report.schedule[0])
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["Category"] for r in rows} >= {"person", "address"}
    assert any(r["Tab"] == "C1" and r["Page"] == "3" for r in rows)
    assert any(r["Tab"] == "D1" and r["Action"] == "replaced with 'Aisha'" for r in rows)
    raw = (
        csv_path.read_text(encoding="utf-8-sig").casefold()
        + Path(report.schedule[1]).read_bytes().decode("latin-1").casefold()
    )
    assert not any(form in raw for form in NAME_FORMS)


def test_confidential_bundle_is_unredacted_and_named_as_such(case, tmp_path, shared_cache):
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache, confidential=True))
    assert report.output.endswith(" - CONFIDENTIAL UNREDACTED.pdf") and not report.public
    assert "farida khanum" in _text_everywhere(Path(report.output))


def test_a_broken_redactor_is_stopped_by_the_gate_and_nothing_is_written(case, tmp_path, shared_cache, monkeypatch):
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def no_op(src, dst, targets, boxes=(), **kw):  # copies the source: redacts nothing
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", no_op)
    out = tmp_path / "public.pdf"
    with pytest.raises(LeakError, match="bundle was not written") as caught:
        build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache, output=out))
    assert not out.exists()
    letter = load_project(case).sections[2].documents[0]
    assert 3 in caught.value.pages and caught.value.document_ids[0] == letter.id
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public")]


def test_a_protected_name_in_the_chosen_file_name_stops_the_build(case, tmp_path, shared_cache):
    out = tmp_path / "Khanum bundle.pdf"
    with pytest.raises(LeakError, match="file name"):
        build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache, output=out))
    assert not out.exists()


def test_a_manual_box_destroys_the_pixels_under_it(case, tmp_path, shared_cache):
    import pypdfium2 as pdfium

    bundle = load_project(case)
    letter = bundle.sections[2].documents[0]
    add_box(bundle, letter.id, 1, (60, 380, 300, 430), reason="signature")
    save_project(bundle, case)
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    page = pdfium.PdfDocument(report.output)[report.documents[0].first_page - 1]
    assert "Signature box" not in page.get_textpage().get_text_range()
    image = page.render(scale=1).to_pil().convert("L")
    w, h = image.size
    assert image.getpixel((150, h - 390)) < 60  # inside the box: dark


def test_the_report_of_a_public_build_names_no_protected_person(case, tmp_path, shared_cache):
    import json

    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    text = json.dumps(report.to_dict()).casefold()
    assert not any(form in text for form in NAME_FORMS)
    assert "letter for aisha" in text  # the source path, as it may be shown


def _schedule_rows(report) -> list[dict[str, str]]:
    text = Path(report.schedule[0]).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def test_schedule_lists_each_redaction_once_by_bundle_page(case, shared_cache):
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    rows = _schedule_rows(report)
    redactions = [r for r in rows if r["Section"] == "Redaction"]
    cleanup = [r for r in rows if r["Section"] == "Metadata clean-up"]
    keys = [tuple(r.values()) for r in rows]
    assert len(keys) == len(set(keys)), "a repeated identical row"
    # Every Page is a bundle page or a range of them: never a part of the Word file.
    assert all(r["Page"].replace("-", "").isdigit() for r in redactions), [r["Page"] for r in redactions]
    assert not any("docProps" in value or "xml" in value for r in rows for value in r.values())
    assert {r["Tab"] for r in redactions} == {"C1", "D1"}
    # The author property of the statement is clean-up, not a redaction, and has no page.
    assert any(r["Tab"] == "D1" and r["Action"] == "document property cleared" for r in cleanup)
    assert all(r["Page"] == "" for r in cleanup)
    assert not any(r["Action"] == "document property cleared" for r in redactions)


def test_schedule_docx_is_a4_with_fixed_column_widths(case, shared_cache):
    from docx import Document as read_docx
    from docx.shared import Cm

    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=shared_cache))
    doc = read_docx(report.schedule[1])
    section = doc.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.05) and abs(section.page_height - Cm(29.7)) < Cm(0.05)
    redactions, cleanup = doc.tables
    widths = [cell.width for cell in redactions.rows[0].cells]
    assert widths[2] < widths[1] and widths[0] < widths[1]  # tab and page narrow, the document wide
    text_width = section.page_width - section.left_margin - section.right_margin
    assert sum(widths) <= text_width
    assert [c.text for c in redactions.rows[0].cells] == ["Tab", "Document", "Page", "Category", "Action", "Reason"]
    csv_redactions = [r for r in _schedule_rows(report) if r["Section"] == "Redaction"]
    assert len(redactions.rows) - 1 == len(csv_redactions)  # the same rows as the CSV
    assert any(row.cells[1].text == "Witness statement of Aisha" for row in cleanup.rows[1:])


def test_app_schedule_uses_the_builds_wording(case, shared_cache):
    from bundler.core.anonymise.review import detect_bundle, planned_schedule

    bundle = load_project(case)
    planned = planned_schedule(bundle, detect_bundle(case, bundle, shared_cache))
    built = _schedule_rows(build_bundle(case, bundle, BuildOptions(cache_dir=shared_cache)))
    planned_c1 = {(r.category, r.action) for r in planned if r.tab == "C1"}
    built_c1 = {(r["Category"], r["Action"]) for r in built if r["Tab"] == "C1"}
    assert planned_c1 == built_c1
