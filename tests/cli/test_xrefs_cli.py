"""'bundler xrefs': a skeleton's bundle references, checked and linked, from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from bundler.cli.main import main
from tests.pdfs import make_pdf

BUNDLE = "AB v Chief Constable of Wessex Police - Hearing Bundle - AC-2019-LON-002345.pdf"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bundler", *map(str, args)], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hearing bundle (prefix HB): cover, index, A 3-5, B 6-13."""
    folder = tmp_path_factory.mktemp("xrefs-cli")
    project = folder / "case.bundle.json"
    assert (
        main(
            [
                "new",
                str(project),
                "--template",
                "jr-hearing",
                "--case-name",
                "AB v Chief Constable of Wessex Police",
                "--claim-no",
                "AC-2019-LON-002345",
            ]
        )
        == 0
    )
    assert main(["add", str(project), str(make_pdf(folder / "claim.pdf", 3)), "--section", "A"]) == 0
    assert main(["add", str(project), str(make_pdf(folder / "order.pdf", 8)), "--section", "B"]) == 0
    assert main(["build", str(project), "--cache-dir", str(folder / "cache")]) == 0
    return folder / BUNDLE


def _pdf(path: Path, text: str) -> Path:
    pdf = Canvas(str(path))
    pdf.drawString(60, 700, text)
    pdf.save()
    return path


def test_broken_references_exit_2_and_are_listed(tmp_path, bundle):
    skeleton = _pdf(tmp_path / "skeleton.pdf", "See [A/3], [B/99], [A/7] and HB/12.")
    result = run("xrefs", skeleton, bundle, "--json", tmp_path / "refs.json")
    assert result.returncode == 2, result.stderr
    lines = result.stdout.splitlines()
    assert any("[B/99]" in line and "MISSING PAGE" in line for line in lines)
    assert any("[A/7]" in line and "WRONG SECTION" in line for line in lines)
    assert "4 references" in lines[-1]
    data = json.loads((tmp_path / "refs.json").read_text())
    assert data["broken"] == 2
    assert [(r["text"], r["status"], r["target_page"]) for r in data["references"]] == [
        ("[A/3]", "ok", 3),
        ("[B/99]", "missing-page", 99),
        ("[A/7]", "wrong-section", 7),
        ("HB/12", "ok", 12),
    ]


def test_a_clean_docx_skeleton_exits_0(tmp_path, bundle):
    document = docx.Document()
    document.add_paragraph("The claim form is at [A/3] and the order at HB/6-8.")
    document.save(str(tmp_path / "skeleton.docx"))
    result = run("xrefs", tmp_path / "skeleton.docx", bundle)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 references: 2 ok." in result.stdout


def test_link_writes_a_copy_with_links_into_the_bundle(tmp_path, bundle):
    skeleton = _pdf(tmp_path / "skeleton.pdf", "See [A/3] and [B/99] and HB/12.")
    linked = bundle.parent / "linked" / "skeleton.pdf"
    result = run("xrefs", skeleton, bundle, "--link", linked)
    assert result.returncode == 2 and "2 references linked" in result.stdout
    actions = [a.get_object()["/A"] for a in PdfReader(linked).pages[0]["/Annots"]]
    assert [(a["/S"], a["/F"]["/F"], a["/D"][0]) for a in actions] == [
        ("/GoToR", f"../{BUNDLE}", 2),
        ("/GoToR", f"../{BUNDLE}", 11),
    ]
    assert (linked.parent / actions[0]["/F"]["/F"]).resolve() == bundle.resolve()


def test_link_needs_a_pdf_skeleton(tmp_path, bundle):
    docx.Document().save(str(tmp_path / "skeleton.docx"))
    result = run("xrefs", tmp_path / "skeleton.docx", bundle, "--link", tmp_path / "out.pdf")
    assert result.returncode == 4
    assert "'skeleton.docx' is not a PDF" in result.stderr and "Save the skeleton as PDF" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_custom_patterns_and_bad_patterns(tmp_path, bundle, capsys):
    skeleton = _pdf(tmp_path / "skeleton.pdf", "Tab 4 and tab 40.")
    assert main(["xrefs", str(skeleton), str(bundle), "--pattern", r"(?i:tab) (?P<page>\d+)"]) == 2
    out = capsys.readouterr().out
    assert "Tab 4" in out and "tab 40" in out and "1 missing page, 1 ok" in out
    assert main(["xrefs", str(skeleton), str(bundle), "--pattern", "tab (\\d+"]) == 3
    assert "not a valid regular expression" in capsys.readouterr().err
