"""Exports read back: the index as DOCX, the page map as CSV/JSON, the N461 on its own.

The DOCX table is compared with the bundle's printed index as pdftotext reads
it; page ranges with the build report; the N461's pages with the bundle's own
pages (stamps by pypdfium2, text by pypdf).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from bundler.core.adding import add_document
from bundler.core.anonymise.terms import find_matches, targets_from_register
from bundler.core.build.additions import build_additions, freeze
from bundler.core.build.context import BuildOptions
from bundler.core.build.pipeline import build_bundle
from bundler.core.errors import LeakError, ProjectError
from bundler.core.exports.pagemap import (
    export_index_docx,
    export_n461,
    export_pagemap_csv,
    export_pagemap_json,
    find_claim_form,
)
from bundler.core.model import Bundle, CaseDetails, Person, new_id
from bundler.core.naming import format_date
from bundler.core.project import load_project, save_project
from bundler.core.report import BuildReport
from bundler.core.templates import new_bundle
from tests.conftest import require
from tests.pdfs import make_pdf, outline_pypdf, stamps

REAL_NAME = "Aisha Khanum"


def built(
    tmp_path: Path,
    *,
    register: bool = False,
    confidential: bool = False,
    dividers: bool = False,
) -> tuple[Path, Bundle, BuildReport]:
    """A hearing bundle (prefix HB): claim form, grounds, a statement, two letters."""
    bundle = new_bundle(
        "jr-hearing",
        CaseDetails(
            f"{REAL_NAME} v Chief Constable of Wessex Police", "AC-2019-LON-002345", short_name="AB v CC Wessex"
        ),
    )
    bundle.options.section_dividers = dividers
    if register:
        bundle.register.people.append(Person(REAL_NAME, "AB", variants=["Mrs Khanum"]))
    docs = (
        ("N461 claim form.pdf", 3, "A", "Claim form", "2019-10-01"),
        ("sfg.pdf", 4, "A", "Statement of facts and grounds", "2019-10-01"),
        (f"{REAL_NAME} statement.pdf", 2, "D", f"Witness statement of {REAL_NAME}", "2019-09-30"),
        ("lbc.pdf", 2, "E", "Letter before claim", "2019-07-01"),
        ("note.pdf", 1, "E", "File note", None),
    )
    for name, pages, section, title, date in docs:
        source = make_pdf(tmp_path / name, pages, text=f"Claim by {REAL_NAME} page")
        doc = add_document(bundle, tmp_path, source, section, title=title)
        doc.date, doc.date_source = date, "typed"  # as the user typed them
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(
        project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache", confidential=confidential)
    )
    return project, load_project(project), report


def index_lines(pdf: Path, pages: int = 1) -> list[list[str]]:
    """The printed index's rows, as pdftotext lays them out: cells split on wide gaps."""
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "2", "-l", str(1 + pages), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]
    return [r for r in rows if re.fullmatch(r"[A-Z]\d*", r[0]) and len(r) >= 2]


