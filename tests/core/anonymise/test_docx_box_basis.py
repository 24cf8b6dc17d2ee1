"""A box drawn on a Word document applies to the rendering it was drawn on, or the build refuses.

The public build converts the ANONYMISED copy: a registered name replaced by a
short pseudonym reflows the paragraph, so the line under it moves up. A box must
be in that rendering's points (its ``basis``); a box drawn on the plain conversion
(or an old one without a basis) must stop the build, never land a line off.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as new_docx

from bundler.cli.main import main
from bundler.core.adding import add_document
from bundler.core.anonymise.basis import anonymised_key, public_rendering, rendering_basis
from bundler.core.anonymise.register import add_box, add_person
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.convert.chain import SourceJob, prepare_sources
from bundler.core.convert.libreoffice import find_soffice
from bundler.core.errors import BuildError
from bundler.core.model import CaseDetails
from bundler.core.progress import NullProgress
from bundler.core.project import load_project, save_project
from bundler.core.templates import new_bundle
from tests.conftest import require

TITLE = "Witness statement of the claimant"


def _statement(path: Path) -> Path:
    doc = new_docx()
    doc.add_paragraph("I am Farida Khanum. " + "Farida Khanum saw it. " * 24)
    doc.add_paragraph("Witnessed by Mr Hollis of the same street.")
    doc.save(str(path))
    return path


def word_rect(pdf: Path, word: str, page: int = 1) -> tuple[float, float, float, float]:
    """Where ``word`` is on ``page`` of ``pdf`` in PDF points (origin bottom-left), read by pdftotext."""
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))  # type: ignore[union-attr]
    for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', out):
        if m.group(5) == word:
            x0, top, x1, bottom = (float(m.group(i)) for i in range(1, 5))
            return (x0 - 2, height - bottom - 2, x1 + 2, height - top + 2)
    raise AssertionError(f"'{word}' is not on page {page} of {pdf.name}")


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def case(tmp_path):
    bundle = new_bundle("jr-claim", CaseDetails("R (FK) v Chief Constable of Wessex Police", "AC-2019-LON-002345"))
    add_document(bundle, tmp_path, _statement(tmp_path / "statement.docx"), "D", title=TITLE)
    add_person(bundle, "Farida Khanum", "A", reason="anonymity order")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    return project


def _plain_rendering(bundle, doc, source: Path, cache: Path):
    job = SourceJob(doc.id, source, doc.sha256, "docx")
    return prepare_sources([job], cache, bundle.options.converter, NullProgress(), [])[doc.id]


def test_the_renderings_differ_so_a_plain_box_would_land_elsewhere(case, tmp_path):
    bundle = load_project(case)
    doc = next(d for _, d in bundle.documents())
    source = case.parent / doc.path
    public, basis = public_rendering(bundle.register, bundle.options.converter, doc, source, tmp_path / "cache")
    plain = _plain_rendering(bundle, doc, source, tmp_path / "cache")
    assert basis is not None and basis != rendering_basis(doc.sha256, plain.converter)
    assert word_rect(public.pdf, "Hollis")[1] > word_rect(plain.pdf, "Hollis")[1] + 8  # a line higher
    assert "Farida" not in _text(public.pdf) and "Farida" in _text(plain.pdf)


def test_a_box_on_the_public_rendering_hides_the_unregistered_name(case, tmp_path):
    bundle = load_project(case)
    doc = next(d for _, d in bundle.documents())
    public, basis = public_rendering(
        bundle.register, bundle.options.converter, doc, case.parent / doc.path, tmp_path / "cache"
    )
    add_box(bundle, doc.id, 1, word_rect(public.pdf, "Hollis"), "neighbour's name", basis=basis)
    save_project(bundle, case)
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=tmp_path / "cache"))
    text = _text(Path(report.output))
    assert "Hollis" not in text
    assert "Witnessed by Mr" in text and "of the same street" in text  # only the box's word went


@pytest.mark.parametrize("basis", ["plain", None])
def test_a_box_drawn_on_the_plain_rendering_stops_the_build(case, tmp_path, basis):
    bundle = load_project(case)
    doc = next(d for _, d in bundle.documents())
    plain = _plain_rendering(bundle, doc, case.parent / doc.path, tmp_path / "cache")
    drawn_on = rendering_basis(doc.sha256, plain.converter) if basis else None
    add_box(bundle, doc.id, 1, word_rect(plain.pdf, "Hollis"), basis=drawn_on)
    save_project(bundle, case)
    out = tmp_path / "public.pdf"
    with pytest.raises(BuildError, match=f"'{TITLE}' page 1 was drawn on an earlier version") as caught:
        build_bundle(case, load_project(case), BuildOptions(cache_dir=tmp_path / "cache", output=out))
    assert "\n" not in str(caught.value) and "draw it again" in str(caught.value)
    assert not out.exists()


def test_a_box_on_a_word_document_needs_no_basis_while_nothing_is_replaced(tmp_path):
    bundle = new_bundle("jr-claim", CaseDetails("R (X) v Y", "AC-2019-LON-000001"))
    doc = add_document(bundle, tmp_path, _statement(tmp_path / "statement.docx"), "D", title=TITLE)
    plain = _plain_rendering(bundle, doc, tmp_path / "statement.docx", tmp_path / "cache")
    add_box(bundle, doc.id, 1, word_rect(plain.pdf, "Hollis"))  # an old box: the plain rendering is filed
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache"))
    assert "Hollis" not in _text(Path(report.output)) and "Witnessed by Mr" in _text(Path(report.output))


def test_redact_box_on_the_command_line_records_the_public_rendering(case, tmp_path, capsys):
    bundle = load_project(case)
    doc = next(d for _, d in bundle.documents())
    public, basis = public_rendering(
        bundle.register, bundle.options.converter, doc, case.parent / doc.path, tmp_path / "cache"
    )
    x0, y0, x1, y1 = word_rect(public.pdf, "Hollis")
    rect = f"{x0},{y0},{x1},{y1}"
    args = ["redact-box", str(case), TITLE, "--page", "1", "--rect", rect]
    assert main([*args, "--cache-dir", str(tmp_path / "cache")]) == 0
    assert "public bundle's rendering" in capsys.readouterr().out
    box = load_project(case).register.boxes[0]
    assert box.basis == basis
    assert main(["build", str(case), "--cache-dir", str(tmp_path / "cache"), "-o", str(tmp_path / "b.pdf")]) == 0
    assert "Hollis" not in _text(tmp_path / "b.pdf")


def test_a_box_drawn_as_another_converter_laid_the_pages_out_stops_the_build(case, tmp_path):
    require(find_soffice() is not None, "LibreOffice (the project's 'auto' converter here)")
    bundle = load_project(case)
    doc = next(d for _, d in bundle.documents())
    public, basis = public_rendering(bundle.register, "builtin", doc, case.parent / doc.path, tmp_path / "cache")
    assert basis == rendering_basis(anonymised_key(doc, targets_from_register(bundle.register)), "builtin")
    add_box(bundle, doc.id, 1, word_rect(public.pdf, "Hollis"), basis=basis)
    save_project(bundle, case)
    with pytest.raises(BuildError, match=f"'{TITLE}' page 1 was drawn on this document's pages as another converter"):
        build_bundle(case, load_project(case), BuildOptions(cache_dir=tmp_path / "cache"))
    bundle.options.converter = "builtin"  # the converter it was drawn with: it lands
    save_project(bundle, case)
    report = build_bundle(case, load_project(case), BuildOptions(cache_dir=tmp_path / "cache"))
    assert "Hollis" not in _text(Path(report.output)) and "Witnessed by Mr" in _text(Path(report.output))
