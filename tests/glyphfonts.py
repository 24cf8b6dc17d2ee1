"""Attack sources: text drawn with fonts whose characters only the font program knows."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.pdfgen.canvas import Canvas

from bundler.core.assets import font_path

FONT = font_path("DejaVuSans")


def _tounicode_cmap(pairs: dict[int, str]) -> bytes:
    """A ToUnicode CMap saying CID → text for ``pairs``."""
    lines = [f"<{cid:04x}> <{text.encode('utf-16-be').hex()}>" for cid, text in sorted(pairs.items())]
    return (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <ffff> endcodespacerange\n"
        + f"{len(lines)} beginbfchar\n".encode()
        + "\n".join(lines).encode()
        + b"\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )


def type0_page(path: Path, lines: list[str], tounicode: dict[str, str] | None = None, font_file: Path = FONT) -> Path:
    """A Type0/Identity-H page (CID = glyph id) with the whole font embedded.

    ``tounicode`` None: no /ToUnicode map. Otherwise a map saying each drawn
    character c is ``tounicode.get(c, c)``: the truth, or a lie where it differs.
    ``font_file`` a TrueType font (CIDFontType2, /FontFile2) or an OpenType CFF
    one, whose bare CFF program is embedded (CIDFontType0, /FontFile3 /CIDFontType0C).
    """
    tt = TTFont(str(font_file))
    cmap, order = tt.getBestCmap(), tt.getGlyphOrder()
    pdf = pikepdf.new()
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/Sans"), Flags=4, FontBBox=[0, -250, 1000, 950],
        ItalicAngle=0, Ascent=900, Descent=-250, CapHeight=700, StemV=80,
    )  # fmt: skip
    cid = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name("/Sans"), DW=650,
        CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=descriptor, CIDToGIDMap=pikepdf.Name.Identity,
    )  # fmt: skip
    if "CFF " in tt:
        descriptor.FontFile3 = pdf.make_stream(tt.getTableData("CFF "), Subtype=pikepdf.Name.CIDFontType0C)
        cid.Subtype = pikepdf.Name.CIDFontType0
        del cid["/CIDToGIDMap"]
    else:
        descriptor.FontFile2 = pdf.make_stream(font_file.read_bytes())
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/Sans"),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid)],
    )  # fmt: skip
    if tounicode is not None:
        pairs = {order.index(cmap[ord(c)]): tounicode.get(c, c) for line in lines for c in line}
        font.ToUnicode = pdf.make_stream(_tounicode_cmap(pairs))
    ops = b"BT /F0 16 Tf 72 720 Td 24 TL "
    for line in lines:
        ops += b"<" + "".join(f"{order.index(cmap[ord(c)]):04x}" for c in line).encode() + b"> Tj T* "
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F0=pdf.make_indirect(font)))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Resources=resources, Contents=pdf.make_stream(ops + b"ET")
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def type0_without_tounicode(path: Path, lines: list[str]) -> Path:
    """A Type0/Identity-H page (CID = glyph id) with the whole font embedded and no /ToUnicode."""
    return type0_page(path, lines)


def simple_without_tounicode(path: Path, lines: list[str]) -> Path:
    """reportlab's embedded TrueType subset with its /ToUnicode removed: only the font's cmap is left."""
    pdfmetrics.registerFont(ReportlabTTFont("AttackSans", str(FONT)))
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.setFont("AttackSans", 16)
    for i, line in enumerate(lines):
        canvas.drawString(72, 720 - 24 * i, line)
    canvas.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for font in pdf.pages[0].Resources.Font.values():
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
        pdf.save(path)
    return path


def letterhead_page(path: Path, picture_lines: list[str], text_lines: list[str]) -> Path:
    """A page with a real text layer and a letterhead picture whose words exist only as pixels."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    font = ImageFont.truetype(str(FONT), 30)
    image = Image.new("L", (640, 44 * len(picture_lines) + 16), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(picture_lines):
        draw.text((12, 8 + 44 * i), line, font=font, fill=0)
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.drawImage(ImageReader(image), 72, 842 - 72 - image.height * 0.6, image.width * 0.6, image.height * 0.6)
    canvas.setFont("Helvetica", 12)
    for i, line in enumerate(text_lines):
        canvas.drawString(72, 600 - 18 * i, line)
    canvas.save()
    return path


def shifted_scan(path: Path, lines: list[str], shift: float) -> Path:
    """A 'scan': the page is one picture, with an invisible text layer ``shift`` points off the pixels."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.utils import ImageReader

    font = ImageFont.truetype(str(FONT), 36)
    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((150, 300 + 60 * i), line, font=font, fill=0)
    canvas = Canvas(str(path), pagesize=(595, 842))
    canvas.drawImage(ImageReader(image), 0, 0, 595, 842)
    text = canvas.beginText()
    text.setTextRenderMode(3)  # invisible, as OCR layers are
    text.setFont("Helvetica", 17)
    for i, line in enumerate(lines):
        text.setTextOrigin(72 + shift, 842 - 144 - 28.8 * i - 17 - shift)
        text.textLine(line)
    canvas.drawText(text)
    canvas.save()
    return path


def docx_with_embedded_object(path: Path, preview_lines: list[str], body: str) -> Path:
    """A DOCX holding an embedded document (w:object: VML preview + o:OLEObject) whose preview shows the lines."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 30)
    image = Image.new("RGB", (600, 44 * len(preview_lines) + 16), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(preview_lines):
        draw.text((12, 8 + 44 * i), line, font=font, fill="black")
    preview = path.with_suffix(".png")
    image.save(preview)
    document = Document()
    document.add_paragraph(body)
    part = document.part
    image_rid, _ = part.get_or_add_image(str(preview))
    inner = Document()
    inner.add_paragraph(" ".join(preview_lines))
    embedded = path.with_suffix(".inner.docx")
    inner.save(str(embedded))
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ole = Part(PackURI("/word/embeddings/Document1.docx"), content_type, embedded.read_bytes(), part.package)
    ole_rid = part.relate_to(ole, RT.PACKAGE)
    xml = f"""<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
      xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
      xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r>
      <w:object w:dxaOrig="9000" w:dxaSize="1400">
        <v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:450pt;height:{image.height * 0.75}pt" o:ole="">
          <v:imagedata r:id="{image_rid}" o:title=""/>
        </v:shape>
        <o:OLEObject Type="Embed" ProgID="Word.Document.12" ShapeID="_x0000_i1025" DrawAspect="Content"
          ObjectID="_1" r:id="{ole_rid}"/>
      </w:object></w:r></w:p>"""
    document.element.body.insert(0, etree.fromstring(xml))
    document.save(str(path))
    return path