def docx_rows(path: Path) -> list[list[str]]:
    table = DocxDocument(str(path)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_index_docx_rows_equal_the_bundles_printed_index(tmp_path):
    project, bundle, report = built(tmp_path, dividers=True)
    out = Path(report.output)
    dst = tmp_path / "index.docx"
    export_index_docx(out, project, bundle, dst)
    rows = docx_rows(dst)
    assert rows[0] == ["Tab", "Description", "Date", "Page"]
    printed = index_lines(out)
    assert [[c for c in r if c] for r in rows[1:]] == printed
    documents = [r for r in rows[1:] if r[0][-1].isdigit()]
    assert documents == [[d.tab, d.title, format_date(d.date), f"HB{d.first_page}"] for d in report.documents]
    assert ["A", "Statements of case", "", "HB3"] in rows  # a section row: its divider page
    paragraphs = [p.text for p in DocxDocument(str(dst)).paragraphs]
    assert "Claim No. AC-2019-LON-002345" in paragraphs and "Hearing Bundle" in paragraphs


def test_public_index_docx_shows_pseudonyms_only_and_names_no_author(tmp_path):
    project, bundle, report = built(tmp_path, register=True)
    dst = tmp_path / "index.docx"
    export_index_docx(Path(report.output), project, bundle, dst)
    rows = docx_rows(dst)
    assert ["D1", "Witness statement of AB", "30 Sep 2019", f"HB{report.documents[2].first_page}"] in rows
    targets = targets_from_register(bundle.register)
    with zipfile.ZipFile(dst) as package:  # every part: body, properties, settings
        for name in package.namelist():
            text = re.sub(r"<[^>]+>", " ", package.read(name).decode("utf-8", "replace"))
            assert not find_matches(text, targets), name
    props = DocxDocument(str(dst)).core_properties
    assert props.author == "" and props.comments == "" and props.title.startswith("AB v Chief Constable")


def test_pagemap_csv_and_json_give_the_build_reports_pages(tmp_path):
    project, bundle, report = built(tmp_path)
    out = Path(report.output)
    export_pagemap_csv(out, project, bundle, tmp_path / "map.csv")
    export_pagemap_json(out, project, bundle, tmp_path / "map.json")
    with open(tmp_path / "map.csv", encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    expected = [(d.tab, d.first_page, d.last_page) for d in report.documents]
    assert [(r["Tab"], int(r["First page"]), int(r["Last page"])) for r in lines] == expected
    assert [r["Source"] for r in lines] == [d.source for d in report.documents]
    assert lines[0]["First label"] == f"HB{report.documents[0].first_page}" and lines[4]["Date"] == ""
    data = json.loads((tmp_path / "map.json").read_text("utf-8"))
    assert [(d["tab"], d["first_page"], d["last_page"]) for d in data["documents"]] == expected
    assert data["pages"] == report.pages == len(PdfReader(out).pages)
    assert [s["tab"] for s in data["sections"]] == ["A", "D", "E"]
    assert data["documents"][2]["source"] == f"{REAL_NAME} statement.pdf"  # no register: nothing withheld


def test_public_pagemap_withholds_a_source_path_that_names_a_protected_person(tmp_path):
    project, bundle, report = built(tmp_path, register=True)
    out = Path(report.output)
    export_pagemap_csv(out, project, bundle, tmp_path / "map.csv")
    export_pagemap_json(out, project, bundle, tmp_path / "map.json")
    data = json.loads((tmp_path / "map.json").read_text("utf-8"))
    statement = data["documents"][2]
    assert statement["title"] == "Witness statement of AB" and statement["source"] is None
    assert data["documents"][0]["source"] == "N461 claim form.pdf" and data["public"] is True
    csv_text = (tmp_path / "map.csv").read_text("utf-8-sig")
    for text in (csv_text, json.dumps(data, ensure_ascii=False)):
        assert "Khanum" not in text and "Aisha" not in text


def test_n461_is_its_own_pdf_with_the_bundles_pages_and_stamps(tmp_path):
    project, bundle, report = built(tmp_path)
    out, dst = Path(report.output), tmp_path / "N461.pdf"
    assert find_claim_form(bundle) == "A1"
    row = export_n461(out, project, bundle, dst)
    first, last = report.documents[0].first_page, report.documents[0].last_page
    assert (row.first_page, row.last_page) == (first, last) and last - first + 1 == 3
    assert stamps(dst) == stamps(out)[first - 1 : last] == [f"HB{n}" for n in range(first, last + 1)]
    reader, bundle_reader = PdfReader(dst), PdfReader(out)
    assert [p.extract_text() for p in reader.pages] == [
        bundle_reader.pages[n - 1].extract_text() for n in range(first, last + 1)
    ]
    assert reader.page_labels == [f"HB{n}" for n in range(first, last + 1)]
    assert outline_pypdf(reader) == [] and "Claim form" in reader.metadata.title


def test_n461_is_found_by_file_name_and_a_project_without_one_says_so(tmp_path):
    project, bundle, _ = built(tmp_path)
    bundle.sections[0].documents[0].title = "Form"
    assert find_claim_form(bundle) == "A1"  # "N461 claim form.pdf"
    bundle.sections[0].documents[0].path = "form.pdf"
    assert find_claim_form(bundle) is None
    with pytest.raises(ProjectError, match="no N461 claim form in section A"):
        export_n461(tmp_path / "x.pdf", project, bundle, tmp_path / "n.pdf")
    assert not (tmp_path / "n.pdf").exists()


def test_a_public_export_of_the_confidential_bundle_is_refused_and_writes_nothing(tmp_path):
    project, bundle, report = built(tmp_path, register=True, confidential=True)
    out, dst = Path(report.output), tmp_path / "N461.pdf"
    dst.write_bytes(b"previous")
    with pytest.raises(LeakError, match="N461.pdf"):
        export_n461(out, project, bundle, dst)
    assert dst.read_bytes() == b"previous" and list(tmp_path.glob(".N461.pdf*")) == []
    export_n461(out, project, bundle, dst, confidential=True)  # said out loud: real names stay
    assert len(PdfReader(dst).pages) == 3


def test_a_bundle_older_than_its_project_is_refused(tmp_path):
    project, bundle, report = built(tmp_path)
    late = dataclasses.replace(bundle.sections[3].documents[0], id=new_id())
    bundle.sections[3].documents.append(late)
    with pytest.raises(ProjectError, match=r"no bookmark for D2.*Build the bundle again"):
        export_pagemap_csv(Path(report.output), project, bundle, tmp_path / "map.csv")
    assert not (tmp_path / "map.csv").exists()


def test_a_supplementary_bundles_page_map_uses_its_decimal_numbers(tmp_path):
    project, bundle, report = built(tmp_path)
    served = Path(report.output)
    freeze(project, bundle, served)
    add_document(bundle, tmp_path, make_pdf(tmp_path / "late.pdf", 2), "E", title="Late letter", date="2019-11-01")
    save_project(bundle, project)
    supplement = build_additions(project, bundle, BuildOptions(tmp_path / "cache"), "supplementary")
    export_pagemap_json(Path(supplement.output), project, bundle, tmp_path / "map.json")
    data = json.loads((tmp_path / "map.json").read_text("utf-8"))
    total = report.pages
    assert [(d["tab"], d["first_label"], d["last_label"]) for d in data["documents"]] == [
        ("E3", f"HB{total}.3", f"HB{total}.4")
    ]


def test_real_world_bundle_page_map_and_index(tmp_path, corpus):
    bundle = new_bundle("jr-claim", CaseDetails("AB v X", "AC-1"))
    for source in sorted((corpus / "real-pdfs").glob("*.pdf")):
        if "password" not in source.name:
            add_document(bundle, tmp_path, source, "D", date="2019-01-01")
    project = tmp_path / "case.bundle.json"
    save_project(bundle, project)
    report = build_bundle(project, load_project(project), BuildOptions(cache_dir=tmp_path / "cache"))
    out = Path(report.output)
    rows = export_pagemap_csv(out, project, bundle, tmp_path / "map.csv")
    assert [(r.tab, r.first_page, r.last_page) for r in rows] == [
        (d.tab, d.first_page, d.last_page) for d in report.documents
    ]
    export_index_docx(out, project, bundle, tmp_path / "index.docx")
    index_pages = report.documents[0].first_page - 2  # after the cover, before the first document
    assert [[c for c in r if c] for r in docx_rows(tmp_path / "index.docx")[1:]] == index_lines(out, index_pages)
