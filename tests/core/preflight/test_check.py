"""Preflight: a bundle built the way ours are passes; each purpose-built defect is caught.

The fixture bundle is drawn here with reportlab and finished with pypdf (links,
bookmarks, labels, open action), independently of the preflight code it tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    Fit,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    RectangleObject,
)
from reportlab.pdfgen import canvas

from bundler.core.errors import PasswordError, SourceError
from bundler.core.preflight.check import run_preflight
from bundler.core.preflight.findings import Finding, Rule, Verdict, format_pages
from bundler.core.preflight.rules import RULES
from tests.pdfs import CORPUS  # noqa: E402

GOOD_NAME = "AB v MPC - Hearing Bundle - AC-2019-LON-002345.pdf"
A4 = (595.0, 842.0)
LANDSCAPE = (842.0, 595.0)
LETTER = (612.0, 792.0)
CROP = (40.0, 50.0, 580.0, 760.0)  # page 7's CropBox, inside a Letter MediaBox
# tab, title, first page; sections start at the first page of their first document
DOCUMENTS = [
    ("A1", "Claim form", 3),
    ("A2", "Decision letter", 5),
    ("B1", "Witness statement", 6),
    ("B2", "Exhibit AB1", 7),
    ("B3", "Note", 8),
]
SECTIONS = [("A", "Claim documents", ["A1", "A2"]), ("B", "Evidence", ["B1", "B2", "B3"])]
PAGES = 8
ROTATION = {5: 90}


@dataclass
class Defects:
    """Knobs for one purpose-built bad bundle; the defaults make a good one."""

    prefix: str = ""
    stamps: dict[int, str | None] = field(default_factory=dict)  # page → text shown instead
    unrotated_stamp: set[int] = field(default_factory=set)  # drawn ignoring /Rotate
    sideways_stamp: set[int] = field(default_factory=set)  # right corner, wrong angle
    uncropped_stamp: set[int] = field(default_factory=set)  # placed by MediaBox, not CropBox
    text_under_stamp: set[int] = field(default_factory=set)
    rotation: dict[int, int] = field(default_factory=dict)
    label_prefix: str | None = None  # None: the same as the stamps
    link_targets: dict[str, int] = field(default_factory=dict)  # tab → page the link goes to
    source_link: tuple[int, int] | None = None  # (printed, target) of a link on page 4
    bookmark_pages: dict[str, int] = field(default_factory=dict)  # tab → page in the title
    link_fit: Fit = field(default_factory=Fit.xyz)
    open_zoom: object = 1
    scanned: set[int] = field(default_factory=set)  # pages with an image and no text
    dense_image: set[int] = field(default_factory=set)  # a 600-dpi image on these pages
    author: str | None = None
    user_password: str | None = None
    name: str = GOOD_NAME


def _page_size(number: int) -> tuple[float, float]:
    return LANDSCAPE if number == 6 else LETTER if number == 7 else A4


def _visible(number: int) -> tuple[float, float, float, float]:
    w, h = _page_size(number)
    return CROP if number == 7 else (0.0, 0.0, w, h)


def _viewed_to_user(vx: float, vy: float, box: tuple[float, ...], rot: int) -> tuple[float, float]:
    x0, y0, x1, y1 = box
    return {
        0: (x0 + vx, y0 + vy),
        90: (x1 - vy, y0 + vx),
        180: (x1 - vx, y1 - vy),
        270: (x0 + vy, y1 - vx),
    }[rot]


def _draw_stamp(c: canvas.Canvas, text: str, number: int, rot: int, d: Defects) -> None:
    box = (0.0, 0.0, *_page_size(number)) if number in d.uncropped_stamp else _visible(number)
    width = (box[2] - box[0]) if rot in (0, 180) else (box[3] - box[1])
    ux, uy = _viewed_to_user(width - 30, 20, box, rot)
    angle = rot
    if number in d.unrotated_stamp:
        ux, uy, angle = box[2] - 30, box[1] + 20, 0
    if number in d.sideways_stamp:
        angle = (rot + 90) % 360
    c.saveState()
    c.translate(ux, uy)
    c.rotate(angle)  # counter-clockwise, undoing the viewer's clockwise /Rotate
    c.setFont("Helvetica-Bold", 10)
    tw = c.stringWidth(text, "Helvetica-Bold", 10)
    c.setFillColorRGB(1, 1, 1)
    c.rect(-tw - 3, -3, tw + 6, 13, stroke=1, fill=1)
    c.setFillColorRGB(0, 0, 0)
    c.drawRightString(0, 0, text)
    c.restoreState()


def _image(tmp: Path, px: int) -> str:
    path = tmp / f"img{px}.png"
    if not path.exists():
        Image.linear_gradient("L").resize((px, px)).convert("RGB").save(path)
    return str(path)


def _draw_body(c: canvas.Canvas, number: int, d: Defects, tmp: Path) -> None:
    x0, y0, x1, y1 = _visible(number)
    if number in d.scanned:
        c.drawImage(_image(tmp, 600), x0 + 50, y0 + 200, 288, 288)
        return
    c.setFont("Helvetica", 11)
    c.drawString(x0 + 60, y1 - 80, f"Body text of page {number}, a document in the bundle.")
    if number == 1:
        c.drawString(x0 + 60, y1 - 110, "IN THE HIGH COURT OF JUSTICE — AB v MPC — HEARING BUNDLE")
    if number == 2:
        _draw_index(c, d)
    if number == 7:
        c.drawImage(_image(tmp, 300), x0 + 60, y0 + 300, 144, 144)  # 150 dpi: fine
    if number in d.dense_image:
        c.drawImage(_image(tmp, 1200), x0 + 60, y0 + 120, 144, 144)  # 600 dpi
    if number in d.text_under_stamp:
        c.drawRightString(x1 - 31, y0 + 21, "covered words")
    if number == 4 and d.source_link:
        c.drawString(100, 400, f"See the introduction at page {d.source_link[0]}")


def _index_rows() -> list[tuple[str, str, int, float]]:
    return [(tab, title, page, 700.0 - 24 * i) for i, (tab, title, page) in enumerate(DOCUMENTS)]


def _draw_index(c: canvas.Canvas, d: Defects) -> None:
    c.setFont("Helvetica", 11)
    for tab, title, page, y in _index_rows():
        c.drawString(60, y, f"{tab}  {title}  01/02/2021")
        c.drawRightString(530, y, f"{d.prefix}{page}")


def _draw(path: Path, d: Defects) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, PAGES + 1):
        c.setPageSize(_page_size(number))
        rot = d.rotation.get(number, ROTATION.get(number, 0))
        _draw_body(c, number, d, path.parent)
        text = d.stamps.get(number, f"{d.prefix}{number}")
        if text is not None:
            _draw_stamp(c, text, number, rot, d)
        c.showPage()
    c.save()


def _finish(raw: Path, out: Path, d: Defects) -> None:
    w = PdfWriter(clone_from=raw)
    for number, page in enumerate(w.pages, start=1):
        rot = d.rotation.get(number, ROTATION.get(number, 0))
        if rot:
            page[NameObject("/Rotate")] = NumberObject(rot)
    w.pages[6].cropbox = RectangleObject(CROP)
    _add_links(w, d)
    _add_bookmarks(w, d)
    w.set_page_label(0, PAGES - 1, style="/D", prefix=d.label_prefix or d.prefix or None, start=1)
    zoom = NullObject() if d.open_zoom is None else FloatObject(d.open_zoom)  # type: ignore[arg-type]
    w._root_object[NameObject("/OpenAction")] = ArrayObject(
        [w.pages[0].indirect_reference, NameObject("/XYZ"), NullObject(), NullObject(), zoom]
    )
    if d.author:
        w.add_metadata({"/Author": d.author})
    if d.user_password is not None:
        w.encrypt(d.user_password, "owner-secret", algorithm="AES-256")
    w.write(out)


def _add_links(w: PdfWriter, d: Defects) -> None:
    for tab, _title, page, y in _index_rows():
        target = d.link_targets.get(tab, page)
        w.add_annotation(1, Link(rect=(55, y - 4, 535, y + 12), target_page_index=target - 1, fit=d.link_fit))
    if d.source_link:
        w.add_annotation(3, Link(rect=(95, 395, 300, 412), target_page_index=d.source_link[1] - 1))


def _add_bookmarks(w: PdfWriter, d: Defects) -> None:
    pages = {tab: page for tab, _t, page in DOCUMENTS}
    titles = {tab: title for tab, title, _p in DOCUMENTS}
    for letter, title, tabs in SECTIONS:
        first = pages[tabs[0]]
        section = w.add_outline_item(
            title=f"{letter}. {title} — {d.prefix}{first}", page_number=first - 1, fit=Fit.xyz()
        )
        for tab in tabs:
            shown = d.bookmark_pages.get(tab, pages[tab])
            item = w.add_outline_item(
                title=f"{tab}. {titles[tab]} — {d.prefix}{shown}",
                page_number=pages[tab] - 1,
                parent=section,
                fit=Fit.xyz(),
            )
            if tab == "A1":  # a source's own bookmark, three levels down: no number needed
                w.add_outline_item(title="Grounds", page_number=3, parent=item, fit=Fit.xyz())


def make_bundle(tmp_path: Path, d: Defects | None = None) -> Path:
    d = d or Defects()
    raw = tmp_path / "raw.pdf"
    _draw(raw, d)
    out = tmp_path / d.name
    _finish(raw, out, d)
    return out


def _by_rule(path: Path, password: str | None = None) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for finding in run_preflight(path, password).findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def _bad(findings: dict[str, list[Finding]], rule: str) -> list[Finding]:
    return [f for f in findings[rule] if f.status != "pass"]


def _not_passing(path: Path) -> list[Finding]:
    return [f for f in run_preflight(path).findings if f.status != "pass"]


# --- a good bundle passes ------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "HB"])
def test_good_bundle_passes_every_rule(tmp_path: Path, prefix: str) -> None:
    path = make_bundle(tmp_path, Defects(prefix=prefix))
    report = run_preflight(path)
    assert [f for f in report.findings if f.status != "pass"] == []
    assert {f.rule for f in report.findings} == {r.id for r in RULES} | {"pdf-structure"}
    assert not report.has_failures
    assert report.counts == {"pass": len(report.findings), "warn": 0, "fail": 0}


def test_good_bundle_has_what_the_fixture_claims(tmp_path: Path) -> None:
    """The fixture itself, read back by pypdfium2: rotated, landscape and cropped pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(make_bundle(tmp_path))
    assert [pdf[i].get_rotation() for i in range(PAGES)] == [0, 0, 0, 0, 90, 0, 0, 0]
    assert pdf[5].get_size() == LANDSCAPE
    assert tuple(pdf[6].get_cropbox()) == CROP
    stamp = pdf[4].get_textpage().get_text_bounded(A4[0] - 60, A4[1] - 160, A4[0], A4[1])
    assert stamp.split() == ["5"]  # /Rotate 90: bottom right as viewed is top right in user space
    pdf.close()


