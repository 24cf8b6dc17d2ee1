"""A protected name hidden in each carrier of a source PDF, through a real public build.

After each: the gate passed, pdftotext and a fresh leak scan find nothing, the text
that was not protected is still there; and with redaction and sanitising broken
on purpose, the gate stops the build (so it is proven able to fail).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.annotations import FreeText, Link
from reportlab.pdfgen.canvas import Canvas

from bundler.core.adding import add_document
from bundler.core.anonymise.gate.gate import leak_scan
from bundler.core.anonymise.register import add_person
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import LeakError
from bundler.core.project import load_project, save_project
from tests.conftest import claim_bundle, require
from tests.pdfs import outline_pypdf

KEPT = "The grounds of claim follow below"


def _base(path: Path, body: str = "A plain page of the exhibit.") -> PdfWriter:
    pdf = Canvas(str(path))
    pdf.setFont("Helvetica", 12)
    pdf.drawString(72, 760, KEPT)
    pdf.drawString(72, 740, body)
    pdf.showPage()
    pdf.showPage()
    pdf.save()
    return PdfWriter(clone_from=str(path))


def _outline(w: PdfWriter) -> None:
    w.add_outline_item(title="Letter from Farida Khanum", page_number=1)


def _annotation(w: PdfWriter) -> None:
    w.add_annotation(0, FreeText(text="Note: call Farida Khanum", rect=(300, 500, 500, 540)))


def _uri(w: PdfWriter) -> None:
    w.add_annotation(0, Link(rect=(72, 700, 300, 720), url="mailto:farida.khanum@example.com"))


def _metadata(w: PdfWriter) -> None:
    w.add_metadata({"/Author": "Farida Khanum", "/Title": "Statement of Farida Khanum"})


def _attachment(w: PdfWriter) -> None:
    w.add_attachment("farida-khanum-notes.txt", b"Notes about Farida Khanum")


def _form_field(w: PdfWriter) -> None:
    from reportlab.pdfgen.canvas import Canvas as C

    path = Path(w._bundler_path)  # type: ignore[attr-defined]
    pdf = C(str(path))
    pdf.drawString(72, 760, KEPT)
    pdf.acroForm.textfield(name="claimant", value="Farida Khanum", x=72, y=600, width=200, height=20)
    pdf.save()
    w.__init__(clone_from=str(path))  # type: ignore[misc]


def _hyphenated(w: PdfWriter) -> None:
    pass  # the body text itself carries the name, broken across two lines


CARRIERS = {
    "outline": (_outline, "A plain page of the exhibit."),
    "annotation": (_annotation, "A plain page of the exhibit."),
    "link-uri": (_uri, "A plain page of the exhibit."),
    "metadata-and-xmp": (_metadata, "A plain page of the exhibit."),
    "attachment": (_attachment, "A plain page of the exhibit."),
    "form-field": (_form_field, "A plain page of the exhibit."),
    "hyphenated-text": (_hyphenated, "Mrs Kha-"),
}


def _source(tmp_path: Path, carrier: str) -> Path:
    plant, body = CARRIERS[carrier]
    path = tmp_path / f"exhibit-{carrier}.pdf"
    writer = _base(path, body)
    if carrier == "hyphenated-text":
        pdf = Canvas(str(path))
        pdf.setFont("Helvetica", 12)
        pdf.drawString(72, 760, KEPT)
        pdf.drawString(72, 740, "said Mrs Kha-")
        pdf.drawString(72, 726, "num on the day.")
        pdf.save()
        return path
    writer._bundler_path = str(path)  # type: ignore[attr-defined]
    plant(writer)
    writer.write(str(path))
    return path


def _project(tmp_path: Path, source: Path) -> Path:
    bundle = claim_bundle()
    add_document(bundle, tmp_path, source, "D", title="Exhibit FK1")
    add_person(bundle, "Farida Khanum", "AB")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    return project


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.mark.parametrize("carrier", sorted(CARRIERS))
def test_the_name_does_not_survive_the_build(tmp_path, cache, carrier):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    project = _project(tmp_path, _source(tmp_path, carrier))
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=cache))
    out = Path(report.output)
    assert report.leak_gate.startswith("passed")
    targets = targets_from_register(load_project(project).register)
    assert leak_scan(out, targets, file_name=out.name) == []
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "khanum" not in text.casefold() and "farida" not in text.casefold()
    assert KEPT in text
    if carrier == "outline":
        assert ("Letter from AB", report.documents[0].first_page + 1) in [
            (t, p) for _, t, p in outline_pypdf(__import__("pypdf").PdfReader(out))
        ]


# Carriers the merge brings into the bundle; document-level ones (attachments, the source's
# info and XMP) never come across: the test below proves that too.
CARRIED = sorted(set(CARRIERS) - {"attachment", "metadata-and-xmp"})


@pytest.mark.parametrize("carrier", ["attachment", "metadata-and-xmp"])
def test_document_level_carriers_never_enter_the_bundle(tmp_path, cache, carrier, monkeypatch):
    import bundler.core.build.gated as gated

    monkeypatch.setattr(gated, "sanitise_writer", lambda writer, **kw: [])
    project = _project(tmp_path, _source(tmp_path, carrier))
    bundle = load_project(project)
    bundle.register.people.clear()  # no redaction at all: only the merge stands between
    report = build_bundle(project, bundle, BuildOptions(cache_dir=cache, output=tmp_path / "plain.pdf"))
    targets = targets_from_register(load_project(project).register)
    assert leak_scan(Path(report.output), targets) == []


@pytest.mark.parametrize("carrier", CARRIED)
def test_with_redaction_and_sanitising_broken_the_gate_stops_the_build(tmp_path, cache, carrier, monkeypatch):
    import bundler.core.anonymise.pdf.redact as pdf_redact
    import bundler.core.build.chunks.make as chunk_make
    import bundler.core.build.gated as gated
    import bundler.core.build.pipeline as build

    def copy(src, dst, targets, boxes=(), **kw):
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    monkeypatch.setattr(gated, "sanitise_writer", lambda writer, **kw: [])
    monkeypatch.setattr(chunk_make, "sanitise_pages", lambda writer, *a: [])
    monkeypatch.setattr(build, "anonymise_text", lambda text, targets: text)
    project = _project(tmp_path, _source(tmp_path, carrier))
    out = tmp_path / "public.pdf"
    with pytest.raises(LeakError):
        build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "own-cache", output=out))
    assert not out.exists()
