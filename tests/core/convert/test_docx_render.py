"""The built-in DOCX → PDF renderer, checked by reading its PDFs back with pypdf and pdfium."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pypdf
import pypdfium2 as pdfium
import pytest
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Inches
from PIL import Image

from bundler.core.convert.docx.render import render_docx
from bundler.core.errors import ConversionError

# The ``corpus`` fixture (tests/conftest.py) skips for a developer without the shared
# corpus and fails under tests/run.sh and CI, which always have it.

# Text known to be in each corpus file (read from its XML); [] where the file has none.
CORPUS_TEXT = {
    "blk-paras-and-tables.docx": [
        "Lorem ipsum dolor sit amet",
        "Text before",
        "Between",
        "Donec semper facilisis metus",
        "Left-side",
        "Copyright",
    ],
    "comments-rich-para.docx": ["Some text worthy of note.", "Other document text.", "Paragraph 7"],
    "doc-coreprops.docx": [],
    "doc-odd-even-hdrs.docx": [
        "First Page.",
        "Second Page.",
        "Odd page header.",
        "Even page header.",
    ],
    "having-images.docx": [],
    "hdr-header-footer.docx": [
        "section with header",
        "section without header of its own.",
        "Header for section-1",
        "Footer for section 1",
    ],
    "num-having-numbering-part.docx": ["1. Paragraph having List Number style."],
    "par-hyperlinks.docx": ["One awesome hyperlink.", "Three hyperlinks: the first one here"],
    "par-rendered-page-breaks.docx": ["No page breaks", "Two page>><<breaks>><<in one run."],
    "sct-first-page-hdrftr.docx": [
        "First page.",
        "Page 6, Third page of section 2.",
        "First Page Header (section 2)",
        "Default (odd, primary) Header",
    ],
    "tbl-having-tables.docx": [],
    "test.docx": ["python-docx was here!", "python-docx was here too!"],
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pages_text(pdf: Path) -> list[tuple[str, str]]:
    """(pypdf, pdfium) text of each page, whitespace collapsed; both must count the same pages."""
    reader = pypdf.PdfReader(pdf)
    document = pdfium.PdfDocument(pdf)
    assert len(reader.pages) == len(document)
    out = []
    for index, page in enumerate(reader.pages):
        other = document[index].get_textpage().get_text_bounded()
        out.append((_squash(page.extract_text()), _squash(other)))
    return out


def all_text(pdf: Path) -> tuple[str, str]:
    pages = pages_text(pdf)
    return " ".join(a for a, _ in pages), " ".join(b for _, b in pages)


def assert_in_both(needle: str, texts: tuple[str, str]) -> None:
    assert needle in texts[0], f"pypdf misses {needle!r} in {texts[0]!r}"
    assert needle in texts[1], f"pdfium misses {needle!r} in {texts[1]!r}"


def render(document: docx.document.Document, tmp_path: Path, name: str = "in") -> Path:
    src, dst = tmp_path / f"{name}.docx", tmp_path / f"{name}.pdf"
    document.save(str(src))
    render_docx(src, dst)
    return dst


def font_names(pdf: Path) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def _png(width: int, height: int) -> BytesIO:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (20, 40, 160)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


# --- the real-world corpus ----------------------------------------------------------------


def test_every_corpus_file_has_known_text(corpus: Path) -> None:
    assert {p.name for p in (corpus / "real-docx").glob("*.docx")} == set(CORPUS_TEXT)


@pytest.mark.parametrize("name", sorted(CORPUS_TEXT))
def test_corpus_file_converts_with_its_text(name: str, corpus: Path, tmp_path: Path) -> None:
    src = corpus / "real-docx" / name
    dst = tmp_path / "out.pdf"
    render_docx(src, dst)
    assert dst.read_bytes().startswith(b"%PDF-")
    texts = all_text(dst)
    for needle in CORPUS_TEXT[src.name]:
        assert_in_both(needle, texts)


def test_corpus_images_are_placed(corpus: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.pdf"
    render_docx(corpus / "real-docx" / "having-images.docx", dst)
    # Three distinct pictures, placed six times (five in the body, one in the header).
    assert len(pypdf.PdfReader(dst).pages[0].images) == 3
    page = pdfium.PdfDocument(dst)[0]
    images = list(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
    width, height = page.get_size()
    assert len(images) == 6
    assert all(o.get_bounds()[0] >= 0 and o.get_bounds()[2] <= width + 0.5 for o in images)


def test_corpus_empty_table_still_draws_its_grid(corpus: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.pdf"
    render_docx(corpus / "real-docx" / "tbl-having-tables.docx", dst)
    bitmap = pdfium.PdfDocument(dst)[0].render(scale=0.5).to_pil().convert("L")
    assert bitmap.getextrema()[0] < 100  # dark grid lines on a white page


def test_corpus_odd_even_and_first_page_headers(corpus: Path, tmp_path: Path) -> None:
    dst = tmp_path / "odd.pdf"
    render_docx(corpus / "real-docx" / "doc-odd-even-hdrs.docx", dst)
    first, second = pages_text(dst)
    assert "Odd page header." in first[0] and "Even page header." not in first[1]
    assert "Even page header." in second[1] and "Second Page." in second[0]
    dst = tmp_path / "first.pdf"
    render_docx(corpus / "real-docx" / "sct-first-page-hdrftr.docx", dst)
    pages = pages_text(dst)
    assert len(pages) == 6
    assert "First Page Header (section 2)" in pages[3][0] and "Page 4" in pages[3][1]
    assert "Default (odd, primary) Header" in pages[4][0]
    assert "Page 6, Third page of section 2." in pages[5][1]


def test_corpus_rendered_page_break_marks_are_not_breaks(corpus: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.pdf"
    render_docx(corpus / "real-docx" / "par-rendered-page-breaks.docx", dst)
    assert len(pages_text(dst)) == 1  # w:lastRenderedPageBreak only records Word's last layout


def test_corpus_comments_are_not_shown(corpus: Path, tmp_path: Path) -> None:
    dst = tmp_path / "out.pdf"
    render_docx(corpus / "real-docx" / "comments-rich-para.docx", dst)
    texts = all_text(dst)
    assert "Text with hyperlink" not in texts[0] and "Text with hyperlink" not in texts[1]


# --- generated fixtures -------------------------------------------------------------------


def test_bold_and_italic_runs_use_bold_and_italic_faces(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.add_paragraph()
    para.add_run("Strong words").bold = True
    para.add_run(" and ")
    para.add_run("leaning words").italic = True
    sans = document.add_paragraph().add_run("Sans bold italic")
    sans.bold = sans.italic = True
    sans.font.name = "Arial"
    serif = document.add_paragraph().add_run("Serif plain")
    serif.font.name = "Times New Roman"
    dst = render(document, tmp_path)
    # python-docx's template body font is Cambria: Caladea; Arial and Times New Roman: Liberation.
    assert {"Caladea-Bold", "Caladea-Italic", "LiberationSans-BoldItalic", "LiberationSerif"} <= font_names(dst)
    assert_in_both("Strong words and leaning words", all_text(dst))


def test_without_metric_fonts_dejavu_sets_the_text(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BUNDLER_DOCX_FONTS", "dejavu")
    document = docx.Document()
    document.add_paragraph().add_run("Strong words").bold = True
    sans = document.add_paragraph().add_run("Sans bold italic")
    sans.bold = sans.italic = True
    sans.font.name = "Arial"
    assert {"DejaVuSerif-Bold", "DejaVuSans-BoldOblique"} <= font_names(render(document, tmp_path))


def test_calibri_and_cambria_get_carlito_and_caladea(tmp_path: Path) -> None:
    document = docx.Document()
    for name in ("Calibri", "Cambria", "Courier New"):
        document.add_paragraph().add_run(f"Set in {name}").font.name = name
    assert {"Carlito", "Caladea-Regular", "LiberationMono"} <= font_names(render(document, tmp_path))


def _add_three_level_list(document: docx.document.Document) -> str:
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/>'
        "</w:pPr></w:lvl>"
        for i, (fmt, text) in enumerate([("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)")])
    )
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(document: docx.document.Document, text: str, num_id: str, level: int) -> None:
    para = document.add_paragraph(text)
    numpr = f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
    para._p.get_or_add_pPr().append(parse_xml(numpr))


def test_three_level_numbering_labels(tmp_path: Path) -> None:
    document = docx.Document()
    num_id = _add_three_level_list(document)
    for text, level in [
        ("Grounds", 0),
        ("First sub", 1),
        ("Second sub", 1),
        ("Deep point", 2),
        ("Second ground", 0),
        ("Restarted sub", 1),
    ]:
        _numbered(document, text, num_id, level)
    for text in all_text(render(document, tmp_path)):
        expected = [
            r"1\.\s*Grounds",
            r"\(a\)\s*First sub",
            r"\(b\)\s*Second sub",
            r"\(i\)\s*Deep point",
            r"2\.\s*Second ground",
            r"\(a\)\s*Restarted sub",
        ]
        positions = [re.search(pattern, text) for pattern in expected]
        assert all(positions), f"labels missing in {text!r}"
        assert [m.start() for m in positions if m] == sorted(m.start() for m in positions if m)


def test_bullets_and_style_numbering(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Bullet item", style="List Bullet")
    document.add_paragraph("Numbered one", style="List Number")
    document.add_paragraph("Numbered two", style="List Number")
    texts = all_text(render(document, tmp_path))
    assert_in_both("• Bullet item", texts)
    assert_in_both("2. Numbered two", texts)


def test_table_cell_text_in_order(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3, style="Table Grid")
    for r in range(2):
        for c in range(3):
            table.cell(r, c).text = f"R{r}C{c} cell"
    table.cell(1, 2).add_paragraph("second paragraph in cell")
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Merged across"
    merged.cell(1, 0).text = "Below left"
    texts = all_text(render(document, tmp_path))
    for needle in [
        "R0C0 cell",
        "R0C2 cell",
        "R1C1 cell",
        "second paragraph in cell",
        "Merged across",
        "Below left",
    ]:
        assert_in_both(needle, texts)
    assert texts[0].index("R0C2") < texts[0].index("R1C0") < texts[0].index("second paragraph")


def test_row_taller_than_a_page_is_split_not_lost(tmp_path: Path) -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1, style="Table Grid").cell(0, 0)
    for n in range(120):
        cell.add_paragraph(f"Line {n} of a very long witness statement cell.")
    dst = render(document, tmp_path)
    texts = all_text(dst)
    assert_in_both("Line 0 of", texts)
    assert_in_both("Line 119 of", texts)
    assert len(pages_text(dst)) >= 3


def test_page_break_makes_two_pages(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before the break")
    document.add_page_break()
    document.add_paragraph("After the break")
    (first_a, first_b), (second_a, second_b) = pages_text(render(document, tmp_path))
    assert "Before the break" in first_a and "Before the break" in first_b
    assert "After the break" in second_a and "After the break" in second_b


def test_page_break_before_paragraph_property(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Opening")
    document.add_paragraph("Starts a page").paragraph_format.page_break_before = True
    pages = pages_text(render(document, tmp_path))
    assert len(pages) == 2 and "Starts a page" in pages[1][1]


def _page_field(paragraph: docx.text.paragraph.Paragraph, instr: str) -> None:
    run = f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>9</w:t></w:r></w:fldSimple>'
    paragraph._p.append(parse_xml(run))


def test_header_and_footer_on_every_page_with_page_numbers(tmp_path: Path) -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Claim AC-2024 header"
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "Confidential footer, page "
    _page_field(footer, "PAGE")
    footer.add_run(" of ")
    _page_field(footer, "NUMPAGES")
    for n in range(3):
        document.add_paragraph(f"Body page {n + 1}")
        if n < 2:
            document.add_page_break()
    pages = pages_text(render(document, tmp_path))
    assert len(pages) == 3
    for number, texts in enumerate(pages, start=1):
        for text in texts:
            assert "Claim AC-2024 header" in text
            assert f"Confidential footer, page {number} of 3" in text
            assert f"Body page {number}" in text


def test_section_can_restart_page_numbers(tmp_path: Path) -> None:
    document = docx.Document()
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "Folio "
    _page_field(footer, "PAGE")
    document.add_paragraph("Cover page")
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section._sectPr.append(parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1" w:fmt="lowerRoman"/>'))
    document.add_paragraph("Statement page one")
    document.add_page_break()
    document.add_paragraph("Statement page two")
    pages = pages_text(render(document, tmp_path))
    labels = [["Folio 1"], ["Folio i"], ["Folio ii"]]
    found = [[re.findall(r"Folio \w+", text) for text in texts] for texts in pages]
    assert found == [[label, label] for label in labels]


def test_landscape_section_gives_landscape_page(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Portrait first")
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_paragraph("Landscape schedule")
    dst = render(document, tmp_path)
    boxes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in pypdf.PdfReader(dst).pages]
    sizes = [pdfium.PdfDocument(dst)[i].get_size() for i in range(2)]
    assert boxes[0][0] < boxes[0][1] and sizes[0][0] < sizes[0][1]
    assert boxes[1][0] > boxes[1][1] and sizes[1][0] > sizes[1][1]
    assert "Landscape schedule" in pages_text(dst)[1][0]


def test_default_page_is_a4_with_inch_margins(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Margins")
    sect_pr = document.sections[0]._sectPr
    for el in list(sect_pr):
        sect_pr.remove(el)  # no page size or margins at all
    dst = render(document, tmp_path)
    page = pdfium.PdfDocument(dst)[0]
    assert page.get_size() == pytest.approx((595.3, 841.9), abs=0.5)
    left = page.get_textpage().get_charbox(0)[0]
    assert left == pytest.approx(72, abs=2)


def test_non_latin_text_is_extractable(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Zoë Ångström wrote “quoted” words")
    document.add_paragraph("عائشة")
    document.add_paragraph("Claimant: Aisha (عائشة) Khan")
    texts = all_text(render(document, tmp_path))
    assert_in_both("Zoë Ångström wrote “quoted” words", texts)
    assert_in_both("عائشة", texts)


def test_markup_characters_print_literally(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Literal <b>& and a < b > c &amp; d")
    dst = render(document, tmp_path)
    assert_in_both("Literal <b>& and a < b > c &amp; d", all_text(dst))
    assert not any("Bold" in name for name in font_names(dst))


def test_tracked_changes_render_accepted(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.add_paragraph("Kept text ")
    author = 'w:id="1" w:author="X" w:date="2024-01-01T00:00:00Z"'
    para._p.append(parse_xml(f"<w:ins {nsdecls('w')} {author}><w:r><w:t>inserted words</w:t></w:r></w:ins>"))
    para._p.append(
        parse_xml(f"<w:del {nsdecls('w')} {author}><w:r><w:delText>deleted secret</w:delText></w:r></w:del>")
    )
    para.add_run(" end")
    texts = all_text(render(document, tmp_path))
    assert_in_both("Kept text inserted words end", texts)
    assert "deleted secret" not in texts[0] and "deleted secret" not in texts[1]


def test_styles_set_heading_sizes(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Statement of Facts", level=1)
    document.add_paragraph("Ordinary body text")
    sizes: dict[str, float] = {}
    reader = pypdf.PdfReader(render(document, tmp_path))

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes[text.strip()] = size

    reader.pages[0].extract_text(visitor_text=visit)
    assert sizes["Statement of Facts"] == pytest.approx(14)
    assert sizes["Ordinary body text"] < 14


def test_inline_picture_is_placed_and_scaled_to_fit(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Exhibit photo:")
    document.add_picture(_png(400, 200), width=Inches(12))  # wider than the page
    document.add_paragraph("After the photo")
    dst = render(document, tmp_path)
    page = pdfium.PdfDocument(dst)[0]
    (image,) = page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
    left, _, right, _ = image.get_bounds()
    assert left >= 71 and right <= page.get_size()[0] - 71
    assert_in_both("After the photo", all_text(dst))


def test_hyperlink_text_and_link(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.add_paragraph("See ")
    rel = document.part.relate_to(
        "https://example.org/policy",
        docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
        is_external=True,
    )
    para._p.append(
        parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:t>the policy</w:t></w:r></w:hyperlink>')
    )
    dst = render(document, tmp_path)
    assert_in_both("See the policy", all_text(dst))
    annots = [a.get_object() for a in pypdf.PdfReader(dst).pages[0].get("/Annots", [])]
    assert any(a["/A"].get("/URI") == "https://example.org/policy" for a in annots)


def test_picture_taller_than_a_page_in_a_table_cell_keeps_the_table(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2, style="Table Grid")
    table.cell(0, 0).text = "Exhibit in a cell"
    table.cell(0, 1).paragraphs[0].add_run().add_picture(_png(50, 500), height=Inches(20))
    document.add_paragraph("After the table")
    dst = render(document, tmp_path)
    assert_in_both("After the table", all_text(dst))
    page = pdfium.PdfDocument(dst)[0]
    (image,) = page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
    left, bottom, right, top = image.get_bounds()
    assert left > 72 + 150  # beside the text, in the second column
    assert bottom >= 0 and top <= page.get_size()[1]


def _append_xml(paragraph: docx.text.paragraph.Paragraph, xml: str) -> None:
    namespaces = f'{nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"'
    paragraph._p.append(parse_xml(xml.replace("NS", namespaces)))


def test_fields_show_their_result_not_their_code(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.add_paragraph("Dated ")
    for xml in [
        '<w:r NS><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r NS><w:instrText xml:space="preserve"> DATE \\@ "d MMMM yyyy" </w:instrText></w:r>',
        '<w:r NS><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r NS><w:t>9 September 2019</w:t></w:r>",
        '<w:r NS><w:fldChar w:fldCharType="end"/></w:r>',
    ]:
        _append_xml(para, xml)
    texts = all_text(render(document, tmp_path))
    assert_in_both("Dated 9 September 2019", texts)
    assert "MMMM" not in texts[0] and "MMMM" not in texts[1]


def test_content_controls_and_text_boxes_are_rendered(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before")
    body = document.element.body
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Inside a content control</w:t>"
        "</w:r></w:p></w:sdtContent></w:sdt>"
    )
    body.insert(len(body) - 1, sdt)
    para = document.add_paragraph("Anchor ")
    _append_xml(
        para,
        '<w:r NS><w:pict><v:shape style="width:200pt;height:50pt"><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Text in a box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>"
        "</w:pict></w:r>",
    )
    texts = all_text(render(document, tmp_path))
    for needle in ["Before", "Inside a content control", "Anchor", "Text in a box"]:
        assert_in_both(needle, texts)
    assert texts[0].index("Inside a content control") < texts[0].index("Text in a box")


def test_hidden_text_is_not_printed(tmp_path: Path) -> None:
    document = docx.Document()
    para = document.add_paragraph("Shown ")
    para.add_run("secret note").font.hidden = True
    para.add_run("words")
    texts = all_text(render(document, tmp_path))
    assert_in_both("Shown words", texts)
    assert "secret" not in texts[0] and "secret" not in texts[1]


def _with_footnote(src: Path) -> None:
    """Add a footnotes part and a reference to it (python-docx cannot write footnotes)."""
    w = nsdecls("w")
    notes = (
        f'<w:footnotes {w}><w:footnote w:id="1"><w:p><w:r><w:rPr>'
        '<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> See the witness statement.</w:t>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )
    with zipfile.ZipFile(src) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    parts["word/footnotes.xml"] = notes.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    rels = "word/_rels/document.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'footnotes" Target="footnotes.xml"/></Relationships>',
    )
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"NOTEHERE</w:t></w:r>", b'</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
    )
    with zipfile.ZipFile(src, "w") as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_footnotes_are_rendered_at_the_end(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("The decision was unlawfulNOTEHERE")
    src, dst = tmp_path / "fn.docx", tmp_path / "fn.pdf"
    document.save(str(src))
    _with_footnote(src)
    render_docx(src, dst)
    texts = all_text(dst)
    assert_in_both("The decision was unlawful1", texts)
    assert_in_both("1 See the witness statement.", texts)


# --- bad input ----------------------------------------------------------------------------


def _truncated(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("x" * 1000)
    buffer = BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])


def _zip_without_document(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not word")


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_text("Dear Sir, this is a plain text letter.\n"),
        _truncated,
        _zip_without_document,
    ],
    ids=["empty", "text-renamed", "truncated-zip", "zip-without-document"],
)
def test_bad_input_raises_conversion_error_naming_the_file(make: object, tmp_path: Path) -> None:
    src = tmp_path / "Witness Statement of AB.docx"
    make(src)  # type: ignore[operator]
    with pytest.raises(ConversionError) as caught:
        render_docx(src, tmp_path / "out.pdf")
    message = str(caught.value)
    assert "'Witness Statement of AB.docx'" in message and "Word document" in message
    assert "\n" not in message
    assert not (tmp_path / "out.pdf").exists()


def test_old_doc_or_encrypted_file_is_named_as_such(tmp_path: Path) -> None:
    src = tmp_path / "Grounds.docx"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    with pytest.raises(ConversionError, match="'Grounds.docx' is password-protected or an old-style"):
        render_docx(src, tmp_path / "out.pdf")


def test_missing_file_raises_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="'gone.docx' cannot be found"):
        render_docx(tmp_path / "gone.docx", tmp_path / "out.pdf")


def test_output_carries_no_author_metadata(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.author = "Aisha Khan"
    document.core_properties.title = "Statement of Aisha Khan"
    document.add_paragraph("Body")
    dst = render(document, tmp_path)
    assert b"Aisha" not in dst.read_bytes()