# --- page numbers --------------------------------------------------------------------


def test_missing_stamp_fails_naming_the_page(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(stamps={3: None})))
    assert [(f.status, f.pages) for f in _bad(found, "page-numbers")] == [("fail", (3,))]


def test_wrong_and_duplicate_numbers_fail(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(stamps={8: "7", 4: "4a"})))
    bad = _bad(found, "page-numbers")
    assert {f.status for f in bad} == {"fail"}
    wrong = next(f for f in bad if "differs" in f.message)
    assert wrong.pages == (4, 8) and "'7'" in wrong.message and "'4a'" in wrong.message
    duplicate = next(f for f in bad if "several pages" in f.message)
    assert duplicate.pages == (7, 8) and "'7' on pages 7–8" in duplicate.message


def test_stamp_that_ignores_rotate_is_found_elsewhere(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(unrotated_stamp={5})))
    bad = _bad(found, "page-numbers")
    assert [(f.status, f.pages) for f in bad] == [("fail", (5,))]
    assert "elsewhere" in bad[0].message


def test_stamp_outside_the_cropbox_is_missing(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(uncropped_stamp={7})))
    assert [(f.status, f.pages) for f in _bad(found, "page-numbers")] == [("fail", (7,))]


def test_sideways_stamp_fails_and_stamp_on_text_warns(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(sideways_stamp={5}, text_under_stamp={4})))
    bad = {f.status: f for f in _bad(found, "stamp-placement")}
    assert bad["fail"].pages == (5,) and "upright" in bad["fail"].message
    assert bad["warn"].pages == (4,)
    assert _bad(found, "page-numbers") == []


