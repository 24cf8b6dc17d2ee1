"""A link whose target percent-encodes a protected name, through the real CLI build.

The built bundle is read back by pypdf (a raw walk of every annotation action) and
by pdfminer.six: no target holds the name. With the redactor and the sanitiser
both broken, the gate alone stops the build and writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from bundler.core.errors import ExitCode

URIS = {
    "percent": "https://example.org/people/F%61rida%20Kh%61num",
    "plus": "https://example.org/search?q=F%61rida+Kh%61num",
    "double-percent": "https://example.org/p/%2546arida",
    "punycode": "https://www.xn--khnum-gwa.example/",
    "mailto": "mailto:f%61rida.kh%61num@example.org",
}


def _project(tmp_path: Path, uri: str) -> Path:
    source = tmp_path / "letter.pdf"
    pdf = Canvas(str(source))
    pdf.drawString(72, 760, "The grounds of claim follow below.")
    pdf.drawString(72, 705, "See the profile page.")
    pdf.save()
    writer = PdfWriter(clone_from=str(source))
    writer.add_annotation(0, Link(rect=(72, 700, 300, 720), url=uri))
    writer.write(str(source))
    project = tmp_path / "case.bundle.json"
    assert main(["new", str(project), "--case-name", "AB v Wessex Police", "--claim-no", "AC-2019-LON-1"]) == 0
    assert main(["add", str(project), str(source), "--section", "D", "--title", "Letter"]) == 0
    assert main(["register", str(project), "add-person", "Farida Khanum", "--pseudonym", "AB"]) == 0
    return project


def _build(project: Path, out: Path) -> int:
    return main(["build", str(project), "-o", str(out), "--cache-dir", str(project.parent / "cache"), "--no-ocr"])


def _targets(pdf: Path) -> list[str]:
    """Every string in every annotation's action, raw, from pypdf."""
    found = []
    for page in PdfReader(pdf).pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            found += [str(v) for v in action.get_object().values()] if action is not None else []
    return found


@pytest.mark.parametrize("kind", sorted(URIS))
def test_the_link_does_not_survive_the_build(tmp_path: Path, kind: str) -> None:
    from pdfminer.high_level import extract_text

    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, URIS[kind]), out) == ExitCode.OK
    decoded = " ".join(unquote_plus(unquote_plus(t)) for t in _targets(out)).casefold()
    assert "khanum" not in decoded and "farida" not in decoded and "xn--" not in decoded
    assert "example.org" not in out.read_bytes().decode("latin-1")
    assert "grounds of claim" in extract_text(str(out))


@pytest.mark.parametrize("kind", sorted(URIS))
def test_with_redactor_and_sanitiser_broken_the_gate_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact
    import bundler.core.build.chunks.make as chunk_make
    import bundler.core.build.gated as gated

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    monkeypatch.setattr(gated, "sanitise_writer", lambda writer, **kw: [])
    monkeypatch.setattr(chunk_make, "sanitise_pages", lambda writer, *a: [])
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, URIS[kind]), out) == ExitCode.LEAK
    assert not out.exists()


def test_with_only_the_redactor_broken_the_sanitiser_drops_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bundler.core.anonymise.pdf.redact as pdf_redact

    def copy(src, dst, targets, boxes=(), **kw):  # type: ignore[no-untyped-def]
        shutil.copyfile(src, dst)
        return pdf_redact.PdfRedactionReport(pages=[], hits=0)

    monkeypatch.setattr(pdf_redact, "redact_pdf", copy)
    out = tmp_path / "public.pdf"
    assert _build(_project(tmp_path, URIS["percent"]), out) == ExitCode.OK
    assert not [t for t in _targets(out) if "example.org" in t]
