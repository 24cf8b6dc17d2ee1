"""Arranging a document's pages: deleting, reordering, turning and extracting them, as
``pages``/``page_rotations`` say it, and the built bundle read back (pdftotext and pypdf)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.anonymise.register import add_box
from bundler.core.arranging import Arrangement, Extract, apply_arrangement, current_arrangement, plan_arrangement
from bundler.core.errors import ProjectError
from bundler.core.model import Served, ServedDocument
from bundler.core.pdf.sources import parse_page_selection
from tests.conftest import build_saved, claim_bundle, require
from tests.pdfs import make_pdf, stamps


@pytest.fixture
def bundle_and_five(tmp_path: Path):
    bundle = claim_bundle()
    doc = add_document(bundle, tmp_path, make_pdf(tmp_path / "Five.pdf", 5), "C")
    return bundle, doc


def _arrange(bundle, doc, arrangement: Arrangement):
    plan = plan_arrangement(bundle, doc.id, 5, arrangement)
    apply_arrangement(bundle, plan)
    return plan


def test_a_selection_keeps_its_order():
    assert parse_page_selection("5,1-3", 5, "x.pdf") == [4, 0, 1, 2]
    assert parse_page_selection("4-5,2", 5, "x.pdf") == [3, 4, 1]


def test_delete_move_and_turn_are_said_in_the_documents_fields(bundle_and_five):
    bundle, doc = bundle_and_five
    assert current_arrangement(doc, 5) == Arrangement([1, 2, 3, 4, 5])
    plan = _arrange(bundle, doc, Arrangement([5, 1, 3, 4], {3: 90, 2: 180}))
    assert (doc.pages, doc.page_rotations) == ("5,1,3-4", {"3": 90})  # a deleted page's turn goes
    assert plan.before.pages == "" and plan.after.id == doc.id and not plan.extracted
    assert current_arrangement(doc, 5) == Arrangement([5, 1, 3, 4], {3: 90})


def test_every_page_in_order_is_the_empty_selection(bundle_and_five):
    bundle, doc = bundle_and_five
    doc.pages = "3,1"
    _arrange(bundle, doc, Arrangement([1, 2, 3, 4, 5]))
    assert doc.pages == ""


def test_extracted_pages_make_a_document_after_it_and_take_their_boxes(bundle_and_five):
    bundle, doc = bundle_and_five
    doc.date = "2019-08-11"
    stays = add_box(bundle, doc.id, 1, (10, 10, 50, 50))
    goes = add_box(bundle, doc.id, 4, (10, 10, 50, 50))
    plan = _arrange(bundle, doc, Arrangement([1, 2, 5], {4: 270}, [Extract("Reply", [3, 4])]))
    docs = bundle.sections[2].documents
    assert [(d.title, d.pages, d.page_rotations) for d in docs] == [
        ("Five", "1-2,5", {}),
        ("Reply", "3-4", {"4": 270}),
    ]
    assert docs[1].id == plan.extracted[0].id != doc.id and docs[1].date == "2019-08-11"
    assert (stays.document_id, goes.document_id) == (doc.id, docs[1].id)


@pytest.mark.parametrize(
    ("arrangement", "words"),
    [
        (Arrangement([]), "Keep at least one page"),
        (Arrangement([1, 6]), "pages count from 1 to 5"),
        (Arrangement([1, 2], extracts=[Extract("Copy", [2])]), "chosen twice"),
        (Arrangement([1], extracts=[Extract("", [2])]), "needs a title"),
    ],
)
def test_a_bad_arrangement_is_refused_before_anything_changes(bundle_and_five, arrangement, words):
    bundle, doc = bundle_and_five
    with pytest.raises(ProjectError, match=words):
        plan_arrangement(bundle, doc.id, 5, arrangement)
    assert doc.pages == "" and len(bundle.sections[2].documents) == 1


def test_served_pages_are_not_renumbered_but_may_be_turned(bundle_and_five):
    bundle, doc = bundle_and_five
    bundle.served = Served("served.pdf", "", 5, "2024-01-01", [ServedDocument(doc.id, 1, 5)])
    with pytest.raises(ProjectError, match="was served"):
        plan_arrangement(bundle, doc.id, 5, Arrangement([2, 1, 3, 4, 5]))
    _arrange(bundle, doc, Arrangement([1, 2, 3, 4, 5], {2: 90}))
    assert doc.page_rotations == {"2": 90}


def _page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def test_the_build_files_the_pages_in_the_new_order_with_consecutive_stamps(bundle_and_five, tmp_path):
    require(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
    bundle, doc = bundle_and_five
    _arrange(bundle, doc, Arrangement([5, 1, 3, 4], {3: 90}, [Extract("Page two", [2])]))
    report = build_saved(tmp_path / "case.bundle.json", bundle, cache_dir=tmp_path / "cache")
    texts = _page_texts(Path(report.output))
    sources = [m.group(1) for t in texts if (m := re.search(r"Page (\d) of Five", t))]
    assert sources == ["5", "1", "3", "4", "2"]
    assert stamps(Path(report.output)) == [str(n) for n in range(1, report.pages + 1)]
    reader = PdfReader(report.output)
    first = len(reader.pages) - 5  # the five source pages come last (section C, nothing after)
    assert [reader.pages[first + i].rotation % 360 for i in range(5)] == [0, 0, 90, 0, 0]