def test_upside_down_stamped_page_warns_orientation_only(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(rotation={4: 180})))
    assert [(f.status, f.pages) for f in _bad(found, "orientation")] == [("warn", (4,))]
    assert _bad(found, "page-numbers") == [] and _bad(found, "stamp-placement") == []


def test_label_mismatch_fails(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(prefix="HB", label_prefix="X")))
    bad = _bad(found, "page-labels")
    assert [(f.status, f.pages) for f in bad] == [("fail", tuple(range(1, PAGES + 1)))]
    assert "'X1'" in bad[0].message


# --- index links and bookmarks ---------------------------------------------------------


def test_index_link_to_wrong_page_fails_on_the_index_page(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(link_targets={"A2": 6})))
    bad = _bad(found, "index-links")
    assert [(f.status, f.pages) for f in bad] == [("fail", (2,))]
    assert "printed 5, goes to 6" in bad[0].message


def test_source_link_mismatch_only_warns(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(source_link=(3, 8))))
    assert [(f.status, f.pages) for f in _bad(found, "index-links")] == [("warn", (4,))]


def test_source_link_without_our_prefix_is_not_checked(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(prefix="HB", source_link=(3, 8))))
    assert _bad(found, "index-links") == []
    assert found["index-links"][0].message.startswith("5 links go to the page printed beside them; 1 link not beside")


def test_link_with_fit_zoom_fails(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(link_fit=Fit.fit())))
    assert [(f.status, f.pages) for f in _bad(found, "link-zoom")] == [("fail", (2,))]


def test_bookmark_with_fit_zoom_fails(tmp_path: Path) -> None:
    path = make_bundle(tmp_path, Defects())
    w = PdfWriter(clone_from=path)
    item = w._root_object["/Outlines"].get_object()["/First"].get_object()
    target = item["/A"]["/D"] if "/A" in item else item["/Dest"]
    item.pop("/A", None)
    item[NameObject("/Dest")] = ArrayObject([target[0], NameObject("/Fit")])
    w.write(path)
    assert [f.status for f in _bad(_by_rule(path), "bookmark-zoom")] == ["fail"]


def test_bookmark_with_wrong_number_fails(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(bookmark_pages={"B2": 9})))
    bad = _bad(found, "bookmarks")
    assert [(f.status, f.pages) for f in bad] == [("fail", (7,))]
    assert "B2. Exhibit AB1 — 9" in bad[0].message


# --- the file, its metadata and pages -----------------------------------------------------


@pytest.mark.parametrize("zoom", ["fit", None, 2])
def test_open_action_not_at_100_percent_fails(tmp_path: Path, zoom: object) -> None:
    path = make_bundle(tmp_path, Defects(open_zoom=None if zoom == "fit" else zoom))
    if zoom == "fit":  # rewrite the open action to /Fit
        w = PdfWriter(clone_from=path)
        w._root_object[NameObject("/OpenAction")] = ArrayObject([w.pages[0].indirect_reference, NameObject("/Fit")])
        w.write(path)
    found = _by_rule(path)
    assert [f.status for f in _bad(found, "open-action")] == ["fail"]


def test_scanned_page_without_text_warns(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(scanned={4})))
    bad = _bad(found, "text-layer")
    assert [(f.status, f.pages) for f in bad] == [("warn", (4,))] and "OCR" in bad[0].message


def test_600_dpi_image_warns_with_its_dpi(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(dense_image={3})))
    bad = _bad(found, "image-dpi")
    assert [(f.status, f.pages) for f in bad] == [("warn", (3,))] and "600 dots per inch" in bad[0].message


def test_author_in_metadata_warns(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(author="Jane Smith")))
    bad = _bad(found, "metadata-author")
    assert [f.status for f in bad] == ["warn"] and "Jane Smith" in bad[0].message


def test_bad_file_name_warns(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(name="bundle final v2.pdf")))
    assert [f.status for f in _bad(found, "file-name")] == ["warn"]


def test_encrypted_with_empty_password_opens_and_fails(tmp_path: Path) -> None:
    found = _by_rule(make_bundle(tmp_path, Defects(user_password="")))
    assert [f.status for f in _bad(found, "encryption")] == ["fail"]
    assert _bad(found, "page-numbers") == []  # the rest was still checked


def test_password_protected_needs_the_password(tmp_path: Path) -> None:
    path = make_bundle(tmp_path, Defects(user_password="s3cret"))
    with pytest.raises(PasswordError, match="is password-protected"):
        run_preflight(path)
    with pytest.raises(PasswordError, match="password given"):
        run_preflight(path, "wrong")
    assert _bad(_by_rule(path, "s3cret"), "encryption")[0].status == "fail"


def test_file_size_limits(tmp_path: Path) -> None:
    path = make_bundle(tmp_path)
    with open(path, "ab") as fh:  # bytes after %%EOF: readers ignore them, the size counts
        fh.truncate(37 * 1_000_000)
    assert [f.status for f in _bad(_by_rule(path), "file-size")] == ["warn"]
    with open(path, "ab") as fh:
        fh.truncate(51 * 1_000_000)
    assert [f.status for f in _bad(_by_rule(path), "file-size")] == ["fail"]


@pytest.mark.parametrize("content", [b"", b"hello, not a PDF", b"%PDF-1.7\n1 0 obj <<"])
def test_not_a_pdf_raises_source_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(SourceError, match="'broken.pdf'"):
        run_preflight(path)


def test_pdf_without_pages_raises_source_error(tmp_path: Path) -> None:
    PdfWriter().write(tmp_path / "empty.pdf")
    with pytest.raises(SourceError, match="has no pages"):
        run_preflight(tmp_path / "empty.pdf")


def test_repaired_cross_reference_table_warns(tmp_path: Path) -> None:
    path = make_bundle(tmp_path)
    data = path.read_bytes()
    head, _, tail = data.rpartition(b"startxref")
    path.write_bytes(head + b"startxref\n12345\n%%EOF\n")  # points into the middle of nowhere
    found = _by_rule(path)
    assert [f.status for f in _bad(found, "pdf-structure")] == ["warn"]
    assert _bad(found, "page-numbers") == []  # still read in full


def test_missing_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot be found"):
        run_preflight(tmp_path / "nowhere.pdf")


# --- the report and the rule list --------------------------------------------------------


def test_report_text_and_json(tmp_path: Path) -> None:
    report = run_preflight(make_bundle(tmp_path, Defects(stamps={3: None, 7: None, 8: None})))
    text = report.format_text()
    assert "FAIL" in text and "Page numbers" in text and "(pages 3, 7–8)" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["summary"] == report.counts and data["summary"]["fail"] >= 1
    assert {"rule": "page-numbers", "status": "fail"}.items() <= data["findings"][5].items()


def test_format_pages() -> None:
    assert format_pages([9, 3, 7, 8]) == "3, 7–9"
    assert format_pages([]) == ""
    assert format_pages(range(1, 200, 2)).endswith("(+75 more)")


def test_custom_rules_run_and_a_crashing_rule_is_reported(tmp_path: Path) -> None:
    def crashes(ctx: object) -> list[Verdict]:
        raise ValueError("bad xref")

    rules = [
        Rule("custom", lambda ctx: [Verdict("warn", f"{len(ctx.pages)} pages", (1,))]),
        Rule("crashes", crashes),
    ]
    findings = run_preflight(make_bundle(tmp_path), rules=rules).findings
    assert findings[0] == Finding("custom", "warn", f"{PAGES} pages", (1,))
    assert findings[1].rule == "crashes" and "bad xref" in findings[1].message


# --- real-world files ----------------------------------------------------------------------


def _corpus_pdfs() -> list[Path]:
    return sorted((CORPUS / "real-pdfs").glob("*.pdf")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus missing at {CORPUS}")
@pytest.mark.parametrize("path", _corpus_pdfs(), ids=lambda p: p.name)
def test_corpus_pdf_is_checked_without_crashing(path: Path) -> None:
    password = "openpassword" if "password" in path.name else None
    report = run_preflight(path, password)
    assert {f.rule for f in report.findings} == {r.id for r in RULES} | {"pdf-structure"}
    assert not [f for f in report.findings if f.message.startswith("Could not be checked")]
    assert report.has_failures  # none of them is a court bundle: no page stamps
